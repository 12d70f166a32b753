//! CSRF double submit: the form-field fallback (`jwt_csrf_check_form`) and the comparison.
//!
//! The header is read by the cookie extraction itself. A form field is in the body, which
//! request guards cannot read, so the fairing peeks at the start of a urlencoded body before
//! routing (Rocket buffers what it peeks; the handler still reads the whole body) and keeps
//! the CSRF fields it finds there for the guards.

use rocket::http::RawStr;
use rocket::{Data, Request};
use subtle::ConstantTimeEq;

use crate::config::Config;

/// How much of a body the fairing looks at: all that Rocket lets a fairing peek.
const PEEK_BYTES: usize = 512;

/// The CSRF form fields of this request's body, found by the fairing.
#[derive(Default)]
pub(crate) struct FormCsrf(Vec<(String, String)>);

impl FormCsrf {
    /// The value of the form field `field`, if the fairing found one.
    pub(crate) fn of<'r>(request: &'r Request<'_>, field: &str) -> Option<&'r str> {
        request
            .local_cache(FormCsrf::default)
            .0
            .iter()
            .find(|(name, _)| name == field)
            .map(|(_, value)| value.as_str())
            .filter(|value| !value.is_empty())
    }

    /// Peeks at a urlencoded body of a CSRF method, when the form fallback is on and the CSRF
    /// header is absent, and keeps the CSRF fields found.
    pub(crate) async fn capture(request: &Request<'_>, data: &mut Data<'_>, config: &Config) {
        if !config.csrf_check_form
            || !config.cookie_csrf_protect
            || !config.csrf_methods.contains(&request.method())
            || !request.content_type().is_some_and(|ct| ct.is_form())
        {
            return;
        }
        let headers = [
            &config.access_csrf_header_name,
            &config.refresh_csrf_header_name,
        ];
        if headers.iter().all(|name| {
            request
                .headers()
                .get_one(name)
                .is_some_and(|v| !v.is_empty())
        }) {
            return;
        }
        let complete = {
            data.peek(PEEK_BYTES).await;
            data.peek_complete()
        };
        let peeked = data.peek(PEEK_BYTES).await;
        let fields = [
            config.access_csrf_field_name.as_str(),
            config.refresh_csrf_field_name.as_str(),
        ];
        let found = form_fields(peeked, complete, &fields);
        request.local_cache(|| FormCsrf(found));
    }
}

/// The `fields` of a urlencoded body's first bytes; when the body goes on beyond them, the
/// last (maybe cut) field is left out.
fn form_fields(peeked: &[u8], complete: bool, fields: &[&str]) -> Vec<(String, String)> {
    let text = String::from_utf8_lossy(peeked);
    let mut pairs: Vec<&str> = text.split('&').collect();
    if !complete {
        pairs.pop();
    }
    pairs
        .into_iter()
        .filter_map(|pair| {
            let (name, value) = pair.split_once('=')?;
            let name = RawStr::new(name).url_decode_lossy();
            fields.contains(&name.as_ref()).then(|| {
                (
                    name.into_owned(),
                    RawStr::new(value).url_decode_lossy().into_owned(),
                )
            })
        })
        .collect()
}

/// Whether the double-submit value equals the token's `csrf` claim, in constant time (Flask's
/// `compare_digest`).
pub(crate) fn matches(claim: &str, submitted: &str) -> bool {
    claim.as_bytes().ct_eq(submitted.as_bytes()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_decoded_and_a_cut_field_is_dropped() {
        let body = b"csrf_token=a%2Db&name=x+y&other=cut-her";
        assert_eq!(
            form_fields(body, true, &["csrf_token", "other"]),
            [
                ("csrf_token".to_owned(), "a-b".to_owned()),
                ("other".to_owned(), "cut-her".to_owned())
            ]
        );
        assert_eq!(
            form_fields(body, false, &["other"]),
            Vec::<(String, String)>::new()
        );
    }

    #[test]
    fn comparison() {
        assert!(matches("abc", "abc"));
        assert!(!matches("abc", "abd"));
        assert!(!matches("abc", "ab"));
    }
}
