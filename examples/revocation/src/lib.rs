//! Logout, refresh-token rotation with reuse detection, and the sliding window, on the
//! quickstart's user (`test` / `test`). Revocations live in memory, or in Redis when
//! `ROCKET_JWT_REDIS_URL` is set (shared by every instance).
//!
//! - `POST /login` → `{"access_token", "refresh_token"}` of a new session, labelled with the
//!   client's `User-Agent`;
//! - `GET /protected` (access token) → `{"logged_in_as": ...}`;
//! - `POST /refresh` (refresh token) → a new pair; the old refresh token stops working, and
//!   presenting it again later revokes every token of the login;
//! - `DELETE /logout` (access token; optionally `{"refresh_token": ...}` in the body) → the
//!   whole login revoked: every access and refresh token of it, earlier ones included; a body
//!   that does not name a refresh token as a string is refused with 400 and revokes nothing;
//! - `POST /exchange` `{"access_token": ...}` → a successor for an access token, expired or
//!   not, once per token, until `jwt_sliding_refresh_window` after the login;
//! - `GET /sessions` (access token) → `{"sessions": [{"id", "created_at",
//!   "last_refreshed_at", "current", "label", "expires_at"}]}`: the identity's logins;
//! - `DELETE /sessions/<id>` (access token) → one of the identity's logins ended (404 for an
//!   id that is not one of its own; nothing is revoked then);
//! - `POST /logout-everywhere` (access token) → every token of every login of the identity
//!   refused, the presented one included.

use jwt_ext::{
    jwt_required, Jwt, JwtManager, RefreshError, Refreshed, RevokeError, SessionError, TokenPair,
};
use quickstart::LoginError;
use rocket::figment::Figment;
use rocket::http::Status;
use rocket::request::{FromRequest, Outcome};
use rocket::response::status::Custom;
use rocket::serde::json::{self, json, Json, Value};
use rocket::{catch, catchers, delete, get, post, routes, Build, Request, Rocket};

/// The client's `User-Agent`, the label of the session a login makes.
struct UserAgent(Option<String>);

#[rocket::async_trait]
impl<'r> FromRequest<'r> for UserAgent {
    type Error = std::convert::Infallible;

    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        let agent = request.headers().get_one("User-Agent").map(str::to_owned);
        Outcome::Success(Self(agent))
    }
}

#[post("/login", data = "<body>")]
async fn login(
    jwt: &JwtManager,
    agent: UserAgent,
    body: Json<Value>,
) -> Result<Result<Json<TokenPair>, Custom<Value>>, LoginError> {
    let field = |name: &str| body[name].as_str().unwrap_or_default().to_owned();
    if !quickstart::password_matches(field("username"), field("password")).await? {
        let refused = json!({ "msg": "Bad username or password" });
        return Ok(Err(Custom(Status::Unauthorized, refused)));
    }
    // One session: both tokens carry its id through every refresh and rotation.
    let mut login = jwt.login(field("username")).fresh(true);
    if let UserAgent(Some(agent)) = agent {
        login = login.label(agent);
    }
    Ok(Ok(Json(login.create().await?)))
}

#[jwt_required]
#[get("/sessions")]
async fn sessions(jwt: &JwtManager, token: Jwt) -> Result<Value, SessionError> {
    Ok(json!({ "sessions": jwt.sessions(&token).await? }))
}

#[jwt_required]
#[delete("/sessions/<id>")]
async fn end_session(jwt: &JwtManager, token: Jwt, id: &str) -> Result<Value, SessionError> {
    jwt.end_session(&token, id).await?;
    Ok(json!({ "msg": "Session ended" }))
}

#[jwt_required]
#[post("/logout-everywhere")]
async fn logout_everywhere(jwt: &JwtManager, token: Jwt) -> Result<Value, SessionError> {
    jwt.logout_everywhere(&token).await?;
    Ok(json!({ "msg": "Logged out everywhere" }))
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
    body: Result<Json<Value>, json::Error<'_>>,
) -> Result<Result<Value, Custom<Value>>, RevokeError> {
    // No body: the access token's login is revoked. A body must name the refresh token: a
    // logout that silently revoked less than it was asked to would be worse than an error.
    let refresh = match &body {
        Err(json::Error::Parse(raw, _)) if raw.trim().is_empty() => None,
        Ok(body) if body.get("refresh_token").is_some_and(Value::is_string) => {
            body["refresh_token"].as_str()
        }
        _ => {
            let msg = json!({ "msg": "The body must be {\"refresh_token\": \"<token>\"}" });
            return Ok(Err(Custom(Status::BadRequest, msg)));
        }
    };
    jwt.logout(&token, refresh).await?;
    Ok(Ok(json!({ "msg": "Successfully logged out" })))
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
        .mount(
            "/",
            routes![
                login,
                protected,
                refresh,
                logout,
                exchange,
                sessions,
                end_session,
                logout_everywhere
            ],
        )
        .register("/", catchers![json_error])
}

/// The app with Rocket's usual configuration sources.
pub fn rocket() -> Rocket<Build> {
    rocket_with(rocket::Config::figment())
}
