//! `examples/flask3`: the refresh-token app of Flask-JWT-Extended 3.x's and
//! Quart-JWT-Extended's docs, with their decorator names, answering as those docs show.

use rocket::http::{ContentType, Method, Status};
use rocket::local::blocking::Client;
use rocket::serde::json::{json, Value};

fn client() -> Client {
    let figment = rocket::Config::figment().merge(("log_level", "off"));
    Client::tracked(flask3::rocket_with(figment)).unwrap()
}

fn call(client: &Client, post: bool, path: &str, token: Option<&str>) -> (Status, Value) {
    let method = if post { Method::Post } else { Method::Get };
    jwt_ext_tests::call_with_bearer(client, method, path, token)
}

fn login(client: &Client, password: &str) -> (Status, Value) {
    let response = client
        .post("/login")
        .header(ContentType::JSON)
        .body(json!({ "username": "test", "password": password }).to_string())
        .dispatch();
    (
        response.status(),
        response.into_json().unwrap_or(Value::Null),
    )
}

#[test]
fn the_3x_refresh_token_app_answers_as_its_documentation_shows() {
    let client = client();
    assert_eq!(
        login(&client, "nope"),
        (
            Status::Unauthorized,
            json!({ "msg": "Bad username or password" })
        )
    );
    let (status, tokens) = login(&client, "test");
    assert_eq!(status, Status::Ok);
    let access = tokens["access_token"].as_str().unwrap();
    let refresh = tokens["refresh_token"].as_str().unwrap();

    assert_eq!(
        call(&client, false, "/protected", Some(access)),
        (Status::Ok, json!({ "logged_in_as": "test" }))
    );
    let (status, body) = call(&client, true, "/refresh", Some(refresh));
    assert_eq!(status, Status::Ok);
    let new_access = body["access_token"].as_str().unwrap();
    assert_eq!(
        call(&client, false, "/protected", Some(new_access)).0,
        Status::Ok
    );

    // "Refresh tokens cannot access an endpoint protected with jwt_required, and access tokens
    // cannot access one protected with jwt_refresh_token_required."
    assert_eq!(
        call(&client, false, "/protected", Some(refresh)),
        (
            Status::UnprocessableEntity,
            json!({ "msg": "Only non-refresh tokens are allowed" })
        )
    );
    assert_eq!(
        call(&client, true, "/refresh", Some(access)),
        (
            Status::UnprocessableEntity,
            json!({ "msg": "Only refresh tokens are allowed" })
        )
    );
    assert_eq!(
        call(&client, true, "/refresh", None),
        (
            Status::Unauthorized,
            json!({ "msg": "Missing Authorization Header" })
        )
    );

    // `@jwt_optional`: anonymous without a token, the identity with one, refused when invalid.
    assert_eq!(
        call(&client, false, "/partially-protected", None),
        (Status::Ok, json!({ "logged_in_as": "anonymous user" }))
    );
    assert_eq!(
        call(&client, false, "/partially-protected", Some(access)),
        (Status::Ok, json!({ "logged_in_as": "test" }))
    );
    assert_eq!(
        call(&client, false, "/partially-protected", Some("not.a.jwt")).0,
        Status::UnprocessableEntity
    );
}

/// A token as Flask-JWT-Extended 3.x mints it: the identity under `identity`, the additional
/// claims nested under `user_claims`, no `sub`.
fn token_of_3x(secret: &str) -> String {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;
    let now = rocket::time::OffsetDateTime::now_utc().unix_timestamp();
    let claims = json!({
        "iat": now, "nbf": now, "jti": "0f2d6e4a-3c1b-4a8e-9d7f-5b6c7a8e9f10",
        "exp": now + 900, "identity": "test", "fresh": false, "type": "access",
        "user_claims": { "role": "admin" },
    });
    let head = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(br#"{"typ":"JWT","alg":"HS256"}"#),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    // Creating a manager installs the crypto provider jsonwebtoken signs with.
    let _ = jwt_ext::JwtManager::new(jwt_ext::Config::default().secret_key(secret));
    let key = jsonwebtoken::EncodingKey::from_secret(secret.as_bytes());
    let signature =
        jsonwebtoken::crypto::sign(head.as_bytes(), &key, jsonwebtoken::Algorithm::HS256).unwrap();
    format!("{head}.{signature}")
}

#[test]
fn live_3x_tokens_verify_with_the_3x_identity_claim() {
    const SECRET: &str = "a-secret-shared-with-a-3x-app-32-bytes";
    let token = token_of_3x(SECRET);
    let figment = rocket::Config::figment()
        .merge(("log_level", "off"))
        .merge(("jwt_secret_key", SECRET))
        .merge(("jwt_identity_claim", "identity"));
    let client = Client::tracked(flask3::rocket_with(figment)).unwrap();
    assert_eq!(
        call(&client, false, "/protected", Some(&token)),
        (Status::Ok, json!({ "logged_in_as": "test" }))
    );
    let jwt = client.rocket().state::<jwt_ext::JwtManager>().unwrap();
    let decoded = jwt.decode_token(&token).unwrap();
    assert_eq!(decoded.claims()["user_claims"]["role"], "admin");
    // Tokens this app mints carry the identity where 3.x apps look for it.
    let mine = jwt
        .decode_token(&jwt.create_access_token("test").unwrap())
        .unwrap();
    assert_eq!(mine.claims()["identity"], "test");
    // With 4.x's default (`sub`), the 3.x token has no identity: Flask's 422.
    let default = Client::tracked(flask3::rocket_with(
        rocket::Config::figment()
            .merge(("log_level", "off"))
            .merge(("jwt_secret_key", SECRET)),
    ))
    .unwrap();
    assert_eq!(
        call(&default, false, "/protected", Some(&token)),
        (
            Status::UnprocessableEntity,
            json!({ "msg": "Missing claim: sub" })
        )
    );
}
