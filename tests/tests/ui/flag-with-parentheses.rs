use jwt_ext::*;
use rocket::get;

#[jwt_required(optional(true))]
#[get("/")]
fn handler() {}

fn main() {}
