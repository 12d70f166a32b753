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
