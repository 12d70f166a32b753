//! The fairing: the application's callbacks registered on it, configuration at ignite, a
//! summary at liftoff, refusals written on response.
//!
//! May use: every module above the integrations; only the integrations and the crate root use it.

mod callbacks;
mod hooks;
mod setup;

pub use setup::JwtFairing;
pub(crate) use setup::BUILT_WITH;
