//! The shared revocation store's settings: the Redis URL and its TLS trust.

use super::error::Problems;
use super::settings::Config;

/// The URL schemes of the `redis` crate that jwt-ext accepts: TCP, TLS and Unix sockets, with
/// Valkey's names for the same protocol.
const SCHEMES: [&str; 7] = [
    "redis",
    "rediss",
    "valkey",
    "valkeys",
    "unix",
    "redis+unix",
    "valkey+unix",
];

/// Whether `scheme` is one of TLS.
fn is_tls_scheme(scheme: &str) -> bool {
    matches!(scheme, "rediss" | "valkeys")
}

impl Config {
    /// Checks the Redis settings: a URL of a known scheme, a CA file only for TLS, readable and
    /// holding a certificate.
    pub(super) fn check_store(&self, problems: &mut Problems) {
        let scheme = match &self.redis_url {
            None => None,
            Some(_) if cfg!(not(feature = "redis")) => {
                problems.add(
                    "jwt_redis_url",
                    "needs jwt-ext's `redis` cargo feature (`jwt-ext = { features = [\"redis\"] }`)",
                );
                return;
            }
            Some(url) => match url::Url::parse(url) {
                Ok(parsed) if parsed.fragment() == Some("insecure") => {
                    problems.add(
                        "jwt_redis_url",
                        "ends with `#insecure`, which would turn off the verification of the \
                         server's certificate; jwt-ext always verifies it (for a private CA, set \
                         `jwt_redis_tls_ca_file`)",
                    );
                    return;
                }
                Ok(parsed) if SCHEMES.contains(&parsed.scheme()) => {
                    Some(parsed.scheme().to_owned())
                }
                Ok(_) => {
                    problems.add(
                        "jwt_redis_url",
                        "must start with `redis://`, `rediss://` (TLS), `valkey://`, \
                         `valkeys://` (TLS), `unix://`, `redis+unix://` or `valkey+unix://`",
                    );
                    return;
                }
                // The URL may hold a password: the parser's message names no part of it.
                Err(error) => {
                    problems.add("jwt_redis_url", format!("is not a URL: {error}"));
                    return;
                }
            },
        };
        let Some(path) = &self.redis_tls_ca_file else {
            return;
        };
        if scheme.as_deref().is_some_and(is_tls_scheme) {
            check_ca_file(path, problems);
        } else {
            problems.add(
                "jwt_redis_tls_ca_file",
                "is set, but `jwt_redis_url` is not a TLS URL (`rediss://` or `valkeys://`)",
            );
        }
    }
}

/// Checks that the CA file can be read and holds a certificate.
#[cfg(feature = "redis")]
fn check_ca_file(path: &std::path::Path, problems: &mut Problems) {
    match std::fs::read(path) {
        Err(error) => problems.add(
            "jwt_redis_tls_ca_file",
            format!("cannot be read ({}): {error}", path.display()),
        ),
        Ok(pem) => {
            if let Err(reason) = tls_roots(&pem) {
                problems.add(
                    "jwt_redis_tls_ca_file",
                    format!("({}) {reason}", path.display()),
                );
            }
        }
    }
}

/// Without the `redis` feature the URL is refused before the CA file matters.
#[cfg(not(feature = "redis"))]
fn check_ca_file(_path: &std::path::Path, _problems: &mut Problems) {}

/// The certificates of a PEM bundle, or why it holds none.
#[cfg(feature = "redis")]
fn tls_roots(pem: &[u8]) -> Result<Vec<rustls::pki_types::CertificateDer<'static>>, String> {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::CertificateDer;

    let certificates = CertificateDer::pem_slice_iter(pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|error| format!("is not a PEM bundle: {error}"))?;
    if certificates.is_empty() {
        return Err("holds no PEM certificate (`-----BEGIN CERTIFICATE-----`)".into());
    }
    Ok(certificates)
}
