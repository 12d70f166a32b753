//! Registering the application's callbacks on the fairing: Flask's `JWTManager` loaders.
//!
//! May use: the loaders and what they use; the fairing keeps what is registered until ignite.

use std::sync::Arc;

use jsonwebtoken::{DecodingKey, EncodingKey};
use rocket::{Build, Rocket};
use serde_json::{Map, Value};

use crate::error::{JwtError, RefusedToken};
use crate::error_response::ErrorResponse;
use crate::loaders::{ClaimsLoader, ClaimsSource, TokenVerifier, UserLoader, Verifier};
use crate::revocation::Blocklist;
use crate::token::claims::DecodedToken;

use super::JwtFairing;

impl JwtFairing {
    /// Replaces the default answer to refused tokens. `handler` gets the [`JwtError`] and
    /// returns the status and JSON body to send — a `(Status, Value)` pair, or an
    /// [`ErrorResponse`] to add headers — or `None` to keep Flask's default for that error. A
    /// 401 still carries `WWW-Authenticate`. A loader for one error
    /// ([`expired_token_loader`](Self::expired_token_loader), ...) wins over this one for that
    /// error.
    ///
    /// This is the one place to customise the answers: it applies to every guard, whether
    /// or not the application registers catchers, and to a [`JwtError`] returned by a handler.
    ///
    /// # Example
    ///
    /// ```
    /// use jwt_ext::{JwtError, JwtManager};
    /// use rocket::http::Status;
    /// use rocket::serde::json::json;
    ///
    /// let fairing = JwtManager::fairing().on_error(|error| match error {
    ///     JwtError::Expired(_) => Some((
    ///         Status::Unauthorized,
    ///         json!({ "error": "token_expired", "hint": "POST /refresh" }),
    ///     )),
    ///     _ => None,
    /// });
    /// let rocket = rocket::build().attach(fairing);
    /// ```
    #[must_use]
    pub fn on_error<F, R>(mut self, handler: F) -> Self
    where
        F: Fn(&JwtError) -> Option<R> + Send + Sync + 'static,
        R: Into<ErrorResponse>,
    {
        self.loaders.responders.any = Some(Arc::new(move |error| handler(error).map(Into::into)));
        self
    }

    /// Flask's `user_identity_loader`: turns the identity given to `create_access_token` (as
    /// JSON) into the value of the identity claim.
    ///
    /// # Example
    ///
    /// ```
    /// use jwt_ext::JwtManager;
    /// use rocket::serde::json::Value;
    ///
    /// // create_access_token(&user) with a serializable user puts its id in `sub`.
    /// let fairing = JwtManager::fairing()
    ///     .user_identity_loader(|user| Value::from(user["id"].to_string()));
    /// ```
    #[must_use]
    pub fn user_identity_loader<F>(mut self, loader: F) -> Self
    where
        F: Fn(&Value) -> Value + Send + Sync + 'static,
    {
        self.loaders.identity = Some(Arc::new(loader));
        self
    }

    /// Flask's `additional_claims_loader`: claims merged into every new token, computed from
    /// the identity (as given, before the identity loader). Must return a JSON object (or
    /// `null`); claims given for one token win on conflict.
    #[must_use]
    pub fn additional_claims_loader<F>(mut self, loader: F) -> Self
    where
        F: Fn(&Value) -> Value + Send + Sync + 'static,
    {
        self.loaders.additional_claims = Some(ClaimsSource::Sync(Arc::new(loader)));
        self.claims_loader_factory = None;
        self
    }

    /// [`additional_claims_loader`](Self::additional_claims_loader) with an async loader (a
    /// database query, another service): see [`ClaimsLoader`]. Create tokens with
    /// [`create_async`](crate::TokenBuilder::create_async) then. Replaces any other
    /// additional claims loader.
    ///
    /// # Example
    ///
    /// ```
    /// use jwt_ext::{ClaimsLoader, JwtManager, LoaderError};
    /// use rocket::serde::json::{json, Value};
    ///
    /// struct Roles;
    ///
    /// #[rocket::async_trait]
    /// impl ClaimsLoader for Roles {
    ///     async fn additional_claims(&self, identity: &Value) -> Result<Value, LoaderError> {
    ///         Ok(json!({ "roles": if identity == "root" { vec!["admin"] } else { vec![] } }))
    ///     }
    /// }
    ///
    /// let fairing = JwtManager::fairing().additional_claims_loader_async(Roles);
    /// ```
    #[must_use]
    pub fn additional_claims_loader_async<L: ClaimsLoader>(mut self, loader: L) -> Self {
        self.loaders.additional_claims = Some(ClaimsSource::Async(Arc::new(loader)));
        self.claims_loader_factory = None;
        self
    }

    /// [`additional_claims_loader_async`](Self::additional_claims_loader_async) with a loader
    /// built from the Rocket instance at ignite, to take what it needs from its managed state
    /// (a database pool: attach the database's fairing before jwt-ext's). An error stops the
    /// launch with its message. Replaces any other additional claims loader.
    ///
    /// # Example
    ///
    /// ```
    /// use jwt_ext::{ClaimsLoader, JwtManager, LoaderError};
    /// use rocket::serde::json::{json, Value};
    ///
    /// /// The application's state, managed before jwt-ext's fairing ignites.
    /// #[derive(Clone)]
    /// struct Directory { admins: Vec<String> }
    ///
    /// #[rocket::async_trait]
    /// impl ClaimsLoader for Directory {
    ///     async fn additional_claims(&self, identity: &Value) -> Result<Value, LoaderError> {
    ///         let admin = identity.as_str().is_some_and(|id| self.admins.iter().any(|a| a == id));
    ///         Ok(json!({ "admin": admin }))
    ///     }
    /// }
    ///
    /// let rocket = rocket::build()
    ///     .manage(Directory { admins: vec!["root".into()] })
    ///     .attach(JwtManager::fairing().additional_claims_loader_from(|rocket| {
    ///         rocket.state::<Directory>().cloned().ok_or("no directory is managed")
    ///     }));
    /// ```
    #[must_use]
    pub fn additional_claims_loader_from<L, E, F>(mut self, make: F) -> Self
    where
        L: ClaimsLoader,
        E: std::fmt::Display,
        F: Fn(&Rocket<Build>) -> Result<L, E> + Send + Sync + 'static,
    {
        self.loaders.additional_claims = None;
        self.claims_loader_factory = Some(Arc::new(move |rocket| {
            make(rocket)
                .map(|loader| Arc::new(loader) as Arc<dyn ClaimsLoader>)
                .map_err(|error| error.to_string())
        }));
        self
    }

    /// Flask's `additional_headers_loader`: JOSE header members merged into every new token;
    /// headers given for one token win on conflict.
    #[must_use]
    pub fn additional_headers_loader<F>(mut self, loader: F) -> Self
    where
        F: Fn(&Value) -> Value + Send + Sync + 'static,
    {
        self.loaders.additional_headers = Some(Arc::new(loader));
        self
    }

    /// Flask's `encode_key_loader`: the key that signs the tokens of an identity (a tenant's
    /// own key, say), from the identity as passed to token creation; `None` signs with the
    /// configured key. The key must fit `jwt_algorithm`. A loaded key gets no `kid` header
    /// (name it with [`additional_headers_loader`](Self::additional_headers_loader)).
    ///
    /// # Example
    ///
    /// ```
    /// use jwt_ext::{EncodingKey, JwtManager};
    ///
    /// let fairing = JwtManager::fairing().encode_key_loader(|identity| {
    ///     let tenant = identity.as_str()?.split('@').nth(1)?;
    ///     (tenant == "acme.example").then(|| EncodingKey::from_secret(b"acme's own secret of 32+ bytes!!"))
    /// });
    /// ```
    #[must_use]
    pub fn encode_key_loader<F>(mut self, loader: F) -> Self
    where
        F: Fn(&Value) -> Option<EncodingKey> + Send + Sync + 'static,
    {
        self.loaders.encode_key = Some(Arc::new(loader));
        self
    }

    /// Flask's `decode_key_loader`: the key that verifies a token, chosen from its
    /// **unverified** header and claims (an `iss` or tenant claim naming whose key to use).
    /// `None` refuses the token with 422 `Unknown key ID`. The loader replaces the configured
    /// keys for decoding; `alg` is still checked against `jwt_decode_algorithms` first, and a
    /// key that does not fit the token's algorithm fails the signature. Use the claims only to
    /// pick a key: nothing in them is verified yet.
    ///
    /// # Example
    ///
    /// ```
    /// use jwt_ext::{DecodingKey, JwtManager};
    ///
    /// let fairing = JwtManager::fairing().decode_key_loader(|_header, claims| {
    ///     match claims.get("iss")?.as_str()? {
    ///         "acme.example" => Some(DecodingKey::from_secret(b"acme's own secret of 32+ bytes!!")),
    ///         _ => None,
    ///     }
    /// });
    /// ```
    #[must_use]
    pub fn decode_key_loader<F>(mut self, loader: F) -> Self
    where
        F: Fn(&Map<String, Value>, &Map<String, Value>) -> Option<DecodingKey>
            + Send
            + Sync
            + 'static,
    {
        self.loaders.decode_key = Some(Arc::new(loader));
        self
    }

    /// Flask's `token_verification_loader`: the application's own check of a verified token
    /// (a tenant, a role); `false` refuses the request with 400
    /// `{"msg": "User claims verification failed"}`. Runs after the type, freshness and
    /// revocation checks and before the user lookup, on every route that requires a token.
    ///
    /// # Example
    ///
    /// ```
    /// use jwt_ext::JwtManager;
    ///
    /// let fairing = JwtManager::fairing()
    ///     .token_verification_loader(|token| token.claims().get("tenant").is_some());
    /// ```
    #[must_use]
    pub fn token_verification_loader<F>(mut self, loader: F) -> Self
    where
        F: Fn(&DecodedToken) -> bool + Send + Sync + 'static,
    {
        self.loaders.verify_claims = Some(Verifier::Sync(Arc::new(loader)));
        self
    }

    /// [`token_verification_loader`](Self::token_verification_loader) with an async check
    /// that has the request at hand (its Rocket state, a database connection): see
    /// [`TokenVerifier`]. An error from it answers 503 `Token verification unavailable`.
    /// Replaces a synchronous verification loader, and the reverse.
    ///
    /// # Example
    ///
    /// ```
    /// use jwt_ext::{DecodedToken, JwtManager, LoaderError, TokenVerifier};
    /// use rocket::Request;
    ///
    /// struct KnownTenants;
    ///
    /// #[rocket::async_trait]
    /// impl TokenVerifier for KnownTenants {
    ///     async fn verify_token(&self, token: &DecodedToken, _: &Request<'_>) -> Result<bool, LoaderError> {
    ///         Ok(token.claims().contains_key("tenant"))
    ///     }
    /// }
    ///
    /// let fairing = JwtManager::fairing().token_verification_loader_async(KnownTenants);
    /// ```
    #[must_use]
    pub fn token_verification_loader_async<V: TokenVerifier>(mut self, verifier: V) -> Self {
        self.loaders.verify_claims = Some(Verifier::Async(Arc::new(verifier)));
        self
    }

    /// Flask's `user_lookup_loader`: loads the user of every verified token, once per
    /// request; read it with a [`CurrentUser`](crate::CurrentUser) guard.
    #[must_use]
    pub fn user_lookup_loader<L: UserLoader>(mut self, loader: L) -> Self {
        self.loaders.user = Some(Arc::new(loader));
        self
    }

    /// Flask's `expired_token_loader`: the answer to an expired token, from its header and
    /// claims.
    #[must_use]
    pub fn expired_token_loader<F, R>(mut self, responder: F) -> Self
    where
        F: Fn(&RefusedToken) -> R + Send + Sync + 'static,
        R: Into<ErrorResponse>,
    {
        self.loaders.responders.expired = Some(Arc::new(move |arg| responder(arg).into()));
        self
    }

    /// Flask's `needs_fresh_token_loader`: the answer to a non-fresh token on a fresh route.
    #[must_use]
    pub fn needs_fresh_token_loader<F, R>(mut self, responder: F) -> Self
    where
        F: Fn(&RefusedToken) -> R + Send + Sync + 'static,
        R: Into<ErrorResponse>,
    {
        self.loaders.responders.needs_fresh = Some(Arc::new(move |arg| responder(arg).into()));
        self
    }

    /// The application's own revocation store, instead of the in-memory one or Redis.
    #[must_use]
    pub fn blocklist<B: Blocklist>(mut self, store: B) -> Self {
        self.blocklist = Some(Arc::new(store));
        self
    }

    /// Flask's `revoked_token_loader`: the answer to a revoked token.
    #[must_use]
    pub fn revoked_token_loader<F, R>(mut self, responder: F) -> Self
    where
        F: Fn(&RefusedToken) -> R + Send + Sync + 'static,
        R: Into<ErrorResponse>,
    {
        self.loaders.responders.revoked = Some(Arc::new(move |arg| responder(arg).into()));
        self
    }

    /// Flask's `user_lookup_error_loader`: the answer when the user lookup finds no user.
    #[must_use]
    pub fn user_lookup_error_loader<F, R>(mut self, responder: F) -> Self
    where
        F: Fn(&RefusedToken) -> R + Send + Sync + 'static,
        R: Into<ErrorResponse>,
    {
        self.loaders.responders.user_lookup_error =
            Some(Arc::new(move |arg| responder(arg).into()));
        self
    }

    /// Flask's `token_verification_failed_loader`: the answer when the token verification
    /// loader refuses a token.
    #[must_use]
    pub fn token_verification_failed_loader<F, R>(mut self, responder: F) -> Self
    where
        F: Fn(&RefusedToken) -> R + Send + Sync + 'static,
        R: Into<ErrorResponse>,
    {
        self.loaders.responders.verification_failed =
            Some(Arc::new(move |arg| responder(arg).into()));
        self
    }

    /// Flask's `invalid_token_loader`: the answer to a malformed header or query parameter,
    /// an undecodable or unverifiable token, or a token of the wrong type, from the error
    /// message.
    #[must_use]
    pub fn invalid_token_loader<F, R>(mut self, responder: F) -> Self
    where
        F: Fn(&str) -> R + Send + Sync + 'static,
        R: Into<ErrorResponse>,
    {
        self.loaders.responders.invalid = Some(Arc::new(move |arg| responder(arg).into()));
        self
    }

    /// Flask's `unauthorized_loader`: the answer when no token was found or a cookie-borne
    /// token failed the CSRF double submit, from the message.
    #[must_use]
    pub fn unauthorized_loader<F, R>(mut self, responder: F) -> Self
    where
        F: Fn(&str) -> R + Send + Sync + 'static,
        R: Into<ErrorResponse>,
    {
        self.loaders.responders.unauthorized = Some(Arc::new(move |arg| responder(arg).into()));
        self
    }
}
