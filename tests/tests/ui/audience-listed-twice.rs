use jwt_ext::*;
use rocket::get;

#[jwt_required(audience = ["orders-api", "billing-api", "orders-api"])]
#[get("/")]
fn handler() {}

fn main() {}
