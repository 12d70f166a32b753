use jwt_ext::*;
use rocket::get;

#[jwt_required(refresh, optional, refresh)]
#[get("/")]
fn handler() {}

fn main() {}
