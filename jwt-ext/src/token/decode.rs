//! Verifying a compact JWT: the envelope, the signature (on jsonwebtoken) and the claims.
//!
//! jsonwebtoken's own `decode` and `Validation` differ from Flask-JWT-Extended in ways users
//! would see: a 60 s default leeway, `nbf` unchecked, a token carrying `aud` refused when no
//! audience is configured, `alg: none` reported as a JSON error, an integer-second clock, no
//! `iat` check, and the payload of an expired token lost (Flask's expired-token callback
//! receives it). So the signature is checked with jsonwebtoken's `crypto::verify`, and the
//! registered claims are checked here in PyJWT's order with PyJWT's messages:
//! `iat`, `nbf`, `exp`, `iss`, `aud`, `sub`, `jti`, then the identity claim.

use std::sync::{Arc, OnceLock};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey};
use serde_json::{Map, Value};

use crate::clock::now_seconds;
use crate::config::{Config, OneOrMany};
use crate::error::{JwtError, RefusedToken};
use crate::token::claims::DecodedToken;
use crate::token::hmac::HmacVerifier;
use crate::token::issuers::{check_typ, normalised_typ, select, IssuerKeys, Scope};
use crate::token::json_object::parse_object;
use crate::token::key_slot::{is_unknown_kid, KeySlot, UNKNOWN_KID};

/// The application's `decode_key_loader`: the key for a token, from its unverified header and
/// claims; `None` refuses the token.
pub(crate) type DecodeKeyLoader =
    Arc<dyn Fn(&Map<String, Value>, &Map<String, Value>) -> Option<DecodingKey> + Send + Sync>;

/// Everything needed to verify tokens, fixed at ignite but for the keys of a remote JWKS.
pub(crate) struct Verifier {
    /// This app's own keys (or those of `jwt_jwks_url`) and their algorithms.
    own: Arc<KeySlot>,
    /// Whether `own` holds keys at all (a resource server of remote issuers may have none).
    has_own_keys: bool,
    /// Whether `own` is a remote JWKS (`jwt_jwks_url`): `jwt_decode_typ` applies to it.
    own_is_remote: bool,
    /// The remote issuers (`jwt_issuers`, `jwt_oidc_issuer`), picked by a token's `iss`.
    issuers: Vec<IssuerKeys>,
    /// `jwt_decode_typ`, for the remote issuers' tokens.
    typ: Option<String>,
    /// The application's `decode_key_loader`, which picks the key instead of the ring.
    key_loader: OnceLock<DecodeKeyLoader>,
    leeway: f64,
    audience: Option<OneOrMany>,
    issuer: Option<OneOrMany>,
    verify_sub: bool,
    identity_claim: String,
    max_token_length: usize,
}

impl Verifier {
    pub(crate) fn new(
        config: &Config,
        keys: Vec<crate::token::keys::VerifyingKey>,
        key_set: bool,
    ) -> Self {
        let algorithms = named(config.effective_decode_algorithms());
        let issuers = config
            .remote_issuers()
            .into_iter()
            .map(|(_, entry)| {
                let algorithms = named(config.issuer_algorithms(&entry));
                IssuerKeys {
                    issuer: entry.issuer,
                    slot: Arc::new(KeySlot::new(algorithms, Vec::new(), true)),
                    audience: entry.audience.or_else(|| config.decode_audience.clone()),
                }
            })
            .collect();
        Self {
            has_own_keys: !keys.is_empty() || config.jwks_url.is_some(),
            own: Arc::new(KeySlot::new(algorithms, keys, key_set)),
            own_is_remote: config.jwks_url.is_some(),
            issuers,
            typ: config.decode_typ.as_deref().map(normalised_typ),
            key_loader: OnceLock::new(),
            #[allow(clippy::cast_precision_loss)]
            leeway: config.decode_leeway as f64,
            audience: config.decode_audience.clone(),
            issuer: config.decode_issuer.clone(),
            verify_sub: config.verify_sub,
            identity_claim: config.identity_claim.clone(),
            max_token_length: config.max_token_length,
        }
    }

    /// Installs the application's `decode_key_loader` (once, at ignite).
    pub(crate) fn set_key_loader(&self, loader: DecodeKeyLoader) {
        let _ = self.key_loader.set(loader);
    }

    /// This app's own keys (those of `jwt_jwks_url` for a resource server of one issuer).
    #[cfg_attr(not(feature = "remote-jwks"), allow(dead_code))]
    pub(crate) fn own_keys(&self) -> &Arc<KeySlot> {
        &self.own
    }

    /// The remote issuers' keys, in the order of the settings.
    #[cfg_attr(not(feature = "remote-jwks"), allow(dead_code))]
    pub(crate) fn issuers(&self) -> &[IssuerKeys] {
        &self.issuers
    }

    /// The verification key named `kid` (the only key when there is one and no `kid`).
    pub(crate) fn key(&self, kid: Option<&str>) -> Option<DecodingKey> {
        let ring = self.own.ring();
        ring.keys
            .iter()
            .find(|(id, _)| id.as_deref() == kid)
            .or_else(|| ring.keys.first().filter(|_| !ring.key_set))
            .map(|(_, key)| key.clone())
    }

    /// Verifies `token` completely; with `allow_expired` an expired token is returned instead of
    /// refused (Flask's `decode_token(..., allow_expired=True)`).
    pub(crate) fn decode(
        &self,
        token: &str,
        allow_expired: bool,
    ) -> Result<DecodedToken, JwtError> {
        let invalid = |message: &str| JwtError::Invalid(message.to_owned());

        // Refuse oversized input before touching it: every later step is linear, but there is
        // no reason to base64-decode a megabyte.
        if token.len() > self.max_token_length {
            return Err(JwtError::Invalid(format!(
                "Token is longer than {} bytes",
                self.max_token_length
            )));
        }
        let (header_b64, payload_b64, signature_b64) = split_segments(token)?;

        let header_bytes = URL_SAFE_NO_PAD
            .decode(header_b64)
            .map_err(|_| invalid("Invalid header padding"))?;
        let header = parse_object(&header_bytes)
            .map_err(|error| JwtError::Invalid(format!("Invalid header string: {error}")))?;
        let payload_bytes = URL_SAFE_NO_PAD
            .decode(payload_b64)
            .map_err(|_| invalid("Invalid payload padding"))?;
        let parse_claims = || {
            parse_object(&payload_bytes)
                .map_err(|error| JwtError::Invalid(format!("Invalid payload string: {error}")))
        };

        // With remote issuers, the unverified `iss` picks the keys and rules: nothing else is
        // taken from the token before its signature is checked with that issuer's keys.
        let mut claims = None;
        let scope = if self.issuers.is_empty() {
            Scope::Own
        } else {
            let parsed = parse_claims()?;
            let scope = select(&self.issuers, &parsed, self.has_own_keys)?;
            claims = Some(parsed);
            scope
        };
        let slot = match scope {
            Scope::Own => &self.own,
            Scope::Issuer(issuer) => &issuer.slot,
        };

        // `alg` is read as text: jsonwebtoken's enum has no `none`, and an unknown name must be
        // the same 422 as a known but disallowed one.
        let algorithm = header
            .get("alg")
            .and_then(Value::as_str)
            .and_then(|alg| slot.algorithm(alg))
            .ok_or_else(|| invalid("The specified alg value is not allowed"))?;
        // RFC 7515 §4.1.11: extensions listed in `crit` must be understood; jwt-ext knows none.
        if header.contains_key("crit") {
            return Err(invalid(
                "Unsupported critical extension in the token header",
            ));
        }
        let remote = matches!(scope, Scope::Issuer(_)) || self.own_is_remote;
        if let (true, Some(required)) = (remote, &self.typ) {
            check_typ(&header, required)?;
        }
        let loaded = match (self.key_loader.get(), scope) {
            (Some(loader), Scope::Own) => {
                // The loader reads the unverified header and claims to pick the key (a
                // tenant, an issuer); nothing else is taken from them before the signature
                // is checked.
                let parsed = match claims.take() {
                    Some(parsed) => parsed,
                    None => parse_claims()?,
                };
                let key = loader(&header, &parsed).ok_or_else(|| invalid(UNKNOWN_KID))?;
                claims = Some(parsed);
                Some(key)
            }
            _ => None,
        };
        let ring = slot.ring();
        let (key, hmac) = match &loaded {
            Some(key) => (key, None),
            None => match ring.key_for(&header) {
                Ok((key, hmac)) => (key, Some(hmac)),
                Err(error) => {
                    if is_unknown_kid(&error) {
                        slot.saw_unknown_kid();
                    }
                    return Err(error);
                }
            },
        };

        let signing_input = &token[..header_b64.len() + 1 + payload_b64.len()];
        verify_signature(
            algorithm,
            key,
            hmac,
            signature_b64,
            signing_input.as_bytes(),
        )?;

        let claims = match claims {
            Some(claims) => claims,
            None => parse_claims()?,
        };
        let rules = match scope {
            Scope::Own => Rules {
                issuer: self.issuer.as_ref(),
                audience: self.audience.as_ref(),
                audience_error: JwtError::Invalid,
            },
            // The issuer was matched exactly by `select`.
            Scope::Issuer(issuer) => Rules {
                issuer: None,
                audience: issuer.audience.as_ref(),
                audience_error: JwtError::WrongAudience,
            },
        };
        self.check_claims(header, claims, allow_expired, now_seconds(), &rules)
    }

    /// PyJWT's registered-claim checks, then Flask-JWT-Extended's identity-claim check.
    fn check_claims(
        &self,
        header: Map<String, Value>,
        claims: Map<String, Value>,
        allow_expired: bool,
        now: f64,
        rules: &Rules<'_>,
    ) -> Result<DecodedToken, JwtError> {
        let invalid = |message: &str| Err(JwtError::Invalid(message.to_owned()));

        if let Some(iat) = claims.get("iat") {
            match iat.as_f64() {
                None => return invalid("Issued At claim (iat) must be an integer."),
                Some(iat) if iat > now + self.leeway => {
                    return invalid("The token is not yet valid (iat)");
                }
                Some(_) => {}
            }
        }
        if let Some(nbf) = claims.get("nbf") {
            match nbf.as_f64() {
                None => return invalid("Not Before claim (nbf) must be an integer."),
                Some(nbf) if nbf > now + self.leeway => {
                    return invalid("The token is not yet valid (nbf)");
                }
                Some(_) => {}
            }
        }
        if let Some(exp) = claims.get("exp") {
            match exp.as_f64() {
                None => return invalid("Expiration Time claim (exp) must be an integer."),
                Some(exp) if exp <= now - self.leeway && !allow_expired => {
                    let identity = claims
                        .get(&self.identity_claim)
                        .cloned()
                        .unwrap_or_default();
                    return Err(JwtError::Expired(Box::new(RefusedToken {
                        header,
                        claims,
                        identity,
                    })));
                }
                Some(_) => {}
            }
        }
        if let Some(issuers) = rules.issuer {
            match claims.get("iss") {
                None => return invalid("Token is missing the \"iss\" claim"),
                Some(Value::String(iss)) if issuers.contains(iss) => {}
                Some(_) => return invalid("Invalid issuer"),
            }
        }
        if let Some(audiences) = rules.audience {
            check_audience(claims.get("aud"), audiences).map_err(|error| match error {
                JwtError::Invalid(message) => (rules.audience_error)(message),
                other => other,
            })?;
        }
        if self.verify_sub && claims.get("sub").is_some_and(|sub| !sub.is_string()) {
            return invalid("Subject must be a string");
        }
        if claims.get("jti").is_some_and(|jti| !jti.is_string()) {
            return invalid("JWT ID must be a string");
        }
        if !claims.contains_key(&self.identity_claim) {
            return Err(JwtError::Invalid(format!(
                "Missing claim: {}",
                self.identity_claim
            )));
        }
        Ok(DecodedToken::new(
            header,
            claims,
            self.identity_claim.clone(),
        ))
    }
}

/// Checks the signature over `message` with `key` (with its HMAC states for HS*).
fn verify_signature(
    algorithm: Algorithm,
    key: &DecodingKey,
    hmac: Option<&HmacVerifier>,
    signature_b64: &str,
    message: &[u8],
) -> Result<(), JwtError> {
    let invalid = |message: &str| JwtError::Invalid(message.to_owned());
    let verified = match hmac.and_then(|hmac| hmac.verify(algorithm, signature_b64, message)) {
        Some(Ok(verified)) => verified,
        Some(Err(_)) => return Err(invalid("Invalid crypto padding")),
        None => match jsonwebtoken::crypto::verify(signature_b64, message, key, algorithm) {
            Ok(verified) => verified,
            Err(error) if matches!(error.kind(), ErrorKind::Base64(_)) => {
                return Err(invalid("Invalid crypto padding"));
            }
            Err(_) => false,
        },
    };
    if verified {
        Ok(())
    } else {
        Err(invalid("Signature verification failed"))
    }
}

/// The claim rules of a token's scope: this app's settings, or its remote issuer's.
struct Rules<'a> {
    issuer: Option<&'a OneOrMany>,
    audience: Option<&'a OneOrMany>,
    /// Flask's 422 for this app's own tokens, RFC 6750's 401 for a remote issuer's.
    audience_error: fn(String) -> JwtError,
}

/// Each algorithm with its name as it appears in `alg`.
fn named(algorithms: Vec<Algorithm>) -> Vec<(&'static str, Algorithm)> {
    algorithms
        .into_iter()
        .map(|algorithm| (algorithm_name(algorithm), algorithm))
        .collect()
}

/// PyJWT's audience rule: required when configured, a string or a list of strings, and
/// accepted on any overlap with the configured audiences.
fn check_audience(aud: Option<&Value>, audiences: &OneOrMany) -> Result<(), JwtError> {
    let invalid = |message: &str| Err(JwtError::Invalid(message.to_owned()));
    let claimed: Vec<&str> = match aud {
        None | Some(Value::Null) => return invalid("Token is missing the \"aud\" claim"),
        Some(Value::String(one)) if one.is_empty() => {
            return invalid("Token is missing the \"aud\" claim");
        }
        Some(Value::Array(many)) if many.is_empty() => {
            return invalid("Token is missing the \"aud\" claim");
        }
        Some(Value::String(one)) => vec![one.as_str()],
        Some(Value::Array(many)) => {
            let strings: Option<Vec<&str>> = many.iter().map(Value::as_str).collect();
            match strings {
                Some(strings) => strings,
                None => return invalid("Invalid claim format in token"),
            }
        }
        Some(_) => return invalid("Invalid claim format in token"),
    };
    if claimed.iter().any(|aud| audiences.contains(aud)) {
        Ok(())
    } else {
        invalid("Audience doesn't match")
    }
}

/// Splits the three segments of a compact JWS, naming the problem when there are not three.
fn split_segments(token: &str) -> Result<(&str, &str, &str), JwtError> {
    let mut segments = token.splitn(4, '.');
    match (
        segments.next(),
        segments.next(),
        segments.next(),
        segments.next(),
    ) {
        (Some(header), Some(payload), Some(signature), None) => Ok((header, payload, signature)),
        (_, _, _, Some(_)) => Err(JwtError::Invalid("Too many segments".into())),
        _ => Err(JwtError::Invalid("Not enough segments".into())),
    }
}

/// The name of an algorithm as written in a JOSE header.
pub(crate) fn algorithm_name(algorithm: Algorithm) -> &'static str {
    match algorithm {
        Algorithm::HS256 => "HS256",
        Algorithm::HS384 => "HS384",
        Algorithm::HS512 => "HS512",
        Algorithm::ES256 => "ES256",
        Algorithm::ES384 => "ES384",
        Algorithm::RS256 => "RS256",
        Algorithm::RS384 => "RS384",
        Algorithm::RS512 => "RS512",
        Algorithm::PS256 => "PS256",
        Algorithm::PS384 => "PS384",
        Algorithm::PS512 => "PS512",
        _ => "EdDSA",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_are_counted() {
        assert!(split_segments("a.b.c").is_ok());
        for (token, message) in [
            ("abc", "Not enough segments"),
            ("a.b", "Not enough segments"),
            ("a.b.c.d", "Too many segments"),
            ("a.b.c.d.e", "Too many segments"),
        ] {
            assert_eq!(
                split_segments(token).unwrap_err().message(),
                message,
                "{token}"
            );
        }
    }

    #[test]
    fn audience_rules_follow_pyjwt() {
        let configured = OneOrMany::Many(vec!["api".into(), "web".into()]);
        let check = |aud: Value| check_audience(Some(&aud), &configured).map_err(|e| e.to_string());
        assert_eq!(check(Value::from("api")), Ok(()));
        assert_eq!(check(serde_json::json!(["x", "web"])), Ok(()));
        assert_eq!(
            check(Value::from("x")).unwrap_err(),
            "Audience doesn't match"
        );
        assert_eq!(
            check(serde_json::json!(["api", 1])).unwrap_err(),
            "Invalid claim format in token"
        );
        assert_eq!(
            check(Value::from(5)).unwrap_err(),
            "Invalid claim format in token"
        );
        assert_eq!(
            check(serde_json::json!([])).unwrap_err(),
            "Token is missing the \"aud\" claim"
        );
    }
}
