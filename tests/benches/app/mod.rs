//! The app both benchmark targets send requests to: an unprotected route, a
//! `#[jwt_required]` route, one that also reads the token, and one without the revocation
//! check.

use jwt_ext::{jwt_required, Blocklist, Config, Jwt, JwtManager, MemoryBlocklist};
use rocket::local::blocking::Client;
use rocket::{get, routes, Build, Rocket};

/// The secret of every benchmark token.
pub(crate) const SECRET: &str = "a-benchmark-secret-that-is-at-least-32-bytes-long";

/// A manager on [`SECRET`], for minting the benchmark's tokens.
pub(crate) fn manager() -> JwtManager {
    JwtManager::new(Config::default().secret_key(SECRET)).expect("a valid config")
}

#[get("/public")]
fn public() -> &'static str {
    "hello"
}

#[jwt_required]
#[get("/protected")]
fn protected() -> &'static str {
    "hello"
}

#[jwt_required]
#[get("/whoami")]
fn whoami(token: Jwt) -> String {
    token.identity().to_string()
}

#[jwt_required(skip_revocation_check)]
#[get("/protected-no-revocation")]
fn protected_no_revocation() -> &'static str {
    "hello"
}

/// The app configured by `config`, its in-memory blocklist already holding `revoked` other
/// tokens (a server's would after a while).
pub(crate) fn rocket(config: Config, revoked: usize) -> Rocket<Build> {
    let jwt = manager();
    let blocklist = MemoryBlocklist::new(100_000);
    let runtime = rocket::tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        for _ in 0..revoked {
            let other = jwt.create_access_token("someone").expect("a token");
            let other = jwt.decode_token(&other).expect("a valid token");
            blocklist
                .revoke(&other)
                .await
                .expect("an in-memory revocation");
        }
    });
    rocket::build()
        .configure(rocket::Config {
            log_level: rocket::config::LogLevel::Off,
            ..rocket::Config::debug_default()
        })
        .attach(JwtManager::fairing_with(config).blocklist(blocklist))
        .mount(
            "/",
            routes![public, protected, whoami, protected_no_revocation],
        )
}

/// A blocking client of [`rocket`]`(config, revoked)`.
pub(crate) fn client(config: Config, revoked: usize) -> Client {
    Client::tracked(rocket(config, revoked)).expect("the benchmark app ignites")
}
