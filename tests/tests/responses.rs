//! Refusals answer Flask-JWT-Extended's JSON whatever catchers the app registers, and the app
//! can replace them in one place.

mod common;

use common::{bare_rocket, config, get, get_with_token, manager};
use jwt_ext::{JwtError, JwtManager};
use rocket::http::Status;
use rocket::local::blocking::Client;
use rocket::serde::json::{json, Value};
use rocket::{catch, catchers, Request};

#[catch(401)]
fn html_401() -> &'static str {
    "<h1>please log in</h1>"
}

#[catch(422)]
fn text_422() -> &'static str {
    "unprocessable"
}

#[catch(default)]
fn anything(status: Status, _: &Request<'_>) -> String {
    format!("app default catcher: {status}")
}

#[rocket::get("/teapot")]
fn teapot() -> Status {
    Status::Unauthorized
}

fn client_with_catchers() -> Client {
    let rocket = bare_rocket()
        .attach(JwtManager::fairing_with(config()))
        .mount("/", rocket::routes![teapot])
        .register("/", catchers![html_401, text_422, anything]);
    Client::tracked(rocket).unwrap()
}

#[test]
fn app_catchers_do_not_replace_jwt_answers() {
    let client = client_with_catchers();
    let answer = get(&client, "/protected", None);
    assert_eq!(answer.status, Status::Unauthorized);
    assert_eq!(
        answer.body,
        json!({ "msg": "Missing Authorization Header" })
    );
    assert_eq!(answer.content_type.as_deref(), Some("application/json"));
    assert_eq!(answer.www_authenticate.as_deref(), Some("Bearer"));

    let refresh = manager(config()).create_refresh_token("alice").unwrap();
    let answer = get_with_token(&client, "/protected", &refresh);
    assert_eq!(answer.status, Status::UnprocessableEntity);
    assert_eq!(
        answer.body,
        json!({ "msg": "Only non-refresh tokens are allowed" })
    );
}

#[test]
fn app_catchers_still_handle_everything_else() {
    let client = client_with_catchers();
    let answer = get(&client, "/teapot", None);
    assert_eq!(answer.status, Status::Unauthorized);
    assert_eq!(answer.body, Value::String("<h1>please log in</h1>".into()));
    assert_eq!(answer.www_authenticate, None);
    let answer = get(&client, "/nowhere", None);
    assert_eq!(
        answer.body,
        Value::String("app default catcher: 404 Not Found".into())
    );
}

#[test]
fn without_catchers_the_answer_is_the_same() {
    let client = common::client(config());
    let answer = get(&client, "/protected", Some("Basic x"));
    assert_eq!(answer.status, Status::Unauthorized);
    assert_eq!(answer.content_type.as_deref(), Some("application/json"));
    assert_eq!(
        answer.msg(),
        "Missing 'Bearer' type in 'Authorization' header. Expected 'Authorization: Bearer <JWT>'"
    );
}

#[test]
fn error_message_key_is_configurable() {
    let client = common::client(config().error_message_key("error"));
    let answer = get(&client, "/protected", None);
    assert_eq!(
        answer.body,
        json!({ "error": "Missing Authorization Header" })
    );
    let answer = get(&client, "/decode/garbage", None);
    assert_eq!(answer.body, json!({ "error": "Not enough segments" }));
}

#[test]
fn on_error_replaces_chosen_answers() {
    let fairing = JwtManager::fairing_with(config()).on_error(|error| match error {
        JwtError::Expired(token) => Some((
            Status::Unauthorized,
            json!({ "error": "token_expired", "sub": token.claims["sub"] }),
        )),
        JwtError::WrongTokenType { .. } => {
            Some((Status::Forbidden, json!({ "error": "wrong_type" })))
        }
        _ => None,
    });
    let client = Client::tracked(bare_rocket().attach(fairing)).unwrap();
    let jwt = manager(config());

    let expired = jwt
        .access_token("alice")
        .expires_in(rocket::time::Duration::seconds(-1))
        .create()
        .unwrap();
    let answer = get_with_token(&client, "/protected", &expired);
    assert_eq!(answer.status, Status::Unauthorized);
    assert_eq!(
        answer.body,
        json!({ "error": "token_expired", "sub": "alice" })
    );
    assert_eq!(
        answer.www_authenticate.as_deref(),
        Some(r#"Bearer error="invalid_token""#)
    );

    let refresh = jwt.create_refresh_token("alice").unwrap();
    let answer = get_with_token(&client, "/protected", &refresh);
    assert_eq!(answer.status, Status::Forbidden);
    assert_eq!(answer.body, json!({ "error": "wrong_type" }));
    // A 403 of the application's own says nothing about the token's scope.
    assert_eq!(answer.www_authenticate, None);

    // Everything else keeps Flask's default.
    let answer = get(&client, "/protected", None);
    assert_eq!(
        answer.body,
        json!({ "msg": "Missing Authorization Header" })
    );
    // And a JwtError returned by a handler goes through the same hook.
    let answer = get(&client, &format!("/decode/{expired}"), None);
    assert_eq!(answer.body["error"], "token_expired");
}

#[rocket::get("/mint-bad")]
fn mint_bad(jwt: &JwtManager) -> Result<String, jwt_ext::EncodeError> {
    // A numeric identity with `jwt_verify_sub` on: a server-side bug, answered as a 500.
    jwt.create_access_token(1234)
}

#[test]
fn a_token_that_cannot_be_created_is_a_json_500_with_the_cause_in_debug_only() {
    let rocket_in = |profile: &str| {
        let figment = rocket::Config::figment()
            .select(profile)
            .merge(("log_level", "off"));
        rocket::custom(figment)
            .attach(JwtManager::fairing_with(config()))
            .mount("/", rocket::routes![mint_bad])
    };
    let release = Client::tracked(rocket_in("release")).unwrap();
    let answer = get(&release, "/mint-bad", None);
    assert_eq!(answer.status, Status::InternalServerError);
    assert_eq!(answer.body, json!({ "msg": "Could not create the token" }));
    let debug = Client::tracked(rocket_in("debug")).unwrap();
    let answer = get(&debug, "/mint-bad", None);
    assert_eq!(answer.status, Status::InternalServerError);
    assert_eq!(answer.body["msg"], "Could not create the token");
    assert!(
        answer.body["detail"]
            .as_str()
            .is_some_and(|detail| detail.contains("`jwt_verify_sub`")),
        "{}",
        answer.body
    );
}

#[jwt_ext::jwt_required(claims = jwt_ext::has_role("admin"))]
#[rocket::get("/admin")]
fn admin() -> &'static str {
    "admin"
}

/// The header every refusal sends is the one `JwtError::www_authenticate` names: one rule.
#[test]
fn the_challenge_sent_is_the_one_the_error_names() {
    let client = Client::tracked(
        bare_rocket()
            .mount("/", rocket::routes![admin])
            .attach(JwtManager::fairing_with(config())),
    )
    .unwrap();
    let jwt = manager(config());
    let expired = jwt
        .access_token("alice")
        .expires_in(rocket::time::Duration::seconds(-1))
        .create()
        .unwrap();
    let refresh = jwt.create_refresh_token("alice").unwrap();
    let user = jwt.create_access_token("alice").unwrap();
    let cases: [(Option<&str>, &str, JwtError); 5] = [
        (None, "/protected", JwtError::NoAuthorization(String::new())),
        (
            Some("garbage"),
            "/protected",
            JwtError::Invalid(String::new()),
        ),
        (
            Some(&expired),
            "/protected",
            jwt.decode_token(&expired).unwrap_err(),
        ),
        (
            Some(&refresh),
            "/protected",
            JwtError::WrongTokenType {
                refresh_required: false,
            },
        ),
        (Some(&user), "/admin", JwtError::Forbidden(String::new())),
    ];
    for (token, path, error) in cases {
        let answer = match token {
            Some(token) => get_with_token(&client, path, token),
            None => get(&client, path, None),
        };
        assert_eq!(answer.status, error.status(), "{path} {token:?}");
        assert_eq!(
            answer.www_authenticate.as_deref(),
            error.www_authenticate().as_deref(),
            "{path} {token:?}"
        );
    }
    assert_eq!(
        JwtError::Forbidden(String::new())
            .www_authenticate()
            .as_deref(),
        Some(r#"Bearer error="insufficient_scope""#)
    );
}
