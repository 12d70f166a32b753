//! [`json_catchers`]: Flask-style JSON for Rocket's own errors, so that an API answers in one
//! format.
//!
//! May use: the manager (for `jwt_error_message_key`); nothing uses it.

use rocket::http::Status;
use rocket::serde::json::{json, Value};
use rocket::{Catcher, Request};

use crate::manager::JwtManager;

/// A default catcher answering every error jwt-ext does not answer itself (a malformed JSON
/// body's 422, a 404, a 500 of the application) with `{"msg": "<reason>"}` (the key is
/// `jwt_error_message_key`) instead of Rocket's HTML page. jwt-ext's own refusals keep their
/// Flask messages: its fairing writes them over whatever the catcher answered. Registering it
/// also silences Rocket's `No 401 catcher registered. Using Rocket default.` for jwt-ext's
/// refusals. An application's own catchers for a status or a path win over it, as Rocket's
/// catchers do.
///
/// # Example
///
/// ```
/// use jwt_ext::JwtManager;
///
/// let rocket = rocket::build()
///     .attach(JwtManager::fairing())
///     .register("/", jwt_ext::json_catchers());
/// ```
#[must_use]
pub fn json_catchers() -> Vec<Catcher> {
    rocket::catchers![json_error]
}

#[rocket::catch(default)]
fn json_error(status: Status, request: &Request<'_>) -> (Status, Value) {
    let key = request
        .rocket()
        .state::<JwtManager>()
        .map_or("msg", |manager| manager.config().error_message_key.as_str());
    let reason = status.reason().unwrap_or("Error");
    (status, json!({ key: reason }))
}
