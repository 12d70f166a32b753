//! [`Documented`]: a jwt-ext guard, data guard or responder that behaves exactly as the one it
//! wraps, and that `rocket_okapi` can document.

use std::ops::{Deref, DerefMut};

use rocket::data::{self, Data, FromData};
use rocket::request::{self, FromRequest, Request};
use rocket::response::{self, Responder};

/// A jwt-ext guard, data guard or responder, documented in the OpenAPI spec: it runs the
/// wrapped one unchanged (same checks, same refusals) and dereferences to it, so
/// `token.identity()` and the other methods read as before.
///
/// Written through this crate's aliases ([`Jwt`](crate::Jwt), [`AccessJwt`](crate::AccessJwt),
/// [`EncodeError`](crate::EncodeError)...), and by its attributes around their hidden guard.
/// `?` turns the wrapped error into the documented one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Documented<T>(pub T);

impl<T> Documented<T> {
    /// The wrapped value.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> Deref for Documented<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T> DerefMut for Documented<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.0
    }
}

impl<T> From<T> for Documented<T> {
    fn from(inner: T) -> Self {
        Self(inner)
    }
}

#[rocket::async_trait]
impl<'r, T: FromRequest<'r>> FromRequest<'r> for Documented<T> {
    type Error = T::Error;

    async fn from_request(request: &'r Request<'_>) -> request::Outcome<Self, Self::Error> {
        T::from_request(request).await.map(Self)
    }
}

#[rocket::async_trait]
impl<'r, T: FromData<'r>> FromData<'r> for Documented<T> {
    type Error = T::Error;

    async fn from_data(request: &'r Request<'_>, data: Data<'r>) -> data::Outcome<'r, Self> {
        T::from_data(request, data).await.map(Self)
    }
}

impl<'r, 'o: 'r, T: Responder<'r, 'o>> Responder<'r, 'o> for Documented<T> {
    fn respond_to(self, request: &'r Request<'_>) -> response::Result<'o> {
        self.0.respond_to(request)
    }
}
