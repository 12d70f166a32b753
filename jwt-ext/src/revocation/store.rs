//! The [`Blocklist`] trait every store implements, and the values its rotation and exchange
//! steps take and give.

use super::error::StoreError;
use super::session::Session;
use crate::token::claims::DecodedToken;

/// Where revoked tokens are recorded: Flask's `token_in_blocklist_loader`, as a store.
///
/// Implement [`is_revoked`](Self::is_revoked) and [`revoke`](Self::revoke) for the
/// application's own store; an entry only needs to live until the `until` instant it is given
/// ([`revoke_until`](Self::revoke_until)), after which the token is refused anyway. The other
/// methods have defaults that work on those two; override them to revoke whole logins
/// ([`revoke_family`](Self::revoke_family)), to rotate refresh tokens
/// ([`rotate`](Self::rotate)), to keep an exchange chain in one entry
/// ([`exchange`](Self::exchange)) and to keep sessions
/// ([`record_session`](Self::record_session) and the methods after it).
///
/// # Example
///
/// ```
/// use jwt_ext::{Blocklist, DecodedToken, StoreError};
///
/// /// Revokes nothing: every token stays valid until it expires.
/// struct NoRevocation;
///
/// #[rocket::async_trait]
/// impl Blocklist for NoRevocation {
///     async fn is_revoked(&self, _: &DecodedToken) -> Result<bool, StoreError> {
///         Ok(false)
///     }
///
///     async fn revoke(&self, _: &DecodedToken) -> Result<(), StoreError> {
///         Err(StoreError::Unavailable("revocation is not supported".into()))
///     }
/// }
/// ```
#[rocket::async_trait]
pub trait Blocklist: Send + Sync + 'static {
    /// Whether `token` was revoked: by its `jti`, through its login
    /// ([`DecodedToken::family`]), or because a later token of its exchange chain replaced it
    /// ([`DecodedToken::chain`]).
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the store cannot answer: the request is then refused with 503.
    async fn is_revoked(&self, token: &DecodedToken) -> Result<bool, StoreError>;

    /// Records `token` as revoked until it expires.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the revocation could not be recorded.
    async fn revoke(&self, token: &DecodedToken) -> Result<(), StoreError>;

    /// Records `token` as revoked, keeping the entry until `until` (UNIX seconds) when that is
    /// later than the token's `exp` (`None`: for good). [`JwtManager`](crate::JwtManager)
    /// revokes through this method, with `until` the last instant the token could still be
    /// used (its exchange window and the clock leeway included). The default calls
    /// [`revoke_once`](Self::revoke_once).
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the revocation could not be recorded.
    async fn revoke_until(
        &self,
        token: &DecodedToken,
        until: Option<i64>,
    ) -> Result<(), StoreError> {
        self.revoke_once(token, until).await.map(|_| ())
    }

    /// Revokes `token` unless it already was, keeping the entry until `until` (UNIX seconds)
    /// when that is later than the token's `exp`; `true` when this call revoked it. The
    /// built-in stores do it atomically; this default is not atomic, and keeps the entry only
    /// as long as [`revoke`](Self::revoke) does.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the store cannot answer.
    async fn revoke_once(
        &self,
        token: &DecodedToken,
        until: Option<i64>,
    ) -> Result<bool, StoreError> {
        let _ = until;
        if self.is_revoked(token).await? {
            return Ok(false);
        }
        self.revoke(token).await.map(|()| true)
    }

    /// Revokes every token of `token`'s login (its `fam` claim, [`DecodedToken::family`]) until
    /// `until` (UNIX seconds; `None`: for good): access and refresh tokens, those issued
    /// earlier and those a refresh or an exchange would issue. Used by
    /// [`JwtManager::logout`](crate::JwtManager::logout).
    ///
    /// # Errors
    ///
    /// [`StoreError::Unsupported`] by default: logout then revokes the presented tokens alone,
    /// and says so in the log. A [`StoreError`] when the store fails.
    async fn revoke_family(
        &self,
        token: &DecodedToken,
        until: Option<i64>,
    ) -> Result<(), StoreError> {
        let _ = (token, until);
        Err(StoreError::Unsupported("revoking a whole login"))
    }

    /// One atomic step of refresh-token rotation for a family (see [`Rotation`]). Only the
    /// built-in stores implement it.
    ///
    /// # Errors
    ///
    /// [`StoreError::Unsupported`] by default; a [`StoreError`] when the store fails.
    async fn rotate(&self, rotation: &Rotation<'_>) -> Result<RotationOutcome, StoreError> {
        let _ = rotation;
        Err(StoreError::Unsupported("refresh-token rotation"))
    }

    /// One atomic step of an exchange chain (see [`Exchange`]): `true` when the presented
    /// token was the chain's current one, which is now replaced by the successor `next`;
    /// `false` when it was already exchanged or revoked.
    ///
    /// The built-in stores keep one entry per chain, however long it grows, and keep the
    /// presented token usable for [`Exchange::grace`] seconds. The default revokes the
    /// presented token with [`revoke_once`](Self::revoke_once) (one entry per exchange, no
    /// grace).
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the store cannot answer.
    async fn exchange(&self, exchange: &Exchange<'_>) -> Result<bool, StoreError> {
        self.revoke_once(exchange.token, exchange.presented_until)
            .await
    }

    /// Records a new login of `identity`, keeping at most `max_per_identity` of its logins:
    /// ended ones are dropped first, then the oldest are ended as by
    /// [`end_session`](Self::end_session) (their tokens refused until `until`, UNIX seconds;
    /// `None`: for good); their ids are returned. Used by
    /// [`JwtManager::login`](crate::JwtManager::login).
    ///
    /// # Errors
    ///
    /// [`StoreError::Unsupported`] by default; a [`StoreError`] when the store fails.
    async fn record_session(
        &self,
        identity: &str,
        session: &Session,
        max_per_identity: usize,
        until: Option<i64>,
    ) -> Result<Vec<String>, StoreError> {
        let _ = (identity, session, max_per_identity, until);
        Err(StoreError::Unsupported("sessions"))
    }

    /// The logins of `identity` that have not ended, oldest first.
    ///
    /// # Errors
    ///
    /// [`StoreError::Unsupported`] by default; a [`StoreError`] when the store fails.
    async fn sessions(&self, identity: &str) -> Result<Vec<Session>, StoreError> {
        let _ = identity;
        Err(StoreError::Unsupported("sessions"))
    }

    /// Notes that the login `id` of `identity` was refreshed at `at` (UNIX seconds); nothing
    /// when it is not recorded. The default does nothing.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the store fails.
    async fn touch_session(&self, identity: &str, id: &str, at: i64) -> Result<(), StoreError> {
        let _ = (identity, id, at);
        Ok(())
    }

    /// Ends the login `id` of `identity`: every token of it is refused until `until` (UNIX
    /// seconds; `None`: for good), and it leaves the list. `false` when `identity` has no such
    /// login (nothing is revoked then).
    ///
    /// # Errors
    ///
    /// [`StoreError::Unsupported`] by default; a [`StoreError`] when the store fails.
    async fn end_session(
        &self,
        identity: &str,
        id: &str,
        until: Option<i64>,
    ) -> Result<bool, StoreError> {
        let _ = (identity, id, until);
        Err(StoreError::Unsupported("sessions"))
    }

    /// Logs `identity` out everywhere: every token of a login made until `before`
    /// (microseconds since the UNIX epoch) is refused, until `until` (UNIX seconds; `None`:
    /// for good), and its logins leave the list. [`is_revoked`](Self::is_revoked) answers it
    /// in the same lookup as the token's own entries.
    ///
    /// # Errors
    ///
    /// [`StoreError::Unsupported`] by default; a [`StoreError`] when the store fails.
    async fn logout_everywhere(
        &self,
        identity: &str,
        before: i64,
        until: Option<i64>,
    ) -> Result<(), StoreError> {
        let _ = (identity, before, until);
        Err(StoreError::Unsupported("logging out everywhere"))
    }
}

/// A shared store: the application keeps an `Arc` of its store (to inspect it, or to hand it
/// to several apps) and gives jwt-ext a clone.
#[rocket::async_trait]
impl<B: Blocklist + ?Sized> Blocklist for std::sync::Arc<B> {
    async fn is_revoked(&self, token: &DecodedToken) -> Result<bool, StoreError> {
        (**self).is_revoked(token).await
    }

    async fn revoke(&self, token: &DecodedToken) -> Result<(), StoreError> {
        (**self).revoke(token).await
    }

    async fn revoke_until(
        &self,
        token: &DecodedToken,
        until: Option<i64>,
    ) -> Result<(), StoreError> {
        (**self).revoke_until(token, until).await
    }

    async fn revoke_once(
        &self,
        token: &DecodedToken,
        until: Option<i64>,
    ) -> Result<bool, StoreError> {
        (**self).revoke_once(token, until).await
    }

    async fn revoke_family(
        &self,
        token: &DecodedToken,
        until: Option<i64>,
    ) -> Result<(), StoreError> {
        (**self).revoke_family(token, until).await
    }

    async fn rotate(&self, rotation: &Rotation<'_>) -> Result<RotationOutcome, StoreError> {
        (**self).rotate(rotation).await
    }

    async fn exchange(&self, exchange: &Exchange<'_>) -> Result<bool, StoreError> {
        (**self).exchange(exchange).await
    }

    async fn record_session(
        &self,
        identity: &str,
        session: &Session,
        max_per_identity: usize,
        until: Option<i64>,
    ) -> Result<Vec<String>, StoreError> {
        (**self)
            .record_session(identity, session, max_per_identity, until)
            .await
    }

    async fn sessions(&self, identity: &str) -> Result<Vec<Session>, StoreError> {
        (**self).sessions(identity).await
    }

    async fn touch_session(&self, identity: &str, id: &str, at: i64) -> Result<(), StoreError> {
        (**self).touch_session(identity, id, at).await
    }

    async fn end_session(
        &self,
        identity: &str,
        id: &str,
        until: Option<i64>,
    ) -> Result<bool, StoreError> {
        (**self).end_session(identity, id, until).await
    }

    async fn logout_everywhere(
        &self,
        identity: &str,
        before: i64,
        until: Option<i64>,
    ) -> Result<(), StoreError> {
        (**self).logout_everywhere(identity, before, until).await
    }
}

/// One use of a refresh token of a rotating family, for [`Blocklist::rotate`].
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct Rotation<'a> {
    /// The refresh token presented (its identity is who the store's entries count against).
    pub token: &'a DecodedToken,
    /// The family (`fam` claim) shared by every token of one login.
    pub family: &'a str,
    /// The `jti` of the refresh token presented.
    pub presented: &'a str,
    /// The `jti` the successor gets if this use rotates.
    pub next: &'a str,
    /// Now, UNIX seconds.
    pub now: i64,
    /// Seconds during which the previous token may be presented again (concurrent requests of
    /// one client) and gets the same successor; `0`: never.
    pub grace: i64,
    /// Until when the family's rotation state must be kept (UNIX seconds): the last instant a
    /// refresh token of the family could be presented. `None`: the family never expires.
    pub keep_until: Option<i64>,
    /// Until when a family revoked by reuse detection must stay revoked (UNIX seconds): the
    /// last instant any token of the family could be used. `None`: for good.
    pub revoked_until: Option<i64>,
}

/// What one use of a refresh token did to its family.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RotationOutcome {
    /// The presented token was the current one: it is now the previous one, and the
    /// successor with `next` is current.
    Rotated,
    /// The previous token, presented again within the grace period: mint the already-issued
    /// successor again, with this `jti`, so both holders end with the same current token.
    Replayed {
        /// The current token's `jti`.
        successor: String,
    },
    /// A token already rotated out (outside the grace period, or older than the previous
    /// one): the whole family is now revoked (RFC 9700 §4.14.2).
    Reused,
}

/// One exchange of an access token for its successor, for [`Blocklist::exchange`].
///
/// The tokens of one exchange chain share its id ([`DecodedToken::chain`] of the successors,
/// the `jti` of the chain's first token). After the step, the successor `next` is the chain's
/// current token; the presented one stays usable on protected routes for `grace` seconds (and
/// is never exchanged again), every older one is refused.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct Exchange<'a> {
    /// The token presented for exchange.
    pub token: &'a DecodedToken,
    /// The chain's id.
    pub chain: &'a str,
    /// The presented token's `jti`.
    pub presented: &'a str,
    /// The successor's `jti`.
    pub next: &'a str,
    /// Now, UNIX seconds.
    pub now: i64,
    /// Seconds during which the presented token is still accepted by protected routes
    /// (`jwt_sliding_refresh_grace`).
    pub grace: i64,
    /// Until when the presented token's revocation must be kept (UNIX seconds; `None`: for
    /// good).
    pub presented_until: Option<i64>,
    /// Until when the chain's state must be kept: the last instant a token of the chain could
    /// be used (UNIX seconds; `None`: for good).
    pub chain_until: Option<i64>,
}
