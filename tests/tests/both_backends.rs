//! With both of jsonwebtoken's crypto backends enabled by feature unification (this test
//! package turns on `rust_crypto` beside jwt-ext's `aws_lc_rs`), jsonwebtoken's automatic
//! choice would panic at the first signature; jwt-ext installs its provider and works.

use jwt_ext::{Config, JwtManager};

#[test]
fn both_backends_enabled_and_tokens_still_work() {
    // These two paths exist only when both features are on.
    let _backends = (
        &jsonwebtoken::crypto::aws_lc::DEFAULT_PROVIDER,
        &jsonwebtoken::crypto::rust_crypto::DEFAULT_PROVIDER,
    );
    let jwt =
        JwtManager::new(Config::default().secret_key("an-example-secret-of-at-least-32-bytes"))
            .unwrap();
    let token = jwt.create_access_token("alice").unwrap();
    assert_eq!(jwt.decode_token(&token).unwrap().identity(), "alice");
}
