//! Header parameters that name or carry a key (`jku`, `x5u`, `jwk`, `x5c`, `kid`; RFC 8725
//! §3.10): jwt-ext never follows them. A token signed with an attacker's key that it embeds or
//! points to fails the signature check, no URL from a token is ever fetched, a `kid` is only
//! ever an exact map key (path traversal and SQL-looking ids are unknown ids), and a token
//! signed with the app's own key verifies whatever the other headers say (PyJWT ignores them
//! too). Also: non-UTF-8 header bytes and a one-megabyte token.

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
    let read = jwt_ext_tests::test_key;
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

#[test]
fn malicious_kids_are_only_ever_map_keys() {
    use jwt_ext::KeyEntry;
    // A key set: the kid picks a key by exact match, never as a path or a query.
    let client = client(
        Config::default()
            .key(KeyEntry::secret("k1", SECRET))
            .key(KeyEntry::secret(
                "k2",
                "another-secret-of-at-least-32-bytes!",
            ))
            .signing_key_id("k1"),
    );
    for kid in [
        "../../../../etc/passwd",
        "/dev/null",
        "k1/../k2",
        "' OR '1'='1",
        "k1; DROP TABLE keys; --",
        "k1\u{0}",
        "K1",
        "",
        &"k".repeat(10_000)[..],
    ] {
        let header = json!({ "alg": "HS256", "typ": "JWT", "kid": kid });
        let token = sign(
            &header,
            &EncodingKey::from_secret(SECRET.as_bytes()),
            Algorithm::HS256,
        );
        let answer = get_with_token(&client, "/protected", &token);
        assert_eq!(answer.status, Status::UnprocessableEntity, "{kid:?}");
        let expected = if token.len() > 8192 {
            "Token is longer than 8192 bytes"
        } else {
            "Unknown key ID"
        };
        assert_eq!(answer.msg(), expected, "{kid:?}");
    }
    // The genuine kid still works after all of that.
    let header = json!({ "alg": "HS256", "typ": "JWT", "kid": "k1" });
    let token = sign(
        &header,
        &EncodingKey::from_secret(SECRET.as_bytes()),
        Algorithm::HS256,
    );
    assert_eq!(
        get_with_token(&client, "/protected", &token).status,
        Status::Ok
    );
}

#[test]
fn non_utf8_headers_and_megabyte_tokens_are_refused() {
    let client = client(config());
    let payload = b64(valid_claims().to_string());
    // A header segment that decodes to bytes that are not UTF-8.
    let token = format!("{}.{payload}.sig", b64([0xff, 0xfe, b'{', b'}']));
    let answer = get_with_token(&client, "/protected", &token);
    assert_eq!(answer.status, Status::UnprocessableEntity);
    assert!(
        answer.msg().starts_with("Invalid header string: "),
        "{}",
        answer.msg()
    );

    // A one-megabyte token: refused before any decoding, and the server goes on serving.
    let huge = format!(
        "{}.{}.{}",
        "a".repeat(400_000),
        "b".repeat(400_000),
        "c".repeat(248_576)
    );
    let answer = get_with_token(&client, "/protected", &huge);
    assert_eq!(answer.status, Status::UnprocessableEntity);
    assert_eq!(answer.msg(), "Token is longer than 8192 bytes");
    let ok = sign(
        &json!({ "alg": "HS256", "typ": "JWT" }),
        &EncodingKey::from_secret(SECRET.as_bytes()),
        Algorithm::HS256,
    );
    assert_eq!(
        get_with_token(&client, "/protected", &ok).status,
        Status::Ok
    );
}
