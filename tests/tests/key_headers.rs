//! Header parameters that name or carry a key (`jku`, `x5u`, `jwk`, `x5c`; RFC 8725 §3.10):
//! jwt-ext never uses them. A token signed with an attacker's key that it embeds or points to
//! fails the signature check, no URL from a token is ever fetched, and a token signed with the
//! app's own key verifies whatever such headers say (PyJWT ignores them too).

mod common;

use std::net::TcpListener;

use common::{b64, client, config, get_with_token, valid_claims, SECRET};
use jsonwebtoken::jwk::Jwk;
use jsonwebtoken::{Algorithm, EncodingKey};
use jwt_ext::Config;
use rocket::http::Status;
use serde_json::{json, Value};

/// A token with `header` and the valid claims, signed with `key` (the crypto provider is
/// installed by the client the test builds first).
fn sign(header: &Value, key: &EncodingKey, algorithm: Algorithm) -> String {
    let input = format!(
        "{}.{}",
        b64(header.to_string()),
        b64(valid_claims().to_string())
    );
    let signature = jsonwebtoken::crypto::sign(input.as_bytes(), key, algorithm).unwrap();
    format!("{input}.{signature}")
}

/// A loopback listener that records whether anyone connected: the URLs in the headers point
/// at it.
struct Trap(TcpListener);

impl Trap {
    fn new() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        Self(listener)
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.0.local_addr().unwrap())
    }

    fn was_called(&self) -> bool {
        self.0.accept().is_ok()
    }
}

#[test]
fn hmac_tokens_ignore_key_headers() {
    let client = client(config());
    let trap = Trap::new();
    let attacker = "an-attacker-secret-of-at-least-32-bytes!";
    let key_headers = |alg: &str| {
        json!({
            "alg": alg,
            "typ": "JWT",
            "jku": trap.url("/jwks.json"),
            "x5u": trap.url("/cert.pem"),
            "jwk": { "kty": "oct", "k": b64(attacker) },
            "x5c": ["MIIBszCCAVmgAwIBAgIU"],
        })
    };

    let forged = sign(
        &key_headers("HS256"),
        &EncodingKey::from_secret(attacker.as_bytes()),
        Algorithm::HS256,
    );
    let answer = get_with_token(&client, "/protected", &forged);
    assert_eq!(answer.status, Status::UnprocessableEntity);
    assert_eq!(answer.msg(), "Signature verification failed");

    let genuine = sign(
        &key_headers("HS256"),
        &EncodingKey::from_secret(SECRET.as_bytes()),
        Algorithm::HS256,
    );
    let answer = get_with_token(&client, "/protected", &genuine);
    assert_eq!(answer.status, Status::Ok, "{:?}", answer.body);

    assert!(!trap.was_called(), "a URL from a token header was fetched");
}

#[test]
fn asymmetric_tokens_ignore_an_embedded_or_linked_key() {
    let keys = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("keys");
    let read = |name: &str| std::fs::read_to_string(keys.join(name)).unwrap();
    let client = client(
        Config::default()
            .algorithm(Algorithm::ES256)
            .public_key(read("ec256-public.pem")),
    );
    let trap = Trap::new();
    let attacker = EncodingKey::from_ec_pem(read("ec256-second-private.pem").as_bytes()).unwrap();
    let attacker_jwk = Jwk::from_encoding_key(&attacker, Algorithm::ES256).unwrap();

    for header in [
        json!({ "alg": "ES256", "typ": "JWT", "jwk": attacker_jwk }),
        json!({ "alg": "ES256", "typ": "JWT", "jku": trap.url("/jwks.json") }),
        json!({ "alg": "ES256", "typ": "JWT", "x5u": trap.url("/cert.pem") }),
        json!({ "alg": "ES256", "typ": "JWT", "x5c": ["MIIBszCCAVmgAwIBAgIU"] }),
    ] {
        let forged = sign(&header, &attacker, Algorithm::ES256);
        let answer = get_with_token(&client, "/protected", &forged);
        assert_eq!(answer.status, Status::UnprocessableEntity, "{header}");
        assert_eq!(answer.msg(), "Signature verification failed", "{header}");
    }
    assert!(!trap.was_called(), "a URL from a token header was fetched");

    // Algorithm confusion through the embedded key: HS256 keyed with the app's public key.
    let confused = sign(
        &json!({ "alg": "HS256", "typ": "JWT", "jwk": attacker_jwk }),
        &EncodingKey::from_secret(read("ec256-public.pem").as_bytes()),
        Algorithm::HS256,
    );
    let answer = get_with_token(&client, "/protected", &confused);
    assert_eq!(answer.status, Status::UnprocessableEntity);
    assert_eq!(answer.msg(), "The specified alg value is not allowed");
}
