//! Opening a [`RedisBlocklist`]: from a URL, or as the settings say, with its near-cache and
//! the subscription that keeps it current.

use std::sync::Arc;
use std::time::Duration;

use super::connection::{ConnectError, Target};
use super::link::Link;
use super::near_cache::NearCache;
use super::push::revocations_channel;
use super::store::{probe_key, RedisBlocklist};
use crate::config::DEFAULT_NEAR_CACHE_SIZE;
use crate::revocation::StoreError;

impl RedisBlocklist {
    /// Connects to `url` (`redis://[user:password@]host:port/db`, `rediss://…` for TLS with
    /// the system's trusted roots, `valkey(s)://…`, `unix:///path`); keys start with `prefix`.
    /// The near-cache is on, with its default size and bound.
    ///
    /// # Errors
    ///
    /// [`StoreError::Unavailable`] when the URL is invalid or the server does not answer (the
    /// reason: connection refused, the certificate does not verify, authentication failed).
    pub async fn connect(url: &str, prefix: &str) -> Result<Self, StoreError> {
        let target = Target::Node {
            url: url.to_owned(),
            ca: None,
        };
        let link = Link::open(target.clone(), probe_key(prefix)).await?;
        let near = (DEFAULT_NEAR_CACHE_SIZE, Duration::from_secs(1));
        Ok(Self::on(link, target, prefix, 0, Some(near)))
    }

    /// Connects as the settings say: `jwt_redis_url`, `jwt_redis_cluster_urls` or
    /// `jwt_redis_sentinel_urls` with `jwt_redis_sentinel_master`,
    /// `jwt_redis_key_prefix` and, for a private CA, `jwt_redis_tls_ca_file`. What the fairing
    /// does at ignite. With `jwt_redis_required_at_launch = false`, a store that cannot be
    /// reached *yet* (refused, timed out) gives a store that connects on first use and answers
    /// 503 until then; what can never work (a certificate that does not verify, a wrong
    /// password) is still an error.
    ///
    /// # Errors
    ///
    /// As for [`connect`](Self::connect); [`StoreError::Unavailable`] also when none of the
    /// URL settings is set or the CA file cannot be read.
    pub async fn from_config(config: &crate::Config) -> Result<Self, StoreError> {
        let ca = match &config.redis_tls_ca_file {
            Some(path) => Some(std::fs::read(path).map_err(|error| {
                StoreError::Unavailable(format!(
                    "`jwt_redis_tls_ca_file` ({}) cannot be read: {error}",
                    path.display()
                ))
            })?),
            None => None,
        };
        let cluster = !config.redis_cluster_urls.is_empty();
        let sentinel = !config.redis_sentinel_urls.is_empty();
        // Replicas are what a Cluster's or Sentinel's failover promotes.
        let replica_acks = config
            .redis_replica_acks
            .unwrap_or(usize::from(cluster || sentinel));
        let target = if cluster {
            Target::Cluster {
                seeds: config.redis_cluster_urls.clone(),
                ca,
            }
        } else if sentinel {
            let master = config.redis_sentinel_master.clone().ok_or_else(|| {
                StoreError::Unavailable("`jwt_redis_sentinel_master` is not set".into())
            })?;
            Target::Sentinel {
                sentinels: config.redis_sentinel_urls.clone(),
                master,
                ca,
            }
        } else {
            let url = config.redis_url.clone().ok_or_else(|| {
                StoreError::Unavailable(
                    "none of `jwt_redis_url`, `jwt_redis_cluster_urls` and \
                     `jwt_redis_sentinel_urls` is set"
                        .into(),
                )
            })?;
            Target::Node { url, ca }
        };
        let probe = probe_key(&config.redis_key_prefix);
        let link = match Link::open(target.clone(), probe.clone()).await {
            Ok(link) => link,
            Err(ConnectError {
                transient: true,
                error,
            }) if !config.redis_required_at_launch => {
                log::warn!(
                    "jwt-ext: the revocation store cannot be reached ({error}); starting \
                     fail-closed: protected routes answer 503 until it answers"
                );
                Link::later(target.clone(), probe, error.to_string())
            }
            Err(error) => return Err(error.into()),
        };
        let near = (config.redis_near_cache_size > 0).then(|| {
            let max_stale = Duration::from_millis(config.redis_near_cache_max_stale_ms);
            (config.redis_near_cache_size, max_stale)
        });
        Ok(Self::on(
            link,
            target,
            &config.redis_key_prefix,
            replica_acks,
            near,
        ))
    }

    /// The store on `link`, with a near-cache of `near` (capacity, bound) kept current by
    /// pushes from `target`.
    fn on(
        link: Link,
        target: Target,
        prefix: &str,
        replica_acks: usize,
        near: Option<(usize, Duration)>,
    ) -> Self {
        let link = Arc::new(link);
        let near = near.map(|(capacity, max_stale)| {
            let cache = Arc::new(NearCache::new(capacity, max_stale));
            super::push::start(&cache, Arc::clone(&link), target, prefix);
            cache
        });
        Self {
            link,
            prefix: prefix.to_owned(),
            channel: revocations_channel(prefix),
            replica_acks,
            near,
        }
    }
}
