use jwt_ext::*;
use rocket::get;

#[fresh_jwt_required(refresh)]
#[get("/")]
fn handler() {}

fn main() {}
