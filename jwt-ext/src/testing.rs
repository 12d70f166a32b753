//! Helpers for testing applications that use jwt-ext through `rocket::local` (cargo feature
//! `testing`): mint tokens of every kind for the client's Rocket instance, and attach them to
//! a request the way the application reads them.
//!
//! Enable the feature for the tests alone, in the application's `Cargo.toml`:
//!
//! ```toml
//! [dependencies]
//! jwt-ext = "0.1"
//!
//! [dev-dependencies]
//! jwt-ext = { version = "0.1", features = ["testing"] }
//! ```
//!
//! # Example
//!
//! ```
//! use jwt_ext::testing::{TestTokens, WithToken};
//! use jwt_ext::{AccessJwt, Config, JwtManager};
//! use rocket::http::Status;
//! use rocket::local::blocking::Client;
//!
//! #[rocket::get("/protected")]
//! fn protected(token: AccessJwt) -> String {
//!     token.identity().to_string()
//! }
//!
//! let rocket = rocket::build()
//!     .attach(JwtManager::fairing_with(Config::default().secret_key("an-example-secret-of-at-least-32-bytes")))
//!     .mount("/", rocket::routes![protected]);
//! let client = Client::tracked(rocket).unwrap();
//! let tokens = TestTokens::of(client.rocket());
//!
//! let ok = client.get("/protected").with_token(&tokens.access("alice")).dispatch();
//! assert_eq!(ok.status(), Status::Ok);
//! let expired = client.get("/protected").with_token(&tokens.expired("alice")).dispatch();
//! assert_eq!(expired.status(), Status::Unauthorized);
//! ```

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rocket::http::{Cookie, Header};
use rocket::time::Duration;
use rocket::{Orbit, Rocket};
use serde::Serialize;

use crate::location::Location;
use crate::manager::JwtManager;

/// Mints tokens with the keys and settings of a launched Rocket instance.
///
/// The helpers create tokens synchronously: with an async additional claims loader
/// ([`ClaimsLoader`](crate::ClaimsLoader)) they panic with
/// [`EncodeError::AsyncClaimsLoader`](crate::EncodeError::AsyncClaimsLoader); mint those tokens
/// in an async test with `tokens.manager().access_token(..).create_async().await`.
#[derive(Debug, Clone, Copy)]
pub struct TestTokens<'a> {
    jwt: &'a JwtManager,
}

impl<'a> TestTokens<'a> {
    /// The tokens of `rocket` (e.g. `client.rocket()`).
    ///
    /// # Panics
    ///
    /// When jwt-ext's fairing is not attached to `rocket`.
    #[must_use]
    pub fn of(rocket: &'a Rocket<Orbit>) -> Self {
        let jwt = rocket
            .state::<JwtManager>()
            .expect("jwt-ext's fairing is not attached to this Rocket instance");
        Self { jwt }
    }

    /// The manager, for tokens with other options.
    #[must_use]
    pub fn manager(&self) -> &'a JwtManager {
        self.jwt
    }

    /// An access token (not fresh).
    ///
    /// # Panics
    ///
    /// When the identity cannot be put in a token (e.g. not a string with `jwt_verify_sub`).
    #[must_use]
    pub fn access(&self, identity: impl Serialize) -> String {
        self.jwt
            .create_access_token(identity)
            .expect("access token")
    }

    /// A fresh access token.
    ///
    /// # Panics
    ///
    /// As for [`access`](Self::access).
    #[must_use]
    pub fn fresh(&self, identity: impl Serialize) -> String {
        self.jwt
            .access_token(identity)
            .fresh(true)
            .create()
            .expect("fresh token")
    }

    /// A refresh token; with `jwt_refresh_token_rotation` on, the one of a new login.
    ///
    /// # Panics
    ///
    /// As for [`access`](Self::access).
    #[must_use]
    pub fn refresh(&self, identity: impl Serialize) -> String {
        if self.jwt.config().refresh_token_rotation {
            return self
                .jwt
                .create_token_pair(identity, false)
                .expect("refresh token")
                .refresh_token;
        }
        self.jwt
            .create_refresh_token(identity)
            .expect("refresh token")
    }

    /// An access token that expired a minute ago.
    ///
    /// # Panics
    ///
    /// As for [`access`](Self::access).
    #[must_use]
    pub fn expired(&self, identity: impl Serialize) -> String {
        self.jwt
            .access_token(identity)
            .expires_in(Duration::minutes(-1))
            .create()
            .expect("expired token")
    }

    /// A refresh token that expired a minute ago.
    ///
    /// # Panics
    ///
    /// As for [`access`](Self::access).
    #[must_use]
    pub fn expired_refresh(&self, identity: impl Serialize) -> String {
        self.jwt
            .refresh_token(identity)
            .claim_if_some(
                "fam",
                self.jwt
                    .config()
                    .refresh_token_rotation
                    .then(|| uuid::Uuid::new_v4().to_string()),
            )
            .expires_in(Duration::minutes(-1))
            .create()
            .expect("expired refresh token")
    }

    /// An access token whose payload was changed after signing (its `sub` is replaced), so
    /// its signature no longer verifies: 422 `Signature verification failed`.
    ///
    /// # Panics
    ///
    /// As for [`access`](Self::access).
    #[must_use]
    pub fn tampered(&self, identity: impl Serialize) -> String {
        let token = self.access(identity);
        let mut parts = token.split('.');
        let (header, payload, signature) = (
            parts.next().unwrap_or_default(),
            parts.next().unwrap_or_default(),
            parts.next().unwrap_or_default(),
        );
        let mut claims: serde_json::Value = URL_SAFE_NO_PAD
            .decode(payload)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default();
        claims["sub"] = "someone-else".into();
        let forged = URL_SAFE_NO_PAD.encode(claims.to_string());
        format!("{header}.{forged}.{signature}")
    }
}

/// Attaches a token to a local request as the application reads it.
///
/// [`with_token`](Self::with_token) uses the first of `jwt_token_location` that a request can
/// carry without a body: the cookies when `cookies` comes before `headers`, else the
/// configured header (`jwt_header_name`, `jwt_header_type`).
/// [`with_token_cookies`](Self::with_token_cookies) does what a browser page does: the token
/// cookie, its CSRF cookie, and the CSRF header with the token's `csrf` claim.
pub trait WithToken: Sized {
    /// The request with `token` attached.
    #[must_use]
    fn with_token(self, token: &str) -> Self;

    /// The request with `token` in its cookie (the refresh cookie for a refresh token), the
    /// CSRF cookie and the CSRF header, as a page of the application would send them.
    #[must_use]
    fn with_token_cookies(self, token: &str) -> Self;
}

fn header_for(rocket: &Rocket<Orbit>, token: &str) -> Header<'static> {
    let (name, kind) = rocket.state::<JwtManager>().map_or_else(
        || ("Authorization".to_owned(), "Bearer".to_owned()),
        |jwt| {
            (
                jwt.config().header_name.clone(),
                jwt.config().header_type.clone(),
            )
        },
    );
    let value = if kind.is_empty() {
        token.to_owned()
    } else {
        format!("{kind} {token}")
    };
    Header::new(name, value)
}

/// Whether the app reads cookies before headers.
fn prefers_cookies(rocket: &Rocket<Orbit>) -> bool {
    rocket.state::<JwtManager>().is_some_and(|jwt| {
        jwt.config()
            .token_location
            .iter()
            .find(|location| matches!(location, Location::Cookies | Location::Headers))
            == Some(Location::Cookies)
    })
}

/// The cookies and CSRF header a page sends for `token`. The token is read unverified (it may
/// be a deliberately broken one), for its `type` and `csrf` claims.
fn cookies_for(
    rocket: &Rocket<Orbit>,
    token: &str,
) -> (Vec<Cookie<'static>>, Option<Header<'static>>) {
    let claims: serde_json::Map<String, serde_json::Value> = token
        .split('.')
        .nth(1)
        .and_then(|payload| URL_SAFE_NO_PAD.decode(payload).ok())
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default();
    let refresh = claims.get("type").and_then(serde_json::Value::as_str) == Some("refresh");
    let Some(jwt) = rocket.state::<JwtManager>() else {
        return (Vec::new(), None);
    };
    let config = jwt.config();
    let names = config.names(refresh);
    let mut cookies = vec![Cookie::new(names.cookie.to_owned(), token.to_owned())];
    let csrf = claims.get("csrf").and_then(serde_json::Value::as_str);
    let header = csrf.map(|csrf| {
        cookies.push(Cookie::new(names.csrf_cookie.to_owned(), csrf.to_owned()));
        Header::new(names.csrf_header.to_owned(), csrf.to_owned())
    });
    (cookies, header)
}

macro_rules! with_token {
    ($($request:ty),*) => {$(
        impl WithToken for $request {
            fn with_token(self, token: &str) -> Self {
                if prefers_cookies(self.rocket()) {
                    return self.with_token_cookies(token);
                }
                let header = header_for(self.rocket(), token);
                self.header(header)
            }

            fn with_token_cookies(self, token: &str) -> Self {
                let (cookies, header) = cookies_for(self.rocket(), token);
                let request = self.cookies(cookies);
                match header {
                    Some(header) => request.header(header),
                    None => request,
                }
            }
        }
    )*};
}

with_token!(
    rocket::local::blocking::LocalRequest<'_>,
    rocket::local::asynchronous::LocalRequest<'_>
);
