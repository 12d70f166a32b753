//! A service of the microservices example: it holds no key at all. It verifies tokens with
//! the public keys their issuer publishes, fetched at launch, refreshed every five minutes and
//! whenever a token names a new `kid`, so a key rotation on the issuer needs no change here.
//!
//! - `GET /orders` with an access token → the caller's orders;
//! - `POST /refunds` with an access token of a login at most five minutes old (its
//!   `auth_time`, as an OpenID provider writes it) → a refund; an older login gets 401 with
//!   `WWW-Authenticate: Bearer error="insufficient_user_authentication", ..., max_age="300"`.
//!
//! Port 8002. Whose tokens it trusts depends on the settings:
//!
//! - none: this example's issuer at http://127.0.0.1:8001, by its JWKS (`jwt_jwks_url`);
//! - one OpenID provider by discovery alone:
//!   `ROCKET_JWT_OIDC_ISSUER=https://login.example.com/realms/staff`;
//! - several issuers, each with its own keys and audience, e.g. the provider and this
//!   example's issuer side by side:
//!
//!   ```text
//!   ROCKET_JWT_ISSUERS='[{issuer="https://login.example.com/realms/staff", audience="orders-api"},
//!     {issuer="http://127.0.0.1:8001", jwks_url="http://127.0.0.1:8001/.well-known/jwks.json", algorithms=["ES256"]}]'
//!   ```
//!
//! The built-in JWKS default gives way as soon as `jwt_oidc_issuer` or `jwt_issuers` is set.

use jwt_ext::{auth_max_age, jwt_required, Jwt, JwtManager};
use rocket::figment::Figment;
use rocket::serde::json::{json, Value};
use rocket::{get, post, routes, Build, Rocket};

#[jwt_required]
#[get("/orders")]
fn orders(token: Jwt) -> Value {
    json!({
        "customer": token.identity(),
        "orders": [{ "id": 1, "item": "rocket", "quantity": 2 }],
        "issuer": token.claims().get("iss"),
        "verified_with_kid": token.header().get("kid"),
    })
}

#[jwt_required(claims = auth_max_age(300))]
#[post("/refunds")]
fn refund(token: Jwt) -> Value {
    json!({ "refunded_to": token.identity(), "order": 1 })
}

/// The service on `figment`: port 8002; a JWKS of ES256 keys, by default the example
/// issuer's, unless the figment names issuers of its own (`jwt_oidc_issuer`, `jwt_issuers`).
pub fn rocket_with(figment: Figment) -> Rocket<Build> {
    let mut figment = figment.join(("port", 8002));
    let names_issuers = ["jwt_oidc_issuer", "jwt_issuers"]
        .iter()
        .any(|key| figment.contains(key));
    if !names_issuers {
        figment = figment.join(("jwt_algorithm", "ES256")).join((
            "jwt_jwks_url",
            "http://127.0.0.1:8001/.well-known/jwks.json",
        ));
    }
    rocket::custom(figment)
        .attach(JwtManager::fairing())
        .mount("/", routes![orders, refund])
}

/// The service on Rocket's own configuration (`Rocket.toml`, `ROCKET_*`).
pub fn rocket() -> Rocket<Build> {
    rocket_with(rocket::Config::figment())
}
