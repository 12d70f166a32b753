//! `examples/microservices`: the issuer signs and publishes its JWKS on loopback, the resource
//! server (no key of its own) fetches it at launch and verifies the issuer's tokens; then the
//! resource server on a real OpenID provider's discovery alone, and on both side by side.

use jwt_ext_tests::oidc::{OpenIdProvider, ProviderClient, ProviderKey, Resource};
use jwt_ext_tests::{free_port, wait_for_port_async};
use rocket::http::{Header, Status};
use rocket::local::asynchronous::Client;
use serde_json::{json, Value};

#[rocket::async_test]
async fn the_resource_server_verifies_the_issuers_tokens_through_its_jwks() {
    let port = free_port();
    // Log in at the issuer, over HTTP.
    let (shutdown, access) = example_issuer(port).await;
    let http = reqwest::Client::new();
    let jwks = http
        .get(format!("http://127.0.0.1:{port}/.well-known/jwks.json"))
        .send()
        .await
        .unwrap();
    let jwks: Value = serde_json::from_slice(&jwks.bytes().await.unwrap()).unwrap();
    assert_eq!(jwks["keys"][0]["kid"], "dev-1");
    assert!(
        jwks["keys"][0].get("d").is_none(),
        "no private part published"
    );

    // The resource server, pointed at this issuer's JWKS.
    let figment = rocket::Config::figment()
        .merge(("log_level", "off"))
        .merge((
            "jwt_jwks_url",
            format!("http://127.0.0.1:{port}/.well-known/jwks.json"),
        ));
    let service = Client::untracked(resource_server::rocket_with(figment))
        .await
        .expect("the resource server fetches the issuer's JWKS");
    let orders = service
        .get("/orders")
        .header(Header::new("Authorization", format!("Bearer {access}")))
        .dispatch()
        .await;
    assert_eq!(orders.status(), Status::Ok);
    let body: Value = orders.into_json().await.unwrap();
    assert_eq!(body["customer"], "test");
    assert_eq!(body["verified_with_kid"], "dev-1");
    assert_eq!(body["issuer"], format!("http://127.0.0.1:{port}"));

    let anonymous = service.get("/orders").dispatch().await;
    assert_eq!(anonymous.status(), Status::Unauthorized);

    shutdown.notify();
}

/// The example issuer on loopback `port`, and an access token it issued for `test`.
async fn example_issuer(port: u16) -> (rocket::Shutdown, String) {
    let figment = rocket::Config::figment()
        .merge(("address", "127.0.0.1"))
        .merge(("port", port))
        .merge(("log_level", "off"));
    let issuer = issuer::rocket_with(figment).ignite().await.unwrap();
    let shutdown = issuer.shutdown();
    rocket::tokio::spawn(issuer.launch());
    wait_for_port_async(port, "the issuer").await;
    let login = reqwest::Client::new()
        .post(format!("http://127.0.0.1:{port}/login"))
        .header("Content-Type", "application/json")
        .body(json!({ "username": "test", "password": "test" }).to_string())
        .send()
        .await
        .unwrap();
    let tokens: Value = serde_json::from_slice(&login.bytes().await.unwrap()).unwrap();
    (
        shutdown,
        tokens["access_token"].as_str().unwrap().to_owned(),
    )
}

async fn get_orders(service: &Client, path: &str, token: &str) -> (Status, Value, Option<String>) {
    let request = if path == "/refunds" {
        service.post(path.to_owned())
    } else {
        service.get(path.to_owned())
    };
    let response = request
        .header(Header::new("Authorization", format!("Bearer {token}")))
        .dispatch()
        .await;
    let challenge = response
        .headers()
        .get_one("WWW-Authenticate")
        .map(str::to_owned);
    (
        response.status(),
        response.into_json().await.unwrap_or(Value::Null),
        challenge,
    )
}

#[rocket::async_test]
async fn the_resource_server_runs_on_an_openid_provider_and_beside_the_example_issuer() {
    const ORDERS: Resource = Resource {
        indicator: "urn:example:orders",
        audience: "orders-api",
        alg: "RS256",
        scope: "orders:read",
    };
    let teller = ProviderClient::new("teller").login("mfa", 30);
    let kiosk = ProviderClient::new("kiosk").login("pwd", 3600);
    let provider = OpenIdProvider::start(
        free_port(),
        &[ProviderKey {
            kid: "staff-1",
            pem: "rsa-private.pem",
        }],
        &[teller.clone(), kiosk.clone()],
        &[ORDERS],
    );
    let teller_token = provider.client_credentials(&teller, &ORDERS).await;
    let kiosk_token = provider.client_credentials(&kiosk, &ORDERS).await;

    // Discovery alone: the example's JWKS default gives way.
    let figment = rocket::Config::figment()
        .merge(("log_level", "off"))
        .merge(("jwt_oidc_issuer", provider.issuer.as_str()));
    let service = Client::untracked(resource_server::rocket_with(figment))
        .await
        .expect("the resource server discovers the provider");
    let (status, body, _) = get_orders(&service, "/orders", &teller_token).await;
    assert_eq!(status, Status::Ok, "{body}");
    assert_eq!(body["customer"], "teller");
    assert_eq!(body["issuer"], json!(provider.issuer));
    // The refund wants a login of at most five minutes: the kiosk's is an hour old.
    let (status, _, _) = get_orders(&service, "/refunds", &teller_token).await;
    assert_eq!(status, Status::Ok);
    let (status, body, challenge) = get_orders(&service, "/refunds", &kiosk_token).await;
    assert_eq!(status, Status::Unauthorized);
    assert_eq!(
        body,
        json!({ "msg": "More recent authentication is required" })
    );
    assert!(challenge
        .unwrap()
        .starts_with(r#"Bearer error="insufficient_user_authentication""#));

    // Both issuers side by side, in the environment's list form.
    let port = free_port();
    let (shutdown, issuer_token) = example_issuer(port).await;
    let issuers: rocket::figment::value::Value = format!(
        r#"[{{issuer="{}", audience="orders-api"}}, {{issuer="http://127.0.0.1:{port}", jwks_url="http://127.0.0.1:{port}/.well-known/jwks.json", algorithms=["ES256"]}}]"#,
        provider.issuer
    )
    .parse()
    .unwrap();
    let figment = rocket::Config::figment()
        .merge(("log_level", "off"))
        .merge(("jwt_issuers", issuers));
    let service = Client::untracked(resource_server::rocket_with(figment))
        .await
        .expect("both issuers' keys are fetched");
    for (token, customer) in [(&teller_token, "teller"), (&issuer_token, "test")] {
        let (status, body, _) = get_orders(&service, "/orders", token).await;
        assert_eq!(status, Status::Ok, "{body}");
        assert_eq!(body["customer"], customer);
    }
    shutdown.notify();
}

/// The issuer on a figment of `profile`, with `extra` settings.
async fn issuer_launch_error(profile: &str, extra: &[(&str, Value)]) -> Option<Vec<String>> {
    let mut figment = rocket::Config::figment()
        .select(profile)
        .merge(("log_level", "off"));
    for (key, value) in extra {
        figment = figment.merge((*key, value.clone()));
    }
    issuer::rocket_with(figment)
        .ignite()
        .await
        .err()
        .map(|error| match error.kind() {
            rocket::error::ErrorKind::FailedFairings(failed) => {
                failed.iter().map(|info| info.name.to_owned()).collect()
            }
            other => vec![other.to_string()],
        })
}

fn key_path(name: &str) -> String {
    format!(
        "{}/../examples/microservices/keys/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

#[rocket::async_test]
async fn outside_debug_the_issuer_refuses_the_committed_development_key() {
    // The review's attack: tokens signed with the key anyone can read from the repository.
    let failed = |failed: Option<Vec<String>>| {
        failed.is_some_and(|names| names.iter().any(|name| name == "issuer key check"))
    };
    // No key of its own.
    assert!(failed(issuer_launch_error("release", &[]).await));
    // The committed key, named explicitly.
    let dev = json!([{
        "kid": "dev-1",
        "private_key_file": key_path("issuer-es256-private.pem"),
        "public_key_file": key_path("issuer-es256-public.pem"),
    }]);
    let settings = [("jwt_keys", dev), ("jwt_signing_key_id", json!("dev-1"))];
    assert!(failed(issuer_launch_error("release", &settings).await));
    // Its text inline.
    let inline = [
        (
            "jwt_private_key",
            json!(std::fs::read_to_string(key_path("issuer-es256-private.pem")).unwrap()),
        ),
        (
            "jwt_public_key",
            json!(std::fs::read_to_string(key_path("issuer-es256-public.pem")).unwrap()),
        ),
    ];
    assert!(failed(issuer_launch_error("release", &inline).await));
    // A key of the deployment's own launches.
    let own = json!([{
        "kid": "prod-1",
        "private_key_file": jwt_ext_tests::test_key_path("ec256-private.pem"),
        "public_key_file": jwt_ext_tests::test_key_path("ec256-public.pem"),
    }]);
    let settings = [("jwt_keys", own), ("jwt_signing_key_id", json!("prod-1"))];
    assert_eq!(issuer_launch_error("release", &settings).await, None);
    // The debug profile keeps working out of the box.
    assert_eq!(issuer_launch_error("debug", &[]).await, None);
}
