//! An issuer's keys from a remote JWK Set (`jwt_jwks_url`, or a `jwt_issuers` entry's):
//! fetched at ignite, refreshed in the background, and refetched (at most once per
//! `jwt_jwks_min_refetch_interval`) when a token names a `kid` the cached set lacks. A failed
//! refresh keeps the cached keys.

use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use jsonwebtoken::jwk::{AlgorithmParameters, Jwk, JwkSet, PublicKeyUse};
use jsonwebtoken::{Algorithm, AlgorithmFamily, DecodingKey};
use rocket::tokio::sync::Mutex;

use crate::config::Config;
use crate::telemetry::record::Timer;
use crate::token::cache::TokenCache;
use crate::token::decode::Verifier;
use crate::token::fetch::{default_client, fetch_json};
use crate::token::key_slot::KeySlot;
use crate::token::keys::VerifyingKey;

/// The HTTP client of discovery and JWKS fetches.
pub(crate) type HttpClient = reqwest::Client;

/// Every remote key source of `config`, each filled once: `jwt_jwks_url` into the verifier's
/// own keys, then each issuer's JWKS (discovered first when the entry has no `jwks_url`).
/// `client`: the application's, else [`default_client`]. The error names the setting.
pub(crate) async fn connect(
    config: &Config,
    verifier: &Verifier,
    cache: &Arc<TokenCache>,
    client: Option<HttpClient>,
    strict: bool,
) -> Result<Vec<Arc<RemoteJwks>>, String> {
    let client = match client {
        Some(client) => client,
        None => default_client()?,
    };
    let remote = |setting: String, url: String, slot: &Arc<KeySlot>| {
        Arc::new(RemoteJwks::new(
            config,
            setting,
            url,
            client.clone(),
            Arc::clone(slot),
            Arc::clone(cache),
        ))
    };
    let mut remotes = Vec::new();
    if let Some(url) = &config.jwks_url {
        remotes.push(remote(
            "jwt_jwks_url".into(),
            url.clone(),
            verifier.own_keys(),
        ));
    }
    for ((setting, entry), keys) in config.remote_issuers().into_iter().zip(verifier.issuers()) {
        let url = match entry.jwks_url {
            Some(url) => url,
            None => crate::token::discovery::jwks_uri(&client, &entry.issuer, strict)
                .await
                .map_err(|error| format!("`{setting}`: {error}"))?,
        };
        remotes.push(remote(setting, url, &keys.slot));
    }
    for remote in &remotes {
        let count = remote
            .refresh()
            .await
            .map_err(|error| format!("`{}`: {error}", remote.setting()))?;
        log::info!("jwt-ext: {count} key(s) from {}", remote.url());
    }
    Ok(remotes)
}

/// A remote JWKS and what it takes to keep one issuer's keys in step with it.
pub(crate) struct RemoteJwks {
    /// The setting it comes from, for messages (`jwt_jwks_url`, `jwt_issuers[1]`, ...).
    setting: String,
    url: String,
    client: reqwest::Client,
    refresh_interval: Duration,
    min_refetch: Duration,
    /// When the last fetch for an unknown `kid` started; also serialises those fetches.
    last_refetch: Mutex<Option<Instant>>,
    /// Counts the installed key sets: a caller that waited for another's fetch retries.
    generation: AtomicU64,
    slot: Arc<KeySlot>,
    cache: Arc<TokenCache>,
}

impl RemoteJwks {
    pub(crate) fn new(
        config: &Config,
        setting: String,
        url: String,
        client: reqwest::Client,
        slot: Arc<KeySlot>,
        cache: Arc<TokenCache>,
    ) -> Self {
        Self {
            setting,
            url,
            client,
            refresh_interval: Duration::from_secs(config.jwks_refresh_interval),
            min_refetch: Duration::from_secs(config.jwks_min_refetch_interval),
            last_refetch: Mutex::new(None),
            generation: AtomicU64::new(0),
            slot,
            cache,
        }
    }

    /// The URL, for messages.
    pub(crate) fn url(&self) -> &str {
        &self.url
    }

    /// The setting it comes from, for messages.
    pub(crate) fn setting(&self) -> &str {
        &self.setting
    }

    /// How often the background task refreshes.
    pub(crate) fn refresh_interval(&self) -> Duration {
        self.refresh_interval
    }

    /// Whether a token named a `kid` its keys lack since the last look, or a refetch is under
    /// way (which a caller may wait for).
    pub(crate) fn wants_refetch(&self) -> bool {
        self.slot.take_unknown_kid() || self.last_refetch.try_lock().is_err()
    }

    /// Fetches the set and installs its keys; on failure the current keys stay.
    pub(crate) async fn refresh(&self) -> Result<usize, String> {
        let timer = Timer::start();
        let fetched = self.fetch().await;
        timer.jwks_fetched(fetched.is_ok());
        let (keys, key_set) = fetched?;
        let count = keys.len();
        let before = self.slot.key_ids();
        let after: Vec<Option<String>> = keys.iter().map(|(kid, _)| kid.clone()).collect();
        self.slot.replace(keys, key_set);
        self.generation.fetch_add(1, Ordering::Release);
        if before != after {
            // Tokens verified with a key that is gone must be verified again.
            self.cache.clear();
            log::info!("jwt-ext: JWKS {} now has the keys {after:?}", self.url);
        }
        Ok(count)
    }

    /// After a token named an unknown `kid`: refetches unless a refetch started less than
    /// `jwt_jwks_min_refetch_interval` ago. Concurrent callers wait for one fetch. Returns
    /// whether the keys were refetched, by this call or one it waited for (so the token is
    /// worth another try).
    pub(crate) async fn refetch_for_unknown_kid(&self) -> bool {
        let seen = self.generation.load(Ordering::Acquire);
        let mut last = self.last_refetch.lock().await;
        if self.generation.load(Ordering::Acquire) != seen {
            return true;
        }
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
        let body = fetch_json(&self.client, &self.url).await?;
        let set: JwkSet = serde_json::from_slice(&body)
            .map_err(|error| format!("{} is not a JWK Set: {error}", self.url))?;
        let algorithms: Vec<Algorithm> = self.slot.algorithms.iter().map(|(_, a)| *a).collect();
        let keys = usable_keys(&set, &algorithms);
        if keys.is_empty() {
            return Err(format!(
                "{} has no public signing key for {algorithms:?}",
                self.url
            ));
        }
        // One key without `kid`: tokens need not name it. Otherwise `kid` picks the key.
        let key_set = !(keys.len() == 1 && keys[0].0.is_none());
        Ok((keys, key_set))
    }
}

/// The keys of `set` that can verify tokens of `algorithms`: public keys of the family, meant
/// for signatures, with an algorithm (if they name one) on the allow-list. Symmetric (`oct`)
/// keys are never taken: a published HMAC key would let anyone sign. With several keys, those
/// without `kid` are left out, since no token could pick them.
fn usable_keys(set: &JwkSet, algorithms: &[Algorithm]) -> Vec<VerifyingKey> {
    let keys: Vec<VerifyingKey> = set
        .keys
        .iter()
        .filter(|jwk| fits(jwk, algorithms))
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

fn fits(jwk: &Jwk, algorithms: &[Algorithm]) -> bool {
    let family = match &jwk.algorithm {
        AlgorithmParameters::RSA(_) => AlgorithmFamily::Rsa,
        AlgorithmParameters::EllipticCurve(_) => AlgorithmFamily::Ec,
        AlgorithmParameters::OctetKeyPair(_) => AlgorithmFamily::Ed,
        // `oct` (a shared secret) and whatever later versions add: never.
        _ => return false,
    };
    let of_family = algorithms
        .iter()
        .any(|algorithm| algorithm.family() == family);
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
        let kids: Vec<Option<String>> = usable_keys(&jwks, &[Algorithm::ES256])
            .into_iter()
            .map(|(kid, _)| kid)
            .collect();
        assert_eq!(kids, [Some("sig".to_owned())]);
        assert!(usable_keys(&jwks, &[Algorithm::RS256]).is_empty());
    }

    #[test]
    fn a_lone_key_may_lack_a_kid() {
        let jwks = set(serde_json::json!({ "keys": [
            { "kty": "EC", "crv": "P-256", "x": X, "y": Y },
        ]}));
        assert_eq!(usable_keys(&jwks, &[Algorithm::ES256]).len(), 1);
    }
}
