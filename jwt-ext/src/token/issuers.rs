//! The remote issuers a resource server trusts (`jwt_issuers`, `jwt_oidc_issuer`): each one's
//! keys and audience, picking a token's issuer by its `iss`, and the `typ` rule of their
//! tokens (`jwt_decode_typ`).

use std::sync::Arc;

use serde_json::{Map, Value};

use crate::config::OneOrMany;
use crate::error::JwtError;
use crate::token::key_slot::KeySlot;

/// One remote issuer: the `iss` of its tokens, its keys, the audience they must name.
pub(crate) struct IssuerKeys {
    pub(crate) issuer: String,
    /// Filled from its JWK Set at ignite, replaced on refetch.
    pub(crate) slot: Arc<KeySlot>,
    pub(crate) audience: Option<OneOrMany>,
}

/// Whose keys and rules verify a token.
#[derive(Clone, Copy)]
pub(crate) enum Scope<'a> {
    /// This app's own (or `jwt_jwks_url`'s).
    Own,
    /// A remote issuer's.
    Issuer(&'a IssuerKeys),
}

/// The scope of a token whose unverified claims are `claims`: the issuer its `iss` names
/// exactly; else this app's own keys when it has any; else a refusal. An unlisted issuer is
/// never fetched from.
pub(crate) fn select<'a>(
    issuers: &'a [IssuerKeys],
    claims: &Map<String, Value>,
    has_own_keys: bool,
) -> Result<Scope<'a>, JwtError> {
    let iss = claims.get("iss");
    let listed = iss
        .and_then(Value::as_str)
        .and_then(|iss| issuers.iter().find(|issuer| issuer.issuer == iss));
    match (listed, iss) {
        (Some(issuer), _) => Ok(Scope::Issuer(issuer)),
        (None, _) if has_own_keys => Ok(Scope::Own),
        (None, None) => Err(JwtError::Invalid(
            "Token is missing the \"iss\" claim".into(),
        )),
        (None, Some(_)) => Err(JwtError::Invalid("Invalid issuer".into())),
    }
}

/// A media type as `typ` compares it: lower case, without `application/` (RFC 7515 §4.1.9).
pub(crate) fn normalised_typ(typ: &str) -> String {
    let lower = typ.to_ascii_lowercase();
    match lower.strip_prefix("application/") {
        Some(short) => short.to_owned(),
        None => lower,
    }
}

/// Whether the header value `typ` names the `required` type (already normalised): without
/// regard to case, with or without `application/`, and without allocating.
fn typ_is(typ: &str, required: &str) -> bool {
    const PREFIX: &str = "application/";
    let short = match typ.get(..PREFIX.len()) {
        Some(start) if start.eq_ignore_ascii_case(PREFIX) => &typ[PREFIX.len()..],
        _ => typ,
    };
    short.eq_ignore_ascii_case(required)
}

/// The token's `typ` header is `required` (already normalised).
pub(crate) fn check_typ(header: &Map<String, Value>, required: &str) -> Result<(), JwtError> {
    match header.get("typ").and_then(Value::as_str) {
        Some(typ) if typ_is(typ, required) => Ok(()),
        _ => Err(JwtError::Invalid(format!(
            "Invalid token type: the \"typ\" header must be \"{required}\""
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(typ: &str) -> Map<String, Value> {
        serde_json::json!({ "alg": "RS256", "typ": typ })
            .as_object()
            .cloned()
            .unwrap()
    }

    #[test]
    fn typ_is_compared_without_case_and_with_or_without_the_prefix() {
        let required = normalised_typ("at+jwt");
        for typ in [
            "at+jwt",
            "AT+JWT",
            "application/at+jwt",
            "Application/At+JWT",
        ] {
            assert!(check_typ(&header(typ), &required).is_ok(), "{typ}");
        }
        for typ in ["JWT", "at+jwt ", "application/jwt", "text/at+jwt"] {
            assert!(check_typ(&header(typ), &required).is_err(), "{typ}");
        }
        let mut none = header("x");
        none.remove("typ");
        assert!(check_typ(&none, &required).is_err());
    }
}
