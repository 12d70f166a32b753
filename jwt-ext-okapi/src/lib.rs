//! [jwt-ext](https://docs.rs/jwt-ext)'s guards in the OpenAPI spec that `rocket_okapi`
//! generates.
//!
//! This crate is `jwt_ext` with the guards, attributes and error responders wrapped so that
//! they implement `rocket_okapi`'s [`OpenApiFromRequest`] (and [`OpenApiFromData`],
//! [`OpenApiResponderInner`]): a route under `#[openapi]` lists the token it needs in the
//! generated spec, Swagger UI shows a lock on it, and its *Authorize* dialog takes an access
//! and a refresh token separately: the refresh route is then tried with the refresh token,
//! every other protected route with the access token. [`JwtJson`] documents its body like
//! `Json<T>`.
//!
//! Import from `jwt_ext_okapi` what the documented routes use, instead of from `jwt_ext`:
//! everything of `jwt_ext` is re-exported, and the names below are the documented versions
//! ([`Documented`] around `jwt_ext`'s type, which it dereferences to): the attributes
//! ([`jwt_required`], [`fresh_jwt_required`], [`jwt_refresh_token_required`],
//! [`jwt_optional`]), the guards ([`Jwt`], [`AccessJwt`], [`RefreshJwt`], [`FreshJwt`],
//! [`AnyJwt`], [`OptionalJwt`], [`CurrentUser`], [`OptionalCurrentUser`], [`Authorized`],
//! [`JwtCookies`], [`JwtJson`]) and the 500 responders ([`EncodeError`], [`CookieError`]).
//! A route under `#[openapi]` that needs the manager takes `&State<JwtManager>`, which
//! `rocket_okapi` documents as needing no input.
//!
//! `rocket_okapi` 0.9 requires Rocket 0.5.1 exactly; jwt-ext itself takes any Rocket 0.5 from
//! 0.5.1 on, so only an application that uses this crate is held at 0.5.1.
//!
//! # Schemes
//!
//! One scheme per token type and location, registered under these names:
//!
//! | location | access token | refresh token | OpenAPI scheme |
//! |---|---|---|---|
//! | `headers` | [`ACCESS_HEADER`] | [`REFRESH_HEADER`] | `http` `bearer` (`bearerFormat: JWT`) with the default `Authorization: Bearer`; an `apiKey` in the configured header otherwise |
//! | `cookies` | [`ACCESS_COOKIE`] | [`REFRESH_COOKIE`] | `apiKey` in the configured cookie |
//! | `query_string` | [`ACCESS_QUERY`] | [`REFRESH_QUERY`] | `apiKey` in the configured query parameter |
//!
//! A route declares the scheme of the first location it searches (its `locations`, the guard's
//! location markers, else `jwt_token_location`), for the kind its guard requires: refresh
//! routes the refresh scheme, access, fresh and `verify_type = false` routes the access one.
//! It also declares Flask's 401 and 422 answers with their `{"msg": ...}` body, and 403 when it
//! checks claims.
//!
//! # Order of the attributes
//!
//! `#[jwt_required]` goes above `#[openapi]`, which goes above the route attribute: each
//! attribute sees what the ones above it generated, so `#[openapi]` must see the guard
//! `#[jwt_required]` adds.
//!
//! ```
//! use jwt_ext_okapi::jwt_required;
//! use rocket::get;
//! use rocket_okapi::openapi;
//!
//! /// Protected: the spec lists `jwt_access_header` for it.
//! #[jwt_required]
//! #[openapi]
//! #[get("/protected")]
//! fn protected() -> &'static str {
//!     "ok"
//! }
//! # let _ = rocket_okapi::openapi_get_routes![protected];
//! ```
//!
//! # What the spec does not say
//!
//! - `jwt_token_location` and the names above are those of the configuration given to
//!   [`JwtManager::fairing_with`](jwt_ext::JwtManager::fairing_with) when the spec is built after it on the same thread, else
//!   Rocket's default configuration (`Rocket.toml`, `ROCKET_*`: [`rocket::Config::figment`]);
//!   [`describing`] names the configuration explicitly, e.g. for `rocket::custom(figment)`
//!   or a spec built before the fairing.
//! - Only the first location is listed: `rocket_okapi` takes one security requirement per
//!   guard. A token in the JSON body has no OpenAPI scheme at all.
//! - An optional route is listed as optional (its scheme, or the empty requirement) when its
//!   handler takes an [`OptionalJwt`] or
//!   [`OptionalCurrentUser`] beside `#[jwt_required(optional)]`;
//!   with the attribute alone it is listed like a required one (`rocket_okapi` takes one
//!   requirement per guard).
//! - A route whose only guard is [`JwtJson`] lists its body but no scheme:
//!   data guards cannot declare one.
//! - Swagger UI cannot try cookie schemes from a browser page (scripts cannot set `Cookie`).

#![deny(missing_docs)]
#![forbid(unsafe_code)]

use std::cell::Cell;
use std::ops::Deref;

use rocket_okapi::gen::OpenApiGenerator;
use rocket_okapi::okapi::openapi3::{
    MediaType, Object, Response, Responses, SecurityRequirement, SecurityScheme, SecuritySchemeData,
};
use rocket_okapi::okapi::schemars::schema::{InstanceType, ObjectValidation, SchemaObject};
use rocket_okapi::request::{OpenApiFromData, OpenApiFromRequest, RequestHeaderInput};
use rocket_okapi::response::OpenApiResponderInner;
use serde::de::DeserializeOwned;

use jwt_ext::__private::{ClaimsCheck, Required, Requirement};
use jwt_ext::kind::{Kind, Route};
use jwt_ext::location::{Configured, Location, LocationSet, Locations};

mod documented;

pub use documented::Documented;
/// The crate this one documents, for its undocumented originals (`jwt_ext::EncodeError`...).
pub use jwt_ext;
pub use jwt_ext::*;
pub use jwt_ext_macros::{
    __documented_fresh_jwt_required as fresh_jwt_required,
    __documented_jwt_optional as jwt_optional,
    __documented_jwt_refresh_token_required as jwt_refresh_token_required,
    __documented_jwt_required as jwt_required,
};

/// [`jwt_ext::Jwt`], documented: the token the route requires, in its first location.
pub type Jwt<K = Route, L = Configured> = Documented<jwt_ext::Jwt<K, L>>;
/// [`jwt_ext::AccessJwt`], documented.
pub type AccessJwt = Documented<jwt_ext::AccessJwt>;
/// [`jwt_ext::RefreshJwt`], documented.
pub type RefreshJwt = Documented<jwt_ext::RefreshJwt>;
/// [`jwt_ext::FreshJwt`], documented.
pub type FreshJwt = Documented<jwt_ext::FreshJwt>;
/// [`jwt_ext::AnyJwt`], documented.
pub type AnyJwt = Documented<jwt_ext::AnyJwt>;
/// [`jwt_ext::OptionalJwt`], documented: the scheme, or no token at all.
pub type OptionalJwt<K = Route, L = Configured> = Documented<jwt_ext::OptionalJwt<K, L>>;
/// [`jwt_ext::CurrentUser`], documented.
pub type CurrentUser<U> = Documented<jwt_ext::CurrentUser<U>>;
/// [`jwt_ext::OptionalCurrentUser`], documented.
pub type OptionalCurrentUser<U> = Documented<jwt_ext::OptionalCurrentUser<U>>;
/// [`jwt_ext::Authorized`], documented, with its 403 answer.
pub type Authorized<R> = Documented<jwt_ext::Authorized<R>>;
/// [`jwt_ext::JwtCookies`], documented as needing no input.
pub type JwtCookies<'r> = Documented<jwt_ext::JwtCookies<'r>>;
/// [`jwt_ext::JwtJson`], documented: its body as `Json<T>` (a token in the body has no
/// OpenAPI scheme).
pub type JwtJson<T, K = Route, L = Configured> = Documented<jwt_ext::JwtJson<T, K, L>>;
/// [`jwt_ext::EncodeError`] as a documented 500 responder (`?` converts).
pub type EncodeError = Documented<jwt_ext::EncodeError>;
/// [`jwt_ext::CookieError`] as a documented 500 responder (`?` converts).
pub type CookieError = Documented<jwt_ext::CookieError>;

/// Access token in the configured header (`Authorization: Bearer` by default).
pub const ACCESS_HEADER: &str = "jwt_access_header";
/// Refresh token in the configured header.
pub const REFRESH_HEADER: &str = "jwt_refresh_header";
/// Access token in the access cookie (`jwt_access_cookie_name`).
pub const ACCESS_COOKIE: &str = "jwt_access_cookie";
/// Refresh token in the refresh cookie (`jwt_refresh_cookie_name`).
pub const REFRESH_COOKIE: &str = "jwt_refresh_cookie";
/// Access token in the query parameter (`jwt_query_string_name`).
pub const ACCESS_QUERY: &str = "jwt_access_query";
/// Refresh token in the query parameter.
pub const REFRESH_QUERY: &str = "jwt_refresh_query";

/// The configuration the spec describes: the one [`describing`] names, else that of the last
/// [`JwtManager::fairing_with`] built on this thread, else Rocket's default figment, read when
/// the spec is built (once per guard and route; a configuration jwt-ext would refuse at launch
/// gives Flask's defaults here).
fn config() -> Config {
    jwt_ext::__private::last_fairing_config()
        .unwrap_or_else(|| Config::from_figment(&rocket::Config::figment()).unwrap_or_default())
}

/// Builds a spec (whatever `build` does: `openapi_get_routes![...]`,
/// `openapi_get_routes_spec![...]`, `mount_endpoints_and_merged_docs!`) describing `config`:
/// its token locations, header, cookie and query names.
///
/// Needed when the spec is built before [`JwtManager::fairing_with`](jwt_ext::JwtManager::fairing_with) is called (a
/// `.mount(...)` before the `.attach(...)`), or when the settings come from a figment other
/// than Rocket's default one (`rocket::custom(figment)`): without it the spec describes the
/// last `fairing_with` configuration built on the thread, else Rocket's default figment.
///
/// # Example
///
/// ```
/// use jwt_ext_okapi::{jwt_required, Config, JwtManager};
/// use rocket::get;
/// use rocket_okapi::{openapi, openapi_get_routes};
///
/// #[jwt_required]
/// #[openapi]
/// #[get("/protected")]
/// fn protected() -> &'static str {
///     "ok"
/// }
///
/// let config = Config::default()
///     .secret_key("an-example-secret-of-at-least-32-bytes")
///     .token_location("cookies".parse().unwrap());
/// let routes = jwt_ext_okapi::describing(&config, || openapi_get_routes![protected]);
/// let rocket = rocket::build().mount("/", routes).attach(JwtManager::fairing_with(config));
/// ```
pub fn describing<R>(config: &Config, build: impl FnOnce() -> R) -> R {
    /// Puts the previous configuration back, also when `build` panics.
    struct Restore(Option<Config>);
    impl Drop for Restore {
        fn drop(&mut self) {
            jwt_ext::__private::replace_last_fairing_config(self.0.take());
        }
    }
    let _restore = Restore(jwt_ext::__private::replace_last_fairing_config(Some(
        config.clone(),
    )));
    build()
}

thread_local! {
    /// Set by the attribute's guard while `#[openapi]` lists an operation's guards: the
    /// route's requirement and whether it is optional. A plain `Jwt` parameter of the same
    /// handler (which takes the attribute's requirement) then declares no second, different
    /// scheme, and an `OptionalJwt` on an optional route adds the empty requirement that makes
    /// the security optional. Cleared by those guards' response hook, which `rocket_okapi` runs
    /// for an operation before it lists the operation's guards.
    static ATTRIBUTE: Cell<Option<(Requirement, bool)>> = const { Cell::new(None) };
}

/// The scheme of `requirement`'s first location that OpenAPI can express, as a guard input;
/// with `anonymous`, the empty requirement beside it (no token needed).
fn security(requirement: Requirement, anonymous: bool) -> RequestHeaderInput {
    let config = config();
    let locations = requirement.locations.unwrap_or(config.token_location);
    let Some((name, scheme)) = first_scheme(locations, requirement.refresh, &config) else {
        return RequestHeaderInput::None;
    };
    let mut needed = SecurityRequirement::new();
    if !anonymous {
        needed.insert(name.to_owned(), Vec::new());
    }
    RequestHeaderInput::Security(name.to_owned(), scheme, needed)
}

/// Name and scheme of the first location of `locations` that is not the JSON body.
fn first_scheme(
    locations: Locations,
    refresh: bool,
    config: &Config,
) -> Option<(&'static str, SecurityScheme)> {
    let token = if refresh { "refresh" } else { "access" };
    let (name, description, data) = match locations.iter().find(|l| *l != Location::Json)? {
        Location::Headers => {
            let name = if refresh {
                REFRESH_HEADER
            } else {
                ACCESS_HEADER
            };
            if config.header_name.eq_ignore_ascii_case("Authorization")
                && config.header_type == "Bearer"
            {
                let data = SecuritySchemeData::Http {
                    scheme: "bearer".into(),
                    bearer_format: Some("JWT".into()),
                };
                (name, format!("JWT {token} token"), data)
            } else {
                let value = if config.header_type.is_empty() {
                    "<token>".to_owned()
                } else {
                    format!("{} <token>", config.header_type)
                };
                let data = SecuritySchemeData::ApiKey {
                    name: config.header_name.clone(),
                    location: "header".into(),
                };
                (name, format!("JWT {token} token, sent as `{value}`"), data)
            }
        }
        Location::Cookies => {
            let (name, cookie, csrf) = if refresh {
                (
                    REFRESH_COOKIE,
                    &config.refresh_cookie_name,
                    &config.refresh_csrf_header_name,
                )
            } else {
                (
                    ACCESS_COOKIE,
                    &config.access_cookie_name,
                    &config.access_csrf_header_name,
                )
            };
            let description = if config.cookie_csrf_protect {
                format!(
                    "JWT {token} token in a cookie; state-changing methods also need the CSRF \
                     value in `{csrf}`"
                )
            } else {
                format!("JWT {token} token in a cookie")
            };
            let data = SecuritySchemeData::ApiKey {
                name: cookie.clone(),
                location: "cookie".into(),
            };
            (name, description, data)
        }
        Location::QueryString => {
            let name = if refresh { REFRESH_QUERY } else { ACCESS_QUERY };
            let data = SecuritySchemeData::ApiKey {
                name: config.query_string_name.clone(),
                location: "query".into(),
            };
            (name, format!("JWT {token} token in the query string"), data)
        }
        Location::Json => return None,
    };
    let scheme = SecurityScheme {
        description: Some(description),
        data,
        extensions: Object::default(),
    };
    Some((name, scheme))
}

/// Flask's error answers of a guard: 401 and 422, 403 when `forbidden`.
fn error_responses(requirement: Option<Requirement>, forbidden: bool) -> Responses {
    let fresh = requirement.is_some_and(|r| r.fresh);
    let unauthorized = if fresh {
        "No token, or an invalid, expired, revoked or non-fresh one (`Fresh token required`)"
    } else {
        "No token, or an invalid, expired or revoked one"
    };
    let mut responses = Responses::default();
    add_error(&mut responses, 401, unauthorized);
    add_error(&mut responses, 422, "A malformed token or header");
    if forbidden {
        add_error(
            &mut responses,
            403,
            "The token's claims do not meet the route's requirement",
        );
    }
    responses
}

/// Adds the answer `status` with a `{"msg": ...}` body to `responses`.
fn add_error(responses: &mut Responses, status: u16, description: &str) {
    let response = Response {
        description: description.to_owned(),
        content: [("application/json".to_owned(), error_body())]
            .into_iter()
            .collect(),
        ..Response::default()
    };
    responses
        .responses
        .insert(status.to_string(), response.into());
}

/// `{"msg": "..."}`, Flask-JWT-Extended's error body.
fn error_body() -> MediaType {
    let string = SchemaObject {
        instance_type: Some(InstanceType::String.into()),
        ..SchemaObject::default()
    };
    let object = ObjectValidation {
        properties: [("msg".to_owned(), string.into())].into_iter().collect(),
        required: ["msg".to_owned()].into_iter().collect(),
        ..ObjectValidation::default()
    };
    MediaType {
        schema: Some(SchemaObject {
            instance_type: Some(InstanceType::Object.into()),
            object: Some(Box::new(object)),
            ..SchemaObject::default()
        }),
        ..MediaType::default()
    }
}

/// Input of a guard of kind `K` searching `L`; `optional` for the optional guards.
///
/// A guard that takes its kind from the route (`kind::Route`) declares nothing next to the
/// attribute's guard, which declared the route's scheme, but the empty requirement when the
/// attribute is optional and the guard too; without an attribute it requires an access token.
fn guard_security<K: Kind, L: LocationSet>(optional: bool) -> RequestHeaderInput {
    match (K::declared(), ATTRIBUTE.with(Cell::get)) {
        (Some(mut requirement), _) => {
            requirement.locations = L::locations().or(requirement.locations);
            security(requirement, false)
        }
        (None, Some((requirement, true))) if optional => security(requirement, true),
        (None, Some(_)) => RequestHeaderInput::None,
        (None, None) => security(
            Requirement {
                locations: L::locations(),
                ..Requirement::ACCESS
            },
            false,
        ),
    }
}

/// Response hook of the guards: forgets the previous operation's attribute, then declares
/// the error answers.
fn guard_responses<K: Kind>(forbidden: bool) -> Responses {
    ATTRIBUTE.with(|attribute| attribute.set(None));
    error_responses(K::declared(), forbidden)
}

impl<
        const REFRESH: bool,
        const FRESH: bool,
        const OPTIONAL: bool,
        const VERIFY_TYPE: bool,
        const SKIP_REVOCATION_CHECK: bool,
        const LOCATIONS: u16,
        C: ClaimsCheck,
    > OpenApiFromRequest<'_>
    for Documented<
        Required<REFRESH, FRESH, OPTIONAL, VERIFY_TYPE, SKIP_REVOCATION_CHECK, LOCATIONS, C>,
    >
{
    fn from_request_input(
        _: &mut OpenApiGenerator,
        _: String,
        _: bool,
    ) -> rocket_okapi::Result<RequestHeaderInput> {
        let requirement = <<Self as Deref>::Target>::REQUIREMENT;
        ATTRIBUTE.with(|attribute| attribute.set(Some((requirement, OPTIONAL))));
        Ok(security(requirement, false))
    }

    fn get_responses(_: &mut OpenApiGenerator) -> rocket_okapi::Result<Responses> {
        let requirement = <<Self as Deref>::Target>::REQUIREMENT;
        Ok(error_responses(Some(requirement), C::CHECKS))
    }
}

/// `OpenApiFromRequest` for guards: `[generics] <request lifetime> Type => input, responses;`.
macro_rules! documented_guards {
    ($([$($generics:tt)*] <$lt:lifetime> $guard:ty => $input:expr, $responses:expr;)*) => {$(
        impl<$($generics)*> OpenApiFromRequest<$lt> for $guard {
            fn from_request_input(
                _: &mut OpenApiGenerator,
                _: String,
                _: bool,
            ) -> rocket_okapi::Result<RequestHeaderInput> {
                Ok($input)
            }

            fn get_responses(_: &mut OpenApiGenerator) -> rocket_okapi::Result<Responses> {
                Ok($responses)
            }
        }
    )*};
}

documented_guards! {
    [K: Kind, L: LocationSet] <'_> Jwt<K, L> =>
        guard_security::<K, L>(false), guard_responses::<K>(false);
    [K: Kind, L: LocationSet] <'_> OptionalJwt<K, L> =>
        guard_security::<K, L>(true), guard_responses::<K>(false);
    [U: Send + Sync + 'static] <'_> CurrentUser<U> =>
        guard_security::<Route, Configured>(false), guard_responses::<Route>(false);
    [U: Send + Sync + 'static] <'_> OptionalCurrentUser<U> =>
        guard_security::<Route, Configured>(true), guard_responses::<Route>(false);
    [R: ClaimsRequirement + Default + 'static] <'_> Authorized<R> =>
        guard_security::<Route, Configured>(false), guard_responses::<Route>(true);
    // Needs no input: the cookie writer.
    ['r] <'r> JwtCookies<'r> => RequestHeaderInput::None, Responses::default();
}

/// The body of `Json<T>` (a token in the body has no OpenAPI scheme).
impl<'r, T, K, L> OpenApiFromData<'r> for JwtJson<T, K, L>
where
    T: rocket_okapi::JsonSchema + DeserializeOwned + Send + 'static,
    K: Kind,
    L: LocationSet,
{
    fn request_body(
        gen: &mut OpenApiGenerator,
    ) -> rocket_okapi::Result<rocket_okapi::okapi::openapi3::RequestBody> {
        <rocket::serde::json::Json<T> as OpenApiFromData<'r>>::request_body(gen)
    }
}

/// `OpenApiResponderInner` for the 500 responders: `Type => description;`.
macro_rules! documented_server_errors {
    ($($error:ty => $description:literal;)*) => {$(
        /// A 500 with a `{"msg": ...}` body.
        impl OpenApiResponderInner for $error {
            fn responses(_: &mut OpenApiGenerator) -> rocket_okapi::Result<Responses> {
                let mut responses = Responses::default();
                add_error(&mut responses, 500, $description);
                Ok(responses)
            }
        }
    )*};
}

documented_server_errors! {
    EncodeError => "The token could not be created";
    CookieError => "The token cookies could not be set";
}
