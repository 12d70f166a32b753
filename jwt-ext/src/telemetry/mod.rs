//! What jwt-ext reports to the `metrics` facade (cargo feature `metrics`).
//!
//! With the feature on, jwt-ext records the series below through the [`metrics`] crate's
//! macros; the application picks the exporter (Prometheus, `StatsD`, `OpenTelemetry`...) and
//! installs it as the process's recorder, before the rocket launches. Without a recorder the
//! calls do nothing; without the feature they are not compiled at all.
//!
//! | name | kind | labels | counts or measures |
//! |---|---|---|---|
//! | [`REQUESTS_ACCEPTED`] | counter | `type`: `access`, `refresh` | requests whose token passed every check and that no jwt-ext guard refused |
//! | [`REQUESTS_REFUSED`] | counter | `reason` (below) | requests a jwt-ext guard refused, once per request |
//! | [`TOKENS_CREATED`] | counter | `type`: `access`, `refresh` | tokens signed, whatever created them (logins, refreshes, exchanges, the implicit cookie refresh) |
//! | [`REFRESH_ROTATIONS`] | counter | `outcome`: `rotated`, `replayed` | refresh tokens exchanged under `jwt_refresh_token_rotation`; `replayed`: the same token again within `jwt_refresh_token_reuse_grace`, given the same successor |
//! | [`REFRESH_REUSE_DETECTED`] | counter | — | rotated-out refresh tokens presented again: each revoked its whole login |
//! | [`TOKENS_REVOKED`] | counter | — | single tokens revoked ([`JwtManager::revoke`](crate::JwtManager::revoke)) |
//! | [`SESSIONS_REVOKED`] | counter | `cause`: `logout`, `end_session`, `logout_everywhere`, `reuse_detected` | logins ended; `logout_everywhere` counts one per identity logged out |
//! | [`REVOCATION_CHECK_SECONDS`] | histogram | `result`: `valid`, `revoked`, `error` | time the revocation store took to answer a request's check: Redis round trips (not the near-cache's answers) and an application's own store; the in-memory store answers in nanoseconds and is not timed |
//! | [`REVOCATION_STORE_AVAILABLE`] | gauge | — | 1 while the revocation store answers checks, 0 since one failed (set when that changes) |
//! | [`JWKS_FETCH_SECONDS`] | histogram | `result`: `ok`, `error` | remote JWKS fetches (`jwt_jwks_url`, `jwt_issuers`, `jwt_oidc_issuer`): at ignite, on schedule, for an unknown `kid` |
//! | [`TOKEN_CACHE_LOOKUPS`] | counter | `result`: `hit`, `miss` | lookups in the verified-token cache (`jwt_token_cache_size`) |
//! | [`TOKEN_CACHE_ENTRIES`] | gauge | — | tokens in the verified-token cache, set as tokens are added |
//! | [`NEAR_CACHE_LOOKUPS`] | counter | `result`: `hit`, `miss`, `untrusted` | revocation checks the Redis near-cache answered, could not, or was not trusted to (no recent push) |
//! | [`NEAR_CACHE_ENTRIES`] | gauge | — | tokens in the Redis near-cache, set as entries are added |
//!
//! Refusal reasons: `missing`, `invalid` (a bad signature, a malformed token or header, an
//! unknown key, an unlisted issuer, Flask's own audience check...), `expired`, `wrong_type`,
//! `needs_fresh`, `revoked`, `csrf`, `forbidden` (a claims requirement), `wrong_audience` (a
//! route's or a remote issuer's audience), `insufficient_user_authentication` (a step-up
//! requirement), `store_unavailable`,
//! `claims_verification_failed`, `verification_unavailable`, `user_lookup_failed`,
//! `revocation_quota`, `misconfigured`.
//!
//! Labels only ever take the values listed: never a token, an identity, a `jti`, a route or a
//! secret, so the number of series stays fixed. The histograms are in seconds; an exporter
//! that needs buckets gets them from the application (e.g.
//! `PrometheusBuilder::set_buckets_for_metric`).

mod names;
pub(crate) mod record;

pub use names::{
    JWKS_FETCH_SECONDS, NEAR_CACHE_ENTRIES, NEAR_CACHE_LOOKUPS, REFRESH_REUSE_DETECTED,
    REFRESH_ROTATIONS, REQUESTS_ACCEPTED, REQUESTS_REFUSED, REVOCATION_CHECK_SECONDS,
    REVOCATION_STORE_AVAILABLE, SESSIONS_REVOKED, TOKENS_CREATED, TOKENS_REVOKED,
    TOKEN_CACHE_ENTRIES, TOKEN_CACHE_LOOKUPS,
};
