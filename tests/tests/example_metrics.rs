//! The `metrics-example` app: after a few requests, `/metrics` shows what jwt-ext counted and
//! timed, in memory and on a Redis that goes away. (Its own test binary: a process has one
//! metrics recorder, and the counters are the process's.)

mod common;

use std::time::{Duration, Instant};

use jwt_ext_tests::RedisServer;
use rocket::figment::Figment;
use rocket::http::{Header, Status};
use rocket::local::blocking::Client;
use rocket::serde::json::{json, Value};

fn client_on(figment: Figment) -> Client {
    let figment = figment.merge(("jwt_secret_key", common::SECRET));
    Client::tracked(metrics_example::rocket_with(figment)).unwrap()
}

fn send(client: &Client, method: &str, path: &str, token: Option<&str>) -> (Status, Value) {
    let (status, body, _) = common::send(client, method.parse().unwrap(), path, token, None);
    (status, body)
}

/// `(access, refresh)` of a new login.
fn login(client: &Client) -> (String, String) {
    let (status, body, _) = common::send(
        client,
        rocket::http::Method::Post,
        "/login",
        None,
        Some(json!({ "username": "test", "password": "test" })),
    );
    assert_eq!(status, Status::Ok, "{body}");
    let token = |name: &str| body[name].as_str().unwrap().to_owned();
    (token("access_token"), token("refresh_token"))
}

/// The scrape, checked for Prometheus' text format.
fn scrape(client: &Client) -> String {
    let response = client.get("/metrics").dispatch();
    assert_eq!(response.status(), Status::Ok);
    let content_type = response.content_type().expect("a content type").to_string();
    assert!(content_type.starts_with("text/plain"), "{content_type}");
    response.into_string().unwrap()
}

/// The value of the series `series` (`name{labels}` as the exporter writes it), 0 when absent.
fn value(text: &str, series: &str) -> f64 {
    text.lines()
        .find_map(|line| line.strip_prefix(series)?.strip_prefix(' '))
        .map_or(0.0, |value| value.trim().parse().expect("a number"))
}

/// Each series of `exactly` has its value in the scrape `text`, each of `at_least` at least its.
fn assert_series(text: &str, exactly: &[(&str, f64)], at_least: &[(&str, f64)]) {
    for (series, expected) in exactly {
        assert_eq!(value(text, series), *expected, "{series} in\n{text}");
    }
    for (series, least) in at_least {
        assert!(
            value(text, series) >= *least,
            "{series} < {least} in\n{text}"
        );
    }
}

#[test]
fn requests_tokens_rotations_and_the_store_are_measured() {
    // In memory, with no reuse grace: the rotated-out token presented again revokes the login.
    let client = client_on(rocket::Config::figment().merge(("jwt_refresh_token_reuse_grace", 0)));
    let (access, refresh) = login(&client);
    for _ in 0..3 {
        assert_eq!(
            send(&client, "GET", "/protected", Some(&access)).0,
            Status::Ok
        );
    }
    assert_eq!(
        send(&client, "GET", "/protected", None).0,
        Status::Unauthorized
    );
    let garbage = client
        .get("/protected")
        .header(Header::new("Authorization", "Bearer not.a.token"))
        .dispatch()
        .status();
    assert_eq!(garbage, Status::UnprocessableEntity);
    let wrong_type = send(&client, "GET", "/protected", Some(&refresh)).0;
    assert_eq!(wrong_type, Status::UnprocessableEntity);
    assert_eq!(
        send(&client, "POST", "/refresh", Some(&refresh)).0,
        Status::Ok
    );
    let reused = send(&client, "POST", "/refresh", Some(&refresh)).0;
    assert_eq!(reused, Status::Unauthorized);

    assert_series(
        &scrape(&client),
        &[
            (r#"jwt_ext_requests_accepted_total{type="access"}"#, 3.0),
            (r#"jwt_ext_requests_refused_total{reason="missing"}"#, 1.0),
            (r#"jwt_ext_requests_refused_total{reason="invalid"}"#, 1.0),
            (
                r#"jwt_ext_requests_refused_total{reason="wrong_type"}"#,
                1.0,
            ),
            // One login and one rotation: two access and two refresh tokens.
            (r#"jwt_ext_tokens_created_total{type="access"}"#, 2.0),
            (r#"jwt_ext_tokens_created_total{type="refresh"}"#, 2.0),
            (r#"jwt_ext_refresh_rotations_total{outcome="rotated"}"#, 1.0),
            ("jwt_ext_refresh_reuse_detected_total", 1.0),
            (
                r#"jwt_ext_sessions_revoked_total{cause="reuse_detected"}"#,
                1.0,
            ),
            // The in-memory store answers in nanoseconds: not timed.
            (
                r#"jwt_ext_revocation_check_seconds_count{result="valid"}"#,
                0.0,
            ),
            ("jwt_ext_revocation_store_available", 1.0),
        ],
        &[
            (r#"jwt_ext_requests_accepted_total{type="refresh"}"#, 1.0),
            // The same token three times: one decode, then the verified-token cache.
            (r#"jwt_ext_token_cache_lookups_total{result="hit"}"#, 2.0),
            (r#"jwt_ext_token_cache_lookups_total{result="miss"}"#, 1.0),
            ("jwt_ext_token_cache_entries", 1.0),
        ],
    );

    // Logout, one session ended, log out everywhere.
    let (access, _) = login(&client);
    assert_eq!(
        send(&client, "DELETE", "/logout", Some(&access)).0,
        Status::Ok
    );
    let (access, _) = login(&client);
    login(&client);
    let (status, sessions) = send(&client, "GET", "/sessions", Some(&access));
    assert_eq!(status, Status::Ok, "{sessions}");
    let other = sessions["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|session| session["current"] == false)
        .expect("another session")["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let ended = send(
        &client,
        "DELETE",
        &format!("/sessions/{other}"),
        Some(&access),
    )
    .0;
    assert_eq!(ended, Status::Ok);
    let everywhere = send(&client, "POST", "/logout-everywhere", Some(&access)).0;
    assert_eq!(everywhere, Status::Ok);
    let after = send(&client, "GET", "/protected", Some(&access)).0;
    assert_eq!(after, Status::Unauthorized);

    let text = scrape(&client);
    assert_series(
        &text,
        &[
            (r#"jwt_ext_sessions_revoked_total{cause="logout"}"#, 1.0),
            (
                r#"jwt_ext_sessions_revoked_total{cause="end_session"}"#,
                1.0,
            ),
            (
                r#"jwt_ext_sessions_revoked_total{cause="logout_everywhere"}"#,
                1.0,
            ),
            (r#"jwt_ext_requests_refused_total{reason="revoked"}"#, 1.0),
        ],
        &[],
    );
    // Nothing secret in a label: no token, no identity.
    assert!(
        !text.contains(&access) && !text.contains("\"test\""),
        "{text}"
    );
    drop(client);

    // On Redis, until it goes away: the near-cache answers repeated checks, then the store is
    // unavailable, the requests are refused with 503 and the gauge says so.
    let mut redis = RedisServer::start();
    let client = client_on(rocket::Config::figment().merge(("jwt_redis_url", redis.url())));
    let (access, _) = login(&client);
    for _ in 0..3 {
        assert_eq!(
            send(&client, "GET", "/protected", Some(&access)).0,
            Status::Ok
        );
    }
    redis.stop();
    let start = Instant::now();
    while send(&client, "GET", "/protected", Some(&access)).0 != Status::ServiceUnavailable {
        assert!(start.elapsed() < Duration::from_secs(5), "still answering");
        std::thread::sleep(Duration::from_millis(20));
    }

    let text = scrape(&client);
    // Redis' round trips are timed, in the example's buckets; the near-cache's answers not.
    let valid = value(
        &text,
        r#"jwt_ext_revocation_check_seconds_count{result="valid"}"#,
    );
    assert!((1.0..4.0).contains(&valid), "{text}");
    let bucket = r#"jwt_ext_revocation_check_seconds_bucket{result="valid",le="0.00005"}"#;
    assert!(text.contains(bucket), "{text}");
    assert_series(
        &text,
        &[("jwt_ext_revocation_store_available", 0.0)],
        &[
            (
                r#"jwt_ext_redis_near_cache_lookups_total{result="hit"}"#,
                1.0,
            ),
            ("jwt_ext_redis_near_cache_entries", 1.0),
            (
                r#"jwt_ext_requests_refused_total{reason="store_unavailable"}"#,
                1.0,
            ),
            (
                r#"jwt_ext_revocation_check_seconds_count{result="error"}"#,
                1.0,
            ),
        ],
    );
}
