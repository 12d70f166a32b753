//! The one definition of every setting: [`settings!`] takes one row per key and generates the
//! [`Config`](super::Config) struct with its field docs, the rustdoc table of keys, `Default`
//! (Flask's defaults), the builder setters, the list of known keys, the figment reader of each
//! key, and the table the README's configuration section is checked against.
//!
//! A row:
//!
//! ```text
//! /// field doc
//! name: Type = default,
//!     key "jwt_name", read <fn(&FigValue) -> Result<Type, String>>,
//!     set(SetterArgument) <fn(SetterArgument) -> Type>,      // left out: no setter
//!     table "default as users write it", "what it does";
//! ```

/// Generates everything a setting needs from its row; see the module documentation.
macro_rules! settings {
    (
        $(#[doc = $struct_doc:literal])*
        ---
        $(
            $(#[doc = $doc:literal])*
            $field:ident: $ty:ty = $default:expr,
                key $key:literal, read $read:expr,
                $(set($set_ty:ty) $set:expr,)?
                table $table_default:literal, $meaning:literal;
        )*
    ) => {
        $(#[doc = $struct_doc])*
        ///
        /// | key (`Rocket.toml`; `ROCKET_` + upper case in the environment) | field | default |
        /// |---|---|---|
        #[doc = concat!($(
            "| `", $key, "` | [`", stringify!($field), "`](Self::", stringify!($field), ") | ",
            $table_default, " |\n",
        )*)]
        // One field per Flask option; several of Flask's options are flags.
        #[allow(clippy::struct_excessive_bools)]
        #[derive(Clone, PartialEq)]
        #[non_exhaustive]
        pub struct Config {
            $(
                $(#[doc = $doc])*
                pub $field: $ty,
            )*
        }

        impl Default for Config {
            fn default() -> Self {
                Self {
                    $($field: $default,)*
                }
            }
        }

        impl Config {
            $($(
                #[doc = concat!("Sets [`", stringify!($field), "`](Self::", stringify!($field), ").")]
                #[must_use]
                pub fn $field(mut self, value: $set_ty) -> Self {
                    self.$field = ($set)(value);
                    self
                }
            )?)*

            /// Reads `key` into its field; `None` when `key` is no setting.
            pub(super) fn read_setting(
                &mut self,
                key: &str,
                value: &FigValue,
            ) -> Option<Result<(), String>> {
                match key {
                    $($key => {
                        let read: fn(&FigValue) -> Result<$ty, String> = $read;
                        Some(read(value).map(|read| self.$field = read))
                    })*
                    _ => None,
                }
            }
        }

        /// Every key this version reads. Flask options it does not implement are refused
        /// rather than silently ignored.
        pub(super) const KEYS: &[&str] = &[$($key),*];

        /// Each key, its default as users write it, and what it does: the README's table.
        #[cfg(test)]
        pub(super) const TABLE: &[(&str, &str, &str)] = &[$(($key, $table_default, $meaning)),*];
    };
}

pub(super) use settings;

#[cfg(test)]
mod tests {
    use std::fmt::Write;

    use super::super::settings::TABLE;

    const BEGIN: &str = "<!-- settings: generated from jwt-ext/src/config/settings.rs -->\n";
    const END: &str = "<!-- settings end -->";

    /// The README's table, as the rows give it.
    fn table() -> String {
        let mut out = String::from("| key | default | meaning |\n|---|---|---|\n");
        for (key, default, meaning) in TABLE {
            let _ = writeln!(out, "| `{key}` | {default} | {meaning} |");
        }
        out
    }

    /// The README lists every setting as the rows define it. Regenerate with
    /// `JWT_EXT_UPDATE_README=1 cargo test -p jwt-ext readme`.
    #[test]
    fn the_readme_lists_every_setting_as_defined() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md");
        let readme = std::fs::read_to_string(path).expect("the workspace README");
        let start = readme.find(BEGIN).expect("the README's settings marker") + BEGIN.len();
        let end = start + readme[start..].find(END).expect("the README's end marker");
        let expected = table();
        if std::env::var_os("JWT_EXT_UPDATE_README").is_some() {
            let updated = format!("{}{expected}{}", &readme[..start], &readme[end..]);
            std::fs::write(path, updated).expect("README written");
            return;
        }
        assert_eq!(
            readme[start..end],
            expected,
            "the README's settings table is out of date: JWT_EXT_UPDATE_README=1 cargo test -p jwt-ext readme"
        );
    }
}
