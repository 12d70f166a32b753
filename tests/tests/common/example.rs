//! `examples/revocation` as the Redis deployment tests run it: launched on settings, asked as
//! a client would, and watched through a failover.

use std::time::{Duration, Instant};

use rocket::figment::value::Value as Setting;
use rocket::http::Status;
use rocket::local::blocking::Client;
use rocket::serde::json::{json, Value};
use rocket::{Build, Rocket};

use super::SECRET;

/// The example on `settings`, merged over Rocket's figment with the test secret.
pub(crate) fn example<T: Clone + Into<Setting>>(settings: &[(&str, T)]) -> Rocket<Build> {
    let mut figment = rocket::Config::figment().merge(("jwt_secret_key", SECRET));
    for (key, value) in settings {
        figment = figment.merge((*key, value.clone().into()));
    }
    revocation::rocket_with(figment)
}

/// The example launched on `settings`.
pub(crate) fn launched<T: Clone + Into<Setting>>(settings: &[(&str, T)]) -> Client {
    Client::tracked(example(settings)).expect("the example launches")
}

/// Whether `rocket` refuses to launch, with jwt-ext's fairing as the reason.
pub(crate) fn refuses_to_launch(rocket: Rocket<Build>) -> bool {
    match Client::tracked(rocket) {
        Ok(_) => false,
        Err(error) => match error.kind() {
            rocket::error::ErrorKind::FailedFairings(failed) => {
                failed.iter().any(|fairing| fairing.name == "jwt-ext")
            }
            other => panic!("the launch failed for another reason: {other:?}"),
        },
    }
}

/// Whether the example refuses to launch on `settings`.
pub(crate) fn refused<T: Clone + Into<Setting>>(settings: &[(&str, T)]) -> bool {
    refuses_to_launch(example(settings))
}

/// `method path` with the token; `/login` gets the example user's credentials.
pub(crate) fn send(
    client: &Client,
    method: &str,
    path: &str,
    token: Option<&str>,
) -> (Status, Value) {
    let body = (path == "/login").then(|| json!({ "username": "test", "password": "test" }));
    let (status, body, _) = super::send(client, method.parse().unwrap(), path, token, body);
    (status, body)
}

/// The answer to a revoked token.
pub(crate) fn revoked() -> (Status, Value) {
    (
        Status::Unauthorized,
        json!({ "msg": "Token has been revoked" }),
    )
}

/// After a master was killed: asks both instances about `logged_out` (never a 200: 401, or a
/// 503 with its body) and one about `valid`, until `valid` works again after at least one 503,
/// for at most 30 seconds. The number of 503s `valid` got and when it worked again, `None` if
/// it did not.
pub(crate) fn ride_out_failover(
    instances: [&Client; 2],
    logged_out: &str,
    valid: &str,
) -> (usize, Option<Duration>) {
    let killed = Instant::now();
    let mut unavailable = 0;
    while killed.elapsed() < Duration::from_secs(30) {
        for client in instances {
            let (status, body) = send(client, "GET", "/protected", Some(logged_out));
            assert_ne!(
                status,
                Status::Ok,
                "a logged-out token was let through: {body}"
            );
            if status == Status::ServiceUnavailable {
                assert_eq!(body, json!({ "msg": "Token revocation store unavailable" }));
            } else {
                assert_eq!((status, body), revoked());
            }
        }
        // Compared by code: `Status` is not usable as a pattern.
        match send(instances[1], "GET", "/protected", Some(valid)).0.code {
            200 if unavailable > 0 => return (unavailable, Some(killed.elapsed())),
            200 => {}
            503 => unavailable += 1,
            other => panic!("the valid token answered {other}"),
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    (unavailable, None)
}

/// How long a revocation made on another instance takes to be refused here: asks `client`
/// about `token` until it answers the revoked token's 401, for at most the near-cache's
/// default bound (`jwt_redis_near_cache_max_stale_ms`) and a margin. Panics if it never does,
/// or if it answers anything but 200 or that 401 meanwhile.
pub(crate) fn refused_within_bound(client: &Client, token: &str) -> Duration {
    let start = Instant::now();
    loop {
        let (status, body) = send(client, "GET", "/protected", Some(token));
        if (status, body.clone()) == revoked() {
            return start.elapsed();
        }
        assert_eq!(status, Status::Ok, "{body}");
        assert!(
            start.elapsed() < Duration::from_millis(1500),
            "still accepted {:?} after the revocation",
            start.elapsed()
        );
        std::thread::sleep(Duration::from_millis(2));
    }
}
