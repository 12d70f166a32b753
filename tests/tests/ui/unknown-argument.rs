use jwt_ext::*;
use rocket::get;

#[jwt_required(optinal)]
#[get("/")]
fn handler() {}

fn main() {}
