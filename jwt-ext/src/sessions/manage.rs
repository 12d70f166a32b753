//! Listing and ending sessions, one or all, for the identity of a token or for any identity.

use rocket::time::OffsetDateTime;
use serde::Serialize;

use super::error::SessionError;
use crate::manager::JwtManager;
use crate::refresh::now_micros;
use crate::revocation::Session;
use crate::telemetry::record;
use crate::token::claims::DecodedToken;
use crate::token::encode::EncodeError;

fn identity_of(identity: impl Serialize) -> Result<String, SessionError> {
    let identity = serde_json::to_value(identity).map_err(EncodeError::Serialize)?;
    Ok(crate::revocation::identity_text(&identity).into_owned())
}

impl JwtManager {
    /// The sessions of `token`'s identity that have not ended, oldest first; the one `token`
    /// belongs to is marked [`current`](Session::current).
    ///
    /// # Errors
    ///
    /// [`SessionError::Store`] when the store cannot answer (or keeps no sessions).
    pub async fn sessions(&self, token: &DecodedToken) -> Result<Vec<Session>, SessionError> {
        let mut sessions = self
            .blocklist()
            .sessions(&crate::revocation::owner(token))
            .await?;
        for session in &mut sessions {
            session.current = token.family() == Some(session.id.as_str());
        }
        Ok(sessions)
    }

    /// The sessions of `identity` (an admin's view), oldest first.
    ///
    /// # Errors
    ///
    /// As for [`sessions`](Self::sessions).
    pub async fn sessions_of(
        &self,
        identity: impl Serialize,
    ) -> Result<Vec<Session>, SessionError> {
        Ok(self.blocklist().sessions(&identity_of(identity)?).await?)
    }

    /// Ends the session `id` of `token`'s identity: its refresh token and every access token
    /// of it are refused from now on, on every instance; the identity's other sessions are
    /// unaffected.
    ///
    /// # Errors
    ///
    /// [`SessionError::NotFound`] when the identity has no such session (another identity's
    /// included: nothing is revoked then), [`SessionError::Store`] when the store fails.
    pub async fn end_session(&self, token: &DecodedToken, id: &str) -> Result<(), SessionError> {
        self.end(&crate::revocation::owner(token), id).await
    }

    /// Ends the session `id` of `identity`, as [`end_session`](Self::end_session) does.
    ///
    /// # Errors
    ///
    /// As for [`end_session`](Self::end_session).
    pub async fn end_session_of(
        &self,
        identity: impl Serialize,
        id: &str,
    ) -> Result<(), SessionError> {
        self.end(&identity_of(identity)?, id).await
    }

    async fn end(&self, identity: &str, id: &str) -> Result<(), SessionError> {
        // The session's own end is not known here: the longest a login can last.
        let until = self.login_until(self.longest_login_end());
        if self.blocklist().end_session(identity, id, until).await? {
            record::session_revoked("end_session");
            Ok(())
        } else {
            Err(SessionError::NotFound)
        }
    }

    /// Logs `token`'s identity out everywhere: every token of every login made until now is
    /// refused on every instance (`token` included), and a login made afterwards, even in
    /// the same second, works at once. One store entry, read in the same lookup as each
    /// token's own.
    ///
    /// # Errors
    ///
    /// [`SessionError::Store`] when the store cannot record it.
    pub async fn logout_everywhere(&self, token: &DecodedToken) -> Result<(), SessionError> {
        self.log_out(&crate::revocation::owner(token)).await
    }

    /// Logs `identity` out everywhere, with no token of it at hand (an admin disabling a
    /// user, a password change), as [`logout_everywhere`](Self::logout_everywhere) does.
    ///
    /// # Errors
    ///
    /// As for [`logout_everywhere`](Self::logout_everywhere).
    pub async fn logout_everywhere_of(&self, identity: impl Serialize) -> Result<(), SessionError> {
        self.log_out(&identity_of(identity)?).await
    }

    async fn log_out(&self, identity: &str) -> Result<(), SessionError> {
        let until = self.login_until(self.longest_login_end());
        self.blocklist()
            .logout_everywhere(identity, now_micros(), until)
            .await?;
        record::session_revoked("logout_everywhere");
        Ok(())
    }

    /// When a login made now would end: a refresh lifetime from now (or an access lifetime,
    /// when that is longer); `None`: never.
    fn longest_login_end(&self) -> Option<i64> {
        let config = self.config();
        let refresh = config.refresh_token_expires.duration()?.whole_seconds();
        let access = config.access_token_expires.duration()?.whole_seconds();
        let now = OffsetDateTime::now_utc().unix_timestamp();
        Some(now.saturating_add(refresh.max(access)))
    }
}
