//! [`RedisBlocklist`]: revocations shared by every instance through Redis (cargo feature
//! `redis`).
//!
//! The connection manager reconnects by itself; every command has a short timeout, so a Redis
//! outage turns into quick 503s and recovers when Redis is back.

use std::time::Duration;

use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use rocket::time::OffsetDateTime;

use super::{
    keep_until, replaced_in_chain, revocation, Blocklist, Exchange, Revocation, Rotation,
    RotationOutcome, StoreError,
};
use crate::token::claims::DecodedToken;

/// How long one Redis command may take before the request gets a 503.
const RESPONSE_TIMEOUT: Duration = Duration::from_secs(1);
/// How long one connection attempt may take.
const CONNECTION_TIMEOUT: Duration = Duration::from_millis(500);
/// The longest expiry jwt-ext gives a key (100 years); an entry that must live longer is kept
/// without expiry. Redis refuses an `EX` whose instant overflows its millisecond clock.
const MAX_TTL: u64 = 100 * 366 * 24 * 3600;

/// Revocations in Redis, shared by every instance using the same server and prefix.
///
/// # Key layout
///
/// A stable part of the store: another application (a Flask app migrating route by route, an
/// admin script) may read and write the same keys. `<prefix>` is `jwt_redis_key_prefix`.
///
/// | key | value | expires |
/// |---|---|---|
/// | `<prefix>revoked:<jti>` | the UNIX second from which the token is refused (`1` for "at once" also works) | when the token can no longer be used: its `exp`, exchange window and leeway |
/// | `<prefix>family-revoked:<fam>` | `1`: every token of the login is refused | when the login's last token can no longer be used |
/// | `<prefix>family:<fam>` | hash `current`, `previous`, `previous_until`: refresh-token rotation state | with the login's refresh tokens |
/// | `<prefix>chain:<orig_jti>` | JSON `[current, previous, previous_until]`: the exchange chain's state | with the chain's last token |
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
    /// Connects to `url` (`redis://[user:password@]host:port/db`, `rediss://…` for TLS with
    /// the system's trusted roots, `valkey(s)://…`, `unix:///path`); keys start with `prefix`.
    ///
    /// # Errors
    ///
    /// [`StoreError::Unavailable`] when the URL is invalid or the server does not answer (the
    /// reason: connection refused, the certificate does not verify, authentication failed).
    pub async fn connect(url: &str, prefix: &str) -> Result<Self, StoreError> {
        Self::open(url, prefix, None).await
    }

    /// Connects as the settings say: `jwt_redis_url`, `jwt_redis_key_prefix` and, for a
    /// private CA, `jwt_redis_tls_ca_file`. What the fairing does at ignite.
    ///
    /// # Errors
    ///
    /// As for [`connect`](Self::connect); [`StoreError::Unavailable`] also when no
    /// `jwt_redis_url` is set or the CA file cannot be read.
    pub async fn from_config(config: &crate::Config) -> Result<Self, StoreError> {
        let url = config
            .redis_url
            .as_deref()
            .ok_or_else(|| StoreError::Unavailable("`jwt_redis_url` is not set".into()))?;
        let ca = match &config.redis_tls_ca_file {
            Some(path) => Some(std::fs::read(path).map_err(|error| {
                StoreError::Unavailable(format!(
                    "`jwt_redis_tls_ca_file` ({}) cannot be read: {error}",
                    path.display()
                ))
            })?),
            None => None,
        };
        Self::open(url, &config.redis_key_prefix, ca).await
    }

    async fn open(url: &str, prefix: &str, ca: Option<Vec<u8>>) -> Result<Self, StoreError> {
        // rustls needs a process-wide provider: aws-lc-rs, the one jsonwebtoken uses here,
        // unless the application installed another first.
        let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
        let client = match ca {
            // Only the given CAs are trusted; the server's name is still verified.
            Some(pem) => redis::Client::build_with_tls(
                url,
                redis::TlsCertificates {
                    client_tls: None,
                    root_cert: Some(pem),
                },
            ),
            None => redis::Client::open(url),
        }
        .map_err(|error| unavailable(&error))?;
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(CONNECTION_TIMEOUT))
            .set_response_timeout(Some(RESPONSE_TIMEOUT))
            .set_number_of_retries(1)
            .set_max_delay(Duration::from_millis(200));
        let connection = ConnectionManager::new_with_config(client, config)
            .await
            .map_err(|error| unavailable(&error))?;
        let store = Self {
            connection,
            prefix: prefix.to_owned(),
        };
        // A connection alone proves little: a missing password, a disabled user or an ACL
        // user without access to the prefix's keys only shows on the first command. One
        // read of a key under the prefix tells them all before the first request does.
        let mut probe = redis::cmd("EXISTS");
        probe.arg(store.key("launch-check"));
        let _: i64 = store.query(&probe).await?;
        Ok(store)
    }

    /// The key of a revoked `jti`.
    #[must_use]
    pub fn key(&self, jti: &str) -> String {
        format!("{}revoked:{jti}", self.prefix)
    }

    /// The key marking a revoked login (family).
    #[must_use]
    pub fn family_revoked_key(&self, family: &str) -> String {
        format!("{}family-revoked:{family}", self.prefix)
    }

    /// The hash holding a family's rotation state (`current`, `previous`, `previous_until`).
    #[must_use]
    pub fn family_key(&self, family: &str) -> String {
        format!("{}family:{family}", self.prefix)
    }

    /// The key holding an exchange chain's state.
    #[must_use]
    pub fn chain_key(&self, chain: &str) -> String {
        format!("{}chain:{chain}", self.prefix)
    }

    async fn query<T: redis::FromRedisValue>(&self, command: &redis::Cmd) -> Result<T, StoreError> {
        let mut connection = self.connection.clone();
        command
            .query_async(&mut connection)
            .await
            .map_err(|error| unavailable(&error))
    }
}

/// One rotation step, atomically: the current token rotates, the previous one within the grace
/// period replays the successor, anything else revokes the family.
/// KEYS: state hash, revoked marker. ARGV: presented, next, now, grace, state ttl, revoked ttl
/// (ttls: 0 for none).
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
if tonumber(ARGV[6]) > 0 then
  redis.call('SET', KEYS[2], 1, 'EX', ARGV[6])
else
  redis.call('SET', KEYS[2], 1)
end
return {'reused'}
";

/// One exchange step, atomically: only the chain's current token (or, before the chain's
/// first exchange, its first token) is replaced by its successor; a revoked login or token is
/// refused. KEYS: chain state, presented token's revoked key, family's revoked marker, the
/// chain's first token's revoked key. ARGV: presented, next, now, grace, chain ttl, first
/// (1/0), presented ttl (ttls: 0 for none), chain id.
const EXCHANGE: &str = r"
if redis.call('EXISTS', KEYS[3]) == 1 then return 0 end
local now = tonumber(ARGV[3])
local from = redis.call('GET', KEYS[2])
if from and tonumber(from) <= now then return 0 end
local state = redis.call('GET', KEYS[1])
if state then
  local decoded = cjson.decode(state)
  if decoded[1] ~= ARGV[1] then return 0 end
  -- The chain's first token loses the rest of its grace when its successor is exchanged.
  local first = redis.call('GET', KEYS[4])
  if decoded[2] == ARGV[8] and first and tonumber(first) > now then
    redis.call('SET', KEYS[4], now, 'KEEPTTL')
  end
end
local grace_end = now + tonumber(ARGV[4])
local value = cjson.encode({ARGV[2], ARGV[1], grace_end})
if tonumber(ARGV[5]) > 0 then
  redis.call('SET', KEYS[1], value, 'EX', ARGV[5])
else
  redis.call('SET', KEYS[1], value)
end
if ARGV[6] == '1' then
  if tonumber(ARGV[7]) > 0 then
    redis.call('SET', KEYS[2], grace_end, 'EX', ARGV[7])
  else
    redis.call('SET', KEYS[2], grace_end)
  end
end
return 1
";

/// Seconds from now until `until`, at least 1 (an instant already past still gives a key that
/// disappears by itself); `None` for "no expiry", also when `until` is further away than
/// [`MAX_TTL`].
fn ttl_until(until: Option<i64>, now: i64) -> Option<u64> {
    let seconds = u64::try_from(until?.saturating_sub(now))
        .unwrap_or(0)
        .max(1);
    (seconds <= MAX_TTL).then_some(seconds)
}

/// `SET key value [EX ttl]`.
fn set(key: String, value: impl redis::ToRedisArgs, ttl: Option<u64>) -> redis::Cmd {
    let mut command = redis::cmd("SET");
    command.arg(key).arg(value);
    if let Some(seconds) = ttl {
        command.arg("EX").arg(seconds);
    }
    command
}

fn now() -> i64 {
    OffsetDateTime::now_utc().unix_timestamp()
}

/// Whether the token is refused by its chain's state, `[current, previous, previous_until]`.
fn refused_by_chain(state: &str, jti: Option<&str>, now: i64) -> bool {
    match serde_json::from_str::<(String, String, i64)>(state) {
        Ok((current, previous, until)) => replaced_in_chain(jti, &current, &previous, until, now),
        Err(_) => true, // Not written by jwt-ext: refuse rather than guess.
    }
}

#[rocket::async_trait]
impl Blocklist for RedisBlocklist {
    async fn is_revoked(&self, token: &DecodedToken) -> Result<bool, StoreError> {
        let mut keys = Vec::with_capacity(3);
        if let Some(jti) = token.jti() {
            keys.push(self.key(jti));
        }
        if let Some(family) = token.family() {
            keys.push(self.family_revoked_key(family));
        }
        if let Some(chain) = token.chain() {
            keys.push(self.chain_key(chain));
        }
        if keys.is_empty() {
            return Ok(false);
        }
        let mut command = redis::cmd("MGET");
        command.arg(&keys);
        let values: Vec<Option<String>> = self.query(&command).await?;
        let mut values = values.into_iter();
        let now = now();
        if token.jti().is_some() {
            if let Some(from) = values.next().flatten() {
                if from.parse::<i64>().map_or(true, |from| from <= now) {
                    return Ok(true);
                }
            }
        }
        if token.family().is_some() && values.next().flatten().is_some() {
            return Ok(true);
        }
        if token.chain().is_some() {
            if let Some(state) = values.next().flatten() {
                return Ok(refused_by_chain(&state, token.jti(), now));
            }
        }
        Ok(false)
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
        let () = self
            .query(&set(self.key(jti), now, ttl_until(until, now)))
            .await?;
        Ok(())
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
        let mut command = set(self.key(jti), now, ttl_until(until, now));
        command.arg("NX");
        let set: Option<String> = self.query(&command).await?;
        Ok(set.is_some())
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
        let () = self.query(&set(key, 1, ttl_until(until, now))).await?;
        Ok(())
    }

    async fn rotate(&self, rotation: &Rotation<'_>) -> Result<RotationOutcome, StoreError> {
        let state_ttl = ttl_until(rotation.keep_until, rotation.now).unwrap_or(0);
        let revoked_ttl = ttl_until(rotation.revoked_until, rotation.now).unwrap_or(0);
        let mut command = redis::cmd("EVAL");
        command
            .arg(ROTATE)
            .arg(2)
            .arg(self.family_key(rotation.family))
            .arg(self.family_revoked_key(rotation.family))
            .arg(rotation.presented)
            .arg(rotation.next)
            .arg(rotation.now)
            .arg(rotation.grace)
            .arg(state_ttl)
            .arg(revoked_ttl);
        let reply: Vec<String> = self.query(&command).await?;
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
        // A token without a login checks a marker that never exists.
        let family = token.family().map_or_else(
            || self.family_revoked_key(""),
            |family| self.family_revoked_key(family),
        );
        let mut command = redis::cmd("EVAL");
        command
            .arg(EXCHANGE)
            .arg(4)
            .arg(self.chain_key(exchange.chain))
            .arg(self.key(exchange.presented))
            .arg(family)
            .arg(self.key(exchange.chain))
            .arg(exchange.presented)
            .arg(exchange.next)
            .arg(exchange.now)
            .arg(exchange.grace)
            .arg(chain_ttl)
            .arg(if token.chain().is_none() { "1" } else { "0" })
            .arg(presented_ttl)
            .arg(exchange.chain);
        let exchanged: i64 = self.query(&command).await?;
        Ok(exchanged == 1)
    }
}
