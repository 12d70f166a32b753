//! jwt-ext-okapi: the OpenAPI spec `rocket_okapi` generates lists which route needs which
//! token, in which location, and Flask's error answers; the openapi example serves it with
//! Swagger UI, and a client following the spec gets in.

use jwt_ext_okapi::location::{Cookies, QueryString};
use jwt_ext_okapi::{
    jwt_required, kind, AccessJwt, Authorized, ClaimsRequirement, DecodedToken, Jwt, JwtCookies,
    JwtJson, JwtManager, OptionalJwt, RefreshJwt,
};
use rocket::http::{ContentType, Header, Status};
use rocket::local::blocking::Client;
use rocket::serde::json::{json, Value};
use rocket::{get, post};
use rocket_okapi::{openapi, openapi_get_routes_spec};

/// `/openapi.json` of the openapi example.
fn example_spec(client: &Client) -> Value {
    let response = client.get("/openapi.json").dispatch();
    assert_eq!(response.status(), Status::Ok);
    response.into_json().expect("a JSON spec")
}

fn example_client() -> Client {
    outside_jails(|| Client::tracked(openapi::rocket()).expect("the openapi example launches"))
}

/// Runs `f`, which builds a spec from Rocket's default figment, while no other test of this
/// file changes the environment or the working directory: figment's `Jail`, which the
/// configuration test uses, holds one lock for all its users.
#[allow(clippy::result_large_err)] // figment::Error is large; Jail fixes the signature.
fn outside_jails<T>(f: impl FnOnce() -> T) -> T {
    let mut out = None;
    figment::Jail::expect_with(|_| {
        out = Some(f());
        Ok(())
    });
    out.expect("ran")
}

#[test]
fn the_example_spec_says_which_token_each_route_needs() {
    let spec = example_spec(&example_client());
    let paths = &spec["paths"];
    assert_eq!(
        paths["/protected"]["get"]["security"],
        json!([{ "jwt_access_header": [] }])
    );
    assert_eq!(
        paths["/fresh"]["get"]["security"],
        json!([{ "jwt_access_header": [] }])
    );
    assert_eq!(
        paths["/refresh"]["post"]["security"],
        json!([{ "jwt_refresh_header": [] }])
    );
    // Optional: the scheme, or nothing at all.
    assert_eq!(
        paths["/greeting"]["get"]["security"],
        json!([{ "jwt_access_header": [] }, {}])
    );
    assert_eq!(paths["/public"]["get"].get("security"), None);
    assert_eq!(paths["/login"]["post"].get("security"), None);

    let schemes = &spec["components"]["securitySchemes"];
    for name in ["jwt_access_header", "jwt_refresh_header"] {
        assert_eq!(schemes[name]["type"], "http", "{name}");
        assert_eq!(schemes[name]["scheme"], "bearer", "{name}");
        assert_eq!(schemes[name]["bearerFormat"], "JWT", "{name}");
    }
    assert_eq!(
        schemes.as_object().map(|schemes| schemes.len()),
        Some(2),
        "{schemes}"
    );
}

#[test]
fn protected_routes_declare_flasks_error_answers() {
    let spec = example_spec(&example_client());
    let responses = &spec["paths"]["/protected"]["get"]["responses"];
    for status in ["200", "401", "422"] {
        assert!(responses.get(status).is_some(), "{status}: {responses}");
    }
    let body = &responses["401"]["content"]["application/json"]["schema"];
    assert_eq!(body["properties"]["msg"]["type"], "string");
    assert_eq!(body["required"], json!(["msg"]));
    assert!(
        spec["paths"]["/fresh"]["get"]["responses"]["401"]["description"]
            .as_str()
            .is_some_and(|description| description.contains("Fresh token required"))
    );
    assert!(spec["paths"]["/public"]["get"]["responses"]
        .get("401")
        .is_none());
    // Token creation can fail with a 500 (EncodeError).
    assert!(spec["paths"]["/login"]["post"]["responses"]
        .get("500")
        .is_some());
}

#[test]
fn a_client_following_the_spec_gets_in_and_swagger_ui_is_served() {
    let client = example_client();
    let spec = example_spec(&client);
    // Log in with the body the spec describes.
    let login = &spec["paths"]["/login"]["post"];
    let schema = &login["requestBody"]["content"]["application/json"]["schema"];
    let reference = schema["$ref"].as_str().expect("a schema reference");
    let credentials = reference.rsplit('/').next().unwrap_or_default();
    let required = &spec["components"]["schemas"][credentials]["required"];
    assert_eq!(required, &json!(["password", "username"]));
    let tokens: Value = client
        .post("/login")
        .header(ContentType::JSON)
        .body(r#"{"username": "test", "password": "test"}"#)
        .dispatch()
        .into_json()
        .expect("tokens");

    // Send each route the token its scheme names, the way the scheme says.
    let send = |path: &str, method: &str| {
        let operation = &spec["paths"][path][method];
        let scheme = operation["security"][0]
            .as_object()
            .and_then(|requirement| requirement.keys().next())
            .expect("a security requirement")
            .clone();
        let token = match scheme.as_str() {
            "jwt_access_header" => &tokens["access_token"],
            "jwt_refresh_header" => &tokens["refresh_token"],
            other => panic!("unexpected scheme {other}"),
        };
        assert_eq!(
            spec["components"]["securitySchemes"][&scheme]["scheme"],
            "bearer"
        );
        let header = Header::new(
            "Authorization",
            format!("Bearer {}", token.as_str().unwrap()),
        );
        let request = match method {
            "get" => client.get(path),
            _ => client.post(path),
        };
        request.header(header).dispatch().status()
    };
    assert_eq!(send("/protected", "get"), Status::Ok);
    assert_eq!(send("/fresh", "get"), Status::Ok);
    assert_eq!(send("/refresh", "post"), Status::Ok);
    assert_eq!(send("/greeting", "get"), Status::Ok);
    // Without a token, what the spec says: 401 with a `msg`.
    let refused = client.get("/protected").dispatch();
    assert_eq!(refused.status(), Status::Unauthorized);
    let body: Value = refused.into_json().unwrap();
    assert_eq!(body["msg"], "Missing Authorization Header");

    let ui = client.get("/swagger-ui/index.html").dispatch();
    assert_eq!(ui.status(), Status::Ok);
    assert!(ui.into_string().unwrap().contains("swagger"));
}

// Every guard, its kind and its locations, on an app of the test's own.

#[openapi]
#[get("/access")]
fn access(jwt: AccessJwt) -> String {
    jwt.identity().to_string()
}

#[openapi]
#[post("/refresh-param")]
fn refresh_param(jwt: RefreshJwt) -> String {
    jwt.identity().to_string()
}

/// A plain `Jwt` without the attribute requires an access token.
#[openapi]
#[get("/plain")]
fn plain(jwt: Jwt) -> String {
    jwt.identity().to_string()
}

#[openapi]
#[get("/optional-param")]
fn optional_param(jwt: OptionalJwt) -> String {
    format!("{:?}", jwt.token().map(DecodedToken::identity))
}

#[jwt_required(locations = "cookies, headers")]
#[openapi]
#[get("/cookie")]
fn cookie(jwt: Jwt) -> String {
    jwt.identity().to_string()
}

#[jwt_required(refresh, locations = "cookies")]
#[openapi]
#[post("/cookie-refresh")]
fn cookie_refresh(jwt: Jwt, cookies: JwtCookies<'_>) -> String {
    let _ = cookies;
    jwt.identity().to_string()
}

#[openapi]
#[get("/query")]
fn query(jwt: Jwt<kind::Access, QueryString>) -> String {
    jwt.identity().to_string()
}

#[openapi]
#[get("/query-refresh")]
fn query_refresh(jwt: Jwt<kind::Refresh, (QueryString, Cookies)>) -> String {
    jwt.identity().to_string()
}

/// A claims requirement: 403 when it fails.
#[derive(Default)]
struct Admin;

impl ClaimsRequirement for Admin {
    fn check(&self, token: &DecodedToken) -> Result<(), String> {
        if token.claims().get("admin") == Some(&json!(true)) {
            Ok(())
        } else {
            Err("Admins only".into())
        }
    }
}

#[openapi]
#[get("/admin")]
fn admin(jwt: Authorized<Admin>) -> String {
    jwt.identity().to_string()
}

#[jwt_required(claims = jwt_ext_okapi::has_role("admin"))]
#[openapi]
#[get("/role")]
fn role() -> &'static str {
    "ok"
}

/// The body is documented like `Json<T>`.
#[derive(serde::Deserialize, rocket_okapi::JsonSchema)]
#[schemars(crate = "rocket_okapi::okapi::schemars")]
struct Note {
    text: String,
}

#[jwt_required]
#[openapi]
#[post("/notes", data = "<note>")]
fn notes(note: JwtJson<Note>) -> String {
    note.body().text.clone()
}

#[openapi]
#[get("/manager")]
fn manager(jwt: &rocket::State<JwtManager>) -> String {
    jwt.config().header_name.clone()
}

/// The spec of the test's own routes (which are mounted too, so that the spec is the one of a
/// launchable app).
fn own_spec() -> Value {
    let (routes, spec) = openapi_get_routes_spec![
        access,
        refresh_param,
        plain,
        optional_param,
        cookie,
        cookie_refresh,
        query,
        query_refresh,
        admin,
        role,
        notes,
        manager,
    ];
    let rocket = rocket::build()
        .attach(JwtManager::fairing())
        .mount("/", routes);
    assert!(Client::tracked(rocket).is_ok());
    serde_json::to_value(spec).expect("a serializable spec")
}

fn security(spec: &Value, path: &str, method: &str) -> Value {
    spec["paths"][path][method]
        .get("security")
        .cloned()
        .unwrap_or(Value::Null)
}

#[test]
fn each_guard_declares_its_kind_and_first_location() {
    let spec = outside_jails(own_spec);
    let cases = [
        ("/access", "get", json!([{ "jwt_access_header": [] }])),
        (
            "/refresh-param",
            "post",
            json!([{ "jwt_refresh_header": [] }]),
        ),
        ("/plain", "get", json!([{ "jwt_access_header": [] }])),
        // Alone, `OptionalJwt` lists its scheme; the empty requirement comes with the attribute.
        (
            "/optional-param",
            "get",
            json!([{ "jwt_access_header": [] }]),
        ),
        // The attribute declares; the plain `Jwt` beside it adds nothing.
        ("/cookie", "get", json!([{ "jwt_access_cookie": [] }])),
        (
            "/cookie-refresh",
            "post",
            json!([{ "jwt_refresh_cookie": [] }]),
        ),
        ("/query", "get", json!([{ "jwt_access_query": [] }])),
        (
            "/query-refresh",
            "get",
            json!([{ "jwt_refresh_query": [] }]),
        ),
        ("/admin", "get", json!([{ "jwt_access_header": [] }])),
        ("/role", "get", json!([{ "jwt_access_header": [] }])),
        ("/notes", "post", json!([{ "jwt_access_header": [] }])),
        ("/manager", "get", Value::Null),
    ];
    for (path, method, expected) in cases {
        assert_eq!(security(&spec, path, method), expected, "{path}");
    }
    let schemes = &spec["components"]["securitySchemes"];
    assert_eq!(
        schemes["jwt_access_cookie"],
        json!({
            "type": "apiKey",
            "in": "cookie",
            "name": "access_token_cookie",
            "description": "JWT access token in a cookie; state-changing methods also need the \
                            CSRF value in `X-CSRF-TOKEN`",
        })
    );
    assert_eq!(
        schemes["jwt_refresh_cookie"]["name"],
        "refresh_token_cookie"
    );
    assert_eq!(
        schemes["jwt_access_query"],
        json!({
            "type": "apiKey",
            "in": "query",
            "name": "jwt",
            "description": "JWT access token in the query string",
        })
    );
}

#[test]
fn claims_checks_declare_a_403_and_json_bodies_their_schema() {
    let spec = outside_jails(own_spec);
    for path in ["/admin", "/role"] {
        assert!(
            spec["paths"][path]["get"]["responses"].get("403").is_some(),
            "{path}"
        );
    }
    for path in ["/access", "/cookie"] {
        assert!(
            spec["paths"][path]["get"]["responses"].get("403").is_none(),
            "{path}"
        );
    }
    let body = &spec["paths"]["/notes"]["post"]["requestBody"]["content"]["application/json"];
    let reference = body["schema"]["$ref"].as_str().expect("a schema reference");
    assert!(reference.ends_with("/Note"), "{reference}");
    assert_eq!(
        spec["components"]["schemas"]["Note"]["required"],
        json!(["text"])
    );
}

#[test]
#[allow(clippy::result_large_err)] // figment::Error is large; Jail fixes the signature.
fn the_configured_locations_and_names_are_read_from_rocket_toml() {
    figment::Jail::expect_with(|jail| {
        jail.create_file(
            "Rocket.toml",
            r#"
            [default]
            jwt_token_location = ["query_string", "headers"]
            jwt_query_string_name = "token"
            "#,
        )?;
        let spec = own_spec();
        assert_eq!(
            security(&spec, "/plain", "get"),
            json!([{ "jwt_access_query": [] }])
        );
        assert_eq!(
            spec["components"]["securitySchemes"]["jwt_access_query"]["name"],
            "token"
        );
        // A route's own locations win over the configuration.
        assert_eq!(
            security(&spec, "/cookie", "get"),
            json!([{ "jwt_access_cookie": [] }])
        );
        Ok(())
    });
    figment::Jail::expect_with(|jail| {
        jail.set_env("ROCKET_JWT_HEADER_NAME", "X-Api-Token");
        jail.set_env("ROCKET_JWT_HEADER_TYPE", "");
        let spec = own_spec();
        assert_eq!(
            spec["components"]["securitySchemes"]["jwt_access_header"],
            json!({
                "type": "apiKey",
                "in": "header",
                "name": "X-Api-Token",
                "description": "JWT access token, sent as `<token>`",
            })
        );
        Ok(())
    });
}

#[test]
fn the_public_spec_names_no_credentials() {
    let spec = example_spec(&example_client());
    let text = spec.to_string();
    for leak in ["`test` / `test`", "test / test", "password `test`"] {
        assert!(!text.contains(leak), "{leak} in the spec");
    }
    let login = &spec["paths"]["/login"]["post"]["responses"];
    assert!(
        login.get("503").is_some(),
        "the busy answer is documented: {login}"
    );
}

/// Settings built in code, with cookies under a name of the app's own.
fn cookie_config() -> jwt_ext_okapi::Config {
    jwt_ext_okapi::Config::default()
        .secret_key("a-test-secret-that-is-at-least-32-bytes-long")
        .token_location("cookies".parse().unwrap())
        .access_cookie_name("session")
}

fn launches(rocket: rocket::Rocket<rocket::Build>) {
    assert!(Client::tracked(rocket).is_ok());
}

#[test]
fn the_spec_describes_the_configuration_given_in_code() {
    outside_jails(|| {
        // The fairing first, then the spec: it describes the fairing's settings.
        let rocket = rocket::build().attach(JwtManager::fairing_with(cookie_config()));
        let (routes, spec) = openapi_get_routes_spec![plain];
        let spec = serde_json::to_value(spec).unwrap();
        launches(rocket.mount("/", routes));
        assert_eq!(
            security(&spec, "/plain", "get"),
            json!([{ "jwt_access_cookie": [] }])
        );
        assert_eq!(
            spec["components"]["securitySchemes"]["jwt_access_cookie"]["name"],
            "session"
        );
    });
}

#[test]
fn a_spec_built_before_the_fairing_names_its_configuration() {
    outside_jails(|| {
        let config = cookie_config().token_location("query_string".parse().unwrap());
        let (routes, spec) = jwt_ext_okapi::describing(&config, || openapi_get_routes_spec![plain]);
        let spec = serde_json::to_value(spec).unwrap();
        assert_eq!(
            security(&spec, "/plain", "get"),
            json!([{ "jwt_access_query": [] }])
        );
        // Outside `describing`, the thread's specs describe what they did before.
        let (_, spec) = openapi_get_routes_spec![plain];
        let spec = serde_json::to_value(spec).unwrap();
        assert_eq!(
            security(&spec, "/plain", "get"),
            json!([{ "jwt_access_header": [] }])
        );
        launches(
            rocket::build()
                .mount("/", routes)
                .attach(JwtManager::fairing_with(config)),
        );
    });
}
