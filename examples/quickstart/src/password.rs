//! Password checks that an unauthenticated flood of logins cannot turn into a memory
//! exhaustion.
//!
//! One Argon2id check with the recommended parameters holds 19 MiB for tens of milliseconds.
//! Run without a bound, two hundred concurrent logins hold gigabytes at once, and the
//! allocator keeps much of it afterwards. Here at most one check runs per core; a bounded
//! number of logins wait for their turn, and past that a login is answered at once with
//! `503 Service Unavailable` and `Retry-After: 1`, before any hashing.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::LazyLock;

use argon2::{Argon2, PasswordHash, PasswordVerifier};
use rocket::http::{Header, Status};
use rocket::request::Request;
use rocket::response::{self, Responder, Response};
use rocket::serde::json::json;
use rocket::tokio::sync::Semaphore;

/// The hash of a password nobody has, checked for unknown usernames.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$q/mnHSsujUTMoHmjteIzrA$dBpc+4OY9Ib06CErTdNev+/pqr500tefmMgiFlMR+Gs";

/// Logins that may wait for a free core, per core.
const WAITING_PER_CORE: usize = 16;

/// The process's password checks: one running per core, a bounded queue behind them.
struct Checks {
    running: Semaphore,
    waiting: AtomicUsize,
    max_waiting: usize,
}

static CHECKS: LazyLock<Checks> = LazyLock::new(|| {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    Checks {
        running: Semaphore::new(cores),
        waiting: AtomicUsize::new(0),
        max_waiting: cores * WAITING_PER_CORE,
    }
});

/// Too many logins at once: `503` with `Retry-After: 1` and
/// `{"msg": "Too many logins at once, try again in a moment"}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Busy;

impl<'r> Responder<'r, 'static> for Busy {
    fn respond_to(self, request: &'r Request<'_>) -> response::Result<'static> {
        let body = json!({ "msg": "Too many logins at once, try again in a moment" });
        Response::build_from(body.respond_to(request)?)
            .status(Status::ServiceUnavailable)
            .header(Header::new("Retry-After", "1"))
            .ok()
    }
}

/// Why a login route could not answer with tokens: too busy to check the password, or a token
/// or cookie that could not be made. Each answers as its own responder does, so a login
/// handler can use `?` on the password check and on token creation alike.
#[derive(Debug)]
pub enum LoginError {
    /// Too many logins at once: 503.
    Busy(Busy),
    /// A token could not be created: 500.
    Encode(jwt_ext::EncodeError),
    /// A cookie could not be set: 500.
    Cookie(jwt_ext::CookieError),
}

impl From<Busy> for LoginError {
    fn from(busy: Busy) -> Self {
        Self::Busy(busy)
    }
}

impl From<jwt_ext::EncodeError> for LoginError {
    fn from(error: jwt_ext::EncodeError) -> Self {
        Self::Encode(error)
    }
}

impl From<jwt_ext::CookieError> for LoginError {
    fn from(error: jwt_ext::CookieError) -> Self {
        Self::Cookie(error)
    }
}

impl<'r> Responder<'r, 'static> for LoginError {
    fn respond_to(self, request: &'r Request<'_>) -> response::Result<'static> {
        match self {
            Self::Busy(busy) => busy.respond_to(request),
            Self::Encode(error) => error.respond_to(request),
            Self::Cookie(error) => error.respond_to(request),
        }
    }
}

/// Counts a login as waiting for as long as it lives.
struct Waiting;

impl Drop for Waiting {
    fn drop(&mut self) {
        CHECKS.waiting.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Whether `password` matches the Argon2 `hash`, checked off the async executor (a hash takes
/// tens of milliseconds, which must not stall other requests) and never more at once than
/// the machine has cores. With no hash (an unknown user) a dummy hash is checked all the same,
/// so that a wrong username takes as long as a wrong password and does not reveal which
/// usernames exist.
///
/// # Errors
///
/// [`Busy`] when every core is hashing and the queue behind them is full.
pub async fn verify_password(hash: Option<String>, password: String) -> Result<bool, Busy> {
    let checks: &'static Checks = &CHECKS;
    let permit = match checks.running.try_acquire() {
        Ok(permit) => permit,
        Err(_) => {
            if checks.waiting.fetch_add(1, Ordering::AcqRel) >= checks.max_waiting {
                checks.waiting.fetch_sub(1, Ordering::AcqRel);
                return Err(Busy);
            }
            let _waiting = Waiting;
            checks.running.acquire().await.map_err(|_| Busy)?
        }
    };
    let known = hash.is_some();
    let hash = hash.unwrap_or_else(|| DUMMY_HASH.to_owned());
    // The permit goes with the hashing itself: a client that disconnects drops this future,
    // not the blocking task, which keeps its core until it is done.
    let verified = rocket::tokio::task::spawn_blocking(move || {
        let _permit = permit;
        PasswordHash::new(&hash).is_ok_and(|hash| {
            Argon2::default()
                .verify_password(password.as_bytes(), &hash)
                .is_ok()
        })
    })
    .await
    .unwrap_or(false);
    Ok(known && verified)
}
