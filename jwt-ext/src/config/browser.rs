//! The settings of the other token locations: cookies and their CSRF double submit, the query
//! string and the JSON body (Flask-JWT-Extended's names and defaults), read and checked like the rest.

use rocket::http::SameSite;

use super::error::Problems;
use super::settings::Config;
use super::validate::is_header_name_byte;
use crate::location::Location;

impl Config {
    /// Checks the cookie, CSRF, query string and JSON settings.
    pub(super) fn check_browser(
        &self,
        strict: bool,
        problems: &mut Problems,
        warnings: &mut Vec<String>,
    ) {
        let cookies = [
            ("jwt_access_cookie_name", &self.access_cookie_name),
            ("jwt_refresh_cookie_name", &self.refresh_cookie_name),
            ("jwt_access_csrf_cookie_name", &self.access_csrf_cookie_name),
            (
                "jwt_refresh_csrf_cookie_name",
                &self.refresh_csrf_cookie_name,
            ),
        ];
        let paths = [
            &self.access_cookie_path,
            &self.refresh_cookie_path,
            &self.access_csrf_cookie_path,
            &self.refresh_csrf_cookie_path,
        ];
        for ((key, name), path) in cookies.into_iter().zip(paths) {
            if name.is_empty() || !name.bytes().all(is_header_name_byte) {
                problems.add(
                    key,
                    "must be a cookie name: letters, digits and !#$%&'*+-.^_`|~",
                );
            }
            let path_key = key.replace("_name", "_path");
            if !path.starts_with('/') || !path.bytes().all(is_cookie_value_byte) {
                problems.add(
                    &path_key,
                    "must be a URL path starting with `/`, without spaces or `;`",
                );
            }
            self.check_prefixes(key, name, path, problems);
        }
        if let Some(domain) = &self.cookie_domain {
            if domain.is_empty() || !domain.bytes().all(is_cookie_value_byte) {
                problems.add(
                    "jwt_cookie_domain",
                    "must be a domain name, without spaces or `;`",
                );
            }
        }
        if self.cookie_partitioned && !self.cookie_secure {
            problems.add(
                "jwt_cookie_partitioned",
                "is true, but browsers ignore `Partitioned` on a cookie that is not `Secure`: \
                 set `jwt_cookie_secure = true`",
            );
        }
        if self.cookie_samesite == Some(SameSite::None) && !self.cookie_secure {
            problems.add(
                "jwt_cookie_samesite",
                "is `None`, which browsers accept only with `jwt_cookie_secure = true`",
            );
        }
        for (key, name) in [
            ("jwt_access_csrf_header_name", &self.access_csrf_header_name),
            (
                "jwt_refresh_csrf_header_name",
                &self.refresh_csrf_header_name,
            ),
        ] {
            if name.is_empty() || !name.bytes().all(is_header_name_byte) {
                problems.add(key, "is not a valid HTTP header name");
            }
        }
        for (key, name) in [
            ("jwt_access_csrf_field_name", &self.access_csrf_field_name),
            ("jwt_refresh_csrf_field_name", &self.refresh_csrf_field_name),
            ("jwt_query_string_name", &self.query_string_name),
            ("jwt_json_key", &self.json_key),
            ("jwt_refresh_json_key", &self.refresh_json_key),
        ] {
            if name.is_empty() {
                problems.add(key, "must not be empty");
            }
        }
        if self.token_location.contains(Location::Cookies) {
            if !self.cookie_csrf_protect {
                warnings.push(
                    "tokens are read from cookies with `jwt_cookie_csrf_protect = false`: any \
                     site can make a logged-in browser send them"
                        .into(),
                );
            } else if self.csrf_methods.is_empty() {
                warnings.push(
                    "`jwt_csrf_methods` is empty: cookie-borne tokens get no CSRF check".into(),
                );
            }
            if strict && !self.cookie_secure {
                warnings.push(
                    "`jwt_cookie_secure` is false: token cookies will also travel over plain HTTP"
                        .into(),
                );
            }
        }
    }

    /// RFC 6265bis §4.1.3: a `__Secure-` cookie needs `Secure`; a `__Host-` cookie needs
    /// `Secure`, `Path=/` and no `Domain`. Browsers drop cookies that break the rule, so a
    /// config that would set one stops the launch instead.
    fn check_prefixes(&self, key: &str, name: &str, path: &str, problems: &mut Problems) {
        let lower = name.to_ascii_lowercase();
        if lower.starts_with("__host-") {
            let mut broken = Vec::new();
            if !self.cookie_secure {
                broken.push("`jwt_cookie_secure = true`");
            }
            if path != "/" {
                broken.push("its path `/`");
            }
            if self.cookie_domain.is_some() {
                broken.push("no `jwt_cookie_domain`");
            }
            if !broken.is_empty() {
                problems.add(
                    key,
                    format!(
                        "starts with `__Host-`, which browsers accept only with {}",
                        broken.join(", ")
                    ),
                );
            }
        } else if lower.starts_with("__secure-") && !self.cookie_secure {
            problems.add(
                key,
                "starts with `__Secure-`, which browsers accept only with `jwt_cookie_secure = true`",
            );
        }
    }

    /// The cookie name, CSRF cookie name, CSRF header, form field and JSON key for a request
    /// that needs an access (`refresh == false`) or a refresh token.
    pub(crate) fn names(&self, refresh: bool) -> TokenNames<'_> {
        if refresh {
            TokenNames {
                cookie: &self.refresh_cookie_name,
                cookie_path: &self.refresh_cookie_path,
                csrf_cookie: &self.refresh_csrf_cookie_name,
                csrf_cookie_path: &self.refresh_csrf_cookie_path,
                csrf_header: &self.refresh_csrf_header_name,
                csrf_field: &self.refresh_csrf_field_name,
                json_key: &self.refresh_json_key,
            }
        } else {
            TokenNames {
                cookie: &self.access_cookie_name,
                cookie_path: &self.access_cookie_path,
                csrf_cookie: &self.access_csrf_cookie_name,
                csrf_cookie_path: &self.access_csrf_cookie_path,
                csrf_header: &self.access_csrf_header_name,
                csrf_field: &self.access_csrf_field_name,
                json_key: &self.json_key,
            }
        }
    }
}

/// The names of one kind of token's cookie, CSRF values and JSON key.
pub(crate) struct TokenNames<'a> {
    pub(crate) cookie: &'a str,
    pub(crate) cookie_path: &'a str,
    pub(crate) csrf_cookie: &'a str,
    pub(crate) csrf_cookie_path: &'a str,
    pub(crate) csrf_header: &'a str,
    pub(crate) csrf_field: &'a str,
    pub(crate) json_key: &'a str,
}

/// Bytes allowed in a cookie path or domain: visible ASCII but `;` and `,`.
fn is_cookie_value_byte(byte: u8) -> bool {
    byte.is_ascii_graphic() && byte != b';' && byte != b','
}
