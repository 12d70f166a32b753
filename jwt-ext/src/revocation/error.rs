//! Why a store could not answer, and why a revocation failed.

/// Why the store could not answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The store is unreachable or failed (the reason is logged, not sent).
    #[error("revocation store unavailable: {0}")]
    Unavailable(String),
    /// The in-memory store holds its maximum number of live entries.
    #[error("the in-memory revocation store is full")]
    Full,
    /// One identity holds the most live entries the in-memory store lets one identity hold
    /// (`jwt_blocklist_max_entries_per_identity`); the other identities are unaffected.
    #[error("this identity holds the most revocation entries one identity may hold")]
    QuotaExceeded,
    /// The token has no `jti` claim, so it cannot be revoked by id.
    #[error("the token has no `jti` claim and cannot be revoked")]
    NoJti,
    /// The store does not support this operation (e.g. refresh-token rotation in an
    /// application's own [`Blocklist`](crate::Blocklist)).
    #[error("this revocation store does not support {0}")]
    Unsupported(&'static str),
}

/// Why a logout or revocation failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum RevokeError {
    /// The token to revoke is not valid (answered like the guards answer it).
    #[error("invalid token: {0}")]
    Invalid(crate::error::JwtError),
    /// The store could not record the revocation: 503 (429 when the identity's quota is
    /// used up, 422 for a token without `jti`).
    #[error("{0}")]
    Store(StoreError),
}

impl From<StoreError> for RevokeError {
    fn from(error: StoreError) -> Self {
        Self::Store(error)
    }
}

impl From<RevokeError> for crate::error::JwtError {
    fn from(error: RevokeError) -> Self {
        match error {
            RevokeError::Invalid(error) => error,
            RevokeError::Store(error) => error.into(),
        }
    }
}

/// A store that failed answers 503; a token that cannot be revoked (no `jti`) is the
/// client's problem, 422; an identity over its quota, 429.
impl From<StoreError> for crate::error::JwtError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NoJti => Self::Invalid(NO_JTI_MESSAGE.into()),
            StoreError::QuotaExceeded => Self::RevocationQuota,
            other => Self::StoreUnavailable(other.to_string()),
        }
    }
}

/// The answer to revoking a token without `jti`.
pub(crate) const NO_JTI_MESSAGE: &str = "Token has no jti claim and cannot be revoked";
