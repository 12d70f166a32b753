//! The guards: access, refresh, fresh, optional and any-type tokens, one decode per request.

mod common;

use common::{
    client, config, get, get_with_token, manager, now, post_with_token, sign_claims, valid_claims,
};
use jwt_ext::Freshness;
use rocket::http::Status;
use rocket::time::{Duration, OffsetDateTime};
use serde_json::{json, Value};

#[test]
fn access_guard() {
    let jwt = manager(config());
    let client = client(config());
    let access = jwt.create_access_token("alice").unwrap();
    let refresh = jwt.create_refresh_token("alice").unwrap();

    let answer = get_with_token(&client, "/protected", &access);
    assert_eq!(answer.status, Status::Ok);
    assert_eq!(answer.body, json!({ "identity": "alice", "fresh": false }));

    let answer = get_with_token(&client, "/protected", &refresh);
    assert_eq!(answer.status, Status::UnprocessableEntity);
    assert_eq!(answer.msg(), "Only non-refresh tokens are allowed");
    assert_eq!(answer.www_authenticate, None);

    // Flask counts a token without `type` as an access token.
    let mut claims = valid_claims();
    claims.as_object_mut().unwrap().remove("type");
    assert_eq!(
        get_with_token(&client, "/protected", &sign_claims(&claims)).status,
        Status::Ok
    );
}

#[test]
fn refresh_guard() {
    let jwt = manager(config());
    let client = client(config());
    let access = jwt.create_access_token("alice").unwrap();
    let refresh = jwt.create_refresh_token("alice").unwrap();

    assert_eq!(
        get_with_token(&client, "/refresh", &refresh).body["identity"],
        "alice"
    );
    assert_eq!(
        post_with_token(&client, "/refresh", &refresh).body["identity"],
        "alice"
    );
    for answer in [
        get_with_token(&client, "/refresh", &access),
        post_with_token(&client, "/refresh", &access),
    ] {
        assert_eq!(answer.status, Status::UnprocessableEntity);
        assert_eq!(answer.msg(), "Only refresh tokens are allowed");
    }
    let mut claims = valid_claims();
    claims.as_object_mut().unwrap().remove("type");
    assert_eq!(
        get_with_token(&client, "/refresh", &sign_claims(&claims)).msg(),
        "Only refresh tokens are allowed"
    );
}

#[test]
fn fresh_guard() {
    let jwt = manager(config());
    let client = client(config());
    let with = |fresh: Freshness| jwt.access_token("alice").fresh(fresh).create().unwrap();
    let in_the_past = OffsetDateTime::now_utc() - Duration::seconds(1);

    for (fresh, ok) in [
        (Freshness::Yes, true),
        (Freshness::For(Duration::minutes(5)), true),
        (Freshness::No, false),
        (Freshness::Until(in_the_past), false),
        (Freshness::For(Duration::seconds(-1)), false),
    ] {
        let answer = get_with_token(&client, "/fresh", &with(fresh));
        if ok {
            assert_eq!(answer.status, Status::Ok, "{fresh:?}");
            assert_eq!(answer.body["identity"], "alice");
        } else {
            assert_eq!(answer.status, Status::Unauthorized, "{fresh:?}");
            assert_eq!(answer.msg(), "Fresh token required");
            assert_eq!(
                answer.www_authenticate.as_deref(),
                Some(r#"Bearer error="invalid_token""#)
            );
        }
    }

    // A fresh route still refuses refresh tokens first (type before freshness), and
    // odd `fresh` values are simply not fresh.
    let refresh = jwt.create_refresh_token("alice").unwrap();
    assert_eq!(
        get_with_token(&client, "/fresh", &refresh).msg(),
        "Only non-refresh tokens are allowed"
    );
    for odd in [json!("yes"), json!(null), json!(1)] {
        let mut claims = valid_claims();
        claims["fresh"] = odd.clone();
        let answer = get_with_token(&client, "/fresh", &sign_claims(&claims));
        assert_eq!(answer.msg(), "Fresh token required", "{odd}");
    }
    let mut claims = valid_claims();
    #[allow(clippy::cast_precision_loss)]
    let later = now() as f64 + 60.5;
    claims["fresh"] = json!(later);
    assert_eq!(
        get_with_token(&client, "/fresh", &sign_claims(&claims)).status,
        Status::Ok
    );
}

#[test]
fn expiry_is_checked_before_type_and_freshness() {
    let jwt = manager(config());
    let client = client(config());
    let expired_refresh = jwt
        .refresh_token("alice")
        .expires_in(Duration::seconds(-5))
        .create()
        .unwrap();
    for path in ["/protected", "/fresh", "/refresh"] {
        assert_eq!(
            get_with_token(&client, path, &expired_refresh).msg(),
            "Token has expired"
        );
    }
}

#[test]
fn optional_guard_forgives_only_a_missing_token() {
    let jwt = manager(config());
    let client = client(config());

    let answer = get(&client, "/optional", None);
    assert_eq!(
        (answer.status, &answer.body),
        (Status::Ok, &json!({ "identity": null }))
    );

    let access = jwt.create_access_token("alice").unwrap();
    assert_eq!(
        get_with_token(&client, "/optional", &access).body["identity"],
        "alice"
    );

    let expired = jwt
        .access_token("alice")
        .expires_in(Duration::seconds(-5))
        .create()
        .unwrap();
    let answer = get_with_token(&client, "/optional", &expired);
    assert_eq!(
        (answer.status, answer.msg()),
        (Status::Unauthorized, "Token has expired")
    );

    let refresh = jwt.create_refresh_token("alice").unwrap();
    let answer = get_with_token(&client, "/optional", &refresh);
    assert_eq!(answer.msg(), "Only non-refresh tokens are allowed");

    let answer = get_with_token(&client, "/optional", "garbage");
    assert_eq!(
        (answer.status, answer.msg()),
        (Status::UnprocessableEntity, "Not enough segments")
    );

    assert_eq!(
        get_with_token(&client, "/optional-refresh", &refresh).body["identity"],
        "alice"
    );
    assert_eq!(
        get(&client, "/optional-refresh", None).body["identity"],
        Value::Null
    );
    assert_eq!(
        get_with_token(&client, "/optional-refresh", &access).msg(),
        "Only refresh tokens are allowed"
    );
}

#[test]
fn any_guard_skips_the_type_check() {
    let jwt = manager(config());
    let client = client(config());
    for (token, kind) in [
        (jwt.create_access_token("alice").unwrap(), "access"),
        (jwt.create_refresh_token("alice").unwrap(), "refresh"),
    ] {
        let answer = get_with_token(&client, "/any", &token);
        assert_eq!(answer.body, json!({ "identity": "alice", "type": kind }));
    }
    let expired = jwt
        .refresh_token("a")
        .expires_in(Duration::seconds(-5))
        .create()
        .unwrap();
    assert_eq!(
        get_with_token(&client, "/any", &expired).msg(),
        "Token has expired"
    );
}

#[test]
fn several_guards_share_one_decode() {
    let token = manager(config()).create_access_token("alice").unwrap();
    let answer = get_with_token(&client(config()), "/shared", &token);
    assert_eq!(answer.body, json!({ "one_decode": true }));
}

#[test]
fn claims_and_header_are_readable() {
    let jwt = manager(config());
    let token = jwt
        .access_token("alice")
        .claim("role", "admin")
        .create()
        .unwrap();
    let answer = get_with_token(&client(config()), "/claims", &token);
    let body = answer.body;
    assert_eq!(body["header"], json!({ "typ": "JWT", "alg": "HS256" }));
    assert_eq!(body["claims"]["role"], "admin");
    assert_eq!(body["jti"], body["claims"]["jti"]);
    assert_eq!(body["expires_at"], body["claims"]["exp"]);
    assert_eq!(body["issued_at"], body["claims"]["iat"]);
}

#[test]
fn public_routes_are_untouched() {
    let answer = get(&client(config()), "/public", Some("Bearer garbage"));
    assert_eq!(answer.status, Status::Ok);
}
