//! A service of the microservices example: it holds no key at all. It verifies the issuer's
//! tokens with the public keys the issuer publishes (`jwt_jwks_url`), fetched at launch,
//! refreshed every five minutes and whenever a token names a new `kid`, so a key rotation on
//! the issuer needs no change here.
//!
//! - `GET /orders` with an access token from the issuer → the caller's orders.
//!
//! Port 8002, and the issuer at http://127.0.0.1:8001, unless `ROCKET_PORT` and
//! `ROCKET_JWT_JWKS_URL` say otherwise.

use jwt_ext::{jwt_required, Jwt, JwtManager};
use rocket::figment::Figment;
use rocket::serde::json::{json, Value};
use rocket::{get, routes, Build, Rocket};

#[jwt_required]
#[get("/orders")]
fn orders(token: Jwt) -> Value {
    json!({
        "customer": token.identity(),
        "orders": [{ "id": 1, "item": "rocket", "quantity": 2 }],
        "verified_with_kid": token.header().get("kid"),
    })
}

/// The service on `figment`: ES256 from the issuer's JWKS, port 8002, unless the figment says
/// otherwise.
pub fn rocket_with(figment: Figment) -> Rocket<Build> {
    let figment = figment
        .join(("port", 8002))
        .join(("jwt_algorithm", "ES256"))
        .join((
            "jwt_jwks_url",
            "http://127.0.0.1:8001/.well-known/jwks.json",
        ));
    rocket::custom(figment)
        .attach(JwtManager::fairing())
        .mount("/", routes![orders])
}

/// The service on Rocket's own configuration (`Rocket.toml`, `ROCKET_*`).
pub fn rocket() -> Rocket<Build> {
    rocket_with(rocket::Config::figment())
}
