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

use crate::claims::DecodedToken;
use crate::error::{JwtError, RefusedToken};
use crate::location::token_from_header;
use crate::manager::JwtManager;

/// Marker types naming what a [`Jwt`] guard requires.
pub mod kind {
    /// What a guard requires of a token; implemented by the markers of this module only.
    pub trait Kind: Send + Sync + 'static + private::Sealed {
        /// Requires `type: "refresh"` (else requires any type but `"refresh"`).
        const REFRESH: bool;
        /// Requires a fresh token.
        const FRESH: bool;
        /// Checks the `type` claim at all (Flask's `verify_type`).
        const VERIFY_TYPE: bool;
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
                const REFRESH: bool = $refresh;
                const FRESH: bool = $fresh;
                const VERIFY_TYPE: bool = $verify;
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
}

use kind::Kind;

/// A verified token, as a request guard: the route runs only with a valid token of kind `K`.
///
/// Derefs to [`DecodedToken`] for the identity, claims, header, `jti`, expiry and freshness.
/// Use the aliases: [`AccessJwt`], [`RefreshJwt`], [`FreshJwt`], [`AnyJwt`].
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
/// use jwt_ext::AccessJwt;
/// use rocket::get;
/// use rocket::serde::json::{json, Value};
///
/// #[get("/protected")]
/// fn protected(jwt: AccessJwt) -> Value {
///     json!({ "logged_in_as": jwt.identity() })
/// }
/// ```
pub struct Jwt<K: Kind = kind::Access> {
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
        match verify(request, Requirement::of::<K>()).await {
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
pub struct OptionalJwt<K: Kind = kind::Access>(Option<Jwt<K>>);

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
        match verify(request, Requirement::of::<K>()).await {
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
    let slot = request.local_cache(Refusal::default);
    if let Ok(mut refusal) = slot.0.lock() {
        *refusal = Some(error.clone());
    }
    Outcome::Error((status, error))
}

/// What a route requires of its token: Flask's `jwt_required` arguments.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Requirement {
    pub(crate) refresh: bool,
    pub(crate) fresh: bool,
    pub(crate) verify_type: bool,
}

impl Requirement {
    fn of<K: Kind>() -> Self {
        Self {
            refresh: K::REFRESH,
            fresh: K::FRESH,
            verify_type: K::VERIFY_TYPE,
        }
    }
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
        return Err(JwtError::FreshRequired(Box::new(RefusedToken {
            header: token.header().clone(),
            claims: token.claims().clone(),
        })));
    }
    Ok(token)
}

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
    manager.verifier().decode(&encoded, false).map(Arc::new)
}
