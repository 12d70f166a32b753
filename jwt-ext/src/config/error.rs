//! What is wrong with a configuration: every bad key, reported together.

use std::fmt::Write;

/// One bad configuration key and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigProblem {
    /// The key, as written in `Rocket.toml` (e.g. `jwt_access_token_expires`).
    pub key: String,
    /// What is wrong and how to fix it.
    pub message: String,
}

/// Every problem found in a configuration, reported together.
///
/// # Example
///
/// ```
/// use jwt_ext::Config;
///
/// let error = Config::default().header_name("").validate(true).unwrap_err();
/// let text = error.to_string();
/// assert!(text.contains("jwt_secret_key") && text.contains("jwt_header_name"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid jwt-ext configuration:{}", list(&self.problems))]
pub struct ConfigError {
    /// The problems, in key order.
    pub problems: Vec<ConfigProblem>,
}

impl ConfigError {
    /// The error of one bad key.
    pub(crate) fn one(key: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            problems: vec![ConfigProblem {
                key: key.into(),
                message: message.into(),
            }],
        }
    }
}

/// One line per problem, each starting with a line break.
fn list(problems: &[ConfigProblem]) -> String {
    let mut out = String::new();
    for problem in problems {
        let _ = write!(out, "\n  `{}`: {}", problem.key, problem.message);
    }
    out
}

/// Collects problems while reading and checking a configuration.
#[derive(Default)]
pub(super) struct Problems(Vec<ConfigProblem>);

impl Problems {
    pub(super) fn add(&mut self, key: &str, message: impl Into<String>) {
        self.0.push(ConfigProblem {
            key: key.to_owned(),
            message: message.into(),
        });
    }

    pub(super) fn finish<T>(self, value: T) -> Result<T, ConfigError> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(ConfigError { problems: self.0 })
        }
    }
}
