//! Flask-JWT-Extended's search over the token locations: try each location in order; only "not found" goes on
//! to the next; the first location that has a token decides, by decoding it (and checking the
//! CSRF double submit for a cookie).

use std::borrow::Cow;
use std::sync::Arc;

use rocket::Request;
use serde_json::Value;

use crate::error::JwtError;
use crate::location::{Location, Locations};
use crate::manager::JwtManager;
use crate::request::csrf;
use crate::request::extract::{
    token_from_cookie, token_from_header, token_from_json, token_from_query,
};
use crate::request::state::{Found, RequestState};
use crate::token::claims::DecodedToken;

/// The request body, as far as the `json` location is concerned.
#[derive(Clone, Copy)]
pub(crate) enum Body<'b> {
    /// A request guard: the body is not readable.
    Unread,
    /// A data guard read it: the parsed JSON, `None` when it is not JSON.
    Read(Option<&'b Value>),
}

/// [`find`] for a request guard, at most once per request and question.
pub(crate) fn find_once(
    manager: &JwtManager,
    request: &Request<'_>,
    state: &RequestState,
    refresh: bool,
    locations: Locations,
) -> Result<Found, JwtError> {
    let question = (refresh, locations);
    let done = || {
        let searches = state.searches.lock().ok()?;
        searches.find(|asked| *asked == question).cloned()
    };
    if let Some(result) = done() {
        return result;
    }
    let result = find(manager, request, refresh, locations, Body::Unread);
    if let Ok(mut searches) = state.searches.lock() {
        searches.push(question, result.clone());
    }
    result
}

/// [`find_once`] again, replacing the remembered result: the keys changed since.
pub(crate) fn find_again(
    manager: &JwtManager,
    request: &Request<'_>,
    state: &RequestState,
    refresh: bool,
    locations: Locations,
) -> Result<Found, JwtError> {
    let result = find(manager, request, refresh, locations, Body::Unread);
    if let Ok(mut searches) = state.searches.lock() {
        let question = (refresh, locations);
        searches.forget(|asked| *asked == question);
        searches.push(question, result.clone());
    }
    result
}

/// Looks for the token in `locations`, in order, and decodes the first one found.
pub(crate) fn find(
    manager: &JwtManager,
    request: &Request<'_>,
    refresh: bool,
    locations: Locations,
    body: Body<'_>,
) -> Result<Found, JwtError> {
    let config = manager.config();
    let names = config.names(refresh);
    let mut missing = Vec::new();
    for location in locations.iter() {
        let attempt = match location {
            Location::Headers => token_from_header(
                request.headers().get(&config.header_name),
                &config.header_name,
                &config.header_type,
            )
            .map(|token| (token, None)),
            Location::Cookies => token_from_cookie(request, config, &names, refresh)
                .map(|(token, csrf)| (Cow::Borrowed(token), csrf)),
            Location::QueryString => {
                token_from_query(request, config).map(|token| (Cow::Borrowed(token), None))
            }
            Location::Json => {
                let body = match body {
                    Body::Unread => {
                        log::debug!(
                            "jwt-ext: a request guard cannot read the body; use `JwtJson` to \
                             accept tokens from the `json` location"
                        );
                        None
                    }
                    Body::Read(body) => body,
                };
                token_from_json(request, body, &names).map(|token| (Cow::Borrowed(token), None))
            }
        };
        match attempt {
            Ok((encoded, csrf)) => {
                let token = decode(manager, &encoded, csrf)?;
                return Ok(Found { token, location });
            }
            Err(JwtError::NoAuthorization(message)) => missing.push(message),
            Err(error) => return Err(error),
        }
    }
    Err(JwtError::NoAuthorization(aggregate(locations, missing)))
}

/// One location: its own message. Several: Flask's
/// `Missing JWT in a, b or c (message a; message b; message c)`.
fn aggregate(locations: Locations, mut missing: Vec<String>) -> String {
    if missing.len() == 1 {
        return missing.pop().unwrap_or_default();
    }
    let names: Vec<&str> = locations.iter().map(Location::as_str).collect();
    let (last, first) = names.split_last().unwrap_or((&"", &[]));
    format!(
        "Missing JWT in {} or {last} ({})",
        first.join(", "),
        missing.join("; ")
    )
}

/// Decodes (through the verified-token cache), then compares the CSRF value, if any, with the
/// token's `csrf` claim, as Flask's `decode_token(token, csrf_value)`.
fn decode(
    manager: &JwtManager,
    encoded: &str,
    csrf: Option<&str>,
) -> Result<Arc<DecodedToken>, JwtError> {
    let cache = manager.cache();
    let token = if let Some(token) = cache.get(encoded, crate::clock::now_seconds()) {
        token
    } else {
        match manager.verifier().decode(encoded, false) {
            Ok(token) => {
                let token = Arc::new(token);
                cache.insert(encoded, &token);
                token
            }
            // Flask decodes an expired token a second time, ignoring `exp`, with the CSRF
            // value: whatever that refuses (a bad `sub`, a missing `csrf` claim, another
            // double-submit value) is the answer, not the expiry.
            Err(JwtError::Expired(refused)) => {
                let again = manager.verifier().decode(encoded, true)?;
                compare_csrf(&again, csrf)?;
                return Err(JwtError::Expired(refused));
            }
            Err(error) => return Err(error),
        }
    };
    compare_csrf(&token, csrf)?;
    Ok(token)
}

/// The double submit, as Flask's `decode_token(token, csrf_value)` compares it: the submitted
/// value, if any, against the token's `csrf` claim.
fn compare_csrf(token: &DecodedToken, csrf: Option<&str>) -> Result<(), JwtError> {
    if let Some(submitted) = csrf {
        match token.claims().get("csrf") {
            None => return Err(JwtError::Invalid("Missing claim: csrf".into())),
            Some(Value::String(claim)) if csrf::matches(claim, submitted) => {}
            Some(_) => {
                return Err(JwtError::Csrf(
                    "CSRF double submit tokens do not match".into(),
                ))
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aggregated_messages() {
        let two: Locations = "cookies, headers".parse().unwrap();
        assert_eq!(
            aggregate(two, vec!["a".into(), "b".into()]),
            "Missing JWT in cookies or headers (a; b)"
        );
        let three: Locations = "headers, cookies, query_string".parse().unwrap();
        assert_eq!(
            aggregate(three, vec!["a".into(), "b".into(), "c".into()]),
            "Missing JWT in headers, cookies or query_string (a; b; c)"
        );
        assert_eq!(aggregate(Locations::HEADERS, vec!["a".into()]), "a");
    }
}
