//! Creating and decoding tokens with the manager's settings and keys.

use serde::Serialize;

use crate::error::JwtError;
use crate::token::claims::DecodedToken;
use crate::token::encode::EncodeError;
use crate::token::kind;

use super::{JwtManager, TokenBuilder};

impl JwtManager {
    /// Flask's `create_access_token(identity)` with the configured defaults: not fresh,
    /// `jwt_access_token_expires`. For the other options use [`access_token`](Self::access_token).
    ///
    /// # Errors
    ///
    /// An [`EncodeError`], e.g. when the identity is not a string while `jwt_verify_sub` is on.
    pub fn create_access_token(&self, identity: impl Serialize) -> Result<String, EncodeError> {
        self.access_token(identity).create()
    }

    /// Flask's `create_refresh_token(identity)` with the configured lifetime.
    ///
    /// # Errors
    ///
    /// An [`EncodeError`], as for [`create_access_token`](Self::create_access_token).
    pub fn create_refresh_token(&self, identity: impl Serialize) -> Result<String, EncodeError> {
        self.refresh_token(identity).create()
    }

    /// Starts an access token with Flask's options: `fresh`, `expires_delta`,
    /// `additional_claims`, `additional_headers`.
    pub fn access_token(&self, identity: impl Serialize) -> TokenBuilder<'_, kind::Access> {
        TokenBuilder::new(self, identity)
    }

    /// Starts a refresh token with Flask's options: `expires_delta`, `additional_claims`,
    /// `additional_headers`.
    pub fn refresh_token(&self, identity: impl Serialize) -> TokenBuilder<'_, kind::Refresh> {
        TokenBuilder::new(self, identity)
    }

    /// Verifies a token outside a request guard (Flask's `decode_token`): signature, `alg`,
    /// `exp`, `nbf`, `iat`, `aud`, `iss`, `sub` and the identity claim, but not the token
    /// type or freshness.
    ///
    /// # Errors
    ///
    /// The [`JwtError`] a guard would answer with; as a responder it gives the same response.
    pub fn decode_token(&self, token: &str) -> Result<DecodedToken, JwtError> {
        match self.verifier.decode(token, false) {
            // As Flask: the checks of a second decode that ignores `exp` win over the expiry.
            Err(JwtError::Expired(refused)) => {
                self.verifier.decode(token, true)?;
                Err(JwtError::Expired(refused))
            }
            other => other,
        }
    }

    /// Like [`decode_token`](Self::decode_token), but an expired token is returned rather than
    /// refused (Flask's `allow_expired=True`). Everything else is still verified.
    ///
    /// # Errors
    ///
    /// As for [`decode_token`](Self::decode_token), never [`JwtError::Expired`].
    pub fn decode_token_allow_expired(&self, token: &str) -> Result<DecodedToken, JwtError> {
        self.verifier.decode(token, true)
    }
}
