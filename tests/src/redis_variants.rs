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
        .unwrap_or_else(|error| panic!("{}", crate::cannot_run("openssl", &error)));
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

    /// The path of one of its files: `ca.crt`, and `server.crt` / `server.key` for
    /// `localhost` and 127.0.0.1 (which a test's own TLS server may use too).
    #[must_use]
    pub fn file(&self, name: &str) -> String {
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
            .unwrap_or_else(|error| panic!("{}", crate::cannot_run("redis-server", &error)));
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
            .unwrap_or_else(|error| panic!("{}", crate::cannot_run("redis-server", &error)));
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

/// A Redis Cluster of three masters and three replicas on loopback, with a one-second node
/// timeout so that a failover takes seconds; stopped when dropped.
#[derive(Debug)]
pub struct RedisCluster {
    /// The nodes' ports, in the order they were created.
    pub ports: Vec<u16>,
    children: Vec<Option<Child>>,
    _dir: TempDir,
}

impl RedisCluster {
    /// Starts six nodes and joins them (`redis-cli --cluster create … --cluster-replicas 1`),
    /// then waits until every node says the cluster is ok.
    ///
    /// # Panics
    ///
    /// When `redis-server` or `redis-cli` cannot be started, or the cluster does not form
    /// within 30 seconds.
    #[must_use]
    pub fn start() -> Self {
        let dir = TempDir::new("redis-cluster");
        let ports: Vec<u16> = (0..6).map(|_| free_port()).collect();
        let children = ports
            .iter()
            .map(|port| {
                let child = Command::new("redis-server")
                    .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
                    .args(["--cluster-enabled", "yes", "--cluster-node-timeout", "1000"])
                    // Replicas sync at once rather than after the default 5 s wait.
                    .args(["--repl-diskless-sync-delay", "0"])
                    // The bus port would be `port + 10000` by default, past 65535 for some.
                    .args(["--cluster-port", &free_port().to_string()])
                    .args(["--cluster-config-file", &format!("nodes-{port}.conf")])
                    .arg("--dir")
                    .arg(dir.path())
                    .args(["--save", "", "--appendonly", "no"])
                    .stdout(Stdio::null())
                    .spawn()
                    .unwrap_or_else(|error| {
                        panic!("{}", crate::cannot_run("redis-server", &error))
                    });
                Some(child)
            })
            .collect();
        for port in &ports {
            wait_for_port(*port, "redis-server (cluster node)");
        }
        let nodes: Vec<String> = ports
            .iter()
            .map(|port| format!("127.0.0.1:{port}"))
            .collect();
        let output = Command::new("redis-cli")
            .arg("--cluster")
            .arg("create")
            .args(&nodes)
            .args(["--cluster-replicas", "1", "--cluster-yes"])
            .output()
            .unwrap_or_else(|error| panic!("{}", crate::cannot_run("redis-cli", &error)));
        assert!(
            output.status.success(),
            "redis-cli --cluster create: {}",
            String::from_utf8_lossy(&output.stdout)
        );
        let cluster = Self {
            ports,
            children,
            _dir: dir,
        };
        cluster.wait_until_ok(&cluster.ports.clone());
        cluster.wait_for_replication();
        cluster
    }

    /// Blocks until each of the three masters has its replica online (synchronised): before
    /// that, a replica cannot take over a failed master, for at most 30 seconds.
    ///
    /// # Panics
    ///
    /// When they do not.
    fn wait_for_replication(&self) {
        let deadline = Instant::now() + StdDuration::from_secs(30);
        loop {
            let online = self
                .ports
                .iter()
                .map(|port| self.command(*port, &["INFO", "replication"]))
                .filter(|info| info.contains("role:master") && info.contains("state=online"))
                .count();
            if online == 3 {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "{online} masters have an online replica"
            );
            std::thread::sleep(StdDuration::from_millis(50));
        }
    }

    /// Blocks until each of `ports` answers `cluster_state:ok`, for at most 30 seconds.
    ///
    /// # Panics
    ///
    /// When one does not.
    pub fn wait_until_ok(&self, ports: &[u16]) {
        let deadline = Instant::now() + StdDuration::from_secs(30);
        for port in ports {
            loop {
                let info = self.command(*port, &["CLUSTER", "INFO"]);
                if info.contains("cluster_state:ok") {
                    break;
                }
                assert!(Instant::now() < deadline, "the cluster is not ok: {info}");
                std::thread::sleep(StdDuration::from_millis(50));
            }
        }
    }

    /// The seed URLs of the first two nodes.
    #[must_use]
    pub fn seeds(&self) -> Vec<String> {
        self.ports[..2]
            .iter()
            .map(|port| format!("redis://127.0.0.1:{port}"))
            .collect()
    }

    /// `redis-cli -p port args…`'s output, or an empty string when the node does not answer.
    #[must_use]
    pub fn command(&self, port: u16, args: &[&str]) -> String {
        redis_cli(port, args)
    }

    /// The port of the master serving `key`, asked of a node still running.
    ///
    /// # Panics
    ///
    /// When no running node knows.
    #[must_use]
    pub fn master_of(&self, key: &str) -> u16 {
        let port = self.running()[0];
        let slot: u16 = self
            .command(port, &["CLUSTER", "KEYSLOT", key])
            .trim()
            .parse()
            .expect("CLUSTER KEYSLOT answers a number");
        let nodes = self.command(port, &["CLUSTER", "NODES"]);
        for line in nodes.lines() {
            let fields: Vec<&str> = line.split(' ').collect();
            if !fields[2].contains("master") || fields[2].contains("fail") {
                continue;
            }
            let serves = fields[8..].iter().any(|range| match range.split_once('-') {
                Some((low, high)) => {
                    (low.parse().unwrap_or(u16::MAX)..=high.parse().unwrap_or(0)).contains(&slot)
                }
                None => range.parse() == Ok(slot),
            });
            if serves {
                let address = fields[1].split('@').next().unwrap();
                return address.rsplit(':').next().unwrap().parse().unwrap();
            }
        }
        panic!("no master serves slot {slot}: {nodes}");
    }

    /// The hash slot of `key`.
    ///
    /// # Panics
    ///
    /// When no running node answers.
    #[must_use]
    pub fn slot_of(&self, key: &str) -> u16 {
        self.command(self.running()[0], &["CLUSTER", "KEYSLOT", key])
            .trim()
            .parse()
            .expect("CLUSTER KEYSLOT answers a number")
    }

    /// Moves `slot` with its keys from the master on `from` to the master on `to`, as
    /// `redis-cli --cluster reshard` does, calling `between` once the keys are on `to` while
    /// the slot still belongs to `from` (clients then get `ASK` redirects).
    ///
    /// # Panics
    ///
    /// When a step is refused.
    pub fn move_slot(&self, slot: u16, from: u16, to: u16, between: impl FnOnce()) {
        let id = |port: u16| self.command(port, &["CLUSTER", "MYID"]).trim().to_owned();
        let (from_id, to_id) = (id(from), id(to));
        let slot = slot.to_string();
        let ok = |port: u16, args: &[&str]| {
            let answer = self.command(port, args);
            assert!(answer.contains("OK"), "{args:?} on {port}: {answer}");
        };
        ok(to, &["CLUSTER", "SETSLOT", &slot, "IMPORTING", &from_id]);
        ok(from, &["CLUSTER", "SETSLOT", &slot, "MIGRATING", &to_id]);
        let keys = self.command(from, &["CLUSTER", "GETKEYSINSLOT", &slot, "1000"]);
        let keys: Vec<&str> = keys.lines().filter(|key| !key.is_empty()).collect();
        if !keys.is_empty() {
            let port = to.to_string();
            let mut migrate = vec!["MIGRATE", "127.0.0.1", &port, "", "0", "5000", "KEYS"];
            migrate.extend(&keys);
            ok(from, &migrate);
        }
        between();
        for port in self.running() {
            let answer = self.command(port, &["CLUSTER", "SETSLOT", &slot, "NODE", &to_id]);
            // A replica answers that it is one; the masters must take the new owner.
            if !answer.contains("OK") {
                assert!(
                    self.command(port, &["ROLE"]).contains("slave"),
                    "SETSLOT NODE on {port}: {answer}"
                );
            }
        }
    }

    /// The ports of the nodes still running.
    #[must_use]
    pub fn running(&self) -> Vec<u16> {
        self.ports
            .iter()
            .zip(&self.children)
            .filter(|(_, child)| child.is_some())
            .map(|(port, _)| *port)
            .collect()
    }

    /// Kills the node on `port`.
    pub fn kill(&mut self, port: u16) {
        let index = self.ports.iter().position(|p| *p == port).unwrap();
        if let Some(mut child) = self.children[index].take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for RedisCluster {
    fn drop(&mut self) {
        for child in self.children.iter_mut().filter_map(Option::take) {
            let mut child = child;
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// A master, its replica and three sentinels watching it as `mymaster`, on loopback, with a
/// one-second down-after so that a failover takes seconds; stopped when dropped.
#[derive(Debug)]
pub struct SentinelSet {
    /// The master's port (the replica's after a failover).
    pub master: u16,
    /// The replica's port.
    pub replica: u16,
    /// The sentinels' ports.
    pub sentinels: Vec<u16>,
    children: Vec<(u16, Option<Child>)>,
    _dir: TempDir,
}

impl SentinelSet {
    /// The name the sentinels monitor the master by.
    pub const MASTER_NAME: &'static str = "mymaster";

    /// Starts the five processes and waits until the replica is in sync and every sentinel
    /// knows the replica and the two other sentinels.
    ///
    /// # Panics
    ///
    /// When `redis-server` or `redis-sentinel` cannot be started, or the set does not form
    /// within 30 seconds.
    #[must_use]
    pub fn start() -> Self {
        let dir = TempDir::new("redis-sentinel");
        let (master, replica) = (free_port(), free_port());
        let server = |port: u16, replica_of: Option<u16>| {
            let mut command = Command::new("redis-server");
            command
                .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
                // A replica keeps the snapshot it synced from: in the set's own directory.
                .arg("--dir")
                .arg(dir.path())
                .args([
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                    "--repl-diskless-sync-delay",
                    "0",
                ]);
            if let Some(master) = replica_of {
                command.args(["--replicaof", "127.0.0.1", &master.to_string()]);
            }
            command
                .stdout(Stdio::null())
                .spawn()
                .unwrap_or_else(|error| panic!("{}", crate::cannot_run("redis-server", &error)))
        };
        let mut children = vec![
            (master, Some(server(master, None))),
            (replica, Some(server(replica, Some(master)))),
        ];
        wait_for_port(master, "redis-server (master)");
        wait_for_port(replica, "redis-server (replica)");
        let sentinels: Vec<u16> = (0..3).map(|_| free_port()).collect();
        for port in &sentinels {
            let config = dir.path().join(format!("sentinel-{port}.conf"));
            std::fs::write(
                &config,
                format!(
                    "port {port}\nbind 127.0.0.1\ndir {}\n\
                     sentinel monitor {name} 127.0.0.1 {master} 2\n\
                     sentinel down-after-milliseconds {name} 1000\n\
                     sentinel failover-timeout {name} 3000\n",
                    dir.path().display(),
                    name = Self::MASTER_NAME,
                ),
            )
            .unwrap();
            let child = Command::new("redis-sentinel")
                .arg(&config)
                .stdout(Stdio::null())
                .spawn()
                .unwrap_or_else(|error| panic!("{}", crate::cannot_run("redis-sentinel", &error)));
            children.push((*port, Some(child)));
        }
        for port in &sentinels {
            wait_for_port(*port, "redis-sentinel");
        }
        let set = Self {
            master,
            replica,
            sentinels,
            children,
            _dir: dir,
        };
        set.wait_until_formed();
        set
    }

    fn wait_until_formed(&self) {
        let deadline = Instant::now() + StdDuration::from_secs(30);
        let name = Self::MASTER_NAME;
        loop {
            let synced = self
                .command(self.master, &["INFO", "replication"])
                .contains("state=online");
            let known = self.sentinels.iter().all(|port| {
                let replicas = self.command(*port, &["SENTINEL", "REPLICAS", name]);
                let peers = self.command(*port, &["SENTINEL", "SENTINELS", name]);
                replicas.contains(&self.replica.to_string())
                    && self
                        .sentinels
                        .iter()
                        .filter(|other| *other != port)
                        .all(|other| peers.contains(&other.to_string()))
            });
            if synced && known {
                return;
            }
            assert!(Instant::now() < deadline, "the Sentinel set did not form");
            std::thread::sleep(StdDuration::from_millis(100));
        }
    }

    /// The sentinels' URLs.
    #[must_use]
    pub fn urls(&self) -> Vec<String> {
        self.sentinels
            .iter()
            .map(|port| format!("redis://127.0.0.1:{port}"))
            .collect()
    }

    /// `redis-cli -p port args…`'s output, or an empty string when the node does not answer.
    #[must_use]
    pub fn command(&self, port: u16, args: &[&str]) -> String {
        redis_cli(port, args)
    }

    /// The master's port as the first sentinel names it now.
    #[must_use]
    pub fn current_master(&self) -> Option<u16> {
        let answer = self.command(
            self.sentinels[0],
            &["SENTINEL", "GET-MASTER-ADDR-BY-NAME", Self::MASTER_NAME],
        );
        answer.lines().nth(1)?.trim().parse().ok()
    }

    /// Kills the process on `port`.
    pub fn kill(&mut self, port: u16) {
        for (p, child) in &mut self.children {
            if *p == port {
                if let Some(mut child) = child.take() {
                    let _ = child.kill();
                    let _ = child.wait();
                }
            }
        }
    }
}

impl Drop for SentinelSet {
    fn drop(&mut self) {
        for (_, child) in &mut self.children {
            if let Some(mut child) = child.take() {
                let _ = child.kill();
                let _ = child.wait();
            }
        }
    }
}

/// `redis-cli -p port args…`'s output, or an empty string when the node does not answer.
fn redis_cli(port: u16, args: &[&str]) -> String {
    Command::new("redis-cli")
        .args(["-p", &port.to_string()])
        .args(args)
        .output()
        .map(|output| String::from_utf8_lossy(&output.stdout).into_owned())
        .unwrap_or_default()
}
