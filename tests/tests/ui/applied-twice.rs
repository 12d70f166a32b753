use jwt_ext::*;
use rocket::get;

#[jwt_required]
#[jwt_required(optional)]
#[get("/")]
fn handler() {}

fn main() {}
