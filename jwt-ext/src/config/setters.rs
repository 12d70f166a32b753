//! Builder-style setters, one per field of [`Config`].

use jsonwebtoken::Algorithm;

use crate::location::Locations;

use super::settings::Config;
use super::values::{KeyEntry, Lifetime, OneOrMany, SecretKey};

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
