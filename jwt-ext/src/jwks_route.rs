//! Publishing the public key as a JWK Set (RFC 7517), so that other services can verify this
//! app's tokens without holding any secret. HMAC secrets are never published.
//!
//! May use: the manager and what is below it (an integration: nothing inside the crate uses it).

use jsonwebtoken::jwk::JwkSet;
use rocket::http::{ContentType, Header, Status};
use rocket::response::{self, Responder, Response};
use rocket::{get, routes, Request, Route};

use crate::manager::JwtManager;

/// The JWK Set, with `Cache-Control: public, max-age=300`.
struct JwksResponse(String);

impl<'r> Responder<'r, 'static> for JwksResponse {
    fn respond_to(self, _: &'r Request<'_>) -> response::Result<'static> {
        Response::build()
            .header(ContentType::new("application", "jwk-set+json"))
            .header(Header::new("Cache-Control", "public, max-age=300"))
            .sized_body(self.0.len(), std::io::Cursor::new(self.0))
            .ok()
    }
}

#[get("/.well-known/jwks.json")]
fn jwks(jwt: &JwtManager) -> Result<JwksResponse, Status> {
    let keys = jwt.public_jwks().to_vec();
    if keys.is_empty() {
        return Err(Status::NotFound);
    }
    serde_json::to_string(&JwkSet { keys })
        .map(JwksResponse)
        .map_err(|_| Status::InternalServerError)
}

/// The route `GET /.well-known/jwks.json` (mount it at `/`): the app's public keys as a JWK
/// Set, each with its `kid` (the key set's, or the key's RFC 7638 thumbprint), which every
/// token this app signs carries in its header. 404 for HMAC apps: secrets are never published.
///
/// # Example
///
/// ```no_run
/// use jwt_ext::JwtManager;
///
/// #[rocket::launch]
/// fn rocket() -> _ {
///     rocket::build()
///         .attach(JwtManager::fairing())
///         .mount("/", jwt_ext::jwks_routes())
/// }
/// ```
#[must_use]
pub fn jwks_routes() -> Vec<Route> {
    routes![jwks]
}
