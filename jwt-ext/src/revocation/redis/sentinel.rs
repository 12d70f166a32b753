//! The master of a Redis Sentinel set, followed through failovers.
//!
//! The `redis` crate's `SentinelClient` finds the master (asking the sentinels, then checking
//! the node's `ROLE`) but hands out a plain connection that stays on that node: after a
//! failover it keeps talking to a dead master, or to a demoted one that answers `READONLY`.
//! This module closes that gap: it keeps one connection to the current master and, when a
//! command on it fails, forgets it, so that the next command asks the sentinels again. The
//! failing command itself answers 503; no command waits longer than the store's timeouts.

use std::sync::{Arc, RwLock};
use std::time::Duration;

use redis::aio::MultiplexedConnection;
use redis::sentinel::{SentinelClient, SentinelClientBuilder, SentinelServerType};
use redis::AsyncConnectionConfig;
use rocket::tokio::sync::Mutex;

/// The connection to a Sentinel set's master.
pub(super) struct SentinelMaster {
    /// Asks the sentinels where the master is; one lookup at a time.
    sentinels: Mutex<SentinelClient>,
    /// The connection to the master found last, until a command on it fails.
    current: RwLock<Option<MultiplexedConnection>>,
    /// Each connection attempt's and each command's timeout.
    connection_timeout: Duration,
    response_timeout: Duration,
}

impl SentinelMaster {
    /// The master named `master` of the sentinels at `sentinels` (`redis://` or `rediss://`
    /// URLs). The user, password and TLS of each URL are the sentinels'; those of the first URL
    /// are the master's too (Sentinel sets usually share them), and `ca` (PEM) is trusted for
    /// both.
    pub(super) fn new(
        sentinels: &[String],
        master: &str,
        ca: Option<Vec<u8>>,
        connection_timeout: Duration,
        response_timeout: Duration,
    ) -> redis::RedisResult<Arc<Self>> {
        use redis::IntoConnectionInfo;

        let infos = sentinels
            .iter()
            .map(|url| url.as_str().into_connection_info())
            .collect::<redis::RedisResult<Vec<_>>>()?;
        let first = infos.first().ok_or_else(|| {
            redis::RedisError::from((redis::ErrorKind::InvalidClientConfig, "no sentinel"))
        })?;
        let tls = matches!(first.addr(), redis::ConnectionAddr::TcpTls { .. });
        let settings = first.redis_settings();
        let mut builder = SentinelClientBuilder::new(
            infos.iter().map(|info| info.addr().clone()),
            master,
            SentinelServerType::Master,
        )?;
        if let Some(username) = settings.username() {
            builder = builder
                .set_client_to_sentinel_username(username)
                .set_client_to_redis_username(username);
        }
        if let Some(password) = settings.password() {
            builder = builder
                .set_client_to_sentinel_password(password)
                .set_client_to_redis_password(password);
        }
        builder = builder.set_client_to_redis_db(settings.db());
        if tls {
            builder = builder
                .set_client_to_sentinel_tls_mode(redis::TlsMode::Secure)
                .set_client_to_redis_tls_mode(redis::TlsMode::Secure);
        }
        if let Some(pem) = ca {
            let certificates = || redis::TlsCertificates {
                client_tls: None,
                root_cert: Some(pem.clone()),
            };
            builder = builder
                .set_client_to_sentinel_certificates(certificates())
                .set_client_to_redis_certificates(certificates());
        }
        Ok(Arc::new(Self {
            sentinels: Mutex::new(builder.build()?),
            current: RwLock::new(None),
            connection_timeout,
            response_timeout,
        }))
    }

    /// The connection to the master: the current one, or a new one to wherever the sentinels
    /// say the master is now.
    pub(super) async fn connection(&self) -> redis::RedisResult<MultiplexedConnection> {
        if let Some(connection) = self.known() {
            return Ok(connection);
        }
        let mut sentinels = self.sentinels.lock().await;
        // Another request may have found it while this one waited.
        if let Some(connection) = self.known() {
            return Ok(connection);
        }
        let config = AsyncConnectionConfig::new()
            .set_connection_timeout(Some(self.connection_timeout))
            .set_response_timeout(Some(self.response_timeout));
        // The lookup asks the sentinels, then the master's ROLE: bounded as one command is.
        let lookup = async {
            let client = sentinels.async_get_client().await?;
            client
                .get_multiplexed_async_connection_with_config(&config)
                .await
        };
        let connection =
            match rocket::tokio::time::timeout(self.connection_timeout * 2, lookup).await {
                Ok(found) => found?,
                Err(_) => {
                    return Err(redis::RedisError::from((
                        redis::ErrorKind::Io,
                        "the sentinels did not name a reachable master in time",
                    )))
                }
            };
        if let Ok(mut current) = self.current.write() {
            *current = Some(connection.clone());
        }
        Ok(connection)
    }

    /// Forgets the current connection after a command on it failed: the master may have died
    /// or been demoted (`READONLY`), and the next command asks the sentinels again.
    pub(super) fn forget(&self) {
        if let Ok(mut current) = self.current.write() {
            *current = None;
        }
    }

    fn known(&self) -> Option<MultiplexedConnection> {
        self.current.read().ok().and_then(|current| current.clone())
    }
}
