//! The `revocation` example: logout, refresh-token rotation with reuse detection (in memory
//! and on Redis, across instances), and the sliding window.

mod common;

use jwt_ext::JwtManager;
use jwt_ext_tests::RedisServer;
use rocket::figment::Figment;
use rocket::http::{ContentType, Header, Status};
use rocket::local::blocking::Client;
use rocket::serde::json::{json, Value};
use rocket::time::Duration;

const SECRET: &str = "a-test-secret-that-is-at-least-32-bytes-long";

fn client_on(figment: Figment) -> Client {
    let figment = figment.merge(("jwt_secret_key", SECRET));
    Client::tracked(revocation::rocket_with(figment)).unwrap()
}

fn client() -> Client {
    client_on(rocket::Config::figment())
}

fn client_with_grace(grace: u64) -> Client {
    client_on(rocket::Config::figment().merge(("jwt_refresh_token_reuse_grace", grace)))
}

fn redis_client(redis: &RedisServer) -> Client {
    client_on(rocket::Config::figment().merge(("jwt_redis_url", redis.url())))
}

fn send(
    client: &Client,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> (Status, Value) {
    let (status, body, _) = common::send(client, method.parse().unwrap(), path, token, body);
    (status, body)
}

/// `(access, refresh)` of a new login.
fn login(client: &Client) -> (String, String) {
    let (status, body) = send(
        client,
        "POST",
        "/login",
        None,
        Some(json!({ "username": "test", "password": "test" })),
    );
    assert_eq!(status, Status::Ok, "{body}");
    (
        body["access_token"].as_str().unwrap().into(),
        body["refresh_token"].as_str().unwrap().into(),
    )
}

/// The answer of `/exchange` to `token`.
fn exchange(client: &Client, token: &str) -> (Status, Value) {
    send(
        client,
        "POST",
        "/exchange",
        None,
        Some(json!({ "access_token": token })),
    )
}

/// `(access, refresh)` from `/refresh`, or the refusal.
fn refresh(client: &Client, token: &str) -> Result<(String, String), (Status, Value)> {
    match send(client, "POST", "/refresh", Some(token), None) {
        (status, body) if status == Status::Ok => Ok((
            body["access_token"].as_str().unwrap().into(),
            body["refresh_token"].as_str().unwrap().into(),
        )),
        refused => Err(refused),
    }
}

fn jti(client: &Client, token: &str) -> String {
    let jwt = client.rocket().state::<JwtManager>().unwrap();
    jwt.decode_token_allow_expired(token)
        .unwrap()
        .jti()
        .unwrap()
        .to_owned()
}

fn revoked() -> (Status, Value) {
    (
        Status::Unauthorized,
        json!({ "msg": "Token has been revoked" }),
    )
}

#[test]
fn login_protected_and_logout_of_both_tokens() {
    let client = client();
    let (access, refresh_token) = login(&client);
    assert_eq!(
        send(&client, "GET", "/protected", Some(&access), None),
        (Status::Ok, json!({ "logged_in_as": "test" }))
    );
    let (status, body) = send(
        &client,
        "DELETE",
        "/logout",
        Some(&access),
        Some(json!({ "refresh_token": refresh_token })),
    );
    assert_eq!(
        (status, body),
        (Status::Ok, json!({ "msg": "Successfully logged out" }))
    );
    assert_eq!(
        send(&client, "GET", "/protected", Some(&access), None),
        revoked()
    );
    assert_eq!(refresh(&client, &refresh_token).unwrap_err(), revoked());
}

#[test]
fn each_refresh_rotates_and_the_old_token_stops_working() {
    let client = client_with_grace(0);
    let (_, r1) = login(&client);
    let (a2, r2) = refresh(&client, &r1).unwrap();
    assert_ne!(jti(&client, &r1), jti(&client, &r2));
    assert_eq!(
        send(&client, "GET", "/protected", Some(&a2), None).0,
        Status::Ok
    );
    let (_, r3) = refresh(&client, &r2).unwrap();

    // Presenting the rotated-out R1 is reuse: 401, and the whole family goes.
    assert_eq!(refresh(&client, &r1).unwrap_err(), revoked());
    assert_eq!(
        refresh(&client, &r3).unwrap_err(),
        revoked(),
        "the current refresh token"
    );
    assert_eq!(
        send(&client, "GET", "/protected", Some(&a2), None),
        revoked(),
        "the family's access token"
    );

    // Another login is another family, unaffected.
    let (access, refresh_token) = login(&client);
    assert_eq!(
        send(&client, "GET", "/protected", Some(&access), None).0,
        Status::Ok
    );
    assert!(refresh(&client, &refresh_token).is_ok());
}

#[test]
fn within_the_grace_period_the_previous_token_gets_the_same_successor() {
    let client = client_with_grace(30);
    let (_, r1) = login(&client);
    let (_, r2) = refresh(&client, &r1).unwrap();
    let (_, r2_again) = refresh(&client, &r1).unwrap(); // a second tab, at the same moment
    assert_eq!(
        jti(&client, &r2),
        jti(&client, &r2_again),
        "no branch: one current token"
    );
    // Both copies of the successor are the current token.
    let (_, r3) = refresh(&client, &r2_again).unwrap();
    assert!(refresh(&client, &r3).is_ok());
}

#[test]
fn the_grace_period_covers_only_the_previous_token() {
    // R1 → R2 → R3, then R1 inside the grace period: reuse (django-oauth-toolkit #1617).
    let client = client_with_grace(30);
    let (_, r1) = login(&client);
    let (_, r2) = refresh(&client, &r1).unwrap();
    let (_, r3) = refresh(&client, &r2).unwrap();
    assert_eq!(refresh(&client, &r1).unwrap_err(), revoked());
    assert_eq!(refresh(&client, &r3).unwrap_err(), revoked());
}

/// Four `/refresh` requests with `token` in flight at once; the statuses and bodies.
async fn concurrent_refreshes(figment: Figment, count: usize) -> (Vec<(Status, Value)>, String) {
    use rocket::local::asynchronous::Client;
    let figment = figment.merge(("jwt_secret_key", SECRET));
    let client = Client::tracked(revocation::rocket_with(figment))
        .await
        .unwrap();
    let response = client
        .post("/login")
        .header(ContentType::JSON)
        .body(r#"{"username": "test", "password": "test"}"#)
        .dispatch()
        .await;
    let body: Value = response.into_json().await.unwrap();
    let r1 = body["refresh_token"].as_str().unwrap().to_owned();
    let requests = (0..count).map(|_| {
        client
            .post("/refresh")
            .header(Header::new("Authorization", format!("Bearer {r1}")))
            .dispatch()
    });
    let mut outcomes = Vec::new();
    for response in rocket::futures::future::join_all(requests).await {
        let status = response.status();
        outcomes.push((status, response.into_json().await.unwrap_or(Value::Null)));
    }
    // After the race: can the winner's successor still be used?
    let winner = outcomes
        .iter()
        .find(|(status, _)| *status == Status::Ok)
        .cloned();
    let after = match winner {
        Some((_, body)) => {
            let successor = body["refresh_token"].as_str().unwrap().to_owned();
            let response = client
                .post("/refresh")
                .header(Header::new("Authorization", format!("Bearer {successor}")))
                .dispatch()
                .await;
            response.into_string().await.unwrap_or_default()
        }
        None => String::new(),
    };
    (outcomes, after)
}

#[rocket::async_test]
async fn concurrent_refreshes_without_grace_leave_one_winner_and_revoke_the_family() {
    let figment = rocket::Config::figment().merge(("jwt_refresh_token_reuse_grace", 0));
    let (outcomes, after) = concurrent_refreshes(figment, 4).await;
    let winners = outcomes
        .iter()
        .filter(|(status, _)| *status == Status::Ok)
        .count();
    assert_eq!(winners, 1, "{outcomes:?}");
    for (status, body) in outcomes.iter().filter(|(status, _)| *status != Status::Ok) {
        assert_eq!((*status, body.clone()), revoked());
    }
    assert_eq!(
        after, r#"{"msg":"Token has been revoked"}"#,
        "the losers revoked the family"
    );
}

#[test]
fn rotated_refresh_tokens_never_outlive_the_login() {
    let client = client();
    let jwt = client.rocket().state::<JwtManager>().unwrap();
    let (_, r1) = login(&client);
    let family_end = jwt.decode_token(&r1).unwrap().claims()["fam_exp"]
        .as_i64()
        .unwrap();
    let (_, r2) = refresh(&client, &r1).unwrap();
    let claims = jwt.decode_token(&r2).unwrap().claims().clone();
    assert_eq!(claims["fam_exp"].as_i64(), Some(family_end));
    assert!(claims["exp"].as_i64().unwrap() <= family_end);
    assert_eq!(
        claims["fam"],
        jwt.decode_token(&r1).unwrap().claims()["fam"]
    );
}

#[test]
fn sliding_window_exchanges_an_expired_token_once() {
    let client = client();
    let jwt = client.rocket().state::<JwtManager>().unwrap();
    let expired = jwt
        .access_token("test")
        .expires_in(Duration::seconds(-60))
        .create()
        .unwrap();
    assert_eq!(
        send(&client, "GET", "/protected", Some(&expired), None).1["msg"],
        "Token has expired"
    );

    let (status, body) = exchange(&client, &expired);
    assert_eq!(status, Status::Ok, "{body}");
    let fresh = body["access_token"].as_str().unwrap();
    assert_eq!(
        send(&client, "GET", "/protected", Some(fresh), None).0,
        Status::Ok
    );

    let again = exchange(&client, &expired);
    assert_eq!(again, revoked(), "a token is exchanged once");

    // Past the window (counted from iat): expired for good.
    let old = jwt
        .access_token("test")
        .additional_claims(
            json!({ "iat": rocket::time::OffsetDateTime::now_utc().unix_timestamp() - 90_000 }),
        )
        .expires_in(Duration::seconds(-60))
        .create()
        .unwrap();
    let (status, body) = exchange(&client, &old);
    assert_eq!(
        (status, body),
        (Status::Unauthorized, json!({ "msg": "Token has expired" }))
    );
    // Refresh tokens and forgeries are not exchanged.
    let refresh_token = jwt.create_token_pair("test", false).unwrap().refresh_token;
    let (status, _) = exchange(&client, &refresh_token);
    assert_eq!(status, Status::UnprocessableEntity);
    let (status, _) = exchange(&client, "x.y.z");
    assert_eq!(status, Status::UnprocessableEntity);
}

#[test]
fn rotation_and_reuse_detection_work_across_instances_on_redis() {
    let redis = RedisServer::start();
    let first = redis_client(&redis);
    let second = redis_client(&redis);
    let (a1, r1) = login(&first);
    let (_, r2) = refresh(&second, &r1).unwrap(); // rotated on the second instance
    assert!(refresh(&first, &r2).is_ok()); // continued on the first
                                           // Reuse of R1 on the first instance revokes the family everywhere.
    assert_eq!(refresh(&first, &r1).unwrap_err(), revoked());
    assert_eq!(
        send(&second, "GET", "/protected", Some(&a1), None),
        revoked()
    );

    // The sliding window's "once" holds across instances too.
    let jwt = first.rocket().state::<JwtManager>().unwrap();
    let expired = jwt
        .access_token("test")
        .expires_in(Duration::seconds(-5))
        .create()
        .unwrap();
    assert_eq!(exchange(&first, &expired).0, Status::Ok);
    assert_eq!(exchange(&second, &expired), revoked());
}

#[rocket::async_test]
async fn concurrent_refreshes_on_redis_leave_one_winner() {
    let redis = RedisServer::start();
    let figment = rocket::Config::figment()
        .merge(("jwt_redis_url", redis.url()))
        .merge(("jwt_refresh_token_reuse_grace", 0));
    let (outcomes, after) = concurrent_refreshes(figment, 4).await;
    let winners = outcomes
        .iter()
        .filter(|(status, _)| *status == Status::Ok)
        .count();
    assert_eq!(winners, 1, "{outcomes:?}");
    assert_eq!(after, r#"{"msg":"Token has been revoked"}"#);
}

#[rocket::async_test]
async fn concurrent_refreshes_within_grace_all_get_the_same_successor() {
    let figment = rocket::Config::figment().merge(("jwt_refresh_token_reuse_grace", 30));
    let (outcomes, _) = concurrent_refreshes(figment, 3).await;
    assert!(
        outcomes.iter().all(|(status, _)| *status == Status::Ok),
        "{outcomes:?}"
    );
    let jwt = JwtManager::new(jwt_ext::Config::default().secret_key(SECRET)).unwrap();
    let jtis: Vec<String> = outcomes
        .iter()
        .map(|(_, body)| {
            let token = jwt
                .decode_token(body["refresh_token"].as_str().unwrap())
                .unwrap();
            token.jti().unwrap().to_owned()
        })
        .collect();
    assert!(jtis.windows(2).all(|pair| pair[0] == pair[1]), "{jtis:?}");
}

#[test]
fn a_logout_ends_the_reuse_grace() {
    // Found by the security review: after a rotation and a logout, the previous refresh token
    // still gave working tokens within the grace.
    let client = client_with_grace(30);
    let (_, r1) = login(&client);
    let (a2, r2) = refresh(&client, &r1).unwrap();
    let (status, _) = send(
        &client,
        "DELETE",
        "/logout",
        Some(&a2),
        Some(json!({ "refresh_token": r2 })),
    );
    assert_eq!(status, Status::Ok);
    assert_eq!(refresh(&client, &r1).unwrap_err(), revoked());
    assert_eq!(refresh(&client, &r2).unwrap_err(), revoked());
}

#[test]
fn a_logout_revokes_every_token_of_the_login_and_its_exchanges() {
    let client = client();
    let (a1, r1) = login(&client);
    let (a2, _) = refresh(&client, &r1).unwrap();
    let exchanged = exchange(&client, &a1);
    assert_eq!(exchanged.0, Status::Ok, "{}", exchanged.1);
    let a3 = exchanged.1["access_token"].as_str().unwrap().to_owned();
    // Log out with the newest access token alone (no body).
    let (status, _) = send(&client, "DELETE", "/logout", Some(&a2), None);
    assert_eq!(status, Status::Ok);
    for token in [&a1, &a2, &a3] {
        assert_eq!(
            send(&client, "GET", "/protected", Some(token), None),
            revoked()
        );
        let again = exchange(&client, token);
        assert_eq!(again, revoked(), "no exchange after the logout");
    }
}

#[test]
fn a_logout_body_that_names_no_refresh_token_is_refused_and_revokes_nothing() {
    let client = client();
    let (access, refresh_token) = login(&client);
    let refused = (
        Status::BadRequest,
        json!({ "msg": "The body must be {\"refresh_token\": \"<token>\"}" }),
    );
    for body in [
        "not json",
        "{\"refresh_token\": 5}",
        "{\"refresh\": \"x\"}",
        "[]",
    ] {
        let response = client
            .delete("/logout")
            .header(Header::new("Authorization", format!("Bearer {access}")))
            .header(ContentType::JSON)
            .body(body)
            .dispatch();
        let status = response.status();
        let answer = response.into_json::<Value>().unwrap();
        assert_eq!((status, answer), refused, "{body}");
    }
    assert_eq!(
        send(&client, "GET", "/protected", Some(&access), None).0,
        Status::Ok
    );
    assert!(refresh(&client, &refresh_token).is_ok());
}

#[test]
fn a_logout_on_redis_is_one_key_that_ends_the_whole_login() {
    let redis = RedisServer::start();
    let client = redis_client(&redis);
    let (a1, r1) = login(&client);
    let (a2, r2) = refresh(&client, &r1).unwrap();
    let (status, _) = send(
        &client,
        "DELETE",
        "/logout",
        Some(&a2),
        Some(json!({ "refresh_token": r2 })),
    );
    assert_eq!(status, Status::Ok);
    let other = redis_client(&redis);
    assert_eq!(
        send(&other, "GET", "/protected", Some(&a1), None),
        revoked()
    );
    let keys: Vec<String> = redis::cmd("KEYS")
        .arg("*:family-revoked")
        .query(&mut redis.connection())
        .unwrap();
    assert_eq!(keys.len(), 1, "{keys:?}");
    let ttl: i64 = redis::cmd("TTL")
        .arg(&keys[0])
        .query(&mut redis.connection())
        .unwrap();
    // The login's end (30 days) plus an exchange window (a day) and an access lifetime.
    assert!(ttl > 31 * 24 * 3600, "TTL {ttl}");
}

/// The security review's attack on this example as it ships, in memory and on Redis: log in,
/// log out, wait until the access token has expired, exchange it. The exchange must refuse it,
/// and the chain must not give the login back.
fn a_logged_out_token_stays_out_after_it_expires(client: &Client) {
    let (access, _) = login(client);
    let (status, _) = send(client, "DELETE", "/logout", Some(&access), None);
    assert_eq!(status, Status::Ok);
    std::thread::sleep(std::time::Duration::from_millis(2100));
    let exchanged = exchange(client, &access);
    assert_eq!(exchanged, revoked());
}

fn short_lived() -> Figment {
    rocket::Config::figment().merge(("jwt_access_token_expires", 1))
}

#[test]
fn the_example_does_not_revive_a_logged_out_token_in_memory() {
    a_logged_out_token_stays_out_after_it_expires(&client_on(short_lived()));
}

#[test]
fn the_example_does_not_revive_a_logged_out_token_on_redis() {
    let redis = RedisServer::start();
    let client = client_on(short_lived().merge(("jwt_redis_url", redis.url())));
    a_logged_out_token_stays_out_after_it_expires(&client);
}
