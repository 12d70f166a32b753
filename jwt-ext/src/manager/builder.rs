//! [`TokenBuilder`]: one token's options (Flask's keyword arguments of `create_access_token`),
//! encoded and signed with the manager's keys.

use std::marker::PhantomData;

use rocket::time::{Duration, OffsetDateTime};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::config::Lifetime;
use crate::loaders::Loaders;
use crate::telemetry::record;
use crate::token::claims::{Freshness, TokenType};
use crate::token::encode::{
    build_claims, build_header, encode_header, merge, sign, EncodeError, Signer,
};
use crate::token::kind;

use super::JwtManager;

/// Builds one token; made by [`JwtManager::access_token`] or [`JwtManager::refresh_token`].
///
/// Each setter is one of the keyword arguments of Flask's `create_access_token`;
/// [`create`](Self::create) encodes and signs, [`create_async`](Self::create_async) awaits an
/// async additional claims loader first.
///
/// # Example
///
/// ```
/// use jwt_ext::{Config, JwtManager};
/// use rocket::time::Duration;
///
/// let jwt = JwtManager::new(Config::default().secret_key("an-example-secret-of-at-least-32-bytes")).unwrap();
/// let token = jwt
///     .access_token("alice")
///     .fresh(true)
///     .expires_in(Duration::minutes(5))
///     .claim("role", "admin")
///     .header("kid", "2026-11")
///     .create()
///     .unwrap();
/// let decoded = jwt.decode_token(&token).unwrap();
/// assert!(decoded.is_fresh());
/// assert_eq!(decoded.claims()["role"], "admin");
/// assert_eq!(decoded.header()["kid"], "2026-11");
/// ```
#[must_use = "call `.create()` to get the token"]
pub struct TokenBuilder<'a, K> {
    manager: &'a JwtManager,
    identity: Result<Value, EncodeError>,
    fresh: Freshness,
    lifetime: Option<Lifetime>,
    claims: Result<Map<String, Value>, EncodeError>,
    headers: Result<Map<String, Value>, EncodeError>,
    /// The instant (UNIX seconds) the token may not outlive: its login's end.
    ends_by: Option<i64>,
    /// The additional claims loader's answer, when [`create_async`](Self::create_async)
    /// awaited it.
    loaded_claims: Option<Map<String, Value>>,
    /// Claims carried over from the token this one succeeds: under the loaders' and this
    /// token's own.
    carried: Map<String, Value>,
    kind: PhantomData<K>,
}

impl<K> std::fmt::Debug for TokenBuilder<'_, K> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenBuilder")
            .field("identity", &self.identity)
            .field("fresh", &self.fresh)
            .field("lifetime", &self.lifetime)
            .finish_non_exhaustive()
    }
}

impl<'a, K> TokenBuilder<'a, K> {
    pub(crate) fn new(manager: &'a JwtManager, identity: impl Serialize) -> Self {
        Self {
            manager,
            identity: serde_json::to_value(identity).map_err(EncodeError::Serialize),
            fresh: Freshness::No,
            lifetime: None,
            claims: Ok(Map::new()),
            headers: Ok(Map::new()),
            ends_by: None,
            loaded_claims: None,
            carried: Map::new(),
            kind: PhantomData,
        }
    }

    /// This token's lifetime instead of the configured one (Flask's `expires_delta`). A
    /// negative duration gives a token that is already expired, useful in tests.
    pub fn expires_in(mut self, duration: Duration) -> Self {
        self.lifetime = Some(Lifetime::Expires(duration));
        self
    }

    /// This token never expires: no `exp` claim (Flask's `expires_delta=False`).
    pub fn never_expires(mut self) -> Self {
        self.lifetime = Some(Lifetime::Never);
        self
    }

    /// Adds one claim; it wins over a claim of the same name set by jwt-ext, as in Flask.
    pub fn claim(mut self, name: impl Into<String>, value: impl Serialize) -> Self {
        let value = serde_json::to_value(value).map_err(EncodeError::Serialize);
        self.claims = match (self.claims, value) {
            (Ok(mut claims), Ok(value)) => {
                claims.insert(name.into(), value);
                Ok(claims)
            }
            (Err(error), _) | (_, Err(error)) => Err(error),
        };
        self
    }

    /// Awaits the application's async additional claims loader, if it has one, so that the
    /// synchronous encoding can use its answer.
    async fn load_claims(mut self) -> Result<Self, EncodeError> {
        if let Ok(identity) = &self.identity {
            self.loaded_claims = Some(self.manager.loaders().claims_awaited(identity).await?);
        }
        Ok(self)
    }

    /// Makes the token expire by `end` (UNIX seconds) at the latest, when given.
    pub(crate) fn ends_by(mut self, end: Option<i64>) -> Self {
        self.ends_by = end;
        self
    }

    /// Carries `claims` over from the token this one succeeds; the additional claims loader's
    /// and this token's own claims win over them.
    pub(crate) fn carrying(mut self, claims: Map<String, Value>) -> Self {
        self.carried = claims;
        self
    }

    /// Adds one claim when `value` is `Some`.
    pub(crate) fn claim_if_some(self, name: &str, value: Option<impl Serialize>) -> Self {
        match value {
            Some(value) => self.claim(name, value),
            None => self,
        }
    }

    /// Adds every member of `claims`, which must serialize to a JSON object
    /// (Flask's `additional_claims`).
    pub fn additional_claims(mut self, claims: impl Serialize) -> Self {
        self.claims = merge(self.claims, claims, "additional claims");
        self
    }

    /// Adds one JOSE header member (e.g. `kid`); `alg` cannot be set.
    pub fn header(mut self, name: impl Into<String>, value: impl Serialize) -> Self {
        let value = serde_json::to_value(value).map_err(EncodeError::Serialize);
        self.headers = match (self.headers, value) {
            (Ok(mut headers), Ok(value)) => {
                headers.insert(name.into(), value);
                Ok(headers)
            }
            (Err(error), _) | (_, Err(error)) => Err(error),
        };
        self
    }

    /// Adds every member of `headers`, which must serialize to a JSON object
    /// (Flask's `additional_headers`).
    pub fn additional_headers(mut self, headers: impl Serialize) -> Self {
        self.headers = merge(self.headers, headers, "additional headers");
        self
    }
}

impl TokenBuilder<'_, kind::Access> {
    /// Marks the token fresh: `true`, `false`, a [`Duration`] it stays fresh for, or an
    /// instant it is fresh until (Flask's `fresh=`). Refresh tokens are never fresh.
    pub fn fresh(mut self, fresh: impl Into<Freshness>) -> Self {
        self.fresh = fresh.into();
        self
    }

    /// Encodes and signs the access token.
    ///
    /// # Errors
    ///
    /// An [`EncodeError`] when a value does not serialize, `sub` is not a string while
    /// `jwt_verify_sub` is on, or a timestamp is out of range.
    pub fn create(self) -> Result<String, EncodeError> {
        let lifetime = self
            .lifetime
            .unwrap_or(self.manager.config().access_token_expires);
        let lifetime = match self.ends_by {
            Some(end) => {
                let left = Duration::seconds(end - OffsetDateTime::now_utc().unix_timestamp());
                Lifetime::Expires(
                    lifetime
                        .duration()
                        .map_or(left, |lifetime| lifetime.min(left)),
                )
            }
            None => lifetime,
        };
        self.encode(TokenType::Access, lifetime)
    }

    /// Encodes and signs the access token after awaiting the application's async additional
    /// claims loader ([`ClaimsLoader`](crate::ClaimsLoader)); without one, the same as
    /// [`create`](Self::create).
    ///
    /// # Errors
    ///
    /// As for [`create`](Self::create), and [`EncodeError::ClaimsLoader`] when the loader
    /// fails.
    pub async fn create_async(self) -> Result<String, EncodeError> {
        self.load_claims().await?.create()
    }
}

impl TokenBuilder<'_, kind::Refresh> {
    /// Encodes and signs the refresh token.
    ///
    /// # Errors
    ///
    /// As for [`TokenBuilder::<kind::Access>::create`](TokenBuilder::create).
    pub fn create(mut self) -> Result<String, EncodeError> {
        let config = self.manager.config();
        let lifetime = self.lifetime.unwrap_or(config.refresh_token_expires);
        // With rotation, a refresh token belongs to a login: created alone, the login's access
        // token would survive reuse detection.
        let has = |claim: &str| {
            self.claims
                .as_ref()
                .is_ok_and(|claims| claims.contains_key(claim))
        };
        let (has_family, has_end) = (has("fam"), has("fam_exp"));
        if config.refresh_token_rotation && !has_family && self.claims.is_ok() {
            return Err(EncodeError::UnboundRefreshToken);
        }
        if config.refresh_token_rotation && !has_end {
            if let Some(duration) = lifetime.duration() {
                let end = OffsetDateTime::now_utc()
                    .checked_add(duration)
                    .ok_or(EncodeError::TimeOutOfRange)?;
                self = self.claim("fam_exp", end.unix_timestamp());
            }
        }
        self.encode(TokenType::Refresh, lifetime)
    }

    /// Encodes and signs the refresh token after awaiting the application's async additional
    /// claims loader; without one, the same as [`create`](Self::create).
    ///
    /// # Errors
    ///
    /// As for [`create`](Self::create), and [`EncodeError::ClaimsLoader`] when the loader
    /// fails.
    pub async fn create_async(self) -> Result<String, EncodeError> {
        self.load_claims().await?.create()
    }
}

impl<K> TokenBuilder<'_, K> {
    fn encode(self, token_type: TokenType, lifetime: Lifetime) -> Result<String, EncodeError> {
        let config = self.manager.config();
        let loaders = self.manager.loaders();
        let identity = self.identity?;
        // Flask's `encode_key_loader` gets the identity as given, before the identity loader.
        let loaded_key = loaders
            .encode_key
            .as_ref()
            .and_then(|loader| loader(&identity));
        // The loaders' claims and headers first, so that this token's own win (as in Flask).
        let mut additional_claims = self.carried;
        additional_claims.extend(match self.loaded_claims {
            Some(loaded) => loaded,
            None => loaders.claims_now(&identity)?,
        });
        additional_claims.extend(self.claims?);
        let mut additional_headers = Loaders::extra(
            loaders.additional_headers.as_ref(),
            &identity,
            "additional headers",
        )?;
        additional_headers.extend(self.headers?);

        let claims = build_claims(
            config,
            OffsetDateTime::now_utc(),
            token_type,
            loaders.identity_claim_value(identity),
            self.fresh,
            lifetime,
            additional_claims,
        )?;
        if config.verify_sub && claims.get("sub").is_some_and(|sub| !sub.is_string()) {
            return Err(EncodeError::SubjectNotString);
        }
        // A loaded key is the application's: the configured key's `kid` would misname it
        // (the additional headers loader can name it).
        if let (Some(kid), None) = (self.manager.kid(), &loaded_key) {
            additional_headers
                .entry("kid")
                .or_insert_with(|| kid.to_owned().into());
        }
        // The usual header (no additional headers but the signing key's `kid`) is encoded once
        // per manager.
        let cached = match (additional_headers.len(), additional_headers.get("kid")) {
            (0, _) => Some(self.manager.encoded_header(false)),
            (1, Some(Value::String(kid))) if Some(kid.as_str()) == self.manager.kid() => {
                Some(self.manager.encoded_header(true))
            }
            _ => None,
        };
        let header = match cached {
            Some(header) => std::borrow::Cow::Borrowed(header),
            None => {
                std::borrow::Cow::Owned(encode_header(&build_header(config, additional_headers)?)?)
            }
        };
        let signer = match &loaded_key {
            Some(key) => Signer::Key(key, config.algorithm),
            None => match self.manager.hmac_signer() {
                Some(hmac) => Signer::Hmac(hmac),
                None => Signer::Key(
                    self.manager
                        .encoding_key()
                        .ok_or(EncodeError::NoSigningKey)?,
                    config.algorithm,
                ),
            },
        };
        let token = sign(&header, &claims, &signer)?;
        record::token_created(matches!(token_type, TokenType::Refresh));
        Ok(token)
    }
}
