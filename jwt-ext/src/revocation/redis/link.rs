//! The store's connection: made at launch, or — when the application lets the launch go ahead
//! with Redis unreachable — on first use, with every request answering 503 until then.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use rocket::tokio::sync::OnceCell;

use super::connection::{ConnectError, Connection, Target};
use crate::revocation::StoreError;

/// How long after a failed attempt the next request gets its 503 at once instead of trying
/// again: a Redis that is down costs one connection attempt per this interval, not one per
/// request.
const RETRY_INTERVAL: Duration = Duration::from_millis(500);

/// The connection to the store, once made.
pub(super) struct Link {
    target: Target,
    /// A key under the store's prefix, read once to prove the connection usable.
    probe_key: String,
    ready: OnceCell<Connection>,
    /// When and why the last attempt failed.
    failed: Mutex<Option<(Instant, String)>>,
}

impl Link {
    /// Connects now: the connection, or why it cannot be made.
    pub(super) async fn open(target: Target, probe_key: String) -> Result<Self, ConnectError> {
        let connection = connect(&target, &probe_key).await?;
        Ok(Self {
            target,
            probe_key,
            ready: OnceCell::new_with(Some(connection)),
            failed: Mutex::new(None),
        })
    }

    /// Connects on first use, `first_error` being why the launch could not.
    pub(super) fn later(target: Target, probe_key: String, first_error: String) -> Self {
        Self {
            target,
            probe_key,
            ready: OnceCell::new(),
            failed: Mutex::new(Some((Instant::now(), first_error))),
        }
    }

    /// The connection, made now if it was not yet: an error (a 503) while Redis cannot be
    /// reached.
    pub(super) async fn connection(&self) -> Result<&Connection, StoreError> {
        if let Some(connection) = self.ready.get() {
            return Ok(connection);
        }
        if let Some(reason) = self.recent_failure() {
            return Err(StoreError::Unavailable(reason));
        }
        self.ready
            .get_or_try_init(|| async {
                match connect(&self.target, &self.probe_key).await {
                    Ok(connection) => {
                        log::info!("jwt-ext: the revocation store answers; serving from it");
                        Ok(connection)
                    }
                    Err(error) => {
                        if !error.transient {
                            log::error!(
                                "jwt-ext: the revocation store refuses this app, and will \
                                 until its settings change: {}",
                                error.error
                            );
                        }
                        if let Ok(mut failed) = self.failed.lock() {
                            *failed = Some((Instant::now(), error.error.to_string()));
                        }
                        Err(error.error)
                    }
                }
            })
            .await
    }

    fn recent_failure(&self) -> Option<String> {
        let failed = self.failed.lock().ok()?;
        let (at, reason) = failed.as_ref()?;
        (at.elapsed() < RETRY_INTERVAL).then(|| reason.clone())
    }
}

/// Connects to `target`, reads `probe_key` and publishes on a channel of the same name: a
/// connection alone proves little, since a missing password, a disabled user or an ACL user
/// without access to the prefix's keys or channels only shows on the first command.
async fn connect(target: &Target, probe_key: &str) -> Result<Connection, ConnectError> {
    let connection = target.connect().await?;
    let mut probe = redis::cmd("EXISTS");
    probe.arg(probe_key);
    let _: i64 = connection.query_redis(&probe).await?;
    let mut publish = redis::cmd("PUBLISH");
    publish.arg(probe_key).arg("");
    let _: i64 = connection.query_redis(&publish).await?;
    Ok(connection)
}
