//! Settings, with Flask-JWT-Extended's names and defaults, and their checks.
//!
//! Flask's `JWT_FOO` option is `jwt_foo` in `Rocket.toml` and `ROCKET_JWT_FOO` in the
//! environment; [`Config::from_figment`] reads them from Rocket's figment and
//! [`Config::validate`] checks the result. Both report every bad key at once.
//!
//! May use: the leaves ([`error`](crate::error), [`location`](crate::location)) only; every
//! other part of the crate reads its settings from here.

mod browser;
mod debug;
mod define;
mod derived;
mod error;
mod issuer_entry;
mod issuers;
mod limits;
mod read;
mod readers;
mod redact;
mod remote;
mod remote_settings;
mod settings;
mod store;
mod validate;
mod values;

pub(crate) use browser::TokenNames;
pub use error::{ConfigError, ConfigProblem};
pub use issuer_entry::IssuerEntry;
pub use limits::{
    DEFAULT_CACHE_SIZE, DEFAULT_JWKS_MIN_REFETCH_INTERVAL, DEFAULT_JWKS_REFRESH_INTERVAL,
    DEFAULT_MAX_ENTRIES, DEFAULT_MAX_ENTRIES_PER_IDENTITY, DEFAULT_MAX_TOKEN_LENGTH,
    DEFAULT_NEAR_CACHE_SIZE, MAX_LEEWAY_SECONDS, MAX_LIFETIME,
};
pub(crate) use redact::RedactedUrl;
#[cfg(feature = "remote-jwks")]
pub(crate) use remote::url_problem;
pub use settings::Config;
pub use values::{KeyEntry, Lifetime, OneOrMany, SecretKey};
