//! Refresh routes: Flask's new access token, or (opt-in) refresh-token rotation with reuse
//! detection, and the exchange of expired access tokens within a sliding window.
//!
//! The tokens of one login ([`JwtManager::create_token_pair`]) form a family: the `fam`
//! claim names it, `fam_exp` is when it ends, and every token refreshed, exchanged or
//! implicitly refreshed from them carries both on, so that a logout revokes the whole login.
//!
//! With `jwt_refresh_token_rotation`, each use of the current refresh token returns a new
//! pair and makes it the previous one; the previous one presented again within
//! `jwt_refresh_token_reuse_grace` gets the same successor (two tabs refreshing at once end
//! with one current token); any other rotated-out token revokes the whole family, access
//! tokens included (RFC 9700 §4.14.2).
//!
//! With `jwt_sliding_refresh_window`, an access token, expired or not, can be exchanged once
//! for a successor, which can be exchanged in turn, until the window has passed since the
//! login that started the chain (tymon/jwt-auth's `refresh_ttl`). Each successor carries the
//! chain's first `iat` and `jti` (`orig_iat`, `orig_jti`) and the predecessor's own claims;
//! a chain costs the store one entry however long it grows.
//!
//! May use: the manager, the revocation stores and everything below them; the fairing and the
//! integrations build on it.

use rocket::time::{Duration, OffsetDateTime};
use serde::Serialize;
use serde_json::Value;

use crate::error::JwtError;
use crate::manager::JwtManager;
use crate::revocation::{Exchange, Rotation, RotationOutcome, StoreError};
use crate::telemetry::record;
use crate::token::claims::DecodedToken;
use crate::token::claims::{int_claim, login_time};
use crate::token::encode::EncodeError;

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
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RefreshError {
    /// The token is refused (revoked, reused, outside the window, ...): answered like the
    /// guards answer it.
    #[error("refused: {0}")]
    Refused(JwtError),
    /// The store could not answer: 503.
    #[error("{0}")]
    Store(StoreError),
    /// The new token could not be created: 500.
    #[error("{0}")]
    Encode(EncodeError),
}

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

impl JwtManager {
    /// A login's pair: an access token (`fresh` as given) and a refresh token of one family:
    /// both carry the login's `fam` and its end `fam_exp` (the refresh token's expiry), so
    /// that [`logout`](Self::logout) and reuse detection revoke every token of the login, and
    /// tokens refreshed from it never outlive it.
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
    ///     Config::default().secret_key("an-example-secret-of-at-least-32-bytes").refresh_token_rotation(true),
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
        let (access, refresh) = self.token_pair(identity, fresh)?;
        Ok(TokenPair {
            access_token: access.create()?,
            refresh_token: refresh.create()?,
        })
    }

    /// [`create_token_pair`](Self::create_token_pair) after awaiting the application's async
    /// additional claims loader ([`ClaimsLoader`](crate::ClaimsLoader)) for each token.
    ///
    /// # Errors
    ///
    /// As for [`create_token_pair`](Self::create_token_pair), and
    /// [`EncodeError::ClaimsLoader`] when the loader fails.
    pub async fn create_token_pair_async(
        &self,
        identity: impl Serialize,
        fresh: bool,
    ) -> Result<TokenPair, EncodeError> {
        let (access, refresh) = self.token_pair(identity, fresh)?;
        Ok(TokenPair {
            access_token: access.create_async().await?,
            refresh_token: refresh.create_async().await?,
        })
    }

    /// The two tokens of a new login, not yet created.
    fn token_pair(
        &self,
        identity: impl Serialize,
        fresh: bool,
    ) -> Result<
        (
            crate::TokenBuilder<'_, crate::kind::Access>,
            crate::TokenBuilder<'_, crate::kind::Refresh>,
        ),
        EncodeError,
    > {
        let (access, refresh, _) = self.login_tokens(identity, fresh)?;
        Ok((access, refresh))
    }

    /// The two tokens of a new login, not yet created, and the login: its id (`fam`), when it
    /// was made (UNIX seconds) and when it ends (`fam_exp`).
    #[allow(clippy::type_complexity)]
    pub(crate) fn login_tokens(
        &self,
        identity: impl Serialize,
        fresh: bool,
    ) -> Result<
        (
            crate::TokenBuilder<'_, crate::kind::Access>,
            crate::TokenBuilder<'_, crate::kind::Refresh>,
            crate::revocation::Session,
        ),
        EncodeError,
    > {
        let identity = serde_json::to_value(identity).map_err(EncodeError::Serialize)?;
        let family = uuid::Uuid::new_v4().to_string();
        // When the login was made, finer than `iat`: a log-out everywhere refuses the logins
        // made until its instant, and a login in the same second after it works.
        let made = now_micros();
        let mut refresh = self
            .refresh_token(&identity)
            .claim("fam", &family)
            .claim("fam_iat", made);
        let mut access = self
            .access_token(&identity)
            .fresh(fresh)
            .claim("fam", &family)
            .claim("fam_iat", made);
        let mut ends_at = None;
        if let Some(lifetime) = self.config().refresh_token_expires.duration() {
            let end = OffsetDateTime::now_utc()
                .checked_add(lifetime)
                .ok_or(EncodeError::TimeOutOfRange)?
                .unix_timestamp();
            refresh = refresh.claim("fam_exp", end);
            access = access.claim("fam_exp", end);
            ends_at = Some(end);
        }
        let session = crate::revocation::Session::new(family, made / 1_000_000, None, ends_at);
        Ok((access, refresh, session))
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
        let carried = self.carried_claims(token);
        if !self.config().refresh_token_rotation {
            let access_token = self
                .login_access_token(token, &identity)
                .carrying(carried)
                .create_async()
                .await?;
            self.note_refresh(token).await;
            return Ok(Refreshed {
                access_token,
                refresh_token: None,
            });
        }
        let presented = token.jti().ok_or(StoreError::NoJti)?;
        let family = token.family().unwrap_or(presented).to_owned();
        let family_end = int_claim(token, "fam_exp");
        let next = uuid::Uuid::new_v4().to_string();
        let now = OffsetDateTime::now_utc().unix_timestamp();
        let rotation = Rotation {
            token,
            family: &family,
            presented,
            next: &next,
            now,
            grace: i64::try_from(self.config().refresh_token_reuse_grace).unwrap_or(i64::MAX),
            keep_until: family_end
                .or_else(|| token.expires_at().map(OffsetDateTime::unix_timestamp))
                .map(|end| {
                    end.saturating_add(self.config().decode_leeway.try_into().unwrap_or(i64::MAX))
                }),
            revoked_until: self.family_until(token),
        };
        let successor = match self.blocklist().rotate(&rotation).await? {
            RotationOutcome::Rotated => {
                record::refresh_rotated(false);
                next
            }
            RotationOutcome::Replayed { successor } => {
                record::refresh_rotated(true);
                successor
            }
            RotationOutcome::Reused => {
                record::refresh_reuse_detected();
                log::warn!(
                    "jwt-ext: refresh token reuse detected; revoked family {family} of {identity}"
                );
                return Err(JwtError::Revoked(token.refused()).into());
            }
        };
        // The successor lives a refresh lifetime, but never past the family's end.
        let mut refresh = self
            .refresh_token(&identity)
            .carrying(carried.clone())
            .claim("jti", &successor)
            .claim("fam", &family);
        if let Some(end) = family_end {
            refresh = refresh.claim("fam_exp", end);
            let lifetime = self.config().refresh_token_expires.duration();
            let capped = Duration::seconds(end - now);
            refresh = refresh.expires_in(lifetime.map_or(capped, |lifetime| lifetime.min(capped)));
        }
        let refreshed = Refreshed {
            access_token: self
                .access_token(&identity)
                .carrying(carried)
                .claim("fam", &family)
                .claim_if_some("fam_exp", family_end)
                .ends_by(family_end)
                .create_async()
                .await?,
            refresh_token: Some(refresh.create_async().await?),
        };
        self.note_refresh(token).await;
        Ok(refreshed)
    }

    /// The claims a token refreshed from `token` carries over: every claim but the registered
    /// ones jwt-ext sets (`jti`, `iat`, `nbf`, `exp`, `iss`, `aud`), the identity, `type`,
    /// `fresh` and `csrf`. So a `role` given at login survives every refresh; the additional
    /// claims loader's claims win over carried ones.
    pub(crate) fn carried_claims(&self, token: &DecodedToken) -> serde_json::Map<String, Value> {
        let mut claims = token.claims().clone();
        for managed in [
            "jti", "iat", "nbf", "exp", "iss", "aud", "type", "fresh", "csrf",
        ] {
            claims.remove(managed);
        }
        claims.remove(&self.config().identity_claim);
        claims
    }

    /// Notes the refresh on the login's session, if the store keeps one: a failure costs the
    /// list its `last_refreshed_at`, not the refresh.
    async fn note_refresh(&self, token: &DecodedToken) {
        let Some(family) = token.family() else { return };
        let at = OffsetDateTime::now_utc().unix_timestamp();
        if let Err(error) = self
            .blocklist()
            .touch_session(&crate::revocation::owner(token), family, at)
            .await
        {
            log::warn!("jwt-ext: the refresh of a session could not be noted: {error}");
        }
    }

    /// A new access token of `token`'s login: the same `fam` and `fam_exp`, expiring by the
    /// login's end.
    fn login_access_token<'a>(
        &'a self,
        token: &DecodedToken,
        identity: &Value,
    ) -> crate::TokenBuilder<'a, crate::kind::Access> {
        let end = int_claim(token, "fam_exp");
        self.access_token(identity)
            .claim_if_some("fam", token.family())
            .claim_if_some("fam_exp", end)
            .ends_by(end)
    }

    /// The exchange of an access token, expired or not, for its successor
    /// (`jwt_sliding_refresh_window`; tymon/jwt-auth's refresh): each token of a chain can be
    /// exchanged once, until the window has passed since the login that started the chain.
    ///
    /// The successor keeps the presented token's claims (not `jti`, `iat`, `nbf`, `exp`,
    /// `fresh`, `csrf`), lives an access lifetime, carries the chain's first `iat` and `jti`
    /// (`orig_iat`, `orig_jti`) and the login's `fam` (a chain without one becomes its own
    /// login, so that a logout ends it). The presented token is refused from then on, after
    /// `jwt_sliding_refresh_grace` seconds on protected routes (requests already in flight)
    /// and at once for another exchange. A revoked token or login cannot be exchanged.
    ///
    /// # Errors
    ///
    /// [`RefreshError::Refused`]: 401 `Token has expired` past the window, 401
    /// `Token has been revoked` when already exchanged or revoked, 422 for a refresh token or
    /// an invalid one; [`RefreshError::Store`]; a misconfiguration (no window) is a 500.
    pub async fn exchange_expired(&self, encoded: &str) -> Result<String, RefreshError> {
        if self.config().sliding_refresh_window.is_none() {
            return Err(JwtError::Misconfigured(
                "`exchange_expired` needs `jwt_sliding_refresh_window`".into(),
            )
            .into());
        }
        let token = self.decode_token_allow_expired(encoded)?;
        if token.is_refresh() {
            return Err(JwtError::WrongTokenType {
                refresh_required: false,
            }
            .into());
        }
        let now = OffsetDateTime::now_utc().unix_timestamp();
        let window_end = self.exchange_window_end(&token);
        if window_end.is_none_or(|end| now > end) {
            return Err(JwtError::Expired(token.refused()).into());
        }
        // The exchange step refuses a revoked token or login itself, atomically with the
        // replacement: no separate revocation check first.
        let presented = token.jti().ok_or(StoreError::NoJti)?;
        let chain = token.chain().unwrap_or(presented).to_owned();
        let next = uuid::Uuid::new_v4().to_string();
        let access = self
            .config()
            .access_token_expires
            .duration()
            .map(Duration::whole_seconds);
        let exchange = Exchange {
            token: &token,
            chain: &chain,
            presented,
            next: &next,
            now,
            grace: i64::try_from(self.config().sliding_refresh_grace).unwrap_or(i64::MAX),
            presented_until: self.usable_until(&token),
            // The chain's last token is issued by the window's end and lives an access
            // lifetime.
            chain_until: window_end.zip(access).map(|(end, access)| {
                end.saturating_add(access)
                    .saturating_add(self.config().decode_leeway.try_into().unwrap_or(i64::MAX))
            }),
        };
        if !self.blocklist().exchange(&exchange).await? {
            return Err(JwtError::Revoked(token.refused()).into());
        }
        let mut claims = token.claims().clone();
        for managed in ["jti", "iat", "nbf", "exp", "fresh", "type", "csrf"] {
            claims.remove(managed);
        }
        claims.remove(&self.config().identity_claim);
        claims.insert("orig_iat".into(), login_time(&token).into());
        claims.insert("orig_jti".into(), chain.clone().into());
        claims.entry("fam").or_insert_with(|| chain.into());
        let successor = self
            .access_token(token.identity())
            .additional_claims(claims)
            .claim("jti", next);
        Ok(successor.create_async().await?)
    }
}

/// Now, in microseconds since the UNIX epoch.
pub(crate) fn now_micros() -> i64 {
    i64::try_from(OffsetDateTime::now_utc().unix_timestamp_nanos() / 1000).unwrap_or(i64::MAX)
}
