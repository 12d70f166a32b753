//! What jwt-ext remembers about one request, in a single slot of Rocket's request-local cache
//! (one allocation and one lookup per guard, however many guards and questions): the route's
//! requirement, the searches made, the store's and loaders' answers per token, the
//! cookie-borne access token verified, and the refusal for the fairing to write out.

use std::any::Any;
use std::sync::{Arc, Mutex, OnceLock};

use rocket::Request;

use crate::__private::Requirement;
use crate::claims::DecodedToken;
use crate::error::JwtError;
use crate::location::Locations;
use crate::lookup::Found;

/// A user the application's loader found, type-erased.
pub(crate) type LoadedUser = Option<Arc<dyn Any + Send + Sync>>;

/// One search: the refresh flag, the locations and the result.
pub(crate) type Search = (bool, Locations, Result<Found, JwtError>);

/// The request's slot.
#[derive(Default)]
pub(crate) struct RequestState {
    /// The requirement of the route's `#[jwt_required]`, set by its guard.
    pub(crate) route: OnceLock<Requirement>,
    /// The searches made, by (refresh, locations): every guard asking the same question
    /// shares one decode.
    pub(crate) searches: Mutex<Vec<Search>>,
    /// The revocation store's answers (`Err`: the store failed).
    pub(crate) revoked: PerToken<Result<bool, String>>,
    /// The claims verification loader's answers.
    pub(crate) claims_verified: PerToken<bool>,
    /// The user loader's answers.
    pub(crate) users: PerToken<LoadedUser>,
    /// The access token a request guard accepted from a cookie, for the implicit refresh.
    pub(crate) cookie_access_token: Mutex<Option<Arc<DecodedToken>>>,
    /// The refusal that stopped the request.
    pub(crate) refusal: Mutex<Option<JwtError>>,
}

impl RequestState {
    /// The slot of `request`, created empty on first use.
    pub(crate) fn of<'r>(request: &'r Request<'_>) -> &'r Self {
        request.local_cache(Self::default)
    }
}

/// Answers asked once per request and token.
pub(crate) struct PerToken<T>(Mutex<Vec<(Arc<DecodedToken>, T)>>);

impl<T> Default for PerToken<T> {
    fn default() -> Self {
        Self(Mutex::new(Vec::new()))
    }
}

impl<T: Clone> PerToken<T> {
    /// The answer already given for `token`.
    pub(crate) fn get(&self, token: &Arc<DecodedToken>) -> Option<T> {
        let answers = self.0.lock().ok()?;
        answers
            .iter()
            .find(|(asked, _)| Arc::ptr_eq(asked, token) || **asked == **token)
            .map(|(_, answer)| answer.clone())
    }

    /// Remembers the answer for `token`.
    pub(crate) fn put(&self, token: &Arc<DecodedToken>, answer: T) {
        if let Ok(mut answers) = self.0.lock() {
            answers.push((Arc::clone(token), answer));
        }
    }
}
