//! What an entry records and how long it must be kept, shared by the stores.

use super::error::StoreError;
use crate::token::claims::DecodedToken;

/// The token's `exp` as whole seconds, rounded up (a float `exp` counts until it passes).
pub(crate) fn exp_seconds(token: &DecodedToken) -> Option<i64> {
    // Float-to-int `as` saturates, so a huge `exp` becomes `i64::MAX`.
    #[allow(clippy::cast_possible_truncation)]
    token
        .claims()
        .get("exp")
        .and_then(serde_json::Value::as_f64)
        .map(|exp| exp.ceil() as i64)
}

/// How long a revocation entry must live: the later of the token's `exp` and `until`
/// (`None`: for good).
pub(crate) fn keep_until(token: &DecodedToken, until: Option<i64>) -> Option<i64> {
    match (exp_seconds(token), until) {
        (Some(exp), Some(until)) => Some(exp.max(until)),
        (Some(exp), None) => Some(exp),
        (None, _) => None,
    }
}

/// What revoking `token` must record: its `jti`, until when it must be kept (see
/// [`keep_until`]), and now. `Ok(None)` when the token is already unusable, so that nothing
/// need be kept.
pub(crate) fn revocation(
    token: &DecodedToken,
    until: Option<i64>,
) -> Result<Option<Revocation<'_>>, StoreError> {
    let jti = token.jti().ok_or(StoreError::NoJti)?;
    let now = rocket::time::OffsetDateTime::now_utc().unix_timestamp();
    let until = keep_until(token, until);
    Ok(until
        .is_none_or(|until| until >= now)
        .then_some(Revocation { jti, until, now }))
}

/// One token's revocation to record.
pub(crate) struct Revocation<'t> {
    pub(crate) jti: &'t str,
    /// Until when (UNIX seconds; `None`: for good).
    pub(crate) until: Option<i64>,
    pub(crate) now: i64,
}

/// Whether a token of an exchange chain is refused by the chain's state: it is neither the
/// current token nor the previous one within its grace (`previous_until`, exclusive).
pub(crate) fn replaced_in_chain(
    jti: Option<&str>,
    current: &str,
    previous: &str,
    previous_until: i64,
    now: i64,
) -> bool {
    let is_current = jti == Some(current);
    let in_grace = jti == Some(previous) && now < previous_until;
    !(is_current || in_grace)
}

/// Who an entry counts against: the token's identity, as text.
pub(crate) fn owner(token: &DecodedToken) -> String {
    identity_text(token.identity()).into_owned()
}

/// An identity as the stores name it: a string as is, anything else as JSON.
pub(crate) fn identity_text(identity: &serde_json::Value) -> std::borrow::Cow<'_, str> {
    match identity {
        serde_json::Value::String(identity) => std::borrow::Cow::Borrowed(identity),
        other => std::borrow::Cow::Owned(other.to_string()),
    }
}
