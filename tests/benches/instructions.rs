//! Instruction counts per request, for `bench/instructions.sh`: one case at a time, a fixed
//! number of iterations inside [`measured`], which the script tells callgrind to count.
//! Unlike wall-clock time, the count does not change with the load of the machine, so it
//! shows what a change costs or saves even on a noisy host.
//!
//! `instructions <case> <iterations>`; `instructions --list`: the cases, one
//! `name<TAB>description` a line.

use std::hint::black_box;
use std::process::ExitCode;

mod app;

use app::{manager, SECRET};
use jwt_ext::Config;
use rocket::http::Header;
use rocket::local::blocking::Client;

/// The cases: name, and what one iteration does.
const CASES: &[(&str, &str)] = &[
    ("create", "create an access token (HS256)"),
    ("decode", "decode + validate a token (HS256), no cache"),
    (
        "jsonwebtoken",
        "jsonwebtoken::decode alone (HS256, into a JSON value)",
    ),
    (
        "public",
        "GET an unprotected route (same Authorization header)",
    ),
    (
        "protected",
        "GET a #[jwt_required] route, token seen before",
    ),
    ("whoami", "GET a #[jwt_required] route with a Jwt parameter"),
    ("uncached", "GET a #[jwt_required] route, token cache off"),
];

/// The benchmark app with 1 000 revoked tokens in its blocklist.
fn client(config: Config) -> Client {
    app::client(config, 1_000)
}

/// The loop callgrind counts (`--toggle-collect`); never inlined, so that it has a symbol.
#[inline(never)]
fn measured(iterations: u64, mut once: impl FnMut()) {
    for _ in 0..iterations {
        once();
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // `cargo bench` runs every bench target with `--bench`: this one only runs under the script.
    if args.iter().any(|arg| arg == "--bench") {
        return ExitCode::SUCCESS;
    }
    if args.first().is_some_and(|arg| arg == "--list") {
        for (name, what) in CASES {
            println!("{name}\t{what}");
        }
        return ExitCode::SUCCESS;
    }
    let (Some(case), Some(Ok(iterations))) = (
        args.first().filter(|arg| !arg.starts_with('-')),
        args.get(1).map(|n| n.parse::<u64>()),
    ) else {
        eprintln!("usage: instructions <case> <iterations>; cases:");
        for (name, what) in CASES {
            eprintln!("  {name:10} {what}");
        }
        return ExitCode::FAILURE;
    };
    let jwt = manager();
    let token = jwt.create_access_token("alice").expect("a token");
    let bearer = format!("Bearer {token}");
    let get = |client: &Client, path: &'static str| {
        // Warm-up: the first request fills the token cache and Rocket's lazy state.
        let request = || {
            let response = client
                .get(path)
                .header(Header::new("Authorization", bearer.clone()))
                .dispatch();
            assert_eq!(response.status().code, 200, "{path} refused the token");
        };
        request();
        measured(iterations, request);
    };
    match case.as_str() {
        "create" => measured(iterations, || {
            black_box(jwt.create_access_token(black_box("alice")).ok());
        }),
        "decode" => measured(iterations, || {
            black_box(jwt.decode_token(black_box(&token)).ok());
        }),
        "jsonwebtoken" => {
            let key = jsonwebtoken::DecodingKey::from_secret(SECRET.as_bytes());
            let validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::HS256);
            measured(iterations, || {
                black_box(
                    jsonwebtoken::decode::<serde_json::Value>(black_box(&token), &key, &validation)
                        .ok(),
                );
            });
        }
        "public" => get(&client(Config::default().secret_key(SECRET)), "/public"),
        "protected" => get(&client(Config::default().secret_key(SECRET)), "/protected"),
        "whoami" => get(&client(Config::default().secret_key(SECRET)), "/whoami"),
        "uncached" => get(
            &client(Config::default().secret_key(SECRET).token_cache_size(0)),
            "/protected",
        ),
        other => {
            eprintln!("unknown case {other:?}; run without arguments for the list");
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}
