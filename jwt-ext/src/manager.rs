//! [`JwtManager`]: the validated settings and keys, managed by Rocket; Flask's `JWTManager`.

use std::sync::Arc;

use jsonwebtoken::EncodingKey;
use rocket::http::Status;
use rocket::request::{FromRequest, Outcome, Request};
use rocket::time::OffsetDateTime;
use rocket::{Ignite, Rocket, Sentinel};
use serde::Serialize;

use crate::config::{Config, ConfigError, SecretKey};
use crate::error::JwtError;
use crate::fairing::JwtFairing;
use crate::loaders::Loaders;
use crate::request::guards::kind;
use crate::revocation::{Blocklist, MemoryBlocklist, RevokeError, StoreError};
use crate::token::cache::TokenCache;
use crate::token::claims::DecodedToken;
use crate::token::decode::Verifier;
use crate::token::encode::{EncodeError, TokenBuilder};

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
    config: Config,
    signing: Option<(Option<String>, EncodingKey)>,
    verifier: Arc<Verifier>,
    loaders: Loaders,
    blocklist: Arc<dyn Blocklist>,
    cache: Arc<TokenCache>,
    /// The HMAC key of the signing secret, set up once (HS* only).
    hmac_signer: Option<aws_lc_rs::hmac::Key>,
    /// The encoded default headers, without and with `kid`, made on first use.
    encoded_headers: [std::sync::OnceLock<String>; 2],
    #[cfg(feature = "remote-jwks")]
    remote: Option<Arc<crate::token::remote_jwks::RemoteJwks>>,
    public_jwks: Vec<jsonwebtoken::jwk::Jwk>,
}

impl std::fmt::Debug for JwtManager {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JwtManager")
            .field("config", &self.config)
            .finish_non_exhaustive()
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
        JwtFairing::with_config(config)
    }

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
        if hmac && config.key_set.is_empty() && config.secret_key.is_none() {
            config.secret_key = Some(random_secret()?);
            warnings.push(
                "`jwt_secret_key` is not set: using a random secret for this run only; \
                 tokens will not survive a restart, and a release build refuses to start \
                 without one"
                    .into(),
            );
        }
        let keys = crate::token::keys::load_all(&config)?;
        if keys.signing.is_none() && config.jwks_url.is_none() {
            warnings.push(
                "no `jwt_private_key`: this app verifies tokens but cannot create them".into(),
            );
        }
        let verifier = Arc::new(Verifier::new(&config, keys.verifying, keys.key_set));
        let cache = Arc::new(TokenCache::new(
            config.token_cache_size,
            config.decode_leeway,
        ));
        #[cfg(feature = "remote-jwks")]
        let remote = match &config.jwks_url {
            Some(url) => Some(Arc::new(
                crate::token::remote_jwks::RemoteJwks::new(
                    &config,
                    url,
                    Arc::clone(&verifier),
                    Arc::clone(&cache),
                )
                .map_err(|message| ConfigError {
                    problems: vec![crate::config::ConfigProblem {
                        key: "jwt_jwks_url".into(),
                        message,
                    }],
                })?,
            )),
            None => None,
        };
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
            cache,
            encoded_headers: Default::default(),
            #[cfg(feature = "remote-jwks")]
            remote,
            config,
            loaders: Loaders::default(),
        };
        crate::token::provider::self_test(&manager)?;
        Ok((manager, warnings))
    }

    pub(crate) fn set_blocklist(&mut self, blocklist: Arc<dyn Blocklist>) {
        self.blocklist = blocklist;
    }

    /// The revocation store: the in-memory one, Redis (`jwt_redis_url`), or the application's
    /// own ([`JwtFairing::blocklist`]).
    #[must_use]
    pub fn blocklist(&self) -> &dyn Blocklist {
        &*self.blocklist
    }

    /// Revokes a verified token (Flask's logout: add its `jti` to the blocklist). Requests
    /// carrying it are then refused with 401 `Token has been revoked`, and it cannot be
    /// exchanged ([`exchange_expired`](Self::exchange_expired)): the revocation lasts until
    /// the last instant the token could be used in any way (its `exp`, its exchange window and
    /// the clock leeway).
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the store cannot record it; as a responder, 503 (422 for a token
    /// without `jti`).
    pub async fn revoke(&self, token: &DecodedToken) -> Result<(), StoreError> {
        self.blocklist
            .revoke_until(token, self.usable_until(token))
            .await
    }

    /// Revokes every token of `token`'s login: through its `fam` claim when it has one (the
    /// tokens of [`create_token_pair`](Self::create_token_pair), and every token refreshed,
    /// exchanged or implicitly refreshed from them), else the token alone.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the store cannot record it.
    pub async fn revoke_login(&self, token: &DecodedToken) -> Result<(), StoreError> {
        if token.family().is_none() {
            self.revoke(token).await?;
            // A token that started an exchange chain gave the chain its `jti` as the login.
            return match token.jti() {
                Some(jti) if self.config.sliding_refresh_window.is_some() => {
                    let chain = token.with_family(jti);
                    self.revoke_family_or_token(&chain).await
                }
                _ => Ok(()),
            };
        }
        self.revoke_family_or_token(token).await
    }

    /// Revokes `token`'s family, or the token alone where the store cannot revoke families.
    async fn revoke_family_or_token(&self, token: &DecodedToken) -> Result<(), StoreError> {
        match self
            .blocklist
            .revoke_family(token, self.family_until(token))
            .await
        {
            Err(StoreError::Unsupported(what)) => {
                static WARNED: std::sync::Once = std::sync::Once::new();
                WARNED.call_once(|| {
                    log::warn!(
                        "jwt-ext: the revocation store does not support {what}; logout revokes \
                         the presented tokens only (implement `Blocklist::revoke_family`)"
                    );
                });
                self.revoke(token).await
            }
            other => other,
        }
    }

    /// Logs out in one call: revokes the login of the request's access token and, when given,
    /// of the encoded refresh token, which must be a valid refresh token of the same identity
    /// (Flask needs `verify_type=False` and two requests for this). A login made by
    /// [`create_token_pair`](Self::create_token_pair) is revoked as a whole: every access
    /// and refresh token of it, earlier ones included, stops working, and a rotated-out
    /// refresh token gets no grace; other tokens are revoked one by one.
    ///
    /// # Errors
    ///
    /// [`RevokeError::Invalid`] when the refresh token is not a valid refresh token of this
    /// identity (nothing is revoked then), [`RevokeError::Store`] when the store fails.
    ///
    /// # Example
    ///
    /// ```
    /// use jwt_ext::{jwt_required, Jwt, JwtManager, RevokeError};
    /// use rocket::delete;
    /// use rocket::serde::json::{json, Json, Value};
    ///
    /// #[jwt_required]
    /// #[delete("/logout", data = "<body>")]
    /// async fn logout(jwt: &JwtManager, token: Jwt, body: Json<Value>) -> Result<Value, RevokeError> {
    ///     jwt.logout(&token, body["refresh_token"].as_str()).await?;
    ///     Ok(json!({ "msg": "Successfully logged out" }))
    /// }
    /// ```
    pub async fn logout(
        &self,
        access: &DecodedToken,
        refresh: Option<&str>,
    ) -> Result<(), RevokeError> {
        let refresh = match refresh {
            Some(encoded) => {
                let refresh = self.decode_token(encoded).map_err(RevokeError::Invalid)?;
                if !refresh.is_refresh() {
                    return Err(RevokeError::Invalid(JwtError::WrongTokenType {
                        refresh_required: true,
                    }));
                }
                if refresh.identity() != access.identity() {
                    return Err(RevokeError::Invalid(JwtError::Invalid(
                        "The refresh token belongs to another identity".into(),
                    )));
                }
                Some(refresh)
            }
            None => None,
        };
        self.revoke_login(access).await?;
        if let Some(refresh) = refresh {
            if refresh.family().is_none() || refresh.family() != access.family() {
                self.revoke_login(&refresh).await?;
            }
        }
        Ok(())
    }

    /// The last instant (UNIX seconds) `token` could still be used in any way: its `exp`, for
    /// an access token the end of its exchange window, plus the clock leeway. `None`: never
    /// ends (no `exp`).
    pub(crate) fn usable_until(&self, token: &DecodedToken) -> Option<i64> {
        let mut until = crate::revocation::exp_seconds(token)?;
        if !token.is_refresh() {
            if let Some(window_end) = self.exchange_window_end(token) {
                until = until.max(window_end);
            }
        }
        Some(until.saturating_add(self.leeway_seconds()))
    }

    /// When an access token stops being exchangeable: `jwt_sliding_refresh_window` after the
    /// login that started its chain (`orig_iat`, else its own `iat`).
    pub(crate) fn exchange_window_end(&self, token: &DecodedToken) -> Option<i64> {
        let window = i64::try_from(self.config.sliding_refresh_window?).unwrap_or(i64::MAX);
        Some(login_time(token)?.saturating_add(window))
    }

    /// The last instant (UNIX seconds) any token of `token`'s login could still be used:
    /// refresh tokens until the login ends (`fam_exp`, else a refresh lifetime from now),
    /// access tokens issued until then for an access lifetime, and exchanges of those for a
    /// window. `None`: never ends.
    pub(crate) fn family_until(&self, token: &DecodedToken) -> Option<i64> {
        let config = &self.config;
        let access = config.access_token_expires.duration()?.whole_seconds();
        let window = config
            .sliding_refresh_window
            .map_or(0, |window| i64::try_from(window).unwrap_or(i64::MAX));
        let now = OffsetDateTime::now_utc().unix_timestamp();
        let bound = if token.chain().is_some() && token.chain() == token.family() {
            // A login that exchanges alone: its chain ends with the window.
            self.exchange_window_end(token)?.saturating_add(access)
        } else {
            let end = match int_claim(token, "fam_exp") {
                Some(end) => end,
                None => {
                    now.saturating_add(config.refresh_token_expires.duration()?.whole_seconds())
                }
            };
            end.saturating_add(window).saturating_add(access)
        };
        let own = self.usable_until(token)?;
        Some(bound.saturating_add(self.leeway_seconds()).max(own))
    }

    fn leeway_seconds(&self) -> i64 {
        i64::try_from(self.config.decode_leeway).unwrap_or(i64::MAX)
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

    /// The `kid` this app's tokens carry: the signing key's (key set, or the thumbprint of an
    /// asymmetric key); `None` for a single HS secret.
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

    pub(crate) fn kid(&self) -> Option<&str> {
        self.signing.as_ref().and_then(|(kid, _)| kid.as_deref())
    }

    pub(crate) fn cache(&self) -> &TokenCache {
        &self.cache
    }

    /// The remote JWKS this app verifies with, if any.
    #[cfg(feature = "remote-jwks")]
    pub(crate) fn remote(&self) -> Option<&Arc<crate::token::remote_jwks::RemoteJwks>> {
        self.remote.as_ref()
    }

    /// After a token named an unknown `kid`: whether the keys were refetched from the remote
    /// JWKS (rate-limited), so that the token is worth a second try.
    #[cfg_attr(not(feature = "remote-jwks"), allow(clippy::unused_async))]
    pub(crate) async fn refetch_for_unknown_kid(&self) -> bool {
        #[cfg(feature = "remote-jwks")]
        if let Some(remote) = &self.remote {
            return remote.refetch_for_unknown_kid().await;
        }
        false
    }

    pub(crate) fn verifier(&self) -> &Verifier {
        &self.verifier
    }

    /// Flask's `create_access_token(identity)` with the configured defaults: not fresh,
    /// `jwt_access_token_expires`. For the other options use [`access_token`](Self::access_token).
    ///
    /// # Errors
    ///
    /// An [`EncodeError`], e.g. when the identity is not a string while `jwt_verify_sub` is on.
    pub fn create_access_token(&self, identity: impl Serialize) -> Result<String, EncodeError> {
        self.access_token(identity).create()
    }

    /// Flask's `create_refresh_token(identity)` with the configured lifetime.
    ///
    /// # Errors
    ///
    /// An [`EncodeError`], as for [`create_access_token`](Self::create_access_token).
    pub fn create_refresh_token(&self, identity: impl Serialize) -> Result<String, EncodeError> {
        self.refresh_token(identity).create()
    }

    /// Starts an access token with Flask's options: `fresh`, `expires_delta`,
    /// `additional_claims`, `additional_headers`.
    pub fn access_token(&self, identity: impl Serialize) -> TokenBuilder<'_, kind::Access> {
        TokenBuilder::new(self, identity)
    }

    /// Starts a refresh token with Flask's options: `expires_delta`, `additional_claims`,
    /// `additional_headers`.
    pub fn refresh_token(&self, identity: impl Serialize) -> TokenBuilder<'_, kind::Refresh> {
        TokenBuilder::new(self, identity)
    }

    /// Verifies a token outside a request guard (Flask's `decode_token`): signature, `alg`,
    /// `exp`, `nbf`, `iat`, `aud`, `iss`, `sub` and the identity claim, but not the token
    /// type or freshness.
    ///
    /// # Errors
    ///
    /// The [`JwtError`] a guard would answer with; as a responder it gives the same response.
    pub fn decode_token(&self, token: &str) -> Result<DecodedToken, JwtError> {
        match self.verifier.decode(token, false) {
            // As Flask: the checks of a second decode that ignores `exp` win over the expiry.
            Err(JwtError::Expired(refused)) => {
                self.verifier.decode(token, true)?;
                Err(JwtError::Expired(refused))
            }
            other => other,
        }
    }

    /// Like [`decode_token`](Self::decode_token), but an expired token is returned rather than
    /// refused (Flask's `allow_expired=True`). Everything else is still verified.
    ///
    /// # Errors
    ///
    /// As for [`decode_token`](Self::decode_token), never [`JwtError::Expired`].
    pub fn decode_token_allow_expired(&self, token: &str) -> Result<DecodedToken, JwtError> {
        self.verifier.decode(token, true)
    }
}

/// An integer claim (a float is truncated).
pub(crate) fn int_claim(token: &DecodedToken, name: &str) -> Option<i64> {
    #[allow(clippy::cast_possible_truncation)]
    token
        .claims()
        .get(name)
        .and_then(serde_json::Value::as_f64)
        .map(|value| value as i64)
}

/// When the login behind `token` happened: `orig_iat` (carried through exchanges and implicit
/// refreshes), else the token's own `iat`.
pub(crate) fn login_time(token: &DecodedToken) -> Option<i64> {
    int_claim(token, "orig_iat").or_else(|| int_claim(token, "iat"))
}

/// 64 random bytes, URL-safe base64: the stand-in secret of a debug run.
fn random_secret() -> Result<SecretKey, ConfigError> {
    use base64::Engine;
    let mut bytes = [0u8; 64];
    getrandom::fill(&mut bytes).map_err(|error| ConfigError {
        problems: vec![crate::config::ConfigProblem {
            key: "jwt_secret_key".into(),
            message: format!("is not set, and no random one could be generated: {error}"),
        }],
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
        crate::request::guards::fairing_missing(rocket)
    }
}
