//! Flask's `verify_jwt_in_request`: the guards' checks, called from code that is not a handler
//! parameter (a fairing, another request guard, a catcher).

use rocket::http::Method;
use rocket::request::{Outcome, Request};

use crate::error::JwtError;
use crate::location::Locations;
use crate::request::guards::{refusal, verify, Jwt};
use crate::request::state::RequestState;
use crate::token::requirement::Requirement;

/// What [`verify_jwt_in_request`] requires: the keyword arguments of Flask's
/// `verify_jwt_in_request(optional, fresh, refresh, locations, verify_type,
/// skip_revocation_check)`, with Flask's defaults.
///
/// | Flask | jwt-ext |
/// |---|---|
/// | `verify_jwt_in_request()` | `VerifyOptions::new()` |
/// | `verify_jwt_in_request(optional=True)`, 3.x `verify_jwt_in_request_optional()` | `VerifyOptions::new().optional(true)` |
/// | `verify_jwt_in_request(fresh=True)`, 3.x `verify_fresh_jwt_in_request()` | `VerifyOptions::new().fresh(true)` |
/// | `verify_jwt_in_request(refresh=True)`, 3.x `verify_jwt_refresh_token_in_request()` | `VerifyOptions::new().refresh(true)` |
/// | `verify_jwt_in_request(locations=["cookies"])` | `VerifyOptions::new().locations("cookies".parse()?)` |
/// | `verify_jwt_in_request(verify_type=False)` | `VerifyOptions::new().verify_type(false)` |
/// | `verify_jwt_in_request(skip_revocation_check=True)` | `VerifyOptions::new().skip_revocation_check(true)` |
// One flag per Flask keyword argument.
#[allow(clippy::struct_excessive_bools)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use]
pub struct VerifyOptions {
    optional: bool,
    requirement: Requirement,
}

impl Default for VerifyOptions {
    fn default() -> Self {
        Self::new()
    }
}

impl VerifyOptions {
    /// Flask's defaults: a required access token, from `jwt_token_location`, type and
    /// revocation checked.
    pub const fn new() -> Self {
        Self {
            optional: false,
            requirement: Requirement::ACCESS,
        }
    }

    /// `optional=True`: no token is no error ([`verify_jwt_in_request`] answers `None`); an
    /// expired, invalid or wrong-type token still is.
    pub const fn optional(mut self, optional: bool) -> Self {
        self.optional = optional;
        self
    }

    /// `fresh=True`: a fresh access token.
    pub const fn fresh(mut self, fresh: bool) -> Self {
        self.requirement.fresh = fresh;
        self
    }

    /// `refresh=True`: a refresh token (else any type but refresh).
    pub const fn refresh(mut self, refresh: bool) -> Self {
        self.requirement.refresh = refresh;
        self
    }

    /// `verify_type=False`: access and refresh tokens alike.
    pub const fn verify_type(mut self, verify_type: bool) -> Self {
        self.requirement.verify_type = verify_type;
        self
    }

    /// `skip_revocation_check=True`: do not ask the revocation store.
    pub const fn skip_revocation_check(mut self, skip: bool) -> Self {
        self.requirement.skip_revocation_check = skip;
        self
    }

    /// `locations=[...]`: where to look, in order, instead of `jwt_token_location`. The
    /// `json` location is the body, which only a data guard reads: it counts as missing here.
    pub const fn locations(mut self, locations: Locations) -> Self {
        self.requirement.locations = Some(locations);
        self
    }

    /// [`verify_jwt_in_request`] for a request guard's `from_request`: the same answer as an
    /// [`Outcome`], whose error the fairing writes out with Flask's JSON body, as for
    /// jwt-ext's own guards.
    ///
    /// # Example
    ///
    /// ```
    /// use jwt_ext::{JwtError, VerifyOptions};
    /// use rocket::request::{FromRequest, Outcome, Request};
    ///
    /// /// An administrator: a fresh token with `role: admin`.
    /// struct Admin(String);
    ///
    /// #[rocket::async_trait]
    /// impl<'r> FromRequest<'r> for Admin {
    ///     type Error = JwtError;
    ///
    ///     async fn from_request(request: &'r Request<'_>) -> Outcome<Self, JwtError> {
    ///         let token = match VerifyOptions::new().fresh(true).guard(request).await {
    ///             Outcome::Success(Some(token)) => token,
    ///             Outcome::Success(None) => return Outcome::Forward(rocket::http::Status::Unauthorized),
    ///             Outcome::Error(error) => return Outcome::Error(error),
    ///             Outcome::Forward(status) => return Outcome::Forward(status),
    ///         };
    ///         match token.claims().get("role").and_then(|role| role.as_str()) {
    ///             Some("admin") => Outcome::Success(Admin(token.identity().to_string())),
    ///             _ => Outcome::Forward(rocket::http::Status::Forbidden),
    ///         }
    ///     }
    /// }
    /// ```
    pub async fn guard(self, request: &Request<'_>) -> Outcome<Option<Jwt>, JwtError> {
        match verify_jwt_in_request(request, self).await {
            Ok(token) => Outcome::Success(token),
            Err(error) => Outcome::Error(refusal(request, error)),
        }
    }
}

/// Flask's `verify_jwt_in_request`: runs exactly the checks of the guards (find and decode the
/// token, then type, freshness, revocation, the token verification loader and the user
/// lookup, in Flask's order) from code that is not a handler parameter: a fairing, another
/// request guard, a catcher.
///
/// Answers the verified token, or `None` for an `OPTIONS` request and for an optional
/// requirement without a token (as Flask does), or the [`JwtError`] the guard would answer
/// (a [`Responder`](rocket::response::Responder) giving the same response). The answer is
/// remembered for the request like the guards': a guard or a second call with the same
/// requirement does not decode again, and on a route without `#[jwt_required]` a plain
/// [`Jwt`] parameter takes this requirement (Flask's `get_jwt()` after the call). It does not
/// refuse the request by itself: a fairing may let it go on. In a request guard use
/// [`VerifyOptions::guard`], whose error gets Flask's JSON body.
///
/// # Errors
///
/// The [`JwtError`] a guard with this requirement would refuse the request with.
///
/// # Example
///
/// ```
/// use jwt_ext::{verify_jwt_in_request, VerifyOptions};
/// use rocket::fairing::AdHoc;
///
/// /// Logs who calls, without refusing anyone: a fairing sees every request.
/// let audit = AdHoc::on_request("audit", |request, _| {
///     Box::pin(async move {
///         let options = VerifyOptions::new().optional(true);
///         if let Ok(Some(token)) = verify_jwt_in_request(request, options).await {
///             log::info!("{} by {}", request.uri(), token.identity());
///         }
///     })
/// });
/// ```
pub async fn verify_jwt_in_request(
    request: &Request<'_>,
    options: VerifyOptions,
) -> Result<Option<Jwt>, JwtError> {
    if request.method() == Method::Options {
        return Ok(None);
    }
    let state = RequestState::of(request);
    // What `Jwt` parameters of this request require, unless the route's attribute says.
    let _ = state.verified_in_request.set(options.requirement);
    match verify(request, state, options.requirement).await {
        Ok(found) => Ok(Some(Jwt::from_found(found))),
        Err(JwtError::NoAuthorization(_)) if options.optional => Ok(None),
        Err(error) => Err(error),
    }
}
