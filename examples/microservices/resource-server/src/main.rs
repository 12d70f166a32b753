//! `cargo run -p resource-server` (with the issuer running): the orders service on
//! http://127.0.0.1:8002.

#[rocket::launch]
fn rocket() -> _ {
    resource_server::rocket()
}
