//! [`Session`]: one login of an identity as a store keeps it, so that the identity can list
//! its logins, end one, or end them all.

use serde::{Deserialize, Serialize};

use crate::token::claims::DecodedToken;

/// One login (a session) of an identity: the tokens of one [`JwtManager::login`] share its
/// [`id`](Self::id) as their `fam` claim, through every refresh and rotation.
///
/// [`JwtManager::login`]: crate::JwtManager::login
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Session {
    /// The login's id: its tokens' `fam` claim.
    pub id: String,
    /// When the login was made (UNIX seconds).
    pub created_at: i64,
    /// When a refresh token of the login was last used (UNIX seconds); `None`: never.
    pub last_refreshed_at: Option<i64>,
    /// What the application said of the login when it was made (a device name, a user
    /// agent); `None` when it said nothing.
    pub label: Option<String>,
    /// When the login ends (UNIX seconds; its refresh token's expiry); `None`: never.
    pub expires_at: Option<i64>,
    /// Whether the token that asked for the list belongs to this login.
    #[serde(default)]
    pub current: bool,
}

impl Session {
    /// A login made at `created_at`, ending at `expires_at`, never refreshed yet.
    #[must_use]
    pub fn new(
        id: impl Into<String>,
        created_at: i64,
        label: Option<String>,
        expires_at: Option<i64>,
    ) -> Self {
        Self {
            id: id.into(),
            created_at,
            last_refreshed_at: None,
            label,
            expires_at,
            current: false,
        }
    }

    /// Whether the login has ended by `now` (UNIX seconds).
    #[must_use]
    pub fn ended(&self, now: i64) -> bool {
        self.expires_at.is_some_and(|end| end < now)
    }
}

/// When `token`'s login was made, in microseconds since the UNIX epoch: its `fam_iat` claim,
/// else its `iat` (a token issued alone, or by another issuer), taken at the start of its
/// second. `None` when it has neither.
pub(crate) fn login_micros(token: &DecodedToken) -> Option<i64> {
    let claims = token.claims();
    if let Some(micros) = claims.get("fam_iat").and_then(serde_json::Value::as_i64) {
        return Some(micros);
    }
    // Float-to-int `as` saturates.
    #[allow(clippy::cast_possible_truncation)]
    claims
        .get("iat")
        .and_then(serde_json::Value::as_f64)
        .map(|iat| (iat.floor() as i64).saturating_mul(1_000_000))
}

/// Whether `token` was issued before its identity logged out everywhere at `before`
/// (microseconds): every token of a login made until then is refused, a login made after it
/// works. A token whose issue time is unknown is refused.
pub(crate) fn logged_out_by(token: &DecodedToken, before: i64) -> bool {
    login_micros(token).is_none_or(|made| made <= before)
}
