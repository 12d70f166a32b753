//! Finding the token in a request. This version reads the `headers` location, with
//! Flask-JWT-Extended's parsing rules (REFERENCE §5.2).

use std::borrow::Cow;

use crate::error::JwtError;

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

#[cfg(test)]
mod tests {
    use super::*;

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
