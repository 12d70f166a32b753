//! One login service, many resource servers: an issuer that signs and publishes its JWKS, and
//! a verify-only resource server that takes its keys from that JWKS (`jwt_jwks_url`), both on
//! loopback. Then a key rotation on the issuer, seen by the resource server; an unknown-`kid`
//! flood that must not become a fetch flood; an issuer that goes away.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use jwt_ext::{AccessJwt, Algorithm, Config, JwtManager, KeyEntry};
use jwt_ext_tests::{free_port, test_key as key, wait_for_port_async};
use rocket::fairing::AdHoc;
use rocket::http::{Header, Status};
use rocket::local::asynchronous::Client;
use rocket::serde::json::{json, Value};
use rocket::{get, routes, Shutdown};

/// The issuer's keys: `(kid, private PEM file, public PEM file)`, the first one signing.
type KeyFiles<'a> = &'a [(&'a str, &'a str, &'a str)];

fn issuer_config(algorithm: Algorithm, keys: KeyFiles<'_>) -> Config {
    let mut config = Config::default().algorithm(algorithm);
    for (kid, private, public) in keys {
        config = config.key(KeyEntry::pem(*kid, Some(key(private)), key(public)));
    }
    config.signing_key_id(keys[0].0)
}

/// An issuer serving its JWKS on `port`, counting the fetches; stopped through the handle.
struct Issuer {
    shutdown: Shutdown,
    task: rocket::tokio::task::JoinHandle<()>,
    jwt: JwtManager,
}

impl Issuer {
    async fn start(port: u16, config: Config, fetches: Arc<AtomicUsize>) -> Self {
        let figment = rocket::Config::figment()
            .merge(("address", "127.0.0.1"))
            .merge(("port", port))
            .merge(("log_level", "off"));
        let counter = AdHoc::on_request("count JWKS fetches", move |request, _| {
            let fetches = Arc::clone(&fetches);
            Box::pin(async move {
                if request.uri().path() == "/.well-known/jwks.json" {
                    fetches.fetch_add(1, Ordering::SeqCst);
                }
            })
        });
        let rocket = rocket::custom(figment)
            .attach(JwtManager::fairing_with(config.clone()))
            .attach(counter)
            .mount("/", jwt_ext::jwks_routes())
            .ignite()
            .await
            .expect("the issuer ignites");
        let shutdown = rocket.shutdown();
        let task = rocket::tokio::spawn(async move {
            let _ = rocket.launch().await;
        });
        wait_for_port_async(port, "the issuer").await;
        Self {
            shutdown,
            task,
            jwt: JwtManager::new(config).unwrap(),
        }
    }

    fn token(&self) -> String {
        self.jwt.create_access_token("alice").unwrap()
    }

    async fn stop(self) {
        self.shutdown.notify();
        let _ = self.task.await;
    }
}

#[get("/protected")]
fn protected(jwt: AccessJwt) -> Value {
    json!({ "identity": jwt.identity(), "kid": jwt.header().get("kid") })
}

fn resource_config(algorithm: Algorithm, port: u16) -> Config {
    Config::default()
        .algorithm(algorithm)
        .jwks_url(format!("http://127.0.0.1:{port}/.well-known/jwks.json"))
        .jwks_min_refetch_interval(1)
}

async fn resource_server(config: Config) -> Result<Client, rocket::Error> {
    let rocket = rocket::custom(rocket::Config::figment().merge(("log_level", "off")))
        .attach(JwtManager::fairing_with(config))
        .mount("/", routes![protected]);
    Client::untracked(rocket).await
}

async fn call(client: &Client, token: &str) -> (Status, Value) {
    let response = client
        .get("/protected")
        .header(Header::new("Authorization", format!("Bearer {token}")))
        .dispatch()
        .await;
    let status = response.status();
    (status, response.into_json().await.unwrap_or(Value::Null))
}

#[rocket::async_test]
async fn resource_servers_verify_rs256_es256_and_eddsa_through_the_jwks() {
    for (algorithm, private, public) in [
        (Algorithm::RS256, "rsa-private.pem", "rsa-public.pem"),
        (Algorithm::ES256, "ec256-private.pem", "ec256-public.pem"),
        (
            Algorithm::EdDSA,
            "ed25519-private.pem",
            "ed25519-public.pem",
        ),
    ] {
        let port = free_port();
        let fetches = Arc::new(AtomicUsize::new(0));
        let keys = [("issuer-1", private, public)];
        let issuer =
            Issuer::start(port, issuer_config(algorithm, &keys), Arc::clone(&fetches)).await;
        let client = resource_server(resource_config(algorithm, port))
            .await
            .expect("the resource server fetches the JWKS at ignite");
        assert_eq!(fetches.load(Ordering::SeqCst), 1, "{algorithm:?}");

        let (status, body) = call(&client, &issuer.token()).await;
        assert_eq!(status, Status::Ok, "{algorithm:?}: {body}");
        assert_eq!(body, json!({ "identity": "alice", "kid": "issuer-1" }));

        // The resource server holds no signing key: it cannot mint tokens.
        let jwt = client.rocket().state::<JwtManager>().unwrap();
        assert!(jwt.create_access_token("mallory").is_err());

        // Another key pair of the same algorithm, same kid: the signature fails.
        let forged = issuer_config(
            Algorithm::ES256,
            &[(
                "issuer-1",
                "ec256-second-private.pem",
                "ec256-second-public.pem",
            )],
        );
        if algorithm == Algorithm::ES256 {
            let token = JwtManager::new(forged)
                .unwrap()
                .create_access_token("mallory")
                .unwrap();
            let (status, body) = call(&client, &token).await;
            assert_eq!(status, Status::UnprocessableEntity);
            assert_eq!(body["msg"], "Signature verification failed");
        }
        issuer.stop().await;
    }
}

#[rocket::async_test]
async fn a_rotation_on_the_issuer_is_seen_by_the_resource_server() {
    let port = free_port();
    let fetches = Arc::new(AtomicUsize::new(0));
    let old = ("2026-10", "ec256-private.pem", "ec256-public.pem");
    let new = (
        "2026-11",
        "ec256-second-private.pem",
        "ec256-second-public.pem",
    );

    // 1. The issuer signs with the old key; the resource server fetched it at ignite.
    let issuer = Issuer::start(
        port,
        issuer_config(Algorithm::ES256, &[old]),
        Arc::clone(&fetches),
    )
    .await;
    let client = resource_server(resource_config(Algorithm::ES256, port))
        .await
        .unwrap();
    let old_token = issuer.token();
    assert_eq!(call(&client, &old_token).await.0, Status::Ok);
    issuer.stop().await;

    // 2. The issuer adds the new key and signs with it; the old one still verifies. The
    //    resource server has never seen the new `kid`: it refetches once and accepts.
    let issuer = Issuer::start(
        port,
        issuer_config(Algorithm::ES256, &[new, old]),
        Arc::clone(&fetches),
    )
    .await;
    let new_token = issuer.token();
    let before = fetches.load(Ordering::SeqCst);
    let (status, body) = call(&client, &new_token).await;
    assert_eq!(status, Status::Ok, "{body}");
    assert_eq!(body["kid"], "2026-11");
    assert_eq!(fetches.load(Ordering::SeqCst), before + 1);
    assert_eq!(call(&client, &old_token).await.0, Status::Ok);
    issuer.stop().await;

    // 3. After the longest token lifetime the issuer drops the old key. The next refresh (here
    //    forced by a token naming an unknown kid, past the 1 s rate limit) removes it, and the
    //    old token, verified and cached before, is refused.
    let issuer = Issuer::start(
        port,
        issuer_config(Algorithm::ES256, &[new]),
        Arc::clone(&fetches),
    )
    .await;
    rocket::tokio::time::sleep(Duration::from_millis(1100)).await;
    let unknown = JwtManager::new(issuer_config(
        Algorithm::ES256,
        &[(
            "nobody",
            "ec256-second-private.pem",
            "ec256-second-public.pem",
        )],
    ))
    .unwrap()
    .create_access_token("mallory")
    .unwrap();
    let (status, body) = call(&client, &unknown).await;
    assert_eq!(
        (status, body["msg"].as_str()),
        (Status::UnprocessableEntity, Some("Unknown key ID"))
    );
    let (status, body) = call(&client, &old_token).await;
    assert_eq!(
        (status, body["msg"].as_str()),
        (Status::UnprocessableEntity, Some("Unknown key ID"))
    );
    assert_eq!(call(&client, &new_token).await.0, Status::Ok);
    issuer.stop().await;
}

#[rocket::async_test]
async fn unknown_kid_floods_are_rate_limited_and_an_absent_issuer_changes_nothing() {
    let port = free_port();
    let fetches = Arc::new(AtomicUsize::new(0));
    let keys = [("k1", "ec256-private.pem", "ec256-public.pem")];
    let issuer = Issuer::start(
        port,
        issuer_config(Algorithm::ES256, &keys),
        Arc::clone(&fetches),
    )
    .await;
    let mut config = resource_config(Algorithm::ES256, port);
    config.jwks_min_refetch_interval = 60;
    let client = resource_server(config).await.unwrap();
    let token = issuer.token();
    assert_eq!(fetches.load(Ordering::SeqCst), 1);

    // 50 tokens naming made-up kids: one refetch at most within the interval.
    for n in 0..50 {
        let bogus = JwtManager::new(issuer_config(
            Algorithm::ES256,
            &[(
                &format!("bogus-{n}"),
                "ec256-second-private.pem",
                "ec256-second-public.pem",
            )],
        ))
        .unwrap()
        .create_access_token("mallory")
        .unwrap();
        let (status, body) = call(&client, &bogus).await;
        assert_eq!(
            (status, body["msg"].as_str()),
            (Status::UnprocessableEntity, Some("Unknown key ID"))
        );
    }
    // The first unknown kid refetches (the ignite fetch was not for a kid); the 49 others
    // fall within the minute.
    assert_eq!(fetches.load(Ordering::SeqCst), 2);

    // The issuer goes away: the cached keys keep working.
    issuer.stop().await;
    assert_eq!(call(&client, &token).await.0, Status::Ok);
}

/// Whether the resource server refuses to launch (the error is inspected, as Rocket wants).
/// Whether the launch stops because jwt-ext's fairing failed (not for any other reason, such as
/// a port in use).
async fn refuses_to_launch(config: Config) -> bool {
    match resource_server(config).await {
        Ok(_) => false,
        Err(error) => match error.kind() {
            rocket::error::ErrorKind::FailedFairings(failed) => {
                failed.iter().any(|fairing| fairing.name == "jwt-ext")
            }
            other => panic!("the launch failed for another reason: {other:?}"),
        },
    }
}

#[rocket::async_test]
async fn a_resource_server_does_not_start_without_its_jwks() {
    let closed = free_port();
    assert!(refuses_to_launch(resource_config(Algorithm::ES256, closed)).await);

    // A JWKS with keys of another family is no JWKS for this server either.
    let port = free_port();
    let fetches = Arc::new(AtomicUsize::new(0));
    let keys = [("r1", "rsa-private.pem", "rsa-public.pem")];
    let issuer = Issuer::start(port, issuer_config(Algorithm::RS256, &keys), fetches).await;
    assert!(refuses_to_launch(resource_config(Algorithm::ES256, port)).await);
    issuer.stop().await;
}

#[test]
fn remote_settings_are_checked() {
    let problems = |config: Config| {
        config
            .validate(true)
            .err()
            .map(|error| {
                error
                    .problems
                    .into_iter()
                    .map(|problem| format!("{}: {}", problem.key, problem.message))
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    };
    let es256 = || Config::default().algorithm(Algorithm::ES256);
    assert!(
        problems(es256().jwks_url("https://login.example.com/.well-known/jwks.json")).is_empty()
    );
    assert!(problems(es256().jwks_url("http://127.0.0.1:8000/jwks.json")).is_empty());
    let plain = problems(es256().jwks_url("http://login.example.com/jwks.json"));
    assert!(plain[0].contains("must be `https://`"), "{plain:?}");
    // The host decides, not the start of the text: a user name or a longer domain that begin
    // like a loopback address are other hosts.
    for elsewhere in [
        "http://127.0.0.1@evil.invalid/jwks",
        "http://127.0.0.1.evil.invalid/jwks",
        "http://localhost.evil.invalid/jwks",
        "http://[::1]@evil.invalid/jwks",
        "http://127.0.0.1:80@evil.invalid:8080/jwks",
    ] {
        let refused = problems(es256().jwks_url(elsewhere));
        assert!(
            refused.iter().any(|p| p.contains("must be `https://`")),
            "{elsewhere}: {refused:?}"
        );
    }
    for loopback in [
        "http://localhost:8001/jwks",
        "http://LOCALHOST/jwks",
        "http://127.8.9.10/jwks",
        "http://[::1]:8001/jwks",
    ] {
        assert!(
            problems(es256().jwks_url(loopback)).is_empty(),
            "{loopback}"
        );
    }
    let garbage = problems(es256().jwks_url("not a url"));
    assert!(
        garbage[0].starts_with("jwt_jwks_url: is not a URL"),
        "{garbage:?}"
    );
    let hmac = problems(Config::default().jwks_url("https://login.example.com/jwks.json"));
    assert!(
        hmac.iter().any(|p| p.contains("publishes public keys")),
        "{hmac:?}"
    );
    let mixed = problems(
        es256()
            .jwks_url("https://login.example.com/jwks.json")
            .public_key(key("ec256-public.pem")),
    );
    assert!(
        mixed
            .iter()
            .any(|p| p.starts_with("jwt_public_key: is set together")),
        "{mixed:?}"
    );
    let intervals = problems(
        es256()
            .jwks_url("https://login.example.com/jwks.json")
            .jwks_refresh_interval(1)
            .jwks_min_refetch_interval(0),
    );
    assert_eq!(intervals.len(), 2, "{intervals:?}");
}

#[rocket::async_test]
async fn the_background_refresh_picks_up_a_removed_key() {
    let port = free_port();
    let fetches = Arc::new(AtomicUsize::new(0));
    let old = ("old", "ec256-private.pem", "ec256-public.pem");
    let new = ("new", "ec256-second-private.pem", "ec256-second-public.pem");
    let issuer = Issuer::start(
        port,
        issuer_config(Algorithm::ES256, &[old, new]),
        Arc::clone(&fetches),
    )
    .await;
    let old_token = issuer.token();
    // The background task runs from liftoff, which a tracked local client reaches.
    let rocket = rocket::custom(rocket::Config::figment().merge(("log_level", "off")))
        .attach(JwtManager::fairing_with(
            resource_config(Algorithm::ES256, port).jwks_refresh_interval(10),
        ))
        .mount("/", routes![protected]);
    let client = Client::tracked(rocket).await.unwrap();
    assert_eq!(call(&client, &old_token).await.0, Status::Ok);
    issuer.stop().await;

    // The issuer drops the old key; no request names an unknown kid, yet within one refresh
    // interval the resource server stops accepting the old key's tokens.
    let issuer = Issuer::start(
        port,
        issuer_config(Algorithm::ES256, &[new]),
        Arc::clone(&fetches),
    )
    .await;
    let before = fetches.load(Ordering::SeqCst);
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let (status, body) = call(&client, &old_token).await;
        if status == Status::UnprocessableEntity {
            assert_eq!(body["msg"], "Unknown key ID");
            break;
        }
        assert!(Instant::now() < deadline, "the old key was never dropped");
        rocket::tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert!(fetches.load(Ordering::SeqCst) > before);
    issuer.stop().await;
}
