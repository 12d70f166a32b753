//! Reading the `jwt_*` keys of Rocket's figment into a [`Config`], with hints for
//! misspelt keys and for the names of other libraries.

use rocket::figment::value::{Dict, Value as FigValue};
use rocket::figment::Figment;

use super::error::{ConfigError, Problems};
use super::settings::{Config, KEYS};

impl Config {
    /// Reads every `jwt_*` key of the figment's selected profile over Flask's defaults.
    ///
    /// Unknown `jwt_*` keys are errors (a typo must not silently fall back to a default), with
    /// the closest known key suggested. Only the reading is checked here; call
    /// [`validate`](Self::validate) for the rules between values.
    ///
    /// # Errors
    ///
    /// A [`ConfigError`] naming every key that is unknown or of the wrong type.
    ///
    /// # Example
    ///
    /// ```
    /// use jwt_ext::{Config, Lifetime};
    /// use rocket::figment::Figment;
    /// use rocket::time::Duration;
    ///
    /// let figment = Figment::from(rocket::Config::default())
    ///     .merge(("jwt_access_token_expires", 3600))
    ///     .merge(("jwt_refresh_token_expires", false));
    /// let config = Config::from_figment(&figment).unwrap();
    /// assert_eq!(config.access_token_expires, Lifetime::Expires(Duration::hours(1)));
    /// assert_eq!(config.refresh_token_expires, Lifetime::Never);
    /// ```
    pub fn from_figment(figment: &Figment) -> Result<Self, ConfigError> {
        let mut problems = Problems::default();
        let root: Dict = figment.extract().unwrap_or_default();
        let mut config = Self::default();
        for (key, value) in &root {
            if !key.starts_with("jwt_") {
                continue;
            }
            if let Err(message) = config.read_key(key, value) {
                problems.add(key, message);
            }
        }
        problems.finish(config)
    }

    /// Parses one known key into its field, or says why it cannot.
    fn read_key(&mut self, key: &str, value: &FigValue) -> Result<(), String> {
        if let Some(result) = self.read_setting(key, value) {
            return result;
        }
        if let Some(hint) = replaced_key(key) {
            return Err(hint.into());
        }
        let mut message = "is not a jwt-ext setting".to_owned();
        if let Some(near) = closest_key(key) {
            message = format!("{message}; did you mean `{near}`?");
        }
        Err(message)
    }
}

/// What replaces a key of Flask-JWT-Extended 3.x, or a tymon/jwt-auth setting under a `jwt_`
/// name, that this crate does not read.
pub(super) fn replaced_key(key: &str) -> Option<&'static str> {
    Some(match key {
        "jwt_blacklist_enabled" => {
            "is Flask-JWT-Extended 3.x's switch for the blocklist; here every verified request \
             asks the revocation store, as in 4.x: remove the key \
             (`#[jwt_required(skip_revocation_check)]` skips the check on one route)"
        }
        "jwt_blacklist_token_checks" => {
            "is Flask-JWT-Extended 3.x's list of token types to check against the blocklist; \
             here access and refresh tokens are both checked, as in 4.x: remove the key \
             (`skip_revocation_check` skips the check on one route)"
        }
        "jwt_user_claims" => {
            "is Flask-JWT-Extended 3.x's name of the claim that nested additional claims \
             (`user_claims`); as in 4.x, additional claims are top-level claims here: remove \
             the key (a 3.x token's nested claims read as `token.claims()[\"user_claims\"]`)"
        }
        "jwt_claims_in_refresh_token" => {
            "is Flask-JWT-Extended 3.x's switch for additional claims in refresh tokens; as in \
             4.x, refresh tokens get them too: remove the key"
        }
        "jwt_ttl" => "is tymon/jwt-auth's name: set `jwt_access_token_expires` (in seconds)",
        "jwt_refresh_ttl" => {
            "is tymon/jwt-auth's name: set `jwt_sliding_refresh_window` (in seconds, counted \
             from the login) for exchanges of access tokens, or `jwt_refresh_token_expires` for \
             refresh tokens"
        }
        "jwt_blacklist_grace_period" => {
            "is tymon/jwt-auth's name: set `jwt_sliding_refresh_grace` (in seconds)"
        }
        _ => return None,
    })
}

/// The known key closest to a misspelt one, if any is close enough to be a typo.
pub(super) fn closest_key(key: &str) -> Option<&'static str> {
    KEYS.iter()
        .map(|known| (strsim::levenshtein(key, known), *known))
        .filter(|(distance, _)| *distance <= 3)
        .min()
        .map(|(_, known)| known)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_miss_keys_are_suggested() {
        assert_eq!(
            closest_key("jwt_acess_token_expires"),
            Some("jwt_access_token_expires")
        );
        assert_eq!(closest_key("jwt_completely_different"), None);
    }
}
