//! Every way a token can fail verification, with Flask-JWT-Extended's status and message, and
//! the safe defaults RFC 8725 asks for where jsonwebtoken's differ.

mod common;

use common::{
    b64, client, config, get_with_token, manager, now, sign_claims, sign_raw, valid_claims, SECRET,
};
use jwt_ext::{Algorithm, Config};
use rocket::http::Status;
use rocket::local::blocking::Client;
use serde_json::{json, Value};

const HEADER: &str = r#"{"alg":"HS256","typ":"JWT"}"#;

fn refused(client: &Client, token: &str) -> (u16, String, Option<String>) {
    let answer = get_with_token(client, "/protected", token);
    (
        answer.status.code,
        answer.msg().to_owned(),
        answer.www_authenticate,
    )
}

fn assert_422(client: &Client, token: &str, message: &str) {
    let (status, msg, challenge) = refused(client, token);
    assert_eq!((status, msg.as_str()), (422, message), "token {token}");
    assert_eq!(challenge, None);
}

fn with(claims: Value, changes: Value) -> Value {
    let mut claims = claims;
    for (key, value) in changes.as_object().unwrap() {
        if value.is_null() {
            claims.as_object_mut().unwrap().remove(key);
        } else {
            claims[key] = value.clone();
        }
    }
    claims
}

#[test]
fn a_valid_forged_token_is_accepted() {
    // Guards the helpers: everything refused below is refused for the one change it makes.
    let client = client(config());
    let answer = get_with_token(&client, "/protected", &sign_claims(&valid_claims()));
    assert_eq!(answer.status, Status::Ok);
}

#[test]
fn wrong_signature() {
    let client = client(config());
    let token = sign_raw(
        HEADER,
        &valid_claims().to_string(),
        "another-secret-of-32-bytes-or-more!!",
    );
    assert_422(&client, &token, "Signature verification failed");

    let good = sign_claims(&valid_claims());
    let (head, _) = good.rsplit_once('.').unwrap();
    assert_422(
        &client,
        &format!("{head}.{}", b64([0u8; 32])),
        "Signature verification failed",
    );
    assert_422(
        &client,
        &format!("{head}."),
        "Signature verification failed",
    );
}

#[test]
fn tampered_payload_fails_the_signature() {
    let client = client(config());
    let good = sign_claims(&valid_claims());
    let parts: Vec<&str> = good.split('.').collect();
    let forged = b64(with(valid_claims(), json!({ "sub": "admin" })).to_string());
    assert_422(
        &client,
        &format!("{}.{forged}.{}", parts[0], parts[2]),
        "Signature verification failed",
    );
}

#[test]
fn segment_counts() {
    let client = client(config());
    assert_422(&client, "abc", "Not enough segments");
    assert_422(&client, "abc.def", "Not enough segments");
    let good = sign_claims(&valid_claims());
    assert_422(&client, &format!("{good}.x"), "Too many segments");
    assert_422(&client, &format!("{good}.x.y"), "Too many segments");
}

#[test]
fn bad_base64_and_json() {
    let client = client(config());
    let payload = b64(valid_claims().to_string());
    assert_422(
        &client,
        &format!("!!!.{payload}.sig"),
        "Invalid header padding",
    );
    assert_422(
        &client,
        &format!("{}=.{payload}.sig", b64(HEADER)),
        "Invalid header padding",
    );
    assert_422(
        &client,
        &format!("{}.***.sig", b64(HEADER)),
        "Invalid payload padding",
    );

    let (status, msg, _) = refused(&client, &format!("{}.{payload}.sig", b64("{not json")));
    assert_eq!(status, 422);
    assert!(msg.starts_with("Invalid header string: "), "{msg}");

    let (status, msg, _) = refused(&client, &format!("{}.{payload}.sig", b64("[1,2]")));
    assert_eq!(status, 422);
    assert!(msg.contains("a json object"), "{msg}");

    let token = sign_claims(&valid_claims());
    let (head, _) = token.rsplit_once('.').unwrap();
    assert_422(&client, &format!("{head}.a+b/"), "Invalid crypto padding");
}

#[test]
fn payload_must_be_a_json_object() {
    let client = client(config());
    for payload in ["[1,2]", "\"alice\"", "42", "{oops"] {
        let (status, msg, _) = refused(&client, &sign_raw(HEADER, payload, SECRET));
        assert_eq!(status, 422, "{payload}");
        assert!(
            msg.starts_with("Invalid payload string: "),
            "{payload}: {msg}"
        );
    }
}

#[test]
fn alg_none_in_every_casing_is_not_allowed() {
    let client = client(config());
    let payload = b64(valid_claims().to_string());
    for alg in ["none", "None", "NONE", "nOnE"] {
        let header = b64(format!(r#"{{"alg":"{alg}","typ":"JWT"}}"#));
        for signature in ["", "c2ln"] {
            assert_422(
                &client,
                &format!("{header}.{payload}.{signature}"),
                "The specified alg value is not allowed",
            );
        }
    }
}

#[test]
fn algorithms_outside_the_allow_list_are_not_allowed() {
    let client = client(config());
    let payload = valid_claims().to_string();
    for header in [
        r#"{"alg":"HS512","typ":"JWT"}"#,
        r#"{"alg":"RS256","typ":"JWT"}"#,
        r#"{"alg":"hs256","typ":"JWT"}"#,
        r#"{"alg":"XX999","typ":"JWT"}"#,
        r#"{"alg":256,"typ":"JWT"}"#,
        r#"{"typ":"JWT"}"#,
    ] {
        assert_422(
            &client,
            &sign_raw(header, &payload, SECRET),
            "The specified alg value is not allowed",
        );
    }
}

#[test]
fn decode_algorithms_widen_the_allow_list() {
    let secret = "a-64-byte-secret-for-hs512-0123456789abcdefghijklmnopqrstuvwxyz!".to_owned();
    let hs512 = Config::default()
        .secret_key(secret.clone())
        .algorithm(Algorithm::HS512);
    let token = manager(hs512).create_access_token("alice").unwrap();

    let only_256 = Config::default().secret_key(secret.clone());
    let (status, msg, _) = refused(&client(only_256), &token);
    assert_eq!(
        (status, msg.as_str()),
        (422, "The specified alg value is not allowed")
    );

    let both = Config::default()
        .secret_key(secret)
        .decode_algorithms(vec![Algorithm::HS512]);
    let answer = get_with_token(&client(both), "/protected", &token);
    assert_eq!(answer.status, Status::Ok);
}

#[test]
fn crit_header_is_refused() {
    let client = client(config());
    let token = sign_raw(
        r#"{"alg":"HS256","typ":"JWT","crit":["exp"]}"#,
        &valid_claims().to_string(),
        SECRET,
    );
    assert_422(
        &client,
        &token,
        "Unsupported critical extension in the token header",
    );
}

#[test]
fn kid_must_be_a_string() {
    let client = client(config());
    let token = sign_raw(
        r#"{"alg":"HS256","typ":"JWT","kid":7}"#,
        &valid_claims().to_string(),
        SECRET,
    );
    assert_422(&client, &token, "Key ID header parameter must be a string");
}

#[test]
fn expired_token_is_401_with_invalid_token_challenge() {
    let client = client(config());
    let token = sign_claims(&with(valid_claims(), json!({ "exp": now() - 1 })));
    let (status, msg, challenge) = refused(&client, &token);
    assert_eq!((status, msg.as_str()), (401, "Token has expired"));
    assert_eq!(
        challenge.as_deref(),
        Some(r#"Bearer error="invalid_token""#)
    );

    // A token minted with a negative lifetime, as a short-lived token would be after it ran out.
    let token = manager(config())
        .access_token("alice")
        .expires_in(rocket::time::Duration::seconds(-5))
        .create()
        .unwrap();
    assert_eq!(refused(&client, &token).1, "Token has expired");
}

#[test]
fn token_expiring_this_second_is_expired() {
    // PyJWT compares `exp <= now` on a float clock: a token whose `exp` is the current whole
    // second has already expired. jsonwebtoken alone would accept it for up to a second.
    let client = client(config());
    let token = sign_claims(&with(valid_claims(), json!({ "exp": now() })));
    assert_eq!(refused(&client, &token).1, "Token has expired");
}

#[test]
fn no_default_leeway_unlike_jsonwebtoken() {
    // jsonwebtoken's Validation defaults to 60 s of leeway; Flask to none.
    let client = client(config());
    let token = sign_claims(&with(valid_claims(), json!({ "exp": now() - 30 })));
    assert_eq!(refused(&client, &token).1, "Token has expired");
}

#[test]
fn configured_leeway_applies_to_exp_nbf_and_iat() {
    let client = client(config().decode_leeway(120));
    for changes in [
        json!({ "exp": now() - 60 }),
        json!({ "nbf": now() + 60 }),
        json!({ "iat": now() + 60 }),
    ] {
        let token = sign_claims(&with(valid_claims(), changes.clone()));
        let answer = get_with_token(&client, "/protected", &token);
        assert_eq!(answer.status, Status::Ok, "{changes}");
    }
    let token = sign_claims(&with(valid_claims(), json!({ "exp": now() - 180 })));
    assert_eq!(refused(&client, &token).1, "Token has expired");
}

#[test]
fn nbf_is_checked_unlike_jsonwebtoken_defaults() {
    let client = client(config());
    let token = sign_claims(&with(valid_claims(), json!({ "nbf": now() + 60 })));
    assert_422(&client, &token, "The token is not yet valid (nbf)");
}

#[test]
fn iat_in_the_future_is_refused() {
    let client = client(config());
    let token = sign_claims(&with(
        valid_claims(),
        json!({ "iat": now() + 60, "nbf": null }),
    ));
    assert_422(&client, &token, "The token is not yet valid (iat)");
}

#[test]
fn non_numeric_time_claims_are_refused() {
    // The class of GHSA-h395-gr6q-cpjc / CVE-2026-25537: a mistyped claim must not count as absent.
    let client = client(config());
    for value in [
        json!("9999999999"),
        json!(true),
        json!(null),
        json!([1]),
        json!({}),
    ] {
        for (claim, message) in [
            ("exp", "Expiration Time claim (exp) must be an integer."),
            ("nbf", "Not Before claim (nbf) must be an integer."),
            ("iat", "Issued At claim (iat) must be an integer."),
        ] {
            let mut claims = valid_claims();
            claims[claim] = value.clone();
            assert_422(&client, &sign_claims(&claims), message);
        }
    }
}

#[test]
fn float_and_extreme_numeric_dates() {
    let client = client(config());
    let ok = |claims: Value| get_with_token(&client, "/protected", &sign_claims(&claims)).status;
    // RFC 7519 NumericDates may be floats.
    #[allow(clippy::cast_precision_loss)]
    let soon = now() as f64 + 100.5;
    assert_eq!(ok(with(valid_claims(), json!({ "exp": soon }))), Status::Ok);
    assert_eq!(
        ok(with(valid_claims(), json!({ "exp": 1e300 }))),
        Status::Ok
    );
    assert_eq!(
        ok(with(valid_claims(), json!({ "exp": u64::MAX }))),
        Status::Ok
    );
    let expired = with(valid_claims(), json!({ "exp": -1 }));
    assert_eq!(
        refused(&client, &sign_claims(&expired)).1,
        "Token has expired"
    );
    let expired = with(valid_claims(), json!({ "exp": i64::MIN }));
    assert_eq!(
        refused(&client, &sign_claims(&expired)).1,
        "Token has expired"
    );
    let far_nbf = with(valid_claims(), json!({ "nbf": 1e300 }));
    assert_422(
        &client,
        &sign_claims(&far_nbf),
        "The token is not yet valid (nbf)",
    );
}

#[test]
fn token_without_exp_never_expires() {
    let client = client(config());
    let token = sign_claims(&with(valid_claims(), json!({ "exp": null })));
    assert_eq!(
        get_with_token(&client, "/protected", &token).status,
        Status::Ok
    );
}

#[test]
fn identity_claim_is_required() {
    let client = client(config());
    let token = sign_claims(&with(valid_claims(), json!({ "sub": null })));
    assert_422(&client, &token, "Missing claim: sub");

    let custom = config().identity_claim("identity");
    let client = common::client(custom);
    assert_422(
        &client,
        &sign_claims(&valid_claims()),
        "Missing claim: identity",
    );
    let token = sign_claims(&with(valid_claims(), json!({ "identity": {"id": 7} })));
    let answer = get_with_token(&client, "/protected", &token);
    assert_eq!(answer.body["identity"], json!({"id": 7}));
}

#[test]
fn sub_must_be_a_string_unless_verify_sub_is_off() {
    let token = sign_claims(&with(valid_claims(), json!({ "sub": 1234 })));
    assert_422(&client(config()), &token, "Subject must be a string");
    let answer = get_with_token(&client(config().verify_sub(false)), "/protected", &token);
    assert_eq!(answer.body["identity"], 1234);
}

#[test]
fn jti_must_be_a_string() {
    let token = sign_claims(&with(valid_claims(), json!({ "jti": 5 })));
    assert_422(&client(config()), &token, "JWT ID must be a string");
}

#[test]
fn duplicate_claims_are_refused() {
    let client = client(config());
    let now = now();
    let payload = format!(
        r#"{{"sub":"alice","type":"access","exp":{},"exp":{}}}"#,
        now - 100,
        now + 100
    );
    let (status, msg, _) = refused(&client, &sign_raw(HEADER, &payload, SECRET));
    assert_eq!(status, 422);
    assert!(msg.contains("duplicate member `exp`"), "{msg}");

    let header = r#"{"alg":"HS256","alg":"none"}"#;
    let (status, msg, _) = refused(
        &client,
        &sign_raw(header, &valid_claims().to_string(), SECRET),
    );
    assert_eq!(status, 422);
    assert!(msg.contains("duplicate member `alg`"), "{msg}");
}

#[test]
fn audience_is_ignored_unless_configured_as_in_flask() {
    // jsonwebtoken refuses a token carrying `aud` when no audience is configured; Flask accepts it.
    let token = sign_claims(&with(valid_claims(), json!({ "aud": "somebody" })));
    assert_eq!(
        get_with_token(&client(config()), "/protected", &token).status,
        Status::Ok
    );
}

#[test]
fn configured_audience_is_required_and_must_overlap() {
    let client = client(config().decode_audience(vec!["api".to_owned(), "web".to_owned()]));
    let ok = |aud: Value| {
        let token = sign_claims(&with(valid_claims(), json!({ "aud": aud })));
        get_with_token(&client, "/protected", &token)
    };
    assert_eq!(ok(json!("api")).status, Status::Ok);
    assert_eq!(ok(json!(["other", "web"])).status, Status::Ok);
    assert_eq!(ok(json!("other")).msg(), "Audience doesn't match");
    assert_eq!(ok(json!(["api", 3])).msg(), "Invalid claim format in token");
    assert_eq!(ok(json!(42)).msg(), "Invalid claim format in token");
    assert_eq!(ok(json!("")).msg(), "Token is missing the \"aud\" claim");
    let token = sign_claims(&valid_claims());
    assert_422(&client, &token, "Token is missing the \"aud\" claim");
}

#[test]
fn configured_issuer_is_required_and_exact() {
    let client = client(config().decode_issuer("https://auth.example"));
    let ok = |iss: Value| {
        let token = sign_claims(&with(valid_claims(), json!({ "iss": iss })));
        get_with_token(&client, "/protected", &token)
    };
    assert_eq!(ok(json!("https://auth.example")).status, Status::Ok);
    assert_eq!(
        ok(json!("https://auth.example.evil")).msg(),
        "Invalid issuer"
    );
    assert_eq!(ok(json!("auth.example")).msg(), "Invalid issuer");
    assert_eq!(ok(json!(["https://auth.example"])).msg(), "Invalid issuer");
    assert_422(
        &client,
        &sign_claims(&valid_claims()),
        "Token is missing the \"iss\" claim",
    );
}

#[test]
fn encode_audience_and_issuer_round_trip() {
    let config = config()
        .encode_audience("api")
        .decode_audience("api")
        .encode_issuer("https://auth.example")
        .decode_issuer("https://auth.example");
    let token = manager(config.clone())
        .create_access_token("alice")
        .unwrap();
    let answer = get_with_token(&client(config), "/claims", &token);
    assert_eq!(answer.body["claims"]["aud"], "api");
    assert_eq!(answer.body["claims"]["iss"], "https://auth.example");
}

#[test]
fn overlong_tokens_are_refused_before_decoding() {
    let client = client(config());
    let long = format!("{}.{}.sig", "a".repeat(4000), "b".repeat(5000));
    assert_422(&client, &long, "Token is longer than 8192 bytes");
    let dots = ".".repeat(8000);
    assert_422(&client, &dots, "Too many segments");

    let small = common::client(config().max_token_length(200));
    let token = manager(config()).create_access_token("alice").unwrap();
    assert!(token.len() > 200);
    assert_422(&small, &token, "Token is longer than 200 bytes");
}

#[test]
fn the_server_keeps_serving_after_hostile_tokens() {
    let client = client(config());
    for token in [
        "",
        ".",
        "..",
        "...",
        "\u{0}",
        "é.é.é",
        "a.b.c",
        &"x".repeat(100_000),
    ] {
        let answer = get_with_token(&client, "/protected", token);
        assert!(
            answer.status.code == 401 || answer.status.code == 422,
            "{token:?}"
        );
    }
    let good = manager(config()).create_access_token("alice").unwrap();
    assert_eq!(
        get_with_token(&client, "/protected", &good).status,
        Status::Ok
    );
}

#[test]
fn what_flask_checks_on_an_expired_token_wins_over_the_expiry() {
    // Flask decodes an expired token a second time, ignoring `exp`; that decode refuses an
    // integer `sub` (422), which a client must not take for "refresh now" (401).
    let mut claims = common::valid_claims();
    claims["sub"] = json!(42);
    claims["exp"] = json!(common::now() - 60);
    let token = common::sign_claims(&claims);
    let (status, msg, _) = refused(&client(config()), &token);
    assert_eq!((status, msg.as_str()), (422, "Subject must be a string"));
    assert_eq!(
        manager(config())
            .decode_token(&token)
            .unwrap_err()
            .message(),
        "Subject must be a string"
    );
    // Valid but for `exp`: the expiry.
    let mut claims = common::valid_claims();
    claims["exp"] = json!(common::now() - 60);
    let (status, msg, _) = refused(&client(config()), &common::sign_claims(&claims));
    assert_eq!((status, msg.as_str()), (401, "Token has expired"));
}
