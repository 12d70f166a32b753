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
use crate::revocation::{exp_seconds, Blocklist, StoreError};

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
}

#[rocket::async_trait]
impl Blocklist for RedisBlocklist {
    async fn is_revoked(&self, token: &DecodedToken) -> Result<bool, StoreError> {
        let Some(jti) = token.jti() else {
            return Ok(false);
        };
        let mut connection = self.connection.clone();
        connection
            .exists(self.key(jti))
            .await
            .map_err(|error| unavailable(&error))
    }

    async fn revoke(&self, token: &DecodedToken) -> Result<(), StoreError> {
        let jti = token.jti().ok_or(StoreError::NoJti)?;
        let key = self.key(jti);
        let mut connection = self.connection.clone();
        let result = match exp_seconds(token) {
            Some(exp) => {
                let remaining = exp - OffsetDateTime::now_utc().unix_timestamp();
                let Ok(seconds) = u64::try_from(remaining) else {
                    return Ok(()); // Already expired: nothing to remember.
                };
                connection.set_ex(key, 1, seconds.max(1)).await
            }
            // A token without `exp` stays revoked for good.
            None => connection.set(key, 1).await,
        };
        result.map_err(|error| unavailable(&error))
    }
}
