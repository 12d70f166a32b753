//! Fetching the documents of remote issuers (discovery documents, JWK Sets) over HTTP: the
//! default client's limits, and a size-limited read.

use std::time::Duration;

/// The largest JWKS or discovery document accepted: a few keys take a few kilobytes.
const MAX_DOCUMENT_BYTES: usize = 1024 * 1024;

/// How long one fetch may take, connection included.
const FETCH_TIMEOUT: Duration = Duration::from_secs(5);

/// The client of the fetches unless the application gives its own: time-limited, and
/// following no redirect (one could lead anywhere, plain HTTP included: the URL must be the
/// document itself).
pub(crate) fn default_client() -> Result<reqwest::Client, String> {
    reqwest::Client::builder()
        .timeout(FETCH_TIMEOUT)
        .connect_timeout(FETCH_TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|error| format!("cannot build the HTTP client: {error}"))
}

/// GETs the JSON document at `url`, at most [`MAX_DOCUMENT_BYTES`] of it.
pub(crate) async fn fetch_json(client: &reqwest::Client, url: &str) -> Result<Vec<u8>, String> {
    let mut response = client
        .get(url)
        .header(reqwest::header::ACCEPT, "application/json")
        .send()
        .await
        .map_err(|error| format!("GET {url}: {}", with_causes(&error)))?;
    if !response.status().is_success() {
        return Err(format!("GET {url}: status {}", response.status()));
    }
    if response
        .content_length()
        .is_some_and(|length| length > MAX_DOCUMENT_BYTES as u64)
    {
        return Err(format!("{url} is larger than 1 MiB"));
    }
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|error| format!("GET {url}: {}", with_causes(&error)))?
    {
        if body.len() + chunk.len() > MAX_DOCUMENT_BYTES {
            return Err(format!("{url} is larger than 1 MiB"));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// An error and its causes, as one line: reqwest's own message leaves out why (e.g.
/// "connection refused").
fn with_causes(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
