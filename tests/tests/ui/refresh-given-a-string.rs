use jwt_ext::*;
use rocket::get;

#[jwt_required(refresh = "yes")]
#[get("/")]
fn handler() {}

fn main() {}
