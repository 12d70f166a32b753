//! Wire compatibility with the real Flask-JWT-Extended, both ways: tokens it mints are accepted
//! here, tokens minted here decode there with the same claims.
//!
//! The vendored vectors need nothing. The live round trip runs Flask-JWT-Extended 4.7.4 from a
//! virtualenv under cargo's target directory, created on first use with `python3 -m venv` and
//! `pip install` (set `JWT_EXT_FLASK_PYTHON` to use another interpreter that has it, and
//! redis-py). With a `redis-server` beside them, a Flask app and a jwt-ext app share one
//! revocation store, each refusing what the other revoked.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use common::{client, config, get_with_token, manager, post_with_token};
use jwt_ext::{Config, JwtManager};
use rocket::http::{Cookie, Header, Status};
use rocket::local::blocking::Client;
use rocket::time::Duration;
use serde_json::{json, Value};

const FLASK_JWT_EXTENDED: &str = "flask-jwt-extended==4.7.4";
/// redis-py, for the Flask side of the shared revocation store.
const REDIS_PY: &str = "redis==5.2.1";

fn vectors() -> Value {
    let text = include_str!("../vectors/flask-jwt-extended-4.7.4.json");
    serde_json::from_str(text).unwrap()
}

fn vector_config() -> Config {
    Config::default().secret_key(vectors()["secret"].as_str().unwrap())
}

#[test]
fn vendored_flask_tokens_are_accepted() {
    let vectors = vectors();
    let tokens = &vectors["tokens"];
    let token = |name: &str| tokens[name].as_str().unwrap().to_owned();
    let client = client(vector_config());

    let answer = get_with_token(&client, "/protected", &token("access_never_expires"));
    assert_eq!(answer.body, json!({ "identity": "alice", "fresh": false }));
    let answer = get_with_token(&client, "/fresh", &token("fresh_access_never_expires"));
    assert_eq!(answer.status, Status::Ok);
    let answer = get_with_token(&client, "/fresh", &token("access_never_expires"));
    assert_eq!(answer.msg(), "Fresh token required");
    let answer = post_with_token(&client, "/refresh", &token("refresh_never_expires"));
    assert_eq!(answer.body["identity"], "alice");
    let answer = get_with_token(&client, "/protected", &token("refresh_never_expires"));
    assert_eq!(answer.msg(), "Only non-refresh tokens are allowed");
    let answer = get_with_token(&client, "/claims", &token("with_claims_never_expires"));
    assert_eq!(answer.body["claims"]["role"], "admin");
    assert_eq!(answer.body["claims"]["tenant"], 7);
    assert_eq!(answer.body["header"]["kid"], "k1");
    let answer = get_with_token(&client, "/protected", &token("expired"));
    assert_eq!(
        (answer.status, answer.msg()),
        (Status::Unauthorized, "Token has expired")
    );

    // The same tokens under another secret fail the signature.
    let answer = get_with_token(
        &common::client(config()),
        "/protected",
        &token("access_never_expires"),
    );
    assert_eq!(answer.msg(), "Signature verification failed");
}

/// An interpreter with Flask-JWT-Extended, provisioning a virtualenv on first use.
fn python() -> &'static Path {
    static PYTHON: OnceLock<PathBuf> = OnceLock::new();
    PYTHON.get_or_init(|| {
        if let Some(python) = std::env::var_os("JWT_EXT_FLASK_PYTHON") {
            return PathBuf::from(python);
        }
        let venv = Path::new(env!("CARGO_TARGET_TMPDIR")).join("flask-venv");
        let python = venv.join("bin/python");
        let ready = Command::new(&python)
            .args(["-c", "import flask_jwt_extended, redis"])
            .output()
            .is_ok_and(|out| out.status.success());
        if !ready {
            run(Command::new("python3").args(["-m", "venv"]).arg(&venv));
            run(Command::new(&python).args([
                "-m",
                "pip",
                "install",
                "--quiet",
                FLASK_JWT_EXTENDED,
                REDIS_PY,
            ]));
        }
        python
    })
}

fn run(command: &mut Command) {
    let program = command.get_program().to_string_lossy().into_owned();
    let output = command
        .output()
        .unwrap_or_else(|error| panic!("{}", jwt_ext_tests::cannot_run(&program, &error)));
    let stderr = String::from_utf8_lossy(&output.stderr);
    // Debian's python3 makes no virtualenv without its `python3-venv` package.
    assert!(
        output.status.success() || !stderr.contains("ensurepip"),
        "python3 cannot make a virtualenv: `apt-get install python3-venv`, or run `cargo xtask \
         test`, which installs what the tests need and runs them"
    );
    assert!(
        output.status.success(),
        "{command:?} failed (needs python3 and PyPI to install {FLASK_JWT_EXTENDED}):\n{stderr}"
    );
}

fn flask(args: &[&str]) -> Value {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("flask/compat.py");
    let output = Command::new(python())
        .arg(script)
        .args(args)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn tokens_minted_by_flask_now_are_accepted() {
    let minted = flask(&["mint", common::SECRET]);
    let token = |name: &str| minted[name].as_str().unwrap().to_owned();
    let client = client(config());

    let answer = get_with_token(&client, "/protected", &token("access"));
    assert_eq!(answer.body, json!({ "identity": "alice", "fresh": false }));
    assert_eq!(
        get_with_token(&client, "/fresh", &token("fresh_access")).status,
        Status::Ok
    );
    assert_eq!(
        get_with_token(&client, "/fresh", &token("fresh_for_an_hour")).status,
        Status::Ok
    );
    assert_eq!(
        get_with_token(&client, "/fresh", &token("access")).msg(),
        "Fresh token required"
    );
    assert_eq!(
        post_with_token(&client, "/refresh", &token("refresh")).body["identity"],
        "alice"
    );
    assert_eq!(
        get_with_token(&client, "/refresh", &token("access")).msg(),
        "Only refresh tokens are allowed"
    );
    assert_eq!(
        get_with_token(&client, "/protected", &token("never_expires")).status,
        Status::Ok
    );
    assert_eq!(
        get_with_token(&client, "/protected", &token("expired")).msg(),
        "Token has expired"
    );
    let answer = get_with_token(&client, "/claims", &token("with_claims"));
    assert_eq!(answer.body["claims"]["role"], "admin");
    assert_eq!(answer.body["header"]["kid"], "k1");
}

#[test]
fn tokens_minted_here_decode_in_flask_with_the_same_claims() {
    let jwt: JwtManager = manager(config());
    let tokens = [
        jwt.access_token("alice").fresh(true).create().unwrap(),
        jwt.access_token("alice")
            .fresh(Duration::minutes(5))
            .create()
            .unwrap(),
        jwt.create_refresh_token("alice").unwrap(),
        jwt.access_token("alice").never_expires().create().unwrap(),
        jwt.access_token("alice")
            .additional_claims(json!({ "role": "admin", "tenant": 7 }))
            .header("kid", "k1")
            .create()
            .unwrap(),
    ];
    for token in &tokens {
        let decoded = flask(&["decode", common::SECRET, token]);
        let ours = jwt.decode_token(token).unwrap();
        assert_eq!(
            decoded["claims"],
            Value::Object(ours.claims().clone()),
            "{decoded}"
        );
    }

    let expired = jwt
        .access_token("a")
        .expires_in(Duration::seconds(-5))
        .create()
        .unwrap();
    let decoded = flask(&["decode", common::SECRET, &expired]);
    assert_eq!(
        decoded["error"],
        "ExpiredSignatureError: Signature has expired"
    );

    let decoded = flask(&[
        "decode",
        "some-other-secret-of-at-least-32-bytes",
        &tokens[0],
    ]);
    assert_eq!(
        decoded["error"],
        "InvalidSignatureError: Signature verification failed"
    );
}

/// The `Set-Cookie` headers of a login, parsed.
fn parse_cookies(headers: impl IntoIterator<Item = String>) -> Vec<Cookie<'static>> {
    headers
        .into_iter()
        .map(|header| Cookie::parse(header).expect("a valid Set-Cookie"))
        .collect()
}

#[test]
fn browser_sessions_cross_between_flask_and_jwt_ext() {
    // Flask's login cookies, replayed by a browser against a jwt-ext app on cookies.
    let flask_login = flask(&["cookies", common::SECRET]);
    let flask_cookies = parse_cookies(
        flask_login["set_cookie"]
            .as_array()
            .unwrap()
            .iter()
            .map(|header| header.as_str().unwrap().to_owned()),
    );
    let cookie_config = config().token_location("cookies".parse().unwrap());
    let client = Client::untracked(common::rocket_with(cookie_config.clone())).unwrap();
    let value = |name: &str| {
        flask_cookies
            .iter()
            .find(|cookie| cookie.name() == name)
            .unwrap_or_else(|| panic!("Flask set no `{name}`"))
            .value()
            .to_owned()
    };
    let response = client
        .post("/refresh")
        .cookie(Cookie::new(
            "refresh_token_cookie",
            value("refresh_token_cookie"),
        ))
        .header(Header::new("X-CSRF-TOKEN", value("csrf_refresh_token")))
        .dispatch();
    assert_eq!(response.status(), Status::Ok);
    let response = client
        .get("/protected")
        .cookie(Cookie::new(
            "access_token_cookie",
            value("access_token_cookie"),
        ))
        .dispatch();
    assert_eq!(response.status(), Status::Ok);

    // Flask's defaults, which jwt-ext's cookie tests mirror: every cookie at `/`, the token
    // cookies HttpOnly, the CSRF cookies readable, no SameSite attribute (jwt-ext writes
    // `SameSite=Lax`, the browsers' default for it).
    for cookie in &flask_cookies {
        assert_eq!(cookie.path(), Some("/"), "{cookie}");
        assert_eq!(cookie.same_site(), None, "{cookie}");
        let http_only = cookie.name().ends_with("_cookie");
        assert_eq!(cookie.http_only().unwrap_or(false), http_only, "{cookie}");
    }

    // jwt-ext's cookie token and CSRF value, sent by a browser to a Flask route on cookies.
    let jwt = manager(config());
    let token = jwt.create_access_token("alice").unwrap();
    let csrf = jwt.csrf_token(&token).unwrap();
    let answer = flask(&["cookie-call", common::SECRET, "POST", &token, &csrf]);
    assert_eq!(
        answer,
        json!({ "status": 200, "body": { "logged_in_as": "alice" } })
    );
    let answer = flask(&["cookie-call", common::SECRET, "POST", &token, ""]);
    assert_eq!(
        answer,
        json!({ "status": 401, "body": { "msg": "Missing CSRF token" } })
    );
}

#[test]
fn expired_cookie_tokens_get_the_same_answer_as_from_flask() {
    // Flask's `/protected` on cookies, and the test app's, for tokens only an expiry-ignoring
    // second decode tells apart.
    let cookie_config = config().token_location("cookies".parse().unwrap());
    let client = Client::untracked(common::rocket_with(cookie_config)).unwrap();
    let jwt = manager(config());
    let expired = jwt
        .access_token("alice")
        .expires_in(Duration::seconds(-60))
        .create()
        .unwrap();
    let claim = jwt.decode_token_allow_expired(&expired).unwrap().claims()["csrf"]
        .as_str()
        .unwrap()
        .to_owned();
    let no_claim = manager(config().cookie_csrf_protect(false))
        .access_token("alice")
        .expires_in(Duration::seconds(-60))
        .create()
        .unwrap();
    for (token, csrf) in [
        (&expired, "forged"),
        (&expired, claim.as_str()),
        (&expired, ""),
        (&no_claim, "anything"),
    ] {
        let from_flask = flask(&["cookie-call", common::SECRET, "POST", token, csrf]);
        let mut request = client
            .post("/protected")
            .cookie(Cookie::new("access_token_cookie", token.clone()));
        if !csrf.is_empty() {
            request = request.header(Header::new("X-CSRF-TOKEN", csrf.to_owned()));
        }
        let response = request.dispatch();
        let here = json!({
            "status": response.status().code,
            "body": response.into_json::<Value>().unwrap(),
        });
        assert_eq!(here, from_flask, "csrf {csrf:?}");
    }
}

/// Flask's answer on `path` for `token`, its blocklist on `redis` under `prefix`.
fn flask_on_redis(redis: &jwt_ext_tests::RedisServer, path: &str, token: &str) -> (u16, Value) {
    let answer = flask(&[
        "redis-call",
        common::SECRET,
        &redis.url(),
        "shared:",
        path,
        token,
    ]);
    (
        u16::try_from(answer["status"].as_u64().unwrap()).unwrap(),
        answer["body"].clone(),
    )
}

#[rocket::delete("/logout")]
async fn logout(
    jwt: &JwtManager,
    token: jwt_ext::AccessJwt,
) -> Result<Value, jwt_ext::RevokeError> {
    jwt.logout(&token, None).await?;
    Ok(json!({ "msg": "Successfully logged out" }))
}

#[test]
fn a_flask_app_and_a_jwt_ext_app_share_one_revocation_store_on_redis() {
    let redis = jwt_ext_tests::RedisServer::start();
    let rocket = common::rocket_with(config().redis_url(redis.url()).redis_key_prefix("shared:"))
        .mount("/", rocket::routes![logout]);
    let client = Client::tracked(rocket).unwrap();
    let jwt = client.rocket().state::<JwtManager>().unwrap();
    let revoked = (401, json!({ "msg": "Token has been revoked" }));

    // Logged out on the Rocket side: refused by Flask, a lone token and a whole login alike.
    let lone = jwt.create_access_token("alice").unwrap();
    let pair = jwt.create_token_pair("alice", false).unwrap();
    let earlier = jwt
        .access_token("alice")
        .additional_claims(json!({ "fam": jwt.decode_token(&pair.access_token).unwrap().family() }))
        .create()
        .unwrap();
    for token in [&lone, &earlier] {
        assert_eq!(flask_on_redis(&redis, "/protected", token).0, 200);
    }
    for token in [&lone, &pair.access_token] {
        let response = client
            .delete("/logout")
            .header(Header::new("Authorization", format!("Bearer {token}")))
            .dispatch();
        assert_eq!(response.status(), Status::Ok);
    }
    for token in [&lone, &pair.access_token, &earlier] {
        assert_eq!(flask_on_redis(&redis, "/protected", token), revoked);
    }

    // Logged out on the Flask side: refused here.
    let minted = flask(&["mint", common::SECRET]);
    let flask_token = minted["access"].as_str().unwrap().to_owned();
    assert_eq!(
        get_with_token(&client, "/protected", &flask_token).status,
        Status::Ok
    );
    assert_eq!(flask_on_redis(&redis, "/logout", &flask_token).0, 200);
    let answer = get_with_token(&client, "/protected", &flask_token);
    assert_eq!(
        (answer.status, answer.msg()),
        (Status::Unauthorized, "Token has been revoked")
    );
    // And a whole login, through its `fam`.
    let other = jwt.create_token_pair("bob", false).unwrap();
    assert_eq!(
        flask_on_redis(&redis, "/logout", &other.access_token).0,
        200
    );
    let answer = get_with_token(&client, "/protected", &other.access_token);
    assert_eq!(answer.msg(), "Token has been revoked");
    let mut keys: Vec<String> = redis::cmd("KEYS")
        .arg("shared:*")
        .query(&mut redis.connection())
        .unwrap();
    keys.sort();
    assert_eq!(keys.len(), 4, "{keys:?}");
    for key in &keys {
        let ttl: i64 = redis::cmd("TTL")
            .arg(key)
            .query(&mut redis.connection())
            .unwrap();
        assert!(ttl > 0, "{key} expires: {ttl}");
    }

    // Logged out everywhere on the Rocket side: Flask refuses the identity's earlier tokens,
    // a login made afterwards works on both sides.
    let before = jwt.create_token_pair("carol", false).unwrap();
    assert_eq!(
        flask_on_redis(&redis, "/protected", &before.access_token).0,
        200
    );
    rocket::execute(jwt.logout_everywhere_of("carol")).unwrap();
    assert_eq!(
        flask_on_redis(&redis, "/protected", &before.access_token),
        revoked
    );
    let after = jwt.create_token_pair("carol", false).unwrap();
    assert_eq!(
        flask_on_redis(&redis, "/protected", &after.access_token).0,
        200
    );
}
