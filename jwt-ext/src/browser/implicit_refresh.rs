//! Implicit refresh (Flask-JWT-Extended's `after_request` recipe for browsers): a fairing that re-issues the access cookie when a
//! request's cookie-borne access token is valid but close to its expiry.

use rocket::fairing::{Fairing, Info, Kind};
use rocket::http::Cookie;
use rocket::time::Duration;
use rocket::{Request, Response};

use crate::browser::cookies::{token_cookies, CookieOptions};
use crate::manager::JwtManager;
use crate::request::guards::cookie_access_token;

/// Re-issues the access cookie (and its CSRF cookie) on the responses to requests whose
/// cookie-borne access token expires within the window: Flask-JWT-Extended's recommended
/// `after_request` hook for browsers, as a fairing.
///
/// It acts only when a jwt-ext guard accepted an access token **from a cookie** during the
/// request (never for headers, query strings or JSON bodies, never for refresh tokens), only
/// on 2xx and 3xx responses, and never on a response that sets or unsets the access cookie
/// itself, so a logout stays a logout (Flask's issue #454). An expired token is refused by
/// the guard before this fairing sees it, so it is never revived. The new token carries the
/// same identity (through the identity loader and additional-claims loader, as in Flask's
/// example), the login's `fam` and the token's own claims as a refresh carries them over (a
/// `role` given at login stays), and is not fresh.
///
/// Renewal is bounded by the login, which Flask's recipe is not: a stolen access cookie
/// cannot keep itself alive for ever. The new token never outlives the login's end (`fam_exp`
/// of a [`JwtManager::create_token_pair`] login, else a refresh-token lifetime after the
/// original login, carried as `orig_iat`), and once the login has ended the cookie is not
/// renewed. A logout that revokes the login (see [`JwtManager::logout`]) stops the renewed
/// cookies too.
///
/// Attach it after [`JwtManager::fairing`].
///
/// # Example
///
/// ```no_run
/// use jwt_ext::{ImplicitRefresh, JwtManager};
/// use rocket::time::Duration;
///
/// #[rocket::launch]
/// fn rocket() -> _ {
///     rocket::build()
///         .attach(JwtManager::fairing())
///         // Default window: 30 minutes, as in Flask's example.
///         .attach(ImplicitRefresh::within(Duration::minutes(10)))
/// }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImplicitRefresh {
    window: Duration,
}

impl ImplicitRefresh {
    /// The default window of Flask's example: 30 minutes.
    pub const DEFAULT_WINDOW: Duration = Duration::minutes(30);

    /// Refreshes tokens that expire within the default 30 minutes.
    #[must_use]
    pub fn new() -> Self {
        Self::within(Self::DEFAULT_WINDOW)
    }

    /// Refreshes tokens that expire within `window`.
    #[must_use]
    pub fn within(window: Duration) -> Self {
        Self { window }
    }

    /// The window.
    #[must_use]
    pub fn window(&self) -> Duration {
        self.window
    }
}

impl Default for ImplicitRefresh {
    fn default() -> Self {
        Self::new()
    }
}

#[rocket::async_trait]
impl Fairing for ImplicitRefresh {
    fn info(&self) -> Info {
        Info {
            name: "jwt-ext implicit refresh",
            kind: Kind::Response | Kind::Singleton,
        }
    }

    async fn on_response<'r>(&self, request: &'r Request<'_>, response: &mut Response<'r>) {
        let class = response.status().class();
        if !(class.is_success() || class.is_redirection()) {
            return;
        }
        let Some(token) = cookie_access_token(request) else {
            return;
        };
        let Some(manager) = request.rocket().state::<JwtManager>() else {
            return;
        };
        let Some(expires) = token
            .claims()
            .get("exp")
            .and_then(serde_json::Value::as_f64)
        else {
            return;
        };
        let now = crate::clock::now_seconds();
        #[allow(clippy::cast_precision_loss)]
        let window = self.window.whole_seconds() as f64;
        if expires <= now || now + window < expires {
            return;
        }
        let name = manager.config().access_cookie_name.as_str();
        let sets_it_itself = response
            .headers()
            .get("Set-Cookie")
            .filter_map(|header| Cookie::parse(header).ok())
            .any(|cookie| cookie.name() == name);
        if sets_it_itself {
            return;
        }
        let now_seconds = now.floor();
        #[allow(clippy::cast_possible_truncation)]
        let now_seconds = now_seconds as i64;
        let Some(builder) = renewal(manager, &token, now_seconds) else {
            return;
        };
        let cookies = builder
            .create_async()
            .await
            .map_err(|error| error.to_string())
            .and_then(|new| {
                token_cookies(manager, &new, false, &CookieOptions::default())
                    .map_err(|error| error.to_string())
            });
        match cookies {
            Ok(cookies) => {
                for cookie in cookies {
                    response.adjoin_header(cookie);
                }
            }
            Err(error) => log::error!("jwt-ext: implicit refresh failed: {error}"),
        }
    }
}

/// The renewed access token of `token`'s login, or `None` when the login has ended: never past
/// the login's end (`fam_exp`, else a refresh lifetime after `orig_iat` / `iat`), with the
/// same `fam`, `fam_exp`, `fam_iat` and `orig_iat`, and the claims a refresh carries over.
fn renewal<'m>(
    manager: &'m JwtManager,
    token: &crate::DecodedToken,
    now: i64,
) -> Option<crate::TokenBuilder<'m, crate::kind::Access>> {
    let login = crate::token::claims::login_time(token);
    let login_end = crate::token::claims::int_claim(token, "fam_exp").or_else(|| {
        let lifetime = manager.config().refresh_token_expires.duration()?;
        login.map(|login| login.saturating_add(lifetime.whole_seconds()))
    });
    if login_end.is_some_and(|end| end <= now) {
        return None;
    }
    Some(
        manager
            .access_token(token.identity())
            .carrying(manager.carried_claims(token))
            .claim_if_some("fam", token.family())
            .claim_if_some("fam_exp", crate::token::claims::int_claim(token, "fam_exp"))
            .claim_if_some("orig_iat", login)
            .ends_by(login_end),
    )
}
