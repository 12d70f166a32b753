//! Request guards: access, refresh, fresh, any-type and optional tokens.
//!
//! Every guard of a request shares one decode: the verified token (or the reason it was
//! refused) is cached in the request, and each guard only adds its own type and freshness
//! checks, in Flask's order (decode, type, freshness).

use std::marker::PhantomData;
use std::ops::Deref;
use std::sync::{Arc, Mutex};

use rocket::http::Status;
use rocket::request::{FromRequest, Outcome, Request};
use rocket::{Ignite, Rocket, Sentinel};

use crate::__private::Requirement;
use crate::claims::DecodedToken;
use crate::error::JwtError;
use crate::location::token_from_header;
use crate::manager::JwtManager;

/// Marker types naming what a [`Jwt`] guard requires.
pub mod kind {
    use rocket::Request;

    use crate::__private::Requirement;

    /// What a guard requires of a token; implemented by the markers of this module only.
    pub trait Kind: Send + Sync + 'static + private::Sealed {
        /// The requirement for this request.
        #[doc(hidden)]
        fn requirement(request: &Request<'_>) -> Requirement;
    }

    mod private {
        pub trait Sealed {}
    }

    macro_rules! kinds {
        ($($(#[$doc:meta])* $name:ident: refresh = $refresh:expr, fresh = $fresh:expr, verify_type = $verify:expr;)*) => {$(
            $(#[$doc])*
            #[derive(Debug, Clone, Copy, PartialEq, Eq)]
            pub struct $name;
            impl private::Sealed for $name {}
            impl Kind for $name {
                fn requirement(_: &Request<'_>) -> Requirement {
                    Requirement {
                        refresh: $refresh,
                        fresh: $fresh,
                        verify_type: $verify,
                        skip_revocation_check: false,
                    }
                }
            }
        )*};
    }

    kinds! {
        /// Any non-refresh token: `@jwt_required()`.
        Access: refresh = false, fresh = false, verify_type = true;
        /// A refresh token: `@jwt_required(refresh=True)`.
        Refresh: refresh = true, fresh = false, verify_type = true;
        /// A fresh access token: `@jwt_required(fresh=True)`.
        Fresh: refresh = false, fresh = true, verify_type = true;
        /// Any token, access or refresh: `@jwt_required(verify_type=False)`.
        Any: refresh = false, fresh = false, verify_type = false;
    }

    /// Whatever the route's `#[jwt_required(...)]` attribute requires, or an access token
    /// ([`Access`]) on a route without the attribute. The default kind of [`Jwt`](crate::Jwt)
    /// and [`OptionalJwt`](crate::OptionalJwt), so that `jwt: Jwt` reads the token on a
    /// refresh or fresh route alike, like Flask's `get_jwt()`.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub struct Route;
    impl private::Sealed for Route {}
    impl Kind for Route {
        fn requirement(request: &Request<'_>) -> Requirement {
            Requirement::of_route(request).unwrap_or(Access::requirement(request))
        }
    }
}

use kind::Kind;

/// A verified token, as a request guard: the route runs only with a valid token of kind `K`.
///
/// Derefs to [`DecodedToken`] for the identity, claims, header, `jti`, expiry and freshness.
/// Name the requirement with the aliases [`AccessJwt`], [`RefreshJwt`], [`FreshJwt`] and
/// [`AnyJwt`]; plain `Jwt` takes the requirement of the route's `#[jwt_required(...)]`
/// attribute (Flask's `get_jwt()` after the decorator), and requires an access token on a
/// route without one.
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
pub struct Jwt<K: Kind = kind::Route> {
    token: Arc<DecodedToken>,
    kind: PhantomData<K>,
}

/// `@jwt_required()`: an access token (any type but `refresh`).
pub type AccessJwt = Jwt<kind::Access>;
/// `@jwt_required(refresh=True)`: a refresh token.
pub type RefreshJwt = Jwt<kind::Refresh>;
/// `@jwt_required(fresh=True)`: a fresh access token.
pub type FreshJwt = Jwt<kind::Fresh>;
/// `@jwt_required(verify_type=False)`: an access or a refresh token.
pub type AnyJwt = Jwt<kind::Any>;

impl<K: Kind> Jwt<K> {
    /// The verified token, shared with the request's other guards.
    #[must_use]
    pub fn token(&self) -> &Arc<DecodedToken> {
        &self.token
    }
}

impl<K: Kind> Clone for Jwt<K> {
    fn clone(&self) -> Self {
        Self {
            token: Arc::clone(&self.token),
            kind: PhantomData,
        }
    }
}

impl<K: Kind> std::fmt::Debug for Jwt<K> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Jwt").field(&self.token).finish()
    }
}

impl<K: Kind> Deref for Jwt<K> {
    type Target = DecodedToken;

    fn deref(&self) -> &DecodedToken {
        &self.token
    }
}

#[rocket::async_trait]
impl<'r, K: Kind> FromRequest<'r> for Jwt<K> {
    type Error = JwtError;

    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, JwtError> {
        match verify(request, K::requirement(request)).await {
            Ok(token) => Outcome::Success(Self {
                token,
                kind: PhantomData,
            }),
            Err(error) => fail(request, error),
        }
    }
}

impl<K: Kind> Sentinel for Jwt<K> {
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
pub struct OptionalJwt<K: Kind = kind::Route>(Option<Jwt<K>>);

impl<K: Kind> OptionalJwt<K> {
    /// The verified token, if the request carried one.
    #[must_use]
    pub fn token(&self) -> Option<&DecodedToken> {
        self.0.as_deref()
    }

    /// The guard for the token, if the request carried one.
    #[must_use]
    pub fn into_inner(self) -> Option<Jwt<K>> {
        self.0
    }
}

impl<K: Kind> std::fmt::Debug for OptionalJwt<K> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("OptionalJwt").field(&self.0).finish()
    }
}

#[rocket::async_trait]
impl<'r, K: Kind> FromRequest<'r> for OptionalJwt<K> {
    type Error = JwtError;

    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, JwtError> {
        match verify(request, K::requirement(request)).await {
            Ok(token) => Outcome::Success(Self(Some(Jwt {
                token,
                kind: PhantomData,
            }))),
            Err(JwtError::NoAuthorization(_)) => Outcome::Success(Self(None)),
            Err(error) => fail(request, error),
        }
    }
}

impl<K: Kind> Sentinel for OptionalJwt<K> {
    fn abort(rocket: &Rocket<Ignite>) -> bool {
        fairing_missing(rocket)
    }
}

pub(crate) fn fairing_missing(rocket: &Rocket<Ignite>) -> bool {
    if rocket.state::<JwtManager>().is_some() {
        return false;
    }
    log::error!(
        "a route uses a jwt-ext guard but jwt-ext's fairing is not attached; add \
         `.attach(JwtManager::fairing())` to the Rocket builder"
    );
    true
}

/// The request's token, decoded once whatever the number of guards asking.
struct CachedToken(Result<Arc<DecodedToken>, JwtError>);

/// The refusal that stopped this request, for the response fairing to write out.
#[derive(Default)]
pub(crate) struct Refusal(Mutex<Option<JwtError>>);

impl Refusal {
    pub(crate) fn take(request: &Request<'_>) -> Option<JwtError> {
        let slot = request.local_cache(Refusal::default);
        slot.0.lock().ok().and_then(|mut refusal| refusal.take())
    }
}

pub(crate) fn fail<T>(request: &Request<'_>, error: JwtError) -> Outcome<T, JwtError> {
    let status: Status = error.status();
    // One line per refused request: the reason and the route, never the token. Messages can
    // quote attacker-chosen claim names, so control characters are escaped.
    log::info!(
        "jwt-ext: {} {} refused with {}: {}",
        request.method(),
        request.route().map_or_else(
            || request.uri().path().to_string(),
            |route| route.uri.to_string()
        ),
        status.code,
        error.message().escape_debug()
    );
    let slot = request.local_cache(Refusal::default);
    if let Ok(mut refusal) = slot.0.lock() {
        *refusal = Some(error.clone());
    }
    Outcome::Error((status, error))
}

/// Flask's `verify_jwt_in_request` for the header location: decode (shared by every guard of
/// the request), then the type and freshness checks.
pub(crate) async fn verify(
    request: &Request<'_>,
    requirement: Requirement,
) -> Result<Arc<DecodedToken>, JwtError> {
    let Some(manager) = request.rocket().state::<JwtManager>() else {
        return Err(JwtError::NotConfigured);
    };
    let cached = request
        .local_cache_async(async { CachedToken(decode_request(manager, request)) })
        .await;
    let token = cached.0.clone()?;
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
        let checked = request
            .local_cache_async(async {
                RevocationChecked(manager.blocklist().is_revoked(&token).await)
            })
            .await;
        match &checked.0 {
            Ok(false) => {}
            Ok(true) => return Err(JwtError::Revoked(token.refused())),
            Err(error) => return Err(JwtError::StoreUnavailable(error.to_string())),
        }
    }
    let loaders = manager.loaders();
    if let Some(verify_claims) = &loaders.verify_claims {
        // The application's check runs once per request, however many guards ask.
        let verified = request.local_cache(|| ClaimsVerified(verify_claims(&token)));
        if !verified.0 {
            return Err(JwtError::ClaimsVerificationFailed(token.refused()));
        }
    }
    if let Some(loader) = &loaders.user {
        let loaded = request
            .local_cache_async(async { LoadedUser(loader.load(&token, request).await) })
            .await;
        if loaded.0.is_none() {
            return Err(JwtError::UserLookupFailed(token.refused()));
        }
    }
    Ok(token)
}

/// The application's token verification loader's answer for this request, asked once.
struct ClaimsVerified(bool);

/// The revocation store's answer for this request's token, asked once.
struct RevocationChecked(Result<bool, crate::revocation::StoreError>);

/// The user the application's loader found for this request's token, looked up once.
pub(crate) struct LoadedUser(pub(crate) Option<Arc<dyn std::any::Any + Send + Sync>>);

fn decode_request(
    manager: &JwtManager,
    request: &Request<'_>,
) -> Result<Arc<DecodedToken>, JwtError> {
    let config = manager.config();
    let encoded = token_from_header(
        request.headers().get(&config.header_name),
        &config.header_name,
        &config.header_type,
    )?;
    let cache = manager.cache();
    if let Some(token) = cache.get(&encoded, crate::decode::now_seconds()) {
        return Ok(token);
    }
    let token = Arc::new(manager.verifier().decode(&encoded, false)?);
    cache.insert(&encoded, &token);
    Ok(token)
}
