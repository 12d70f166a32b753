//! The master of a Redis Sentinel set, followed through failovers.
//!
//! The `redis` crate's `SentinelClient` finds the master (asking the sentinels, then checking
//! the node's `ROLE`) but hands out a plain connection that stays on that node: after a
//! failover it keeps talking to a dead master, or to a demoted one that answers `READONLY`.
//! This module closes that gap: it keeps one connection to the current master and forgets it
//! when the sentinels announce a new master (`+switch-master`, watched in the background) or a
//! command on it fails, so that the next command asks the sentinels again. A write refused with
//! `READONLY` is sent again to the new master at once; any other failing command answers 503.
//! No command waits longer than the store's timeouts.

use std::sync::{Arc, RwLock, Weak};
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
    /// The master named `master` of the sentinels at `sentinels` (see [`sentinel_client`]).
    pub(super) fn new(
        sentinels: &[String],
        master: &str,
        ca: Option<Vec<u8>>,
        connection_timeout: Duration,
        response_timeout: Duration,
    ) -> redis::RedisResult<Arc<Self>> {
        let client = sentinel_client(sentinels, master, ca)?;
        let master = Arc::new(Self {
            sentinels: Mutex::new(client),
            current: RwLock::new(None),
            connection_timeout,
            response_timeout,
        });
        rocket::tokio::spawn(watch_switches(Arc::downgrade(&master), sentinels.to_vec()));
        Ok(master)
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

    /// Sends `command` to the master. A command that fails drops the connection, so that the
    /// next one asks the sentinels; one refused with `READONLY` (the node was demoted, and
    /// the connection stayed open) is sent again at once to the master the sentinels name now.
    pub(super) async fn query<T: redis::FromRedisValue>(
        &self,
        command: &redis::Cmd,
    ) -> redis::RedisResult<T> {
        let mut connection = self.connection().await?;
        match command.query_async(&mut connection).await {
            Err(error) if is_read_only(&error) => {
                self.forget();
                command.query_async(&mut self.connection().await?).await
            }
            result => self.forget_on_error(result),
        }
    }

    /// [`query`](Self::query) for a pipeline.
    pub(super) async fn query_pipeline<T: redis::FromRedisValue>(
        &self,
        pipeline: &redis::Pipeline,
    ) -> redis::RedisResult<T> {
        let mut connection = self.connection().await?;
        match pipeline.query_async(&mut connection).await {
            Err(error) if is_read_only(&error) => {
                self.forget();
                let retried = pipeline.query_async(&mut self.connection().await?).await;
                self.forget_on_error(retried)
            }
            result => self.forget_on_error(result),
        }
    }

    fn forget_on_error<T>(&self, result: redis::RedisResult<T>) -> redis::RedisResult<T> {
        if result.is_err() {
            self.forget();
        }
        result
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

/// A client that asks the sentinels at `sentinels` (`redis://` or `rediss://` URLs) where the
/// master `master` is. The user, password and TLS of each URL are the sentinels'; those of the
/// first URL are the master's too (Sentinel sets usually share them), and `ca` (PEM) is
/// trusted for both.
pub(super) fn sentinel_client(
    sentinels: &[String],
    master: &str,
    ca: Option<Vec<u8>>,
) -> redis::RedisResult<SentinelClient> {
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
    builder.build()
}

/// Whether the node refused a write because it is a replica now.
fn is_read_only(error: &redis::RedisError) -> bool {
    error.kind() == redis::ErrorKind::Server(redis::ServerErrorKind::ReadOnly)
}

/// Forgets `master`'s connection whenever a sentinel announces a new master: a node demoted to
/// replica keeps its clients connected and would go on answering reads with what it last
/// replicated. Listens to one sentinel at a time, the next one when it goes away; ends with
/// the store.
async fn watch_switches(master: Weak<SentinelMaster>, sentinels: Vec<String>) {
    use rocket::futures::StreamExt;

    for url in sentinels.iter().cycle() {
        let listened = async {
            let mut pubsub = redis::Client::open(url.as_str())?
                .get_async_pubsub()
                .await?;
            pubsub.subscribe("+switch-master").await?;
            let mut messages = pubsub.on_message();
            loop {
                rocket::tokio::select! {
                    message = messages.next() => {
                        let Some(_) = message else { break };
                        let Some(master) = master.upgrade() else { break };
                        log::info!("jwt-ext: the sentinels switched the Redis master");
                        master.forget();
                    }
                    // The store may be gone (or was never used: a failed launch attempt).
                    () = rocket::tokio::time::sleep(Duration::from_secs(1)) => {
                        if master.strong_count() == 0 {
                            break;
                        }
                    }
                }
            }
            Ok::<_, redis::RedisError>(())
        };
        let _ = listened.await;
        if master.strong_count() == 0 {
            return;
        }
        rocket::tokio::time::sleep(Duration::from_millis(500)).await;
    }
}
