//! Exchanging access tokens within `jwt_sliding_refresh_window` (tymon/jwt-auth's
//! `refresh_ttl`): a chain that ends a window after the login, successors that keep the
//! predecessor's claims, the grace for requests in flight, one store entry per chain, and
//! revocations that the exchange can never undo — on the memory store and on Redis.

mod common;

use std::sync::Arc;

use common::SECRET;
use jwt_ext::{jwt_required, Config, Jwt, JwtManager, MemoryBlocklist, RevokeError};
use jwt_ext_tests::RedisServer;
use rocket::http::{Method, Status};
use rocket::local::blocking::Client;
use rocket::serde::json::{json, Value};
use rocket::time::Duration;
use rocket::{delete, get, post, routes};

#[jwt_required]
#[get("/protected")]
fn protected(token: Jwt) -> Value {
    json!({ "identity": token.identity(), "role": token.claims().get("role") })
}

#[jwt_required]
#[delete("/logout")]
async fn logout(jwt: &JwtManager, token: Jwt) -> Result<Value, RevokeError> {
    jwt.logout(&token, None).await?;
    Ok(json!({ "msg": "Successfully logged out" }))
}

#[post("/exchange", data = "<token>")]
async fn exchange(jwt: &JwtManager, token: String) -> Result<String, jwt_ext::RefreshError> {
    jwt.exchange_expired(&token).await
}

/// Access tokens living `access` seconds, exchangeable for `window` seconds after the login.
fn config(access: i64, window: u64) -> Config {
    Config::default()
        .secret_key(SECRET)
        .access_token_expires(jwt_ext::Lifetime::Expires(Duration::seconds(access)))
        .sliding_refresh_window(window)
}

fn client_on(config: Config, store: Option<Arc<MemoryBlocklist>>) -> Client {
    let mut fairing = JwtManager::fairing_with(config);
    if let Some(store) = store {
        fairing = fairing.blocklist(store);
    }
    let rocket = rocket::build()
        .attach(fairing)
        .mount("/", routes![protected, logout, exchange]);
    Client::tracked(rocket).unwrap()
}

fn client(config: Config) -> Client {
    client_on(config, None)
}

fn redis_client(config: Config, redis: &RedisServer) -> Client {
    client(config.redis_url(redis.url()).redis_key_prefix("test:"))
}

fn jwt(client: &Client) -> &JwtManager {
    client.rocket().state::<JwtManager>().unwrap()
}

fn get(client: &Client, token: &str) -> (Status, Value) {
    let (status, body, _) = common::send(client, Method::Get, "/protected", Some(token), None);
    (status, body)
}

fn exchange_token(client: &Client, token: &str) -> Result<String, (Status, Value)> {
    let response = client.post("/exchange").body(token).dispatch();
    let status = response.status();
    let text = response.into_string().unwrap_or_default();
    if status == Status::Ok {
        Ok(text)
    } else {
        Err((status, serde_json::from_str(&text).unwrap_or(Value::Null)))
    }
}

fn logout_with(client: &Client, token: &str) -> Status {
    common::send(client, Method::Delete, "/logout", Some(token), None).0
}

fn revoked() -> (Status, Value) {
    (
        Status::Unauthorized,
        json!({ "msg": "Token has been revoked" }),
    )
}

fn expired() -> (Status, Value) {
    (Status::Unauthorized, json!({ "msg": "Token has expired" }))
}

fn claims(client: &Client, token: &str) -> serde_json::Map<String, Value> {
    jwt(client)
        .decode_token_allow_expired(token)
        .unwrap()
        .claims()
        .clone()
}

/// The attack of the security review: log in, log out, wait until the access token expired,
/// exchange it. The revocation must outlive the exchange window, not just the token's `exp`.
fn logged_out_token_stays_out(client: &Client) {
    let token = jwt(client).create_access_token("alice").unwrap();
    assert_eq!(get(client, &token).0, Status::Ok);
    assert_eq!(logout_with(client, &token), Status::Ok);
    std::thread::sleep(std::time::Duration::from_millis(2100));
    // Another revocation meanwhile: the memory store drops what it no longer needs then.
    // Longer-lived than the test's one-second tokens, which a slow request could outlive.
    let other = jwt(client)
        .access_token("bob")
        .expires_in(Duration::minutes(5))
        .create()
        .unwrap();
    assert_eq!(logout_with(client, &other), Status::Ok);
    assert_eq!(get(client, &token), expired());
    assert_eq!(exchange_token(client, &token), Err(revoked()));
}

#[test]
fn a_logged_out_token_is_not_revived_by_the_exchange_in_memory() {
    logged_out_token_stays_out(&client(config(1, 600)));
}

#[test]
fn a_logged_out_token_is_not_revived_by_the_exchange_on_redis() {
    let redis = RedisServer::start();
    let client = redis_client(config(1, 600), &redis);
    logged_out_token_stays_out(&client);
    // The key lives until the window's end, not the token's.
    let keys: Vec<String> = redis::cmd("KEYS")
        .arg("test:{*}:revoked:*")
        .query(&mut redis.connection())
        .unwrap();
    let ttl: i64 = redis::cmd("TTL")
        .arg(&keys[0])
        .query(&mut redis.connection())
        .unwrap();
    assert!((590..=600).contains(&ttl), "TTL {ttl}");
}

#[test]
fn the_leeway_is_part_of_a_revocations_life() {
    // A token expired a second ago is still accepted with a leeway of 60 s: its revocation
    // must cover the leeway too.
    let store = Arc::new(MemoryBlocklist::new(100));
    let client = client_on(
        Config::default().secret_key(SECRET).decode_leeway(60),
        Some(Arc::clone(&store)),
    );
    let token = jwt(&client)
        .access_token("alice")
        .expires_in(Duration::seconds(-1))
        .create()
        .unwrap();
    assert_eq!(get(&client, &token).0, Status::Ok, "within the leeway");
    assert_eq!(logout_with(&client, &token), Status::Ok);
    assert_eq!(store.len(), 1, "kept although its `exp` has passed");
    assert_eq!(get(&client, &token), revoked());
}

/// A chain of exchanges ends a window after the login, however often it was exchanged.
fn chain_ends_a_window_after_the_login(client: &Client) {
    // The login happened `window - 2` seconds ago: two seconds of the window are left.
    let login = common::now() - 3;
    let first = jwt(client)
        .access_token("alice")
        .claim("iat", login)
        .expires_in(Duration::seconds(-1))
        .create()
        .unwrap();
    let mut token = first;
    for _ in 0..3 {
        token = exchange_token(client, &token).expect("within the window");
        assert_eq!(claims(client, &token)["orig_iat"], login);
        assert_eq!(get(client, &token).0, Status::Ok);
    }
    std::thread::sleep(std::time::Duration::from_millis(3100));
    // The last successor is still a valid token (an access lifetime), but no longer
    // exchangeable: the chain ended with the window.
    assert_eq!(get(client, &token).0, Status::Ok);
    assert_eq!(exchange_token(client, &token), Err(expired()));
}

#[test]
fn a_chain_ends_a_window_after_the_login_in_memory() {
    chain_ends_a_window_after_the_login(&client(config(60, 5)));
}

#[test]
fn a_chain_ends_a_window_after_the_login_on_redis() {
    let redis = RedisServer::start();
    chain_ends_a_window_after_the_login(&redis_client(config(60, 5), &redis));
}

#[test]
fn a_successor_keeps_the_claims_and_the_login_of_its_predecessor() {
    let client = client(config(60, 600));
    let first = jwt(&client)
        .access_token("alice")
        .claim("role", "admin")
        .fresh(true)
        .create()
        .unwrap();
    let first_claims = claims(&client, &first);
    let second = exchange_token(&client, &first).unwrap();
    let second_claims = claims(&client, &second);
    assert_eq!(second_claims["role"], "admin");
    assert_eq!(second_claims["sub"], "alice");
    assert_eq!(
        second_claims["fresh"], false,
        "an exchange is no password login"
    );
    assert_eq!(second_claims["orig_iat"], first_claims["iat"]);
    assert_eq!(second_claims["orig_jti"], first_claims["jti"]);
    assert_eq!(
        second_claims["fam"], first_claims["jti"],
        "the chain is a login"
    );
    assert_ne!(second_claims["jti"], first_claims["jti"]);
    assert_ne!(second_claims["csrf"], first_claims["csrf"]);
    let third = exchange_token(&client, &second).unwrap();
    let third_claims = claims(&client, &third);
    assert_eq!(third_claims["orig_jti"], first_claims["jti"]);
    assert_eq!(third_claims["role"], "admin");
    assert_eq!(
        get(&client, &third).1,
        json!({ "identity": "alice", "role": "admin" })
    );
}

/// Each token of a chain is exchanged once and refused once replaced; a logout ends the chain.
fn each_token_is_exchanged_once(client: &Client) {
    let first = jwt(client).create_access_token("alice").unwrap();
    let second = exchange_token(client, &first).unwrap();
    let third = exchange_token(client, &second).unwrap();
    for old in [&first, &second] {
        assert_eq!(get(client, old), revoked(), "replaced");
        assert_eq!(
            exchange_token(client, old),
            Err(revoked()),
            "exchanged once"
        );
    }
    assert_eq!(get(client, &third).0, Status::Ok);
    assert_eq!(logout_with(client, &third), Status::Ok);
    assert_eq!(get(client, &third), revoked());
    assert_eq!(exchange_token(client, &third), Err(revoked()));
}

#[test]
fn each_token_of_a_chain_is_exchanged_once_in_memory() {
    each_token_is_exchanged_once(&client(config(60, 600)));
}

#[test]
fn each_token_of_a_chain_is_exchanged_once_on_redis() {
    let redis = RedisServer::start();
    each_token_is_exchanged_once(&redis_client(config(60, 600), &redis));
}

/// Requests already in flight with the token just exchanged still pass for the grace; a second
/// exchange of it does not.
fn grace_covers_requests_in_flight(client: &Client) {
    let first = jwt(client).create_access_token("alice").unwrap();
    let second = exchange_token(client, &first).unwrap();
    assert_eq!(get(client, &first).0, Status::Ok, "in the grace");
    assert_eq!(exchange_token(client, &first), Err(revoked()));
    let third = exchange_token(client, &second).unwrap();
    assert_eq!(get(client, &second).0, Status::Ok, "in the grace");
    assert_eq!(get(client, &first), revoked(), "two exchanges ago");
    std::thread::sleep(std::time::Duration::from_millis(2100));
    assert_eq!(get(client, &second), revoked(), "after the grace");
    assert_eq!(get(client, &third).0, Status::Ok);
}

#[test]
fn the_grace_covers_requests_in_flight_in_memory() {
    grace_covers_requests_in_flight(&client(config(60, 600).sliding_refresh_grace(1)));
}

#[test]
fn the_grace_covers_requests_in_flight_on_redis() {
    let redis = RedisServer::start();
    let config = config(60, 600).sliding_refresh_grace(1);
    grace_covers_requests_in_flight(&redis_client(config, &redis));
}

#[test]
fn without_a_grace_an_exchanged_token_is_refused_at_once() {
    let client = client(config(60, 600));
    let first = jwt(&client).create_access_token("alice").unwrap();
    exchange_token(&client, &first).unwrap();
    assert_eq!(get(&client, &first), revoked());
}

#[test]
fn a_logout_with_the_token_just_exchanged_ends_its_grace_and_the_chain() {
    let client = client(config(60, 600).sliding_refresh_grace(60));
    let first = jwt(&client).create_access_token("alice").unwrap();
    let second = exchange_token(&client, &first).unwrap();
    assert_eq!(get(&client, &first).0, Status::Ok, "in the grace");
    assert_eq!(logout_with(&client, &first), Status::Ok);
    assert_eq!(get(&client, &first), revoked());
    assert_eq!(get(&client, &second), revoked(), "the same login");
}

#[test]
fn a_chain_costs_the_memory_store_two_entries_however_long_it_grows() {
    let store = Arc::new(MemoryBlocklist::new(1_000));
    let client = client_on(config(60, 600), Some(Arc::clone(&store)));
    let mut token = jwt(&client).create_access_token("alice").unwrap();
    for _ in 0..200 {
        token = exchange_token(&client, &token).unwrap();
    }
    // The first token's revocation and the chain's state.
    assert_eq!(store.len(), 2);
    assert_eq!(store.len_for("alice"), 2);
    assert_eq!(get(&client, &token).0, Status::Ok);
}

#[test]
fn a_chain_costs_redis_two_keys_however_long_it_grows() {
    let redis = RedisServer::start();
    let client = redis_client(config(60, 600), &redis);
    let mut token = jwt(&client).create_access_token("alice").unwrap();
    for _ in 0..200 {
        token = exchange_token(&client, &token).unwrap();
    }
    let mut keys: Vec<String> = redis::cmd("KEYS")
        .arg("*")
        .query(&mut redis.connection())
        .unwrap();
    keys.sort();
    assert_eq!(keys.len(), 2, "{keys:?}");
    // The chain's state and its first token's revocation, under the chain's login: one slot.
    let tag = keys[0].split(':').nth(1).unwrap().to_owned();
    assert!(
        keys[0].starts_with(&format!("test:{tag}:chain:")),
        "{keys:?}"
    );
    assert!(
        keys[1].starts_with(&format!("test:{tag}:revoked:")),
        "{keys:?}"
    );
    let mut bytes = 0;
    for key in &keys {
        let ttl: i64 = redis::cmd("TTL")
            .arg(key)
            .query(&mut redis.connection())
            .unwrap();
        assert!(ttl > 0, "{key} expires: {ttl}");
        let usage: i64 = redis::cmd("MEMORY")
            .arg("USAGE")
            .arg(key)
            .query(&mut redis.connection())
            .unwrap();
        bytes += usage;
    }
    // The figure BENCHMARKS.md quotes: a chain of any length, in Redis' own accounting.
    println!("one exchange chain: {bytes} bytes in {} keys", keys.len());
    assert!(bytes < 500, "{bytes} bytes");
}

#[test]
fn one_identity_cannot_fill_the_memory_store_for_everyone() {
    let store = Arc::new(MemoryBlocklist::new(100).with_identity_quota(6));
    let client = client_on(config(60, 600), Some(Arc::clone(&store)));
    // A logout costs two entries here: the token, and the exchange chain it may have started.
    for _ in 0..3 {
        let token = jwt(&client).create_access_token("mallory").unwrap();
        assert_eq!(logout_with(&client, &token), Status::Ok);
    }
    assert_eq!(store.len_for("mallory"), 6);
    let token = jwt(&client).create_access_token("mallory").unwrap();
    let (status, body, _) = common::send(&client, Method::Delete, "/logout", Some(&token), None);
    assert_eq!(
        (status, body),
        (
            Status::TooManyRequests,
            json!({ "msg": "Too many revocations for this identity" })
        )
    );
    // The refusal is an answer, not a success: the token still works, and others' logouts too.
    assert_eq!(get(&client, &token).0, Status::Ok);
    let other = jwt(&client).create_access_token("alice").unwrap();
    assert_eq!(logout_with(&client, &other), Status::Ok);
    assert_eq!(get(&client, &other), revoked());
    // An exchange needs entries too; refused the same way, without a new token.
    let fresh = jwt(&client).create_access_token("mallory").unwrap();
    let refused = exchange_token(&client, &fresh).unwrap_err();
    assert_eq!(refused.0, Status::TooManyRequests);
    assert_eq!(store.len_for("mallory"), 6);
}

#[test]
fn the_identity_quota_is_read_from_the_configuration() {
    let config = Config::default()
        .secret_key(SECRET)
        .blocklist_max_entries_per_identity(1)
        .blocklist_max_entries(10);
    let client = client(config);
    let first = jwt(&client).create_access_token("mallory").unwrap();
    assert_eq!(logout_with(&client, &first), Status::Ok);
    let second = jwt(&client).create_access_token("mallory").unwrap();
    assert_eq!(logout_with(&client, &second), Status::TooManyRequests);
}
