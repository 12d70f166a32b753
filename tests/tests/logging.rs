//! What jwt-ext logs: one line per refused request with the reason and the route, never the
//! token or the secret; the effective settings at liftoff. (Its own binary: the logger is
//! process-wide.)

mod common;

use std::sync::Mutex;

use common::{config, get, get_with_token, manager, SECRET};

static LINES: Mutex<Vec<String>> = Mutex::new(Vec::new());

struct Capture;

impl log::Log for Capture {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }
    fn log(&self, record: &log::Record<'_>) {
        LINES
            .lock()
            .unwrap()
            .push(format!("{} {}", record.level(), record.args()));
    }
    fn flush(&self) {}
}

fn jwt_lines() -> Vec<String> {
    LINES
        .lock()
        .unwrap()
        .iter()
        .filter(|line| line.contains("jwt-ext"))
        .cloned()
        .collect()
}

#[test]
fn refusals_and_settings_are_logged_without_secrets() {
    log::set_logger(&Capture).unwrap();
    log::set_max_level(log::LevelFilter::Info);

    let client = common::client(config());
    let expired = manager(config())
        .access_token("alice")
        .expires_in(rocket::time::Duration::seconds(-5))
        .create()
        .unwrap();
    get(&client, "/protected", None);
    get_with_token(&client, "/refresh", &expired);
    get_with_token(&client, "/protected", "a.b\nc");

    let lines = jwt_lines();
    let refused: Vec<&String> = lines
        .iter()
        .filter(|line| line.contains("refused"))
        .collect();
    assert_eq!(refused.len(), 3, "{lines:#?}");
    assert_eq!(
        refused[0],
        "INFO jwt-ext: GET /protected refused with 401: Missing Authorization Header"
    );
    assert_eq!(
        refused[1],
        "INFO jwt-ext: GET /refresh refused with 401: Token has expired"
    );
    assert!(
        refused[2].starts_with("INFO jwt-ext: GET /protected refused with 422"),
        "{}",
        refused[2]
    );

    assert!(
        lines
            .iter()
            .any(|line| line.contains("jwt-ext: algorithm HS256")),
        "{lines:#?}"
    );
    for line in LINES.lock().unwrap().iter() {
        assert!(!line.contains(&expired), "token logged: {line}");
        assert!(!line.contains(SECRET), "secret logged: {line}");
    }
}
