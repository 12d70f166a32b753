//! `verify_jwt_in_request`: the guards' checks from a custom request guard, a fairing and a
//! handler, with every one of Flask's options, remembered for the request.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use common::{config, manager};
use jwt_ext::{
    verify_jwt_in_request, Blocklist, DecodedToken, Jwt, JwtError, JwtManager, StoreError,
    VerifyOptions,
};
use rocket::fairing::AdHoc;
use rocket::http::{Method, Status};
use rocket::local::blocking::Client;
use rocket::request::{FromRequest, Outcome, Request};
use rocket::serde::json::{json, Value};
use rocket::time::Duration;
use rocket::{get, options, routes};

/// An administrator: a fresh token with `role: admin`, checked by a guard of the app's own.
struct Admin(Value);

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Admin {
    type Error = JwtError;

    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, JwtError> {
        let token = match VerifyOptions::new().fresh(true).guard(request).await {
            Outcome::Success(Some(token)) => token,
            Outcome::Success(None) => unreachable!("not optional"),
            Outcome::Error(error) => return Outcome::Error(error),
            Outcome::Forward(status) => return Outcome::Forward(status),
        };
        if token.claims().get("role").and_then(Value::as_str) == Some("admin") {
            Outcome::Success(Admin(token.identity().clone()))
        } else {
            Outcome::Forward(Status::Forbidden)
        }
    }
}

#[get("/admin")]
fn admin(admin: Admin) -> Value {
    json!({ "admin": admin.0 })
}

/// Who the fairing saw, from the request-local cache.
struct SeenBy(Option<String>);

#[get("/seen")]
fn seen(request_identity: &SeenByGuard) -> Value {
    json!({ "seen": request_identity.0 })
}

/// Reads the fairing's answer.
struct SeenByGuard(Option<String>);

#[rocket::async_trait]
impl<'r> FromRequest<'r> for &'r SeenByGuard {
    type Error = ();

    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, ()> {
        let seen = request.local_cache(|| SeenBy(None));
        Outcome::Success(request.local_cache(|| SeenByGuard(seen.0.clone())))
    }
}

/// No attribute: the `Jwt` parameter takes the requirement of the fairing's call.
#[get("/plain")]
fn plain(token: Jwt) -> Value {
    json!({ "identity": token.identity(), "type": token.claims()["type"] })
}

/// A guard of the app's own that takes the options from the query string.
struct Inline(Option<Value>);

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Inline {
    type Error = JwtError;

    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, JwtError> {
        let flag = |name: &str| {
            request
                .query_value::<bool>(name)
                .and_then(Result::ok)
                .unwrap_or(false)
        };
        let mut options = VerifyOptions::new()
            .refresh(flag("refresh"))
            .verify_type(flag("verify_type"))
            .skip_revocation_check(flag("skip"));
        if let Some(Ok(locations)) = request.query_value::<&str>("locations") {
            options = options.locations(locations.parse().unwrap());
        }
        options
            .guard(request)
            .await
            .map(|token| Inline(token.map(|token| token.identity().clone())))
    }
}

#[get("/inline?<_query..>")]
fn inline(token: Inline, _query: std::collections::HashMap<String, String>) -> Value {
    json!({ "identity": token.0 })
}

#[options("/plain")]
fn preflight() -> &'static str {
    "ok"
}

/// Counts the revocation store's answers.
struct Counting(Arc<AtomicUsize>);

#[rocket::async_trait]
impl Blocklist for Counting {
    async fn is_revoked(&self, _: &DecodedToken) -> Result<bool, StoreError> {
        self.0.fetch_add(1, Ordering::SeqCst);
        Ok(false)
    }
    async fn revoke(&self, _: &DecodedToken) -> Result<(), StoreError> {
        Ok(())
    }
}

fn client(fairing_options: VerifyOptions, calls: &Arc<AtomicUsize>) -> Client {
    let rocket = rocket::build()
        .attach(JwtManager::fairing_with(config()).blocklist(Counting(Arc::clone(calls))))
        .attach(AdHoc::on_request("who", move |request, _| {
            Box::pin(async move {
                let identity = verify_jwt_in_request(request, fairing_options)
                    .await
                    .ok()
                    .flatten()
                    .and_then(|token| token.identity().as_str().map(str::to_owned));
                request.local_cache(|| SeenBy(identity));
            })
        }))
        .mount("/", routes![admin, seen, plain, inline, preflight]);
    Client::tracked(rocket).unwrap()
}

fn get(client: &Client, path: &str, token: Option<&str>) -> (Status, Value) {
    jwt_ext_tests::call_with_bearer(client, Method::Get, path, token)
}

#[test]
fn a_custom_guard_gets_the_guards_checks_and_answers() {
    let calls = Arc::new(AtomicUsize::new(0));
    let client = client(VerifyOptions::new().optional(true), &calls);
    let jwt = manager(config());
    let fresh_admin = jwt
        .access_token("alice")
        .fresh(true)
        .claim("role", "admin")
        .create()
        .unwrap();
    assert_eq!(
        get(&client, "/admin", Some(&fresh_admin)),
        (Status::Ok, json!({ "admin": "alice" }))
    );
    let stale_admin = jwt
        .access_token("alice")
        .claim("role", "admin")
        .create()
        .unwrap();
    assert_eq!(
        get(&client, "/admin", Some(&stale_admin)),
        (
            Status::Unauthorized,
            json!({ "msg": "Fresh token required" })
        )
    );
    assert_eq!(
        get(&client, "/admin", None),
        (
            Status::Unauthorized,
            json!({ "msg": "Missing Authorization Header" })
        )
    );
}

#[test]
fn a_fairing_sees_who_calls_and_the_answer_is_remembered_for_the_request() {
    let calls = Arc::new(AtomicUsize::new(0));
    let client = client(VerifyOptions::new().optional(true), &calls);
    let token = manager(config()).create_access_token("alice").unwrap();
    assert_eq!(
        get(&client, "/seen", Some(&token)),
        (Status::Ok, json!({ "seen": "alice" }))
    );
    assert_eq!(
        get(&client, "/seen", None),
        (Status::Ok, json!({ "seen": null }))
    );
    // An expired token: the fairing gets the error and lets the request go on.
    let expired = manager(config())
        .access_token("alice")
        .expires_in(Duration::seconds(-60))
        .create()
        .unwrap();
    assert_eq!(
        get(&client, "/seen", Some(&expired)),
        (Status::Ok, json!({ "seen": null }))
    );
    // The fairing's check and the handler's `Jwt` parameter: one revocation lookup.
    calls.store(0, Ordering::SeqCst);
    assert_eq!(get(&client, "/plain", Some(&token)).0, Status::Ok);
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[test]
fn a_plain_jwt_parameter_takes_the_requirement_of_the_call() {
    // The fairing asks for a refresh token: `Jwt` on a route without the attribute then
    // accepts one, as Flask's `get_jwt()` after `verify_jwt_in_request(refresh=True)`.
    let calls = Arc::new(AtomicUsize::new(0));
    let client = client(VerifyOptions::new().refresh(true), &calls);
    let refresh = manager(config()).create_refresh_token("alice").unwrap();
    assert_eq!(
        get(&client, "/plain", Some(&refresh)),
        (
            Status::Ok,
            json!({ "identity": "alice", "type": "refresh" })
        )
    );
}

#[test]
fn every_option_of_flask_is_honoured() {
    let calls = Arc::new(AtomicUsize::new(0));
    let client = client(VerifyOptions::new().optional(true), &calls);
    let jwt = manager(config());
    let access = jwt.create_access_token("alice").unwrap();
    let refresh = jwt.create_refresh_token("alice").unwrap();
    let path = |refresh: bool, verify_type: bool, skip: bool| {
        format!("/inline?refresh={refresh}&verify_type={verify_type}&skip={skip}")
    };
    assert_eq!(
        get(&client, &path(false, true, false), Some(&access)),
        (Status::Ok, json!({ "identity": "alice" }))
    );
    assert_eq!(
        get(&client, &path(true, true, false), Some(&access)),
        (
            Status::UnprocessableEntity,
            json!({ "msg": "Only refresh tokens are allowed" })
        )
    );
    assert_eq!(
        get(&client, &path(true, true, false), Some(&refresh)).0,
        Status::Ok
    );
    assert_eq!(
        get(&client, &path(false, false, false), Some(&refresh)).0,
        Status::Ok
    );
    calls.store(0, Ordering::SeqCst);
    let fresh = jwt.create_access_token("bob").unwrap();
    assert_eq!(
        get(&client, &path(false, true, true), Some(&fresh)).0,
        Status::Ok
    );
    // The fairing asked (optional, with the store); the handler skipped the store.
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    let cookies_only = format!("{}&locations=cookies", path(false, true, false));
    assert_eq!(
        get(&client, &cookies_only, Some(&access)),
        (
            Status::Unauthorized,
            json!({ "msg": "Missing cookie \"access_token_cookie\"" })
        )
    );
}

#[test]
fn an_options_request_needs_no_token() {
    let calls = Arc::new(AtomicUsize::new(0));
    let client = client(VerifyOptions::new(), &calls);
    let response = client.req(Method::Options, "/plain").dispatch();
    assert_eq!(response.status(), Status::Ok);
    assert_eq!(calls.load(Ordering::SeqCst), 0);
}
