//! A route that uses a jwt-ext guard refuses to launch when the fairing is missing.

mod common;

use rocket::local::blocking::Client;

#[test]
fn guards_without_the_fairing_refuse_to_launch() {
    let error = Client::tracked(common::bare_rocket()).unwrap_err();
    assert!(
        matches!(error.kind(), rocket::error::ErrorKind::SentinelAborts(_)),
        "{error:?}"
    );
}

#[rocket::get("/mint")]
fn mint(jwt: &jwt_ext::JwtManager) -> String {
    jwt.create_access_token("a").unwrap_or_default()
}

#[test]
fn a_jwt_manager_parameter_alone_also_needs_the_fairing() {
    let rocket = rocket::build().mount("/", rocket::routes![mint]);
    let error = Client::tracked(rocket).unwrap_err();
    assert!(
        matches!(error.kind(), rocket::error::ErrorKind::SentinelAborts(_)),
        "{error:?}"
    );
}

#[test]
fn with_the_fairing_it_launches() {
    assert!(Client::tracked(common::rocket_with(common::config())).is_ok());
}
