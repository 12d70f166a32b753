//! Revoking tokens and logins, and how long a revocation must last.

use crate::revocation::{Blocklist, RevokeError, StoreError};
use rocket::time::OffsetDateTime;

use crate::error::JwtError;
use crate::telemetry::record;
use crate::token::claims::{int_claim, login_time, DecodedToken};

use super::JwtManager;

impl JwtManager {
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
            .await?;
        record::token_revoked();
        Ok(())
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
        self.revoke_family_or_token(token).await?;
        record::session_revoked("logout");
        Ok(())
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
        let now = OffsetDateTime::now_utc().unix_timestamp();
        let bound = if token.chain().is_some() && token.chain() == token.family() {
            // A login that exchanges alone: its chain ends with the window.
            self.exchange_window_end(token)?
                .saturating_add(access)
                .saturating_add(self.leeway_seconds())
        } else {
            let end = match int_claim(token, "fam_exp") {
                Some(end) => end,
                None => {
                    now.saturating_add(config.refresh_token_expires.duration()?.whole_seconds())
                }
            };
            self.login_until(Some(end))?
        };
        Some(bound.max(self.usable_until(token)?))
    }

    /// Until when the tokens of a login ending at `end` (UNIX seconds) can be used: an access
    /// token issued at its end lives an access lifetime, may be exchanged for a window, and
    /// the leeway. `None`: never ends.
    pub(crate) fn login_until(&self, end: Option<i64>) -> Option<i64> {
        let config = self.config();
        let access = config.access_token_expires.duration()?.whole_seconds();
        let window = config
            .sliding_refresh_window
            .map_or(0, |window| i64::try_from(window).unwrap_or(i64::MAX));
        Some(
            end?.saturating_add(access)
                .saturating_add(window)
                .saturating_add(self.leeway_seconds()),
        )
    }

    fn leeway_seconds(&self) -> i64 {
        i64::try_from(self.config.decode_leeway).unwrap_or(i64::MAX)
    }
}
