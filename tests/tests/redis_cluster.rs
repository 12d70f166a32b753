//! The revocation store on a real Redis Cluster (three masters, three replicas) the test starts
//! on loopback: logouts and rotation shared by two instances of `examples/revocation`, keys
//! spread over the cluster's slots, sessions and log-outs everywhere (whose keys live in the
//! identity's slot, not the login's), and a master killed while requests run — seconds of
//! 503s, never a 200 for a revoked token, and recovery without restarting the apps.

mod common;

use common::example::{refused_within_bound, revoked, ride_out_failover, send};
use common::SECRET;

use jwt_ext::{Config, JwtManager};
use jwt_ext_tests::redis_variants::RedisCluster;
use rocket::http::Status;
use rocket::local::blocking::Client;

fn instance(cluster: &RedisCluster) -> Client {
    let figment = rocket::Config::figment()
        .merge(("jwt_secret_key", SECRET))
        .merge(("jwt_redis_cluster_urls", cluster.seeds()));
    Client::tracked(revocation::rocket_with(figment)).expect("the example launches")
}

/// `(access, refresh)` of a new login.
fn login(client: &Client) -> (String, String) {
    let (status, body) = send(client, "POST", "/login", None);
    assert_eq!(status, Status::Ok, "{body}");
    (
        body["access_token"].as_str().unwrap().to_owned(),
        body["refresh_token"].as_str().unwrap().to_owned(),
    )
}

/// The key marking `token`'s login as logged out.
fn login_key(client: &Client, token: &str) -> String {
    let jwt = client.rocket().state::<JwtManager>().unwrap();
    let family = jwt
        .decode_token(token)
        .unwrap()
        .family()
        .unwrap()
        .to_owned();
    format!("jwt-ext:{{{family}}}:family-revoked")
}

#[test]
fn logouts_and_rotation_are_shared_across_instances_and_slots() {
    let cluster = RedisCluster::start();
    let one = instance(&cluster);
    let other = instance(&cluster);

    // Forty logins logged out on one instance, refused on the other; their keys land on
    // every master.
    let mut masters = std::collections::BTreeSet::new();
    for _ in 0..40 {
        let (access, _) = login(&one);
        assert_eq!(
            send(&other, "GET", "/protected", Some(&access)).0,
            Status::Ok
        );
        assert_eq!(send(&one, "DELETE", "/logout", Some(&access)).0, Status::Ok);
        refused_within_bound(&other, &access);
        masters.insert(cluster.master_of(&login_key(&one, &access)));
    }
    assert_eq!(masters.len(), 3, "keys on {masters:?}");

    // Rotation: refreshed on one instance, continued on the other; the reuse of a rotated-out
    // token revokes the login everywhere (the rotation script's keys share one slot).
    let (access, first) = login(&one);
    let (status, body) = send(&other, "POST", "/refresh", Some(&first));
    assert_eq!(status, Status::Ok, "{body}");
    let second = body["refresh_token"].as_str().unwrap().to_owned();
    assert_eq!(send(&one, "POST", "/refresh", Some(&second)).0, Status::Ok);
    assert_eq!(send(&one, "POST", "/refresh", Some(&first)), revoked());
    refused_within_bound(&other, &access);
}

#[test]
fn sessions_and_logging_out_everywhere_work_across_slots() {
    let cluster = RedisCluster::start();
    let one = instance(&cluster);
    let other = instance(&cluster);
    // Logins whose keys land on several masters; the identity's keys on its own.
    let logins: Vec<(String, String)> = (0..6).map(|_| login(&one)).collect();
    for (access, _) in &logins {
        assert_eq!(
            send(&other, "GET", "/protected", Some(access)).0,
            Status::Ok
        );
    }
    let (status, body) = send(&other, "GET", "/sessions", Some(&logins[0].0));
    assert_eq!(status, Status::Ok, "{body}");
    assert_eq!(body["sessions"].as_array().unwrap().len(), 6);

    // One session ended from the other instance, by a token of another session.
    let id = body["sessions"][1]["id"].as_str().unwrap().to_owned();
    let (ended, caller): (Vec<_>, Vec<_>) = logins
        .iter()
        .partition(|(access, _)| login_key(&one, access).contains(&id));
    let caller = &caller[0].0;
    let path = format!("/sessions/{id}");
    assert_eq!(send(&other, "DELETE", &path, Some(caller)).0, Status::Ok);
    refused_within_bound(&one, &ended[0].0);

    // Then every login at once, whichever master holds it.
    let (status, _) = send(&one, "POST", "/logout-everywhere", Some(caller));
    assert_eq!(status, Status::Ok);
    for (access, refresh) in &logins {
        refused_within_bound(&other, access);
        assert_eq!(send(&other, "POST", "/refresh", Some(refresh)), revoked());
    }
    let (after, _) = login(&other);
    assert_eq!(send(&one, "GET", "/protected", Some(&after)).0, Status::Ok);
}

#[test]
fn a_killed_master_costs_seconds_of_503_and_never_a_wrong_200() {
    let mut cluster = RedisCluster::start();
    let one = instance(&cluster);
    let other = instance(&cluster);

    // A valid login and a logged-out one whose keys live on the same master.
    let (valid, _) = login(&one);
    let master = cluster.master_of(&login_key(&one, &valid));
    let logged_out = loop {
        let (access, _) = login(&one);
        if cluster.master_of(&login_key(&one, &access)) == master {
            assert_eq!(send(&one, "DELETE", "/logout", Some(&access)).0, Status::Ok);
            break access;
        }
    };
    assert_eq!(
        send(&other, "GET", "/protected", Some(&logged_out)),
        revoked()
    );

    cluster.kill(master);
    let (unavailable, back) = ride_out_failover([&one, &other], &logged_out, &valid);
    let back = back.unwrap_or_else(|| {
        let port = cluster.running()[0];
        panic!(
            "the valid token does not work again after the replica's promotion:\n{}\n{}",
            cluster.command(port, &["CLUSTER", "NODES"]),
            cluster.command(port, &["CLUSTER", "INFO"])
        )
    });
    println!("a killed master: {unavailable} answers 503, back to 200 after {back:?}");
    assert!(unavailable > 0, "the kill was not noticed");

    // After the failover, a logout on one instance is refused on the other.
    cluster.wait_until_ok(&cluster.running());
    let (access, _) = login(&one);
    assert_eq!(send(&one, "DELETE", "/logout", Some(&access)).0, Status::Ok);
    refused_within_bound(&other, &access);
    assert_eq!(
        send(&one, "GET", "/protected", Some(&logged_out)),
        revoked()
    );
}

#[test]
fn a_slot_moved_while_requests_run_costs_no_503() {
    let cluster = RedisCluster::start();
    let one = instance(&cluster);
    let other = instance(&cluster);
    let valid = login(&one).0;
    let logged_out = login(&one).0;
    assert_eq!(
        send(&one, "DELETE", "/logout", Some(&logged_out)).0,
        Status::Ok
    );
    let key = login_key(&one, &logged_out);
    let from = cluster.master_of(&key);
    let to = *cluster
        .running()
        .iter()
        .find(|port| **port != from && cluster.command(**port, &["ROLE"]).starts_with("master"))
        .unwrap();
    let answers_as_before = || {
        for client in [&one, &other] {
            assert_eq!(
                send(client, "GET", "/protected", Some(&logged_out)),
                revoked()
            );
        }
    };
    let slot = cluster.slot_of(&key);
    cluster.move_slot(slot, from, to, || {
        // The keys are on the new master, the slot still the old one's: Redis answers the
        // check's multi-key read with `TRYAGAIN` until the move ends, and single keys with an
        // `ASK` redirect, which the store follows.
        answers_as_before();
    });
    // The slot is the new master's: the `MOVED` answer is followed.
    answers_as_before();
    assert_eq!(cluster.master_of(&key), to);
    assert_eq!(
        send(&other, "GET", "/protected", Some(&valid)).0,
        Status::Ok
    );
    // Logouts go on working.
    let (status, _) = send(&other, "DELETE", "/logout", Some(&valid));
    assert_eq!(status, Status::Ok);
    assert_eq!(send(&one, "GET", "/protected", Some(&valid)), revoked());
}

#[test]
fn a_cluster_and_a_single_node_together_stop_the_launch() {
    let problems = Config::default()
        .secret_key(SECRET)
        .redis_url("redis://127.0.0.1:6379/0")
        .redis_cluster_urls(vec!["redis://127.0.0.1:7000".into()])
        .validate(true)
        .unwrap_err()
        .to_string();
    assert!(problems.contains("jwt_redis_cluster_urls"), "{problems}");
    let mixed = Config::default()
        .secret_key(SECRET)
        .redis_cluster_urls(vec![
            "redis://127.0.0.1:7000".into(),
            "rediss://127.0.0.1:7001".into(),
        ])
        .validate(true)
        .unwrap_err()
        .to_string();
    assert!(mixed.contains("mixes TLS"), "{mixed}");
    let socket = Config::default()
        .secret_key(SECRET)
        .redis_cluster_urls(vec!["unix:///run/redis.sock".into()])
        .validate(true)
        .unwrap_err()
        .to_string();
    assert!(socket.contains("jwt_redis_cluster_urls"), "{socket}");
}
