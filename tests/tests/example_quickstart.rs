//! Flask-JWT-Extended's refresh-token walkthrough against the quickstart example: login, protected, refresh, and the
//! two 422 answers of Flask-JWT-Extended.

use rocket::http::{ContentType, Header, Status};
use rocket::local::blocking::Client;
use rocket::serde::json::Value;

fn client() -> Client {
    Client::tracked(quickstart::rocket()).expect("quickstart launches with no configuration")
}

fn json(response: rocket::local::blocking::LocalResponse<'_>) -> (Status, Value) {
    let status = response.status();
    (status, response.into_json().expect("a JSON body"))
}

fn login(client: &Client, body: &str) -> (Status, Value) {
    json(
        client
            .post("/login")
            .header(ContentType::JSON)
            .body(body)
            .dispatch(),
    )
}

fn call(client: &Client, get: bool, path: &str, token: &str) -> (Status, Value) {
    let request = if get {
        client.get(path.to_owned())
    } else {
        client.post(path.to_owned())
    };
    json(
        request
            .header(Header::new("Authorization", format!("Bearer {token}")))
            .dispatch(),
    )
}

fn tokens(client: &Client) -> (String, String) {
    let (status, body) = login(client, r#"{"username": "test", "password": "test"}"#);
    assert_eq!(status, Status::Ok, "{body}");
    (
        body["access_token"].as_str().unwrap().to_owned(),
        body["refresh_token"].as_str().unwrap().to_owned(),
    )
}

#[test]
fn login_gives_an_access_and_a_refresh_token() {
    let client = client();
    let (status, body) = login(&client, r#"{"username": "test", "password": "test"}"#);
    assert_eq!(status, Status::Ok);
    let keys: Vec<&str> = body
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, ["access_token", "refresh_token"]);
}

#[test]
fn access_token_reaches_protected() {
    let client = client();
    let (access, _) = tokens(&client);
    let (status, body) = call(&client, true, "/protected", &access);
    assert_eq!(status, Status::Ok);
    assert_eq!(body, serde_json::json!({ "logged_in_as": "test" }));
}

#[test]
fn refresh_token_mints_a_new_access_token_by_get_and_post() {
    let client = client();
    let (_, refresh) = tokens(&client);
    for get in [true, false] {
        let (status, body) = call(&client, get, "/refresh", &refresh);
        assert_eq!(status, Status::Ok, "{body}");
        let keys: Vec<&String> = body.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["access_token"]);
        let new_access = body["access_token"].as_str().unwrap();
        let (status, body) = call(&client, true, "/protected", new_access);
        assert_eq!(
            (status, body["logged_in_as"].as_str()),
            (Status::Ok, Some("test"))
        );
    }
}

#[test]
fn access_token_on_refresh_is_422_only_refresh_tokens() {
    let client = client();
    let (access, _) = tokens(&client);
    let (status, body) = call(&client, true, "/refresh", &access);
    assert_eq!(status, Status::UnprocessableEntity);
    assert_eq!(
        body,
        serde_json::json!({ "msg": "Only refresh tokens are allowed" })
    );
}

#[test]
fn refresh_token_on_protected_is_422_only_non_refresh_tokens() {
    let client = client();
    let (_, refresh) = tokens(&client);
    let (status, body) = call(&client, true, "/protected", &refresh);
    assert_eq!(status, Status::UnprocessableEntity);
    assert_eq!(
        body,
        serde_json::json!({ "msg": "Only non-refresh tokens are allowed" })
    );
}

#[test]
fn login_token_is_fresh_and_refreshed_one_is_not() {
    let client = client();
    let (access, refresh) = tokens(&client);
    let (status, body) = call(&client, true, "/fresh", &access);
    assert_eq!(
        (status, body["logged_in_as"].as_str()),
        (Status::Ok, Some("test"))
    );

    let (_, body) = call(&client, false, "/refresh", &refresh);
    let refreshed = body["access_token"].as_str().unwrap();
    let (status, body) = call(&client, true, "/fresh", refreshed);
    assert_eq!(status, Status::Unauthorized);
    assert_eq!(body["msg"], "Fresh token required");
}

#[test]
fn wrong_credentials_are_401() {
    let client = client();
    for body in [
        r#"{"username": "test", "password": "nope"}"#,
        r#"{"username": "nobody", "password": "test"}"#,
    ] {
        let (status, answer) = login(&client, body);
        assert_eq!(status, Status::Unauthorized);
        assert_eq!(
            answer,
            serde_json::json!({ "msg": "Bad username or password" })
        );
    }
}

#[test]
fn malformed_login_bodies_get_a_json_message() {
    let client = client();
    for (body, status) in [
        (r#"{"username": "test""#, Status::BadRequest),
        ("not json", Status::BadRequest),
        (r#"{"username": "test"}"#, Status::UnprocessableEntity),
        (
            r#"{"username": 1, "password": "test"}"#,
            Status::UnprocessableEntity,
        ),
        ("[]", Status::UnprocessableEntity),
    ] {
        let (got, answer) = login(&client, body);
        assert_eq!(got, status, "{body}");
        assert!(
            answer["msg"].as_str().unwrap().starts_with("Bad JSON body"),
            "{answer}"
        );
    }
}

#[test]
fn missing_token_is_401_with_www_authenticate() {
    let client = client();
    let response = client.get("/protected").dispatch();
    assert_eq!(response.status(), Status::Unauthorized);
    assert_eq!(
        response.headers().get_one("WWW-Authenticate"),
        Some("Bearer")
    );
    assert_eq!(
        response.into_json::<Value>().unwrap(),
        serde_json::json!({ "msg": "Missing Authorization Header" })
    );
}
