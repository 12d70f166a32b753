//! Key rotation with a key set: add the new key, make it the signing key, drop the old one
//! after the longest token lifetime. Tokens signed by the old key keep working until then.

mod common;

use common::get_with_token;
use jwt_ext::{Algorithm, Config, JwtManager, KeyEntry};
use jwt_ext_tests::test_key as key;
use rocket::figment::providers::{Format, Toml};
use rocket::figment::Figment;
use rocket::http::Status;
use rocket::local::blocking::Client;

fn secret(c: char) -> String {
    format!("{c}-a-rotation-test-secret-of-32-bytes")
}

#[test]
fn hmac_rotation_step_by_step() {
    // 1. One key.
    let before = Config::default().key(KeyEntry::secret("k1", secret('a')));
    let old_token = JwtManager::new(before.clone())
        .unwrap()
        .create_access_token("alice")
        .unwrap();
    assert_eq!(
        jsonwebtoken::decode_header(&old_token)
            .unwrap()
            .kid
            .as_deref(),
        Some("k1")
    );

    // 2. Add k2 and sign with it: old tokens still pass, new ones carry k2.
    let during = Config::default()
        .key(KeyEntry::secret("k2", secret('b')))
        .key(KeyEntry::secret("k1", secret('a')))
        .signing_key_id("k2");
    let client = common::client(during.clone());
    assert_eq!(
        get_with_token(&client, "/protected", &old_token).status,
        Status::Ok
    );
    let new_token = JwtManager::new(during)
        .unwrap()
        .create_access_token("alice")
        .unwrap();
    assert_eq!(
        jsonwebtoken::decode_header(&new_token)
            .unwrap()
            .kid
            .as_deref(),
        Some("k2")
    );
    assert_eq!(
        get_with_token(&client, "/protected", &new_token).status,
        Status::Ok
    );

    // 3. Drop k1 after the longest token lifetime: its tokens are refused, k2's are not.
    let after = Config::default().key(KeyEntry::secret("k2", secret('b')));
    let client = common::client(after);
    let answer = get_with_token(&client, "/protected", &old_token);
    assert_eq!(
        (answer.status, answer.msg()),
        (Status::UnprocessableEntity, "Unknown key ID")
    );
    assert_eq!(
        get_with_token(&client, "/protected", &new_token).status,
        Status::Ok
    );
}

#[test]
fn a_key_set_requires_the_kid() {
    let config = Config::default().key(KeyEntry::secret("k1", secret('a')));
    let client = common::client(config);
    // A token signed with k1's secret but naming no key, or another key.
    let claims = common::valid_claims().to_string();
    let no_kid = common::sign_raw(r#"{"alg":"HS256","typ":"JWT"}"#, &claims, &secret('a'));
    assert_eq!(
        get_with_token(&client, "/protected", &no_kid).msg(),
        "Missing key ID"
    );
    let other = common::sign_raw(
        r#"{"alg":"HS256","typ":"JWT","kid":"k9"}"#,
        &claims,
        &secret('a'),
    );
    assert_eq!(
        get_with_token(&client, "/protected", &other).msg(),
        "Unknown key ID"
    );
    let named = common::sign_raw(
        r#"{"alg":"HS256","typ":"JWT","kid":"k1"}"#,
        &claims,
        &secret('a'),
    );
    assert_eq!(
        get_with_token(&client, "/protected", &named).status,
        Status::Ok
    );
}

#[test]
fn asymmetric_rotation_publishes_both_keys_and_only_the_new_one_signs() {
    let old = KeyEntry::pem(
        "2026-10",
        Some(key("ec256-private.pem")),
        key("ec256-public.pem"),
    );
    let before = Config::default()
        .algorithm(Algorithm::ES256)
        .key(old.clone());
    let old_token = JwtManager::new(before)
        .unwrap()
        .create_access_token("alice")
        .unwrap();

    // The old key no longer needs its private half: it only verifies.
    let retired = KeyEntry::pem("2026-10", None, key("ec256-public.pem"));
    let new = KeyEntry::pem(
        "2026-11",
        Some(key("ec256-second-private.pem")),
        key("ec256-second-public.pem"),
    );
    let during = Config::default()
        .algorithm(Algorithm::ES256)
        .key(new)
        .key(retired)
        .signing_key_id("2026-11");
    let rocket = common::rocket_with(during).mount("/", jwt_ext::jwks_routes());
    let client = Client::tracked(rocket).unwrap();
    assert_eq!(
        get_with_token(&client, "/protected", &old_token).status,
        Status::Ok
    );

    let set: jsonwebtoken::jwk::JwkSet = client
        .get("/.well-known/jwks.json")
        .dispatch()
        .into_json()
        .unwrap();
    let kids: Vec<&str> = set
        .keys
        .iter()
        .filter_map(|jwk| jwk.common.key_id.as_deref())
        .collect();
    assert_eq!(kids, ["2026-11", "2026-10"]);
    let jwt = client.rocket().state::<JwtManager>().unwrap();
    let new_token = jwt.create_access_token("alice").unwrap();
    assert_eq!(
        jsonwebtoken::decode_header(&new_token)
            .unwrap()
            .kid
            .as_deref(),
        Some("2026-11")
    );

    // After the old key is dropped, its tokens fail; a token claiming the new kid but signed
    // with the old key fails the signature.
    let after = Config::default()
        .algorithm(Algorithm::ES256)
        .key(KeyEntry::pem(
            "2026-11",
            None,
            key("ec256-second-public.pem"),
        ));
    let client = common::client(after);
    assert_eq!(
        get_with_token(&client, "/protected", &old_token).msg(),
        "Unknown key ID"
    );
    assert_eq!(
        get_with_token(&client, "/protected", &new_token).status,
        Status::Ok
    );
    let impostor = JwtManager::new(Config::default().algorithm(Algorithm::ES256).key(old))
        .unwrap()
        .access_token("alice")
        .header("kid", "2026-11")
        .create()
        .unwrap();
    assert_eq!(
        get_with_token(&client, "/protected", &impostor).msg(),
        "Signature verification failed"
    );
}

#[test]
fn the_key_set_is_read_from_rocket_toml() {
    let toml = format!(
        r#"
        [default]
        jwt_signing_key_id = "k2"
        [[default.jwt_keys]]
        kid = "k2"
        secret_key = "{}"
        [[default.jwt_keys]]
        kid = "k1"
        secret_key = "{}"
        "#,
        secret('b'),
        secret('a')
    );
    let figment = Figment::from(rocket::Config::default()).merge(Toml::string(&toml).nested());
    let config = Config::from_figment(&figment).unwrap();
    assert_eq!(config.key_set.len(), 2);
    assert_eq!(config.signing_key_id.as_deref(), Some("k2"));
    let jwt = JwtManager::new(config).unwrap();
    let token = jwt.create_access_token("alice").unwrap();
    assert_eq!(
        jsonwebtoken::decode_header(&token).unwrap().kid.as_deref(),
        Some("k2")
    );
}

#[test]
fn key_set_mistakes_stop_the_launch() {
    let error = |config: Config| JwtManager::new(config).expect_err("refused").to_string();

    let two_without_signer = Config::default()
        .key(KeyEntry::secret("k1", secret('a')))
        .key(KeyEntry::secret("k2", secret('b')));
    assert!(
        error(two_without_signer).contains("`jwt_signing_key_id`: is required with several keys")
    );

    let unknown_signer = Config::default()
        .key(KeyEntry::secret("k1", secret('a')))
        .signing_key_id("k9");
    assert!(error(unknown_signer).contains("`k9` is not the `kid` of any key"));

    let duplicate = Config::default()
        .key(KeyEntry::secret("k1", secret('a')))
        .key(KeyEntry::secret("k1", secret('b')))
        .signing_key_id("k1");
    assert!(error(duplicate).contains("`jwt_keys[1].kid`: `k1` is used twice"));

    let short = Config::default().key(KeyEntry::secret("k1", "short"));
    assert!(error(short).contains("`jwt_keys[0].secret_key`: is 5 bytes"));

    let both = Config::default()
        .secret_key(secret('a'))
        .key(KeyEntry::secret("k1", secret('a')));
    assert!(error(both).contains("`jwt_secret_key`: is set together with `jwt_keys`"));

    let signer_without_private = Config::default()
        .algorithm(Algorithm::RS256)
        .key(KeyEntry::pem("k1", None, key("rsa-public.pem")))
        .signing_key_id("k1");
    assert!(error(signer_without_private)
        .contains("`jwt_keys[0].private_key`: is required: `k1` is the signing key"));

    let wrong_pem = Config::default()
        .algorithm(Algorithm::RS256)
        .key(KeyEntry::pem(
            "k1",
            Some(key("rsa-private.pem")),
            key("ec256-public.pem"),
        ));
    assert!(error(wrong_pem).contains("`jwt_keys[0].public_key`: is not an RSA public key"));
}
