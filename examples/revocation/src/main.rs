//! `cargo run -p revocation` (in memory), or with `ROCKET_JWT_REDIS_URL=redis://127.0.0.1/0`
//! to share revocations between instances.

#[rocket::launch]
fn rocket() -> _ {
    revocation::rocket()
}
