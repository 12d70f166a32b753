//! A test app with one route per guard, and helpers to send requests and to forge tokens.
#![allow(dead_code)]

pub(crate) mod example;
use std::sync::Arc;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jwt_ext::testing::WithToken;
use jwt_ext::{AccessJwt, AnyJwt, Config, FreshJwt, JwtError, JwtManager, OptionalJwt, RefreshJwt};
use rocket::http::{Header, Status};
use rocket::local::blocking::Client;
use rocket::serde::json::{json, Value};
use rocket::{get, post, routes, Build, Rocket};

/// The HS256 secret of the test apps (44 bytes).
pub(crate) const SECRET: &str = "a-test-secret-that-is-at-least-32-bytes-long";

/// Flask's defaults with the test secret.
pub(crate) fn config() -> Config {
    Config::default().secret_key(SECRET)
}

/// A manager outside Rocket, to mint tokens for a client built with the same config.
pub(crate) fn manager(config: Config) -> JwtManager {
    JwtManager::new(config).expect("valid test config")
}

#[get("/protected")]
fn protected(jwt: AccessJwt) -> Value {
    json!({ "identity": jwt.identity(), "fresh": jwt.is_fresh() })
}

/// The access route for state-changing requests (CSRF methods with cookies).
#[post("/protected")]
fn protected_post(jwt: AccessJwt) -> Value {
    json!({ "logged_in_as": jwt.identity() })
}

#[get("/refresh")]
fn refresh(jwt: RefreshJwt) -> Value {
    json!({ "identity": jwt.identity() })
}

#[post("/refresh")]
fn refresh_post(jwt: RefreshJwt) -> Value {
    json!({ "identity": jwt.identity() })
}

#[get("/fresh")]
fn fresh(jwt: FreshJwt) -> Value {
    json!({ "identity": jwt.identity() })
}

#[get("/optional")]
fn optional(jwt: OptionalJwt) -> Value {
    json!({ "identity": jwt.token().map(|token| token.identity().clone()) })
}

#[get("/optional-refresh")]
fn optional_refresh(jwt: OptionalJwt<jwt_ext::kind::Refresh>) -> Value {
    json!({ "identity": jwt.token().map(|token| token.identity().clone()) })
}

#[get("/any")]
fn any(jwt: AnyJwt) -> Value {
    json!({ "identity": jwt.identity(), "type": jwt.claims().get("type") })
}

#[get("/shared")]
fn shared(access: AccessJwt, optional: OptionalJwt, any: AnyJwt) -> Value {
    let optional = optional.into_inner().expect("token present");
    json!({
        "one_decode": Arc::ptr_eq(access.token(), optional.token())
            && Arc::ptr_eq(access.token(), any.token()),
    })
}

#[get("/claims")]
fn claims(jwt: AccessJwt) -> Value {
    json!({
        "header": jwt.header(),
        "claims": jwt.claims(),
        "jti": jwt.jti(),
        "expires_at": jwt.expires_at().map(|at| at.unix_timestamp()),
        "issued_at": jwt.issued_at().map(|at| at.unix_timestamp()),
    })
}

#[derive(rocket::serde::Deserialize)]
#[serde(crate = "rocket::serde")]
struct RoleClaims {
    sub: String,
    role: String,
}

#[get("/typed")]
fn typed(jwt: AccessJwt) -> Value {
    match jwt.claims_as::<RoleClaims>() {
        Ok(claims) => json!({ "sub": claims.sub, "role": claims.role }),
        Err(error) => json!({ "error": error.to_string() }),
    }
}

#[get("/decode/<token>")]
fn decode(jwt: &JwtManager, token: &str) -> Result<Value, JwtError> {
    let decoded = jwt.decode_token(token)?;
    Ok(json!({ "identity": decoded.identity() }))
}

#[get("/decode-expired/<token>")]
fn decode_expired(jwt: &JwtManager, token: &str) -> Result<Value, JwtError> {
    let decoded = jwt.decode_token_allow_expired(token)?;
    Ok(json!({ "identity": decoded.identity() }))
}

#[get("/public")]
fn public() -> Value {
    json!({ "public": true })
}

/// The test app's routes, without the fairing.
pub(crate) fn bare_rocket() -> Rocket<Build> {
    rocket::build().mount(
        "/",
        routes![
            protected,
            protected_post,
            refresh,
            refresh_post,
            fresh,
            optional,
            optional_refresh,
            any,
            shared,
            claims,
            typed,
            decode,
            decode_expired,
            public
        ],
    )
}

/// The test app with `config`.
pub(crate) fn rocket_with(config: Config) -> Rocket<Build> {
    bare_rocket().attach(JwtManager::fairing_with(config))
}

/// A client of the test app with `config`.
pub(crate) fn client(config: Config) -> Client {
    Client::tracked(rocket_with(config)).expect("valid rocket")
}

/// What a test reads from a response.
#[derive(Debug)]
pub(crate) struct Answer {
    pub status: Status,
    pub body: Value,
    pub www_authenticate: Option<String>,
    pub content_type: Option<String>,
}

impl Answer {
    /// The `msg` of a JSON error body.
    pub(crate) fn msg(&self) -> &str {
        self.body["msg"].as_str().unwrap_or("<no msg>")
    }
}

fn answer(response: rocket::local::blocking::LocalResponse<'_>) -> Answer {
    let status = response.status();
    let www_authenticate = response
        .headers()
        .get_one("WWW-Authenticate")
        .map(str::to_owned);
    let content_type = response.content_type().map(|c| c.to_string());
    let text = response.into_string().unwrap_or_default();
    let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
    Answer {
        status,
        body,
        www_authenticate,
        content_type,
    }
}

/// GET `path` with an optional `Authorization` header value.
pub(crate) fn get(client: &Client, path: &str, authorization: Option<&str>) -> Answer {
    let mut request = client.get(path);
    if let Some(value) = authorization {
        request = request.header(Header::new("Authorization", value.to_owned()));
    }
    answer(request.dispatch())
}

/// GET `path` with the token attached as the app reads it (`Authorization: Bearer <token>`
/// by default), through jwt-ext's own test helper.
pub(crate) fn get_with_token(client: &Client, path: &str, token: &str) -> Answer {
    answer(client.get(path).with_token(token).dispatch())
}

/// POST `path` with the token attached as the app reads it.
pub(crate) fn post_with_token(client: &Client, path: &str, token: &str) -> Answer {
    answer(client.post(path).with_token(token).dispatch())
}

/// URL-safe base64 without padding, as JWTs use.
pub(crate) fn b64(bytes: impl AsRef<[u8]>) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// A token with exactly this header and payload text, HS256-signed with `secret`: for tokens
/// jwt-ext would never mint (odd types, duplicate names, `alg` lies).
pub(crate) fn sign_raw(header: &str, payload: &str, secret: &str) -> String {
    // Creating a manager installs the crypto provider jsonwebtoken signs with.
    let _ = manager(config());
    let signing_input = format!("{}.{}", b64(header), b64(payload));
    let key = jsonwebtoken::EncodingKey::from_secret(secret.as_bytes());
    let signature = jsonwebtoken::crypto::sign(
        signing_input.as_bytes(),
        &key,
        jsonwebtoken::Algorithm::HS256,
    )
    .expect("sign");
    format!("{signing_input}.{signature}")
}

/// `sign_raw` with the standard header and the given claims.
pub(crate) fn sign_claims(claims: &Value) -> String {
    sign_raw(
        r#"{"alg":"HS256","typ":"JWT"}"#,
        &claims.to_string(),
        SECRET,
    )
}

/// Current UNIX time in seconds.
pub(crate) fn now() -> i64 {
    rocket::time::OffsetDateTime::now_utc().unix_timestamp()
}

/// Claims of a valid access token for `alice`, to be altered by a test.
pub(crate) fn valid_claims() -> Value {
    let now = now();
    json!({
        "fresh": false, "iat": now, "jti": "5a4d8c0e-2c37-4d4f-9b8e-1f0c5b2a7d11",
        "type": "access", "sub": "alice", "nbf": now, "exp": now + 900,
    })
}

/// Sends `method path` with an optional token (attached as the app reads it) and JSON body;
/// returns the status, the JSON body (`Null` when there is none) and `WWW-Authenticate`.
pub(crate) fn send(
    client: &Client,
    method: rocket::http::Method,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> (Status, Value, Option<String>) {
    let mut request = client.req(method, path.to_owned());
    if let Some(token) = token {
        request = request.with_token(token);
    }
    if let Some(body) = body {
        request = request
            .header(rocket::http::ContentType::JSON)
            .body(body.to_string());
    }
    let answer = answer(request.dispatch());
    (answer.status, answer.body, answer.www_authenticate)
}
