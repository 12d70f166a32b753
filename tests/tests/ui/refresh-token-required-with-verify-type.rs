use jwt_ext::*;
use rocket::get;

#[jwt_refresh_token_required(verify_type = false)]
#[get("/")]
fn handler() {}

fn main() {}
