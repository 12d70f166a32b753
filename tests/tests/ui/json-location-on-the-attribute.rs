use jwt_ext::*;
use rocket::post;

#[jwt_required(locations = "headers, json")]
#[post("/", data = "<body>")]
fn handler(body: String) -> String {
    body
}

fn main() {}
