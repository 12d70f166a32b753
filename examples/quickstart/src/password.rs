//! Password checks that an unauthenticated flood of logins cannot turn into a memory
//! exhaustion.
//!
//! One Argon2id check with the recommended parameters holds 19 MiB for tens of milliseconds.
//! Run without a bound, two hundred concurrent logins hold gigabytes at once, and the
//! allocator keeps much of it afterwards. Here the checks run on one thread per core, started
//! once, each reusing its own Argon2 memory from one check to the next: the checks never hold
//! more than 19 MiB per core, however many logins arrive. A bounded number of logins wait for a free thread; past
//! that a login is answered at once with `503 Service Unavailable` and `Retry-After: 1`,
//! before any hashing.

use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::{Arc, LazyLock, Mutex, PoisonError};

use argon2::password_hash::{Output, PasswordHash};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use rocket::http::{Header, Status};
use rocket::request::Request;
use rocket::response::{self, Responder, Response};
use rocket::serde::json::json;
use rocket::tokio::sync::oneshot;

/// The hash of a password nobody has, checked for unknown usernames.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$q/mnHSsujUTMoHmjteIzrA$dBpc+4OY9Ib06CErTdNev+/pqr500tefmMgiFlMR+Gs";

/// Logins that may wait for a free thread, per core.
const WAITING_PER_CORE: usize = 16;

/// One check: the hash (none for an unknown user), the password, where to send the answer.
type Check = (Option<String>, String, oneshot::Sender<bool>);

/// The queue in front of the checking threads; full means busy.
static CHECKS: LazyLock<SyncSender<Check>> = LazyLock::new(|| {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let (queue, checks) = sync_channel(cores * WAITING_PER_CORE);
    let checks = Arc::new(Mutex::new(checks));
    for index in 0..cores {
        let checks = Arc::clone(&checks);
        let started = std::thread::Builder::new()
            .name(format!("password-check-{index}"))
            .spawn(move || check_until_closed(&checks));
        if let Err(error) = started {
            rocket::error!("cannot start a password-check thread: {error}");
        }
    }
    queue
});

/// A checking thread: takes the next check, answers it, and so on, with one Argon2 memory
/// for all its checks.
fn check_until_closed(checks: &Mutex<Receiver<Check>>) {
    let mut memory = Vec::new();
    loop {
        let next = checks.lock().unwrap_or_else(PoisonError::into_inner).recv();
        let Ok((hash, password, answer)) = next else {
            return;
        };
        let known = hash.is_some();
        let hash = hash.unwrap_or_else(|| DUMMY_HASH.to_owned());
        let verified = matches(&hash, &password, &mut memory);
        // The login may have gone (its client disconnected): nobody to tell.
        let _ = answer.send(known && verified);
    }
}

/// Whether `password` hashes to the PHC string `hash`, in `memory` (grown to the hash's
/// memory cost and kept): what `PasswordVerifier::verify_password` does, without allocating
/// 19 MiB anew for every check. The comparison is constant-time (`Output`'s equality).
fn matches(hash: &str, password: &str, memory: &mut Vec<Block>) -> bool {
    let Ok(hash) = PasswordHash::new(hash) else {
        return false;
    };
    let (Some(expected), Some(salt)) = (hash.hash, hash.salt) else {
        return false;
    };
    let (Ok(algorithm), Ok(params)) =
        (Algorithm::try_from(hash.algorithm), Params::try_from(&hash))
    else {
        return false;
    };
    let version = hash
        .version
        .map_or(Ok(Version::default()), Version::try_from);
    let Ok(version) = version else {
        return false;
    };
    let mut salt_bytes = [0u8; 64];
    let Ok(salt) = salt.decode_b64(&mut salt_bytes) else {
        return false;
    };
    let blocks = params.block_count();
    if memory.len() < blocks {
        memory.resize(blocks, Block::default());
    }
    let mut output = vec![0u8; expected.len()];
    Argon2::new(algorithm, version, params)
        .hash_password_into_with_memory(
            password.as_bytes(),
            salt,
            &mut output,
            &mut memory[..blocks],
        )
        .is_ok()
        && Output::new(&output).is_ok_and(|output| output == expected)
}

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

/// Why a login route could not answer with tokens: too busy to check the password, or a token,
/// cookie or session that could not be made. Each answers as its own responder does, so a login
/// handler can use `?` on the password check and on token creation alike.
#[derive(Debug)]
pub enum LoginError {
    /// Too many logins at once: 503.
    Busy(Busy),
    /// A token could not be created: 500.
    Encode(jwt_ext::EncodeError),
    /// A cookie could not be set: 500.
    Cookie(jwt_ext::CookieError),
    /// The session could not be recorded: 503.
    Session(jwt_ext::SessionError),
}

impl From<jwt_ext::SessionError> for LoginError {
    fn from(error: jwt_ext::SessionError) -> Self {
        Self::Session(error)
    }
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
            Self::Session(error) => error.respond_to(request),
        }
    }
}

/// Whether `password` matches the Argon2 `hash`, checked on one of the checking threads
/// (never on the async executor: a check takes tens of milliseconds). With no hash (an
/// unknown user) a dummy hash is checked all the same, so that a wrong username takes as long
/// as a wrong password and does not reveal which usernames exist.
///
/// # Errors
///
/// [`Busy`] when every thread is checking and the queue behind them is full.
pub async fn verify_password(hash: Option<String>, password: String) -> Result<bool, Busy> {
    let (answer, answered) = oneshot::channel();
    CHECKS
        .try_send((hash, password, answer))
        .map_err(|_| Busy)?;
    Ok(answered.await.unwrap_or(false))
}
