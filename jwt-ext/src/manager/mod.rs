//! [`JwtManager`]: the validated settings and keys, managed by Rocket; Flask's `JWTManager`.
//! Creates, decodes and revokes tokens.
//!
//! May use: [`config`](crate::config), [`token`](crate::token), [`loaders`](crate::loaders)
//! and [`revocation`](crate::revocation). The request side, responses, browser support, the
//! refresh flows and the fairing build on the manager.

mod builder;
mod revoke;
mod setup;
mod tokens;

pub use builder::TokenBuilder;
pub(crate) use setup::fairing_missing;
pub use setup::JwtManager;
