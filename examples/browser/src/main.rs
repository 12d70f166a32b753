//! `cargo run -p browser`, then open <http://127.0.0.1:8000> (log in as `test` / `test`).

#[rocket::launch]
fn rocket() -> _ {
    browser::rocket()
}
