//! Revocation with the in-memory store: revoked tokens, logout in one call,
//! `skip_revocation_check`, Flask's check order around it, a bounded store, and failing closed.

mod common;

use std::sync::Arc;

use common::{config, SECRET};
use jwt_ext::{
    jwt_required, Blocklist, Config, DecodedToken, Jwt, JwtFairing, JwtManager, MemoryBlocklist,
    RevokeError, StoreError,
};
use rocket::http::{Method, Status};
use rocket::local::blocking::Client;
use rocket::serde::json::{json, Json, Value};
use rocket::time::Duration;
use rocket::{delete, get, post, routes};

#[jwt_required]
#[get("/protected")]
fn protected(token: Jwt) -> Value {
    json!({ "identity": token.identity() })
}

#[jwt_required(fresh)]
#[get("/fresh")]
fn fresh() -> &'static str {
    "fresh"
}

#[jwt_required(refresh)]
#[post("/refresh")]
fn refresh(token: Jwt) -> Value {
    json!({ "identity": token.identity() })
}

#[jwt_required(skip_revocation_check)]
#[get("/even-if-revoked")]
fn even_if_revoked() -> &'static str {
    "still here"
}

#[jwt_required]
#[delete("/logout", data = "<body>")]
async fn logout(
    jwt: &JwtManager,
    token: Jwt,
    body: Option<Json<Value>>,
) -> Result<Value, RevokeError> {
    let refresh = body
        .as_ref()
        .and_then(|body| body["refresh_token"].as_str());
    jwt.logout(&token, refresh).await?;
    Ok(json!({ "msg": "Successfully logged out" }))
}

#[jwt_required(refresh)]
#[post("/rotate")]
async fn rotate(
    jwt: &JwtManager,
    token: Jwt,
) -> Result<Json<jwt_ext::Refreshed>, jwt_ext::RefreshError> {
    jwt.refresh(&token).await.map(Json)
}

#[post("/exchange", data = "<token>")]
async fn exchange(jwt: &JwtManager, token: String) -> Result<String, jwt_ext::RefreshError> {
    jwt.exchange_expired(&token).await
}

fn client_with(fairing: JwtFairing) -> Client {
    let rocket = rocket::build().attach(fairing).mount(
        "/",
        routes![
            protected,
            fresh,
            refresh,
            even_if_revoked,
            logout,
            rotate,
            exchange
        ],
    );
    Client::tracked(rocket).unwrap()
}

fn client() -> Client {
    client_with(JwtManager::fairing_with(config()))
}

fn jwt(client: &Client) -> &JwtManager {
    client.rocket().state::<JwtManager>().unwrap()
}

fn send(
    client: &Client,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> (Status, Value, Option<String>) {
    let method = method.parse::<Method>().unwrap();
    common::send(client, method, path, token, body)
}

fn decoded(client: &Client, token: &str) -> DecodedToken {
    jwt(client).decode_token(token).unwrap()
}

#[test]
fn revoked_access_token_is_401() {
    let client = client();
    let token = jwt(&client).create_access_token("alice").unwrap();
    assert_eq!(
        send(&client, "GET", "/protected", Some(&token), None).0,
        Status::Ok
    );

    rocket::execute(jwt(&client).revoke(&decoded(&client, &token))).unwrap();
    let (status, body, challenge) = send(&client, "GET", "/protected", Some(&token), None);
    assert_eq!(
        (status, body),
        (
            Status::Unauthorized,
            json!({ "msg": "Token has been revoked" })
        )
    );
    assert_eq!(
        challenge.as_deref(),
        Some(r#"Bearer error="invalid_token""#)
    );

    // Other tokens of the same user are unaffected.
    let other = jwt(&client).create_access_token("alice").unwrap();
    assert_eq!(
        send(&client, "GET", "/protected", Some(&other), None).0,
        Status::Ok
    );
}

#[test]
fn skip_revocation_check_lets_a_revoked_token_through() {
    let client = client();
    let token = jwt(&client).create_access_token("alice").unwrap();
    rocket::execute(jwt(&client).revoke(&decoded(&client, &token))).unwrap();
    assert_eq!(
        send(&client, "GET", "/even-if-revoked", Some(&token), None).0,
        Status::Ok
    );
    assert_eq!(
        send(&client, "GET", "/protected", Some(&token), None).0,
        Status::Unauthorized
    );
}

#[test]
fn logout_revokes_access_and_refresh_in_one_call() {
    let client = client();
    let access = jwt(&client).create_access_token("alice").unwrap();
    let refresh = jwt(&client).create_refresh_token("alice").unwrap();
    let (status, body, _) = send(
        &client,
        "DELETE",
        "/logout",
        Some(&access),
        Some(json!({ "refresh_token": refresh })),
    );
    assert_eq!(
        (status, body),
        (Status::Ok, json!({ "msg": "Successfully logged out" }))
    );

    assert_eq!(
        send(&client, "GET", "/protected", Some(&access), None).1["msg"],
        "Token has been revoked"
    );
    assert_eq!(
        send(&client, "POST", "/refresh", Some(&refresh), None).1["msg"],
        "Token has been revoked"
    );
    // Logging out again with the revoked access token is refused like any other use.
    assert_eq!(
        send(&client, "DELETE", "/logout", Some(&access), None).0,
        Status::Unauthorized
    );
}

#[test]
fn logout_refuses_a_foreign_or_wrong_refresh_token_and_revokes_nothing() {
    let client = client();
    let access = jwt(&client).create_access_token("alice").unwrap();
    let bobs = jwt(&client).create_refresh_token("bob").unwrap();
    let another_access = jwt(&client).create_access_token("alice").unwrap();
    for (refresh, message) in [
        (
            bobs.as_str(),
            "The refresh token belongs to another identity",
        ),
        (another_access.as_str(), "Only refresh tokens are allowed"),
        ("garbage", "Not enough segments"),
    ] {
        let (status, body, _) = send(
            &client,
            "DELETE",
            "/logout",
            Some(&access),
            Some(json!({ "refresh_token": refresh })),
        );
        assert_eq!(
            (status, body),
            (Status::UnprocessableEntity, json!({ "msg": message }))
        );
    }
    assert_eq!(
        send(&client, "GET", "/protected", Some(&access), None).0,
        Status::Ok
    );
    assert_eq!(
        send(&client, "POST", "/refresh", Some(&bobs), None).0,
        Status::Ok
    );
}

#[test]
fn check_order_around_revocation_follows_flask() {
    // Flask's check order: a revoked refresh token on an access route is 422 (type first); a revoked
    // non-fresh token on a fresh route is 401 Fresh token required (freshness first); a revoked
    // token failing claims verification is 401 revoked (revocation before verification).
    let fairing = JwtManager::fairing_with(config())
        .token_verification_loader(|token| token.claims().contains_key("tenant"));
    let client = client_with(fairing);
    let jwt = jwt(&client);
    let refresh = jwt.create_refresh_token("alice").unwrap();
    let stale = jwt.create_access_token("alice").unwrap();
    for token in [&refresh, &stale] {
        rocket::execute(jwt.revoke(&jwt.decode_token(token).unwrap())).unwrap();
    }
    assert_eq!(
        send(&client, "GET", "/protected", Some(&refresh), None).1["msg"],
        "Only non-refresh tokens are allowed"
    );
    assert_eq!(
        send(&client, "GET", "/fresh", Some(&stale), None).1["msg"],
        "Fresh token required"
    );
    assert_eq!(
        send(&client, "GET", "/protected", Some(&stale), None).1["msg"],
        "Token has been revoked"
    );
}

#[test]
fn revoked_answer_can_be_replaced() {
    let fairing = JwtManager::fairing_with(config()).revoked_token_loader(|token| {
        (
            Status::Unauthorized,
            json!({ "revoked_jti": token.claims["jti"] }),
        )
    });
    let client = client_with(fairing);
    let token = jwt(&client).create_access_token("alice").unwrap();
    let decoded = decoded(&client, &token);
    rocket::execute(jwt(&client).revoke(&decoded)).unwrap();
    let (_, body, _) = send(&client, "GET", "/protected", Some(&token), None);
    assert_eq!(body, json!({ "revoked_jti": decoded.jti() }));
}

#[test]
fn memory_store_is_bounded_and_forgets_expired_tokens() {
    let client = client_with(JwtManager::fairing_with(config().blocklist_max_entries(2)));
    let jwt = jwt(&client);
    let tokens: Vec<String> = (0..3)
        .map(|_| jwt.create_access_token("alice").unwrap())
        .collect();
    for token in &tokens[..2] {
        let (status, _, _) = send(&client, "DELETE", "/logout", Some(token), None);
        assert_eq!(status, Status::Ok);
    }
    // Full: the third logout fails closed with 503 and the token stays usable...
    let (status, body, _) = send(&client, "DELETE", "/logout", Some(&tokens[2]), None);
    assert_eq!(
        (status, body),
        (
            Status::ServiceUnavailable,
            json!({ "msg": "Token revocation store unavailable" })
        )
    );

    // ...and entries go once their tokens expire.
    let store = MemoryBlocklist::new(10);
    let short = jwt
        .access_token("a")
        .expires_in(Duration::seconds(1))
        .create()
        .unwrap();
    rocket::execute(store.revoke(&jwt.decode_token(&short).unwrap())).unwrap();
    let expired = jwt
        .access_token("a")
        .expires_in(Duration::seconds(-5))
        .create()
        .unwrap();
    rocket::execute(store.revoke(&jwt.decode_token_allow_expired(&expired).unwrap())).unwrap();
    assert_eq!(store.len(), 1, "an already-expired token is not stored");
    std::thread::sleep(std::time::Duration::from_millis(2100));
    assert!(store.is_empty());
}

/// A store that is down.
struct Down;

#[rocket::async_trait]
impl Blocklist for Down {
    async fn is_revoked(&self, _: &DecodedToken) -> Result<bool, StoreError> {
        Err(StoreError::Unavailable("connection refused".into()))
    }
    async fn revoke(&self, _: &DecodedToken) -> Result<(), StoreError> {
        Err(StoreError::Unavailable("connection refused".into()))
    }
}

#[test]
fn an_unreachable_store_fails_closed_with_503() {
    let client = client_with(JwtManager::fairing_with(config()).blocklist(Down));
    let token = jwt(&client).create_access_token("alice").unwrap();
    let (status, body, challenge) = send(&client, "GET", "/protected", Some(&token), None);
    assert_eq!(
        (status, body),
        (
            Status::ServiceUnavailable,
            json!({ "msg": "Token revocation store unavailable" })
        )
    );
    assert_eq!(challenge, None);
    assert_eq!(
        send(&client, "GET", "/even-if-revoked", Some(&token), None).0,
        Status::Ok
    );
    let refresh = jwt(&client).create_refresh_token("alice").unwrap();
    assert_eq!(
        send(&client, "POST", "/refresh", Some(&refresh), None).0,
        Status::ServiceUnavailable
    );
}

#[test]
fn the_store_is_asked_once_per_request() {
    struct Counting(Arc<std::sync::atomic::AtomicUsize>);
    #[rocket::async_trait]
    impl Blocklist for Counting {
        async fn is_revoked(&self, _: &DecodedToken) -> Result<bool, StoreError> {
            self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            Ok(false)
        }
        async fn revoke(&self, _: &DecodedToken) -> Result<(), StoreError> {
            Ok(())
        }
    }
    let calls = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let client =
        client_with(JwtManager::fairing_with(config()).blocklist(Counting(Arc::clone(&calls))));
    let token = jwt(&client).create_access_token("alice").unwrap();
    // `/protected` has the attribute and a `Jwt` parameter: two guards, one lookup.
    assert_eq!(
        send(&client, "GET", "/protected", Some(&token), None).0,
        Status::Ok
    );
    assert_eq!(calls.load(std::sync::atomic::Ordering::SeqCst), 1);
}

#[test]
fn redis_url_without_reachable_redis_stops_the_launch() {
    let config = Config::default()
        .secret_key(SECRET)
        .redis_url("redis://127.0.0.1:1/0");
    let rocket = rocket::build().attach(JwtManager::fairing_with(config));
    let error = Client::tracked(rocket).unwrap_err();
    assert!(matches!(
        error.kind(),
        rocket::error::ErrorKind::FailedFairings(_)
    ));
}

/// An application's store that checks revocations but cannot rotate.
struct Plain;

#[rocket::async_trait]
impl Blocklist for Plain {
    async fn is_revoked(&self, _: &DecodedToken) -> Result<bool, StoreError> {
        Ok(false)
    }
    async fn revoke(&self, _: &DecodedToken) -> Result<(), StoreError> {
        Ok(())
    }
}

#[test]
fn rotation_with_a_store_that_cannot_rotate_is_503_not_a_silent_fallback() {
    let fairing = JwtManager::fairing_with(config().refresh_token_rotation(true)).blocklist(Plain);
    let client = client_with(fairing);
    let refresh = jwt(&client)
        .create_token_pair("alice", false)
        .unwrap()
        .refresh_token;
    let (status, body, _) = send(&client, "POST", "/rotate", Some(&refresh), None);
    assert_eq!(
        (status, body),
        (
            Status::ServiceUnavailable,
            json!({ "msg": "Token revocation store unavailable" })
        )
    );
    // Without rotation the same route answers Flask's new access token.
    let client = client_with(JwtManager::fairing_with(config()).blocklist(Plain));
    let refresh = jwt(&client)
        .create_token_pair("alice", false)
        .unwrap()
        .refresh_token;
    let (status, body, _) = send(&client, "POST", "/rotate", Some(&refresh), None);
    assert_eq!(status, Status::Ok);
    assert!(
        body["access_token"].is_string() && body.get("refresh_token").is_none(),
        "{body}"
    );
}

#[test]
fn exchange_without_a_sliding_window_is_a_server_error() {
    let client = client();
    let token = jwt(&client).create_access_token("alice").unwrap();
    let response = client.post("/exchange").body(token).dispatch();
    assert_eq!(response.status(), Status::InternalServerError);
    assert_eq!(
        response.into_json::<Value>(),
        Some(json!({ "msg": "Internal Server Error" }))
    );
}

#[test]
fn a_token_without_jti_cannot_be_revoked_and_says_so() {
    let client = client();
    let mut claims = common::valid_claims();
    claims.as_object_mut().unwrap().remove("jti");
    let token = common::sign_claims(&claims);
    assert_eq!(
        send(&client, "GET", "/protected", Some(&token), None).0,
        Status::Ok
    );
    let (status, body, _) = send(&client, "DELETE", "/logout", Some(&token), None);
    assert_eq!(
        (status, body),
        (
            Status::UnprocessableEntity,
            json!({ "msg": "Token has no jti claim and cannot be revoked" })
        )
    );
}

#[test]
fn token_ids_and_login_ids_live_in_separate_namespaces() {
    // A token whose `jti` is a login's id, or the store's old `fam:<id>` key, revokes that
    // token only, never the login.
    let client = client();
    let jwt = jwt(&client);
    let pair = jwt.create_token_pair("alice", false).unwrap();
    let family = decoded(&client, &pair.access_token)
        .family()
        .unwrap()
        .to_owned();
    for jti in [family.clone(), format!("fam:{family}")] {
        let token = jwt
            .access_token("mallory")
            .claim("jti", &jti)
            .create()
            .unwrap();
        let (status, _, _) = send(&client, "DELETE", "/logout", Some(&token), None);
        assert_eq!(status, Status::Ok);
        assert_eq!(
            send(&client, "GET", "/protected", Some(&pair.access_token), None).0,
            Status::Ok,
            "jti {jti}"
        );
    }
}
