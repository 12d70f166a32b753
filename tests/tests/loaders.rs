//! Flask-JWT-Extended's JWTManager loaders: identity, additional claims and headers, token
//! verification, user lookup, every error responder, Flask-JWT-Extended's check order, and
//! the claims requirements of `#[jwt_required(claims = ...)]` / `Authorized<R>`.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use common::config;
use jwt_ext::{
    has_role, jwt_required, Authorized, ClaimsRequirement, CurrentUser, DecodedToken, Jwt,
    JwtFairing, JwtManager, OptionalCurrentUser, UserLoader,
};
use rocket::http::{Method, Status};
use rocket::local::blocking::Client;
use rocket::serde::json::{json, Value};
use rocket::time::Duration;
use rocket::{get, routes, Request};

#[derive(Debug)]
struct User {
    name: String,
    admin: bool,
}

/// Knows `alice` (admin) and `carol`; counts its calls.
struct Users(Arc<AtomicUsize>);

#[rocket::async_trait]
impl UserLoader for Users {
    type User = User;

    async fn load_user(&self, token: &DecodedToken, _: &Request<'_>) -> Option<User> {
        self.0.fetch_add(1, Ordering::SeqCst);
        let name = token.identity().as_str()?;
        ["alice", "carol"].contains(&name).then(|| User {
            name: name.to_owned(),
            admin: name == "alice",
        })
    }
}

#[get("/me")]
fn me(user: CurrentUser<User>, again: CurrentUser<User>) -> Value {
    json!({ "name": user.name, "admin": user.admin, "same": std::ptr::eq(&*user, &*again) })
}

#[get("/maybe-me")]
fn maybe_me(user: OptionalCurrentUser<User>) -> Value {
    json!({ "name": user.user().map(|user| user.name.clone()) })
}

#[jwt_required]
#[get("/plain")]
fn plain() -> &'static str {
    "plain"
}

#[jwt_required(fresh)]
#[get("/fresh")]
fn fresh() -> &'static str {
    "fresh"
}

#[jwt_required(claims = has_role("admin"))]
#[get("/admin")]
fn admin(token: Jwt) -> Value {
    json!({ "admin": token.identity() })
}

#[jwt_required(claims = |token: &DecodedToken| token.claims().get("tenant") == Some(&json!(7)))]
#[get("/tenant-7")]
fn tenant_seven() -> &'static str {
    "tenant 7"
}

#[jwt_required(optional, claims = has_role("admin").or(has_role("editor")))]
#[get("/maybe-staff")]
pub fn maybe_staff() -> &'static str {
    "staff or nobody"
}

#[derive(Default)]
struct Admin;

impl ClaimsRequirement for Admin {
    fn check(&self, token: &DecodedToken) -> Result<(), String> {
        has_role("admin").check(token)
    }
}

#[get("/admin-guard")]
fn admin_guard(token: Authorized<Admin>) -> Value {
    json!({ "admin": token.identity() })
}

/// The app without the `CurrentUser` routes, which need a user loader to launch.
fn client_with(fairing: JwtFairing) -> Client {
    let rocket = rocket::build().attach(fairing).mount(
        "/",
        routes![plain, fresh, admin, tenant_seven, maybe_staff, admin_guard],
    );
    Client::tracked(rocket).unwrap()
}

/// The whole app; `fairing` has a user loader.
fn client_with_users(fairing: JwtFairing) -> Client {
    let rocket = rocket::build().attach(fairing).mount(
        "/",
        routes![
            me,
            maybe_me,
            plain,
            fresh,
            admin,
            tenant_seven,
            maybe_staff,
            admin_guard
        ],
    );
    Client::tracked(rocket).unwrap()
}

fn users() -> (Users, Arc<AtomicUsize>) {
    let calls = Arc::new(AtomicUsize::new(0));
    (Users(Arc::clone(&calls)), calls)
}

fn jwt(client: &Client) -> &JwtManager {
    client.rocket().state::<JwtManager>().unwrap()
}

fn send(client: &Client, path: &str, token: Option<&str>) -> (Status, Value, Option<String>) {
    common::send(client, Method::Get, path, token, None)
}

#[test]
fn identity_loader_turns_the_identity_into_sub() {
    let fairing = JwtManager::fairing_with(config())
        .user_identity_loader(|user| user["id"].to_string().into());
    let client = client_with(fairing);
    let token = jwt(&client)
        .create_access_token(json!({ "id": 42, "name": "alice" }))
        .unwrap();
    let decoded = jwt(&client).decode_token(&token).unwrap();
    assert_eq!(decoded.identity(), "42");
}

#[test]
fn additional_claims_and_headers_loaders_lose_to_explicit_values() {
    let fairing = JwtManager::fairing_with(config())
        .additional_claims_loader(|identity| json!({ "role": "user", "greeting": format!("hi {}", identity.as_str().unwrap()) }))
        .additional_headers_loader(|_| json!({ "kid": "loader", "x-app": "demo" }));
    let client = client_with(fairing);
    let jwt = jwt(&client);

    let token = jwt.create_access_token("alice").unwrap();
    let decoded = jwt.decode_token(&token).unwrap();
    assert_eq!(decoded.claims()["role"], "user");
    assert_eq!(decoded.claims()["greeting"], "hi alice");
    assert_eq!(decoded.header()["kid"], "loader");

    let token = jwt
        .access_token("alice")
        .claim("role", "admin")
        .header("kid", "explicit")
        .create()
        .unwrap();
    let decoded = jwt.decode_token(&token).unwrap();
    assert_eq!(decoded.claims()["role"], "admin");
    assert_eq!(decoded.header()["kid"], "explicit");
    assert_eq!(decoded.header()["x-app"], "demo");

    let bad = JwtManager::fairing_with(config()).additional_claims_loader(|_| json!([1]));
    let client = client_with(bad);
    assert!(jwt_ext::EncodeError::NotAnObject("additional claims")
        .to_string()
        .contains("object"));
    assert!(matches!(
        client
            .rocket()
            .state::<JwtManager>()
            .unwrap()
            .create_access_token("a"),
        Err(jwt_ext::EncodeError::NotAnObject("additional claims"))
    ));
}

#[test]
fn token_verification_loader_refuses_with_400() {
    let fairing = JwtManager::fairing_with(config())
        .token_verification_loader(|token| token.claims().get("tenant").is_some());
    let client = client_with(fairing);
    let jwt = jwt(&client);
    let with_tenant = jwt
        .access_token("alice")
        .claim("tenant", 1)
        .create()
        .unwrap();
    let without = jwt.create_access_token("alice").unwrap();
    assert_eq!(send(&client, "/plain", Some(&with_tenant)).0, Status::Ok);
    let (status, body, challenge) = send(&client, "/plain", Some(&without));
    assert_eq!(
        (status, body),
        (
            Status::BadRequest,
            json!({ "msg": "User claims verification failed" })
        )
    );
    assert_eq!(challenge, None);
}

#[test]
fn user_lookup_loads_once_per_request() {
    let (loader, calls) = users();
    let client = client_with_users(JwtManager::fairing_with(config()).user_lookup_loader(loader));
    let token = jwt(&client).create_access_token("alice").unwrap();
    let (status, body, _) = send(&client, "/me", Some(&token));
    assert_eq!(status, Status::Ok);
    assert_eq!(
        body,
        json!({ "name": "alice", "admin": true, "same": true })
    );
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[test]
fn failed_lookup_is_401_even_without_a_current_user_parameter() {
    let (loader, _) = users();
    let client = client_with_users(JwtManager::fairing_with(config()).user_lookup_loader(loader));
    let token = jwt(&client).create_access_token("bob").unwrap();
    for path in ["/me", "/plain", "/maybe-me"] {
        let (status, body, challenge) = send(&client, path, Some(&token));
        assert_eq!(
            (status, body),
            (
                Status::Unauthorized,
                json!({ "msg": "Error loading the user bob" })
            ),
            "{path}"
        );
        assert_eq!(
            challenge.as_deref(),
            Some(r#"Bearer error="invalid_token""#)
        );
    }
}

#[test]
fn optional_route_without_token_does_not_call_the_loader() {
    let (loader, calls) = users();
    let client = client_with_users(JwtManager::fairing_with(config()).user_lookup_loader(loader));
    let (status, body, _) = send(&client, "/maybe-me", None);
    assert_eq!((status, body), (Status::Ok, json!({ "name": null })));
    assert_eq!(calls.load(Ordering::SeqCst), 0);
    let token = jwt(&client).create_access_token("carol").unwrap();
    assert_eq!(
        send(&client, "/maybe-me", Some(&token)).1,
        json!({ "name": "carol" })
    );
}

#[test]
fn current_user_without_a_loader_refuses_to_launch() {
    let rocket = rocket::build()
        .attach(JwtManager::fairing_with(config()))
        .mount("/", routes![me]);
    let error = Client::tracked(rocket).unwrap_err();
    assert!(matches!(
        error.kind(),
        rocket::error::ErrorKind::SentinelAborts(_)
    ));
}

#[test]
fn current_user_of_another_type_refuses_to_launch() {
    struct Other;
    #[rocket::async_trait]
    impl UserLoader for Other {
        type User = String;
        async fn load_user(&self, _: &DecodedToken, _: &Request<'_>) -> Option<String> {
            None
        }
    }
    let rocket = rocket::build()
        .attach(JwtManager::fairing_with(config()).user_lookup_loader(Other))
        .mount("/", routes![me]);
    let error = Client::tracked(rocket).unwrap_err();
    assert!(matches!(
        error.kind(),
        rocket::error::ErrorKind::SentinelAborts(_)
    ));
}

#[test]
fn check_order_follows_flask() {
    // type → fresh → claims verification → user lookup: the first failing check answers.
    let (loader, calls) = users();
    let fairing = JwtManager::fairing_with(config())
        .token_verification_loader(|token| token.claims().get("tenant").is_some())
        .user_lookup_loader(loader);
    let client = client_with(fairing);
    let jwt = jwt(&client);

    let refresh = jwt.create_refresh_token("bob").unwrap();
    assert_eq!(
        send(&client, "/plain", Some(&refresh)).1["msg"],
        "Only non-refresh tokens are allowed"
    );
    let stale = jwt.create_access_token("bob").unwrap();
    assert_eq!(
        send(&client, "/fresh", Some(&stale)).1["msg"],
        "Fresh token required"
    );
    assert_eq!(
        send(&client, "/plain", Some(&stale)).1["msg"],
        "User claims verification failed"
    );
    let unknown_user = jwt.access_token("bob").claim("tenant", 1).create().unwrap();
    assert_eq!(
        send(&client, "/plain", Some(&unknown_user)).1["msg"],
        "Error loading the user bob"
    );
    assert_eq!(
        calls.load(Ordering::SeqCst),
        1,
        "only the last request reached the lookup"
    );
}

#[test]
fn every_error_responder_can_be_replaced() {
    let (loader, _) = users();
    let fairing = JwtManager::fairing_with(config())
        .token_verification_loader(|token| token.claims().get("blocked").is_none())
        .user_lookup_loader(loader)
        .expired_token_loader(|token| {
            (
                Status::Unauthorized,
                json!({ "expired_for": token.identity }),
            )
        })
        .needs_fresh_token_loader(|token| {
            (Status::Forbidden, json!({ "log_in_again": token.identity }))
        })
        .user_lookup_error_loader(|token| {
            (Status::NotFound, json!({ "no_such_user": token.identity }))
        })
        .token_verification_failed_loader(|token| {
            (
                Status::Forbidden,
                json!({ "blocked": token.claims["blocked"] }),
            )
        })
        .invalid_token_loader(|message| (Status::BadRequest, json!({ "invalid": message })))
        .unauthorized_loader(|message| (Status::Unauthorized, json!({ "missing": message })));
    let client = client_with_users(fairing);
    let jwt = jwt(&client);

    let expired = jwt
        .access_token("alice")
        .expires_in(Duration::seconds(-5))
        .create()
        .unwrap();
    let stale = jwt.create_access_token("alice").unwrap();
    let unknown = jwt.create_access_token("bob").unwrap();
    let blocked = jwt
        .access_token("alice")
        .claim("blocked", true)
        .create()
        .unwrap();
    let refresh = jwt.create_refresh_token("alice").unwrap();

    for (path, token, status, body) in [
        (
            "/plain",
            Some(expired.as_str()),
            Status::Unauthorized,
            json!({ "expired_for": "alice" }),
        ),
        (
            "/fresh",
            Some(&stale),
            Status::Forbidden,
            json!({ "log_in_again": "alice" }),
        ),
        (
            "/plain",
            Some(&unknown),
            Status::NotFound,
            json!({ "no_such_user": "bob" }),
        ),
        (
            "/plain",
            Some(&blocked),
            Status::Forbidden,
            json!({ "blocked": true }),
        ),
        (
            "/plain",
            Some("garbage"),
            Status::BadRequest,
            json!({ "invalid": "Not enough segments" }),
        ),
        (
            "/plain",
            Some(&refresh),
            Status::BadRequest,
            json!({ "invalid": "Only non-refresh tokens are allowed" }),
        ),
        (
            "/plain",
            None,
            Status::Unauthorized,
            json!({ "missing": "Missing Authorization Header" }),
        ),
        // The same responders for the plain guards.
        (
            "/me",
            Some(&unknown),
            Status::NotFound,
            json!({ "no_such_user": "bob" }),
        ),
        (
            "/admin-guard",
            Some(&expired),
            Status::Unauthorized,
            json!({ "expired_for": "alice" }),
        ),
    ] {
        let (got_status, got_body, _) = send(&client, path, token);
        assert_eq!((got_status, got_body), (status, body), "{path} {token:?}");
    }
}

#[test]
fn claims_requirement_in_the_attribute() {
    let client = client_with(JwtManager::fairing_with(config()));
    let jwt = jwt(&client);
    let admin = jwt
        .access_token("alice")
        .claim("role", "admin")
        .create()
        .unwrap();
    let editor = jwt
        .access_token("carol")
        .claim("roles", ["editor"])
        .create()
        .unwrap();
    let nobody = jwt.create_access_token("dave").unwrap();

    assert_eq!(
        send(&client, "/admin", Some(&admin)).1,
        json!({ "admin": "alice" })
    );
    let (status, body, challenge) = send(&client, "/admin", Some(&editor));
    assert_eq!(
        (status, body),
        (Status::Forbidden, json!({ "msg": "Role `admin` required" }))
    );
    assert_eq!(
        challenge.as_deref(),
        Some(r#"Bearer error="insufficient_scope""#)
    );
    // Authentication still comes first.
    assert_eq!(send(&client, "/admin", None).0, Status::Unauthorized);

    assert_eq!(send(&client, "/maybe-staff", None).0, Status::Ok);
    assert_eq!(send(&client, "/maybe-staff", Some(&editor)).0, Status::Ok);
    let (status, body, _) = send(&client, "/maybe-staff", Some(&nobody));
    assert_eq!(
        (status, body["msg"].as_str()),
        (Status::Forbidden, Some("Role `editor` required"))
    );

    let seven = jwt.access_token("a").claim("tenant", 7).create().unwrap();
    assert_eq!(send(&client, "/tenant-7", Some(&seven)).0, Status::Ok);
    let (status, body, _) = send(&client, "/tenant-7", Some(&nobody));
    assert_eq!(
        (status, body),
        (
            Status::Forbidden,
            json!({ "msg": "Insufficient permissions" })
        )
    );
}

#[test]
fn claims_requirement_as_a_guard() {
    let client = client_with(JwtManager::fairing_with(config()));
    let jwt = jwt(&client);
    let admin = jwt
        .access_token("alice")
        .claim("roles", ["admin"])
        .create()
        .unwrap();
    let plain = jwt.create_access_token("carol").unwrap();
    assert_eq!(
        send(&client, "/admin-guard", Some(&admin)).1,
        json!({ "admin": "alice" })
    );
    let (status, body, _) = send(&client, "/admin-guard", Some(&plain));
    assert_eq!(
        (status, body),
        (Status::Forbidden, json!({ "msg": "Role `admin` required" }))
    );
    let refresh = jwt.create_refresh_token("alice").unwrap();
    assert_eq!(
        send(&client, "/admin-guard", Some(&refresh)).0,
        Status::UnprocessableEntity
    );
}

#[test]
fn on_error_still_catches_what_the_named_loaders_leave() {
    let fairing = JwtManager::fairing_with(config())
        .expired_token_loader(|_| (Status::Unauthorized, json!({ "named": true })))
        .on_error(|_| Some((Status::Unauthorized, json!({ "catch_all": true }))));
    let client = client_with(fairing);
    let expired = jwt(&client)
        .access_token("a")
        .expires_in(Duration::seconds(-5))
        .create()
        .unwrap();
    assert_eq!(
        send(&client, "/plain", Some(&expired)).1,
        json!({ "named": true })
    );
    assert_eq!(
        send(&client, "/plain", None).1,
        json!({ "catch_all": true })
    );
}

#[test]
fn the_token_verification_loader_runs_once_per_request() {
    let calls = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&calls);
    let fairing = JwtManager::fairing_with(config()).token_verification_loader(move |_| {
        counted.fetch_add(1, Ordering::SeqCst);
        true
    });
    let client = client_with(fairing);
    let admin = jwt(&client)
        .access_token("alice")
        .claim("role", "admin")
        .create()
        .unwrap();
    // `/admin` has the attribute and a `Jwt` parameter: two guards, one check.
    assert_eq!(send(&client, "/admin", Some(&admin)).0, Status::Ok);
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}
