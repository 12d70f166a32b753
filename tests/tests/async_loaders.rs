//! Loaders that await: additional claims from the application's state, token verification with
//! the request at hand, and error loaders that add headers to their answer.

mod common;

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use common::config;
use jwt_ext::testing::{TestTokens, WithToken};
use jwt_ext::{
    jwt_required, ClaimsLoader, DecodedToken, EncodeError, ErrorResponse, Jwt, JwtError,
    JwtFairing, JwtManager, LoaderError, RefreshError, Refreshed, TokenPair, TokenVerifier,
};
use rocket::http::{Header, Status};
use rocket::local::blocking::Client;
use rocket::serde::json::{json, Json, Value};
use rocket::{get, post, routes, Request, State};

/// The application's directory of roles, managed in Rocket and shared with the loader.
#[derive(Clone, Default)]
struct Directory {
    admins: Arc<Vec<String>>,
    /// While set, the directory cannot be reached.
    down: Arc<AtomicBool>,
    /// How many times it was asked.
    asked: Arc<AtomicUsize>,
}

#[rocket::async_trait]
impl ClaimsLoader for Directory {
    async fn additional_claims(&self, identity: &Value) -> Result<Value, LoaderError> {
        self.asked.fetch_add(1, Ordering::SeqCst);
        // A real lookup awaits its database; so does this one, on the runtime's timer.
        rocket::tokio::task::yield_now().await;
        if self.down.load(Ordering::SeqCst) {
            return Err("the directory is unreachable".into());
        }
        let admin = identity
            .as_str()
            .is_some_and(|name| self.admins.iter().any(|admin| admin == name));
        Ok(json!({ "role": if admin { "admin" } else { "user" } }))
    }
}

/// Accepts the tokens of the tenants the managed [`Tenants`] lists; counts its calls.
struct ActiveTenants {
    calls: Arc<AtomicUsize>,
}

struct Tenants {
    active: Vec<&'static str>,
    down: AtomicBool,
}

#[rocket::async_trait]
impl TokenVerifier for ActiveTenants {
    async fn verify_token(
        &self,
        token: &DecodedToken,
        request: &Request<'_>,
    ) -> Result<bool, LoaderError> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        let tenants = request
            .rocket()
            .state::<Tenants>()
            .ok_or("no tenants are managed")?;
        if tenants.down.load(Ordering::SeqCst) {
            return Err("the tenant registry is unreachable".into());
        }
        let tenant = token.claims().get("tenant").and_then(Value::as_str);
        Ok(tenant.is_some_and(|tenant| tenants.active.contains(&tenant)))
    }
}

#[post("/login/<name>")]
async fn login(jwt: &State<JwtManager>, name: &str) -> Result<Json<TokenPair>, EncodeError> {
    jwt.create_token_pair_async(name, true).await.map(Json)
}

#[post("/login-sync/<name>")]
fn login_sync(jwt: &State<JwtManager>, name: &str) -> Result<String, EncodeError> {
    jwt.create_access_token(name)
}

#[post("/login-builder/<name>")]
async fn login_builder(jwt: &State<JwtManager>, name: &str) -> Result<String, EncodeError> {
    // A claim given for this token wins over the loader's.
    jwt.access_token(name)
        .claim("role", "guest")
        .create_async()
        .await
}

#[jwt_required(refresh)]
#[post("/refresh")]
async fn refresh(jwt: &State<JwtManager>, token: Jwt) -> Result<Json<Refreshed>, RefreshError> {
    jwt.refresh(&token).await.map(Json)
}

#[get("/claims")]
fn claims(token: Jwt) -> Value {
    json!({ "identity": token.identity(), "role": token.claims().get("role") })
}

#[jwt_required]
#[get("/twice")]
fn twice(token: Jwt) -> Value {
    json!({ "identity": token.identity() })
}

fn claims_client(directory: &Directory, fairing: JwtFairing) -> Client {
    let rocket = rocket::build()
        .manage(directory.clone())
        .attach(fairing)
        .mount(
            "/",
            routes![login, login_sync, login_builder, refresh, claims],
        );
    Client::tracked(rocket).expect("valid rocket")
}

fn directory() -> Directory {
    Directory {
        admins: Arc::new(vec!["root".to_owned()]),
        ..Directory::default()
    }
}

fn from_state() -> JwtFairing {
    JwtManager::fairing_with(config()).additional_claims_loader_from(|rocket| {
        rocket
            .state::<Directory>()
            .cloned()
            .ok_or("manage a Directory before attaching jwt-ext")
    })
}

fn role_of(client: &Client, token: &str) -> Value {
    let response = client.get("/claims").with_token(token).dispatch();
    assert_eq!(response.status(), Status::Ok);
    response.into_json::<Value>().expect("json")["role"].clone()
}

#[test]
fn an_async_claims_loader_built_from_the_rocket_state_adds_its_claims_to_a_login() {
    let directory = directory();
    let client = claims_client(&directory, from_state());
    let pair: Value = client.post("/login/root").dispatch().into_json().unwrap();
    assert_eq!(
        role_of(&client, pair["access_token"].as_str().unwrap()),
        "admin"
    );
    let pair: Value = client.post("/login/carol").dispatch().into_json().unwrap();
    assert_eq!(
        role_of(&client, pair["access_token"].as_str().unwrap()),
        "user"
    );
    // Both tokens of each pair asked the directory.
    assert_eq!(directory.asked.load(Ordering::SeqCst), 4);

    let token = client
        .post("/login-builder/root")
        .dispatch()
        .into_string()
        .unwrap();
    assert_eq!(role_of(&client, &token), "guest");
}

#[test]
fn an_async_claims_loader_given_as_a_value_works_alike() {
    let directory = directory();
    let fairing =
        JwtManager::fairing_with(config()).additional_claims_loader_async(directory.clone());
    let client = claims_client(&directory, fairing);
    let token = client
        .post("/login-builder/carol")
        .dispatch()
        .into_string()
        .unwrap();
    assert_eq!(role_of(&client, &token), "guest");
    let pair: Value = client.post("/login/root").dispatch().into_json().unwrap();
    assert_eq!(
        role_of(&client, pair["access_token"].as_str().unwrap()),
        "admin"
    );
}

#[test]
fn the_refresh_route_awaits_the_claims_loader_for_the_new_access_token() {
    let directory = directory();
    let client = claims_client(&directory, from_state());
    let pair: Value = client.post("/login/root").dispatch().into_json().unwrap();
    let refreshed = client
        .post("/refresh")
        .with_token(pair["refresh_token"].as_str().unwrap())
        .dispatch();
    assert_eq!(refreshed.status(), Status::Ok);
    let refreshed: Value = refreshed.into_json().unwrap();
    assert_eq!(
        role_of(&client, refreshed["access_token"].as_str().unwrap()),
        "admin"
    );
}

#[test]
fn a_failing_claims_loader_answers_503_and_creates_no_token() {
    let directory = directory();
    let client = claims_client(&directory, from_state());
    directory.down.store(true, Ordering::SeqCst);
    let response = client.post("/login/root").dispatch();
    assert_eq!(response.status(), Status::ServiceUnavailable);
    let body: Value = response.into_json().unwrap();
    assert_eq!(body["msg"], "Could not create the token");
    assert!(body.get("access_token").is_none());
    // In the debug profile the body names the cause.
    let detail = body["detail"].as_str().unwrap();
    assert!(detail.contains("the directory is unreachable"), "{detail}");

    // Back up: logins work again.
    directory.down.store(false, Ordering::SeqCst);
    assert_eq!(client.post("/login/root").dispatch().status(), Status::Ok);
}

#[test]
fn creating_a_token_synchronously_with_an_async_claims_loader_is_refused_with_the_fix() {
    let directory = directory();
    let client = claims_client(&directory, from_state());
    let response = client.post("/login-sync/root").dispatch();
    assert_eq!(response.status(), Status::InternalServerError);
    let body: Value = response.into_json().unwrap();
    assert_eq!(body["msg"], "Could not create the token");
    let detail = body["detail"].as_str().unwrap();
    assert!(detail.contains(".create_async().await"), "{detail}");
    assert_eq!(directory.asked.load(Ordering::SeqCst), 0);
}

#[test]
fn a_claims_loader_that_cannot_be_built_stops_the_launch() {
    // No Directory is managed.
    let rocket = rocket::build().attach(from_state());
    let error = Client::tracked(rocket).expect_err("the launch is refused");
    match error.kind() {
        rocket::error::ErrorKind::FailedFairings(failed) => {
            assert!(failed.iter().any(|fairing| fairing.name == "jwt-ext"));
        }
        other => panic!("the launch failed for another reason: {other:?}"),
    }
    // With the directory managed first, the same fairing launches.
    let rocket = rocket::build().manage(directory()).attach(from_state());
    assert!(Client::tracked(rocket).is_ok());
}

fn verifier_client(calls: &Arc<AtomicUsize>, down: bool) -> Client {
    let fairing =
        JwtManager::fairing_with(config()).token_verification_loader_async(ActiveTenants {
            calls: Arc::clone(calls),
        });
    let rocket = rocket::build()
        .manage(Tenants {
            active: vec!["acme"],
            down: AtomicBool::new(down),
        })
        .attach(fairing)
        .mount("/", routes![claims, twice]);
    Client::tracked(rocket).expect("valid rocket")
}

fn tenant_token(client: &Client, tenant: &str) -> String {
    TestTokens::of(client.rocket())
        .manager()
        .access_token("alice")
        .claim("tenant", tenant)
        .create()
        .unwrap()
}

#[test]
fn an_async_token_verifier_reads_the_request_state_and_refuses_with_flasks_answer() {
    let calls = Arc::new(AtomicUsize::new(0));
    let client = verifier_client(&calls, false);

    let accepted = client
        .get("/twice")
        .with_token(&tenant_token(&client, "acme"))
        .dispatch();
    assert_eq!(accepted.status(), Status::Ok);
    // The attribute and the parameter check the token once between them.
    assert_eq!(calls.load(Ordering::SeqCst), 1);

    let refused = client
        .get("/claims")
        .with_token(&tenant_token(&client, "initech"))
        .dispatch();
    assert_eq!(refused.status(), Status::BadRequest);
    assert_eq!(
        refused.into_json::<Value>().unwrap(),
        json!({ "msg": "User claims verification failed" })
    );
}

#[test]
fn a_token_verifier_that_cannot_answer_refuses_with_503() {
    let calls = Arc::new(AtomicUsize::new(0));
    let client = verifier_client(&calls, true);
    let response = client
        .get("/claims")
        .with_token(&tenant_token(&client, "acme"))
        .dispatch();
    assert_eq!(response.status(), Status::ServiceUnavailable);
    assert!(response.headers().get_one("WWW-Authenticate").is_none());
    assert_eq!(
        response.into_json::<Value>().unwrap(),
        json!({ "msg": "Token verification unavailable" })
    );
}

fn headers_client(fairing: JwtFairing) -> Client {
    let rocket = rocket::build().attach(fairing).mount("/", routes![claims]);
    Client::tracked(rocket).expect("valid rocket")
}

#[test]
fn an_error_loader_adds_headers_and_keeps_the_challenge() {
    let client = headers_client(
        JwtManager::fairing_with(config()).expired_token_loader(|_| {
            ErrorResponse::new(
                Status::Unauthorized,
                json!({ "msg": "expired", "refresh": "/refresh" }),
            )
            .header(Header::new("Location", "/refresh"))
            .header(Header::new("Cache-Control", "no-store"))
        }),
    );
    let expired = TestTokens::of(client.rocket()).expired("alice");
    let response = client.get("/claims").with_token(&expired).dispatch();
    assert_eq!(response.status(), Status::Unauthorized);
    assert_eq!(response.headers().get_one("Location"), Some("/refresh"));
    assert_eq!(
        response.headers().get_one("Cache-Control"),
        Some("no-store")
    );
    assert_eq!(
        response.headers().get_one("WWW-Authenticate"),
        Some(r#"Bearer error="invalid_token""#)
    );
    assert_eq!(
        response.content_type(),
        Some(rocket::http::ContentType::JSON)
    );
    assert_eq!(
        response.into_json::<Value>().unwrap(),
        json!({ "msg": "expired", "refresh": "/refresh" })
    );
}

#[test]
fn on_error_answers_with_headers_and_may_replace_the_challenge() {
    let client = headers_client(JwtManager::fairing_with(config()).on_error(|error| {
        match error {
            JwtError::NoAuthorization(_) => Some(
                ErrorResponse::new(Status::Unauthorized, json!({ "msg": "log in" }))
                    .header(Header::new("WWW-Authenticate", r#"Bearer realm="api""#)),
            ),
            JwtError::Invalid(_) => Some(
                ErrorResponse::new(Status::TooManyRequests, json!({ "msg": "slow down" }))
                    .header(Header::new("Retry-After", "1"))
                    .header(Header::new("Retry-After", "30")),
            ),
            _ => None,
        }
    }));
    let missing = client.get("/claims").dispatch();
    assert_eq!(missing.status(), Status::Unauthorized);
    let challenges: Vec<_> = missing.headers().get("WWW-Authenticate").collect();
    assert_eq!(challenges, [r#"Bearer realm="api""#]);

    let invalid = client.get("/claims").with_token("not.a.token").dispatch();
    assert_eq!(invalid.status(), Status::TooManyRequests);
    let retry: Vec<_> = invalid.headers().get("Retry-After").collect();
    assert_eq!(retry, ["30"]);
    assert_eq!(
        invalid.into_json::<Value>().unwrap(),
        json!({ "msg": "slow down" })
    );
}

#[test]
fn error_loaders_returning_a_status_and_body_keep_working() {
    let client = headers_client(
        JwtManager::fairing_with(config()).expired_token_loader(|token| {
            (
                Status::Unauthorized,
                json!({ "expired_for": token.identity }),
            )
        }),
    );
    let expired = TestTokens::of(client.rocket()).expired("alice");
    let response = client.get("/claims").with_token(&expired).dispatch();
    assert_eq!(response.status(), Status::Unauthorized);
    assert_eq!(
        response.headers().get_one("WWW-Authenticate"),
        Some(r#"Bearer error="invalid_token""#)
    );
    assert_eq!(
        response.into_json::<Value>().unwrap(),
        json!({ "expired_for": "alice" })
    );
}
