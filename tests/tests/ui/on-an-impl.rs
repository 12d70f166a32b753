use jwt_ext::*;

struct Handler;

#[jwt_required]
impl Handler {}

fn main() {}
