//! Signing and verification keys: the HS secret, or PEM keys for the RSA, RSA-PSS, ECDSA and
//! EdDSA algorithms (Flask's `JWT_PRIVATE_KEY` / `JWT_PUBLIC_KEY`), inline or from a file,
//! read and checked at ignite.

use jsonwebtoken::{Algorithm, AlgorithmFamily, DecodingKey, EncodingKey};

use crate::config::{Config, ConfigError, ConfigProblem};

/// The keys of a manager. No signing key means verify-only (a resource server that holds only
/// the issuer's public key).
pub(crate) struct Keys {
    pub(crate) encoding: Option<EncodingKey>,
    pub(crate) decoding: DecodingKey,
}

/// A PEM given inline (`jwt_<name>`) or as a file (`jwt_<name>_file`), and the key it came from.
fn pem(
    inline: Option<&String>,
    file: Option<&std::path::PathBuf>,
    name: &str,
) -> Result<Option<(Vec<u8>, String)>, ConfigProblem> {
    match (inline, file) {
        (Some(_), Some(_)) => Err(ConfigProblem {
            key: format!("jwt_{name}"),
            message: format!("is set twice: give `jwt_{name}` or `jwt_{name}_file`, not both"),
        }),
        (Some(pem), None) => Ok(Some((pem.as_bytes().to_vec(), format!("jwt_{name}")))),
        (None, Some(path)) => std::fs::read(path)
            .map(|bytes| Some((bytes, format!("jwt_{name}_file"))))
            .map_err(|error| ConfigProblem {
                key: format!("jwt_{name}_file"),
                message: format!("cannot read {}: {error}", path.display()),
            }),
        (None, None) => Ok(None),
    }
}

fn family_name(algorithm: Algorithm) -> &'static str {
    match algorithm.family() {
        AlgorithmFamily::Rsa => "an RSA",
        AlgorithmFamily::Ec if algorithm == Algorithm::ES384 => "a P-384 EC",
        AlgorithmFamily::Ec => "a P-256 EC",
        _ => "an Ed25519",
    }
}

/// The PEM keys of an asymmetric configuration, each checked for its algorithm.
pub(crate) fn asymmetric(config: &Config) -> Result<Keys, ConfigError> {
    let algorithm = config.algorithm;
    let mut problems = Vec::new();
    let private = pem(
        config.private_key.as_ref(),
        config.private_key_file.as_ref(),
        "private_key",
    )
    .unwrap_or_else(|problem| {
        problems.push(problem);
        None
    });
    let public = pem(
        config.public_key.as_ref(),
        config.public_key_file.as_ref(),
        "public_key",
    )
    .unwrap_or_else(|problem| {
        problems.push(problem);
        None
    });
    let wrong = |key: &str, which: &str, error: &jsonwebtoken::errors::Error| ConfigProblem {
        key: key.to_owned(),
        message: format!(
            "is not {} {which} key in PEM form, as {algorithm:?} needs ({error})",
            family_name(algorithm)
        ),
    };
    let encoding = private.and_then(|(bytes, key)| {
        let parsed = match algorithm.family() {
            AlgorithmFamily::Rsa => EncodingKey::from_rsa_pem(&bytes),
            AlgorithmFamily::Ec => EncodingKey::from_ec_pem(&bytes),
            _ => EncodingKey::from_ed_pem(&bytes),
        };
        parsed
            .map_err(|error| problems.push(wrong(&key, "private", &error)))
            .ok()
    });
    let decoding = if let Some((bytes, key)) = public {
        let parsed = match algorithm.family() {
            AlgorithmFamily::Rsa => DecodingKey::from_rsa_pem(&bytes),
            AlgorithmFamily::Ec => DecodingKey::from_ec_pem(&bytes),
            _ => DecodingKey::from_ed_pem(&bytes),
        };
        parsed
            .map_err(|error| problems.push(wrong(&key, "public", &error)))
            .ok()
    } else {
        problems.push(ConfigProblem {
            key: "jwt_public_key".into(),
            message: format!(
                "is required with {algorithm:?} (inline PEM, or `jwt_public_key_file`)"
            ),
        });
        None
    };
    match decoding {
        Some(decoding) if problems.is_empty() => Ok(Keys { encoding, decoding }),
        _ => Err(ConfigError { problems }),
    }
}

/// The keys of an HMAC configuration: the secret's bytes, as PyJWT uses them.
pub(crate) fn hmac(secret: &[u8]) -> Keys {
    Keys {
        encoding: Some(EncodingKey::from_secret(secret)),
        decoding: DecodingKey::from_secret(secret),
    }
}
