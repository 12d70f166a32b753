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
    /// Checks the Redis settings: one deployment at most, URLs of known schemes, a CA file
    /// only for TLS, readable and holding a certificate.
    pub(super) fn check_store(&self, problems: &mut Problems) {
        let cluster = !self.redis_cluster_urls.is_empty();
        let sentinel = !self.redis_sentinel_urls.is_empty();
        if self.redis_sentinel_master.is_some() && !sentinel {
            problems.add(
                "jwt_redis_sentinel_master",
                "is set without `jwt_redis_sentinel_urls`: list the sentinels that watch it",
            );
        }
        if sentinel && self.redis_sentinel_master.is_none() {
            problems.add(
                "jwt_redis_sentinel_urls",
                "needs `jwt_redis_sentinel_master`: the name the sentinels monitor the master by",
            );
        }
        let modes = [
            ("jwt_redis_url", self.redis_url.is_some()),
            ("jwt_redis_cluster_urls", cluster),
            ("jwt_redis_sentinel_urls", sentinel),
        ];
        let chosen: Vec<&str> = modes
            .iter()
            .filter(|(_, set)| *set)
            .map(|(key, _)| *key)
            .collect();
        let Some(key) = chosen.first().copied() else {
            if self.redis_tls_ca_file.is_some() {
                problems.add(
                    "jwt_redis_tls_ca_file",
                    "is set, but no Redis is (`jwt_redis_url`, `jwt_redis_cluster_urls` or \
                     `jwt_redis_sentinel_urls`)",
                );
            }
            return;
        };
        if cfg!(not(feature = "redis")) {
            problems.add(
                key,
                "needs jwt-ext's `redis` cargo feature (`jwt-ext = { features = [\"redis\"] }`)",
            );
            return;
        }
        if let [first, second, ..] = chosen.as_slice() {
            problems.add(
                second,
                format!("is set together with `{first}`: choose one Redis deployment"),
            );
            return;
        }
        // A Cluster's nodes and the sentinels speak TCP.
        let tcp = &SCHEMES[..4];
        let schemes: Vec<String> = match key {
            "jwt_redis_url" => self
                .redis_url
                .iter()
                .filter_map(|url| check_url(key, url, &SCHEMES, problems))
                .collect(),
            "jwt_redis_cluster_urls" => self
                .redis_cluster_urls
                .iter()
                .filter_map(|url| check_url(key, url, tcp, problems))
                .collect(),
            _ => self
                .redis_sentinel_urls
                .iter()
                .filter_map(|url| check_url(key, url, tcp, problems))
                .collect(),
        };
        let tls = schemes
            .iter()
            .filter(|scheme| is_tls_scheme(scheme))
            .count();
        if tls != 0 && tls != schemes.len() {
            problems.add(
                key,
                "mixes TLS (`rediss://`) and plain (`redis://`) URLs: the deployment speaks one",
            );
        }
        if self.redis_near_cache_size > 0
            && !(50..=60_000).contains(&self.redis_near_cache_max_stale_ms)
        {
            problems.add(
                "jwt_redis_near_cache_max_stale_ms",
                "must be between 50 and 60000 milliseconds: how long the near-cache may answer \
                 after its push channel fell silent",
            );
        }
        if let Some(path) = &self.redis_tls_ca_file {
            if tls == 0 && !schemes.is_empty() {
                problems.add(
                    "jwt_redis_tls_ca_file",
                    format!("is set, but `{key}` is not TLS (`rediss://` or `valkeys://`)"),
                );
            } else {
                check_ca_file(path, problems);
            }
        }
    }
}

/// Checks one Redis URL of `key`; its scheme when it is one of `schemes`.
fn check_url(key: &str, url: &str, schemes: &[&str], problems: &mut Problems) -> Option<String> {
    match url::Url::parse(url) {
        Ok(parsed) if parsed.fragment() == Some("insecure") => {
            problems.add(
                key,
                "ends with `#insecure`, which would turn off the verification of the server's \
                 certificate; jwt-ext always verifies it (for a private CA, set \
                 `jwt_redis_tls_ca_file`)",
            );
            None
        }
        Ok(parsed) if schemes.contains(&parsed.scheme()) => Some(parsed.scheme().to_owned()),
        Ok(_) => {
            let names: Vec<String> = schemes
                .iter()
                .map(|scheme| format!("`{scheme}://`"))
                .collect();
            problems.add(key, format!("must start with one of {}", names.join(", ")));
            None
        }
        // The URL may hold a password: the parser's message names no part of it.
        Err(error) => {
            problems.add(key, format!("is not a URL: {error}"));
            None
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
