//! Every algorithm jsonwebtoken supports, with PEM keys inline or from files; keys checked at
//! ignite; algorithm confusion refused; a verify-only app with the public key alone.

mod common;

use common::{b64, get_with_token, SECRET};
use jwt_ext::{Algorithm, Config, EncodeError, JwtManager};
use jwt_ext_tests::{test_key as key, test_key_path as key_path};
use rocket::http::Status;
use rocket::local::blocking::Client;
use serde_json::json;

/// `(algorithm, private key file, public key file)` for every algorithm.
const ALGORITHMS: &[(Algorithm, &str, &str)] = &[
    (Algorithm::RS256, "rsa-private.pem", "rsa-public.pem"),
    (Algorithm::RS384, "rsa-private.pem", "rsa-public.pem"),
    (Algorithm::RS512, "rsa-private.pem", "rsa-public.pem"),
    (Algorithm::PS256, "rsa-private.pem", "rsa-public.pem"),
    (Algorithm::PS384, "rsa-private.pem", "rsa-public.pem"),
    (Algorithm::PS512, "rsa-private.pem", "rsa-public.pem"),
    (Algorithm::ES256, "ec256-private.pem", "ec256-public.pem"),
    (Algorithm::ES384, "ec384-private.pem", "ec384-public.pem"),
    (
        Algorithm::EdDSA,
        "ed25519-private.pem",
        "ed25519-public.pem",
    ),
];

fn asymmetric(algorithm: Algorithm, private: &str, public: &str) -> Config {
    Config::default()
        .algorithm(algorithm)
        .private_key(key(private))
        .public_key(key(public))
}

fn launch_error(config: Config) -> String {
    match JwtManager::new(config) {
        Ok(_) => panic!("the configuration was accepted"),
        Err(error) => error.to_string(),
    }
}

#[test]
fn every_algorithm_signs_and_verifies() {
    for (algorithm, private, public) in ALGORITHMS {
        let config = asymmetric(*algorithm, private, public);
        let client = common::client(config.clone());
        let token = JwtManager::new(config)
            .unwrap()
            .create_access_token("alice")
            .unwrap();
        let answer = get_with_token(&client, "/claims", &token);
        assert_eq!(
            answer.status,
            Status::Ok,
            "{algorithm:?}: {:?}",
            answer.body
        );
        assert_eq!(answer.body["header"]["alg"], format!("{algorithm:?}"));
        assert_eq!(answer.body["claims"]["sub"], "alice");
    }
}

#[test]
fn keys_can_come_from_files() {
    let config = Config::default()
        .algorithm(Algorithm::ES256)
        .private_key_file(key_path("ec256-private.pem"))
        .public_key_file(key_path("ec256-public.pem"));
    let jwt = JwtManager::new(config).unwrap();
    let token = jwt.create_access_token("alice").unwrap();
    assert_eq!(jwt.decode_token(&token).unwrap().identity(), "alice");
}

#[test]
fn key_problems_stop_the_launch_naming_the_key() {
    let missing_file = Config::default()
        .algorithm(Algorithm::RS256)
        .private_key_file("/nonexistent/private.pem")
        .public_key(key("rsa-public.pem"));
    let error = launch_error(missing_file);
    assert!(
        error.contains("`jwt_private_key_file`: cannot read /nonexistent/private.pem"),
        "{error}"
    );

    let wrong_kind = asymmetric(Algorithm::RS256, "ec256-private.pem", "rsa-public.pem");
    let error = launch_error(wrong_kind);
    assert!(
        error.contains("`jwt_private_key`: is not an RSA private key in PEM form, as RS256 needs"),
        "{error}"
    );

    let wrong_public = asymmetric(Algorithm::EdDSA, "ed25519-private.pem", "rsa-public.pem");
    assert!(launch_error(wrong_public).contains("`jwt_public_key`: is not an Ed25519 public key"));

    let mismatched_pair = asymmetric(Algorithm::ES256, "ec256-private.pem", "ec384-public.pem");
    let error = launch_error(mismatched_pair);
    assert!(
        error.contains("jwt_public_key") || error.contains("belong together"),
        "{error}"
    );

    let no_public = Config::default()
        .algorithm(Algorithm::RS256)
        .private_key(key("rsa-private.pem"));
    assert!(launch_error(no_public).contains("`jwt_public_key`: is required with RS256"));

    let secret_with_rsa =
        asymmetric(Algorithm::RS256, "rsa-private.pem", "rsa-public.pem").secret_key(SECRET);
    assert!(launch_error(secret_with_rsa)
        .contains("`jwt_secret_key`: is an HMAC secret, which RS256 cannot use"));

    let pem_with_hs = Config::default()
        .secret_key(SECRET)
        .public_key(key("rsa-public.pem"));
    assert!(launch_error(pem_with_hs)
        .contains("`jwt_public_key`: is set but HS256 signs with `jwt_secret_key`"));

    let both = asymmetric(Algorithm::RS256, "rsa-private.pem", "rsa-public.pem")
        .private_key_file(key_path("rsa-private.pem"));
    assert!(launch_error(both).contains("is set twice"));

    let mixed = asymmetric(Algorithm::RS256, "rsa-private.pem", "rsa-public.pem")
        .decode_algorithms(vec![Algorithm::HS256]);
    assert!(launch_error(mixed).contains("`jwt_decode_algorithms`: mixes algorithm families"));
}

#[test]
fn algorithm_confusion_is_refused() {
    // The classic attack: sign HS256 with the RSA public key's PEM as the HMAC secret.
    let config = asymmetric(Algorithm::RS256, "rsa-private.pem", "rsa-public.pem");
    let client = common::client(config);
    let claims = common::valid_claims();
    let forged = common::sign_raw(
        r#"{"alg":"HS256","typ":"JWT"}"#,
        &claims.to_string(),
        &key("rsa-public.pem"),
    );
    let answer = get_with_token(&client, "/protected", &forged);
    assert_eq!(
        (answer.status, answer.msg()),
        (
            Status::UnprocessableEntity,
            "The specified alg value is not allowed"
        )
    );

    // And a token whose header claims RS256 but carries an HMAC tag.
    let parts: Vec<&str> = forged.split('.').collect();
    let relabeled = format!(
        "{}.{}.{}",
        b64(r#"{"alg":"RS256","typ":"JWT"}"#),
        parts[1],
        parts[2]
    );
    let answer = get_with_token(&client, "/protected", &relabeled);
    assert_eq!(
        (answer.status, answer.msg()),
        (Status::UnprocessableEntity, "Signature verification failed")
    );
}

#[test]
fn a_verify_only_app_accepts_the_issuers_tokens_and_cannot_sign() {
    let issuer = JwtManager::new(asymmetric(
        Algorithm::EdDSA,
        "ed25519-private.pem",
        "ed25519-public.pem",
    ))
    .unwrap();
    let verify_only = Config::default()
        .algorithm(Algorithm::EdDSA)
        .public_key(key("ed25519-public.pem"));
    let client = Client::tracked(common::rocket_with(verify_only.clone())).unwrap();
    let token = issuer.create_access_token("alice").unwrap();
    assert_eq!(
        get_with_token(&client, "/protected", &token).body["identity"],
        json!("alice")
    );
    let resource = JwtManager::new(verify_only).unwrap();
    assert!(matches!(
        resource.create_access_token("x"),
        Err(EncodeError::NoSigningKey)
    ));
}

#[test]
fn tokens_from_another_key_pair_fail_the_signature() {
    let rsa = JwtManager::new(asymmetric(
        Algorithm::PS256,
        "rsa-private.pem",
        "rsa-public.pem",
    ))
    .unwrap();
    let token = rsa.create_access_token("alice").unwrap();
    let client = common::client(asymmetric(
        Algorithm::ES256,
        "ec256-private.pem",
        "ec256-public.pem",
    ));
    let answer = get_with_token(&client, "/protected", &token);
    assert_eq!(answer.msg(), "The specified alg value is not allowed");
}

fn jwks_client(config: Config) -> Client {
    let rocket = common::rocket_with(config).mount("/", jwt_ext::jwks_routes());
    Client::tracked(rocket).unwrap()
}

#[test]
fn the_jwks_route_publishes_the_public_key_that_verifies_the_tokens() {
    for (algorithm, private, public) in [
        (Algorithm::RS256, "rsa-private.pem", "rsa-public.pem"),
        (Algorithm::ES256, "ec256-private.pem", "ec256-public.pem"),
        (Algorithm::ES384, "ec384-private.pem", "ec384-public.pem"),
        (
            Algorithm::EdDSA,
            "ed25519-private.pem",
            "ed25519-public.pem",
        ),
    ] {
        let client = jwks_client(asymmetric(algorithm, private, public));
        let response = client.get("/.well-known/jwks.json").dispatch();
        assert_eq!(response.status(), Status::Ok);
        assert_eq!(
            response.headers().get_one("Cache-Control"),
            Some("public, max-age=300")
        );
        assert_eq!(
            response.content_type().map(|c| c.to_string()).as_deref(),
            Some("application/jwk-set+json")
        );
        let set: jsonwebtoken::jwk::JwkSet = response.into_json().unwrap();
        assert_eq!(set.keys.len(), 1);
        let jwk = &set.keys[0];
        let text = serde_json::to_string(jwk).unwrap();
        assert!(!text.contains("\"d\""), "no private part: {text}");

        // A resource server verifies the app's tokens with the published key alone.
        let jwt = client.rocket().state::<JwtManager>().unwrap();
        let token = jwt.create_access_token("alice").unwrap();
        let header = jsonwebtoken::decode_header(&token).unwrap();
        assert_eq!(header.kid, jwk.common.key_id, "{algorithm:?}");
        let key = jsonwebtoken::DecodingKey::from_jwk(jwk).unwrap();
        let mut validation = jsonwebtoken::Validation::new(header.alg);
        validation.validate_nbf = true;
        let data = jsonwebtoken::decode::<serde_json::Value>(&token, &key, &validation).unwrap();
        assert_eq!(data.claims["sub"], "alice");
    }
}

#[test]
fn hmac_apps_publish_nothing() {
    let client = jwks_client(common::config());
    assert_eq!(
        client.get("/.well-known/jwks.json").dispatch().status(),
        Status::NotFound
    );
}

#[test]
fn an_unknown_kid_is_refused_and_no_kid_is_accepted() {
    let config = asymmetric(Algorithm::ES256, "ec256-private.pem", "ec256-public.pem");
    let client = common::client(config.clone());
    let jwt = JwtManager::new(config).unwrap();
    let unknown = jwt
        .access_token("alice")
        .header("kid", "someone-elses-key")
        .create()
        .unwrap();
    let answer = get_with_token(&client, "/protected", &unknown);
    assert_eq!(
        (answer.status, answer.msg()),
        (Status::UnprocessableEntity, "Unknown key ID")
    );
    for kid in ["../../etc/passwd", "' OR 1=1 --"] {
        let hostile = jwt
            .access_token("alice")
            .header("kid", kid)
            .create()
            .unwrap();
        assert_eq!(
            get_with_token(&client, "/protected", &hostile).msg(),
            "Unknown key ID"
        );
    }
    // Flask-JWT-Extended's tokens carry no kid.
    let flask_style = jwt
        .access_token("alice")
        .header("kid", serde_json::Value::Null)
        .create()
        .unwrap();
    assert!(jsonwebtoken::decode_header(&flask_style)
        .unwrap()
        .kid
        .is_none());
    assert_eq!(
        get_with_token(&client, "/protected", &flask_style).status,
        Status::Ok
    );
}
