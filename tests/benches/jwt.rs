//! `cargo bench -p jwt-ext-tests`: token creation and verification, the revocation check
//! (in memory, and on Redis on loopback: one node over TCP and TLS, a Cluster, a Sentinel set),
//! and whole requests through `rocket::local` with and without a guard. Figures are recorded in
//! BENCHMARKS.md.

mod app;

use app::{manager, SECRET};
use criterion::{criterion_group, criterion_main, Criterion};
use jwt_ext::{Blocklist, Config, JwtManager, MemoryBlocklist, RedisBlocklist};
use jwt_ext_tests::redis_variants::{RedisCluster, SentinelSet, TestCa, TlsRedisServer};
use jwt_ext_tests::RedisServer;
use rocket::http::Header;
use std::hint::black_box;

fn tokens(c: &mut Criterion) {
    let jwt = manager();
    let token = jwt.create_access_token("alice").unwrap();
    let mut group = c.benchmark_group("tokens");
    group.bench_function("create access token (HS256)", |b| {
        b.iter(|| jwt.create_access_token(black_box("alice")).unwrap());
    });
    group.bench_function("decode + validate (HS256)", |b| {
        b.iter(|| jwt.decode_token(black_box(&token)).unwrap());
    });
    // The baseline a first-seen token is held to: jsonwebtoken's own decode into a JSON value,
    // with its default validation (signature, `exp`).
    let key = jsonwebtoken::DecodingKey::from_secret(SECRET.as_bytes());
    let validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::HS256);
    group.bench_function("jsonwebtoken::decode alone (HS256)", |b| {
        b.iter(|| {
            jsonwebtoken::decode::<serde_json::Value>(black_box(&token), &key, &validation).unwrap()
        });
    });
    group.finish();
}

/// Verification per algorithm, with the test suite's keys (RSA 2048, P-256, P-384, Ed25519).
fn algorithms(c: &mut Criterion) {
    use jwt_ext::Algorithm;
    let keys = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("keys");
    let pem = |name: &str| std::fs::read_to_string(keys.join(name)).unwrap();
    let mut group = c.benchmark_group("decode + validate per algorithm");
    let cases = [
        (Algorithm::HS256, None),
        (Algorithm::HS512, None),
        (
            Algorithm::RS256,
            Some(("rsa-private.pem", "rsa-public.pem")),
        ),
        (
            Algorithm::PS256,
            Some(("rsa-private.pem", "rsa-public.pem")),
        ),
        (
            Algorithm::ES256,
            Some(("ec256-private.pem", "ec256-public.pem")),
        ),
        (
            Algorithm::ES384,
            Some(("ec384-private.pem", "ec384-public.pem")),
        ),
        (
            Algorithm::EdDSA,
            Some(("ed25519-private.pem", "ed25519-public.pem")),
        ),
    ];
    for (algorithm, pems) in cases {
        let config = match pems {
            None => Config::default()
                .algorithm(algorithm)
                .secret_key("a-64-byte-secret-for-hs512-0123456789abcdefghijklmnopqrstuvwxyz!"),
            Some((private, public)) => Config::default()
                .algorithm(algorithm)
                .private_key(pem(private))
                .public_key(pem(public)),
        };
        let jwt = JwtManager::new(config).unwrap();
        let token = jwt.create_access_token("alice").unwrap();
        group.bench_function(format!("{algorithm:?}"), |b| {
            b.iter(|| jwt.decode_token(black_box(&token)).unwrap());
        });
    }
    group.finish();
}

fn revocation(c: &mut Criterion) {
    let jwt = manager();
    let token = jwt
        .decode_token(&jwt.create_access_token("alice").unwrap())
        .unwrap();
    let runtime = rocket::tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let mut group = c.benchmark_group("revocation check");

    let memory = MemoryBlocklist::new(1_000_000);
    runtime.block_on(async {
        for _ in 0..10_000 {
            let other = jwt.create_access_token("someone").unwrap();
            memory
                .revoke(&jwt.decode_token(&other).unwrap())
                .await
                .unwrap();
        }
    });
    group.bench_function("memory (10k revoked)", |b| {
        b.to_async(&runtime)
            .iter(|| async { memory.is_revoked(black_box(&token)).await.unwrap() });
    });

    // Redis on loopback, when redis-server is installed.
    if std::process::Command::new("redis-server")
        .arg("--version")
        .output()
        .is_ok()
    {
        let server = RedisServer::start();
        // Answered from the near-cache (the default): warmed by criterion's warm-up.
        let near = runtime
            .block_on(RedisBlocklist::connect(&server.url(), "bench:"))
            .unwrap();
        group.bench_function("redis (loopback), near-cache", |b| {
            b.to_async(&runtime)
                .iter(|| async { near.is_revoked(black_box(&token)).await.unwrap() });
        });
        // Every check a round trip.
        let redis = runtime
            .block_on(RedisBlocklist::from_config(
                &Config::default()
                    .redis_url(server.url())
                    .redis_key_prefix("bench:")
                    .redis_near_cache_size(0),
            ))
            .unwrap();
        group.bench_function("redis (loopback)", |b| {
            b.to_async(&runtime)
                .iter(|| async { redis.is_revoked(black_box(&token)).await.unwrap() });
        });

        // The other deployments, as `Config` names them, each check a round trip.
        let ca = TestCa::new("bench CA");
        let tls = TlsRedisServer::start(&ca);
        let cluster = RedisCluster::start();
        let sentinel = SentinelSet::start();
        let deployments = [
            (
                "redis over TLS (loopback)",
                Config::default()
                    .redis_url(tls.url("localhost"))
                    .redis_tls_ca_file(ca.ca_file()),
            ),
            (
                "redis cluster (loopback, 3 masters)",
                Config::default().redis_cluster_urls(cluster.seeds()),
            ),
            (
                "redis sentinel (loopback)",
                Config::default()
                    .redis_sentinel_urls(sentinel.urls())
                    .redis_sentinel_master(SentinelSet::MASTER_NAME),
            ),
        ];
        for (name, config) in deployments {
            let store = runtime
                .block_on(RedisBlocklist::from_config(
                    &config.redis_key_prefix("bench:").redis_near_cache_size(0),
                ))
                .unwrap();
            group.bench_function(name, |b| {
                b.to_async(&runtime)
                    .iter(|| async { store.is_revoked(black_box(&token)).await.unwrap() });
            });
        }
    }
    group.finish();
}

fn requests(c: &mut Criterion) {
    let client = app::client(Config::default().secret_key(SECRET), 0);
    let uncached = app::client(Config::default().secret_key(SECRET).token_cache_size(0), 0);
    let token = manager().create_access_token("alice").unwrap();
    let bearer = format!("Bearer {token}");
    let mut group = c.benchmark_group("request through rocket::local");
    group.bench_function("unprotected route", |b| {
        b.iter(|| {
            client
                .get("/public")
                .header(Header::new("Authorization", bearer.clone()))
                .dispatch()
        });
    });
    group.bench_function("#[jwt_required] route", |b| {
        b.iter(|| {
            client
                .get("/protected")
                .header(Header::new("Authorization", bearer.clone()))
                .dispatch()
        });
    });
    group.bench_function(
        "#[jwt_required] route reading the token (Jwt parameter)",
        |b| {
            b.iter(|| {
                client
                    .get("/whoami")
                    .header(Header::new("Authorization", bearer.clone()))
                    .dispatch()
            });
        },
    );
    group.bench_function("#[jwt_required] route, token cache off", |b| {
        b.iter(|| {
            uncached
                .get("/protected")
                .header(Header::new("Authorization", bearer.clone()))
                .dispatch()
        });
    });
    group.bench_function("#[jwt_required(skip_revocation_check)] route", |b| {
        b.iter(|| {
            client
                .get("/protected-no-revocation")
                .header(Header::new("Authorization", bearer.clone()))
                .dispatch()
        });
    });
    group.finish();
}

/// Two tasks on a two-worker runtime sending the same request at once, as a server's worker
/// threads do under load: what each request costs when another core touches the same shared
/// state at the same time. Time per request per task.
fn concurrent_requests(c: &mut Criterion) {
    use rocket::local::asynchronous::Client;
    use std::sync::Arc;
    use std::time::Instant;

    let runtime = rocket::tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    let rocket = app::rocket(Config::default().secret_key(SECRET), 0);
    let client = Arc::new(
        runtime
            .block_on(Client::tracked(rocket))
            .expect("the benchmark app ignites"),
    );
    let bearer = format!("Bearer {}", manager().create_access_token("alice").unwrap());
    let mut group = c.benchmark_group("two requests at once (2 worker threads)");
    for (name, path) in [
        ("unprotected route", "/public"),
        ("#[jwt_required] route", "/protected"),
    ] {
        group.bench_function(name, |b| {
            b.iter_custom(|iterations| {
                runtime.block_on(async {
                    let start = Instant::now();
                    let tasks: Vec<_> = (0..2)
                        .map(|_| {
                            let client = Arc::clone(&client);
                            let bearer = bearer.clone();
                            rocket::tokio::spawn(async move {
                                for _ in 0..iterations {
                                    client
                                        .get(path)
                                        .header(Header::new("Authorization", bearer.clone()))
                                        .dispatch()
                                        .await;
                                }
                            })
                        })
                        .collect();
                    for task in tasks {
                        task.await.expect("the task runs to the end");
                    }
                    start.elapsed()
                })
            });
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(50)
        .warm_up_time(std::time::Duration::from_millis(500))
        .measurement_time(std::time::Duration::from_secs(3));
    targets = tokens, algorithms, revocation, requests, concurrent_requests
}
criterion_main!(benches);
