use jwt_ext::*;
use rocket::get;

#[jwt_required(refersh, optional = "no", locations = "header")]
#[get("/")]
fn handler() {}

fn main() {}
