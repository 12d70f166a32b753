//! The Redis revocation store against a real `redis-server` each test starts on a free
//! loopback port (and stops): keys with TTLs, two instances sharing revocations, an app
//! restart, and a Redis outage (503) followed by recovery.

mod common;

use std::time::{Duration as StdDuration, Instant};

use common::config;
use jwt_ext::{jwt_required, Jwt, JwtManager};
use jwt_ext_tests::RedisServer;
use rocket::http::{Header, Status};
use rocket::local::blocking::Client;
use rocket::serde::json::{json, Value};
use rocket::{get, routes};

#[jwt_required]
#[get("/protected")]
fn protected(token: Jwt) -> Value {
    json!({ "identity": token.identity() })
}

fn client(redis: &RedisServer) -> Client {
    let config = config().redis_url(redis.url()).redis_key_prefix("test:");
    let rocket = rocket::build()
        .attach(JwtManager::fairing_with(config))
        .mount("/", routes![protected]);
    Client::tracked(rocket).unwrap()
}

fn jwt(client: &Client) -> &JwtManager {
    client.rocket().state::<JwtManager>().unwrap()
}

fn get(client: &Client, token: &str) -> (Status, Value) {
    let response = client
        .get("/protected")
        .header(Header::new("Authorization", format!("Bearer {token}")))
        .dispatch();
    (
        response.status(),
        response.into_json().unwrap_or(Value::Null),
    )
}

fn revoke(client: &Client, token: &str) {
    let jwt = jwt(client);
    rocket::execute(jwt.revoke(&jwt.decode_token(token).unwrap())).unwrap();
}

#[test]
fn revoked_tokens_get_one_key_each_with_the_remaining_lifetime_as_ttl() {
    let redis = RedisServer::start();
    let client = client(&redis);
    let token = jwt(&client).create_access_token("alice").unwrap();
    let jti = jwt(&client)
        .decode_token(&token)
        .unwrap()
        .jti()
        .unwrap()
        .to_owned();
    assert_eq!(get(&client, &token).0, Status::Ok);

    revoke(&client, &token);
    assert_eq!(
        get(&client, &token),
        (
            Status::Unauthorized,
            json!({ "msg": "Token has been revoked" })
        )
    );

    let mut connection = redis.connection();
    let ttl: i64 = redis::cmd("TTL")
        .arg(format!("test:{{{jti}}}:revoked:{jti}"))
        .query(&mut connection)
        .unwrap();
    assert!((895..=900).contains(&ttl), "TTL {ttl}");
    let keys: Vec<String> = redis::cmd("KEYS").arg("*").query(&mut connection).unwrap();
    assert_eq!(keys, [format!("test:{{{jti}}}:revoked:{jti}")]);

    // A refresh token's key lives as long as the refresh token.
    let refresh = jwt(&client).create_refresh_token("alice").unwrap();
    let refresh_jti = jwt(&client)
        .decode_token(&refresh)
        .unwrap()
        .jti()
        .unwrap()
        .to_owned();
    revoke(&client, &refresh);
    let ttl: i64 = redis::cmd("TTL")
        .arg(format!("test:{{{refresh_jti}}}:revoked:{refresh_jti}"))
        .query(&mut connection)
        .unwrap();
    assert!(ttl > 30 * 24 * 3600 - 10, "TTL {ttl}");
}

#[test]
fn a_token_that_never_expires_is_revoked_for_good() {
    let redis = RedisServer::start();
    let client = client(&redis);
    let token = jwt(&client)
        .access_token("alice")
        .never_expires()
        .create()
        .unwrap();
    revoke(&client, &token);
    assert_eq!(get(&client, &token).0, Status::Unauthorized);
    let jti = jwt(&client)
        .decode_token(&token)
        .unwrap()
        .jti()
        .unwrap()
        .to_owned();
    let ttl: i64 = redis::cmd("TTL")
        .arg(format!("test:{{{jti}}}:revoked:{jti}"))
        .query(&mut redis.connection())
        .unwrap();
    assert_eq!(ttl, -1, "no expiry");
}

#[test]
fn two_instances_share_revocations_and_they_survive_an_app_restart() {
    let redis = RedisServer::start();
    let first = client(&redis);
    let second = client(&redis);
    let token = jwt(&first).create_access_token("alice").unwrap();
    assert_eq!(get(&second, &token).0, Status::Ok);

    revoke(&first, &token); // logout on one instance...
                            // ...seen by the other once the push arrives (a millisecond here; at most the bound).
    let revoked = Instant::now();
    while get(&second, &token).0 == Status::Ok {
        assert!(
            revoked.elapsed() < StdDuration::from_millis(1500),
            "never pushed"
        );
        std::thread::sleep(StdDuration::from_millis(2));
    }
    assert_eq!(get(&second, &token).0, Status::Unauthorized);

    drop(first);
    drop(second);
    let restarted = client(&redis);
    assert_eq!(get(&restarted, &token).1["msg"], "Token has been revoked");
}

#[test]
fn redis_down_is_503_and_the_app_recovers_when_it_is_back() {
    let mut redis = RedisServer::start();
    let client = client(&redis);
    let token = jwt(&client).create_access_token("alice").unwrap();
    assert_eq!(get(&client, &token).0, Status::Ok);

    redis.stop();
    let started = Instant::now();
    // The near-cache may answer a token it holds until it notices that its push channel is
    // gone, within `jwt_redis_near_cache_max_stale_ms` (1 s by default); then 503.
    let (status, body) = loop {
        let (status, body) = get(&client, &token);
        if status != Status::Ok {
            break (status, body);
        }
        assert!(
            started.elapsed() < StdDuration::from_millis(1500),
            "answered from the near-cache past its bound"
        );
        std::thread::sleep(StdDuration::from_millis(5));
    };
    assert_eq!(
        (status, body),
        (
            Status::ServiceUnavailable,
            json!({ "msg": "Token revocation store unavailable" })
        )
    );
    assert!(
        started.elapsed() < StdDuration::from_secs(5),
        "a Redis outage must fail fast"
    );
    let (status, _) = get(&client, &token);
    assert_eq!(
        status,
        Status::ServiceUnavailable,
        "never 200 while Redis is down"
    );

    redis.restart();
    // The connection manager reconnects by itself; give it a few requests.
    let deadline = Instant::now() + StdDuration::from_secs(10);
    loop {
        let (status, _) = get(&client, &token);
        if status == Status::Ok {
            break;
        }
        assert_eq!(status, Status::ServiceUnavailable);
        assert!(
            Instant::now() < deadline,
            "did not recover after Redis came back"
        );
        std::thread::sleep(StdDuration::from_millis(100));
    }
    // And revocation works again on the fresh (empty) server.
    revoke(&client, &token);
    assert_eq!(get(&client, &token).0, Status::Unauthorized);
}

#[test]
fn a_token_living_longer_than_redis_can_count_is_revoked_for_good() {
    // `SET ... EX` refuses an expiry past Redis' millisecond clock: such a revocation was a
    // 503 and the token stayed valid.
    let redis = RedisServer::start();
    let client = client(&redis);
    let token = jwt(&client)
        .access_token("alice")
        .claim("exp", 1e15)
        .create()
        .unwrap();
    assert_eq!(get(&client, &token).0, Status::Ok);
    revoke(&client, &token);
    assert_eq!(
        get(&client, &token),
        (
            Status::Unauthorized,
            json!({ "msg": "Token has been revoked" })
        )
    );
    let jti = jwt(&client)
        .decode_token(&token)
        .unwrap()
        .jti()
        .unwrap()
        .to_owned();
    let ttl: i64 = redis::cmd("TTL")
        .arg(format!("test:{{{jti}}}:revoked:{jti}"))
        .query(&mut redis.connection())
        .unwrap();
    assert_eq!(ttl, -1, "no expiry");
}

#[test]
fn bytes_per_revocation_on_redis() {
    // The figure BENCHMARKS.md quotes, from Redis' own accounting.
    let redis = RedisServer::start();
    let client = client(&redis);
    let token = jwt(&client).create_access_token("alice").unwrap();
    revoke(&client, &token);
    let jti = jwt(&client)
        .decode_token(&token)
        .unwrap()
        .jti()
        .unwrap()
        .to_owned();
    let bytes: i64 = redis::cmd("MEMORY")
        .arg("USAGE")
        .arg(format!("test:{{{jti}}}:revoked:{jti}"))
        .query(&mut redis.connection())
        .unwrap();
    println!("one revoked token: {bytes} bytes");
    assert!((60..=200).contains(&bytes), "{bytes} bytes");
}
