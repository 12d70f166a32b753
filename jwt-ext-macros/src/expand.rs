//! The expansion: the handler with one hidden guard parameter first, or the errors plus the
//! untouched item.

use proc_macro2::{Span, TokenStream};
use quote::{quote, ToTokens};
use syn::spanned::Spanned;
use syn::{FnArg, Ident, Item};

use crate::args::{self, Flavor};
use crate::handler;

/// Expands `#[jwt_required(args)]` or `#[fresh_jwt_required(args)]` on `item`.
pub fn expand(flavor: Flavor, args: TokenStream, item: TokenStream) -> TokenStream {
    let parsed_item = match syn::parse2::<Item>(item.clone()) {
        Ok(parsed) => parsed,
        // Not even an item: let the compiler report the syntax error itself.
        Err(_) => return item,
    };
    let parsed_args = args::parse(flavor, args);
    let function = handler::check(flavor, &parsed_item);

    let (args, function) = match (parsed_args, function) {
        (Ok(args), Ok(function)) => (args, function),
        (args, function) => {
            let mut errors = args.err();
            if let Err(error) = function {
                match &mut errors {
                    Some(errors) => errors.combine(error),
                    None => errors = Some(error),
                }
            }
            // The item goes out unchanged, so the user sees only these errors and no cascade
            // from Rocket's codegen, and `routes![...]` still resolves. A method is the
            // exception: Rocket's codegen cannot take `self` either, so its route attribute
            // is dropped to keep that second error away.
            let errors = errors.map(|error| error.to_compile_error());
            let item = match parsed_item {
                Item::Fn(function) if handler::has_receiver(&function) => {
                    handler::without_route_attributes(function).into_token_stream()
                }
                _ => item,
            };
            return quote!(#errors #item);
        }
    };

    let mut function = function.clone();
    let (refresh, fresh, optional, verify_type, skip_revocation_check) = (
        args.refresh,
        args.fresh,
        args.optional,
        args.verify_type,
        args.skip_revocation_check,
    );
    let locations = locations_code(args.locations.as_deref());
    let (claims_type, claims_item) = match &args.claims {
        Some(expr) => claims_check(&function, expr),
        None => (quote!(::jwt_ext::__private::NoClaims), TokenStream::new()),
    };
    // `mixed_site` hygiene: the handler's body cannot name this parameter.
    let guard = Ident::new("__jwt_ext_guard", Span::mixed_site());
    let parameter: FnArg = syn::parse_quote! {
        #guard: ::jwt_ext::__private::Required<
            #refresh, #fresh, #optional, #verify_type, #skip_revocation_check, #locations,
            #claims_type
        >
    };
    function.sig.inputs.insert(0, parameter);
    quote!(#claims_item #function)
}

/// The locations packed as `jwt_ext::location::Locations::from_code` unpacks them: three bits
/// per location in search order (headers 1, cookies 2, `query_string` 3, json 4); 0 for none.
fn locations_code(locations: Option<&[String]>) -> u16 {
    let mut code = 0u16;
    for (index, name) in locations.unwrap_or_default().iter().enumerate().take(4) {
        let location = args::LOCATIONS
            .iter()
            .position(|known| known == name)
            .map_or(0, |position| position + 1);
        let (Ok(location), Ok(shift)) = (u16::try_from(location), u16::try_from(index * 3)) else {
            continue;
        };
        code |= location << shift;
    }
    code
}

/// A hidden unit struct whose `ClaimsCheck` evaluates `expr`, named after the handler and as
/// visible as it (a private type in a `pub fn` signature would be an error).
fn claims_check(function: &syn::ItemFn, expr: &syn::Expr) -> (TokenStream, TokenStream) {
    let name = Ident::new(
        &format!("__jwt_ext_claims_{}", function.sig.ident),
        function.sig.ident.span(),
    );
    let vis = &function.vis;
    // Spanned on the expression, so a type that is not a requirement is reported there.
    let check = quote::quote_spanned! {expr.span()=>
        ::jwt_ext::__private::ClaimsRequirement::check(&(#expr), token)
    };
    let item = quote! {
        #[doc(hidden)]
        #[allow(non_camel_case_types)]
        #vis struct #name;

        impl ::jwt_ext::__private::ClaimsCheck for #name {
            fn check(token: &::jwt_ext::DecodedToken) -> ::std::result::Result<(), ::std::string::String> {
                #check
            }
        }
    };
    (quote!(#name), item)
}
