use jwt_ext::*;
use rocket::get;

#[jwt_required(locations = [])]
#[get("/")]
fn handler() {}

fn main() {}
