//! The login service of the microservices example: the only app holding the signing key. It
//! signs ES256 tokens carrying the key's `kid` and publishes the public key as a JWK Set, from
//! which every other service verifies.
//!
//! - `POST /login` with `{"username": "test", "password": "test"}` → access and refresh tokens;
//! - `POST /refresh` with the refresh token → a new access token;
//! - `GET /.well-known/jwks.json` → the public keys (RFC 7517).
//!
//! Port 8001 unless `ROCKET_PORT` says otherwise. The key pair under `keys/` is for
//! development only.

use jwt_ext::{jwt_required, EncodeError, Jwt, JwtManager};
use rocket::figment::Figment;
use rocket::http::Status;
use rocket::response::status::Custom;
use rocket::serde::json::{json, Json, Value};
use rocket::serde::Deserialize;
use rocket::{post, routes, Build, Rocket};

/// The development key pair shipped with the example.
const PRIVATE_KEY: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../keys/issuer-es256-private.pem"
);
const PUBLIC_KEY: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../keys/issuer-es256-public.pem"
);

/// The body of `POST /login`.
#[derive(Deserialize)]
#[serde(crate = "rocket::serde")]
struct Credentials {
    username: String,
    password: String,
}

#[post("/login", data = "<credentials>")]
async fn login(
    jwt: &JwtManager,
    credentials: Json<Credentials>,
) -> Result<Custom<Value>, EncodeError> {
    let Credentials { username, password } = credentials.into_inner();
    if !quickstart::password_matches(username.clone(), password).await {
        let body = json!({ "msg": "Bad username or password" });
        return Ok(Custom(Status::Unauthorized, body));
    }
    let body = json!({
        "access_token": jwt.access_token(&username).fresh(true).create()?,
        "refresh_token": jwt.create_refresh_token(&username)?,
    });
    Ok(Custom(Status::Ok, body))
}

#[jwt_required(refresh)]
#[post("/refresh")]
fn refresh(jwt: &JwtManager, token: Jwt) -> Result<Value, EncodeError> {
    Ok(json!({ "access_token": jwt.create_access_token(token.identity())? }))
}

/// The issuer on `figment`: ES256 with the development key set (`kid` `dev-1`) and port 8001,
/// unless the figment says otherwise.
pub fn rocket_with(figment: Figment) -> Rocket<Build> {
    let figment = figment
        .join(("port", 8001))
        .join(("jwt_algorithm", "ES256"))
        .join(("jwt_signing_key_id", "dev-1"))
        .join((
            "jwt_keys",
            [json!({
                "kid": "dev-1",
                "private_key_file": PRIVATE_KEY,
                "public_key_file": PUBLIC_KEY,
            })],
        ));
    rocket::custom(figment)
        .attach(JwtManager::fairing())
        .mount("/", routes![login, refresh])
        .mount("/", jwt_ext::jwks_routes())
}

/// The issuer on Rocket's own configuration (`Rocket.toml`, `ROCKET_*`).
pub fn rocket() -> Rocket<Build> {
    rocket_with(rocket::Config::figment())
}
