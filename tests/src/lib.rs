//! Integration tests of jwt-ext live in `tests/`: behaviour through `rocket::local`,
//! wire compatibility with Flask-JWT-Extended, and the compile-fail UI cases. This library
//! holds what several test files share.

#[path = "../needs.rs"]
mod needs;
pub mod oidc;
pub mod proxy;
pub mod redis_variants;

use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration as StdDuration, Instant};

/// A `redis-server` on 127.0.0.1:`port`, stopped when dropped.
#[derive(Debug)]
pub struct RedisServer {
    /// The port it listens on.
    pub port: u16,
    child: Option<Child>,
}

/// The one-line message of a test that could not start `program`: for a program that is not
/// installed, the package to install and the command that installs everything the tests need.
#[must_use]
pub fn cannot_run(program: &str, error: &std::io::Error) -> String {
    if error.kind() == std::io::ErrorKind::NotFound {
        needs::install_hint(program)
    } else {
        format!("cannot run `{program}`: {error}")
    }
}

/// [`cannot_run`]'s message for a program that is not installed.
#[must_use]
pub fn install_hint(program: &str) -> String {
    needs::install_hint(program)
}

/// A loopback port nothing listens on right now.
///
/// # Panics
///
/// When no port can be bound.
#[must_use]
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Blocks until something listens on loopback `port`, for at most 20 seconds.
///
/// # Panics
///
/// When nothing does, naming `what`.
pub fn wait_for_port(port: u16, what: &str) {
    let deadline = Instant::now() + StdDuration::from_secs(20);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "{what} did not start listening");
        std::thread::sleep(StdDuration::from_millis(20));
    }
}

/// [`wait_for_port`] for async tests: sleeps without blocking the runtime, so that a server
/// spawned on it can start.
///
/// # Panics
///
/// When nothing listens within 20 seconds, naming `what`.
pub async fn wait_for_port_async(port: u16, what: &str) {
    let deadline = Instant::now() + StdDuration::from_secs(20);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "{what} did not start listening");
        rocket::tokio::time::sleep(StdDuration::from_millis(20)).await;
    }
}

/// The path of a test key under `tests/keys/`.
#[must_use]
pub fn test_key_path(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("keys")
        .join(name)
}

/// The PEM text of a test key under `tests/keys/`.
///
/// # Panics
///
/// When the file cannot be read.
#[must_use]
pub fn test_key(name: &str) -> String {
    std::fs::read_to_string(test_key_path(name)).unwrap()
}

impl RedisServer {
    /// Starts a server on a free port; panics if `redis-server` is not installed.
    #[must_use]
    pub fn start() -> Self {
        let mut server = Self {
            port: free_port(),
            child: None,
        };
        server.restart();
        server
    }

    /// Starts the server again on the same port (after [`stop`](Self::stop)).
    ///
    /// # Panics
    ///
    /// When `redis-server` cannot be started.
    pub fn restart(&mut self) {
        let child = Command::new("redis-server")
            .args(["--port", &self.port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no"])
            .stdout(Stdio::null())
            .spawn()
            .unwrap_or_else(|error| panic!("{}", cannot_run("redis-server", &error)));
        self.child = Some(child);
        wait_for_port(self.port, "redis-server");
    }

    /// Kills the server.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Its `redis://` URL.
    #[must_use]
    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/0", self.port)
    }

    /// A plain connection, to read what jwt-ext wrote.
    ///
    /// # Panics
    ///
    /// When the server does not answer.
    #[must_use]
    pub fn connection(&self) -> redis::Connection {
        redis::Client::open(self.url())
            .unwrap()
            .get_connection()
            .unwrap()
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Sends `method path`, with `Authorization: Bearer <token>` when a token is given; the status
/// and the JSON body (`Null` when there is none).
#[must_use]
pub fn call_with_bearer(
    client: &rocket::local::blocking::Client,
    method: rocket::http::Method,
    path: &str,
    token: Option<&str>,
) -> (rocket::http::Status, rocket::serde::json::Value) {
    let mut request = client.req(method, path.to_owned());
    if let Some(token) = token {
        request = request.header(rocket::http::Header::new(
            "Authorization",
            format!("Bearer {token}"),
        ));
    }
    let response = request.dispatch();
    (
        response.status(),
        response
            .into_json()
            .unwrap_or(rocket::serde::json::Value::Null),
    )
}
