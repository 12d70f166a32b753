//! The fairing: configuration at ignite, a summary at liftoff, refusals written on response.

use std::sync::Arc;

use rocket::fairing::{self, Fairing, Info, Kind};
use rocket::http::Status;
use rocket::{Build, Orbit, Request, Response, Rocket};
use serde_json::Value;

use crate::config::{Config, Lifetime};
use crate::error::JwtError;
use crate::guard::Refusal;
use crate::manager::{ErrorHandler, JwtManager};
use crate::response::write_error;

/// Sets jwt-ext up on a Rocket instance; made by [`JwtManager::fairing`] or
/// [`JwtManager::fairing_with`].
///
/// - **ignite**: reads the `jwt_*` settings (unless given in code), checks them, installs and
///   tests the crypto provider, and manages the [`JwtManager`]. Any problem stops the launch
///   with every bad key named. In the `debug` profile a missing secret is replaced by a random
///   one with a warning; any other profile refuses to start without one.
/// - **liftoff**: logs the effective settings (never the secret).
/// - **response**: when a jwt-ext guard refused the request, writes Flask's JSON body and
///   `WWW-Authenticate`, whichever catcher produced the response.
pub struct JwtFairing {
    config: Option<Config>,
    error_handler: Option<ErrorHandler>,
}

impl std::fmt::Debug for JwtFairing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JwtFairing")
            .field("config", &self.config)
            .field("error_handler", &self.error_handler.is_some())
            .finish()
    }
}

impl JwtFairing {
    pub(crate) fn from_figment() -> Self {
        Self {
            config: None,
            error_handler: None,
        }
    }

    pub(crate) fn with_config(config: Config) -> Self {
        Self {
            config: Some(config),
            error_handler: None,
        }
    }

    /// Replaces the default answer to refused tokens. `handler` gets the [`JwtError`] and
    /// returns the status and JSON body to send, or `None` to keep Flask's default for that
    /// error. A 401 still carries `WWW-Authenticate`.
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
    pub fn on_error<F>(mut self, handler: F) -> Self
    where
        F: Fn(&JwtError) -> Option<(Status, Value)> + Send + Sync + 'static,
    {
        self.error_handler = Some(Arc::new(handler));
        self
    }
}

#[rocket::async_trait]
impl Fairing for JwtFairing {
    fn info(&self) -> Info {
        Info {
            name: "jwt-ext",
            kind: Kind::Ignite | Kind::Liftoff | Kind::Response | Kind::Singleton,
        }
    }

    async fn on_ignite(&self, rocket: Rocket<Build>) -> fairing::Result {
        let config = match &self.config {
            Some(config) => Ok(config.clone()),
            None => Config::from_figment(rocket.figment()),
        };
        let strict = rocket.figment().profile() != rocket::Config::DEBUG_PROFILE;
        match config.and_then(|config| JwtManager::build(config, strict)) {
            Ok((mut manager, warnings)) => {
                for warning in warnings {
                    log::warn!("jwt-ext: {warning}");
                }
                manager.set_error_handler(self.error_handler.clone());
                Ok(rocket.manage(manager))
            }
            Err(error) => {
                log::error!("jwt-ext cannot start; fix these settings:");
                for problem in &error.problems {
                    log::error!("  `{}` {}", problem.key, problem.message);
                }
                Err(rocket)
            }
        }
    }

    async fn on_liftoff(&self, rocket: &Rocket<Orbit>) {
        let Some(manager) = rocket.state::<JwtManager>() else {
            return;
        };
        let config = manager.config();
        let lifetime = |lifetime: Lifetime| match lifetime {
            Lifetime::Expires(duration) => format!("{}s", duration.whole_seconds()),
            Lifetime::Never => "never expires".into(),
        };
        log::info!(
            "jwt-ext: algorithm {:?} (decode {:?}), access {}, refresh {}, header `{}: {}`, \
             leeway {}s, identity claim `{}`",
            config.algorithm,
            config.effective_decode_algorithms(),
            lifetime(config.access_token_expires),
            lifetime(config.refresh_token_expires),
            config.header_name,
            if config.header_type.is_empty() {
                "<JWT>".to_owned()
            } else {
                format!("{} <JWT>", config.header_type)
            },
            config.decode_leeway,
            config.identity_claim,
        );
    }

    async fn on_response<'r>(&self, request: &'r Request<'_>, response: &mut Response<'r>) {
        // Only a response to a request a guard refused, with the status the guard gave.
        let Some(refusal) = Refusal::take(request) else {
            return;
        };
        if response.status() == refusal.status() {
            write_error(request.rocket().state::<JwtManager>(), &refusal, response);
        }
    }
}
