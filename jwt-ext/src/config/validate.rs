//! The rules between values, checked at ignite: secrets, keys, algorithms, names and the
//! revocation settings.

use jsonwebtoken::{Algorithm, AlgorithmFamily};

use super::error::{ConfigError, Problems};
use super::limits::{MAX_LEEWAY_SECONDS, MAX_LIFETIME};
use super::settings::Config;
use super::values::{Lifetime, SecretKey};

impl Config {
    /// Checks the rules between values. `strict` is the release rule set: a secret is then
    /// required and must be at least as long as the algorithm's hash output.
    ///
    /// Returns the warnings worth logging (a short secret outside `strict`).
    ///
    /// # Errors
    ///
    /// A [`ConfigError`] naming every bad key.
    pub fn validate(&self, strict: bool) -> Result<Vec<String>, ConfigError> {
        let mut problems = Problems::default();
        let mut warnings = Vec::new();

        let algorithms = self.effective_decode_algorithms();
        let family = self.algorithm.family();
        self.check_keys(&algorithms, &mut problems);
        if !self.key_set.is_empty() {
            self.check_key_set(&algorithms, strict, &mut problems, &mut warnings);
        } else if family == AlgorithmFamily::Hmac && !self.verify_only_remote() {
            self.check_secret(&algorithms, strict, &mut problems, &mut warnings);
        } else if self.signing_key_id.is_some() {
            problems.add("jwt_signing_key_id", "is set but `jwt_keys` is not");
        }

        for (key, lifetime) in [
            ("jwt_access_token_expires", self.access_token_expires),
            ("jwt_refresh_token_expires", self.refresh_token_expires),
        ] {
            if let Lifetime::Expires(duration) = lifetime {
                if duration.is_negative() {
                    problems.add(key, "must not be negative");
                } else if duration > MAX_LIFETIME {
                    problems.add(key, "is longer than 100 years; use `false` for never");
                }
            }
        }

        if self.header_name.is_empty() {
            problems.add("jwt_header_name", "must not be empty");
        } else if !self.header_name.bytes().all(is_header_name_byte) {
            problems.add("jwt_header_name", "is not a valid HTTP header name");
        }
        if self
            .header_type
            .chars()
            .any(|c| c.is_whitespace() || c == ',')
        {
            problems.add(
                "jwt_header_type",
                "must be one word (no spaces or commas), or empty for a bare token",
            );
        }
        if self.identity_claim.is_empty() {
            problems.add("jwt_identity_claim", "must not be empty");
        }
        if self.error_message_key.is_empty() {
            problems.add("jwt_error_message_key", "must not be empty");
        }
        if self.decode_leeway > MAX_LEEWAY_SECONDS {
            problems.add(
                "jwt_decode_leeway",
                format!("is more than {MAX_LEEWAY_SECONDS} seconds"),
            );
        }
        for (key, list) in [
            ("jwt_encode_audience", &self.encode_audience),
            ("jwt_decode_audience", &self.decode_audience),
            ("jwt_decode_issuer", &self.decode_issuer),
        ] {
            if list
                .as_ref()
                .is_some_and(|list| list.iter().next().is_none() || list.iter().any(str::is_empty))
            {
                problems.add(key, "must not be empty or contain an empty string");
            }
        }
        if self.encode_issuer.as_deref() == Some("") {
            problems.add("jwt_encode_issuer", "must not be empty");
        }
        self.check_revocation(&mut problems);
        self.check_browser(strict, &mut problems, &mut warnings);
        self.check_remote(strict, &mut problems);
        if !(128..=1024 * 1024).contains(&self.max_token_length) {
            problems.add(
                "jwt_max_token_length",
                "must be between 128 and 1048576 bytes",
            );
        }
        problems.finish(warnings)
    }

    /// One algorithm family, and the key settings that family uses: a secret for HMAC, PEM
    /// keys for the others (checked for content when they are read).
    fn check_keys(&self, algorithms: &[Algorithm], problems: &mut Problems) {
        let family = self.algorithm.family();
        if algorithms
            .iter()
            .any(|algorithm| algorithm.family() != family)
        {
            problems.add(
                "jwt_decode_algorithms",
                format!(
                    "mixes algorithm families ({}); one key serves one family (RFC 8725 §3.1)",
                    algorithm_list(algorithms)
                ),
            );
        }
        if family == AlgorithmFamily::Hmac {
            for key in [
                "private_key",
                "private_key_file",
                "public_key",
                "public_key_file",
            ] {
                let set = match key {
                    "private_key" => self.private_key.is_some(),
                    "private_key_file" => self.private_key_file.is_some(),
                    "public_key" => self.public_key.is_some(),
                    _ => self.public_key_file.is_some(),
                };
                if set {
                    problems.add(
                        &format!("jwt_{key}"),
                        format!(
                            "is set but {:?} signs with `jwt_secret_key`",
                            self.algorithm
                        ),
                    );
                }
            }
        } else if self.secret_key.is_some() {
            problems.add(
                "jwt_secret_key",
                format!(
                    "is an HMAC secret, which {:?} cannot use; set `jwt_private_key` and \
                     `jwt_public_key` instead",
                    self.algorithm
                ),
            );
        }
    }

    /// The revocation, rotation and Redis settings.
    fn check_revocation(&self, problems: &mut Problems) {
        if self.refresh_token_reuse_grace > 300 {
            problems.add("jwt_refresh_token_reuse_grace", "is more than 300 seconds");
        }
        if self
            .sliding_refresh_window
            .is_some_and(|window| window == 0 || window > 366 * 24 * 3600)
        {
            problems.add(
                "jwt_sliding_refresh_window",
                "must be between 1 second and a year, or `false` for off",
            );
        }
        if self.token_cache_size > 10_000_000 {
            problems.add("jwt_token_cache_size", "is more than 10000000 tokens");
        }
        if self.blocklist_max_entries == 0 {
            problems.add("jwt_blocklist_max_entries", "must be at least 1");
        }
        if self.blocklist_max_entries_per_identity == 0 {
            problems.add(
                "jwt_blocklist_max_entries_per_identity",
                "must be at least 1",
            );
        }
        if self.sliding_refresh_grace > 300 {
            problems.add("jwt_sliding_refresh_grace", "is more than 300 seconds");
        }
        self.check_store(problems);
    }

    /// The secret rules: present (strict), not empty, long enough for the hash (strict: an
    /// error; otherwise a warning).
    fn check_secret(
        &self,
        algorithms: &[Algorithm],
        strict: bool,
        problems: &mut Problems,
        warnings: &mut Vec<String>,
    ) {
        check_secret_value(
            self.secret_key.as_ref(),
            "jwt_secret_key",
            algorithms,
            strict,
            problems,
            warnings,
        );
    }

    /// The key set: unique ids, one signing key, and keys of the algorithm's family; the
    /// single-key settings unused.
    fn check_key_set(
        &self,
        algorithms: &[Algorithm],
        strict: bool,
        problems: &mut Problems,
        warnings: &mut Vec<String>,
    ) {
        let single = [
            ("jwt_secret_key", self.secret_key.is_some()),
            ("jwt_private_key", self.private_key.is_some()),
            ("jwt_private_key_file", self.private_key_file.is_some()),
            ("jwt_public_key", self.public_key.is_some()),
            ("jwt_public_key_file", self.public_key_file.is_some()),
        ];
        for (key, set) in single {
            if set {
                problems.add(
                    key,
                    "is set together with `jwt_keys`; put every key in `jwt_keys`",
                );
            }
        }
        let hmac = self.algorithm.family() == AlgorithmFamily::Hmac;
        for (index, entry) in self.key_set.iter().enumerate() {
            let name = format!("jwt_keys[{index}]");
            if entry.kid.is_empty() {
                problems.add(&format!("{name}.kid"), "must not be empty");
            } else if self.key_set[..index]
                .iter()
                .any(|other| other.kid == entry.kid)
            {
                problems.add(
                    &format!("{name}.kid"),
                    format!("`{}` is used twice", entry.kid),
                );
            }
            let has_pem = entry.private_key.is_some()
                || entry.private_key_file.is_some()
                || entry.public_key.is_some()
                || entry.public_key_file.is_some();
            if hmac {
                if has_pem {
                    problems.add(&name, "has PEM keys but HS* algorithms use `secret_key`");
                }
                if entry.secret_key.is_none() {
                    problems.add(
                        &format!("{name}.secret_key"),
                        "is required with HS* algorithms",
                    );
                }
                check_secret_value(
                    entry.secret_key.as_ref(),
                    &format!("{name}.secret_key"),
                    algorithms,
                    strict,
                    problems,
                    warnings,
                );
            } else if entry.secret_key.is_some() {
                problems.add(
                    &format!("{name}.secret_key"),
                    format!("is an HMAC secret, which {:?} cannot use", self.algorithm),
                );
            }
        }
        match &self.signing_key_id {
            Some(kid) if !self.key_set.iter().any(|entry| &entry.kid == kid) => problems.add(
                "jwt_signing_key_id",
                format!("`{kid}` is not the `kid` of any key in `jwt_keys`"),
            ),
            None if self.key_set.len() > 1 => problems.add(
                "jwt_signing_key_id",
                "is required with several keys: name the `kid` that signs new tokens",
            ),
            _ => {}
        }
    }
}

/// The secret rules for one secret: present (strict), not empty, long enough for the hash
/// (strict: an error; otherwise a warning).
pub(super) fn check_secret_value(
    secret: Option<&SecretKey>,
    key: &str,
    algorithms: &[Algorithm],
    strict: bool,
    problems: &mut Problems,
    warnings: &mut Vec<String>,
) {
    match secret {
        None if strict && key == "jwt_secret_key" => problems.add(
            "jwt_secret_key",
            "is required (set it in Rocket.toml or ROCKET_JWT_SECRET_KEY); \
                 generate one with `openssl rand -base64 48`",
        ),
        None => {}
        Some(secret) if secret.as_bytes().is_empty() => {
            problems.add(key, "is empty");
        }
        Some(secret) => {
            let algorithms: Vec<Algorithm> = algorithms
                .iter()
                .copied()
                .filter(|algorithm| algorithm.family() == AlgorithmFamily::Hmac)
                .collect();
            let needed = algorithms
                .iter()
                .map(|algorithm| min_secret_len(*algorithm))
                .max()
                .unwrap_or(32);
            let have = secret.as_bytes().len();
            if have >= needed && low_entropy(secret.as_bytes()) {
                let message = "is too easy to guess: it uses fewer than 8 different bytes or \
                               repeats a short pattern; generate one with \
                               `openssl rand -base64 48`";
                if strict {
                    problems.add(key, message);
                } else {
                    warnings.push(format!("`{key}` {message}"));
                }
            }
            if have < needed {
                let message = format!(
                    "is {have} bytes; {} needs at least {needed} (RFC 7518 §3.2)",
                    algorithm_list(&algorithms)
                );
                if strict {
                    problems.add(key, message);
                } else {
                    warnings.push(format!("`{key}` {message}"));
                }
            }
        }
    }
}

/// Whether a secret long enough for its hash is still trivially guessable: fewer than 8
/// distinct bytes (`"k" * 32`), or one block of at most 8 bytes repeated (`"abcd" * 8`).
/// Generated secrets and passphrases pass; the point is to catch placeholders.
pub(super) fn low_entropy(secret: &[u8]) -> bool {
    let mut seen = [false; 256];
    for &byte in secret {
        seen[usize::from(byte)] = true;
    }
    let distinct = seen.iter().filter(|seen| **seen).count();
    let repeats = |period: usize| {
        secret.len() >= 2 * period
            && secret
                .iter()
                .enumerate()
                .all(|(index, byte)| *byte == secret[index % period])
    };
    distinct < 8 || (1..=8).any(repeats)
}

/// RFC 7518 §3.2: an HMAC key at least as long as the hash output.
pub(super) fn min_secret_len(algorithm: Algorithm) -> usize {
    match algorithm {
        Algorithm::HS384 => 48,
        Algorithm::HS512 => 64,
        _ => 32,
    }
}

pub(super) fn algorithm_list(algorithms: &[Algorithm]) -> String {
    let names: Vec<String> = algorithms.iter().map(|a| format!("{a:?}")).collect();
    names.join("/")
}

pub(super) fn is_header_name_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&byte)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholder_secrets_have_low_entropy() {
        assert!(low_entropy("k".repeat(32).as_bytes()));
        assert!(low_entropy("abcd".repeat(8).as_bytes()));
        assert!(low_entropy("12345678".repeat(4).as_bytes()));
        assert!(!low_entropy(
            b"a-test-secret-that-is-at-least-32-bytes-long"
        ));
        assert!(!low_entropy(b"Zt0jX2r6mAq9Vb1kLw8sYc3nHd5fGe7u"));
    }
}
