use jwt_ext::*;
use rocket::get;

#[jwt_required(audience = [])]
#[get("/")]
fn handler() {}

fn main() {}
