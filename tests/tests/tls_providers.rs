//! One process serving HTTPS with Rocket's own TLS (rustls on ring) and using a `rediss://`
//! revocation store (rustls on aws-lc-rs): one rustls with both providers compiled in, which
//! then picks no process-wide default, and a TLS client built on that default panics. jwt-ext
//! installs its provider at ignite when the application installed none. (Its own test binary:
//! the provider is process-wide.)

use jwt_ext_tests::redis_variants::{TestCa, TlsRedisServer};
use jwt_ext_tests::{free_port, wait_for_port_async};
use rocket::serde::json::{json, Value};

const SECRET: &str = "a-test-secret-that-is-at-least-32-bytes-long";

/// `(status, body)` of one request to the app over HTTPS.
async fn call(
    client: &reqwest::Client,
    request: reqwest::RequestBuilder,
    body: Option<Value>,
) -> (u16, Value) {
    let request = match body {
        Some(body) => request
            .header("Content-Type", "application/json")
            .body(body.to_string()),
        None => request,
    };
    let response = client
        .execute(request.build().unwrap())
        .await
        .expect("an HTTPS answer");
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).expect("a JSON body"))
}

#[rocket::async_test]
async fn rocket_tls_and_a_rediss_store_share_one_process() {
    assert!(
        rustls::crypto::CryptoProvider::get_default().is_none(),
        "nothing installed a provider before the app ignites"
    );
    let ca = TestCa::new("tls-providers");
    let redis = TlsRedisServer::start(&ca);
    let port = free_port();
    let figment = rocket::Config::figment()
        .merge(("address", "127.0.0.1"))
        .merge(("port", port))
        .merge(("log_level", "off"))
        .merge(("tls.certs", ca.file("server.crt")))
        .merge(("tls.key", ca.file("server.key")))
        .merge(("jwt_secret_key", SECRET))
        .merge(("jwt_redis_url", redis.url("127.0.0.1")))
        .merge(("jwt_redis_tls_ca_file", ca.ca_file()));
    let server = rocket::tokio::spawn(revocation::rocket_with(figment).launch());
    wait_for_port_async(port, "the app on Rocket's TLS").await;

    let ca_pem = std::fs::read(ca.ca_file()).unwrap();
    let client = reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(&ca_pem).unwrap())
        .build()
        .unwrap();
    let url = |path: &str| format!("https://127.0.0.1:{port}{path}");
    let credentials = json!({ "username": "test", "password": "test" });
    let (status, tokens) = call(&client, client.post(url("/login")), Some(credentials)).await;
    assert_eq!(status, 200, "{tokens}");
    let access = tokens["access_token"].as_str().unwrap();
    let bearer = format!("Bearer {access}");
    let protected = || {
        client
            .get(url("/protected"))
            .header("Authorization", &bearer)
    };
    assert_eq!(call(&client, protected(), None).await.0, 200);
    let logout = client
        .delete(url("/logout"))
        .header("Authorization", &bearer);
    assert_eq!(call(&client, logout, None).await.0, 200);
    // The revocation went through the TLS store: refused from now on.
    let (status, body) = call(&client, protected(), None).await;
    assert_eq!(
        (status, body),
        (401, json!({ "msg": "Token has been revoked" }))
    );
    assert!(
        rustls::crypto::CryptoProvider::get_default().is_some(),
        "jwt-ext installed the process's provider"
    );
    server.abort();
}
