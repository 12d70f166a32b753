//! The login / refresh / protected app of Flask-JWT-Extended's refresh-token documentation,
//! on Rocket with jwt-ext.
//!
//! - `POST /login` with `{"username": "test", "password": "test"}` → a fresh access token and
//!   a refresh token;
//! - `GET` or `POST /refresh` with the refresh token → a new, non-fresh access token;
//! - `GET /protected` with an access token → `{"logged_in_as": "test"}`;
//! - `GET /fresh` with a fresh access token → the same;
//! - `GET /public` → `{"msg": "Hello"}`, without a token.

mod password;

pub use password::{verify_password, Busy, LoginError};

use jwt_ext::{fresh_jwt_required, jwt_required, EncodeError, Jwt, JwtManager};
use rocket::http::Status;
use rocket::response::status::Custom;
use rocket::serde::json::{self, json, Json, Value};
use rocket::serde::Deserialize;
use rocket::{catch, catchers, get, post, routes, Build, Request, Rocket};

/// The app's one user, `test`, with the Argon2id hash of the password `test`.
const USERS: &[(&str, &str)] = &[(
    "test",
    "$argon2id$v=19$m=19456,t=2,p=1$8QVMmHO7b4nFsIMZqTp32A$oUXhcgg7NdRKYjrmdY9hh1UXCzKc1F8Nzxcc9mlfx2c",
)];

/// The body of `POST /login`.
#[derive(Deserialize)]
#[serde(crate = "rocket::serde")]
struct Credentials {
    username: String,
    password: String,
}

fn message(status: Status, msg: impl Into<String>) -> Custom<Value> {
    Custom(status, json!({ "msg": msg.into() }))
}

/// Whether `password` is the quickstart user's.
///
/// # Errors
///
/// [`Busy`] when too many logins are being checked at once.
pub async fn password_matches(username: String, password: String) -> Result<bool, Busy> {
    let hash = USERS
        .iter()
        .find(|(name, _)| *name == username)
        .map(|(_, hash)| (*hash).to_owned());
    verify_password(hash, password).await
}

#[post("/login", data = "<credentials>")]
async fn login(
    jwt: &JwtManager,
    credentials: Result<Json<Credentials>, json::Error<'_>>,
) -> Result<Custom<Value>, LoginError> {
    let credentials = match credentials {
        Ok(credentials) => credentials.into_inner(),
        Err(json::Error::Io(error)) => {
            return Ok(message(
                Status::BadRequest,
                format!("Could not read the body: {error}"),
            ));
        }
        Err(json::Error::Parse(_, error)) if error.is_data() => {
            return Ok(message(
                Status::UnprocessableEntity,
                format!("Bad JSON body: {error}"),
            ));
        }
        Err(json::Error::Parse(_, error)) => {
            return Ok(message(
                Status::BadRequest,
                format!("Bad JSON body: {error}"),
            ));
        }
    };
    if !password_matches(credentials.username.clone(), credentials.password).await? {
        return Ok(message(Status::Unauthorized, "Bad username or password"));
    }
    let body = json!({
        "access_token": jwt.access_token(&credentials.username).fresh(true).create()?,
        "refresh_token": jwt.create_refresh_token(&credentials.username)?,
    });
    Ok(Custom(Status::Ok, body))
}

/// A new access token, not fresh, for the refresh token's identity.
fn new_access_token(jwt: &JwtManager, token: &Jwt) -> Result<Value, EncodeError> {
    Ok(json!({ "access_token": jwt.create_access_token(token.identity())? }))
}

#[jwt_required(refresh)]
#[get("/refresh")]
fn refresh_get(jwt: &JwtManager, token: Jwt) -> Result<Value, EncodeError> {
    new_access_token(jwt, &token)
}

#[jwt_required(refresh)]
#[post("/refresh")]
fn refresh_post(jwt: &JwtManager, token: Jwt) -> Result<Value, EncodeError> {
    new_access_token(jwt, &token)
}

#[jwt_required]
#[get("/protected")]
fn protected(token: Jwt) -> Value {
    json!({ "logged_in_as": token.identity() })
}

#[fresh_jwt_required]
#[get("/fresh")]
fn fresh(token: Jwt) -> Value {
    json!({ "logged_in_as": token.identity() })
}

/// A route without authentication, the baseline of the load benchmark.
#[get("/public")]
fn public() -> Value {
    json!({ "msg": "Hello" })
}

/// Every other error answers JSON too, as an API should.
#[catch(default)]
fn json_error(status: Status, _request: &Request<'_>) -> Value {
    json!({ "msg": status.reason().unwrap_or("Error") })
}

/// The application: jwt-ext's fairing, the four routes and a JSON catcher.
pub fn rocket() -> Rocket<Build> {
    rocket::build()
        .attach(JwtManager::fairing())
        .mount(
            "/",
            routes![login, refresh_get, refresh_post, protected, fresh, public],
        )
        .register("/", catchers![json_error])
}
