//! The quickstart's login / refresh / protected app, documented with `rocket_okapi`.
//!
//! `/openapi.json` lists the `jwt_access_header` scheme on the access routes and
//! `jwt_refresh_header` on `/refresh`; Swagger UI (`/swagger-ui/`) takes both tokens in its
//! *Authorize* dialog and sends each route the one it needs.

use jwt_ext_okapi::{fresh_jwt_required, jwt_required, EncodeError, Jwt, JwtManager, OptionalJwt};
use quickstart::{Busy, LoginError};
use rocket::response::status::Unauthorized;
use rocket::response::Responder;
use rocket::serde::json::{Json, Value};
use rocket::{get, post, Build, Request, Rocket, State};
use rocket_okapi::gen::OpenApiGenerator;
use rocket_okapi::okapi::openapi3::{RefOr, Response, Responses};
use rocket_okapi::response::OpenApiResponderInner;
use rocket_okapi::swagger_ui::{make_swagger_ui, SwaggerUIConfig};
use rocket_okapi::{openapi, openapi_get_routes};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The body of `POST /login`.
#[derive(Deserialize, JsonSchema)]
struct Credentials {
    username: String,
    password: String,
}

/// A fresh access token and a refresh token.
#[derive(Serialize, JsonSchema)]
struct TokenPair {
    access_token: String,
    refresh_token: String,
}

/// A new access token.
#[derive(Serialize, JsonSchema)]
struct AccessToken {
    access_token: String,
}

/// Who the token belongs to: its `sub` claim.
#[derive(Serialize, JsonSchema)]
struct LoggedInAs {
    logged_in_as: Value,
}

/// Flask-JWT-Extended's message body.
#[derive(Serialize, JsonSchema)]
struct Message {
    msg: String,
}

/// The login could not answer: too many logins at once (503, `Retry-After`), or a token that
/// could not be created (500).
struct LoginUnavailable(LoginError);

impl From<Busy> for LoginUnavailable {
    fn from(busy: Busy) -> Self {
        Self(busy.into())
    }
}

impl From<jwt_ext_okapi::jwt_ext::EncodeError> for LoginUnavailable {
    fn from(error: jwt_ext_okapi::jwt_ext::EncodeError) -> Self {
        Self(error.into())
    }
}

impl<'r> Responder<'r, 'static> for LoginUnavailable {
    fn respond_to(self, request: &'r Request<'_>) -> rocket::response::Result<'static> {
        self.0.respond_to(request)
    }
}

impl OpenApiResponderInner for LoginUnavailable {
    fn responses(gen: &mut OpenApiGenerator) -> rocket_okapi::Result<Responses> {
        let mut responses = <EncodeError as OpenApiResponderInner>::responses(gen)?;
        let busy = Response {
            description: "Too many logins at once: retry after `Retry-After` seconds".into(),
            ..Response::default()
        };
        responses
            .responses
            .insert("503".into(), RefOr::Object(busy));
        Ok(responses)
    }
}

// The demo user is `test` / `test`; the spec, which is public, does not say so.

/// Log in
///
/// A fresh access token and a refresh token for a user's name and password.
#[openapi(tag = "Tokens")]
#[post("/login", data = "<credentials>")]
async fn login(
    jwt: &State<JwtManager>,
    credentials: Json<Credentials>,
) -> Result<Result<Json<TokenPair>, Unauthorized<Json<Message>>>, LoginUnavailable> {
    let Credentials { username, password } = credentials.into_inner();
    if !quickstart::password_matches(username.clone(), password).await? {
        let msg = "Bad username or password".to_owned();
        return Ok(Err(Unauthorized(Json(Message { msg }))));
    }
    Ok(Ok(Json(TokenPair {
        access_token: jwt.access_token(&username).fresh(true).create()?,
        refresh_token: jwt.create_refresh_token(&username)?,
    })))
}

/// Refresh
///
/// A new, non-fresh access token for the refresh token's identity.
#[jwt_required(refresh)]
#[openapi(tag = "Tokens")]
#[post("/refresh")]
fn refresh(jwt: &State<JwtManager>, token: Jwt) -> Result<Json<AccessToken>, EncodeError> {
    Ok(Json(AccessToken {
        access_token: jwt.create_access_token(token.identity())?,
    }))
}

/// Protected
///
/// Who the access token belongs to.
#[jwt_required]
#[openapi(tag = "Account")]
#[get("/protected")]
fn protected(token: Jwt) -> Json<LoggedInAs> {
    Json(LoggedInAs {
        logged_in_as: token.identity().clone(),
    })
}

/// Fresh only
///
/// The same, for a fresh access token only (straight from `/login`).
#[fresh_jwt_required]
#[openapi(tag = "Account")]
#[get("/fresh")]
fn fresh(token: Jwt) -> Json<LoggedInAs> {
    Json(LoggedInAs {
        logged_in_as: token.identity().clone(),
    })
}

/// Greeting
///
/// Greets the token's owner, or anyone without a token.
#[jwt_required(optional)]
#[openapi(tag = "Account")]
#[get("/greeting")]
fn greeting(token: OptionalJwt) -> Json<Message> {
    let name = token
        .token()
        .and_then(|token| token.identity().as_str())
        .unwrap_or("stranger");
    Json(Message {
        msg: format!("Hello, {name}"),
    })
}

/// Public
///
/// No token needed.
#[openapi(tag = "Public")]
#[get("/public")]
fn public() -> Json<Message> {
    Json(Message {
        msg: "Hello".to_owned(),
    })
}

/// The application: jwt-ext's fairing, the routes with `/openapi.json`, and Swagger UI.
pub fn rocket() -> Rocket<Build> {
    rocket::build()
        .attach(JwtManager::fairing())
        .mount(
            "/",
            openapi_get_routes![login, refresh, protected, fresh, greeting, public],
        )
        .mount(
            "/swagger-ui/",
            make_swagger_ui(&SwaggerUIConfig {
                url: "../openapi.json".to_owned(),
                ..SwaggerUIConfig::default()
            }),
        )
}
