//! Parsing the attribute's arguments into [`Args`], with one error per mistake.

use proc_macro2::Span;
use syn::meta::ParseNestedMeta;
use syn::{Error, Lit, LitBool};

use crate::errors::Errors;

/// Which attribute is being expanded.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flavor {
    /// `#[jwt_required(...)]`.
    JwtRequired,
    /// `#[fresh_jwt_required(...)]`: `fresh` implied, `refresh` impossible.
    FreshJwtRequired,
    /// `#[jwt_refresh_token_required(...)]`: `refresh` implied, `fresh` and `verify_type`
    /// impossible.
    JwtRefreshTokenRequired,
    /// `#[jwt_optional(...)]`: `optional` implied.
    JwtOptional,
}

impl Flavor {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::JwtRequired => "jwt_required",
            Self::FreshJwtRequired => "fresh_jwt_required",
            Self::JwtRefreshTokenRequired => "jwt_refresh_token_required",
            Self::JwtOptional => "jwt_optional",
        }
    }

    fn arguments(self) -> &'static [&'static str] {
        match self {
            Self::JwtRequired => &[
                "refresh",
                "fresh",
                "optional",
                "verify_type",
                "skip_revocation_check",
                "locations",
                "claims",
                "audience",
            ],
            Self::FreshJwtRequired => &[
                "optional",
                "verify_type",
                "skip_revocation_check",
                "locations",
                "claims",
                "audience",
            ],
            Self::JwtRefreshTokenRequired => {
                &["optional", "skip_revocation_check", "locations", "claims"]
            }
            Self::JwtOptional => &[
                "refresh",
                "fresh",
                "verify_type",
                "skip_revocation_check",
                "locations",
                "claims",
                "audience",
            ],
        }
    }
}

/// The token locations Flask-JWT-Extended knows.
pub(crate) const LOCATIONS: &[&str] = &["headers", "cookies", "query_string", "json"];

/// The parsed arguments, Flask's keyword arguments of `jwt_required`.
pub(crate) struct Args {
    pub refresh: bool,
    pub fresh: bool,
    pub optional: bool,
    pub verify_type: bool,
    pub skip_revocation_check: bool,
    /// The token locations, in search order (`json` excluded: it is refused).
    pub locations: Option<Vec<String>>,
    /// `claims = <expr>`: a claims requirement evaluated on every request.
    pub claims: Option<syn::Expr>,
    /// `audience = "orders-api"` or `audience = ["a", "b"]`: the token's `aud` must name one.
    pub audience: Option<Vec<syn::LitStr>>,
}

/// Collects the arguments, and the errors found along the way.
struct Parser<'e> {
    flavor: Flavor,
    args: Args,
    seen: Vec<String>,
    errors: &'e Errors,
    refresh_span: Option<Span>,
    fresh_span: Option<Span>,
}

impl Parser<'_> {
    fn error(&self, error: Error) {
        self.errors.push(error);
    }

    /// One `name`, `name = value` or `name(...)` argument.
    fn argument(&mut self, meta: &ParseNestedMeta<'_>) -> syn::Result<()> {
        let Some(ident) = meta.path.get_ident() else {
            self.error(Error::new_spanned(
                &meta.path,
                format!("expected an argument name; {}", self.expected()),
            ));
            return skip_value(meta);
        };
        let name = ident.to_string();
        let span = ident.span();

        if !self.flavor.arguments().contains(&name.as_str()) {
            let message = self.unknown(&name);
            self.error(Error::new(span, message));
            return skip_value(meta);
        }
        if self.seen.contains(&name) {
            self.error(Error::new(span, format!("duplicate argument `{name}`")));
            return skip_value(meta);
        }
        self.seen.push(name.clone());

        if name == "locations" {
            return self.locations(meta);
        }
        if name == "claims" {
            return self.claims(meta);
        }
        if name == "audience" {
            return self.audience(meta);
        }
        let Some(value) = self.flag(meta, &name)? else {
            return Ok(());
        };
        match name.as_str() {
            "refresh" => {
                self.args.refresh = value;
                self.refresh_span = Some(span);
            }
            "fresh" => {
                self.args.fresh = value;
                self.fresh_span = Some(span);
            }
            "optional" => self.args.optional = value,
            "verify_type" => self.args.verify_type = value,
            _ => self.args.skip_revocation_check = value,
        }
        Ok(())
    }

    /// `name` alone means `true`; `name = true|false` is explicit; anything else is an error.
    fn flag(&mut self, meta: &ParseNestedMeta<'_>, name: &str) -> syn::Result<Option<bool>> {
        if meta.input.peek(syn::token::Paren) {
            let content;
            syn::parenthesized!(content in meta.input);
            let tokens: proc_macro2::TokenStream = content.parse()?;
            self.error(Error::new_spanned(
                tokens,
                format!("`{name}` takes no arguments; write `{name}` or `{name} = false`"),
            ));
            return Ok(None);
        }
        if !meta.input.peek(syn::Token![=]) {
            return Ok(Some(true));
        }
        let value: syn::Expr = meta.value()?.parse()?;
        match &value {
            syn::Expr::Lit(syn::ExprLit {
                lit: Lit::Bool(LitBool { value, .. }),
                ..
            }) => Ok(Some(*value)),
            // Flask users type Python: `refresh=True`.
            syn::Expr::Path(path) if path.path.is_ident("True") || path.path.is_ident("False") => {
                let hint = if path.path.is_ident("True") {
                    format!("write `{name}` (or `{name} = true`)")
                } else {
                    format!("write `{name} = false`, or leave `{name}` out")
                };
                self.error(Error::new_spanned(
                    &value,
                    format!("Rust spells booleans in lower case: {hint}"),
                ));
                Ok(None)
            }
            _ => {
                self.error(Error::new_spanned(
                    &value,
                    format!("expected `true` or `false` for `{name}`"),
                ));
                Ok(None)
            }
        }
    }

    /// `locations = "headers, cookies"`: known names, no repeats, at least one.
    fn locations(&mut self, meta: &ParseNestedMeta<'_>) -> syn::Result<()> {
        if !meta.input.peek(syn::Token![=]) {
            self.error(
                meta.error("`locations` needs a value, e.g. `locations = \"headers, cookies\"`"),
            );
            return skip_value(meta);
        }
        let value: syn::Expr = meta.value()?.parse()?;
        // `"headers, cookies"`, or the list Flask users write: `["headers", "cookies"]`.
        let names: Vec<(String, Span)> = match &value {
            syn::Expr::Lit(syn::ExprLit {
                lit: Lit::Str(text),
                ..
            }) => text
                .value()
                .split(',')
                .map(|name| (name.trim().to_owned(), text.span()))
                .collect(),
            syn::Expr::Array(array) => {
                let mut names = Vec::new();
                for element in &array.elems {
                    match element {
                        syn::Expr::Lit(syn::ExprLit {
                            lit: Lit::Str(text),
                            ..
                        }) => names.push((text.value().trim().to_owned(), text.span())),
                        other => self.error(Error::new_spanned(
                            other,
                            "a token location is a string: `\"headers\"`, `\"cookies\"` or \
                             `\"query_string\"`",
                        )),
                    }
                }
                names
            }
            other => {
                self.error(Error::new_spanned(
                    other,
                    "`locations` expects a string or a list of strings, e.g. \
                     `locations = \"headers, cookies\"` or `locations = [\"headers\", \"cookies\"]`",
                ));
                return Ok(());
            }
        };
        let mut locations = Vec::new();
        for (location, span) in &names {
            let location = location.as_str();
            if location.is_empty() {
                continue;
            }
            if !LOCATIONS.contains(&location) {
                let message = unknown_name("token location", location, LOCATIONS);
                self.error(Error::new(*span, message));
            } else if location == "json" {
                self.error(Error::new(
                    *span,
                    "`#[jwt_required]` runs before the body is read, so it cannot take the token \
                     from the `json` location; remove the attribute and take the token with the \
                     `JwtJson<T>` data guard: `#[post(\"/\", data = \"<body>\")] fn f(body: \
                     JwtJson<T>)`",
                ));
            } else if locations.iter().any(|seen| seen == location) {
                self.error(Error::new(
                    *span,
                    format!("token location `{location}` is listed twice"),
                ));
            } else {
                locations.push(location.to_owned());
            }
        }
        if names.iter().all(|(name, _)| name.is_empty()) {
            self.error(empty_locations(&value));
        }
        self.args.locations = Some(locations);
        Ok(())
    }

    /// `claims = has_role("admin")`: any expression; literals are a likely mistake.
    fn claims(&mut self, meta: &ParseNestedMeta<'_>) -> syn::Result<()> {
        if !meta.input.peek(syn::Token![=]) {
            self.error(
                meta.error("`claims` needs a requirement, e.g. `claims = has_role(\"admin\")`"),
            );
            return skip_value(meta);
        }
        let expr: syn::Expr = meta.value()?.parse()?;
        if let syn::Expr::Lit(literal) = &expr {
            let hint = match &literal.lit {
                Lit::Str(text) => {
                    format!("; for a role write `claims = has_role({:?})`", text.value())
                }
                _ => String::new(),
            };
            self.error(Error::new_spanned(
                &expr,
                format!("`claims` expects a claims requirement, not a literal{hint}"),
            ));
            return Ok(());
        }
        self.args.claims = Some(expr);
        Ok(())
    }

    /// `audience = "orders-api"` or `audience = ["orders-api", "billing-api"]`: non-empty
    /// string literals, no repeats, at least one.
    fn audience(&mut self, meta: &ParseNestedMeta<'_>) -> syn::Result<()> {
        const EXAMPLE: &str = "e.g. `audience = \"orders-api\"` or \
                               `audience = [\"orders-api\", \"billing-api\"]`";
        if !meta.input.peek(syn::Token![=]) {
            self.error(meta.error(format!("`audience` needs a value, {EXAMPLE}")));
            return skip_value(meta);
        }
        let value: syn::Expr = meta.value()?.parse()?;
        let elements: Vec<&syn::Expr> = match &value {
            syn::Expr::Array(array) => array.elems.iter().collect(),
            other => vec![other],
        };
        let mut audiences: Vec<syn::LitStr> = Vec::new();
        for element in elements {
            match element {
                syn::Expr::Lit(syn::ExprLit {
                    lit: Lit::Str(text),
                    ..
                }) if text.value().is_empty() => self.error(Error::new_spanned(
                    text,
                    "an audience cannot be empty: name the service, e.g. `\"orders-api\"`",
                )),
                syn::Expr::Lit(syn::ExprLit {
                    lit: Lit::Str(text),
                    ..
                }) if audiences.iter().any(|seen| seen.value() == text.value()) => {
                    self.error(Error::new_spanned(
                        text,
                        format!("audience {:?} is listed twice", text.value()),
                    ));
                }
                syn::Expr::Lit(syn::ExprLit {
                    lit: Lit::Str(text),
                    ..
                }) => audiences.push(text.clone()),
                other => self.error(Error::new_spanned(
                    other,
                    format!("`audience` expects string literals, {EXAMPLE}"),
                )),
            }
        }
        if audiences.is_empty()
            && matches!(&value, syn::Expr::Array(array) if array.elems.is_empty())
        {
            self.error(Error::new_spanned(
                &value,
                format!("`audience` needs at least one audience, {EXAMPLE}"),
            ));
        }
        self.args.audience = Some(audiences);
        Ok(())
    }

    fn expected(&self) -> String {
        format!("expected one of {}", list(self.flavor.arguments()))
    }

    fn unknown(&self, name: &str) -> String {
        if self.flavor == Flavor::FreshJwtRequired && name == "refresh" {
            return "`#[fresh_jwt_required]` requires a fresh access token, so it cannot take \
                    `refresh`; use `#[jwt_required(refresh)]` for a refresh route"
                .into();
        }
        if self.flavor == Flavor::FreshJwtRequired && name == "fresh" {
            return "`#[fresh_jwt_required]` is already fresh; remove `fresh`".into();
        }
        if self.flavor == Flavor::JwtRefreshTokenRequired {
            match name {
                "audience" => {
                    return "`#[jwt_refresh_token_required]` takes this app's own refresh \
                            tokens, which name no other service; check the audience of access \
                            tokens with `#[jwt_required(audience = ...)]`"
                        .into();
                }
                "refresh" => {
                    return "`#[jwt_refresh_token_required]` already requires a refresh token; \
                            remove `refresh`"
                        .into();
                }
                "fresh" => {
                    return "`#[jwt_refresh_token_required]` requires a refresh token, and \
                            refresh tokens are never fresh; a route that needs a fresh access \
                            token is `#[fresh_jwt_required]`"
                        .into();
                }
                "verify_type" => {
                    return "`#[jwt_refresh_token_required]` accepts refresh tokens only; a \
                            route that takes either kind is `#[jwt_required(verify_type = false)]`"
                        .into();
                }
                _ => {}
            }
        }
        if self.flavor == Flavor::JwtOptional && name == "optional" {
            return "`#[jwt_optional]` is already optional; remove `optional`".into();
        }
        unknown_name("argument", name, self.flavor.arguments())
    }
}

/// "`a`, `b` or `c`".
fn list(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|name| format!("`{name}`")).collect();
    match quoted.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// "unknown argument `refersh`; did you mean `refresh`? (expected one of ...)", or without
/// the suggestion when nothing is close.
fn unknown_name(what: &str, name: &str, valid: &[&str]) -> String {
    match closest(name, valid) {
        Some(near) => format!(
            "unknown {what} `{name}`; did you mean `{near}`? (expected one of {})",
            list(valid)
        ),
        None => format!("unknown {what} `{name}`; expected one of {}", list(valid)),
    }
}

fn empty_locations(value: &syn::Expr) -> Error {
    Error::new_spanned(
        value,
        "`locations` must name at least one location: `headers`, `cookies`, `query_string` or \
         `json`",
    )
}

/// Consumes whatever value follows a bad argument, so parsing can go on to the next one.
fn skip_value(meta: &ParseNestedMeta<'_>) -> syn::Result<()> {
    if meta.input.peek(syn::Token![=]) {
        let _: syn::Expr = meta.value()?.parse()?;
    } else if meta.input.peek(syn::token::Paren) {
        let content;
        syn::parenthesized!(content in meta.input);
        let _: proc_macro2::TokenStream = content.parse()?;
    }
    Ok(())
}

/// The candidate closest to a misspelt name, if it is close enough to be a typo.
fn closest<'a>(name: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|candidate| (strsim::damerau_levenshtein(name, candidate), *candidate))
        .filter(|(distance, candidate)| *distance <= 2.max(candidate.len() / 3))
        .min()
        .map(|(_, candidate)| candidate)
}

/// Parses the attribute's arguments; every mistake goes to `errors`.
pub(crate) fn parse(flavor: Flavor, tokens: proc_macro2::TokenStream, errors: &Errors) -> Args {
    let mut parser = Parser {
        flavor,
        args: Args {
            refresh: flavor == Flavor::JwtRefreshTokenRequired,
            fresh: flavor == Flavor::FreshJwtRequired,
            optional: flavor == Flavor::JwtOptional,
            verify_type: true,
            skip_revocation_check: false,
            locations: None,
            claims: None,
            audience: None,
        },
        seen: Vec::new(),
        errors,
        refresh_span: None,
        fresh_span: None,
    };
    let meta_parser = syn::meta::parser(|meta| parser.argument(&meta));
    if let Err(error) = syn::parse::Parser::parse2(meta_parser, tokens) {
        errors.push(error);
    }
    if let (true, true, Some(refresh), Some(fresh)) = (
        parser.args.refresh,
        parser.args.fresh,
        parser.refresh_span,
        parser.fresh_span,
    ) {
        // Reported on whichever of the two came second.
        let refresh_first = parser.seen.iter().position(|name| name == "refresh")
            < parser.seen.iter().position(|name| name == "fresh");
        parser.error(Error::new(
            if refresh_first { fresh } else { refresh },
            "`refresh` and `fresh` cannot be combined: refresh tokens are never fresh",
        ));
    }
    parser.args
}
