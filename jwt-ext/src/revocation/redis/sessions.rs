//! Sessions and log-outs everywhere on Redis: each identity's logins in one hash, its last
//! log-out everywhere in one key read by every revocation check, both under the identity's
//! hash tag (`<prefix>user:{<identity>}:…`).

use super::scripts::{LOGOUT_EVERYWHERE, SESSION_RECORD, SESSION_TOUCH};
use super::store::{now, ttl_until, RedisBlocklist};
use crate::revocation::{Session, StoreError};

impl RedisBlocklist {
    /// The hash of `identity`'s logins: one field per login id, its [`Session`] as JSON.
    #[must_use]
    pub fn sessions_key(&self, identity: &str) -> String {
        format!("{}user:{{{identity}}}:sessions", self.prefix)
    }

    /// The key holding the instant (microseconds since the UNIX epoch) `identity` last logged
    /// out everywhere: every token of a login made until then is refused.
    #[must_use]
    pub fn logged_out_key(&self, identity: &str) -> String {
        format!("{}user:{{{identity}}}:logged-out", self.prefix)
    }

    pub(super) async fn record(
        &self,
        identity: &str,
        session: &Session,
        most: usize,
        until: Option<i64>,
    ) -> Result<Vec<String>, StoreError> {
        let now = now();
        let json = serde_json::to_string(session)
            .map_err(|error| StoreError::Unavailable(error.to_string()))?;
        let mut command = redis::cmd("EVAL");
        command
            .arg(SESSION_RECORD)
            .arg(1)
            .arg(self.sessions_key(identity))
            .arg(&session.id)
            .arg(json)
            .arg(most.max(1))
            .arg(now)
            .arg(ttl_until(session.expires_at, now).unwrap_or(0));
        let dropped: Vec<String> = self.write(&command, None).await?;
        for id in &dropped {
            self.revoke_login(id, until).await?;
        }
        Ok(dropped)
    }

    /// Every token of the login `id` refused until `until`: its `family-revoked` key.
    async fn revoke_login(&self, id: &str, until: Option<i64>) -> Result<(), StoreError> {
        let now = now();
        if until.is_some_and(|until| until < now) {
            return Ok(());
        }
        let key = self.family_revoked_key(id);
        self.revoke_key((&key, id), 1, ttl_until(until, now), false)
            .await
            .map(|_| ())
    }

    pub(super) async fn list(&self, identity: &str) -> Result<Vec<Session>, StoreError> {
        let mut command = redis::cmd("HVALS");
        command.arg(self.sessions_key(identity));
        let values: Vec<String> = self.link.connection().await?.query(&command).await?;
        let now = now();
        let mut sessions: Vec<Session> = values
            .iter()
            .filter_map(|value| serde_json::from_str::<Session>(value).ok())
            .filter(|session| !session.ended(now))
            .collect();
        sessions.sort_by_key(|session| session.created_at);
        Ok(sessions)
    }

    pub(super) async fn touch(&self, identity: &str, id: &str, at: i64) -> Result<(), StoreError> {
        let mut command = redis::cmd("EVAL");
        command
            .arg(SESSION_TOUCH)
            .arg(1)
            .arg(self.sessions_key(identity))
            .arg(id)
            .arg(at);
        let _: i64 = self.link.connection().await?.query(&command).await?;
        Ok(())
    }

    pub(super) async fn end(
        &self,
        identity: &str,
        id: &str,
        until: Option<i64>,
    ) -> Result<bool, StoreError> {
        let key = self.sessions_key(identity);
        let mut exists = redis::cmd("HEXISTS");
        exists.arg(&key).arg(id);
        let connection = self.link.connection().await?;
        let known: i64 = connection.query(&exists).await?;
        if known == 0 {
            return Ok(false);
        }
        // Revoked first: a failure in between leaves it listed and refused, never unlisted
        // and accepted.
        self.revoke_login(id, until).await?;
        let mut forget = redis::cmd("HDEL");
        forget.arg(&key).arg(id);
        let _: i64 = connection.query(&forget).await?;
        Ok(true)
    }

    pub(super) async fn log_out_everywhere(
        &self,
        identity: &str,
        before: i64,
        until: Option<i64>,
    ) -> Result<(), StoreError> {
        let key = self.logged_out_key(identity);
        let mut command = redis::cmd("EVAL");
        command
            .arg(LOGOUT_EVERYWHERE)
            .arg(2)
            .arg(&key)
            .arg(self.sessions_key(identity))
            .arg(before)
            .arg(ttl_until(until, now()).unwrap_or(0))
            .arg(&self.channel)
            .arg(identity);
        let _: i64 = self.write(&command, Some(identity)).await?;
        Ok(())
    }
}
