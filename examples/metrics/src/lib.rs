//! The revocation example's app (login, refresh-token rotation, logout, sessions) with
//! jwt-ext's metrics served to Prometheus at `GET /metrics`.
//!
//! jwt-ext records through the `metrics` facade (its `metrics` feature); this app installs
//! `metrics-exporter-prometheus` as the process's recorder and renders it on request. The
//! series and their labels are listed in `jwt_ext::telemetry`; the timings get histogram
//! buckets from 50 µs to 2.5 s.
//!
//! `/metrics` carries counts, never tokens or identities, but it tells who watches what:
//! serve it where only the scraper reaches (an internal listener or network policy).

use std::sync::OnceLock;
use std::time::Duration;

use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use rocket::figment::Figment;
use rocket::http::ContentType;
use rocket::{get, routes, Build, Rocket, State};

/// Upper bounds of the timing histograms' buckets, in seconds.
const BUCKETS: &[f64] = &[
    0.000_05, 0.000_1, 0.000_25, 0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
    1.0, 2.5,
];

/// How often the exporter's housekeeping runs.
const UPKEEP_EVERY: Duration = Duration::from_secs(5);

/// The process's Prometheus recorder, installed on first use (a process has one recorder).
///
/// # Panics
///
/// When another recorder was installed first.
pub fn recorder() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let handle = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), BUCKETS)
            .and_then(PrometheusBuilder::install_recorder)
            .expect("no other metrics recorder in this process");
        // The exporter keeps each timing until its housekeeping sorts it into the buckets:
        // run it every few seconds, not only when scraped, so that memory stays flat however
        // rarely Prometheus comes.
        let upkeep = handle.clone();
        std::thread::spawn(move || loop {
            std::thread::sleep(UPKEEP_EVERY);
            upkeep.run_upkeep();
        });
        handle
    })
}

/// The scrape: Prometheus' text format.
#[get("/metrics")]
fn metrics(handle: &State<PrometheusHandle>) -> (ContentType, String) {
    // Housekeeping first, so that the scrape includes the latest timings.
    handle.run_upkeep();
    let text = ContentType::new("text", "plain").with_params(("version", "0.0.4"));
    (text, handle.render())
}

/// The revocation example on `figment`, with `/metrics`.
pub fn rocket_with(figment: Figment) -> Rocket<Build> {
    revocation::rocket_with(figment)
        .manage(recorder().clone())
        .mount("/", routes![metrics])
}

/// The app with Rocket's usual configuration sources.
pub fn rocket() -> Rocket<Build> {
    rocket_with(rocket::Config::figment())
}
