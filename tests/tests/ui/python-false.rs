use jwt_ext::*;
use rocket::get;

#[jwt_required(verify_type=False)]
#[get("/")]
fn handler() {}

fn main() {}
