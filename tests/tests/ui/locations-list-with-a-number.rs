use jwt_ext::*;
use rocket::get;

#[jwt_required(locations = ["headers", 1])]
#[get("/")]
fn handler() {}

fn main() {}
