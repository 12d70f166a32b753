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

    // One line per refusal at the normal level: Rocket's, with the reason and at most the
    // `jti`; never the claims (the identity, the CSRF value).
    let all = LINES.lock().unwrap().clone();
    let refused: Vec<&String> = all
        .iter()
        .filter(|line| line.contains("failed") || line.contains("refused"))
        .collect();
    assert_eq!(refused.len(), 3, "{all:#?}");
    assert_eq!(
        refused[0],
        "WARN Request guard `AccessJwt` failed: NoAuthorization(\"Missing Authorization Header\")."
    );
    let jti = manager(config())
        .decode_token_allow_expired(&expired)
        .unwrap()
        .jti()
        .unwrap()
        .to_owned();
    assert_eq!(
        refused[1],
        &format!("WARN Request guard `RefreshJwt` failed: Expired(RefusedToken {{ jti: Some(\"{jti}\"), .. }}).")
    );
    assert!(refused[2].contains("InvalidHeader"), "{}", refused[2]);
    for line in &all {
        assert!(!line.contains("csrf"), "claims logged: {line}");
        assert!(!line.contains("alice"), "identity logged: {line}");
    }

    let lines = jwt_lines();
    assert!(
        lines.iter().any(|line| line
            == "INFO jwt-ext: revocation store in memory: this process only, not shared with \
                other instances, lost on restart; refresh-token rotation off"),
        "{lines:#?}"
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

    // With `json_catchers`, Rocket has a catcher for jwt-ext's refusals: no warning that it
    // has none, and the refusal still answers Flask's message.
    LINES.lock().unwrap().clear();
    let client = rocket::local::blocking::Client::tracked(
        common::rocket_with(config()).register("/", jwt_ext::json_catchers()),
    )
    .unwrap();
    let answer = get(&client, "/protected", None);
    assert_eq!(answer.msg(), "Missing Authorization Header");
    let all = LINES.lock().unwrap().clone();
    assert!(
        !all.iter().any(|line| line.contains("catcher registered")),
        "{all:#?}"
    );
}
