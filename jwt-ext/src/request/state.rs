//! What jwt-ext remembers about one request, in a single slot of Rocket's request-local cache
//! (one allocation and one lookup per guard, however many guards and questions): the route's
//! requirement, the searches made, the store's and loaders' answers per token, the
//! cookie-borne access token verified, and the refusal for the fairing to write out.

use std::any::Any;
use std::sync::{Arc, Mutex, OnceLock};

use rocket::Request;

use crate::error::JwtError;
use crate::location::{Location, Locations};
use crate::token::claims::DecodedToken;
use crate::token::requirement::Requirement;

/// A decoded token and the location it came from.
#[derive(Clone)]
pub(crate) struct Found {
    pub(crate) token: Arc<DecodedToken>,
    pub(crate) location: Location,
}

/// A user the application's loader found, type-erased.
pub(crate) type LoadedUser = Option<Arc<dyn Any + Send + Sync>>;

/// The searches made, by (refresh flag, locations).
pub(crate) type Searches = Answers<(bool, Locations), Result<Found, JwtError>>;

/// The request's slot.
#[derive(Default)]
pub(crate) struct RequestState {
    /// The requirement of the route's `#[jwt_required]`, set by its guard.
    pub(crate) route: OnceLock<Requirement>,
    /// The requirement of the first `verify_jwt_in_request` call, which `Jwt` parameters
    /// take on a route without the attribute.
    pub(crate) verified_in_request: OnceLock<Requirement>,
    /// The searches made, by (refresh, locations): every guard asking the same question
    /// shares one decode.
    pub(crate) searches: Mutex<Searches>,
    /// The tokens that passed every check, by requirement: a route's `Jwt` parameter after
    /// its `#[jwt_required]` guard asks the same question again.
    pub(crate) verified: Mutex<Answers<Requirement, Found>>,
    /// The revocation store's answers (`Err`: the store failed).
    pub(crate) revoked: PerToken<Result<bool, String>>,
    /// The token verification loader's answers (`Err`: it could not answer).
    pub(crate) claims_verified: PerToken<Result<bool, String>>,
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
pub(crate) struct PerToken<T>(Mutex<Answers<Arc<DecodedToken>, T>>);

impl<T> Default for PerToken<T> {
    fn default() -> Self {
        Self(Mutex::new(Answers::default()))
    }
}

impl<T: Clone> PerToken<T> {
    /// The answer already given for `token`.
    pub(crate) fn get(&self, token: &Arc<DecodedToken>) -> Option<T> {
        let answers = self.0.lock().ok()?;
        answers
            .find(|asked| Arc::ptr_eq(asked, token) || **asked == **token)
            .cloned()
    }

    /// Remembers the answer for `token`.
    pub(crate) fn put(&self, token: &Arc<DecodedToken>, answer: T) {
        if let Ok(mut answers) = self.0.lock() {
            answers.push(Arc::clone(token), answer);
        }
    }
}

/// A short list of questions and answers that holds the first one inline: nearly every
/// request asks one question per kind, and then never allocates.
pub(crate) struct Answers<K, V> {
    first: Option<(K, V)>,
    more: Vec<(K, V)>,
}

impl<K, V> Default for Answers<K, V> {
    fn default() -> Self {
        Self {
            first: None,
            more: Vec::new(),
        }
    }
}

impl<K, V> Answers<K, V> {
    /// The answer to the first question `asked` accepts.
    pub(crate) fn find(&self, asked: impl Fn(&K) -> bool) -> Option<&V> {
        self.first
            .iter()
            .chain(&self.more)
            .find(|(question, _)| asked(question))
            .map(|(_, answer)| answer)
    }

    /// Adds an answer.
    pub(crate) fn push(&mut self, question: K, answer: V) {
        if self.first.is_none() {
            self.first = Some((question, answer));
        } else {
            self.more.push((question, answer));
        }
    }

    /// Forgets the answers to the questions `asked` accepts.
    pub(crate) fn forget(&mut self, asked: impl Fn(&K) -> bool) {
        if self
            .first
            .as_ref()
            .is_some_and(|(question, _)| asked(question))
        {
            self.first = None;
        }
        self.more.retain(|(question, _)| !asked(question));
    }
}

#[cfg(test)]
mod tests {
    use super::Answers;

    #[test]
    fn answers_are_found_after_the_inline_slot_and_forgotten() {
        let mut answers = Answers::default();
        for question in 0..4 {
            answers.push(question, question * 10);
        }
        assert_eq!(answers.find(|q| *q == 0), Some(&0));
        assert_eq!(answers.find(|q| *q == 3), Some(&30));
        answers.forget(|q| *q == 0);
        assert_eq!(answers.find(|q| *q == 0), None);
        answers.push(0, 1);
        assert_eq!(answers.find(|q| *q == 0), Some(&1));
        assert_eq!(answers.find(|q| *q == 9), None);
    }
}
