//! The clock every expiry and freshness check reads: float UNIX seconds, as PyJWT compares.
//!
//! A leaf: uses nothing else of the crate.

use std::time::{SystemTime, UNIX_EPOCH};

/// The current time as float UNIX seconds, the clock PyJWT compares against.
pub(crate) fn now_seconds() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |elapsed| elapsed.as_secs_f64())
}
