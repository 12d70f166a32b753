//! Revocation: Flask's `token_in_blocklist_loader`, done for the application.
//!
//! Every verified request asks the [`Blocklist`] whether its token's `jti` was revoked
//! (unless the route says `skip_revocation_check`). Two stores ship: [`MemoryBlocklist`], the
//! default, and `RedisBlocklist` (cargo feature `redis`), shared by every instance behind a
//! load balancer and chosen by `jwt_redis_url`. The application can bring its own.
//!
//! Fail closed: when the store cannot answer, protected routes answer
//! `503 {"msg": "Token revocation store unavailable"}`, never 200.

use std::collections::{BTreeSet, HashMap};
use std::sync::{PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

use rocket::time::OffsetDateTime;

use crate::claims::DecodedToken;

#[cfg(feature = "redis")]
mod redis;
#[cfg(feature = "redis")]
pub use redis::RedisBlocklist;

/// Why the store could not answer.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum StoreError {
    /// The store is unreachable or failed (the reason is logged, not sent).
    Unavailable(String),
    /// The in-memory store holds its maximum number of live entries.
    Full,
    /// The token has no `jti` claim, so it cannot be revoked by id.
    NoJti,
    /// The store does not support this operation (e.g. refresh-token rotation in an
    /// application's own [`Blocklist`]).
    Unsupported(&'static str),
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Unavailable(reason) => write!(f, "revocation store unavailable: {reason}"),
            Self::Full => f.write_str("the in-memory revocation store is full"),
            Self::NoJti => f.write_str("the token has no `jti` claim and cannot be revoked"),
            Self::Unsupported(what) => write!(f, "this revocation store does not support {what}"),
        }
    }
}

impl std::error::Error for StoreError {}

/// Where revoked tokens are recorded: Flask's `token_in_blocklist_loader`, as a store.
///
/// Implement it for the application's own store; an entry only needs to live until the
/// token's `exp` ([`DecodedToken::expires_at`]), after which the token is refused anyway.
///
/// # Example
///
/// ```
/// use jwt_ext::{Blocklist, DecodedToken, StoreError};
///
/// /// Revokes nothing: every token stays valid until it expires.
/// struct NoRevocation;
///
/// #[rocket::async_trait]
/// impl Blocklist for NoRevocation {
///     async fn is_revoked(&self, _: &DecodedToken) -> Result<bool, StoreError> {
///         Ok(false)
///     }
///
///     async fn revoke(&self, _: &DecodedToken) -> Result<(), StoreError> {
///         Err(StoreError::Unavailable("revocation is not supported".into()))
///     }
/// }
/// ```
#[rocket::async_trait]
pub trait Blocklist: Send + Sync + 'static {
    /// Whether `token` was revoked.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the store cannot answer: the request is then refused with 503.
    async fn is_revoked(&self, token: &DecodedToken) -> Result<bool, StoreError>;

    /// Records `token` as revoked until it expires.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the revocation could not be recorded.
    async fn revoke(&self, token: &DecodedToken) -> Result<(), StoreError>;

    /// Revokes `token` unless it already was, keeping the entry until `until` (UNIX seconds)
    /// when that is later than the token's `exp`; `true` when this call revoked it. Used where
    /// a token may be exchanged only once (the sliding refresh window). The built-in stores
    /// do it atomically; this default is not atomic.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the store cannot answer.
    async fn revoke_once(
        &self,
        token: &DecodedToken,
        until: Option<i64>,
    ) -> Result<bool, StoreError> {
        let _ = until;
        if self.is_revoked(token).await? {
            return Ok(false);
        }
        self.revoke(token).await.map(|()| true)
    }

    /// One atomic step of refresh-token rotation for a family (see [`Rotation`]). Only the
    /// built-in stores implement it.
    ///
    /// # Errors
    ///
    /// [`StoreError::Unsupported`] by default; a [`StoreError`] when the store fails.
    async fn rotate(&self, rotation: &Rotation<'_>) -> Result<RotationOutcome, StoreError> {
        let _ = rotation;
        Err(StoreError::Unsupported("refresh-token rotation"))
    }
}

/// One use of a refresh token of a rotating family, for [`Blocklist::rotate`].
#[derive(Debug, Clone, Copy)]
pub struct Rotation<'a> {
    /// The family (`fam` claim) shared by every token of one login.
    pub family: &'a str,
    /// The `jti` of the refresh token presented.
    pub presented: &'a str,
    /// The `jti` the successor gets if this use rotates.
    pub next: &'a str,
    /// Now, UNIX seconds.
    pub now: i64,
    /// Seconds during which the previous token may be presented again (concurrent requests of
    /// one client) and gets the same successor; `0`: never.
    pub grace: i64,
    /// Until when the family state must be kept (UNIX seconds): the family's last possible
    /// expiry. `None`: the family never expires.
    pub keep_until: Option<i64>,
}

/// What one use of a refresh token did to its family.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RotationOutcome {
    /// The presented token was the current one: it is now the previous one, and the
    /// successor with `next` is current.
    Rotated,
    /// The previous token, presented again within the grace period: mint the already-issued
    /// successor again, with this `jti`, so both holders end with the same current token.
    Replayed {
        /// The current token's `jti`.
        successor: String,
    },
    /// A token already rotated out (outside the grace period, or older than the previous
    /// one): the whole family is now revoked (RFC 9700 §4.14.2).
    Reused,
}

/// The default of `jwt_blocklist_max_entries`: live entries the in-memory store holds.
pub const DEFAULT_MAX_ENTRIES: usize = 1_000_000;

/// The embedded store: revoked `jti`s in memory, each dropped once its token has expired.
///
/// Bounded: at most `max_entries` live entries (about 100 bytes each); when full, a new
/// revocation fails with [`StoreError::Full`] rather than growing without limit. Revocations
/// are per process and lost on restart: use `RedisBlocklist` for several instances.
///
/// # Example
///
/// ```
/// use jwt_ext::{Blocklist, Config, JwtManager, MemoryBlocklist};
///
/// # rocket::async_test(async {
/// let jwt = JwtManager::new(Config::default().secret_key("k".repeat(32))).unwrap();
/// let token = jwt.decode_token(&jwt.create_access_token("alice").unwrap()).unwrap();
/// let store = MemoryBlocklist::new(1000);
/// assert!(!store.is_revoked(&token).await.unwrap());
/// store.revoke(&token).await.unwrap();
/// assert!(store.is_revoked(&token).await.unwrap());
/// # });
/// ```
#[derive(Debug)]
pub struct MemoryBlocklist {
    max_entries: usize,
    entries: RwLock<Entries>,
}

#[derive(Debug, Default)]
struct Entries {
    /// Revoked `jti`s and revoked families (`fam:<id>`) → when the entry may go (`None`:
    /// never).
    by_jti: HashMap<String, Option<i64>, Hasher>,
    /// `(until, key)` of the entries that expire, oldest first, for purging.
    by_expiry: BTreeSet<(i64, String)>,
    /// Rotation state of each family.
    families: HashMap<String, Family, Hasher>,
}

/// The maps' hasher: seeded per process, and much cheaper than the standard SipHash on the
/// 36-byte `jti` every protected request looks up. Keys come from verified tokens only.
type Hasher = foldhash::quality::RandomState;

/// The rotation state of one family.
#[derive(Debug, Clone)]
struct Family {
    current: String,
    previous: String,
    previous_until: i64,
    keep_until: Option<i64>,
}

impl Entries {
    /// Drops every entry whose token expired before `now`.
    fn purge(&mut self, now: i64) {
        while let Some((exp, jti)) = self.by_expiry.first().cloned() {
            if exp >= now {
                break;
            }
            self.by_expiry.pop_first();
            self.by_jti.remove(&jti);
        }
        self.families
            .retain(|_, family| family.keep_until.is_none_or(|until| until >= now));
    }

    fn insert(&mut self, key: String, until: Option<i64>) {
        if let Some(until) = until {
            self.by_expiry.insert((until, key.clone()));
        }
        self.by_jti.insert(key, until);
    }

    fn len(&self) -> usize {
        self.by_jti.len() + self.families.len()
    }
}

/// The key under which a revoked family is kept beside revoked `jti`s.
fn family_key(family: &str) -> String {
    format!("fam:{family}")
}

impl MemoryBlocklist {
    /// A store holding at most `max_entries` live revocations.
    #[must_use]
    pub fn new(max_entries: usize) -> Self {
        Self {
            max_entries,
            entries: RwLock::new(Entries::default()),
        }
    }

    /// Live entries (revoked tokens not yet expired).
    ///
    /// # Panics
    ///
    /// Never in practice: only if a thread panicked while holding the store's lock.
    #[must_use]
    pub fn len(&self) -> usize {
        let mut entries = self.lock();
        entries.purge(OffsetDateTime::now_utc().unix_timestamp());
        entries.by_jti.len()
    }

    /// Whether no live entry is held.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    // A poisoned lock only means another request panicked mid-update; the maps are still
    // consistent enough to answer (both updates are single inserts/removes).

    /// The entries for reading: every request's check, concurrently with the others.
    fn read(&self) -> RwLockReadGuard<'_, Entries> {
        self.entries.read().unwrap_or_else(PoisonError::into_inner)
    }

    /// The entries for an update (a revocation, a rotation, a purge).
    fn lock(&self) -> RwLockWriteGuard<'_, Entries> {
        self.entries.write().unwrap_or_else(PoisonError::into_inner)
    }
}

/// How long a revocation entry must live: the later of the token's `exp` and `until`
/// (`None`: for good).
fn keep_until(exp: Option<i64>, until: Option<i64>) -> Option<i64> {
    match (exp, until) {
        (Some(exp), Some(until)) => Some(exp.max(until)),
        (Some(_), None) => exp,
        (None, _) => None,
    }
}

/// What revoking `token` must record: its `jti`, and until when (`None`: for good). `Ok(None)`
/// when the token is already past that instant, so nothing need be kept.
pub(crate) fn entry(
    token: &DecodedToken,
    until: Option<i64>,
    now: i64,
) -> Result<Option<(&str, Option<i64>)>, StoreError> {
    let jti = token.jti().ok_or(StoreError::NoJti)?;
    let keep = keep_until(exp_seconds(token), until);
    Ok(keep.is_none_or(|keep| keep >= now).then_some((jti, keep)))
}

/// The token's `exp` as whole seconds, rounded up (a float `exp` counts until it passes).
fn exp_seconds(token: &DecodedToken) -> Option<i64> {
    // Float-to-int `as` saturates, so a huge `exp` becomes `i64::MAX`.
    #[allow(clippy::cast_possible_truncation)]
    token
        .claims()
        .get("exp")
        .and_then(serde_json::Value::as_f64)
        .map(|exp| exp.ceil() as i64)
}

#[rocket::async_trait]
impl Blocklist for MemoryBlocklist {
    async fn is_revoked(&self, token: &DecodedToken) -> Result<bool, StoreError> {
        let entries = self.read();
        let jti_revoked = token
            .jti()
            .is_some_and(|jti| entries.by_jti.contains_key(jti));
        let family_revoked = token
            .family()
            .is_some_and(|fam| entries.by_jti.contains_key(&family_key(fam)));
        Ok(jti_revoked || family_revoked)
    }

    async fn revoke(&self, token: &DecodedToken) -> Result<(), StoreError> {
        self.revoke_once(token, None).await.map(|_| ())
    }

    async fn revoke_once(
        &self,
        token: &DecodedToken,
        until: Option<i64>,
    ) -> Result<bool, StoreError> {
        let now = OffsetDateTime::now_utc().unix_timestamp();
        let Some((jti, exp)) = entry(token, until, now)? else {
            return Ok(true); // Already expired: nothing to remember.
        };
        let mut entries = self.lock();
        if entries.by_jti.contains_key(jti) {
            return Ok(false);
        }
        entries.purge(now);
        if entries.len() >= self.max_entries {
            return Err(StoreError::Full);
        }
        entries.insert(jti.to_owned(), exp);
        Ok(true)
    }

    async fn rotate(&self, rotation: &Rotation<'_>) -> Result<RotationOutcome, StoreError> {
        let mut entries = self.lock();
        if entries.by_jti.contains_key(&family_key(rotation.family)) {
            return Ok(RotationOutcome::Reused);
        }
        let state = entries.families.get(rotation.family).cloned();
        let outcome = match state {
            // Unknown family (its first rotation) or the current token: rotate.
            None => RotationOutcome::Rotated,
            Some(family) if family.current == rotation.presented => RotationOutcome::Rotated,
            Some(family)
                if family.previous == rotation.presented
                    && rotation.now < family.previous_until =>
            {
                return Ok(RotationOutcome::Replayed {
                    successor: family.current,
                });
            }
            Some(_) => RotationOutcome::Reused,
        };
        entries.purge(rotation.now);
        if entries.len() >= self.max_entries {
            return Err(StoreError::Full);
        }
        if outcome == RotationOutcome::Reused {
            entries.families.remove(rotation.family);
            entries.insert(family_key(rotation.family), rotation.keep_until);
        } else {
            entries.families.insert(
                rotation.family.to_owned(),
                Family {
                    current: rotation.next.to_owned(),
                    previous: rotation.presented.to_owned(),
                    previous_until: rotation.now + rotation.grace,
                    keep_until: rotation.keep_until,
                },
            );
        }
        Ok(outcome)
    }
}

/// Why a logout or revocation failed.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum RevokeError {
    /// The token to revoke is not valid (answered like the guards answer it).
    Invalid(crate::error::JwtError),
    /// The store could not record the revocation: 503.
    Store(StoreError),
}

impl std::fmt::Display for RevokeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Invalid(error) => write!(f, "invalid token: {error}"),
            Self::Store(error) => error.fmt(f),
        }
    }
}

impl std::error::Error for RevokeError {}

impl From<StoreError> for RevokeError {
    fn from(error: StoreError) -> Self {
        Self::Store(error)
    }
}

impl From<RevokeError> for crate::error::JwtError {
    fn from(error: RevokeError) -> Self {
        match error {
            RevokeError::Invalid(error) => error,
            RevokeError::Store(error) => Self::StoreUnavailable(error.to_string()),
        }
    }
}

impl From<StoreError> for crate::error::JwtError {
    fn from(error: StoreError) -> Self {
        Self::StoreUnavailable(error.to_string())
    }
}

/// Answers like the guards: the token's error, or 503 when the store failed.
impl<'r> rocket::response::Responder<'r, 'static> for RevokeError {
    fn respond_to(self, request: &'r rocket::Request<'_>) -> rocket::response::Result<'static> {
        crate::error::JwtError::from(self).respond_to(request)
    }
}

/// 503 `Token revocation store unavailable`; the reason is logged.
impl<'r> rocket::response::Responder<'r, 'static> for StoreError {
    fn respond_to(self, request: &'r rocket::Request<'_>) -> rocket::response::Result<'static> {
        crate::error::JwtError::from(self).respond_to(request)
    }
}
