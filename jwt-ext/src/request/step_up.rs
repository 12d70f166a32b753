//! Requirements that answer 401 rather than 403: the token's audience
//! ([`has_audience`]) and, for tokens of an external OpenID provider, how recent and how strong
//! its login was ([`auth_max_age`], [`acr_in`]; RFC 9470's step-up).

use serde_json::Value;

use crate::clock::now_seconds;
use crate::error::{JwtError, StepUp};
use crate::request::authz::{claim_contains, ClaimsRequirement};
use crate::token::claims::DecodedToken;

/// The token's `aud` (a string or a list) names one of these audiences; else 401
/// [`JwtError::WrongAudience`] with `WWW-Authenticate: Bearer error="invalid_token"`.
///
/// The requirement behind `#[jwt_required(audience = "orders-api")]`. As a guard,
/// [`Authorized<R>`](crate::Authorized) with an `R` whose `verdict` (not only `check`)
/// delegates to it, so that the refusal stays a 401:
///
/// ```
/// use jwt_ext::{has_audience, Authorized, ClaimsRequirement, DecodedToken, JwtError};
///
/// #[derive(Default)]
/// struct OrdersApi;
///
/// impl ClaimsRequirement for OrdersApi {
///     fn check(&self, token: &DecodedToken) -> Result<(), String> {
///         has_audience(["orders-api"]).check(token)
///     }
///
///     fn verdict(&self, token: &DecodedToken) -> Result<(), JwtError> {
///         has_audience(["orders-api"]).verdict(token)
///     }
/// }
///
/// #[rocket::get("/orders")]
/// fn orders(token: Authorized<OrdersApi>) -> String {
///     format!("orders of {}", token.identity())
/// }
/// ```
///
/// # Example
///
/// ```
/// use jwt_ext::{has_audience, ClaimsRequirement, Config, JwtError, JwtManager};
///
/// let jwt = JwtManager::new(Config::default().secret_key("an-example-secret-of-at-least-32-bytes")).unwrap();
/// let token = jwt.access_token("alice").claim("aud", ["orders-api", "billing-api"]).create().unwrap();
/// let token = jwt.decode_token(&token).unwrap();
///
/// assert!(has_audience(["orders-api"]).verdict(&token).is_ok());
/// let refused = has_audience(["reports-api"]).verdict(&token).unwrap_err();
/// assert_eq!(refused, JwtError::WrongAudience("Audience doesn't match".into()));
/// assert_eq!(refused.status().code, 401);
/// ```
#[must_use]
pub fn has_audience<I, S>(audiences: I) -> HasAudience
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    HasAudience(audiences.into_iter().map(Into::into).collect())
}

/// Made by [`has_audience`].
#[derive(Debug, Clone)]
pub struct HasAudience(Vec<String>);

impl ClaimsRequirement for HasAudience {
    fn check(&self, token: &DecodedToken) -> Result<(), String> {
        audience_check(self.0.iter().map(String::as_str), token)
    }

    fn verdict(&self, token: &DecodedToken) -> Result<(), JwtError> {
        self.check(token).map_err(JwtError::WrongAudience)
    }
}

/// The audience rule of [`has_audience`], on borrowed names (what `audience = ...` on the
/// attribute checks, without building a requirement per request).
pub(crate) fn audience_check<'a>(
    mut audiences: impl Iterator<Item = &'a str>,
    token: &DecodedToken,
) -> Result<(), String> {
    match token.claims().get("aud") {
        None | Some(Value::Null) => Err("Token is missing the \"aud\" claim".into()),
        Some(_) if audiences.any(|aud| claim_contains(token, "aud", aud, false)) => Ok(()),
        Some(_) => Err("Audience doesn't match".into()),
    }
}

/// The login behind the token was one of these authentication context classes (the `acr`
/// claim, exactly); else 401 [`JwtError::InsufficientUserAuthentication`] whose challenge
/// carries `acr_values`.
///
/// # Example
///
/// ```
/// use jwt_ext::{acr_in, ClaimsRequirement, Config, JwtManager};
///
/// let jwt = JwtManager::new(Config::default().secret_key("an-example-secret-of-at-least-32-bytes")).unwrap();
/// let token = jwt.access_token("alice").claim("acr", "pwd").create().unwrap();
/// let refused = acr_in(["mfa", "hwk"]).verdict(&jwt.decode_token(&token).unwrap()).unwrap_err();
/// assert_eq!(
///     refused.www_authenticate().as_deref(),
///     Some(r#"Bearer error="insufficient_user_authentication", error_description="A different authentication level is required", acr_values="mfa hwk""#),
/// );
/// ```
#[must_use]
pub fn acr_in<I, S>(classes: I) -> AcrIn
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    AcrIn(classes.into_iter().map(Into::into).collect())
}

/// Made by [`acr_in`].
#[derive(Debug, Clone)]
pub struct AcrIn(Vec<String>);

impl ClaimsRequirement for AcrIn {
    fn check(&self, token: &DecodedToken) -> Result<(), String> {
        self.met(token)
            .then_some(())
            .ok_or_else(|| StepUp::TOO_WEAK.into())
    }

    fn verdict(&self, token: &DecodedToken) -> Result<(), JwtError> {
        self.met(token).then_some(()).ok_or_else(|| {
            JwtError::InsufficientUserAuthentication(StepUp::new(self.0.clone(), None))
        })
    }
}

impl AcrIn {
    /// Whether the token's `acr` is one of the classes.
    fn met(&self, token: &DecodedToken) -> bool {
        token
            .claims()
            .get("acr")
            .and_then(Value::as_str)
            .is_some_and(|acr| self.0.iter().any(|class| class == acr))
    }
}

/// The login behind the token happened at most `seconds` ago (the `auth_time` claim, OpenID
/// Connect's `max_age`): the external provider's counterpart of `fresh`. Else 401
/// [`JwtError::InsufficientUserAuthentication`] whose challenge carries `max_age`. A token
/// without `auth_time` is refused the same way.
///
/// # Example
///
/// ```
/// use jwt_ext::{auth_max_age, ClaimsRequirement, Config, JwtManager};
///
/// let jwt = JwtManager::new(Config::default().secret_key("an-example-secret-of-at-least-32-bytes")).unwrap();
/// let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
/// let recent = jwt.access_token("alice").claim("auth_time", now - 60).create().unwrap();
/// let old = jwt.access_token("alice").claim("auth_time", now - 3600).create().unwrap();
///
/// assert!(auth_max_age(300).verdict(&jwt.decode_token(&recent).unwrap()).is_ok());
/// let refused = auth_max_age(300).verdict(&jwt.decode_token(&old).unwrap()).unwrap_err();
/// assert!(refused.www_authenticate().unwrap().ends_with(r#"max_age="300""#));
/// ```
#[must_use]
pub fn auth_max_age(seconds: u64) -> AuthMaxAge {
    AuthMaxAge(seconds)
}

/// Made by [`auth_max_age`].
#[derive(Debug, Clone, Copy)]
pub struct AuthMaxAge(u64);

impl ClaimsRequirement for AuthMaxAge {
    fn check(&self, token: &DecodedToken) -> Result<(), String> {
        self.met(token)
            .then_some(())
            .ok_or_else(|| StepUp::TOO_OLD.into())
    }

    fn verdict(&self, token: &DecodedToken) -> Result<(), JwtError> {
        self.met(token).then_some(()).ok_or_else(|| {
            JwtError::InsufficientUserAuthentication(StepUp::new(Vec::new(), Some(self.0)))
        })
    }
}

impl AuthMaxAge {
    /// Whether the token's `auth_time` is at most `self.0` seconds ago.
    fn met(self, token: &DecodedToken) -> bool {
        #[allow(clippy::cast_precision_loss)]
        let max_age = self.0 as f64;
        token
            .claims()
            .get("auth_time")
            .and_then(Value::as_f64)
            .is_some_and(|auth_time| now_seconds() - auth_time <= max_age)
    }
}
