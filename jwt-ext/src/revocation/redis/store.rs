//! [`RedisBlocklist`]: the revocation store's steps as Redis commands, on whichever
//! deployment the connection reaches.

use rocket::time::OffsetDateTime;

use std::sync::Arc;

use super::check::refused;
use super::link::Link;
use super::near_cache::NearCache;
use super::scripts::{EXCHANGE, REVOKE, ROTATE};
use crate::revocation::{
    identity_text, keep_until, revocation, Blocklist, Exchange, Revocation, Rotation,
    RotationOutcome, Session, StoreError,
};
use crate::telemetry::record::Timer;
use crate::token::claims::DecodedToken;

/// The longest expiry jwt-ext gives a key (100 years); an entry that must live longer is kept
/// without expiry. Redis refuses an `EX` whose instant overflows its millisecond clock.
const MAX_TTL: u64 = 100 * 366 * 24 * 3600;

/// Revocations in Redis, shared by every instance using the same server and prefix.
///
/// # Key layout
///
/// A stable part of the store: another application (a Flask app migrating route by route, an
/// admin script) may read and write the same keys. `<prefix>` is `jwt_redis_key_prefix`;
/// `<login>` is the token's `fam` claim (the login it belongs to), or its own `jti` when it was
/// issued alone ([`login_of`](Self::login_of)); `<identity>` is the token's identity (as JSON
/// when it is not a string). Every key of a login carries `{<login>}` as its Redis Cluster
/// hash tag, so that rotation and exchange stay in one slot; an identity's keys carry
/// `{<identity>}`. A single node reads the same keys.
///
/// | key | value | expires |
/// |---|---|---|
/// | `<prefix>{<login>}:revoked:<jti>` | the UNIX second from which the token is refused (`1` for "at once" also works) | when the token can no longer be used: its `exp`, exchange window and leeway |
/// | `<prefix>{<login>}:family-revoked` | `1`: every token of the login is refused | when the login's last token can no longer be used |
/// | `<prefix>{<login>}:family` | hash `current`, `previous`, `previous_until`: refresh-token rotation state | with the login's refresh tokens |
/// | `<prefix>{<login>}:chain:<orig_jti>` | JSON `[current, previous, previous_until]`: the exchange chain's state | with the chain's last token |
/// | `<prefix>user:{<identity>}:logged-out` | the instant (microseconds) the identity last logged out everywhere: tokens of logins made until then are refused | when the last of those tokens can no longer be used |
/// | `<prefix>user:{<identity>}:sessions` | hash: login id → [`Session`] as JSON | with the identity's longest login |
///
/// Every write to one of those keys but `family` and `sessions` is followed, atomically, by a
/// `PUBLISH` on `<prefix>revocations` of the key's `<login>` or `<identity>`: the push that
/// keeps every instance's near-cache current. Another application writing them must publish too, or its writes go unseen by
/// the near-caches for up to a minute. The Redis user needs the channels `<prefix>*` as well as
/// the keys (`ACL SETUSER app ~jwt-ext:* &jwt-ext:* …`).
///
/// # Near-cache
///
/// Unless `jwt_redis_near_cache_size` is `0`, each instance keeps what each token's check read,
/// answers the check of a token it saw before without a round trip, and stops trusting what it
/// holds for a login or an identity when its push arrives: a revocation on any instance is refused by all of them as soon as the
/// push arrives (a millisecond on a local network). When the push channel breaks or falls
/// silent, the copies stop answering within `jwt_redis_near_cache_max_stale_ms` and checks go
/// to Redis; the cache is emptied when the channel is back.
///
/// A prefix should not contain `{` or `}`: Redis Cluster would hash by it instead, and put
/// every key in one slot.
///
/// A key of about 60 bytes (`revoked:` and a UUID) takes about 100 bytes of Redis memory (see
/// the benchmarks). Run Redis with `maxmemory-policy noeviction`: an evicted key is a revoked
/// token that works again. When Redis is full, a revocation fails with 503 while the
/// existing ones keep being enforced.
///
/// # Example
///
/// ```no_run
/// use jwt_ext::RedisBlocklist;
///
/// # rocket::async_test(async {
/// let store = RedisBlocklist::connect("redis://127.0.0.1:6379/0", "myapp:").await.unwrap();
/// # });
/// ```
#[derive(Clone)]
pub struct RedisBlocklist {
    pub(super) link: Arc<Link>,
    /// How many replicas must have each revocation before it counts as stored.
    pub(super) replica_acks: usize,
    pub(super) prefix: String,
    /// The channel each write's push goes to.
    pub(super) channel: String,
    pub(super) near: Option<Arc<NearCache>>,
}

impl std::fmt::Debug for RedisBlocklist {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisBlocklist")
            .field("prefix", &self.prefix)
            .field("near_cache", &self.near.is_some())
            .finish_non_exhaustive()
    }
}

impl RedisBlocklist {
    /// The key of a revoked `jti` of `login` (see [`login_of`](Self::login_of)).
    #[must_use]
    pub fn revoked_key(&self, login: &str, jti: &str) -> String {
        format!("{}{{{login}}}:revoked:{jti}", self.prefix)
    }

    /// The key marking a revoked login (family).
    #[must_use]
    pub fn family_revoked_key(&self, login: &str) -> String {
        format!("{}{{{login}}}:family-revoked", self.prefix)
    }

    /// The hash holding a login's refresh-token rotation state (`current`, `previous`,
    /// `previous_until`).
    #[must_use]
    pub fn family_key(&self, login: &str) -> String {
        format!("{}{{{login}}}:family", self.prefix)
    }

    /// The key holding the state of the exchange chain `chain` (its first `jti`) of `login`.
    #[must_use]
    pub fn chain_key(&self, login: &str, chain: &str) -> String {
        format!("{}{{{login}}}:chain:{chain}", self.prefix)
    }

    /// The login whose hash tag `token`'s keys carry: its `fam` claim, or its own `jti` for a
    /// token issued alone; `None` for a token with neither (nothing of it is ever stored).
    #[must_use]
    pub fn login_of(token: &DecodedToken) -> Option<&str> {
        token.family().or_else(|| token.jti())
    }

    /// The values of a check's `keys`: its login's (one slot), then its identity's last. One
    /// `MGET` on a node or behind Sentinel; on a Cluster one command per slot, sent together:
    /// the cluster client splits a multi-slot command itself, but a part that fails does not
    /// make it refresh its slot map, so the check would not follow that slot's failover.
    pub(super) async fn read(&self, keys: &[String]) -> Result<Vec<Option<String>>, StoreError> {
        let connection = self.link.connection().await?;
        match keys.split_last() {
            Some((identity, login)) if connection.is_cluster() && !login.is_empty() => {
                let (login, identity) = rocket::futures::future::join(
                    Self::read_slot(connection, login),
                    Self::read_slot(connection, std::slice::from_ref(identity)),
                )
                .await;
                let mut values = login?;
                values.extend(identity?);
                Ok(values)
            }
            _ => Self::read_slot(connection, keys).await,
        }
    }

    /// The values of `keys`, all of one slot: one `MGET`. While a Cluster moves their slot,
    /// Redis answers a multi-key read with `TRYAGAIN` until the move ends; single keys follow
    /// the `ASK` redirect, so the keys are then read one by one.
    async fn read_slot(
        connection: &super::connection::Connection,
        keys: &[String],
    ) -> Result<Vec<Option<String>>, StoreError> {
        let mut command = redis::cmd("MGET");
        command.arg(keys);
        match connection.query_redis(&command).await {
            Err(error)
                if error.kind() == redis::ErrorKind::Server(redis::ServerErrorKind::TryAgain) =>
            {
                let mut values = Vec::with_capacity(keys.len());
                for key in keys {
                    let mut get = redis::cmd("GET");
                    get.arg(key);
                    values.push(connection.query(&get).await?);
                }
                Ok(values)
            }
            result => result.map_err(|error| super::connection::unavailable(&error)),
        }
    }

    /// Sends a script that stores a revocation and publishes the login or identity it wrote
    /// for (`tag`), and waits until `replica_acks` replicas have it: a failover right after it
    /// then keeps it. This instance's near-cache drops what it holds for `tag` at once,
    /// without waiting for the push.
    pub(super) async fn write<T: redis::FromRedisValue>(
        &self,
        command: &redis::Cmd,
        tag: Option<&str>,
    ) -> Result<T, StoreError> {
        let written = self
            .link
            .connection()
            .await?
            .write(command, self.replica_acks)
            .await;
        // Also after an error: the script may have run before the reply was lost.
        if let (Some(near), Some(tag)) = (&self.near, tag) {
            near.invalidate(tag);
        }
        written
    }

    /// Stores `value` at `key` of `tag` (its login or identity; for `ttl` seconds, `None`: for
    /// good) and publishes `tag`; with `only_if_absent`, only when the key does not exist.
    /// `true` when it was set.
    pub(super) async fn revoke_key(
        &self,
        (key, tag): (&str, &str),
        value: impl redis::ToRedisArgs,
        ttl: Option<u64>,
        only_if_absent: bool,
    ) -> Result<bool, StoreError> {
        let mut command = redis::cmd("EVAL");
        command
            .arg(REVOKE)
            .arg(1)
            .arg(key)
            .arg(value)
            .arg(ttl.unwrap_or(0))
            .arg(u8::from(only_if_absent))
            .arg(&self.channel)
            .arg(tag);
        let set: i64 = self.write(&command, Some(tag)).await?;
        Ok(set == 1)
    }
}

/// Seconds from now until `until`, at least 1 (an instant already past still gives a key that
/// disappears by itself); `None` for "no expiry", also when `until` is further away than
/// [`MAX_TTL`].
pub(super) fn ttl_until(until: Option<i64>, now: i64) -> Option<u64> {
    let seconds = u64::try_from(until?.saturating_sub(now))
        .unwrap_or(0)
        .max(1);
    (seconds <= MAX_TTL).then_some(seconds)
}

/// The key the launch reads to prove the store usable: under the prefix, never written.
pub(super) fn probe_key(prefix: &str) -> String {
    format!("{prefix}{{launch-check}}:revoked:launch-check")
}

pub(super) fn now() -> i64 {
    OffsetDateTime::now_utc().unix_timestamp()
}

#[rocket::async_trait]
impl Blocklist for RedisBlocklist {
    async fn is_revoked(&self, token: &DecodedToken) -> Result<bool, StoreError> {
        // The login's keys share its hash tag; the identity's log-out everywhere has the
        // identity's (on a Cluster, a second command sent with the first).
        let login = Self::login_of(token);
        let identity = identity_text(token.identity());
        let cached = match (&self.near, token.jti(), login) {
            (Some(near), Some(jti), Some(login)) => {
                if let Some(entry) = near.lookup(jti, login, &identity) {
                    return Ok(refused(token, entry.values(), now()));
                }
                Some((near, jti, login, near.ticket(login, &identity)))
            }
            _ => None,
        };
        let mut keys = Vec::with_capacity(4);
        if let Some(login) = login {
            if let Some(jti) = token.jti() {
                keys.push(self.revoked_key(login, jti));
            }
            if let Some(family) = token.family() {
                keys.push(self.family_revoked_key(family));
            }
            if let Some(chain) = token.chain() {
                keys.push(self.chain_key(login, chain));
            }
        }
        keys.push(self.logged_out_key(&identity));
        let timer = Timer::start();
        let values = match self.read(&keys).await {
            Ok(values) => values,
            Err(error) => {
                timer.revocation_checked(None);
                return Err(error);
            }
        };
        let revoked = refused(token, values.iter().map(Option::as_deref), now());
        timer.revocation_checked(Some(revoked));
        if let Some((near, jti, login, ticket)) = cached {
            near.store(jti, login, &identity, &values, ticket);
        }
        Ok(revoked)
    }

    async fn revoke(&self, token: &DecodedToken) -> Result<(), StoreError> {
        self.revoke_until(token, None).await
    }

    async fn revoke_until(
        &self,
        token: &DecodedToken,
        until: Option<i64>,
    ) -> Result<(), StoreError> {
        let Some(Revocation { jti, until, now }) = revocation(token, until)? else {
            return Ok(()); // Already unusable: nothing to remember.
        };
        // The revocation applies from now, also to a token exchanged moments ago (in its
        // grace); its expiry is the same as the exchange gave it.
        let login = Self::login_of(token).unwrap_or(jti);
        let key = self.revoked_key(login, jti);
        self.revoke_key((&key, login), now, ttl_until(until, now), false)
            .await
            .map(|_| ())
    }

    async fn revoke_once(
        &self,
        token: &DecodedToken,
        until: Option<i64>,
    ) -> Result<bool, StoreError> {
        let Some(Revocation { jti, until, now }) = revocation(token, until)? else {
            return Ok(true); // Already unusable: nothing to remember.
        };
        // SET NX: only the first of concurrent revocations succeeds.
        let login = Self::login_of(token).unwrap_or(jti);
        let key = self.revoked_key(login, jti);
        self.revoke_key((&key, login), now, ttl_until(until, now), true)
            .await
    }

    async fn revoke_family(
        &self,
        token: &DecodedToken,
        until: Option<i64>,
    ) -> Result<(), StoreError> {
        let Some(family) = token.family() else {
            return self.revoke_until(token, until).await;
        };
        let now = now();
        if until.is_some_and(|until| until < now) {
            return Ok(());
        }
        let key = self.family_revoked_key(family);
        self.revoke_key((&key, family), 1, ttl_until(until, now), false)
            .await
            .map(|_| ())
    }

    async fn rotate(&self, rotation: &Rotation<'_>) -> Result<RotationOutcome, StoreError> {
        let state_ttl = ttl_until(rotation.keep_until, rotation.now).unwrap_or(0);
        let revoked_ttl = ttl_until(rotation.revoked_until, rotation.now).unwrap_or(0);
        let revoked = self.family_revoked_key(rotation.family);
        let mut command = redis::cmd("EVAL");
        command
            .arg(ROTATE)
            .arg(2)
            .arg(self.family_key(rotation.family))
            .arg(&revoked)
            .arg(rotation.presented)
            .arg(rotation.next)
            .arg(rotation.now)
            .arg(rotation.grace)
            .arg(state_ttl)
            .arg(revoked_ttl)
            .arg(&self.channel)
            .arg(rotation.family);
        let reply: Vec<String> = self.write(&command, Some(rotation.family)).await?;
        match reply.as_slice() {
            [outcome] if outcome == "rotated" => Ok(RotationOutcome::Rotated),
            [outcome, successor] if outcome == "replayed" => Ok(RotationOutcome::Replayed {
                successor: successor.clone(),
            }),
            [outcome] if outcome == "reused" => Ok(RotationOutcome::Reused),
            other => Err(StoreError::Unavailable(format!(
                "unexpected rotation reply {other:?}"
            ))),
        }
    }

    async fn exchange(&self, exchange: &Exchange<'_>) -> Result<bool, StoreError> {
        let token = exchange.token;
        let chain_ttl = ttl_until(exchange.chain_until, exchange.now).unwrap_or(0);
        let presented_until = keep_until(token, exchange.presented_until);
        let presented_ttl = ttl_until(presented_until, exchange.now).unwrap_or(0);
        // The chain's tokens all belong to one login: the presented token's `fam`, or, before
        // the chain's first exchange, its own `jti` (which its successors take as their `fam`).
        // So every key of the step is in the login's slot, the chain's first token's too.
        let login = token.family().unwrap_or(exchange.presented);
        let chain = self.chain_key(login, exchange.chain);
        let presented = self.revoked_key(login, exchange.presented);
        let first = self.revoked_key(login, exchange.chain);
        let mut command = redis::cmd("EVAL");
        command
            .arg(EXCHANGE)
            .arg(4)
            .arg(&chain)
            .arg(&presented)
            .arg(self.family_revoked_key(login))
            .arg(&first)
            .arg(exchange.presented)
            .arg(exchange.next)
            .arg(exchange.now)
            .arg(exchange.grace)
            .arg(chain_ttl)
            .arg(if token.chain().is_none() { "1" } else { "0" })
            .arg(presented_ttl)
            .arg(exchange.chain)
            .arg(&self.channel)
            .arg(login);
        let exchanged: i64 = self.write(&command, Some(login)).await?;
        Ok(exchanged == 1)
    }

    async fn record_session(
        &self,
        identity: &str,
        session: &Session,
        max_per_identity: usize,
        until: Option<i64>,
    ) -> Result<Vec<String>, StoreError> {
        self.record(identity, session, max_per_identity, until)
            .await
    }

    async fn sessions(&self, identity: &str) -> Result<Vec<Session>, StoreError> {
        self.list(identity).await
    }

    async fn touch_session(&self, identity: &str, id: &str, at: i64) -> Result<(), StoreError> {
        self.touch(identity, id, at).await
    }

    async fn end_session(
        &self,
        identity: &str,
        id: &str,
        until: Option<i64>,
    ) -> Result<bool, StoreError> {
        self.end(identity, id, until).await
    }

    async fn logout_everywhere(
        &self,
        identity: &str,
        before: i64,
        until: Option<i64>,
    ) -> Result<(), StoreError> {
        self.log_out_everywhere(identity, before, until).await
    }
}
