//! The claim layout shared with Flask-JWT-Extended, and a verified token's contents.
//!
//! An access token minted by either side carries, in this order:
//! `fresh, iat, jti, type, <identity claim>, nbf, csrf, [aud], [iss], exp`.

use rocket::time::OffsetDateTime;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// The kind of token, from the `type` claim.
///
/// # Example
///
/// ```
/// use jwt_ext::TokenType;
///
/// assert_eq!(TokenType::Refresh.as_str(), "refresh");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenType {
    /// `"access"`: for protected routes.
    Access,
    /// `"refresh"`: only for the routes that mint new access tokens.
    Refresh,
}

impl TokenType {
    /// The value of the `type` claim.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Access => "access",
            Self::Refresh => "refresh",
        }
    }
}

/// Whether a new access token is fresh (Flask's `fresh=` argument).
///
/// A fresh token proves a recent password login; routes behind
/// [`FreshJwt`](crate::FreshJwt) accept only those.
///
/// # Example
///
/// ```
/// use jwt_ext::Freshness;
/// use rocket::time::Duration;
///
/// assert_eq!(Freshness::from(true), Freshness::Yes);
/// assert_eq!(Freshness::from(Duration::minutes(5)), Freshness::For(Duration::minutes(5)));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Freshness {
    /// `"fresh": false`.
    #[default]
    No,
    /// `"fresh": true`.
    Yes,
    /// Fresh for this long after creation: `"fresh": <now + duration>` as a float timestamp.
    For(rocket::time::Duration),
    /// Fresh until this instant: `"fresh": <timestamp>` as a float.
    Until(OffsetDateTime),
}

impl From<bool> for Freshness {
    fn from(fresh: bool) -> Self {
        if fresh {
            Self::Yes
        } else {
            Self::No
        }
    }
}

impl From<rocket::time::Duration> for Freshness {
    fn from(duration: rocket::time::Duration) -> Self {
        Self::For(duration)
    }
}

impl From<OffsetDateTime> for Freshness {
    fn from(until: OffsetDateTime) -> Self {
        Self::Until(until)
    }
}

/// A token that passed verification: its header, its claims and the identity.
///
/// Obtained from a request guard ([`Jwt`](crate::Jwt) derefs to it) or from
/// [`JwtManager::decode_token`](crate::JwtManager::decode_token).
///
/// # Example
///
/// ```
/// use jwt_ext::{Config, JwtManager, TokenType};
///
/// let jwt = JwtManager::new(Config::default().secret_key("an-example-secret-of-at-least-32-bytes")).unwrap();
/// let token = jwt.create_access_token("alice").unwrap();
/// let decoded = jwt.decode_token(&token).unwrap();
/// assert_eq!(decoded.identity(), "alice");
/// assert_eq!(decoded.token_type(), Some(TokenType::Access));
/// assert!(!decoded.is_fresh());
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct DecodedToken {
    header: Map<String, Value>,
    claims: Map<String, Value>,
    identity_claim: String,
    /// Read from `claims` once: every guard asks.
    token_type: Option<TokenType>,
    /// `jti`, the login `fam` and the exchange chain `orig_jti`, read once: every revocation
    /// check asks.
    jti: Option<Box<str>>,
    family: Option<Box<str>>,
    chain: Option<Box<str>>,
}

impl DecodedToken {
    /// A verified token's contents; `identity_claim` names the claim holding the identity.
    pub(crate) fn new(
        header: Map<String, Value>,
        claims: Map<String, Value>,
        identity_claim: String,
    ) -> Self {
        let token_type = match claims.get("type") {
            None => Some(TokenType::Access),
            Some(Value::String(kind)) if kind == "access" => Some(TokenType::Access),
            Some(Value::String(kind)) if kind == "refresh" => Some(TokenType::Refresh),
            Some(_) => None,
        };
        let string = |claim: &str| claims.get(claim).and_then(Value::as_str).map(Box::from);
        Self {
            jti: string("jti"),
            family: string("fam"),
            chain: string("orig_jti"),
            header,
            claims,
            identity_claim,
            token_type,
        }
    }

    /// The JOSE header (`alg`, `typ`, and any additional headers).
    #[must_use]
    pub fn header(&self) -> &Map<String, Value> {
        &self.header
    }

    /// Every claim, as a JSON map (Flask's `get_jwt()`).
    #[must_use]
    pub fn claims(&self) -> &Map<String, Value> {
        &self.claims
    }

    /// The claims deserialized into the application's own type.
    ///
    /// # Errors
    ///
    /// The serde error when the claims do not fit `T`.
    ///
    /// # Example
    ///
    /// ```
    /// # use jwt_ext::{Config, JwtManager};
    /// #[derive(serde::Deserialize)]
    /// struct MyClaims { sub: String, role: String }
    ///
    /// # let jwt = JwtManager::new(Config::default().secret_key("an-example-secret-of-at-least-32-bytes")).unwrap();
    /// let token = jwt.access_token("alice").claim("role", "admin").create().unwrap();
    /// let claims: MyClaims = jwt.decode_token(&token).unwrap().claims_as().unwrap();
    /// assert_eq!((claims.sub.as_str(), claims.role.as_str()), ("alice", "admin"));
    /// ```
    pub fn claims_as<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        T::deserialize(&Value::Object(self.claims.clone()))
    }

    /// The value of the identity claim (`sub` unless `jwt_identity_claim` says otherwise),
    /// Flask's `get_jwt_identity()`.
    #[must_use]
    pub fn identity(&self) -> &Value {
        // Decoding refuses tokens without the identity claim.
        self.claims
            .get(&self.identity_claim)
            .unwrap_or(&Value::Null)
    }

    /// The identity deserialized into the application's own type.
    ///
    /// # Errors
    ///
    /// The serde error when the identity does not fit `T`.
    pub fn identity_as<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        T::deserialize(self.identity())
    }

    /// The `jti` claim, the token's unique id.
    #[must_use]
    pub fn jti(&self) -> Option<&str> {
        self.jti.as_deref()
    }

    /// The login this token belongs to: the `fam` claim that
    /// [`JwtManager::create_token_pair`](crate::JwtManager::create_token_pair) gives both
    /// tokens of a login, and that refreshes, exchanges and implicit refreshes pass on. A
    /// logout revokes the whole login through it.
    #[must_use]
    pub fn family(&self) -> Option<&str> {
        self.family.as_deref()
    }

    /// The exchange chain this token was issued in (the `orig_jti` claim: the `jti` of the
    /// chain's first token), for a token that
    /// [`JwtManager::exchange_expired`](crate::JwtManager::exchange_expired) issued.
    #[must_use]
    pub fn chain(&self) -> Option<&str> {
        self.chain.as_deref()
    }

    /// The same token as a member of the login `family`.
    pub(crate) fn with_family(&self, family: &str) -> Self {
        let mut token = self.clone();
        token.family = Some(family.into());
        token
    }

    /// The kind of token. A token without `type` counts as an access token, as in Flask;
    /// `None` for any other value (such tokens pass access routes, as in Flask).
    #[must_use]
    pub fn token_type(&self) -> Option<TokenType> {
        self.token_type
    }

    /// The header, claims and identity, for an error that refuses this token.
    pub(crate) fn refused(&self) -> Box<crate::error::RefusedToken> {
        Box::new(crate::error::RefusedToken {
            header: self.header.clone(),
            claims: self.claims.clone(),
            identity: self.identity().clone(),
        })
    }

    /// Whether the `type` claim is `"refresh"`.
    #[must_use]
    pub fn is_refresh(&self) -> bool {
        self.token_type() == Some(TokenType::Refresh)
    }

    /// When the token expires; `None` for a token without `exp`.
    #[must_use]
    pub fn expires_at(&self) -> Option<OffsetDateTime> {
        self.timestamp("exp")
    }

    /// When the token was issued (`iat`).
    #[must_use]
    pub fn issued_at(&self) -> Option<OffsetDateTime> {
        self.timestamp("iat")
    }

    fn timestamp(&self, claim: &str) -> Option<OffsetDateTime> {
        let seconds = self.claims.get(claim)?.as_f64()?;
        #[allow(clippy::cast_possible_truncation)]
        let nanos = (seconds * 1e9) as i128;
        OffsetDateTime::from_unix_timestamp_nanos(nanos).ok()
    }

    /// Whether the token is fresh now: `"fresh": true`, or a timestamp not yet passed.
    #[must_use]
    pub fn is_fresh(&self) -> bool {
        self.is_fresh_at(crate::clock::now_seconds())
    }

    pub(crate) fn is_fresh_at(&self, now: f64) -> bool {
        match self.claims.get("fresh") {
            Some(Value::Bool(fresh)) => *fresh,
            Some(Value::Number(until)) => until.as_f64().is_some_and(|until| until >= now),
            _ => false,
        }
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
