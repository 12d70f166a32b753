//! Creating access and refresh tokens: Flask's `create_access_token` and
//! `create_refresh_token`, with the same claim layout.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jsonwebtoken::{EncodingKey, Header};
use rocket::time::OffsetDateTime;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::config::{Config, Lifetime};
use crate::token::claims::{Freshness, TokenType};

/// Why a token could not be created.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EncodeError {
    /// The identity, an additional claim or an additional header did not serialize to JSON.
    #[error("could not serialize to JSON: {0}")]
    Serialize(#[source] serde_json::Error),
    /// `sub` is not a string while `jwt_verify_sub` is on: such a token would be refused with
    /// 422 `Subject must be a string` on every use, so it is not created.
    #[error(
        "the `sub` claim must be a string while `jwt_verify_sub` is on; convert the identity to \
         a string (e.g. `id.to_string()`), or set `jwt_verify_sub = false` for identities that \
         are JSON objects or numbers (PyJWT refuses those otherwise, and so does \
         Flask-JWT-Extended)"
    )]
    SubjectNotString,
    /// Additional claims or headers serialized to something other than a JSON object.
    #[error("{0} must serialize to a JSON object")]
    NotAnObject(&'static str),
    /// An additional header tried to set `alg`, which must match the signing key.
    #[error("the `{0}` header is set by jwt-ext and cannot be overridden")]
    ReservedHeader(String),
    /// The lifetime or freshness window puts a timestamp outside the representable range.
    #[error("a token timestamp is out of range")]
    TimeOutOfRange,
    /// jsonwebtoken could not sign the token.
    #[error("could not sign the token: {0}")]
    Sign(#[source] jsonwebtoken::errors::Error),
    /// The app has no private key (`jwt_private_key`): it verifies tokens but cannot sign.
    #[error("no private key: set `jwt_private_key` to create tokens with this algorithm")]
    NoSigningKey,
    /// The application's async additional claims loader ([`ClaimsLoader`](crate::ClaimsLoader))
    /// failed, so the token is not created without its claims: answered 503.
    #[error("the additional claims loader failed: {0}")]
    ClaimsLoader(#[source] crate::error::LoaderError),
    /// The additional claims loader is async and the token was created synchronously, which
    /// cannot await it: a server-side bug, answered 500.
    #[error(
        "the additional claims loader is async: create the token with `.create_async().await` \
         (or `create_token_pair_async`) instead of `.create()`"
    )]
    AsyncClaimsLoader,
    /// A refresh token created alone while `jwt_refresh_token_rotation` is on: reuse detection
    /// would revoke it but not the access token created beside it, so it is not created. A
    /// server-side bug, answered 500.
    #[error(
        "with `jwt_refresh_token_rotation` on, a login's tokens are created together, so that \
         reuse detection revokes its access tokens too: `jwt.login(identity).create().await` or \
         `jwt.create_token_pair(identity, fresh)` instead of `create_refresh_token`"
    )]
    UnboundRefreshToken,
}

pub(crate) fn merge(
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
pub(crate) fn build_claims(
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
pub(crate) fn random_uuid() -> String {
    let mut buffer = uuid::Uuid::encode_buffer();
    uuid::Uuid::new_v4()
        .hyphenated()
        .encode_lower(&mut buffer)
        .to_owned()
}

/// Seconds since the epoch as a JSON float, as Python's `datetime.timestamp()` gives.
pub(crate) fn float_timestamp(at: OffsetDateTime) -> Value {
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
pub(crate) enum Signer<'k> {
    Hmac(&'k aws_lc_rs::hmac::Key),
    Key(&'k EncodingKey, jsonwebtoken::Algorithm),
}

/// `header.payload.signature`, built in one buffer: what `jsonwebtoken::encode` does, without
/// serialising the (usually identical) header again or setting the HMAC key up for every token.
pub(crate) fn sign(
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
