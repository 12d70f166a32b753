//! [`RedisBlocklist`]: revocations shared by every instance through Redis (cargo feature
//! `redis`).
//!
//! One key per revoked `jti`, `<prefix>revoked:<jti>`, expiring with the token, so Redis never
//! holds an entry longer than the token it refuses. The connection manager reconnects by
//! itself; every command has a short timeout, so a Redis outage turns into quick 503s and
//! recovers when Redis is back.

use std::time::Duration;

use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::AsyncCommands;
use rocket::time::OffsetDateTime;

use crate::claims::DecodedToken;
use crate::revocation::{entry, Blocklist, Rotation, RotationOutcome, StoreError};

/// How long one Redis command may take before the request gets a 503.
const RESPONSE_TIMEOUT: Duration = Duration::from_secs(1);
/// How long one connection attempt may take.
const CONNECTION_TIMEOUT: Duration = Duration::from_millis(500);

/// Revoked `jti`s in Redis, shared by every instance using the same server and prefix.
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
    connection: ConnectionManager,
    prefix: String,
}

impl std::fmt::Debug for RedisBlocklist {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisBlocklist")
            .field("prefix", &self.prefix)
            .finish_non_exhaustive()
    }
}

fn unavailable(error: &redis::RedisError) -> StoreError {
    StoreError::Unavailable(error.to_string())
}

impl RedisBlocklist {
    /// Connects to `url` (`redis://host:port/db`, `rediss://` for TLS is not enabled);
    /// keys start with `prefix`.
    ///
    /// # Errors
    ///
    /// [`StoreError::Unavailable`] when the URL is invalid or the server does not answer.
    pub async fn connect(url: &str, prefix: &str) -> Result<Self, StoreError> {
        let client = redis::Client::open(url).map_err(|error| unavailable(&error))?;
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(CONNECTION_TIMEOUT))
            .set_response_timeout(Some(RESPONSE_TIMEOUT))
            .set_number_of_retries(1)
            .set_max_delay(Duration::from_millis(200));
        let connection = ConnectionManager::new_with_config(client, config)
            .await
            .map_err(|error| unavailable(&error))?;
        Ok(Self {
            connection,
            prefix: prefix.to_owned(),
        })
    }

    /// The key of a revoked `jti`.
    #[must_use]
    pub fn key(&self, jti: &str) -> String {
        format!("{}revoked:{jti}", self.prefix)
    }

    /// The key marking a revoked rotation family.
    #[must_use]
    pub fn family_revoked_key(&self, family: &str) -> String {
        format!("{}family-revoked:{family}", self.prefix)
    }

    /// The hash holding a rotation family's state (`current`, `previous`, `previous_until`).
    #[must_use]
    pub fn family_key(&self, family: &str) -> String {
        format!("{}family:{family}", self.prefix)
    }
}

/// One rotation step, atomically (SECURITY.md §3): the current token rotates, the previous
/// one within the grace period replays the successor, anything else revokes the family.
/// KEYS: state hash, revoked marker. ARGV: presented, next, now, grace, ttl (0: none).
const ROTATE: &str = r"
if redis.call('EXISTS', KEYS[2]) == 1 then return {'reused'} end
local current = redis.call('HGET', KEYS[1], 'current')
local now = tonumber(ARGV[3])
if (not current) or current == ARGV[1] then
  redis.call('HSET', KEYS[1], 'current', ARGV[2], 'previous', ARGV[1],
             'previous_until', now + tonumber(ARGV[4]))
  if tonumber(ARGV[5]) > 0 then redis.call('EXPIRE', KEYS[1], ARGV[5]) end
  return {'rotated'}
end
local previous = redis.call('HGET', KEYS[1], 'previous')
local until_ = tonumber(redis.call('HGET', KEYS[1], 'previous_until'))
if previous == ARGV[1] and now < until_ then return {'replayed', current} end
redis.call('DEL', KEYS[1])
if tonumber(ARGV[5]) > 0 then
  redis.call('SET', KEYS[2], 1, 'EX', ARGV[5])
else
  redis.call('SET', KEYS[2], 1)
end
return {'reused'}
";

/// Seconds from now until `until`, at least 1 (an instant already past still gives a key that
/// disappears by itself); `None` for "no expiry".
fn ttl_until(until: Option<i64>, now: i64) -> Option<u64> {
    until.map(|until| u64::try_from(until - now).unwrap_or(0).max(1))
}

#[rocket::async_trait]
impl Blocklist for RedisBlocklist {
    async fn is_revoked(&self, token: &DecodedToken) -> Result<bool, StoreError> {
        let mut keys = Vec::with_capacity(2);
        if let Some(jti) = token.jti() {
            keys.push(self.key(jti));
        }
        if let Some(family) = token.family() {
            keys.push(self.family_revoked_key(family));
        }
        if keys.is_empty() {
            return Ok(false);
        }
        let mut connection = self.connection.clone();
        let found: u64 = connection
            .exists(keys)
            .await
            .map_err(|error| unavailable(&error))?;
        Ok(found > 0)
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
        // SET NX: only the first of concurrent revocations succeeds.
        let mut command = redis::cmd("SET");
        command.arg(self.key(jti)).arg(1).arg("NX");
        if let Some(seconds) = ttl_until(exp, now) {
            command.arg("EX").arg(seconds);
        }
        let mut connection = self.connection.clone();
        let set: Option<String> = command
            .query_async(&mut connection)
            .await
            .map_err(|error| unavailable(&error))?;
        Ok(set.is_some())
    }

    async fn rotate(&self, rotation: &Rotation<'_>) -> Result<RotationOutcome, StoreError> {
        let ttl = ttl_until(rotation.keep_until, rotation.now).unwrap_or(0);
        let mut connection = self.connection.clone();
        let reply: Vec<String> = redis::cmd("EVAL")
            .arg(ROTATE)
            .arg(2)
            .arg(self.family_key(rotation.family))
            .arg(self.family_revoked_key(rotation.family))
            .arg(rotation.presented)
            .arg(rotation.next)
            .arg(rotation.now)
            .arg(rotation.grace)
            .arg(ttl)
            .query_async(&mut connection)
            .await
            .map_err(|error| unavailable(&error))?;
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
}
