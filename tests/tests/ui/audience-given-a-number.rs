use jwt_ext::*;
use rocket::get;

#[jwt_required(audience = 42)]
#[get("/")]
fn handler() {}

fn main() {}
