//! The settings of the other token locations: cookies and their CSRF double submit, the query
//! string and the JSON body (Flask-JWT-Extended's names and defaults), read and checked like the rest.

use rocket::figment::value::Value as FigValue;
use rocket::http::{Method, SameSite};

use super::error::Problems;
use super::readers::{describe, read_bool, read_string, read_string_list};
use super::settings::Config;
use super::validate::is_header_name_byte;
use crate::location::{Location, Locations};

/// The keys this module reads.
pub(super) const KEYS: &[&str] = &[
    "jwt_token_location",
    "jwt_access_cookie_name",
    "jwt_refresh_cookie_name",
    "jwt_access_cookie_path",
    "jwt_refresh_cookie_path",
    "jwt_cookie_secure",
    "jwt_cookie_domain",
    "jwt_cookie_samesite",
    "jwt_session_cookie",
    "jwt_csrf_methods",
    "jwt_csrf_in_cookies",
    "jwt_access_csrf_cookie_name",
    "jwt_refresh_csrf_cookie_name",
    "jwt_access_csrf_cookie_path",
    "jwt_refresh_csrf_cookie_path",
    "jwt_access_csrf_header_name",
    "jwt_refresh_csrf_header_name",
    "jwt_csrf_check_form",
    "jwt_access_csrf_field_name",
    "jwt_refresh_csrf_field_name",
    "jwt_query_string_name",
    "jwt_query_string_value_prefix",
    "jwt_json_key",
    "jwt_refresh_json_key",
    "jwt_refresh_cookie_post_only",
];

impl Config {
    /// Reads one of [`KEYS`]; `None` for any other key.
    pub(super) fn read_browser_key(
        &mut self,
        key: &str,
        value: &FigValue,
    ) -> Option<Result<(), String>> {
        let text = || read_string(value);
        let result = match key {
            "jwt_token_location" => read_locations(value).map(|v| self.token_location = v),
            "jwt_access_cookie_name" => text().map(|v| self.access_cookie_name = v),
            "jwt_refresh_cookie_name" => text().map(|v| self.refresh_cookie_name = v),
            "jwt_access_cookie_path" => text().map(|v| self.access_cookie_path = v),
            "jwt_refresh_cookie_path" => text().map(|v| self.refresh_cookie_path = v),
            "jwt_cookie_secure" => read_bool(value).map(|v| self.cookie_secure = v),
            "jwt_cookie_domain" => read_optional_string(value).map(|v| self.cookie_domain = v),
            "jwt_cookie_samesite" => read_same_site(value).map(|v| self.cookie_samesite = v),
            "jwt_session_cookie" => read_bool(value).map(|v| self.session_cookie = v),
            "jwt_csrf_methods" => read_methods(value).map(|v| self.csrf_methods = v),
            "jwt_csrf_in_cookies" => read_bool(value).map(|v| self.csrf_in_cookies = v),
            "jwt_access_csrf_cookie_name" => text().map(|v| self.access_csrf_cookie_name = v),
            "jwt_refresh_csrf_cookie_name" => text().map(|v| self.refresh_csrf_cookie_name = v),
            "jwt_access_csrf_cookie_path" => text().map(|v| self.access_csrf_cookie_path = v),
            "jwt_refresh_csrf_cookie_path" => text().map(|v| self.refresh_csrf_cookie_path = v),
            "jwt_access_csrf_header_name" => text().map(|v| self.access_csrf_header_name = v),
            "jwt_refresh_csrf_header_name" => text().map(|v| self.refresh_csrf_header_name = v),
            "jwt_csrf_check_form" => read_bool(value).map(|v| self.csrf_check_form = v),
            "jwt_access_csrf_field_name" => text().map(|v| self.access_csrf_field_name = v),
            "jwt_refresh_csrf_field_name" => text().map(|v| self.refresh_csrf_field_name = v),
            "jwt_query_string_name" => text().map(|v| self.query_string_name = v),
            "jwt_query_string_value_prefix" => text().map(|v| self.query_string_value_prefix = v),
            "jwt_json_key" => text().map(|v| self.json_key = v),
            "jwt_refresh_json_key" => text().map(|v| self.refresh_json_key = v),
            "jwt_refresh_cookie_post_only" => {
                read_bool(value).map(|v| self.refresh_cookie_post_only = v)
            }
            _ => return None,
        };
        Some(result)
    }

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

fn read_locations(value: &FigValue) -> Result<Locations, String> {
    let names = read_string_list(value)?;
    let locations = names
        .iter()
        .map(|name| name.trim().parse::<Location>())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|error| error.to_string())?;
    Locations::new(&locations).map_err(|error| error.to_string())
}

fn read_optional_string(value: &FigValue) -> Result<Option<String>, String> {
    match value {
        FigValue::Bool(_, false) => Ok(None),
        other => read_string(other).map(Some).map_err(|_| {
            format!(
                "must be a string, or `false` for none; not {}",
                describe(other)
            )
        }),
    }
}

fn read_same_site(value: &FigValue) -> Result<Option<SameSite>, String> {
    if let FigValue::Bool(_, false) = value {
        return Ok(None);
    }
    let text = read_string(value)?;
    match text.to_ascii_lowercase().as_str() {
        "lax" => Ok(Some(SameSite::Lax)),
        "strict" => Ok(Some(SameSite::Strict)),
        "none" => Ok(Some(SameSite::None)),
        _ => Err(format!(
            "must be `Lax`, `Strict` or `None` (or `false` for the default, `Lax`); got `{text}`"
        )),
    }
}

fn read_methods(value: &FigValue) -> Result<Vec<Method>, String> {
    read_string_list(value)?
        .iter()
        .map(|name| {
            name.to_ascii_uppercase()
                .parse::<Method>()
                .map_err(|()| format!("`{name}` is not an HTTP method"))
        })
        .collect()
}
