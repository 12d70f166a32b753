//! [`JwtManager`]: the validated settings and keys, managed by Rocket; Flask's `JWTManager`.

use std::sync::Arc;

use jsonwebtoken::EncodingKey;
use rocket::http::Status;
use rocket::request::{FromRequest, Outcome, Request};
use rocket::{Ignite, Rocket, Sentinel};

use crate::config::{Config, ConfigError, SecretKey};
use crate::error::JwtError;
use crate::loaders::Loaders;
use crate::revocation::{Blocklist, MemoryBlocklist};
use crate::token::cache::TokenCache;
use crate::token::decode::Verifier;
use crate::token::remote_jwks::{self, HttpClient, RemoteJwks};

/// jwt-ext's state: the checked configuration and the keys. Creates and decodes tokens.
///
/// Attach [`JwtManager::fairing`] to Rocket; it reads the configuration at ignite and manages
/// the `JwtManager`, which handlers then take as a guard (`jwt: &JwtManager`).
///
/// # Example
///
/// ```
/// use jwt_ext::{JwtManager, RefreshJwt};
/// use rocket::serde::json::{json, Value};
/// use rocket::{launch, post, routes};
///
/// #[post("/refresh")]
/// fn refresh(jwt: &JwtManager, token: RefreshJwt) -> Result<Value, jwt_ext::EncodeError> {
///     let access_token = jwt.create_access_token(token.identity())?;
///     Ok(json!({ "access_token": access_token }))
/// }
///
/// #[launch]
/// fn rocket() -> _ {
///     rocket::build().attach(JwtManager::fairing()).mount("/", routes![refresh])
/// }
/// ```
pub struct JwtManager {
    pub(super) config: Config,
    pub(super) signing: Option<(Option<String>, EncodingKey)>,
    pub(super) verifier: Arc<Verifier>,
    pub(super) loaders: Loaders,
    pub(super) blocklist: Arc<dyn Blocklist>,
    /// Whether the checks are timed around the store (see [`Self::set_blocklist`]).
    pub(super) times_checks: bool,
    pub(super) cache: Arc<TokenCache>,
    /// The HMAC key of the signing secret, set up once (HS* only).
    pub(super) hmac_signer: Option<aws_lc_rs::hmac::Key>,
    /// The encoded default headers, without and with `kid`, made on first use.
    pub(super) encoded_headers: [std::sync::OnceLock<String>; 2],
    /// The remote key sources, connected by the fairing at ignite.
    pub(super) remotes: Vec<Arc<RemoteJwks>>,
    pub(super) public_jwks: Vec<jsonwebtoken::jwk::Jwk>,
}

impl std::fmt::Debug for JwtManager {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JwtManager")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl JwtManager {
    /// A manager outside Rocket (scripts, tests), under the release rules: a secret is
    /// required and must be long enough.
    ///
    /// # Errors
    ///
    /// A [`ConfigError`] naming every bad setting, or a crypto-provider problem.
    ///
    /// # Example
    ///
    /// ```
    /// use jwt_ext::{Config, JwtManager};
    ///
    /// assert!(JwtManager::new(Config::default()).is_err()); // no secret
    /// let jwt = JwtManager::new(Config::default().secret_key("an-example-secret-of-at-least-32-bytes")).unwrap();
    /// assert!(jwt.create_refresh_token("alice").is_ok());
    /// ```
    pub fn new(config: Config) -> Result<Self, ConfigError> {
        Self::build(config, true).map(|(manager, _warnings)| manager)
    }

    /// Checks `config` and builds the manager; outside `strict`, a missing secret is replaced
    /// by a random one. Returns the warnings to log.
    pub(crate) fn build(
        mut config: Config,
        strict: bool,
    ) -> Result<(Self, Vec<String>), ConfigError> {
        crate::token::provider::install();
        let mut warnings = config.validate(strict)?;
        let hmac = config.algorithm.family() == jsonwebtoken::AlgorithmFamily::Hmac;
        if hmac
            && config.key_set.is_empty()
            && config.secret_key.is_none()
            && !config.verify_only_remote()
        {
            config.secret_key = Some(random_secret()?);
            warnings.push(
                "`jwt_secret_key` is not set: using a random secret for this run only; \
                 tokens will not survive a restart, and a release build refuses to start \
                 without one"
                    .into(),
            );
        }
        for (setting, entry) in config.remote_issuers() {
            if entry.audience.is_none() && config.decode_audience.is_none() {
                warnings.push(format!(
                    "`{setting}`: tokens of `{}` are accepted whatever their audience; give it \
                     an `audience` (or set `jwt_decode_audience`), or check one per route \
                     (`#[jwt_required(audience = ...)]`)",
                    entry.issuer
                ));
            }
        }
        let keys = crate::token::keys::load_all(&config)?;
        if keys.signing.is_none() && !config.verify_only_remote() {
            warnings.push(
                "no `jwt_private_key`: this app verifies tokens but cannot create them".into(),
            );
        }
        let verifier = Arc::new(Verifier::new(&config, keys.verifying, keys.key_set));
        let cache = Arc::new(TokenCache::new(
            config.token_cache_size,
            config.decode_leeway,
        ));
        let hmac_signer = keys.signing.as_ref().and_then(|(_, key)| {
            let algorithm = crate::token::hmac::algorithm(config.algorithm)?;
            Some(aws_lc_rs::hmac::Key::new(algorithm, key.as_bytes()))
        });
        let manager = Self {
            hmac_signer,
            signing: keys.signing,
            verifier,
            public_jwks: keys.public_jwks,
            blocklist: Arc::new(
                MemoryBlocklist::new(config.blocklist_max_entries)
                    .with_identity_quota(config.blocklist_max_entries_per_identity),
            ),
            times_checks: false,
            cache,
            encoded_headers: Default::default(),
            remotes: Vec::new(),
            config,
            loaders: Loaders::default(),
        };
        let signing = manager
            .encoding_key()
            .map(|key| (key, manager.decoding_key()));
        crate::token::provider::self_test(signing, manager.config.algorithm)?;
        Ok((manager, warnings))
    }

    /// Uses `blocklist`; `timed`: the checks' durations are measured around it (an
    /// application's own store), not inside it.
    pub(crate) fn set_blocklist(&mut self, blocklist: Arc<dyn Blocklist>, timed: bool) {
        self.blocklist = blocklist;
        self.times_checks = timed;
    }

    /// Whether the revocation checks are timed around the store.
    pub(crate) fn times_checks(&self) -> bool {
        self.times_checks
    }

    /// The revocation store: the in-memory one, Redis (`jwt_redis_url`), or the application's
    /// own ([`JwtFairing::blocklist`](crate::JwtFairing::blocklist)).
    #[must_use]
    pub fn blocklist(&self) -> &dyn Blocklist {
        &*self.blocklist
    }

    pub(crate) fn set_loaders(&mut self, loaders: Loaders) {
        if let Some(loader) = &loaders.decode_key {
            self.verifier.set_key_loader(Arc::clone(loader));
        }
        self.loaders = loaders;
    }

    pub(crate) fn loaders(&self) -> &Loaders {
        &self.loaders
    }

    /// The effective configuration.
    #[must_use]
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The signing key; `None` for a verify-only app (public key only).
    pub(crate) fn encoding_key(&self) -> Option<&EncodingKey> {
        self.signing.as_ref().map(|(_, key)| key)
    }

    /// The verification key that goes with the signing key.
    pub(crate) fn decoding_key(&self) -> Option<jsonwebtoken::DecodingKey> {
        self.verifier.key(self.kid())
    }

    /// The public keys as JWKs (asymmetric algorithms only), each with its `kid`.
    #[must_use]
    pub fn public_jwks(&self) -> &[jsonwebtoken::jwk::Jwk] {
        &self.public_jwks
    }

    /// The encoded default header, with or without the signing key's `kid`.
    pub(crate) fn encoded_header(&self, with_kid: bool) -> &str {
        let slot = &self.encoded_headers[usize::from(with_kid)];
        slot.get_or_init(|| {
            let mut header = serde_json::Map::new();
            if with_kid {
                if let Some(kid) = self.kid() {
                    header.insert("kid".into(), kid.into());
                }
            }
            crate::token::encode::build_header(&self.config, header)
                .and_then(|header| crate::token::encode::encode_header(&header))
                .unwrap_or_default()
        })
    }

    /// The signing secret's HMAC key, for HS* algorithms.
    pub(crate) fn hmac_signer(&self) -> Option<&aws_lc_rs::hmac::Key> {
        self.hmac_signer.as_ref()
    }

    /// The `kid` this app's tokens carry: the signing key's (key set, or the thumbprint of an
    /// asymmetric key); `None` for a single HS secret.
    pub(crate) fn kid(&self) -> Option<&str> {
        self.signing.as_ref().and_then(|(kid, _)| kid.as_deref())
    }

    pub(crate) fn cache(&self) -> &TokenCache {
        &self.cache
    }

    /// Fetches the keys of every remote issuer (`jwt_jwks_url`, `jwt_issuers`,
    /// `jwt_oidc_issuer`), discovering those without a JWKS URL, with the application's HTTP
    /// client if it gave one. The error names the setting.
    pub(crate) async fn connect_remotes(
        &mut self,
        client: Option<HttpClient>,
        strict: bool,
    ) -> Result<(), String> {
        self.remotes =
            remote_jwks::connect(&self.config, &self.verifier, &self.cache, client, strict).await?;
        Ok(())
    }

    /// The remote JWK Sets this app verifies with.
    pub(crate) fn remotes(&self) -> &[Arc<RemoteJwks>] {
        &self.remotes
    }

    /// After a token named an unknown `kid`: whether the keys of its issuer were refetched
    /// (rate-limited), so that the token is worth a second try.
    pub(crate) async fn refetch_for_unknown_kid(&self) -> bool {
        let mut refetched = false;
        for remote in &self.remotes {
            if remote.wants_refetch() {
                refetched |= remote.refetch_for_unknown_kid().await;
            }
        }
        refetched
    }

    pub(crate) fn verifier(&self) -> &Verifier {
        &self.verifier
    }
}

/// 64 random bytes, URL-safe base64: the stand-in secret of a debug run.
fn random_secret() -> Result<SecretKey, ConfigError> {
    use base64::Engine;
    let mut bytes = [0u8; 64];
    getrandom::fill(&mut bytes).map_err(|error| {
        ConfigError::one(
            "jwt_secret_key",
            format!("is not set, and no random one could be generated: {error}"),
        )
    })?;
    Ok(SecretKey::new(
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes),
    ))
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for &'r JwtManager {
    type Error = JwtError;

    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, JwtError> {
        match request.rocket().state::<JwtManager>() {
            Some(manager) => Outcome::Success(manager),
            None => Outcome::Error((Status::InternalServerError, JwtError::NotConfigured)),
        }
    }
}

impl Sentinel for JwtManager {
    fn abort(rocket: &Rocket<Ignite>) -> bool {
        fairing_missing(rocket)
    }
}

/// Whether the fairing that manages the [`JwtManager`] is missing (logged as an error): a
/// route's guards then fail Rocket's sentinel check at launch.
pub(crate) fn fairing_missing(rocket: &Rocket<Ignite>) -> bool {
    if rocket.state::<JwtManager>().is_some() {
        return false;
    }
    log::error!(
        "a route uses a jwt-ext guard but jwt-ext's fairing is not attached; add \
         `.attach(JwtManager::fairing())` to the Rocket builder"
    );
    true
}
