//! `jwt_ext::testing`: every kind of test token gets the answer its name promises, attached
//! the way the app reads tokens.

mod common;

use common::{config, get, rocket_with};
use jwt_ext::testing::{TestTokens, WithToken};
use rocket::http::Status;
use rocket::local::blocking::Client;
use serde_json::Value;

fn status_and_msg(client: &Client, path: &str, token: &str) -> (Status, String) {
    let response = client.get(path.to_owned()).with_token(token).dispatch();
    let status = response.status();
    let body: Value = response.into_json().unwrap_or(Value::Null);
    (status, body["msg"].as_str().unwrap_or_default().to_owned())
}

#[test]
fn each_test_token_gets_its_answer() {
    let client = Client::tracked(rocket_with(config())).unwrap();
    let tokens = TestTokens::of(client.rocket());
    assert_eq!(
        status_and_msg(&client, "/protected", &tokens.access("alice")).0,
        Status::Ok
    );
    assert_eq!(
        status_and_msg(&client, "/fresh", &tokens.fresh("alice")).0,
        Status::Ok
    );
    assert_eq!(
        status_and_msg(&client, "/fresh", &tokens.access("alice")),
        (Status::Unauthorized, "Fresh token required".into())
    );
    assert_eq!(
        status_and_msg(&client, "/refresh", &tokens.refresh("alice")).0,
        Status::Ok
    );
    assert_eq!(
        status_and_msg(&client, "/protected", &tokens.expired("alice")),
        (Status::Unauthorized, "Token has expired".into())
    );
    assert_eq!(
        status_and_msg(&client, "/refresh", &tokens.expired_refresh("alice")),
        (Status::Unauthorized, "Token has expired".into())
    );
    assert_eq!(
        status_and_msg(&client, "/protected", &tokens.tampered("alice")),
        (
            Status::UnprocessableEntity,
            "Signature verification failed".into()
        )
    );
}

#[test]
fn tokens_are_attached_with_the_configured_header() {
    let client =
        Client::tracked(rocket_with(config().header_name("X-Token").header_type(""))).unwrap();
    let tokens = TestTokens::of(client.rocket());
    assert_eq!(
        status_and_msg(&client, "/protected", &tokens.access("alice")).0,
        Status::Ok
    );
    // Without the helper, the default header is not what this app reads.
    let answer = get(
        &client,
        "/protected",
        Some(&format!("Bearer {}", tokens.access("alice"))),
    );
    assert_eq!(answer.msg(), "Missing X-Token Header");
}

#[test]
fn cookie_apps_get_cookies_and_the_csrf_header() {
    let cookies_first = config().token_location("cookies, headers".parse().unwrap());
    let client = Client::untracked(rocket_with(cookies_first)).unwrap();
    let tokens = TestTokens::of(client.rocket());
    // POST needs the CSRF header with a cookie: the helper sends it, as the page would.
    let refresh = client
        .post("/refresh")
        .with_token(&tokens.refresh("alice"))
        .dispatch();
    assert_eq!(refresh.status(), Status::Ok);
    let access = client
        .get("/protected")
        .with_token(&tokens.access("alice"))
        .dispatch();
    assert_eq!(access.status(), Status::Ok);
    assert_eq!(
        status_and_msg(&client, "/protected", &tokens.expired("alice")),
        (Status::Unauthorized, "Token has expired".into())
    );
    assert_eq!(
        status_and_msg(&client, "/protected", &tokens.tampered("alice")),
        (
            Status::UnprocessableEntity,
            "Signature verification failed".into()
        )
    );

    // `with_token_cookies` whatever the configured order; without the cookies location the
    // app does not look there.
    let headers_only = Client::untracked(rocket_with(config())).unwrap();
    let tokens = TestTokens::of(headers_only.rocket());
    let answer = headers_only
        .get("/protected")
        .with_token_cookies(&tokens.access("alice"))
        .dispatch();
    assert_eq!(answer.status(), Status::Unauthorized);
    let both = config().token_location("headers, cookies".parse().unwrap());
    let client = Client::untracked(rocket_with(both)).unwrap();
    let tokens = TestTokens::of(client.rocket());
    let answer = client
        .post("/refresh")
        .with_token_cookies(&tokens.refresh("alice"))
        .dispatch();
    assert_eq!(answer.status(), Status::Ok);
}
