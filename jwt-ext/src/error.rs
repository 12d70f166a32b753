//! Why a request's token was refused, and the HTTP answer for each reason.
//!
//! Every variant maps to the status and message Flask-JWT-Extended gives for the same condition
//! (its error handlers and PyJWT's messages), so a client written against a Flask API sees the same
//! answers from a Rocket one.
//!
//! A leaf: uses nothing else of the crate.

use std::fmt::Write;

use rocket::http::Status;
use serde_json::{Map, Value};

/// A token was missing from the request, or present and refused.
///
/// The [`status`](Self::status) and [`message`](Self::message) are Flask-JWT-Extended's for the
/// same condition. As a Rocket [`Responder`](rocket::response::Responder) it answers
/// `{"msg": message}` with that status (the key is `jwt_error_message_key`), plus
/// `WWW-Authenticate: Bearer` on a 401.
///
/// # Example
///
/// ```
/// use jwt_ext::JwtError;
/// use rocket::http::Status;
///
/// let error = JwtError::WrongTokenType { refresh_required: true };
/// assert_eq!(error.status(), Status::UnprocessableEntity);
/// assert_eq!(error.message(), "Only refresh tokens are allowed");
/// ```
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum JwtError {
    /// No token where one was looked for (Flask's `NoAuthorizationError`): 401.
    ///
    /// The message names what was missing, e.g. `Missing Authorization Header`.
    NoAuthorization(String),
    /// The header that should carry the token is malformed (Flask's `InvalidHeaderError`): 422.
    InvalidHeader(String),
    /// The query parameter that should carry the token lacks the configured prefix (Flask's
    /// `InvalidQueryParamError`): 422.
    InvalidQueryParam(String),
    /// A cookie-borne token failed the CSRF double submit (Flask's `CSRFError`): 401
    /// `Missing CSRF token` or `CSRF double submit tokens do not match`.
    Csrf(String),
    /// The token could not be decoded or failed verification (PyJWT's errors): 422.
    ///
    /// The message is PyJWT's, e.g. `Signature verification failed`.
    Invalid(String),
    /// An access token was sent where a refresh token is required, or the reverse: 422.
    WrongTokenType {
        /// `true` when the route requires a refresh token and got another type.
        refresh_required: bool,
    },
    /// The token's `exp` is in the past: 401 `Token has expired`.
    ///
    /// Carries the token's header and claims (verified but for `exp`), as Flask's
    /// `expired_token_loader` receives them.
    Expired(Box<RefusedToken>),
    /// The route requires a fresh token and this one is not (or no longer) fresh:
    /// 401 `Fresh token required`. Carries the token's header and claims, as Flask's
    /// `needs_fresh_token_loader` receives them.
    FreshRequired(Box<RefusedToken>),
    /// The token was revoked (logout, rotation reuse): 401 `Token has been revoked`.
    Revoked(Box<RefusedToken>),
    /// The revocation store could not answer, so the request is refused (fail closed):
    /// 503 `Token revocation store unavailable`. The reason is logged, not sent.
    StoreUnavailable(String),
    /// Revoking this token would take its identity past the number of revocation entries
    /// one identity may hold in the in-memory store (`jwt_blocklist_max_entries_per_identity`):
    /// 429 `Too many revocations for this identity`. Other identities are unaffected.
    RevocationQuota,
    /// The application's token verification loader refused the claims
    /// (Flask's `token_verification_loader` returning `False`): 400
    /// `User claims verification failed`.
    ClaimsVerificationFailed(Box<RefusedToken>),
    /// The application's async token verification loader
    /// ([`TokenVerifier`](crate::TokenVerifier)) could not answer, so the request is refused
    /// (fail closed): 503 `Token verification unavailable`. The reason is logged, not sent.
    VerificationUnavailable(String),
    /// The application's user lookup found no user for the token (Flask's
    /// `user_lookup_loader` returning `None`): 401 `Error loading the user <identity>`.
    UserLookupFailed(Box<RefusedToken>),
    /// The token is valid but does not meet the route's claims requirement
    /// (`#[jwt_required(claims = ...)]`, [`Authorized`](crate::Authorized)): 403 with the
    /// requirement's message.
    Forbidden(String),
    /// The token is valid but not meant for this service: its `aud` lacks the route's audience
    /// (`#[jwt_required(audience = ...)]`, [`has_audience`](crate::has_audience)), or an
    /// external issuer's audience (`jwt_issuers`, `jwt_oidc_issuer`). 401 with
    /// `WWW-Authenticate: Bearer error="invalid_token"` (RFC 6750 §3.1); the message is PyJWT's
    /// (`Audience doesn't match`). Flask's own `jwt_decode_audience` on this app's tokens keeps
    /// Flask's 422 ([`Invalid`](Self::Invalid)).
    WrongAudience(String),
    /// The token is valid but its login is too old or too weak for the route (a step-up
    /// requirement: [`acr_in`](crate::acr_in), [`auth_max_age`](crate::auth_max_age)): 401
    /// with RFC 9470's `WWW-Authenticate: Bearer error="insufficient_user_authentication"`,
    /// naming the `acr_values` or `max_age` a new login must meet.
    InsufficientUserAuthentication(StepUp),
    /// jwt-ext cannot serve this request as configured: its fairing was not attached, or a
    /// guard needs a loader that was not registered. 500; the reason is logged.
    Misconfigured(String),
    /// jwt-ext is not set up for this request: its fairing was not attached. 500.
    ///
    /// A route that uses a jwt-ext guard refuses to launch without the fairing (a Rocket
    /// sentinel), so this is only seen when a guard is called by hand.
    NotConfigured,
}

/// Why an application's loader could not answer (its database is down, say): any error.
pub type LoaderError = Box<dyn std::error::Error + Send + Sync>;

/// The header and claims of a token that was verified but refused (expired, not fresh).
///
/// Its `Debug` shows the token's `jti` alone: it is what Rocket logs when a guard refuses, and a
/// log must not hold the token's claims (its identity, its CSRF value).
#[derive(Clone, PartialEq)]
pub struct RefusedToken {
    /// The token's JOSE header.
    pub header: Map<String, Value>,
    /// The token's claims.
    pub claims: Map<String, Value>,
    /// The value of the identity claim (`Null` if the token has none).
    pub identity: Value,
}

impl std::fmt::Debug for RefusedToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let jti = self.claims.get("jti").and_then(Value::as_str);
        f.debug_struct("RefusedToken")
            .field("jti", &jti)
            .finish_non_exhaustive()
    }
}

impl RefusedToken {
    /// The identity as Flask prints it: a string as is, anything else as JSON.
    fn identity_text(&self) -> String {
        match &self.identity {
            Value::String(identity) => identity.clone(),
            other => other.to_string(),
        }
    }
}

impl JwtError {
    /// The `reason` label of [`REQUESTS_REFUSED`](crate::telemetry::REQUESTS_REFUSED).
    #[cfg_attr(not(feature = "metrics"), allow(dead_code))]
    pub(crate) fn reason(&self) -> &'static str {
        match self {
            Self::NoAuthorization(_) => "missing",
            Self::InvalidHeader(_) | Self::InvalidQueryParam(_) | Self::Invalid(_) => "invalid",
            Self::Csrf(_) => "csrf",
            Self::WrongTokenType { .. } => "wrong_type",
            Self::Expired(_) => "expired",
            Self::FreshRequired(_) => "needs_fresh",
            Self::Revoked(_) => "revoked",
            Self::StoreUnavailable(_) => "store_unavailable",
            Self::RevocationQuota => "revocation_quota",
            Self::ClaimsVerificationFailed(_) => "claims_verification_failed",
            Self::VerificationUnavailable(_) => "verification_unavailable",
            Self::UserLookupFailed(_) => "user_lookup_failed",
            Self::Forbidden(_) => "forbidden",
            Self::WrongAudience(_) => "wrong_audience",
            Self::InsufficientUserAuthentication(_) => "insufficient_user_authentication",
            Self::Misconfigured(_) | Self::NotConfigured => "misconfigured",
        }
    }

    /// The HTTP status Flask-JWT-Extended answers for this error.
    ///
    /// # Example
    ///
    /// ```
    /// # use jwt_ext::JwtError;
    /// # use rocket::http::Status;
    /// let missing = JwtError::NoAuthorization("Missing Authorization Header".into());
    /// assert_eq!(missing.status(), Status::Unauthorized);
    /// ```
    #[must_use]
    pub fn status(&self) -> Status {
        match self {
            Self::NoAuthorization(_)
            | Self::Csrf(_)
            | Self::Expired(_)
            | Self::FreshRequired(_)
            | Self::UserLookupFailed(_)
            | Self::WrongAudience(_)
            | Self::InsufficientUserAuthentication(_)
            | Self::Revoked(_) => Status::Unauthorized,
            Self::StoreUnavailable(_) | Self::VerificationUnavailable(_) => {
                Status::ServiceUnavailable
            }
            Self::RevocationQuota => Status::TooManyRequests,
            Self::ClaimsVerificationFailed(_) => Status::BadRequest,
            Self::Forbidden(_) => Status::Forbidden,
            Self::InvalidHeader(_)
            | Self::InvalidQueryParam(_)
            | Self::Invalid(_)
            | Self::WrongTokenType { .. } => Status::UnprocessableEntity,
            Self::Misconfigured(_) | Self::NotConfigured => Status::InternalServerError,
        }
    }

    /// The message of the JSON body, word for word Flask-JWT-Extended's.
    ///
    /// # Example
    ///
    /// ```
    /// # use jwt_ext::JwtError;
    /// let wrong = JwtError::WrongTokenType { refresh_required: false };
    /// assert_eq!(wrong.message(), "Only non-refresh tokens are allowed");
    /// ```
    #[must_use]
    pub fn message(&self) -> std::borrow::Cow<'_, str> {
        match self {
            Self::NoAuthorization(msg)
            | Self::InvalidHeader(msg)
            | Self::InvalidQueryParam(msg)
            | Self::Csrf(msg)
            | Self::Invalid(msg)
            | Self::WrongAudience(msg)
            | Self::Forbidden(msg) => msg.as_str().into(),
            Self::InsufficientUserAuthentication(step_up) => step_up.message().into(),
            Self::UserLookupFailed(token) => {
                format!("Error loading the user {}", token.identity_text()).into()
            }
            Self::ClaimsVerificationFailed(_) => "User claims verification failed".into(),
            Self::Revoked(_) => "Token has been revoked".into(),
            Self::StoreUnavailable(_) => "Token revocation store unavailable".into(),
            Self::VerificationUnavailable(_) => "Token verification unavailable".into(),
            Self::RevocationQuota => "Too many revocations for this identity".into(),
            Self::Misconfigured(_) => "Internal Server Error".into(),
            Self::WrongTokenType {
                refresh_required: true,
            } => "Only refresh tokens are allowed".into(),
            Self::WrongTokenType {
                refresh_required: false,
            } => "Only non-refresh tokens are allowed".into(),
            Self::Expired(_) => "Token has expired".into(),
            Self::FreshRequired(_) => "Fresh token required".into(),
            Self::NotConfigured => {
                "jwt-ext is not configured: attach `JwtManager::fairing()`".into()
            }
        }
    }

    /// Whether the request carried a token at all (as opposed to none being found).
    ///
    /// RFC 6750 asks for `error="invalid_token"` in `WWW-Authenticate` only in that case.
    #[must_use]
    pub fn token_was_present(&self) -> bool {
        !matches!(
            self,
            Self::NoAuthorization(_)
                | Self::NotConfigured
                | Self::Misconfigured(_)
                | Self::StoreUnavailable(_)
                | Self::VerificationUnavailable(_)
        )
    }

    /// The `WWW-Authenticate` challenge of the default answer (RFC 6750 §3): `Bearer` for a
    /// missing token, `Bearer error="invalid_token"` for any other 401,
    /// `Bearer error="insufficient_user_authentication"` with `acr_values` / `max_age` for a
    /// step-up refusal (RFC 9470), `Bearer error="insufficient_scope"` for a token refused by
    /// a claims requirement (403), `None` otherwise. Refusals write exactly this header.
    ///
    /// # Example
    ///
    /// ```
    /// # use jwt_ext::JwtError;
    /// let missing = JwtError::NoAuthorization("Missing Authorization Header".into());
    /// assert_eq!(missing.www_authenticate().as_deref(), Some("Bearer"));
    /// let wrong = JwtError::WrongTokenType { refresh_required: true };
    /// assert_eq!(wrong.www_authenticate(), None);
    /// ```
    #[must_use]
    pub fn www_authenticate(&self) -> Option<std::borrow::Cow<'static, str>> {
        self.challenge(self.status())
    }

    /// The challenge for this refusal answered with `status` (an application's own answer may
    /// change the status): the one rule for every refusal's `WWW-Authenticate`.
    pub(crate) fn challenge(&self, status: Status) -> Option<std::borrow::Cow<'static, str>> {
        // Compared by code: `Status` is not usable as a pattern on every Rocket 0.5.x.
        match (status.code, self) {
            (401, Self::InsufficientUserAuthentication(step_up)) => {
                Some(step_up.challenge().into())
            }
            (401, _) if self.token_was_present() => Some(r#"Bearer error="invalid_token""#.into()),
            (401, _) => Some("Bearer".into()),
            // Only a claims requirement's refusal is about scope; another error an application
            // answers with 403 says nothing of the token's scope.
            (403, Self::Forbidden(_)) => Some(r#"Bearer error="insufficient_scope""#.into()),
            _ => None,
        }
    }
}

/// Why a login does not meet a step-up requirement, and what a new one must meet: the
/// `acr_values` and `max_age` of RFC 9470's challenge, which a client passes on to its OpenID
/// provider's authorization request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepUp {
    acr_values: Vec<String>,
    max_age: Option<u64>,
}

impl StepUp {
    /// What a new login must meet: one of `acr_values` (empty: any), at most `max_age` old.
    pub(crate) fn new(acr_values: Vec<String>, max_age: Option<u64>) -> Self {
        Self {
            acr_values,
            max_age,
        }
    }

    /// The authentication context classes any of which would do (empty: any).
    #[must_use]
    pub fn acr_values(&self) -> &[String] {
        &self.acr_values
    }

    /// The most seconds since the login that would do, if the requirement is about age.
    #[must_use]
    pub fn max_age(&self) -> Option<u64> {
        self.max_age
    }

    /// The body's message: RFC 9470's descriptions.
    pub(crate) fn message(&self) -> &'static str {
        if self.max_age.is_some() {
            StepUp::TOO_OLD
        } else {
            StepUp::TOO_WEAK
        }
    }

    /// The message of a login older than a `max_age` allows (RFC 9470's description).
    pub(crate) const TOO_OLD: &'static str = "More recent authentication is required";

    /// The message of a login of another authentication class (RFC 9470's description).
    pub(crate) const TOO_WEAK: &'static str = "A different authentication level is required";

    /// `Bearer error="insufficient_user_authentication", ...` with the description and what
    /// a new login must meet.
    pub(crate) fn challenge(&self) -> String {
        let mut challenge = format!(
            r#"Bearer error="insufficient_user_authentication", error_description="{}""#,
            self.message()
        );
        // Writing to a `String` cannot fail.
        if !self.acr_values.is_empty() {
            let _ = write!(
                challenge,
                r#", acr_values="{}""#,
                quoted(&self.acr_values.join(" "))
            );
        }
        if let Some(max_age) = self.max_age {
            let _ = write!(challenge, r#", max_age="{max_age}""#);
        }
        challenge
    }
}

/// `text` as the inside of an RFC 9110 quoted string.
fn quoted(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_control())
        .flat_map(|c| match c {
            '"' | '\\' => vec!['\\', c],
            c => vec![c],
        })
        .collect()
}

// Flask's message, which several variants compute (from the locations searched, the CSRF
// settings, ...): one `Display` for all of them rather than a format string per variant.
impl std::fmt::Display for JwtError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_values_cannot_break_the_header() {
        assert_eq!(quoted(r#"a"b\c"#), r#"a\"b\\c"#);
        assert_eq!(quoted("a\r\nb"), "ab");
    }
}
