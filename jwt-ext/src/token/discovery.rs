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
    let document: Document = serde_json::from_slice(&body)
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
