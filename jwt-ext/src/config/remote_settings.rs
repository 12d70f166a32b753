//! The rows of the remote issuers' settings (`jwt_jwks_url`, `jwt_oidc_issuer`,
//! `jwt_issuers`, `jwt_decode_typ` and the refresh intervals), appended to
//! [`settings!`](super::define::settings)'s rows in `settings.rs` by
//! [`with_remote_settings!`].

/// Appends the remote issuers' rows to the `settings! { ... }` invocation it wraps.
macro_rules! with_remote_settings {
    ($settings:ident! { $($rows:tt)* }) => {
        $settings! {
            $($rows)*
    /// The issuer's JWK Set (`jwt_jwks_url`; needs the `remote-jwks` cargo feature): a
    /// verify-only resource server takes its keys from there, fetched at ignite (the launch
    /// fails if it cannot be), refreshed every
    /// [`jwks_refresh_interval`](Self::jwks_refresh_interval) seconds and when a token names
    /// an unknown `kid`. `https://` only, but for loopback or the debug profile. Not with
    /// [`oidc_issuer`](Self::oidc_issuer) or [`issuers`](Self::issuers), whose entries name
    /// their own. _Default:_ none.
    jwks_url: Option<String> = None,
        key "jwt_jwks_url", read |value| read_string(value).map(Some),
        set(impl Into<String>) |v: _| Some(Into::into(v)),
        table "none", "verify-only: the issuer's JWK Set (feature `remote-jwks`)";
    /// Seconds between background refreshes of the remote JWKS
    /// (`jwt_jwks_refresh_interval`). _Default:_ [`DEFAULT_JWKS_REFRESH_INTERVAL`].
    jwks_refresh_interval: u64 = DEFAULT_JWKS_REFRESH_INTERVAL,
        key "jwt_jwks_refresh_interval", read read_seconds,
        set(u64) |v| v,
        table "`300`", "seconds between background refreshes of that JWKS";
    /// Least seconds between two fetches caused by unknown `kid`s
    /// (`jwt_jwks_min_refetch_interval`), so that a flood of made-up `kid`s cannot become a
    /// flood of fetches. _Default:_ [`DEFAULT_JWKS_MIN_REFETCH_INTERVAL`].
    jwks_min_refetch_interval: u64 = DEFAULT_JWKS_MIN_REFETCH_INTERVAL,
        key "jwt_jwks_min_refetch_interval", read read_seconds,
        set(u64) |v| v,
        table "`10`", "least seconds between refetches caused by unknown `kid`s";
    /// One OpenID provider by discovery (`jwt_oidc_issuer`; needs the `remote-jwks` cargo
    /// feature): at ignite its `jwks_uri` is read from
    /// `<issuer>/.well-known/openid-configuration`, whose `issuer` must be this string
    /// exactly (the launch fails otherwise), and tokens must carry it as `iss`, compared as
    /// exact strings. The shorthand of one [`issuers`](Self::issuers) entry, with
    /// [`decode_audience`](Self::decode_audience) and the decode algorithms. _Default:_ none.
    oidc_issuer: Option<String> = None,
        key "jwt_oidc_issuer", read |value| read_string(value).map(Some),
        set(impl Into<String>) |v: _| Some(Into::into(v)),
        table "none", "an OpenID provider's issuer URL: keys by discovery, exact `iss` (feature `remote-jwks`)";
    /// The issuers whose tokens this app accepts (`[[jwt_issuers]]`; needs the `remote-jwks`
    /// cargo feature), each with its own keys, audience and algorithms: see [`IssuerEntry`].
    /// A token's `iss` picks the entry before its signature is checked; a token of an
    /// unlisted issuer is refused (or, when this app has keys of its own, verified with
    /// those). _Default:_ empty.
    issuers: Vec<IssuerEntry> = Vec::new(),
        key "jwt_issuers", read read_issuers,
        set(Vec<IssuerEntry>) |v| v,
        table "none", "several issuers: tables with `issuer` and optional `jwks_url`, `audience`, `algorithms`";
    /// The `typ` header the remote issuers' tokens must carry (`jwt_decode_typ`), e.g.
    /// `"at+jwt"` for OAuth access tokens (RFC 9068), so that an ID token is not taken for an
    /// access token. Compared without regard to case, `application/` prefix allowed. Applies
    /// to the tokens of [`issuers`](Self::issuers), [`oidc_issuer`](Self::oidc_issuer) and
    /// [`jwks_url`](Self::jwks_url). _Default:_ none.
    decode_typ: Option<String> = None,
        key "jwt_decode_typ", read |value| read_string(value).map(Some),
        set(impl Into<String>) |v: _| Some(Into::into(v)),
        table "none", "`typ` the remote issuers' tokens must carry, e.g. `\"at+jwt\"`";
        }
    };
}

pub(super) use with_remote_settings;
