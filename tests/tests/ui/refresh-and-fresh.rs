use jwt_ext::*;
use rocket::get;

#[jwt_required(refresh, fresh)]
#[get("/")]
fn handler() {}

fn main() {}
