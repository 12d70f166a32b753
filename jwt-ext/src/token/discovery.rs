//! OpenID Connect discovery: an issuer's JWK Set URL from its
//! `/.well-known/openid-configuration`, whose `issuer` must be the configured one exactly
//! (a document naming another issuer stops the launch: its keys would vouch for tokens of an
//! issuer this app was not told to trust).

use serde::Deserialize;

use crate::config::url_problem;
use crate::token::fetch::fetch_json;

/// The members of the discovery document jwt-ext reads.
#[derive(Deserialize)]
struct Document {
    issuer: String,
    jwks_uri: Option<String>,
}

/// Where the discovery document of `issuer` is: the issuer, without a trailing `/`, followed
/// by `/.well-known/openid-configuration`.
fn document_url(issuer: &str) -> String {
    format!(
        "{}/.well-known/openid-configuration",
        issuer.trim_end_matches('/')
    )
}

/// The `jwks_uri` of `issuer`, checked as the configured URLs are (`strict`: `https://` but
/// on loopback).
pub(crate) async fn jwks_uri(
    client: &reqwest::Client,
    issuer: &str,
    strict: bool,
) -> Result<String, String> {
    let url = document_url(issuer);
    let body = fetch_json(client, &url).await?;
    jwks_uri_of(&body, &url, issuer, strict)
}

/// The `jwks_uri` of the discovery document `body`, read from `url`, once it is checked: it
/// must name `issuer` exactly, and its `jwks_uri` must be a URL the configuration would accept.
fn jwks_uri_of(body: &[u8], url: &str, issuer: &str, strict: bool) -> Result<String, String> {
    let document: Document = serde_json::from_slice(body)
        .map_err(|error| format!("{url} is not an OpenID configuration: {error}"))?;
    if document.issuer != issuer {
        return Err(format!(
            "{url} names the issuer `{}`, not `{issuer}`; the two must be equal, character for \
             character (a trailing `/` included)",
            document.issuer
        ));
    }
    let Some(jwks_uri) = document.jwks_uri else {
        return Err(format!("{url} has no `jwks_uri`"));
    };
    if let Some(problem) = url_problem(&jwks_uri, strict) {
        return Err(format!("its `jwks_uri` {jwks_uri} {problem}"));
    }
    Ok(jwks_uri)
}

#[cfg(test)]
mod tests {
    use super::*;

    const URL: &str = "https://login.example.com/.well-known/openid-configuration";
    const ISSUER: &str = "https://login.example.com";

    fn read(document: &serde_json::Value, strict: bool) -> Result<String, String> {
        jwks_uri_of(document.to_string().as_bytes(), URL, ISSUER, strict)
    }

    #[test]
    fn a_document_must_name_the_issuer_and_a_usable_jwks_uri() {
        let keys = "https://login.example.com/keys";
        let good = serde_json::json!({ "issuer": ISSUER, "jwks_uri": keys });
        assert_eq!(read(&good, true).as_deref(), Ok(keys));
        let other = serde_json::json!({ "issuer": "https://login.example.com/", "jwks_uri": keys });
        assert!(read(&other, true).unwrap_err().contains(
            "names the issuer `https://login.example.com/`, not `https://login.example.com`"
        ));
        let without = serde_json::json!({ "issuer": ISSUER });
        assert_eq!(
            read(&without, true).unwrap_err(),
            format!("{URL} has no `jwks_uri`")
        );
        // Plain HTTP off loopback: refused in release, accepted in debug, as configured URLs.
        let plain = serde_json::json!({ "issuer": ISSUER, "jwks_uri": "http://keys.example.com/" });
        assert!(read(&plain, true)
            .unwrap_err()
            .starts_with("its `jwks_uri` http://keys.example.com/ must be `https://`"));
        assert!(read(&plain, false).is_ok());
        let loopback =
            serde_json::json!({ "issuer": ISSUER, "jwks_uri": "http://127.0.0.1:9/keys" });
        assert!(read(&loopback, true).is_ok());
        assert!(jwks_uri_of(b"<html>", URL, ISSUER, true)
            .unwrap_err()
            .starts_with(&format!("{URL} is not an OpenID configuration")));
    }

    #[test]
    fn the_document_sits_under_the_issuer() {
        assert_eq!(
            document_url("https://login.example.com/realms/x"),
            "https://login.example.com/realms/x/.well-known/openid-configuration"
        );
        assert_eq!(
            document_url("https://login.example.com/"),
            "https://login.example.com/.well-known/openid-configuration"
        );
    }
}
