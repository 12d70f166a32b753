//! The request side: what jwt-ext remembers about one request, taking a token out of each
//! location, the CSRF double submit, the search over the locations, verification, the request
//! guards, the JSON data guard, the current user and authorisation.
//!
//! May use: everything below the manager, and the [`JwtManager`](crate::JwtManager) itself
//! (read from Rocket's managed state). Responses, browser support, the refresh flows and the
//! fairing build on this module, never the other way round.

pub(crate) mod authz;
pub(crate) mod csrf;
pub(crate) mod extract;
pub(crate) mod guards;
pub(crate) mod json;
pub(crate) mod search;
pub(crate) mod state;
pub(crate) mod step_up;
pub(crate) mod user;
pub(crate) mod verify;
