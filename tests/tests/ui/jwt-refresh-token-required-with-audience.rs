use jwt_ext::*;
use rocket::post;

#[jwt_refresh_token_required(audience = "orders-api")]
#[post("/refresh")]
fn refresh() {}

fn main() {}
