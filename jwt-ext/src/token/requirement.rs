//! What a route requires of its token: Flask's `jwt_required` arguments, as one value that
//! the attributes, the guards and `verify_jwt_in_request` share.

use crate::location::Locations;

/// What a route requires of its token: Flask's `jwt_required` arguments.
// One flag per Flask keyword argument, mirrored one to one.
#[allow(clippy::struct_excessive_bools)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Requirement {
    /// Require `type: "refresh"` (else any type but `"refresh"`).
    pub refresh: bool,
    /// Require a fresh token.
    pub fresh: bool,
    /// Check the `type` claim at all.
    pub verify_type: bool,
    /// Do not ask the revocation store (Flask's `skip_revocation_check`).
    pub skip_revocation_check: bool,
    /// Where to look (Flask's `locations`); `None` for `jwt_token_location`.
    pub locations: Option<Locations>,
}

impl Requirement {
    /// `@jwt_required()`: an access token, from `jwt_token_location`.
    pub const ACCESS: Self = Self {
        refresh: false,
        fresh: false,
        verify_type: true,
        skip_revocation_check: false,
        locations: None,
    };
}
