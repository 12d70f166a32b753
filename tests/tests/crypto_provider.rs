//! A broken jsonwebtoken crypto provider stops the launch with a message, instead of
//! panicking in the first request. (Its own test binary: the provider is process-wide.)

use jsonwebtoken::crypto::{CryptoProvider, KeyUtils};
use jwt_ext::{Config, JwtManager};

/// What jsonwebtoken falls back to when cargo features enable both backends, or neither.
static PANICKING: CryptoProvider = CryptoProvider {
    signer_factory: |_, _| {
        panic!("Could not automatically determine the process-level CryptoProvider")
    },
    verifier_factory: |_, _| {
        panic!("Could not automatically determine the process-level CryptoProvider")
    },
    key_utils: KeyUtils::new_unimplemented(),
};

#[test]
fn broken_provider_is_a_launch_error() {
    PANICKING
        .install_default()
        .expect("first provider of this process");

    let error =
        JwtManager::new(Config::default().secret_key("an-example-secret-of-at-least-32-bytes"))
            .unwrap_err();
    let text = error.to_string();
    assert!(text.contains("crypto provider panicked"), "{text}");
    assert!(text.contains("Could not automatically determine"), "{text}");

    let rocket = rocket::build().attach(JwtManager::fairing_with(
        Config::default().secret_key("an-example-secret-of-at-least-32-bytes"),
    ));
    let error = rocket::local::blocking::Client::tracked(rocket).unwrap_err();
    assert!(matches!(
        error.kind(),
        rocket::error::ErrorKind::FailedFairings(_)
    ));
}
