//! Refresh routes: Flask's new access token, or (opt-in) refresh-token rotation with reuse
//! detection, and seed 001's sliding window.
//!
//! With `jwt_refresh_token_rotation`, the tokens of one login form a family (`fam` claim;
//! `fam_exp` is when it ends). Each use of the current refresh token returns a new pair and
//! makes it the previous one; the previous one presented again within
//! `jwt_refresh_token_reuse_grace` gets the same successor (two tabs refreshing at once end
//! with one current token); any other rotated-out token revokes the whole family, access
//! tokens included (RFC 9700 §4.14.2).

use rocket::time::{Duration, OffsetDateTime};
use serde::Serialize;
use serde_json::Value;

use crate::claims::DecodedToken;
use crate::error::JwtError;
use crate::manager::JwtManager;
use crate::revocation::{Rotation, RotationOutcome, StoreError};
use crate::token::EncodeError;

/// What a refresh route answers: a new access token, and with rotation a new refresh token.
/// Serializes as `{"access_token": ..., "refresh_token": ...}` (no `refresh_token` without
/// rotation).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Refreshed {
    /// The new access token (not fresh).
    pub access_token: String,
    /// The successor refresh token, with rotation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
}

/// A login's tokens: a fresh-or-not access token and a refresh token of one family.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TokenPair {
    /// The access token.
    pub access_token: String,
    /// The refresh token.
    pub refresh_token: String,
}

/// Why a refresh or an exchange failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum RefreshError {
    /// The token is refused (revoked, reused, outside the window, ...): answered like the
    /// guards answer it.
    Refused(JwtError),
    /// The store could not answer: 503.
    Store(StoreError),
    /// The new token could not be created: 500.
    Encode(EncodeError),
}

impl std::fmt::Display for RefreshError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Refused(error) => write!(f, "refused: {error}"),
            Self::Store(error) => error.fmt(f),
            Self::Encode(error) => error.fmt(f),
        }
    }
}

impl std::error::Error for RefreshError {}

impl From<JwtError> for RefreshError {
    fn from(error: JwtError) -> Self {
        Self::Refused(error)
    }
}

impl From<StoreError> for RefreshError {
    fn from(error: StoreError) -> Self {
        Self::Store(error)
    }
}

impl From<EncodeError> for RefreshError {
    fn from(error: EncodeError) -> Self {
        Self::Encode(error)
    }
}

impl<'r> rocket::response::Responder<'r, 'static> for RefreshError {
    fn respond_to(self, request: &'r rocket::Request<'_>) -> rocket::response::Result<'static> {
        match self {
            Self::Refused(error) => error.respond_to(request),
            Self::Store(error) => error.respond_to(request),
            Self::Encode(error) => error.respond_to(request),
        }
    }
}

fn int_claim(token: &DecodedToken, name: &str) -> Option<i64> {
    #[allow(clippy::cast_possible_truncation)]
    token
        .claims()
        .get(name)
        .and_then(Value::as_f64)
        .map(|value| value as i64)
}

impl JwtManager {
    /// A login's pair: an access token (`fresh` as given) and a refresh token; with rotation
    /// both carry the new family's `fam`, so reuse detection also cuts off this access token.
    ///
    /// # Errors
    ///
    /// An [`EncodeError`], as for [`create_access_token`](Self::create_access_token).
    ///
    /// # Example
    ///
    /// ```
    /// use jwt_ext::{Config, JwtManager};
    ///
    /// let jwt = JwtManager::new(
    ///     Config::default().secret_key("k".repeat(32)).refresh_token_rotation(true),
    /// ).unwrap();
    /// let pair = jwt.create_token_pair("alice", true).unwrap();
    /// let access = jwt.decode_token(&pair.access_token).unwrap();
    /// let refresh = jwt.decode_token(&pair.refresh_token).unwrap();
    /// assert_eq!(access.claims()["fam"], refresh.claims()["fam"]);
    /// ```
    pub fn create_token_pair(
        &self,
        identity: impl Serialize,
        fresh: bool,
    ) -> Result<TokenPair, EncodeError> {
        let identity = serde_json::to_value(identity).map_err(EncodeError::Serialize)?;
        let mut refresh = self.refresh_token(&identity);
        let mut access = self.access_token(&identity).fresh(fresh);
        if self.config().refresh_token_rotation {
            let family = uuid::Uuid::new_v4().to_string();
            refresh = refresh.claim("fam", &family);
            access = access.claim("fam", &family);
        }
        Ok(TokenPair {
            access_token: access.create()?,
            refresh_token: refresh.create()?,
        })
    }

    /// The body of a refresh route, given its verified refresh token: a new access token
    /// (not fresh) as in Flask, and with `jwt_refresh_token_rotation` a new refresh token too,
    /// after the rotation step (see the module docs). A rotated-out token answers
    /// 401 `Token has been revoked`, and its whole family is revoked.
    ///
    /// # Errors
    ///
    /// [`RefreshError::Refused`] on reuse, [`RefreshError::Store`] when the store fails
    /// (or cannot rotate: an application's own store), [`RefreshError::Encode`].
    ///
    /// # Example
    ///
    /// ```
    /// use jwt_ext::{jwt_required, Jwt, JwtManager, RefreshError, Refreshed};
    /// use rocket::post;
    /// use rocket::serde::json::Json;
    ///
    /// #[jwt_required(refresh)]
    /// #[post("/refresh")]
    /// async fn refresh(jwt: &JwtManager, token: Jwt) -> Result<Json<Refreshed>, RefreshError> {
    ///     jwt.refresh(&token).await.map(Json)
    /// }
    /// ```
    pub async fn refresh(&self, token: &DecodedToken) -> Result<Refreshed, RefreshError> {
        let identity = token.identity().clone();
        if !self.config().refresh_token_rotation {
            return Ok(Refreshed {
                access_token: self.create_access_token(&identity)?,
                refresh_token: None,
            });
        }
        let presented = token.jti().ok_or(StoreError::NoJti)?;
        let family = token.family().unwrap_or(presented).to_owned();
        let family_end = int_claim(token, "fam_exp");
        let next = uuid::Uuid::new_v4().to_string();
        let now = OffsetDateTime::now_utc().unix_timestamp();
        let rotation = Rotation {
            family: &family,
            presented,
            next: &next,
            now,
            grace: i64::try_from(self.config().refresh_token_reuse_grace).unwrap_or(i64::MAX),
            keep_until: family_end
                .or_else(|| token.expires_at().map(OffsetDateTime::unix_timestamp)),
        };
        let successor = match self.blocklist().rotate(&rotation).await? {
            RotationOutcome::Rotated => next,
            RotationOutcome::Replayed { successor } => successor,
            RotationOutcome::Reused => {
                log::warn!(
                    "jwt-ext: refresh token reuse detected; revoked family {family} of {identity}"
                );
                return Err(JwtError::Revoked(token.refused()).into());
            }
        };
        // The successor lives a refresh lifetime, but never past the family's end.
        let mut refresh = self
            .refresh_token(&identity)
            .claim("jti", &successor)
            .claim("fam", &family);
        if let Some(end) = family_end {
            refresh = refresh.claim("fam_exp", end);
            let lifetime = self.config().refresh_token_expires.duration();
            let capped = Duration::seconds(end - now);
            refresh = refresh.expires_in(lifetime.map_or(capped, |lifetime| lifetime.min(capped)));
        }
        Ok(Refreshed {
            access_token: self
                .access_token(&identity)
                .claim("fam", &family)
                .create()?,
            refresh_token: Some(refresh.create()?),
        })
    }

    /// Seed 001's sliding window: exchanges an access token, expired or not, for a new one,
    /// once, until `jwt_sliding_refresh_window` seconds after its `iat`. The exchanged token
    /// is revoked, so it cannot be exchanged twice.
    ///
    /// # Errors
    ///
    /// [`RefreshError::Refused`]: 401 `Token has expired` past the window, 401
    /// `Token has been revoked` when already exchanged or revoked, 422 for a refresh token or
    /// an invalid one; [`RefreshError::Store`]; a misconfiguration (no window) is a 500.
    pub async fn exchange_expired(&self, encoded: &str) -> Result<String, RefreshError> {
        let Some(window) = self.config().sliding_refresh_window else {
            return Err(JwtError::Misconfigured(
                "`exchange_expired` needs `jwt_sliding_refresh_window`".into(),
            )
            .into());
        };
        let token = self.decode_token_allow_expired(encoded)?;
        if token.is_refresh() {
            return Err(JwtError::WrongTokenType {
                refresh_required: false,
            }
            .into());
        }
        let window = i64::try_from(window).unwrap_or(i64::MAX);
        let window_end = int_claim(&token, "iat").map(|iat| iat.saturating_add(window));
        let now = OffsetDateTime::now_utc().unix_timestamp();
        if window_end.is_none_or(|end| now > end) {
            return Err(JwtError::Expired(token.refused()).into());
        }
        if self.blocklist().is_revoked(&token).await?
            || !self.blocklist().revoke_once(&token, window_end).await?
        {
            return Err(JwtError::Revoked(token.refused()).into());
        }
        let mut access = self.access_token(token.identity());
        if let Some(fam) = token.family() {
            access = access.claim("fam", fam);
        }
        Ok(access.create()?)
    }
}
