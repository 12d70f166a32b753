//! Support for the code `#[jwt_required]` generates. Not public API: names and shapes here
//! change without notice.

use rocket::request::{FromRequest, Outcome, Request};
use rocket::{Ignite, Rocket, Sentinel};

use crate::error::JwtError;
use crate::guard::{fail, fairing_missing, verify, Requirement};

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
