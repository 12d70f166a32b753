//! The near-cache in front of the Redis store: a token checked before is answered from memory
//! (Redis sees no command for it), a revocation on another instance is pushed and refused
//! within milliseconds, and when pushes are lost or Redis hangs the cache stops answering
//! within `jwt_redis_near_cache_max_stale_ms`, then comes back by itself.

mod common;

use common::example::{example, launched, refused, refused_within_bound, revoked, send};

use std::time::{Duration, Instant};

use jwt_ext_tests::proxy::{Flow, LossyProxy};
use jwt_ext_tests::RedisServer;
use rocket::http::Status;
use rocket::local::blocking::Client;
use rocket::serde::json::json;

/// One setting's value, as the figment holds it.
type Setting = rocket::figment::value::Value;

/// The bound the tests set, shorter than the default.
const MAX_STALE: Duration = Duration::from_millis(300);

/// How many `MGET`s (the revocation check's one command) Redis has run.
fn checks_on(redis: &RedisServer) -> u64 {
    let info: String = redis::cmd("INFO")
        .arg("commandstats")
        .query(&mut redis.connection())
        .unwrap();
    info.lines()
        .find_map(|line| line.strip_prefix("cmdstat_mget:calls="))
        .and_then(|rest| rest.split(',').next())
        .map_or(0, |calls| calls.parse().unwrap())
}

/// The example on `url` with the tests' bound.
fn instance(url: String) -> Client {
    Client::tracked(example::<Setting>(&[
        ("jwt_redis_url", url.into()),
        (
            "jwt_redis_near_cache_max_stale_ms",
            u64::try_from(MAX_STALE.as_millis()).unwrap().into(),
        ),
    ]))
    .expect("the example launches")
}

fn login(client: &Client) -> String {
    let (status, body) = send(client, "POST", "/login", None);
    assert_eq!(status, Status::Ok, "{body}");
    body["access_token"].as_str().unwrap().to_owned()
}

fn protected(client: &Client, token: &str) -> Status {
    send(client, "GET", "/protected", Some(token)).0
}

/// Asks `client` about `token` until a second ask costs Redis no check: the near-cache holds
/// it and is trusted. Panics after five seconds.
fn until_cached(client: &Client, redis: &RedisServer, token: &str) {
    let start = Instant::now();
    loop {
        assert_eq!(protected(client, token), Status::Ok);
        let before = checks_on(redis);
        assert_eq!(protected(client, token), Status::Ok);
        if checks_on(redis) == before {
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "the near-cache never answered"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_token_checked_before_costs_redis_nothing_and_a_logout_elsewhere_is_pushed() {
    let redis = RedisServer::start();
    let one = launched(&[("jwt_redis_url", redis.url())]);
    let other = launched(&[("jwt_redis_url", redis.url())]);
    let access = login(&one);
    until_cached(&other, &redis, &access);

    let before = checks_on(&redis);
    for _ in 0..50 {
        assert_eq!(protected(&other, &access), Status::Ok);
    }
    assert_eq!(checks_on(&redis), before, "the checks went to Redis");

    // The logout on one instance reaches the other's cache.
    assert_eq!(send(&one, "DELETE", "/logout", Some(&access)).0, Status::Ok);
    let took = refused_within_bound(&other, &access);
    println!("a logout on one instance refused on the other after {took:?}");
    // And the instance that logged out refuses it at once.
    assert_eq!(send(&one, "GET", "/protected", Some(&access)), revoked());
}

#[test]
fn with_the_near_cache_off_every_check_asks_redis() {
    let redis = RedisServer::start();
    let client = Client::tracked(example::<Setting>(&[
        ("jwt_redis_url", redis.url().into()),
        ("jwt_redis_near_cache_size", 0.into()),
    ]))
    .unwrap();
    let access = login(&client);
    let before = checks_on(&redis);
    for _ in 0..20 {
        assert_eq!(protected(&client, &access), Status::Ok);
    }
    assert_eq!(checks_on(&redis), before + 20);
}

#[test]
fn pushes_lost_stop_the_cache_within_its_bound_and_it_resynchronises() {
    let redis = RedisServer::start();
    let proxy = LossyProxy::start(redis.port);
    let one = launched(&[("jwt_redis_url", redis.url())]);
    let other = instance(proxy.url());
    let access = login(&one);
    until_cached(&other, &redis, &access);

    // Redis keeps answering commands, but the subscription hears nothing: the logout's push
    // never arrives. Within the bound the cache stops answering and the check asks Redis.
    proxy.set(Flow::NoPushes);
    assert_eq!(send(&one, "DELETE", "/logout", Some(&access)).0, Status::Ok);
    let took = refused_within_bound(&other, &access);
    println!("a logout whose push was lost refused after {took:?}");
    assert!(
        took < MAX_STALE + Duration::from_millis(300),
        "the lost push went unnoticed for {took:?}, past the bound of {MAX_STALE:?}"
    );
    let valid = login(&one);
    let before = checks_on(&redis);
    assert_eq!(protected(&other, &valid), Status::Ok);
    assert_eq!(protected(&other, &valid), Status::Ok);
    assert_eq!(checks_on(&redis), before + 2, "an untrusted cache answered");

    // Pushes flow again: the instance subscribes again, empties its cache, trusts it again,
    // and hears the next logout.
    proxy.set(Flow::All);
    until_cached(&other, &redis, &valid);
    assert_eq!(send(&other, "GET", "/protected", Some(&access)), revoked());
    assert_eq!(send(&one, "DELETE", "/logout", Some(&valid)).0, Status::Ok);
    let took = refused_within_bound(&other, &valid);
    println!("after the channel came back, a logout refused after {took:?}");
}

#[test]
fn a_hung_redis_turns_cached_answers_into_503s_within_the_bound_then_recovers() {
    let redis = RedisServer::start();
    let proxy = LossyProxy::start(redis.port);
    let client = instance(proxy.url());
    let access = login(&client);
    until_cached(&client, &redis, &access);

    proxy.set(Flow::Held);
    let held = Instant::now();
    let mut last_ok_asked = None;
    loop {
        let asked = held.elapsed();
        let (status, body) = send(&client, "GET", "/protected", Some(&access));
        match status.code {
            200 => last_ok_asked = Some(asked),
            503 => {
                assert_eq!(body, json!({ "msg": "Token revocation store unavailable" }));
                break;
            }
            other => panic!("{other}: {body}"),
        }
        assert!(held.elapsed() < Duration::from_secs(5), "never a 503");
        std::thread::sleep(Duration::from_millis(10));
    }
    println!("Redis hung: cached answers until {last_ok_asked:?}, then 503");
    if let Some(asked) = last_ok_asked {
        assert!(
            asked < MAX_STALE + Duration::from_millis(300),
            "the cache answered {asked:?} after Redis hung, past the bound of {MAX_STALE:?}"
        );
    }

    proxy.set(Flow::All);
    let back = Instant::now();
    while protected(&client, &access) != Status::Ok {
        assert!(back.elapsed() < Duration::from_secs(10), "never recovered");
        std::thread::sleep(Duration::from_millis(50));
    }
    until_cached(&client, &redis, &access);
}

#[test]
fn a_bound_outside_its_range_stops_the_launch() {
    let redis = RedisServer::start();
    let with = |millis: u64| -> Vec<(&str, Setting)> {
        vec![
            ("jwt_redis_url", redis.url().into()),
            ("jwt_redis_near_cache_max_stale_ms", millis.into()),
        ]
    };
    for millis in [0, 10, 60_001] {
        assert!(refused(&with(millis)), "{millis} ms was accepted");
    }
    assert!(!refused(&with(50)));
    // With the near-cache off, the bound means nothing and is not checked.
    let mut off = with(0);
    off.push(("jwt_redis_near_cache_size", 0.into()));
    assert!(!refused(&off));
}
