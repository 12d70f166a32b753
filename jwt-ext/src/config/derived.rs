//! What [`Config`] works out from its settings, and its setters that take more than one
//! field's value.

use jsonwebtoken::Algorithm;

use super::settings::Config;
use super::values::KeyEntry;

impl Config {
    /// The decode allow-list: [`decode_algorithms`](Self::decode_algorithms) with
    /// [`algorithm`](Self::algorithm) appended when missing, as Flask does.
    #[must_use]
    pub fn effective_decode_algorithms(&self) -> Vec<Algorithm> {
        let mut algorithms = self.decode_algorithms.clone().unwrap_or_default();
        if !algorithms.contains(&self.algorithm) {
            algorithms.push(self.algorithm);
        }
        algorithms
    }
}

impl Config {
    /// Adds a key to [`key_set`](Self::key_set).
    #[must_use]
    pub fn key(mut self, key: KeyEntry) -> Self {
        self.key_set.push(key);
        self
    }
}
