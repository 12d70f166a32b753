//! Redis as managed services run it: behind TLS with a private CA, on a Unix socket.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration as StdDuration, Instant};

use crate::{free_port, wait_for_port};

/// A directory of its own under the system's temporary directory, removed when dropped.
#[derive(Debug)]
pub struct TempDir(PathBuf);

impl TempDir {
    /// A new, empty directory named after `what`.
    ///
    /// # Panics
    ///
    /// When it cannot be created.
    #[must_use]
    pub fn new(what: &str) -> Self {
        static N: AtomicUsize = AtomicUsize::new(0);
        let path = std::env::temp_dir().join(format!(
            "jwt-ext-{what}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).unwrap();
        Self(path)
    }

    /// Its path.
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs `openssl` with the words of `args`, then `more`, in `dir`.
fn openssl(dir: &Path, args: &str, more: &[&str]) {
    let output = Command::new("openssl")
        .args(args.split_whitespace())
        .args(more)
        .current_dir(dir)
        .output()
        .expect("openssl must be installed (Debian package openssl)");
    assert!(
        output.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A certificate authority made for one test, and a server certificate it signed for
/// `localhost` and `127.0.0.1`.
#[derive(Debug)]
pub struct TestCa {
    dir: TempDir,
}

impl TestCa {
    /// Makes a CA (P-256, valid one day) named `name`, and its server certificate.
    ///
    /// # Panics
    ///
    /// When `openssl` is missing or fails.
    #[must_use]
    pub fn new(name: &str) -> Self {
        let dir = TempDir::new("ca");
        let path = dir.path();
        openssl(
            path,
            "req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout ca.key \
             -out ca.crt -days 1 -addext basicConstraints=critical,CA:TRUE \
             -addext keyUsage=critical,keyCertSign,cRLSign -subj",
            &[&format!("/CN={name}")],
        );
        openssl(
            path,
            "req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout server.key \
             -out server.csr -subj /CN=localhost",
            &[],
        );
        std::fs::write(
            path.join("server.ext"),
            "subjectAltName=DNS:localhost,IP:127.0.0.1\n\
             extendedKeyUsage=serverAuth\n\
             basicConstraints=CA:FALSE\n",
        )
        .unwrap();
        openssl(
            path,
            "x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out server.crt \
             -days 1 -extfile server.ext",
            &[],
        );
        Self { dir }
    }

    /// The CA's certificate (PEM): what `jwt_redis_tls_ca_file` names.
    #[must_use]
    pub fn ca_file(&self) -> PathBuf {
        self.dir.path().join("ca.crt")
    }

    fn file(&self, name: &str) -> String {
        self.dir.path().join(name).display().to_string()
    }
}

/// A `redis-server` that speaks TLS only, on 127.0.0.1:`port`, with a certificate of `ca`;
/// stopped when dropped.
#[derive(Debug)]
pub struct TlsRedisServer {
    /// The TLS port.
    pub port: u16,
    child: Child,
}

impl TlsRedisServer {
    /// Starts it on a free port.
    ///
    /// # Panics
    ///
    /// When `redis-server` cannot be started or was built without TLS.
    #[must_use]
    pub fn start(ca: &TestCa) -> Self {
        let port = free_port();
        let child = Command::new("redis-server")
            .args(["--port", "0", "--tls-port", &port.to_string()])
            // 127.0.0.2 is loopback too, and not in the certificate.
            .args(["--bind", "127.0.0.1", "127.0.0.2"])
            .args(["--tls-cert-file", &ca.file("server.crt")])
            .args(["--tls-key-file", &ca.file("server.key")])
            .args(["--tls-ca-cert-file", &ca.file("ca.crt")])
            .args(["--tls-auth-clients", "no"])
            .args(["--save", "", "--appendonly", "no"])
            .stdout(Stdio::null())
            .spawn()
            .expect("redis-server must be installed (Debian package redis-server)");
        wait_for_port(port, "redis-server (TLS)");
        Self { port, child }
    }

    /// Its `rediss://` URL for `host` (`localhost` or `127.0.0.1`, both in the certificate).
    #[must_use]
    pub fn url(&self, host: &str) -> String {
        format!("rediss://{host}:{}/0", self.port)
    }
}

impl Drop for TlsRedisServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A `redis-server` on a Unix socket only; stopped when dropped.
#[derive(Debug)]
pub struct UnixRedisServer {
    child: Child,
    socket: PathBuf,
    _dir: TempDir,
}

impl UnixRedisServer {
    /// Starts it, and waits for its socket.
    ///
    /// # Panics
    ///
    /// When `redis-server` cannot be started or makes no socket within 20 seconds.
    #[must_use]
    pub fn start() -> Self {
        let dir = TempDir::new("redis-socket");
        let socket = dir.path().join("redis.sock");
        let child = Command::new("redis-server")
            .args(["--port", "0", "--unixsocket"])
            .arg(&socket)
            .args([
                "--unixsocketperm",
                "700",
                "--save",
                "",
                "--appendonly",
                "no",
            ])
            .stdout(Stdio::null())
            .spawn()
            .expect("redis-server must be installed (Debian package redis-server)");
        let deadline = Instant::now() + StdDuration::from_secs(20);
        while std::os::unix::net::UnixStream::connect(&socket).is_err() {
            assert!(Instant::now() < deadline, "redis-server made no socket");
            std::thread::sleep(StdDuration::from_millis(20));
        }
        Self {
            child,
            socket,
            _dir: dir,
        }
    }

    /// Its URL with `scheme` (`unix`, `redis+unix` or `valkey+unix`).
    #[must_use]
    pub fn url(&self, scheme: &str) -> String {
        format!("{scheme}://{}", self.socket.display())
    }
}

impl Drop for UnixRedisServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
