//! The browser example's defences that need no browser: logins only as JSON (no login CSRF),
//! logout behind the CSRF double submit (no logout CSRF), and a logout that revokes the
//! cookies it clears, implicitly renewed ones included.

use rocket::http::{ContentType, Cookie, Header, Status};
use rocket::local::blocking::Client;
use rocket::serde::json::{json, Value};

fn client() -> Client {
    let figment = rocket::Config::figment()
        .merge(("log_level", "off"))
        .merge((
            "jwt_secret_key",
            "a-browser-test-secret-of-at-least-32-bytes",
        ));
    Client::tracked(browser::rocket_with(figment)).unwrap()
}

fn log_in(client: &Client) {
    let response = client
        .post("/login")
        .header(ContentType::JSON)
        .body(json!({ "username": "test", "password": "test" }).to_string())
        .dispatch();
    assert_eq!(response.status(), Status::Ok);
}

fn cookie(client: &Client, name: &str) -> String {
    client
        .cookies()
        .get(name)
        .map(|cookie| cookie.value().to_owned())
        .unwrap_or_else(|| panic!("no cookie {name}"))
}

fn answer(response: rocket::local::blocking::LocalResponse<'_>) -> (Status, Value) {
    let status = response.status();
    (status, response.into_json().unwrap_or(Value::Null))
}

#[test]
fn a_login_in_another_content_type_is_refused_and_sets_nothing() {
    let client = client();
    // What a cross-site form can send without the browser asking first.
    for content_type in [ContentType::Plain, ContentType::Form, ContentType::FormData] {
        let response = client
            .post("/login")
            .header(content_type.clone())
            .body(r#"{"username": "test", "password": "test"}"#)
            .dispatch();
        assert!(response.cookies().iter().next().is_none(), "{content_type}");
        assert_eq!(
            answer(response),
            (
                Status::UnsupportedMediaType,
                json!({ "msg": "Log in with a JSON body (Content-Type: application/json)" })
            ),
            "{content_type}"
        );
    }
    assert!(client.cookies().iter().next().is_none());
}

#[test]
fn a_logout_needs_the_csrf_header_and_revokes_what_it_clears() {
    let client = client();
    log_in(&client);
    let access = cookie(&client, "access_token_cookie");
    let access_csrf = cookie(&client, "csrf_access_token");
    let refresh_csrf = cookie(&client, "csrf_refresh_token");

    // A cross-site POST carries the cookies but not the header: refused, nothing cleared.
    let (status, body) = answer(client.post("/auth/logout").dispatch());
    assert_eq!(
        (status, body),
        (Status::Unauthorized, json!({ "msg": "Missing CSRF token" }))
    );
    let protected = || {
        client
            .post("/api/protected")
            .header(Header::new("X-CSRF-TOKEN", access_csrf.clone()))
            .dispatch()
    };
    assert_eq!(protected().status(), Status::Ok, "still logged in");

    let (status, body) = answer(
        client
            .post("/auth/logout")
            .header(Header::new("X-CSRF-TOKEN", refresh_csrf))
            .dispatch(),
    );
    assert_eq!((status, body), (Status::Ok, json!({ "logout": true })));
    assert!(client.cookies().get("access_token_cookie").is_none());

    // The cleared cookie, replayed by whoever copied it, is revoked.
    let replayed = client
        .post("/api/protected")
        .cookie(Cookie::new("access_token_cookie", access))
        .cookie(Cookie::new("csrf_access_token", access_csrf.clone()))
        .header(Header::new("X-CSRF-TOKEN", access_csrf))
        .dispatch();
    assert_eq!(
        answer(replayed),
        (
            Status::Unauthorized,
            json!({ "msg": "Token has been revoked" })
        )
    );
}
