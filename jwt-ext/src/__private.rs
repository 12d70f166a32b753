//! Support for the code `#[jwt_required]` generates, and for `jwt-ext-okapi` (released with
//! this crate, at the same version). Not public API: names and shapes here change without
//! notice.
//!
//! May use: anything; only the code the macros generate and `jwt-ext-okapi` use it.

use std::marker::PhantomData;

use rocket::request::{FromRequest, Outcome, Request};
use rocket::{Ignite, Rocket, Sentinel};

use crate::location::Locations;
use crate::manager::fairing_missing;
use crate::request::guards::{fail, verify};
use crate::request::state::RequestState;

// What the generated code names (the macro crate's `exports.rs` lists the same), besides the
// items defined below.
pub use crate::error::JwtError;
pub use crate::location::Location;
pub use crate::request::authz::ClaimsRequirement;
pub use crate::token::claims::DecodedToken;
pub use crate::token::requirement::Requirement;

/// The configuration of the last [`JwtManager::fairing_with`](crate::JwtManager::fairing_with)
/// built on this thread, if any: what an OpenAPI spec built afterwards describes.
pub fn last_fairing_config() -> Option<crate::Config> {
    crate::fairing::BUILT_WITH.with_borrow(Clone::clone)
}

/// Replaces [`last_fairing_config`], returning the previous one.
pub fn replace_last_fairing_config(config: Option<crate::Config>) -> Option<crate::Config> {
    crate::fairing::BUILT_WITH.replace(config)
}

/// The check of a route's `audience = ...`: [`has_audience`](crate::has_audience)'s rule and
/// refusal, on the attribute's literals.
///
/// # Errors
///
/// [`JwtError::WrongAudience`] when the token's `aud` names none of `audiences`.
pub fn check_audience(audiences: &[&str], token: &DecodedToken) -> Result<(), JwtError> {
    crate::request::step_up::audience_check(audiences.iter().copied(), token)
        .map_err(JwtError::WrongAudience)
}

/// Packs a route's `locations` argument into the guard's const parameter.
#[must_use]
pub const fn pack_locations(locations: &[Location]) -> u16 {
    Locations::pack(locations)
}

/// The `claims = <expr>` of one handler's attribute, as a type: the attribute generates a
/// hidden unit struct implementing this for each handler that has one.
pub trait ClaimsCheck: Send + Sync + 'static {
    /// Whether [`check`](Self::check) can refuse (a 403 to document).
    const CHECKS: bool = true;

    /// Evaluates the requirement expression against the token.
    ///
    /// # Errors
    ///
    /// The refusal ([`ClaimsRequirement::verdict`]).
    fn check(token: &DecodedToken) -> Result<(), JwtError>;
}

/// No `claims = ...` argument.
#[derive(Debug, Clone, Copy)]
pub struct NoClaims;

impl ClaimsCheck for NoClaims {
    const CHECKS: bool = false;

    fn check(_: &DecodedToken) -> Result<(), JwtError> {
        Ok(())
    }
}

/// The guard `#[jwt_required(...)]` inserts as a handler's first parameter, so that
/// authentication runs before every other guard and before the body is read.
///
/// The const parameters are the attribute's arguments (`LOCATIONS` packed by
/// [`Locations::from_code`], 0 for none); `C` its `claims = ...`.
pub struct Required<
    const REFRESH: bool,
    const FRESH: bool,
    const OPTIONAL: bool,
    const VERIFY_TYPE: bool,
    const SKIP_REVOCATION_CHECK: bool,
    const LOCATIONS: u16,
    C = NoClaims,
>(PhantomData<fn() -> C>);

impl<
        const R: bool,
        const F: bool,
        const O: bool,
        const V: bool,
        const S: bool,
        const L: u16,
        C,
    > Clone for Required<R, F, O, V, S, L, C>
{
    fn clone(&self) -> Self {
        *self
    }
}

// A `Copy` guard: pedantic clippy's `needless_pass_by_value` stays quiet about it.
impl<
        const R: bool,
        const F: bool,
        const O: bool,
        const V: bool,
        const S: bool,
        const L: u16,
        C,
    > Copy for Required<R, F, O, V, S, L, C>
{
}

impl<
        const R: bool,
        const F: bool,
        const O: bool,
        const V: bool,
        const S: bool,
        const L: u16,
        C,
    > std::fmt::Debug for Required<R, F, O, V, S, L, C>
{
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Required")
    }
}

impl<
        const REFRESH: bool,
        const FRESH: bool,
        const OPTIONAL: bool,
        const VERIFY_TYPE: bool,
        const SKIP_REVOCATION_CHECK: bool,
        const LOCATIONS: u16,
        C,
    > Required<REFRESH, FRESH, OPTIONAL, VERIFY_TYPE, SKIP_REVOCATION_CHECK, LOCATIONS, C>
{
    /// The attribute's arguments as a [`Requirement`].
    pub const REQUIREMENT: Requirement = Requirement {
        refresh: REFRESH,
        fresh: FRESH,
        verify_type: VERIFY_TYPE,
        skip_revocation_check: SKIP_REVOCATION_CHECK,
        locations: Locations::from_code(LOCATIONS),
    };
}

#[rocket::async_trait]
impl<
        'r,
        const REFRESH: bool,
        const FRESH: bool,
        const OPTIONAL: bool,
        const VERIFY_TYPE: bool,
        const SKIP_REVOCATION_CHECK: bool,
        const LOCATIONS: u16,
        C: ClaimsCheck,
    > FromRequest<'r>
    for Required<REFRESH, FRESH, OPTIONAL, VERIFY_TYPE, SKIP_REVOCATION_CHECK, LOCATIONS, C>
{
    type Error = JwtError;

    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, JwtError> {
        let requirement = Self::REQUIREMENT;
        let state = RequestState::of(request);
        // Recorded for `Jwt` / `OptionalJwt` parameters of the same handler.
        let _ = state.route.set(requirement);
        let checked = match verify(request, state, requirement).await {
            Ok(found) => C::check(&found.token),
            Err(JwtError::NoAuthorization(_)) if OPTIONAL => Ok(()),
            Err(error) => Err(error),
        };
        match checked {
            Ok(()) => Outcome::Success(Self(PhantomData)),
            Err(error) => fail(request, error),
        }
    }
}

impl<
        const R: bool,
        const F: bool,
        const O: bool,
        const V: bool,
        const S: bool,
        const L: u16,
        C,
    > Sentinel for Required<R, F, O, V, S, L, C>
{
    fn abort(rocket: &Rocket<Ignite>) -> bool {
        fairing_missing(rocket)
    }
}
