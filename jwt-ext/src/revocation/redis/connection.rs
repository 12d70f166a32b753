//! The connection to Redis in each of its deployments, with short timeouts: a Redis outage
//! turns into quick 503s, and the app recovers by itself when Redis answers again.

use std::sync::Arc;
use std::time::Duration;

use redis::aio::{ConnectionManager, ConnectionManagerConfig};

use super::sentinel::SentinelMaster;

use crate::revocation::StoreError;

/// How long one Redis command may take before the request gets a 503.
pub(super) const RESPONSE_TIMEOUT: Duration = Duration::from_secs(1);
/// How long a revocation waits for replicas to have it.
const REPLICA_WAIT: Duration = Duration::from_millis(250);
/// How long one connection attempt may take.
pub(super) const CONNECTION_TIMEOUT: Duration = Duration::from_millis(500);

pub(super) fn unavailable(error: &redis::RedisError) -> StoreError {
    StoreError::Unavailable(error.to_string())
}

/// Why a connection could not be made, and whether trying again later may succeed (Redis is
/// down or restarting) or never will (a certificate that does not verify, a wrong password, a
/// bad URL).
pub(super) struct ConnectError {
    pub(super) transient: bool,
    pub(super) error: StoreError,
}

impl From<redis::RedisError> for ConnectError {
    fn from(error: redis::RedisError) -> Self {
        // Refused, reset, timed out, or a Unix socket not there yet: Redis may come back. A
        // TLS or authentication failure is neither, and never goes away by itself.
        let transient = error.is_connection_refusal()
            || error.is_timeout()
            || error.is_connection_dropped()
            || matches!(
                error.kind(),
                redis::ErrorKind::Server(
                    redis::ServerErrorKind::BusyLoading
                        | redis::ServerErrorKind::TryAgain
                        | redis::ServerErrorKind::ClusterDown
                        | redis::ServerErrorKind::MasterDown
                ) | redis::ErrorKind::MasterNameNotFoundBySentinel
            );
        Self {
            transient,
            error: unavailable(&error),
        }
    }
}

impl From<ConnectError> for StoreError {
    fn from(error: ConnectError) -> Self {
        error.error
    }
}

/// Where the store lives, kept so that it can be reached later when it could not be at launch.
#[derive(Clone)]
pub(super) enum Target {
    /// One node at a URL.
    Node { url: String, ca: Option<Vec<u8>> },
    /// A Cluster, by seed nodes.
    Cluster {
        seeds: Vec<String>,
        ca: Option<Vec<u8>>,
    },
    /// The master of a Sentinel set.
    Sentinel {
        sentinels: Vec<String>,
        master: String,
        ca: Option<Vec<u8>>,
    },
}

impl Target {
    /// Connects to it.
    pub(super) async fn connect(&self) -> Result<Connection, ConnectError> {
        match self {
            Self::Node { url, ca } => Connection::node(url, ca.clone()).await,
            Self::Cluster { seeds, ca } => Connection::cluster(seeds, ca.clone()).await,
            Self::Sentinel {
                sentinels,
                master,
                ca,
            } => Connection::sentinel(sentinels, master, ca.clone()).await,
        }
    }

    /// A client for one node that hears every `PUBLISH` of the deployment, for the
    /// near-cache's subscription: the node itself; on a Cluster the seed `attempt` picks (a
    /// Cluster forwards each message to every node); behind Sentinel, the master the sentinels
    /// name now.
    pub(super) async fn subscriber(&self, attempt: usize) -> redis::RedisResult<redis::Client> {
        install_crypto_provider();
        let node = |url: &str, ca: &Option<Vec<u8>>| match ca {
            Some(pem) => redis::Client::build_with_tls(url, certificates(pem.clone())),
            None => redis::Client::open(url),
        };
        match self {
            Self::Node { url, ca } => node(url, ca),
            Self::Cluster { seeds, ca } => match seeds.get(attempt % seeds.len().max(1)) {
                Some(seed) => node(seed, ca),
                None => Err(redis::RedisError::from((
                    redis::ErrorKind::InvalidClientConfig,
                    "no seed node",
                ))),
            },
            Self::Sentinel {
                sentinels,
                master,
                ca,
            } => {
                let mut client = super::sentinel::sentinel_client(sentinels, master, ca.clone())?;
                client.async_get_client().await
            }
        }
    }
}

/// The trusted roots of a private CA, as the `redis` crate takes them.
fn certificates(ca: Vec<u8>) -> redis::TlsCertificates {
    redis::TlsCertificates {
        client_tls: None,
        root_cert: Some(ca),
    }
}

/// rustls needs a process-wide provider: aws-lc-rs, the one jsonwebtoken uses here, unless
/// the application installed another first.
fn install_crypto_provider() {
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
}

/// A connection to one deployment; cheap to clone (each clone shares the connection).
#[derive(Clone)]
pub(super) enum Connection {
    /// One node (or a proxy in front of several): the connection manager reconnects by itself.
    Node(ConnectionManager),
    /// A Redis Cluster: the cluster connection follows `MOVED` and `ASK` redirects, refreshes
    /// its slot map after a failover, and reconnects by itself.
    Cluster(redis::cluster_async::ClusterConnection),
    /// The master of a Sentinel set, followed through failovers by this crate.
    Sentinel(Arc<SentinelMaster>),
}

impl Connection {
    /// Connects to the node at `url`, trusting the CA certificates `ca` (PEM) when given.
    pub(super) async fn node(url: &str, ca: Option<Vec<u8>>) -> Result<Self, ConnectError> {
        install_crypto_provider();
        let client = match ca {
            // Only the given CAs are trusted; the server's name is still verified.
            Some(pem) => redis::Client::build_with_tls(url, certificates(pem)),
            None => redis::Client::open(url),
        }?;
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(CONNECTION_TIMEOUT))
            .set_response_timeout(Some(RESPONSE_TIMEOUT))
            .set_number_of_retries(1)
            .set_max_delay(Duration::from_millis(200));
        let manager = ConnectionManager::new_with_config(client, config).await?;
        Ok(Self::Node(manager))
    }

    /// Connects to the Cluster of which `seeds` are nodes (any of them, masters or replicas).
    pub(super) async fn cluster(
        seeds: &[String],
        ca: Option<Vec<u8>>,
    ) -> Result<Self, ConnectError> {
        install_crypto_provider();
        let mut builder =
            redis::cluster::ClusterClientBuilder::new(seeds.iter().map(String::as_str))
                .connection_timeout(CONNECTION_TIMEOUT)
                .response_timeout(RESPONSE_TIMEOUT)
                // A redirect or a reconnection is retried within the same second: a request
                // during a failover waits at most that long for the new master, then gets a 503.
                .overall_response_timeout(Some(RESPONSE_TIMEOUT))
                .retries(4)
                .min_retry_wait(10)
                .max_retry_wait(200)
                .retry_wait_formula(10, 2);
        if let Some(pem) = ca {
            builder = builder.certs(certificates(pem));
        }
        let client = builder.build()?;
        let connection = client.get_async_connection().await?;
        Ok(Self::Cluster(connection))
    }

    /// Connects to the master `master` of the sentinels at `sentinels`; the connection moves
    /// to the new master after a failover.
    pub(super) async fn sentinel(
        sentinels: &[String],
        master: &str,
        ca: Option<Vec<u8>>,
    ) -> Result<Self, ConnectError> {
        install_crypto_provider();
        let master =
            SentinelMaster::new(sentinels, master, ca, CONNECTION_TIMEOUT, RESPONSE_TIMEOUT)?;
        // Found at once, so that a launch without a reachable master is refused.
        master.connection().await?;
        Ok(Self::Sentinel(master))
    }

    /// Sends `command`, then `WAIT replicas`: the command's answer once that many replicas
    /// have it, or after [`REPLICA_WAIT`] with fewer (a master that lost its replica keeps
    /// taking revocations, logged: refusing them would make a degraded store refuse logouts).
    /// In a pipeline the two go to the same node, the one of the command's key.
    pub(super) async fn write<T: redis::FromRedisValue>(
        &self,
        command: &redis::Cmd,
        replicas: usize,
    ) -> Result<T, StoreError> {
        if replicas == 0 {
            return self.query(command).await;
        }
        let mut pipeline = redis::pipe();
        pipeline.add_command(command.clone());
        pipeline
            .cmd("WAIT")
            .arg(replicas)
            .arg(u64::try_from(REPLICA_WAIT.as_millis()).unwrap_or(u64::MAX));
        let result: redis::RedisResult<(T, usize)> = match self {
            Self::Node(manager) => pipeline.query_async(&mut manager.clone()).await,
            Self::Cluster(cluster) => pipeline.query_async(&mut cluster.clone()).await,
            Self::Sentinel(master) => master.query_pipeline(&pipeline).await,
        };
        let (answer, acknowledged) = result.map_err(|error| unavailable(&error))?;
        if acknowledged < replicas {
            log::warn!(
                "jwt-ext: a revocation reached {acknowledged} of {replicas} replicas within \
                 {REPLICA_WAIT:?}; until the master has a replica again, a failover may lose it"
            );
        }
        Ok(answer)
    }

    /// Whether it is a Redis Cluster's.
    pub(super) fn is_cluster(&self) -> bool {
        matches!(self, Self::Cluster(_))
    }

    /// Sends `command`; any failure is the store being unavailable.
    pub(super) async fn query<T: redis::FromRedisValue>(
        &self,
        command: &redis::Cmd,
    ) -> Result<T, StoreError> {
        self.query_redis(command)
            .await
            .map_err(|error| unavailable(&error))
    }

    /// Sends `command`, with the `redis` crate's error.
    pub(super) async fn query_redis<T: redis::FromRedisValue>(
        &self,
        command: &redis::Cmd,
    ) -> redis::RedisResult<T> {
        let result = match self {
            Self::Node(manager) => command.query_async(&mut manager.clone()).await,
            Self::Cluster(cluster) => command.query_async(&mut cluster.clone()).await,
            Self::Sentinel(master) => master.query(command).await,
        };
        result
    }
}
