//! [`Error`]: any error of the calls a handler makes, so that one handler can create, set,
//! refresh and revoke tokens with `?` on each and no enum of its own.
//!
//! May use: every error type of the crate; nothing uses it but the application.

use rocket::request::Request;
use rocket::response::{self, Responder};

use crate::browser::cookies::CookieError;
use crate::error::JwtError;
use crate::refresh::RefreshError;
use crate::revocation::{RevokeError, StoreError};
use crate::token::encode::EncodeError;

/// Any of jwt-ext's errors, answering exactly as the error it holds would.
///
/// Each error type converts into it, so a handler returning `Result<_, jwt_ext::Error>` can
/// use `?` on token creation ([`EncodeError`]), cookies ([`CookieError`]), refreshes and
/// exchanges ([`RefreshError`]), logouts ([`RevokeError`]), revocations ([`StoreError`]) and
/// verification ([`JwtError`]).
///
/// # Example
///
/// ```
/// use jwt_ext::{AccessJwt, JwtManager, RefreshJwt};
/// use rocket::http::CookieJar;
/// use rocket::serde::json::{json, Value};
/// use rocket::post;
///
/// #[post("/logout-and-login-again")]
/// async fn again(
///     jwt: &JwtManager,
///     access: AccessJwt,
///     cookies: &CookieJar<'_>,
/// ) -> Result<Value, jwt_ext::Error> {
///     jwt.logout(&access, None).await?;                                  // RevokeError
///     let pair = jwt.create_token_pair(access.identity(), false)?;      // EncodeError
///     jwt.cookies(cookies).set_access_cookies(&pair.access_token)?;     // CookieError
///     Ok(json!({ "refresh_token": pair.refresh_token }))
/// }
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A refused or unreadable token, answered as the guards answer it.
    #[error(transparent)]
    Jwt(#[from] JwtError),
    /// A token could not be created: 500.
    #[error(transparent)]
    Encode(#[from] EncodeError),
    /// The revocation store could not answer: 503 (429 or 422 as [`StoreError`] says).
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A logout or revocation failed.
    #[error(transparent)]
    Revoke(#[from] RevokeError),
    /// A refresh or an exchange failed.
    #[error(transparent)]
    Refresh(#[from] RefreshError),
    /// Token cookies could not be set: 500.
    #[error(transparent)]
    Cookie(#[from] CookieError),
    /// A login or a session operation failed (404 for an unknown session).
    #[error(transparent)]
    Session(#[from] crate::sessions::SessionError),
}

impl<'r> Responder<'r, 'static> for Error {
    fn respond_to(self, request: &'r Request<'_>) -> response::Result<'static> {
        match self {
            Self::Jwt(error) => error.respond_to(request),
            Self::Encode(error) => error.respond_to(request),
            Self::Store(error) => error.respond_to(request),
            Self::Revoke(error) => error.respond_to(request),
            Self::Refresh(error) => error.respond_to(request),
            Self::Cookie(error) => error.respond_to(request),
            Self::Session(error) => error.respond_to(request),
        }
    }
}
