//! The `json` location: a data guard that reads the body, finds the token (in the JSON body
//! or in the other locations, in the configured order) and hands over the rest of the body.

use std::fmt;

use rocket::data::{self, Data, FromData, Limits};
use rocket::http::Status;
use rocket::request::Request;
use rocket::{Ignite, Rocket, Sentinel};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::JwtError;
use crate::location::{self, Location, LocationSet};
use crate::manager::fairing_missing;
use crate::manager::JwtManager;
use crate::request::extract::is_json;
use crate::request::guards::{check, refusal, requirement_of, Jwt};
use crate::request::search::{find, Body};
use crate::request::state::RequestState;
use crate::token::key_slot::is_unknown_kid;
use crate::token::kind;

/// A token and a JSON body, as a data guard: the only guard that can take the token from the
/// `json` location (`{"access_token": "<JWT>", ...}`), since request guards run before the
/// body is read.
///
/// It searches the same locations as [`Jwt<K, L>`] (the route's, else `jwt_token_location`,
/// unless `L` names them), in order, with `json` at its place in the list; then checks the
/// token as [`Jwt<K, L>`] does, and only then deserializes the body into `T`. When the token
/// came from the body, its key is removed first, so `T` need not mention it (and may deny
/// unknown fields). An empty body deserializes as JSON `null` (for `T = Option<_>` or `()`).
///
/// The body is read up to Rocket's `json` limit (1 MiB unless configured). A body that is not
/// JSON, or not an object, has no token key: with `json` searched, that is
/// `401 Missing "access_token" key in json data.`, never a 500.
///
/// What it combines with: any request guard, including [`OptionalJwt`](crate::OptionalJwt)
/// or [`Jwt`] searching other locations. Not `#[jwt_required]` with `json` in its
/// `locations` (a compile error), and not an optional token: without a token it refuses.
///
/// # Outcomes
///
/// - token errors: Flask's status and body, as for [`Jwt`];
/// - body larger than the limit: 413; unreadable: 400; not a `T`: 422.
///
/// # Example
///
/// ```
/// use jwt_ext::location::{self, Location};
/// use jwt_ext::{kind, JwtJson};
/// use rocket::post;
///
/// #[derive(serde::Deserialize)]
/// struct Note {
///     text: String,
/// }
///
/// /// `POST /notes` with `{"access_token": "<JWT>", "text": "hello"}`.
/// #[post("/notes", data = "<note>")]
/// fn add_note(note: JwtJson<Note, kind::Access, location::Json>) -> String {
///     let (jwt, note) = note.into_parts();
///     assert_eq!(jwt.location(), Location::Json);
///     format!("{} wrote {}", jwt.identity(), note.text)
/// }
/// ```
pub struct JwtJson<T, K: kind::Kind = kind::Route, L: LocationSet = location::Configured> {
    jwt: Jwt<K, L>,
    body: T,
}

impl<T, K: kind::Kind, L: LocationSet> JwtJson<T, K, L> {
    /// The verified token.
    #[must_use]
    pub fn jwt(&self) -> &Jwt<K, L> {
        &self.jwt
    }

    /// The body, without the token's key.
    #[must_use]
    pub fn body(&self) -> &T {
        &self.body
    }

    /// The token and the body.
    #[must_use]
    pub fn into_parts(self) -> (Jwt<K, L>, T) {
        (self.jwt, self.body)
    }
}

impl<T: fmt::Debug, K: kind::Kind, L: LocationSet> fmt::Debug for JwtJson<T, K, L> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JwtJson")
            .field("jwt", &self.jwt)
            .field("body", &self.body)
            .finish()
    }
}

/// Why [`JwtJson`] refused a request.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum JwtJsonError {
    /// The token was missing or refused; answered as by [`Jwt`].
    #[error("{0}")]
    Jwt(JwtError),
    /// The body is larger than Rocket's `json` limit: 413.
    #[error("the JSON body is larger than the `json` limit")]
    TooLarge,
    /// The body could not be read: 400.
    #[error("the body could not be read: {0}")]
    Io(std::io::Error),
    /// The body (without the token) is not a `T`: 422.
    #[error("the JSON body does not fit: {0}")]
    Body(serde_json::Error),
}

#[rocket::async_trait]
impl<'r, T, K, L> FromData<'r> for JwtJson<T, K, L>
where
    T: DeserializeOwned + Send + 'static,
    K: kind::Kind,
    L: LocationSet,
{
    type Error = JwtJsonError;

    async fn from_data(request: &'r Request<'_>, data: Data<'r>) -> data::Outcome<'r, Self> {
        let refuse = |error: JwtError| {
            let (status, error) = refusal(request, error);
            data::Outcome::Error((status, JwtJsonError::Jwt(error)))
        };
        let Some(manager) = request.rocket().state::<JwtManager>() else {
            return refuse(JwtError::NotConfigured);
        };
        let limit = request.limits().get("json").unwrap_or(Limits::JSON);
        let text = match data.open(limit).into_string().await {
            Ok(text) if text.is_complete() => text.into_inner(),
            Ok(_) => {
                return data::Outcome::Error((Status::PayloadTooLarge, JwtJsonError::TooLarge))
            }
            Err(error) => {
                return data::Outcome::Error((Status::BadRequest, JwtJsonError::Io(error)))
            }
        };
        let mut parsed = if is_json(request) {
            serde_json::from_str::<Value>(&text).ok()
        } else {
            None
        };

        let state = RequestState::of(request);
        let requirement = requirement_of::<K, L>(state);
        let locations = requirement
            .locations
            .unwrap_or(manager.config().token_location);
        let search = || {
            find(
                manager,
                request,
                requirement.refresh,
                locations,
                Body::Read(parsed.as_ref()),
            )
        };
        let found = match search() {
            Err(error) if is_unknown_kid(&error) && manager.refetch_for_unknown_kid().await => {
                search()
            }
            found => found,
        };
        let found = match found {
            Ok(found) => match check(manager, request, state, requirement, found).await {
                Ok(found) => found,
                Err(error) => return refuse(error),
            },
            Err(error) => return refuse(error),
        };

        let value = match parsed.as_mut() {
            Some(Value::Object(map)) if found.location == Location::Json => {
                map.remove(manager.config().names(requirement.refresh).json_key);
                parsed.unwrap_or(Value::Null)
            }
            Some(_) => parsed.unwrap_or(Value::Null),
            None if text.trim().is_empty() => Value::Null,
            None => match serde_json::from_str(&text) {
                Ok(value) => value,
                Err(error) => {
                    return data::Outcome::Error((Status::BadRequest, JwtJsonError::Body(error)))
                }
            },
        };
        match T::deserialize(value) {
            Ok(body) => data::Outcome::Success(Self {
                jwt: Jwt::from_found(found),
                body,
            }),
            Err(error) => {
                data::Outcome::Error((Status::UnprocessableEntity, JwtJsonError::Body(error)))
            }
        }
    }
}

impl<T, K: kind::Kind, L: LocationSet> Sentinel for JwtJson<T, K, L> {
    fn abort(rocket: &Rocket<Ignite>) -> bool {
        fairing_missing(rocket)
    }
}
