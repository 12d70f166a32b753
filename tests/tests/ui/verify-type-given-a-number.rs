use jwt_ext::*;
use rocket::get;

#[jwt_required(verify_type = 0)]
#[get("/")]
fn handler() {}

fn main() {}
