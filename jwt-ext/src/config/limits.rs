//! The bounds and defaults that other parts of the crate size themselves by.

use rocket::time::Duration;

/// The largest `jwt_decode_leeway`, in seconds. A bigger clock skew means a broken clock.
pub const MAX_LEEWAY_SECONDS: u64 = 3600;

/// The longest token lifetime accepted in configuration (100 years).
pub const MAX_LIFETIME: Duration = Duration::days(36_525);

/// The default of `jwt_max_token_length`, in bytes. Flask-JWT-Extended has no such limit;
/// tokens it issues are a few hundred bytes.
pub const DEFAULT_MAX_TOKEN_LENGTH: usize = 8 * 1024;

/// The default of `jwt_blocklist_max_entries`: live entries the in-memory store holds.
pub const DEFAULT_MAX_ENTRIES: usize = 1_000_000;

/// The default of `jwt_blocklist_max_entries_per_identity`: live entries one identity's
/// logouts, rotations and exchanges may hold in the in-memory store, so that no single
/// identity can fill it for everyone (a hundred identities would be needed to fill the
/// default store).
pub const DEFAULT_MAX_ENTRIES_PER_IDENTITY: usize = 10_000;

/// The default of `jwt_token_cache_size`: verified tokens kept, at most.
pub const DEFAULT_CACHE_SIZE: usize = 4096;

/// Default of `jwt_jwks_refresh_interval`: five minutes.
pub const DEFAULT_JWKS_REFRESH_INTERVAL: u64 = 300;

/// Default of `jwt_jwks_min_refetch_interval`: ten seconds.
pub const DEFAULT_JWKS_MIN_REFETCH_INTERVAL: u64 = 10;

/// The default of `jwt_redis_near_cache_size`: Redis keys each instance keeps in memory (a
/// token's check reads one to three; about 200 bytes each).
pub const DEFAULT_NEAR_CACHE_SIZE: usize = 100_000;
