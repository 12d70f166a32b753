//! [`CurrentUser`]: the user the application's [`UserLoader`](crate::UserLoader) found for the
//! request's token (Flask's `current_user`).

use std::any::{type_name, TypeId};
use std::ops::Deref;
use std::sync::Arc;

use rocket::request::{FromRequest, Outcome, Request};
use rocket::{Ignite, Rocket, Sentinel};

use crate::error::JwtError;
use crate::location::Configured;
use crate::manager::fairing_missing;
use crate::manager::JwtManager;
use crate::request::guards::requirement_of;
use crate::request::guards::{fail, loaded_user, verify};
use crate::request::state::RequestState;
use crate::token::kind;

/// The current user, as a request guard: verifies the token (with the requirement of the
/// route's `#[jwt_required]`, or as an access token), then gives the user the registered
/// [`UserLoader`](crate::UserLoader) loaded, once per request.
///
/// The app refuses to launch when no user loader is registered, or when it loads another
/// type than `U`.
///
/// # Outcomes
///
/// Those of [`Jwt`](crate::Jwt), then 401 `Error loading the user <identity>` when the loader
/// finds no user.
///
/// # Example
///
/// ```
/// use jwt_ext::CurrentUser;
/// use rocket::get;
///
/// struct User { name: String }
///
/// #[get("/me")]
/// fn me(user: CurrentUser<User>) -> String {
///     format!("hello {}", user.name)
/// }
/// ```
pub struct CurrentUser<U>(Arc<U>);

impl<U> CurrentUser<U> {
    /// The shared user.
    #[must_use]
    pub fn into_inner(self) -> Arc<U> {
        self.0
    }
}

impl<U> Deref for CurrentUser<U> {
    type Target = U;

    fn deref(&self) -> &U {
        &self.0
    }
}

impl<U: std::fmt::Debug> std::fmt::Debug for CurrentUser<U> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("CurrentUser").field(&self.0).finish()
    }
}

/// The loaded user, or why there is none.
async fn current_user<U: Send + Sync + 'static>(request: &Request<'_>) -> Result<Arc<U>, JwtError> {
    let state = RequestState::of(request);
    let found = verify(
        request,
        state,
        requirement_of::<kind::Route, Configured>(state),
    )
    .await?;
    let missing = || {
        JwtError::Misconfigured(format!(
            "`CurrentUser<{}>` needs a user loader: register one with \
             `JwtManager::fairing().user_lookup_loader(...)`",
            type_name::<U>()
        ))
    };
    let user = loaded_user(request, &found.token).ok_or_else(missing)?;
    user.downcast::<U>().map_err(|_| {
        JwtError::Misconfigured(format!(
            "`CurrentUser<{}>` does not match the type the user loader returns",
            type_name::<U>()
        ))
    })
}

#[rocket::async_trait]
impl<'r, U: Send + Sync + 'static> FromRequest<'r> for CurrentUser<U> {
    type Error = JwtError;

    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, JwtError> {
        match current_user::<U>(request).await {
            Ok(user) => Outcome::Success(Self(user)),
            Err(error) => fail(request, error),
        }
    }
}

/// The current user on an optional route: `None` when the request carries no token (the
/// loader is then not called); a token that is present must pass every check, as for
/// [`CurrentUser`].
pub struct OptionalCurrentUser<U>(Option<CurrentUser<U>>);

impl<U> OptionalCurrentUser<U> {
    /// The user, if the request carried a token.
    #[must_use]
    pub fn user(&self) -> Option<&U> {
        self.0.as_deref()
    }

    /// The guard for the user, if the request carried a token.
    #[must_use]
    pub fn into_inner(self) -> Option<CurrentUser<U>> {
        self.0
    }
}

impl<U: std::fmt::Debug> std::fmt::Debug for OptionalCurrentUser<U> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("OptionalCurrentUser").field(&self.0).finish()
    }
}

#[rocket::async_trait]
impl<'r, U: Send + Sync + 'static> FromRequest<'r> for OptionalCurrentUser<U> {
    type Error = JwtError;

    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, JwtError> {
        match current_user::<U>(request).await {
            Ok(user) => Outcome::Success(Self(Some(CurrentUser(user)))),
            Err(JwtError::NoAuthorization(_)) => Outcome::Success(Self(None)),
            Err(error) => fail(request, error),
        }
    }
}

/// Launch-time check: the fairing is attached and its user loader loads a `U`.
fn loader_mismatch<U: 'static>(rocket: &Rocket<Ignite>) -> bool {
    if fairing_missing(rocket) {
        return true;
    }
    let Some(manager) = rocket.state::<JwtManager>() else {
        return true;
    };
    match &manager.loaders().user {
        None => {
            log::error!(
                "a route takes `CurrentUser<{}>` but no user loader is registered; add \
                 `.user_lookup_loader(...)` to `JwtManager::fairing()`",
                type_name::<U>()
            );
            true
        }
        Some(loader) if loader.user_type().0 != TypeId::of::<U>() => {
            log::error!(
                "a route takes `CurrentUser<{}>` but the user loader loads `{}`",
                type_name::<U>(),
                loader.user_type().1
            );
            true
        }
        Some(_) => false,
    }
}

impl<U: 'static> Sentinel for CurrentUser<U> {
    fn abort(rocket: &Rocket<Ignite>) -> bool {
        loader_mismatch::<U>(rocket)
    }
}

impl<U: 'static> Sentinel for OptionalCurrentUser<U> {
    fn abort(rocket: &Rocket<Ignite>) -> bool {
        loader_mismatch::<U>(rocket)
    }
}
