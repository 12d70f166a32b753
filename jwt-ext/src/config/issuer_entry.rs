//! One issuer of a resource server ([`IssuerEntry`], a `[[jwt_issuers]]` table) and how the
//! list is read from the figment.

use jsonwebtoken::Algorithm;
use rocket::figment::value::Value as FigValue;

use super::readers::{parse_algorithm, read_one_or_many, read_string, read_string_list};
use super::values::OneOrMany;

/// One issuer whose tokens the app accepts (a `[[jwt_issuers]]` table).
///
/// A token's `iss` picks its entry, exactly, before anything else of the token is trusted;
/// the entry's keys alone can verify it, so issuers may reuse each other's `kid`s.
///
/// | field | meaning |
/// |---|---|
/// | `issuer` | the `iss` of its tokens, compared as an exact string |
/// | `jwks_url` | its JWK Set; absent: discovered at ignite from `<issuer>/.well-known/openid-configuration` |
/// | `audience` | a string or a list: its tokens' `aud` must name one (401 otherwise); absent: `jwt_decode_audience`, if set |
/// | `algorithms` | the algorithms its tokens may use (asymmetric only); absent: `jwt_decode_algorithms` when they are asymmetric, else `RS256` (which every OpenID provider supports) |
///
/// # Example
///
/// ```toml
/// [default]
/// jwt_decode_typ = "at+jwt"
///
/// [[default.jwt_issuers]]
/// issuer = "https://login.example.com/realms/staff"
/// audience = "orders-api"
///
/// [[default.jwt_issuers]]
/// issuer = "https://partner.example"
/// jwks_url = "https://partner.example/keys"
/// audience = ["orders-api", "partner-orders"]
/// algorithms = ["ES256"]
/// ```
///
/// In the environment:
/// `ROCKET_JWT_ISSUERS='[{issuer="https://a.example", audience="orders-api"}]'`. In code:
///
/// ```
/// use jsonwebtoken::Algorithm;
/// use jwt_ext::{Config, IssuerEntry};
///
/// let config = Config::default().issuers(vec![
///     IssuerEntry::new("https://login.example.com/realms/staff").audience("orders-api"),
///     IssuerEntry::new("https://partner.example")
///         .jwks_url("https://partner.example/keys")
///         .algorithms(vec![Algorithm::ES256]),
/// ]);
/// assert_eq!(config.issuers[1].jwks_url.as_deref(), Some("https://partner.example/keys"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct IssuerEntry {
    /// The `iss` of the issuer's tokens (its OpenID issuer URL for discovery).
    pub issuer: String,
    /// The issuer's JWK Set; `None`: found by discovery.
    pub jwks_url: Option<String>,
    /// The audiences its tokens must name; `None`: `jwt_decode_audience`.
    pub audience: Option<OneOrMany>,
    /// The algorithms its tokens may use; `None`: the decode algorithms when asymmetric,
    /// else RS256.
    pub algorithms: Option<Vec<Algorithm>>,
}

impl IssuerEntry {
    /// An issuer found by discovery, with the app's audience and algorithms.
    #[must_use]
    pub fn new(issuer: impl Into<String>) -> Self {
        Self {
            issuer: issuer.into(),
            jwks_url: None,
            audience: None,
            algorithms: None,
        }
    }

    /// Its JWK Set, instead of discovery.
    #[must_use]
    pub fn jwks_url(mut self, url: impl Into<String>) -> Self {
        self.jwks_url = Some(url.into());
        self
    }

    /// The audiences its tokens must name.
    #[must_use]
    pub fn audience(mut self, audience: impl Into<OneOrMany>) -> Self {
        self.audience = Some(audience.into());
        self
    }

    /// The algorithms its tokens may use.
    #[must_use]
    pub fn algorithms(mut self, algorithms: Vec<Algorithm>) -> Self {
        self.algorithms = Some(algorithms);
        self
    }
}

const FIELDS: &str = "`issuer`, `jwks_url`, `audience`, `algorithms`";

/// `[[jwt_issuers]]`: a list of tables, every field named by its entry in messages.
pub(super) fn read_issuers(value: &FigValue) -> Result<Vec<IssuerEntry>, String> {
    let FigValue::Array(_, entries) = value else {
        return Err(format!(
            "must be a list of tables with {FIELDS}, e.g. \
             `[{{issuer = \"https://login.example.com\", audience = \"orders-api\"}}]`"
        ));
    };
    entries
        .iter()
        .enumerate()
        .map(|(index, entry)| read_entry(entry).map_err(|error| format!("[{index}]{error}")))
        .collect()
}

fn read_entry(value: &FigValue) -> Result<IssuerEntry, String> {
    let FigValue::Dict(_, fields) = value else {
        return Err(format!(" must be a table with {FIELDS}"));
    };
    let field = |name: &str, error: String| format!(".{name} {error}");
    let mut entry = IssuerEntry::new(String::new());
    for (name, value) in fields {
        match name.as_str() {
            "issuer" => entry.issuer = read_string(value).map_err(|e| field(name, e))?,
            "jwks_url" => {
                entry.jwks_url = Some(read_string(value).map_err(|e| field(name, e))?);
            }
            "audience" => {
                entry.audience = Some(read_one_or_many(value).map_err(|e| field(name, e))?);
            }
            "algorithms" => {
                let names = read_string_list(value).map_err(|e| field(name, e))?;
                let algorithms = names
                    .iter()
                    .map(|algorithm| parse_algorithm(algorithm))
                    .collect::<Result<_, _>>()
                    .map_err(|e| field(name, e))?;
                entry.algorithms = Some(algorithms);
            }
            other => {
                return Err(format!(
                    ": unknown field `{other}`; an issuer takes {FIELDS}"
                ))
            }
        }
    }
    if fields.contains_key("issuer") {
        Ok(entry)
    } else {
        Err(".issuer is required (the `iss` of its tokens)".to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Vec<IssuerEntry>, String> {
        let value: FigValue = text.parse().expect("a figment value");
        read_issuers(&value)
    }

    #[test]
    fn the_env_form_reads_every_field() {
        let entries = read(
            r#"[{issuer="https://a.example", audience="orders-api"}, {issuer="https://b.example", jwks_url="https://b.example/keys", audience=["x", "y"], algorithms=["ES256", "RS256"]}]"#,
        )
        .unwrap();
        assert_eq!(
            entries,
            [
                IssuerEntry::new("https://a.example").audience("orders-api"),
                IssuerEntry::new("https://b.example")
                    .jwks_url("https://b.example/keys")
                    .audience(OneOrMany::Many(vec!["x".into(), "y".into()]))
                    .algorithms(vec![Algorithm::ES256, Algorithm::RS256]),
            ]
        );
    }

    #[test]
    fn mistakes_name_the_entry_and_field() {
        assert_eq!(
            read(r#"[{issuer="https://a.example"}, {jwks_url="https://b.example/keys"}]"#)
                .unwrap_err(),
            "[1].issuer is required (the `iss` of its tokens)"
        );
        assert!(read(r#"[{issuer="https://a.example", aud="x"}]"#)
            .unwrap_err()
            .starts_with("[0]: unknown field `aud`"));
        assert!(
            read(r#"[{issuer="https://a.example", algorithms=["RS999"]}]"#)
                .unwrap_err()
                .starts_with("[0].algorithms unknown algorithm `RS999`")
        );
        assert_eq!(
            read(r#"["https://a.example"]"#).unwrap_err(),
            "[0] must be a table with `issuer`, `jwks_url`, `audience`, `algorithms`"
        );
        assert!(read(r#""https://a.example""#)
            .unwrap_err()
            .starts_with("must be a list of tables"));
    }
}
