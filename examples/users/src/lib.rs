//! jwt-ext with real users: an SQLite table (created with two users on first start),
//! Argon2id password hashes, Flask's loaders (identity, additional claims read from the table, user
//! lookup) and an admin-only route.
//!
//! - `POST /login` `{"username", "password"}` → a fresh access token (with the user's `role`)
//!   and a refresh token; the identity (`sub`) is the user's id;
//! - `POST /refresh` (refresh token) → a new access token with the user's current role;
//! - `GET /me` → the user the lookup loader read from the table;
//! - `GET /admin/users` (`role: admin` required) → every user;
//! - `POST /admin/users/<id>/deactivate` (admin) → the user's tokens stop working at once,
//!   because the lookup loader no longer finds an active user.
//!
//! Seeded users: `alice` / `alice-password` (admin), `bob` / `bob-password` (user).

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHasher, SaltString};
use argon2::Argon2;
use jwt_ext::{
    has_role, jwt_required, ClaimsLoader, CurrentUser, DecodedToken, EncodeError, JwtManager,
    LoaderError, UserLoader,
};
use quickstart::LoginError;
use rocket::fairing::{self, AdHoc};
use rocket::figment::Figment;
use rocket::http::Status;
use rocket::response::status::Custom;
use rocket::serde::json::{self, json, Json, Value};
use rocket::serde::{Deserialize, Serialize};
use rocket::{catch, catchers, get, post, routes, Build, Request, Rocket};
use rocket_db_pools::{sqlx, Connection, Database};

/// The users database (`databases.users.url`; default `sqlite:users.sqlite3?mode=rwc`, a file
/// created in the working directory).
#[derive(Database, Debug)]
#[database("users")]
pub struct Users(sqlx::SqlitePool);

/// A row of the `users` table, as the handlers see it.
#[derive(Debug, Clone, Serialize)]
#[serde(crate = "rocket::serde")]
pub struct User {
    id: i64,
    username: String,
    role: String,
}

type Row = (i64, String, String);

impl From<Row> for User {
    fn from((id, username, role): Row) -> Self {
        Self { id, username, role }
    }
}

/// Flask's `user_lookup_loader`: the active user whose id is the token's identity.
struct LookupUser;

#[rocket::async_trait]
impl UserLoader for LookupUser {
    type User = User;

    async fn load_user(&self, token: &DecodedToken, request: &Request<'_>) -> Option<User> {
        let id: i64 = token.identity().as_str()?.parse().ok()?;
        let pool = Users::fetch(request.rocket())?;
        sqlx::query_as::<_, Row>("SELECT id, username, role FROM users WHERE id = ? AND active = 1")
            .bind(id)
            .fetch_optional(&**pool)
            .await
            .ok()
            .flatten()
            .map(User::from)
    }
}

/// Flask's `additional_claims_loader`, reading the table: every new token of a user carries
/// the role the table gives it now, so a demoted admin's next access token says so. Built at
/// ignite from the pool that `Users::init()` (attached before jwt-ext) put in Rocket's state.
struct RoleFromTable(sqlx::SqlitePool);

#[rocket::async_trait]
impl ClaimsLoader for RoleFromTable {
    async fn additional_claims(&self, identity: &Value) -> Result<Value, LoaderError> {
        // The identity as given to token creation: a `User`.
        let Some(id) = identity["id"].as_i64() else {
            return Ok(Value::Null);
        };
        let role: Option<(String,)> =
            sqlx::query_as("SELECT role FROM users WHERE id = ? AND active = 1")
                .bind(id)
                .fetch_optional(&self.0)
                .await?;
        Ok(match role {
            Some((role,)) => json!({ "role": role }),
            None => Value::Null,
        })
    }
}

/// Creates the database file, when it does not exist yet, readable by this user alone (mode
/// 0600 on Unix): it holds password hashes. SQLite gives its journal files the same mode.
async fn create_private_file(rocket: Rocket<Build>) -> fairing::Result {
    let url: String = rocket
        .figment()
        .extract_inner("databases.users.url")
        .unwrap_or_default();
    let Some(path) = sqlite_path(&url) else {
        return Ok(rocket);
    };
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(_) => Ok(rocket),
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => Ok(rocket),
        Err(error) => {
            rocket::error!("cannot create the users database {path}: {error}");
            Err(rocket)
        }
    }
}

/// The file of an SQLite URL (`sqlite:path?options`, `sqlite://path`), `None` for an
/// in-memory database.
fn sqlite_path(url: &str) -> Option<&str> {
    let rest = url.strip_prefix("sqlite:")?;
    let rest = rest.strip_prefix("//").unwrap_or(rest);
    let path = rest.split('?').next().unwrap_or_default();
    (!path.is_empty() && path != ":memory:").then_some(path)
}

/// Creates the table and, when it is empty, the two demo users.
async fn create_schema(rocket: Rocket<Build>) -> fairing::Result {
    let Some(pool) = Users::fetch(&rocket) else {
        return Err(rocket);
    };
    let created = sqlx::query(
        "CREATE TABLE IF NOT EXISTS users (
             id INTEGER PRIMARY KEY,
             username TEXT NOT NULL UNIQUE,
             password_hash TEXT NOT NULL,
             role TEXT NOT NULL,
             active INTEGER NOT NULL DEFAULT 1
         )",
    )
    .execute(&**pool)
    .await;
    if let Err(error) = created {
        rocket::error!("cannot create the users table: {error}");
        return Err(rocket);
    }
    let count: Result<(i64,), _> = sqlx::query_as("SELECT COUNT(*) FROM users")
        .fetch_one(&**pool)
        .await;
    if matches!(count, Ok((0,))) {
        for (username, password, role) in [
            ("alice", "alice-password", "admin"),
            ("bob", "bob-password", "user"),
        ] {
            let Ok(hash) = hash_password(password) else {
                return Err(rocket);
            };
            let inserted =
                sqlx::query("INSERT INTO users (username, password_hash, role) VALUES (?, ?, ?)")
                    .bind(username)
                    .bind(hash)
                    .bind(role)
                    .execute(&**pool)
                    .await;
            if let Err(error) = inserted {
                rocket::error!("cannot create user {username}: {error}");
                return Err(rocket);
            }
        }
    }
    Ok(rocket)
}

fn hash_password(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
}

#[derive(Deserialize)]
#[serde(crate = "rocket::serde")]
struct Credentials {
    username: String,
    password: String,
}

fn message(status: Status, msg: impl Into<String>) -> Custom<Value> {
    Custom(status, json!({ "msg": msg.into() }))
}

#[post("/login", data = "<credentials>")]
async fn login(
    jwt: &JwtManager,
    mut db: Connection<Users>,
    credentials: Result<Json<Credentials>, json::Error<'_>>,
) -> Result<Custom<Value>, LoginError> {
    let Ok(Json(credentials)) = credentials else {
        return Ok(message(
            Status::BadRequest,
            "Expected a JSON body {\"username\": ..., \"password\": ...}",
        ));
    };
    let row: Option<(i64, String, String, String)> = sqlx::query_as(
        "SELECT id, username, role, password_hash FROM users WHERE username = ? AND active = 1",
    )
    .bind(&credentials.username)
    .fetch_optional(&mut **db)
    .await
    .unwrap_or(None);
    let hash = row.as_ref().map(|row| row.3.clone());
    if !quickstart::verify_password(hash, credentials.password).await? {
        return Ok(message(Status::Unauthorized, "Bad username or password"));
    }
    let Some((id, username, role, _)) = row else {
        return Ok(message(Status::Unauthorized, "Bad username or password"));
    };
    let user = User { id, username, role };
    // `create_access_token(user)`: the identity loader turns the user into its id, the claims
    // loader reads its role (awaited: it queries the table).
    let body = json!({
        "access_token": jwt.access_token(&user).fresh(true).create_async().await?,
        "refresh_token": jwt.refresh_token(&user).create_async().await?,
    });
    Ok(Custom(Status::Ok, body))
}

#[jwt_required(refresh)]
#[post("/refresh")]
async fn refresh(jwt: &JwtManager, user: CurrentUser<User>) -> Result<Value, EncodeError> {
    // The claims loader reads the role from the table again.
    let access_token = jwt.access_token(&*user).create_async().await?;
    Ok(json!({ "access_token": access_token }))
}

#[get("/me")]
fn me(user: CurrentUser<User>) -> Json<User> {
    Json(user.clone())
}

#[jwt_required(claims = has_role("admin"))]
#[get("/admin/users")]
async fn list_users(mut db: Connection<Users>) -> Value {
    let rows: Vec<(i64, String, String, bool)> =
        sqlx::query_as("SELECT id, username, role, active FROM users ORDER BY id")
            .fetch_all(&mut **db)
            .await
            .unwrap_or_default();
    let users: Vec<Value> = rows
        .into_iter()
        .map(|(id, username, role, active)| {
            json!({ "id": id, "username": username, "role": role, "active": active })
        })
        .collect();
    json!({ "users": users })
}

#[jwt_required(fresh, claims = has_role("admin"))]
#[post("/admin/users/<id>/deactivate")]
async fn deactivate(id: i64, mut db: Connection<Users>) -> Custom<Value> {
    let done = sqlx::query("UPDATE users SET active = 0 WHERE id = ?")
        .bind(id)
        .execute(&mut **db)
        .await;
    match done {
        Ok(result) if result.rows_affected() == 1 => {
            Custom(Status::Ok, json!({ "deactivated": id }))
        }
        Ok(_) => message(Status::NotFound, format!("No user {id}")),
        Err(_) => message(Status::InternalServerError, "Database error"),
    }
}

#[catch(default)]
fn json_error(status: Status, _: &Request<'_>) -> Value {
    json!({ "msg": status.reason().unwrap_or("Error") })
}

/// The application on `figment` (Rocket's own, with the database URL defaulted).
pub fn rocket_with(figment: Figment) -> Rocket<Build> {
    let figment = figment.join(("databases.users.url", "sqlite:users.sqlite3?mode=rwc"));
    rocket::custom(figment)
        .attach(AdHoc::try_on_ignite("users file", create_private_file))
        .attach(Users::init())
        .attach(AdHoc::try_on_ignite("users schema", create_schema))
        .attach(
            JwtManager::fairing()
                .user_identity_loader(|user| user["id"].to_string().into())
                .additional_claims_loader_from(|rocket| {
                    Users::fetch(rocket)
                        .map(|users| RoleFromTable((**users).clone()))
                        .ok_or("the users database is not set up")
                })
                .user_lookup_loader(LookupUser),
        )
        .mount("/", routes![login, refresh, me, list_users, deactivate])
        .register("/", catchers![json_error])
}

/// The application with Rocket's usual configuration sources.
pub fn rocket() -> Rocket<Build> {
    rocket_with(rocket::Config::figment())
}
