use jwt_ext::*;
use rocket::get;

#[jwt_required]
#[fresh_jwt_required]
#[get("/")]
fn handler() {}

fn main() {}
