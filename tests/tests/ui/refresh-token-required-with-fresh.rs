use jwt_ext::*;
use rocket::get;

#[jwt_refresh_token_required(fresh)]
#[get("/")]
fn handler() {}

fn main() {}
