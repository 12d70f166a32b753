//! Finding the token in a request. This version reads the `headers` location, with
//! Flask-JWT-Extended's parsing rules (REFERENCE §5.2).

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
pub(crate) fn token_from_header<'v>(
    values: impl Iterator<Item = &'v str>,
    header_name: &str,
    header_type: &str,
) -> Result<String, JwtError> {
    let mut joined = String::new();
    for value in values {
        if !joined.is_empty() {
            joined.push(',');
        }
        joined.push_str(value);
    }
    let value = joined.trim().trim_matches(',');
    if value.is_empty() {
        return Err(JwtError::NoAuthorization(format!(
            "Missing {header_name} Header"
        )));
    }

    if header_type.is_empty() {
        let mut words = value.split_whitespace();
        return match (words.next(), words.next()) {
            (Some(token), None) => Ok(token.to_owned()),
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
        (Some(token), None) => Ok(token.to_owned()),
        _ => Err(JwtError::InvalidHeader(format!(
            "Bad {header_name} header. Expected '{header_name}: {header_type} <JWT>'"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(value: &str) -> Result<String, JwtError> {
        token_from_header(std::iter::once(value), "Authorization", "Bearer")
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
        let bare = |value: &str| token_from_header(std::iter::once(value), "X-Token", "");
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
