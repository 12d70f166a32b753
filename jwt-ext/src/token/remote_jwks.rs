//! The issuer's keys from a remote JWK Set (`jwt_jwks_url`): fetched at ignite, refreshed in
//! the background, and refetched (at most once per `jwt_jwks_min_refetch_interval`) when a
//! token names a `kid` the cached set lacks. A failed refresh keeps the cached keys.

use std::str::FromStr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use jsonwebtoken::jwk::{AlgorithmParameters, Jwk, JwkSet, PublicKeyUse};
use jsonwebtoken::{Algorithm, AlgorithmFamily, DecodingKey};
use rocket::tokio::sync::Mutex;

use crate::config::Config;
use crate::telemetry::record::Timer;
use crate::token::cache::TokenCache;
use crate::token::decode::Verifier;
use crate::token::keys::VerifyingKey;

/// The largest JWKS accepted: a few keys take a few kilobytes.
const MAX_JWKS_BYTES: usize = 1024 * 1024;

/// How long one fetch may take, connection included.
const FETCH_TIMEOUT: Duration = Duration::from_secs(5);

/// A remote JWKS and what it takes to keep the verifier's keys in step with it.
pub(crate) struct RemoteJwks {
    url: String,
    client: reqwest::Client,
    family: AlgorithmFamily,
    algorithms: Vec<Algorithm>,
    refresh_interval: Duration,
    min_refetch: Duration,
    /// When the last fetch for an unknown `kid` started; also serialises those fetches.
    last_refetch: Mutex<Option<Instant>>,
    verifier: Arc<Verifier>,
    cache: Arc<TokenCache>,
}

impl RemoteJwks {
    pub(crate) fn new(
        config: &Config,
        url: &str,
        verifier: Arc<Verifier>,
        cache: Arc<TokenCache>,
    ) -> Result<Self, String> {
        let client = reqwest::Client::builder()
            .timeout(FETCH_TIMEOUT)
            .connect_timeout(FETCH_TIMEOUT)
            // A redirect could lead anywhere, plain HTTP included: the URL must be the JWKS.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|error| format!("cannot build the HTTP client: {error}"))?;
        Ok(Self {
            url: url.to_owned(),
            client,
            family: config.algorithm.family(),
            algorithms: config.effective_decode_algorithms(),
            refresh_interval: Duration::from_secs(config.jwks_refresh_interval),
            min_refetch: Duration::from_secs(config.jwks_min_refetch_interval),
            last_refetch: Mutex::new(None),
            verifier,
            cache,
        })
    }

    /// The URL, for messages.
    pub(crate) fn url(&self) -> &str {
        &self.url
    }

    /// How often the background task refreshes.
    pub(crate) fn refresh_interval(&self) -> Duration {
        self.refresh_interval
    }

    /// Fetches the set and installs its keys; on failure the current keys stay.
    pub(crate) async fn refresh(&self) -> Result<usize, String> {
        let timer = Timer::start();
        let fetched = self.fetch().await;
        timer.jwks_fetched(fetched.is_ok());
        let (keys, key_set) = fetched?;
        let count = keys.len();
        let before = self.verifier.key_ids();
        let after: Vec<Option<String>> = keys.iter().map(|(kid, _)| kid.clone()).collect();
        self.verifier.replace_keys(keys, key_set);
        if before != after {
            // Tokens verified with a key that is gone must be verified again.
            self.cache.clear();
            log::info!("jwt-ext: JWKS {} now has the keys {after:?}", self.url);
        }
        Ok(count)
    }

    /// After a token named an unknown `kid`: refetches unless a refetch started less than
    /// `jwt_jwks_min_refetch_interval` ago. Concurrent callers wait for one fetch. Returns
    /// whether the keys were refetched (so the token is worth another try).
    pub(crate) async fn refetch_for_unknown_kid(&self) -> bool {
        let mut last = self.last_refetch.lock().await;
        if last.is_some_and(|at| at.elapsed() < self.min_refetch) {
            return false;
        }
        // Counted from the start, failed fetches included: an unreachable issuer is not
        // asked again for every request.
        *last = Some(Instant::now());
        match self.refresh().await {
            Ok(_) => true,
            Err(error) => {
                log::warn!("jwt-ext: refetching the JWKS for an unknown kid failed: {error}");
                false
            }
        }
    }

    /// Refreshes every `refresh_interval` until `shutdown` fires.
    pub(crate) async fn keep_fresh(self: Arc<Self>, shutdown: rocket::Shutdown) {
        let mut shutdown = std::pin::pin!(shutdown);
        loop {
            rocket::tokio::select! {
                () = rocket::tokio::time::sleep(self.refresh_interval) => {}
                () = &mut shutdown => return,
            }
            if let Err(error) = self.refresh().await {
                log::warn!("jwt-ext: refreshing the JWKS failed, keeping the cached keys: {error}");
            }
        }
    }

    /// The usable keys of the remote set, and whether tokens must name theirs by `kid`.
    async fn fetch(&self) -> Result<(Vec<VerifyingKey>, bool), String> {
        let mut response = self
            .client
            .get(&self.url)
            .header(reqwest::header::ACCEPT, "application/json")
            .send()
            .await
            .map_err(|error| format!("GET {}: {}", self.url, with_causes(&error)))?;
        if !response.status().is_success() {
            return Err(format!("GET {}: status {}", self.url, response.status()));
        }
        if response
            .content_length()
            .is_some_and(|length| length > MAX_JWKS_BYTES as u64)
        {
            return Err(format!("{} is larger than 1 MiB", self.url));
        }
        let mut body = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|error| format!("GET {}: {}", self.url, with_causes(&error)))?
        {
            if body.len() + chunk.len() > MAX_JWKS_BYTES {
                return Err(format!("{} is larger than 1 MiB", self.url));
            }
            body.extend_from_slice(&chunk);
        }
        let set: JwkSet = serde_json::from_slice(&body)
            .map_err(|error| format!("{} is not a JWK Set: {error}", self.url))?;
        let keys = usable_keys(&set, self.family, &self.algorithms);
        if keys.is_empty() {
            return Err(format!(
                "{} has no public signing key for {:?}",
                self.url, self.algorithms
            ));
        }
        // One key without `kid`: tokens need not name it. Otherwise `kid` picks the key.
        let key_set = !(keys.len() == 1 && keys[0].0.is_none());
        Ok((keys, key_set))
    }
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

/// The keys of `set` that can verify tokens of `algorithms`: public keys of the family, meant
/// for signatures, with an algorithm (if they name one) on the allow-list. Symmetric (`oct`)
/// keys are never taken: a published HMAC key would let anyone sign. With several keys, those
/// without `kid` are left out, since no token could pick them.
fn usable_keys(
    set: &JwkSet,
    family: AlgorithmFamily,
    algorithms: &[Algorithm],
) -> Vec<VerifyingKey> {
    let keys: Vec<VerifyingKey> = set
        .keys
        .iter()
        .filter(|jwk| fits(jwk, family, algorithms))
        .filter_map(|jwk| {
            let key = DecodingKey::from_jwk(jwk)
                .map_err(|error| {
                    log::warn!("jwt-ext: JWKS key {:?} skipped: {error}", jwk.common.key_id);
                })
                .ok()?;
            Some((jwk.common.key_id.clone(), key))
        })
        .collect();
    if keys.len() > 1 {
        keys.into_iter().filter(|(kid, _)| kid.is_some()).collect()
    } else {
        keys
    }
}

fn fits(jwk: &Jwk, family: AlgorithmFamily, algorithms: &[Algorithm]) -> bool {
    let of_family = match &jwk.algorithm {
        AlgorithmParameters::RSA(_) => family == AlgorithmFamily::Rsa,
        AlgorithmParameters::EllipticCurve(_) => family == AlgorithmFamily::Ec,
        AlgorithmParameters::OctetKeyPair(_) => family == AlgorithmFamily::Ed,
        // `oct` (a shared secret) and whatever later versions add: never.
        _ => false,
    };
    let for_signatures = !matches!(
        jwk.common.public_key_use,
        Some(PublicKeyUse::Encryption | PublicKeyUse::Other(_))
    );
    let allowed = jwk.common.key_algorithm.is_none_or(|named| {
        Algorithm::from_str(&format!("{named:?}"))
            .is_ok_and(|algorithm| algorithms.contains(&algorithm))
    });
    of_family && for_signatures && allowed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(json: serde_json::Value) -> JwkSet {
        serde_json::from_value(json).unwrap()
    }

    const X: &str = "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU";
    const Y: &str = "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0";

    #[test]
    fn only_public_signing_keys_of_the_family_on_the_allow_list() {
        let jwks = set(serde_json::json!({ "keys": [
            { "kty": "EC", "crv": "P-256", "x": X, "y": Y, "kid": "sig", "use": "sig", "alg": "ES256" },
            { "kty": "EC", "crv": "P-256", "x": X, "y": Y, "kid": "enc", "use": "enc" },
            { "kty": "EC", "crv": "P-256", "x": X, "y": Y, "kid": "es384", "alg": "ES384" },
            { "kty": "oct", "k": "c2VjcmV0", "kid": "hmac" },
            { "kty": "EC", "crv": "P-256", "x": X, "y": Y },
        ]}));
        let kids: Vec<Option<String>> =
            usable_keys(&jwks, AlgorithmFamily::Ec, &[Algorithm::ES256])
                .into_iter()
                .map(|(kid, _)| kid)
                .collect();
        assert_eq!(kids, [Some("sig".to_owned())]);
        assert!(usable_keys(&jwks, AlgorithmFamily::Rsa, &[Algorithm::RS256]).is_empty());
    }

    #[test]
    fn a_lone_key_may_lack_a_kid() {
        let jwks = set(serde_json::json!({ "keys": [
            { "kty": "EC", "crv": "P-256", "x": X, "y": Y },
        ]}));
        assert_eq!(
            usable_keys(&jwks, AlgorithmFamily::Ec, &[Algorithm::ES256]).len(),
            1
        );
    }
}
