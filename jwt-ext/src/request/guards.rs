//! Request guards: access, refresh, fresh, any-type and optional tokens.
//!
//! Every guard of a request shares one decode: the verified token (or the reason it was
//! refused) is cached in the request, and each guard only adds its own type and freshness
//! checks, in Flask's order (decode, type, freshness).

use std::marker::PhantomData;
use std::ops::Deref;
use std::sync::Arc;

use rocket::http::Status;
use rocket::request::{FromRequest, Outcome, Request};
use rocket::{Ignite, Rocket, Sentinel};

use crate::error::JwtError;
use crate::location::{self, Location, LocationSet};
use crate::manager::{fairing_missing, JwtManager};
use crate::request::search::{find_again, find_once};
use crate::request::state::{Found, LoadedUser, RequestState};
use crate::telemetry::record::{self, Timer};
use crate::token::claims::DecodedToken;
use crate::token::key_slot::is_unknown_kid;
use crate::token::requirement::Requirement;

use crate::token::kind::{self, Kind};

/// A verified token, as a request guard: the route runs only with a valid token of kind `K`,
/// found in the locations `L`.
///
/// Derefs to [`DecodedToken`] for the identity, claims, header, `jti`, expiry and freshness;
/// [`location`](Self::location) says where the token was found. Name the requirement with
/// the aliases [`AccessJwt`], [`RefreshJwt`], [`FreshJwt`] and [`AnyJwt`]; plain `Jwt` takes
/// the requirement of the route's `#[jwt_required(...)]` attribute (Flask's `get_jwt()` after
/// the decorator), and requires an access token on a route without one.
///
/// `L` ([`location::Configured`] unless named) searches the route's `locations`, else
/// `jwt_token_location`; a marker or a tuple of markers such as
/// `(location::Cookies, location::Headers)` overrides both (see [`location`]).
///
/// # Outcomes
///
/// Fails (never forwards) with Flask-JWT-Extended's status; the JSON body is written by the
/// fairing whatever catchers the application registers:
///
/// | condition | status | message |
/// |---|---|---|
/// | no header / no `Bearer` field | 401 | `Missing Authorization Header` / `Missing 'Bearer' type in ...` |
/// | malformed header | 422 | `Bad Authorization header. Expected ...` |
/// | no cookie / query parameter / JSON key | 401 | `Missing cookie "access_token_cookie"` / `Missing 'jwt' query parameter` / ... |
/// | nothing in several locations | 401 | `Missing JWT in cookies or headers (...; ...)` |
/// | cookie on a CSRF method without the CSRF header | 401 | `Missing CSRF token` |
/// | CSRF header differs from the token's `csrf` claim | 401 | `CSRF double submit tokens do not match` |
/// | bad signature, garbage, disallowed `alg` | 422 | PyJWT's message, e.g. `Signature verification failed` |
/// | expired | 401 | `Token has expired` |
/// | wrong type | 422 | `Only non-refresh tokens are allowed` / `Only refresh tokens are allowed` |
/// | not fresh (for [`FreshJwt`]) | 401 | `Fresh token required` |
///
/// # Example
///
/// ```
/// use jwt_ext::{jwt_required, AccessJwt, Jwt};
/// use rocket::{get, post};
/// use rocket::serde::json::{json, Value};
///
/// #[get("/protected")]
/// fn protected(jwt: AccessJwt) -> Value {
///     json!({ "logged_in_as": jwt.identity() })
/// }
///
/// #[jwt_required(refresh)]
/// #[post("/refresh")]
/// fn refresh(jwt: Jwt) -> Value {
///     json!({ "refreshing": jwt.identity() })
/// }
/// ```
pub struct Jwt<K: Kind = kind::Route, L: LocationSet = location::Configured> {
    token: Arc<DecodedToken>,
    location: Location,
    kind: PhantomData<fn() -> (K, L)>,
}

/// `@jwt_required()`: an access token (any type but `refresh`).
pub type AccessJwt<L = location::Configured> = Jwt<kind::Access, L>;
/// `@jwt_required(refresh=True)`: a refresh token.
pub type RefreshJwt<L = location::Configured> = Jwt<kind::Refresh, L>;
/// `@jwt_required(fresh=True)`: a fresh access token.
pub type FreshJwt<L = location::Configured> = Jwt<kind::Fresh, L>;
/// `@jwt_required(verify_type=False)`: an access or a refresh token.
pub type AnyJwt<L = location::Configured> = Jwt<kind::Any, L>;

impl<K: Kind, L: LocationSet> Jwt<K, L> {
    pub(crate) fn from_found(found: Found) -> Self {
        Self {
            token: found.token,
            location: found.location,
            kind: PhantomData,
        }
    }

    /// The verified token, shared with the request's other guards.
    #[must_use]
    pub fn token(&self) -> &Arc<DecodedToken> {
        &self.token
    }

    /// Where the token was found: Flask's `get_jwt_request_location()`.
    #[must_use]
    pub fn location(&self) -> Location {
        self.location
    }
}

impl<K: Kind, L: LocationSet> Clone for Jwt<K, L> {
    fn clone(&self) -> Self {
        Self {
            token: Arc::clone(&self.token),
            location: self.location,
            kind: PhantomData,
        }
    }
}

impl<K: Kind, L: LocationSet> std::fmt::Debug for Jwt<K, L> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Jwt")
            .field("token", &self.token)
            .field("location", &self.location)
            .finish()
    }
}

impl<K: Kind, L: LocationSet> Deref for Jwt<K, L> {
    type Target = DecodedToken;

    fn deref(&self) -> &DecodedToken {
        &self.token
    }
}

/// The requirement of a guard of kind `K` searching the locations `L`.
pub(crate) fn requirement_of<K: Kind, L: LocationSet>(state: &RequestState) -> Requirement {
    let route = state.route.get().or(state.verified_in_request.get());
    let mut requirement = K::requirement(route.copied());
    if let Some(locations) = L::locations() {
        requirement.locations = Some(locations);
    }
    requirement
}

#[rocket::async_trait]
impl<'r, K: Kind, L: LocationSet> FromRequest<'r> for Jwt<K, L> {
    type Error = JwtError;

    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, JwtError> {
        let state = RequestState::of(request);
        match verify(request, state, requirement_of::<K, L>(state)).await {
            Ok(found) => Outcome::Success(Self::from_found(found)),
            Err(error) => fail(request, error),
        }
    }
}

impl<K: Kind, L: LocationSet> Sentinel for Jwt<K, L> {
    fn abort(rocket: &Rocket<Ignite>) -> bool {
        fairing_missing(rocket)
    }
}

/// `@jwt_required(optional=True)`: the route also runs without a token.
///
/// Only a *missing* token is forgiven: an expired, invalid or wrong-type token is refused
/// exactly as by [`Jwt<K>`], as in Flask. On an optional route `Authorization: Basic ...`
/// counts as no token.
///
/// # Example
///
/// ```
/// use jwt_ext::OptionalJwt;
/// use rocket::get;
///
/// #[get("/greeting")]
/// fn greeting(jwt: OptionalJwt) -> String {
///     match jwt.token() {
///         Some(token) => format!("hello {}", token.identity()),
///         None => "hello stranger".into(),
///     }
/// }
/// ```
pub struct OptionalJwt<K: Kind = kind::Route, L: LocationSet = location::Configured>(
    Option<Jwt<K, L>>,
);

impl<K: Kind, L: LocationSet> OptionalJwt<K, L> {
    /// The verified token, if the request carried one.
    #[must_use]
    pub fn token(&self) -> Option<&DecodedToken> {
        self.0.as_deref()
    }

    /// Where the token was found; `None` without a token (Flask's
    /// `get_jwt_request_location()`).
    #[must_use]
    pub fn location(&self) -> Option<Location> {
        self.0.as_ref().map(Jwt::location)
    }

    /// The guard for the token, if the request carried one.
    #[must_use]
    pub fn into_inner(self) -> Option<Jwt<K, L>> {
        self.0
    }
}

impl<K: Kind, L: LocationSet> std::fmt::Debug for OptionalJwt<K, L> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("OptionalJwt").field(&self.0).finish()
    }
}

#[rocket::async_trait]
impl<'r, K: Kind, L: LocationSet> FromRequest<'r> for OptionalJwt<K, L> {
    type Error = JwtError;

    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, JwtError> {
        let state = RequestState::of(request);
        match verify(request, state, requirement_of::<K, L>(state)).await {
            Ok(found) => Outcome::Success(Self(Some(Jwt::from_found(found)))),
            Err(JwtError::NoAuthorization(_)) => Outcome::Success(Self(None)),
            Err(error) => fail(request, error),
        }
    }
}

impl<K: Kind, L: LocationSet> Sentinel for OptionalJwt<K, L> {
    fn abort(rocket: &Rocket<Ignite>) -> bool {
        fairing_missing(rocket)
    }
}

/// Whether a token of this request passed every check: `Some(is_refresh)` of the first.
#[cfg(feature = "metrics")]
pub(crate) fn accepted_token(request: &Request<'_>) -> Option<bool> {
    let verified = RequestState::of(request).verified.lock().ok()?;
    verified
        .find(|_| true)
        .map(|found| found.token.is_refresh())
}

/// Takes the refusal that stopped this request, for the response fairing to write out.
pub(crate) fn take_refusal(request: &Request<'_>) -> Option<JwtError> {
    let slot = &RequestState::of(request).refusal;
    slot.lock().ok().and_then(|mut refusal| refusal.take())
}

pub(crate) fn fail<T>(request: &Request<'_>, error: JwtError) -> Outcome<T, JwtError> {
    Outcome::Error(refusal(request, error))
}

/// Logs a refusal and records it for the fairing to write out; the guard's error outcome.
pub(crate) fn refusal(request: &Request<'_>, error: JwtError) -> (Status, JwtError) {
    let status: Status = error.status();
    // Rocket logs the guard's failure itself (one line at its normal level, with the error's
    // `Debug`: the reason and at most the `jti`); this line, with the route and the status,
    // is for debugging. Never the token. Messages can quote attacker-chosen claim names, so
    // control characters are escaped.
    log::debug!(
        "jwt-ext: {} {} refused with {}: {}",
        request.method(),
        request.route().map_or_else(
            || request.uri().path().to_string(),
            |route| route.uri.to_string()
        ),
        status.code,
        error.message().escape_debug()
    );
    if let Ok(mut refusal) = RequestState::of(request).refusal.lock() {
        *refusal = Some(error.clone());
    }
    (status, error)
}

/// Flask's `verify_jwt_in_request` for a request guard: find and decode the token (once per
/// request and question, shared by every guard), then [`check`] it.
pub(crate) async fn verify(
    request: &Request<'_>,
    state: &RequestState,
    requirement: Requirement,
) -> Result<Found, JwtError> {
    if let Some(found) = state
        .verified
        .lock()
        .ok()
        .and_then(|verified| verified.find(|asked| *asked == requirement).cloned())
    {
        return Ok(found);
    }
    let Some(manager) = request.rocket().state::<JwtManager>() else {
        return Err(JwtError::NotConfigured);
    };
    let locations = requirement
        .locations
        .unwrap_or(manager.config().token_location);
    let found = match find_once(manager, request, state, requirement.refresh, locations) {
        // A token signed with a key the issuer published since the last fetch.
        Err(error) if is_unknown_kid(&error) && manager.refetch_for_unknown_kid().await => {
            find_again(manager, request, state, requirement.refresh, locations)?
        }
        found => found?,
    };
    let found = check(manager, request, state, requirement, found).await?;
    if let Ok(mut verified) = state.verified.lock() {
        verified.push(requirement, found.clone());
    }
    Ok(found)
}

/// The checks after decoding, in Flask's order: type, freshness, revocation, the
/// application's claims verification, user lookup. Each store or loader is asked at most once
/// per request and token.
pub(crate) async fn check(
    manager: &JwtManager,
    request: &Request<'_>,
    state: &RequestState,
    requirement: Requirement,
    found: Found,
) -> Result<Found, JwtError> {
    let token = &found.token;
    if requirement.verify_type {
        if requirement.refresh && !token.is_refresh() {
            return Err(JwtError::WrongTokenType {
                refresh_required: true,
            });
        }
        if !requirement.refresh && token.is_refresh() {
            return Err(JwtError::WrongTokenType {
                refresh_required: false,
            });
        }
    }
    if requirement.fresh && !token.is_fresh() {
        return Err(JwtError::FreshRequired(token.refused()));
    }
    if !requirement.skip_revocation_check {
        let answers = &state.revoked;
        let revoked = if let Some(answer) = answers.get(token) {
            answer
        } else {
            // The in-memory store answers in nanoseconds and is not timed; Redis times its
            // own round trips (not its near-cache's answers).
            let timer = manager.times_checks().then(Timer::start);
            let answer = manager
                .blocklist()
                .is_revoked(token)
                .await
                .map_err(|error| error.to_string());
            if let Some(timer) = timer {
                timer.revocation_checked(answer.as_ref().ok().copied());
            }
            record::store_answered(answer.is_ok());
            answers.put(token, answer.clone());
            answer
        };
        match revoked {
            Ok(false) => {}
            Ok(true) => return Err(JwtError::Revoked(token.refused())),
            Err(error) => return Err(JwtError::StoreUnavailable(error)),
        }
    }
    let loaders = manager.loaders();
    if let Some(verifier) = &loaders.verify_claims {
        let answers = &state.claims_verified;
        let verified = if let Some(answer) = answers.get(token) {
            answer
        } else {
            let answer = verifier.verify(token, request).await;
            answers.put(token, answer.clone());
            answer
        };
        match verified {
            Ok(true) => {}
            Ok(false) => return Err(JwtError::ClaimsVerificationFailed(token.refused())),
            Err(error) => return Err(JwtError::VerificationUnavailable(error)),
        }
    }
    if let Some(loader) = &loaders.user {
        let users = &state.users;
        let user = if let Some(user) = users.get(token) {
            user
        } else {
            let user = loader.load(token, request).await;
            users.put(token, user.clone());
            user
        };
        if user.is_none() {
            return Err(JwtError::UserLookupFailed(token.refused()));
        }
    }
    if found.location == Location::Cookies && !requirement.refresh && !token.is_refresh() {
        if let Ok(mut slot) = state.cookie_access_token.lock() {
            slot.get_or_insert_with(|| Arc::clone(token));
        }
    }
    Ok(found)
}

/// The user the loader found for `token` during this request's checks, if any.
pub(crate) fn loaded_user(request: &Request<'_>, token: &Arc<DecodedToken>) -> LoadedUser {
    RequestState::of(request).users.get(token).flatten()
}

/// The cookie-borne access token this request was verified with, if any.
pub(crate) fn cookie_access_token(request: &Request<'_>) -> Option<Arc<DecodedToken>> {
    let slot = &RequestState::of(request).cookie_access_token;
    slot.lock().ok().and_then(|slot| slot.clone())
}
