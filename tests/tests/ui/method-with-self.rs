use jwt_ext::*;

struct Api;

impl Api {
    #[jwt_required]
    #[rocket::get("/")]
    fn handler(&self) {}
}

fn main() {}
