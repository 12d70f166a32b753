//! The refresh-token app of Flask-JWT-Extended 3.x's documentation (and of Quart-JWT-Extended,
//! its async port), written with the names those versions use: `#[jwt_refresh_token_required]`
//! for `@jwt_refresh_token_required`, `#[jwt_required]` without parentheses, `#[jwt_optional]`
//! for `@jwt_optional`. The 4.x spellings (`#[jwt_required(refresh)]`,
//! `#[jwt_required(optional)]`) do the same.
//!
//! - `POST /login` with `{"username": "test", "password": "test"}` → an access and a refresh
//!   token (the password checked against its Argon2id hash by the quickstart's bounded check,
//!   where the documentation compares strings);
//! - `POST /refresh` with the refresh token → a new access token;
//! - `GET /protected` with an access token → `{"logged_in_as": "test"}`;
//! - `GET /partially-protected` with or without a token → who is logged in, or `anonymous`.

use jwt_ext::{
    jwt_optional, jwt_refresh_token_required, jwt_required, EncodeError, Jwt, JwtManager,
    OptionalJwt,
};
use quickstart::LoginError;
use rocket::figment::Figment;
use rocket::http::Status;
use rocket::response::status::Custom;
use rocket::serde::json::{json, Json, Value};
use rocket::serde::Deserialize;
use rocket::{get, post, routes, Build, Rocket};

/// The body of `POST /login`.
#[derive(Deserialize)]
#[serde(crate = "rocket::serde")]
struct Credentials {
    username: Option<String>,
    password: Option<String>,
}

#[post("/login", format = "json", data = "<credentials>")]
async fn login(
    jwt: &JwtManager,
    credentials: Json<Credentials>,
) -> Result<Custom<Value>, LoginError> {
    let Credentials { username, password } = credentials.into_inner();
    let (username, password) = (username.unwrap_or_default(), password.unwrap_or_default());
    if !quickstart::password_matches(username.clone(), password).await? {
        let body = json!({ "msg": "Bad username or password" });
        return Ok(Custom(Status::Unauthorized, body));
    }
    // create_access_token() and create_refresh_token() make the two tokens.
    let ret = json!({
        "access_token": jwt.create_access_token(&username)?,
        "refresh_token": jwt.create_refresh_token(&username)?,
    });
    Ok(Custom(Status::Ok, ret))
}

// `#[jwt_refresh_token_required]` makes sure a valid refresh token is present before the
// handler runs; the token's identity mints a new access token.
#[jwt_refresh_token_required]
#[post("/refresh")]
fn refresh(jwt: &JwtManager, token: Jwt) -> Result<Value, EncodeError> {
    let current_user = token.identity();
    Ok(json!({ "access_token": jwt.create_access_token(current_user)? }))
}

#[jwt_required]
#[get("/protected")]
fn protected(token: Jwt) -> Value {
    json!({ "logged_in_as": token.identity() })
}

#[jwt_optional]
#[get("/partially-protected")]
fn partially_protected(token: OptionalJwt) -> Value {
    match token.token() {
        Some(token) => json!({ "logged_in_as": token.identity() }),
        None => json!({ "logged_in_as": "anonymous user" }),
    }
}

/// The app on `figment`.
pub fn rocket_with(figment: Figment) -> Rocket<Build> {
    rocket::custom(figment)
        .attach(JwtManager::fairing())
        .mount("/", routes![login, refresh, protected, partially_protected])
}

/// The app on Rocket's own configuration (`Rocket.toml`, `ROCKET_*`).
pub fn rocket() -> Rocket<Build> {
    rocket_with(rocket::Config::figment())
}
