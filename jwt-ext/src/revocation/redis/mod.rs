//! [`RedisBlocklist`]: revocations shared by every instance through Redis (cargo feature
//! `redis`), on a single node, over TLS, on a Redis Cluster or behind Redis Sentinel.

mod connection;
mod link;
mod scripts;
mod sentinel;
mod store;

pub use store::RedisBlocklist;
