//! `#[jwt_required]` and `#[fresh_jwt_required]` on real handlers: every form, sync and async,
//! with other guards, data and `uri!`; same answers as the plain guards; the handler body
//! never runs on a refusal; authentication runs before every other guard and the body.
#![deny(warnings)]
#![deny(clippy::all)]

mod common;

use std::sync::Mutex;

use common::{config, manager, SECRET};
use jwt_ext::{fresh_jwt_required, jwt_required, AccessJwt, Config, Jwt, JwtManager, OptionalJwt};
use rocket::http::{ContentType, Header, Method, Status};
use rocket::local::blocking::Client;
use rocket::request::{FromRequest, Outcome, Request};
use rocket::serde::json::{json, Json, Value};
use rocket::{get, post, routes, uri, State};

/// Which handler bodies and guards ran, in order.
#[derive(Default)]
struct Ran(Mutex<Vec<&'static str>>);

impl Ran {
    fn push(&self, what: &'static str) {
        self.0.lock().unwrap().push(what);
    }
}

/// A request guard that records that it ran.
struct Recorder;

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Recorder {
    type Error = ();
    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, ()> {
        request
            .rocket()
            .state::<Ran>()
            .unwrap()
            .push("recorder guard");
        Outcome::Success(Recorder)
    }
}

#[jwt_required]
#[get("/sync")]
fn sync_handler(ran: &State<Ran>) -> Value {
    ran.push("sync");
    json!({ "ok": true })
}

#[jwt_required]
#[get("/async")]
async fn async_handler(ran: &State<Ran>) -> Value {
    rocket::tokio::task::yield_now().await;
    ran.push("async");
    json!({ "ok": true })
}

#[jwt_required(refresh)]
#[post("/refresh")]
async fn refresh(ran: &State<Ran>, jwt: &JwtManager, token: jwt_ext::RefreshJwt) -> Value {
    ran.push("refresh");
    json!({ "access_token": jwt.create_access_token(token.identity()).unwrap() })
}

#[fresh_jwt_required]
#[post("/change-password", data = "<form>")]
fn change_password(ran: &State<Ran>, form: Json<Value>) -> Value {
    ran.push("change-password");
    json!({ "changed": form["password"] })
}

#[jwt_required(fresh)]
#[get("/fresh")]
fn fresh(ran: &State<Ran>) -> &'static str {
    ran.push("fresh");
    "fresh"
}

#[jwt_required(optional)]
#[get("/optional")]
fn optional(ran: &State<Ran>, token: OptionalJwt) -> Value {
    ran.push("optional");
    json!({ "identity": token.token().map(|t| t.identity().clone()) })
}

#[fresh_jwt_required(optional)]
#[get("/optional-fresh")]
fn optional_fresh(ran: &State<Ran>) -> &'static str {
    ran.push("optional-fresh");
    "ok"
}

#[jwt_required(verify_type = false)]
#[get("/any")]
fn any(ran: &State<Ran>) -> &'static str {
    ran.push("any");
    "any"
}

#[jwt_required(refresh, verify_type = false, optional = false, skip_revocation_check)]
#[get("/refresh-any")]
fn refresh_any(ran: &State<Ran>) -> &'static str {
    ran.push("refresh-any");
    "ok"
}

#[jwt_required(locations = "headers")]
#[rocket::get("/users/<id>?<verbose>")]
fn user(id: u32, verbose: Option<bool>, _recorder: Recorder, token: AccessJwt) -> Value {
    json!({ "id": id, "verbose": verbose, "by": token.identity() })
}

#[jwt_required]
#[post("/upload", data = "<body>")]
fn upload(ran: &State<Ran>, _recorder: Recorder, body: Json<Value>) -> Value {
    ran.push("upload");
    body.into_inner()
}

#[jwt_required]
#[get("/shared")]
fn shared(first: AccessJwt, second: OptionalJwt) -> Value {
    let second = second.into_inner().unwrap();
    json!({ "one_decode": std::sync::Arc::ptr_eq(first.token(), second.token()) })
}

#[jwt_required(verify_type = false)]
#[get("/any-then-access")]
fn any_then_access(ran: &State<Ran>, _token: AccessJwt) -> &'static str {
    ran.push("any-then-access");
    "ok"
}

#[jwt_required(refresh)]
#[get("/route-kind/refresh")]
fn route_kind_refresh(token: Jwt) -> Value {
    json!({ "type": token.claims()["type"] })
}

#[fresh_jwt_required]
#[get("/route-kind/fresh")]
fn route_kind_fresh(token: Jwt) -> Value {
    json!({ "fresh": token.is_fresh() })
}

#[get("/route-kind/none")]
fn route_kind_none(token: Jwt) -> Value {
    json!({ "type": token.claims()["type"] })
}

macro_rules! protected_route {
    ($name:ident, $path:literal) => {
        #[jwt_required]
        #[get($path)]
        fn $name(ran: &State<Ran>) -> &'static str {
            ran.push(stringify!($name));
            stringify!($name)
        }
    };
}

protected_route!(from_macro, "/from-macro");

fn client(config: Config) -> Client {
    let rocket = rocket::build()
        .attach(JwtManager::fairing_with(config))
        .manage(Ran::default())
        .mount(
            "/",
            routes![
                sync_handler,
                async_handler,
                refresh,
                change_password,
                fresh,
                optional,
                optional_fresh,
                any,
                refresh_any,
                user,
                upload,
                shared,
                any_then_access,
                from_macro,
                route_kind_refresh,
                route_kind_fresh,
                route_kind_none
            ],
        );
    Client::tracked(rocket).unwrap()
}

fn ran(client: &Client) -> Vec<&'static str> {
    std::mem::take(&mut *client.rocket().state::<Ran>().unwrap().0.lock().unwrap())
}

fn send(
    client: &Client,
    get: bool,
    path: &str,
    token: Option<&str>,
) -> (Status, Value, Option<String>) {
    let method = if get { Method::Get } else { Method::Post };
    common::send(client, method, path, token, None)
}

struct Tokens {
    access: String,
    fresh: String,
    refresh: String,
    expired: String,
}

fn tokens() -> Tokens {
    let jwt = manager(config());
    Tokens {
        access: jwt.create_access_token("alice").unwrap(),
        fresh: jwt.access_token("alice").fresh(true).create().unwrap(),
        refresh: jwt.create_refresh_token("alice").unwrap(),
        expired: jwt
            .access_token("alice")
            .expires_in(rocket::time::Duration::seconds(-5))
            .create()
            .unwrap(),
    }
}

#[test]
fn sync_and_async_handlers_accept_access_tokens_and_refuse_the_rest() {
    let client = client(config());
    let t = tokens();
    for (path, name) in [
        ("/sync", "sync"),
        ("/async", "async"),
        ("/from-macro", "from_macro"),
    ] {
        let (status, _, _) = send(&client, true, path, Some(&t.access));
        assert_eq!(status, Status::Ok, "{path}");
        assert_eq!(ran(&client), [name]);

        let (status, body, challenge) = send(&client, true, path, None);
        assert_eq!(
            (status, body),
            (
                Status::Unauthorized,
                json!({ "msg": "Missing Authorization Header" })
            )
        );
        assert_eq!(challenge.as_deref(), Some("Bearer"));
        let (status, body, _) = send(&client, true, path, Some(&t.refresh));
        assert_eq!(
            (status, body),
            (
                Status::UnprocessableEntity,
                json!({ "msg": "Only non-refresh tokens are allowed" })
            )
        );
        let (status, body, challenge) = send(&client, true, path, Some(&t.expired));
        assert_eq!(
            (status, body),
            (Status::Unauthorized, json!({ "msg": "Token has expired" }))
        );
        assert_eq!(
            challenge.as_deref(),
            Some(r#"Bearer error="invalid_token""#)
        );
        let (status, body, _) = send(&client, true, path, Some("garbage"));
        assert_eq!(
            (status, body),
            (
                Status::UnprocessableEntity,
                json!({ "msg": "Not enough segments" })
            )
        );
        assert!(
            ran(&client).is_empty(),
            "{path}: the handler ran on a refusal"
        );
    }
}

#[test]
fn refresh_attribute() {
    let client = client(config());
    let t = tokens();
    let (status, body, _) = send(&client, false, "/refresh", Some(&t.refresh));
    assert_eq!(status, Status::Ok);
    assert!(body["access_token"].is_string());
    assert_eq!(ran(&client), ["refresh"]);
    let (status, body, _) = send(&client, false, "/refresh", Some(&t.access));
    assert_eq!(
        (status, body),
        (
            Status::UnprocessableEntity,
            json!({ "msg": "Only refresh tokens are allowed" })
        )
    );
    assert!(ran(&client).is_empty());
}

#[test]
fn fresh_attributes() {
    let client = client(config());
    let t = tokens();
    assert_eq!(send(&client, true, "/fresh", Some(&t.fresh)).0, Status::Ok);
    let (status, body, _) = send(&client, true, "/fresh", Some(&t.access));
    assert_eq!(
        (status, body),
        (
            Status::Unauthorized,
            json!({ "msg": "Fresh token required" })
        )
    );
    assert_eq!(ran(&client), ["fresh"]);

    let post = |token: &str, body: &str| {
        let response = client
            .post("/change-password")
            .header(Header::new("Authorization", format!("Bearer {token}")))
            .header(ContentType::JSON)
            .body(body)
            .dispatch();
        (response.status(), response.into_json::<Value>())
    };
    let (status, body) = post(&t.fresh, r#"{"password": "new"}"#);
    assert_eq!(
        (status, body),
        (Status::Ok, Some(json!({ "changed": "new" })))
    );
    let (status, body) = post(&t.access, r#"{"password": "new"}"#);
    assert_eq!(
        (status, body),
        (
            Status::Unauthorized,
            Some(json!({ "msg": "Fresh token required" }))
        )
    );
    assert_eq!(ran(&client), ["change-password"]);
}

#[test]
fn optional_attributes() {
    let client = client(config());
    let t = tokens();
    let (status, body, _) = send(&client, true, "/optional", None);
    assert_eq!((status, body), (Status::Ok, json!({ "identity": null })));
    let (_, body, _) = send(&client, true, "/optional", Some(&t.access));
    assert_eq!(body, json!({ "identity": "alice" }));
    let (status, body, _) = send(&client, true, "/optional", Some(&t.expired));
    assert_eq!(
        (status, body),
        (Status::Unauthorized, json!({ "msg": "Token has expired" }))
    );
    assert_eq!(ran(&client), ["optional", "optional"]);

    assert_eq!(send(&client, true, "/optional-fresh", None).0, Status::Ok);
    assert_eq!(
        send(&client, true, "/optional-fresh", Some(&t.fresh)).0,
        Status::Ok
    );
    let (status, body, _) = send(&client, true, "/optional-fresh", Some(&t.access));
    assert_eq!(
        (status, body),
        (
            Status::Unauthorized,
            json!({ "msg": "Fresh token required" })
        )
    );
    assert_eq!(ran(&client), ["optional-fresh", "optional-fresh"]);
}

#[test]
fn verify_type_false_accepts_both_kinds() {
    let client = client(config());
    let t = tokens();
    assert_eq!(send(&client, true, "/any", Some(&t.access)).0, Status::Ok);
    assert_eq!(send(&client, true, "/any", Some(&t.refresh)).0, Status::Ok);
    assert_eq!(
        send(&client, true, "/refresh-any", Some(&t.access)).0,
        Status::Ok
    );
    assert_eq!(
        send(&client, true, "/refresh-any", None).0,
        Status::Unauthorized
    );
    assert_eq!(ran(&client), ["any", "any", "refresh-any"]);
}

#[test]
fn path_query_and_other_guards_work_and_auth_runs_first() {
    let client = client(config());
    let t = tokens();
    let (status, body, _) = send(&client, true, "/users/7?verbose=true", Some(&t.access));
    assert_eq!(status, Status::Ok);
    assert_eq!(body, json!({ "id": 7, "verbose": true, "by": "alice" }));
    assert_eq!(ran(&client), ["recorder guard"]);

    let (status, _, _) = send(&client, true, "/users/7", None);
    assert_eq!(status, Status::Unauthorized);
    assert!(ran(&client).is_empty(), "a guard ran before authentication");

    assert_eq!(
        uri!(user(7, Some(true))).to_string(),
        "/users/7?verbose=true"
    );
}

#[test]
fn authentication_runs_before_the_body_is_read() {
    let client = client(config());
    let t = tokens();
    // No token and a malformed body: 401 (auth), not 400 (data), and nothing else ran.
    let response = client
        .post("/upload")
        .header(ContentType::JSON)
        .body("{not json")
        .dispatch();
    assert_eq!(response.status(), Status::Unauthorized);
    assert!(ran(&client).is_empty());

    let response = client
        .post("/upload")
        .header(Header::new("Authorization", format!("Bearer {}", t.access)))
        .header(ContentType::JSON)
        .body(r#"{"x": 1}"#)
        .dispatch();
    assert_eq!(response.into_json::<Value>(), Some(json!({ "x": 1 })));
    assert_eq!(ran(&client), ["recorder guard", "upload"]);
}

#[test]
fn attribute_and_guard_parameter_share_one_decode() {
    let client = client(config());
    let (_, body, _) = send(&client, true, "/shared", Some(&tokens().access));
    assert_eq!(body, json!({ "one_decode": true }));
}

/// The attribute's answer is reused only for the same requirement: a stricter parameter still
/// checks the token for itself.
#[test]
fn a_parameter_stricter_than_the_attribute_still_refuses() {
    let client = client(config());
    let t = tokens();
    let (status, _, _) = send(&client, true, "/any-then-access", Some(&t.access));
    assert_eq!(status, Status::Ok);
    assert_eq!(ran(&client), ["any-then-access"]);
    let (status, body, _) = send(&client, true, "/any-then-access", Some(&t.refresh));
    assert_eq!(
        (status, body),
        (
            Status::UnprocessableEntity,
            json!({ "msg": "Only non-refresh tokens are allowed" })
        )
    );
    assert!(ran(&client).is_empty());
}

#[test]
fn without_the_fairing_the_app_refuses_to_launch() {
    let rocket = rocket::build()
        .manage(Ran::default())
        .mount("/", routes![sync_handler]);
    let error = Client::tracked(rocket).unwrap_err();
    assert!(matches!(
        error.kind(),
        rocket::error::ErrorKind::SentinelAborts(_)
    ));
}

#[test]
fn same_answers_as_the_plain_guards_with_a_custom_message_key() {
    let client = client(
        Config::default()
            .secret_key(SECRET)
            .error_message_key("error"),
    );
    let (_, body, _) = send(&client, true, "/sync", None);
    assert_eq!(body, json!({ "error": "Missing Authorization Header" }));
}

#[test]
fn plain_jwt_takes_the_requirement_of_the_attribute() {
    let client = client(config());
    let t = tokens();
    let (status, body, _) = send(&client, true, "/route-kind/refresh", Some(&t.refresh));
    assert_eq!((status, body), (Status::Ok, json!({ "type": "refresh" })));
    let (status, body, _) = send(&client, true, "/route-kind/refresh", Some(&t.access));
    assert_eq!(
        (status, body),
        (
            Status::UnprocessableEntity,
            json!({ "msg": "Only refresh tokens are allowed" })
        )
    );

    let (status, body, _) = send(&client, true, "/route-kind/fresh", Some(&t.fresh));
    assert_eq!((status, body), (Status::Ok, json!({ "fresh": true })));
    let (status, body, _) = send(&client, true, "/route-kind/fresh", Some(&t.access));
    assert_eq!(
        (status, body),
        (
            Status::Unauthorized,
            json!({ "msg": "Fresh token required" })
        )
    );

    // Without an attribute, plain `Jwt` is an access-token guard.
    let (status, body, _) = send(&client, true, "/route-kind/none", Some(&t.access));
    assert_eq!((status, body), (Status::Ok, json!({ "type": "access" })));
    let (status, body, _) = send(&client, true, "/route-kind/none", Some(&t.refresh));
    assert_eq!(
        (status, body),
        (
            Status::UnprocessableEntity,
            json!({ "msg": "Only non-refresh tokens are allowed" })
        )
    );
}
