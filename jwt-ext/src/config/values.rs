//! The value types of settings: lifetimes, one-or-many strings, secrets and key entries.

use std::fmt;

use rocket::time::Duration;

use super::redact::Redacted;

/// How long a kind of token lives.
///
/// # Example
///
/// ```
/// use jwt_ext::Lifetime;
/// use rocket::time::Duration;
///
/// let fifteen_minutes = Lifetime::Expires(Duration::minutes(15));
/// assert_eq!(fifteen_minutes.duration(), Some(Duration::seconds(900)));
/// assert_eq!(Lifetime::Never.duration(), None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lifetime {
    /// The token gets `exp = iat + duration`. A zero duration expires at once.
    Expires(Duration),
    /// The token has no `exp` claim (Flask's `False`).
    Never,
}

impl Lifetime {
    /// The duration, or `None` for [`Lifetime::Never`].
    #[must_use]
    pub fn duration(self) -> Option<Duration> {
        match self {
            Self::Expires(duration) => Some(duration),
            Self::Never => None,
        }
    }
}

impl From<Duration> for Lifetime {
    fn from(duration: Duration) -> Self {
        Self::Expires(duration)
    }
}

/// A claim value that is either one string or a list of them (`aud`, `iss`).
///
/// # Example
///
/// ```
/// use jwt_ext::OneOrMany;
///
/// let one: OneOrMany = "api".into();
/// assert!(one.contains("api"));
/// let many = OneOrMany::Many(vec!["api".into(), "admin".into()]);
/// assert!(many.contains("admin") && !many.contains("web"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OneOrMany {
    /// A single string, written as a JSON string.
    One(String),
    /// Several strings, written as a JSON array.
    Many(Vec<String>),
}

impl OneOrMany {
    /// Whether `value` is (one of) the string(s).
    #[must_use]
    pub fn contains(&self, value: &str) -> bool {
        match self {
            Self::One(one) => one == value,
            Self::Many(many) => many.iter().any(|item| item == value),
        }
    }

    /// The strings, as a slice-like iterator.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        let slice = match self {
            Self::One(one) => std::slice::from_ref(one),
            Self::Many(many) => many.as_slice(),
        };
        slice.iter().map(String::as_str)
    }

    pub(crate) fn to_json(&self) -> serde_json::Value {
        match self {
            Self::One(one) => one.clone().into(),
            Self::Many(many) => many.clone().into(),
        }
    }
}

impl From<&str> for OneOrMany {
    fn from(value: &str) -> Self {
        Self::One(value.to_owned())
    }
}

impl From<String> for OneOrMany {
    fn from(value: String) -> Self {
        Self::One(value)
    }
}

impl From<Vec<String>> for OneOrMany {
    fn from(value: Vec<String>) -> Self {
        Self::Many(value)
    }
}

/// The HMAC secret. Its `Debug` output never shows the value.
///
/// Tokens are signed with the UTF-8 bytes of the string, exactly as PyJWT does, so the same
/// secret on a Flask-JWT-Extended app and a jwt-ext app gives tokens each side accepts.
#[derive(Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(transparent)]
pub struct SecretKey(String);

impl SecretKey {
    /// Wraps a secret.
    ///
    /// # Example
    ///
    /// ```
    /// use jwt_ext::SecretKey;
    ///
    /// let key = SecretKey::new("a-secret-of-at-least-32-bytes!!!");
    /// assert_eq!(format!("{key:?}"), "SecretKey(<redacted>)");
    /// ```
    pub fn new(secret: impl Into<String>) -> Self {
        Self(secret.into())
    }

    /// The secret's bytes, as they key the HMAC.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretKey(<redacted>)")
    }
}

impl<S: Into<String>> From<S> for SecretKey {
    fn from(secret: S) -> Self {
        Self::new(secret)
    }
}

/// One key of a key set (`[[jwt_keys]]` in `Rocket.toml`), for key rotation: several
/// verification keys, each named by its `kid`, one of them (`jwt_signing_key_id`) signing.
///
/// Rotating: add the new key, make it the signing key, and drop the old one once the longest
/// token lifetime has passed; tokens signed with the old key keep working until then.
///
/// # Example
///
/// ```
/// use jwt_ext::{Config, JwtManager, KeyEntry};
///
/// let old = Config::default().key(KeyEntry::secret("2026-10", "the-old-secret-of-at-least-32-bytes"));
/// let token = JwtManager::new(old).unwrap().create_access_token("alice").unwrap();
///
/// let rotated = Config::default()
///     .key(KeyEntry::secret("2026-11", "the-new-secret-of-at-least-32-bytes"))
///     .key(KeyEntry::secret("2026-10", "the-old-secret-of-at-least-32-bytes"))
///     .signing_key_id("2026-11");
/// let jwt = JwtManager::new(rotated).unwrap();
/// assert!(jwt.decode_token(&token).is_ok()); // signed with the old key, still valid
/// ```
#[derive(Clone, PartialEq, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct KeyEntry {
    /// The key id, written in the `kid` header of the tokens it signs.
    pub kid: String,
    /// The HMAC secret (HS* algorithms).
    #[serde(default)]
    pub secret_key: Option<SecretKey>,
    /// The private key PEM (asymmetric algorithms; only the signing key needs one).
    #[serde(default)]
    pub private_key: Option<String>,
    /// A file holding the private key PEM.
    #[serde(default)]
    pub private_key_file: Option<std::path::PathBuf>,
    /// The public key PEM (asymmetric algorithms).
    #[serde(default)]
    pub public_key: Option<String>,
    /// A file holding the public key PEM.
    #[serde(default)]
    pub public_key_file: Option<std::path::PathBuf>,
}

/// Every field, with the private key PEM left out.
impl fmt::Debug for KeyEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Self {
            kid,
            secret_key,
            private_key,
            private_key_file,
            public_key,
            public_key_file,
        } = self;
        f.debug_struct("KeyEntry")
            .field("kid", kid)
            .field("secret_key", secret_key)
            .field("private_key", &private_key.as_ref().map(|_| Redacted))
            .field("private_key_file", private_key_file)
            .field("public_key", public_key)
            .field("public_key_file", public_key_file)
            .finish()
    }
}

impl KeyEntry {
    /// An HMAC key.
    pub fn secret(kid: impl Into<String>, secret: impl Into<SecretKey>) -> Self {
        Self {
            kid: kid.into(),
            secret_key: Some(secret.into()),
            ..Self::default()
        }
    }

    /// An asymmetric key from PEM text: the public key, and the private key if this app signs
    /// with it.
    pub fn pem(kid: impl Into<String>, private_key: Option<String>, public_key: String) -> Self {
        Self {
            kid: kid.into(),
            private_key,
            public_key: Some(public_key),
            ..Self::default()
        }
    }
}
