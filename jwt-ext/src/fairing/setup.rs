//! The fairing's value: what the application registered, until ignite builds the manager
//! from it; and the constructors on [`JwtManager`].
//!
//! May use: every module above the integrations; only the integrations and the crate root use it.

use std::sync::Arc;

use rocket::{Build, Rocket};

use crate::config::Config;
use crate::loaders::{ClaimsLoader, Loaders};
use crate::manager::JwtManager;
use crate::revocation::Blocklist;
use crate::token::remote_jwks::HttpClient;

/// Builds the application's async claims loader from the Rocket instance at ignite.
pub(super) type ClaimsLoaderFactory =
    Arc<dyn Fn(&Rocket<Build>) -> Result<Arc<dyn ClaimsLoader>, String> + Send + Sync>;

/// Sets jwt-ext up on a Rocket instance; made by [`JwtManager::fairing`] or
/// [`JwtManager::fairing_with`].
///
/// - **ignite**: reads the `jwt_*` settings (unless given in code), checks them, installs and
///   tests the crypto provider, and manages the [`JwtManager`]. Any problem stops the launch
///   with every bad key named. In the `debug` profile a missing secret is replaced by a random
///   one with a warning; any other profile refuses to start without one.
/// - **liftoff**: logs the effective settings (never the secret); with `jwt_jwks_url`,
///   `jwt_oidc_issuer` or `jwt_issuers`, starts the background refresh of the remote keys
///   (discovered and fetched first at ignite: an issuer whose keys cannot be had stops the
///   launch).
/// - **request**: with `jwt_csrf_check_form`, peeks at the start of a urlencoded body for the
///   CSRF field, which request guards could not read otherwise.
/// - **response**: when a jwt-ext guard refused the request, writes Flask's JSON body and
///   `WWW-Authenticate`, whichever catcher produced the response.
pub struct JwtFairing {
    pub(super) config: Option<Config>,
    pub(super) loaders: Loaders,
    pub(super) blocklist: Option<Arc<dyn Blocklist>>,
    /// Set by [`JwtFairing::additional_claims_loader_from`]; run at ignite.
    pub(super) claims_loader_factory: Option<ClaimsLoaderFactory>,
    /// Set by [`JwtFairing::http_client`]: the client of discovery and JWKS fetches.
    pub(super) http_client: Option<HttpClient>,
}

impl std::fmt::Debug for JwtFairing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JwtFairing")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl JwtFairing {
    pub(super) fn from_figment() -> Self {
        Self {
            config: None,
            loaders: Loaders::default(),
            blocklist: None,
            claims_loader_factory: None,
            http_client: None,
        }
    }

    pub(super) fn with_config(config: Config) -> Self {
        Self {
            config: Some(config),
            loaders: Loaders::default(),
            blocklist: None,
            claims_loader_factory: None,
            http_client: None,
        }
    }

    /// The revocation store to use instead of the in-memory default, if any.
    #[cfg_attr(not(feature = "redis"), allow(clippy::unused_async))]
    pub(super) async fn store(
        &self,
        config: &Config,
    ) -> Result<Option<Arc<dyn Blocklist>>, String> {
        if let Some(store) = &self.blocklist {
            return Ok(Some(Arc::clone(store)));
        }
        let Some((key, place)) = redis_place(config) else {
            return Ok(None);
        };
        #[cfg(feature = "redis")]
        {
            crate::RedisBlocklist::from_config(config)
                .await
                .map(|store| Some(Arc::new(store) as Arc<dyn Blocklist>))
                .map_err(|error| format!("`{key}`: cannot use {place}: {error}"))
        }
        #[cfg(not(feature = "redis"))]
        {
            Err(format!("`{key}` ({place}) needs the `redis` cargo feature"))
        }
    }
}

#[cfg(feature = "remote-jwks")]
impl JwtFairing {
    /// The HTTP client of OpenID discovery and JWKS fetches (`jwt_oidc_issuer`,
    /// `jwt_issuers`, `jwt_jwks_url`), instead of jwt-ext's: one that trusts a corporate CA,
    /// goes through a proxy, or presents a client certificate. jwt-ext's own follows no
    /// redirect and gives up after 5 seconds; give yours limits of its own. Documents are
    /// still read up to 1 MiB.
    ///
    /// # Example
    ///
    /// ```
    /// use jwt_ext::JwtManager;
    ///
    /// let client = reqwest::Client::builder()
    ///     .timeout(std::time::Duration::from_secs(3))
    ///     .redirect(reqwest::redirect::Policy::none())
    ///     // .add_root_certificate(corporate_ca)
    ///     .build()
    ///     .unwrap();
    /// let rocket = rocket::build().attach(JwtManager::fairing().http_client(client));
    /// ```
    #[must_use]
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }
}

impl JwtManager {
    /// The fairing that reads `jwt_*` settings from Rocket's figment at ignite, checks them,
    /// and manages the `JwtManager`. Bad settings stop the launch, naming every bad key.
    ///
    /// It also writes the JSON body of every refused request, whatever catchers the
    /// application registers.
    #[must_use]
    pub fn fairing() -> JwtFairing {
        JwtFairing::from_figment()
    }

    /// Like [`fairing`](Self::fairing), with settings built in code instead of read from the
    /// figment.
    ///
    /// # Example
    ///
    /// ```
    /// use jwt_ext::{Config, JwtManager};
    ///
    /// let config = Config::default().secret_key("a-32-byte-secret-for-the-example");
    /// let rocket = rocket::build().attach(JwtManager::fairing_with(config));
    /// ```
    #[must_use]
    pub fn fairing_with(config: Config) -> JwtFairing {
        BUILT_WITH.set(Some(config.clone()));
        JwtFairing::with_config(config)
    }
}

thread_local! {
    /// The settings of the last fairing built with [`JwtManager::fairing_with`] on this
    /// thread: the configuration an OpenAPI spec built afterwards describes (`jwt-ext-okapi`).
    pub(crate) static BUILT_WITH: std::cell::RefCell<Option<Config>> = const {
        std::cell::RefCell::new(None)
    };
}

/// The Redis deployment the settings name, as the log shows it (passwords redacted), and the
/// setting that names it; `None`: no Redis.
pub(super) fn redis_place(config: &Config) -> Option<(&'static str, String)> {
    let redacted = crate::config::RedactedUrl;
    Some(
        match (
            &config.redis_url,
            config.redis_cluster_urls.as_slice(),
            config.redis_sentinel_urls.as_slice(),
        ) {
            (_, [first, rest @ ..], _) => (
                "jwt_redis_cluster_urls",
                format!(
                    "the Cluster of {} (and {} more seeds)",
                    redacted(first),
                    rest.len()
                ),
            ),
            (_, [], [first, rest @ ..]) => (
                "jwt_redis_sentinel_urls",
                format!(
                    "the master `{}` of the sentinels {} (and {} more)",
                    config.redis_sentinel_master.as_deref().unwrap_or_default(),
                    redacted(first),
                    rest.len()
                ),
            ),
            (Some(url), [], []) => ("jwt_redis_url", redacted(url).to_string()),
            (None, [], []) => return None,
        },
    )
}
