//! The cache of verified tokens: a hit still checks `exp`/`nbf` and revocation, failures are
//! never cached, and one app's verified tokens are never another's. (The blocking client runs
//! every request on the test's thread, so these tests also go through that thread's own
//! recent hits in front of the shared cache.)

mod common;

use std::time::Duration as StdDuration;

use common::{client, config, get_with_token, manager, now, sign_claims, valid_claims};
use jwt_ext::{Config, JwtManager};
use rocket::http::Status;
use serde_json::json;

#[test]
fn a_cached_token_still_expires() {
    let client = client(config());
    let mut claims = valid_claims();
    claims["exp"] = json!(now() + 1);
    let token = sign_claims(&claims);
    assert_eq!(
        get_with_token(&client, "/protected", &token).status,
        Status::Ok
    );
    assert_eq!(
        get_with_token(&client, "/protected", &token).status,
        Status::Ok
    );
    std::thread::sleep(StdDuration::from_millis(2100));
    let answer = get_with_token(&client, "/protected", &token);
    assert_eq!(
        (answer.status, answer.msg()),
        (Status::Unauthorized, "Token has expired")
    );
}

#[test]
fn a_refusal_is_not_cached() {
    let client = client(config());
    let mut claims = valid_claims();
    claims["nbf"] = json!(now() + 1);
    let token = sign_claims(&claims);
    let answer = get_with_token(&client, "/protected", &token);
    assert_eq!(answer.msg(), "The token is not yet valid (nbf)");
    std::thread::sleep(StdDuration::from_millis(2100));
    assert_eq!(
        get_with_token(&client, "/protected", &token).status,
        Status::Ok
    );
}

#[test]
fn a_cached_token_can_still_be_revoked() {
    let client = client(config());
    let jwt = client.rocket().state::<JwtManager>().unwrap();
    let token = jwt.create_access_token("alice").unwrap();
    assert_eq!(
        get_with_token(&client, "/protected", &token).status,
        Status::Ok
    );
    rocket::execute(jwt.revoke(&jwt.decode_token(&token).unwrap())).unwrap();
    let answer = get_with_token(&client, "/protected", &token);
    assert_eq!(answer.msg(), "Token has been revoked");
}

#[test]
fn a_cached_token_still_passes_each_routes_own_checks() {
    let client = client(config());
    let token = manager(config()).create_refresh_token("alice").unwrap();
    assert_eq!(
        get_with_token(&client, "/refresh", &token).status,
        Status::Ok
    );
    let answer = get_with_token(&client, "/protected", &token);
    assert_eq!(answer.msg(), "Only non-refresh tokens are allowed");
}

#[test]
fn the_cache_can_be_turned_off() {
    let client = client(config().token_cache_size(0));
    let token = manager(config()).create_access_token("alice").unwrap();
    for _ in 0..3 {
        assert_eq!(
            get_with_token(&client, "/protected", &token).status,
            Status::Ok
        );
    }
}

#[test]
fn a_token_one_app_verified_is_not_verified_for_another_app() {
    let trusting = client(config());
    let other = client(Config::default().secret_key("another-secret-that-is-also-32-bytes-long"));
    let token = manager(config()).create_access_token("alice").unwrap();
    for _ in 0..2 {
        assert_eq!(
            get_with_token(&trusting, "/protected", &token).status,
            Status::Ok
        );
    }
    let answer = get_with_token(&other, "/protected", &token);
    assert_eq!(
        (answer.status, answer.msg()),
        (Status::UnprocessableEntity, "Signature verification failed")
    );
    assert_eq!(
        get_with_token(&trusting, "/protected", &token).status,
        Status::Ok
    );
}
