//! A bounded cache of verified tokens, so a token the server has already verified costs a
//! hash lookup instead of a signature check and a JSON parse.
//!
//! Envoy's JWT filter does the same: entries are keyed by the exact token bytes (the bytes
//! whose signature was verified), only successes are cached, and `exp`/`nbf` are checked
//! again on every hit; revocation, type, freshness and the application's loaders run on every
//! request as before. Bounded by entry count (`jwt_token_cache_size`, default
//! [`DEFAULT_CACHE_SIZE`]; 0 turns it off) and by token size (tokens over
//! [`MAX_CACHED_TOKEN_LENGTH`] bytes are never cached), evicting with S3-FIFO
//! (`quick_cache`).

use std::sync::Arc;

use quick_cache::sync::Cache;
use serde_json::Value;

use crate::claims::DecodedToken;

/// The default of `jwt_token_cache_size`: verified tokens kept, at most.
pub const DEFAULT_CACHE_SIZE: usize = 4096;

/// Tokens longer than this are verified every time, never cached (bytes).
pub const MAX_CACHED_TOKEN_LENGTH: usize = 2048;

/// A verified token and the time bounds to check again on each use.
struct Entry {
    token: Arc<DecodedToken>,
    exp: Option<f64>,
    nbf: Option<f64>,
}

pub(crate) struct TokenCache {
    entries: Option<Cache<Box<str>, Arc<Entry>>>,
    leeway: f64,
}

impl TokenCache {
    pub(crate) fn new(size: usize, leeway: u64) -> Self {
        #[allow(clippy::cast_precision_loss)]
        let leeway = leeway as f64;
        Self {
            entries: (size > 0).then(|| Cache::new(size)),
            leeway,
        }
    }

    /// The token, if it was verified before and is still within its `nbf`/`exp`.
    pub(crate) fn get(&self, encoded: &str, now: f64) -> Option<Arc<DecodedToken>> {
        let entry = self.entries.as_ref()?.get(encoded)?;
        let live = entry.exp.is_none_or(|exp| exp > now - self.leeway)
            && entry.nbf.is_none_or(|nbf| nbf <= now + self.leeway);
        live.then(|| Arc::clone(&entry.token))
    }

    /// Remembers a token that passed verification.
    pub(crate) fn insert(&self, encoded: &str, token: &Arc<DecodedToken>) {
        let Some(entries) = &self.entries else {
            return;
        };
        if encoded.len() > MAX_CACHED_TOKEN_LENGTH {
            return;
        }
        let time = |claim: &str| token.claims().get(claim).and_then(Value::as_f64);
        let entry = Entry {
            token: Arc::clone(token),
            exp: time("exp"),
            nbf: time("nbf"),
        };
        entries.insert(encoded.into(), Arc::new(entry));
    }
}

impl TokenCache {
    /// Forgets every verified token: the verification keys changed.
    #[cfg_attr(not(feature = "remote-jwks"), allow(dead_code))]
    pub(crate) fn clear(&self) {
        if let Some(entries) = &self.entries {
            entries.clear();
        }
    }
}
