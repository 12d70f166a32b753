//! The browser example in a real browser: headless Chromium, driven through chromedriver
//! (WebDriver), against the app served on 127.0.0.1. Log in, call the protected route with
//! the CSRF header the page copies from its cookie, see the same call fail without the
//! header, refresh, log out and see 401.
//!
//! Needs Debian's `chromium` and `chromium-driver` (`/usr/bin/chromium`,
//! `/usr/bin/chromedriver`); `CHROMIUM` and `CHROMEDRIVER` name other binaries.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use jwt_ext_tests::{free_port, wait_for_port, wait_for_port_async};
use serde_json::{json, Value};

/// A binary named by `variable`, else the Debian path, else refuse with what to install.
fn binary(variable: &str, default: &str) -> PathBuf {
    let path = std::env::var_os(variable).map_or_else(|| PathBuf::from(default), PathBuf::from);
    let program = Path::new(default).file_name().unwrap().to_str().unwrap();
    assert!(
        path.exists(),
        "{} (or set {variable} to another binary)",
        jwt_ext_tests::install_hint(program)
    );
    path
}

/// A chromedriver process, killed when dropped.
struct ChromeDriver {
    process: Child,
    port: u16,
}

impl ChromeDriver {
    fn start() -> Self {
        let port = free_port();
        let process = Command::new(binary("CHROMEDRIVER", "/usr/bin/chromedriver"))
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        wait_for_port(port, "chromedriver");
        Self { process, port }
    }
}

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

async fn headless_chromium(driver: &ChromeDriver, profile: &std::path::Path) -> Client {
    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": binary("CHROMIUM", "/usr/bin/chromium"),
            // No network beyond loopback here: keep Chromium from calling home.
            "args": [
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                format!("--user-data-dir={}", profile.display()),
            ],
        }),
    );
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    ClientBuilder::new(connector)
        .capabilities(capabilities)
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .expect("a WebDriver session in headless Chromium")
}

/// Clicks `button` and waits for the page to show the answer: (status, JSON body).
async fn click(browser: &Client, button: &str) -> (u16, Value) {
    browser
        .execute(
            "document.getElementById('status').textContent = 'pending';",
            vec![],
        )
        .await
        .unwrap();
    browser
        .find(Locator::Id(button))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let status = browser
            .find(Locator::Id("status"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        if status != "pending" {
            let output = browser
                .find(Locator::Id("output"))
                .await
                .unwrap()
                .text()
                .await
                .unwrap();
            let body = serde_json::from_str(&output).unwrap_or(Value::String(output));
            return (status.parse().unwrap_or(0), body);
        }
        assert!(Instant::now() < deadline, "no answer to `{button}`");
        rocket::tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// What the page's scripts can see of the cookies.
async fn visible_cookies(browser: &Client) -> String {
    let cookies = browser
        .execute("return document.cookie;", vec![])
        .await
        .unwrap();
    cookies.as_str().unwrap_or_default().to_owned()
}

/// A POST from the page's script with the given headers: (status, JSON body).
async fn fetch(browser: &Client, url: &str, headers: Value) -> (u16, Value) {
    let answer = browser
        .execute(
            "return fetch(arguments[0], { method: 'POST', headers: arguments[1], \
             credentials: 'same-origin' }).then((r) => r.text().then((t) => [r.status, t]));",
            vec![json!(url), headers],
        )
        .await
        .unwrap();
    let status = u16::try_from(answer[0].as_u64().unwrap()).unwrap();
    let body = serde_json::from_str(answer[1].as_str().unwrap()).unwrap();
    (status, body)
}

/// The value of a script-readable cookie.
fn cookie_value(cookies: &str, name: &str) -> Option<String> {
    cookies
        .split("; ")
        .find_map(|cookie| cookie.strip_prefix(&format!("{name}=")))
        .map(str::to_owned)
}

async fn session(browser: &Client, base: &str) {
    browser.goto(base).await.unwrap();
    assert_eq!(browser.title().await.unwrap(), "jwt-ext in a browser");

    // A wrong password sets nothing.
    let password = browser.find(Locator::Id("password")).await.unwrap();
    password.send_keys("wrong").await.unwrap();
    let (status, body) = click(browser, "login").await;
    assert_eq!(
        (status, &body),
        (401, &json!({ "msg": "Bad username or password" }))
    );
    assert_eq!(visible_cookies(browser).await, "");

    password.clear().await.unwrap();
    password.send_keys("test").await.unwrap();
    let (status, body) = click(browser, "login").await;
    assert_eq!((status, body), (200, json!({ "login": true })));

    // The tokens are HttpOnly: the page sees only the CSRF cookies.
    let cookies = visible_cookies(browser).await;
    assert!(cookies.contains("csrf_access_token="), "{cookies}");
    assert!(cookies.contains("csrf_refresh_token="), "{cookies}");
    assert!(!cookies.contains("access_token_cookie"), "{cookies}");
    assert!(!cookies.contains("refresh_token_cookie"), "{cookies}");
    let first_csrf = cookie_value(&cookies, "csrf_access_token").unwrap();

    let (status, body) = click(browser, "protected").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["logged_in_as"], "test");

    // The same call without the header, or with another value, is refused.
    let (status, body) = fetch(browser, "/api/protected", json!({})).await;
    assert_eq!(
        (status, body),
        (401, json!({ "msg": "Missing CSRF token" }))
    );
    let (status, body) = fetch(
        browser,
        "/api/protected",
        json!({ "X-CSRF-TOKEN": "forged" }),
    )
    .await;
    assert_eq!(
        (status, body),
        (
            401,
            json!({ "msg": "CSRF double submit tokens do not match" })
        )
    );

    // Refresh: a new access cookie, so a new CSRF value, which the page picks up.
    let (status, body) = click(browser, "refresh").await;
    assert_eq!((status, body), (200, json!({ "refresh": true })));
    let cookies = visible_cookies(browser).await;
    let second_csrf = cookie_value(&cookies, "csrf_access_token").unwrap();
    assert_ne!(first_csrf, second_csrf);
    let (status, body) = click(browser, "protected").await;
    assert_eq!(status, 200, "{body}");

    // Logout expires every cookie; the protected route is then a 401.
    let (status, body) = click(browser, "logout").await;
    assert_eq!((status, body), (200, json!({ "logout": true })));
    assert_eq!(visible_cookies(browser).await, "");
    let (status, body) = click(browser, "protected").await;
    assert_eq!(
        (status, body),
        (
            401,
            json!({ "msg": "Missing cookie \"access_token_cookie\"" })
        )
    );
    let (status, body) = click(browser, "refresh").await;
    assert_eq!(
        (status, body),
        (
            401,
            json!({ "msg": "Missing cookie \"refresh_token_cookie\"" })
        )
    );

    // Log out everywhere: a first login's cookies, kept aside as another browser would keep
    // them, are refused after the second login logs out everywhere; a later login works.
    let (status, _) = click(browser, "login").await;
    assert_eq!(status, 200);
    let elsewhere = browser.get_all_cookies().await.unwrap();
    let (status, _) = click(browser, "login").await;
    assert_eq!(status, 200);
    let (status, body) = click(browser, "logout-everywhere").await;
    assert_eq!((status, body), (200, json!({ "logout_everywhere": true })));
    assert_eq!(visible_cookies(browser).await, "");
    for cookie in elsewhere {
        browser.add_cookie(cookie).await.unwrap();
    }
    let (status, body) = click(browser, "protected").await;
    assert_eq!(
        (status, body),
        (401, json!({ "msg": "Token has been revoked" }))
    );
    let (status, _) = click(browser, "login").await;
    assert_eq!(status, 200);
    let (status, body) = click(browser, "protected").await;
    assert_eq!(status, 200, "{body}");
}

#[rocket::async_test]
async fn log_in_call_refresh_and_log_out_in_headless_chromium() {
    let port = free_port();
    let figment = rocket::Config::figment()
        .merge(("address", "127.0.0.1"))
        .merge(("port", port))
        .merge(("log_level", "off"))
        .merge((
            "jwt_secret_key",
            "a-browser-test-secret-of-at-least-32-bytes",
        ));
    let app = browser::rocket_with(figment)
        .ignite()
        .await
        .expect("the browser example ignites");
    let shutdown = app.shutdown();
    let server = rocket::tokio::spawn(app.launch());
    wait_for_port_async(port, "the browser example").await;

    let driver = ChromeDriver::start();
    let profile = std::env::temp_dir().join(format!("jwt-ext-chromium-{}", uuid::Uuid::new_v4()));
    let browser = headless_chromium(&driver, &profile).await;
    // The session runs in its own task, so that a failed assertion still closes the
    // browser and stops the server below before the test reports it.
    let base = format!("http://127.0.0.1:{port}/");
    let run = {
        let browser = browser.clone();
        rocket::tokio::spawn(async move { session(&browser, &base).await })
    };
    let outcome = run.await;
    let _ = browser.close().await;
    drop(driver);
    let _ = std::fs::remove_dir_all(&profile);
    shutdown.notify();
    let _ = server.await;
    if let Err(error) = outcome {
        std::panic::resume_unwind(error.into_panic());
    }
}
