//! Reading the `jwt_*` keys of Rocket's figment into a [`Config`], with hints for
//! misspelt keys and for the names of other libraries.

use rocket::figment::value::{Dict, Value as FigValue};
use rocket::figment::Figment;

use super::error::{ConfigError, Problems};
use super::readers::{
    parse_algorithm, read_algorithm, read_bool, read_count, read_lifetime, read_one_or_many,
    read_seconds, read_secret, read_string, read_string_list,
};
use super::settings::Config;
use super::values::SecretKey;
use super::{browser, remote};

/// Every key this version reads. Flask options it does not implement yet are refused rather
/// than silently ignored.
pub(super) const KNOWN_KEYS: &[&str] = &[
    "jwt_secret_key",
    "jwt_algorithm",
    "jwt_decode_algorithms",
    "jwt_access_token_expires",
    "jwt_refresh_token_expires",
    "jwt_identity_claim",
    "jwt_error_message_key",
    "jwt_header_name",
    "jwt_header_type",
    "jwt_decode_leeway",
    "jwt_encode_nbf",
    "jwt_verify_sub",
    "jwt_encode_audience",
    "jwt_decode_audience",
    "jwt_encode_issuer",
    "jwt_decode_issuer",
    "jwt_cookie_csrf_protect",
    "jwt_max_token_length",
    "jwt_redis_url",
    "jwt_redis_key_prefix",
    "jwt_blocklist_max_entries",
    "jwt_blocklist_max_entries_per_identity",
    "jwt_refresh_token_rotation",
    "jwt_refresh_token_reuse_grace",
    "jwt_sliding_refresh_window",
    "jwt_sliding_refresh_grace",
    "jwt_token_cache_size",
    "jwt_private_key",
    "jwt_private_key_file",
    "jwt_public_key",
    "jwt_public_key_file",
    "jwt_keys",
    "jwt_signing_key_id",
];

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
        match key {
            "jwt_secret_key" => {
                self.secret_key = Some(SecretKey::new(read_secret(value)?));
            }
            "jwt_algorithm" => self.algorithm = read_algorithm(value)?,
            "jwt_decode_algorithms" => {
                self.decode_algorithms = Some(
                    read_string_list(value)?
                        .iter()
                        .map(|name| parse_algorithm(name))
                        .collect::<Result<_, _>>()?,
                );
            }
            "jwt_access_token_expires" => self.access_token_expires = read_lifetime(value)?,
            "jwt_refresh_token_expires" => self.refresh_token_expires = read_lifetime(value)?,
            "jwt_identity_claim" => self.identity_claim = read_string(value)?,
            "jwt_error_message_key" => self.error_message_key = read_string(value)?,
            "jwt_header_name" => self.header_name = read_string(value)?,
            "jwt_header_type" => self.header_type = read_string(value)?,
            "jwt_decode_leeway" => self.decode_leeway = read_seconds(value)?,
            "jwt_encode_nbf" => self.encode_nbf = read_bool(value)?,
            "jwt_verify_sub" => self.verify_sub = read_bool(value)?,
            "jwt_encode_audience" => self.encode_audience = Some(read_one_or_many(value)?),
            "jwt_decode_audience" => self.decode_audience = Some(read_one_or_many(value)?),
            "jwt_encode_issuer" => self.encode_issuer = Some(read_string(value)?),
            "jwt_decode_issuer" => self.decode_issuer = Some(read_one_or_many(value)?),
            "jwt_cookie_csrf_protect" => self.cookie_csrf_protect = read_bool(value)?,
            "jwt_max_token_length" => {
                self.max_token_length = read_count(value)?;
            }
            "jwt_redis_url" => self.redis_url = Some(read_string(value)?),
            "jwt_redis_key_prefix" => self.redis_key_prefix = read_string(value)?,
            "jwt_blocklist_max_entries" => {
                self.blocklist_max_entries = read_count(value)?;
            }
            "jwt_blocklist_max_entries_per_identity" => {
                self.blocklist_max_entries_per_identity = read_count(value)?;
            }
            "jwt_sliding_refresh_grace" => self.sliding_refresh_grace = read_seconds(value)?,
            "jwt_refresh_token_rotation" => self.refresh_token_rotation = read_bool(value)?,
            "jwt_private_key" => self.private_key = Some(read_string(value)?),
            "jwt_public_key" => self.public_key = Some(read_string(value)?),
            "jwt_private_key_file" => self.private_key_file = Some(read_string(value)?.into()),
            "jwt_public_key_file" => self.public_key_file = Some(read_string(value)?.into()),
            "jwt_keys" => {
                self.key_set = value.deserialize().map_err(|error| {
                    format!(
                        "must be a list of tables with `kid` and the key settings \
                         (`secret_key`, `private_key[_file]`, `public_key[_file]`): {error}"
                    )
                })?;
            }
            "jwt_signing_key_id" => self.signing_key_id = Some(read_string(value)?),
            "jwt_token_cache_size" => {
                self.token_cache_size = read_count(value)?;
            }
            "jwt_refresh_token_reuse_grace" => {
                self.refresh_token_reuse_grace = read_seconds(value)?;
            }
            "jwt_sliding_refresh_window" => {
                self.sliding_refresh_window = match value {
                    FigValue::Bool(_, false) => None,
                    other => Some(read_seconds(other)?),
                };
            }
            _ => {
                if let Some(result) = self.read_browser_key(key, value) {
                    return result;
                }
                if let Some(result) = self.read_remote_key(key, value) {
                    return result;
                }
                if let Some(hint) = replaced_key(key) {
                    return Err(hint.into());
                }
                let mut message = "is not a jwt-ext setting".to_owned();
                if let Some(near) = closest_key(key) {
                    message = format!("{message}; did you mean `{near}`?");
                }
                return Err(message);
            }
        }
        Ok(())
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
    KNOWN_KEYS
        .iter()
        .chain(browser::KEYS)
        .chain(remote::KEYS)
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
