//! An app whose identities are JSON objects, as Flask-JWT-Extended's refresh walkthrough
//! writes it (`create_access_token(identity={'user': 'access'})`, `GET /refresh`,
//! `current_user` in the answer), replayed request for request; and what a developer sees
//! when `jwt_verify_sub` is left on.

use jwt_ext::{jwt_required, EncodeError, Jwt, JwtManager};
use rocket::figment::Figment;
use rocket::http::{Method, Status};
use rocket::local::blocking::Client;
use rocket::serde::json::{json, Value};
use rocket::{get, post, routes};

#[post("/login")]
fn login(jwt: &JwtManager) -> Result<Value, EncodeError> {
    let access_token = jwt.create_access_token(json!({ "user": "access" }))?; // type=access
    let refresh_token = jwt.create_refresh_token(json!({ "user": "refresh" }))?; // type=refresh
    Ok(json!({ "access_token": access_token, "refresh_token": refresh_token }))
}

#[jwt_required(refresh)] // only type=refresh tokens reach it
#[get("/refresh")]
fn refresh(jwt: &JwtManager, token: Jwt) -> Result<Value, EncodeError> {
    let identity = token.identity();
    let access_token = jwt.create_access_token(identity)?;
    Ok(json!({ "access_token": access_token }))
}

#[jwt_required]
#[get("/protected")]
fn protected(token: Jwt) -> Value {
    let current_user = token.identity();
    json!({ "current_user": current_user })
}

fn client(figment: Figment) -> Client {
    let figment = figment
        .merge(("log_level", "off"))
        .merge(("jwt_secret_key", "salt-salt-salt-salt-of-at-least-32-bytes"))
        .merge(("jwt_access_token_expires", 3600))
        .merge(("jwt_refresh_token_expires", 86_400));
    let rocket = rocket::custom(figment)
        .attach(JwtManager::fairing())
        .mount("/", routes![login, refresh, protected]);
    Client::tracked(rocket).unwrap()
}

fn call(client: &Client, post: bool, path: &str, token: Option<&str>) -> (Status, Value) {
    let method = if post { Method::Post } else { Method::Get };
    jwt_ext_tests::call_with_bearer(client, method, path, token)
}

#[test]
fn dict_identities_work_with_jwt_verify_sub_off() {
    let client = client(rocket::Config::figment().merge(("jwt_verify_sub", false)));
    // `http post :5000/login`: no body at all.
    let (status, tokens) = call(&client, true, "/login", None);
    assert_eq!(status, Status::Ok);
    let access = tokens["access_token"].as_str().unwrap();
    let refresh = tokens["refresh_token"].as_str().unwrap();
    assert_eq!(
        call(&client, false, "/protected", Some(access)),
        (Status::Ok, json!({ "current_user": { "user": "access" } }))
    );
    let (status, body) = call(&client, false, "/refresh", Some(refresh));
    assert_eq!(status, Status::Ok);
    let new_access = body["access_token"].as_str().unwrap();
    assert_eq!(
        call(&client, false, "/protected", Some(new_access)),
        (Status::Ok, json!({ "current_user": { "user": "refresh" } }))
    );
    assert_eq!(
        call(&client, false, "/refresh", Some(access)),
        (
            Status::UnprocessableEntity,
            json!({ "msg": "Only refresh tokens are allowed" })
        )
    );
}

#[test]
fn with_jwt_verify_sub_on_the_debug_answer_names_the_cause_and_the_setting() {
    let client = client(rocket::Config::figment());
    let (status, body) = call(&client, true, "/login", None);
    assert_eq!(status, Status::InternalServerError);
    assert_eq!(body["msg"], "Could not create the token");
    let detail = body["detail"].as_str().unwrap();
    assert!(detail.contains("`sub` claim must be a string"), "{detail}");
    assert!(detail.contains("`jwt_verify_sub = false`"), "{detail}");
    // Outside the debug profile the body stays generic; the log keeps the cause.
    let release = client_in_release();
    let (status, body) = call(&release, true, "/login", None);
    assert_eq!(
        (status, body),
        (
            Status::InternalServerError,
            json!({ "msg": "Could not create the token" })
        )
    );
}

fn client_in_release() -> Client {
    client(rocket::Config::figment().select("release"))
}
