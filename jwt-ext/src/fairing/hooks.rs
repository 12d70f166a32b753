//! The fairing's hooks: configuration at ignite, a summary at liftoff, the CSRF form field on
//! request, refusals written on response.
//!
//! May use: everything the fairing's setup does.

use std::sync::Arc;

use rocket::fairing::{self, Fairing, Info, Kind};
use rocket::{Build, Data, Orbit, Request, Response, Rocket};

use crate::config::{Config, Lifetime};
use crate::loaders::ClaimsSource;
use crate::manager::JwtManager;
use crate::request::csrf::FormCsrf;
use crate::request::guards::take_refusal;
use crate::response::write_error;
use crate::telemetry::record;

use super::JwtFairing;

#[rocket::async_trait]
impl Fairing for JwtFairing {
    fn info(&self) -> Info {
        Info {
            name: "jwt-ext",
            kind: Kind::Ignite | Kind::Liftoff | Kind::Request | Kind::Response | Kind::Singleton,
        }
    }

    async fn on_ignite(&self, rocket: Rocket<Build>) -> fairing::Result {
        let config = match &self.config {
            Some(config) => Ok(config.clone()),
            None => Config::from_figment(rocket.figment()),
        };
        let strict = rocket.figment().profile() != rocket::Config::DEBUG_PROFILE;
        let built = match config.and_then(|config| JwtManager::build(config, strict)) {
            Ok(built) => built,
            Err(error) => {
                log::error!("jwt-ext cannot start; fix these settings:");
                for problem in &error.problems {
                    log::error!("  `{}` {}", problem.key, problem.message);
                }
                return Err(rocket);
            }
        };
        let (mut manager, warnings) = built;
        for warning in warnings {
            log::warn!("jwt-ext: {warning}");
        }
        let mut loaders = self.loaders.clone();
        if let Some(make) = &self.claims_loader_factory {
            match make(&rocket) {
                Ok(loader) => loaders.additional_claims = Some(ClaimsSource::Async(loader)),
                Err(error) => {
                    log::error!("jwt-ext cannot start: the additional claims loader: {error}");
                    return Err(rocket);
                }
            }
        }
        manager.set_loaders(loaders);
        if let Err(error) = manager
            .connect_remotes(self.http_client.clone(), strict)
            .await
        {
            log::error!("jwt-ext cannot start: {error}");
            return Err(rocket);
        }
        match self.store(manager.config()).await {
            // The application's own store is timed around; Redis times its round trips.
            Ok(Some(store)) => manager.set_blocklist(store, self.blocklist.is_some()),
            Ok(None) => {}
            Err(message) => {
                log::error!("jwt-ext cannot start: {message}");
                return Err(rocket);
            }
        }
        Ok(rocket.manage(manager))
    }

    async fn on_liftoff(&self, rocket: &Rocket<Orbit>) {
        let Some(manager) = rocket.state::<JwtManager>() else {
            return;
        };
        record::register_hot();
        for remote in manager.remotes() {
            log::info!(
                "jwt-ext: verifying with the JWKS at {}, refreshed every {}s",
                remote.url(),
                remote.refresh_interval().as_secs()
            );
            rocket::tokio::spawn(Arc::clone(remote).keep_fresh(rocket.shutdown()));
        }
        let config = manager.config();
        let lifetime = |lifetime: Lifetime| match lifetime {
            Lifetime::Expires(duration) => format!("{}s", duration.whole_seconds()),
            Lifetime::Never => "never expires".into(),
        };
        log::info!(
            "jwt-ext: algorithm {:?} (decode {:?}), access {}, refresh {}, locations [{}], \
             header `{}: {}`, leeway {}s, identity claim `{}`",
            config.algorithm,
            config.effective_decode_algorithms(),
            lifetime(config.access_token_expires),
            lifetime(config.refresh_token_expires),
            config.token_location,
            config.header_name,
            if config.header_type.is_empty() {
                "<JWT>".to_owned()
            } else {
                format!("{} <JWT>", config.header_type)
            },
            config.decode_leeway,
            config.identity_claim,
        );
        let store = if self.blocklist.is_some() {
            "the application's own".to_owned()
        } else if let Some((_, place)) = super::setup::redis_place(config) {
            let near = match config.redis_near_cache_size {
                0 => "near-cache off".to_owned(),
                size => format!(
                    "near-cache of {size} tokens, trusted {} ms past its last push",
                    config.redis_near_cache_max_stale_ms
                ),
            };
            format!("Redis, {place}, shared by every instance using it; {near}")
        } else {
            "in memory: this process only, not shared with other instances, lost on restart"
                .to_owned()
        };
        log::info!(
            "jwt-ext: revocation store {store}; refresh-token rotation {}",
            if config.refresh_token_rotation {
                "on"
            } else {
                "off"
            }
        );
    }

    async fn on_request(&self, request: &mut Request<'_>, data: &mut Data<'_>) {
        let request: &Request<'_> = request;
        if let Some(manager) = request.rocket().state::<JwtManager>() {
            FormCsrf::capture(request, data, manager.config()).await;
        }
    }

    async fn on_response<'r>(&self, request: &'r Request<'_>, response: &mut Response<'r>) {
        // Only a response to a request a guard refused, with the status the guard gave; a
        // guard never refuses with a success status, so those skip the lookup.
        let class = response.status().class();
        let failed = class.is_client_error() || class.is_server_error();
        let refusal = if failed { take_refusal(request) } else { None };
        #[cfg(feature = "metrics")]
        match &refusal {
            Some(refusal) => record::request_refused(refusal.reason()),
            None => {
                if let Some(refresh) = crate::request::guards::accepted_token(request) {
                    record::request_accepted(refresh);
                }
            }
        }
        let Some(refusal) = refusal else {
            return;
        };
        if response.status() == refusal.status() {
            write_error(request.rocket().state::<JwtManager>(), &refusal, response);
        }
    }
}
