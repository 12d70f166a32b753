//! [`SessionError`]: why a login, a list of sessions or an end of sessions failed, and its
//! answer.

use rocket::http::Status;

use crate::revocation::StoreError;
use crate::token::encode::EncodeError;

/// Why a login or a session operation failed. As a responder: 404
/// `{"msg": "Session not found"}`, 503 when the store failed, 500 (or 503) when a token could
/// not be created.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SessionError {
    /// A token of the login could not be created.
    #[error(transparent)]
    Encode(#[from] EncodeError),
    /// The store could not record, list or end the sessions.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The identity has no session with that id (another identity's, ended, or made up):
    /// nothing was revoked.
    #[error("no session of this identity has that id")]
    NotFound,
}

impl<'r> rocket::response::Responder<'r, 'static> for SessionError {
    fn respond_to(self, request: &'r rocket::Request<'_>) -> rocket::response::Result<'static> {
        match self {
            Self::Encode(error) => error.respond_to(request),
            Self::Store(error) => error.respond_to(request),
            Self::NotFound => {
                crate::response::server_error(request, Status::NotFound, "Session not found", &self)
            }
        }
    }
}
