//! [`RedisBlocklist`]: revocations shared by every instance through Redis (cargo feature
//! `redis`), on a single node, over TLS, on a Redis Cluster or behind Redis Sentinel, with a
//! near-cache on each instance that pushes keep current.

mod check;
mod connection;
mod link;
mod near_cache;
mod open;
mod push;
mod scripts;
mod sentinel;
mod sessions;
mod store;

pub use store::RedisBlocklist;
