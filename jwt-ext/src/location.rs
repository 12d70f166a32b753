//! Where a request's token is looked for: Flask-JWT-Extended's `JWT_TOKEN_LOCATION`.
//!
//! A [`Locations`] is an ordered list drawn from `headers`, `cookies`, `query_string` and
//! `json`: the search order. It comes from `jwt_token_location`, from a route's
//! `#[jwt_required(locations = "cookies, headers")]`, or from a guard's second type parameter
//! (`Jwt<kind::Access, (location::Cookies, location::Headers)>`), the most specific winning.
//!
//! The search follows Flask exactly: only a *missing* token falls through to the next
//! location; any other problem (a malformed header, a missing CSRF value, an invalid token)
//! stops the search. With no token anywhere, a single location answers with its own message
//! and several with the aggregated one, e.g.
//! `Missing JWT in cookies or headers (Missing cookie "access_token_cookie"; Missing Authorization Header)`.
//!
//! The `json` location is the request body, which Rocket's request guards cannot read: only
//! the [`JwtJson`](crate::JwtJson) data guard finds a token there. A request guard reaching
//! `json` in its search reports it as missing.

use std::fmt;
use std::str::FromStr;

/// One place a token can come from; [`Jwt::location`](crate::Jwt::location) tells which one
/// a request's token came from (Flask's `get_jwt_request_location()`).
///
/// # Example
///
/// ```
/// use jwt_ext::location::Location;
///
/// let location: Location = "query_string".parse().unwrap();
/// assert_eq!(location, Location::QueryString);
/// assert_eq!(location.as_str(), "query_string");
/// assert!("body".parse::<Location>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Location {
    /// The `Authorization` header (`jwt_header_name`, `jwt_header_type`).
    Headers,
    /// The access or refresh cookie, with CSRF double submit.
    Cookies,
    /// A query parameter (`jwt_query_string_name`).
    QueryString,
    /// A key of the JSON body (`jwt_json_key`), read by [`JwtJson`](crate::JwtJson).
    Json,
}

impl Location {
    /// Every location, in Flask's order of documentation.
    pub const ALL: [Location; 4] = [
        Location::Headers,
        Location::Cookies,
        Location::QueryString,
        Location::Json,
    ];

    /// Flask's name for the location: `headers`, `cookies`, `query_string` or `json`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Headers => "headers",
            Self::Cookies => "cookies",
            Self::QueryString => "query_string",
            Self::Json => "json",
        }
    }

    const fn code(self) -> u16 {
        match self {
            Self::Headers => 1,
            Self::Cookies => 2,
            Self::QueryString => 3,
            Self::Json => 4,
        }
    }

    const fn from_code(code: u16) -> Option<Self> {
        match code {
            1 => Some(Self::Headers),
            2 => Some(Self::Cookies),
            3 => Some(Self::QueryString),
            4 => Some(Self::Json),
            _ => None,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error of parsing a location name or list.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ParseLocationError(String);

impl FromStr for Location {
    type Err = ParseLocationError;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|location| location.as_str() == name)
            .ok_or_else(|| {
                ParseLocationError(format!(
                    "`{name}` is not a token location; expected `headers`, `cookies`, \
                     `query_string` or `json`"
                ))
            })
    }
}

/// Bits per location in the packed list.
const BITS: u16 = 3;

/// An ordered, non-empty list of distinct [`Location`]s: the search order.
///
/// Packed in a `u16`, so it is `Copy` and fits a const generic (the attribute macro uses
/// that). The default is `headers` only, Flask's default.
///
/// # Example
///
/// ```
/// use jwt_ext::location::{Location, Locations};
///
/// let locations: Locations = "cookies, headers".parse().unwrap();
/// assert_eq!(locations.iter().collect::<Vec<_>>(), [Location::Cookies, Location::Headers]);
/// assert_eq!(locations.to_string(), "cookies, headers");
/// assert!(locations.contains(Location::Cookies));
/// assert!("cookies, cookies".parse::<Locations>().is_err());
/// assert!("".parse::<Locations>().is_err());
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Locations(u16);

impl Locations {
    /// `headers` only: Flask's default.
    pub const HEADERS: Locations = Locations(1);

    /// The list `locations`, in order.
    ///
    /// # Errors
    ///
    /// When the list is empty or names a location twice.
    pub fn new(locations: &[Location]) -> Result<Self, ParseLocationError> {
        if locations.is_empty() {
            return Err(ParseLocationError(
                "at least one token location is needed".into(),
            ));
        }
        for (index, location) in locations.iter().enumerate() {
            if locations[..index].contains(location) {
                return Err(ParseLocationError(format!(
                    "token location `{location}` is listed twice"
                )));
            }
        }
        Ok(Self(Self::pack(locations)))
    }

    /// The list packed into one number: three bits per location in search order, 0 for
    /// none. The attribute macro packs its `locations` argument with this (through
    /// `__private::pack_locations`) and [`from_code`](Self::from_code) unpacks it.
    pub(crate) const fn pack(locations: &[Location]) -> u16 {
        let mut code = 0;
        let mut index = 0;
        while index < locations.len() && index < 4 {
            #[allow(clippy::cast_possible_truncation)] // index < 4
            let shift = BITS * index as u16;
            code |= locations[index].code() << shift;
            index += 1;
        }
        code
    }

    /// The list packed by the attribute macro; `None` for 0 (no `locations` argument) or a
    /// code no list packs to.
    #[doc(hidden)]
    #[must_use]
    pub const fn from_code(code: u16) -> Option<Self> {
        if code == 0 || code >> (BITS * 4) != 0 {
            return None;
        }
        let mut rest = code;
        let mut seen = 0u16;
        while rest != 0 {
            let slot = rest & 0b111;
            // An empty slot before the last one is a gap; a location may appear once.
            if Location::from_code(slot).is_none() || seen & (1 << slot) != 0 {
                return None;
            }
            seen |= 1 << slot;
            rest >>= BITS;
        }
        Some(Self(code))
    }

    /// The locations, in search order.
    pub fn iter(self) -> impl Iterator<Item = Location> {
        let mut rest = self.0;
        std::iter::from_fn(move || {
            let location = Location::from_code(rest & 0b111)?;
            rest >>= BITS;
            Some(location)
        })
    }

    /// Whether `location` is in the list.
    #[must_use]
    pub fn contains(self, location: Location) -> bool {
        self.iter().any(|listed| listed == location)
    }

    /// How many locations the list has (1 to 4).
    #[must_use]
    pub fn len(self) -> usize {
        self.iter().count()
    }

    /// Always `false`: a list has at least one location.
    #[must_use]
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
}

impl Default for Locations {
    fn default() -> Self {
        Self::HEADERS
    }
}

impl fmt::Debug for Locations {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl fmt::Display for Locations {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, location) in self.iter().enumerate() {
            if index > 0 {
                f.write_str(", ")?;
            }
            f.write_str(location.as_str())?;
        }
        Ok(())
    }
}

impl FromStr for Locations {
    type Err = ParseLocationError;

    /// A comma-separated list, e.g. `"cookies, headers"`.
    fn from_str(list: &str) -> Result<Self, Self::Err> {
        let locations = list
            .split(',')
            .map(str::trim)
            .filter(|name| !name.is_empty())
            .map(str::parse)
            .collect::<Result<Vec<Location>, _>>()?;
        Self::new(&locations)
    }
}

impl From<Location> for Locations {
    fn from(location: Location) -> Self {
        Self(location.code())
    }
}

/// The locations a guard searches, as a type: the second parameter of [`Jwt`](crate::Jwt),
/// [`OptionalJwt`](crate::OptionalJwt) and [`JwtJson`](crate::JwtJson).
///
/// [`Configured`] (the default) defers to the route's attribute, then to
/// `jwt_token_location`; a marker ([`Headers`], [`Cookies`], [`QueryString`], [`Json`]) or a
/// tuple of markers (`(Cookies, Headers)`, in search order) overrides both for that guard.
///
/// # Example
///
/// ```
/// use jwt_ext::location::{self, Location};
/// use jwt_ext::{kind, Jwt};
/// use rocket::get;
///
/// /// Browsers send the cookie; scripts may send the header.
/// #[get("/me")]
/// fn me(jwt: Jwt<kind::Access, (location::Cookies, location::Headers)>) -> String {
///     format!("{} (token from {})", jwt.identity(), jwt.location())
/// }
/// ```
pub trait LocationSet: Send + Sync + 'static {
    /// The locations this set names, `None` for [`Configured`].
    fn locations() -> Option<Locations>;
}

/// One location as a type, for [`LocationSet`] tuples.
pub trait SingleLocation: Send + Sync + 'static {
    /// The location.
    const LOCATION: Location;
}

/// The route's `locations`, else `jwt_token_location`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Configured;

impl LocationSet for Configured {
    fn locations() -> Option<Locations> {
        None
    }
}

macro_rules! single_locations {
    ($($(#[$doc:meta])* $name:ident => $location:expr;)*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub struct $name;

        impl SingleLocation for $name {
            const LOCATION: Location = $location;
        }

        impl LocationSet for $name {
            fn locations() -> Option<Locations> {
                Some($location.into())
            }
        }
    )*};
}

single_locations! {
    /// The `headers` location only.
    Headers => Location::Headers;
    /// The `cookies` location only.
    Cookies => Location::Cookies;
    /// The `query_string` location only.
    QueryString => Location::QueryString;
    /// The `json` location only (with [`JwtJson`](crate::JwtJson)).
    Json => Location::Json;
}

macro_rules! tuple_locations {
    ($($name:ident),+) => {
        impl<$($name: SingleLocation),+> LocationSet for ($($name,)+) {
            fn locations() -> Option<Locations> {
                // A marker repeated in the tuple is searched once, at its first place.
                let mut list = Vec::new();
                for location in [$($name::LOCATION),+] {
                    if !list.contains(&location) {
                        list.push(location);
                    }
                }
                Locations::new(&list).ok()
            }
        }
    };
}

tuple_locations!(A);
tuple_locations!(A, B);
tuple_locations!(A, B, C);
tuple_locations!(A, B, C, D);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for list in [
            "headers",
            "json",
            "cookies, headers",
            "json, query_string, cookies, headers",
        ] {
            let locations: Locations = list.parse().unwrap();
            assert_eq!(Locations::from_code(locations.0), Some(locations));
            assert_eq!(locations.to_string(), list);
        }
    }

    #[test]
    fn bad_codes_are_refused() {
        // 0 (unset), an unknown slot, a repeat, a gap, too many bits.
        for code in [0, 5, 7, 1 | (1 << 3), 1 | (2 << 6), 1 << 12] {
            assert_eq!(Locations::from_code(code), None, "{code}");
        }
    }

    #[test]
    fn tuples_keep_their_order() {
        assert_eq!(
            <(Cookies, Headers)>::locations().unwrap().to_string(),
            "cookies, headers"
        );
        assert_eq!(
            <(Json, Json, Headers)>::locations().unwrap().to_string(),
            "json, headers"
        );
    }
}
