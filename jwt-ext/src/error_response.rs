//! [`ErrorResponse`]: an application's answer to a refused token — status, JSON body and
//! headers.
//!
//! May use: nothing of the crate (a leaf); the loaders return it and the response side writes
//! it.

use rocket::http::{Header, Status};
use serde_json::Value;

/// What an error loader answers ([`JwtFairing::on_error`](crate::JwtFairing::on_error),
/// [`JwtFairing::expired_token_loader`](crate::JwtFairing::expired_token_loader) & co.): a
/// status, a JSON body and, beyond Flask's `(body, status)`, headers.
///
/// A loader may return a `(Status, Value)` pair as before; return an `ErrorResponse` to add
/// headers (a `Retry-After`, a `Location`). jwt-ext still writes `Content-Type:
/// application/json` and, on a 401 or a claims requirement's 403, `WWW-Authenticate`; a
/// header the answer sets replaces jwt-ext's of the same name, others are added.
///
/// # Example
///
/// ```
/// use jwt_ext::{ErrorResponse, JwtError, JwtManager};
/// use rocket::http::{Header, Status};
/// use rocket::serde::json::json;
///
/// let fairing = JwtManager::fairing().on_error(|error| match error {
///     JwtError::StoreUnavailable(_) => Some(
///         ErrorResponse::new(Status::ServiceUnavailable, json!({ "msg": "try again soon" }))
///             .header(Header::new("Retry-After", "5")),
///     ),
///     _ => None,
/// });
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorResponse {
    status: Status,
    body: Value,
    headers: Vec<Header<'static>>,
}

impl ErrorResponse {
    /// An answer with `status` and the JSON `body`, and no header of its own.
    #[must_use]
    pub fn new(status: Status, body: Value) -> Self {
        Self {
            status,
            body,
            headers: Vec::new(),
        }
    }

    /// Adds `header` to the answer; a second header of the same name replaces the first.
    #[must_use]
    pub fn header(mut self, header: impl Into<Header<'static>>) -> Self {
        let header = header.into();
        self.headers.retain(|set| {
            !set.name()
                .as_str()
                .eq_ignore_ascii_case(header.name().as_str())
        });
        self.headers.push(header);
        self
    }

    /// The status.
    #[must_use]
    pub fn status(&self) -> Status {
        self.status
    }

    /// The JSON body.
    #[must_use]
    pub fn body(&self) -> &Value {
        &self.body
    }

    /// The answer's own headers, in the order they were added.
    #[must_use]
    pub fn headers(&self) -> &[Header<'static>] {
        &self.headers
    }

    /// The parts, for writing the answer out.
    pub(crate) fn into_parts(self) -> (Status, Value, Vec<Header<'static>>) {
        (self.status, self.body, self.headers)
    }
}

/// Flask's `(body, status)`, as earlier error loaders return it.
impl From<(Status, Value)> for ErrorResponse {
    fn from((status, body): (Status, Value)) -> Self {
        Self::new(status, body)
    }
}
