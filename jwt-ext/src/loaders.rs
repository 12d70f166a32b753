//! The application's callbacks: Flask-JWT-Extended's `JWTManager` loaders, typed.
//!
//! Registered on the fairing ([`JwtFairing`](crate::JwtFairing)) and kept in the
//! [`JwtManager`](crate::JwtManager):
//!
//! | Flask loader | jwt-ext |
//! |---|---|
//! | `user_identity_loader` | [`JwtFairing::user_identity_loader`](crate::JwtFairing::user_identity_loader) |
//! | `additional_claims_loader` | [`JwtFairing::additional_claims_loader`](crate::JwtFairing::additional_claims_loader) |
//! | `additional_headers_loader` | [`JwtFairing::additional_headers_loader`](crate::JwtFairing::additional_headers_loader) |
//! | `additional_claims_loader` reading a database | [`JwtFairing::additional_claims_loader_async`](crate::JwtFairing::additional_claims_loader_async) / [`additional_claims_loader_from`](crate::JwtFairing::additional_claims_loader_from) with a [`ClaimsLoader`] |
//! | `token_verification_loader` | [`JwtFairing::token_verification_loader`](crate::JwtFairing::token_verification_loader) |
//! | `token_verification_loader` reading a database | [`JwtFairing::token_verification_loader_async`](crate::JwtFairing::token_verification_loader_async) with a [`TokenVerifier`] |
//! | `user_lookup_loader` | [`JwtFairing::user_lookup_loader`](crate::JwtFairing::user_lookup_loader) with a [`UserLoader`] |
//! | `encode_key_loader` | [`JwtFairing::encode_key_loader`](crate::JwtFairing::encode_key_loader) |
//! | `decode_key_loader` | [`JwtFairing::decode_key_loader`](crate::JwtFairing::decode_key_loader) |
//! | `expired_token_loader` & co. | [`JwtFairing::expired_token_loader`](crate::JwtFairing::expired_token_loader) & co., or [`JwtFairing::on_error`](crate::JwtFairing::on_error) |
//!
//! May use: the leaves, `config` and `token`; the manager keeps the loaders.

use std::any::Any;
use std::sync::Arc;

use rocket::Request;
use serde_json::{Map, Value};

use crate::error::{JwtError, RefusedToken};
use crate::error_response::ErrorResponse;
use crate::token::claims::DecodedToken;
use crate::token::encode::EncodeError;

use crate::error::LoaderError;

/// Loads the application's user for a verified token: Flask's `user_lookup_loader`.
///
/// Runs at most once per request, after every other check passed, on every route that
/// requires a token (with or without a [`CurrentUser`](crate::CurrentUser) parameter, as in
/// Flask). Returning `None` refuses the request with 401
/// `{"msg": "Error loading the user <identity>"}`. The request is there to reach the
/// application's database (e.g. `request.guard::<Connection<Db>>()`).
///
/// # Example
///
/// ```
/// use jwt_ext::{DecodedToken, UserLoader};
/// use rocket::Request;
///
/// struct User { name: String }
/// struct Users;
///
/// #[rocket::async_trait]
/// impl UserLoader for Users {
///     type User = User;
///
///     async fn load_user(&self, token: &DecodedToken, _: &Request<'_>) -> Option<User> {
///         let name = token.identity().as_str()?;
///         (name == "alice").then(|| User { name: name.to_owned() })
///     }
/// }
/// ```
#[rocket::async_trait]
pub trait UserLoader: Send + Sync + 'static {
    /// The application's user type.
    type User: Send + Sync + 'static;

    /// The user the token belongs to, or `None` when there is none (any more).
    async fn load_user(&self, token: &DecodedToken, request: &Request<'_>) -> Option<Self::User>;
}

/// A [`UserLoader`] with its user type erased, as the manager keeps it.
#[rocket::async_trait]
pub(crate) trait AnyUserLoader: Send + Sync {
    async fn load(
        &self,
        token: &DecodedToken,
        request: &Request<'_>,
    ) -> Option<Arc<dyn Any + Send + Sync>>;

    fn user_type(&self) -> (std::any::TypeId, &'static str);
}

#[rocket::async_trait]
impl<L: UserLoader> AnyUserLoader for L {
    async fn load(
        &self,
        token: &DecodedToken,
        request: &Request<'_>,
    ) -> Option<Arc<dyn Any + Send + Sync>> {
        let user = self.load_user(token, request).await?;
        Some(Arc::new(user))
    }

    fn user_type(&self) -> (std::any::TypeId, &'static str) {
        (
            std::any::TypeId::of::<L::User>(),
            std::any::type_name::<L::User>(),
        )
    }
}

/// Computes the additional claims of new tokens asynchronously: Flask's
/// `additional_claims_loader` for claims that come from a database or another service.
///
/// Registered with [`JwtFairing::additional_claims_loader_async`](crate::JwtFairing::additional_claims_loader_async),
/// or built from the Rocket instance at ignite (to take a database pool from its state) with
/// [`JwtFairing::additional_claims_loader_from`](crate::JwtFairing::additional_claims_loader_from).
/// Tokens are also created where no request is at hand (a refresh route's manager call, the
/// implicit refresh of cookies, a background job), so the loader keeps what it needs itself
/// rather than receiving a request.
///
/// With an async loader, create tokens with [`TokenBuilder::create_async`](crate::TokenBuilder::create_async)
/// or [`JwtManager::create_token_pair_async`](crate::JwtManager::create_token_pair_async); the
/// synchronous `create` refuses with [`EncodeError::AsyncClaimsLoader`] rather than create a
/// token without the claims. jwt-ext's own refresh, exchange and implicit refresh await it.
///
/// # Example
///
/// ```
/// use jwt_ext::{ClaimsLoader, LoaderError};
/// use rocket::serde::json::{json, Value};
///
/// struct Roles; // would hold a database pool
///
/// #[rocket::async_trait]
/// impl ClaimsLoader for Roles {
///     async fn additional_claims(&self, identity: &Value) -> Result<Value, LoaderError> {
///         let role = if identity == "admin" { "admin" } else { "user" };
///         Ok(json!({ "role": role }))
///     }
/// }
/// ```
#[rocket::async_trait]
pub trait ClaimsLoader: Send + Sync + 'static {
    /// The claims merged into every new token of `identity` (as given to token creation,
    /// before the identity loader): a JSON object, or `null` for none. An error refuses the
    /// token: [`EncodeError::ClaimsLoader`], answered 503.
    async fn additional_claims(&self, identity: &Value) -> Result<Value, LoaderError>;
}

/// Checks a verified token asynchronously, with the request at hand: Flask's
/// `token_verification_loader` for checks that read a database (is this tenant still active?).
///
/// Registered with [`JwtFairing::token_verification_loader_async`](crate::JwtFairing::token_verification_loader_async).
/// Runs where the synchronous loader runs (after the type, freshness and revocation checks,
/// before the user lookup), once per request: `Ok(false)` refuses with 400
/// `User claims verification failed`, an error with 503 `Token verification unavailable`
/// (fail closed: a check that could not run never lets the token through).
///
/// # Example
///
/// ```
/// use jwt_ext::{DecodedToken, LoaderError, TokenVerifier};
/// use rocket::Request;
///
/// struct ActiveTenants; // would query `request.rocket().state::<Pool>()`
///
/// #[rocket::async_trait]
/// impl TokenVerifier for ActiveTenants {
///     async fn verify_token(
///         &self,
///         token: &DecodedToken,
///         _request: &Request<'_>,
///     ) -> Result<bool, LoaderError> {
///         Ok(token.claims().get("tenant").and_then(|t| t.as_str()) == Some("acme"))
///     }
/// }
/// ```
#[rocket::async_trait]
pub trait TokenVerifier: Send + Sync + 'static {
    /// Whether `token` is acceptable to the application; an error when that cannot be told.
    async fn verify_token(
        &self,
        token: &DecodedToken,
        request: &Request<'_>,
    ) -> Result<bool, LoaderError>;
}

type JsonFn = Arc<dyn Fn(&Value) -> Value + Send + Sync>;
type VerifyFn = Arc<dyn Fn(&DecodedToken) -> bool + Send + Sync>;

/// The additional claims loader, as registered.
#[derive(Clone)]
pub(crate) enum ClaimsSource {
    /// A closure, called during token creation.
    Sync(JsonFn),
    /// A [`ClaimsLoader`], awaited before token creation.
    Async(Arc<dyn ClaimsLoader>),
}

/// The token verification loader, as registered.
#[derive(Clone)]
pub(crate) enum Verifier {
    /// A closure.
    Sync(VerifyFn),
    /// A [`TokenVerifier`].
    Async(Arc<dyn TokenVerifier>),
}

impl Verifier {
    /// The verifier's answer for `token`: `Ok(false)` refuses, an error is the reason it could
    /// not answer.
    pub(crate) async fn verify(
        &self,
        token: &DecodedToken,
        request: &Request<'_>,
    ) -> Result<bool, String> {
        match self {
            Self::Sync(verify) => Ok(verify(token)),
            Self::Async(verifier) => verifier
                .verify_token(token, request)
                .await
                .map_err(|error| error.to_string()),
        }
    }
}
/// The application's `encode_key_loader`: the signing key for an identity, `None` for the
/// configured one.
pub(crate) type EncodeKeyFn =
    Arc<dyn Fn(&Value) -> Option<jsonwebtoken::EncodingKey> + Send + Sync>;
/// A responder that receives the refused token's header and claims.
pub(crate) type TokenResponder = Arc<dyn Fn(&RefusedToken) -> ErrorResponse + Send + Sync>;
/// A responder that receives the error message.
pub(crate) type MessageResponder = Arc<dyn Fn(&str) -> ErrorResponse + Send + Sync>;
/// The application's answer for any refused token, `None` to keep the default.
pub(crate) type AnyResponder = Arc<dyn Fn(&JwtError) -> Option<ErrorResponse> + Send + Sync>;

/// Every callback the application registered.
#[derive(Default, Clone)]
pub(crate) struct Loaders {
    pub(crate) identity: Option<JsonFn>,
    pub(crate) additional_claims: Option<ClaimsSource>,
    pub(crate) additional_headers: Option<JsonFn>,
    pub(crate) verify_claims: Option<Verifier>,
    pub(crate) user: Option<Arc<dyn AnyUserLoader>>,
    pub(crate) encode_key: Option<EncodeKeyFn>,
    pub(crate) decode_key: Option<crate::token::decode::DecodeKeyLoader>,
    pub(crate) responders: Responders,
}

/// The error responders, by Flask's loader names, and the catch-all.
#[derive(Default, Clone)]
pub(crate) struct Responders {
    pub(crate) expired: Option<TokenResponder>,
    pub(crate) needs_fresh: Option<TokenResponder>,
    pub(crate) revoked: Option<TokenResponder>,
    pub(crate) user_lookup_error: Option<TokenResponder>,
    pub(crate) verification_failed: Option<TokenResponder>,
    pub(crate) invalid: Option<MessageResponder>,
    pub(crate) unauthorized: Option<MessageResponder>,
    pub(crate) any: Option<AnyResponder>,
}

impl Responders {
    /// The application's answer for `error`: the loader for its kind, else the catch-all.
    pub(crate) fn respond(&self, error: &JwtError) -> Option<ErrorResponse> {
        let specific = match error {
            JwtError::Expired(token) => self.expired.as_ref().map(|f| f(token)),
            JwtError::FreshRequired(token) => self.needs_fresh.as_ref().map(|f| f(token)),
            JwtError::Revoked(token) => self.revoked.as_ref().map(|f| f(token)),
            JwtError::UserLookupFailed(token) => self.user_lookup_error.as_ref().map(|f| f(token)),
            JwtError::ClaimsVerificationFailed(token) => {
                self.verification_failed.as_ref().map(|f| f(token))
            }
            JwtError::InvalidHeader(_)
            | JwtError::InvalidQueryParam(_)
            | JwtError::Invalid(_)
            | JwtError::WrongTokenType { .. } => self.invalid.as_ref().map(|f| f(&error.message())),
            // Flask sends missing tokens and CSRF failures to the same loader.
            JwtError::NoAuthorization(_) | JwtError::Csrf(_) => {
                self.unauthorized.as_ref().map(|f| f(&error.message()))
            }
            _ => None,
        };
        specific.or_else(|| self.any.as_ref().and_then(|f| f(error)))
    }
}

impl Loaders {
    /// The identity as it goes into the identity claim.
    pub(crate) fn identity_claim_value(&self, identity: Value) -> Value {
        match &self.identity {
            Some(loader) => loader(&identity),
            None => identity,
        }
    }

    /// The loader's additional claims or headers for `identity`, which must be an object.
    pub(crate) fn extra(
        loader: Option<&JsonFn>,
        identity: &Value,
        what: &'static str,
    ) -> Result<Map<String, Value>, EncodeError> {
        Self::object(loader.map(|loader| loader(identity)), what)
    }

    /// A loader's answer as the members it adds: `null` (or no loader) adds none.
    pub(crate) fn object(
        answer: Option<Value>,
        what: &'static str,
    ) -> Result<Map<String, Value>, EncodeError> {
        match answer {
            None | Some(Value::Null) => Ok(Map::new()),
            Some(Value::Object(map)) => Ok(map),
            Some(_) => Err(EncodeError::NotAnObject(what)),
        }
    }

    /// The additional claims of a token of `identity` created synchronously: an async loader
    /// cannot run here.
    pub(crate) fn claims_now(&self, identity: &Value) -> Result<Map<String, Value>, EncodeError> {
        match &self.additional_claims {
            None => Ok(Map::new()),
            Some(ClaimsSource::Sync(loader)) => {
                Self::extra(Some(loader), identity, "additional claims")
            }
            Some(ClaimsSource::Async(_)) => Err(EncodeError::AsyncClaimsLoader),
        }
    }

    /// The additional claims of a token of `identity`, awaiting an async loader.
    pub(crate) async fn claims_awaited(
        &self,
        identity: &Value,
    ) -> Result<Map<String, Value>, EncodeError> {
        match &self.additional_claims {
            Some(ClaimsSource::Async(loader)) => {
                let answer = loader
                    .additional_claims(identity)
                    .await
                    .map_err(EncodeError::ClaimsLoader)?;
                Self::object(Some(answer), "additional claims")
            }
            _ => self.claims_now(identity),
        }
    }
}
