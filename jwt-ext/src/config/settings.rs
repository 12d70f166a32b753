//! [`Config`]: one row per setting, from which [`settings!`](super::define::settings) makes
//! the field, its default, its setter, its reader and its line in the tables.

use jsonwebtoken::Algorithm;
use rocket::figment::value::Value as FigValue;
use rocket::time::Duration;

use crate::location::Locations;

use super::define::settings;
use super::issuer_entry::{read_issuers, IssuerEntry};
use super::limits::{
    DEFAULT_CACHE_SIZE, DEFAULT_JWKS_MIN_REFETCH_INTERVAL, DEFAULT_JWKS_REFRESH_INTERVAL,
    DEFAULT_MAX_ENTRIES, DEFAULT_MAX_ENTRIES_PER_IDENTITY, DEFAULT_MAX_TOKEN_LENGTH,
    DEFAULT_NEAR_CACHE_SIZE,
};
use super::readers::{
    parse_algorithm, read_algorithm, read_bool, read_count, read_lifetime, read_locations,
    read_methods, read_one_or_many, read_optional_string, read_same_site, read_seconds,
    read_secret, read_string, read_string_list,
};
use super::remote_settings::with_remote_settings;
use super::values::{KeyEntry, Lifetime, OneOrMany, SecretKey};

// The remote issuers' rows live in `remote_settings.rs`, appended at the end.
with_remote_settings! {
settings! {
    /// jwt-ext's settings: Flask-JWT-Extended's options under Rocket's names.
    ///
    /// Read from Rocket's figment by [`JwtManager::fairing`](crate::JwtManager::fairing), or built in
    /// code, starting from [`Config::default`] (Flask's defaults) and chaining the setters, for
    /// [`JwtManager::fairing_with`](crate::JwtManager::fairing_with) or
    /// [`JwtManager::new`](crate::JwtManager::new).
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
    ---
    /// The HMAC secret (`jwt_secret_key`). _Default:_ none. Required outside the `debug`
    /// profile, where it must be at least as long as the hash: 32, 48 or 64 bytes for
    /// HS256, HS384 or HS512. In `debug` a missing secret is replaced by a random one, with a
    /// warning (tokens then die with the process).
    secret_key: Option<SecretKey> = None,
        key "jwt_secret_key", read |value| Ok(Some(SecretKey::new(read_secret(value)?))),
        set(impl Into<SecretKey>) |v: _| Some(Into::into(v)),
        table "none", "HMAC secret (HS* only). Release: required, at least 32/48/64 bytes for HS256/384/512, and not a placeholder (fewer than 8 distinct bytes, or a short block repeated). Debug: a random one per run, with a warning.";
    /// The signing algorithm (`jwt_algorithm`). _Default:_ `HS256`.
    algorithm: Algorithm = Algorithm::HS256,
        key "jwt_algorithm", read read_algorithm,
        set(Algorithm) |v| v,
        table r#"`"HS256"`"#, "HS256/384/512, RS256/384/512, PS256/384/512, ES256/384, EdDSA";
    /// The algorithms accepted when decoding (`jwt_decode_algorithms`);
    /// [`algorithm`](Self::algorithm) is always added. _Default:_ none, meaning `[algorithm]`.
    decode_algorithms: Option<Vec<Algorithm>> = None,
        key "jwt_decode_algorithms", read |value| {
            let names = read_string_list(value)?;
            Ok(Some(names.iter().map(|name| parse_algorithm(name)).collect::<Result<_, _>>()?))
        },
        set(Vec<Algorithm>) Some,
        table "`[jwt_algorithm]`", "allow-list for decoding, one family; `jwt_algorithm` is always added";
    /// Lifetime of access tokens (`jwt_access_token_expires`). _Default:_ 15 minutes.
    access_token_expires: Lifetime = Lifetime::Expires(Duration::minutes(15)),
        key "jwt_access_token_expires", read read_lifetime,
        set(Lifetime) |v| v,
        table "`900`", "seconds, or `false` for never";
    /// Lifetime of refresh tokens (`jwt_refresh_token_expires`). _Default:_ 30 days.
    refresh_token_expires: Lifetime = Lifetime::Expires(Duration::days(30)),
        key "jwt_refresh_token_expires", read read_lifetime,
        set(Lifetime) |v| v,
        table "`2592000`", "seconds, or `false` for never";
    /// The claim holding the identity (`jwt_identity_claim`). _Default:_ `"sub"`.
    identity_claim: String = "sub".into(),
        key "jwt_identity_claim", read read_string,
        set(impl Into<String>) Into::into,
        table r#"`"sub"`"#, "claim holding the identity";
    /// The key of the message in JSON error bodies (`jwt_error_message_key`).
    /// _Default:_ `"msg"`.
    error_message_key: String = "msg".into(),
        key "jwt_error_message_key", read read_string,
        set(impl Into<String>) Into::into,
        table r#"`"msg"`"#, "key of the JSON error message";
    /// The request header carrying the token (`jwt_header_name`). _Default:_ `"Authorization"`.
    header_name: String = "Authorization".into(),
        key "jwt_header_name", read read_string,
        set(impl Into<String>) Into::into,
        table r#"`"Authorization"`"#, "header carrying the token";
    /// The scheme word before the token, compared case-sensitively; empty for a bare token
    /// (`jwt_header_type`). _Default:_ `"Bearer"`.
    header_type: String = "Bearer".into(),
        key "jwt_header_type", read read_string,
        set(impl Into<String>) Into::into,
        table r#"`"Bearer"`"#, r#"scheme word (case-sensitive); `""` for a bare token"#;
    /// Clock leeway for `exp`, `nbf` and `iat`, in seconds, at most [`MAX_LEEWAY_SECONDS`](crate::MAX_LEEWAY_SECONDS)
    /// (`jwt_decode_leeway`). _Default:_ `0`.
    decode_leeway: u64 = 0,
        key "jwt_decode_leeway", read read_seconds,
        set(u64) |v| v,
        table "`0`", "seconds of clock skew for `exp`/`nbf`/`iat` (at most 3600)";
    /// Write `nbf = iat` into new tokens (`jwt_encode_nbf`). _Default:_ `true`.
    encode_nbf: bool = true,
        key "jwt_encode_nbf", read read_bool,
        set(bool) |v| v,
        table "`true`", "write `nbf` into new tokens";
    /// Require a string `sub` (`jwt_verify_sub`); creating a token whose `sub` is not a string
    /// is then an error. _Default:_ `true`.
    verify_sub: bool = true,
        key "jwt_verify_sub", read read_bool,
        set(bool) |v| v,
        table "`true`", "`sub` must be a string (checked when a token is created, too)";
    /// `aud` written into new tokens (`jwt_encode_audience`). _Default:_ none.
    encode_audience: Option<OneOrMany> = None,
        key "jwt_encode_audience", read |value| Ok(Some(read_one_or_many(value)?)),
        set(impl Into<OneOrMany>) |v: _| Some(Into::into(v)),
        table "none", "`aud` written into new tokens (a string or a list)";
    /// Accepted audiences (`jwt_decode_audience`). When set, `aud` is required and must
    /// overlap; when unset, `aud` is not checked, as in Flask. _Default:_ none.
    decode_audience: Option<OneOrMany> = None,
        key "jwt_decode_audience", read |value| Ok(Some(read_one_or_many(value)?)),
        set(impl Into<OneOrMany>) |v: _| Some(Into::into(v)),
        table "none", "`aud` required of tokens (a string or a list; any overlap passes)";
    /// `iss` written into new tokens (`jwt_encode_issuer`). _Default:_ none.
    encode_issuer: Option<String> = None,
        key "jwt_encode_issuer", read |value| Ok(Some(read_string(value)?)),
        set(impl Into<String>) |v: _| Some(Into::into(v)),
        table "none", "`iss` written into new tokens";
    /// Accepted issuers (`jwt_decode_issuer`). When set, `iss` is required and must be one of
    /// them (exact match). _Default:_ none.
    decode_issuer: Option<OneOrMany> = None,
        key "jwt_decode_issuer", read |value| Ok(Some(read_one_or_many(value)?)),
        set(impl Into<OneOrMany>) |v: _| Some(Into::into(v)),
        table "none", "`iss` required of tokens (exact match)";
    /// Write a random `csrf` claim into every token (`jwt_cookie_csrf_protect`), as
    /// Flask-JWT-Extended 4.6+ does. _Default:_ `true`.
    cookie_csrf_protect: bool = true,
        key "jwt_cookie_csrf_protect", read read_bool,
        set(bool) |v| v,
        table "`true`", "write a `csrf` claim into every token, as Flask 4.6+, and check the double submit on cookies";
    /// Where tokens are looked for, in order (`jwt_token_location`: a string or a list of
    /// `headers`, `cookies`, `query_string`, `json`). _Default:_ `headers`. Routes and guards
    /// can override it; see [`location`](crate::location).
    token_location: Locations = Locations::HEADERS,
        key "jwt_token_location", read read_locations,
        set(Locations) |v| v,
        table r#"`"headers"`"#, "where to look, in order: `headers`, `cookies`, `query_string`, `json`";
    /// Name of the access token cookie (`jwt_access_cookie_name`).
    /// _Default:_ `"access_token_cookie"`.
    access_cookie_name: String = "access_token_cookie".into(),
        key "jwt_access_cookie_name", read read_string,
        set(impl Into<String>) Into::into,
        table r#"`"access_token_cookie"`"#, "token cookies (`HttpOnly`)";
    /// Name of the refresh token cookie (`jwt_refresh_cookie_name`).
    /// _Default:_ `"refresh_token_cookie"`.
    refresh_cookie_name: String = "refresh_token_cookie".into(),
        key "jwt_refresh_cookie_name", read read_string,
        set(impl Into<String>) Into::into,
        table r#"`"refresh_token_cookie"`"#, "token cookies (`HttpOnly`)";
    /// `Path` of the access token cookie (`jwt_access_cookie_path`). _Default:_ `"/"`.
    access_cookie_path: String = "/".into(),
        key "jwt_access_cookie_path", read read_string,
        set(impl Into<String>) Into::into,
        table r#"`"/"`"#, "`Path` of the access token cookie";
    /// `Path` of the refresh token cookie (`jwt_refresh_cookie_path`), e.g. `"/refresh"` so
    /// that browsers send it to the refresh route only. _Default:_ `"/"`.
    refresh_cookie_path: String = "/".into(),
        key "jwt_refresh_cookie_path", read read_string,
        set(impl Into<String>) Into::into,
        table r#"`"/"`"#, "`Path` of the refresh token cookie";
    /// Mark every token and CSRF cookie `Secure` (`jwt_cookie_secure`): HTTPS only.
    /// _Default:_ `false`, as in Flask; set it in production.
    cookie_secure: bool = false,
        key "jwt_cookie_secure", read read_bool,
        set(bool) |v| v,
        table "`false`", "`Secure` on every cookie";
    /// `Partitioned` on every cookie (`jwt_cookie_partitioned`, CHIPS): a third-party embed
    /// keeps its cookies per top-level site. Needs `jwt_cookie_secure`. _Default:_ `false`.
    cookie_partitioned: bool = false,
        key "jwt_cookie_partitioned", read read_bool,
        set(bool) |v| v,
        table "`false`", "`Partitioned` on every cookie (CHIPS; needs `Secure`)";
    /// `Domain` of the cookies (`jwt_cookie_domain`); `false` or absent for none (host-only
    /// cookies). _Default:_ none.
    cookie_domain: Option<String> = None,
        key "jwt_cookie_domain", read read_optional_string,
        set(impl Into<String>) |v: _| Some(Into::into(v)),
        table "none", "`Domain` of every cookie";
    /// `SameSite` of the cookies (`jwt_cookie_samesite`: `"Lax"`, `"Strict"` or `"None"`).
    /// _Default:_ none, which writes `SameSite=Lax`, the browsers' own default for a cookie
    /// without the attribute. `None` requires [`cookie_secure`](Self::cookie_secure).
    cookie_samesite: Option<rocket::http::SameSite> = None,
        key "jwt_cookie_samesite", read read_same_site,
        set(rocket::http::SameSite) Some,
        table "none (`Lax` is written)", r#"`"Lax"`, `"Strict"` or `"None"` (which needs `Secure`)"#;
    /// Session cookies, without `Max-Age`/`Expires` (`jwt_session_cookie`); `false` gives
    /// `Max-Age=31540000` (a year) and the matching `Expires`. _Default:_ `true`.
    session_cookie: bool = true,
        key "jwt_session_cookie", read read_bool,
        set(bool) |v| v,
        table "`true`", "session cookies; `false`: `Max-Age=31540000` and `Expires`";
    /// Methods whose cookie-borne tokens need the CSRF double submit (`jwt_csrf_methods`).
    /// _Default:_ `POST`, `PUT`, `PATCH`, `DELETE`.
    csrf_methods: Vec<rocket::http::Method> = vec![ rocket::http::Method::Post, rocket::http::Method::Put, rocket::http::Method::Patch, rocket::http::Method::Delete, ],
        key "jwt_csrf_methods", read read_methods,
        set(Vec<rocket::http::Method>) |v| v,
        table r#"`["POST", "PUT", "PATCH", "DELETE"]`"#, "methods that need the CSRF header with a cookie";
    /// Also set the (script-readable) CSRF cookies with the token cookies
    /// (`jwt_csrf_in_cookies`). _Default:_ `true`.
    csrf_in_cookies: bool = true,
        key "jwt_csrf_in_cookies", read read_bool,
        set(bool) |v| v,
        table "`true`", "also set the readable CSRF cookies";
    /// Name of the access token's CSRF cookie (`jwt_access_csrf_cookie_name`).
    /// _Default:_ `"csrf_access_token"`.
    access_csrf_cookie_name: String = "csrf_access_token".into(),
        key "jwt_access_csrf_cookie_name", read read_string,
        set(impl Into<String>) Into::into,
        table r#"`"csrf_access_token"`"#, "CSRF cookies";
    /// Name of the refresh token's CSRF cookie (`jwt_refresh_csrf_cookie_name`).
    /// _Default:_ `"csrf_refresh_token"`.
    refresh_csrf_cookie_name: String = "csrf_refresh_token".into(),
        key "jwt_refresh_csrf_cookie_name", read read_string,
        set(impl Into<String>) Into::into,
        table r#"`"csrf_refresh_token"`"#, "CSRF cookies";
    /// `Path` of the access CSRF cookie (`jwt_access_csrf_cookie_path`). _Default:_ `"/"`.
    access_csrf_cookie_path: String = "/".into(),
        key "jwt_access_csrf_cookie_path", read read_string,
        set(impl Into<String>) Into::into,
        table r#"`"/"`"#, "`Path` of the access CSRF cookie";
    /// `Path` of the refresh CSRF cookie (`jwt_refresh_csrf_cookie_path`). _Default:_ `"/"`.
    refresh_csrf_cookie_path: String = "/".into(),
        key "jwt_refresh_csrf_cookie_path", read read_string,
        set(impl Into<String>) Into::into,
        table r#"`"/"`"#, "`Path` of the refresh CSRF cookie";
    /// Request header carrying the access CSRF value (`jwt_access_csrf_header_name`).
    /// _Default:_ `"X-CSRF-TOKEN"`.
    access_csrf_header_name: String = "X-CSRF-TOKEN".into(),
        key "jwt_access_csrf_header_name", read read_string,
        set(impl Into<String>) Into::into,
        table r#"`"X-CSRF-TOKEN"`"#, "header carrying the CSRF value";
    /// Request header carrying the refresh CSRF value (`jwt_refresh_csrf_header_name`).
    /// _Default:_ `"X-CSRF-TOKEN"`.
    refresh_csrf_header_name: String = "X-CSRF-TOKEN".into(),
        key "jwt_refresh_csrf_header_name", read read_string,
        set(impl Into<String>) Into::into,
        table r#"`"X-CSRF-TOKEN"`"#, "header carrying the CSRF value";
    /// Without the CSRF header, take the value from a form field (`jwt_csrf_check_form`) of
    /// an `application/x-www-form-urlencoded` body; the field must be within the body's
    /// first 512 bytes (put the hidden input first). _Default:_ `false`.
    csrf_check_form: bool = false,
        key "jwt_csrf_check_form", read read_bool,
        set(bool) |v| v,
        table "`false`", "also read the value from a urlencoded form field (in the body's first 512 bytes)";
    /// Form field of the access CSRF value (`jwt_access_csrf_field_name`).
    /// _Default:_ `"csrf_token"`.
    access_csrf_field_name: String = "csrf_token".into(),
        key "jwt_access_csrf_field_name", read read_string,
        set(impl Into<String>) Into::into,
        table r#"`"csrf_token"`"#, "form field carrying the access CSRF value";
    /// Form field of the refresh CSRF value (`jwt_refresh_csrf_field_name`).
    /// _Default:_ `"csrf_token"`.
    refresh_csrf_field_name: String = "csrf_token".into(),
        key "jwt_refresh_csrf_field_name", read read_string,
        set(impl Into<String>) Into::into,
        table r#"`"csrf_token"`"#, "form field carrying the refresh CSRF value";
    /// Query parameter of the `query_string` location (`jwt_query_string_name`).
    /// _Default:_ `"jwt"`.
    query_string_name: String = "jwt".into(),
        key "jwt_query_string_name", read read_string,
        set(impl Into<String>) Into::into,
        table r#"`"jwt"`"#, "query parameter carrying the token";
    /// Prefix the query value must start with, e.g. `"Bearer "`
    /// (`jwt_query_string_value_prefix`). _Default:_ `""`.
    query_string_value_prefix: String = String::new(),
        key "jwt_query_string_value_prefix", read read_string,
        set(impl Into<String>) Into::into,
        table r#"`""`"#, "prefix the query parameter's value must start with";
    /// JSON body key of access tokens (`jwt_json_key`). _Default:_ `"access_token"`.
    json_key: String = "access_token".into(),
        key "jwt_json_key", read read_string,
        set(impl Into<String>) Into::into,
        table r#"`"access_token"`"#, "JSON body keys (with `JwtJson<T>`)";
    /// JSON body key of refresh tokens (`jwt_refresh_json_key`). _Default:_ `"refresh_token"`.
    refresh_json_key: String = "refresh_token".into(),
        key "jwt_refresh_json_key", read read_string,
        set(impl Into<String>) Into::into,
        table r#"`"refresh_token"`"#, "JSON body keys (with `JwtJson<T>`)";
    /// Accept a refresh token from a cookie on `POST` requests only
    /// (`jwt_refresh_cookie_post_only`; not in Flask): a refresh route reached by a link or an
    /// image then refuses with 401 instead of issuing tokens. _Default:_ `false`.
    refresh_cookie_post_only: bool = false,
        key "jwt_refresh_cookie_post_only", read read_bool,
        set(bool) |v| v,
        table "`false`", "accept the refresh cookie on POST only (not in Flask)";
    /// Longest token accepted, in bytes; longer ones are refused before any decoding
    /// (`jwt_max_token_length`). _Default:_ [`DEFAULT_MAX_TOKEN_LENGTH`].
    max_token_length: usize = DEFAULT_MAX_TOKEN_LENGTH,
        key "jwt_max_token_length", read read_count,
        set(usize) |v| v,
        table "`8192`", "longer tokens are refused before decoding (bytes)";
    /// Redis server of the shared revocation store (`jwt_redis_url`; needs the `redis` cargo
    /// feature): `redis://[user:password@]host:port/db`, `rediss://…` for TLS, Valkey's
    /// `valkey://` / `valkeys://`, or a Unix socket (`unix:///run/redis.sock`,
    /// `redis+unix://…`). The user and password (Redis 6 ACL users) are never logged.
    /// _Default:_ none: revocations are kept in memory, per process.
    redis_url: Option<String> = None,
        key "jwt_redis_url", read |value| Ok(Some(read_string(value)?)),
        set(impl Into<String>) |v: _| Some(Into::into(v)),
        table "none", "Redis of the shared revocation store (feature `redis`): `redis://`, `rediss://` (TLS), `valkey(s)://`, `unix://`; none: in memory";
    /// Seed nodes (`redis://` / `rediss://`) of a Redis Cluster holding the store, instead of
    /// `jwt_redis_url` (`jwt_redis_cluster_urls`); its failovers are followed. _Default:_ none.
    redis_cluster_urls: Vec<String> = Vec::new(),
        key "jwt_redis_cluster_urls", read read_string_list,
        set(Vec<String>) |v| v,
        table "none", "seed nodes of a Redis Cluster holding the store, instead of `jwt_redis_url`";
    /// Sentinels (`redis://` / `rediss://`) of the Redis holding the store, with
    /// `jwt_redis_sentinel_master`, instead of `jwt_redis_url` (`jwt_redis_sentinel_urls`); the
    /// master is followed to its successor after a failover. _Default:_ none.
    redis_sentinel_urls: Vec<String> = Vec::new(),
        key "jwt_redis_sentinel_urls", read read_string_list,
        set(Vec<String>) |v| v,
        table "none", "sentinels of the Redis holding the store, instead of `jwt_redis_url`";
    /// The name of the master the sentinels watch (`jwt_redis_sentinel_master`, their
    /// `sentinel monitor <name> …`). _Default:_ none.
    redis_sentinel_master: Option<String> = None,
        key "jwt_redis_sentinel_master", read |value| Ok(Some(read_string(value)?)),
        set(impl Into<String>) |v: _| Some(Into::into(v)),
        table "none", "the master's name in the sentinels' `sentinel monitor`";
    /// Whether the launch needs the store to answer (`jwt_redis_required_at_launch`): `false`
    /// launches fail-closed while Redis cannot be reached yet (503 until it answers); what can
    /// never work (a bad certificate, a wrong password) is still refused. _Default:_ `true`.
    redis_required_at_launch: bool = true,
        key "jwt_redis_required_at_launch", read read_bool,
        set(bool) |v| v,
        table "`true`", "`false`: launch while Redis is unreachable; protected routes answer 503 until it answers";
    /// Replicas that must have each revocation before a logout, rotation or exchange answers
    /// (`jwt_redis_replica_acks`; Redis' `WAIT`, at most 250 ms), so that a failover right
    /// after it keeps it; fewer are logged, and the revocation still counts. _Default:_ 1 on a
    /// Cluster or Sentinel, 0 on a single node (1 for a primary with replicas behind one URL).
    redis_replica_acks: Option<usize> = None,
        key "jwt_redis_replica_acks", read |value| Ok(Some(read_count(value)?)),
        set(usize) Some,
        table "1 on a Cluster or Sentinel, else 0", "replicas that must have each revocation (`WAIT`) before it answers";
    /// A PEM bundle of the CA certificates that sign the Redis server's certificate, for a
    /// private CA (`jwt_redis_tls_ca_file`; only with a `rediss://` / `valkeys://` URL).
    /// _Default:_ none: the system's trusted roots. The server's name is always verified.
    redis_tls_ca_file: Option<std::path::PathBuf> = None,
        key "jwt_redis_tls_ca_file", read |value| Ok(Some(read_string(value)?.into())),
        set(impl Into<std::path::PathBuf>) |v: _| Some(Into::into(v)),
        table "none", "PEM CA bundle for a TLS Redis with a private CA; none: the system roots";
    /// Tokens whose revocation check each instance answers from memory, pushes keeping them
    /// current (`jwt_redis_near_cache_size`; `0`: off). _Default:_ [`DEFAULT_NEAR_CACHE_SIZE`](crate::DEFAULT_NEAR_CACHE_SIZE).
    redis_near_cache_size: usize = DEFAULT_NEAR_CACHE_SIZE,
        key "jwt_redis_near_cache_size", read read_count,
        set(usize) |v| v,
        table "`100000`", "tokens whose Redis revocation check each instance answers from memory, pushes keeping them current; `0` turns the near-cache off";
    /// How long the near-cache may answer after its push channel was last heard
    /// (`jwt_redis_near_cache_max_stale_ms`, 50 to 60000): the bound on a missed revocation
    /// when pushes are lost. _Default:_ `1000`.
    redis_near_cache_max_stale_ms: u64 = 1000,
        key "jwt_redis_near_cache_max_stale_ms", read read_seconds,
        set(u64) |v| v,
        table "`1000`", "milliseconds the near-cache answers after its push channel falls silent";
    /// Prefix of jwt-ext's Redis keys (`jwt_redis_key_prefix`). _Default:_ `"jwt-ext:"`.
    redis_key_prefix: String = "jwt-ext:".into(),
        key "jwt_redis_key_prefix", read read_string,
        set(impl Into<String>) Into::into,
        table r#"`"jwt-ext:"`"#, "prefix of every Redis key";
    /// Live entries the in-memory revocation store holds at most
    /// (`jwt_blocklist_max_entries`). _Default:_
    /// [`DEFAULT_MAX_ENTRIES`](crate::config::DEFAULT_MAX_ENTRIES).
    blocklist_max_entries: usize = DEFAULT_MAX_ENTRIES,
        key "jwt_blocklist_max_entries", read read_count,
        set(usize) |v| v,
        table "`1000000`", "live entries the in-memory store holds at most";
    /// Live entries one identity's logouts, rotations and exchanges may hold in the in-memory
    /// revocation store (`jwt_blocklist_max_entries_per_identity`), so that one identity
    /// cannot fill it for everyone; past it, that identity's next revocation answers 429.
    /// _Default:_ [`DEFAULT_MAX_ENTRIES_PER_IDENTITY`](crate::DEFAULT_MAX_ENTRIES_PER_IDENTITY).
    blocklist_max_entries_per_identity: usize = DEFAULT_MAX_ENTRIES_PER_IDENTITY,
        key "jwt_blocklist_max_entries_per_identity", read read_count,
        set(usize) |v| v,
        table "`10000`", "live entries one identity's revocations may hold there (429 past it)";
    /// Sessions one identity keeps (`jwt_sessions_max_per_identity`): a login past it ends the
    /// identity's oldest. _Default:_ `100`.
    sessions_max_per_identity: usize = 100,
        key "jwt_sessions_max_per_identity", read read_count,
        set(usize) |v| v,
        table "`100`", "logins one identity keeps; a login past it ends the oldest";
    /// Rotate refresh tokens (`jwt_refresh_token_rotation`): each refresh returns a new
    /// refresh token too, the old one stops working, and presenting a rotated-out one revokes
    /// every token of its login (RFC 9700 §4.14.2). _Default:_ `false`.
    refresh_token_rotation: bool = false,
        key "jwt_refresh_token_rotation", read read_bool,
        set(bool) |v| v,
        table "`false`", "rotate refresh tokens, with reuse detection";
    /// Seconds during which the previous refresh token may be presented again and gets the
    /// same successor, for concurrent requests of one client (`jwt_refresh_token_reuse_grace`,
    /// at most 300). _Default:_ `10`.
    refresh_token_reuse_grace: u64 = 10,
        key "jwt_refresh_token_reuse_grace", read read_seconds,
        set(u64) |v| v,
        table "`10`", "seconds the previous refresh token gets the same successor";
    /// tymon/jwt-auth's `refresh_ttl` (`jwt_sliding_refresh_window`, seconds): an access
    /// token, expired or not, may be exchanged once for a successor
    /// ([`JwtManager::exchange_expired`](crate::JwtManager::exchange_expired)), and that one in
    /// turn, until this long after the login that started the chain. _Default:_ none (off).
    sliding_refresh_window: Option<u64> = None,
        key "jwt_sliding_refresh_window", read |value| match value {
            FigValue::Bool(_, false) => Ok(None),
            other => read_seconds(other).map(Some),
        },
        set(u64) Some,
        table "none", "seconds after the login during which access tokens can be exchanged, each once";
    /// tymon/jwt-auth's `blacklist_grace_period` (`jwt_sliding_refresh_grace`, seconds, at most
    /// 300): how long a token just exchanged is still accepted by protected routes, for the
    /// requests already in flight; a second exchange of it is refused at once. _Default:_ `0`.
    sliding_refresh_grace: u64 = 0,
        key "jwt_sliding_refresh_grace", read read_seconds,
        set(u64) |v| v,
        table "`0`", "seconds a token just exchanged still passes protected routes (at most 300)";
    /// Verified tokens remembered so that the same token skips the signature check next time
    /// (`jwt_token_cache_size`; `0`: off); `exp`/`nbf` and revocation are checked every time.
    /// Each thread also keeps its 8 latest hits. _Default:_ [`DEFAULT_CACHE_SIZE`](crate::DEFAULT_CACHE_SIZE).
    token_cache_size: usize = DEFAULT_CACHE_SIZE,
        key "jwt_token_cache_size", read read_count,
        set(usize) |v| v,
        table "`4096`", "verified tokens kept so that a token seen before skips the signature check; `0` turns the cache off";
    /// The private key in PEM form for RS*, PS*, ES* and `EdDSA` (`jwt_private_key`; or
    /// [`private_key_file`](Self::private_key_file)). Without it the app only verifies.
    /// _Default:_ none.
    private_key: Option<String> = None,
        key "jwt_private_key", read |value| Ok(Some(read_string(value)?)),
        set(impl Into<String>) |v: _| Some(Into::into(v)),
        table "none", "PEM private key (inline or a path) for RS*, PS*, ES*, EdDSA; without it the app only verifies";
    /// A file holding the private key PEM (`jwt_private_key_file`). _Default:_ none.
    private_key_file: Option<std::path::PathBuf> = None,
        key "jwt_private_key_file", read |value| Ok(Some(read_string(value)?.into())),
        set(impl Into<std::path::PathBuf>) |v: _| Some(Into::into(v)),
        table "none", "PEM private key (inline or a path) for RS*, PS*, ES*, EdDSA; without it the app only verifies";
    /// The public key in PEM form for RS*, PS*, ES* and `EdDSA` (`jwt_public_key`; or
    /// [`public_key_file`](Self::public_key_file)). Required with those algorithms.
    /// _Default:_ none.
    public_key: Option<String> = None,
        key "jwt_public_key", read |value| Ok(Some(read_string(value)?)),
        set(impl Into<String>) |v: _| Some(Into::into(v)),
        table "none", "PEM public key, required with those algorithms";
    /// A file holding the public key PEM (`jwt_public_key_file`). _Default:_ none.
    public_key_file: Option<std::path::PathBuf> = None,
        key "jwt_public_key_file", read |value| Ok(Some(read_string(value)?.into())),
        set(impl Into<std::path::PathBuf>) |v: _| Some(Into::into(v)),
        table "none", "PEM public key, required with those algorithms";
    /// A key set for rotation (`[[jwt_keys]]`), instead of the single-key settings.
    /// _Default:_ empty.
    key_set: Vec<KeyEntry> = Vec::new(),
        key "jwt_keys", read |value| {
            value.deserialize().map_err(|error| {
                format!(
                    "must be a list of tables with `kid` and the key settings \
                     (`secret_key`, `private_key[_file]`, `public_key[_file]`): {error}"
                )
            })
        },
        table "none", "key set for rotation: tables with `kid` and `secret_key` or `private_key[_file]` / `public_key[_file]`";
    /// The `kid` of the key set's signing key (`jwt_signing_key_id`); required with several
    /// keys. _Default:_ none.
    signing_key_id: Option<String> = None,
        key "jwt_signing_key_id", read |value| Ok(Some(read_string(value)?)),
        set(impl Into<String>) |v: _| Some(Into::into(v)),
        table "none", "the `kid` in `jwt_keys` that signs (required with several keys)";
}
}
