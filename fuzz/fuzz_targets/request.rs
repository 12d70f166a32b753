//! Any bytes as the token-bearing parts of a request (the `Authorization` header, the access
//! cookie, the CSRF header and the query parameter), through a Rocket app that searches every
//! location: header parsing, cookie and query extraction, the CSRF check and decoding never
//! panic, and every answer is 200, 401 or 422 (never a 5xx).
#![no_main]

use jwt_ext::{AccessJwt, Config, JwtManager};
use libfuzzer_sys::fuzz_target;
use rocket::http::{Cookie, Header, Status};
use rocket::local::blocking::Client;
use rocket::{post, routes};

#[post("/protected")]
fn protected(jwt: AccessJwt) -> String {
    jwt.identity().to_string()
}

thread_local! {
    static CLIENT: Client = {
        let config = Config::default()
            .secret_key("a-fuzzing-secret-of-at-least-32-bytes")
            .token_location("query_string, cookies, headers".parse().unwrap());
        let figment = rocket::Config::figment().merge(("log_level", "off"));
        let rocket = rocket::custom(figment)
            .attach(JwtManager::fairing_with(config))
            .mount("/", routes![protected]);
        Client::untracked(rocket).expect("valid rocket")
    };
}

/// Percent-encodes every byte but unreserved ASCII, so that any input makes a valid URI.
fn encode(text: &str) -> String {
    text.bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (byte as char).to_string()
            }
            _ => format!("%{byte:02X}"),
        })
        .collect()
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.split('\u{0}');
    let (header, cookie, csrf, query) = (
        parts.next().unwrap_or_default(),
        parts.next(),
        parts.next(),
        parts.next(),
    );
    CLIENT.with(|client| {
        let uri = match query {
            Some(query) => format!("/protected?jwt={}", encode(query)),
            None => "/protected".to_owned(),
        };
        let mut request = client.post(uri);
        if !header.is_empty() {
            request = request.header(Header::new("Authorization", header.to_owned()));
        }
        if let Some(cookie) = cookie {
            request = request.cookie(Cookie::new("access_token_cookie", cookie.to_owned()));
        }
        if let Some(csrf) = csrf {
            request = request.header(Header::new("X-CSRF-TOKEN", csrf.to_owned()));
        }
        let status = request.dispatch().status();
        assert!(
            matches!(
                status,
                Status::Ok | Status::Unauthorized | Status::UnprocessableEntity
            ),
            "answered {status}"
        );
    });
});
