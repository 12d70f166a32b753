//! The in-memory store's sessions and log-outs everywhere, kept per identity beside its
//! revocation entries.

use std::collections::HashMap;

use super::error::StoreError;
use super::session::Session;

/// Every identity's logins and last log-out everywhere.
#[derive(Debug, Default)]
pub(super) struct Identities {
    by_identity: HashMap<String, Identity>,
    /// Sessions and log-outs held in all: bounded like the store's entries.
    held: usize,
}

#[derive(Debug, Default)]
struct Identity {
    /// Every token of a login made until this instant (microseconds) is refused, until the
    /// second after it (`None`: for good).
    logged_out: Option<(i64, Option<i64>)>,
    sessions: Vec<Session>,
}

impl Identity {
    fn held(&self) -> usize {
        self.sessions.len() + usize::from(self.logged_out.is_some())
    }
}

impl Identities {
    /// Drops what has ended for `identity`, and the identity itself when nothing is left.
    fn purge(&mut self, identity: &str, now: i64) {
        let Some(entry) = self.by_identity.get_mut(identity) else {
            return;
        };
        let before = entry.held();
        entry.sessions.retain(|session| !session.ended(now));
        if entry
            .logged_out
            .is_some_and(|(_, until)| until.is_some_and(|until| until < now))
        {
            entry.logged_out = None;
        }
        self.held -= before - entry.held();
        if entry.held() == 0 {
            self.by_identity.remove(identity);
        }
    }

    /// Drops what has ended for every identity: when the store is full.
    fn purge_all(&mut self, now: i64) {
        let identities: Vec<String> = self.by_identity.keys().cloned().collect();
        for identity in identities {
            self.purge(&identity, now);
        }
    }

    /// Room for `new` more, out of `max`.
    fn make_room(&mut self, new: usize, max: usize, now: i64) -> Result<(), StoreError> {
        if self.held + new > max {
            self.purge_all(now);
        }
        if self.held + new > max {
            return Err(StoreError::Full);
        }
        Ok(())
    }

    /// Records `session`; past `per_identity` logins, the oldest are dropped and their ids
    /// returned.
    pub(super) fn record(
        &mut self,
        identity: &str,
        session: &Session,
        per_identity: usize,
        max: usize,
        now: i64,
    ) -> Result<Vec<String>, StoreError> {
        self.purge(identity, now);
        self.make_room(1, max, now)?;
        let entry = self.by_identity.entry(identity.to_owned()).or_default();
        entry.sessions.push(session.clone());
        self.held += 1;
        let excess = entry.sessions.len().saturating_sub(per_identity.max(1));
        entry.sessions.sort_by_key(|session| session.created_at);
        let dropped: Vec<String> = entry
            .sessions
            .drain(..excess)
            .map(|session| session.id)
            .collect();
        self.held -= dropped.len();
        Ok(dropped)
    }

    /// The logins of `identity` that have not ended, oldest first.
    pub(super) fn list(&mut self, identity: &str, now: i64) -> Vec<Session> {
        self.purge(identity, now);
        self.by_identity
            .get(identity)
            .map(|entry| entry.sessions.clone())
            .unwrap_or_default()
    }

    /// Notes a refresh of the login `id`.
    pub(super) fn touch(&mut self, identity: &str, id: &str, at: i64) {
        if let Some(session) = self
            .by_identity
            .get_mut(identity)
            .and_then(|entry| entry.sessions.iter_mut().find(|session| session.id == id))
        {
            session.last_refreshed_at = Some(at);
        }
    }

    /// Takes the login `id` of `identity` off the list; `None` when it has no such login.
    pub(super) fn remove(&mut self, identity: &str, id: &str, now: i64) -> Option<Session> {
        self.purge(identity, now);
        let entry = self.by_identity.get_mut(identity)?;
        let index = entry.sessions.iter().position(|session| session.id == id)?;
        let session = entry.sessions.remove(index);
        self.held -= 1;
        if entry.held() == 0 {
            self.by_identity.remove(identity);
        }
        Some(session)
    }

    /// Logs `identity` out everywhere: logins made until `before` (microseconds) are refused
    /// until `until`, and leave the list.
    pub(super) fn log_out(
        &mut self,
        identity: &str,
        before: i64,
        until: Option<i64>,
        max: usize,
        now: i64,
    ) -> Result<(), StoreError> {
        self.purge(identity, now);
        let new = usize::from(
            self.by_identity
                .get(identity)
                .is_none_or(|entry| entry.logged_out.is_none()),
        );
        self.make_room(new, max, now)?;
        let entry = self.by_identity.entry(identity.to_owned()).or_default();
        self.held -= entry.sessions.len();
        entry.sessions.clear();
        // A later log-out keeps the later instant, and lasts as long as either needs (`None`,
        // for good, outlasts any instant).
        let logged_out = if let Some((earlier, earlier_until)) = entry.logged_out {
            (
                earlier.max(before),
                earlier_until.zip(until).map(|(a, b)| a.max(b)),
            )
        } else {
            self.held += 1;
            (before, until)
        };
        entry.logged_out = Some(logged_out);
        Ok(())
    }

    /// The instant (microseconds) before which `identity`'s logins are refused, if it logged
    /// out everywhere and that still matters at `now`.
    pub(super) fn logged_out_before(&self, identity: &str, now: i64) -> Option<i64> {
        let (before, until) = self.by_identity.get(identity)?.logged_out?;
        until.is_none_or(|until| until >= now).then_some(before)
    }
}
