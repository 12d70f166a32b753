//! jsonwebtoken's crypto provider, chosen explicitly and checked before the first request.
//!
//! jsonwebtoken 10+ picks its provider from its cargo features, and when cargo's feature
//! unification turns on both `aws_lc_rs` and `rust_crypto` (or neither) its choice is a
//! provider that panics at the first sign or verify. jwt-ext installs the aws-lc-rs provider
//! itself, then signs and verifies one token under `catch_unwind`, so a broken provider stops
//! the launch with a message instead of panicking in a request.

use std::panic::{catch_unwind, AssertUnwindSafe};

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey};

use crate::config::ConfigError;

/// Installs aws-lc-rs as jsonwebtoken's process-wide provider, unless the application
/// installed one first (its choice is kept, and checked by [`self_test`]).
pub(crate) fn install() {
    // `Err` only means a provider is already installed.
    let _ = jsonwebtoken::crypto::aws_lc::DEFAULT_PROVIDER.install_default();
}

/// Signs and verifies a message with the signing key, its verification key and the
/// algorithm; any error or panic is a launch error. A verify-only app (no `signing` key) has
/// nothing to sign with; its public key was checked when parsed.
pub(crate) fn self_test(
    signing: Option<(&EncodingKey, Option<DecodingKey>)>,
    algorithm: Algorithm,
) -> Result<(), ConfigError> {
    const MESSAGE: &[u8] = b"jwt-ext provider self-test";
    let Some((encoding_key, decoding_key)) = signing else {
        return Ok(());
    };
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        let signature = jsonwebtoken::crypto::sign(MESSAGE, encoding_key, algorithm)
            .map_err(|error| error.to_string())?;
        let decoding_key =
            decoding_key.ok_or_else(|| "no verification key for the signing key".to_owned())?;
        match jsonwebtoken::crypto::verify(&signature, MESSAGE, &decoding_key, algorithm) {
            Ok(true) => Ok(()),
            Ok(false) => Err("the signature did not verify".to_owned()),
            Err(error) => Err(error.to_string()),
        }
    }));
    let message = match outcome {
        Ok(Ok(())) => return Ok(()),
        Ok(Err(error)) => format!(
            "signing and verifying a test message failed: {error}; do the private and public \
             keys belong together and fit the algorithm?"
        ),
        Err(panic) => {
            let reason = panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("(no message)");
            format!(
                "jsonwebtoken's crypto provider panicked while signing a test message: {}; make \
                 sure no other crate installs a broken `CryptoProvider`",
                reason.trim()
            )
        }
    };
    Err(ConfigError::one("jsonwebtoken crypto provider", message))
}
