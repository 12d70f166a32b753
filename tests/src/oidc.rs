//! A real OpenID provider on loopback for the resource-server tests: node-oidc-provider, from
//! the npm registry at the version `tests/oidc/package-lock.json` pins, installed once under
//! the workspace's `target/` and started by `tests/oidc/provider.mjs`.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::{json, Value};

/// The folder holding the provider's script and its lockfile.
fn sources() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("oidc")
}

/// Where the provider is installed: `target/oidc-provider` of the workspace.
fn install_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/oidc-provider")
}

/// Installs the provider with `npm ci` unless it is there at the locked version. Several test
/// processes may ask at once: a lock folder lets one install while the others wait.
fn install() -> PathBuf {
    let dir = install_dir();
    std::fs::create_dir_all(&dir).expect("target/oidc-provider");
    let lock = dir.join("installing.lock");
    let started = std::time::Instant::now();
    while std::fs::create_dir(&lock).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(300),
            "another test has been installing the OpenID provider for 5 minutes; remove {}",
            lock.display()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    let locked = std::fs::read(sources().join("package-lock.json")).expect("the lockfile");
    let installed = dir.join("node_modules/.package-lock.json");
    let current = std::fs::read(dir.join("package-lock.json")).ok() == Some(locked.clone())
        && installed.exists();
    let result = if current {
        Ok(())
    } else {
        for file in ["package.json", "package-lock.json"] {
            std::fs::copy(sources().join(file), dir.join(file)).expect("copy the npm manifest");
        }
        Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
            .current_dir(&dir)
            .status()
            .map_err(|error| crate::cannot_run("npm", &error))
            .and_then(|status| {
                if status.success() {
                    Ok(())
                } else {
                    Err(format!("`npm ci` in {} failed: {status}", dir.display()))
                }
            })
    };
    let copied = std::fs::copy(sources().join("provider.mjs"), dir.join("provider.mjs"));
    let _ = std::fs::remove_dir(&lock);
    if let Err(message) = result {
        panic!("{message}");
    }
    copied.expect("copy provider.mjs");
    dir
}

/// A signing key of the provider: its `kid` and the private key's PEM file in `tests/keys`.
#[derive(Debug, Clone, Copy)]
pub struct ProviderKey {
    /// The `kid` the provider publishes it under.
    pub kid: &'static str,
    /// The private key's file in `tests/keys`.
    pub pem: &'static str,
}

/// A client of the provider, with the claims its access tokens get.
#[derive(Debug, Clone)]
pub struct ProviderClient {
    /// Its `client_id`.
    pub id: String,
    /// Its `client_secret`.
    pub secret: String,
    /// The `acr` of its access tokens, if any.
    pub acr: Option<String>,
    /// How many seconds before issue its `auth_time` is.
    pub auth_age: u64,
}

impl ProviderClient {
    /// A client whose tokens carry no `acr` / `auth_time`.
    #[must_use]
    pub fn new(id: &str) -> Self {
        Self {
            id: id.to_owned(),
            secret: format!("{id}-secret-of-some-length-0123456789"),
            acr: None,
            auth_age: 0,
        }
    }

    /// Its tokens say the login was of class `acr`, `auth_age` seconds before issue.
    #[must_use]
    pub fn login(mut self, acr: &str, auth_age: u64) -> Self {
        self.acr = Some(acr.to_owned());
        self.auth_age = auth_age;
        self
    }
}

/// A resource server the provider issues JWT access tokens for.
#[derive(Debug, Clone, Copy)]
pub struct Resource {
    /// The resource indicator clients ask for (`resource=`).
    pub indicator: &'static str,
    /// The `aud` of its tokens.
    pub audience: &'static str,
    /// The algorithm its tokens are signed with.
    pub alg: &'static str,
    /// The scope granted.
    pub scope: &'static str,
}

/// A running node-oidc-provider, stopped when dropped.
#[derive(Debug)]
pub struct OpenIdProvider {
    /// Its issuer: `http://127.0.0.1:<port>`.
    pub issuer: String,
    /// The port it listens on.
    pub port: u16,
    child: Child,
}

impl OpenIdProvider {
    /// Starts a provider on `port` with these keys (the first of each algorithm signs),
    /// clients and resources; returns once it serves.
    ///
    /// # Panics
    ///
    /// When node or npm is missing, or the provider does not start within 30 s.
    #[must_use]
    pub fn start(
        port: u16,
        keys: &[ProviderKey],
        clients: &[ProviderClient],
        resources: &[Resource],
    ) -> Self {
        let dir = install();
        let config = json!({
            "port": port,
            "keys": keys.iter().map(|key| json!({
                "kid": key.kid,
                "pem": crate::test_key(key.pem),
            })).collect::<Vec<_>>(),
            "clients": clients.iter().map(|client| {
                let mut entry = json!({ "client_id": client.id, "client_secret": client.secret });
                if let Some(acr) = &client.acr {
                    entry["acr"] = acr.clone().into();
                    entry["auth_age"] = client.auth_age.into();
                }
                entry
            }).collect::<Vec<_>>(),
            "resources": resources.iter().map(|resource| (resource.indicator.to_owned(), json!({
                "audience": resource.audience,
                "alg": resource.alg,
                "scope": resource.scope,
            }))).collect::<serde_json::Map<_, _>>(),
        });
        let mut child = Command::new("node")
            .arg("provider.mjs")
            .current_dir(&dir)
            .env("OIDC_CONFIG", config.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|error| panic!("{}", crate::cannot_run("node", &error)));
        let stdout = child.stdout.take().expect("the provider's stdout");
        let stderr = child.stderr.take().expect("the provider's stderr");
        let (sender, receiver) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if line.starts_with("listening ") {
                    let _ = sender.send(());
                }
            }
        });
        // Warnings (node version, development adapter) and errors, kept for a failure.
        let (errors, error_lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = errors.send(line);
            }
        });
        if receiver.recv_timeout(Duration::from_secs(30)).is_err() {
            let _ = child.kill();
            let said: Vec<String> = error_lines.try_iter().collect();
            panic!(
                "the OpenID provider did not start on port {port}:\n{}",
                said.join("\n")
            );
        }
        Self {
            issuer: format!("http://127.0.0.1:{port}"),
            port,
            child,
        }
    }

    /// A JWT access token for `resource` by the client-credentials grant.
    ///
    /// # Panics
    ///
    /// When the provider refuses.
    pub async fn client_credentials(&self, client: &ProviderClient, resource: &Resource) -> String {
        self.token_endpoint(
            &[
                ("grant_type", "client_credentials"),
                ("client_id", client.id.as_str()),
                ("client_secret", client.secret.as_str()),
                ("resource", resource.indicator),
                ("scope", resource.scope),
            ],
            "access_token",
        )
        .await
    }

    /// The `field` of the token endpoint's answer to `form`.
    async fn token_endpoint(&self, form: &[(&str, &str)], field: &str) -> String {
        let answer: Value = reqwest::Client::new()
            .post(format!("{}/token", self.issuer))
            .form(form)
            .send()
            .await
            .expect("the token endpoint answers")
            .json()
            .await
            .expect("a JSON answer");
        answer[field]
            .as_str()
            .unwrap_or_else(|| panic!("no `{field}` in the answer: {answer}"))
            .to_owned()
    }

    /// An ID token for the login `user` by the authorization-code flow, through the
    /// provider's own login and consent pages.
    ///
    /// # Panics
    ///
    /// When a step of the flow does not go as the provider's pages do.
    pub async fn id_token(&self, client: &ProviderClient, user: &str) -> String {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("a client");
        let mut cookies: Vec<String> = Vec::new();
        let mut url = format!(
            "{}/auth?client_id={}&response_type=code&scope=openid&redirect_uri={}",
            self.issuer, client.id, "http%3A%2F%2F127.0.0.1%2Fcallback"
        );
        let mut form: Option<Vec<(&str, &str)>> = None;
        let code = loop {
            let request = match form.take() {
                Some(fields) => http.post(&url).form(&fields),
                None => http.get(&url),
            };
            let response = request
                .header("cookie", cookies.join("; "))
                .send()
                .await
                .expect("the provider answers");
            for cookie in response.headers().get_all("set-cookie") {
                let pair = cookie
                    .to_str()
                    .unwrap()
                    .split(';')
                    .next()
                    .unwrap()
                    .to_owned();
                let name = pair.split('=').next().unwrap().to_owned();
                cookies.retain(|kept| !kept.starts_with(&format!("{name}=")));
                cookies.push(pair);
            }
            if let Some(location) = response.headers().get("location") {
                let location = location.to_str().unwrap().to_owned();
                if let Some(code) = location
                    .strip_prefix("http://127.0.0.1/callback?code=")
                    .and_then(|rest| rest.split('&').next())
                {
                    break code.to_owned();
                }
                url = if location.starts_with('/') {
                    format!("{}{location}", self.issuer)
                } else {
                    location
                };
                continue;
            }
            // An interaction page: the login form, then the consent form.
            let page = response.text().await.expect("a page");
            form = Some(if page.contains(r#"name="prompt" value="login""#) {
                vec![("prompt", "login"), ("login", user), ("password", "any")]
            } else if page.contains(r#"name="prompt" value="consent""#) {
                vec![("prompt", "consent")]
            } else {
                panic!("an unexpected page at {url}: {page}");
            });
        };
        self.token_endpoint(
            &[
                ("grant_type", "authorization_code"),
                ("code", code.as_str()),
                ("redirect_uri", "http://127.0.0.1/callback"),
                ("client_id", client.id.as_str()),
                ("client_secret", client.secret.as_str()),
            ],
            "id_token",
        )
        .await
    }
}

impl Drop for OpenIdProvider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
