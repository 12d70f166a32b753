//! A bounded cache of verified tokens, so a token the server has already verified costs a
//! hash lookup instead of a signature check and a JSON parse.
//!
//! Envoy's JWT filter does the same: entries are keyed by the exact token bytes (the bytes
//! whose signature was verified), only successes are cached, and `exp`/`nbf` are checked
//! again on every hit; revocation, type, freshness and the application's loaders run on every
//! request as before. Bounded by entry count (`jwt_token_cache_size`, default
//! [`DEFAULT_CACHE_SIZE`]; 0 turns it off) and by token size (tokens over
//! [`MAX_CACHED_TOKEN_LENGTH`] bytes are never cached), evicting with S3-FIFO
//! (`quick_cache`).
//!
//! In front of the shared cache, each thread keeps its [`FRONT_SLOTS`] most recent hits.
//! The shared cache's lock and its entries' reference counts are memory that every core
//! writes: two worker threads looking up the same token take those cache lines from each
//! other on every request. A hit in the thread's own slots reads only memory no other thread
//! writes. The slots hold the shared entries themselves (no copy), are checked against the
//! cache's generation (bumped when the verification keys change) and are bounded per thread.

use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use quick_cache::sync::Cache;
use serde_json::Value;

use crate::telemetry::record;
use crate::token::claims::DecodedToken;

#[cfg(doc)]
use crate::config::DEFAULT_CACHE_SIZE;

/// Tokens longer than this are verified every time, never cached (bytes).
pub const MAX_CACHED_TOKEN_LENGTH: usize = 2048;

/// Recent hits each thread keeps in front of the shared cache.
const FRONT_SLOTS: usize = 8;

/// A verified token, its exact bytes, and the time bounds to check again on each use.
struct Entry {
    encoded: Box<str>,
    token: Arc<DecodedToken>,
    exp: Option<f64>,
    nbf: Option<f64>,
}

impl Entry {
    /// The token, if `now` is within its `nbf`/`exp` (with `leeway`).
    fn live(&self, now: f64, leeway: f64) -> Option<Arc<DecodedToken>> {
        let live = self.exp.is_none_or(|exp| exp > now - leeway)
            && self.nbf.is_none_or(|nbf| nbf <= now + leeway);
        live.then(|| Arc::clone(&self.token))
    }
}

pub(crate) struct TokenCache {
    entries: Option<Cache<Box<str>, Arc<Entry>>>,
    leeway: f64,
    /// Tells this cache's entries apart in the threads' slots, which every cache shares.
    id: u64,
    /// Bumped by [`clear`](Self::clear): slots filled under an older generation are stale.
    generation: AtomicU64,
}

/// Numbers the caches of the process.
static NEXT_CACHE_ID: AtomicU64 = AtomicU64::new(0);

impl TokenCache {
    pub(crate) fn new(size: usize, leeway: u64) -> Self {
        #[allow(clippy::cast_precision_loss)]
        let leeway = leeway as f64;
        Self {
            entries: (size > 0).then(|| Cache::new(size)),
            leeway,
            id: NEXT_CACHE_ID.fetch_add(1, Ordering::Relaxed),
            generation: AtomicU64::new(0),
        }
    }

    /// The token, if it was verified before and is still within its `nbf`/`exp`.
    pub(crate) fn get(&self, encoded: &str, now: f64) -> Option<Arc<DecodedToken>> {
        let entries = self.entries.as_ref()?;
        let token = self.lookup(entries, encoded, now);
        record::token_cache_lookup(token.is_some());
        token
    }

    fn lookup(
        &self,
        entries: &Cache<Box<str>, Arc<Entry>>,
        encoded: &str,
        now: f64,
    ) -> Option<Arc<DecodedToken>> {
        // Read before the shared cache: a slot filled from an entry that `clear` removed
        // then carries the older generation.
        let generation = self.generation.load(Ordering::Acquire);
        let key = SlotKey {
            cache: self.id,
            generation,
        };
        // A hit in this thread's slots takes no reference count of the shared entry. When the
        // slots are out of reach (a thread-local destructor verifying a token), the shared
        // cache answers alone.
        let in_front = FRONT.try_with(|front| {
            front
                .borrow()
                .find(key, encoded)
                .map(|entry| entry.live(now, self.leeway))
        });
        if let Ok(Some(token)) = in_front {
            return token;
        }
        let entry = entries.get(encoded)?;
        let token = entry.live(now, self.leeway);
        let _ = FRONT.try_with(|front| front.borrow_mut().put(key, entry));
        token
    }

    /// Remembers a token that passed verification.
    pub(crate) fn insert(&self, encoded: &str, token: &Arc<DecodedToken>) {
        let Some(entries) = &self.entries else {
            return;
        };
        if encoded.len() > MAX_CACHED_TOKEN_LENGTH {
            return;
        }
        let time = |claim: &str| token.claims().get(claim).and_then(Value::as_f64);
        let entry = Entry {
            encoded: encoded.into(),
            token: Arc::clone(token),
            exp: time("exp"),
            nbf: time("nbf"),
        };
        entries.insert(encoded.into(), Arc::new(entry));
        record::token_cache_size(|| entries.len());
    }

    /// Forgets every verified token: the verification keys changed.
    #[cfg_attr(not(feature = "remote-jwks"), allow(dead_code))]
    pub(crate) fn clear(&self) {
        if let Some(entries) = &self.entries {
            entries.clear();
        }
        // After the shared entries are gone: a thread that reads the new generation finds
        // none of them, and every slot filled before holds an older one.
        self.generation.fetch_add(1, Ordering::Release);
    }
}

/// Which cache, at which generation, filled a slot.
#[derive(Clone, Copy, PartialEq, Eq)]
struct SlotKey {
    cache: u64,
    generation: u64,
}

/// A thread's recent hits, replaced round-robin.
struct Front {
    slots: [Option<(SlotKey, Arc<Entry>)>; FRONT_SLOTS],
    next: usize,
}

impl Front {
    fn find(&self, key: SlotKey, encoded: &str) -> Option<&Entry> {
        self.slots.iter().flatten().find_map(|(filled, entry)| {
            (*filled == key && *entry.encoded == *encoded).then_some(&**entry)
        })
    }

    fn put(&mut self, key: SlotKey, entry: Arc<Entry>) {
        self.slots[self.next] = Some((key, entry));
        self.next = (self.next + 1) % FRONT_SLOTS;
    }
}

thread_local! {
    static FRONT: RefCell<Front> = const {
        RefCell::new(Front {
            slots: [const { None }; FRONT_SLOTS],
            next: 0,
        })
    };
}
