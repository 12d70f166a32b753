use jwt_ext::*;
use rocket::get;

#[get("/")]
#[jwt_required]
fn handler() {}

fn main() {}
