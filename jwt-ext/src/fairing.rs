//! The fairing: configuration at ignite, a summary at liftoff, refusals written on response.
//!
//! May use: every module above the integrations; only the integrations and the crate root use it.

use std::sync::Arc;

use jsonwebtoken::{DecodingKey, EncodingKey};
use rocket::fairing::{self, Fairing, Info, Kind};
use rocket::http::Status;
use rocket::{Build, Data, Orbit, Request, Response, Rocket};
use serde_json::{Map, Value};

use crate::config::{Config, Lifetime};
use crate::error::JwtError;
use crate::error::RefusedToken;
use crate::loaders::{Loaders, UserLoader};
use crate::manager::JwtManager;
use crate::request::csrf::FormCsrf;
use crate::request::guards::take_refusal;
use crate::response::write_error;
use crate::revocation::Blocklist;
use crate::token::claims::DecodedToken;

/// Sets jwt-ext up on a Rocket instance; made by [`JwtManager::fairing`] or
/// [`JwtManager::fairing_with`].
///
/// - **ignite**: reads the `jwt_*` settings (unless given in code), checks them, installs and
///   tests the crypto provider, and manages the [`JwtManager`]. Any problem stops the launch
///   with every bad key named. In the `debug` profile a missing secret is replaced by a random
///   one with a warning; any other profile refuses to start without one.
/// - **liftoff**: logs the effective settings (never the secret); with `jwt_jwks_url`, starts
///   the background refresh of the remote keys (fetched first at ignite: a JWKS that cannot
///   be fetched stops the launch).
/// - **request**: with `jwt_csrf_check_form`, peeks at the start of a urlencoded body for the
///   CSRF field, which request guards could not read otherwise.
/// - **response**: when a jwt-ext guard refused the request, writes Flask's JSON body and
///   `WWW-Authenticate`, whichever catcher produced the response.
pub struct JwtFairing {
    config: Option<Config>,
    loaders: Loaders,
    blocklist: Option<Arc<dyn Blocklist>>,
}

impl std::fmt::Debug for JwtFairing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JwtFairing")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl JwtFairing {
    pub(crate) fn from_figment() -> Self {
        Self {
            config: None,
            loaders: Loaders::default(),
            blocklist: None,
        }
    }

    pub(crate) fn with_config(config: Config) -> Self {
        Self {
            config: Some(config),
            loaders: Loaders::default(),
            blocklist: None,
        }
    }

    /// Replaces the default answer to refused tokens. `handler` gets the [`JwtError`] and
    /// returns the status and JSON body to send, or `None` to keep Flask's default for that
    /// error. A 401 still carries `WWW-Authenticate`.
    ///
    /// This is the one place to customise the answers: it applies to every guard, whether
    /// or not the application registers catchers, and to a [`JwtError`] returned by a handler.
    ///
    /// # Example
    ///
    /// ```
    /// use jwt_ext::{JwtError, JwtManager};
    /// use rocket::http::Status;
    /// use rocket::serde::json::json;
    ///
    /// let fairing = JwtManager::fairing().on_error(|error| match error {
    ///     JwtError::Expired(_) => Some((
    ///         Status::Unauthorized,
    ///         json!({ "error": "token_expired", "hint": "POST /refresh" }),
    ///     )),
    ///     _ => None,
    /// });
    /// let rocket = rocket::build().attach(fairing);
    /// ```
    #[must_use]
    pub fn on_error<F>(mut self, handler: F) -> Self
    where
        F: Fn(&JwtError) -> Option<(Status, Value)> + Send + Sync + 'static,
    {
        self.loaders.responders.any = Some(Arc::new(handler));
        self
    }

    /// Flask's `user_identity_loader`: turns the identity given to `create_access_token` (as
    /// JSON) into the value of the identity claim.
    ///
    /// # Example
    ///
    /// ```
    /// use jwt_ext::JwtManager;
    /// use rocket::serde::json::Value;
    ///
    /// // create_access_token(&user) with a serializable user puts its id in `sub`.
    /// let fairing = JwtManager::fairing()
    ///     .user_identity_loader(|user| Value::from(user["id"].to_string()));
    /// ```
    #[must_use]
    pub fn user_identity_loader<F>(mut self, loader: F) -> Self
    where
        F: Fn(&Value) -> Value + Send + Sync + 'static,
    {
        self.loaders.identity = Some(Arc::new(loader));
        self
    }

    /// Flask's `additional_claims_loader`: claims merged into every new token, computed from
    /// the identity (as given, before the identity loader). Must return a JSON object (or
    /// `null`); claims given for one token win on conflict.
    #[must_use]
    pub fn additional_claims_loader<F>(mut self, loader: F) -> Self
    where
        F: Fn(&Value) -> Value + Send + Sync + 'static,
    {
        self.loaders.additional_claims = Some(Arc::new(loader));
        self
    }

    /// Flask's `additional_headers_loader`: JOSE header members merged into every new token;
    /// headers given for one token win on conflict.
    #[must_use]
    pub fn additional_headers_loader<F>(mut self, loader: F) -> Self
    where
        F: Fn(&Value) -> Value + Send + Sync + 'static,
    {
        self.loaders.additional_headers = Some(Arc::new(loader));
        self
    }

    /// Flask's `encode_key_loader`: the key that signs the tokens of an identity (a tenant's
    /// own key, say), from the identity as passed to token creation; `None` signs with the
    /// configured key. The key must fit `jwt_algorithm`. A loaded key gets no `kid` header
    /// (name it with [`additional_headers_loader`](Self::additional_headers_loader)).
    ///
    /// # Example
    ///
    /// ```
    /// use jwt_ext::{EncodingKey, JwtManager};
    ///
    /// let fairing = JwtManager::fairing().encode_key_loader(|identity| {
    ///     let tenant = identity.as_str()?.split('@').nth(1)?;
    ///     (tenant == "acme.example").then(|| EncodingKey::from_secret(b"acme's own secret of 32+ bytes!!"))
    /// });
    /// ```
    #[must_use]
    pub fn encode_key_loader<F>(mut self, loader: F) -> Self
    where
        F: Fn(&Value) -> Option<EncodingKey> + Send + Sync + 'static,
    {
        self.loaders.encode_key = Some(Arc::new(loader));
        self
    }

    /// Flask's `decode_key_loader`: the key that verifies a token, chosen from its
    /// **unverified** header and claims (an `iss` or tenant claim naming whose key to use).
    /// `None` refuses the token with 422 `Unknown key ID`. The loader replaces the configured
    /// keys for decoding; `alg` is still checked against `jwt_decode_algorithms` first, and a
    /// key that does not fit the token's algorithm fails the signature. Use the claims only to
    /// pick a key: nothing in them is verified yet.
    ///
    /// # Example
    ///
    /// ```
    /// use jwt_ext::{DecodingKey, JwtManager};
    ///
    /// let fairing = JwtManager::fairing().decode_key_loader(|_header, claims| {
    ///     match claims.get("iss")?.as_str()? {
    ///         "acme.example" => Some(DecodingKey::from_secret(b"acme's own secret of 32+ bytes!!")),
    ///         _ => None,
    ///     }
    /// });
    /// ```
    #[must_use]
    pub fn decode_key_loader<F>(mut self, loader: F) -> Self
    where
        F: Fn(&Map<String, Value>, &Map<String, Value>) -> Option<DecodingKey>
            + Send
            + Sync
            + 'static,
    {
        self.loaders.decode_key = Some(Arc::new(loader));
        self
    }

    /// Flask's `token_verification_loader`: the application's own check of a verified token
    /// (a tenant, a role); `false` refuses the request with 400
    /// `{"msg": "User claims verification failed"}`. Runs after the type, freshness and
    /// revocation checks and before the user lookup, on every route that requires a token.
    ///
    /// # Example
    ///
    /// ```
    /// use jwt_ext::JwtManager;
    ///
    /// let fairing = JwtManager::fairing()
    ///     .token_verification_loader(|token| token.claims().get("tenant").is_some());
    /// ```
    #[must_use]
    pub fn token_verification_loader<F>(mut self, loader: F) -> Self
    where
        F: Fn(&DecodedToken) -> bool + Send + Sync + 'static,
    {
        self.loaders.verify_claims = Some(Arc::new(loader));
        self
    }

    /// Flask's `user_lookup_loader`: loads the user of every verified token, once per
    /// request; read it with a [`CurrentUser`](crate::CurrentUser) guard.
    #[must_use]
    pub fn user_lookup_loader<L: UserLoader>(mut self, loader: L) -> Self {
        self.loaders.user = Some(Arc::new(loader));
        self
    }

    /// Flask's `expired_token_loader`: the answer to an expired token, from its header and
    /// claims.
    #[must_use]
    pub fn expired_token_loader<F>(mut self, responder: F) -> Self
    where
        F: Fn(&RefusedToken) -> (Status, Value) + Send + Sync + 'static,
    {
        self.loaders.responders.expired = Some(Arc::new(responder));
        self
    }

    /// Flask's `needs_fresh_token_loader`: the answer to a non-fresh token on a fresh route.
    #[must_use]
    pub fn needs_fresh_token_loader<F>(mut self, responder: F) -> Self
    where
        F: Fn(&RefusedToken) -> (Status, Value) + Send + Sync + 'static,
    {
        self.loaders.responders.needs_fresh = Some(Arc::new(responder));
        self
    }

    /// The application's own revocation store, instead of the in-memory one or Redis.
    #[must_use]
    pub fn blocklist<B: Blocklist>(mut self, store: B) -> Self {
        self.blocklist = Some(Arc::new(store));
        self
    }

    /// Flask's `revoked_token_loader`: the answer to a revoked token.
    #[must_use]
    pub fn revoked_token_loader<F>(mut self, responder: F) -> Self
    where
        F: Fn(&RefusedToken) -> (Status, Value) + Send + Sync + 'static,
    {
        self.loaders.responders.revoked = Some(Arc::new(responder));
        self
    }

    /// Flask's `user_lookup_error_loader`: the answer when the user lookup finds no user.
    #[must_use]
    pub fn user_lookup_error_loader<F>(mut self, responder: F) -> Self
    where
        F: Fn(&RefusedToken) -> (Status, Value) + Send + Sync + 'static,
    {
        self.loaders.responders.user_lookup_error = Some(Arc::new(responder));
        self
    }

    /// Flask's `token_verification_failed_loader`: the answer when the token verification
    /// loader refuses a token.
    #[must_use]
    pub fn token_verification_failed_loader<F>(mut self, responder: F) -> Self
    where
        F: Fn(&RefusedToken) -> (Status, Value) + Send + Sync + 'static,
    {
        self.loaders.responders.verification_failed = Some(Arc::new(responder));
        self
    }

    /// Flask's `invalid_token_loader`: the answer to a malformed header or query parameter,
    /// an undecodable or unverifiable token, or a token of the wrong type, from the error
    /// message.
    #[must_use]
    pub fn invalid_token_loader<F>(mut self, responder: F) -> Self
    where
        F: Fn(&str) -> (Status, Value) + Send + Sync + 'static,
    {
        self.loaders.responders.invalid = Some(Arc::new(responder));
        self
    }

    /// Flask's `unauthorized_loader`: the answer when no token was found or a cookie-borne
    /// token failed the CSRF double submit, from the message.
    #[must_use]
    pub fn unauthorized_loader<F>(mut self, responder: F) -> Self
    where
        F: Fn(&str) -> (Status, Value) + Send + Sync + 'static,
    {
        self.loaders.responders.unauthorized = Some(Arc::new(responder));
        self
    }
}

impl JwtFairing {
    /// The revocation store to use instead of the in-memory default, if any.
    #[cfg_attr(not(feature = "redis"), allow(clippy::unused_async))]
    async fn store(&self, config: &Config) -> Result<Option<Arc<dyn Blocklist>>, String> {
        if let Some(store) = &self.blocklist {
            return Ok(Some(Arc::clone(store)));
        }
        let Some(url) = &config.redis_url else {
            return Ok(None);
        };
        #[cfg(feature = "redis")]
        {
            crate::RedisBlocklist::connect(url, &config.redis_key_prefix)
                .await
                .map(|store| Some(Arc::new(store) as Arc<dyn Blocklist>))
                .map_err(|error| {
                    format!(
                        "`jwt_redis_url`: cannot reach {}: {error}",
                        crate::config::RedactedUrl(url)
                    )
                })
        }
        #[cfg(not(feature = "redis"))]
        {
            Err(format!(
                "`jwt_redis_url` ({}) needs the `redis` cargo feature",
                crate::config::RedactedUrl(url)
            ))
        }
    }
}

#[rocket::async_trait]
impl Fairing for JwtFairing {
    fn info(&self) -> Info {
        Info {
            name: "jwt-ext",
            kind: Kind::Ignite | Kind::Liftoff | Kind::Request | Kind::Response | Kind::Singleton,
        }
    }

    async fn on_ignite(&self, rocket: Rocket<Build>) -> fairing::Result {
        let config = match &self.config {
            Some(config) => Ok(config.clone()),
            None => Config::from_figment(rocket.figment()),
        };
        let strict = rocket.figment().profile() != rocket::Config::DEBUG_PROFILE;
        let built = match config.and_then(|config| JwtManager::build(config, strict)) {
            Ok(built) => built,
            Err(error) => {
                log::error!("jwt-ext cannot start; fix these settings:");
                for problem in &error.problems {
                    log::error!("  `{}` {}", problem.key, problem.message);
                }
                return Err(rocket);
            }
        };
        let (mut manager, warnings) = built;
        for warning in warnings {
            log::warn!("jwt-ext: {warning}");
        }
        manager.set_loaders(self.loaders.clone());
        if let Some(remote) = manager.remote() {
            match remote.refresh().await {
                Ok(count) => log::info!("jwt-ext: {count} key(s) from {}", remote.url()),
                Err(error) => {
                    log::error!("jwt-ext cannot start: `jwt_jwks_url`: {error}");
                    return Err(rocket);
                }
            }
        }
        match self.store(manager.config()).await {
            Ok(Some(store)) => manager.set_blocklist(store),
            Ok(None) => {}
            Err(message) => {
                log::error!("jwt-ext cannot start: {message}");
                return Err(rocket);
            }
        }
        Ok(rocket.manage(manager))
    }

    async fn on_liftoff(&self, rocket: &Rocket<Orbit>) {
        let Some(manager) = rocket.state::<JwtManager>() else {
            return;
        };
        if let Some(remote) = manager.remote() {
            log::info!(
                "jwt-ext: verifying with the JWKS at {}, refreshed every {}s",
                remote.url(),
                remote.refresh_interval().as_secs()
            );
            rocket::tokio::spawn(Arc::clone(remote).keep_fresh(rocket.shutdown()));
        }
        let config = manager.config();
        let lifetime = |lifetime: Lifetime| match lifetime {
            Lifetime::Expires(duration) => format!("{}s", duration.whole_seconds()),
            Lifetime::Never => "never expires".into(),
        };
        log::info!(
            "jwt-ext: algorithm {:?} (decode {:?}), access {}, refresh {}, locations [{}], \
             header `{}: {}`, leeway {}s, identity claim `{}`",
            config.algorithm,
            config.effective_decode_algorithms(),
            lifetime(config.access_token_expires),
            lifetime(config.refresh_token_expires),
            config.token_location,
            config.header_name,
            if config.header_type.is_empty() {
                "<JWT>".to_owned()
            } else {
                format!("{} <JWT>", config.header_type)
            },
            config.decode_leeway,
            config.identity_claim,
        );
    }

    async fn on_request(&self, request: &mut Request<'_>, data: &mut Data<'_>) {
        let request: &Request<'_> = request;
        if let Some(manager) = request.rocket().state::<JwtManager>() {
            FormCsrf::capture(request, data, manager.config()).await;
        }
    }

    async fn on_response<'r>(&self, request: &'r Request<'_>, response: &mut Response<'r>) {
        // Only a response to a request a guard refused, with the status the guard gave; a
        // guard never refuses with a success status, so those skip the lookup.
        let class = response.status().class();
        if !(class.is_client_error() || class.is_server_error()) {
            return;
        }
        let Some(refusal) = take_refusal(request) else {
            return;
        };
        if response.status() == refusal.status() {
            write_error(request.rocket().state::<JwtManager>(), &refusal, response);
        }
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
        #[cfg(feature = "okapi")]
        BUILT_WITH.set(Some(config.clone()));
        JwtFairing::with_config(config)
    }
}

#[cfg(feature = "okapi")]
thread_local! {
    /// The settings of the last fairing built with [`JwtManager::fairing_with`] on this
    /// thread: the configuration an OpenAPI spec built afterwards describes.
    pub(crate) static BUILT_WITH: std::cell::RefCell<Option<Config>> = const {
        std::cell::RefCell::new(None)
    };
}
