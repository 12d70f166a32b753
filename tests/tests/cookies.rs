//! Setting and unsetting the token cookies as Flask-JWT-Extended does, with every cookie setting, the
//! `__Host-` rules, and the implicit refresh of access cookies.

use jwt_ext::{
    AccessJwt, Config, CookieError, ImplicitRefresh, JwtCookies, JwtManager, RefreshJwt,
};
use rocket::http::{Cookie, Header, SameSite, Status};
use rocket::local::blocking::Client;
use rocket::serde::json::{json, Value};
use rocket::time::{Duration, OffsetDateTime};
use rocket::{get, post, routes, Build, Rocket};

const SECRET: &str = "a-test-secret-that-is-at-least-32-bytes-long";

fn config() -> Config {
    Config::default()
        .secret_key(SECRET)
        .token_location("cookies".parse().unwrap())
}

#[post("/login")]
fn login(jwt: &JwtManager, cookies: JwtCookies<'_>) -> Result<Value, CookieError> {
    cookies.set_access_cookies(&jwt.create_access_token("alice")?)?;
    cookies.set_refresh_cookies(&jwt.create_refresh_token("alice")?)?;
    Ok(json!({ "login": true }))
}

#[post("/login-custom")]
fn login_custom(jwt: &JwtManager, cookies: JwtCookies<'_>) -> Result<Value, CookieError> {
    let cookies = cookies
        .domain("app.example.com")
        .max_age(Duration::hours(2));
    cookies.set_access_cookies(&jwt.create_access_token("alice")?)?;
    Ok(json!({ "login": true }))
}

#[post("/logout")]
fn logout(_jwt: AccessJwt, cookies: JwtCookies<'_>) -> Value {
    cookies.unset_jwt_cookies();
    json!({ "logout": true })
}

#[post("/logout-access")]
fn logout_access(cookies: JwtCookies<'_>) -> Value {
    cookies.unset_access_cookies();
    json!({ "logout": true })
}

#[get("/protected")]
fn protected(jwt: AccessJwt) -> Value {
    json!({ "identity": jwt.identity() })
}

#[get("/forbidden")]
fn forbidden(_jwt: AccessJwt) -> Status {
    Status::Forbidden
}

#[post("/refresh")]
fn refresh(jwt: RefreshJwt) -> Value {
    json!({ "identity": jwt.identity() })
}

fn rocket(config: Config) -> Rocket<Build> {
    rocket::build()
        .attach(JwtManager::fairing_with(config))
        .mount(
            "/",
            routes![
                login,
                login_custom,
                logout,
                logout_access,
                protected,
                forbidden,
                refresh
            ],
        )
}

fn client(config: Config) -> Client {
    Client::untracked(rocket(config)).expect("valid rocket")
}

fn jwt(client: &Client) -> &JwtManager {
    client.rocket().state::<JwtManager>().unwrap()
}

/// The response's `Set-Cookie` headers, parsed, by name.
fn set_cookies(response: &rocket::local::blocking::LocalResponse<'_>) -> Vec<Cookie<'static>> {
    response
        .headers()
        .get("Set-Cookie")
        .map(|value| Cookie::parse(value.to_owned()).expect("a valid Set-Cookie"))
        .collect()
}

fn named<'a>(cookies: &'a [Cookie<'static>], name: &str) -> &'a Cookie<'static> {
    cookies
        .iter()
        .find(|cookie| cookie.name() == name)
        .unwrap_or_else(|| panic!("no `{name}` cookie in {cookies:?}"))
}

#[test]
fn login_sets_flasks_cookies_with_the_default_settings() {
    let client = client(config());
    let response = client.post("/login").dispatch();
    assert_eq!(response.status(), Status::Ok);
    let cookies = set_cookies(&response);
    assert_eq!(cookies.len(), 4, "{cookies:?}");

    let access = named(&cookies, "access_token_cookie");
    let decoded = jwt(&client).decode_token(access.value()).unwrap();
    assert_eq!(decoded.identity(), "alice");
    assert_eq!(access.http_only(), Some(true));
    assert_eq!(access.path(), Some("/"));
    assert_eq!(access.secure(), None, "no `Secure` attribute");
    assert_eq!(access.domain(), None);
    assert_eq!(access.same_site(), Some(SameSite::Lax));
    // Session cookies: no Max-Age, no Expires.
    assert_eq!(access.max_age(), None);
    assert!(access.expires().is_none());

    let csrf = named(&cookies, "csrf_access_token");
    assert_eq!(csrf.value(), decoded.claims()["csrf"].as_str().unwrap());
    assert_eq!(
        csrf.http_only(),
        None,
        "no `HttpOnly`: the page must read it"
    );
    assert_eq!(csrf.path(), Some("/"));

    let refresh = named(&cookies, "refresh_token_cookie");
    let refresh_claims = jwt(&client).decode_token(refresh.value()).unwrap();
    assert!(refresh_claims.is_refresh());
    assert_eq!(
        named(&cookies, "csrf_refresh_token").value(),
        refresh_claims.claims()["csrf"].as_str().unwrap()
    );
}

#[test]
fn every_cookie_setting_is_honoured() {
    let client = client(
        config()
            .access_cookie_name("at")
            .refresh_cookie_name("rt")
            .access_cookie_path("/api/")
            .refresh_cookie_path("/token/refresh")
            .access_csrf_cookie_name("at_csrf")
            .refresh_csrf_cookie_name("rt_csrf")
            .access_csrf_cookie_path("/")
            .refresh_csrf_cookie_path("/token/")
            .cookie_secure(true)
            .cookie_domain("example.com")
            .cookie_samesite(SameSite::Strict)
            .session_cookie(false),
    );
    let before = OffsetDateTime::now_utc();
    let response = client.post("/login").dispatch();
    let cookies = set_cookies(&response);
    for (name, path, http_only) in [
        ("at", "/api/", true),
        ("rt", "/token/refresh", true),
        ("at_csrf", "/", false),
        ("rt_csrf", "/token/", false),
    ] {
        let cookie = named(&cookies, name);
        assert_eq!(cookie.path(), Some(path), "{name}");
        assert_eq!(cookie.http_only().unwrap_or(false), http_only, "{name}");
        assert_eq!(cookie.secure(), Some(true), "{name}");
        assert_eq!(cookie.domain(), Some("example.com"), "{name}");
        assert_eq!(cookie.same_site(), Some(SameSite::Strict), "{name}");
        assert_eq!(
            cookie.max_age(),
            Some(Duration::seconds(31_540_000)),
            "{name}"
        );
        let expires = cookie.expires_datetime().expect("Expires with Max-Age");
        let from_now = expires - before;
        assert!(
            (Duration::seconds(31_539_990)..=Duration::seconds(31_540_010)).contains(&from_now),
            "{name}: {from_now}"
        );
    }

    let none = self::client(config().cookie_secure(true).cookie_samesite(SameSite::None));
    let response = none.post("/login").dispatch();
    let cookies = set_cookies(&response);
    assert_eq!(
        named(&cookies, "access_token_cookie").same_site(),
        Some(SameSite::None)
    );
}

#[test]
fn per_call_domain_and_max_age_override_the_config() {
    let client = client(config().cookie_domain("example.com"));
    let response = client.post("/login-custom").dispatch();
    let cookies = set_cookies(&response);
    for name in ["access_token_cookie", "csrf_access_token"] {
        let cookie = named(&cookies, name);
        assert_eq!(cookie.domain(), Some("app.example.com"));
        assert_eq!(cookie.max_age(), Some(Duration::hours(2)));
    }
}

#[test]
fn csrf_cookies_follow_the_csrf_settings() {
    for config in [
        config().csrf_in_cookies(false),
        config().cookie_csrf_protect(false),
    ] {
        let client = client(config);
        let response = client.post("/login").dispatch();
        let names: Vec<String> = set_cookies(&response)
            .iter()
            .map(|cookie| cookie.name().to_owned())
            .collect();
        assert_eq!(names.len(), 2, "{names:?}");
        assert!(names.contains(&"access_token_cookie".to_owned()));
        assert!(names.contains(&"refresh_token_cookie".to_owned()));
    }
    // Without the CSRF cookie the app sends the value itself: `csrf_token` is Flask's
    // `get_csrf_token`.
    let client = client(config().csrf_in_cookies(false));
    let token = jwt(&client).create_access_token("alice").unwrap();
    let decoded = jwt(&client).decode_token(&token).unwrap();
    assert_eq!(
        jwt(&client).csrf_token(&token).unwrap(),
        decoded.claims()["csrf"].as_str().unwrap()
    );
}

#[test]
fn a_token_without_csrf_claim_cannot_be_set_with_a_csrf_cookie() {
    let client = client(config());
    let without = JwtManager::new(
        Config::default()
            .secret_key(SECRET)
            .cookie_csrf_protect(false),
    )
    .unwrap()
    .create_access_token("alice")
    .unwrap();
    let error = jwt(&client).csrf_token(&without).unwrap_err();
    assert_eq!(error.message(), "Missing claim: csrf");
    let request = client.get("/");
    let cookies = jwt(&client).cookies(request.inner().cookies());
    let error = cookies.set_access_cookies(&without).unwrap_err();
    assert!(matches!(error, CookieError::Csrf(_)), "{error}");
}

/// `POST /logout` with a new access cookie and its CSRF header.
fn logout_with_access_cookie(client: &Client) -> rocket::local::blocking::LocalResponse<'_> {
    let token = jwt(client).create_access_token("alice").unwrap();
    client
        .post("/logout")
        .cookie(Cookie::new("access_token_cookie", token.clone()))
        .header(Header::new(
            "X-CSRF-TOKEN",
            jwt(client).csrf_token(&token).unwrap(),
        ))
        .dispatch()
}

#[test]
fn logout_expires_every_cookie_with_its_path_and_domain() {
    let client = client(
        config()
            .refresh_cookie_path("/refresh")
            .cookie_domain("example.com"),
    );
    let response = logout_with_access_cookie(&client);
    assert_eq!(response.status(), Status::Ok);
    let cookies = set_cookies(&response);
    assert_eq!(cookies.len(), 4, "{cookies:?}");
    for (name, path) in [
        ("access_token_cookie", "/"),
        ("csrf_access_token", "/"),
        // Not sent with this request (its path is /refresh), expired all the same.
        ("refresh_token_cookie", "/refresh"),
        ("csrf_refresh_token", "/"),
    ] {
        let cookie = named(&cookies, name);
        assert_eq!(cookie.value(), "", "{name}");
        assert_eq!(cookie.path(), Some(path), "{name}");
        assert_eq!(cookie.domain(), Some("example.com"), "{name}");
        assert_eq!(cookie.max_age(), Some(Duration::ZERO), "{name}");
        assert_eq!(
            cookie.expires_datetime(),
            Some(OffsetDateTime::UNIX_EPOCH),
            "{name}"
        );
    }

    let response = client.post("/logout-access").dispatch();
    let mut names: Vec<String> = set_cookies(&response)
        .iter()
        .map(|cookie| cookie.name().to_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["access_token_cookie", "csrf_access_token"]);
}

#[test]
fn partitioned_cookies_are_written_set_and_unset_and_need_secure() {
    let client = client(config().cookie_partitioned(true).cookie_secure(true));
    let response = client.post("/login").dispatch();
    assert_eq!(response.status(), Status::Ok);
    let set = set_cookies(&response);
    assert_eq!(set.len(), 4, "{set:?}");
    for cookie in &set {
        assert_eq!(cookie.partitioned(), Some(true), "{cookie}");
        assert_eq!(cookie.secure(), Some(true), "{cookie}");
    }
    let response = logout_with_access_cookie(&client);
    let unset = set_cookies(&response);
    assert_eq!(unset.len(), 4, "{unset:?}");
    for cookie in &unset {
        assert_eq!(cookie.partitioned(), Some(true), "{cookie}");
        assert_eq!(cookie.max_age(), Some(Duration::ZERO), "{cookie}");
    }
    // Off by default: the attribute is not written.
    let plain = client_default_partition();
    for cookie in &plain {
        assert_ne!(cookie.partitioned(), Some(true), "{cookie}");
    }

    assert!(launch_problems(config().cookie_partitioned(true)).is_some());
    let messages = config()
        .cookie_partitioned(true)
        .validate(true)
        .unwrap_err();
    let problem = messages
        .problems
        .iter()
        .find(|problem| problem.key == "jwt_cookie_partitioned")
        .expect("the setting is named");
    assert!(
        problem.message.contains("jwt_cookie_secure = true"),
        "{}",
        problem.message
    );
}

/// The cookies of a login with the default settings.
fn client_default_partition() -> Vec<Cookie<'static>> {
    let client = client(config());
    let response = client.post("/login").dispatch();
    set_cookies(&response)
}

fn launch_problems(config: Config) -> Option<String> {
    match Client::untracked(rocket(config)) {
        Ok(_) => None,
        Err(error) => Some(error.to_string()),
    }
}

#[test]
fn host_and_secure_prefixes_and_samesite_none_are_checked_at_ignite() {
    let host = || config().access_cookie_name("__Host-access");
    assert!(launch_problems(host()).is_some(), "needs Secure");
    assert!(launch_problems(host().cookie_secure(true).cookie_domain("example.com")).is_some());
    assert!(launch_problems(host().cookie_secure(true).access_cookie_path("/api")).is_some());
    assert!(launch_problems(host().cookie_secure(true)).is_none());
    let secure = config().refresh_csrf_cookie_name("__Secure-csrf");
    assert!(launch_problems(secure.clone()).is_some());
    assert!(launch_problems(secure.cookie_secure(true)).is_none());
    assert!(launch_problems(config().cookie_samesite(SameSite::None)).is_some());

    let messages = config()
        .access_cookie_name("__Host-access")
        .cookie_domain("example.com")
        .access_cookie_path("/api")
        .validate(true)
        .unwrap_err();
    let problem = messages
        .problems
        .iter()
        .find(|problem| problem.key == "jwt_access_cookie_name")
        .expect("the cookie name is named");
    assert_eq!(
        problem.message,
        "starts with `__Host-`, which browsers accept only with `jwt_cookie_secure = true`, \
         its path `/`, no `jwt_cookie_domain`"
    );
}

#[test]
fn a_per_call_domain_on_a_host_cookie_is_a_server_error() {
    let client = client(
        config()
            .access_cookie_name("__Host-access")
            .access_csrf_cookie_name("__Host-csrf")
            .cookie_secure(true),
    );
    let response = client.post("/login-custom").dispatch();
    assert_eq!(response.status(), Status::InternalServerError);
    assert!(set_cookies(&response).is_empty());
    let body: Value = response.into_json().unwrap();
    // In the debug profile the answer names the cause; the message is the same in release.
    assert_eq!(
        body,
        json!({
            "msg": "Could not set the token cookies",
            "detail": "cookie `__Host-access` starts with `__Host-`, which browsers refuse with a Domain",
        })
    );

    let ok = client.post("/login").dispatch();
    let cookies = set_cookies(&ok);
    let access = named(&cookies, "__Host-access");
    assert_eq!(
        (access.secure(), access.path(), access.domain()),
        (Some(true), Some("/"), None)
    );
}

fn refreshing_client(window: Duration) -> Client {
    let rocket = rocket(config().token_location("cookies, headers".parse().unwrap()))
        .attach(ImplicitRefresh::within(window));
    Client::untracked(rocket).expect("valid rocket")
}

fn token_expiring_in(client: &Client, lifetime: Duration) -> String {
    jwt(client)
        .access_token("alice")
        .claim("fam", "family-1")
        .expires_in(lifetime)
        .create()
        .unwrap()
}

#[test]
fn implicit_refresh_renews_cookies_close_to_expiry() {
    let client = refreshing_client(ImplicitRefresh::DEFAULT_WINDOW);
    let old = token_expiring_in(&client, Duration::minutes(10));
    let response = client
        .get("/protected")
        .cookie(Cookie::new("access_token_cookie", old.clone()))
        .dispatch();
    assert_eq!(response.status(), Status::Ok);
    let cookies = set_cookies(&response);
    let new = named(&cookies, "access_token_cookie");
    assert_ne!(new.value(), old);
    let decoded = jwt(&client).decode_token(new.value()).unwrap();
    let old_claims = jwt(&client).decode_token(&old).unwrap();
    assert_eq!(decoded.identity(), "alice");
    assert!(!decoded.is_fresh());
    assert_eq!(decoded.claims()["fam"], "family-1");
    assert!(decoded.expires_at() > old_claims.expires_at());
    assert_eq!(
        named(&cookies, "csrf_access_token").value(),
        decoded.claims()["csrf"].as_str().unwrap()
    );
    assert_eq!(new.http_only(), Some(true));
}

#[test]
fn implicit_refresh_leaves_everything_else_alone() {
    let client = refreshing_client(Duration::minutes(30));
    let cookie = |token: &str| Cookie::new("access_token_cookie", token.to_owned());
    let no_set_cookie = |response: rocket::local::blocking::LocalResponse<'_>| {
        let cookies = set_cookies(&response);
        assert!(cookies.is_empty(), "{cookies:?}");
        response.status()
    };

    // Far from expiry.
    let fresh_enough = token_expiring_in(&client, Duration::minutes(60));
    let status = no_set_cookie(
        client
            .get("/protected")
            .cookie(cookie(&fresh_enough))
            .dispatch(),
    );
    assert_eq!(status, Status::Ok);

    // Close to expiry but from the header: not a browser session.
    let soon = token_expiring_in(&client, Duration::minutes(5));
    let status = no_set_cookie(
        client
            .get("/protected")
            .header(Header::new("Authorization", format!("Bearer {soon}")))
            .dispatch(),
    );
    assert_eq!(status, Status::Ok);

    // Expired: refused, never revived.
    let expired = token_expiring_in(&client, Duration::seconds(-5));
    let status = no_set_cookie(client.get("/protected").cookie(cookie(&expired)).dispatch());
    assert_eq!(status, Status::Unauthorized);

    // An error answer from the handler.
    let status = no_set_cookie(client.get("/forbidden").cookie(cookie(&soon)).dispatch());
    assert_eq!(status, Status::Forbidden);

    // A refresh token from the refresh cookie.
    let refresh = jwt(&client)
        .refresh_token("alice")
        .expires_in(Duration::minutes(5))
        .create()
        .unwrap();
    let status = no_set_cookie(
        client
            .post("/refresh")
            .cookie(Cookie::new("refresh_token_cookie", refresh.clone()))
            .header(Header::new(
                "X-CSRF-TOKEN",
                jwt(&client).csrf_token(&refresh).unwrap(),
            ))
            .dispatch(),
    );
    assert_eq!(status, Status::Ok);
}

#[test]
fn implicit_refresh_does_not_undo_a_logout() {
    let client = refreshing_client(Duration::minutes(30));
    let soon = token_expiring_in(&client, Duration::minutes(5));
    let response = client
        .post("/logout")
        .cookie(Cookie::new("access_token_cookie", soon.clone()))
        .header(Header::new(
            "X-CSRF-TOKEN",
            jwt(&client).csrf_token(&soon).unwrap(),
        ))
        .dispatch();
    assert_eq!(response.status(), Status::Ok);
    let cookies = set_cookies(&response);
    let access: Vec<&Cookie<'_>> = cookies
        .iter()
        .filter(|cookie| cookie.name() == "access_token_cookie")
        .collect();
    assert_eq!(access.len(), 1, "{cookies:?}");
    assert_eq!(
        access[0].value(),
        "",
        "the logout's removal, not a new token"
    );
}

/// Renews `token` through the implicit refresh: the new access cookie, if any.
fn renewed(client: &Client, token: &str) -> Option<String> {
    let response = client
        .get("/protected")
        .cookie(Cookie::new("access_token_cookie", token.to_owned()))
        .dispatch();
    assert_eq!(response.status(), Status::Ok);
    let cookies = set_cookies(&response);
    cookies
        .iter()
        .find(|cookie| cookie.name() == "access_token_cookie")
        .map(|cookie| cookie.value().to_owned())
}

#[test]
fn implicit_refresh_never_outlives_the_login() {
    // Flask's recipe renews a stolen cookie for ever; here the login's end is the limit.
    let client = refreshing_client(Duration::minutes(30));
    let now = rocket::time::OffsetDateTime::now_utc().unix_timestamp();

    // A login ending in two minutes: the renewed cookie ends with it, and keeps the login.
    let ending = jwt(&client)
        .access_token("alice")
        .claim("fam", "family-2")
        .claim("fam_exp", now + 120)
        .expires_in(Duration::minutes(1))
        .create()
        .unwrap();
    let new = renewed(&client, &ending).expect("renewed");
    let claims = jwt(&client).decode_token(&new).unwrap().claims().clone();
    assert!(claims["exp"].as_i64().unwrap() <= now + 121, "{claims:?}");
    assert_eq!(claims["fam"], "family-2");
    assert_eq!(claims["fam_exp"], now + 120);

    // A login over (its end passed, the cookie still valid a minute longer): not renewed.
    let ended = jwt(&client)
        .access_token("alice")
        .claim("fam_exp", now - 1)
        .expires_in(Duration::minutes(1))
        .create()
        .unwrap();
    assert_eq!(renewed(&client, &ended), None);

    // Without `fam_exp`: a refresh lifetime (30 days) after the original login, carried on.
    let login = now - 30 * 24 * 3600 + 60;
    let old = jwt(&client)
        .access_token("alice")
        .claim("iat", login)
        .expires_in(Duration::minutes(5))
        .create()
        .unwrap();
    let new = renewed(&client, &old).expect("renewed");
    let claims = jwt(&client).decode_token(&new).unwrap().claims().clone();
    assert_eq!(claims["orig_iat"], login);
    assert!(claims["exp"].as_i64().unwrap() <= now + 61, "{claims:?}");
    let older = jwt(&client)
        .access_token("alice")
        .claim("orig_iat", now - 30 * 24 * 3600 - 1)
        .expires_in(Duration::minutes(5))
        .create()
        .unwrap();
    assert_eq!(renewed(&client, &older), None, "a login older than 30 days");
}

#[rocket::post("/revoke")]
async fn revoke_login(jwt: &JwtManager, token: AccessJwt) -> Result<Value, jwt_ext::StoreError> {
    jwt.revoke_login(&token).await?;
    Ok(json!({ "revoked": true }))
}

#[test]
fn a_logout_revokes_the_implicitly_renewed_cookies_of_its_login() {
    let rocket = rocket(config().token_location("cookies, headers".parse().unwrap()))
        .attach(ImplicitRefresh::within(Duration::minutes(30)))
        .mount("/", rocket::routes![revoke_login]);
    let client = Client::untracked(rocket).unwrap();
    let pair = jwt(&client).create_token_pair("alice", true).unwrap();
    let soon = jwt(&client)
        .access_token("alice")
        .additional_claims(json!({
            "fam": jwt(&client).decode_token(&pair.access_token).unwrap().family(),
        }))
        .expires_in(Duration::minutes(5))
        .create()
        .unwrap();
    let new = renewed(&client, &soon).expect("renewed");
    let response = client
        .post("/revoke")
        .header(Header::new(
            "Authorization",
            format!("Bearer {}", pair.access_token),
        ))
        .dispatch();
    assert_eq!(response.status(), Status::Ok);
    for token in [&soon, &new] {
        let response = client
            .get("/protected")
            .cookie(Cookie::new("access_token_cookie", token.clone()))
            .dispatch();
        assert_eq!(response.status(), Status::Unauthorized);
        assert_eq!(
            response.into_json::<Value>(),
            Some(json!({ "msg": "Token has been revoked" }))
        );
    }
}

/// `POST /refresh` with the raw `Cookie` header `cookies` and the CSRF header `csrf`.
fn post_refresh(client: &Client, cookies: &str, csrf: Option<&str>) -> (Status, Value) {
    let mut request = client
        .post("/refresh")
        .header(Header::new("Cookie", cookies.to_owned()));
    if let Some(csrf) = csrf {
        request = request.header(Header::new("X-CSRF-TOKEN", csrf.to_owned()));
    }
    let response = request.dispatch();
    (
        response.status(),
        response.into_json().unwrap_or(Value::Null),
    )
}

#[test]
fn an_expired_cookie_token_fails_the_double_submit_first_as_in_flask() {
    // Flask decodes an expired token again, ignoring `exp`, with the CSRF value: a wrong value
    // or a token without `csrf` claim is what it answers, not "Token has expired".
    let client = client(config());
    let expired = jwt(&client)
        .refresh_token("alice")
        .expires_in(Duration::seconds(-60))
        .create()
        .unwrap();
    let cookie = format!("refresh_token_cookie={expired}");
    assert_eq!(
        post_refresh(&client, &cookie, Some("forged")),
        (
            Status::Unauthorized,
            json!({ "msg": "CSRF double submit tokens do not match" })
        )
    );
    assert_eq!(
        post_refresh(&client, &cookie, None),
        (Status::Unauthorized, json!({ "msg": "Missing CSRF token" }))
    );
    let csrf = jwt(&client).csrf_token(&expired);
    assert!(
        csrf.is_err(),
        "an expired token has no readable csrf: {csrf:?}"
    );
    let claims = jwt(&client)
        .decode_token_allow_expired(&expired)
        .unwrap()
        .claims()["csrf"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        post_refresh(&client, &cookie, Some(&claims)),
        (Status::Unauthorized, json!({ "msg": "Token has expired" }))
    );
    // An expired token minted without a `csrf` claim.
    let without = Client::untracked(rocket(config().cookie_csrf_protect(false))).unwrap();
    let no_claim = jwt(&without)
        .refresh_token("alice")
        .expires_in(Duration::seconds(-60))
        .create()
        .unwrap();
    assert_eq!(
        post_refresh(
            &client,
            &format!("refresh_token_cookie={no_claim}"),
            Some("x")
        ),
        (
            Status::UnprocessableEntity,
            json!({ "msg": "Missing claim: csrf" })
        )
    );
}

#[test]
fn cookies_are_read_as_flask_reads_them() {
    let client = client(config());
    let token = jwt(&client).create_refresh_token("alice").unwrap();
    let csrf = jwt(&client).csrf_token(&token).unwrap();
    // A quoted value, as some clients and proxies write it.
    assert_eq!(
        post_refresh(
            &client,
            &format!("refresh_token_cookie=\"{token}\""),
            Some(&csrf)
        )
        .0,
        Status::Ok
    );
    // The same name twice (two paths match): the first, the most specific path, is taken.
    let other = jwt(&client).create_refresh_token("bob").unwrap();
    let both = format!("refresh_token_cookie={token}; refresh_token_cookie={other}");
    assert_eq!(
        post_refresh(&client, &both, Some(&csrf)),
        (Status::Ok, json!({ "identity": "alice" }))
    );
    let in_two_headers = client
        .post("/refresh")
        .header(Header::new(
            "Cookie",
            format!("refresh_token_cookie={token}"),
        ))
        .header(Header::new(
            "Cookie",
            format!("refresh_token_cookie={other}"),
        ))
        .header(Header::new("X-CSRF-TOKEN", csrf))
        .dispatch();
    assert_eq!(
        in_two_headers.into_json::<Value>(),
        Some(json!({ "identity": "alice" }))
    );
}

#[test]
fn an_implicitly_renewed_cookie_keeps_the_logins_claims() {
    let client = refreshing_client(Duration::minutes(10));
    let token = jwt(&client)
        .access_token("alice")
        .claim("fam", "family-2")
        .claim("fam_iat", 1_700_000_000_123_456_i64)
        .additional_claims(json!({ "role": "admin" }))
        .expires_in(Duration::minutes(2))
        .create()
        .unwrap();
    let renewed = renewed(&client, &token).expect("renewed close to its expiry");
    let claims = jwt(&client)
        .decode_token(&renewed)
        .unwrap()
        .claims()
        .clone();
    assert_eq!(claims["role"], "admin");
    assert_eq!(claims["fam"], "family-2");
    assert_eq!(claims["fam_iat"], 1_700_000_000_123_456_i64);
    assert_eq!(claims["fresh"], false);
    assert_ne!(
        claims["jti"],
        jwt(&client).decode_token(&token).unwrap().claims()["jti"]
    );
}
