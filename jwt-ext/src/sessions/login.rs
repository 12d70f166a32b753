//! [`LoginBuilder`]: a login's two tokens, bound to one session that the store records.

use serde::Serialize;
use serde_json::{Map, Value};

use super::error::SessionError;
use crate::manager::JwtManager;
use crate::refresh::TokenPair;
use crate::revocation::StoreError;
use crate::token::encode::{merge, EncodeError};

/// The longest label kept with a session, in characters: a user agent fits.
const MAX_LABEL_CHARS: usize = 256;

/// A login being made: see [`JwtManager::login`].
#[must_use = "a login does nothing until `create().await`"]
pub struct LoginBuilder<'m> {
    manager: &'m JwtManager,
    identity: Result<Value, EncodeError>,
    fresh: bool,
    label: Option<String>,
    claims: Result<Map<String, Value>, EncodeError>,
}

impl std::fmt::Debug for LoginBuilder<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginBuilder")
            .field("identity", &self.identity)
            .field("fresh", &self.fresh)
            .field("label", &self.label)
            .finish_non_exhaustive()
    }
}

impl JwtManager {
    /// Starts a login of `identity`: an access and a refresh token of one session, which the
    /// revocation store records so that the identity can list it
    /// ([`sessions`](Self::sessions)), end it ([`end_session`](Self::end_session)) or end
    /// them all ([`logout_everywhere`](Self::logout_everywhere)).
    ///
    /// Both tokens carry the session's id (`fam`), when it was made (`fam_iat`, in
    /// microseconds) and when it ends (`fam_exp`), and so does every token refreshed,
    /// rotated or exchanged from them: a logout, reuse detection or the end of the session
    /// refuses all of them. The additional claims given here go into both tokens and are
    /// carried through every refresh.
    ///
    /// # Example
    ///
    /// ```
    /// use jwt_ext::{JwtManager, SessionError, TokenPair};
    /// use rocket::post;
    /// use rocket::serde::json::{json, Json};
    ///
    /// #[post("/login")]
    /// async fn login(jwt: &JwtManager) -> Result<Json<TokenPair>, SessionError> {
    ///     // ... check the password first ...
    ///     let pair = jwt
    ///         .login("alice")
    ///         .fresh(true)
    ///         .additional_claims(json!({ "role": "admin" }))
    ///         .label("Firefox on a laptop")
    ///         .create()
    ///         .await?;
    ///     Ok(Json(pair))
    /// }
    /// ```
    pub fn login(&self, identity: impl Serialize) -> LoginBuilder<'_> {
        LoginBuilder {
            manager: self,
            identity: serde_json::to_value(identity).map_err(EncodeError::Serialize),
            fresh: false,
            label: None,
            claims: Ok(Map::new()),
        }
    }
}

impl LoginBuilder<'_> {
    /// Whether the access token is fresh (a login with the password is). _Default:_ `false`.
    pub fn fresh(mut self, fresh: bool) -> Self {
        self.fresh = fresh;
        self
    }

    /// What the list of sessions shows for this one (a device name, a user agent), cut to 256
    /// characters. _Default:_ none.
    pub fn label(mut self, label: impl Into<String>) -> Self {
        let label: String = label.into();
        self.label = Some(label.chars().take(MAX_LABEL_CHARS).collect());
        self
    }

    /// Claims for both tokens (Flask's `additional_claims`), carried through every refresh.
    pub fn additional_claims(mut self, claims: impl Serialize) -> Self {
        self.claims = merge(self.claims, claims, "additional claims");
        self
    }

    /// Creates the tokens (awaiting the async claims loader, if any) and records the session.
    /// With more than `jwt_sessions_max_per_identity` sessions, the identity's oldest are
    /// ended. A store that keeps no sessions (an application's own) still gets the tokens.
    ///
    /// # Errors
    ///
    /// [`SessionError::Encode`] when a token cannot be created, [`SessionError::Store`] when
    /// the store cannot record the session (no token is returned then).
    pub async fn create(self) -> Result<TokenPair, SessionError> {
        let manager = self.manager;
        let identity = self.identity?;
        let claims = self.claims?;
        let (access, refresh, mut session) = manager.login_tokens(&identity, self.fresh)?;
        session.label = self.label;
        let pair = TokenPair {
            access_token: access.additional_claims(&claims).create_async().await?,
            refresh_token: refresh.additional_claims(&claims).create_async().await?,
        };
        let owner = crate::revocation::identity_text(&identity);
        let most = manager.config().sessions_max_per_identity;
        let until = manager.login_until(session.expires_at);
        match manager
            .blocklist()
            .record_session(&owner, &session, most, until)
            .await
        {
            Ok(ended) => {
                if !ended.is_empty() {
                    log::info!(
                        "jwt-ext: {} older session(s) of an identity ended: more than {most}",
                        ended.len()
                    );
                }
            }
            Err(StoreError::Unsupported(_)) => {}
            Err(error) => return Err(error.into()),
        }
        Ok(pair)
    }
}
