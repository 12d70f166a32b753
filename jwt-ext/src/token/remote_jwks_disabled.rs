//! Without the `remote-jwks` cargo feature: the same interface as the remote JWK Set, for a
//! type that cannot exist, so that the manager and the fairing carry no `cfg` of their own.
//! The configuration check refuses `jwt_jwks_url` without the feature, naming it; `new`
//! refuses it too, should a configuration reach it unchecked.

use std::sync::Arc;
use std::time::Duration;

use crate::config::Config;
use crate::token::cache::TokenCache;
use crate::token::decode::Verifier;

/// No remote JWK Set: this build has no HTTP client.
pub(crate) enum RemoteJwks {}

// The signatures are those of the real type; the bodies are never reached.
#[allow(clippy::unused_async, clippy::unused_self)]
impl RemoteJwks {
    pub(crate) fn new(
        _: &Config,
        _: &str,
        _: Arc<Verifier>,
        _: Arc<TokenCache>,
    ) -> Result<Self, String> {
        Err("needs jwt-ext's `remote-jwks` cargo feature".into())
    }

    pub(crate) fn url(&self) -> &str {
        match *self {}
    }

    pub(crate) fn refresh_interval(&self) -> Duration {
        match *self {}
    }

    pub(crate) async fn refresh(&self) -> Result<usize, String> {
        match *self {}
    }

    pub(crate) async fn refetch_for_unknown_kid(&self) -> bool {
        match *self {}
    }

    pub(crate) async fn keep_fresh(self: Arc<Self>, _: rocket::Shutdown) {
        match *self {}
    }
}
