//! HS256/384/512 keys set up once. An HMAC key's setup hashes the padded secret twice
//! (RFC 2104's inner and outer pads); `aws_lc_rs::hmac::Key` keeps both states, so signing
//! or verifying a token hashes only the token. jsonwebtoken's `crypto::sign`/`verify` set the
//! key up again for every call: about a tenth of a first-seen token's verification.

use aws_lc_rs::hmac;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jsonwebtoken::{Algorithm, AlgorithmFamily, DecodingKey};

/// aws-lc-rs's HMAC for an HS* algorithm; `None` for the others.
pub(crate) fn algorithm(algorithm: Algorithm) -> Option<hmac::Algorithm> {
    match algorithm {
        Algorithm::HS256 => Some(hmac::HMAC_SHA256),
        Algorithm::HS384 => Some(hmac::HMAC_SHA384),
        Algorithm::HS512 => Some(hmac::HMAC_SHA512),
        _ => None,
    }
}

/// One verification secret set up for each HS* algorithm the application accepts.
pub(crate) struct HmacVerifier {
    keys: Vec<(Algorithm, hmac::Key)>,
}

impl HmacVerifier {
    /// `key` set up for each of `allowed` that is an HS* algorithm; empty for a public key.
    pub(crate) fn new(key: &DecodingKey, allowed: impl Iterator<Item = Algorithm>) -> Self {
        let secret = match (key.family(), key.try_get_as_bytes()) {
            (AlgorithmFamily::Hmac, Ok(secret)) => Some(secret),
            _ => None,
        };
        let keys = secret
            .map(|secret| {
                allowed
                    .filter_map(|allowed| {
                        algorithm(allowed).map(|hmac| (allowed, hmac::Key::new(hmac, secret)))
                    })
                    .collect()
            })
            .unwrap_or_default();
        Self { keys }
    }

    /// Whether `signature_b64` is the HMAC of `message` under `algorithm`; `None` when this
    /// key was not set up for `algorithm` (the caller verifies the general way).
    ///
    /// # Errors
    ///
    /// The signature is not base64url without padding (Flask's "Invalid crypto padding").
    pub(crate) fn verify(
        &self,
        algorithm: Algorithm,
        signature_b64: &str,
        message: &[u8],
    ) -> Option<Result<bool, base64::DecodeError>> {
        let (_, key) = self.keys.iter().find(|(set_up, _)| *set_up == algorithm)?;
        Some(
            URL_SAFE_NO_PAD
                .decode(signature_b64)
                .map(|signature| hmac::verify(key, message, &signature).is_ok()),
        )
    }
}
