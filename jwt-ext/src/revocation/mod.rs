//! Revocation: Flask's `token_in_blocklist_loader`, done for the application.
//!
//! Every verified request asks the [`Blocklist`] whether its token was revoked (unless the
//! route says `skip_revocation_check`). Two stores ship: [`MemoryBlocklist`], the default, and
//! `RedisBlocklist` (cargo feature `redis`), shared by every instance behind a load balancer and
//! chosen by `jwt_redis_url`. The application can bring its own.
//!
//! What a store keeps, and for how long:
//! - a revoked token, by `jti`, until the last instant the token could still be used in any
//!   way: its `exp`, the end of its exchange window (`jwt_sliding_refresh_window`) and the
//!   clock leeway, whichever is latest;
//! - a revoked login (the `fam` claim shared by a login's tokens), until the last token of the
//!   login could be used;
//! - the rotation state of a login's refresh tokens, and the state of an exchange chain, one
//!   entry each however many times the login refreshes or exchanges;
//! - an identity's logins ([`Session`]s, bounded per identity, each dropped when it ends), and
//!   the instant it last logged out everywhere, until every token issued before could be
//!   used.
//!
//! Fail closed: when the store cannot answer, protected routes answer
//! `503 {"msg": "Token revocation store unavailable"}`, never 200.
//!
//! May use: the leaves, [`config`](crate::config) and [`token`](crate::token).

mod entry;
mod error;
mod memory;
mod memory_entries;
mod memory_sessions;
#[cfg(feature = "redis")]
mod redis;
mod session;
mod store;

pub(crate) use entry::{
    exp_seconds, identity_text, keep_until, owner, replaced_in_chain, revocation, Revocation,
};
pub use error::{RevokeError, StoreError};
pub use memory::MemoryBlocklist;
#[cfg(feature = "redis")]
pub use redis::RedisBlocklist;
pub(crate) use session::logged_out_by;
pub use session::Session;
pub use store::{Blocklist, Exchange, Rotation, RotationOutcome};
