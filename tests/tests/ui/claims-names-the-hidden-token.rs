use jwt_ext::*;
use rocket::get;

// The generated check receives the token under a name the expression cannot see: a
// requirement reads claims through `has_role`, `claim_eq` or a closure's own parameter.
#[jwt_required(claims = token.claims().contains_key("admin"))]
#[get("/")]
fn handler() {}

fn main() {}
