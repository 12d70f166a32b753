//! A browser app on jwt-ext: the tokens live in `HttpOnly` cookies that scripts cannot read,
//! state-changing requests carry the CSRF double-submit header, access cookies are renewed
//! implicitly, and logout expires every cookie.
//!
//! - `GET /` → the page (`static/index.html`): a login form and buttons for the routes below;
//! - `POST /login` with `{"username": "test", "password": "test"}` → sets the access and
//!   refresh cookies and their CSRF cookies;
//! - `POST /api/protected` → `{"logged_in_as": "test"}`, with the access cookie and the
//!   `X-CSRF-TOKEN` header copied from the `csrf_access_token` cookie;
//! - `POST /refresh` → a new access cookie, with the refresh cookie (sent to `/refresh` only)
//!   and the `csrf_refresh_token` value in `X-CSRF-TOKEN`;
//! - `POST /logout` → expires every token cookie.

use jwt_ext::{jwt_required, CookieError, ImplicitRefresh, Jwt, JwtCookies, JwtManager};
use rocket::figment::Figment;
use rocket::http::Status;
use rocket::response::content::RawHtml;
use rocket::response::status::Custom;
use rocket::serde::json::{json, Json, Value};
use rocket::serde::Deserialize;
use rocket::time::Duration;
use rocket::{catch, catchers, get, post, routes, Build, Request, Rocket};

/// The page: plain HTML and a few lines of script, no framework.
const INDEX: &str = include_str!("../static/index.html");

/// The body of `POST /login`.
#[derive(Deserialize)]
#[serde(crate = "rocket::serde")]
struct Credentials {
    username: String,
    password: String,
}

#[get("/")]
fn index() -> RawHtml<&'static str> {
    RawHtml(INDEX)
}

#[post("/login", data = "<credentials>")]
async fn login(
    jwt: &JwtManager,
    cookies: JwtCookies<'_>,
    credentials: Json<Credentials>,
) -> Result<Custom<Value>, CookieError> {
    let Credentials { username, password } = credentials.into_inner();
    if !quickstart::password_matches(username.clone(), password).await {
        let body = json!({ "msg": "Bad username or password" });
        return Ok(Custom(Status::Unauthorized, body));
    }
    cookies.set_access_cookies(&jwt.access_token(&username).fresh(true).create()?)?;
    cookies.set_refresh_cookies(&jwt.create_refresh_token(&username)?)?;
    Ok(Custom(Status::Ok, json!({ "login": true })))
}

#[jwt_required]
#[post("/api/protected")]
fn protected(token: Jwt) -> Value {
    json!({
        "logged_in_as": token.identity(),
        "expires_at": token.expires_at().map(|at| at.unix_timestamp()),
    })
}

#[jwt_required(refresh)]
#[post("/refresh")]
fn refresh(jwt: &JwtManager, token: Jwt, cookies: JwtCookies<'_>) -> Result<Value, CookieError> {
    cookies.set_access_cookies(&jwt.create_access_token(token.identity())?)?;
    Ok(json!({ "refresh": true }))
}

#[post("/logout")]
fn logout(cookies: JwtCookies<'_>) -> Value {
    cookies.unset_jwt_cookies();
    json!({ "logout": true })
}

/// Every other error answers JSON too.
#[catch(default)]
fn json_error(status: Status, _request: &Request<'_>) -> Value {
    json!({ "msg": status.reason().unwrap_or("Error") })
}

/// The app on `figment`, with the browser settings below unless it says otherwise:
/// tokens in cookies only, the refresh cookie sent to `/refresh` only and accepted on POST
/// only, `SameSite=Strict`, and `Secure` cookies outside the `debug` profile.
pub fn rocket_with(figment: Figment) -> Rocket<Build> {
    let secure = figment.profile() != rocket::Config::DEBUG_PROFILE;
    let figment = figment
        .join(("jwt_token_location", ["cookies"]))
        .join(("jwt_refresh_cookie_path", "/refresh"))
        .join(("jwt_refresh_cookie_post_only", true))
        .join(("jwt_cookie_samesite", "Strict"))
        .join(("jwt_cookie_secure", secure));
    rocket::custom(figment)
        .attach(JwtManager::fairing())
        .attach(ImplicitRefresh::within(Duration::minutes(5)))
        .mount("/", routes![index, login, protected, refresh, logout])
        .register("/", catchers![json_error])
}

/// The app on Rocket's own configuration (`Rocket.toml`, `ROCKET_*`).
pub fn rocket() -> Rocket<Build> {
    rocket_with(rocket::Config::figment())
}
