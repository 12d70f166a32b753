use jwt_ext::*;
use rocket::get;

#[fresh_jwt_required(fresh)]
#[get("/")]
fn handler() {}

fn main() {}
