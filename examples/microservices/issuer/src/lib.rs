//! The login service of the microservices example: the only app holding the signing key. It
//! signs ES256 tokens carrying the key's `kid` and publishes the public key as a JWK Set, from
//! which every other service verifies.
//!
//! - `POST /login` with `{"username": "test", "password": "test"}` → access and refresh tokens;
//! - `POST /refresh` with the refresh token → a new access token;
//! - `GET /.well-known/jwks.json` → the public keys (RFC 7517).
//!
//! Port 8001 unless `ROCKET_PORT` says otherwise. The key pair under `keys/` is for
//! development only: it is public, so anyone could sign tokens with it. It is used in the
//! `debug` profile alone; in any other profile the issuer refuses to launch unless `jwt_keys`
//! (or `jwt_private_key[_file]`) names a key of its own, and refuses the committed key
//! wherever it is configured.

use jwt_ext::{jwt_required, EncodeError, Jwt, JwtManager, KeyEntry};
use quickstart::LoginError;
use rocket::fairing::AdHoc;
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
/// The development private key's text, to recognise it wherever it is configured.
const DEV_PRIVATE_KEY: &str = include_str!("../../keys/issuer-es256-private.pem");

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
) -> Result<Custom<Value>, LoginError> {
    let Credentials { username, password } = credentials.into_inner();
    if !quickstart::password_matches(username.clone(), password).await? {
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

/// The issuer on `figment`: ES256, port 8001 and `iss` `http://<address>:<port>`, unless the
/// figment says otherwise; in the
/// `debug` profile with the development key set (`kid` `dev-1`) when it names no key.
pub fn rocket_with(figment: Figment) -> Rocket<Build> {
    let mut figment = figment
        .join(("port", 8001))
        .join(("jwt_algorithm", "ES256"));
    // Its tokens name it (`iss`), so that a service trusting several issuers can tell them
    // apart: the address it serves on, unless `jwt_encode_issuer` says otherwise.
    let port: u16 = figment.extract_inner("port").unwrap_or(8001);
    let address: String = figment
        .extract_inner("address")
        .unwrap_or_else(|_| "127.0.0.1".into());
    figment = figment.join(("jwt_encode_issuer", format!("http://{address}:{port}")));
    if figment.profile() == rocket::Config::DEBUG_PROFILE {
        figment = figment.join(("jwt_signing_key_id", "dev-1")).join((
            "jwt_keys",
            [json!({
                "kid": "dev-1",
                "private_key_file": PRIVATE_KEY,
                "public_key_file": PUBLIC_KEY,
            })],
        ));
    }
    rocket::custom(figment)
        .attach(AdHoc::try_on_ignite("issuer key check", |rocket| async {
            match own_key_problem(&rocket) {
                None => Ok(rocket),
                Some(problem) => {
                    rocket::error!("issuer: {problem}");
                    Err(rocket)
                }
            }
        }))
        .attach(JwtManager::fairing())
        .mount("/", routes![login, refresh])
        .mount("/", jwt_ext::jwks_routes())
}

/// Outside the `debug` profile: why the configured signing key is not one of this
/// deployment's own (none set, or the development key committed with the example).
fn own_key_problem(rocket: &Rocket<Build>) -> Option<String> {
    let figment = rocket.figment();
    if figment.profile() == rocket::Config::DEBUG_PROFILE {
        return None;
    }
    let mut private_keys: Vec<String> = figment
        .extract_inner::<Vec<KeyEntry>>("jwt_keys")
        .unwrap_or_default()
        .into_iter()
        .flat_map(|key| [key.private_key, read(key.private_key_file)])
        .flatten()
        .collect();
    private_keys.extend(figment.extract_inner::<String>("jwt_private_key").ok());
    private_keys.extend(read(figment.extract_inner("jwt_private_key_file").ok()));
    if private_keys.is_empty() {
        return Some(
            "no signing key: the development key works in the debug profile only; set \
             `jwt_keys` (or `jwt_private_key_file`) to a key pair of your own \
             (examples/microservices/keys/README.md says how to make one)"
                .into(),
        );
    }
    private_keys
        .iter()
        .any(|pem| pem.trim() == DEV_PRIVATE_KEY.trim())
        .then(|| {
            "the configured private key is the development key committed with the example, \
             which anyone can read: generate a key pair of your own"
                .into()
        })
}

/// The text of a PEM file, if it can be read (the jwt-ext fairing reports unreadable ones).
fn read(path: Option<std::path::PathBuf>) -> Option<String> {
    std::fs::read_to_string(path?).ok()
}

/// The issuer on Rocket's own configuration (`Rocket.toml`, `ROCKET_*`).
pub fn rocket() -> Rocket<Build> {
    rocket_with(rocket::Config::figment())
}
