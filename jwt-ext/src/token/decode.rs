//! Verifying a compact JWT: the envelope, the signature (on jsonwebtoken) and the claims.
//!
//! jsonwebtoken's own `decode` and `Validation` differ from Flask-JWT-Extended in ways users
//! would see: a 60 s default leeway, `nbf` unchecked, a token carrying `aud` refused when no
//! audience is configured, `alg: none` reported as a JSON error, an integer-second clock, no
//! `iat` check, and the payload of an expired token lost (Flask's expired-token callback
//! receives it). So the signature is checked with jsonwebtoken's `crypto::verify`, and the
//! registered claims are checked here in PyJWT's order with PyJWT's messages:
//! `iat`, `nbf`, `exp`, `iss`, `aud`, `sub`, `jti`, then the identity claim.

use std::sync::{Arc, OnceLock, RwLock};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey};
use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::{Map, Value};

use crate::clock::now_seconds;
use crate::config::{Config, OneOrMany};
use crate::error::{JwtError, RefusedToken};
use crate::token::claims::DecodedToken;
use crate::token::hmac::HmacVerifier;

/// The application's `decode_key_loader`: the key for a token, from its unverified header and
/// claims; `None` refuses the token.
pub(crate) type DecodeKeyLoader =
    Arc<dyn Fn(&Map<String, Value>, &Map<String, Value>) -> Option<DecodingKey> + Send + Sync>;

/// The message of a token whose `kid` names no key.
pub(crate) const UNKNOWN_KID: &str = "Unknown key ID";

/// Whether `error` is a token naming a `kid` the keys lack (a remote JWKS may know it now).
pub(crate) fn is_unknown_kid(error: &JwtError) -> bool {
    matches!(error, JwtError::Invalid(message) if message == UNKNOWN_KID)
}

/// The verification keys and their ids. A single key: a token naming another `kid` is
/// refused, one without `kid` (Flask-JWT-Extended's) is accepted. A key set: the token's `kid`
/// picks the key, exactly (RFC 8725 §3.10).
pub(crate) struct KeyRing {
    keys: Vec<crate::token::keys::VerifyingKey>,
    /// Each key's HMAC states, set up once (empty for public keys); parallel to `keys`.
    hmac: Vec<HmacVerifier>,
    key_set: bool,
}

impl KeyRing {
    /// The ring of `keys`, HMAC secrets set up for each HS* algorithm in `algorithms`.
    fn new(
        keys: Vec<crate::token::keys::VerifyingKey>,
        key_set: bool,
        algorithms: &[(&'static str, Algorithm)],
    ) -> Self {
        let hmac = keys
            .iter()
            .map(|(_, key)| HmacVerifier::new(key, algorithms.iter().map(|(_, alg)| *alg)))
            .collect();
        Self {
            keys,
            hmac,
            key_set,
        }
    }

    /// The key that verifies a token with this header, and its HMAC states (RFC 8725 §3.10:
    /// `kid` is an exact map key, never a path or a query).
    pub(crate) fn key_for(
        &self,
        header: &Map<String, Value>,
    ) -> Result<(&DecodingKey, &HmacVerifier), JwtError> {
        let invalid = |message: &str| Err(JwtError::Invalid(message.to_owned()));
        let kid = match header.get("kid") {
            Some(Value::String(kid)) => Some(kid.as_str()),
            None => None,
            Some(_) => return invalid("Key ID header parameter must be a string"),
        };
        let index = match (kid, self.keys.as_slice()) {
            (Some(kid), keys) if self.key_set => {
                match keys.iter().position(|(id, _)| id.as_deref() == Some(kid)) {
                    Some(index) => index,
                    None => return invalid(UNKNOWN_KID),
                }
            }
            (None, _) if self.key_set => return invalid("Missing key ID"),
            (Some(kid), [(Some(ours), _)]) if ours != kid => return invalid(UNKNOWN_KID),
            (_, [_, ..]) => 0,
            (_, []) => return invalid(UNKNOWN_KID),
        };
        Ok((&self.keys[index].1, &self.hmac[index]))
    }
}

/// Everything needed to verify tokens, fixed at ignite but for the keys of a remote JWKS.
pub(crate) struct Verifier {
    /// The allow-list, with each algorithm's name as it appears in `alg`.
    algorithms: Vec<(&'static str, Algorithm)>,
    /// The verification keys; replaced as a whole when a remote JWKS is refetched.
    ring: RwLock<Arc<KeyRing>>,
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
        let algorithms: Vec<_> = config
            .effective_decode_algorithms()
            .into_iter()
            .map(|algorithm| (algorithm_name(algorithm), algorithm))
            .collect();
        let ring = KeyRing::new(keys, key_set, &algorithms);
        Self {
            algorithms,
            ring: RwLock::new(Arc::new(ring)),
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

    /// The current keys.
    fn ring(&self) -> Arc<KeyRing> {
        // A poisoned lock still holds a complete ring: replacing it is one assignment.
        match self.ring.read() {
            Ok(ring) => Arc::clone(&ring),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// Replaces every verification key at once (a refetched JWKS).
    #[cfg_attr(not(feature = "remote-jwks"), allow(dead_code))]
    pub(crate) fn replace_keys(&self, keys: Vec<crate::token::keys::VerifyingKey>, key_set: bool) {
        let ring = Arc::new(KeyRing::new(keys, key_set, &self.algorithms));
        match self.ring.write() {
            Ok(mut slot) => *slot = ring,
            Err(poisoned) => *poisoned.into_inner() = ring,
        }
    }

    /// The ids of the current keys.
    #[cfg_attr(not(feature = "remote-jwks"), allow(dead_code))]
    pub(crate) fn key_ids(&self) -> Vec<Option<String>> {
        self.ring()
            .keys
            .iter()
            .map(|(kid, _)| kid.clone())
            .collect()
    }

    /// The verification key named `kid` (the only key when there is one and no `kid`).
    pub(crate) fn key(&self, kid: Option<&str>) -> Option<DecodingKey> {
        let ring = self.ring();
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

        // `alg` is read as text: jsonwebtoken's enum has no `none`, and an unknown name must be
        // the same 422 as a known but disallowed one.
        let algorithm = header
            .get("alg")
            .and_then(Value::as_str)
            .and_then(|alg| {
                self.algorithms
                    .iter()
                    .find(|(name, _)| *name == alg)
                    .map(|(_, algorithm)| *algorithm)
            })
            .ok_or_else(|| invalid("The specified alg value is not allowed"))?;
        // RFC 7515 §4.1.11: extensions listed in `crit` must be understood; jwt-ext knows none.
        if header.contains_key("crit") {
            return Err(invalid(
                "Unsupported critical extension in the token header",
            ));
        }
        let (loaded, claims) = if let Some(loader) = self.key_loader.get() {
            // The loader reads the unverified header and claims to pick the key (a tenant,
            // an issuer); nothing else is taken from them before the signature is checked.
            let claims = parse_object(&payload_bytes)
                .map_err(|error| JwtError::Invalid(format!("Invalid payload string: {error}")))?;
            let key = loader(&header, &claims).ok_or_else(|| invalid(UNKNOWN_KID))?;
            (Some(key), Some(claims))
        } else {
            (None, None)
        };
        let ring = self.ring();
        let (key, hmac) = match &loaded {
            Some(key) => (key, None),
            None => ring.key_for(&header).map(|(key, hmac)| (key, Some(hmac)))?,
        };

        let signing_input = &token[..header_b64.len() + 1 + payload_b64.len()];
        let message = signing_input.as_bytes();
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
        if !verified {
            return Err(invalid("Signature verification failed"));
        }

        let claims = match claims {
            Some(claims) => claims,
            None => parse_object(&payload_bytes)
                .map_err(|error| JwtError::Invalid(format!("Invalid payload string: {error}")))?,
        };
        self.check_claims(header, claims, allow_expired, now_seconds())
    }

    /// PyJWT's registered-claim checks, then Flask-JWT-Extended's identity-claim check.
    fn check_claims(
        &self,
        header: Map<String, Value>,
        claims: Map<String, Value>,
        allow_expired: bool,
        now: f64,
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
        if let Some(issuers) = &self.issuer {
            match claims.get("iss") {
                None => return invalid("Token is missing the \"iss\" claim"),
                Some(Value::String(iss)) if issuers.contains(iss) => {}
                Some(_) => return invalid("Invalid issuer"),
            }
        }
        if let Some(audiences) = &self.audience {
            check_audience(claims.get("aud"), audiences)?;
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

/// Parses a JSON object, refusing duplicate member names (RFC 8725 §2.6: two parsers that
/// resolve a duplicate differently read different claims from one token).
fn parse_object(bytes: &[u8]) -> Result<Map<String, Value>, serde_json::Error> {
    serde_json::from_slice::<UniqueKeys>(bytes).map(|object| object.0)
}

struct UniqueKeys(Map<String, Value>);

impl<'de> Deserialize<'de> for UniqueKeys {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ObjectVisitor;

        impl<'de> Visitor<'de> for ObjectVisitor {
            type Value = UniqueKeys;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a json object")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<UniqueKeys, A::Error> {
                let mut map = Map::new();
                while let Some(key) = access.next_key::<String>()? {
                    if map.contains_key(&key) {
                        return Err(serde::de::Error::custom(format_args!(
                            "duplicate member `{key}`"
                        )));
                    }
                    let value: Value = access.next_value()?;
                    map.insert(key, value);
                }
                Ok(UniqueKeys(map))
            }
        }

        deserializer.deserialize_map(ObjectVisitor)
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
    fn duplicate_members_are_refused() {
        let error = parse_object(br#"{"exp": 1, "exp": 2}"#).unwrap_err();
        assert!(error.to_string().contains("duplicate member `exp`"));
        assert!(parse_object(br"[1, 2]").is_err());
        assert_eq!(parse_object(br#"{"a": {"b": 1}}"#).unwrap().len(), 1);
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
