//! `cargo run -p users`: creates `users.sqlite3` on first start and serves on
//! 127.0.0.1:8000.

#[rocket::launch]
fn rocket() -> _ {
    users::rocket()
}
