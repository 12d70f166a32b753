//! Creating tokens: Flask-JWT-Extended's claim layout and every option of
//! `create_access_token` / `create_refresh_token`.

mod common;

use common::{client, config, get_with_token, manager};
use jwt_ext::{EncodeError, Freshness, TokenType};
use rocket::http::Status;
use rocket::time::{Duration, OffsetDateTime};
use serde_json::{json, Value};

fn payload(token: &str) -> Value {
    use base64::Engine;
    let part = token.split('.').nth(1).unwrap();
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(part)
        .unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

fn header(token: &str) -> Value {
    use base64::Engine;
    let part = token.split('.').next().unwrap();
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(part)
        .unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

fn keys(value: &Value) -> Vec<&str> {
    value
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect()
}

fn is_uuid4(value: &Value) -> bool {
    value
        .as_str()
        .and_then(|s| uuid::Uuid::parse_str(s).ok())
        .is_some_and(|uuid| uuid.get_version_num() == 4)
}

#[test]
fn access_token_claim_layout_matches_flask() {
    let jwt = manager(config());
    let before = OffsetDateTime::now_utc().unix_timestamp();
    let token = jwt.create_access_token("alice").unwrap();
    let claims = payload(&token);

    assert_eq!(
        keys(&claims),
        ["fresh", "iat", "jti", "type", "sub", "nbf", "csrf", "exp"]
    );
    assert_eq!(claims["fresh"], false);
    assert!(claims["iat"].is_i64());
    assert!(claims["iat"].as_i64().unwrap() >= before);
    assert_eq!(claims["nbf"], claims["iat"]);
    assert_eq!(
        claims["exp"].as_i64().unwrap(),
        claims["iat"].as_i64().unwrap() + 900
    );
    assert!(is_uuid4(&claims["jti"]) && is_uuid4(&claims["csrf"]));
    assert_ne!(claims["jti"], claims["csrf"]);
    assert_eq!(claims["type"], "access");
    assert_eq!(claims["sub"], "alice");
    assert_eq!(header(&token), json!({ "typ": "JWT", "alg": "HS256" }));
}

#[test]
fn refresh_token_claim_layout_matches_flask() {
    let jwt = manager(config());
    let claims = payload(&jwt.create_refresh_token("alice").unwrap());
    assert_eq!(
        keys(&claims),
        ["fresh", "iat", "jti", "type", "sub", "nbf", "csrf", "exp"]
    );
    assert_eq!(claims["fresh"], false);
    assert_eq!(claims["type"], "refresh");
    assert_eq!(
        claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(),
        30 * 24 * 3600
    );
}

#[test]
fn optional_claims_follow_config() {
    let jwt = manager(
        config()
            .encode_nbf(false)
            .cookie_csrf_protect(false)
            .encode_audience(vec!["a".to_owned(), "b".to_owned()])
            .encode_issuer("me")
            .identity_claim("identity"),
    );
    let claims = payload(&jwt.create_access_token(7).unwrap());
    assert_eq!(
        keys(&claims),
        ["fresh", "iat", "jti", "type", "identity", "aud", "iss", "exp"]
    );
    assert_eq!(claims["aud"], json!(["a", "b"]));
    assert_eq!(claims["identity"], 7);
}

#[test]
fn freshness_options() {
    let jwt = manager(config());
    let fresh = |fresh: Freshness| {
        payload(&jwt.access_token("a").fresh(fresh).create().unwrap())["fresh"].clone()
    };
    assert_eq!(fresh(Freshness::Yes), true);
    assert_eq!(fresh(Freshness::No), false);

    let now = OffsetDateTime::now_utc().unix_timestamp_nanos() as f64 / 1e9;
    let until = fresh(Freshness::For(Duration::minutes(5)))
        .as_f64()
        .unwrap();
    assert!((until - (now + 300.0)).abs() < 5.0, "{until}");
    let at = OffsetDateTime::from_unix_timestamp(2_000_000_000).unwrap();
    assert_eq!(fresh(Freshness::Until(at)).as_f64(), Some(2_000_000_000.0));
}

#[test]
fn lifetimes_per_token_and_never() {
    let jwt = manager(config());
    let claims = payload(
        &jwt.access_token("a")
            .expires_in(Duration::hours(2))
            .create()
            .unwrap(),
    );
    assert_eq!(
        claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(),
        7200
    );
    let claims = payload(&jwt.refresh_token("a").never_expires().create().unwrap());
    assert!(claims.get("exp").is_none());

    let never = manager(config().access_token_expires(jwt_ext::Lifetime::Never));
    assert!(payload(&never.create_access_token("a").unwrap())
        .get("exp")
        .is_none());
}

#[test]
fn zero_lifetime_expires_at_once() {
    // Flask's timedelta(0) is falsy and gives a token that never expires; jwt-ext does not
    // copy that (a deliberate difference, in the README).
    let config = config().access_token_expires(jwt_ext::Lifetime::Expires(Duration::ZERO));
    let token = manager(config.clone()).create_access_token("a").unwrap();
    let answer = get_with_token(&client(config), "/protected", &token);
    assert_eq!(
        (answer.status, answer.msg()),
        (Status::Unauthorized, "Token has expired")
    );
}

#[test]
fn additional_claims_and_headers_win_over_defaults() {
    let jwt = manager(config());
    let token = jwt
        .access_token("alice")
        .additional_claims(json!({ "role": "admin", "type": "app" }))
        .claim("tenant", 7)
        .additional_headers(json!({ "kid": "k1", "typ": "at+jwt" }))
        .header("x-extra", true)
        .create()
        .unwrap();
    let claims = payload(&token);
    assert_eq!(claims["role"], "admin");
    assert_eq!(claims["tenant"], 7);
    assert_eq!(claims["type"], "app");
    let header = header(&token);
    assert_eq!(header["kid"], "k1");
    assert_eq!(header["typ"], "at+jwt");
    assert_eq!(header["x-extra"], true);

    // Flask quirk kept: an unknown `type` passes access routes.
    let decoded = jwt.decode_token(&token).unwrap();
    assert_eq!(decoded.token_type(), None);
    let answer = get_with_token(&client(config()), "/protected", &token);
    assert_eq!(answer.status, Status::Ok);
    let answer = get_with_token(&client(config()), "/refresh", &token);
    assert_eq!(answer.msg(), "Only refresh tokens are allowed");
}

#[test]
fn creation_errors() {
    let jwt = manager(config());
    assert!(matches!(
        jwt.create_access_token(1234),
        Err(EncodeError::SubjectNotString)
    ));
    assert!(matches!(
        jwt.create_access_token(json!({ "user": "access" })),
        Err(EncodeError::SubjectNotString)
    ));
    assert!(matches!(
        jwt.access_token("a").claim("sub", 5).create(),
        Err(EncodeError::SubjectNotString)
    ));
    assert!(matches!(
        jwt.access_token("a").additional_claims(vec![1, 2]).create(),
        Err(EncodeError::NotAnObject("additional claims"))
    ));
    assert!(matches!(
        jwt.access_token("a").header("alg", "none").create(),
        Err(EncodeError::ReservedHeader(_))
    ));
    assert!(matches!(
        jwt.access_token("a").header("kid", 5).create(),
        Err(EncodeError::Serialize(_))
    ));
    assert!(matches!(
        jwt.access_token("a").expires_in(Duration::MAX).create(),
        Err(EncodeError::TimeOutOfRange)
    ));
    let message = jwt.create_access_token(1234).unwrap_err().to_string();
    assert!(message.contains("jwt_verify_sub"), "{message}");
}

#[test]
fn non_string_identity_with_verify_sub_off() {
    // Flask's refresh-token example sends a dict identity; that needs `jwt_verify_sub = false`.
    let config = config().verify_sub(false);
    let jwt = manager(config.clone());
    let token = jwt
        .create_access_token(json!({ "user": "access" }))
        .unwrap();
    let answer = get_with_token(&client(config), "/protected", &token);
    assert_eq!(answer.body["identity"], json!({ "user": "access" }));
}

#[test]
fn decoded_token_accessors() {
    let jwt = manager(config());
    let token = jwt
        .access_token("alice")
        .fresh(true)
        .claim("role", "admin")
        .create()
        .unwrap();
    let decoded = jwt.decode_token(&token).unwrap();
    let claims = payload(&token);
    assert_eq!(decoded.identity(), "alice");
    assert_eq!(decoded.identity_as::<String>().unwrap(), "alice");
    assert_eq!(decoded.jti(), claims["jti"].as_str());
    assert_eq!(decoded.token_type(), Some(TokenType::Access));
    assert!(decoded.is_fresh());
    assert_eq!(
        decoded.expires_at().map(OffsetDateTime::unix_timestamp),
        claims["exp"].as_i64()
    );
    assert_eq!(
        decoded.issued_at().map(OffsetDateTime::unix_timestamp),
        claims["iat"].as_i64()
    );
    assert_eq!(decoded.header()["alg"], "HS256");
}

#[test]
fn decode_token_outside_a_guard() {
    let jwt = manager(config());
    let client = client(config());
    let good = jwt.create_access_token("alice").unwrap();
    let expired = jwt
        .access_token("alice")
        .expires_in(Duration::seconds(-10))
        .create()
        .unwrap();

    let answer = common::get(&client, &format!("/decode/{good}"), None);
    assert_eq!(answer.body["identity"], "alice");
    // A `JwtError` returned by a handler answers exactly as a guard would.
    let answer = common::get(&client, &format!("/decode/{expired}"), None);
    assert_eq!(
        (answer.status, answer.msg()),
        (Status::Unauthorized, "Token has expired")
    );
    assert_eq!(
        answer.www_authenticate.as_deref(),
        Some(r#"Bearer error="invalid_token""#)
    );
    let answer = common::get(&client, "/decode/not-a-token", None);
    assert_eq!(
        (answer.status, answer.msg()),
        (Status::UnprocessableEntity, "Not enough segments")
    );

    let answer = common::get(&client, &format!("/decode-expired/{expired}"), None);
    assert_eq!(answer.body["identity"], "alice");
    // allow_expired forgives only expiry.
    let tampered = format!("{}x", &expired[..expired.len() - 1]);
    let answer = common::get(&client, &format!("/decode-expired/{tampered}"), None);
    assert_eq!(answer.status, Status::UnprocessableEntity);
}

#[test]
fn typed_claims() {
    let jwt = manager(config());
    let client = client(config());
    let token = jwt
        .access_token("alice")
        .claim("role", "admin")
        .create()
        .unwrap();
    let answer = get_with_token(&client, "/typed", &token);
    assert_eq!(answer.body, json!({ "sub": "alice", "role": "admin" }));
    let token = jwt.create_access_token("alice").unwrap();
    let answer = get_with_token(&client, "/typed", &token);
    assert!(answer.body["error"].as_str().unwrap().contains("role"));
}
