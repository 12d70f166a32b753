//! Browser support: setting and unsetting the token cookies, and renewing an access cookie
//! close to its expiry.
//!
//! May use: the request side, [`response`](crate::response) and everything below them.

pub(crate) mod cookies;
pub(crate) mod implicit_refresh;
