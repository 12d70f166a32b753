//! Every item of `jwt_ext` the generated code names, in one place. All of them live under
//! `::jwt_ext::__private` (reached through `::jwt_ext_okapi::jwt_ext` by that crate's
//! attributes, whose users need not depend on `jwt_ext` themselves), so the runtime crate can
//! move its modules freely and a user's own items named like them never collide.

use proc_macro2::TokenStream;
use quote::quote;

use crate::expand::Guard;

/// The path of `jwt_ext::__private` for the attributes of `guard`'s crate.
fn private(guard: Guard) -> TokenStream {
    match guard {
        Guard::Plain => quote!(::jwt_ext::__private),
        Guard::Documented => quote!(::jwt_ext_okapi::jwt_ext::__private),
    }
}

macro_rules! exports {
    ($($(#[$doc:meta])* $name:ident => $item:ident;)*) => {$(
        $(#[$doc])*
        pub(crate) fn $name(guard: Guard) -> TokenStream {
            let private = private(guard);
            quote!(#private::$item)
        }
    )*};
}

exports! {
    /// The hidden guard the attribute adds as the handler's first parameter.
    required => Required;
    /// The claims check of a route without `claims = ...` or `audience = ...`.
    no_claims => NoClaims;
    /// The trait of the generated claims check.
    claims_check => ClaimsCheck;
    /// The trait a `claims = ...` expression must implement.
    claims_requirement => ClaimsRequirement;
    /// The check of `audience = ...`.
    check_audience => check_audience;
    /// The error a claims check refuses with.
    jwt_error => JwtError;
    /// The verified token the claims check receives.
    decoded_token => DecodedToken;
    /// A token location, for `locations = ...`.
    location => Location;
    /// Packs a list of locations into the guard's const parameter.
    pack_locations => pack_locations;
}

/// The wrapper of `jwt_ext_okapi`'s attributes' hidden guard (that crate's own item: only its
/// attributes name it).
pub(crate) fn documented() -> TokenStream {
    quote!(::jwt_ext_okapi::Documented)
}
