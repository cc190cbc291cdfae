//! A fresh, migrated database for every test, on either backend.
//!
//! SQLite: a file in a new temporary folder. PostgreSQL: a new database cloned
//! from a template that was migrated once (per version of the migrations), which
//! makes a fresh database cost one `CREATE DATABASE ... TEMPLATE`. The server is
//! `PAYDESK_TEST_DATABASE_URL` (default `postgres://postgres@127.0.0.1:5432/postgres`).
//! When it can't be reached the PostgreSQL tests are skipped with a note, except
//! under `CI=true`, where they fail.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::PathBuf;
use std::sync::OnceLock;

use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::Connection;
use rand::Rng;

use crate::db::{Backend, Store};

pub const DEFAULT_PG_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// A database that disappears when dropped.
pub struct TestDb {
    pub url: String,
    backend: Backend,
    cleanup: Cleanup,
}

enum Cleanup {
    Dir(PathBuf),
    PgDatabase { admin_url: String, name: String },
}

impl TestDb {
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// A migrated SQLite database in a new temporary file.
    pub fn sqlite() -> TestDb {
        let dir = std::env::temp_dir().join(format!("paydesk-test-{}", random_suffix()));
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("creating {}: {e}", dir.display()));
        let url = format!("sqlite://{}", dir.join("paydesk.db").display());
        let db = TestDb { url, backend: Backend::Sqlite, cleanup: Cleanup::Dir(dir) };
        db.store().migrate().unwrap_or_else(|e| panic!("migrating test sqlite: {e}"));
        db
    }

    /// A migrated PostgreSQL database, or `None` (outside CI) when no server answers.
    pub fn postgres() -> Option<TestDb> {
        let admin_url =
            std::env::var("PAYDESK_TEST_DATABASE_URL").unwrap_or_else(|_| DEFAULT_PG_URL.to_owned());
        let template = match template(&admin_url) {
            Ok(t) => t,
            Err(e) => {
                if std::env::var("CI").is_ok_and(|v| v == "true") {
                    panic!("PostgreSQL at {admin_url} is required under CI=true: {e}");
                }
                eprintln!("skipping a PostgreSQL test: {admin_url} unreachable ({e})");
                return None;
            }
        };
        let name = format!("paydesk_test_{}", random_suffix());
        let mut admin = PgConnection::establish(&admin_url).unwrap_or_else(|e| panic!("connecting: {e}"));
        admin
            .batch_execute(&format!("CREATE DATABASE {name} TEMPLATE {template}"))
            .unwrap_or_else(|e| panic!("creating {name}: {e}"));
        Some(TestDb {
            url: database_url(&admin_url, &name),
            backend: Backend::Postgres,
            cleanup: Cleanup::PgDatabase { admin_url, name },
        })
    }

    pub fn store(&self) -> Store {
        Store::connect(&self.url).unwrap_or_else(|e| panic!("connecting to test database: {e}"))
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::Dir(dir) => {
                let _ = std::fs::remove_dir_all(dir);
            }
            Cleanup::PgDatabase { admin_url, name } => {
                if let Ok(mut admin) = PgConnection::establish(admin_url) {
                    let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
                }
            }
        }
    }
}

fn random_suffix() -> String {
    let n: u64 = rand::rng().random();
    format!("{n:016x}")
}

/// The same server URL with another database name.
fn database_url(admin_url: &str, name: &str) -> String {
    match url::Url::parse(admin_url) {
        Ok(mut u) => {
            u.set_path(name);
            u.to_string()
        }
        Err(_) => panic!("PAYDESK_TEST_DATABASE_URL is not a URL: {admin_url}"),
    }
}

/// Name of a migrated template for the current migrations, built once per
/// version under an advisory lock so parallel test processes agree.
fn template(admin_url: &str) -> Result<String, String> {
    static TEMPLATE: OnceLock<Result<String, String>> = OnceLock::new();
    TEMPLATE.get_or_init(|| build_template(admin_url)).clone()
}

fn build_template(admin_url: &str) -> Result<String, String> {
    let name = format!("paydesk_tpl_{:016x}", migrations_hash());
    let mut admin = PgConnection::establish(admin_url).map_err(|e| e.to_string())?;
    admin.batch_execute("SELECT pg_advisory_lock(727270)").map_err(|e| e.to_string())?;
    let result = (|| {
        #[derive(diesel::QueryableByName)]
        struct Exists {
            #[diesel(sql_type = diesel::sql_types::Bool)]
            exists: bool,
        }
        use diesel::RunQueryDsl;
        let found: Exists = diesel::sql_query(format!(
            "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = '{name}') AS exists"
        ))
        .get_result(&mut admin)
        .map_err(|e| e.to_string())?;
        if found.exists {
            return Ok(name.clone());
        }
        // Build under a scratch name and rename, so a half-built template is never used.
        let scratch = format!("{name}_building");
        // One statement per call: PostgreSQL runs a multi-statement string in one
        // transaction, and CREATE/DROP DATABASE refuse to run inside one.
        for sql in
            [format!("DROP DATABASE IF EXISTS {scratch} WITH (FORCE)"), format!("CREATE DATABASE {scratch}")]
        {
            admin.batch_execute(&sql).map_err(|e| e.to_string())?;
        }
        {
            let store = Store::connect(&database_url(admin_url, &scratch)).map_err(|e| e.to_string())?;
            store.migrate().map_err(|e| e.to_string())?;
        }
        admin
            .batch_execute(&format!("ALTER DATABASE {scratch} RENAME TO {name}"))
            .map_err(|e| e.to_string())?;
        drop_stale_templates(&mut admin, &name);
        Ok(name.clone())
    })();
    let _ = admin.batch_execute("SELECT pg_advisory_unlock(727270)");
    result
}

/// Templates of older migrations are no use to anyone: drop them (best effort).
fn drop_stale_templates(admin: &mut PgConnection, keep: &str) {
    use diesel::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct Name {
        #[diesel(sql_type = diesel::sql_types::Text)]
        datname: String,
    }
    let stale: Vec<Name> =
        diesel::sql_query("SELECT datname FROM pg_database WHERE datname LIKE 'paydesk_tpl_%'")
            .load(admin)
            .unwrap_or_default();
    for db in stale.into_iter().filter(|d| d.datname != keep && !d.datname.ends_with("_building")) {
        let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", db.datname));
    }
}

/// Changes whenever a PostgreSQL migration file changes.
fn migrations_hash() -> u64 {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../migrations/postgres");
    let mut files = Vec::new();
    collect(&dir, &mut files);
    files.sort();
    let mut hasher = DefaultHasher::new();
    for f in files {
        f.strip_prefix(&dir).unwrap_or(&f).hash(&mut hasher);
        std::fs::read(&f).unwrap_or_default().hash(&mut hasher);
    }
    hasher.finish()
}

fn collect(dir: &std::path::Path, out: &mut Vec<PathBuf>) {
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                collect(&p, out);
            } else {
                out.push(p);
            }
        }
    }
}

/// Declares each named test function `fn(TestDb)` twice: in `sqlite::` and `postgres::`.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $( #[test] fn $name() { super::$name($crate::testing::TestDb::sqlite()) } )*
        }
        mod postgres {
            $( #[test] fn $name() {
                if let Some(db) = $crate::testing::TestDb::postgres() { super::$name(db) }
            } )*
        }
    };
}
