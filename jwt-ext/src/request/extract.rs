//! Taking the token out of each location, with Flask-JWT-Extended's rules and messages
//! (Flask-JWT-Extended's rules for each location). "Not found" is always [`JwtError::NoAuthorization`], the one error that
//! lets the search go on to the next location.

use std::borrow::Cow;

use rocket::http::Method;
use rocket::Request;
use serde_json::Value;

use crate::config::{Config, TokenNames};
use crate::error::JwtError;
use crate::request::csrf::FormCsrf;

/// Extracts the token from the values of the configured header, exactly as Flask does:
///
/// - the values (several headers of the same name are joined with `,`) are trimmed of
///   whitespace, then of commas; nothing left → 401 `Missing <H> Header`;
/// - with a header type `T`, the value is split on `,` followed by optional whitespace and the
///   fields whose first word is exactly `T` (case-sensitive) are kept: not exactly one → 401
///   `Missing 'T' type in 'H' header...`; that field not exactly two words → 422
///   `Bad H header...`;
/// - with an empty type the whole value must be one word, else 422.
///
/// The usual single header is parsed in place: the token borrows from it.
pub(crate) fn token_from_header<'v>(
    mut values: impl Iterator<Item = &'v str>,
    header_name: &str,
    header_type: &str,
) -> Result<Cow<'v, str>, JwtError> {
    let first = values.next().unwrap_or_default();
    let Some(second) = values.next() else {
        return token_in_value(first, header_name, header_type).map(Cow::Borrowed);
    };
    let mut joined = [first, second].join(",");
    for value in values {
        joined.push(',');
        joined.push_str(value);
    }
    token_in_value(&joined, header_name, header_type).map(|token| Cow::Owned(token.to_owned()))
}

/// The token in one (possibly joined) header value.
fn token_in_value<'a>(
    value: &'a str,
    header_name: &str,
    header_type: &str,
) -> Result<&'a str, JwtError> {
    let value = value.trim().trim_matches(',');
    if value.is_empty() {
        return Err(JwtError::NoAuthorization(format!(
            "Missing {header_name} Header"
        )));
    }

    match single_field(value, header_type) {
        Some(token) => Ok(token),
        None => token_in_fields(value, header_name, header_type),
    }
}

/// [`token_in_value`]'s general rules, for a trimmed, non-empty value.
fn token_in_fields<'a>(
    value: &'a str,
    header_name: &str,
    header_type: &str,
) -> Result<&'a str, JwtError> {
    if header_type.is_empty() {
        let mut words = value.split_whitespace();
        return match (words.next(), words.next()) {
            (Some(token), None) => Ok(token),
            _ => Err(JwtError::InvalidHeader(format!(
                "Bad {header_name} header. Expected '{header_name}: <JWT>'"
            ))),
        };
    }

    let mut matching = value
        .split(',')
        .map(str::trim_start)
        .filter(|field| field.split_whitespace().next() == Some(header_type));
    let (Some(field), None) = (matching.next(), matching.next()) else {
        return Err(JwtError::NoAuthorization(format!(
            "Missing '{header_type}' type in '{header_name}' header. \
             Expected '{header_name}: {header_type} <JWT>'"
        )));
    };
    let mut words = field.split_whitespace().skip(1);
    match (words.next(), words.next()) {
        (Some(token), None) => Ok(token),
        _ => Err(JwtError::InvalidHeader(format!(
            "Bad {header_name} header. Expected '{header_name}: {header_type} <JWT>'"
        ))),
    }
}

/// `<type> <token>` in an ASCII value without a comma: every well-formed header, parsed with
/// one pass over the token instead of the general splitting. `None` for anything else (the
/// general rules then answer); where it answers, the general rules give the same token.
fn single_field<'a>(value: &'a str, header_type: &str) -> Option<&'a str> {
    if header_type.is_empty() || !header_type.is_ascii() || header_type.bytes().any(is_space) {
        return None;
    }
    // The type is the whole first word: whitespace must follow it.
    let rest = value.strip_prefix(header_type)?;
    let token = rest.trim_start_matches(|c: char| c.is_ascii() && is_space(c as u8));
    if token.len() == rest.len() || token.is_empty() {
        return None;
    }
    // One branch-free pass over the token (it vectorises): no byte that is non-ASCII, a comma
    // or at most a space (which covers every ASCII whitespace) — the usual case. Bitwise
    // operators on purpose: short-circuiting would stop the vectorisation.
    #[allow(clippy::needless_bitwise_bool)]
    let unusual = token.bytes().fold(false, |unusual, b| {
        unusual | (b >= 0x80) | (b == b',') | (b <= b' ')
    });
    if !unusual {
        return Some(token);
    }
    if !token.is_ascii() || token.contains(',') {
        return None;
    }
    let end = token.bytes().position(is_space).unwrap_or(token.len());
    // Nothing but whitespace after the token (a third word is the general path's 422).
    (end > 0 && token.as_bytes()[end..].iter().all(|b| is_space(*b))).then(|| &token[..end])
}

/// `char::is_whitespace` for ASCII bytes.
fn is_space(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// The cookie location: the token, and the CSRF double-submit value when the request's
/// method needs one. The CSRF value is required *before* the token is decoded, as in Flask:
/// a garbage cookie on a POST without the header answers `Missing CSRF token`.
pub(crate) fn token_from_cookie<'r>(
    request: &'r Request<'_>,
    config: &Config,
    names: &TokenNames<'_>,
    refresh: bool,
) -> Result<(&'r str, Option<&'r str>), JwtError> {
    let token = first_cookie(request, names.cookie)
        .filter(|value| !value.is_empty())
        .ok_or_else(|| JwtError::NoAuthorization(format!("Missing cookie \"{}\"", names.cookie)))?;
    if refresh && config.refresh_cookie_post_only && request.method() != Method::Post {
        return Err(JwtError::Csrf(
            "Refresh token cookies are only accepted on POST requests".into(),
        ));
    }
    if !config.cookie_csrf_protect || !config.csrf_methods.contains(&request.method()) {
        return Ok((token, None));
    }
    let from_header = request
        .headers()
        .get_one(names.csrf_header)
        .filter(|value| !value.is_empty());
    let from_form = || {
        config
            .csrf_check_form
            .then(|| FormCsrf::of(request, names.csrf_field))
            .flatten()
    };
    match from_header.or_else(from_form) {
        Some(csrf) => Ok((token, Some(csrf))),
        None => Err(JwtError::Csrf("Missing CSRF token".into())),
    }
}

/// The value of the first cookie called `name`, as Flask (Werkzeug) reads it: the first of two
/// cookies of one name (browsers send the one with the longer path first), and a quoted value
/// (`name="value"`, which some clients and proxies write) without its quotes.
fn first_cookie<'r>(request: &'r Request<'_>, name: &str) -> Option<&'r str> {
    let from_headers = request.headers().get("Cookie").find_map(|header| {
        rocket::http::Cookie::split_parse(header)
            .filter_map(Result::ok)
            .find(|cookie| cookie.name() == name)
            .and_then(|cookie| cookie.value_raw())
    });
    // Rocket's jar also holds cookies that reached the request without a header (a local
    // client's); there, one name is one cookie.
    let value =
        from_headers.or_else(|| request.cookies().get(name).map(rocket::http::Cookie::value))?;
    Some(
        value
            .strip_prefix('"')
            .and_then(|value| value.strip_suffix('"'))
            .unwrap_or(value),
    )
}

/// The query string location: the first `jwt_query_string_name` parameter, which must start
/// with `jwt_query_string_value_prefix` (stripped).
pub(crate) fn token_from_query<'r>(
    request: &'r Request<'_>,
    config: &Config,
) -> Result<&'r str, JwtError> {
    let name = config.query_string_name.as_str();
    let value = request
        .query_fields()
        .find(|field| field.name == name)
        .map(|field| field.value)
        .filter(|value| !value.is_empty())
        .ok_or_else(|| JwtError::NoAuthorization(format!("Missing '{name}' query parameter")))?;
    value
        .strip_prefix(config.query_string_value_prefix.as_str())
        .ok_or_else(|| {
            JwtError::InvalidQueryParam(format!(
                "Invalid value for query parameter '{name}'. Expected the value to start with \
                 '{}'",
                config.query_string_value_prefix
            ))
        })
}

/// Whether the request says its body is JSON, as Flask's `request.is_json`:
/// `application/json` or `application/<anything>+json`, whatever the parameters.
pub(crate) fn is_json(request: &Request<'_>) -> bool {
    request.content_type().is_some_and(|content_type| {
        content_type.top() == "application"
            && (content_type.sub() == "json" || content_type.sub().as_str().ends_with("+json"))
    })
}

/// The JSON location. `body` is the parsed body when a data guard read it, `None` for a
/// request guard, which cannot.
pub(crate) fn token_from_json<'b>(
    request: &Request<'_>,
    body: Option<&'b Value>,
    names: &TokenNames<'_>,
) -> Result<&'b str, JwtError> {
    if !is_json(request) {
        return Err(JwtError::NoAuthorization(
            "Invalid content-type. Must be application/json.".into(),
        ));
    }
    let missing =
        || JwtError::NoAuthorization(format!("Missing \"{}\" key in json data.", names.json_key));
    // A body that is not an object (or not JSON at all) has no such key: 401, never a 500.
    match body.and_then(|body| body.get(names.json_key)) {
        Some(Value::String(token)) if !token.is_empty() => Ok(token),
        // Python's falsy values count as missing, as in Flask.
        None | Some(Value::Null | Value::String(_) | Value::Bool(false)) => Err(missing()),
        Some(Value::Array(items)) if items.is_empty() => Err(missing()),
        Some(Value::Object(map)) if map.is_empty() => Err(missing()),
        Some(Value::Number(number)) if number.as_f64() == Some(0.0) => Err(missing()),
        Some(_) => Err(JwtError::Invalid(
            "Invalid token type. Token must be a <class 'bytes'>".into(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Where the one-pass parser answers, it answers as the general rules do.
    #[test]
    fn the_single_field_parser_agrees_with_the_general_rules() {
        let pieces = [
            "Bearer", "bearer", "Bearerx", "Basic", "t", "a.b.c", " ", "  ", "\t", "\u{b}",
            "\u{c}", "\r\n", "\u{a0}", "\u{85}", "\u{2003}", ",", "é", "\u{1}", "\u{1f}",
        ];
        let mut answered = 0;
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    for d in ["", " ", "x", " x", "\t", "\ty"] {
                        let raw = format!("{a}{b}{c}{d}");
                        let value = raw.trim().trim_matches(',');
                        if value.is_empty() {
                            continue;
                        }
                        for header_type in ["Bearer", "", "JWT x"] {
                            let Some(token) = single_field(value, header_type) else {
                                continue;
                            };
                            answered += 1;
                            let general = token_in_fields(value, "Authorization", header_type);
                            assert_eq!(general.ok(), Some(token), "{value:?} {header_type:?}");
                        }
                    }
                }
            }
        }
        assert!(answered > 100, "{answered}");
    }

    fn parse(value: &str) -> Result<String, JwtError> {
        token_from_header(std::iter::once(value), "Authorization", "Bearer").map(Cow::into_owned)
    }

    #[test]
    fn accepted_forms() {
        for value in [
            "Bearer t",
            "Bearer t, Basic x",
            "Basic x, Bearer t",
            "Bearer t,   ",
            ", Bearer t",
            "Bearer\tt",
            "  Bearer    t  ",
            "Basic x,,Bearer t",
        ] {
            assert_eq!(parse(value).unwrap(), "t", "{value:?}");
        }
    }

    #[test]
    fn missing_and_bad_forms() {
        let missing = "Missing 'Bearer' type in 'Authorization' header. \
                       Expected 'Authorization: Bearer <JWT>'";
        let bad = "Bad Authorization header. Expected 'Authorization: Bearer <JWT>'";
        for (value, status, message) in [
            ("", 401, "Missing Authorization Header"),
            (" , ", 401, "Missing Authorization Header"),
            ("bearer t", 401, missing),
            ("Basic x", 401, missing),
            ("Bearer a, Bearer b", 401, missing),
            ("Foo 1, Bar 2, Baz, 3", 401, missing),
            ("Bearer", 422, bad),
            ("Bearer a b", 422, bad),
        ] {
            let error = parse(value).unwrap_err();
            assert_eq!(error.status().code, status, "{value:?}");
            assert_eq!(error.message(), message, "{value:?}");
        }
    }

    #[test]
    fn bare_token_when_type_is_empty() {
        let bare = |value: &str| {
            token_from_header(std::iter::once(value), "X-Token", "").map(Cow::into_owned)
        };
        assert_eq!(bare(" t ").unwrap(), "t");
        assert_eq!(
            bare("Bearer t").unwrap_err().message(),
            "Bad X-Token header. Expected 'X-Token: <JWT>'"
        );
    }

    #[test]
    fn repeated_headers_are_joined() {
        let values = ["Bearer a", "Bearer b"];
        let error = token_from_header(values.into_iter(), "Authorization", "Bearer").unwrap_err();
        assert_eq!(error.status().code, 401);
    }
}
