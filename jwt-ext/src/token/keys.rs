//! Signing and verification keys: the HS secret, or PEM keys for the RSA, RSA-PSS, ECDSA and
//! EdDSA algorithms (Flask's `JWT_PRIVATE_KEY` / `JWT_PUBLIC_KEY`), inline or from a file, or
//! a key set with `kid`s for rotation; read and checked at ignite.

use std::path::PathBuf;

use jsonwebtoken::jwk::Jwk;
use jsonwebtoken::{Algorithm, AlgorithmFamily, DecodingKey, EncodingKey};

use crate::config::{Config, ConfigError, ConfigProblem, KeyEntry, SecretKey};

/// A verification key and the `kid` that names it (`None`: tokens need not name it).
pub(crate) type VerifyingKey = (Option<String>, DecodingKey);

/// The keys of a manager. No signing key means verify-only (a resource server that holds only
/// the issuer's public key).
pub(crate) struct Keys {
    /// The signing key and the `kid` written into the tokens it signs.
    pub(crate) signing: Option<(Option<String>, EncodingKey)>,
    /// Every verification key.
    pub(crate) verifying: Vec<VerifyingKey>,
    /// A key set: tokens must name their key with `kid`.
    pub(crate) key_set: bool,
    /// The public keys, for the JWK Set (asymmetric algorithms only).
    pub(crate) public_jwks: Vec<Jwk>,
}

/// The settings of one key, named as they are in the configuration.
struct KeySettings<'a> {
    secret: Option<&'a SecretKey>,
    private: (Option<&'a String>, Option<&'a PathBuf>),
    public: (Option<&'a String>, Option<&'a PathBuf>),
    /// `jwt_` for the single key, `jwt_keys[i].` for a key of the set.
    prefix: String,
}

/// A PEM given inline or as a file, and the setting it came from.
fn pem(
    (inline, file): (Option<&String>, Option<&PathBuf>),
    name: &str,
) -> Result<Option<(Vec<u8>, String)>, ConfigProblem> {
    match (inline, file) {
        (Some(_), Some(_)) => Err(ConfigProblem {
            key: name.to_owned(),
            message: format!("is set twice: give `{name}` or `{name}_file`, not both"),
        }),
        (Some(pem), None) => Ok(Some((pem.as_bytes().to_vec(), name.to_owned()))),
        (None, Some(path)) => std::fs::read(path)
            .map(|bytes| Some((bytes, format!("{name}_file"))))
            .map_err(|error| ConfigProblem {
                key: format!("{name}_file"),
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

/// One key's signing and verification halves, every problem named by its setting.
fn load(
    settings: &KeySettings<'_>,
    algorithm: Algorithm,
    problems: &mut Vec<ConfigProblem>,
) -> Option<(Option<EncodingKey>, DecodingKey)> {
    if algorithm.family() == AlgorithmFamily::Hmac {
        let secret = settings.secret?.as_bytes();
        return Some((
            Some(EncodingKey::from_secret(secret)),
            DecodingKey::from_secret(secret),
        ));
    }
    let prefix = &settings.prefix;
    let mut read = |pair, name: &str| {
        pem(pair, &format!("{prefix}{name}")).unwrap_or_else(|problem| {
            problems.push(problem);
            None
        })
    };
    let private = read(settings.private, "private_key");
    let public = read(settings.public, "public_key");
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
    let Some((bytes, key)) = public else {
        problems.push(ConfigProblem {
            key: format!("{prefix}public_key"),
            message: format!(
                "is required with {algorithm:?} (inline PEM, or `{prefix}public_key_file`)"
            ),
        });
        return None;
    };
    let parsed = match algorithm.family() {
        AlgorithmFamily::Rsa => DecodingKey::from_rsa_pem(&bytes),
        AlgorithmFamily::Ec => DecodingKey::from_ec_pem(&bytes),
        _ => DecodingKey::from_ed_pem(&bytes),
    };
    parsed
        .map_err(|error| problems.push(wrong(&key, "public", &error)))
        .ok()
        .map(|decoding| (encoding, decoding))
}

/// The keys of a checked configuration.
pub(crate) fn load_all(config: &Config) -> Result<Keys, ConfigError> {
    if config.verify_only_remote() {
        // Verify-only: the keys come from the remote JWK Sets, fetched by the fairing at
        // ignite.
        return Ok(Keys {
            signing: None,
            verifying: Vec::new(),
            key_set: true,
            public_jwks: Vec::new(),
        });
    }
    let algorithm = config.algorithm;
    let mut problems = Vec::new();
    let mut keys = Keys {
        signing: None,
        verifying: Vec::new(),
        key_set: !config.key_set.is_empty(),
        public_jwks: Vec::new(),
    };
    if config.key_set.is_empty() {
        let settings = KeySettings {
            secret: config.secret_key.as_ref(),
            private: (
                config.private_key.as_ref(),
                config.private_key_file.as_ref(),
            ),
            public: (config.public_key.as_ref(), config.public_key_file.as_ref()),
            prefix: "jwt_".into(),
        };
        if let Some((encoding, decoding)) = load(&settings, algorithm, &mut problems) {
            // An asymmetric key is named by its RFC 7638 thumbprint.
            let jwk = crate::token::jwk::public_jwk(&decoding, algorithm, None);
            let kid = jwk.as_ref().and_then(|jwk| jwk.common.key_id.clone());
            keys.signing = encoding.map(|encoding| (kid.clone(), encoding));
            keys.verifying.push((kid, decoding));
            keys.public_jwks.extend(jwk);
        }
    } else {
        let signing_kid = config
            .signing_key_id
            .clone()
            .or_else(|| config.key_set.first().map(|entry| entry.kid.clone()));
        for (index, entry) in config.key_set.iter().enumerate() {
            let KeyEntry {
                kid,
                secret_key,
                private_key,
                private_key_file,
                public_key,
                public_key_file,
                ..
            } = entry;
            let settings = KeySettings {
                secret: secret_key.as_ref(),
                private: (private_key.as_ref(), private_key_file.as_ref()),
                public: (public_key.as_ref(), public_key_file.as_ref()),
                prefix: format!("jwt_keys[{index}]."),
            };
            let Some((encoding, decoding)) = load(&settings, algorithm, &mut problems) else {
                continue;
            };
            if Some(kid) == signing_kid.as_ref() {
                match encoding {
                    Some(encoding) => keys.signing = Some((Some(kid.clone()), encoding)),
                    // Named as the signing key: it must be able to sign. Otherwise a set of
                    // public keys alone is a verify-only app.
                    None if config.signing_key_id.is_some() => problems.push(ConfigProblem {
                        key: format!("jwt_keys[{index}].private_key"),
                        message: format!("is required: `{kid}` is the signing key"),
                    }),
                    None => {}
                }
            }
            keys.public_jwks.extend(crate::token::jwk::public_jwk(
                &decoding,
                algorithm,
                Some(kid),
            ));
            keys.verifying.push((Some(kid.clone()), decoding));
        }
    }
    if problems.is_empty() && !keys.verifying.is_empty() {
        Ok(keys)
    } else {
        Err(ConfigError { problems })
    }
}
