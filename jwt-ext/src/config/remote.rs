//! The verify-only mode of resource servers: keys from a remote JWKS (`jwt_jwks_url`), and
//! the URL rule every remote key source follows.

use jsonwebtoken::AlgorithmFamily;

use super::error::Problems;
use super::settings::Config;

impl Config {
    /// Checks the remote JWKS settings.
    pub(super) fn check_remote(&self, strict: bool, problems: &mut Problems) {
        self.check_issuers(strict, problems);
        let Some(url) = &self.jwks_url else {
            return;
        };
        if cfg!(not(feature = "remote-jwks")) {
            problems.add(
                "jwt_jwks_url",
                "needs jwt-ext's `remote-jwks` cargo feature \
                 (`jwt-ext = { features = [\"remote-jwks\"] }`)",
            );
        }
        check_url("jwt_jwks_url", url, strict, problems);
        if self.algorithm.family() == AlgorithmFamily::Hmac {
            problems.add(
                "jwt_jwks_url",
                format!(
                    "publishes public keys, which {:?} cannot use: set `jwt_algorithm` (and \
                     `jwt_decode_algorithms`) to the issuer's RS*, PS*, ES* or EdDSA",
                    self.algorithm
                ),
            );
        }
        for (key, set) in [
            ("jwt_secret_key", self.secret_key.is_some()),
            ("jwt_private_key", self.private_key.is_some()),
            ("jwt_private_key_file", self.private_key_file.is_some()),
            ("jwt_public_key", self.public_key.is_some()),
            ("jwt_public_key_file", self.public_key_file.is_some()),
            ("jwt_keys", !self.key_set.is_empty()),
        ] {
            if set {
                problems.add(
                    key,
                    "is set together with `jwt_jwks_url`: a resource server verifies with the \
                     issuer's published keys only",
                );
            }
        }
        if !(10..=86_400).contains(&self.jwks_refresh_interval) {
            problems.add(
                "jwt_jwks_refresh_interval",
                "must be between 10 seconds and a day",
            );
        }
        if !(1..=3600).contains(&self.jwks_min_refetch_interval) {
            problems.add(
                "jwt_jwks_min_refetch_interval",
                "must be between 1 second and an hour",
            );
        }
    }
}

/// `url` (the value of `key`) is `https://`, or plain `http://` on loopback or outside
/// `strict`.
pub(super) fn check_url(key: &str, url: &str, strict: bool, problems: &mut Problems) {
    if let Some(problem) = url_problem(url, strict) {
        problems.add(key, problem);
    }
}

/// What is wrong with `url` as the address of keys, if anything: not `https://` (plain
/// `http://` is accepted on loopback, or outside `strict`).
pub(crate) fn url_problem(url: &str, strict: bool) -> Option<String> {
    match url::Url::parse(url) {
        Err(error) => Some(format!("is not a URL: {error}")),
        Ok(parsed) if parsed.scheme() == "https" => None,
        Ok(parsed) if parsed.scheme() == "http" => (strict && !is_loopback(&parsed)).then(|| {
            "must be `https://`: keys fetched over plain HTTP can be swapped on the way \
             (plain HTTP is accepted for loopback, or in the debug profile)"
                .to_owned()
        }),
        Ok(_) => Some("must be an `https://` URL".to_owned()),
    }
}

/// Whether the URL's host is this machine: an address in 127.0.0.0/8, `::1`, or the name
/// `localhost`. The parsed host decides, so `http://127.0.0.1@evil.example/` (a user name) and
/// `http://127.0.0.1.evil.example/` (a domain) are not loopback.
fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(address)) => address.is_loopback(),
        Some(url::Host::Ipv6(address)) => address.is_loopback(),
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}
