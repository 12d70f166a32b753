//! `Debug` for [`Config`], with the secrets left out.

use std::fmt;

use super::redact::{Redacted, RedactedUrl};
use super::settings::Config;

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
            cookie_partitioned,
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
            oidc_issuer,
            issuers,
            decode_typ,
            max_token_length,
            redis_url,
            redis_cluster_urls,
            redis_sentinel_urls,
            redis_sentinel_master,
            redis_replica_acks,
            redis_required_at_launch,
            redis_tls_ca_file,
            redis_near_cache_size,
            redis_near_cache_max_stale_ms,
            redis_key_prefix,
            blocklist_max_entries,
            blocklist_max_entries_per_identity,
            sessions_max_per_identity,
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
            .field("cookie_partitioned", cookie_partitioned)
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
            .field("oidc_issuer", oidc_issuer)
            .field("issuers", issuers)
            .field("decode_typ", decode_typ)
            .field("max_token_length", max_token_length)
            .field("redis_url", &redis_url.as_deref().map(RedactedUrl))
            .field(
                "redis_cluster_urls",
                &redis_cluster_urls
                    .iter()
                    .map(|url| RedactedUrl(url))
                    .collect::<Vec<_>>(),
            )
            .field(
                "redis_sentinel_urls",
                &redis_sentinel_urls
                    .iter()
                    .map(|url| RedactedUrl(url))
                    .collect::<Vec<_>>(),
            )
            .field("redis_sentinel_master", redis_sentinel_master)
            .field("redis_replica_acks", redis_replica_acks)
            .field("redis_required_at_launch", redis_required_at_launch)
            .field("redis_tls_ca_file", redis_tls_ca_file)
            .field("redis_near_cache_size", redis_near_cache_size)
            .field(
                "redis_near_cache_max_stale_ms",
                redis_near_cache_max_stale_ms,
            )
            .field("redis_key_prefix", redis_key_prefix)
            .field("blocklist_max_entries", blocklist_max_entries)
            .field(
                "blocklist_max_entries_per_identity",
                blocklist_max_entries_per_identity,
            )
            .field("sessions_max_per_identity", sessions_max_per_identity)
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
