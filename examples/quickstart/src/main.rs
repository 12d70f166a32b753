//! `cargo run -p quickstart`: serves the quickstart app on Rocket's address (127.0.0.1:8000
//! unless `ROCKET_ADDRESS` / `ROCKET_PORT` say otherwise).

#[rocket::launch]
fn rocket() -> _ {
    quickstart::rocket()
}
