//! `cargo run -p metrics-example`, then `curl http://127.0.0.1:8000/metrics` (add
//! `ROCKET_JWT_REDIS_URL=redis://127.0.0.1/0` to measure the Redis store and its near-cache).

#[rocket::launch]
fn rocket() -> _ {
    metrics_example::rocket()
}
