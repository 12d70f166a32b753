//! Reading one figment value as each kind of setting, with a message a user can act on.

use jsonwebtoken::Algorithm;
use rocket::figment::value::Value as FigValue;
use rocket::http::{Method, SameSite};
use rocket::time::Duration;

use super::values::{Lifetime, OneOrMany};
use crate::location::{Location, Locations};

pub(super) fn describe(value: &FigValue) -> &'static str {
    match value {
        FigValue::String(..) => "a string",
        FigValue::Char(..) => "a character",
        FigValue::Bool(..) => "a boolean",
        FigValue::Num(..) => "a number",
        FigValue::Empty(..) => "empty",
        FigValue::Dict(..) => "a table",
        FigValue::Array(..) => "an array",
    }
}

pub(super) fn read_string(value: &FigValue) -> Result<String, String> {
    match value {
        FigValue::String(_, s) => Ok(s.clone()),
        FigValue::Char(_, c) => Ok(c.to_string()),
        other => Err(format!("must be a string, not {}", describe(other))),
    }
}

pub(super) fn read_secret(value: &FigValue) -> Result<String, String> {
    match value {
        FigValue::Num(..) | FigValue::Bool(..) => Err(
            "must be a string; quote it (`ROCKET_JWT_SECRET_KEY='\"...\"'`) so it is not read as \
             a number or boolean"
                .into(),
        ),
        other => read_string(other),
    }
}

pub(super) fn read_bool(value: &FigValue) -> Result<bool, String> {
    match value {
        FigValue::Bool(_, b) => Ok(*b),
        other => Err(format!(
            "must be `true` or `false`, not {}",
            describe(other)
        )),
    }
}

/// A whole number of seconds.
pub(super) fn read_seconds(value: &FigValue) -> Result<u64, String> {
    read_whole_number(value)
}

/// A count of bytes or entries.
pub(super) fn read_count(value: &FigValue) -> Result<usize, String> {
    usize::try_from(read_whole_number(value)?).map_err(|_| "is too large".to_owned())
}

/// A whole number, not negative.
fn read_whole_number(value: &FigValue) -> Result<u64, String> {
    match value {
        FigValue::Num(_, num) => match (num.to_u128_lossy(), num.to_i128()) {
            (Some(n), _) => u64::try_from(n).map_err(|_| "is too large".to_owned()),
            (None, Some(_)) => Err("must not be negative".into()),
            (None, None) => Err("must be a whole number".into()),
        },
        other => Err(format!("must be a whole number, not {}", describe(other))),
    }
}

pub(super) fn read_lifetime(value: &FigValue) -> Result<Lifetime, String> {
    match value {
        FigValue::Bool(_, false) => Ok(Lifetime::Never),
        FigValue::Bool(_, true) => Err(
            "must be a number of seconds, or `false` for tokens that never expire; `true` means \
             nothing"
                .into(),
        ),
        FigValue::Num(..) => {
            let seconds = read_seconds(value)?;
            let seconds = i64::try_from(seconds).map_err(|_| "is too large".to_owned())?;
            Ok(Lifetime::Expires(Duration::seconds(seconds)))
        }
        other => Err(format!(
            "must be a number of seconds, or `false` for tokens that never expire; not {}",
            describe(other)
        )),
    }
}

pub(super) fn read_string_list(value: &FigValue) -> Result<Vec<String>, String> {
    match value {
        FigValue::Array(_, items) => items.iter().map(read_string).collect(),
        other => Ok(vec![read_string(other).map_err(|_| {
            format!(
                "must be a string or a list of strings, not {}",
                describe(other)
            )
        })?]),
    }
}

pub(super) fn read_one_or_many(value: &FigValue) -> Result<OneOrMany, String> {
    match value {
        FigValue::Array(..) => read_string_list(value).map(OneOrMany::Many),
        other => read_string(other).map(OneOrMany::One).map_err(|_| {
            format!(
                "must be a string or a list of strings, not {}",
                describe(other)
            )
        }),
    }
}

pub(super) fn read_algorithm(value: &FigValue) -> Result<Algorithm, String> {
    parse_algorithm(&read_string(value)?)
}

pub(super) fn parse_algorithm(name: &str) -> Result<Algorithm, String> {
    name.parse().map_err(|_| {
        format!(
            "unknown algorithm `{name}`; expected one of HS256, HS384, HS512, RS256, RS384, \
             RS512, PS256, PS384, PS512, ES256, ES384, EdDSA"
        )
    })
}

pub(super) fn read_locations(value: &FigValue) -> Result<Locations, String> {
    let names = read_string_list(value)?;
    let locations = names
        .iter()
        .map(|name| name.trim().parse::<Location>())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|error| error.to_string())?;
    Locations::new(&locations).map_err(|error| error.to_string())
}

pub(super) fn read_optional_string(value: &FigValue) -> Result<Option<String>, String> {
    match value {
        FigValue::Bool(_, false) => Ok(None),
        other => read_string(other).map(Some).map_err(|_| {
            format!(
                "must be a string, or `false` for none; not {}",
                describe(other)
            )
        }),
    }
}

pub(super) fn read_same_site(value: &FigValue) -> Result<Option<SameSite>, String> {
    if let FigValue::Bool(_, false) = value {
        return Ok(None);
    }
    let text = read_string(value)?;
    match text.to_ascii_lowercase().as_str() {
        "lax" => Ok(Some(SameSite::Lax)),
        "strict" => Ok(Some(SameSite::Strict)),
        "none" => Ok(Some(SameSite::None)),
        _ => Err(format!(
            "must be `Lax`, `Strict` or `None` (or `false` for the default, `Lax`); got `{text}`"
        )),
    }
}

pub(super) fn read_methods(value: &FigValue) -> Result<Vec<Method>, String> {
    read_string_list(value)?
        .iter()
        .map(|name| {
            name.to_ascii_uppercase()
                .parse::<Method>()
                .map_err(|()| format!("`{name}` is not an HTTP method"))
        })
        .collect()
}
