//! The `headers` location: Flask-JWT-Extended's parsing rules over HTTP.

mod common;

use common::{client, config, get, manager};
use rocket::http::{Header, Status};

const MISSING_TYPE: &str =
    "Missing 'Bearer' type in 'Authorization' header. Expected 'Authorization: Bearer <JWT>'";
const BAD_HEADER: &str = "Bad Authorization header. Expected 'Authorization: Bearer <JWT>'";

#[test]
fn accepted_header_forms() {
    let client = client(config());
    let token = manager(config()).create_access_token("alice").unwrap();
    for value in [
        format!("Bearer {token}"),
        format!("Bearer {token}, Basic Zm9vOmJhcg=="),
        format!("Basic Zm9vOmJhcg==, Bearer {token}"),
        format!("Bearer {token},   "),
        format!(", Bearer {token}"),
        format!("Bearer\t{token}"),
        format!("   Bearer   {token}   "),
    ] {
        let answer = get(&client, "/protected", Some(&value));
        assert_eq!(answer.status, Status::Ok, "{value:?}: {:?}", answer.body);
        assert_eq!(answer.body["identity"], "alice");
    }
}

#[test]
fn missing_and_malformed_headers() {
    let client = client(config());
    for (value, status, message) in [
        (None, 401, "Missing Authorization Header"),
        (Some(""), 401, "Missing Authorization Header"),
        (Some(" , "), 401, "Missing Authorization Header"),
        (Some("bearer x.y.z"), 401, MISSING_TYPE),
        (Some("BEARER x.y.z"), 401, MISSING_TYPE),
        (Some("Basic Zm9vOmJhcg=="), 401, MISSING_TYPE),
        (Some("Bearer a.b.c, Bearer d.e.f"), 401, MISSING_TYPE),
        (Some("Token x.y.z"), 401, MISSING_TYPE),
        (Some("Bearer"), 422, BAD_HEADER),
        (Some("Bearer a.b.c extra"), 422, BAD_HEADER),
    ] {
        let answer = get(&client, "/protected", value);
        assert_eq!(answer.status.code, status, "{value:?}");
        assert_eq!(answer.msg(), message, "{value:?}");
        assert_eq!(answer.content_type.as_deref(), Some("application/json"));
        let challenge = answer.www_authenticate.as_deref();
        if status == 401 {
            assert_eq!(challenge, Some("Bearer"), "{value:?}");
        } else {
            assert_eq!(challenge, None, "{value:?}");
        }
    }
}

#[test]
fn two_authorization_headers_are_ambiguous() {
    let client = client(config());
    let token = manager(config()).create_access_token("alice").unwrap();
    let response = client
        .get("/protected")
        .header(Header::new("Authorization", format!("Bearer {token}")))
        .header(Header::new("Authorization", format!("Bearer {token}")))
        .dispatch();
    assert_eq!(response.status(), Status::Unauthorized);
}

#[test]
fn custom_header_name_and_type() {
    let config = config().header_name("X-Api-Token").header_type("JWT");
    let client = client(config.clone());
    let token = manager(config).create_access_token("alice").unwrap();

    let response = client
        .get("/protected")
        .header(Header::new("X-Api-Token", format!("JWT {token}")))
        .dispatch();
    assert_eq!(response.status(), Status::Ok);

    let answer = get(&client, "/protected", Some(&format!("Bearer {token}")));
    assert_eq!(answer.msg(), "Missing X-Api-Token Header");

    let response = client
        .get("/protected")
        .header(Header::new("X-Api-Token", format!("Bearer {token}")))
        .dispatch();
    let body: serde_json::Value = response.into_json().unwrap();
    assert_eq!(
        body["msg"],
        "Missing 'JWT' type in 'X-Api-Token' header. Expected 'X-Api-Token: JWT <JWT>'"
    );
}

#[test]
fn empty_header_type_means_a_bare_token() {
    let config = config().header_type("");
    let client = client(config.clone());
    let token = manager(config).create_access_token("alice").unwrap();

    let answer = get(&client, "/protected", Some(&token));
    assert_eq!(answer.status, Status::Ok);

    let answer = get(&client, "/protected", Some(&format!("Bearer {token}")));
    assert_eq!(answer.status, Status::UnprocessableEntity);
    assert_eq!(
        answer.msg(),
        "Bad Authorization header. Expected 'Authorization: <JWT>'"
    );
}

#[test]
fn optional_route_treats_other_schemes_as_no_token() {
    let client = client(config());
    for value in ["Basic Zm9vOmJhcg==", "Foo 1, Bar 2, Baz, 3", ""] {
        let answer = get(&client, "/optional", Some(value));
        assert_eq!(answer.status, Status::Ok, "{value:?}");
        assert_eq!(answer.body["identity"], serde_json::Value::Null);
    }
    // A malformed Bearer field is an error, not a missing token.
    let answer = get(&client, "/optional", Some("Bearer"));
    assert_eq!(answer.status, Status::UnprocessableEntity);
}
