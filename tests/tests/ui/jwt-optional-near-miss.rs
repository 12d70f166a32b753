use jwt_ext::*;
use rocket::get;

#[jwt_optional(refersh)]
#[get("/")]
fn handler() {}

fn main() {}
