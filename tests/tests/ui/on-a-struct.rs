use jwt_ext::*;

#[jwt_required]
struct Handler;

fn main() {}
