//! The expansion: the handler with one hidden guard parameter first, or the errors plus the
//! untouched item.

use proc_macro2::{Span, TokenStream};
use quote::{quote, ToTokens};
use syn::spanned::Spanned;
use syn::{FnArg, Ident, Item};

use crate::args::{self, Flavor};
use crate::errors::Errors;
use crate::{exports, handler};

/// Which crate's attribute this is: the hidden guard of `jwt_ext_okapi`'s attributes is
/// wrapped in its `Documented`, which declares it to `rocket_okapi`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Guard {
    /// `jwt_ext`'s attributes.
    Plain,
    /// `jwt_ext_okapi`'s.
    Documented,
}

/// Expands `#[jwt_required(args)]` or `#[fresh_jwt_required(args)]` on `item`.
pub(crate) fn expand(
    flavor: Flavor,
    guard_kind: Guard,
    args: TokenStream,
    item: TokenStream,
) -> TokenStream {
    let parsed_item = match syn::parse2::<Item>(item.clone()) {
        Ok(parsed) => parsed,
        // Not even an item: let the compiler report the syntax error itself.
        Err(_) => return item,
    };
    let errors = Errors::new();
    let args = args::parse(flavor, args, &errors);
    let function = handler::check(flavor, &parsed_item, &errors);

    let function = match (errors.check(), function) {
        (Ok(()), Some(function)) => function,
        (result, _) => {
            // The item goes out unchanged, so the user sees only these errors and no cascade
            // from Rocket's codegen, and `routes![...]` still resolves. A method is the
            // exception: Rocket's codegen cannot take `self` either, so its route attribute
            // is dropped to keep that second error away.
            let errors = result.err().map(|error| error.to_compile_error());
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
    let locations = locations(guard_kind, args.locations.as_deref());
    let (claims_type, claims_item) = match (&args.claims, &args.audience) {
        (None, None) => (exports::no_claims(guard_kind), TokenStream::new()),
        (claims, audience) => {
            claims_check(guard_kind, &function, claims.as_ref(), audience.as_deref())
        }
    };
    let required = exports::required(guard_kind);
    let required = quote! {
        #required<
            #refresh, #fresh, #optional, #verify_type, #skip_revocation_check, #locations,
            #claims_type
        >
    };
    let required = match guard_kind {
        Guard::Plain => required,
        Guard::Documented => {
            let documented = exports::documented();
            quote!(#documented<#required>)
        }
    };
    // `mixed_site` hygiene: the handler's body cannot name this parameter.
    let guard = Ident::new("__jwt_ext_guard", Span::mixed_site());
    let parameter: FnArg = syn::parse_quote! { #guard: #required };
    function.sig.inputs.insert(0, parameter);
    quote!(#claims_item #function)
}

/// The guard's `locations` const parameter: `0` without the argument, else the list packed by
/// `jwt_ext` itself (the one definition of the packing, which its guards unpack).
fn locations(guard_kind: Guard, locations: Option<&[String]>) -> TokenStream {
    let Some(locations) = locations else {
        return quote!(0);
    };
    let location = exports::location(guard_kind);
    // The argument's names were checked against `args::LOCATIONS`.
    let variants = locations.iter().filter_map(|name| {
        let variant = match name.as_str() {
            "headers" => "Headers",
            "cookies" => "Cookies",
            "query_string" => "QueryString",
            "json" => "Json",
            _ => return None,
        };
        let variant = Ident::new(variant, Span::call_site());
        Some(quote!(#location::#variant))
    });
    let pack = exports::pack_locations(guard_kind);
    quote!({ #pack(&[#(#variants),*]) })
}

/// A hidden unit struct whose `ClaimsCheck` checks the audience, then evaluates `expr`, named
/// after the handler and as visible as it (a private type in a `pub fn` signature would be an
/// error).
fn claims_check(
    guard_kind: Guard,
    function: &syn::ItemFn,
    expr: Option<&syn::Expr>,
    audience: Option<&[syn::LitStr]>,
) -> (TokenStream, TokenStream) {
    let name = Ident::new(
        &format!("__jwt_ext_claims_{}", function.sig.ident),
        function.sig.ident.span(),
    );
    let vis = &function.vis;
    let (claims_check, decoded_token, jwt_error) = (
        exports::claims_check(guard_kind),
        exports::decoded_token(guard_kind),
        exports::jwt_error(guard_kind),
    );
    // `mixed_site` hygiene: the expression cannot name the token parameter (located at the
    // expression, so that errors about the call point there).
    let span = expr.map_or_else(Span::call_site, Spanned::span);
    let token = Ident::new("token", Span::mixed_site().located_at(span));
    let claims_requirement = exports::claims_requirement(guard_kind);
    let audience = audience.map(|audiences| {
        let check_audience = exports::check_audience(guard_kind);
        quote! {
            #check_audience(&[#(#audiences),*], #token)?;
        }
    });
    // Spanned on the expression, so a type that is not a requirement is reported there.
    let check = match expr {
        Some(expr) => {
            let claims_requirement = respan(claims_requirement, expr.span());
            quote::quote_spanned! {expr.span()=>
                #claims_requirement::verdict(&(#expr), #token)
            }
        }
        None => quote!(::std::result::Result::Ok(())),
    };
    let item = quote! {
        #[doc(hidden)]
        #[allow(non_camel_case_types)]
        #vis struct #name;

        impl #claims_check for #name {
            fn check(#token: &#decoded_token) -> ::std::result::Result<(), #jwt_error> {
                #audience
                #check
            }
        }
    };
    (quote!(#name), item)
}

/// `tokens` with every span set to `span` (a path named in a call that errors point at).
fn respan(tokens: TokenStream, span: Span) -> TokenStream {
    tokens
        .into_iter()
        .map(|mut token| {
            token.set_span(span);
            token
        })
        .collect()
}
