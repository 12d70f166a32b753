//! The workspace's own commands, run as `cargo xtask <command>`:
//!
//! - `cargo xtask test [ARGS]`: sets up what the tests need (below), then runs
//!   `cargo test --workspace ARGS`; with a `-p`/`--package` among `ARGS`, `cargo test ARGS`
//!   (`cargo xtask test -p jwt-ext-tests --test example_browser` runs one test file).
//! - `cargo xtask setup`: the set-up alone.
//!
//! The set-up finds the programs of `tests/needs.txt` (and Python's `venv` module) that are
//! missing. Running as root on Debian or Ubuntu, it installs their packages with `apt-get`
//! (after `apt-get update`); anywhere else it stops at once and prints the command that
//! installs them. The tests make the rest themselves: the Flask-JWT-Extended virtualenv, the
//! TLS certificate authority, the Redis servers.

use std::path::Path;
use std::process::{Command, ExitCode};
use std::time::Instant;

#[path = "../../tests/needs.rs"]
mod needs;

use needs::{needs, Need};

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let command = args.next();
    let rest: Vec<String> = args.collect();
    match command.as_deref() {
        Some("test") => {
            let start = Instant::now();
            if let Err(code) = set_up() {
                return code;
            }
            let code = run_tests(&rest);
            eprintln!("cargo xtask test: {} s in all", start.elapsed().as_secs());
            code
        }
        Some("setup") => set_up().map_or_else(|code| code, |()| ExitCode::SUCCESS),
        _ => {
            eprintln!(
                "usage: cargo xtask test [cargo test arguments]   set up what the tests need, \
                 then run them\n       cargo xtask setup                          the set-up alone"
            );
            ExitCode::from(2)
        }
    }
}

/// Whether `need`'s program can be run: the binary `CHROMIUM` / `CHROMEDRIVER` names for the
/// browser, else the program on the `PATH`.
fn present(need: &Need) -> bool {
    let variable = match need.program {
        "chromium" => Some("CHROMIUM"),
        "chromedriver" => Some("CHROMEDRIVER"),
        _ => None,
    };
    if let Some(path) = variable.and_then(std::env::var_os) {
        return Path::new(&path).exists();
    }
    on_path(need.program)
}

/// Whether `program` is on the `PATH`.
fn on_path(program: &str) -> bool {
    Command::new("sh")
        .args(["-c", "command -v \"$1\" >/dev/null", "sh", program])
        .status()
        .is_ok_and(|status| status.success())
}

/// Whether `python3 -m venv` can make a virtualenv with pip (Debian splits it into
/// `python3-venv`).
fn python_venv_works() -> bool {
    Command::new("python3")
        .args(["-c", "import ensurepip, venv"])
        .output()
        .is_ok_and(|output| output.status.success())
}

/// What is missing, as `(package, why)`.
fn missing() -> Vec<(&'static str, &'static str)> {
    let mut missing: Vec<_> = needs()
        .into_iter()
        .filter(|need| !present(need))
        .map(|need| (need.package, need.why))
        .collect();
    if !missing.iter().any(|(package, _)| *package == "python3") && !python_venv_works() {
        missing.push((
            "python3-venv",
            "the Flask-JWT-Extended tests make their virtualenv with it",
        ));
    }
    missing
}

fn set_up() -> Result<(), ExitCode> {
    let missing = missing();
    if missing.is_empty() {
        return Ok(());
    }
    let packages: Vec<&str> = missing.iter().map(|(package, _)| *package).collect();
    if can_use_apt() {
        eprintln!("cargo xtask: installing {}", packages.join(" "));
        let update = apt(&["update", "-q"]);
        let install = update
            && apt(&[
                &["install", "-y", "-q", "--no-install-recommends"],
                &packages[..],
            ]
            .concat());
        if install && self::missing().is_empty() {
            return Ok(());
        }
        eprintln!("cargo xtask: apt-get could not install everything the tests need");
    }
    eprintln!("cargo xtask: the tests need what this machine lacks:");
    for (package, why) in &missing {
        eprintln!("  {package}: {why}");
    }
    let sudo = if is_root() { "" } else { "sudo " };
    eprintln!(
        "install these, then run `cargo xtask test` again (Debian/Ubuntu package names):\n  \
         {sudo}apt-get install -y {}",
        packages.join(" ")
    );
    Err(ExitCode::FAILURE)
}

/// Running as root on Debian or Ubuntu, with `apt-get` at hand.
fn can_use_apt() -> bool {
    is_root() && Path::new("/etc/debian_version").exists() && on_path("apt-get")
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|output| output.stdout.trim_ascii() == b"0")
}

/// `apt-get ARGS`, non-interactive; whether it succeeded.
fn apt(args: &[&str]) -> bool {
    Command::new("apt-get")
        .args(args)
        .env("DEBIAN_FRONTEND", "noninteractive")
        .status()
        .is_ok_and(|status| status.success())
}

/// `cargo test`, over the whole workspace unless the arguments pick packages.
fn run_tests(args: &[String]) -> ExitCode {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let picks = args.iter().any(|arg| {
        matches!(
            arg.as_str(),
            "-p" | "--package" | "--workspace" | "--all" | "--manifest-path"
        ) || arg.starts_with("--package=")
            || arg.starts_with("-p")
    });
    let mut command = Command::new(cargo);
    command.arg("test");
    if !picks {
        command.arg("--workspace");
    }
    match command.args(args).status() {
        Ok(status) if status.success() => ExitCode::SUCCESS,
        Ok(status) => ExitCode::from(u8::try_from(status.code().unwrap_or(1)).unwrap_or(1)),
        Err(error) => {
            eprintln!("cargo xtask: cannot run cargo test: {error}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::needs;
    use super::needs::install_hint;

    #[test]
    fn every_line_of_the_list_names_a_program_a_package_and_why() {
        let needs = needs();
        assert!(needs.iter().any(|need| need.program == "redis-server"));
        for need in &needs {
            assert!(
                !need.program.is_empty() && !need.package.is_empty(),
                "{need:?}"
            );
            assert!(need.why.len() > 10, "{need:?}");
        }
        assert!(install_hint("redis-cli").contains("`apt-get install redis-tools`"));
    }
}
