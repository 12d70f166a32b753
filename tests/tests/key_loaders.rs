//! Flask's `encode_key_loader` and `decode_key_loader`: a multi-tenant app signs each tenant's
//! tokens with the tenant's key and verifies with the key the unverified claims point to.

use jwt_ext::{AccessJwt, Config, DecodingKey, EncodingKey, JwtManager};
use rocket::http::{Header, Status};
use rocket::local::blocking::Client;
use rocket::serde::json::{json, Value};
use rocket::{get, routes};
use serde_json::Map;

const DEFAULT_SECRET: &str = "the-default-secret-of-at-least-32-bytes";
const ACME_SECRET: &str = "acme-tenant-secret-of-at-least-32-bytes";

fn tenant(identity: &str) -> Option<&str> {
    identity.split_once('@').map(|(_, tenant)| tenant)
}

#[get("/login/<identity>")]
fn login(jwt: &JwtManager, identity: &str) -> String {
    jwt.create_access_token(identity).unwrap()
}

#[get("/protected")]
fn protected(jwt: AccessJwt) -> Value {
    json!({ "identity": jwt.identity() })
}

fn client() -> Client {
    let fairing = JwtManager::fairing_with(Config::default().secret_key(DEFAULT_SECRET))
        .encode_key_loader(|identity| match tenant(identity.as_str()?) {
            Some("acme") => Some(EncodingKey::from_secret(ACME_SECRET.as_bytes())),
            _ => None,
        })
        .decode_key_loader(|_header, claims: &Map<String, Value>| {
            match claims.get("sub")?.as_str().map(tenant)? {
                Some("acme") => Some(DecodingKey::from_secret(ACME_SECRET.as_bytes())),
                None => Some(DecodingKey::from_secret(DEFAULT_SECRET.as_bytes())),
                Some(_) => None,
            }
        });
    let rocket = rocket::build()
        .attach(fairing)
        .mount("/", routes![login, protected]);
    Client::untracked(rocket).unwrap()
}

fn call(client: &Client, token: &str) -> (Status, Value) {
    let response = client
        .get("/protected")
        .header(Header::new("Authorization", format!("Bearer {token}")))
        .dispatch();
    let status = response.status();
    (status, response.into_json().unwrap_or(Value::Null))
}

/// Whether `token` verifies with `secret` alone (jsonwebtoken directly, claims unchecked).
fn signed_with(token: &str, secret: &str) -> bool {
    let _ = JwtManager::new(Config::default().secret_key(DEFAULT_SECRET));
    let (input, signature) = token.rsplit_once('.').unwrap();
    jsonwebtoken::crypto::verify(
        signature,
        input.as_bytes(),
        &DecodingKey::from_secret(secret.as_bytes()),
        jsonwebtoken::Algorithm::HS256,
    )
    .unwrap_or(false)
}

#[test]
fn each_tenant_signs_and_verifies_with_its_own_key() {
    let client = client();
    let acme = client
        .get("/login/bob@acme")
        .dispatch()
        .into_string()
        .unwrap();
    let plain = client.get("/login/alice").dispatch().into_string().unwrap();
    assert!(signed_with(&acme, ACME_SECRET) && !signed_with(&acme, DEFAULT_SECRET));
    assert!(signed_with(&plain, DEFAULT_SECRET) && !signed_with(&plain, ACME_SECRET));

    assert_eq!(
        call(&client, &acme),
        (Status::Ok, json!({ "identity": "bob@acme" }))
    );
    assert_eq!(
        call(&client, &plain),
        (Status::Ok, json!({ "identity": "alice" }))
    );
}

#[test]
fn the_claims_only_pick_the_key() {
    let client = client();
    // Claiming to be an acme user while signed with the default key: the acme key is picked,
    // and the signature fails.
    let forged = JwtManager::new(Config::default().secret_key(DEFAULT_SECRET))
        .unwrap()
        .create_access_token("mallory@acme")
        .unwrap();
    let (status, body) = call(&client, &forged);
    assert_eq!(status, Status::UnprocessableEntity);
    assert_eq!(body["msg"], "Signature verification failed");

    // A tenant the loader does not know: no key, refused.
    let unknown = client
        .get("/login/eve@elsewhere")
        .dispatch()
        .into_string()
        .unwrap();
    let (status, body) = call(&client, &unknown);
    assert_eq!(status, Status::UnprocessableEntity);
    assert_eq!(body["msg"], "Unknown key ID");

    // Garbage still fails where it always did, before the loader is asked.
    let (status, body) = call(&client, "a.b.c");
    assert_eq!(status, Status::UnprocessableEntity);
    assert_eq!(body["msg"], "Invalid header padding");
}
