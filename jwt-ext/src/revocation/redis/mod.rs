//! [`RedisBlocklist`]: revocations shared by every instance through Redis (cargo feature
//! `redis`), on a single node, over TLS, or on a Redis Cluster.

mod connection;
mod scripts;
mod store;

pub use store::RedisBlocklist;
