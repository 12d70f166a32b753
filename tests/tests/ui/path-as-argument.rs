use jwt_ext::*;
use rocket::get;

#[jwt_required(jwt_ext::refresh)]
#[get("/")]
fn handler() {}

fn main() {}
