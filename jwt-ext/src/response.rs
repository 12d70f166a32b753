//! Writing a refusal out: Flask's JSON body and status, and `WWW-Authenticate` on 401s.
//!
//! May use: the request side and everything below it; browser support, the refresh flows and the
//! fairing write refusals through it.

use std::io::Cursor;

use rocket::http::{ContentType, Header, Status};
use rocket::request::Request;
use rocket::response::{self, Responder, Response};
use serde_json::{Map, Value};

use crate::error::JwtError;
use crate::error_response::ErrorResponse;
use crate::manager::JwtManager;
use crate::token::encode::EncodeError;

/// The answer for `error`: the application's responder if it gives one, else
/// `{"<jwt_error_message_key>": message}` with Flask's status.
fn answer(manager: Option<&JwtManager>, error: &JwtError) -> ErrorResponse {
    match error {
        JwtError::Misconfigured(reason) => log::error!("jwt-ext: {reason}"),
        JwtError::StoreUnavailable(reason) => {
            log::error!("jwt-ext: revocation store unavailable: {reason}");
        }
        JwtError::VerificationUnavailable(reason) => {
            log::error!("jwt-ext: the token verification loader failed: {reason}");
        }
        _ => {}
    }
    if let Some(custom) = manager.and_then(|manager| manager.loaders().responders.respond(error)) {
        return custom;
    }
    let key = manager.map_or("msg", |manager| manager.config().error_message_key.as_str());
    let mut body = Map::new();
    body.insert(key.to_owned(), error.message().into());
    ErrorResponse::new(error.status(), Value::Object(body))
}

/// Replaces `response`'s status, body and auth headers with the answer for `error`.
pub(crate) fn write_error(
    manager: Option<&JwtManager>,
    error: &JwtError,
    response: &mut Response<'_>,
) {
    let (status, body, headers) = answer(manager, error).into_parts();
    let body = body.to_string();
    response.set_status(status);
    response.set_header(ContentType::JSON);
    response.remove_header("WWW-Authenticate");
    // RFC 6750 §3, for whatever status the answer ends up with.
    if let Some(challenge) = error.challenge(status) {
        response.set_header(Header::new("WWW-Authenticate", challenge));
    }
    // The application's own headers last: one it sets replaces jwt-ext's of that name.
    for header in headers {
        response.set_header(header);
    }
    response.set_sized_body(body.len(), Cursor::new(body));
}

/// The same answer as a refused guard gives, so a handler can return `Result<_, JwtError>`
/// from [`JwtManager::decode_token`] and get Flask's responses.
impl<'r> Responder<'r, 'static> for JwtError {
    fn respond_to(self, request: &'r Request<'_>) -> response::Result<'static> {
        let mut response = Response::new();
        write_error(request.rocket().state::<JwtManager>(), &self, &mut response);
        Ok(response)
    }
}

/// A handler that could not create a token answers 500 with a JSON message (503 when the
/// application's claims loader failed: worth a retry); the cause (a server-side bug, e.g. a
/// non-string `sub`) is logged, and in the `debug` profile also sent as `detail`, so that the
/// developer sees it where they look.
impl<'r> Responder<'r, 'static> for EncodeError {
    fn respond_to(self, request: &'r Request<'_>) -> response::Result<'static> {
        log::error!("jwt-ext: could not create a token: {self}");
        server_error(
            request,
            encode_status(&self),
            "Could not create the token",
            &self,
        )
    }
}

/// The status of a failure to create a token: 503 when a loader could not answer, else 500.
pub(crate) fn encode_status(error: &EncodeError) -> Status {
    match error {
        EncodeError::ClaimsLoader(_) => Status::ServiceUnavailable,
        _ => Status::InternalServerError,
    }
}

/// A 500 (503 for a token whose claims loader failed) with
/// `{"<jwt_error_message_key>": message}`, for server-side failures whose cause is logged; in
/// the `debug` profile the body names it too (`"detail": cause`), in any other it stays
/// generic.
pub(crate) fn server_error(
    request: &Request<'_>,
    status: Status,
    message: &str,
    cause: &dyn std::fmt::Display,
) -> response::Result<'static> {
    let manager = request.rocket().state::<JwtManager>();
    let key = manager.map_or("msg", |manager| manager.config().error_message_key.as_str());
    let mut body = Map::new();
    body.insert(key.to_owned(), message.into());
    if request.rocket().config().profile == rocket::Config::DEBUG_PROFILE {
        body.insert("detail".to_owned(), cause.to_string().into());
    }
    let body = Value::Object(body).to_string();
    Response::build()
        .status(status)
        .header(ContentType::JSON)
        .sized_body(body.len(), Cursor::new(body))
        .ok()
}

/// Answers like the guards: the token's error, or 503 when the store failed.
impl<'r> rocket::response::Responder<'r, 'static> for crate::revocation::RevokeError {
    fn respond_to(self, request: &'r rocket::Request<'_>) -> rocket::response::Result<'static> {
        JwtError::from(self).respond_to(request)
    }
}

/// 503 `Token revocation store unavailable`; the reason is logged.
impl<'r> rocket::response::Responder<'r, 'static> for crate::revocation::StoreError {
    fn respond_to(self, request: &'r rocket::Request<'_>) -> rocket::response::Result<'static> {
        JwtError::from(self).respond_to(request)
    }
}
