//! Logout, refresh-token rotation with reuse detection, and the sliding window, on the
//! quickstart's user (`test` / `test`). Revocations live in memory, or in Redis when
//! `ROCKET_JWT_REDIS_URL` is set (shared by every instance).
//!
//! - `POST /login` → `{"access_token", "refresh_token"}` of a new family;
//! - `GET /protected` (access token) → `{"logged_in_as": ...}`;
//! - `POST /refresh` (refresh token) → a new pair; the old refresh token stops working, and
//!   presenting it again later revokes every token of the login;
//! - `DELETE /logout` (access token; `{"refresh_token": ...}` in the body) → both revoked;
//! - `POST /exchange` `{"access_token": ...}` → a new access token for one that expired less
//!   than `jwt_sliding_refresh_window` after it was issued, once.

use jwt_ext::{
    jwt_required, EncodeError, Jwt, JwtManager, RefreshError, Refreshed, RevokeError, TokenPair,
};
use rocket::figment::Figment;
use rocket::http::Status;
use rocket::response::status::Custom;
use rocket::serde::json::{json, Json, Value};
use rocket::{catch, catchers, delete, get, post, routes, Build, Request, Rocket};

#[post("/login", data = "<body>")]
async fn login(
    jwt: &JwtManager,
    body: Json<Value>,
) -> Result<Result<Json<TokenPair>, Custom<Value>>, EncodeError> {
    let field = |name: &str| body[name].as_str().unwrap_or_default().to_owned();
    if !quickstart::password_matches(field("username"), field("password")).await {
        let refused = json!({ "msg": "Bad username or password" });
        return Ok(Err(Custom(Status::Unauthorized, refused)));
    }
    Ok(Ok(Json(jwt.create_token_pair(field("username"), true)?)))
}

#[jwt_required]
#[get("/protected")]
fn protected(token: Jwt) -> Value {
    json!({ "logged_in_as": token.identity() })
}

#[jwt_required(refresh)]
#[post("/refresh")]
async fn refresh(jwt: &JwtManager, token: Jwt) -> Result<Json<Refreshed>, RefreshError> {
    jwt.refresh(&token).await.map(Json)
}

#[jwt_required]
#[delete("/logout", data = "<body>")]
async fn logout(
    jwt: &JwtManager,
    token: Jwt,
    body: Option<Json<Value>>,
) -> Result<Value, RevokeError> {
    let refresh = body
        .as_ref()
        .and_then(|body| body["refresh_token"].as_str());
    jwt.logout(&token, refresh).await?;
    Ok(json!({ "msg": "Successfully logged out" }))
}

#[post("/exchange", data = "<body>")]
async fn exchange(jwt: &JwtManager, body: Json<Value>) -> Result<Value, RefreshError> {
    let expired = body["access_token"].as_str().unwrap_or_default();
    let access_token = jwt.exchange_expired(expired).await?;
    Ok(json!({ "access_token": access_token }))
}

#[catch(default)]
fn json_error(status: Status, _: &Request<'_>) -> Value {
    json!({ "msg": status.reason().unwrap_or("Error") })
}

/// The app on `figment`, with rotation and a one-day sliding window unless it says otherwise.
pub fn rocket_with(figment: Figment) -> Rocket<Build> {
    let figment = figment
        .join(("jwt_refresh_token_rotation", true))
        .join(("jwt_sliding_refresh_window", 86_400));
    rocket::custom(figment)
        .attach(JwtManager::fairing())
        .mount("/", routes![login, protected, refresh, logout, exchange])
        .register("/", catchers![json_error])
}

/// The app with Rocket's usual configuration sources.
pub fn rocket() -> Rocket<Build> {
    rocket_with(rocket::Config::figment())
}
