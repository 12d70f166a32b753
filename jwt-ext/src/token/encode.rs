//! Creating access and refresh tokens: Flask's `create_access_token` and
//! `create_refresh_token`, with the same claim layout.

use std::marker::PhantomData;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jsonwebtoken::{EncodingKey, Header};
use rocket::time::{Duration, OffsetDateTime};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::config::{Config, Lifetime};
use crate::loaders::Loaders;
use crate::manager::JwtManager;
use crate::request::guards::kind;
use crate::token::claims::{Freshness, TokenType};

/// Why a token could not be created.
#[derive(Debug)]
#[non_exhaustive]
pub enum EncodeError {
    /// The identity, an additional claim or an additional header did not serialize to JSON.
    Serialize(serde_json::Error),
    /// `sub` is not a string while `jwt_verify_sub` is on: such a token would be refused with
    /// 422 `Subject must be a string` on every use, so it is not created.
    SubjectNotString,
    /// Additional claims or headers serialized to something other than a JSON object.
    NotAnObject(&'static str),
    /// An additional header tried to set `alg`, which must match the signing key.
    ReservedHeader(String),
    /// The lifetime or freshness window puts a timestamp outside the representable range.
    TimeOutOfRange,
    /// jsonwebtoken could not sign the token.
    Sign(jsonwebtoken::errors::Error),
    /// The app has no private key (`jwt_private_key`): it verifies tokens but cannot sign.
    NoSigningKey,
}

impl std::fmt::Display for EncodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Serialize(error) => write!(f, "could not serialize to JSON: {error}"),
            Self::SubjectNotString => f.write_str(
                "the `sub` claim must be a string while `jwt_verify_sub` is on; convert the \
                 identity to a string (e.g. `id.to_string()`), or set `jwt_verify_sub = false` \
                 for identities that are JSON objects or numbers (PyJWT refuses those \
                 otherwise, and so does Flask-JWT-Extended)",
            ),
            Self::NotAnObject(what) => write!(f, "{what} must serialize to a JSON object"),
            Self::ReservedHeader(name) => {
                write!(
                    f,
                    "the `{name}` header is set by jwt-ext and cannot be overridden"
                )
            }
            Self::TimeOutOfRange => f.write_str("a token timestamp is out of range"),
            Self::Sign(error) => write!(f, "could not sign the token: {error}"),
            Self::NoSigningKey => f.write_str(
                "no private key: set `jwt_private_key` to create tokens with this algorithm",
            ),
        }
    }
}

impl std::error::Error for EncodeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Serialize(error) => Some(error),
            Self::Sign(error) => Some(error),
            _ => None,
        }
    }
}

/// Builds one token; made by [`JwtManager::access_token`] or [`JwtManager::refresh_token`].
///
/// Each setter is one of the keyword arguments of Flask's `create_access_token`;
/// [`create`](Self::create) encodes and signs.
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

    /// Makes the token expire by `end` (UNIX seconds) at the latest, when given.
    pub(crate) fn ends_by(mut self, end: Option<i64>) -> Self {
        self.ends_by = end;
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
        // With rotation, each login starts a family: its id, and when the family ends.
        let has = |claim: &str| {
            self.claims
                .as_ref()
                .is_ok_and(|claims| claims.contains_key(claim))
        };
        let (has_family, has_end) = (has("fam"), has("fam_exp"));
        if config.refresh_token_rotation && !has_family {
            self = self.claim("fam", uuid::Uuid::new_v4().to_string());
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
        let mut additional_claims = Loaders::extra(
            loaders.additional_claims.as_ref(),
            &identity,
            "additional claims",
        )?;
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
        sign(&header, &claims, &signer)
    }
}

fn merge(
    into: Result<Map<String, Value>, EncodeError>,
    extra: impl Serialize,
    what: &'static str,
) -> Result<Map<String, Value>, EncodeError> {
    let mut into = into?;
    match serde_json::to_value(extra).map_err(EncodeError::Serialize)? {
        Value::Object(extra) => {
            into.extend(extra);
            Ok(into)
        }
        _ => Err(EncodeError::NotAnObject(what)),
    }
}

/// The payload in Flask-JWT-Extended's order:
/// `fresh, iat, jti, type, <identity>, [nbf], [csrf], [aud], [iss], [exp]`, then the
/// additional claims, which win.
fn build_claims(
    config: &Config,
    now: OffsetDateTime,
    token_type: TokenType,
    identity: Value,
    fresh: Freshness,
    lifetime: Lifetime,
    additional: Map<String, Value>,
) -> Result<Map<String, Value>, EncodeError> {
    let iat = now.unix_timestamp();
    let mut claims = Map::with_capacity(10 + additional.len());
    let fresh = match (token_type, fresh) {
        (TokenType::Refresh, _) | (_, Freshness::No) => Value::Bool(false),
        (_, Freshness::Yes) => Value::Bool(true),
        (_, Freshness::For(duration)) => float_timestamp(
            now.checked_add(duration)
                .ok_or(EncodeError::TimeOutOfRange)?,
        ),
        (_, Freshness::Until(until)) => float_timestamp(until),
    };
    claims.insert("fresh".into(), fresh);
    claims.insert("iat".into(), iat.into());
    claims.insert("jti".into(), random_uuid().into());
    claims.insert("type".into(), token_type.as_str().into());
    claims.insert(config.identity_claim.clone(), identity);
    if config.encode_nbf {
        claims.insert("nbf".into(), iat.into());
    }
    if config.cookie_csrf_protect {
        claims.insert("csrf".into(), random_uuid().into());
    }
    if let Some(audience) = &config.encode_audience {
        claims.insert("aud".into(), audience.to_json());
    }
    if let Some(issuer) = &config.encode_issuer {
        claims.insert("iss".into(), issuer.clone().into());
    }
    if let Lifetime::Expires(duration) = lifetime {
        let exp = now
            .checked_add(duration)
            .ok_or(EncodeError::TimeOutOfRange)?
            .unix_timestamp();
        claims.insert("exp".into(), exp.into());
    }
    claims.extend(additional);
    Ok(claims)
}

/// A random (v4) UUID in its hyphenated lower-case form, as Python's `str(uuid.uuid4())`.
fn random_uuid() -> String {
    let mut buffer = uuid::Uuid::encode_buffer();
    uuid::Uuid::new_v4()
        .hyphenated()
        .encode_lower(&mut buffer)
        .to_owned()
}

/// Seconds since the epoch as a JSON float, as Python's `datetime.timestamp()` gives.
fn float_timestamp(at: OffsetDateTime) -> Value {
    #[allow(clippy::cast_precision_loss)]
    let seconds = at.unix_timestamp_nanos() as f64 / 1e9;
    serde_json::Number::from_f64(seconds).map_or(Value::Null, Value::Number)
}

/// `{"typ": "JWT", "alg": ...}` plus the additional headers, which may not replace `alg`.
pub(crate) fn build_header(
    config: &Config,
    additional: Map<String, Value>,
) -> Result<Header, EncodeError> {
    if additional.contains_key("alg") {
        return Err(EncodeError::ReservedHeader("alg".into()));
    }
    let mut header = Map::new();
    header.insert("typ".into(), "JWT".into());
    header.insert(
        "alg".into(),
        crate::token::decode::algorithm_name(config.algorithm).into(),
    );
    header.extend(additional);
    serde_json::from_value(Value::Object(header)).map_err(EncodeError::Serialize)
}

/// The header as the token's first segment: JSON, then URL-safe base64 without padding.
pub(crate) fn encode_header(header: &Header) -> Result<String, EncodeError> {
    let json = serde_json::to_vec(header).map_err(EncodeError::Serialize)?;
    Ok(URL_SAFE_NO_PAD.encode(json))
}

/// What signs a token: the manager's HMAC key, set up once, or any key through jsonwebtoken.
enum Signer<'k> {
    Hmac(&'k aws_lc_rs::hmac::Key),
    Key(&'k EncodingKey, jsonwebtoken::Algorithm),
}

/// `header.payload.signature`, built in one buffer: what `jsonwebtoken::encode` does, without
/// serialising the (usually identical) header again or setting the HMAC key up for every token.
fn sign(
    header: &str,
    claims: &Map<String, Value>,
    signer: &Signer<'_>,
) -> Result<String, EncodeError> {
    let payload = serde_json::to_vec(claims).map_err(EncodeError::Serialize)?;
    let mut token = String::with_capacity(header.len() + payload.len() * 4 / 3 + 96);
    token.push_str(header);
    token.push('.');
    URL_SAFE_NO_PAD.encode_string(&payload, &mut token);
    match signer {
        Signer::Hmac(key) => {
            let tag = aws_lc_rs::hmac::sign(key, token.as_bytes());
            token.push('.');
            URL_SAFE_NO_PAD.encode_string(tag.as_ref(), &mut token);
        }
        Signer::Key(key, algorithm) => {
            let signature = jsonwebtoken::crypto::sign(token.as_bytes(), key, *algorithm)
                .map_err(EncodeError::Sign)?;
            token.push('.');
            token.push_str(&signature);
        }
    }
    Ok(token)
}
