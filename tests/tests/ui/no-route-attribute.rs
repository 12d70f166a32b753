use jwt_ext::*;

#[jwt_required]
fn handler() {}

fn main() {}
