//! Checking the item the attribute is on: a free function, with a route attribute below this
//! one, and no second jwt-ext attribute.

use proc_macro2::Span;
use syn::spanned::Spanned;
use syn::{Attribute, Error, FnArg, Item, ItemFn};

use crate::args::Flavor;
use crate::errors::Errors;

/// Rocket's route attributes, by the last segment of their path (`get`, `rocket::get`, ...).
const ROUTE_ATTRIBUTES: &[&str] = &[
    "get", "put", "post", "delete", "head", "patch", "options", "route",
];

/// jwt-ext's own attributes, by the last segment of their path.
const JWT_ATTRIBUTES: &[&str] = &[
    "jwt_required",
    "fresh_jwt_required",
    "jwt_refresh_token_required",
    "jwt_optional",
];

/// Whether the function takes `self`.
pub(crate) fn has_receiver(function: &ItemFn) -> bool {
    matches!(function.sig.inputs.first(), Some(FnArg::Receiver(_)))
}

/// The function without its route attributes.
pub(crate) fn without_route_attributes(mut function: ItemFn) -> ItemFn {
    function
        .attrs
        .retain(|attribute| !is_route_attribute(attribute));
    function
}

fn is_route_attribute(attribute: &Attribute) -> bool {
    last_segment(attribute).is_some_and(|last| ROUTE_ATTRIBUTES.contains(&last.as_str()))
}

fn last_segment(attribute: &Attribute) -> Option<String> {
    attribute
        .path()
        .segments
        .last()
        .map(|segment| segment.ident.to_string())
}

/// What the item is, for messages, and where to point at it.
fn describe(item: &Item) -> (&'static str, Span) {
    match item {
        Item::Struct(item) => ("a struct", item.ident.span()),
        Item::Enum(item) => ("an enum", item.ident.span()),
        Item::Union(item) => ("a union", item.ident.span()),
        Item::Const(item) => ("a const", item.ident.span()),
        Item::Static(item) => ("a static", item.ident.span()),
        Item::Mod(item) => ("a module", item.ident.span()),
        Item::Trait(item) => ("a trait", item.ident.span()),
        Item::Type(item) => ("a type alias", item.ident.span()),
        Item::Impl(item) => ("an impl block", item.impl_token.span),
        Item::Use(item) => ("a use declaration", item.use_token.span),
        other => ("this item", other.span()),
    }
}

/// The handler function; every reason the attribute cannot apply to `item` goes to `errors`
/// (`None` when `item` is not a function at all).
pub(crate) fn check<'i>(flavor: Flavor, item: &'i Item, errors: &Errors) -> Option<&'i ItemFn> {
    let name = flavor.name();
    let Item::Fn(function) = item else {
        let (what, span) = describe(item);
        errors.push(Error::new(
            span,
            format!("`#[{name}]` applies to Rocket route handler functions, not to {what}"),
        ));
        return None;
    };
    let push = |error: Error| errors.push(error);

    if let Some(FnArg::Receiver(receiver)) = function.sig.inputs.first() {
        push(Error::new_spanned(
            receiver,
            format!(
                "`#[{name}]` cannot be used on a method: Rocket route handlers are free \
                 functions without `self`"
            ),
        ));
    }

    for attribute in &function.attrs {
        match last_segment(attribute).as_deref() {
            Some(other) if JWT_ATTRIBUTES.contains(&other) && other == name => {
                push(Error::new_spanned(
                    attribute,
                    format!("`#[{name}]` is applied twice; keep one and put every argument in it"),
                ));
            }
            Some(other) if JWT_ATTRIBUTES.contains(&other) => push(Error::new_spanned(
                attribute,
                "`#[jwt_required]` and `#[fresh_jwt_required]` cannot be combined; use \
                 `#[jwt_required(fresh)]` or `#[fresh_jwt_required]` alone",
            )),
            _ => {}
        }
    }

    if !function.attrs.iter().any(is_route_attribute) {
        push(Error::new(
            Span::call_site(),
            format!(
                "`#[{name}]` must be placed above a route attribute such as `#[get(...)]` or \
                 `#[post(...)]`: attributes expand from the top down, and the route attribute \
                 must see the guard this one adds"
            ),
        ));
    }

    Some(function)
}
