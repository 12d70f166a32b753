use jwt_ext::*;
use rocket::get;

#[jwt_required(locations = "headers, cookie")]
#[get("/")]
fn handler() {}

fn main() {}
