use jwt_ext::*;
use rocket::get;

fn role_name() -> String {
    "admin".to_owned()
}

#[jwt_required(claims = role_name())]
#[get("/")]
fn handler() {}

fn main() {}
