//! The revocation store behind Redis Sentinel (a master, a replica, three sentinels) the test
//! starts on loopback: two instances of `examples/revocation` share logouts, and when the master
//! is killed they follow the promoted replica without a restart — seconds of 503s, never a 200
//! for a logged-out token, and a logout after the failover seen by both.

mod common;

use common::example::{refused_within_bound, refuses_to_launch, revoked, ride_out_failover, send};
use common::SECRET;

use std::time::{Duration, Instant};

use jwt_ext::Config;
use jwt_ext_tests::redis_variants::SentinelSet;
use rocket::http::Status;
use rocket::local::blocking::Client;

fn instance(set: &SentinelSet) -> Client {
    let figment = rocket::Config::figment()
        .merge(("jwt_secret_key", SECRET))
        .merge(("jwt_redis_sentinel_urls", set.urls()))
        .merge(("jwt_redis_sentinel_master", SentinelSet::MASTER_NAME));
    Client::tracked(revocation::rocket_with(figment)).expect("the example launches")
}

fn login(client: &Client) -> String {
    let (status, body) = send(client, "POST", "/login", None);
    assert_eq!(status, Status::Ok, "{body}");
    body["access_token"].as_str().unwrap().to_owned()
}

#[test]
fn a_killed_master_is_followed_to_its_successor_with_no_wrong_200() {
    let mut set = SentinelSet::start();
    let one = instance(&set);
    let other = instance(&set);

    let valid = login(&one);
    let logged_out = login(&one);
    assert_eq!(
        send(&one, "DELETE", "/logout", Some(&logged_out)).0,
        Status::Ok
    );
    assert_eq!(
        send(&other, "GET", "/protected", Some(&logged_out)),
        revoked()
    );
    assert_eq!(
        send(&other, "GET", "/protected", Some(&valid)).0,
        Status::Ok
    );

    set.kill(set.master);
    let (unavailable, back) = ride_out_failover([&one, &other], &logged_out, &valid);
    let back = back.unwrap_or_else(|| {
        panic!(
            "the valid token does not work again; the sentinels name {:?}",
            set.current_master()
        )
    });
    println!("a killed Sentinel master: {unavailable} answers 503, back to 200 after {back:?}");
    assert_eq!(set.current_master(), Some(set.replica));

    // Both instances moved to the new master: a logout on one is refused by the other, and
    // the earlier logout is still there.
    let (status, body) = send(&one, "POST", "/login", None);
    assert_eq!(status, Status::Ok, "{body}");
    let fresh = body["access_token"].as_str().unwrap().to_owned();
    assert_eq!(
        send(&other, "GET", "/protected", Some(&fresh)).0,
        Status::Ok
    );
    assert_eq!(send(&one, "DELETE", "/logout", Some(&fresh)).0, Status::Ok);
    refused_within_bound(&other, &fresh);
    assert_eq!(
        send(&one, "GET", "/protected", Some(&logged_out)),
        revoked()
    );
}

#[test]
fn a_sentinel_list_without_a_master_name_or_beside_another_mode_stops_the_launch() {
    let problem = |config: Config| {
        config
            .secret_key(SECRET)
            .validate(true)
            .unwrap_err()
            .to_string()
    };
    let unnamed =
        problem(Config::default().redis_sentinel_urls(vec!["redis://127.0.0.1:26379".into()]));
    assert!(unnamed.contains("jwt_redis_sentinel_master"), "{unnamed}");
    let alone = problem(Config::default().redis_sentinel_master("mymaster"));
    assert!(alone.contains("jwt_redis_sentinel_urls"), "{alone}");
    let both = problem(
        Config::default()
            .redis_url("redis://127.0.0.1:6379/0")
            .redis_sentinel_urls(vec!["redis://127.0.0.1:26379".into()])
            .redis_sentinel_master("mymaster"),
    );
    assert!(both.contains("choose one Redis deployment"), "{both}");
}

#[test]
fn sentinels_that_do_not_know_the_master_stop_the_launch() {
    let set = SentinelSet::start();
    let figment = rocket::Config::figment()
        .merge(("jwt_secret_key", SECRET))
        .merge(("jwt_redis_sentinel_urls", set.urls()))
        .merge(("jwt_redis_sentinel_master", "no-such-master"));
    assert!(refuses_to_launch(revocation::rocket_with(figment)));
}

#[test]
fn after_a_graceful_failover_writes_follow_the_new_master_without_a_503() {
    let set = SentinelSet::start();
    let one = instance(&set);
    let other = instance(&set);
    let access = login(&one);
    // Both instances hold a connection to the master.
    assert_eq!(send(&one, "GET", "/protected", Some(&access)).0, Status::Ok);
    assert_eq!(
        send(&other, "GET", "/protected", Some(&access)).0,
        Status::Ok
    );

    // The sentinels swap the roles; the old master stays up, as a replica, and the
    // instances' connections to it stay open.
    let answer = set.command(
        set.sentinels[0],
        &["SENTINEL", "FAILOVER", SentinelSet::MASTER_NAME],
    );
    assert!(answer.contains("OK"), "{answer}");
    let started = Instant::now();
    while !(set.current_master() == Some(set.replica)
        && set
            .command(set.master, &["INFO", "replication"])
            .contains("role:slave"))
    {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the failover did not happen"
        );
        std::thread::sleep(Duration::from_millis(50));
    }

    // The logout's write meets READONLY on the demoted node and goes to the new master at
    // once: the client sees 200, and the other instance refuses the token.
    assert_eq!(send(&one, "DELETE", "/logout", Some(&access)).0, Status::Ok);
    refused_within_bound(&other, &access);
    assert_eq!(send(&one, "GET", "/protected", Some(&access)), revoked());
}
