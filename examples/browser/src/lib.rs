//! A browser app on jwt-ext: the tokens live in `HttpOnly` cookies that scripts cannot read,
//! state-changing requests carry the CSRF double-submit header, access cookies are renewed
//! implicitly, and logout expires every cookie.
//!
//! - `GET /` → the page (`static/index.html`): a login form and buttons for the routes below;
//! - `POST /login` with the JSON body `{"username": "test", "password": "test"}` → sets the
//!   access and refresh cookies and their CSRF cookies. Only `Content-Type: application/json`
//!   is accepted (415 otherwise): a cross-site form cannot send that type without the
//!   browser asking first, so another site cannot log the visitor into an account of its
//!   choosing (login CSRF);
//! - `POST /api/protected` → `{"logged_in_as": "test"}`, with the access cookie and the
//!   `X-CSRF-TOKEN` header copied from the `csrf_access_token` cookie;
//! - `POST /auth/refresh` → a new access cookie, with the refresh cookie (sent under `/auth`
//!   only) and the `csrf_refresh_token` value in `X-CSRF-TOKEN`;
//! - `POST /auth/logout`, with the refresh cookie and its CSRF header like a refresh → revokes
//!   the whole login (every access cookie of it, implicitly renewed ones included, and the
//!   refresh cookie) and expires every cookie. Without the CSRF header it is refused, so
//!   another site cannot log the visitor out either;
//! - `POST /api/logout-everywhere`, with the access cookie and its CSRF header → every token
//!   of every login of the user refused (other browsers and devices included), and this
//!   browser's cookies expired.

use jwt_ext::{
    jwt_required, CookieError, ImplicitRefresh, Jwt, JwtCookies, JwtManager, RefreshError,
    RevokeError, SessionError,
};
use quickstart::LoginError;
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

#[post("/login", format = "json", data = "<credentials>")]
async fn login(
    jwt: &JwtManager,
    cookies: JwtCookies<'_>,
    credentials: Json<Credentials>,
) -> Result<Custom<Value>, LoginError> {
    let Credentials { username, password } = credentials.into_inner();
    if !quickstart::password_matches(username.clone(), password).await? {
        let body = json!({ "msg": "Bad username or password" });
        return Ok(Custom(Status::Unauthorized, body));
    }
    // One session: the logout below revokes every token of it.
    let pair = jwt.login(&username).fresh(true).create().await?;
    cookies.set_access_cookies(&pair.access_token)?;
    cookies.set_refresh_cookies(&pair.refresh_token)?;
    Ok(Custom(Status::Ok, json!({ "login": true })))
}

/// A login in any other content type: a form or `text/plain` body, which another site can
/// make a browser send without asking.
#[post("/login", rank = 2)]
fn login_not_json() -> Custom<Value> {
    let body = json!({ "msg": "Log in with a JSON body (Content-Type: application/json)" });
    Custom(Status::UnsupportedMediaType, body)
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
#[post("/auth/refresh")]
async fn refresh(
    jwt: &JwtManager,
    token: Jwt,
    cookies: JwtCookies<'_>,
) -> Result<Result<Value, CookieError>, RefreshError> {
    let refreshed = jwt.refresh(&token).await?;
    Ok(cookies
        .set_access_cookies(&refreshed.access_token)
        .map(|()| json!({ "refresh": true })))
}

/// Revokes the login and expires its cookies. Behind the refresh token, so that it works for
/// as long as the login does (the access cookie may have expired), and behind its CSRF check.
#[jwt_required(refresh)]
#[post("/auth/logout")]
async fn logout(
    jwt: &JwtManager,
    token: Jwt,
    cookies: JwtCookies<'_>,
) -> Result<Value, RevokeError> {
    jwt.revoke_login(&token).await?;
    cookies.unset_jwt_cookies();
    Ok(json!({ "logout": true }))
}

/// Ends every login of the user, in every browser, and expires this browser's cookies.
#[jwt_required]
#[post("/api/logout-everywhere")]
async fn logout_everywhere(
    jwt: &JwtManager,
    token: Jwt,
    cookies: JwtCookies<'_>,
) -> Result<Value, SessionError> {
    jwt.logout_everywhere(&token).await?;
    cookies.unset_jwt_cookies();
    Ok(json!({ "logout_everywhere": true }))
}

/// Every other error answers JSON too.
#[catch(default)]
fn json_error(status: Status, _request: &Request<'_>) -> Value {
    json!({ "msg": status.reason().unwrap_or("Error") })
}

/// The app on `figment`, with the browser settings below unless it says otherwise:
/// tokens in cookies only, the refresh cookie sent under `/auth` only and accepted on POST
/// only, `SameSite=Strict`, and `Secure` cookies outside the `debug` profile.
pub fn rocket_with(figment: Figment) -> Rocket<Build> {
    let secure = figment.profile() != rocket::Config::DEBUG_PROFILE;
    let figment = figment
        .join(("jwt_token_location", ["cookies"]))
        .join(("jwt_refresh_cookie_path", "/auth"))
        .join(("jwt_refresh_cookie_post_only", true))
        .join(("jwt_cookie_samesite", "Strict"))
        .join(("jwt_cookie_secure", secure));
    rocket::custom(figment)
        .attach(JwtManager::fairing())
        .attach(ImplicitRefresh::within(Duration::minutes(5)))
        .mount(
            "/",
            routes![
                index,
                login,
                login_not_json,
                protected,
                refresh,
                logout,
                logout_everywhere
            ],
        )
        .register("/", catchers![json_error])
}

/// The app on Rocket's own configuration (`Rocket.toml`, `ROCKET_*`).
pub fn rocket() -> Rocket<Build> {
    rocket_with(rocket::Config::figment())
}
