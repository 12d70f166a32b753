//! The names of the series, as the exporter shows them.

/// Counter: requests whose token passed every check; label `type`.
pub const REQUESTS_ACCEPTED: &str = "jwt_ext_requests_accepted_total";
/// Counter: requests a jwt-ext guard refused; label `reason`.
pub const REQUESTS_REFUSED: &str = "jwt_ext_requests_refused_total";
/// Counter: tokens signed; label `type`.
pub const TOKENS_CREATED: &str = "jwt_ext_tokens_created_total";
/// Counter: refresh-token rotations; label `outcome`.
pub const REFRESH_ROTATIONS: &str = "jwt_ext_refresh_rotations_total";
/// Counter: rotated-out refresh tokens presented again.
pub const REFRESH_REUSE_DETECTED: &str = "jwt_ext_refresh_reuse_detected_total";
/// Counter: single tokens revoked.
pub const TOKENS_REVOKED: &str = "jwt_ext_tokens_revoked_total";
/// Counter: logins ended; label `cause`.
pub const SESSIONS_REVOKED: &str = "jwt_ext_sessions_revoked_total";
/// Histogram (seconds): the revocation store's answer to a check; label `result`.
pub const REVOCATION_CHECK_SECONDS: &str = "jwt_ext_revocation_check_seconds";
/// Gauge: 1 while the revocation store answers, 0 since it failed.
pub const REVOCATION_STORE_AVAILABLE: &str = "jwt_ext_revocation_store_available";
/// Histogram (seconds): remote JWKS fetches; label `result`.
pub const JWKS_FETCH_SECONDS: &str = "jwt_ext_jwks_fetch_seconds";
/// Counter: verified-token cache lookups; label `result`.
pub const TOKEN_CACHE_LOOKUPS: &str = "jwt_ext_token_cache_lookups_total";
/// Gauge: tokens in the verified-token cache.
pub const TOKEN_CACHE_ENTRIES: &str = "jwt_ext_token_cache_entries";
/// Counter: Redis near-cache lookups; label `result`.
pub const NEAR_CACHE_LOOKUPS: &str = "jwt_ext_redis_near_cache_lookups_total";
/// Gauge: tokens in the Redis near-cache.
pub const NEAR_CACHE_ENTRIES: &str = "jwt_ext_redis_near_cache_entries";
