//! Configuration from Rocket's figment (`Rocket.toml` keys, `ROCKET_JWT_*` variables) and its
//! checks at ignite: Flask's defaults, every bad key named at once, debug vs release rules.

mod common;

use jwt_ext::{Algorithm, Config, IssuerEntry, JwtManager, Lifetime, OneOrMany};
use rocket::figment::providers::{Env, Format, Toml};
use rocket::figment::Figment;
use rocket::http::{Header, Method, SameSite, Status};
use rocket::local::blocking::Client;
use rocket::time::Duration;
use rocket::{Build, Rocket};

fn figment(profile: &str) -> Figment {
    Figment::from(rocket::Config::default()).select(profile)
}

fn rocket_from(figment: Figment) -> Rocket<Build> {
    common::bare_rocket()
        .configure(figment)
        .attach(JwtManager::fairing())
}

/// Whether the launch fails at ignite (a fairing error), reading the error so Rocket does not
/// panic on an unhandled one.
fn launch_fails(rocket: Rocket<Build>) -> bool {
    match Client::tracked(rocket) {
        Ok(_) => false,
        Err(error) => matches!(error.kind(), rocket::error::ErrorKind::FailedFairings(_)),
    }
}

fn problems(figment: &Figment) -> Vec<(String, String)> {
    let config = match Config::from_figment(figment) {
        Ok(config) => config,
        Err(error) => {
            return error
                .problems
                .into_iter()
                .map(|p| (p.key, p.message))
                .collect()
        }
    };
    let strict = figment.profile() != "debug";
    config
        .validate(strict)
        .err()
        .map(|error| {
            error
                .problems
                .into_iter()
                .map(|p| (p.key, p.message))
                .collect()
        })
        .unwrap_or_default()
}

fn keys(problems: &[(String, String)]) -> Vec<&str> {
    problems.iter().map(|(key, _)| key.as_str()).collect()
}

#[test]
fn defaults_are_flasks() {
    let config = Config::from_figment(&figment("debug")).unwrap();
    assert_eq!(config, Config::default());
    assert_eq!(config.algorithm, Algorithm::HS256);
    assert_eq!(config.effective_decode_algorithms(), [Algorithm::HS256]);
    assert_eq!(
        config.access_token_expires,
        Lifetime::Expires(Duration::minutes(15))
    );
    assert_eq!(
        config.refresh_token_expires,
        Lifetime::Expires(Duration::days(30))
    );
    assert_eq!(config.identity_claim, "sub");
    assert_eq!(config.error_message_key, "msg");
    assert_eq!(config.header_name, "Authorization");
    assert_eq!(config.header_type, "Bearer");
    assert_eq!(config.decode_leeway, 0);
    assert!(config.encode_nbf && config.verify_sub && config.cookie_csrf_protect);
    assert_eq!(config.encode_audience, None);
    assert_eq!(config.decode_issuer, None);
}

#[test]
fn every_key_is_read_from_rocket_toml() {
    let toml = r#"
        [default]
        jwt_secret_key = "a-secret-from-rocket-toml-of-64-bytes-aaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
        jwt_algorithm = "HS512"
        jwt_decode_algorithms = ["HS256", "HS384"]
        jwt_access_token_expires = 60
        jwt_refresh_token_expires = false
        jwt_identity_claim = "identity"
        jwt_error_message_key = "error"
        jwt_header_name = "X-Token"
        jwt_header_type = ""
        jwt_token_location = ["headers"]
        jwt_decode_leeway = 5
        jwt_encode_nbf = false
        jwt_verify_sub = false
        jwt_encode_audience = ["a", "b"]
        jwt_decode_audience = "a"
        jwt_encode_issuer = "me"
        jwt_decode_issuer = ["me", "you"]
        jwt_cookie_csrf_protect = false
        jwt_max_token_length = 4096
    "#;
    let figment = figment("debug").merge(Toml::string(toml).nested());
    let config = Config::from_figment(&figment).unwrap();
    assert_eq!(config.secret_key.as_ref().unwrap().as_bytes().len(), 67);
    assert_eq!(config.algorithm, Algorithm::HS512);
    assert_eq!(
        config.effective_decode_algorithms(),
        [Algorithm::HS256, Algorithm::HS384, Algorithm::HS512]
    );
    assert_eq!(
        config.access_token_expires,
        Lifetime::Expires(Duration::minutes(1))
    );
    assert_eq!(config.refresh_token_expires, Lifetime::Never);
    assert_eq!(config.identity_claim, "identity");
    assert_eq!(config.error_message_key, "error");
    assert_eq!(config.header_name, "X-Token");
    assert_eq!(config.header_type, "");
    assert_eq!(config.decode_leeway, 5);
    assert!(!config.encode_nbf && !config.verify_sub && !config.cookie_csrf_protect);
    assert_eq!(
        config.encode_audience,
        Some(OneOrMany::Many(vec!["a".into(), "b".into()]))
    );
    assert_eq!(config.decode_audience, Some(OneOrMany::One("a".into())));
    assert_eq!(config.encode_issuer.as_deref(), Some("me"));
    assert_eq!(
        config.decode_issuer,
        Some(OneOrMany::Many(vec!["me".into(), "you".into()]))
    );
    assert_eq!(config.max_token_length, 4096);
    assert!(config.validate(true).is_ok());
}

#[test]
#[allow(clippy::result_large_err)] // figment::Error is large; Jail fixes the signature.
fn environment_variables_are_read() {
    figment::Jail::expect_with(|jail| {
        jail.set_env(
            "ROCKET_JWT_SECRET_KEY",
            "an-env-secret-of-at-least-48-bytes-for-hs384-xxxxx",
        );
        jail.set_env("ROCKET_JWT_ACCESS_TOKEN_EXPIRES", "120");
        jail.set_env("ROCKET_JWT_REFRESH_TOKEN_EXPIRES", "false");
        jail.set_env("ROCKET_JWT_DECODE_ALGORITHMS", "[HS256, HS384]");
        jail.set_env("ROCKET_JWT_HEADER_TYPE", "JWT");
        let figment = figment("release").merge(Env::prefixed("ROCKET_").global());
        let config = Config::from_figment(&figment).unwrap();
        assert_eq!(
            config.access_token_expires,
            Lifetime::Expires(Duration::minutes(2))
        );
        assert_eq!(config.refresh_token_expires, Lifetime::Never);
        assert_eq!(config.header_type, "JWT");
        assert_eq!(
            config.effective_decode_algorithms(),
            [Algorithm::HS256, Algorithm::HS384]
        );
        assert!(config.validate(true).is_ok());
        Ok(())
    });
}

#[test]
fn every_bad_key_is_named_at_once() {
    let figment = figment("release")
        .merge(("jwt_algorithm", "HS257"))
        .merge(("jwt_access_token_expires", "soon"))
        .merge(("jwt_refresh_token_expires", true))
        .merge(("jwt_decode_leeway", -1))
        .merge(("jwt_acess_token_expires", 5))
        .merge(("jwt_cookie_secure", "yes"))
        .merge(("jwt_token_location", ["cookies", "body"]));
    let problems = problems(&figment);
    let mut named = keys(&problems);
    named.sort_unstable();
    assert_eq!(
        named,
        [
            "jwt_access_token_expires",
            "jwt_acess_token_expires",
            "jwt_algorithm",
            "jwt_cookie_secure",
            "jwt_decode_leeway",
            "jwt_refresh_token_expires",
            "jwt_token_location",
        ]
    );
    let message = |key: &str| &problems.iter().find(|(k, _)| k == key).unwrap().1;
    assert!(message("jwt_algorithm").contains("unknown algorithm `HS257`"));
    assert!(message("jwt_acess_token_expires").contains("did you mean `jwt_access_token_expires`"));
    assert!(message("jwt_refresh_token_expires").contains("`false`"));
    assert!(message("jwt_cookie_secure").contains("must be `true` or `false`"));
    assert!(message("jwt_token_location").contains("`body` is not a token location"));
}

#[test]
fn value_rules_are_checked_together() {
    let config = Config::default()
        .secret_key("short")
        .header_name("")
        .header_type("Bearer token")
        .identity_claim("")
        .error_message_key("")
        .decode_leeway(100_000)
        .access_token_expires(Lifetime::Expires(Duration::seconds(-1)))
        .refresh_token_expires(Lifetime::Expires(Duration::days(365 * 200)))
        .decode_audience(Vec::<String>::new())
        .max_token_length(10)
        .decode_algorithms(vec![Algorithm::RS256]);
    let error = config.validate(true).unwrap_err();
    let mut named: Vec<&str> = error.problems.iter().map(|p| p.key.as_str()).collect();
    named.sort_unstable();
    assert_eq!(
        named,
        [
            "jwt_access_token_expires",
            "jwt_decode_algorithms",
            "jwt_decode_audience",
            "jwt_decode_leeway",
            "jwt_error_message_key",
            "jwt_header_name",
            "jwt_header_type",
            "jwt_identity_claim",
            "jwt_max_token_length",
            "jwt_refresh_token_expires",
            "jwt_secret_key",
        ]
    );
    let text = error.to_string();
    assert!(text.starts_with("invalid jwt-ext configuration:"), "{text}");
    assert!(
        text.contains("`jwt_secret_key`: is 5 bytes; HS256 needs at least 32"),
        "{text}"
    );
}

#[test]
fn keys_of_flask_3x_and_tymon_are_refused_with_what_replaces_them() {
    let figment = Figment::from(rocket::Config::default())
        .merge(("jwt_blacklist_enabled", true))
        .merge(("jwt_blacklist_token_checks", ["access", "refresh"]))
        .merge(("jwt_user_claims", "user_claims"))
        .merge(("jwt_claims_in_refresh_token", true))
        .merge(("jwt_refresh_ttl", 20160))
        .merge(("jwt_blacklist_grace_period", 30));
    let error = Config::from_figment(&figment).unwrap_err();
    let message = |key: &str| {
        error
            .problems
            .iter()
            .find(|problem| problem.key == key)
            .map(|problem| problem.message.clone())
            .unwrap_or_else(|| panic!("{key} not reported: {error}"))
    };
    assert!(message("jwt_blacklist_enabled").contains("every verified request asks"));
    assert!(message("jwt_blacklist_token_checks").contains("`skip_revocation_check`"));
    assert!(message("jwt_user_claims").contains(r#"token.claims()["user_claims"]"#));
    assert!(message("jwt_claims_in_refresh_token").contains("refresh tokens get them too"));
    assert!(message("jwt_refresh_ttl").contains("`jwt_sliding_refresh_window`"));
    assert!(message("jwt_blacklist_grace_period").contains("`jwt_sliding_refresh_grace`"));
    assert_eq!(error.problems.len(), 6, "{error}");
}

#[test]
fn debug_output_never_shows_a_secret() {
    const PEM: &str = "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----";
    let config = Config::default()
        .secret_key("the-hmac-secret-that-must-not-leak")
        .private_key(PEM)
        .redis_url("redis://app:s3cr3t-password@cache.internal:6379/0")
        .key(jwt_ext::KeyEntry::pem(
            "k1",
            Some(PEM.into()),
            "public".into(),
        ));
    let texts = [
        format!("{config:?}"),
        format!("{config:#?}"),
        format!("{:?}", JwtManager::fairing_with(config.clone())),
        format!("{:?}", config.key_set[0]),
    ];
    for text in &texts {
        for secret in ["the-hmac-secret", "MIGHAgEA", "s3cr3t-password"] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
    }
    assert!(texts[0].contains(r#"redis_url: Some("redis://app:<redacted>@cache.internal:6379/0")"#));
    assert!(
        texts[0].contains("private_key: Some(<redacted>)"),
        "{}",
        texts[0]
    );
    assert!(texts[3].contains(r#"kid: "k1""#), "{}", texts[3]);
    // A password alone (`redis://:password@host`), and a URL without one, as they are.
    let only_password = format!("{:?}", Config::default().redis_url("rediss://:pw123@h:1"));
    assert!(
        only_password.contains(r#""rediss://:<redacted>@h:1""#),
        "{only_password}"
    );
    let bare = format!("{:?}", Config::default().redis_url("redis://h:1/0"));
    assert!(bare.contains(r#""redis://h:1/0""#), "{bare}");
}

#[test]
fn a_manager_debug_output_shows_no_private_key() {
    let pem = jwt_ext_tests::test_key("ec256-private.pem");
    let config = Config::default()
        .algorithm(jsonwebtoken::Algorithm::ES256)
        .private_key(pem.clone())
        .public_key(jwt_ext_tests::test_key("ec256-public.pem"));
    let manager = JwtManager::new(config).unwrap();
    let text = format!("{manager:?}");
    let body = pem.lines().nth(1).unwrap();
    assert!(!text.contains(body), "{text}");
    assert!(text.contains("<redacted>"), "{text}");
}

/// A secret of `len` bytes that does not repeat a short pattern.
fn varied(len: usize) -> String {
    "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_"
        .chars()
        .cycle()
        .take(len)
        .collect()
}

#[test]
fn placeholder_secrets_are_refused_in_release_and_warned_about_in_debug() {
    for placeholder in ["k".repeat(32), "abcd".repeat(8), "changeme".repeat(4)] {
        let config = Config::default().secret_key(placeholder.clone());
        let error = config.validate(true).unwrap_err();
        assert_eq!(error.problems[0].key, "jwt_secret_key");
        assert!(
            error.problems[0].message.contains("too easy to guess"),
            "{error}"
        );
        let warnings = config.validate(false).unwrap();
        assert!(warnings[0].contains("too easy to guess"), "{warnings:?}");
    }
    let release = figment("release").merge(("jwt_secret_key", "k".repeat(48)));
    assert!(launch_fails(rocket_from(release)));
    // A key-set secret gets the same check.
    let set = Config::default().key(jwt_ext::KeyEntry::secret("a", "x".repeat(40)));
    assert_eq!(
        set.validate(true).unwrap_err().problems[0].key,
        "jwt_keys[0].secret_key"
    );
}

#[test]
fn secret_length_follows_the_hash() {
    for (algorithm, needed) in [
        (Algorithm::HS256, 32),
        (Algorithm::HS384, 48),
        (Algorithm::HS512, 64),
    ] {
        let short = Config::default()
            .algorithm(algorithm)
            .secret_key(varied(needed - 1));
        assert!(short.validate(true).is_err(), "{algorithm:?}");
        assert_eq!(short.validate(false).unwrap().len(), 1, "debug warns");
        let enough = Config::default()
            .algorithm(algorithm)
            .secret_key(varied(needed));
        assert!(enough.validate(true).unwrap().is_empty(), "{algorithm:?}");
    }
    // The longest hash of the decode list sets the bar.
    let mixed = Config::default()
        .secret_key("an-example-secret-of-at-least-32-bytes")
        .decode_algorithms(vec![Algorithm::HS512]);
    assert!(mixed.validate(true).is_err());
}

#[test]
fn release_profile_refuses_to_launch_without_a_secret() {
    assert!(launch_fails(rocket_from(figment("release"))));
    let short = figment("release").merge(("jwt_secret_key", "too-short"));
    assert!(launch_fails(rocket_from(short)));

    let good = figment("release").merge(("jwt_secret_key", common::SECRET));
    assert!(Client::tracked(rocket_from(good)).is_ok());
}

#[test]
fn debug_profile_generates_a_secret_and_works() {
    let client = Client::tracked(rocket_from(figment("debug"))).unwrap();
    let jwt = client.rocket().state::<JwtManager>().unwrap();
    let token = jwt.create_access_token("alice").unwrap();
    let response = client
        .get("/protected")
        .header(Header::new("Authorization", format!("Bearer {token}")))
        .dispatch();
    assert_eq!(response.status(), Status::Ok);

    // The random secret is not a fixed one: a token from another debug run is refused.
    let other = Client::tracked(rocket_from(figment("debug"))).unwrap();
    let response = other
        .get("/protected")
        .header(Header::new("Authorization", format!("Bearer {token}")))
        .dispatch();
    assert_eq!(response.status(), Status::UnprocessableEntity);
}

#[test]
fn debug_profile_still_refuses_bad_values() {
    let figment = figment("debug").merge(("jwt_header_name", ""));
    assert!(launch_fails(rocket_from(figment)));
}

#[test]
fn numeric_secret_from_the_environment_is_explained() {
    let figment = figment("release").merge(("jwt_secret_key", 1234));
    let problems = problems(&figment);
    assert_eq!(keys(&problems), ["jwt_secret_key"]);
    assert!(problems[0].1.contains("quote it"));
}

#[test]
fn settings_given_in_code_ignore_the_figment() {
    let figment = figment("release").merge(("jwt_header_name", ""));
    let rocket = common::bare_rocket()
        .configure(figment)
        .attach(JwtManager::fairing_with(common::config()));
    assert!(Client::tracked(rocket).is_ok());
}

#[test]
fn every_browser_key_is_read_from_rocket_toml() {
    let toml = r#"
        [default]
        jwt_secret_key = "a-secret-from-rocket-toml-of-32-bytes-at-least"
        jwt_token_location = ["cookies", "query_string", "headers", "json"]
        jwt_access_cookie_name = "__Host-at"
        jwt_refresh_cookie_name = "rt"
        jwt_access_cookie_path = "/"
        jwt_refresh_cookie_path = "/auth/refresh"
        jwt_cookie_secure = true
        jwt_cookie_domain = false
        jwt_cookie_samesite = "strict"
        jwt_session_cookie = false
        jwt_csrf_methods = ["post", "DELETE"]
        jwt_csrf_in_cookies = false
        jwt_access_csrf_cookie_name = "at_csrf"
        jwt_refresh_csrf_cookie_name = "rt_csrf"
        jwt_access_csrf_cookie_path = "/app"
        jwt_refresh_csrf_cookie_path = "/auth"
        jwt_access_csrf_header_name = "X-At-Csrf"
        jwt_refresh_csrf_header_name = "X-Rt-Csrf"
        jwt_csrf_check_form = true
        jwt_access_csrf_field_name = "at_field"
        jwt_refresh_csrf_field_name = "rt_field"
        jwt_query_string_name = "token"
        jwt_query_string_value_prefix = "Bearer "
        jwt_json_key = "at"
        jwt_refresh_json_key = "rt"
        jwt_refresh_cookie_post_only = true
    "#;
    let read = figment("release").merge(Toml::string(toml).nested());
    let config = Config::from_figment(&read).unwrap();
    assert_eq!(
        config.token_location.to_string(),
        "cookies, query_string, headers, json"
    );
    assert_eq!(config.access_cookie_name, "__Host-at");
    assert_eq!(config.refresh_cookie_name, "rt");
    assert_eq!(config.access_cookie_path, "/");
    assert_eq!(config.refresh_cookie_path, "/auth/refresh");
    assert!(config.cookie_secure && !config.session_cookie && !config.csrf_in_cookies);
    assert_eq!(config.cookie_domain, None);
    assert_eq!(config.cookie_samesite, Some(SameSite::Strict));
    assert_eq!(config.csrf_methods, [Method::Post, Method::Delete]);
    assert_eq!(config.access_csrf_cookie_name, "at_csrf");
    assert_eq!(config.refresh_csrf_cookie_name, "rt_csrf");
    assert_eq!(config.access_csrf_cookie_path, "/app");
    assert_eq!(config.refresh_csrf_cookie_path, "/auth");
    assert_eq!(config.access_csrf_header_name, "X-At-Csrf");
    assert_eq!(config.refresh_csrf_header_name, "X-Rt-Csrf");
    assert!(config.csrf_check_form && config.refresh_cookie_post_only);
    assert_eq!(config.access_csrf_field_name, "at_field");
    assert_eq!(config.refresh_csrf_field_name, "rt_field");
    assert_eq!(config.query_string_name, "token");
    assert_eq!(config.query_string_value_prefix, "Bearer ");
    assert_eq!(config.json_key, "at");
    assert_eq!(config.refresh_json_key, "rt");
    assert!(config.validate(true).is_ok());

    // A single string is a list of one, as in Flask.
    let one = figment("debug").merge(("jwt_token_location", "cookies"));
    assert_eq!(
        Config::from_figment(&one)
            .unwrap()
            .token_location
            .to_string(),
        "cookies"
    );
}

#[test]
fn bad_browser_values_are_named() {
    let bad = figment("release")
        .merge(("jwt_token_location", Vec::<String>::new()))
        .merge(("jwt_cookie_samesite", "sometimes"))
        .merge(("jwt_csrf_methods", ["POST", "FETCH"]))
        .merge(("jwt_session_cookie", "no"))
        .merge(("jwt_cookie_domain", 7));
    let named = problems(&bad);
    let message = |key: &str| {
        named.iter().find(|(k, _)| k == key).map_or_else(
            || panic!("{key} not named in {named:?}"),
            |(_, m)| m.clone(),
        )
    };
    assert!(message("jwt_token_location").contains("at least one token location"));
    assert!(message("jwt_cookie_samesite").contains("`Lax`, `Strict` or `None`"));
    assert!(message("jwt_csrf_methods").contains("`FETCH` is not an HTTP method"));
    assert!(message("jwt_session_cookie").contains("`true` or `false`"));
    assert!(message("jwt_cookie_domain").contains("must be a string"));
    let twice = figment("release").merge(("jwt_token_location", ["cookies", "cookies"]));
    assert!(problems(&twice)
        .iter()
        .any(|(key, message)| key == "jwt_token_location" && message.contains("listed twice")));

    let invalid = Config::default()
        .secret_key("a-secret-of-32-bytes-or-more-for-hs256")
        .access_cookie_name("bad name")
        .refresh_cookie_path("no-slash")
        .cookie_domain("a;b")
        .access_csrf_header_name("X CSRF")
        .query_string_name("")
        .json_key("")
        .validate(true)
        .unwrap_err();
    let mut keys: Vec<&str> = invalid.problems.iter().map(|p| p.key.as_str()).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "jwt_access_cookie_name",
            "jwt_access_csrf_header_name",
            "jwt_cookie_domain",
            "jwt_json_key",
            "jwt_query_string_name",
            "jwt_refresh_cookie_path",
        ]
    );
}

#[test]
#[allow(clippy::result_large_err)] // figment::Error is large; Jail fixes the signature.
fn the_issuers_of_a_resource_server_are_read_from_the_environment() {
    figment::Jail::expect_with(|jail| {
        jail.set_env(
            "ROCKET_JWT_ISSUERS",
            r#"[{issuer="https://a.example", audience="orders-api"}, {issuer="https://b.example", jwks_url="https://b.example/keys"}]"#,
        );
        jail.set_env(
            "ROCKET_JWT_OIDC_ISSUER",
            "https://login.example.com/realms/x",
        );
        jail.set_env("ROCKET_JWT_DECODE_TYP", "at+jwt");
        let figment = figment("release").merge(Env::prefixed("ROCKET_").global());
        let config = Config::from_figment(&figment).unwrap();
        assert_eq!(
            config.issuers,
            [
                IssuerEntry::new("https://a.example").audience("orders-api"),
                IssuerEntry::new("https://b.example").jwks_url("https://b.example/keys"),
            ]
        );
        assert_eq!(
            config.oidc_issuer.as_deref(),
            Some("https://login.example.com/realms/x")
        );
        assert_eq!(config.decode_typ.as_deref(), Some("at+jwt"));
        // Verify-only: no secret needed in release.
        assert_eq!(config.validate(true).map(|_| ()), Ok(()));
        Ok(())
    });
}

#[test]
fn mistakes_in_the_issuers_are_named_by_entry_and_field() {
    let toml = r#"
        [release]
        jwt_oidc_issuer = "http://login.example.com"
        jwt_jwks_url = "https://keys.example/jwks.json"
        jwt_decode_issuer = "https://a.example"
        jwt_decode_typ = "at jwt"

        [[release.jwt_issuers]]
        issuer = "https://a.example"
        audience = []
        algorithms = ["HS256"]

        [[release.jwt_issuers]]
        issuer = "https://a.example"
        jwks_url = "ftp://a.example/keys"
    "#;
    let release = figment("release").merge(Toml::string(toml).nested());
    let found = problems(&release);
    let mut named = keys(&found);
    named.sort_unstable();
    assert_eq!(
        named,
        [
            "jwt_decode_issuer",
            "jwt_decode_typ",
            "jwt_issuers[0].algorithms",
            "jwt_issuers[0].audience",
            "jwt_issuers[1].issuer",
            "jwt_issuers[1].jwks_url",
            // Set beside the issuers, and HS256 cannot use a JWKS.
            "jwt_jwks_url",
            "jwt_jwks_url",
            "jwt_oidc_issuer",
        ],
        "{found:?}"
    );
    let message = |key: &str| &found.iter().find(|(k, _)| k == key).unwrap().1;
    assert!(message("jwt_oidc_issuer").starts_with("must be `https://`"));
    assert!(message("jwt_issuers[1].issuer").contains("listed twice"));
    assert!(message("jwt_issuers[0].algorithms").contains("HMAC"));
    // The debug profile allows plain HTTP off loopback, nothing else.
    let debug = figment("debug").merge(Toml::string(&toml.replace("[release", "[debug")).nested());
    assert!(!keys(&problems(&debug)).contains(&"jwt_oidc_issuer"));

    // A bad list is named with its entry.
    let unknown = figment("release").merge(
        Toml::string("[release]\njwt_issuers = [{ issuer = \"https://a.example\", aud = \"x\" }]")
            .nested(),
    );
    let found = problems(&unknown);
    assert_eq!(keys(&found), ["jwt_issuers"], "{found:?}");
    assert!(found[0].1.contains("[0]: unknown field `aud`"), "{found:?}");
    // `jwt_decode_typ` alone has nothing to apply to.
    let alone = figment("release").merge(Toml::string(
        "[release]\njwt_secret_key = \"a-secret-that-is-long-enough-for-hs256-0123\"\njwt_decode_typ = \"at+jwt\"",
    ).nested());
    let found = problems(&alone);
    assert_eq!(keys(&found), ["jwt_decode_typ"], "{found:?}");
}
