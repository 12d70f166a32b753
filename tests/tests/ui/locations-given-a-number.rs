use jwt_ext::*;
use rocket::get;

#[jwt_required(locations = 3)]
#[get("/")]
fn handler() {}

fn main() {}
