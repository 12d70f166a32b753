//! The issuers of a resource server (`jwt_oidc_issuer`, `[[jwt_issuers]]`, `jwt_decode_typ`):
//! what the configuration works out from them, and their checks.

use jsonwebtoken::{Algorithm, AlgorithmFamily};

use super::error::Problems;
use super::issuer_entry::IssuerEntry;
use super::remote::check_url;
use super::settings::Config;

impl Config {
    /// The issuers to accept tokens from: [`oidc_issuer`](Self::oidc_issuer) first, then
    /// [`issuers`](Self::issuers), each with the setting it came from.
    pub(crate) fn remote_issuers(&self) -> Vec<(String, IssuerEntry)> {
        let oidc = self.oidc_issuer.iter().map(|issuer| {
            (
                "jwt_oidc_issuer".to_owned(),
                IssuerEntry::new(issuer.clone()),
            )
        });
        let listed = self
            .issuers
            .iter()
            .enumerate()
            .map(|(index, entry)| (format!("jwt_issuers[{index}]"), entry.clone()));
        oidc.chain(listed).collect()
    }

    /// The algorithms `entry`'s tokens may use: its own list; else the decode algorithms when
    /// they are asymmetric; else RS256, the algorithm every OpenID provider supports.
    pub(crate) fn issuer_algorithms(&self, entry: &IssuerEntry) -> Vec<Algorithm> {
        if let Some(algorithms) = &entry.algorithms {
            return algorithms.clone();
        }
        let decode = self.effective_decode_algorithms();
        if decode
            .iter()
            .all(|algorithm| algorithm.family() != AlgorithmFamily::Hmac)
        {
            decode
        } else {
            vec![Algorithm::RS256]
        }
    }

    /// Whether `jwt_oidc_issuer` or `jwt_issuers` names an issuer.
    pub(crate) fn has_remote_issuers(&self) -> bool {
        self.oidc_issuer.is_some() || !self.issuers.is_empty()
    }

    /// Whether the app verifies only tokens of remote issuers: `jwt_jwks_url`, or issuers and
    /// no key of its own.
    pub(crate) fn verify_only_remote(&self) -> bool {
        let own_keys = self.secret_key.is_some()
            || self.private_key.is_some()
            || self.private_key_file.is_some()
            || self.public_key.is_some()
            || self.public_key_file.is_some()
            || !self.key_set.is_empty();
        self.jwks_url.is_some() || (!own_keys && self.has_remote_issuers())
    }

    /// Checks `jwt_oidc_issuer`, `jwt_issuers` and `jwt_decode_typ`.
    pub(super) fn check_issuers(&self, strict: bool, problems: &mut Problems) {
        let issuers = self.remote_issuers();
        if let Some(typ) = &self.decode_typ {
            if typ.is_empty() || typ.contains(char::is_whitespace) {
                problems.add("jwt_decode_typ", "must be one media type, e.g. `at+jwt`");
            } else if issuers.is_empty() && self.jwks_url.is_none() {
                problems.add(
                    "jwt_decode_typ",
                    "applies to remote issuers' tokens, and none is set (`jwt_issuers`, \
                     `jwt_oidc_issuer` or `jwt_jwks_url`)",
                );
            }
        }
        if issuers.is_empty() {
            return;
        }
        if cfg!(not(feature = "remote-jwks")) {
            let key = &issuers[0].0;
            let key = if key == "jwt_oidc_issuer" {
                key
            } else {
                "jwt_issuers"
            };
            problems.add(
                key,
                "needs jwt-ext's `remote-jwks` cargo feature \
                 (`jwt-ext = { features = [\"remote-jwks\"] }`)",
            );
        }
        for (key, clash) in [
            ("jwt_jwks_url", self.jwks_url.is_some()),
            ("jwt_decode_issuer", self.decode_issuer.is_some()),
        ] {
            if clash {
                problems.add(
                    key,
                    "is set together with `jwt_issuers` / `jwt_oidc_issuer`, which name the \
                     issuers and their keys: give each issuer a `jwt_issuers` entry",
                );
            }
        }
        for (index, (key, entry)) in issuers.iter().enumerate() {
            check_entry(key, entry, strict, problems);
            if issuers[..index]
                .iter()
                .any(|(_, earlier)| earlier.issuer == entry.issuer)
            {
                problems.add(
                    &format!("{key}.issuer"),
                    format!("`{}` is listed twice", entry.issuer),
                );
            }
        }
    }
}

/// One issuer's entry: its URL (the issuer's for discovery, else its `jwks_url`), audience
/// and algorithms.
fn check_entry(key: &str, entry: &IssuerEntry, strict: bool, problems: &mut Problems) {
    let issuer_key = if key == "jwt_oidc_issuer" {
        key.to_owned()
    } else {
        format!("{key}.issuer")
    };
    if entry.issuer.is_empty() {
        problems.add(&issuer_key, "must not be empty");
    }
    match &entry.jwks_url {
        Some(url) => check_url(&format!("{key}.jwks_url"), url, strict, problems),
        // Discovery: the issuer is where the configuration is read.
        None => check_url(&issuer_key, &entry.issuer, strict, problems),
    }
    if entry
        .audience
        .as_ref()
        .is_some_and(|list| list.iter().next().is_none() || list.iter().any(str::is_empty))
    {
        problems.add(
            &format!("{key}.audience"),
            "must not be empty or contain an empty string",
        );
    }
    if let Some(algorithms) = &entry.algorithms {
        let key = format!("{key}.algorithms");
        if algorithms.is_empty() {
            problems.add(&key, "must name at least one algorithm");
        } else if algorithms
            .iter()
            .any(|algorithm| algorithm.family() == AlgorithmFamily::Hmac)
        {
            problems.add(
                &key,
                "includes HMAC, which an issuer's published keys cannot serve: list the \
                 issuer's RS*, PS*, ES* or EdDSA algorithms",
            );
        }
    }
}
