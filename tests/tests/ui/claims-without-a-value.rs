use jwt_ext::*;
use rocket::get;

#[jwt_required(claims)]
#[get("/")]
fn handler() {}

fn main() {}
