//! Every token location, searched in Flask-JWT-Extended's order: cookies with CSRF double submit, the query
//! string, the JSON body, the search order and its error rules, and the per-route and
//! per-guard overrides.

use jwt_ext::location::{self, Location, Locations};
use jwt_ext::{jwt_required, kind, AccessJwt, Config, Jwt, JwtJson, JwtManager, OptionalJwt};
use rocket::http::{ContentType, Cookie, Header, Status};
use rocket::local::blocking::{Client, LocalRequest, LocalResponse};
use rocket::serde::json::{json, Value};
use rocket::{get, post, routes};

const SECRET: &str = "a-test-secret-that-is-at-least-32-bytes-long";
const MISSING_ACCESS_COOKIE: &str = "Missing cookie \"access_token_cookie\"";

fn config(locations: &str) -> Config {
    Config::default()
        .secret_key(SECRET)
        .token_location(locations.parse::<Locations>().unwrap())
}

#[get("/protected")]
fn protected(jwt: AccessJwt) -> Value {
    json!({ "identity": jwt.identity(), "location": jwt.location().as_str() })
}

#[post("/protected")]
fn protected_post(jwt: AccessJwt) -> Value {
    json!({ "identity": jwt.identity(), "location": jwt.location().as_str() })
}

#[get("/refresh")]
fn refresh_get(jwt: jwt_ext::RefreshJwt) -> Value {
    json!({ "identity": jwt.identity(), "location": jwt.location().as_str() })
}

#[post("/refresh")]
fn refresh_post(jwt: jwt_ext::RefreshJwt) -> Value {
    json!({ "identity": jwt.identity(), "location": jwt.location().as_str() })
}

#[get("/optional")]
fn optional(jwt: OptionalJwt) -> Value {
    json!({ "location": jwt.location().map(Location::as_str) })
}

#[post("/optional")]
fn optional_post(jwt: OptionalJwt) -> Value {
    json!({ "location": jwt.location().map(Location::as_str) })
}

#[jwt_required(locations = "cookies, headers")]
#[get("/route-override")]
fn route_override(jwt: Jwt) -> Value {
    json!({ "location": jwt.location().as_str() })
}

/// Flask's list form of the same argument.
#[jwt_required(locations = ["query_string", "cookies"])]
#[get("/route-override-list")]
fn route_override_list(jwt: Jwt) -> Value {
    json!({ "location": jwt.location().as_str() })
}

#[get("/guard-override")]
fn guard_override(jwt: Jwt<kind::Access, (location::QueryString, location::Headers)>) -> Value {
    json!({ "location": jwt.location().as_str() })
}

#[derive(serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
struct Note {
    text: String,
}

#[post("/json", data = "<note>")]
fn json_note(note: JwtJson<Note>) -> Value {
    let (jwt, note) = note.into_parts();
    json!({ "identity": jwt.identity(), "location": jwt.location().as_str(), "text": note.text })
}

#[post("/json-value", data = "<body>")]
fn json_value(body: JwtJson<Value, kind::Access, location::Json>) -> Value {
    json!({ "location": body.jwt().location().as_str(), "body": body.body() })
}

#[post("/json-refresh", data = "<body>")]
fn json_refresh(body: JwtJson<Option<Value>, kind::Refresh>) -> Value {
    json!({ "identity": body.jwt().identity(), "location": body.jwt().location().as_str() })
}

fn client(config: Config) -> Client {
    let rocket = rocket::build()
        .attach(JwtManager::fairing_with(config))
        .mount(
            "/",
            routes![
                protected,
                protected_post,
                refresh_get,
                refresh_post,
                optional,
                optional_post,
                route_override,
                route_override_list,
                guard_override,
                json_note,
                json_value,
                json_refresh
            ],
        );
    Client::untracked(rocket).expect("valid rocket")
}

fn jwt(client: &Client) -> &JwtManager {
    client.rocket().state::<JwtManager>().unwrap()
}

/// The `csrf` claim of a token minted by the client's manager.
fn csrf(client: &Client, token: &str) -> String {
    jwt(client).csrf_token(token).unwrap()
}

struct Answer {
    status: Status,
    body: Value,
    challenge: Option<String>,
}

impl Answer {
    fn msg(&self) -> &str {
        self.body["msg"].as_str().unwrap_or("<no msg>")
    }
}

fn send(request: LocalRequest<'_>) -> Answer {
    let response: LocalResponse<'_> = request.dispatch();
    let status = response.status();
    let challenge = response
        .headers()
        .get_one("WWW-Authenticate")
        .map(str::to_owned);
    let text = response.into_string().unwrap_or_default();
    Answer {
        status,
        body: serde_json::from_str(&text).unwrap_or(Value::String(text)),
        challenge,
    }
}

fn bearer(token: &str) -> Header<'static> {
    Header::new("Authorization", format!("Bearer {token}"))
}

fn csrf_header(value: &str) -> Header<'static> {
    Header::new("X-CSRF-TOKEN", value.to_owned())
}

#[test]
fn cookies_carry_tokens_and_say_so() {
    let client = client(config("cookies"));
    let token = jwt(&client).create_access_token("alice").unwrap();
    let ok = send(
        client
            .get("/protected")
            .cookie(Cookie::new("access_token_cookie", token)),
    );
    assert_eq!(ok.status, Status::Ok);
    assert_eq!(
        ok.body,
        json!({ "identity": "alice", "location": "cookies" })
    );

    for request in [
        client.get("/protected"),
        client
            .get("/protected")
            .cookie(Cookie::new("access_token_cookie", "")),
        client
            .get("/protected")
            .cookie(Cookie::new("some_other_cookie", "x.y.z")),
    ] {
        let missing = send(request);
        assert_eq!(missing.status, Status::Unauthorized);
        assert_eq!(missing.msg(), MISSING_ACCESS_COOKIE);
        assert_eq!(missing.challenge.as_deref(), Some("Bearer"));
    }
}

#[test]
fn csrf_double_submit_on_state_changing_methods() {
    let client = client(config("cookies"));
    let token = jwt(&client).create_access_token("alice").unwrap();
    let value = csrf(&client, &token);
    let cookie = || Cookie::new("access_token_cookie", token.clone());

    let ok = send(
        client
            .post("/protected")
            .cookie(cookie())
            .header(csrf_header(&value)),
    );
    assert_eq!(ok.status, Status::Ok, "{:?}", ok.body);

    let missing = send(client.post("/protected").cookie(cookie()));
    assert_eq!(missing.status, Status::Unauthorized);
    assert_eq!(missing.msg(), "Missing CSRF token");
    assert_eq!(
        missing.challenge.as_deref(),
        Some(r#"Bearer error="invalid_token""#)
    );

    // The CSRF cookie alone is never enough: the page must copy it into the header.
    let cookie_only = send(
        client
            .post("/protected")
            .cookie(cookie())
            .cookie(Cookie::new("csrf_access_token", value.clone())),
    );
    assert_eq!(cookie_only.msg(), "Missing CSRF token");

    let empty = send(
        client
            .post("/protected")
            .cookie(cookie())
            .header(csrf_header("")),
    );
    assert_eq!(empty.msg(), "Missing CSRF token");

    let wrong = send(
        client
            .post("/protected")
            .cookie(cookie())
            .header(csrf_header("not-the-value")),
    );
    assert_eq!(wrong.status, Status::Unauthorized);
    assert_eq!(wrong.msg(), "CSRF double submit tokens do not match");

    // Another token's CSRF value does not match either.
    let other = jwt(&client).create_access_token("alice").unwrap();
    let crossed = send(
        client
            .post("/protected")
            .cookie(cookie())
            .header(csrf_header(&csrf(&client, &other))),
    );
    assert_eq!(crossed.msg(), "CSRF double submit tokens do not match");

    // GET is not a CSRF method by default.
    let get = send(client.get("/protected").cookie(cookie()));
    assert_eq!(get.status, Status::Ok);
}

#[test]
fn csrf_is_checked_before_the_token_is_decoded() {
    let client = client(config("cookies"));
    let garbage = || Cookie::new("access_token_cookie", "not-a-jwt");
    let no_csrf = send(client.post("/protected").cookie(garbage()));
    assert_eq!(no_csrf.status, Status::Unauthorized);
    assert_eq!(no_csrf.msg(), "Missing CSRF token");

    let with_csrf = send(
        client
            .post("/protected")
            .cookie(garbage())
            .header(csrf_header("x")),
    );
    assert_eq!(with_csrf.status, Status::UnprocessableEntity);
    assert_eq!(with_csrf.msg(), "Not enough segments");

    // An expired token with a matching CSRF value is expired (decode errors come first).
    let expired = jwt(&client)
        .access_token("alice")
        .expires_in(rocket::time::Duration::seconds(-10))
        .create()
        .unwrap();
    let claims = jwt(&client).decode_token_allow_expired(&expired).unwrap();
    let value = claims.claims()["csrf"].as_str().unwrap().to_owned();
    let answer = send(
        client
            .post("/protected")
            .cookie(Cookie::new("access_token_cookie", expired))
            .header(csrf_header(&value)),
    );
    assert_eq!(answer.status, Status::Unauthorized);
    assert_eq!(answer.msg(), "Token has expired");
}

#[test]
fn a_token_without_a_csrf_claim_is_refused_on_csrf_methods() {
    let client = client(config("cookies"));
    let minted_without = JwtManager::new(
        Config::default()
            .secret_key(SECRET)
            .cookie_csrf_protect(false),
    )
    .unwrap()
    .create_access_token("alice")
    .unwrap();
    let answer = send(
        client
            .post("/protected")
            .cookie(Cookie::new("access_token_cookie", minted_without.clone()))
            .header(csrf_header("anything")),
    );
    assert_eq!(answer.status, Status::UnprocessableEntity);
    assert_eq!(answer.msg(), "Missing claim: csrf");
    let get = send(
        client
            .get("/protected")
            .cookie(Cookie::new("access_token_cookie", minted_without)),
    );
    assert_eq!(get.status, Status::Ok);
}

#[test]
fn csrf_settings_are_honoured() {
    let client = client(
        config("cookies")
            .access_csrf_header_name("X-Double-Submit")
            .csrf_methods(vec![rocket::http::Method::Get]),
    );
    let token = jwt(&client).create_access_token("alice").unwrap();
    let value = csrf(&client, &token);
    let cookie = || Cookie::new("access_token_cookie", token.clone());
    // GET is now a CSRF method, POST is not.
    assert_eq!(
        send(client.get("/protected").cookie(cookie())).msg(),
        "Missing CSRF token"
    );
    assert_eq!(
        send(
            client
                .get("/protected")
                .cookie(cookie())
                .header(csrf_header(&value))
        )
        .msg(),
        "Missing CSRF token"
    );
    let ok = send(
        client
            .get("/protected")
            .cookie(cookie())
            .header(Header::new("X-Double-Submit", value)),
    );
    assert_eq!(ok.status, Status::Ok);
    assert_eq!(
        send(client.post("/protected").cookie(cookie())).status,
        Status::Ok
    );

    let unprotected = self::client(config("cookies").cookie_csrf_protect(false));
    let token = jwt(&unprotected).create_access_token("alice").unwrap();
    let answer = send(
        unprotected
            .post("/protected")
            .cookie(Cookie::new("access_token_cookie", token)),
    );
    assert_eq!(answer.status, Status::Ok);
}

#[test]
fn csrf_from_a_form_field_when_enabled() {
    let client = client(config("cookies").csrf_check_form(true));
    let token = jwt(&client).create_access_token("alice").unwrap();
    let value = csrf(&client, &token);
    let form = |body: String| {
        client
            .post("/protected")
            .cookie(Cookie::new("access_token_cookie", token.clone()))
            .header(ContentType::Form)
            .body(body)
    };
    let ok = send(form(format!("csrf_token={value}&note=hello")));
    assert_eq!(ok.status, Status::Ok, "{:?}", ok.body);
    let wrong = send(form("csrf_token=nope".into()));
    assert_eq!(wrong.msg(), "CSRF double submit tokens do not match");
    let missing = send(form("note=hello".into()));
    assert_eq!(missing.msg(), "Missing CSRF token");
    // Beyond the first 512 bytes the field is not seen.
    let late = send(form(format!("note={}&csrf_token={value}", "x".repeat(600))));
    assert_eq!(late.msg(), "Missing CSRF token");

    // Without the setting, the field is ignored.
    let strict = self::client(config("cookies"));
    let token = jwt(&strict).create_access_token("alice").unwrap();
    let value = csrf(&strict, &token);
    let answer = send(
        strict
            .post("/protected")
            .cookie(Cookie::new("access_token_cookie", token))
            .header(ContentType::Form)
            .body(format!("csrf_token={value}")),
    );
    assert_eq!(answer.msg(), "Missing CSRF token");
}

#[test]
fn refresh_routes_read_the_refresh_cookie_and_its_csrf_value() {
    let client = client(config("cookies"));
    let manager = jwt(&client);
    let refresh = manager.create_refresh_token("alice").unwrap();
    let access = manager.create_access_token("alice").unwrap();
    let ok = send(
        client
            .post("/refresh")
            .cookie(Cookie::new("refresh_token_cookie", refresh.clone()))
            .header(csrf_header(&csrf(&client, &refresh))),
    );
    assert_eq!(ok.status, Status::Ok);
    assert_eq!(ok.body["location"], "cookies");

    let with_access_csrf = send(
        client
            .post("/refresh")
            .cookie(Cookie::new("refresh_token_cookie", refresh.clone()))
            .header(csrf_header(&csrf(&client, &access))),
    );
    assert_eq!(
        with_access_csrf.msg(),
        "CSRF double submit tokens do not match"
    );

    let only_access = send(
        client
            .post("/refresh")
            .cookie(Cookie::new("access_token_cookie", access))
            .header(csrf_header("x")),
    );
    assert_eq!(only_access.msg(), "Missing cookie \"refresh_token_cookie\"");

    // The refresh cookie on an access route is simply not the access cookie.
    let on_access_route = send(
        client
            .get("/protected")
            .cookie(Cookie::new("refresh_token_cookie", refresh)),
    );
    assert_eq!(on_access_route.msg(), MISSING_ACCESS_COOKIE);
}

#[test]
fn refresh_cookies_can_be_limited_to_post() {
    let client = client(config("cookies, headers").refresh_cookie_post_only(true));
    let refresh = jwt(&client).create_refresh_token("alice").unwrap();
    let get = send(
        client
            .get("/refresh")
            .cookie(Cookie::new("refresh_token_cookie", refresh.clone())),
    );
    assert_eq!(get.status, Status::Unauthorized);
    assert_eq!(
        get.msg(),
        "Refresh token cookies are only accepted on POST requests"
    );
    let post = send(
        client
            .post("/refresh")
            .cookie(Cookie::new("refresh_token_cookie", refresh.clone()))
            .header(csrf_header(&csrf(&client, &refresh))),
    );
    assert_eq!(post.status, Status::Ok);
    // Other locations are not affected.
    let header = send(client.get("/refresh").header(bearer(&refresh)));
    assert_eq!(header.status, Status::Ok);
}

#[test]
fn query_string_location() {
    let client = client(config("query_string"));
    let token = jwt(&client).create_access_token("alice").unwrap();
    let ok = send(client.get(format!("/protected?jwt={token}")));
    assert_eq!(ok.status, Status::Ok);
    assert_eq!(ok.body["location"], "query_string");
    let other_params = send(client.get(format!("/protected?a=1&jwt={token}&jwt=second")));
    assert_eq!(other_params.status, Status::Ok);

    for uri in ["/protected", "/protected?jwt=", "/protected?token=x"] {
        let missing = send(client.get(uri));
        assert_eq!(missing.status, Status::Unauthorized, "{uri}");
        assert_eq!(missing.msg(), "Missing 'jwt' query parameter", "{uri}");
    }
    let garbage = send(client.get("/protected?jwt=garbage"));
    assert_eq!(garbage.status, Status::UnprocessableEntity);

    let prefixed = self::client(
        config("query_string")
            .query_string_name("token")
            .query_string_value_prefix("Bearer "),
    );
    let token = jwt(&prefixed).create_access_token("alice").unwrap();
    let ok = send(prefixed.get(format!("/protected?token=Bearer%20{token}")));
    assert_eq!(ok.status, Status::Ok, "{:?}", ok.body);
    let unprefixed = send(prefixed.get(format!("/protected?token={token}")));
    assert_eq!(unprefixed.status, Status::UnprocessableEntity);
    assert_eq!(
        unprefixed.msg(),
        "Invalid value for query parameter 'token'. Expected the value to start with 'Bearer '"
    );
    assert_eq!(
        send(prefixed.get("/protected")).msg(),
        "Missing 'token' query parameter"
    );
}

#[test]
fn json_body_location_through_the_data_guard() {
    let client = client(config("json"));
    let token = jwt(&client).create_access_token("alice").unwrap();
    let post = |content_type: ContentType, body: String| {
        send(client.post("/json").header(content_type).body(body))
    };
    let ok = post(
        ContentType::JSON,
        json!({ "access_token": token, "text": "hi" }).to_string(),
    );
    assert_eq!(ok.status, Status::Ok, "{:?}", ok.body);
    // The token's key is taken out of the body, so `Note` denying unknown fields still fits.
    assert_eq!(
        ok.body,
        json!({ "identity": "alice", "location": "json", "text": "hi" })
    );
    let vendor = post(
        ContentType::new("application", "vnd.api+json"),
        json!({ "access_token": token, "text": "hi" }).to_string(),
    );
    assert_eq!(vendor.status, Status::Ok);
    let charset = post(
        ContentType::new("application", "json").with_params(("charset", "utf-8")),
        json!({ "access_token": token, "text": "hi" }).to_string(),
    );
    assert_eq!(charset.status, Status::Ok);

    let not_json = post(
        ContentType::Plain,
        json!({ "access_token": token }).to_string(),
    );
    assert_eq!(not_json.status, Status::Unauthorized);
    assert_eq!(
        not_json.msg(),
        "Invalid content-type. Must be application/json."
    );
    let missing_key = "Missing \"access_token\" key in json data.";
    for body in [
        json!({ "text": "hi" }).to_string(),
        json!({ "access_token": "" }).to_string(),
        json!({ "access_token": null }).to_string(),
        json!([token]).to_string(),
        json!(token).to_string(),
        "{ not json".to_owned(),
        String::new(),
    ] {
        let answer = post(ContentType::JSON, body.clone());
        assert_eq!(answer.status, Status::Unauthorized, "{body}");
        assert_eq!(answer.msg(), missing_key, "{body}");
    }
    let number = post(ContentType::JSON, json!({ "access_token": 7 }).to_string());
    assert_eq!(number.status, Status::UnprocessableEntity);

    // The body is checked only after the token: a valid token with a body that is not a
    // `Note` is a 422 from the data guard, a bad token with a good body the token's answer.
    let not_a_note = post(
        ContentType::JSON,
        json!({ "access_token": token, "text": 1 }).to_string(),
    );
    assert_eq!(not_a_note.status, Status::UnprocessableEntity);
    let bad_token = post(
        ContentType::JSON,
        json!({ "access_token": "x.y.z", "text": "hi" }).to_string(),
    );
    assert_eq!(bad_token.status, Status::UnprocessableEntity);
    assert_eq!(bad_token.msg(), "Invalid header padding");
}

#[test]
fn json_refresh_key_and_explicit_json_guard() {
    let client = client(config("headers"));
    let manager = jwt(&client);
    let refresh = manager.create_refresh_token("alice").unwrap();
    // `jwt_token_location` is `headers`; the guard's own `location::Json` overrides it.
    let answer = send(
        client.post("/json-value").header(ContentType::JSON).body(
            json!({ "access_token": manager.create_access_token("alice").unwrap(), "n": 1 })
                .to_string(),
        ),
    );
    assert_eq!(answer.status, Status::Ok);
    assert_eq!(
        answer.body,
        json!({ "location": "json", "body": { "n": 1 } })
    );

    // Refresh tokens use `jwt_refresh_json_key`; the configured location list (headers only)
    // is searched by `JwtJson<_, kind::Refresh>`, so the header is read and the body is free.
    let by_header = send(
        client
            .post("/json-refresh")
            .header(bearer(&refresh))
            .header(ContentType::JSON),
    );
    assert_eq!(by_header.status, Status::Ok, "{:?}", by_header.body);
    assert_eq!(by_header.body["location"], "headers");

    let json_client = self::client(config("json").refresh_json_key("rt"));
    let refresh = jwt(&json_client).create_refresh_token("bob").unwrap();
    let ok = send(
        json_client
            .post("/json-refresh")
            .header(ContentType::JSON)
            .body(json!({ "rt": refresh }).to_string()),
    );
    assert_eq!(ok.status, Status::Ok, "{:?}", ok.body);
    assert_eq!(ok.body["identity"], "bob");
    let wrong_key = send(
        json_client
            .post("/json-refresh")
            .header(ContentType::JSON)
            .body(json!({ "refresh_token": refresh }).to_string()),
    );
    assert_eq!(wrong_key.msg(), "Missing \"rt\" key in json data.");
}

#[test]
fn request_guards_report_the_json_location_as_missing() {
    let client = client(config("headers, json"));
    let token = jwt(&client).create_access_token("alice").unwrap();
    let header = send(client.get("/protected").header(bearer(&token)));
    assert_eq!(header.status, Status::Ok);
    let none = send(client.get("/protected"));
    assert_eq!(
        none.msg(),
        "Missing JWT in headers or json (Missing Authorization Header; Invalid content-type. \
         Must be application/json.)"
    );
    let in_body = send(
        client
            .post("/protected")
            .header(ContentType::JSON)
            .body(json!({ "access_token": token }).to_string()),
    );
    assert_eq!(in_body.status, Status::Unauthorized);
    assert_eq!(
        in_body.msg(),
        "Missing JWT in headers or json (Missing Authorization Header; Missing \"access_token\" \
         key in json data.)"
    );
}

#[test]
fn search_order_and_error_rules() {
    let headers_first = client(config("headers, cookies"));
    let token = jwt(&headers_first).create_access_token("alice").unwrap();
    let cookie = || Cookie::new("access_token_cookie", token.clone());

    // Nothing anywhere: the aggregated message, in list order.
    let none = send(headers_first.get("/protected"));
    assert_eq!(none.status, Status::Unauthorized);
    assert_eq!(
        none.msg(),
        "Missing JWT in headers or cookies (Missing Authorization Header; Missing cookie \
         \"access_token_cookie\")"
    );
    // Not found in the first location: the second is used.
    let by_cookie = send(headers_first.get("/protected").cookie(cookie()));
    assert_eq!(by_cookie.body["location"], "cookies");
    // A header of another scheme is "not found" too.
    let basic = send(
        headers_first
            .get("/protected")
            .header(Header::new("Authorization", "Basic Zm9vOmJhcg=="))
            .cookie(cookie()),
    );
    assert_eq!(basic.body["location"], "cookies");
    // Found but invalid in the first location: that answer, whatever the second holds.
    let bad_header = send(
        headers_first
            .get("/protected")
            .header(bearer("x.y.z"))
            .cookie(cookie()),
    );
    assert_eq!(bad_header.status, Status::UnprocessableEntity);
    let malformed = send(
        headers_first
            .get("/protected")
            .header(Header::new("Authorization", "Bearer a b"))
            .cookie(cookie()),
    );
    assert_eq!(malformed.status, Status::UnprocessableEntity);

    // Cookies first: a cookie without its CSRF value stops the search, even before a valid
    // header (Flask's rule).
    let cookies_first = client(config("cookies, headers"));
    let token = jwt(&cookies_first).create_access_token("alice").unwrap();
    let stopped = send(
        cookies_first
            .post("/protected")
            .cookie(Cookie::new("access_token_cookie", token.clone()))
            .header(bearer(&token)),
    );
    assert_eq!(stopped.status, Status::Unauthorized);
    assert_eq!(stopped.msg(), "Missing CSRF token");
    let by_header = send(cookies_first.post("/protected").header(bearer(&token)));
    assert_eq!(by_header.body["location"], "headers");

    let three = client(config("query_string, cookies, headers"));
    assert_eq!(
        send(three.get("/protected")).msg(),
        "Missing JWT in query_string, cookies or headers (Missing 'jwt' query parameter; \
         Missing cookie \"access_token_cookie\"; Missing Authorization Header)"
    );
}

#[test]
fn optional_routes_forgive_only_an_absent_token() {
    let client = client(config("cookies, headers"));
    let token = jwt(&client).create_access_token("alice").unwrap();
    let none = send(client.get("/optional"));
    assert_eq!(none.status, Status::Ok);
    assert_eq!(none.body, json!({ "location": null }));
    let by_cookie = send(
        client
            .get("/optional")
            .cookie(Cookie::new("access_token_cookie", token.clone())),
    );
    assert_eq!(by_cookie.body, json!({ "location": "cookies" }));
    let csrf_missing = send(
        client
            .post("/optional")
            .cookie(Cookie::new("access_token_cookie", token)),
    );
    assert_eq!(csrf_missing.status, Status::Unauthorized);
    assert_eq!(csrf_missing.msg(), "Missing CSRF token");
}

#[test]
fn routes_and_guards_override_the_configured_locations() {
    let client = client(config("headers"));
    let token = jwt(&client).create_access_token("alice").unwrap();

    // `#[jwt_required(locations = "cookies, headers")]`
    let by_cookie = send(
        client
            .get("/route-override")
            .cookie(Cookie::new("access_token_cookie", token.clone())),
    );
    assert_eq!(by_cookie.status, Status::Ok);
    assert_eq!(by_cookie.body["location"], "cookies");
    let none = send(client.get("/route-override"));
    assert_eq!(
        none.msg(),
        "Missing JWT in cookies or headers (Missing cookie \"access_token_cookie\"; Missing \
         Authorization Header)"
    );
    // `locations = ["query_string", "cookies"]`, as a Flask user writes it.
    let listed = send(
        client
            .get("/route-override-list")
            .cookie(Cookie::new("access_token_cookie", token.clone())),
    );
    assert_eq!(listed.body["location"], "cookies");
    assert_eq!(
        send(client.get("/route-override-list")).msg(),
        "Missing JWT in query_string or cookies (Missing 'jwt' query parameter; Missing cookie \
         \"access_token_cookie\")"
    );
    // Without the override, the configured `headers` only.
    let plain = send(
        client
            .get("/protected")
            .cookie(Cookie::new("access_token_cookie", token.clone())),
    );
    assert_eq!(plain.msg(), "Missing Authorization Header");

    // `Jwt<kind::Access, (location::QueryString, location::Headers)>`
    let by_query = send(client.get(format!("/guard-override?jwt={token}")));
    assert_eq!(by_query.body["location"], "query_string");
    let by_header = send(client.get("/guard-override").header(bearer(&token)));
    assert_eq!(by_header.body["location"], "headers");
    assert_eq!(
        send(client.get("/guard-override")).msg(),
        "Missing JWT in query_string or headers (Missing 'jwt' query parameter; Missing \
         Authorization Header)"
    );
}

#[test]
fn json_bodies_over_the_limit_are_413_before_any_token_work() {
    let client = client(config("json"));
    let token = jwt(&client).create_access_token("alice").unwrap();
    // Rocket's default `json` limit is 1 MiB.
    let body = json!({ "access_token": token, "text": "x".repeat(1024 * 1024) }).to_string();
    let answer = send(client.post("/json").header(ContentType::JSON).body(body));
    assert_eq!(answer.status, Status::PayloadTooLarge);
    // And the next request is served as usual.
    let ok = send(
        client
            .post("/json")
            .header(ContentType::JSON)
            .body(json!({ "access_token": token, "text": "hi" }).to_string()),
    );
    assert_eq!(ok.status, Status::Ok);
}
