use jwt_ext::*;
use rocket::get;

#[jwt_required(claims = "admin")]
#[get("/")]
fn handler() {}

fn main() {}
