//! # jwt-ext: Flask-JWT-Extended for Rocket
//!
//! Access and refresh tokens for Rocket 0.5 with the behaviour of Flask-JWT-Extended 4.x: the
//! same claims on the wire (a token minted by either side with the same secret is accepted by
//! the other), the same configuration names and defaults, the same statuses and JSON error
//! bodies.
//!
//! ## Quickstart
//!
//! ```no_run
//! use jwt_ext::{AccessJwt, EncodeError, JwtManager, RefreshJwt};
//! use rocket::serde::json::{json, Value};
//! use rocket::{get, launch, post, routes};
//!
//! #[post("/login")]
//! fn login(jwt: &JwtManager) -> Result<Value, EncodeError> {
//!     // ... check the user's password first ...
//!     Ok(json!({
//!         "access_token": jwt.access_token("test").fresh(true).create()?,
//!         "refresh_token": jwt.create_refresh_token("test")?,
//!     }))
//! }
//!
//! #[post("/refresh")]
//! fn refresh(jwt: &JwtManager, token: RefreshJwt) -> Result<Value, EncodeError> {
//!     Ok(json!({ "access_token": jwt.create_access_token(token.identity())? }))
//! }
//!
//! #[get("/protected")]
//! fn protected(token: AccessJwt) -> Value {
//!     json!({ "logged_in_as": token.identity() })
//! }
//!
//! #[launch]
//! fn rocket() -> _ {
//!     rocket::build()
//!         .attach(JwtManager::fairing())
//!         .mount("/", routes![login, refresh, protected])
//! }
//! ```
//!
//! Settings come from `Rocket.toml` or `ROCKET_JWT_*` variables (see [`Config`]), e.g.
//! `ROCKET_JWT_SECRET_KEY`. In the `debug` profile a missing secret is replaced by a random
//! one; any other profile refuses to launch without a secret of at least 32 bytes (HS256).
//!
//! ## Decorators as attributes
//!
//! Flask's decorators are attributes placed above the route attribute; a plain [`Jwt`]
//! parameter then reads the verified token (Flask's `get_jwt()`):
//!
//! ```no_run
//! use jwt_ext::{fresh_jwt_required, jwt_required, Jwt};
//! use rocket::get;
//!
//! #[jwt_required]                 // @jwt_required()
//! #[get("/protected")]
//! fn protected(token: Jwt) -> String {
//!     format!("hello {}", token.identity())
//! }
//!
//! #[fresh_jwt_required]           // @jwt_required(fresh=True)
//! #[get("/settings")]
//! fn settings() -> &'static str {
//!     "only with a fresh token"
//! }
//! ```
//!
//! ## From Flask-JWT-Extended
//!
//! | Flask-JWT-Extended | jwt-ext attribute | or guard parameter |
//! |---|---|---|
//! | `JWTManager(app)` | `.attach(JwtManager::fairing())` | |
//! | `app.config["JWT_SECRET_KEY"]` | `jwt_secret_key` in `Rocket.toml`, `ROCKET_JWT_SECRET_KEY`, or [`Config::secret_key`] | |
//! | `@jwt_required()` | [`#[jwt_required]`](macro@jwt_required) | [`AccessJwt`] |
//! | `@jwt_required(refresh=True)`, 3.x `@jwt_refresh_token_required` | `#[jwt_required(refresh)]`, [`#[jwt_refresh_token_required]`](macro@jwt_refresh_token_required) | [`RefreshJwt`] |
//! | `@jwt_required(fresh=True)` | `#[jwt_required(fresh)]`, [`#[fresh_jwt_required]`](macro@fresh_jwt_required) | [`FreshJwt`] |
//! | `@jwt_required(optional=True)`, 3.x `@jwt_optional` | `#[jwt_required(optional)]`, [`#[jwt_optional]`](macro@jwt_optional) | [`OptionalJwt`] |
//! | `@jwt_required(verify_type=False)` | `#[jwt_required(verify_type = false)]` | [`AnyJwt`] |
//! | `create_access_token(identity, fresh=..., expires_delta=..., additional_claims=..., additional_headers=...)` | [`JwtManager::access_token`]`(identity).fresh(..).expires_in(..).additional_claims(..).additional_headers(..).create()` |
//! | `create_refresh_token(identity)` | [`JwtManager::create_refresh_token`] |
//! | `decode_token(token, allow_expired=...)` | [`JwtManager::decode_token`], [`JwtManager::decode_token_allow_expired`] |
//! | `get_jwt_identity()` | [`DecodedToken::identity`], [`DecodedToken::identity_as`] |
//! | `get_jwt()` | [`DecodedToken::claims`], [`DecodedToken::claims_as`] |
//! | `get_jwt_header()` | [`DecodedToken::header`] |
//! | `get_jwt_request_location()` | [`Jwt::location`] |
//! | `verify_jwt_in_request(optional=, fresh=, refresh=, locations=, verify_type=, skip_revocation_check=)` | [`verify_jwt_in_request`]`(request, `[`VerifyOptions`]`::new().optional(..)...)` |
//! | `set_access_cookies`, `unset_jwt_cookies`, ... | [`JwtCookies`] |
//! | `expired_token_loader`, `invalid_token_loader`, `unauthorized_loader`, `needs_fresh_token_loader` | [`JwtFairing::on_error`] |
//!
//! ## Browsers: cookies and CSRF
//!
//! With `jwt_token_location = ["cookies"]` the tokens travel in `HttpOnly` cookies, set and
//! unset with [`JwtCookies`], and state-changing requests must copy the readable CSRF cookie
//! into the `X-CSRF-TOKEN` header (Flask's double submit). [`ImplicitRefresh`] renews access
//! cookies close to expiry. The search order over `headers`, `cookies`, `query_string` and
//! `json` is described in [`location`]; tokens in a JSON body are read by the [`JwtJson`] data
//! guard.
//!
//! ## Loaders, revocation, rotation
//!
//! - Flask's `JWTManager` loaders are methods of [`JwtFairing`]: identity, additional claims and
//!   headers, token verification, user lookup ([`UserLoader`], read with [`CurrentUser`]), and
//!   a replaceable answer for every error.
//! - Every verified request asks a [`Blocklist`] whether its token was revoked:
//!   [`MemoryBlocklist`] by default, `RedisBlocklist` with `jwt_redis_url` (feature `redis`).
//!   [`JwtManager::logout`] revokes a login's every token in one call; a revocation lasts as
//!   long as the token could be used in any way.
//! - [`JwtManager::refresh`] is the body of a refresh route; with
//!   `jwt_refresh_token_rotation` it rotates refresh tokens and revokes a login's every token
//!   when a rotated-out one comes back. [`JwtManager::exchange_expired`] exchanges access
//!   tokens within a window counted from the login (tymon/jwt-auth's `refresh_ttl`).
//! - `#[jwt_required(claims = has_role("admin"))]` and [`Authorized`] add authorisation
//!   ([`ClaimsRequirement`]): 403 for a valid token without the role.
//! - Resource servers of other issuers (feature `remote-jwks`): `jwt_oidc_issuer` trusts an
//!   OpenID provider by discovery alone, `[[jwt_issuers]]` ([`IssuerEntry`]) several side by
//!   side, each token verified with its own issuer's keys; `jwt_decode_typ` keeps ID tokens
//!   out. Per route, `#[jwt_required(audience = "orders-api")]` ([`has_audience`]) and the
//!   step-up requirements [`acr_in`] and [`auth_max_age`] answer 401 as RFC 6750 and RFC 9470
//!   say; `JwtFairing::http_client` takes the application's own HTTP client.
//! - The `testing` feature adds `jwt_ext::testing`, helpers for an application's own tests.
//! - The `metrics` feature reports accepted and refused requests (by reason), tokens created,
//!   rotations, reuse detections, revocations and the stores' and caches' timings and sizes to
//!   the `metrics` facade: the [`telemetry`] module names every series.
//! - The `jwt-ext-okapi` crate makes the guards declare their security schemes to
//!   `rocket_okapi`: the OpenAPI spec and Swagger UI show which route needs which token.
//!
//! ## Errors
//!
//! A refused request gets Flask-JWT-Extended's status and body, `{"msg": "..."}` (the key is
//! `jwt_error_message_key`), written by the fairing whatever catchers the application has;
//! 401s also carry `WWW-Authenticate: Bearer` (RFC 6750). See [`JwtError`] for every case and
//! [`JwtFairing::on_error`] to answer differently.
//!
//! ## Safer than the defaults underneath
//!
//! `alg: none` (any casing) and every algorithm outside `jwt_decode_algorithms` are refused
//! before any signature work; tokens with a `crit` header, non-numeric `exp`/`nbf`/`iat`,
//! duplicate claim names or more than `jwt_max_token_length` bytes are refused; the leeway is
//! bounded so that no clock arithmetic can overflow; the crypto provider is installed and
//! tested at ignite.

#![cfg_attr(docsrs, feature(doc_cfg))]
#![deny(missing_docs)]
#![forbid(unsafe_code)]
#![warn(clippy::pedantic)]
// Builder-style setters and guards return `Self`; `#[must_use]` on each adds nothing.
#![allow(clippy::must_use_candidate, clippy::return_self_not_must_use)]

mod any_error;
mod browser;
mod catchers;
mod clock;
mod config;
mod error;
mod error_response;
mod fairing;
mod jwks_route;
mod loaders;
pub mod location;
mod manager;
mod refresh;
mod request;
mod response;
mod revocation;
mod sessions;
pub mod telemetry;
#[cfg(feature = "testing")]
#[cfg_attr(docsrs, doc(cfg(feature = "testing")))]
pub mod testing;
mod token;

#[doc(hidden)]
pub mod __private;

pub use any_error::Error;
pub use browser::cookies::{CookieError, JwtCookies, PERSISTENT_COOKIE_MAX_AGE};
pub use browser::implicit_refresh::ImplicitRefresh;
pub use catchers::json_catchers;
pub use config::{
    Config, ConfigError, ConfigProblem, IssuerEntry, KeyEntry, Lifetime, OneOrMany, SecretKey,
    DEFAULT_CACHE_SIZE, DEFAULT_JWKS_MIN_REFETCH_INTERVAL, DEFAULT_JWKS_REFRESH_INTERVAL,
    DEFAULT_MAX_ENTRIES, DEFAULT_MAX_ENTRIES_PER_IDENTITY, DEFAULT_MAX_TOKEN_LENGTH,
    DEFAULT_NEAR_CACHE_SIZE, MAX_LEEWAY_SECONDS, MAX_LIFETIME,
};
pub use error::{JwtError, LoaderError, RefusedToken, StepUp};
pub use error_response::ErrorResponse;
pub use fairing::JwtFairing;
pub use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey};
pub use jwks_route::jwks_routes;
pub use loaders::{ClaimsLoader, TokenVerifier, UserLoader};
pub use manager::JwtManager;
pub use manager::TokenBuilder;
pub use refresh::{RefreshError, Refreshed, TokenPair};
pub use request::authz::{
    claim_eq, has_role, has_scope, And, Authorized, ClaimEq, ClaimsRequirement, HasRole, HasScope,
    Or,
};
pub use request::guards::{AccessJwt, AnyJwt, FreshJwt, Jwt, OptionalJwt, RefreshJwt};
pub use request::json::{JwtJson, JwtJsonError};
pub use request::step_up::{acr_in, auth_max_age, has_audience, AcrIn, AuthMaxAge, HasAudience};
pub use request::user::{CurrentUser, OptionalCurrentUser};
pub use request::verify::{verify_jwt_in_request, VerifyOptions};
#[cfg(feature = "redis")]
#[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
pub use revocation::RedisBlocklist;
pub use revocation::{
    Blocklist, Exchange, MemoryBlocklist, RevokeError, Rotation, RotationOutcome, Session,
    StoreError,
};
pub use sessions::{LoginBuilder, SessionError};
pub use token::cache::MAX_CACHED_TOKEN_LENGTH;
pub use token::claims::{DecodedToken, Freshness, TokenType};
pub use token::encode::EncodeError;
pub use token::kind;

pub use jwt_ext_macros::{
    fresh_jwt_required, jwt_optional, jwt_refresh_token_required, jwt_required,
};
