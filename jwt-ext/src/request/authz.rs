//! Authorisation next to authentication: claims requirements for `#[jwt_required(claims = ...)]`
//! and the [`Authorized`] guard. A valid token that fails the requirement gets 403.

use std::marker::PhantomData;
use std::ops::Deref;
use std::sync::Arc;

use rocket::request::{FromRequest, Outcome, Request};
use rocket::{Ignite, Rocket, Sentinel};
use serde_json::Value;

use crate::error::JwtError;
use crate::location::Configured;
use crate::manager::fairing_missing;
use crate::request::guards::requirement_of;
use crate::request::guards::{fail, verify};
use crate::request::state::{Found, RequestState};
use crate::token::claims::DecodedToken;
use crate::token::kind;

/// A condition on a verified token's claims, e.g. [`has_role`]`("admin")`.
///
/// Combine with [`and`](Self::and) / [`or`](Self::or); any `Fn(&DecodedToken) -> bool` is one
/// too. A failed requirement answers 403 `{"msg": <message>}` with
/// `WWW-Authenticate: Bearer error="insufficient_scope"`.
///
/// # Example
///
/// ```
/// use jwt_ext::{has_role, has_scope, ClaimsRequirement, Config, JwtManager};
///
/// let jwt = JwtManager::new(Config::default().secret_key("an-example-secret-of-at-least-32-bytes")).unwrap();
/// let token = jwt.access_token("alice").claim("roles", ["editor"]).create().unwrap();
/// let token = jwt.decode_token(&token).unwrap();
///
/// assert!(has_role("editor").check(&token).is_ok());
/// assert_eq!(has_role("admin").check(&token).unwrap_err(), "Role `admin` required");
/// assert!(has_role("admin").or(has_role("editor")).check(&token).is_ok());
/// assert!(has_role("editor").and(has_scope("write")).check(&token).is_err());
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a claims requirement",
    label = "expected a claims requirement here",
    note = "use `has_role(\"...\")`, `has_scope(\"...\")`, `claim_eq(\"name\", value)`, their \
            `.and(...)` / `.or(...)`, or a closure `|token: &DecodedToken| -> bool`"
)]
pub trait ClaimsRequirement: Send + Sync {
    /// `Ok(())` when the token satisfies the requirement, else the message of the 403.
    ///
    /// # Errors
    ///
    /// The message to answer with when the requirement is not met.
    fn check(&self, token: &DecodedToken) -> Result<(), String>;

    /// The refusal when the token does not satisfy the requirement: by default a 403
    /// [`JwtError::Forbidden`] with [`check`](Self::check)'s message. The audience and step-up
    /// requirements answer 401 instead ([`JwtError::WrongAudience`],
    /// [`JwtError::InsufficientUserAuthentication`]).
    ///
    /// # Errors
    ///
    /// The error the request is refused with.
    fn verdict(&self, token: &DecodedToken) -> Result<(), JwtError> {
        self.check(token).map_err(JwtError::Forbidden)
    }

    /// Both requirements.
    fn and<R: ClaimsRequirement>(self, other: R) -> And<Self, R>
    where
        Self: Sized,
    {
        And(self, other)
    }

    /// Either requirement.
    fn or<R: ClaimsRequirement>(self, other: R) -> Or<Self, R>
    where
        Self: Sized,
    {
        Or(self, other)
    }
}

impl<F> ClaimsRequirement for F
where
    F: Fn(&DecodedToken) -> bool + Send + Sync,
{
    fn check(&self, token: &DecodedToken) -> Result<(), String> {
        if self(token) {
            Ok(())
        } else {
            Err("Insufficient permissions".into())
        }
    }
}

/// Both of two requirements; made by [`ClaimsRequirement::and`].
#[derive(Debug, Clone)]
pub struct And<A, B>(A, B);

impl<A: ClaimsRequirement, B: ClaimsRequirement> ClaimsRequirement for And<A, B> {
    fn check(&self, token: &DecodedToken) -> Result<(), String> {
        self.0.check(token)?;
        self.1.check(token)
    }

    fn verdict(&self, token: &DecodedToken) -> Result<(), JwtError> {
        self.0.verdict(token)?;
        self.1.verdict(token)
    }
}

/// Either of two requirements; made by [`ClaimsRequirement::or`].
#[derive(Debug, Clone)]
pub struct Or<A, B>(A, B);

impl<A: ClaimsRequirement, B: ClaimsRequirement> ClaimsRequirement for Or<A, B> {
    fn check(&self, token: &DecodedToken) -> Result<(), String> {
        self.0.check(token).or_else(|_| self.1.check(token))
    }

    /// When both refuse, the second one's refusal.
    fn verdict(&self, token: &DecodedToken) -> Result<(), JwtError> {
        self.0.verdict(token).or_else(|_| self.1.verdict(token))
    }
}

/// Whether `claim` is `value`, or a list containing it; a space-separated string when
/// `split_words` (OAuth's `scope`).
pub(crate) fn claim_contains(
    token: &DecodedToken,
    claim: &str,
    value: &str,
    split_words: bool,
) -> bool {
    match token.claims().get(claim) {
        Some(Value::String(text)) if split_words => text.split(' ').any(|word| word == value),
        Some(Value::String(text)) => text == value,
        Some(Value::Array(items)) => items.iter().any(|item| item.as_str() == Some(value)),
        _ => false,
    }
}

/// The token has a role: `"role": "<role>"` or `"roles": [..., "<role>", ...]`.
///
/// # Example
///
/// ```
/// # use jwt_ext::{has_role, ClaimsRequirement, Config, JwtManager};
/// # let jwt = JwtManager::new(Config::default().secret_key("an-example-secret-of-at-least-32-bytes")).unwrap();
/// let token = jwt.access_token("alice").claim("role", "admin").create().unwrap();
/// assert!(has_role("admin").check(&jwt.decode_token(&token).unwrap()).is_ok());
/// ```
#[must_use]
pub fn has_role(role: impl Into<String>) -> HasRole {
    HasRole(role.into())
}

/// Made by [`has_role`].
#[derive(Debug, Clone)]
pub struct HasRole(String);

impl ClaimsRequirement for HasRole {
    fn check(&self, token: &DecodedToken) -> Result<(), String> {
        if claim_contains(token, "role", &self.0, false)
            || claim_contains(token, "roles", &self.0, false)
        {
            Ok(())
        } else {
            Err(format!("Role `{}` required", self.0))
        }
    }
}

/// The token has an OAuth scope: `"scope": "a b c"` (RFC 9068) or `"scp": [...]`.
///
/// # Example
///
/// ```
/// # use jwt_ext::{has_scope, ClaimsRequirement, Config, JwtManager};
/// # let jwt = JwtManager::new(Config::default().secret_key("an-example-secret-of-at-least-32-bytes")).unwrap();
/// let token = jwt.access_token("alice").claim("scope", "read write").create().unwrap();
/// assert!(has_scope("write").check(&jwt.decode_token(&token).unwrap()).is_ok());
/// ```
#[must_use]
pub fn has_scope(scope: impl Into<String>) -> HasScope {
    HasScope(scope.into())
}

/// Made by [`has_scope`].
#[derive(Debug, Clone)]
pub struct HasScope(String);

impl ClaimsRequirement for HasScope {
    fn check(&self, token: &DecodedToken) -> Result<(), String> {
        if claim_contains(token, "scope", &self.0, true)
            || claim_contains(token, "scp", &self.0, true)
        {
            Ok(())
        } else {
            Err(format!("Scope `{}` required", self.0))
        }
    }
}

/// The claim `name` equals `value` (compared as JSON).
///
/// # Example
///
/// ```
/// # use jwt_ext::{claim_eq, ClaimsRequirement, Config, JwtManager};
/// # let jwt = JwtManager::new(Config::default().secret_key("an-example-secret-of-at-least-32-bytes")).unwrap();
/// let token = jwt.access_token("alice").claim("tenant", 7).create().unwrap();
/// let token = jwt.decode_token(&token).unwrap();
/// assert!(claim_eq("tenant", 7).check(&token).is_ok());
/// assert!(claim_eq("tenant", 8).check(&token).is_err());
/// ```
#[must_use]
pub fn claim_eq(name: impl Into<String>, value: impl Into<Value>) -> ClaimEq {
    ClaimEq(name.into(), value.into())
}

/// Made by [`claim_eq`].
#[derive(Debug, Clone)]
pub struct ClaimEq(String, Value);

impl ClaimsRequirement for ClaimEq {
    fn check(&self, token: &DecodedToken) -> Result<(), String> {
        if token.claims().get(&self.0) == Some(&self.1) {
            Ok(())
        } else {
            Err(format!("Claim `{}` must be {}", self.0, self.1))
        }
    }
}

/// A verified token that meets the claims requirement `R`: the guard-parameter form of
/// `#[jwt_required(claims = ...)]`. `R` is the application's own type, a `Default` one.
///
/// # Outcomes
///
/// Those of [`Jwt`](crate::Jwt) (with the route's `#[jwt_required]` requirement, or an access
/// token), then the requirement's [`verdict`](ClaimsRequirement::verdict): 403 with its
/// message, or 401 for an audience or step-up requirement.
///
/// # Example
///
/// ```
/// use jwt_ext::{has_role, Authorized, ClaimsRequirement, DecodedToken};
/// use rocket::delete;
///
/// #[derive(Default)]
/// struct Admin;
///
/// impl ClaimsRequirement for Admin {
///     fn check(&self, token: &DecodedToken) -> Result<(), String> {
///         has_role("admin").check(token)
///     }
/// }
///
/// #[delete("/users/<id>")]
/// fn delete_user(id: u32, admin: Authorized<Admin>) -> String {
///     format!("{} deleted user {id}", admin.identity())
/// }
/// ```
pub struct Authorized<R> {
    token: Arc<DecodedToken>,
    requirement: PhantomData<fn() -> R>,
}

impl<R> Deref for Authorized<R> {
    type Target = DecodedToken;

    fn deref(&self) -> &DecodedToken {
        &self.token
    }
}

impl<R> std::fmt::Debug for Authorized<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Authorized").field(&self.token).finish()
    }
}

#[rocket::async_trait]
impl<'r, R: ClaimsRequirement + Default + 'static> FromRequest<'r> for Authorized<R> {
    type Error = JwtError;

    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, JwtError> {
        let state = RequestState::of(request);
        let checked = match verify(
            request,
            state,
            requirement_of::<kind::Route, Configured>(state),
        )
        .await
        {
            Ok(Found { token, .. }) => R::default().verdict(&token).map(|()| token),
            Err(error) => Err(error),
        };
        match checked {
            Ok(token) => Outcome::Success(Self {
                token,
                requirement: PhantomData,
            }),
            Err(error) => fail(request, error),
        }
    }
}

impl<R> Sentinel for Authorized<R> {
    fn abort(rocket: &Rocket<Ignite>) -> bool {
        fairing_missing(rocket)
    }
}
