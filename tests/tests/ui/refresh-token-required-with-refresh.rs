use jwt_ext::*;
use rocket::get;

#[jwt_refresh_token_required(refresh)]
#[get("/")]
fn handler() {}

fn main() {}
