//! `cargo run -p issuer`: the login service on http://127.0.0.1:8001.

#[rocket::launch]
fn rocket() -> _ {
    issuer::rocket()
}
