//! The near-cache: each instance's copy of what the revocation check read from Redis, so that
//! the check of a token seen before costs a hash lookup instead of a round trip.
//!
//! # Why pub/sub
//!
//! Every write jwt-ext makes to a key the check reads (a logout, a revoked login, reuse
//! detection, an exchange, a session ended, a log-out everywhere) is a Lua script that also
//! `PUBLISH`es, on `<prefix>revocations` and in the same atomic step, the login or identity
//! whose key it wrote; every instance subscribes and stops trusting what it holds for it.
//! Classic pub/sub was chosen over the alternatives:
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
//! # What is kept, and races
//!
//! One entry per token (by `jti`): the values of its keys as Redis gave them. Every key
//! carries a login's or an identity's hash tag, and a push names that tag (the login or the
//! identity whose key was written). Each tag hashes to one of at least as many counters as the
//! cache holds tokens (a power of two, 4 096 to 1 048 576: 8 bytes each), bumped by every push for
//! it; an entry records the counters of its token's login and identity when its
//! read began, and answers only while both are unchanged. So a push makes every entry of its
//! login or identity stale at once, without finding them, and a read that a push overtook
//! stores nothing that could answer. Tags that share a counter cost each other a re-read:
//! with `r` pushes a second and `n` counters, an entry is re-read about every `n / 2r` seconds
//! (every 65 s at 1 000 revocations a second with the default 100 000 entries, so 131 072
//! counters; [`MAX_AGE`] re-reads it by then anyway).

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use quick_cache::sync::Cache;

use crate::telemetry::record;

/// How long a copy is used before it is read from Redis again, whatever the pushes say.
pub(super) const MAX_AGE: Duration = Duration::from_secs(60);

/// The fewest and the most counters that tell an entry whether a push for its login or
/// identity arrived since.
const SHARDS: (usize, usize) = (1 << 12, 1 << 20);

/// What a token's check read: its keys' values, and what made them current.
pub(super) struct Entry {
    values: Box<[Option<Box<str>>]>,
    login: Box<str>,
    identity: Box<str>,
    ticket: Ticket,
    /// When the read began (milliseconds since [`NearCache::origin`]).
    read_at: u64,
}

impl Entry {
    /// The keys' values, in the order the check read them.
    pub(super) fn values(&self) -> impl DoubleEndedIterator<Item = Option<&str>> {
        self.values.iter().map(Option::as_deref)
    }
}

/// What a read saw before it asked Redis: the cache's generation and the counters of its
/// token's login and identity.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) struct Ticket {
    generation: u64,
    login: u64,
    identity: u64,
}

/// One instance's copies of revocation keys, trusted only while the push channel is heard.
pub(super) struct NearCache {
    entries: Cache<Box<str>, Arc<Entry>>,
    epochs: Box<[AtomicU64]>,
    /// Bumped when the cache is emptied: what was read before answers no more.
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
    /// A cache of at most `capacity` tokens, trusted for `max_stale` after the push channel
    /// was last heard. Untrusted until the subscription is made.
    pub(super) fn new(capacity: usize, max_stale: Duration) -> Self {
        Self {
            entries: Cache::new(capacity),
            epochs: (0..capacity.next_power_of_two().clamp(SHARDS.0, SHARDS.1))
                .map(|_| AtomicU64::new(0))
                .collect(),
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

    /// How long the push channel has been silent, at `now`.
    fn silent_for(&self, now: u64) -> u64 {
        now.saturating_sub(self.heard_at.load(Ordering::SeqCst))
    }

    /// Whether copies may answer at `now`: subscribed, and heard from within the bound.
    fn trusted_at(&self, now: u64) -> bool {
        self.subscribed.load(Ordering::SeqCst)
            && u128::from(self.silent_for(now)) <= self.max_stale.as_millis()
    }

    /// The push channel was heard from (a heartbeat or a push).
    pub(super) fn heard(&self) {
        self.heard_at.store(self.now(), Ordering::SeqCst);
    }

    /// How long the push channel has been silent.
    pub(super) fn silence(&self) -> Duration {
        Duration::from_millis(self.silent_for(self.now()))
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
        self.entries.clear();
    }

    fn epoch(&self, tag: &str) -> &AtomicU64 {
        use std::hash::BuildHasher;
        let hash = foldhash::fast::FixedState::with_seed(0).hash_one(tag);
        // A power of two of counters: the low bits pick one.
        let mask = (self.epochs.len() - 1) as u64;
        let index = usize::try_from(hash & mask).unwrap_or(0);
        &self.epochs[index]
    }

    /// What a read of the keys of a token of `login` and `identity` must see unchanged to
    /// store its answer.
    pub(super) fn ticket(&self, login: &str, identity: &str) -> Ticket {
        Ticket {
            generation: self.generation.load(Ordering::SeqCst),
            login: self.epoch(login).load(Ordering::SeqCst),
            identity: self.epoch(identity).load(Ordering::SeqCst),
        }
    }

    /// The values of the keys of the token `jti` (of `login` and `identity`), while they are
    /// current and the cache is trusted.
    pub(super) fn lookup(&self, jti: &str, login: &str, identity: &str) -> Option<Arc<Entry>> {
        let now = self.now();
        if !self.trusted_at(now) {
            record::near_cache_lookup(None);
            return None;
        }
        let found = self.current(jti, login, identity, now);
        record::near_cache_lookup(Some(found.is_some()));
        found
    }

    fn current(&self, jti: &str, login: &str, identity: &str, now: u64) -> Option<Arc<Entry>> {
        let entry = self.entries.get(jti)?;
        let oldest = now.saturating_sub(u64::try_from(MAX_AGE.as_millis()).unwrap_or(u64::MAX));
        let current = entry.read_at >= oldest
            && *entry.login == *login
            && *entry.identity == *identity
            && entry.ticket == self.ticket(login, identity);
        current.then_some(entry)
    }

    /// Keeps what Redis answered for the token `jti`, unless a push for its login or identity
    /// (or a resync) arrived since `ticket` was taken, or the cache is not trusted.
    pub(super) fn store(
        &self,
        jti: &str,
        login: &str,
        identity: &str,
        values: &[Option<String>],
        ticket: Ticket,
    ) {
        let now = self.now();
        if !self.trusted_at(now) || self.ticket(login, identity) != ticket {
            return;
        }
        let entry = Entry {
            values: values
                .iter()
                .map(|value| value.as_deref().map(Box::from))
                .collect(),
            login: login.into(),
            identity: identity.into(),
            ticket,
            read_at: now,
        };
        // A push after this point changes the counters, and the entry answers no more.
        self.entries.insert(jti.into(), Arc::new(entry));
        record::near_cache_size(|| self.entries.len());
    }

    /// A key of `tag` (a login or an identity) was just written, by a push or by this
    /// instance: every entry of it is stale.
    pub(super) fn invalidate(&self, tag: &str) {
        self.epoch(tag).fetch_add(1, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trusted_cache() -> NearCache {
        let cache = NearCache::new(100, Duration::from_secs(5));
        cache.subscribed();
        cache
    }

    fn stored(cache: &NearCache, jti: &str) {
        let ticket = cache.ticket("login", "alice");
        cache.store(jti, "login", "alice", &[None, Some("1".into())], ticket);
    }

    #[test]
    fn an_untrusted_cache_neither_answers_nor_stores() {
        let cache = NearCache::new(100, Duration::from_secs(5));
        stored(&cache, "a");
        cache.subscribed();
        assert!(cache.lookup("a", "login", "alice").is_none());
    }

    #[test]
    fn a_stored_answer_is_returned_until_its_login_or_identity_is_pushed() {
        let cache = trusted_cache();
        stored(&cache, "a");
        let entry = cache.lookup("a", "login", "alice").expect("stored");
        assert_eq!(entry.values().collect::<Vec<_>>(), [None, Some("1")]);
        cache.invalidate("login");
        assert!(cache.lookup("a", "login", "alice").is_none());
        stored(&cache, "a");
        cache.invalidate("alice");
        assert!(cache.lookup("a", "login", "alice").is_none());
        // Another token's login and identity leave it alone.
        stored(&cache, "a");
        cache.invalidate("someone-else");
        assert!(cache.lookup("a", "login", "alice").is_some());
    }

    #[test]
    fn an_entry_answers_only_for_the_token_it_was_read_for() {
        let cache = trusted_cache();
        stored(&cache, "a");
        assert!(cache.lookup("a", "other-login", "alice").is_none());
        assert!(cache.lookup("a", "login", "bob").is_none());
    }

    #[test]
    fn a_read_overtaken_by_a_push_stores_nothing() {
        let cache = trusted_cache();
        let ticket = cache.ticket("login", "alice");
        cache.invalidate("login"); // The push arrives while the read is in flight.
        cache.store("a", "login", "alice", &[None], ticket);
        assert!(cache.lookup("a", "login", "alice").is_none());
    }

    #[test]
    fn a_resubscription_empties_the_cache_and_voids_reads_in_flight() {
        let cache = trusted_cache();
        stored(&cache, "a");
        let in_flight = cache.ticket("login", "alice");
        cache.unsubscribed();
        assert!(cache.lookup("a", "login", "alice").is_none());
        cache.subscribed();
        assert!(cache.lookup("a", "login", "alice").is_none());
        cache.store("a", "login", "alice", &[None], in_flight);
        assert!(cache.lookup("a", "login", "alice").is_none());
    }

    #[test]
    fn silence_past_the_bound_stops_answers() {
        let cache = NearCache::new(100, Duration::from_millis(20));
        cache.subscribed();
        stored(&cache, "a");
        assert!(cache.lookup("a", "login", "alice").is_some());
        std::thread::sleep(Duration::from_millis(40));
        assert!(cache.lookup("a", "login", "alice").is_none());
        cache.heard();
        assert!(cache.lookup("a", "login", "alice").is_some());
    }
}
