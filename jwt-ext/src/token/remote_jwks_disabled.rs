//! Without the `remote-jwks` cargo feature: the same interface as the remote JWK Sets, for
//! types that cannot exist, so that the manager and the fairing carry no `cfg` of their own.
//! The configuration check refuses the remote settings without the feature, naming it;
//! `connect` refuses them too, should a configuration reach it unchecked.

use std::sync::Arc;
use std::time::Duration;

use crate::config::Config;
use crate::token::cache::TokenCache;
use crate::token::decode::Verifier;

/// No HTTP client in this build.
#[derive(Clone)]
pub(crate) enum HttpClient {}

/// No remote JWK Set: this build has no HTTP client.
pub(crate) enum RemoteJwks {}

/// No remote key source; an error if the settings name one.
#[allow(clippy::unused_async)]
pub(crate) async fn connect(
    config: &Config,
    _: &Verifier,
    _: &Arc<TokenCache>,
    _: Option<HttpClient>,
    _: bool,
) -> Result<Vec<Arc<RemoteJwks>>, String> {
    if config.jwks_url.is_some() || config.has_remote_issuers() {
        return Err("remote keys need jwt-ext's `remote-jwks` cargo feature".into());
    }
    Ok(Vec::new())
}

// The signatures are those of the real type; the bodies are never reached.
#[allow(clippy::unused_async, clippy::unused_self)]
impl RemoteJwks {
    pub(crate) fn url(&self) -> &str {
        match *self {}
    }

    pub(crate) fn refresh_interval(&self) -> Duration {
        match *self {}
    }

    pub(crate) fn wants_refetch(&self) -> bool {
        match *self {}
    }

    pub(crate) async fn refetch_for_unknown_kid(&self) -> bool {
        match *self {}
    }

    pub(crate) async fn keep_fresh(self: Arc<Self>, _: rocket::Shutdown) {
        match *self {}
    }
}
