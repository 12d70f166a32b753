//! Setting and unsetting the token cookies: Flask's `set_access_cookies`,
//! `set_refresh_cookies`, `unset_access_cookies`, `unset_refresh_cookies` and
//! `unset_jwt_cookies`, with the same attributes, on Rocket's cookie jar.

use std::fmt;

use rocket::http::{Cookie, CookieJar, SameSite, Status};
use rocket::request::{FromRequest, Outcome, Request};
use rocket::response::{self, Responder};
use rocket::time::{Duration, OffsetDateTime};
use rocket::{Ignite, Rocket, Sentinel};
use serde_json::Value;

use crate::config::Config;
use crate::error::JwtError;
use crate::manager::fairing_missing;
use crate::manager::JwtManager;
use crate::token::encode::EncodeError;

/// `Max-Age` of non-session cookies (`jwt_session_cookie = false`): Flask's 31 540 000 s.
pub const PERSISTENT_COOKIE_MAX_AGE: Duration = Duration::seconds(31_540_000);

/// Sets and unsets the access and refresh cookies (and their CSRF cookies) on the response,
/// with every cookie setting of the configuration. A request guard, or
/// [`JwtManager::cookies`] on a jar.
///
/// The token cookie is `HttpOnly`; its CSRF cookie (when `jwt_cookie_csrf_protect` and
/// `jwt_csrf_in_cookies`) is readable by the page's scripts, which send it back in the
/// `X-CSRF-TOKEN` header. Both get the configured `Path`, `Secure`, `Domain` and `SameSite`
/// (`Lax` unless configured), and `Max-Age`/`Expires` unless they are session cookies.
///
/// # Example
///
/// ```
/// use jwt_ext::{CookieError, JwtCookies, JwtManager};
/// use rocket::post;
/// use rocket::serde::json::{json, Value};
///
/// #[post("/login")]
/// fn login(jwt: &JwtManager, cookies: JwtCookies<'_>) -> Result<Value, CookieError> {
///     // ... check the password first ...
///     cookies.set_access_cookies(&jwt.create_access_token("alice")?)?;
///     cookies.set_refresh_cookies(&jwt.create_refresh_token("alice")?)?;
///     Ok(json!({ "login": true }))
/// }
///
/// #[post("/logout")]
/// fn logout(cookies: JwtCookies<'_>) -> Value {
///     cookies.unset_jwt_cookies();
///     json!({ "logout": true })
/// }
/// ```
pub struct JwtCookies<'a> {
    manager: &'a JwtManager,
    jar: &'a CookieJar<'a>,
    domain: Option<String>,
    max_age: Option<Duration>,
}

impl JwtManager {
    /// The token cookies of `jar`, the jar of the request being answered.
    pub fn cookies<'a>(&'a self, jar: &'a CookieJar<'_>) -> JwtCookies<'a> {
        JwtCookies {
            manager: self,
            jar,
            domain: None,
            max_age: None,
        }
    }

    /// The `csrf` claim of `token`, verified: Flask's `get_csrf_token`. With
    /// `jwt_csrf_in_cookies = false`, the application sends it in the login response instead.
    ///
    /// # Errors
    ///
    /// The token does not decode (see [`JwtManager::decode_token`]), or has no `csrf` claim
    /// (422 `Missing claim: csrf`).
    pub fn csrf_token(&self, token: &str) -> Result<String, JwtError> {
        let decoded = self.decode_token(token)?;
        match decoded.claims().get("csrf") {
            Some(Value::String(csrf)) => Ok(csrf.clone()),
            _ => Err(JwtError::Invalid("Missing claim: csrf".into())),
        }
    }
}

impl JwtCookies<'_> {
    /// The `Domain` for the cookies set or unset through this value, instead of
    /// `jwt_cookie_domain` (Flask's `domain=` argument).
    #[must_use]
    pub fn domain(mut self, domain: impl Into<String>) -> Self {
        self.domain = Some(domain.into());
        self
    }

    /// The `Max-Age` of the cookies set through this value, instead of the session or
    /// one-year default (Flask's `max_age=` argument).
    #[must_use]
    pub fn max_age(mut self, max_age: Duration) -> Self {
        self.max_age = Some(max_age);
        self
    }

    /// Sets the access token cookie and, when configured, its CSRF cookie.
    ///
    /// # Errors
    ///
    /// [`CookieError`] when the CSRF cookie needs the token's `csrf` claim and the token does
    /// not decode or has none, or when a per-call domain meets a `__Host-` cookie name.
    pub fn set_access_cookies(&self, token: &str) -> Result<(), CookieError> {
        self.set(token, false)
    }

    /// Sets the refresh token cookie and, when configured, its CSRF cookie.
    ///
    /// # Errors
    ///
    /// As [`set_access_cookies`](Self::set_access_cookies).
    pub fn set_refresh_cookies(&self, token: &str) -> Result<(), CookieError> {
        self.set(token, true)
    }

    /// Expires the access token cookie and its CSRF cookie.
    pub fn unset_access_cookies(&self) {
        self.unset(false);
    }

    /// Expires the refresh token cookie and its CSRF cookie.
    pub fn unset_refresh_cookies(&self) {
        self.unset(true);
    }

    /// Expires every token and CSRF cookie: the logout of a browser session.
    pub fn unset_jwt_cookies(&self) {
        self.unset(false);
        self.unset(true);
    }

    fn set(&self, token: &str, refresh: bool) -> Result<(), CookieError> {
        let options = CookieOptions {
            domain: self.domain.as_deref(),
            max_age: self.max_age,
        };
        for cookie in token_cookies(self.manager, token, refresh, &options)? {
            self.jar.add(cookie);
        }
        Ok(())
    }

    fn unset(&self, refresh: bool) {
        // Added, not removed: Rocket only writes a removal for cookies the request carried,
        // and a cookie with a narrower path may not have come with this request.
        for cookie in removal_cookies(self.manager.config(), refresh, self.domain.as_deref()) {
            self.jar.add(cookie);
        }
    }
}

impl fmt::Debug for JwtCookies<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JwtCookies")
            .field("domain", &self.domain)
            .field("max_age", &self.max_age)
            .finish_non_exhaustive()
    }
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for JwtCookies<'r> {
    type Error = JwtError;

    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, JwtError> {
        match request.rocket().state::<JwtManager>() {
            Some(manager) => Outcome::Success(manager.cookies(request.cookies())),
            None => Outcome::Error((Status::InternalServerError, JwtError::NotConfigured)),
        }
    }
}

impl Sentinel for JwtCookies<'_> {
    fn abort(rocket: &Rocket<Ignite>) -> bool {
        fairing_missing(rocket)
    }
}

/// Why token cookies could not be set. A server-side bug, so as a responder it answers 500
/// and logs the reason.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CookieError {
    /// The token to put in the cookie could not be created (converted from [`EncodeError`],
    /// so a handler can create and set with `?`).
    #[error("cannot create the token: {0}")]
    Token(EncodeError),
    /// The CSRF cookie needs the token's `csrf` claim, and the token does not decode or has
    /// none (e.g. `jwt_cookie_csrf_protect` was off when it was created).
    #[error("cannot read the token's csrf claim: {0}")]
    Csrf(JwtError),
    /// A per-call domain was given for a `__Host-` cookie, which browsers refuse with a
    /// `Domain`.
    #[error("cookie `{0}` starts with `__Host-`, which browsers refuse with a Domain")]
    HostPrefixWithDomain(String),
}

impl From<EncodeError> for CookieError {
    fn from(error: EncodeError) -> Self {
        Self::Token(error)
    }
}

impl<'r> Responder<'r, 'static> for CookieError {
    fn respond_to(self, request: &'r Request<'_>) -> response::Result<'static> {
        log::error!("jwt-ext: could not set the token cookies: {self}");
        let status = match &self {
            Self::Token(error) => crate::response::encode_status(error),
            _ => Status::InternalServerError,
        };
        crate::response::server_error(request, status, "Could not set the token cookies", &self)
    }
}

/// Per-call overrides of the configured cookie attributes.
#[derive(Default)]
pub(crate) struct CookieOptions<'o> {
    pub(crate) domain: Option<&'o str>,
    pub(crate) max_age: Option<Duration>,
}

/// The token cookie and, when configured, its CSRF cookie, for `token`.
pub(crate) fn token_cookies(
    manager: &JwtManager,
    token: &str,
    refresh: bool,
    options: &CookieOptions<'_>,
) -> Result<Vec<Cookie<'static>>, CookieError> {
    let config = manager.config();
    let names = config.names(refresh);
    let domain = options.domain.or(config.cookie_domain.as_deref());
    for name in [names.cookie, names.csrf_cookie] {
        if options.domain.is_some() && name.to_ascii_lowercase().starts_with("__host-") {
            return Err(CookieError::HostPrefixWithDomain(name.to_owned()));
        }
    }
    let max_age = options
        .max_age
        .or((!config.session_cookie).then_some(PERSISTENT_COOKIE_MAX_AGE));
    let build = |name: &str, value: String, path: &str, http_only: bool| {
        let mut cookie = Cookie::build((name.to_owned(), value))
            .path(path.to_owned())
            .http_only(http_only)
            .secure(config.cookie_secure)
            .same_site(config.cookie_samesite.unwrap_or(SameSite::Lax));
        if config.cookie_partitioned {
            cookie = cookie.partitioned(true);
        }
        if let Some(domain) = domain {
            cookie = cookie.domain(domain.to_owned());
        }
        if let Some(max_age) = max_age {
            cookie = cookie
                .max_age(max_age)
                .expires(OffsetDateTime::now_utc() + max_age);
        }
        cookie.build()
    };
    let mut cookies = vec![build(
        names.cookie,
        token.to_owned(),
        names.cookie_path,
        true,
    )];
    if config.cookie_csrf_protect && config.csrf_in_cookies {
        let csrf = manager.csrf_token(token).map_err(CookieError::Csrf)?;
        cookies.push(build(
            names.csrf_cookie,
            csrf,
            names.csrf_cookie_path,
            false,
        ));
    }
    Ok(cookies)
}

/// Cookies that expire the token cookie and its CSRF cookie: empty, `Max-Age=0` and
/// `Expires` in 1970, with the path and domain they were set with.
pub(crate) fn removal_cookies(
    config: &Config,
    refresh: bool,
    domain: Option<&str>,
) -> Vec<Cookie<'static>> {
    let names = config.names(refresh);
    let domain = domain.or(config.cookie_domain.as_deref());
    let build = |name: &str, path: &str, http_only: bool| {
        let mut cookie = Cookie::build((name.to_owned(), ""))
            .path(path.to_owned())
            .http_only(http_only)
            .secure(config.cookie_secure)
            .same_site(config.cookie_samesite.unwrap_or(SameSite::Lax))
            .max_age(Duration::ZERO)
            .expires(OffsetDateTime::UNIX_EPOCH);
        // A partitioned cookie is only replaced by one of the same partition.
        if config.cookie_partitioned {
            cookie = cookie.partitioned(true);
        }
        if let Some(domain) = domain {
            cookie = cookie.domain(domain.to_owned());
        }
        cookie.build()
    };
    let mut cookies = vec![build(names.cookie, names.cookie_path, true)];
    if config.cookie_csrf_protect && config.csrf_in_cookies {
        cookies.push(build(names.csrf_cookie, names.csrf_cookie_path, false));
    }
    cookies
}
