//! [`Config`]: one field per setting, and Flask's defaults.

use jsonwebtoken::Algorithm;
use rocket::time::Duration;

use crate::location::Locations;

use super::limits::{
    DEFAULT_CACHE_SIZE, DEFAULT_JWKS_MIN_REFETCH_INTERVAL, DEFAULT_JWKS_REFRESH_INTERVAL,
    DEFAULT_MAX_ENTRIES, DEFAULT_MAX_ENTRIES_PER_IDENTITY, DEFAULT_MAX_TOKEN_LENGTH,
};
use super::values::{KeyEntry, Lifetime, OneOrMany, SecretKey};

/// jwt-ext's settings: Flask-JWT-Extended's options under Rocket's names.
///
/// Read from Rocket's figment by [`JwtManager::fairing`](crate::JwtManager::fairing), or built in
/// code, starting from [`Config::default`] (Flask's defaults) and chaining the setters, for
/// [`JwtManager::fairing_with`](crate::JwtManager::fairing_with) or
/// [`JwtManager::new`](crate::JwtManager::new).
///
/// | key (`Rocket.toml`; `ROCKET_` + upper case in the environment) | field | default |
/// |---|---|---|
/// | `jwt_secret_key` | [`secret_key`](Self::secret_key) | none (debug: a random one) |
/// | `jwt_algorithm` | [`algorithm`](Self::algorithm) | `"HS256"` |
/// | `jwt_decode_algorithms` | [`decode_algorithms`](Self::decode_algorithms) | `[jwt_algorithm]` |
/// | `jwt_access_token_expires` | [`access_token_expires`](Self::access_token_expires) | `900` (s) |
/// | `jwt_refresh_token_expires` | [`refresh_token_expires`](Self::refresh_token_expires) | `2592000` (s) |
/// | `jwt_identity_claim` | [`identity_claim`](Self::identity_claim) | `"sub"` |
/// | `jwt_error_message_key` | [`error_message_key`](Self::error_message_key) | `"msg"` |
/// | `jwt_header_name` | [`header_name`](Self::header_name) | `"Authorization"` |
/// | `jwt_header_type` | [`header_type`](Self::header_type) | `"Bearer"` |
/// | `jwt_token_location` | [`token_location`](Self::token_location) | `"headers"` |
/// | `jwt_decode_leeway` | [`decode_leeway`](Self::decode_leeway) | `0` (s) |
/// | `jwt_encode_nbf` | [`encode_nbf`](Self::encode_nbf) | `true` |
/// | `jwt_verify_sub` | [`verify_sub`](Self::verify_sub) | `true` |
/// | `jwt_encode_audience` | [`encode_audience`](Self::encode_audience) | none |
/// | `jwt_decode_audience` | [`decode_audience`](Self::decode_audience) | none |
/// | `jwt_encode_issuer` | [`encode_issuer`](Self::encode_issuer) | none |
/// | `jwt_decode_issuer` | [`decode_issuer`](Self::decode_issuer) | none |
/// | `jwt_cookie_csrf_protect` | [`cookie_csrf_protect`](Self::cookie_csrf_protect) | `true` |
/// | `jwt_access_cookie_name` / `jwt_refresh_cookie_name` | [`access_cookie_name`](Self::access_cookie_name), [`refresh_cookie_name`](Self::refresh_cookie_name) | `"access_token_cookie"` / `"refresh_token_cookie"` |
/// | `jwt_access_cookie_path` / `jwt_refresh_cookie_path` | [`access_cookie_path`](Self::access_cookie_path), [`refresh_cookie_path`](Self::refresh_cookie_path) | `"/"` |
/// | `jwt_cookie_secure` | [`cookie_secure`](Self::cookie_secure) | `false` |
/// | `jwt_cookie_domain` | [`cookie_domain`](Self::cookie_domain) | none |
/// | `jwt_cookie_samesite` | [`cookie_samesite`](Self::cookie_samesite) | none (`SameSite=Lax` is written) |
/// | `jwt_session_cookie` | [`session_cookie`](Self::session_cookie) | `true` |
/// | `jwt_csrf_methods` | [`csrf_methods`](Self::csrf_methods) | `["POST", "PUT", "PATCH", "DELETE"]` |
/// | `jwt_csrf_in_cookies` | [`csrf_in_cookies`](Self::csrf_in_cookies) | `true` |
/// | `jwt_access_csrf_cookie_name` / `jwt_refresh_csrf_cookie_name` | [`access_csrf_cookie_name`](Self::access_csrf_cookie_name), [`refresh_csrf_cookie_name`](Self::refresh_csrf_cookie_name) | `"csrf_access_token"` / `"csrf_refresh_token"` |
/// | `jwt_access_csrf_cookie_path` / `jwt_refresh_csrf_cookie_path` | [`access_csrf_cookie_path`](Self::access_csrf_cookie_path), [`refresh_csrf_cookie_path`](Self::refresh_csrf_cookie_path) | `"/"` |
/// | `jwt_access_csrf_header_name` / `jwt_refresh_csrf_header_name` | [`access_csrf_header_name`](Self::access_csrf_header_name), [`refresh_csrf_header_name`](Self::refresh_csrf_header_name) | `"X-CSRF-TOKEN"` |
/// | `jwt_csrf_check_form` | [`csrf_check_form`](Self::csrf_check_form) | `false` |
/// | `jwt_access_csrf_field_name` / `jwt_refresh_csrf_field_name` | [`access_csrf_field_name`](Self::access_csrf_field_name), [`refresh_csrf_field_name`](Self::refresh_csrf_field_name) | `"csrf_token"` |
/// | `jwt_query_string_name` | [`query_string_name`](Self::query_string_name) | `"jwt"` |
/// | `jwt_query_string_value_prefix` | [`query_string_value_prefix`](Self::query_string_value_prefix) | `""` |
/// | `jwt_json_key` / `jwt_refresh_json_key` | [`json_key`](Self::json_key), [`refresh_json_key`](Self::refresh_json_key) | `"access_token"` / `"refresh_token"` |
/// | `jwt_refresh_cookie_post_only` | [`refresh_cookie_post_only`](Self::refresh_cookie_post_only) | `false` |
/// | `jwt_jwks_url` | [`jwks_url`](Self::jwks_url) | none |
/// | `jwt_jwks_refresh_interval` | [`jwks_refresh_interval`](Self::jwks_refresh_interval) | `300` (s) |
/// | `jwt_jwks_min_refetch_interval` | [`jwks_min_refetch_interval`](Self::jwks_min_refetch_interval) | `10` (s) |
/// | `jwt_max_token_length` | [`max_token_length`](Self::max_token_length) | `8192` (bytes) |
/// | `jwt_redis_url` | [`redis_url`](Self::redis_url) | none (in-memory revocations) |
/// | `jwt_redis_key_prefix` | [`redis_key_prefix`](Self::redis_key_prefix) | `"jwt-ext:"` |
/// | `jwt_blocklist_max_entries` | [`blocklist_max_entries`](Self::blocklist_max_entries) | `1000000` |
/// | `jwt_blocklist_max_entries_per_identity` | [`blocklist_max_entries_per_identity`](Self::blocklist_max_entries_per_identity) | `10000` |
/// | `jwt_refresh_token_rotation` | [`refresh_token_rotation`](Self::refresh_token_rotation) | `false` |
/// | `jwt_refresh_token_reuse_grace` | [`refresh_token_reuse_grace`](Self::refresh_token_reuse_grace) | `10` (s) |
/// | `jwt_sliding_refresh_window` | [`sliding_refresh_window`](Self::sliding_refresh_window) | none (off) |
/// | `jwt_sliding_refresh_grace` | [`sliding_refresh_grace`](Self::sliding_refresh_grace) | `0` (s) |
/// | `jwt_token_cache_size` | [`token_cache_size`](Self::token_cache_size) | `4096` (tokens) |
/// | `jwt_private_key` / `jwt_private_key_file` | [`private_key`](Self::private_key) | none |
/// | `jwt_public_key` / `jwt_public_key_file` | [`public_key`](Self::public_key) | none |
/// | `jwt_keys` | [`key_set`](Self::key_set) ([`KeyEntry`]) | none |
/// | `jwt_signing_key_id` | [`signing_key_id`](Self::signing_key_id) | none |
///
/// Lifetimes are integer seconds, or `false` for "never expires".
///
/// # Example
///
/// ```
/// use jwt_ext::{Config, Lifetime};
/// use rocket::time::Duration;
///
/// let config = Config::default()
///     .secret_key("change-me-to-32-random-bytes-or-more")
///     .access_token_expires(Lifetime::Expires(Duration::hours(1)))
///     .refresh_token_expires(Lifetime::Never);
/// assert!(config.validate(true).is_ok());
/// ```
// One field per Flask option; several of Flask's options are flags.
#[allow(clippy::struct_excessive_bools)]
#[derive(Clone, PartialEq)]
#[non_exhaustive]
pub struct Config {
    /// The HMAC secret (`jwt_secret_key`). _Default:_ none. Required outside the `debug`
    /// profile, where it must be at least as long as the hash: 32, 48 or 64 bytes for
    /// HS256, HS384 or HS512. In `debug` a missing secret is replaced by a random one, with a
    /// warning (tokens then die with the process).
    pub secret_key: Option<SecretKey>,
    /// The signing algorithm (`jwt_algorithm`). _Default:_ `HS256`.
    pub algorithm: Algorithm,
    /// The algorithms accepted when decoding (`jwt_decode_algorithms`);
    /// [`algorithm`](Self::algorithm) is always added. _Default:_ none, meaning `[algorithm]`.
    pub decode_algorithms: Option<Vec<Algorithm>>,
    /// Lifetime of access tokens (`jwt_access_token_expires`). _Default:_ 15 minutes.
    pub access_token_expires: Lifetime,
    /// Lifetime of refresh tokens (`jwt_refresh_token_expires`). _Default:_ 30 days.
    pub refresh_token_expires: Lifetime,
    /// The claim holding the identity (`jwt_identity_claim`). _Default:_ `"sub"`.
    pub identity_claim: String,
    /// The key of the message in JSON error bodies (`jwt_error_message_key`).
    /// _Default:_ `"msg"`.
    pub error_message_key: String,
    /// The request header carrying the token (`jwt_header_name`). _Default:_ `"Authorization"`.
    pub header_name: String,
    /// The scheme word before the token, compared case-sensitively; empty for a bare token
    /// (`jwt_header_type`). _Default:_ `"Bearer"`.
    pub header_type: String,
    /// Clock leeway for `exp`, `nbf` and `iat`, in seconds, at most [`MAX_LEEWAY_SECONDS`](crate::MAX_LEEWAY_SECONDS)
    /// (`jwt_decode_leeway`). _Default:_ `0`.
    pub decode_leeway: u64,
    /// Write `nbf = iat` into new tokens (`jwt_encode_nbf`). _Default:_ `true`.
    pub encode_nbf: bool,
    /// Require a string `sub` (`jwt_verify_sub`); creating a token whose `sub` is not a string
    /// is then an error. _Default:_ `true`.
    pub verify_sub: bool,
    /// `aud` written into new tokens (`jwt_encode_audience`). _Default:_ none.
    pub encode_audience: Option<OneOrMany>,
    /// Accepted audiences (`jwt_decode_audience`). When set, `aud` is required and must
    /// overlap; when unset, `aud` is not checked, as in Flask. _Default:_ none.
    pub decode_audience: Option<OneOrMany>,
    /// `iss` written into new tokens (`jwt_encode_issuer`). _Default:_ none.
    pub encode_issuer: Option<String>,
    /// Accepted issuers (`jwt_decode_issuer`). When set, `iss` is required and must be one of
    /// them (exact match). _Default:_ none.
    pub decode_issuer: Option<OneOrMany>,
    /// Write a random `csrf` claim into every token (`jwt_cookie_csrf_protect`), as
    /// Flask-JWT-Extended 4.6+ does. _Default:_ `true`.
    pub cookie_csrf_protect: bool,
    /// Where tokens are looked for, in order (`jwt_token_location`: a string or a list of
    /// `headers`, `cookies`, `query_string`, `json`). _Default:_ `headers`. Routes and guards
    /// can override it; see [`location`](crate::location).
    pub token_location: Locations,
    /// Name of the access token cookie (`jwt_access_cookie_name`).
    /// _Default:_ `"access_token_cookie"`.
    pub access_cookie_name: String,
    /// Name of the refresh token cookie (`jwt_refresh_cookie_name`).
    /// _Default:_ `"refresh_token_cookie"`.
    pub refresh_cookie_name: String,
    /// `Path` of the access token cookie (`jwt_access_cookie_path`). _Default:_ `"/"`.
    pub access_cookie_path: String,
    /// `Path` of the refresh token cookie (`jwt_refresh_cookie_path`), e.g. `"/refresh"` so
    /// that browsers send it to the refresh route only. _Default:_ `"/"`.
    pub refresh_cookie_path: String,
    /// Mark every token and CSRF cookie `Secure` (`jwt_cookie_secure`): HTTPS only.
    /// _Default:_ `false`, as in Flask; set it in production.
    pub cookie_secure: bool,
    /// `Domain` of the cookies (`jwt_cookie_domain`); `false` or absent for none (host-only
    /// cookies). _Default:_ none.
    pub cookie_domain: Option<String>,
    /// `SameSite` of the cookies (`jwt_cookie_samesite`: `"Lax"`, `"Strict"` or `"None"`).
    /// _Default:_ none, which writes `SameSite=Lax`, the browsers' own default for a cookie
    /// without the attribute. `None` requires [`cookie_secure`](Self::cookie_secure).
    pub cookie_samesite: Option<rocket::http::SameSite>,
    /// Session cookies, without `Max-Age`/`Expires` (`jwt_session_cookie`); `false` gives
    /// `Max-Age=31540000` (a year) and the matching `Expires`. _Default:_ `true`.
    pub session_cookie: bool,
    /// Methods whose cookie-borne tokens need the CSRF double submit (`jwt_csrf_methods`).
    /// _Default:_ `POST`, `PUT`, `PATCH`, `DELETE`.
    pub csrf_methods: Vec<rocket::http::Method>,
    /// Also set the (script-readable) CSRF cookies with the token cookies
    /// (`jwt_csrf_in_cookies`). _Default:_ `true`.
    pub csrf_in_cookies: bool,
    /// Name of the access token's CSRF cookie (`jwt_access_csrf_cookie_name`).
    /// _Default:_ `"csrf_access_token"`.
    pub access_csrf_cookie_name: String,
    /// Name of the refresh token's CSRF cookie (`jwt_refresh_csrf_cookie_name`).
    /// _Default:_ `"csrf_refresh_token"`.
    pub refresh_csrf_cookie_name: String,
    /// `Path` of the access CSRF cookie (`jwt_access_csrf_cookie_path`). _Default:_ `"/"`.
    pub access_csrf_cookie_path: String,
    /// `Path` of the refresh CSRF cookie (`jwt_refresh_csrf_cookie_path`). _Default:_ `"/"`.
    pub refresh_csrf_cookie_path: String,
    /// Request header carrying the access CSRF value (`jwt_access_csrf_header_name`).
    /// _Default:_ `"X-CSRF-TOKEN"`.
    pub access_csrf_header_name: String,
    /// Request header carrying the refresh CSRF value (`jwt_refresh_csrf_header_name`).
    /// _Default:_ `"X-CSRF-TOKEN"`.
    pub refresh_csrf_header_name: String,
    /// Without the CSRF header, take the value from a form field (`jwt_csrf_check_form`) of
    /// an `application/x-www-form-urlencoded` body; the field must be within the body's
    /// first 512 bytes (put the hidden input first). _Default:_ `false`.
    pub csrf_check_form: bool,
    /// Form field of the access CSRF value (`jwt_access_csrf_field_name`).
    /// _Default:_ `"csrf_token"`.
    pub access_csrf_field_name: String,
    /// Form field of the refresh CSRF value (`jwt_refresh_csrf_field_name`).
    /// _Default:_ `"csrf_token"`.
    pub refresh_csrf_field_name: String,
    /// Query parameter of the `query_string` location (`jwt_query_string_name`).
    /// _Default:_ `"jwt"`.
    pub query_string_name: String,
    /// Prefix the query value must start with, e.g. `"Bearer "`
    /// (`jwt_query_string_value_prefix`). _Default:_ `""`.
    pub query_string_value_prefix: String,
    /// JSON body key of access tokens (`jwt_json_key`). _Default:_ `"access_token"`.
    pub json_key: String,
    /// JSON body key of refresh tokens (`jwt_refresh_json_key`). _Default:_ `"refresh_token"`.
    pub refresh_json_key: String,
    /// Accept a refresh token from a cookie on `POST` requests only
    /// (`jwt_refresh_cookie_post_only`; not in Flask): a refresh route reached by a link or an
    /// image then refuses with 401 instead of issuing tokens. _Default:_ `false`.
    pub refresh_cookie_post_only: bool,
    /// The issuer's JWK Set (`jwt_jwks_url`; needs the `remote-jwks` cargo feature): a
    /// verify-only resource server takes its keys from there, fetched at ignite (the launch
    /// fails if it cannot be), refreshed every
    /// [`jwks_refresh_interval`](Self::jwks_refresh_interval) seconds and when a token names
    /// an unknown `kid`. `https://` only, but for loopback or the debug profile. _Default:_
    /// none.
    pub jwks_url: Option<String>,
    /// Seconds between background refreshes of the remote JWKS
    /// (`jwt_jwks_refresh_interval`). _Default:_ [`DEFAULT_JWKS_REFRESH_INTERVAL`].
    pub jwks_refresh_interval: u64,
    /// Least seconds between two fetches caused by unknown `kid`s
    /// (`jwt_jwks_min_refetch_interval`), so that a flood of made-up `kid`s cannot become a
    /// flood of fetches. _Default:_ [`DEFAULT_JWKS_MIN_REFETCH_INTERVAL`].
    pub jwks_min_refetch_interval: u64,
    /// Longest token accepted, in bytes; longer ones are refused before any decoding
    /// (`jwt_max_token_length`). _Default:_ [`DEFAULT_MAX_TOKEN_LENGTH`].
    pub max_token_length: usize,
    /// Redis server of the shared revocation store, e.g. `redis://127.0.0.1:6379/0`
    /// (`jwt_redis_url`; needs the `redis` cargo feature). _Default:_ none: revocations are
    /// kept in memory, per process.
    pub redis_url: Option<String>,
    /// Prefix of jwt-ext's Redis keys (`jwt_redis_key_prefix`). _Default:_ `"jwt-ext:"`.
    pub redis_key_prefix: String,
    /// Live entries the in-memory revocation store holds at most
    /// (`jwt_blocklist_max_entries`). _Default:_
    /// [`DEFAULT_MAX_ENTRIES`](crate::config::DEFAULT_MAX_ENTRIES).
    pub blocklist_max_entries: usize,
    /// Live entries one identity's logouts, rotations and exchanges may hold in the in-memory
    /// revocation store (`jwt_blocklist_max_entries_per_identity`), so that one identity
    /// cannot fill it for everyone; past it, that identity's next revocation answers 429.
    /// _Default:_ [`DEFAULT_MAX_ENTRIES_PER_IDENTITY`](crate::DEFAULT_MAX_ENTRIES_PER_IDENTITY).
    pub blocklist_max_entries_per_identity: usize,
    /// Rotate refresh tokens (`jwt_refresh_token_rotation`): each refresh returns a new
    /// refresh token too, the old one stops working, and presenting a rotated-out one revokes
    /// every token of its login (RFC 9700 §4.14.2). _Default:_ `false`.
    pub refresh_token_rotation: bool,
    /// Seconds during which the previous refresh token may be presented again and gets the
    /// same successor, for concurrent requests of one client (`jwt_refresh_token_reuse_grace`,
    /// at most 300). _Default:_ `10`.
    pub refresh_token_reuse_grace: u64,
    /// tymon/jwt-auth's `refresh_ttl` (`jwt_sliding_refresh_window`, seconds): an access
    /// token, expired or not, may be exchanged once for a successor
    /// ([`JwtManager::exchange_expired`](crate::JwtManager::exchange_expired)), and that one in
    /// turn, until this long after the login that started the chain. _Default:_ none (off).
    pub sliding_refresh_window: Option<u64>,
    /// tymon/jwt-auth's `blacklist_grace_period` (`jwt_sliding_refresh_grace`, seconds, at most
    /// 300): how long a token just exchanged is still accepted by protected routes, for the
    /// requests already in flight; a second exchange of it is refused at once. _Default:_ `0`.
    pub sliding_refresh_grace: u64,
    /// Verified tokens remembered so that the next request with the same token skips the
    /// signature check (`jwt_token_cache_size`; `0` turns the cache off). `exp`/`nbf` and
    /// revocation are still checked on every request. Each thread also keeps references to
    /// its 8 most recent hits, so that worker threads do not contend for the shared cache;
    /// those entries stay alive until the thread replaces them. _Default:_
    /// [`DEFAULT_CACHE_SIZE`](crate::DEFAULT_CACHE_SIZE).
    pub token_cache_size: usize,
    /// The private key in PEM form for RS*, PS*, ES* and `EdDSA` (`jwt_private_key`; or
    /// [`private_key_file`](Self::private_key_file)). Without it the app only verifies.
    /// _Default:_ none.
    pub private_key: Option<String>,
    /// A file holding the private key PEM (`jwt_private_key_file`). _Default:_ none.
    pub private_key_file: Option<std::path::PathBuf>,
    /// The public key in PEM form for RS*, PS*, ES* and `EdDSA` (`jwt_public_key`; or
    /// [`public_key_file`](Self::public_key_file)). Required with those algorithms.
    /// _Default:_ none.
    pub public_key: Option<String>,
    /// A file holding the public key PEM (`jwt_public_key_file`). _Default:_ none.
    pub public_key_file: Option<std::path::PathBuf>,
    /// A key set for rotation (`[[jwt_keys]]`), instead of the single-key settings.
    /// _Default:_ empty.
    pub key_set: Vec<KeyEntry>,
    /// The `kid` of the key set's signing key (`jwt_signing_key_id`); required with several
    /// keys. _Default:_ none.
    pub signing_key_id: Option<String>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            secret_key: None,
            algorithm: Algorithm::HS256,
            decode_algorithms: None,
            access_token_expires: Lifetime::Expires(Duration::minutes(15)),
            refresh_token_expires: Lifetime::Expires(Duration::days(30)),
            identity_claim: "sub".into(),
            error_message_key: "msg".into(),
            header_name: "Authorization".into(),
            header_type: "Bearer".into(),
            decode_leeway: 0,
            encode_nbf: true,
            verify_sub: true,
            encode_audience: None,
            decode_audience: None,
            encode_issuer: None,
            decode_issuer: None,
            cookie_csrf_protect: true,
            token_location: Locations::HEADERS,
            access_cookie_name: "access_token_cookie".into(),
            refresh_cookie_name: "refresh_token_cookie".into(),
            access_cookie_path: "/".into(),
            refresh_cookie_path: "/".into(),
            cookie_secure: false,
            cookie_domain: None,
            cookie_samesite: None,
            session_cookie: true,
            csrf_methods: vec![
                rocket::http::Method::Post,
                rocket::http::Method::Put,
                rocket::http::Method::Patch,
                rocket::http::Method::Delete,
            ],
            csrf_in_cookies: true,
            access_csrf_cookie_name: "csrf_access_token".into(),
            refresh_csrf_cookie_name: "csrf_refresh_token".into(),
            access_csrf_cookie_path: "/".into(),
            refresh_csrf_cookie_path: "/".into(),
            access_csrf_header_name: "X-CSRF-TOKEN".into(),
            refresh_csrf_header_name: "X-CSRF-TOKEN".into(),
            csrf_check_form: false,
            access_csrf_field_name: "csrf_token".into(),
            refresh_csrf_field_name: "csrf_token".into(),
            query_string_name: "jwt".into(),
            query_string_value_prefix: String::new(),
            json_key: "access_token".into(),
            refresh_json_key: "refresh_token".into(),
            refresh_cookie_post_only: false,
            jwks_url: None,
            jwks_refresh_interval: DEFAULT_JWKS_REFRESH_INTERVAL,
            jwks_min_refetch_interval: DEFAULT_JWKS_MIN_REFETCH_INTERVAL,
            max_token_length: DEFAULT_MAX_TOKEN_LENGTH,
            redis_url: None,
            redis_key_prefix: "jwt-ext:".into(),
            blocklist_max_entries: DEFAULT_MAX_ENTRIES,
            blocklist_max_entries_per_identity: DEFAULT_MAX_ENTRIES_PER_IDENTITY,
            refresh_token_rotation: false,
            refresh_token_reuse_grace: 10,
            sliding_refresh_window: None,
            sliding_refresh_grace: 0,
            token_cache_size: DEFAULT_CACHE_SIZE,
            private_key: None,
            private_key_file: None,
            public_key: None,
            public_key_file: None,
            key_set: Vec::new(),
            signing_key_id: None,
        }
    }
}

impl Config {
    /// The decode allow-list: [`decode_algorithms`](Self::decode_algorithms) with
    /// [`algorithm`](Self::algorithm) appended when missing, as Flask does.
    #[must_use]
    pub fn effective_decode_algorithms(&self) -> Vec<Algorithm> {
        let mut algorithms = self.decode_algorithms.clone().unwrap_or_default();
        if !algorithms.contains(&self.algorithm) {
            algorithms.push(self.algorithm);
        }
        algorithms
    }
}
