//! `cargo run -p flask3`: the Flask-JWT-Extended 3.x refresh-token app on Rocket's address
//! (127.0.0.1:8000 unless `ROCKET_ADDRESS` / `ROCKET_PORT` say otherwise).

#[rocket::launch]
fn rocket() -> _ {
    flask3::rocket()
}
