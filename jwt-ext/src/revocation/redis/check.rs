//! What the values of a token's keys say about it: the revocation check's verdict, whether
//! the values came from Redis or from the near-cache.

use crate::revocation::{logged_out_by, replaced_in_chain};
use crate::token::claims::DecodedToken;

/// Whether `token` is refused, given the values of its keys in the order the check reads them:
/// its `revoked:<jti>` (when it has a `jti`), its login's `family-revoked` (when it has a
/// `fam`), its chain's state (when it has an `orig_jti`) — those three only when it has a
/// `jti` or a `fam` — and last its identity's `logged-out`.
pub(super) fn refused<'v>(
    token: &DecodedToken,
    values: impl DoubleEndedIterator<Item = Option<&'v str>>,
    now: i64,
) -> bool {
    let mut values = values.rev();
    if let Some(before) = values.next().flatten() {
        // Not a number: refuse rather than guess.
        if before
            .parse::<i64>()
            .map_or(true, |before| logged_out_by(token, before))
        {
            return true;
        }
    }
    let mut values = values.rev();
    if token.jti().is_some() {
        if let Some(from) = values.next().flatten() {
            // The second from which it is refused; not a number: refuse rather than guess.
            if from.parse::<i64>().map_or(true, |from| from <= now) {
                return true;
            }
        }
    }
    if token.family().is_some() && values.next().flatten().is_some() {
        return true;
    }
    if token.chain().is_some() {
        if let Some(state) = values.next().flatten() {
            return refused_by_chain(state, token.jti(), now);
        }
    }
    false
}

/// Whether the token is refused by its chain's state, `[current, previous, previous_until]`.
fn refused_by_chain(state: &str, jti: Option<&str>, now: i64) -> bool {
    match serde_json::from_str::<(String, String, i64)>(state) {
        Ok((current, previous, until)) => replaced_in_chain(jti, &current, &previous, until, now),
        Err(_) => true, // Not written by jwt-ext: refuse rather than guess.
    }
}
