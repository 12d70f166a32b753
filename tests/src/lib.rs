//! Integration tests of jwt-ext live in `tests/`: behaviour through `rocket::local`,
//! wire compatibility with Flask-JWT-Extended, and the compile-fail UI cases. This library
//! holds what several test files share.

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

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
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
            .expect("redis-server must be installed (Debian package redis-server)");
        self.child = Some(child);
        let deadline = Instant::now() + StdDuration::from_secs(10);
        while TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(Instant::now() < deadline, "redis-server did not start");
            std::thread::sleep(StdDuration::from_millis(20));
        }
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
