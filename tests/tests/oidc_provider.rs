//! Resource servers trusting real OpenID providers: node-oidc-provider on loopback issues the
//! tokens (client credentials for JWT access tokens, the authorization-code flow for an ID
//! token) and publishes its discovery document and keys; a Rocket app configured by its issuer
//! URL verifies them. Discovery alone, a key rotation through the unknown-`kid` refetch, two
//! providers side by side whose keys share a `kid`, audiences per route, `typ` enforcement,
//! step-up on `acr` and `auth_time`, and launches refused for a lying discovery document.

use std::net::TcpListener;
use std::time::{SystemTime, UNIX_EPOCH};

use jsonwebtoken::{encode, EncodingKey, Header as JwtHeader};
use jwt_ext::{
    acr_in, auth_max_age, has_audience, jwt_required, Authorized, ClaimsRequirement, DecodedToken,
    Jwt, JwtError, JwtManager,
};
use jwt_ext_tests::oidc::{OpenIdProvider, ProviderClient, ProviderKey, Resource};
use jwt_ext_tests::{free_port, test_key};
use rocket::figment::providers::{Format, Toml};
use rocket::http::{Header, Status};
use rocket::local::asynchronous::Client;
use rocket::serde::json::{json, Value};
use rocket::{get, routes};

const ORDERS: Resource = Resource {
    indicator: "urn:example:orders",
    audience: "orders-api",
    alg: "RS256",
    scope: "orders:read",
};
const BILLING: Resource = Resource {
    indicator: "urn:example:billing",
    audience: "billing-api",
    alg: "ES256",
    scope: "billing:read",
};

#[jwt_required(audience = "orders-api")]
#[get("/orders")]
fn orders(token: Jwt) -> Value {
    json!({ "sub": token.identity(), "iss": token.claims().get("iss"), "scope": token.claims().get("scope") })
}

#[jwt_required(audience = ["billing-api", "billing-admin"])]
#[get("/billing")]
fn billing(token: Jwt) -> Value {
    json!({ "sub": token.identity() })
}

#[jwt_required(audience = "reports-api")]
#[get("/reports")]
fn reports() -> &'static str {
    "reports"
}

#[jwt_required(audience = "orders-api", claims = acr_in(["mfa"]))]
#[get("/transfer")]
fn transfer() -> &'static str {
    "transferred"
}

#[jwt_required(claims = auth_max_age(300))]
#[get("/settings")]
fn settings() -> &'static str {
    "settings"
}

/// A resource server on these settings alone (TOML, as in `Rocket.toml`).
async fn resource_server(settings: &str) -> Result<Client, rocket::Error> {
    let figment = rocket::Config::figment()
        .merge(("log_level", "off"))
        .merge(Toml::string(settings));
    let rocket = rocket::custom(figment)
        .attach(JwtManager::fairing())
        .mount("/", routes![orders, billing, reports, transfer, settings]);
    Client::untracked(rocket).await
}

struct Answer {
    status: Status,
    body: Value,
    challenge: Option<String>,
}

async fn call(client: &Client, path: &str, token: &str) -> Answer {
    let response = client
        .get(path.to_owned())
        .header(Header::new("Authorization", format!("Bearer {token}")))
        .dispatch()
        .await;
    let status = response.status();
    let challenge = response
        .headers()
        .get_one("WWW-Authenticate")
        .map(str::to_owned);
    Answer {
        status,
        body: response.into_json().await.unwrap_or(Value::Null),
        challenge,
    }
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// A token of the test's own making, signed with one of the providers' private keys.
fn forged(alg: jsonwebtoken::Algorithm, typ: &str, kid: &str, pem: &str, claims: &Value) -> String {
    let mut header = JwtHeader::new(alg);
    header.typ = Some(typ.to_owned());
    header.kid = Some(kid.to_owned());
    let key = match alg {
        jsonwebtoken::Algorithm::ES256 => EncodingKey::from_ec_pem(test_key(pem).as_bytes()),
        _ => EncodingKey::from_rsa_pem(test_key(pem).as_bytes()),
    }
    .unwrap();
    encode(&header, claims, &key).unwrap()
}

/// `token` is refused on `path` for its login: 401 with `message`, and RFC 9470's challenge
/// with that description and `requirement` (what a new login must meet).
async fn assert_step_up(
    client: &Client,
    path: &str,
    token: &str,
    message: &str,
    requirement: &str,
) {
    let answer = call(client, path, token).await;
    assert_eq!(answer.status, Status::Unauthorized, "{}", answer.body);
    assert_eq!(answer.body, json!({ "msg": message }));
    let expected = format!(
        r#"Bearer error="insufficient_user_authentication", error_description="{message}", {requirement}"#
    );
    assert_eq!(answer.challenge.as_deref(), Some(expected.as_str()));
}

/// `token` gets Flask's invalid-token answer on `/orders`: 422 with `message`.
async fn assert_invalid(client: &Client, token: &str, message: &str) {
    let answer = call(client, "/orders", token).await;
    assert_eq!(
        answer.status,
        Status::UnprocessableEntity,
        "{}",
        answer.body
    );
    assert_eq!(answer.body, json!({ "msg": message }));
}

fn rsa(kid: &'static str) -> ProviderKey {
    ProviderKey {
        kid,
        pem: "rsa-private.pem",
    }
}

#[rocket::async_test]
async fn discovery_alone_verifies_the_providers_tokens_and_follows_its_key_rotation() {
    let port = free_port();
    let service = ProviderClient::new("inventory-service");
    let provider = OpenIdProvider::start(
        port,
        &[rsa("2026-11")],
        std::slice::from_ref(&service),
        &[ORDERS],
    );

    let client = resource_server(&format!("jwt_oidc_issuer = {:?}", provider.issuer))
        .await
        .expect("the resource server discovers the provider's keys at ignite");
    let token = provider.client_credentials(&service, &ORDERS).await;
    let answer = call(&client, "/orders", &token).await;
    assert_eq!(answer.status, Status::Ok, "{}", answer.body);
    assert_eq!(
        answer.body,
        json!({ "sub": "inventory-service", "iss": provider.issuer, "scope": "orders:read" })
    );

    // Another route's audience: 401 invalid_token, not 403.
    let answer = call(&client, "/reports", &token).await;
    assert_eq!(answer.status, Status::Unauthorized);
    assert_eq!(answer.body, json!({ "msg": "Audience doesn't match" }));
    assert_eq!(
        answer.challenge.as_deref(),
        Some(r#"Bearer error="invalid_token""#)
    );

    // The provider rotates: a new signing key first, the old one still published.
    drop(provider);
    let provider = OpenIdProvider::start(
        port,
        &[
            ProviderKey {
                kid: "2026-12",
                pem: "rsa-second-private.pem",
            },
            rsa("2026-11"),
        ],
        std::slice::from_ref(&service),
        &[ORDERS],
    );
    let rotated = provider.client_credentials(&service, &ORDERS).await;
    let header: Value =
        serde_json::from_slice(&base64_url(rotated.split('.').next().unwrap())).unwrap();
    assert_eq!(header["kid"], "2026-12");
    assert_eq!(header["typ"], "at+jwt");
    let answer = call(&client, "/orders", &rotated).await;
    assert_eq!(answer.status, Status::Ok, "{}", answer.body);
    // The token of the old key still passes: the provider still publishes it.
    assert_eq!(call(&client, "/orders", &token).await.status, Status::Ok);
}

fn base64_url(segment: &str) -> Vec<u8> {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(segment)
        .unwrap()
}

#[rocket::async_test]
async fn two_providers_side_by_side_each_token_verified_with_its_own_keys_only() {
    let service = ProviderClient::new("inventory-service");
    let staff = OpenIdProvider::start(
        free_port(),
        &[rsa("k1")],
        std::slice::from_ref(&service),
        &[ORDERS],
    );
    // The partner's RSA key has the same `kid` as the staff provider's.
    let partner = OpenIdProvider::start(
        free_port(),
        &[
            ProviderKey {
                kid: "k1",
                pem: "rsa-second-private.pem",
            },
            ProviderKey {
                kid: "e1",
                pem: "ec256-private.pem",
            },
        ],
        std::slice::from_ref(&service),
        &[ORDERS, BILLING],
    );
    let client = resource_server(&format!(
        r#"
        jwt_decode_typ = "at+jwt"

        [[jwt_issuers]]
        issuer = "{}"
        audience = "orders-api"

        [[jwt_issuers]]
        issuer = "{}"
        audience = ["orders-api", "billing-api"]
        algorithms = ["RS256", "ES256"]
        "#,
        staff.issuer, partner.issuer
    ))
    .await
    .expect("both providers are discovered");

    let staff_token = staff.client_credentials(&service, &ORDERS).await;
    let partner_token = partner.client_credentials(&service, &ORDERS).await;
    let partner_billing = partner.client_credentials(&service, &BILLING).await;
    for (token, issuer) in [
        (&staff_token, &staff.issuer),
        (&partner_token, &partner.issuer),
    ] {
        let answer = call(&client, "/orders", token).await;
        assert_eq!(answer.status, Status::Ok, "{}", answer.body);
        assert_eq!(answer.body["iss"], json!(issuer));
    }
    // ES256 from the partner, for a route taking either of two audiences.
    let answer = call(&client, "/billing", &partner_billing).await;
    assert_eq!(answer.status, Status::Ok, "{}", answer.body);
    // The staff provider's ES256 is not on its list.
    let claims = |iss: &str| json!({ "iss": iss, "sub": "mallory", "aud": "orders-api", "iat": now(), "exp": now() + 60 });
    // Signed with the staff provider's own RSA key (`k1`).
    let staff_signed = |typ: &str, iss: &str| {
        forged(
            jsonwebtoken::Algorithm::RS256,
            typ,
            "k1",
            "rsa-private.pem",
            &claims(iss),
        )
    };
    let es256_as_staff = forged(
        jsonwebtoken::Algorithm::ES256,
        "at+jwt",
        "e1",
        "ec256-private.pem",
        &claims(&staff.issuer),
    );
    assert_invalid(
        &client,
        &es256_as_staff,
        "The specified alg value is not allowed",
    )
    .await;

    // Signed with the staff provider's `k1`, claiming to be the partner's: the partner's `k1`
    // is another key, and only the partner's keys are tried.
    let crossed = staff_signed("at+jwt", &partner.issuer);
    assert_invalid(&client, &crossed, "Signature verification failed").await;
    // The same token under the staff issuer's name passes: the key is the staff's.
    let genuine = staff_signed("application/AT+JWT", &staff.issuer);
    assert_eq!(call(&client, "/orders", &genuine).await.status, Status::Ok);

    // An unlisted issuer: refused as invalid, and never asked for keys.
    let stranger = TcpListener::bind("127.0.0.1:0").unwrap();
    stranger.set_nonblocking(true).unwrap();
    let stranger_issuer = format!("http://{}", stranger.local_addr().unwrap());
    let unlisted = staff_signed("at+jwt", &stranger_issuer);
    assert_invalid(&client, &unlisted, "Invalid issuer").await;
    assert_eq!(
        stranger.accept().map_err(|error| error.kind()).unwrap_err(),
        std::io::ErrorKind::WouldBlock,
        "the resource server contacted an unlisted issuer"
    );

    // `typ`: a token typed as a plain JWT is refused though it is otherwise valid.
    let plain = staff_signed("JWT", &staff.issuer);
    assert_invalid(
        &client,
        &plain,
        "Invalid token type: the \"typ\" header must be \"at+jwt\"",
    )
    .await;
    // A real ID token of the staff provider is not an access token.
    let id_token = staff.id_token(&service, "alice").await;
    assert_invalid(
        &client,
        &id_token,
        "Invalid token type: the \"typ\" header must be \"at+jwt\"",
    )
    .await;
}

#[rocket::async_test]
async fn without_the_typ_rule_an_id_token_still_fails_the_audience() {
    let service = ProviderClient::new("inventory-service");
    let provider = OpenIdProvider::start(
        free_port(),
        &[rsa("k1")],
        std::slice::from_ref(&service),
        &[ORDERS],
    );
    let client = resource_server(&format!(
        "[[jwt_issuers]]\nissuer = {:?}\naudience = \"orders-api\"",
        provider.issuer
    ))
    .await
    .unwrap();
    // The ID token's `aud` is the client: refused by the issuer's audience, 401.
    let id_token = provider.id_token(&service, "alice").await;
    let answer = call(&client, "/settings", &id_token).await;
    assert_eq!(answer.status, Status::Unauthorized, "{}", answer.body);
    assert_eq!(answer.body, json!({ "msg": "Audience doesn't match" }));
    assert_eq!(
        answer.challenge.as_deref(),
        Some(r#"Bearer error="invalid_token""#)
    );
}

#[rocket::async_test]
async fn step_up_asks_for_a_stronger_or_more_recent_login() {
    let strong = ProviderClient::new("teller").login("mfa", 30);
    let weak = ProviderClient::new("kiosk").login("pwd", 7200);
    let provider = OpenIdProvider::start(
        free_port(),
        &[rsa("k1")],
        &[strong.clone(), weak.clone()],
        &[ORDERS],
    );
    let client = resource_server(&format!("jwt_oidc_issuer = {:?}", provider.issuer))
        .await
        .unwrap();
    let strong_token = provider.client_credentials(&strong, &ORDERS).await;
    let weak_token = provider.client_credentials(&weak, &ORDERS).await;
    assert_eq!(
        call(&client, "/transfer", &strong_token).await.status,
        Status::Ok
    );
    assert_eq!(
        call(&client, "/settings", &strong_token).await.status,
        Status::Ok
    );

    assert_step_up(
        &client,
        "/transfer",
        &weak_token,
        "A different authentication level is required",
        r#"acr_values="mfa""#,
    )
    .await;
    assert_step_up(
        &client,
        "/settings",
        &weak_token,
        "More recent authentication is required",
        r#"max_age="300""#,
    )
    .await;
}

#[rocket::async_test]
async fn a_discovery_document_naming_another_issuer_stops_the_launch() {
    let provider = OpenIdProvider::start(
        free_port(),
        &[rsa("k1")],
        &[ProviderClient::new("inventory-service")],
        &[ORDERS],
    );
    // The document says `http://127.0.0.1:<port>`, without the trailing slash.
    let with_slash = format!("jwt_oidc_issuer = \"{}/\"", provider.issuer);
    assert!(launch_fails(&with_slash).await);
    // A provider that is not there.
    let gone = format!("jwt_oidc_issuer = \"http://127.0.0.1:{}\"", free_port());
    assert!(launch_fails(&gone).await);
    // Keys the provider does not have for the issuer's algorithms (it publishes RSA only).
    let no_usable_key = format!(
        "[[jwt_issuers]]\nissuer = {:?}\nalgorithms = [\"ES256\"]",
        provider.issuer
    );
    assert!(launch_fails(&no_usable_key).await);
    // The real one, for contrast.
    let right = format!("jwt_oidc_issuer = {:?}", provider.issuer);
    assert!(!launch_fails(&right).await);
}

/// Whether a resource server on `settings` fails to launch (its fairing refused).
async fn launch_fails(settings: &str) -> bool {
    match resource_server(settings).await {
        // Looking at the error marks it handled (Rocket panics on dropping one unread).
        Err(error) => matches!(error.kind(), rocket::error::ErrorKind::FailedFairings(_)),
        Ok(_) => false,
    }
}

/// The guard form of an audience: a requirement type whose refusal is the audience's 401.
#[derive(Default)]
struct OrdersApi;

impl ClaimsRequirement for OrdersApi {
    fn check(&self, token: &DecodedToken) -> Result<(), String> {
        has_audience(["orders-api"]).check(token)
    }

    fn verdict(&self, token: &DecodedToken) -> Result<(), JwtError> {
        has_audience(["orders-api"]).verdict(token)
    }
}

#[get("/orders-by-guard")]
fn orders_by_guard(token: Authorized<OrdersApi>) -> Value {
    json!({ "sub": token.identity() })
}

#[rocket::async_test]
async fn an_app_with_keys_of_its_own_also_accepts_a_providers_tokens() {
    let service = ProviderClient::new("inventory-service");
    let provider = OpenIdProvider::start(
        free_port(),
        &[rsa("k1")],
        std::slice::from_ref(&service),
        &[ORDERS],
    );
    let settings = format!(
        "jwt_secret_key = \"this-apps-own-secret-of-at-least-32-bytes\"\n\
         jwt_encode_audience = \"orders-api\"\n\
         [[jwt_issuers]]\nissuer = {:?}\naudience = \"orders-api\"",
        provider.issuer
    );
    let figment = rocket::Config::figment()
        .merge(("log_level", "off"))
        .merge(Toml::string(&settings));
    let client = Client::untracked(
        rocket::custom(figment)
            .attach(JwtManager::fairing())
            .mount("/", routes![orders, orders_by_guard]),
    )
    .await
    .unwrap();
    let jwt = client.rocket().state::<JwtManager>().unwrap();
    let own = jwt.create_access_token("alice").unwrap();
    let foreign = provider.client_credentials(&service, &ORDERS).await;
    for (token, sub) in [(&own, "alice"), (&foreign, "inventory-service")] {
        for path in ["/orders", "/orders-by-guard"] {
            let answer = call(&client, path, token).await;
            assert_eq!(answer.status, Status::Ok, "{path}: {}", answer.body);
            assert_eq!(answer.body["sub"], sub);
        }
    }
    // The guard form refuses another audience with the same 401 as the attribute.
    let elsewhere = jwt
        .access_token("alice")
        .claim("aud", "reports-api")
        .create()
        .unwrap();
    let answer = call(&client, "/orders-by-guard", &elsewhere).await;
    assert_eq!(answer.status, Status::Unauthorized);
    assert_eq!(answer.body, json!({ "msg": "Audience doesn't match" }));
    assert_eq!(
        answer.challenge.as_deref(),
        Some(r#"Bearer error="invalid_token""#)
    );
    // A token signed with this app's secret but naming the provider goes to the provider's
    // keys, and fails there.
    let posing = jwt
        .access_token("mallory")
        .claim("iss", provider.issuer.as_str())
        .create()
        .unwrap();
    assert_invalid(&client, &posing, "The specified alg value is not allowed").await;
}
