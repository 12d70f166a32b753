//! Public keys as JWKs (RFC 7517), with a key id: the `kid` a key set names, or else the key's
//! RFC 7638 thumbprint. HMAC secrets have no public form.

use jsonwebtoken::jwk::{Jwk, PublicKeyUse, ThumbprintHash};
use jsonwebtoken::{Algorithm, AlgorithmFamily, DecodingKey};

/// The JWK of an asymmetric public key, with `kid` as its key id or else its RFC 7638
/// thumbprint; `None` for HMAC.
pub(crate) fn public_jwk(
    key: &DecodingKey,
    algorithm: Algorithm,
    kid: Option<&str>,
) -> Option<Jwk> {
    if key.family() == AlgorithmFamily::Hmac {
        return None;
    }
    let mut jwk = Jwk::from_decoding_key(key, Some(algorithm)).ok()?;
    jwk.common.key_id = match kid {
        Some(kid) => Some(kid.to_owned()),
        None => jwk.thumbprint(ThumbprintHash::SHA256).ok(),
    };
    jwk.common.public_key_use = Some(PublicKeyUse::Signature);
    Some(jwk)
}
