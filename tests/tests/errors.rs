//! `jwt_ext::Error`: one handler uses `?` on token creation, cookies, logout, revocation and
//! refresh, and each failure answers as its own error type would.

mod common;

use common::config;
use jwt_ext::{AccessJwt, Blocklist, DecodedToken, JwtManager, RefreshJwt, StoreError};
use rocket::http::{Header, Status};
use rocket::local::blocking::Client;
use rocket::serde::json::{json, Value};
use rocket::{post, routes};

/// Logs the login out, logs in again into cookies: `RevokeError`, `EncodeError` and
/// `CookieError` through `?`.
#[post("/again")]
async fn again(
    jwt: &JwtManager,
    access: AccessJwt,
    cookies: &rocket::http::CookieJar<'_>,
) -> Result<Value, jwt_ext::Error> {
    jwt.logout(&access, None).await?;
    let pair = jwt.create_token_pair(access.identity(), false)?;
    jwt.cookies(cookies)
        .set_access_cookies(&pair.access_token)?;
    Ok(json!({ "refresh_token": pair.refresh_token }))
}

/// Revokes the token, then refreshes: `StoreError` and `RefreshError` through `?`.
#[post("/refresh")]
async fn refresh(jwt: &JwtManager, token: RefreshJwt) -> Result<Value, jwt_ext::Error> {
    let refreshed = jwt.refresh(&token).await?;
    jwt.revoke(&token).await?;
    Ok(json!({ "access_token": refreshed.access_token }))
}

/// Decodes the token in the path and mints one for an identity of the body: `JwtError` and
/// `EncodeError` through `?`.
#[post("/mint/<token>", data = "<identity>")]
fn mint(
    jwt: &JwtManager,
    token: &str,
    identity: rocket::serde::json::Json<Value>,
) -> Result<String, jwt_ext::Error> {
    jwt.decode_token(token)?;
    Ok(jwt.create_access_token(identity.into_inner())?)
}

/// A store that is down.
struct Down;

#[rocket::async_trait]
impl Blocklist for Down {
    async fn is_revoked(&self, _: &DecodedToken) -> Result<bool, StoreError> {
        Ok(false)
    }
    async fn revoke(&self, _: &DecodedToken) -> Result<(), StoreError> {
        Err(StoreError::Unavailable("connection refused".into()))
    }
}

fn client(down: bool) -> Client {
    let fairing = JwtManager::fairing_with(config().refresh_token_rotation(false));
    let fairing = if down {
        fairing.blocklist(Down)
    } else {
        fairing
    };
    Client::tracked(
        rocket::build()
            .attach(fairing)
            .mount("/", routes![again, refresh, mint]),
    )
    .unwrap()
}

fn post(client: &Client, path: &str, token: &str) -> (Status, Value, bool) {
    let response = client
        .post(path)
        .header(Header::new("Authorization", format!("Bearer {token}")))
        .dispatch();
    let status = response.status();
    let cookie = response.cookies().get("access_token_cookie").is_some();
    (status, response.into_json().unwrap_or(Value::Null), cookie)
}

#[test]
fn every_error_of_a_handler_goes_through_one_question_mark() {
    let client = client(false);
    let jwt = client.rocket().state::<JwtManager>().unwrap();
    let pair = jwt.create_token_pair("alice", true).unwrap();
    let (status, body, cookie) = post(&client, "/again", &pair.access_token);
    assert_eq!(status, Status::Ok);
    assert!(body["refresh_token"].is_string() && cookie);
    // The login is over: its refresh token is refused by `refresh` (a RefreshError), as the
    // guards would refuse it.
    let (status, body, _) = post(&client, "/refresh", &pair.refresh_token);
    assert_eq!(
        (status, body),
        (
            Status::Unauthorized,
            json!({ "msg": "Token has been revoked" })
        )
    );
}

#[test]
fn a_store_failure_behind_the_question_mark_is_a_503() {
    let client = client(true);
    let jwt = client.rocket().state::<JwtManager>().unwrap();
    let pair = jwt.create_token_pair("alice", true).unwrap();
    let (status, body, cookie) = post(&client, "/again", &pair.access_token);
    assert_eq!(
        (status, body, cookie),
        (
            Status::ServiceUnavailable,
            json!({ "msg": "Token revocation store unavailable" }),
            false
        )
    );
    let refresh = jwt.create_refresh_token("alice").unwrap();
    let (status, body, _) = post(&client, "/refresh", &refresh);
    assert_eq!(
        (status, body),
        (
            Status::ServiceUnavailable,
            json!({ "msg": "Token revocation store unavailable" })
        )
    );
}

#[test]
fn a_refused_token_and_a_token_that_cannot_be_made_answer_as_their_own_errors() {
    let client = client(false);
    let jwt = client.rocket().state::<JwtManager>().unwrap();
    let valid = jwt.create_access_token("alice").unwrap();
    let mint = |token: &str, identity: Value| {
        let response = client
            .post(format!("/mint/{token}"))
            .json(&identity)
            .dispatch();
        (
            response.status(),
            response.into_json::<Value>().unwrap_or(Value::Null),
        )
    };
    // A JwtError: Flask's 422 for a token that is no JWT.
    let (status, body) = mint("garbage", json!("bob"));
    assert_eq!(status, Status::UnprocessableEntity);
    assert_eq!(body, json!({ "msg": "Not enough segments" }));
    // An EncodeError: a `sub` that is no string (jwt_verify_sub is on) is a JSON 500.
    let (status, body) = mint(&valid, json!({ "id": 7 }));
    assert_eq!(status, Status::InternalServerError);
    assert_eq!(body["msg"], "Could not create the token");
    assert_eq!(mint(&valid, json!("bob")).0, Status::Ok);
}

#[derive(rocket::serde::Deserialize)]
#[serde(crate = "rocket::serde")]
struct Note {
    #[allow(dead_code)]
    text: String,
}

#[post("/notes", format = "json", data = "<note>")]
fn notes(_token: AccessJwt, note: rocket::serde::json::Json<Note>) -> Value {
    let _ = note;
    json!({ "ok": true })
}

#[test]
fn json_catchers_answer_rockets_own_errors_in_json_and_leave_jwt_exts_messages() {
    let rocket = common::rocket_with(config().error_message_key("error"))
        .mount("/", routes![notes])
        .register("/", jwt_ext::json_catchers());
    let client = Client::tracked(rocket).unwrap();
    let token = common::manager(config())
        .create_access_token("alice")
        .unwrap();
    let post = |body: &str| {
        let response = client
            .post("/notes")
            .header(rocket::http::ContentType::JSON)
            .header(Header::new("Authorization", format!("Bearer {token}")))
            .body(body)
            .dispatch();
        let status = response.status();
        let content_type = response.content_type();
        (status, content_type, response.into_json::<Value>())
    };
    // A body Rocket cannot parse: its 422, in JSON with the app's message key.
    let (status, content_type, body) = post(r#"{"text": 7}"#);
    assert_eq!(status, Status::UnprocessableEntity);
    assert_eq!(content_type, Some(rocket::http::ContentType::JSON));
    assert_eq!(body, Some(json!({ "error": "Unprocessable Entity" })));
    assert_eq!(post(r#"{"text": "hi"}"#).0, Status::Ok);
    // A route that does not exist.
    let response = client.get("/nowhere").dispatch();
    assert_eq!(response.status(), Status::NotFound);
    assert_eq!(
        response.into_json::<Value>(),
        Some(json!({ "error": "Not Found" }))
    );
    // jwt-ext's own refusal keeps its Flask message.
    let response = client
        .post("/notes")
        .header(rocket::http::ContentType::JSON)
        .body(r#"{"text": "hi"}"#)
        .dispatch();
    assert_eq!(response.status(), Status::Unauthorized);
    assert_eq!(
        response.into_json::<Value>(),
        Some(json!({ "error": "Missing Authorization Header" }))
    );
}
