//! Sessions: each login ([`JwtManager::login`](crate::JwtManager::login)) is one, shared by
//! its refresh token and every access token minted from it. An identity lists its logins, ends
//! one, or logs out everywhere; an application can do the same for any identity (an admin
//! disabling a user, a password change).
//!
//! May use: the manager, the revocation stores, the refresh flows and everything below them.

mod error;
mod login;
mod manage;

pub use error::SessionError;
pub use login::LoginBuilder;
