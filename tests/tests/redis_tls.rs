//! The revocation store on Redis as managed services run it, against real servers each test
//! starts on loopback: TLS with a private CA (and what must never connect), ACL users, Valkey's
//! URL schemes and Unix sockets — `examples/revocation` unchanged, configured by its figment.

mod common;

use common::example::{launched, refused, refused_within_bound, send};
use common::SECRET;

use jwt_ext::{Config, RedisBlocklist};
use jwt_ext_tests::redis_variants::{TestCa, TlsRedisServer, UnixRedisServer};
use jwt_ext_tests::RedisServer;
use rocket::http::Status;
use rocket::local::blocking::Client;

/// Logs in on `one`, logs out on `one`, and checks that `other` refuses the logged-out token.
fn logout_is_shared(one: &Client, other: &Client) {
    let (status, body) = send(one, "POST", "/login", None);
    assert_eq!(status, Status::Ok, "{body}");
    let access = body["access_token"].as_str().unwrap().to_owned();
    assert_eq!(
        send(other, "GET", "/protected", Some(&access)).0,
        Status::Ok
    );
    assert_eq!(send(one, "DELETE", "/logout", Some(&access)).0, Status::Ok);
    let took = refused_within_bound(other, &access);
    eprintln!("refused on the other instance after {took:?}");
}

fn tls_settings(url: String, ca: &TestCa) -> Vec<(&'static str, String)> {
    vec![
        ("jwt_redis_url", url),
        ("jwt_redis_tls_ca_file", ca.ca_file().display().to_string()),
    ]
}

#[test]
fn two_instances_share_revocations_over_tls_with_a_private_ca() {
    let ca = TestCa::new("jwt-ext test CA");
    let redis = TlsRedisServer::start(&ca);
    // By name and by address: both are in the server's certificate.
    let one = launched(&tls_settings(redis.url("localhost"), &ca));
    let other = launched(&tls_settings(redis.url("127.0.0.1"), &ca));
    logout_is_shared(&one, &other);

    // `valkeys://` is the same protocol under Valkey's name.
    let valkey = launched(&tls_settings(
        redis.url("localhost").replace("rediss://", "valkeys://"),
        &ca,
    ));
    logout_is_shared(&valkey, &one);
}

#[test]
fn a_server_whose_certificate_does_not_verify_is_never_used() {
    let ca = TestCa::new("jwt-ext test CA");
    let unrelated = TestCa::new("another CA");
    let redis = TlsRedisServer::start(&ca);
    // Signed by a CA the app does not trust.
    assert!(refused(&tls_settings(redis.url("localhost"), &unrelated)));
    // Nor by the system's roots.
    assert!(refused(&[("jwt_redis_url", redis.url("localhost"))]));
    // Plain TCP against the TLS port.
    assert!(refused(&[(
        "jwt_redis_url",
        format!("redis://127.0.0.1:{}/0", redis.port)
    )]));
    // An address the server listens on but its certificate does not name.
    let other_name = redis.url("localhost").replace("localhost", "127.0.0.2");
    assert!(refused(&tls_settings(other_name, &ca)));
}

#[test]
fn turning_certificate_verification_off_is_refused_at_launch() {
    let ca = TestCa::new("jwt-ext test CA");
    let redis = TlsRedisServer::start(&ca);
    let insecure = format!("{}#insecure", redis.url("localhost"));
    assert!(refused(&[("jwt_redis_url", insecure.clone())]));
    let problems = Config::default()
        .secret_key(SECRET)
        .redis_url(insecure)
        .validate(true)
        .unwrap_err();
    assert!(problems.to_string().contains("#insecure"), "{problems}");
}

/// A server with an ACL user `app` (password `app-password`) that may use jwt-ext's keys
/// alone, and no default user.
fn acl_server() -> RedisServer {
    let redis = RedisServer::start();
    let mut admin = redis.connection();
    redis::cmd("ACL")
        .arg(
            &[
                "SETUSER",
                "app",
                "on",
                ">app-password",
                "~jwt-ext:*",
                "&jwt-ext:*",
                "+@all",
            ][..],
        )
        .exec(&mut admin)
        .unwrap();
    redis::cmd("ACL")
        .arg(&["SETUSER", "default", "off"][..])
        .exec(&mut admin)
        .unwrap();
    redis
}

#[test]
fn an_acl_user_with_its_password_shares_revocations_and_a_wrong_password_stops_the_launch() {
    let redis = acl_server();
    let url = |credentials: &str| format!("redis://{credentials}@127.0.0.1:{}/0", redis.port);
    let one = launched(&[("jwt_redis_url", url("app:app-password"))]);
    let other = launched(&[("jwt_redis_url", url("app:app-password"))]);
    logout_is_shared(&one, &other);

    assert!(refused(&[("jwt_redis_url", url("app:wrong-password"))]));
    // The default user is off: no credentials, no store.
    assert!(refused(&[(
        "jwt_redis_url",
        format!("redis://127.0.0.1:{}/0", redis.port)
    )]));
}

#[test]
fn an_acl_user_limited_to_other_keys_cannot_serve_as_the_store() {
    let redis = acl_server();
    let url = format!("redis://app:app-password@127.0.0.1:{}/0", redis.port);
    // Its keys must start with `jwt-ext:`; another prefix is outside what it may touch, which
    // the launch finds out rather than the first request.
    assert!(refused(&[
        ("jwt_redis_url", url.clone()),
        ("jwt_redis_key_prefix", "other:".into()),
    ]));
    let error = rocket::execute(RedisBlocklist::from_config(
        &Config::default()
            .secret_key(SECRET)
            .redis_url(url)
            .redis_key_prefix("other:"),
    ))
    .unwrap_err();
    assert!(error.to_string().contains("no permissions"), "{error}");
}

#[test]
fn valkey_urls_and_unix_sockets_reach_the_same_store() {
    let redis = RedisServer::start();
    let one = launched(&[("jwt_redis_url", redis.url())]);
    let valkey = launched(&[(
        "jwt_redis_url",
        redis.url().replace("redis://", "valkey://"),
    )]);
    logout_is_shared(&one, &valkey);

    let socket = UnixRedisServer::start();
    let clients: Vec<Client> = ["unix", "redis+unix", "valkey+unix"]
        .into_iter()
        .map(|scheme| launched(&[("jwt_redis_url", socket.url(scheme))]))
        .collect();
    logout_is_shared(&clients[0], &clients[1]);
    logout_is_shared(&clients[2], &clients[0]);
}

#[test]
fn inconsistent_tls_settings_stop_the_launch_naming_the_key() {
    let ca = TestCa::new("jwt-ext test CA");
    let problem = |config: Config| {
        config
            .secret_key(SECRET)
            .validate(true)
            .unwrap_err()
            .to_string()
    };
    // A CA file with a URL that is not TLS.
    let plain = problem(
        Config::default()
            .redis_url("redis://127.0.0.1:6379/0")
            .redis_tls_ca_file(ca.ca_file()),
    );
    assert!(plain.contains("jwt_redis_tls_ca_file"), "{plain}");
    assert!(plain.contains("rediss://"), "{plain}");
    // A CA file and no Redis at all.
    let alone = problem(Config::default().redis_tls_ca_file(ca.ca_file()));
    assert!(alone.contains("jwt_redis_tls_ca_file"), "{alone}");
    assert!(alone.contains("no Redis is"), "{alone}");
    // A CA file that cannot be read.
    let missing = problem(
        Config::default()
            .redis_url("rediss://localhost:6379/0")
            .redis_tls_ca_file("/nonexistent/ca.crt"),
    );
    assert!(missing.contains("jwt_redis_tls_ca_file"), "{missing}");
    assert!(missing.contains("cannot be read"), "{missing}");
    // A file without a certificate.
    let not_pem = std::env::temp_dir().join(format!("jwt-ext-not-a-ca-{}", std::process::id()));
    std::fs::write(&not_pem, "just text\n").unwrap();
    let empty = problem(
        Config::default()
            .redis_url("rediss://localhost:6379/0")
            .redis_tls_ca_file(&not_pem),
    );
    let _ = std::fs::remove_file(&not_pem);
    assert!(empty.contains("holds no PEM certificate"), "{empty}");
    // A scheme the store does not speak.
    let http = problem(Config::default().redis_url("http://localhost:6379"));
    assert!(http.contains("jwt_redis_url"), "{http}");
    // The password of a URL never shows in the messages.
    let secret = problem(Config::default().redis_url("ftp://app:hunter2-secret@localhost/"));
    assert!(!secret.contains("hunter2"), "{secret}");
}

#[test]
fn from_config_connects_as_the_fairing_does_and_says_why_it_cannot() {
    let ca = TestCa::new("jwt-ext test CA");
    let unrelated = TestCa::new("another CA");
    let redis = TlsRedisServer::start(&ca);
    let config = |trusted: &TestCa| {
        Config::default()
            .secret_key(SECRET)
            .redis_url(redis.url("localhost"))
            .redis_tls_ca_file(trusted.ca_file())
    };
    let store = rocket::execute(RedisBlocklist::from_config(&config(&ca)));
    assert!(store.is_ok(), "{store:?}");
    let error = rocket::execute(RedisBlocklist::from_config(&config(&unrelated))).unwrap_err();
    assert!(
        error.to_string().to_lowercase().contains("certificate"),
        "{error}"
    );
}
