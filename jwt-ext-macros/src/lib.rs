//! Attribute macros of [jwt-ext](https://docs.rs/jwt-ext): Flask-JWT-Extended's decorators on
//! Rocket handlers. Use them through `jwt_ext`, which re-exports them.
//!
//! | Flask-JWT-Extended | jwt-ext |
//! |---|---|
//! | `@jwt_required()` | `#[jwt_required]` |
//! | `@jwt_required(refresh=True)` | `#[jwt_required(refresh)]` |
//! | `@jwt_required(fresh=True)` | `#[jwt_required(fresh)]` or `#[fresh_jwt_required]` |
//! | `@jwt_required(optional=True)` | `#[jwt_required(optional)]` or `#[jwt_optional]` |
//! | 3.x `@jwt_refresh_token_required` | `#[jwt_refresh_token_required]` = `#[jwt_required(refresh)]` |
//! | `@jwt_required(verify_type=False)` | `#[jwt_required(verify_type = false)]` |
//! | `@jwt_required(skip_revocation_check=True)` | `#[jwt_required(skip_revocation_check)]` |
//! | `@jwt_required(locations=["cookies", "headers"])` | `#[jwt_required(locations = ["cookies", "headers"])]` or `locations = "cookies, headers"` |
//! | (a role check in the view) | `#[jwt_required(claims = has_role("admin"))]` |

#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod args;
mod errors;
mod expand;
mod exports;
mod handler;

use proc_macro::TokenStream;

use expand::Guard;

/// Requires a valid token before the handler runs: Flask-JWT-Extended's `@jwt_required()`.
///
/// Put it **above** the route attribute. It adds a hidden request guard as the handler's first
/// parameter, so authentication runs before every other guard and before the body is read;
/// nothing else of the handler changes. A refused request gets the same status and JSON body
/// as the plain guards (`jwt_ext::AccessJwt` and friends), and a handler may still take one of
/// those guards to read the token: it is decoded once per request.
///
/// ```no_run
/// use jwt_ext::{jwt_required, EncodeError, Jwt, JwtManager, OptionalJwt};
/// use rocket::serde::json::{json, Value};
/// use rocket::{get, post, routes};
///
/// #[jwt_required]                              // @jwt_required()
/// #[get("/protected")]
/// fn protected(token: Jwt) -> Value {
///     json!({ "logged_in_as": token.identity() })
/// }
///
/// #[jwt_required(refresh)]                     // @jwt_required(refresh=True)
/// #[post("/refresh")]
/// async fn refresh(jwt: &JwtManager, token: Jwt) -> Result<Value, EncodeError> {
///     Ok(json!({ "access_token": jwt.create_access_token(token.identity())? }))
/// }
///
/// #[jwt_required(optional)]                    // @jwt_required(optional=True)
/// #[get("/greeting")]
/// fn greeting(token: OptionalJwt) -> String {
///     token.token().map_or("hello stranger".into(), |t| format!("hello {}", t.identity()))
/// }
///
/// #[rocket::launch]
/// fn rocket() -> _ {
///     rocket::build()
///         .attach(JwtManager::fairing())
///         .mount("/", routes![protected, refresh, greeting])
/// }
/// ```
///
/// # Arguments
///
/// - `refresh`: require a refresh token (else any token but a refresh token);
/// - `fresh`: require a fresh access token (not with `refresh`);
/// - `optional`: let the handler run without a token; an expired, invalid or wrong-type token
///   is still refused;
/// - `verify_type = false`: accept access and refresh tokens alike;
/// - `skip_revocation_check`: do not ask the revocation store (a "log out even if already
///   revoked" route);
/// - `locations = "cookies, headers"` or `locations = ["cookies", "headers"]`: where to look
///   for the token, in order, instead of
///   `jwt_token_location` (`headers`, `cookies`, `query_string`); `json` is refused, as the
///   attribute runs before the body is read: take JSON-borne tokens with the `JwtJson<T>`
///   data guard;
/// - `claims = <requirement>`: authorisation after authentication, e.g.
///   `claims = has_role("admin")` or `claims = has_scope("write").or(has_role("admin"))`
///   (any `jwt_ext::ClaimsRequirement`, closures included); a valid token that fails it gets
///   403 `{"msg": ...}`; the step-up requirements `auth_max_age(300)` and `acr_in(["mfa"])`
///   answer 401 with `error="insufficient_user_authentication"` instead;
/// - `audience = "orders-api"` or `audience = ["orders-api", "billing-api"]`: the token's `aud`
///   must name one of them, checked before `claims`; another audience gets 401
///   `{"msg": "Audience doesn't match"}` with `error="invalid_token"`.
///
/// Each flag is `name` or `name = true|false` (Python's `True` and `False` get a message
/// saying so). Misuse is a compile error pointing at the
/// mistake: an unknown or repeated argument, a value of the wrong kind, `refresh` with `fresh`,
/// an unknown location, an item that is not a route handler, or the attribute placed below the
/// route attribute.
#[proc_macro_attribute]
pub fn jwt_required(args: TokenStream, item: TokenStream) -> TokenStream {
    expand::expand(
        args::Flavor::JwtRequired,
        Guard::Plain,
        args.into(),
        item.into(),
    )
    .into()
}

/// Requires a fresh access token: Flask-JWT-Extended's `@jwt_required(fresh=True)` (the 3.x
/// `@fresh_jwt_required`). Same as `#[jwt_required(fresh)]`.
///
/// ```no_run
/// use jwt_ext::fresh_jwt_required;
/// use rocket::post;
/// use rocket::serde::json::{json, Json, Value};
///
/// #[fresh_jwt_required]
/// #[post("/change-password", data = "<form>")]
/// fn change_password(form: Json<Value>) -> Value {
///     json!({ "changed": form["password"].is_string() })
/// }
/// ```
///
/// Takes the arguments of [`macro@jwt_required`] but `refresh` and `fresh`.
#[proc_macro_attribute]
pub fn fresh_jwt_required(args: TokenStream, item: TokenStream) -> TokenStream {
    expand::expand(
        args::Flavor::FreshJwtRequired,
        Guard::Plain,
        args.into(),
        item.into(),
    )
    .into()
}

/// Requires a refresh token: Flask-JWT-Extended 3.x's and Quart-JWT-Extended's
/// `@jwt_refresh_token_required`, which 4.x spells `@jwt_required(refresh=True)`. Same as
/// `#[jwt_required(refresh)]`.
///
/// ```no_run
/// use jwt_ext::{jwt_refresh_token_required, EncodeError, Jwt, JwtManager};
/// use rocket::post;
/// use rocket::serde::json::{json, Value};
///
/// #[jwt_refresh_token_required]
/// #[post("/refresh")]
/// fn refresh(jwt: &JwtManager, token: Jwt) -> Result<Value, EncodeError> {
///     Ok(json!({ "access_token": jwt.create_access_token(token.identity())? }))
/// }
/// ```
///
/// Takes the arguments of [`macro@jwt_required`] that keep it a refresh route: `optional`,
/// `skip_revocation_check`, `locations` and `claims`; `fresh` (refresh tokens are never fresh),
/// `verify_type` and `refresh` itself are compile errors that say why.
#[proc_macro_attribute]
pub fn jwt_refresh_token_required(args: TokenStream, item: TokenStream) -> TokenStream {
    expand::expand(
        args::Flavor::JwtRefreshTokenRequired,
        Guard::Plain,
        args.into(),
        item.into(),
    )
    .into()
}

/// Lets the handler run with or without a token: Flask-JWT-Extended 3.x's and
/// Quart-JWT-Extended's `@jwt_optional`, which 4.x spells `@jwt_required(optional=True)`. Same
/// as `#[jwt_required(optional)]`: a missing token lets the handler run, an expired, invalid or
/// wrong-type token is still refused.
///
/// ```no_run
/// use jwt_ext::{jwt_optional, OptionalJwt};
/// use rocket::get;
///
/// #[jwt_optional]
/// #[get("/partially-protected")]
/// fn partially_protected(token: OptionalJwt) -> String {
///     match token.token() {
///         Some(token) => format!("logged in as {}", token.identity()),
///         None => "anonymous".into(),
///     }
/// }
/// ```
///
/// Takes the arguments of [`macro@jwt_required`] but `optional`.
#[proc_macro_attribute]
pub fn jwt_optional(args: TokenStream, item: TokenStream) -> TokenStream {
    expand::expand(
        args::Flavor::JwtOptional,
        Guard::Plain,
        args.into(),
        item.into(),
    )
    .into()
}

/// `jwt_ext_okapi`'s attributes: the same, with the hidden guard declared to `rocket_okapi`.
/// Use them through `jwt_ext_okapi`, which re-exports them under the names above.
macro_rules! documented {
    ($($(#[$doc:meta])* $name:ident => $flavor:ident;)*) => {$(
        $(#[$doc])*
        #[doc(hidden)]
        #[proc_macro_attribute]
        pub fn $name(args: TokenStream, item: TokenStream) -> TokenStream {
            expand::expand(args::Flavor::$flavor, Guard::Documented, args.into(), item.into())
                .into()
        }
    )*};
}

documented! {
    /// `jwt_ext_okapi::jwt_required`.
    __documented_jwt_required => JwtRequired;
    /// `jwt_ext_okapi::fresh_jwt_required`.
    __documented_fresh_jwt_required => FreshJwtRequired;
    /// `jwt_ext_okapi::jwt_refresh_token_required`.
    __documented_jwt_refresh_token_required => JwtRefreshTokenRequired;
    /// `jwt_ext_okapi::jwt_optional`.
    __documented_jwt_optional => JwtOptional;
}
