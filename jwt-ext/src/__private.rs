//! Support for the code `#[jwt_required]` generates. Not public API: names and shapes here
//! change without notice.

use rocket::request::{FromRequest, Outcome, Request};
use rocket::{Ignite, Rocket, Sentinel};

use crate::error::JwtError;
use crate::guard::{fail, fairing_missing, verify};

/// What a route requires of its token: Flask's `jwt_required` arguments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Requirement {
    /// Require `type: "refresh"` (else any type but `"refresh"`).
    pub refresh: bool,
    /// Require a fresh token.
    pub fresh: bool,
    /// Check the `type` claim at all.
    pub verify_type: bool,
}

/// The requirement of the route's attribute, recorded by [`Required`] for the `Route` kind.
struct RouteRequirement(Option<Requirement>);

impl Requirement {
    /// The requirement of the route's `#[jwt_required]`, if the route has one.
    pub(crate) fn of_route(request: &Request<'_>) -> Option<Self> {
        request.local_cache(|| RouteRequirement(None)).0
    }
}

/// The guard `#[jwt_required(...)]` inserts as a handler's first parameter, so that
/// authentication runs before every other guard and before the body is read.
///
/// The const parameters are the attribute's arguments.
#[derive(Debug, Clone, Copy)]
pub struct Required<
    const REFRESH: bool,
    const FRESH: bool,
    const OPTIONAL: bool,
    const VERIFY_TYPE: bool,
>(());

#[rocket::async_trait]
impl<'r, const REFRESH: bool, const FRESH: bool, const OPTIONAL: bool, const VERIFY_TYPE: bool>
    FromRequest<'r> for Required<REFRESH, FRESH, OPTIONAL, VERIFY_TYPE>
{
    type Error = JwtError;

    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, JwtError> {
        let requirement = Requirement {
            refresh: REFRESH,
            fresh: FRESH,
            verify_type: VERIFY_TYPE,
        };
        // Recorded for `Jwt` / `OptionalJwt` parameters of the same handler.
        request.local_cache(|| RouteRequirement(Some(requirement)));
        match verify(request, requirement).await {
            Ok(_) => Outcome::Success(Self(())),
            Err(JwtError::NoAuthorization(_)) if OPTIONAL => Outcome::Success(Self(())),
            Err(error) => fail(request, error),
        }
    }
}

impl<const REFRESH: bool, const FRESH: bool, const OPTIONAL: bool, const VERIFY_TYPE: bool> Sentinel
    for Required<REFRESH, FRESH, OPTIONAL, VERIFY_TYPE>
{
    fn abort(rocket: &Rocket<Ignite>) -> bool {
        fairing_missing(rocket)
    }
}
