//! Settings, with Flask-JWT-Extended's names and defaults, and their checks.
//!
//! Flask's `JWT_FOO` option is `jwt_foo` in `Rocket.toml` and `ROCKET_JWT_FOO` in the
//! environment; [`Config::from_figment`] reads them from Rocket's figment and
//! [`Config::validate`] checks the result. Both report every bad key at once.

use std::fmt;

use jsonwebtoken::{Algorithm, AlgorithmFamily};
use rocket::figment::value::{Dict, Value as FigValue};
use rocket::figment::Figment;
use rocket::time::Duration;

use crate::location::Locations;

mod browser;
mod remote;

pub(crate) use browser::TokenNames;
pub use remote::{DEFAULT_JWKS_MIN_REFETCH_INTERVAL, DEFAULT_JWKS_REFRESH_INTERVAL};

/// How long a kind of token lives.
///
/// # Example
///
/// ```
/// use jwt_ext::Lifetime;
/// use rocket::time::Duration;
///
/// let fifteen_minutes = Lifetime::Expires(Duration::minutes(15));
/// assert_eq!(fifteen_minutes.duration(), Some(Duration::seconds(900)));
/// assert_eq!(Lifetime::Never.duration(), None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lifetime {
    /// The token gets `exp = iat + duration`. A zero duration expires at once.
    Expires(Duration),
    /// The token has no `exp` claim (Flask's `False`).
    Never,
}

impl Lifetime {
    /// The duration, or `None` for [`Lifetime::Never`].
    #[must_use]
    pub fn duration(self) -> Option<Duration> {
        match self {
            Self::Expires(duration) => Some(duration),
            Self::Never => None,
        }
    }
}

impl From<Duration> for Lifetime {
    fn from(duration: Duration) -> Self {
        Self::Expires(duration)
    }
}

/// A claim value that is either one string or a list of them (`aud`, `iss`).
///
/// # Example
///
/// ```
/// use jwt_ext::OneOrMany;
///
/// let one: OneOrMany = "api".into();
/// assert!(one.contains("api"));
/// let many = OneOrMany::Many(vec!["api".into(), "admin".into()]);
/// assert!(many.contains("admin") && !many.contains("web"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OneOrMany {
    /// A single string, written as a JSON string.
    One(String),
    /// Several strings, written as a JSON array.
    Many(Vec<String>),
}

impl OneOrMany {
    /// Whether `value` is (one of) the string(s).
    #[must_use]
    pub fn contains(&self, value: &str) -> bool {
        match self {
            Self::One(one) => one == value,
            Self::Many(many) => many.iter().any(|item| item == value),
        }
    }

    /// The strings, as a slice-like iterator.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        let slice = match self {
            Self::One(one) => std::slice::from_ref(one),
            Self::Many(many) => many.as_slice(),
        };
        slice.iter().map(String::as_str)
    }

    pub(crate) fn to_json(&self) -> serde_json::Value {
        match self {
            Self::One(one) => one.clone().into(),
            Self::Many(many) => many.clone().into(),
        }
    }
}

impl From<&str> for OneOrMany {
    fn from(value: &str) -> Self {
        Self::One(value.to_owned())
    }
}

impl From<String> for OneOrMany {
    fn from(value: String) -> Self {
        Self::One(value)
    }
}

impl From<Vec<String>> for OneOrMany {
    fn from(value: Vec<String>) -> Self {
        Self::Many(value)
    }
}

/// The HMAC secret. Its `Debug` output never shows the value.
///
/// Tokens are signed with the UTF-8 bytes of the string, exactly as PyJWT does, so the same
/// secret on a Flask-JWT-Extended app and a jwt-ext app gives tokens each side accepts.
#[derive(Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(transparent)]
pub struct SecretKey(String);

impl SecretKey {
    /// Wraps a secret.
    ///
    /// # Example
    ///
    /// ```
    /// use jwt_ext::SecretKey;
    ///
    /// let key = SecretKey::new("a-secret-of-at-least-32-bytes!!!");
    /// assert_eq!(format!("{key:?}"), "SecretKey(<redacted>)");
    /// ```
    pub fn new(secret: impl Into<String>) -> Self {
        Self(secret.into())
    }

    /// The secret's bytes, as they key the HMAC.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretKey(<redacted>)")
    }
}

impl<S: Into<String>> From<S> for SecretKey {
    fn from(secret: S) -> Self {
        Self::new(secret)
    }
}

/// One key of a key set (`[[jwt_keys]]` in `Rocket.toml`), for key rotation: several
/// verification keys, each named by its `kid`, one of them (`jwt_signing_key_id`) signing.
///
/// Rotating: add the new key, make it the signing key, and drop the old one once the longest
/// token lifetime has passed; tokens signed with the old key keep working until then.
///
/// # Example
///
/// ```
/// use jwt_ext::{Config, JwtManager, KeyEntry};
///
/// let old = Config::default().key(KeyEntry::secret("2026-10", "the-old-secret-of-at-least-32-bytes"));
/// let token = JwtManager::new(old).unwrap().create_access_token("alice").unwrap();
///
/// let rotated = Config::default()
///     .key(KeyEntry::secret("2026-11", "the-new-secret-of-at-least-32-bytes"))
///     .key(KeyEntry::secret("2026-10", "the-old-secret-of-at-least-32-bytes"))
///     .signing_key_id("2026-11");
/// let jwt = JwtManager::new(rotated).unwrap();
/// assert!(jwt.decode_token(&token).is_ok()); // signed with the old key, still valid
/// ```
#[derive(Clone, PartialEq, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct KeyEntry {
    /// The key id, written in the `kid` header of the tokens it signs.
    pub kid: String,
    /// The HMAC secret (HS* algorithms).
    #[serde(default)]
    pub secret_key: Option<SecretKey>,
    /// The private key PEM (asymmetric algorithms; only the signing key needs one).
    #[serde(default)]
    pub private_key: Option<String>,
    /// A file holding the private key PEM.
    #[serde(default)]
    pub private_key_file: Option<std::path::PathBuf>,
    /// The public key PEM (asymmetric algorithms).
    #[serde(default)]
    pub public_key: Option<String>,
    /// A file holding the public key PEM.
    #[serde(default)]
    pub public_key_file: Option<std::path::PathBuf>,
}

/// Every field, with the private key PEM left out.
impl fmt::Debug for KeyEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Self {
            kid,
            secret_key,
            private_key,
            private_key_file,
            public_key,
            public_key_file,
        } = self;
        f.debug_struct("KeyEntry")
            .field("kid", kid)
            .field("secret_key", secret_key)
            .field("private_key", &private_key.as_ref().map(|_| Redacted))
            .field("private_key_file", private_key_file)
            .field("public_key", public_key)
            .field("public_key_file", public_key_file)
            .finish()
    }
}

impl KeyEntry {
    /// An HMAC key.
    pub fn secret(kid: impl Into<String>, secret: impl Into<SecretKey>) -> Self {
        Self {
            kid: kid.into(),
            secret_key: Some(secret.into()),
            ..Self::default()
        }
    }

    /// An asymmetric key from PEM text: the public key, and the private key if this app signs
    /// with it.
    pub fn pem(kid: impl Into<String>, private_key: Option<String>, public_key: String) -> Self {
        Self {
            kid: kid.into(),
            private_key,
            public_key: Some(public_key),
            ..Self::default()
        }
    }
}

/// The largest `jwt_decode_leeway`, in seconds. A bigger clock skew means a broken clock.
pub const MAX_LEEWAY_SECONDS: u64 = 3600;

/// The longest token lifetime accepted in configuration (100 years).
pub const MAX_LIFETIME: Duration = Duration::days(36_525);

/// The default of `jwt_max_token_length`, in bytes. Flask-JWT-Extended has no such limit;
/// tokens it issues are a few hundred bytes.
pub const DEFAULT_MAX_TOKEN_LENGTH: usize = 8 * 1024;

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
    /// Clock leeway for `exp`, `nbf` and `iat`, in seconds, at most [`MAX_LEEWAY_SECONDS`]
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
    /// [`DEFAULT_MAX_ENTRIES`](crate::revocation::DEFAULT_MAX_ENTRIES).
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

/// Every field, with the secrets left out: the inline private key, and the password of
/// `jwt_redis_url` (the HMAC secret redacts itself).
impl fmt::Debug for Config {
    // One line per field, nothing else.
    #[allow(clippy::too_many_lines)]
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Destructured so that a new field cannot be forgotten here.
        let Self {
            secret_key,
            algorithm,
            decode_algorithms,
            access_token_expires,
            refresh_token_expires,
            identity_claim,
            error_message_key,
            header_name,
            header_type,
            decode_leeway,
            encode_nbf,
            verify_sub,
            encode_audience,
            decode_audience,
            encode_issuer,
            decode_issuer,
            cookie_csrf_protect,
            token_location,
            access_cookie_name,
            refresh_cookie_name,
            access_cookie_path,
            refresh_cookie_path,
            cookie_secure,
            cookie_domain,
            cookie_samesite,
            session_cookie,
            csrf_methods,
            csrf_in_cookies,
            access_csrf_cookie_name,
            refresh_csrf_cookie_name,
            access_csrf_cookie_path,
            refresh_csrf_cookie_path,
            access_csrf_header_name,
            refresh_csrf_header_name,
            csrf_check_form,
            access_csrf_field_name,
            refresh_csrf_field_name,
            query_string_name,
            query_string_value_prefix,
            json_key,
            refresh_json_key,
            refresh_cookie_post_only,
            jwks_url,
            jwks_refresh_interval,
            jwks_min_refetch_interval,
            max_token_length,
            redis_url,
            redis_key_prefix,
            blocklist_max_entries,
            blocklist_max_entries_per_identity,
            refresh_token_rotation,
            refresh_token_reuse_grace,
            sliding_refresh_window,
            sliding_refresh_grace,
            token_cache_size,
            private_key,
            private_key_file,
            public_key,
            public_key_file,
            key_set,
            signing_key_id,
        } = self;
        f.debug_struct("Config")
            .field("secret_key", secret_key)
            .field("algorithm", algorithm)
            .field("decode_algorithms", decode_algorithms)
            .field("access_token_expires", access_token_expires)
            .field("refresh_token_expires", refresh_token_expires)
            .field("identity_claim", identity_claim)
            .field("error_message_key", error_message_key)
            .field("header_name", header_name)
            .field("header_type", header_type)
            .field("decode_leeway", decode_leeway)
            .field("encode_nbf", encode_nbf)
            .field("verify_sub", verify_sub)
            .field("encode_audience", encode_audience)
            .field("decode_audience", decode_audience)
            .field("encode_issuer", encode_issuer)
            .field("decode_issuer", decode_issuer)
            .field("cookie_csrf_protect", cookie_csrf_protect)
            .field("token_location", token_location)
            .field("access_cookie_name", access_cookie_name)
            .field("refresh_cookie_name", refresh_cookie_name)
            .field("access_cookie_path", access_cookie_path)
            .field("refresh_cookie_path", refresh_cookie_path)
            .field("cookie_secure", cookie_secure)
            .field("cookie_domain", cookie_domain)
            .field("cookie_samesite", cookie_samesite)
            .field("session_cookie", session_cookie)
            .field("csrf_methods", csrf_methods)
            .field("csrf_in_cookies", csrf_in_cookies)
            .field("access_csrf_cookie_name", access_csrf_cookie_name)
            .field("refresh_csrf_cookie_name", refresh_csrf_cookie_name)
            .field("access_csrf_cookie_path", access_csrf_cookie_path)
            .field("refresh_csrf_cookie_path", refresh_csrf_cookie_path)
            .field("access_csrf_header_name", access_csrf_header_name)
            .field("refresh_csrf_header_name", refresh_csrf_header_name)
            .field("csrf_check_form", csrf_check_form)
            .field("access_csrf_field_name", access_csrf_field_name)
            .field("refresh_csrf_field_name", refresh_csrf_field_name)
            .field("query_string_name", query_string_name)
            .field("query_string_value_prefix", query_string_value_prefix)
            .field("json_key", json_key)
            .field("refresh_json_key", refresh_json_key)
            .field("refresh_cookie_post_only", refresh_cookie_post_only)
            .field("jwks_url", jwks_url)
            .field("jwks_refresh_interval", jwks_refresh_interval)
            .field("jwks_min_refetch_interval", jwks_min_refetch_interval)
            .field("max_token_length", max_token_length)
            .field("redis_url", &redis_url.as_deref().map(RedactedUrl))
            .field("redis_key_prefix", redis_key_prefix)
            .field("blocklist_max_entries", blocklist_max_entries)
            .field(
                "blocklist_max_entries_per_identity",
                blocklist_max_entries_per_identity,
            )
            .field("refresh_token_rotation", refresh_token_rotation)
            .field("refresh_token_reuse_grace", refresh_token_reuse_grace)
            .field("sliding_refresh_window", sliding_refresh_window)
            .field("sliding_refresh_grace", sliding_refresh_grace)
            .field("token_cache_size", token_cache_size)
            .field("private_key", &private_key.as_ref().map(|_| Redacted))
            .field("private_key_file", private_key_file)
            .field("public_key", public_key)
            .field("public_key_file", public_key_file)
            .field("key_set", key_set)
            .field("signing_key_id", signing_key_id)
            .finish()
    }
}

/// Stands in for a secret in `Debug` output.
pub(crate) struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// A URL with its password (and a user name standing alone, which Redis takes as the
/// password) replaced by `<redacted>`.
pub(crate) struct RedactedUrl<'a>(pub(crate) &'a str);

impl fmt::Display for RedactedUrl<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let url = self.0;
        let Some((scheme, rest)) = url.split_once("://") else {
            return f.write_str(url);
        };
        let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        match rest[..authority_end].rfind('@') {
            Some(at) => {
                let user = rest[..at].split_once(':').map(|(user, _)| user);
                match user {
                    Some(user) => write!(f, "{scheme}://{user}:<redacted>{}", &rest[at..]),
                    None => write!(f, "{scheme}://<redacted>{}", &rest[at..]),
                }
            }
            None => f.write_str(url),
        }
    }
}

impl fmt::Debug for RedactedUrl<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\"{self}\"")
    }
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
            blocklist_max_entries: crate::revocation::DEFAULT_MAX_ENTRIES,
            blocklist_max_entries_per_identity: crate::revocation::DEFAULT_MAX_ENTRIES_PER_IDENTITY,
            refresh_token_rotation: false,
            refresh_token_reuse_grace: 10,
            sliding_refresh_window: None,
            sliding_refresh_grace: 0,
            token_cache_size: crate::token::cache::DEFAULT_CACHE_SIZE,
            private_key: None,
            private_key_file: None,
            public_key: None,
            public_key_file: None,
            key_set: Vec::new(),
            signing_key_id: None,
        }
    }
}

macro_rules! setters {
    ($($(#[$doc:meta])* $name:ident: $ty:ty => $value:expr;)*) => {
        impl Config {
            $(
                $(#[$doc])*
                #[must_use]
                pub fn $name(mut self, value: $ty) -> Self {
                    self.$name = $value(value);
                    self
                }
            )*
        }
    };
}

setters! {
    /// Sets [`secret_key`](Self::secret_key).
    secret_key: impl Into<SecretKey> => |v: _| Some(Into::into(v));
    /// Sets [`algorithm`](Self::algorithm).
    algorithm: Algorithm => |v| v;
    /// Sets [`decode_algorithms`](Self::decode_algorithms).
    decode_algorithms: Vec<Algorithm> => Some;
    /// Sets [`access_token_expires`](Self::access_token_expires).
    access_token_expires: Lifetime => |v| v;
    /// Sets [`refresh_token_expires`](Self::refresh_token_expires).
    refresh_token_expires: Lifetime => |v| v;
    /// Sets [`identity_claim`](Self::identity_claim).
    identity_claim: impl Into<String> => Into::into;
    /// Sets [`error_message_key`](Self::error_message_key).
    error_message_key: impl Into<String> => Into::into;
    /// Sets [`header_name`](Self::header_name).
    header_name: impl Into<String> => Into::into;
    /// Sets [`header_type`](Self::header_type).
    header_type: impl Into<String> => Into::into;
    /// Sets [`decode_leeway`](Self::decode_leeway), in seconds.
    decode_leeway: u64 => |v| v;
    /// Sets [`encode_nbf`](Self::encode_nbf).
    encode_nbf: bool => |v| v;
    /// Sets [`verify_sub`](Self::verify_sub).
    verify_sub: bool => |v| v;
    /// Sets [`encode_audience`](Self::encode_audience).
    encode_audience: impl Into<OneOrMany> => |v: _| Some(Into::into(v));
    /// Sets [`decode_audience`](Self::decode_audience).
    decode_audience: impl Into<OneOrMany> => |v: _| Some(Into::into(v));
    /// Sets [`encode_issuer`](Self::encode_issuer).
    encode_issuer: impl Into<String> => |v: _| Some(Into::into(v));
    /// Sets [`decode_issuer`](Self::decode_issuer).
    decode_issuer: impl Into<OneOrMany> => |v: _| Some(Into::into(v));
    /// Sets [`cookie_csrf_protect`](Self::cookie_csrf_protect).
    cookie_csrf_protect: bool => |v| v;
    /// Sets [`max_token_length`](Self::max_token_length), in bytes.
    max_token_length: usize => |v| v;
    /// Sets [`redis_url`](Self::redis_url).
    redis_url: impl Into<String> => |v: _| Some(Into::into(v));
    /// Sets [`redis_key_prefix`](Self::redis_key_prefix).
    redis_key_prefix: impl Into<String> => Into::into;
    /// Sets [`blocklist_max_entries`](Self::blocklist_max_entries).
    blocklist_max_entries: usize => |v| v;
    /// Sets [`blocklist_max_entries_per_identity`](Self::blocklist_max_entries_per_identity).
    blocklist_max_entries_per_identity: usize => |v| v;
    /// Sets [`refresh_token_rotation`](Self::refresh_token_rotation).
    refresh_token_rotation: bool => |v| v;
    /// Sets [`refresh_token_reuse_grace`](Self::refresh_token_reuse_grace), in seconds.
    refresh_token_reuse_grace: u64 => |v| v;
    /// Sets [`sliding_refresh_window`](Self::sliding_refresh_window), in seconds.
    sliding_refresh_window: u64 => Some;
    /// Sets [`sliding_refresh_grace`](Self::sliding_refresh_grace), in seconds.
    sliding_refresh_grace: u64 => |v| v;
    /// Sets [`token_cache_size`](Self::token_cache_size).
    token_cache_size: usize => |v| v;
    /// Sets [`private_key`](Self::private_key) (PEM).
    private_key: impl Into<String> => |v: _| Some(Into::into(v));
    /// Sets [`private_key_file`](Self::private_key_file).
    private_key_file: impl Into<std::path::PathBuf> => |v: _| Some(Into::into(v));
    /// Sets [`public_key`](Self::public_key) (PEM).
    public_key: impl Into<String> => |v: _| Some(Into::into(v));
    /// Sets [`public_key_file`](Self::public_key_file).
    public_key_file: impl Into<std::path::PathBuf> => |v: _| Some(Into::into(v));
    /// Sets [`signing_key_id`](Self::signing_key_id).
    signing_key_id: impl Into<String> => |v: _| Some(Into::into(v));
    /// Sets [`token_location`](Self::token_location).
    token_location: Locations => |v| v;
    /// Sets [`access_cookie_name`](Self::access_cookie_name).
    access_cookie_name: impl Into<String> => Into::into;
    /// Sets [`refresh_cookie_name`](Self::refresh_cookie_name).
    refresh_cookie_name: impl Into<String> => Into::into;
    /// Sets [`access_cookie_path`](Self::access_cookie_path).
    access_cookie_path: impl Into<String> => Into::into;
    /// Sets [`refresh_cookie_path`](Self::refresh_cookie_path).
    refresh_cookie_path: impl Into<String> => Into::into;
    /// Sets [`cookie_secure`](Self::cookie_secure).
    cookie_secure: bool => |v| v;
    /// Sets [`cookie_domain`](Self::cookie_domain).
    cookie_domain: impl Into<String> => |v: _| Some(Into::into(v));
    /// Sets [`cookie_samesite`](Self::cookie_samesite).
    cookie_samesite: rocket::http::SameSite => Some;
    /// Sets [`session_cookie`](Self::session_cookie).
    session_cookie: bool => |v| v;
    /// Sets [`csrf_methods`](Self::csrf_methods).
    csrf_methods: Vec<rocket::http::Method> => |v| v;
    /// Sets [`csrf_in_cookies`](Self::csrf_in_cookies).
    csrf_in_cookies: bool => |v| v;
    /// Sets [`access_csrf_cookie_name`](Self::access_csrf_cookie_name).
    access_csrf_cookie_name: impl Into<String> => Into::into;
    /// Sets [`refresh_csrf_cookie_name`](Self::refresh_csrf_cookie_name).
    refresh_csrf_cookie_name: impl Into<String> => Into::into;
    /// Sets [`access_csrf_cookie_path`](Self::access_csrf_cookie_path).
    access_csrf_cookie_path: impl Into<String> => Into::into;
    /// Sets [`refresh_csrf_cookie_path`](Self::refresh_csrf_cookie_path).
    refresh_csrf_cookie_path: impl Into<String> => Into::into;
    /// Sets [`access_csrf_header_name`](Self::access_csrf_header_name).
    access_csrf_header_name: impl Into<String> => Into::into;
    /// Sets [`refresh_csrf_header_name`](Self::refresh_csrf_header_name).
    refresh_csrf_header_name: impl Into<String> => Into::into;
    /// Sets [`csrf_check_form`](Self::csrf_check_form).
    csrf_check_form: bool => |v| v;
    /// Sets [`access_csrf_field_name`](Self::access_csrf_field_name).
    access_csrf_field_name: impl Into<String> => Into::into;
    /// Sets [`refresh_csrf_field_name`](Self::refresh_csrf_field_name).
    refresh_csrf_field_name: impl Into<String> => Into::into;
    /// Sets [`query_string_name`](Self::query_string_name).
    query_string_name: impl Into<String> => Into::into;
    /// Sets [`query_string_value_prefix`](Self::query_string_value_prefix).
    query_string_value_prefix: impl Into<String> => Into::into;
    /// Sets [`json_key`](Self::json_key).
    json_key: impl Into<String> => Into::into;
    /// Sets [`refresh_json_key`](Self::refresh_json_key).
    refresh_json_key: impl Into<String> => Into::into;
    /// Sets [`refresh_cookie_post_only`](Self::refresh_cookie_post_only).
    refresh_cookie_post_only: bool => |v| v;
    /// Sets [`jwks_url`](Self::jwks_url).
    jwks_url: impl Into<String> => |v: _| Some(Into::into(v));
    /// Sets [`jwks_refresh_interval`](Self::jwks_refresh_interval).
    jwks_refresh_interval: u64 => |v| v;
    /// Sets [`jwks_min_refetch_interval`](Self::jwks_min_refetch_interval).
    jwks_min_refetch_interval: u64 => |v| v;
}

impl Config {
    /// Adds a key to [`key_set`](Self::key_set).
    #[must_use]
    pub fn key(mut self, key: KeyEntry) -> Self {
        self.key_set.push(key);
        self
    }
}

/// One bad configuration key and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigProblem {
    /// The key, as written in `Rocket.toml` (e.g. `jwt_access_token_expires`).
    pub key: String,
    /// What is wrong and how to fix it.
    pub message: String,
}

/// Every problem found in a configuration, reported together.
///
/// # Example
///
/// ```
/// use jwt_ext::Config;
///
/// let error = Config::default().header_name("").validate(true).unwrap_err();
/// let text = error.to_string();
/// assert!(text.contains("jwt_secret_key") && text.contains("jwt_header_name"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The problems, in key order.
    pub problems: Vec<ConfigProblem>,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid jwt-ext configuration:")?;
        for problem in &self.problems {
            write!(f, "\n  `{}`: {}", problem.key, problem.message)?;
        }
        Ok(())
    }
}

impl std::error::Error for ConfigError {}

/// Collects problems while reading and checking a configuration.
#[derive(Default)]
struct Problems(Vec<ConfigProblem>);

impl Problems {
    fn add(&mut self, key: &str, message: impl Into<String>) {
        self.0.push(ConfigProblem {
            key: key.to_owned(),
            message: message.into(),
        });
    }

    fn finish<T>(self, value: T) -> Result<T, ConfigError> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(ConfigError { problems: self.0 })
        }
    }
}

/// Every key this version reads. Flask options it does not implement yet are refused rather
/// than silently ignored.
const KNOWN_KEYS: &[&str] = &[
    "jwt_secret_key",
    "jwt_algorithm",
    "jwt_decode_algorithms",
    "jwt_access_token_expires",
    "jwt_refresh_token_expires",
    "jwt_identity_claim",
    "jwt_error_message_key",
    "jwt_header_name",
    "jwt_header_type",
    "jwt_decode_leeway",
    "jwt_encode_nbf",
    "jwt_verify_sub",
    "jwt_encode_audience",
    "jwt_decode_audience",
    "jwt_encode_issuer",
    "jwt_decode_issuer",
    "jwt_cookie_csrf_protect",
    "jwt_max_token_length",
    "jwt_redis_url",
    "jwt_redis_key_prefix",
    "jwt_blocklist_max_entries",
    "jwt_blocklist_max_entries_per_identity",
    "jwt_refresh_token_rotation",
    "jwt_refresh_token_reuse_grace",
    "jwt_sliding_refresh_window",
    "jwt_sliding_refresh_grace",
    "jwt_token_cache_size",
    "jwt_private_key",
    "jwt_private_key_file",
    "jwt_public_key",
    "jwt_public_key_file",
    "jwt_keys",
    "jwt_signing_key_id",
];

impl Config {
    /// Reads every `jwt_*` key of the figment's selected profile over Flask's defaults.
    ///
    /// Unknown `jwt_*` keys are errors (a typo must not silently fall back to a default), with
    /// the closest known key suggested. Only the reading is checked here; call
    /// [`validate`](Self::validate) for the rules between values.
    ///
    /// # Errors
    ///
    /// A [`ConfigError`] naming every key that is unknown or of the wrong type.
    ///
    /// # Example
    ///
    /// ```
    /// use jwt_ext::{Config, Lifetime};
    /// use rocket::figment::Figment;
    /// use rocket::time::Duration;
    ///
    /// let figment = Figment::from(rocket::Config::default())
    ///     .merge(("jwt_access_token_expires", 3600))
    ///     .merge(("jwt_refresh_token_expires", false));
    /// let config = Config::from_figment(&figment).unwrap();
    /// assert_eq!(config.access_token_expires, Lifetime::Expires(Duration::hours(1)));
    /// assert_eq!(config.refresh_token_expires, Lifetime::Never);
    /// ```
    pub fn from_figment(figment: &Figment) -> Result<Self, ConfigError> {
        let mut problems = Problems::default();
        let root: Dict = figment.extract().unwrap_or_default();
        let mut config = Self::default();
        for (key, value) in &root {
            if !key.starts_with("jwt_") {
                continue;
            }
            if let Err(message) = config.read_key(key, value) {
                problems.add(key, message);
            }
        }
        problems.finish(config)
    }

    /// Parses one known key into its field, or says why it cannot.
    fn read_key(&mut self, key: &str, value: &FigValue) -> Result<(), String> {
        match key {
            "jwt_secret_key" => {
                self.secret_key = Some(SecretKey::new(read_secret(value)?));
            }
            "jwt_algorithm" => self.algorithm = read_algorithm(value)?,
            "jwt_decode_algorithms" => {
                self.decode_algorithms = Some(
                    read_string_list(value)?
                        .iter()
                        .map(|name| parse_algorithm(name))
                        .collect::<Result<_, _>>()?,
                );
            }
            "jwt_access_token_expires" => self.access_token_expires = read_lifetime(value)?,
            "jwt_refresh_token_expires" => self.refresh_token_expires = read_lifetime(value)?,
            "jwt_identity_claim" => self.identity_claim = read_string(value)?,
            "jwt_error_message_key" => self.error_message_key = read_string(value)?,
            "jwt_header_name" => self.header_name = read_string(value)?,
            "jwt_header_type" => self.header_type = read_string(value)?,
            "jwt_decode_leeway" => self.decode_leeway = read_seconds(value)?,
            "jwt_encode_nbf" => self.encode_nbf = read_bool(value)?,
            "jwt_verify_sub" => self.verify_sub = read_bool(value)?,
            "jwt_encode_audience" => self.encode_audience = Some(read_one_or_many(value)?),
            "jwt_decode_audience" => self.decode_audience = Some(read_one_or_many(value)?),
            "jwt_encode_issuer" => self.encode_issuer = Some(read_string(value)?),
            "jwt_decode_issuer" => self.decode_issuer = Some(read_one_or_many(value)?),
            "jwt_cookie_csrf_protect" => self.cookie_csrf_protect = read_bool(value)?,
            "jwt_max_token_length" => {
                self.max_token_length =
                    usize::try_from(read_seconds(value)?).map_err(|_| "is too large".to_owned())?;
            }
            "jwt_redis_url" => self.redis_url = Some(read_string(value)?),
            "jwt_redis_key_prefix" => self.redis_key_prefix = read_string(value)?,
            "jwt_blocklist_max_entries" => {
                self.blocklist_max_entries =
                    usize::try_from(read_seconds(value)?).map_err(|_| "is too large".to_owned())?;
            }
            "jwt_blocklist_max_entries_per_identity" => {
                self.blocklist_max_entries_per_identity =
                    usize::try_from(read_seconds(value)?).map_err(|_| "is too large".to_owned())?;
            }
            "jwt_sliding_refresh_grace" => self.sliding_refresh_grace = read_seconds(value)?,
            "jwt_refresh_token_rotation" => self.refresh_token_rotation = read_bool(value)?,
            "jwt_private_key" => self.private_key = Some(read_string(value)?),
            "jwt_public_key" => self.public_key = Some(read_string(value)?),
            "jwt_private_key_file" => self.private_key_file = Some(read_string(value)?.into()),
            "jwt_public_key_file" => self.public_key_file = Some(read_string(value)?.into()),
            "jwt_keys" => {
                self.key_set = value.deserialize().map_err(|error| {
                    format!(
                        "must be a list of tables with `kid` and the key settings \
                         (`secret_key`, `private_key[_file]`, `public_key[_file]`): {error}"
                    )
                })?;
            }
            "jwt_signing_key_id" => self.signing_key_id = Some(read_string(value)?),
            "jwt_token_cache_size" => {
                self.token_cache_size =
                    usize::try_from(read_seconds(value)?).map_err(|_| "is too large".to_owned())?;
            }
            "jwt_refresh_token_reuse_grace" => {
                self.refresh_token_reuse_grace = read_seconds(value)?;
            }
            "jwt_sliding_refresh_window" => {
                self.sliding_refresh_window = match value {
                    FigValue::Bool(_, false) => None,
                    other => Some(read_seconds(other)?),
                };
            }
            _ => {
                if let Some(result) = self.read_browser_key(key, value) {
                    return result;
                }
                if let Some(result) = self.read_remote_key(key, value) {
                    return result;
                }
                if let Some(hint) = replaced_key(key) {
                    return Err(hint.into());
                }
                let mut message = "is not a jwt-ext setting".to_owned();
                if let Some(near) = closest_key(key) {
                    message = format!("{message}; did you mean `{near}`?");
                }
                return Err(message);
            }
        }
        Ok(())
    }

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

    /// Checks the rules between values. `strict` is the release rule set: a secret is then
    /// required and must be at least as long as the algorithm's hash output.
    ///
    /// Returns the warnings worth logging (a short secret outside `strict`).
    ///
    /// # Errors
    ///
    /// A [`ConfigError`] naming every bad key.
    pub fn validate(&self, strict: bool) -> Result<Vec<String>, ConfigError> {
        let mut problems = Problems::default();
        let mut warnings = Vec::new();

        let algorithms = self.effective_decode_algorithms();
        let family = self.algorithm.family();
        self.check_keys(&algorithms, &mut problems);
        if !self.key_set.is_empty() {
            self.check_key_set(&algorithms, strict, &mut problems, &mut warnings);
        } else if family == AlgorithmFamily::Hmac && self.jwks_url.is_none() {
            self.check_secret(&algorithms, strict, &mut problems, &mut warnings);
        } else if self.signing_key_id.is_some() {
            problems.add("jwt_signing_key_id", "is set but `jwt_keys` is not");
        }

        for (key, lifetime) in [
            ("jwt_access_token_expires", self.access_token_expires),
            ("jwt_refresh_token_expires", self.refresh_token_expires),
        ] {
            if let Lifetime::Expires(duration) = lifetime {
                if duration.is_negative() {
                    problems.add(key, "must not be negative");
                } else if duration > MAX_LIFETIME {
                    problems.add(key, "is longer than 100 years; use `false` for never");
                }
            }
        }

        if self.header_name.is_empty() {
            problems.add("jwt_header_name", "must not be empty");
        } else if !self.header_name.bytes().all(is_header_name_byte) {
            problems.add("jwt_header_name", "is not a valid HTTP header name");
        }
        if self
            .header_type
            .chars()
            .any(|c| c.is_whitespace() || c == ',')
        {
            problems.add(
                "jwt_header_type",
                "must be one word (no spaces or commas), or empty for a bare token",
            );
        }
        if self.identity_claim.is_empty() {
            problems.add("jwt_identity_claim", "must not be empty");
        }
        if self.error_message_key.is_empty() {
            problems.add("jwt_error_message_key", "must not be empty");
        }
        if self.decode_leeway > MAX_LEEWAY_SECONDS {
            problems.add(
                "jwt_decode_leeway",
                format!("is more than {MAX_LEEWAY_SECONDS} seconds"),
            );
        }
        for (key, list) in [
            ("jwt_encode_audience", &self.encode_audience),
            ("jwt_decode_audience", &self.decode_audience),
            ("jwt_decode_issuer", &self.decode_issuer),
        ] {
            if list
                .as_ref()
                .is_some_and(|list| list.iter().next().is_none() || list.iter().any(str::is_empty))
            {
                problems.add(key, "must not be empty or contain an empty string");
            }
        }
        if self.encode_issuer.as_deref() == Some("") {
            problems.add("jwt_encode_issuer", "must not be empty");
        }
        self.check_revocation(&mut problems);
        self.check_browser(strict, &mut problems, &mut warnings);
        self.check_remote(strict, &mut problems);
        if !(128..=1024 * 1024).contains(&self.max_token_length) {
            problems.add(
                "jwt_max_token_length",
                "must be between 128 and 1048576 bytes",
            );
        }
        problems.finish(warnings)
    }

    /// One algorithm family, and the key settings that family uses: a secret for HMAC, PEM
    /// keys for the others (checked for content when they are read).
    fn check_keys(&self, algorithms: &[Algorithm], problems: &mut Problems) {
        let family = self.algorithm.family();
        if algorithms
            .iter()
            .any(|algorithm| algorithm.family() != family)
        {
            problems.add(
                "jwt_decode_algorithms",
                format!(
                    "mixes algorithm families ({}); one key serves one family (RFC 8725 §3.1)",
                    algorithm_list(algorithms)
                ),
            );
        }
        if family == AlgorithmFamily::Hmac {
            for key in [
                "private_key",
                "private_key_file",
                "public_key",
                "public_key_file",
            ] {
                let set = match key {
                    "private_key" => self.private_key.is_some(),
                    "private_key_file" => self.private_key_file.is_some(),
                    "public_key" => self.public_key.is_some(),
                    _ => self.public_key_file.is_some(),
                };
                if set {
                    problems.add(
                        &format!("jwt_{key}"),
                        format!(
                            "is set but {:?} signs with `jwt_secret_key`",
                            self.algorithm
                        ),
                    );
                }
            }
        } else if self.secret_key.is_some() {
            problems.add(
                "jwt_secret_key",
                format!(
                    "is an HMAC secret, which {:?} cannot use; set `jwt_private_key` and \
                     `jwt_public_key` instead",
                    self.algorithm
                ),
            );
        }
    }

    /// The revocation, rotation and Redis settings.
    fn check_revocation(&self, problems: &mut Problems) {
        if self.refresh_token_reuse_grace > 300 {
            problems.add("jwt_refresh_token_reuse_grace", "is more than 300 seconds");
        }
        if self
            .sliding_refresh_window
            .is_some_and(|window| window == 0 || window > 366 * 24 * 3600)
        {
            problems.add(
                "jwt_sliding_refresh_window",
                "must be between 1 second and a year, or `false` for off",
            );
        }
        if self.token_cache_size > 10_000_000 {
            problems.add("jwt_token_cache_size", "is more than 10000000 tokens");
        }
        if self.blocklist_max_entries == 0 {
            problems.add("jwt_blocklist_max_entries", "must be at least 1");
        }
        if self.blocklist_max_entries_per_identity == 0 {
            problems.add(
                "jwt_blocklist_max_entries_per_identity",
                "must be at least 1",
            );
        }
        if self.sliding_refresh_grace > 300 {
            problems.add("jwt_sliding_refresh_grace", "is more than 300 seconds");
        }
        if let Some(url) = &self.redis_url {
            if cfg!(not(feature = "redis")) {
                problems.add(
                    "jwt_redis_url",
                    "needs jwt-ext's `redis` cargo feature (`jwt-ext = { features = [\"redis\"] }`)",
                );
            } else if !(url.starts_with("redis://") || url.starts_with("redis+unix://")) {
                problems.add(
                    "jwt_redis_url",
                    "must start with `redis://` or `redis+unix://`",
                );
            }
        }
    }

    /// The secret rules: present (strict), not empty, long enough for the hash (strict: an
    /// error; otherwise a warning).
    fn check_secret(
        &self,
        algorithms: &[Algorithm],
        strict: bool,
        problems: &mut Problems,
        warnings: &mut Vec<String>,
    ) {
        check_secret_value(
            self.secret_key.as_ref(),
            "jwt_secret_key",
            algorithms,
            strict,
            problems,
            warnings,
        );
    }

    /// The key set: unique ids, one signing key, and keys of the algorithm's family; the
    /// single-key settings unused.
    fn check_key_set(
        &self,
        algorithms: &[Algorithm],
        strict: bool,
        problems: &mut Problems,
        warnings: &mut Vec<String>,
    ) {
        let single = [
            ("jwt_secret_key", self.secret_key.is_some()),
            ("jwt_private_key", self.private_key.is_some()),
            ("jwt_private_key_file", self.private_key_file.is_some()),
            ("jwt_public_key", self.public_key.is_some()),
            ("jwt_public_key_file", self.public_key_file.is_some()),
        ];
        for (key, set) in single {
            if set {
                problems.add(
                    key,
                    "is set together with `jwt_keys`; put every key in `jwt_keys`",
                );
            }
        }
        let hmac = self.algorithm.family() == AlgorithmFamily::Hmac;
        for (index, entry) in self.key_set.iter().enumerate() {
            let name = format!("jwt_keys[{index}]");
            if entry.kid.is_empty() {
                problems.add(&format!("{name}.kid"), "must not be empty");
            } else if self.key_set[..index]
                .iter()
                .any(|other| other.kid == entry.kid)
            {
                problems.add(
                    &format!("{name}.kid"),
                    format!("`{}` is used twice", entry.kid),
                );
            }
            let has_pem = entry.private_key.is_some()
                || entry.private_key_file.is_some()
                || entry.public_key.is_some()
                || entry.public_key_file.is_some();
            if hmac {
                if has_pem {
                    problems.add(&name, "has PEM keys but HS* algorithms use `secret_key`");
                }
                if entry.secret_key.is_none() {
                    problems.add(
                        &format!("{name}.secret_key"),
                        "is required with HS* algorithms",
                    );
                }
                check_secret_value(
                    entry.secret_key.as_ref(),
                    &format!("{name}.secret_key"),
                    algorithms,
                    strict,
                    problems,
                    warnings,
                );
            } else if entry.secret_key.is_some() {
                problems.add(
                    &format!("{name}.secret_key"),
                    format!("is an HMAC secret, which {:?} cannot use", self.algorithm),
                );
            }
        }
        match &self.signing_key_id {
            Some(kid) if !self.key_set.iter().any(|entry| &entry.kid == kid) => problems.add(
                "jwt_signing_key_id",
                format!("`{kid}` is not the `kid` of any key in `jwt_keys`"),
            ),
            None if self.key_set.len() > 1 => problems.add(
                "jwt_signing_key_id",
                "is required with several keys: name the `kid` that signs new tokens",
            ),
            _ => {}
        }
    }
}

/// The secret rules for one secret: present (strict), not empty, long enough for the hash
/// (strict: an error; otherwise a warning).
fn check_secret_value(
    secret: Option<&SecretKey>,
    key: &str,
    algorithms: &[Algorithm],
    strict: bool,
    problems: &mut Problems,
    warnings: &mut Vec<String>,
) {
    match secret {
        None if strict && key == "jwt_secret_key" => problems.add(
            "jwt_secret_key",
            "is required (set it in Rocket.toml or ROCKET_JWT_SECRET_KEY); \
                 generate one with `openssl rand -base64 48`",
        ),
        None => {}
        Some(secret) if secret.as_bytes().is_empty() => {
            problems.add(key, "is empty");
        }
        Some(secret) => {
            let algorithms: Vec<Algorithm> = algorithms
                .iter()
                .copied()
                .filter(|algorithm| algorithm.family() == AlgorithmFamily::Hmac)
                .collect();
            let needed = algorithms
                .iter()
                .map(|algorithm| min_secret_len(*algorithm))
                .max()
                .unwrap_or(32);
            let have = secret.as_bytes().len();
            if have >= needed && low_entropy(secret.as_bytes()) {
                let message = "is too easy to guess: it uses fewer than 8 different bytes or \
                               repeats a short pattern; generate one with \
                               `openssl rand -base64 48`";
                if strict {
                    problems.add(key, message);
                } else {
                    warnings.push(format!("`{key}` {message}"));
                }
            }
            if have < needed {
                let message = format!(
                    "is {have} bytes; {} needs at least {needed} (RFC 7518 §3.2)",
                    algorithm_list(&algorithms)
                );
                if strict {
                    problems.add(key, message);
                } else {
                    warnings.push(format!("`{key}` {message}"));
                }
            }
        }
    }
}

/// Whether a secret long enough for its hash is still trivially guessable: fewer than 8
/// distinct bytes (`"k" * 32`), or one block of at most 8 bytes repeated (`"abcd" * 8`).
/// Generated secrets and passphrases pass; the point is to catch placeholders.
fn low_entropy(secret: &[u8]) -> bool {
    let mut seen = [false; 256];
    for &byte in secret {
        seen[usize::from(byte)] = true;
    }
    let distinct = seen.iter().filter(|seen| **seen).count();
    let repeats = |period: usize| {
        secret.len() >= 2 * period
            && secret
                .iter()
                .enumerate()
                .all(|(index, byte)| *byte == secret[index % period])
    };
    distinct < 8 || (1..=8).any(repeats)
}

/// RFC 7518 §3.2: an HMAC key at least as long as the hash output.
fn min_secret_len(algorithm: Algorithm) -> usize {
    match algorithm {
        Algorithm::HS384 => 48,
        Algorithm::HS512 => 64,
        _ => 32,
    }
}

fn algorithm_list(algorithms: &[Algorithm]) -> String {
    let names: Vec<String> = algorithms.iter().map(|a| format!("{a:?}")).collect();
    names.join("/")
}

fn is_header_name_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&byte)
}

fn describe(value: &FigValue) -> &'static str {
    match value {
        FigValue::String(..) => "a string",
        FigValue::Char(..) => "a character",
        FigValue::Bool(..) => "a boolean",
        FigValue::Num(..) => "a number",
        FigValue::Empty(..) => "empty",
        FigValue::Dict(..) => "a table",
        FigValue::Array(..) => "an array",
    }
}

fn read_string(value: &FigValue) -> Result<String, String> {
    match value {
        FigValue::String(_, s) => Ok(s.clone()),
        FigValue::Char(_, c) => Ok(c.to_string()),
        other => Err(format!("must be a string, not {}", describe(other))),
    }
}

fn read_secret(value: &FigValue) -> Result<String, String> {
    match value {
        FigValue::Num(..) | FigValue::Bool(..) => Err(
            "must be a string; quote it (`ROCKET_JWT_SECRET_KEY='\"...\"'`) so it is not read as \
             a number or boolean"
                .into(),
        ),
        other => read_string(other),
    }
}

fn read_bool(value: &FigValue) -> Result<bool, String> {
    match value {
        FigValue::Bool(_, b) => Ok(*b),
        other => Err(format!(
            "must be `true` or `false`, not {}",
            describe(other)
        )),
    }
}

fn read_seconds(value: &FigValue) -> Result<u64, String> {
    match value {
        FigValue::Num(_, num) => match (num.to_u128_lossy(), num.to_i128()) {
            (Some(n), _) => u64::try_from(n).map_err(|_| "is too large".to_owned()),
            (None, Some(_)) => Err("must not be negative".into()),
            (None, None) => Err("must be a whole number".into()),
        },
        other => Err(format!("must be a whole number, not {}", describe(other))),
    }
}

fn read_lifetime(value: &FigValue) -> Result<Lifetime, String> {
    match value {
        FigValue::Bool(_, false) => Ok(Lifetime::Never),
        FigValue::Bool(_, true) => Err(
            "must be a number of seconds, or `false` for tokens that never expire; `true` means \
             nothing"
                .into(),
        ),
        FigValue::Num(..) => {
            let seconds = read_seconds(value)?;
            let seconds = i64::try_from(seconds).map_err(|_| "is too large".to_owned())?;
            Ok(Lifetime::Expires(Duration::seconds(seconds)))
        }
        other => Err(format!(
            "must be a number of seconds, or `false` for tokens that never expire; not {}",
            describe(other)
        )),
    }
}

fn read_string_list(value: &FigValue) -> Result<Vec<String>, String> {
    match value {
        FigValue::Array(_, items) => items.iter().map(read_string).collect(),
        other => Ok(vec![read_string(other).map_err(|_| {
            format!(
                "must be a string or a list of strings, not {}",
                describe(other)
            )
        })?]),
    }
}

fn read_one_or_many(value: &FigValue) -> Result<OneOrMany, String> {
    match value {
        FigValue::Array(..) => read_string_list(value).map(OneOrMany::Many),
        other => read_string(other).map(OneOrMany::One).map_err(|_| {
            format!(
                "must be a string or a list of strings, not {}",
                describe(other)
            )
        }),
    }
}

fn read_algorithm(value: &FigValue) -> Result<Algorithm, String> {
    parse_algorithm(&read_string(value)?)
}

fn parse_algorithm(name: &str) -> Result<Algorithm, String> {
    name.parse().map_err(|_| {
        format!(
            "unknown algorithm `{name}`; expected one of HS256, HS384, HS512, RS256, RS384, \
             RS512, PS256, PS384, PS512, ES256, ES384, EdDSA"
        )
    })
}

/// What replaces a key of Flask-JWT-Extended 3.x, or a tymon/jwt-auth setting under a `jwt_`
/// name, that this crate does not read.
fn replaced_key(key: &str) -> Option<&'static str> {
    Some(match key {
        "jwt_blacklist_enabled" => {
            "is Flask-JWT-Extended 3.x's switch for the blocklist; here every verified request \
             asks the revocation store, as in 4.x: remove the key \
             (`#[jwt_required(skip_revocation_check)]` skips the check on one route)"
        }
        "jwt_blacklist_token_checks" => {
            "is Flask-JWT-Extended 3.x's list of token types to check against the blocklist; \
             here access and refresh tokens are both checked, as in 4.x: remove the key \
             (`skip_revocation_check` skips the check on one route)"
        }
        "jwt_user_claims" => {
            "is Flask-JWT-Extended 3.x's name of the claim that nested additional claims \
             (`user_claims`); as in 4.x, additional claims are top-level claims here: remove \
             the key (a 3.x token's nested claims read as `token.claims()[\"user_claims\"]`)"
        }
        "jwt_claims_in_refresh_token" => {
            "is Flask-JWT-Extended 3.x's switch for additional claims in refresh tokens; as in \
             4.x, refresh tokens get them too: remove the key"
        }
        "jwt_ttl" => "is tymon/jwt-auth's name: set `jwt_access_token_expires` (in seconds)",
        "jwt_refresh_ttl" => {
            "is tymon/jwt-auth's name: set `jwt_sliding_refresh_window` (in seconds, counted \
             from the login) for exchanges of access tokens, or `jwt_refresh_token_expires` for \
             refresh tokens"
        }
        "jwt_blacklist_grace_period" => {
            "is tymon/jwt-auth's name: set `jwt_sliding_refresh_grace` (in seconds)"
        }
        _ => return None,
    })
}

/// The known key closest to a misspelt one, if any is close enough to be a typo.
fn closest_key(key: &str) -> Option<&'static str> {
    KNOWN_KEYS
        .iter()
        .chain(browser::KEYS)
        .chain(remote::KEYS)
        .map(|known| (strsim::levenshtein(key, known), *known))
        .filter(|(distance, _)| *distance <= 3)
        .min()
        .map(|(_, known)| known)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholder_secrets_have_low_entropy() {
        assert!(low_entropy("k".repeat(32).as_bytes()));
        assert!(low_entropy("abcd".repeat(8).as_bytes()));
        assert!(low_entropy("12345678".repeat(4).as_bytes()));
        assert!(!low_entropy(
            b"a-test-secret-that-is-at-least-32-bytes-long"
        ));
        assert!(!low_entropy(b"Zt0jX2r6mAq9Vb1kLw8sYc3nHd5fGe7u"));
    }

    #[test]
    fn near_miss_keys_are_suggested() {
        assert_eq!(
            closest_key("jwt_acess_token_expires"),
            Some("jwt_access_token_expires")
        );
        assert_eq!(closest_key("jwt_completely_different"), None);
    }
}
