//! Integration tests of jwt-ext live in `tests/`: behaviour through `rocket::local`,
//! wire compatibility with Flask-JWT-Extended, and the compile-fail UI cases.
