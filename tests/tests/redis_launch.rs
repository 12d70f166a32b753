//! Launching while Redis is down: refused by default; with `jwt_redis_required_at_launch =
//! false` the app starts fail-closed (503 on protected routes) and serves from the store as soon
//! as it answers, while what can never work is still refused at launch.

mod common;

use common::example::{example, refused, send};

use std::time::{Duration, Instant};

use jwt_ext_tests::redis_variants::{TestCa, TlsRedisServer};
use jwt_ext_tests::RedisServer;
use rocket::http::Status;
use rocket::local::blocking::Client;
use rocket::serde::json::json;

/// One setting's value, as the figment holds it.
type Setting = rocket::figment::value::Value;

fn fail_closed(url: String) -> Vec<(&'static str, Setting)> {
    vec![
        ("jwt_redis_url", url.into()),
        ("jwt_redis_required_at_launch", false.into()),
    ]
}

#[test]
fn a_store_down_at_launch_refuses_the_launch_unless_the_app_starts_fail_closed() {
    let mut redis = RedisServer::start();
    redis.stop();
    assert!(refused(&[("jwt_redis_url", redis.url())]));

    let client = Client::tracked(example(&fail_closed(redis.url()))).expect("starts fail-closed");
    // A login cannot record its session: 503, not tokens the store knows nothing of.
    assert_eq!(
        send(&client, "POST", "/login", None),
        (
            Status::ServiceUnavailable,
            json!({ "msg": "Token revocation store unavailable" })
        )
    );
    let access = client
        .rocket()
        .state::<jwt_ext::JwtManager>()
        .unwrap()
        .create_access_token("test")
        .unwrap();
    for _ in 0..3 {
        assert_eq!(
            send(&client, "GET", "/protected", Some(&access)),
            (
                Status::ServiceUnavailable,
                json!({ "msg": "Token revocation store unavailable" })
            )
        );
    }
    // A logout cannot be stored either: 503, not a 200 that would be forgotten.
    assert_eq!(
        send(&client, "DELETE", "/logout", Some(&access)).0,
        Status::ServiceUnavailable
    );

    redis.restart();
    let started = Instant::now();
    while send(&client, "GET", "/protected", Some(&access)).0 != Status::Ok {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the store never came into use"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    // From then on it is the shared store: a logout here is refused by another instance.
    let other = Client::tracked(example(&[("jwt_redis_url", redis.url())])).unwrap();
    assert_eq!(
        send(&client, "DELETE", "/logout", Some(&access)).0,
        Status::Ok
    );
    assert_eq!(
        send(&other, "GET", "/protected", Some(&access)),
        (
            Status::Unauthorized,
            json!({ "msg": "Token has been revoked" })
        )
    );
}

#[test]
fn starting_fail_closed_still_refuses_what_can_never_work() {
    // A certificate that does not verify.
    let ca = TestCa::new("jwt-ext test CA");
    let unrelated = TestCa::new("another CA");
    let tls = TlsRedisServer::start(&ca);
    let mut settings = fail_closed(tls.url("localhost"));
    settings.push((
        "jwt_redis_tls_ca_file",
        unrelated.ca_file().display().to_string().into(),
    ));
    assert!(refused(&settings));

    // A wrong password.
    let redis = RedisServer::start();
    let mut admin = redis.connection();
    redis::cmd("CONFIG")
        .arg(&["SET", "requirepass", "the-password"][..])
        .exec(&mut admin)
        .unwrap();
    let wrong = format!("redis://:wrong-password@127.0.0.1:{}/0", redis.port);
    assert!(refused(&fail_closed(wrong)));
    let right = format!("redis://:the-password@127.0.0.1:{}/0", redis.port);
    assert!(!refused(&fail_closed(right)));

    // A URL that is not one.
    assert!(refused(&fail_closed("redis://[::1".into())));
}
