//! [`MemoryBlocklist`]: the default store, in the process's memory.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

use super::memory_entries::{later, now, put, Entries, Kind, Room, Succession};
use super::memory_sessions::Identities;
use super::{
    identity_text, keep_until, logged_out_by, owner, replaced_in_chain, revocation, Blocklist,
    Exchange, Revocation, Rotation, RotationOutcome, Session, StoreError,
};
use crate::token::claims::DecodedToken;

use crate::config::DEFAULT_MAX_ENTRIES_PER_IDENTITY;

/// The embedded store: revocations in memory, each dropped once nothing it refuses can be
/// used any more.
///
/// It holds four kinds of entries, each in its own namespace: revoked tokens (by `jti`),
/// revoked logins (by `fam`), the rotation state of a login's refresh tokens, and the state of
/// an exchange chain. A login costs a bounded number of entries however often it refreshes or
/// exchanges; each entry takes about 260 bytes.
///
/// Bounded: at most `max_entries` live entries in all, and at most `max_per_identity` for one
/// identity. A revocation that would pass either bound fails ([`StoreError::Full`]: 503;
/// [`StoreError::QuotaExceeded`]: 429) rather than evicting anything: an evicted revocation
/// would bring a revoked token back. Existing revocations keep being enforced when the store is
/// full; what stops is logging out, and rotating or exchanging, which need a new entry.
/// Revocations are per process and lost on restart: use `RedisBlocklist` for several instances.
///
/// # Example
///
/// ```
/// use jwt_ext::{Blocklist, Config, JwtManager, MemoryBlocklist};
///
/// # rocket::async_test(async {
/// let jwt = JwtManager::new(Config::default().secret_key("an-example-secret-of-at-least-32-bytes")).unwrap();
/// let token = jwt.decode_token(&jwt.create_access_token("alice").unwrap()).unwrap();
/// let store = MemoryBlocklist::new(1000);
/// assert!(!store.is_revoked(&token).await.unwrap());
/// store.revoke(&token).await.unwrap();
/// assert!(store.is_revoked(&token).await.unwrap());
/// # });
/// ```
#[derive(Debug)]
pub struct MemoryBlocklist {
    max_entries: usize,
    max_per_identity: usize,
    entries: RwLock<Entries>,
    /// Sessions and log-outs everywhere, at most `max_entries` of them.
    identities: RwLock<Identities>,
    /// Whether any identity ever logged out everywhere: until one does, the check does not
    /// take the identities' lock.
    any_logged_out: AtomicBool,
}

impl MemoryBlocklist {
    /// A store holding at most `max_entries` live entries, and at most
    /// [`DEFAULT_MAX_ENTRIES_PER_IDENTITY`] (or `max_entries`, if smaller) for one identity.
    #[must_use]
    pub fn new(max_entries: usize) -> Self {
        Self {
            max_entries,
            max_per_identity: DEFAULT_MAX_ENTRIES_PER_IDENTITY.min(max_entries),
            entries: RwLock::new(Entries::default()),
            identities: RwLock::new(Identities::default()),
            any_logged_out: AtomicBool::new(false),
        }
    }

    /// The same store with at most `max_per_identity` live entries for one identity.
    #[must_use]
    pub fn with_identity_quota(mut self, max_per_identity: usize) -> Self {
        self.max_per_identity = max_per_identity;
        self
    }

    /// Live entries (revoked tokens, revoked logins, rotation and exchange states).
    ///
    /// # Panics
    ///
    /// Never in practice: only if a thread panicked while holding the store's lock.
    #[must_use]
    pub fn len(&self) -> usize {
        let mut entries = self.lock();
        entries.purge(now());
        entries.len()
    }

    /// Whether no live entry is held.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Live entries held for `identity` (a string identity as is, any other as JSON).
    #[must_use]
    pub fn len_for(&self, identity: &str) -> usize {
        let mut entries = self.lock();
        entries.purge(now());
        entries.owners.get(identity).copied().unwrap_or(0)
    }

    // A poisoned lock only means another request panicked mid-update; every update below
    // checks first and then writes, so the maps are consistent enough to answer.

    /// The entries for reading: every request's check, concurrently with the others.
    fn read(&self) -> RwLockReadGuard<'_, Entries> {
        self.entries.read().unwrap_or_else(PoisonError::into_inner)
    }

    /// The entries for an update (a revocation, a rotation, an exchange).
    fn lock(&self) -> RwLockWriteGuard<'_, Entries> {
        self.entries.write().unwrap_or_else(PoisonError::into_inner)
    }

    fn identities(&self) -> RwLockWriteGuard<'_, Identities> {
        self.identities
            .write()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Whether `token`'s identity logged out everywhere after its login was made.
    fn logged_out(&self, token: &DecodedToken) -> bool {
        if !self.any_logged_out.load(Ordering::SeqCst) {
            return false;
        }
        let identities = self
            .identities
            .read()
            .unwrap_or_else(PoisonError::into_inner);
        identities
            .logged_out_before(&identity_text(token.identity()), now())
            .is_some_and(|before| logged_out_by(token, before))
    }

    /// Revokes every token of the login `family`, owned by `owner`, until `until`.
    fn revoke_login(
        &self,
        family: &str,
        owner: &str,
        until: Option<i64>,
    ) -> Result<(), StoreError> {
        let now = now();
        if until.is_some_and(|until| until < now) {
            return Ok(());
        }
        let mut entries = self.lock();
        let (new, until) = match entries.families.get(family) {
            Some(slot) => (0, later(slot.until, until)),
            None => (1, until),
        };
        self.make_room(&mut entries, &Room { owner, new }, now)?;
        put(&mut entries, Kind::Family, family, (), until, owner, |e| {
            &mut e.families
        });
        Ok(())
    }

    /// Checks that `room` fits, after purging what expired.
    fn make_room(
        &self,
        entries: &mut Entries,
        room: &Room<'_>,
        now: i64,
    ) -> Result<(), StoreError> {
        entries.purge(now);
        if room.new == 0 {
            return Ok(());
        }
        if entries.len() + room.new > self.max_entries {
            return Err(StoreError::Full);
        }
        let held = entries.owners.get(room.owner).copied().unwrap_or(0);
        if held + room.new > self.max_per_identity {
            return Err(StoreError::QuotaExceeded);
        }
        Ok(())
    }
}

#[rocket::async_trait]
impl Blocklist for MemoryBlocklist {
    async fn is_revoked(&self, token: &DecodedToken) -> Result<bool, StoreError> {
        if self.logged_out(token) {
            return Ok(true);
        }
        let entries = self.read();
        let jti = token.jti();
        // The clock is read only when an entry depends on it.
        if let Some(from) = jti
            .and_then(|jti| entries.tokens.get(jti))
            .map(|slot| slot.value)
        {
            if from <= now() {
                return Ok(true);
            }
        }
        if token
            .family()
            .is_some_and(|family| entries.families.contains_key(family))
        {
            return Ok(true);
        }
        if let Some(state) = token.chain().and_then(|chain| entries.chains.get(chain)) {
            let state = &state.value;
            let (current, previous) = (&state.current, &state.previous);
            return Ok(replaced_in_chain(
                jti,
                current,
                previous,
                state.previous_until,
                now(),
            ));
        }
        Ok(false)
    }

    async fn revoke(&self, token: &DecodedToken) -> Result<(), StoreError> {
        self.revoke_until(token, None).await
    }

    async fn revoke_until(
        &self,
        token: &DecodedToken,
        until: Option<i64>,
    ) -> Result<(), StoreError> {
        let Some(Revocation { jti, until, now }) = revocation(token, until)? else {
            return Ok(()); // Already unusable: nothing to remember.
        };
        let owner = owner(token);
        let mut entries = self.lock();
        // An entry already there (an exchanged token in its grace) now applies at once, and
        // lives as long as either revocation needs.
        let (new, until) = match entries.tokens.get(jti) {
            Some(slot) => (0, later(slot.until, until)),
            None => (1, until),
        };
        self.make_room(&mut entries, &Room { owner: &owner, new }, now)?;
        put(&mut entries, Kind::Token, jti, now, until, &owner, |e| {
            &mut e.tokens
        });
        Ok(())
    }

    async fn revoke_once(
        &self,
        token: &DecodedToken,
        until: Option<i64>,
    ) -> Result<bool, StoreError> {
        let Some(Revocation { jti, until, now }) = revocation(token, until)? else {
            return Ok(true);
        };
        let owner = owner(token);
        let mut entries = self.lock();
        if entries.contains(Kind::Token, jti) {
            return Ok(false);
        }
        self.make_room(
            &mut entries,
            &Room {
                owner: &owner,
                new: 1,
            },
            now,
        )?;
        put(&mut entries, Kind::Token, jti, now, until, &owner, |e| {
            &mut e.tokens
        });
        Ok(true)
    }

    async fn revoke_family(
        &self,
        token: &DecodedToken,
        until: Option<i64>,
    ) -> Result<(), StoreError> {
        let Some(family) = token.family() else {
            return self.revoke_until(token, until).await;
        };
        self.revoke_login(family, &owner(token), until)
    }

    async fn rotate(&self, rotation: &Rotation<'_>) -> Result<RotationOutcome, StoreError> {
        let owner = owner(rotation.token);
        let mut entries = self.lock();
        if entries.families.contains_key(rotation.family) {
            return Ok(RotationOutcome::Reused);
        }
        let outcome = match entries
            .rotations
            .get(rotation.family)
            .map(|slot| &slot.value)
        {
            // Unknown family (its first rotation) or the current token: rotate.
            None => RotationOutcome::Rotated,
            Some(state) if *state.current == *rotation.presented => RotationOutcome::Rotated,
            Some(state)
                if *state.previous == *rotation.presented
                    && rotation.now < state.previous_until =>
            {
                return Ok(RotationOutcome::Replayed {
                    successor: state.current.to_string(),
                });
            }
            Some(_) => RotationOutcome::Reused,
        };
        let new = usize::from(!entries.rotations.contains_key(rotation.family));
        if outcome == RotationOutcome::Reused {
            // The state gives way to the revoked marker: the count does not grow.
            entries.purge(rotation.now);
            if let Some(slot) = entries.rotations.remove(rotation.family) {
                if let Some(until) = slot.until {
                    entries
                        .expiry
                        .remove(&(until, Kind::Rotation, rotation.family.into()));
                }
                entries.release(&slot.owner);
            }
            put(
                &mut entries,
                Kind::Family,
                rotation.family,
                (),
                rotation.revoked_until,
                &owner,
                |e| &mut e.families,
            );
        } else {
            self.make_room(&mut entries, &Room { owner: &owner, new }, rotation.now)?;
            let state = Succession {
                current: rotation.next.into(),
                previous: rotation.presented.into(),
                previous_until: rotation.now.saturating_add(rotation.grace),
            };
            put(
                &mut entries,
                Kind::Rotation,
                rotation.family,
                state,
                rotation.keep_until,
                &owner,
                |e| &mut e.rotations,
            );
        }
        Ok(outcome)
    }

    async fn exchange(&self, exchange: &Exchange<'_>) -> Result<bool, StoreError> {
        let token = exchange.token;
        let owner = owner(token);
        let now = exchange.now;
        let mut entries = self.lock();
        if token
            .family()
            .is_some_and(|family| entries.families.contains_key(family))
        {
            return Ok(false);
        }
        if entries
            .tokens
            .get(exchange.presented)
            .is_some_and(|slot| slot.value <= now)
        {
            return Ok(false);
        }
        let (chain_exists, first_in_grace) = match entries.chains.get(exchange.chain) {
            // Only the chain's current token may be exchanged; the first token of a chain has
            // no state yet (its chain id is its own `jti`).
            Some(slot) if *slot.value.current != *exchange.presented => return Ok(false),
            Some(slot) => (true, *slot.value.previous == *exchange.chain),
            None => (false, false),
        };
        // The grace covers the token just exchanged only: the chain's first token loses what
        // is left of its grace when its successor is exchanged in turn.
        if first_in_grace {
            if let Some(slot) = entries.tokens.get_mut(exchange.chain) {
                slot.value = slot.value.min(now);
            }
        }
        // The chain's first token is not a successor: its revocation is an entry of its own,
        // which starts when the grace ends.
        let first = token.chain().is_none();
        let new = usize::from(!chain_exists) + usize::from(first);
        self.make_room(&mut entries, &Room { owner: &owner, new }, now)?;
        let grace_end = now.saturating_add(exchange.grace);
        let state = Succession {
            current: exchange.next.into(),
            previous: exchange.presented.into(),
            previous_until: grace_end,
        };
        put(
            &mut entries,
            Kind::Chain,
            exchange.chain,
            state,
            exchange.chain_until,
            &owner,
            |e| &mut e.chains,
        );
        if first {
            let until = keep_until(token, exchange.presented_until);
            put(
                &mut entries,
                Kind::Token,
                exchange.presented,
                grace_end,
                until,
                &owner,
                |e| &mut e.tokens,
            );
        }
        Ok(true)
    }

    async fn record_session(
        &self,
        identity: &str,
        session: &Session,
        max_per_identity: usize,
        until: Option<i64>,
    ) -> Result<Vec<String>, StoreError> {
        let dropped = self.identities().record(
            identity,
            session,
            max_per_identity,
            self.max_entries,
            now(),
        )?;
        for id in &dropped {
            self.revoke_login(id, identity, until)?;
        }
        Ok(dropped)
    }

    async fn sessions(&self, identity: &str) -> Result<Vec<Session>, StoreError> {
        Ok(self.identities().list(identity, now()))
    }

    async fn touch_session(&self, identity: &str, id: &str, at: i64) -> Result<(), StoreError> {
        self.identities().touch(identity, id, at);
        Ok(())
    }

    async fn end_session(
        &self,
        identity: &str,
        id: &str,
        until: Option<i64>,
    ) -> Result<bool, StoreError> {
        let Some(session) = self.identities().remove(identity, id, now()) else {
            return Ok(false);
        };
        self.revoke_login(&session.id, identity, until)?;
        Ok(true)
    }

    async fn logout_everywhere(
        &self,
        identity: &str,
        before: i64,
        until: Option<i64>,
    ) -> Result<(), StoreError> {
        // Before the entry, so that a check that could see the entry sees the flag.
        self.any_logged_out.store(true, Ordering::SeqCst);
        self.identities()
            .log_out(identity, before, until, self.max_entries, now())
    }
}
