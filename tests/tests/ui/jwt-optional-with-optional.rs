use jwt_ext::*;
use rocket::get;

#[jwt_optional(optional)]
#[get("/")]
fn handler() {}

fn main() {}
