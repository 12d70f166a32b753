//! Tokens on their own, without a request: the claim layout, creating and verifying compact
//! JWTs, the keys that sign and verify them, the verified-token cache and the remote JWK Set.
//!
//! May use: the leaves ([`error`](crate::error), [`clock`](crate::clock),
//! [`location`](crate::location), [`telemetry`](crate::telemetry)) and [`config`](crate::config). Nothing here knows about
//! requests, stores or the manager.

pub(crate) mod cache;
pub(crate) mod claims;
pub(crate) mod decode;
#[cfg(feature = "remote-jwks")]
pub(crate) mod discovery;
pub(crate) mod encode;
#[cfg(feature = "remote-jwks")]
pub(crate) mod fetch;
pub(crate) mod hmac;
pub(crate) mod issuers;
pub(crate) mod json_object;
pub(crate) mod jwk;
pub(crate) mod key_slot;
pub(crate) mod keys;
pub mod kind;
pub(crate) mod provider;
#[cfg(feature = "remote-jwks")]
pub(crate) mod remote_jwks;
#[cfg(not(feature = "remote-jwks"))]
#[path = "remote_jwks_disabled.rs"]
pub(crate) mod remote_jwks;
pub(crate) mod requirement;
