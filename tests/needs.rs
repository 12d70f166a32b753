//! The programs the tests run beyond cargo, as `needs.txt` lists them: read by `cargo xtask`,
//! which installs what is missing, and by the tests, which say what to install when a program
//! is missing. (Included by both with `#[path]`.)
#![allow(dead_code)]

/// A program the tests run, and the Debian/Ubuntu package that installs it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Need {
    pub(crate) program: &'static str,
    pub(crate) package: &'static str,
    pub(crate) why: &'static str,
}

/// The list: `program  package  why` a line, `#` comments.
const NEEDS: &str = include_str!("needs.txt");

/// The first whitespace-separated field of `text`, and what follows it.
fn field(text: &str) -> (&str, &str) {
    let text = text.trim_start();
    text.split_at(text.find(char::is_whitespace).unwrap_or(text.len()))
}

/// Every program of the list.
pub(crate) fn needs() -> Vec<Need> {
    NEEDS
        .lines()
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
        .map(|line| {
            let (program, rest) = field(line);
            let (package, why) = field(rest);
            Need {
                program,
                package,
                why: why.trim(),
            }
        })
        .collect()
}

/// One line for a test that cannot run `program`: what to install, and the command that does
/// it for you.
pub(crate) fn install_hint(program: &str) -> String {
    let package = needs()
        .into_iter()
        .find(|need| need.program == program)
        .map_or(program, |need| need.package);
    format!(
        "`{program}` is not installed: `apt-get install {package}`, or run `cargo xtask test`, \
         which installs what the tests need and runs them"
    )
}
