//! Any bytes as a token: decoding never panics, and whatever decodes carries a valid HS256
//! signature over its own first two segments, checked with an independent HMAC.
#![no_main]

use std::sync::OnceLock;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use jwt_ext::{Config, JwtManager};
use libfuzzer_sys::fuzz_target;
use sha2::Sha256;

const SECRET: &str = "a-fuzzing-secret-of-at-least-32-bytes";

fn manager() -> &'static JwtManager {
    static MANAGER: OnceLock<JwtManager> = OnceLock::new();
    MANAGER.get_or_init(|| JwtManager::new(Config::default().secret_key(SECRET)).expect("valid"))
}

fn signed_with_the_secret(token: &str) -> bool {
    let Some((input, signature)) = token.rsplit_once('.') else {
        return false;
    };
    let Ok(signature) = URL_SAFE_NO_PAD.decode(signature) else {
        return false;
    };
    let mut mac = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).expect("any key size");
    mac.update(input.as_bytes());
    mac.verify_slice(&signature).is_ok()
}

fuzz_target!(|data: &[u8]| {
    let Ok(token) = std::str::from_utf8(data) else {
        return;
    };
    let jwt = manager();
    for decoded in [
        jwt.decode_token(token),
        jwt.decode_token_allow_expired(token),
    ] {
        if let Ok(decoded) = decoded {
            assert!(
                signed_with_the_secret(token),
                "accepted a forged token: {token:?}"
            );
            assert_eq!(
                decoded.header().get("alg").and_then(|a| a.as_str()),
                Some("HS256")
            );
        }
    }
});
