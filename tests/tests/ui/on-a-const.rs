use jwt_ext::*;

#[jwt_required]
const HANDLER: u8 = 0;

fn main() {}
