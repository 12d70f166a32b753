use jwt_ext::*;
use rocket::get;

#[jwt_required(admin)]
#[get("/")]
fn handler() {}

fn main() {}
