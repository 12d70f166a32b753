use jwt_ext::*;
use rocket::get;

#[jwt_required(locations = "headers, cookies, headers")]
#[get("/")]
fn handler() {}

fn main() {}
