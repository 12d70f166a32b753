//! The bounded maps behind [`MemoryBlocklist`](super::MemoryBlocklist): one namespace per kind
//! of entry, an expiry index, and per-identity counts.

use std::collections::{BTreeSet, HashMap};

use rocket::time::OffsetDateTime;

/// The maps' hasher: seeded per process, and much cheaper than the standard SipHash on the
/// 36-byte `jti` every protected request looks up. Keys come from verified tokens only.
pub(super) type Hasher = foldhash::quality::RandomState;

/// One namespace of entries, keyed by `jti`, family or chain id.
pub(super) type Space<T> = HashMap<Box<str>, Slot<T>, Hasher>;

/// An entry: what it holds, until when (`None`: for good) and whose it is.
#[derive(Debug)]
pub(super) struct Slot<T> {
    pub(super) value: T,
    pub(super) until: Option<i64>,
    pub(super) owner: Box<str>,
}

/// Which namespace an expiry belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Kind {
    Token,
    Family,
    Rotation,
    Chain,
}

/// Which token of a login or chain is current, and which one was just replaced.
#[derive(Debug, Clone)]
pub(super) struct Succession {
    pub(super) current: Box<str>,
    pub(super) previous: Box<str>,
    /// Until when (UNIX seconds, exclusive) the previous one is still accepted.
    pub(super) previous_until: i64,
}

#[derive(Debug, Default)]
pub(super) struct Entries {
    /// Revoked tokens: from when (UNIX seconds) the revocation applies.
    pub(super) tokens: Space<i64>,
    /// Revoked logins.
    pub(super) families: Space<()>,
    /// Rotation state of each login's refresh tokens.
    pub(super) rotations: Space<Succession>,
    /// State of each exchange chain.
    pub(super) chains: Space<Succession>,
    /// `(until, kind, key)` of the entries that expire, oldest first, for purging.
    pub(super) expiry: BTreeSet<(i64, Kind, Box<str>)>,
    /// Live entries per identity.
    pub(super) owners: HashMap<Box<str>, usize, Hasher>,
}

impl Entries {
    pub(super) fn len(&self) -> usize {
        self.tokens.len() + self.families.len() + self.rotations.len() + self.chains.len()
    }

    /// Drops every entry whose `until` is before `now`.
    pub(super) fn purge(&mut self, now: i64) {
        while let Some((until, kind, key)) = self.expiry.first().cloned() {
            if until >= now {
                break;
            }
            self.expiry.pop_first();
            let owner = match kind {
                Kind::Token => self.tokens.remove(&key).map(|slot| slot.owner),
                Kind::Family => self.families.remove(&key).map(|slot| slot.owner),
                Kind::Rotation => self.rotations.remove(&key).map(|slot| slot.owner),
                Kind::Chain => self.chains.remove(&key).map(|slot| slot.owner),
            };
            if let Some(owner) = owner {
                self.release(&owner);
            }
        }
    }

    pub(super) fn release(&mut self, owner: &str) {
        if let Some(count) = self.owners.get_mut(owner) {
            *count -= 1;
            if *count == 0 {
                self.owners.remove(owner);
            }
        }
    }

    /// Whether `key` of `kind` holds an entry.
    pub(super) fn contains(&self, kind: Kind, key: &str) -> bool {
        match kind {
            Kind::Token => self.tokens.contains_key(key),
            Kind::Family => self.families.contains_key(key),
            Kind::Rotation => self.rotations.contains_key(key),
            Kind::Chain => self.chains.contains_key(key),
        }
    }
}

/// Room for new entries: how many the operation adds, and for whom.
pub(super) struct Room<'a> {
    pub(super) owner: &'a str,
    pub(super) new: usize,
}

/// Now, UNIX seconds.
pub(super) fn now() -> i64 {
    OffsetDateTime::now_utc().unix_timestamp()
}

/// Puts `value` under `key` of `kind`, replacing what was there (and its expiry).
pub(super) fn put<T>(
    entries: &mut Entries,
    kind: Kind,
    key: &str,
    value: T,
    until: Option<i64>,
    owner: &str,
    space: fn(&mut Entries) -> &mut Space<T>,
) {
    let slot = Slot {
        value,
        until,
        owner: owner.into(),
    };
    if let Some(old) = space(entries).insert(key.into(), slot) {
        if let Some(old_until) = old.until {
            entries.expiry.remove(&(old_until, kind, key.into()));
        }
        entries.release(&old.owner);
    }
    if let Some(until) = until {
        entries.expiry.insert((until, kind, key.into()));
    }
    *entries.owners.entry(owner.into()).or_insert(0) += 1;
}

/// The later of two "until" instants, `None` meaning for good.
pub(super) fn later(a: Option<i64>, b: Option<i64>) -> Option<i64> {
    a.zip(b).map(|(a, b)| a.max(b))
}
