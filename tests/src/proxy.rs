//! A TCP proxy in front of a Redis server that can lose what Redis sends, while every
//! connection stays open: the failures a closed connection would not show.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::sync::Arc;

/// What the proxy lets through from Redis to its clients.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Flow {
    /// Everything.
    All = 0,
    /// Nothing to connections that subscribed (pushes and heartbeats are lost), everything to
    /// the others.
    NoPushes = 1,
    /// Nothing to anyone until the flow is set back: a Redis that hangs (what it sends is
    /// held, then delivered).
    Held = 2,
}

/// A proxy on a free loopback port forwarding to `127.0.0.1:upstream`; it stops accepting when
/// dropped (connections made keep running until either side closes).
#[derive(Debug)]
pub struct LossyProxy {
    /// The port it listens on.
    pub port: u16,
    flow: Arc<AtomicU8>,
    stopped: Arc<AtomicBool>,
}

impl LossyProxy {
    /// Starts forwarding to `upstream`.
    ///
    /// # Panics
    ///
    /// When no port can be bound.
    #[must_use]
    pub fn start(upstream: u16) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let flow = Arc::new(AtomicU8::new(Flow::All as u8));
        let stopped = Arc::new(AtomicBool::new(false));
        let (accept_flow, accept_stopped) = (Arc::clone(&flow), Arc::clone(&stopped));
        std::thread::spawn(move || {
            for client in listener.incoming() {
                if accept_stopped.load(Ordering::SeqCst) {
                    return;
                }
                let Ok(client) = client else { continue };
                let Ok(server) = TcpStream::connect(("127.0.0.1", upstream)) else {
                    let _ = client.shutdown(Shutdown::Both);
                    continue;
                };
                forward(client, server, Arc::clone(&accept_flow));
            }
        });
        Self {
            port,
            flow,
            stopped,
        }
    }

    /// Its `redis://` URL.
    #[must_use]
    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/0", self.port)
    }

    /// From now on, lets `flow` through.
    pub fn set(&self, flow: Flow) {
        self.flow.store(flow as u8, Ordering::SeqCst);
    }
}

impl Drop for LossyProxy {
    fn drop(&mut self) {
        self.stopped.store(true, Ordering::SeqCst);
        // Wakes the accepting thread so that it sees the flag.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

/// Copies both ways between `client` and `server`; what the server sends is dropped or held
/// as `flow` says.
fn forward(client: TcpStream, server: TcpStream, flow: Arc<AtomicU8>) {
    let subscribed = Arc::new(AtomicBool::new(false));
    let (mut from_client, mut to_server) =
        (client.try_clone().unwrap(), server.try_clone().unwrap());
    let saw_subscribe = Arc::clone(&subscribed);
    std::thread::spawn(move || {
        let mut buffer = [0u8; 16 * 1024];
        while let Ok(read @ 1..) = from_client.read(&mut buffer) {
            let upper = buffer[..read].to_ascii_uppercase();
            if upper.windows(9).any(|window| window == b"SUBSCRIBE") {
                saw_subscribe.store(true, Ordering::SeqCst);
            }
            if to_server.write_all(&buffer[..read]).is_err() {
                break;
            }
        }
        let _ = to_server.shutdown(Shutdown::Both);
    });
    let (mut from_server, mut to_client) = (server, client);
    std::thread::spawn(move || {
        let mut buffer = [0u8; 16 * 1024];
        while let Ok(read @ 1..) = from_server.read(&mut buffer) {
            while flow.load(Ordering::SeqCst) == Flow::Held as u8 {
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
            let lost = flow.load(Ordering::SeqCst) == Flow::NoPushes as u8
                && subscribed.load(Ordering::SeqCst);
            if !lost && to_client.write_all(&buffer[..read]).is_err() {
                break;
            }
        }
        let _ = to_client.shutdown(Shutdown::Both);
    });
}
