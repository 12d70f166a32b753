//! The application's own HTTP client for discovery and JWKS fetches: an issuer serving its
//! keys over HTTPS with a certificate of a private CA, which jwt-ext's default client does not
//! trust (the launch stops) and a client given to the fairing does.

use jwt_ext::{jwt_required, Jwt, JwtManager};
use jwt_ext_tests::redis_variants::TestCa;
use jwt_ext_tests::{free_port, wait_for_port_async};
use rocket::figment::providers::{Format, Toml};
use rocket::http::{Header, Status};
use rocket::local::asynchronous::Client;
use rocket::serde::json::{json, Value};
use rocket::{get, routes};

#[jwt_required]
#[get("/orders")]
fn orders(token: Jwt) -> Value {
    json!({ "customer": token.identity(), "issuer": token.claims().get("iss") })
}

fn resource_server(issuer: &str, client: Option<reqwest::Client>) -> rocket::Rocket<rocket::Build> {
    let settings = format!(
        "[[jwt_issuers]]\nissuer = {issuer:?}\njwks_url = \"{issuer}/.well-known/jwks.json\"\nalgorithms = [\"ES256\"]"
    );
    let figment = rocket::Config::figment()
        .merge(("log_level", "off"))
        .merge(Toml::string(&settings));
    let fairing = match client {
        Some(client) => JwtManager::fairing().http_client(client),
        None => JwtManager::fairing(),
    };
    rocket::custom(figment)
        .attach(fairing)
        .mount("/", routes![orders])
}

#[rocket::async_test]
async fn a_private_ca_needs_the_applications_own_client() {
    let ca = TestCa::new("remote-http-client");
    let port = free_port();
    let issuer_url = format!("https://127.0.0.1:{port}");
    let figment = rocket::Config::figment()
        .merge(("address", "127.0.0.1"))
        .merge(("port", port))
        .merge(("log_level", "off"))
        .merge(("tls.certs", ca.file("server.crt")))
        .merge(("tls.key", ca.file("server.key")))
        .merge(("jwt_encode_issuer", issuer_url.as_str()));
    let issuer = rocket::tokio::spawn(issuer::rocket_with(figment).launch());
    wait_for_port_async(port, "the issuer on HTTPS").await;

    // jwt-ext's own client trusts the system's roots only: the launch stops.
    match Client::untracked(resource_server(&issuer_url, None)).await {
        Err(error) => assert!(matches!(
            error.kind(),
            rocket::error::ErrorKind::FailedFairings(_)
        )),
        Ok(_) => panic!("keys fetched from a server whose CA nobody trusts"),
    }

    let ca_pem = std::fs::read(ca.ca_file()).unwrap();
    let trusting = reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(&ca_pem).unwrap())
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let login = trusting
        .post(format!("{issuer_url}/login"))
        .header("Content-Type", "application/json")
        .body(json!({ "username": "test", "password": "test" }).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(login.status().as_u16(), 200);
    let tokens: Value = serde_json::from_str(&login.text().await.unwrap()).unwrap();
    let access = tokens["access_token"].as_str().unwrap();

    let client = Client::untracked(resource_server(&issuer_url, Some(trusting)))
        .await
        .expect("the application's client trusts the private CA");
    let response = client
        .get("/orders")
        .header(Header::new("Authorization", format!("Bearer {access}")))
        .dispatch()
        .await;
    assert_eq!(response.status(), Status::Ok);
    assert_eq!(
        response.into_json::<Value>().await.unwrap(),
        json!({ "customer": "test", "issuer": issuer_url })
    );
    issuer.abort();
}
