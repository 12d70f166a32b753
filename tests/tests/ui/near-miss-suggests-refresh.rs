use jwt_ext::*;
use rocket::get;

#[jwt_required(refersh)]
#[get("/")]
fn handler() {}

fn main() {}
