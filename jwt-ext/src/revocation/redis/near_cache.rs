//! The near-cache: each instance's copy of the revocation keys it read from Redis, so that
//! the check of a token seen before costs a hash lookup instead of a round trip.
//!
//! # Why pub/sub
//!
//! Every write jwt-ext makes to a key the check reads (a logout, a revoked login, reuse
//! detection, an exchange) is a Lua script that also `PUBLISH`es the key's name on
//! `<prefix>revocations`, in the same atomic step; every instance subscribes and drops its copy
//! of that key. Classic pub/sub was chosen over the alternatives:
//! - it works unchanged on a single node, over TLS, behind Sentinel (a replica gets the
//!   master's messages too) and on a Cluster, where a `PUBLISH` reaches every node, so one
//!   subscription to any node hears all slots; sharded pub/sub (`SSUBSCRIBE`) would need one
//!   subscription per shard and Redis 7;
//! - keyspace notifications need `notify-keyspace-events` set on every server, which managed
//!   Redis services often forbid, and say nothing about writes they do not see;
//! - RESP3 client-side caching (`CLIENT TRACKING`) tracks the keys a connection read, on the
//!   node it read them from: on a Cluster that is one tracking connection per node, and a
//!   failover loses the tracking table without a word.
//!
//! # Never stale beyond a bound
//!
//! Pub/sub delivers at most once: a dropped connection loses what was published meanwhile.
//! Each instance therefore publishes a heartbeat on its own channel every quarter of
//! `jwt_redis_near_cache_max_stale_ms` through its ordinary connection, and hears it on its
//! subscription: the whole path a revocation's push takes. The cache answers only while the
//! subscription is up and was heard from within that bound; past it, checks go to Redis (503
//! when Redis cannot answer). When the subscription is made again, the cache is emptied before
//! it is trusted: every key is read afresh. A copy is also read again after [`MAX_AGE`],
//! which bounds how long a write made without its push (another application writing the keys
//! without publishing) goes unseen.
//!
//! # Races
//!
//! A read that started before a push and ends after it must not store what it read. Each key
//! hashes to one of [`SHARDS`] counters, bumped by every push for a key of that shard; a read
//! takes the counters of its keys before asking Redis ([`NearCache::ticket`]) and stores its
//! answer only if they have not moved, checked again after storing.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use quick_cache::sync::Cache;

/// How long a copy is used before it is read from Redis again, whatever the pushes say.
pub(super) const MAX_AGE: Duration = Duration::from_secs(60);

/// Counters that tell a read whether a push for one of its keys arrived meanwhile.
const SHARDS: usize = 256;

/// One key's value, as Redis gave it, and when it was read (milliseconds since
/// [`NearCache::origin`]).
#[derive(Clone)]
struct Copy {
    value: Option<Arc<str>>,
    read_at: u64,
}

/// What a read saw before it asked Redis: the cache's generation and its keys' counters.
pub(super) struct Ticket {
    generation: u64,
    epochs: Vec<u64>,
}

/// One instance's copies of revocation keys, trusted only while the push channel is heard.
pub(super) struct NearCache {
    copies: Cache<Box<str>, Copy>,
    epochs: Box<[AtomicU64]>,
    /// Bumped when the cache is emptied: a read that began before cannot store.
    generation: AtomicU64,
    /// Whether the subscription is up.
    subscribed: AtomicBool,
    /// When the push channel was last heard from (milliseconds since `origin`).
    heard_at: AtomicU64,
    origin: Instant,
    /// `jwt_redis_near_cache_max_stale_ms`.
    max_stale: Duration,
}

impl NearCache {
    /// A cache of at most `capacity` keys, trusted for `max_stale` after the push channel was
    /// last heard. Untrusted until the subscription is made.
    pub(super) fn new(capacity: usize, max_stale: Duration) -> Self {
        Self {
            copies: Cache::new(capacity),
            epochs: (0..SHARDS).map(|_| AtomicU64::new(0)).collect(),
            generation: AtomicU64::new(0),
            subscribed: AtomicBool::new(false),
            heard_at: AtomicU64::new(0),
            origin: Instant::now(),
            max_stale,
        }
    }

    /// The bound past which a silent push channel stops the cache answering.
    pub(super) fn max_stale(&self) -> Duration {
        self.max_stale
    }

    fn now(&self) -> u64 {
        u64::try_from(self.origin.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    /// Whether copies may answer: subscribed, and heard from within the bound.
    pub(super) fn trusted(&self) -> bool {
        let silent = self
            .now()
            .saturating_sub(self.heard_at.load(Ordering::SeqCst));
        self.subscribed.load(Ordering::SeqCst) && u128::from(silent) <= self.max_stale.as_millis()
    }

    /// The push channel was heard from (a heartbeat or a push).
    pub(super) fn heard(&self) {
        self.heard_at.store(self.now(), Ordering::SeqCst);
    }

    /// How long the push channel has been silent.
    pub(super) fn silence(&self) -> Duration {
        let silent = self
            .now()
            .saturating_sub(self.heard_at.load(Ordering::SeqCst));
        Duration::from_millis(silent)
    }

    /// The subscription was made: the cache is emptied, then trusted.
    pub(super) fn subscribed(&self) {
        self.empty();
        self.heard();
        self.subscribed.store(true, Ordering::SeqCst);
    }

    /// The subscription was lost: checks go to Redis until it is made again.
    pub(super) fn unsubscribed(&self) {
        self.subscribed.store(false, Ordering::SeqCst);
        self.empty();
    }

    fn empty(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
        self.copies.clear();
    }

    fn shard(key: &str) -> usize {
        use std::hash::BuildHasher;
        let hash = foldhash::fast::FixedState::with_seed(0).hash_one(key);
        // The low bits of the hash; the table's length is a power of two.
        usize::try_from(hash % SHARDS as u64).unwrap_or(0)
    }

    /// The values of `keys`, when every one has a live copy and the cache is trusted.
    pub(super) fn lookup(&self, keys: &[String]) -> Option<Vec<Option<Arc<str>>>> {
        if !self.trusted() {
            return None;
        }
        let oldest = self
            .now()
            .saturating_sub(u64::try_from(MAX_AGE.as_millis()).unwrap_or(u64::MAX));
        keys.iter()
            .map(|key| {
                let copy = self.copies.get(key.as_str())?;
                (copy.read_at >= oldest).then_some(copy.value)
            })
            .collect()
    }

    /// What a read of `keys` must see unchanged to store its answer.
    pub(super) fn ticket(&self, keys: &[String]) -> Ticket {
        Ticket {
            generation: self.generation.load(Ordering::SeqCst),
            epochs: keys
                .iter()
                .map(|key| self.epochs[Self::shard(key)].load(Ordering::SeqCst))
                .collect(),
        }
    }

    fn unchanged(&self, keys: &[String], ticket: &Ticket) -> bool {
        self.generation.load(Ordering::SeqCst) == ticket.generation
            && keys
                .iter()
                .zip(&ticket.epochs)
                .all(|(key, epoch)| self.epochs[Self::shard(key)].load(Ordering::SeqCst) == *epoch)
    }

    /// Keeps what Redis answered for `keys`, unless a push for one of them (or a resync)
    /// arrived since `ticket` was taken, or the cache is not trusted.
    pub(super) fn store(&self, keys: &[String], values: &[Option<String>], ticket: &Ticket) {
        let read_at = self.now();
        if !self.trusted() || !self.unchanged(keys, ticket) {
            return;
        }
        for (key, value) in keys.iter().zip(values) {
            let copy = Copy {
                value: value.as_deref().map(Arc::from),
                read_at,
            };
            self.copies.insert(key.as_str().into(), copy);
        }
        // A push that arrived between the check and the inserts may have removed nothing.
        if !self.unchanged(keys, ticket) {
            for key in keys {
                self.copies.remove(key.as_str());
            }
        }
    }

    /// Drops the copy of `key`, which was just written: by a push, or by this instance.
    pub(super) fn invalidate(&self, key: &str) {
        self.epochs[Self::shard(key)].fetch_add(1, Ordering::SeqCst);
        self.copies.remove(key);
    }

    /// How many keys it holds.
    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        self.copies.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(names: &[&str]) -> Vec<String> {
        names.iter().map(|name| (*name).to_owned()).collect()
    }

    fn trusted_cache() -> NearCache {
        let cache = NearCache::new(100, Duration::from_secs(5));
        cache.subscribed();
        cache
    }

    #[test]
    fn an_untrusted_cache_neither_answers_nor_stores() {
        let cache = NearCache::new(100, Duration::from_secs(5));
        let keys = keys(&["a"]);
        let ticket = cache.ticket(&keys);
        cache.store(&keys, &[None], &ticket);
        assert_eq!(cache.len(), 0);
        assert!(cache.lookup(&keys).is_none());
    }

    #[test]
    fn a_stored_answer_is_returned_until_its_key_is_pushed() {
        let cache = trusted_cache();
        let keys = keys(&["a", "b"]);
        let ticket = cache.ticket(&keys);
        cache.store(&keys, &[None, Some("1".into())], &ticket);
        let values = cache.lookup(&keys).expect("both copied");
        assert_eq!(values[0], None);
        assert_eq!(values[1].as_deref(), Some("1"));
        cache.invalidate("a");
        assert!(cache.lookup(&keys).is_none());
    }

    #[test]
    fn a_read_overtaken_by_a_push_stores_nothing() {
        let cache = trusted_cache();
        let keys = keys(&["a"]);
        let ticket = cache.ticket(&keys);
        cache.invalidate("a"); // The push arrives while the read is in flight.
        cache.store(&keys, &[None], &ticket);
        assert!(cache.lookup(&keys).is_none());
    }

    #[test]
    fn a_resubscription_empties_the_cache_and_voids_reads_in_flight() {
        let cache = trusted_cache();
        let keys = keys(&["a"]);
        let ticket = cache.ticket(&keys);
        cache.store(&keys, &[None], &ticket);
        let in_flight = cache.ticket(&keys);
        cache.unsubscribed();
        assert!(cache.lookup(&keys).is_none());
        cache.subscribed();
        assert!(cache.lookup(&keys).is_none());
        cache.store(&keys, &[None], &in_flight);
        assert!(cache.lookup(&keys).is_none());
    }

    #[test]
    fn silence_past_the_bound_stops_answers() {
        let cache = NearCache::new(100, Duration::from_millis(20));
        cache.subscribed();
        let keys = keys(&["a"]);
        let ticket = cache.ticket(&keys);
        cache.store(&keys, &[None], &ticket);
        assert!(cache.lookup(&keys).is_some());
        std::thread::sleep(Duration::from_millis(40));
        assert!(cache.lookup(&keys).is_none());
        cache.heard();
        assert!(cache.lookup(&keys).is_some());
    }
}
