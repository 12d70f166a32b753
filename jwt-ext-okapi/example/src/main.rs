//! `cargo run -p openapi` (in `jwt-ext-okapi/`): the app on Rocket's address (127.0.0.1:8000 unless `ROCKET_ADDRESS`
//! / `ROCKET_PORT` say otherwise), its spec at `/openapi.json`, Swagger UI at `/swagger-ui/`.

#[rocket::launch]
fn rocket() -> _ {
    openapi::rocket()
}
