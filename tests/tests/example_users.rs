//! The `users` example: SQLite users created on first start, Argon2 logins, the user lookup
//! loader reading the table, and the admin-only routes.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use rocket::figment::Figment;
use rocket::http::{ContentType, Header, Status};
use rocket::local::blocking::Client;
use rocket::serde::json::{json, Value};

/// A database file removed when the test ends.
struct TempDb(PathBuf);

impl Drop for TempDb {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let mut path = self.0.clone().into_os_string();
            path.push(suffix);
            let _ = std::fs::remove_file(path);
        }
    }
}

/// A client on a fresh database file of its own.
fn client() -> (Client, TempDb) {
    static N: AtomicUsize = AtomicUsize::new(0);
    let path = std::env::temp_dir().join(format!(
        "jwt-ext-users-{}-{}.sqlite3",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_file(&path);
    let url = format!("sqlite:{}?mode=rwc", path.display());
    let figment = Figment::from(rocket::Config::figment()).merge(("databases.users.url", url));
    (
        Client::tracked(users::rocket_with(figment)).unwrap(),
        TempDb(path),
    )
}

fn login(client: &Client, username: &str, password: &str) -> (Status, Value) {
    let response = client
        .post("/login")
        .header(ContentType::JSON)
        .body(json!({ "username": username, "password": password }).to_string())
        .dispatch();
    (
        response.status(),
        response.into_json().unwrap_or(Value::Null),
    )
}

fn token(client: &Client, username: &str, password: &str, kind: &str) -> String {
    let (status, body) = login(client, username, password);
    assert_eq!(status, Status::Ok, "{body}");
    body[kind].as_str().unwrap().to_owned()
}

fn call(client: &Client, post: bool, path: &str, token: &str) -> (Status, Value) {
    let request = if post {
        client.post(path.to_owned())
    } else {
        client.get(path.to_owned())
    };
    let response = request
        .header(Header::new("Authorization", format!("Bearer {token}")))
        .dispatch();
    (
        response.status(),
        response.into_json().unwrap_or(Value::Null),
    )
}

#[test]
fn first_start_creates_the_database_with_two_users() {
    let (client, path) = client();
    assert!(path.0.exists());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path.0).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "the file holds password hashes: {mode:o}");
    }
    let admin = token(&client, "alice", "alice-password", "access_token");
    let (status, body) = call(&client, false, "/admin/users", &admin);
    assert_eq!(status, Status::Ok);
    let names: Vec<&str> = body["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|user| user["username"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["alice", "bob"]);
}

#[test]
fn logins_check_the_argon2_hash() {
    let (client, _db) = client();
    for (user, password) in [("alice", "bob-password"), ("nobody", "x"), ("bob", "")] {
        let (status, body) = login(&client, user, password);
        assert_eq!(
            (status, body),
            (
                Status::Unauthorized,
                json!({ "msg": "Bad username or password" })
            )
        );
    }
    let response = client.post("/login").body("{").dispatch();
    assert_eq!(response.status(), Status::BadRequest);
}

#[test]
fn identity_is_the_user_id_and_me_reads_the_table() {
    let (client, _db) = client();
    let bob = token(&client, "bob", "bob-password", "access_token");
    let (status, body) = call(&client, false, "/me", &bob);
    assert_eq!(
        (status, body),
        (
            Status::Ok,
            json!({ "id": 2, "username": "bob", "role": "user" })
        )
    );
}

#[test]
fn admin_routes_need_the_admin_role() {
    let (client, _db) = client();
    let bob = token(&client, "bob", "bob-password", "access_token");
    let (status, body) = call(&client, false, "/admin/users", &bob);
    assert_eq!(
        (status, body),
        (Status::Forbidden, json!({ "msg": "Role `admin` required" }))
    );
    let (status, _) = call(&client, true, "/admin/users/1/deactivate", &bob);
    assert_eq!(status, Status::Forbidden);
}

#[test]
fn deactivated_users_are_refused_by_the_lookup() {
    let (client, _db) = client();
    let admin = token(&client, "alice", "alice-password", "access_token");
    let bob = token(&client, "bob", "bob-password", "access_token");
    let bob_refresh = token(&client, "bob", "bob-password", "refresh_token");

    let (status, body) = call(&client, true, "/admin/users/2/deactivate", &admin);
    assert_eq!((status, body), (Status::Ok, json!({ "deactivated": 2 })));
    for (post, path, token) in [(false, "/me", &bob), (true, "/refresh", &bob_refresh)] {
        let (status, body) = call(&client, post, path, token);
        assert_eq!(
            (status, body),
            (
                Status::Unauthorized,
                json!({ "msg": "Error loading the user 2" })
            )
        );
    }
    let (status, _) = login(&client, "bob", "bob-password");
    assert_eq!(status, Status::Unauthorized);
}

#[test]
fn refresh_gives_a_non_fresh_token_that_cannot_deactivate() {
    let (client, _db) = client();
    let refresh = token(&client, "alice", "alice-password", "refresh_token");
    let (status, body) = call(&client, true, "/refresh", &refresh);
    assert_eq!(status, Status::Ok);
    let access = body["access_token"].as_str().unwrap();
    assert_eq!(call(&client, false, "/admin/users", access).0, Status::Ok);
    let (status, body) = call(&client, true, "/admin/users/2/deactivate", access);
    assert_eq!(
        (status, body),
        (
            Status::Unauthorized,
            json!({ "msg": "Fresh token required" })
        )
    );
}
