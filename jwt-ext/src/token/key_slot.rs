//! The keys that verify one issuer's tokens: a [`KeyRing`] (keys and their `kid`s) held in a
//! [`KeySlot`], which a remote JWK Set replaces as a whole when it is refetched.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};

use jsonwebtoken::{Algorithm, DecodingKey};
use serde_json::{Map, Value};

use crate::error::JwtError;
use crate::token::hmac::HmacVerifier;
use crate::token::keys::VerifyingKey;

/// The message of a token whose `kid` names no key.
pub(crate) const UNKNOWN_KID: &str = "Unknown key ID";

/// Whether `error` is a token naming a `kid` the keys lack (a remote JWKS may know it now).
pub(crate) fn is_unknown_kid(error: &JwtError) -> bool {
    matches!(error, JwtError::Invalid(message) if message == UNKNOWN_KID)
}

/// The verification keys and their ids. A single key: a token naming another `kid` is
/// refused, one without `kid` (Flask-JWT-Extended's) is accepted. A key set: the token's `kid`
/// picks the key, exactly (RFC 8725 §3.10).
pub(crate) struct KeyRing {
    pub(crate) keys: Vec<VerifyingKey>,
    /// Each key's HMAC states, set up once (empty for public keys); parallel to `keys`.
    hmac: Vec<HmacVerifier>,
    pub(crate) key_set: bool,
}

impl KeyRing {
    /// The ring of `keys`, HMAC secrets set up for each HS* algorithm in `algorithms`.
    pub(crate) fn new(
        keys: Vec<VerifyingKey>,
        key_set: bool,
        algorithms: &[(&'static str, Algorithm)],
    ) -> Self {
        let hmac = keys
            .iter()
            .map(|(_, key)| HmacVerifier::new(key, algorithms.iter().map(|(_, alg)| *alg)))
            .collect();
        Self {
            keys,
            hmac,
            key_set,
        }
    }

    /// The key that verifies a token with this header, and its HMAC states (RFC 8725 §3.10:
    /// `kid` is an exact map key, never a path or a query).
    pub(crate) fn key_for(
        &self,
        header: &Map<String, Value>,
    ) -> Result<(&DecodingKey, &HmacVerifier), JwtError> {
        let invalid = |message: &str| Err(JwtError::Invalid(message.to_owned()));
        let kid = match header.get("kid") {
            Some(Value::String(kid)) => Some(kid.as_str()),
            None => None,
            Some(_) => return invalid("Key ID header parameter must be a string"),
        };
        let index = match (kid, self.keys.as_slice()) {
            (Some(kid), keys) if self.key_set => {
                match keys.iter().position(|(id, _)| id.as_deref() == Some(kid)) {
                    Some(index) => index,
                    None => return invalid(UNKNOWN_KID),
                }
            }
            (None, _) if self.key_set => return invalid("Missing key ID"),
            (Some(kid), [(Some(ours), _)]) if ours != kid => return invalid(UNKNOWN_KID),
            (_, [_, ..]) => 0,
            (_, []) => return invalid(UNKNOWN_KID),
        };
        Ok((&self.keys[index].1, &self.hmac[index]))
    }
}

/// One issuer's current keys and the algorithms its tokens may use.
pub(crate) struct KeySlot {
    /// The allow-list, with each algorithm's name as it appears in `alg`.
    pub(crate) algorithms: Vec<(&'static str, Algorithm)>,
    ring: RwLock<Arc<KeyRing>>,
    /// A token named a `kid` these keys lack since the last refetch.
    unknown_kid_seen: AtomicBool,
}

impl KeySlot {
    pub(crate) fn new(
        algorithms: Vec<(&'static str, Algorithm)>,
        keys: Vec<VerifyingKey>,
        key_set: bool,
    ) -> Self {
        let ring = KeyRing::new(keys, key_set, &algorithms);
        Self {
            algorithms,
            ring: RwLock::new(Arc::new(ring)),
            unknown_kid_seen: AtomicBool::new(false),
        }
    }

    /// The current keys.
    pub(crate) fn ring(&self) -> Arc<KeyRing> {
        // A poisoned lock still holds a complete ring: replacing it is one assignment.
        match self.ring.read() {
            Ok(ring) => Arc::clone(&ring),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// Replaces every key at once (a refetched JWKS).
    #[cfg_attr(not(feature = "remote-jwks"), allow(dead_code))]
    pub(crate) fn replace(&self, keys: Vec<VerifyingKey>, key_set: bool) {
        let ring = Arc::new(KeyRing::new(keys, key_set, &self.algorithms));
        match self.ring.write() {
            Ok(mut slot) => *slot = ring,
            Err(poisoned) => *poisoned.into_inner() = ring,
        }
    }

    /// The ids of the current keys.
    #[cfg_attr(not(feature = "remote-jwks"), allow(dead_code))]
    pub(crate) fn key_ids(&self) -> Vec<Option<String>> {
        self.ring()
            .keys
            .iter()
            .map(|(kid, _)| kid.clone())
            .collect()
    }

    /// The algorithm named by `alg`, if on the allow-list.
    pub(crate) fn algorithm(&self, alg: &str) -> Option<Algorithm> {
        self.algorithms
            .iter()
            .find(|(name, _)| *name == alg)
            .map(|(_, algorithm)| *algorithm)
    }

    /// Notes that a token named a `kid` these keys lack.
    pub(crate) fn saw_unknown_kid(&self) {
        self.unknown_kid_seen.store(true, Ordering::Relaxed);
    }

    /// Whether a token named an unknown `kid` since the last call; clears the note.
    #[cfg_attr(not(feature = "remote-jwks"), allow(dead_code))]
    pub(crate) fn take_unknown_kid(&self) -> bool {
        self.unknown_kid_seen.swap(false, Ordering::Relaxed)
    }
}
