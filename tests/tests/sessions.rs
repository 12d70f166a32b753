//! Sessions, through `examples/revocation` as its users call it: a login is one session bound
//! to both of its tokens, its claims survive every refresh, an identity lists its sessions,
//! ends one or logs out everywhere, in memory and on Redis across instances.

mod common;

use common::example::{launched, refused_within_bound, revoked, send};
use common::SECRET;

use jwt_ext::{Config, EncodeError, JwtManager};
use jwt_ext_tests::RedisServer;
use rocket::http::{Header, Status};
use rocket::local::blocking::Client;
use rocket::serde::json::{json, Value};

/// The example in memory, or on the Redis at `url`.
fn app(redis: Option<&RedisServer>) -> Client {
    match redis {
        Some(redis) => launched(&[("jwt_redis_url", redis.url())]),
        None => launched::<String>(&[]),
    }
}

/// A login of the example's user from a client calling itself `agent`: (access, refresh).
fn login_as(client: &Client, agent: &str) -> (String, String) {
    let response = client
        .post("/login")
        .header(rocket::http::ContentType::JSON)
        .header(Header::new("User-Agent", agent.to_owned()))
        .body(json!({ "username": "test", "password": "test" }).to_string())
        .dispatch();
    assert_eq!(response.status(), Status::Ok);
    let body: Value = response.into_json().unwrap();
    (
        body["access_token"].as_str().unwrap().to_owned(),
        body["refresh_token"].as_str().unwrap().to_owned(),
    )
}

fn jwt(client: &Client) -> &JwtManager {
    client.rocket().state::<JwtManager>().unwrap()
}

fn session_id(client: &Client, token: &str) -> String {
    jwt(client).decode_token(token).unwrap().claims()["fam"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn sessions(client: &Client, access: &str) -> Vec<Value> {
    let (status, body) = send(client, "GET", "/sessions", Some(access));
    assert_eq!(status, Status::Ok, "{body}");
    body["sessions"].as_array().unwrap().clone()
}

fn protected(client: &Client, token: &str) -> (Status, Value) {
    send(client, "GET", "/protected", Some(token))
}

#[test]
fn the_old_unbound_login_is_refused_with_rotation_on_and_a_login_binds_both_tokens() {
    // The way Flask's quickstart logs in: two tokens created one by one. With rotation on, the
    // refresh token alone would leave the access token out of its family.
    let jwt = JwtManager::new(
        Config::default()
            .secret_key(SECRET)
            .refresh_token_rotation(true),
    )
    .unwrap();
    let error = jwt.create_refresh_token("test").unwrap_err();
    assert!(matches!(error, EncodeError::UnboundRefreshToken));
    assert!(error.to_string().contains("jwt.login(identity)"), "{error}");

    // The README's login: reuse detection refuses the login's first access token too.
    let client = app(None);
    let (access, first) = login_as(&client, "a browser");
    let (status, body) = send(&client, "POST", "/refresh", Some(&first));
    assert_eq!(status, Status::Ok, "{body}");
    let second = body["refresh_token"].as_str().unwrap().to_owned();
    let (status, _) = send(&client, "POST", "/refresh", Some(&second));
    assert_eq!(status, Status::Ok);
    // `first` is two rotations old: a stolen copy being replayed.
    assert_eq!(send(&client, "POST", "/refresh", Some(&first)), revoked());
    assert_eq!(protected(&client, &access), revoked());
}

#[rocket::async_test]
async fn claims_given_at_login_survive_refresh_and_rotation() {
    for rotation in [false, true] {
        let jwt = JwtManager::new(
            Config::default()
                .secret_key(SECRET)
                .refresh_token_rotation(rotation),
        )
        .unwrap();
        let pair = jwt
            .login("alice")
            .additional_claims(json!({ "role": "admin", "tenant": 7 }))
            .create()
            .await
            .unwrap();
        let mut refresh = jwt.decode_token(&pair.refresh_token).unwrap();
        for _ in 0..3 {
            let refreshed = jwt.refresh(&refresh).await.unwrap();
            let access = jwt.decode_token(&refreshed.access_token).unwrap();
            assert_eq!(access.claims()["role"], "admin", "rotation {rotation}");
            assert_eq!(access.claims()["tenant"], 7);
            assert_eq!(access.claims()["type"], "access");
            assert_eq!(access.claims()["fresh"], false);
            assert_eq!(access.family(), refresh.family());
            if let Some(next) = refreshed.refresh_token {
                refresh = jwt.decode_token(&next).unwrap();
                assert_eq!(refresh.claims()["role"], "admin");
                assert_eq!(refresh.claims()["type"], "refresh");
            }
        }
    }
}

#[test]
fn an_identity_lists_its_sessions_and_ends_one_while_the_others_keep_working() {
    let client = app(None);
    let (laptop, laptop_refresh) = login_as(&client, "Firefox on a laptop");
    let (phone, _) = login_as(&client, "Safari on a phone");
    let (status, _) = send(&client, "POST", "/refresh", Some(&laptop_refresh));
    assert_eq!(status, Status::Ok);

    let listed = sessions(&client, &phone);
    assert_eq!(listed.len(), 2, "{listed:?}");
    let by_label = |label: &str| {
        listed
            .iter()
            .find(|session| session["label"] == label)
            .unwrap()
            .clone()
    };
    let laptop_session = by_label("Firefox on a laptop");
    let phone_session = by_label("Safari on a phone");
    assert_eq!(laptop_session["id"], session_id(&client, &laptop));
    assert_eq!(phone_session["current"], true);
    assert_eq!(laptop_session["current"], false);
    assert!(laptop_session["created_at"].as_i64().unwrap() > 1_700_000_000);
    assert!(laptop_session["last_refreshed_at"].is_i64());
    assert!(phone_session["last_refreshed_at"].is_null());

    // The phone ends the laptop's session.
    let id = laptop_session["id"].as_str().unwrap();
    let (status, body) = send(&client, "DELETE", &format!("/sessions/{id}"), Some(&phone));
    assert_eq!(status, Status::Ok, "{body}");
    assert_eq!(protected(&client, &laptop), revoked());
    assert_eq!(
        send(&client, "POST", "/refresh", Some(&laptop_refresh)),
        revoked()
    );
    assert_eq!(protected(&client, &phone).0, Status::Ok);
    let listed = sessions(&client, &phone);
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["label"], "Safari on a phone");
    // Ended once: a second end finds nothing.
    let (status, body) = send(&client, "DELETE", &format!("/sessions/{id}"), Some(&phone));
    assert_eq!(
        (status, body),
        (
            Status::NotFound,
            json!({ "msg": "Session not found", "detail": "no session of this identity has that id" })
        )
    );
}

#[rocket::async_test]
async fn another_identitys_session_cannot_be_ended() {
    let client = rocket::local::asynchronous::Client::tracked(revocation::rocket_with(
        rocket::Config::figment().merge(("jwt_secret_key", SECRET)),
    ))
    .await
    .unwrap();
    let jwt = client.rocket().state::<JwtManager>().unwrap();
    let bob = jwt.login("bob").create().await.unwrap();
    let bobs_session = jwt.decode_token(&bob.access_token).unwrap();
    let mine = jwt.login("test").create().await.unwrap();
    let response = client
        .delete(format!("/sessions/{}", bobs_session.family().unwrap()))
        .header(Header::new(
            "Authorization",
            format!("Bearer {}", mine.access_token),
        ))
        .dispatch()
        .await;
    assert_eq!(response.status(), Status::NotFound);
    let response = client
        .get("/protected")
        .header(Header::new(
            "Authorization",
            format!("Bearer {}", bob.access_token),
        ))
        .dispatch()
        .await;
    assert_eq!(response.status(), Status::Ok, "bob's session was ended");
    assert_eq!(jwt.sessions_of("bob").await.unwrap().len(), 1);
}

/// Logs in twice, logs out everywhere with the first login's token, and checks that every
/// token of both logins is refused on `other` while a login made right after works.
fn log_out_everywhere(one: &Client, other: &Client) {
    let (first, first_refresh) = login_as(one, "first");
    let (second, _) = login_as(other, "second");
    assert_eq!(protected(other, &first).0, Status::Ok);
    let (status, body) = send(one, "POST", "/logout-everywhere", Some(&first));
    assert_eq!(status, Status::Ok, "{body}");
    // A login in the same second as the log-out works at once.
    let (after, after_refresh) = login_as(one, "after");
    refused_within_bound(other, &first);
    refused_within_bound(other, &second);
    assert_eq!(protected(one, &second), revoked());
    assert_eq!(
        send(other, "POST", "/refresh", Some(&first_refresh)),
        revoked()
    );
    assert_eq!(protected(other, &after).0, Status::Ok);
    assert_eq!(protected(one, &after).0, Status::Ok);
    let (status, _) = send(other, "POST", "/refresh", Some(&after_refresh));
    assert_eq!(status, Status::Ok);
    let listed = sessions(other, &after);
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert_eq!(listed[0]["label"], "after");
}

#[test]
fn logging_out_everywhere_refuses_every_earlier_token_and_not_a_later_login() {
    let client = app(None);
    log_out_everywhere(&client, &client);
}

#[test]
fn sessions_and_logging_out_everywhere_are_shared_by_instances_on_redis() {
    let redis = RedisServer::start();
    let one = app(Some(&redis));
    let other = app(Some(&redis));
    log_out_everywhere(&one, &other);

    // A session made on one instance is listed and ended from the other, and refused on
    // the first; a restarted instance still lists the others.
    let (laptop, _) = login_as(&one, "laptop");
    let (phone, _) = login_as(&other, "phone");
    let id = session_id(&one, &laptop);
    assert_eq!(protected(&one, &laptop).0, Status::Ok);
    let (status, _) = send(&other, "DELETE", &format!("/sessions/{id}"), Some(&phone));
    assert_eq!(status, Status::Ok);
    refused_within_bound(&one, &laptop);
    drop(other);
    let restarted = app(Some(&redis));
    let mut labels: Vec<String> = sessions(&restarted, &phone)
        .iter()
        .map(|session| session["label"].as_str().unwrap().to_owned())
        .collect();
    labels.sort();
    assert_eq!(labels, ["after", "phone"]);
}

#[rocket::async_test]
async fn an_identity_can_be_logged_out_everywhere_with_no_token_at_hand() {
    // An identity that is not a string, as Flask allows with `JWT_VERIFY_SUB = False`.
    let jwt = JwtManager::new(Config::default().secret_key(SECRET).verify_sub(false)).unwrap();
    let pair = jwt.login(json!({ "id": 42 })).create().await.unwrap();
    let token = jwt.decode_token(&pair.access_token).unwrap();
    assert!(!jwt.blocklist().is_revoked(&token).await.unwrap());
    jwt.logout_everywhere_of(json!({ "id": 42 })).await.unwrap();
    assert!(jwt.blocklist().is_revoked(&token).await.unwrap());
    assert!(jwt
        .sessions_of(json!({ "id": 42 }))
        .await
        .unwrap()
        .is_empty());
}

#[test]
fn an_identity_keeps_its_newest_sessions_and_the_oldest_ends() {
    let client = launched(&[("jwt_sessions_max_per_identity", 2)]);
    let (oldest, _) = login_as(&client, "one");
    std::thread::sleep(std::time::Duration::from_millis(1100)); // A later `created_at`.
    let (_, _) = login_as(&client, "two");
    let (newest, _) = login_as(&client, "three");
    assert_eq!(protected(&client, &oldest), revoked());
    let labels: Vec<Value> = sessions(&client, &newest)
        .iter()
        .map(|session| session["label"].clone())
        .collect();
    assert_eq!(labels.len(), 2);
    assert!(!labels.contains(&json!("one")), "{labels:?}");
}

/// An application's own store that keeps no sessions: only the two methods a store needs.
struct Plain;

#[rocket::async_trait]
impl jwt_ext::Blocklist for Plain {
    async fn is_revoked(&self, _: &jwt_ext::DecodedToken) -> Result<bool, jwt_ext::StoreError> {
        Ok(false)
    }

    async fn revoke(&self, _: &jwt_ext::DecodedToken) -> Result<(), jwt_ext::StoreError> {
        Ok(())
    }
}

#[rocket::async_test]
async fn a_store_that_keeps_no_sessions_still_logs_in_and_answers_503_for_the_list() {
    let rocket = rocket::build()
        .attach(JwtManager::fairing_with(Config::default().secret_key(SECRET)).blocklist(Plain));
    let rocket = rocket.ignite().await.unwrap();
    let jwt = rocket.state::<JwtManager>().unwrap();
    let pair = jwt
        .login("alice")
        .create()
        .await
        .expect("tokens all the same");
    let token = jwt.decode_token(&pair.access_token).unwrap();
    assert!(token.family().is_some());
    let error = jwt.sessions(&token).await.unwrap_err();
    assert!(
        matches!(
            error,
            jwt_ext::SessionError::Store(jwt_ext::StoreError::Unsupported(_))
        ),
        "{error:?}"
    );
    let client = rocket::local::asynchronous::Client::tracked(
        rocket::build()
            .attach(JwtManager::fairing_with(Config::default().secret_key(SECRET)).blocklist(Plain))
            .mount("/", rocket::routes![list]),
    )
    .await
    .unwrap();
    let response = client
        .get("/list")
        .header(Header::new(
            "Authorization",
            format!("Bearer {}", pair.access_token),
        ))
        .dispatch()
        .await;
    assert_eq!(response.status(), Status::ServiceUnavailable);
    assert_eq!(
        response.into_json::<Value>().await,
        Some(json!({ "msg": "Token revocation store unavailable" }))
    );
}

#[rocket::get("/list")]
async fn list(jwt: &JwtManager, token: jwt_ext::AccessJwt) -> Result<Value, jwt_ext::SessionError> {
    Ok(json!({ "sessions": jwt.sessions(&token).await? }))
}
