//! Marker types naming what a [`Jwt`](crate::Jwt) guard requires.

use crate::token::requirement::Requirement;

/// What a guard requires of a token; implemented by the markers of this module only.
pub trait Kind: Send + Sync + 'static + private::Sealed {
    /// The requirement, given the route attribute's (`None` without an attribute).
    #[doc(hidden)]
    fn requirement(route: Option<Requirement>) -> Requirement;

    /// The requirement named by the kind itself; `None` for [`Route`], which takes the
    /// route's.
    #[doc(hidden)]
    fn declared() -> Option<Requirement>;
}

mod private {
    pub trait Sealed {}
}

macro_rules! kinds {
    ($($(#[$doc:meta])* $name:ident: refresh = $refresh:expr, fresh = $fresh:expr, verify_type = $verify:expr;)*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub struct $name;
        impl private::Sealed for $name {}
        impl $name {
            const REQUIREMENT: Requirement = Requirement {
                refresh: $refresh,
                fresh: $fresh,
                verify_type: $verify,
                ..Requirement::ACCESS
            };
        }
        impl Kind for $name {
            fn requirement(_: Option<Requirement>) -> Requirement {
                Self::REQUIREMENT
            }

            fn declared() -> Option<Requirement> {
                Some(Self::REQUIREMENT)
            }
        }
    )*};
}

kinds! {
    /// Any non-refresh token: `@jwt_required()`.
    Access: refresh = false, fresh = false, verify_type = true;
    /// A refresh token: `@jwt_required(refresh=True)`.
    Refresh: refresh = true, fresh = false, verify_type = true;
    /// A fresh access token: `@jwt_required(fresh=True)`.
    Fresh: refresh = false, fresh = true, verify_type = true;
    /// Any token, access or refresh: `@jwt_required(verify_type=False)`.
    Any: refresh = false, fresh = false, verify_type = false;
}

/// Whatever the route's `#[jwt_required(...)]` attribute requires, or an access token
/// ([`Access`]) on a route without the attribute. The default kind of [`Jwt`](crate::Jwt)
/// and [`OptionalJwt`](crate::OptionalJwt), so that `jwt: Jwt` reads the token on a
/// refresh or fresh route alike, like Flask's `get_jwt()`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Route;
impl private::Sealed for Route {}
impl Kind for Route {
    fn requirement(route: Option<Requirement>) -> Requirement {
        route.unwrap_or(Access::REQUIREMENT)
    }

    fn declared() -> Option<Requirement> {
        None
    }
}
