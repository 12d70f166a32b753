use jwt_ext::*;

#[jwt_required]
mod handlers {}

fn main() {}
