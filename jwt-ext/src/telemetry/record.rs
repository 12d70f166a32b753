//! The recording calls the rest of the crate makes: each compiles to nothing without the
//! `metrics` feature.

#[cfg(feature = "metrics")]
use std::sync::atomic::{AtomicU8, Ordering};
#[cfg(feature = "metrics")]
use std::sync::OnceLock;
#[cfg(feature = "metrics")]
use std::time::Instant;

#[cfg(feature = "metrics")]
use metrics::{Counter, Histogram};

#[cfg(feature = "metrics")]
use super::names::{
    JWKS_FETCH_SECONDS, NEAR_CACHE_ENTRIES, NEAR_CACHE_LOOKUPS, REFRESH_REUSE_DETECTED,
    REFRESH_ROTATIONS, REQUESTS_ACCEPTED, REQUESTS_REFUSED, REVOCATION_CHECK_SECONDS,
    REVOCATION_STORE_AVAILABLE, SESSIONS_REVOKED, TOKENS_CREATED, TOKENS_REVOKED,
    TOKEN_CACHE_ENTRIES, TOKEN_CACHE_LOOKUPS,
};

/// The `result` labels of the caches' lookups, by [`lookup_index`].
#[cfg(feature = "metrics")]
const LOOKUP_RESULTS: [&str; 3] = ["untrusted", "miss", "hit"];

/// The index in [`LOOKUP_RESULTS`] of a lookup: `Some(hit)`, or `None` when not trusted.
#[cfg(feature = "metrics")]
fn lookup_index(hit: Option<bool>) -> usize {
    hit.map_or(0, |hit| 1 + usize::from(hit))
}

/// The `result` labels of the revocation check, by [`check_index`].
#[cfg(feature = "metrics")]
const CHECK_RESULTS: [&str; 3] = ["valid", "revoked", "error"];

/// The index in [`CHECK_RESULTS`] of an answer: `Some(revoked)`, or `None` when the store
/// failed.
#[cfg(feature = "metrics")]
fn check_index(answer: Option<bool>) -> usize {
    answer.map_or(2, usize::from)
}

/// The `type` labels, by `refresh`.
#[cfg(feature = "metrics")]
const TOKEN_TYPES: [&str; 2] = ["access", "refresh"];

/// The handles of the series every request touches, registered once: a handle costs an atomic
/// add, the macros a lookup in the recorder's registry. Indexed like the label arrays.
#[cfg(feature = "metrics")]
struct Hot {
    accepted: [Counter; 2],
    /// Of the verified-token cache, which is always trusted: the last two of
    /// [`LOOKUP_RESULTS`].
    token_cache: [Counter; 2],
    near_cache: [Counter; 3],
    check: [Histogram; 3],
}

#[cfg(feature = "metrics")]
static HOT: OnceLock<Hot> = OnceLock::new();

/// Registers the per-request series with the recorder installed now. Called at liftoff, after
/// the application installed its recorder; until then (and in a process that never launches),
/// each recording looks its series up.
pub(crate) fn register_hot() {
    #[cfg(feature = "metrics")]
    HOT.get_or_init(|| Hot {
        accepted: TOKEN_TYPES.map(|kind| metrics::counter!(REQUESTS_ACCEPTED, "type" => kind)),
        token_cache: [LOOKUP_RESULTS[1], LOOKUP_RESULTS[2]]
            .map(|result| metrics::counter!(TOKEN_CACHE_LOOKUPS, "result" => result)),
        near_cache: LOOKUP_RESULTS
            .map(|result| metrics::counter!(NEAR_CACHE_LOOKUPS, "result" => result)),
        check: CHECK_RESULTS
            .map(|result| metrics::histogram!(REVOCATION_CHECK_SECONDS, "result" => result)),
    });
}

/// A request whose token passed every check, and that no guard refused.
#[cfg_attr(not(feature = "metrics"), allow(dead_code))]
pub(crate) fn request_accepted(refresh: bool) {
    #[cfg(feature = "metrics")]
    if let Some(hot) = HOT.get() {
        hot.accepted[usize::from(refresh)].increment(1);
    } else {
        let kind = TOKEN_TYPES[usize::from(refresh)];
        metrics::counter!(REQUESTS_ACCEPTED, "type" => kind).increment(1);
    }
    #[cfg(not(feature = "metrics"))]
    let _ = refresh;
}

/// A request a guard refused, for `reason` (one of the documented reasons).
#[cfg_attr(not(feature = "metrics"), allow(dead_code))]
pub(crate) fn request_refused(reason: &'static str) {
    #[cfg(feature = "metrics")]
    metrics::counter!(REQUESTS_REFUSED, "reason" => reason).increment(1);
    #[cfg(not(feature = "metrics"))]
    let _ = reason;
}

/// A token was signed.
pub(crate) fn token_created(refresh: bool) {
    #[cfg(feature = "metrics")]
    metrics::counter!(TOKENS_CREATED, "type" => TOKEN_TYPES[usize::from(refresh)]).increment(1);
    #[cfg(not(feature = "metrics"))]
    let _ = refresh;
}

/// A refresh token was rotated (`replayed`: presented again within the grace period).
pub(crate) fn refresh_rotated(replayed: bool) {
    #[cfg(feature = "metrics")]
    metrics::counter!(
        REFRESH_ROTATIONS,
        "outcome" => if replayed { "replayed" } else { "rotated" }
    )
    .increment(1);
    #[cfg(not(feature = "metrics"))]
    let _ = replayed;
}

/// A rotated-out refresh token came back; its login was revoked.
pub(crate) fn refresh_reuse_detected() {
    #[cfg(feature = "metrics")]
    {
        metrics::counter!(REFRESH_REUSE_DETECTED).increment(1);
        session_revoked("reuse_detected");
    }
}

/// A single token was revoked.
pub(crate) fn token_revoked() {
    #[cfg(feature = "metrics")]
    metrics::counter!(TOKENS_REVOKED).increment(1);
}

/// A login ended, for `cause` (`logout`, `end_session`, `logout_everywhere`,
/// `reuse_detected`).
pub(crate) fn session_revoked(cause: &'static str) {
    #[cfg(feature = "metrics")]
    metrics::counter!(SESSIONS_REVOKED, "cause" => cause).increment(1);
    #[cfg(not(feature = "metrics"))]
    let _ = cause;
}

/// Whether the revocation store answered the last check: 0 unknown, 1 yes, 2 no.
#[cfg(feature = "metrics")]
static STORE_STATE: AtomicU8 = AtomicU8::new(0);

/// The revocation store answered a request's check (`ok`), or failed: the availability gauge
/// changes when that does (a read per request, a write per change).
pub(crate) fn store_answered(ok: bool) {
    #[cfg(feature = "metrics")]
    {
        let state = if ok { 1 } else { 2 };
        if STORE_STATE.load(Ordering::Relaxed) != state
            && STORE_STATE.swap(state, Ordering::Relaxed) != state
        {
            metrics::gauge!(REVOCATION_STORE_AVAILABLE).set(if ok { 1.0 } else { 0.0 });
        }
    }
    #[cfg(not(feature = "metrics"))]
    let _ = ok;
}

/// A started measurement; free without the `metrics` feature.
pub(crate) struct Timer {
    #[cfg(feature = "metrics")]
    start: Instant,
}

impl Timer {
    /// Starts measuring.
    pub(crate) fn start() -> Self {
        Self {
            #[cfg(feature = "metrics")]
            start: Instant::now(),
        }
    }

    /// The revocation store answered a check: `Some(revoked)`, or `None` when it failed.
    #[cfg_attr(not(feature = "metrics"), allow(clippy::unused_self))]
    pub(crate) fn revocation_checked(self, answer: Option<bool>) {
        #[cfg(feature = "metrics")]
        {
            let elapsed = self.start.elapsed();
            let index = check_index(answer);
            if let Some(hot) = HOT.get() {
                hot.check[index].record(elapsed);
            } else {
                let result = CHECK_RESULTS[index];
                metrics::histogram!(REVOCATION_CHECK_SECONDS, "result" => result).record(elapsed);
            }
        }
        #[cfg(not(feature = "metrics"))]
        let _ = answer;
    }

    /// A remote JWKS fetch ended (`ok`: it gave usable keys).
    #[cfg_attr(not(feature = "remote-jwks"), allow(dead_code))]
    #[cfg_attr(not(feature = "metrics"), allow(clippy::unused_self))]
    pub(crate) fn jwks_fetched(self, ok: bool) {
        #[cfg(feature = "metrics")]
        metrics::histogram!(JWKS_FETCH_SECONDS, "result" => if ok { "ok" } else { "error" })
            .record(self.start.elapsed());
        #[cfg(not(feature = "metrics"))]
        let _ = ok;
    }
}

/// A lookup in the verified-token cache.
pub(crate) fn token_cache_lookup(hit: bool) {
    #[cfg(feature = "metrics")]
    if let Some(hot) = HOT.get() {
        hot.token_cache[usize::from(hit)].increment(1);
    } else {
        let result = LOOKUP_RESULTS[lookup_index(Some(hit))];
        metrics::counter!(TOKEN_CACHE_LOOKUPS, "result" => result).increment(1);
    }
    #[cfg(not(feature = "metrics"))]
    let _ = hit;
}

/// The verified-token cache holds `entries` tokens.
pub(crate) fn token_cache_size(entries: impl FnOnce() -> usize) {
    #[cfg(feature = "metrics")]
    #[allow(clippy::cast_precision_loss)]
    metrics::gauge!(TOKEN_CACHE_ENTRIES).set(entries() as f64);
    #[cfg(not(feature = "metrics"))]
    let _ = entries;
}

/// A lookup in the Redis near-cache: `Some(hit)`, or `None` when it was not trusted.
#[cfg_attr(not(feature = "redis"), allow(dead_code))]
pub(crate) fn near_cache_lookup(hit: Option<bool>) {
    #[cfg(feature = "metrics")]
    if let Some(hot) = HOT.get() {
        hot.near_cache[lookup_index(hit)].increment(1);
    } else {
        let result = LOOKUP_RESULTS[lookup_index(hit)];
        metrics::counter!(NEAR_CACHE_LOOKUPS, "result" => result).increment(1);
    }
    #[cfg(not(feature = "metrics"))]
    let _ = hit;
}

/// The Redis near-cache holds `entries` tokens.
#[cfg_attr(not(feature = "redis"), allow(dead_code))]
pub(crate) fn near_cache_size(entries: impl FnOnce() -> usize) {
    #[cfg(feature = "metrics")]
    #[allow(clippy::cast_precision_loss)]
    metrics::gauge!(NEAR_CACHE_ENTRIES).set(entries() as f64);
    #[cfg(not(feature = "metrics"))]
    let _ = entries;
}
