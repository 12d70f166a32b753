//! Stand-ins for secrets in `Debug` output.

use std::fmt;

/// Stands in for a secret in `Debug` output.
pub(crate) struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// A URL with its password (and a user name standing alone, which Redis takes as the
/// password) replaced by `<redacted>`.
pub(crate) struct RedactedUrl<'a>(pub(crate) &'a str);

impl fmt::Display for RedactedUrl<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let url = self.0;
        let Some((scheme, rest)) = url.split_once("://") else {
            return f.write_str(url);
        };
        let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        match rest[..authority_end].rfind('@') {
            Some(at) => {
                let user = rest[..at].split_once(':').map(|(user, _)| user);
                match user {
                    Some(user) => write!(f, "{scheme}://{user}:<redacted>{}", &rest[at..]),
                    None => write!(f, "{scheme}://<redacted>{}", &rest[at..]),
                }
            }
            None => f.write_str(url),
        }
    }
}

impl fmt::Debug for RedactedUrl<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\"{self}\"")
    }
}
