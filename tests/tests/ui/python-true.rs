use jwt_ext::*;
use rocket::get;

#[jwt_required(refresh=True)]
#[get("/")]
fn handler() {}

fn main() {}
