//! Connections, pooling, migrations and transactions for both backends.

use std::path::PathBuf;
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::r2d2::{ConnectionManager, CustomizeConnection, Pool, PooledConnection};
use diesel::sqlite::SqliteConnection;
use diesel::{Connection, RunQueryDsl};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

use crate::error::StoreError;

pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations/sqlite");
pub const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations/postgres");

/// One connection to either backend; queries written once run on both.
#[derive(diesel::MultiConnection)]
pub enum DbConn {
    Pg(PgConnection),
    Sqlite(SqliteConnection),
}

/// Which database a [`Store`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn as_str(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }

    /// `postgres://` and `postgresql://` select PostgreSQL; `sqlite://PATH`,
    /// `sqlite:PATH` or a bare path select SQLite.
    pub fn of_url(url: &str) -> Result<(Backend, String), StoreError> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok((Backend::Postgres, url.to_owned()));
        }
        let path = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")).unwrap_or(url);
        if path.is_empty() || url.contains("://") && !url.starts_with("sqlite://") {
            return Err(StoreError::UnsupportedUrl(redact(url)));
        }
        Ok((Backend::Sqlite, path.to_owned()))
    }
}

/// A URL fit for logs: the password, if any, replaced.
pub fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("***"));
            u.to_string()
        }
        _ => url.to_owned(),
    }
}

/// Applied and pending migrations, as reported by `/api/v1/health`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationState {
    pub applied: Vec<String>,
    pub pending: Vec<String>,
}

#[derive(Debug)]
struct SqlitePragmas;

impl CustomizeConnection<DbConn, diesel::r2d2::Error> for SqlitePragmas {
    fn on_acquire(&self, conn: &mut DbConn) -> Result<(), diesel::r2d2::Error> {
        if let DbConn::Sqlite(c) = conn {
            // WAL lets readers run beside the one writer; the busy timeout makes
            // writers queue for the lock instead of failing.
            c.batch_execute(
                "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                 PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 30000;",
            )
            .map_err(diesel::r2d2::Error::QueryError)?;
        }
        Ok(())
    }
}

pub type PooledConn = PooledConnection<ConnectionManager<DbConn>>;

/// The handle the rest of Paydesk holds: a pool plus the backend it serves.
#[derive(Clone)]
pub struct Store {
    pool: Pool<ConnectionManager<DbConn>>,
    backend: Backend,
    /// SQLite has one writer at a time: this process's writers queue here, in
    /// order and without sleeping, instead of polling the file lock with SQLite's
    /// busy handler (whose back-off sleeps put 100 ms on a request's tail).
    /// Other processes on the same file still meet the busy timeout.
    writer: std::sync::Arc<std::sync::Mutex<()>>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("backend", &self.backend).finish_non_exhaustive()
    }
}

impl Store {
    /// Opens a pool. An SQLite file and its folder are created when missing.
    pub fn connect(url: &str) -> Result<Store, StoreError> {
        let (backend, target) = Backend::of_url(url)?;
        let (size, manager_url) = match backend {
            Backend::Postgres => (16, target),
            Backend::Sqlite => {
                let path = PathBuf::from(&target);
                if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                    std::fs::create_dir_all(dir)?;
                }
                (8, target)
            }
        };
        let manager = ConnectionManager::<DbConn>::new(manager_url);
        let pool = Pool::builder()
            .max_size(size)
            .min_idle(Some(1))
            .connection_timeout(Duration::from_secs(30))
            // Not checked as handed out (a round trip each time): a unit of
            // work that finds its PostgreSQL connection closed before it ran
            // anything is run again on another (`Store::on_live`; test
            // `dropped_database_connections_are_replaced`).
            .test_on_check_out(false)
            .connection_customizer(Box::new(SqlitePragmas))
            .build(manager)
            .map_err(StoreError::Pool)?;
        Ok(Store { pool, backend, writer: std::sync::Arc::default() })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn conn(&self) -> Result<PooledConn, StoreError> {
        Ok(self.pool.get()?)
    }

    /// Runs every pending migration; returns the versions it applied.
    pub fn migrate(&self) -> Result<Vec<String>, StoreError> {
        let mut conn = self.conn()?;
        let done = match &mut *conn {
            DbConn::Pg(c) => c.run_pending_migrations(POSTGRES_MIGRATIONS).map(versions),
            DbConn::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS).map(versions),
        };
        done.map_err(|e| StoreError::Migration(e.to_string()))
    }

    pub fn migration_state(&self) -> Result<MigrationState, StoreError> {
        let mut conn = self.conn()?;
        let state = match &mut *conn {
            DbConn::Pg(c) => state_of(c, POSTGRES_MIGRATIONS),
            DbConn::Sqlite(c) => state_of(c, SQLITE_MIGRATIONS),
        };
        state.map_err(|e| StoreError::Migration(e.to_string()))
    }

    /// Runs `f` in one read-write transaction and commits only if it returns Ok.
    ///
    /// SQLite transactions start `IMMEDIATE`: they take the write lock up front
    /// (waiting up to the busy timeout), so a transaction that reads and then
    /// writes can't fail half-way on a lock upgrade.
    ///
    /// Any error type that can hold a store error works, so a caller can return
    /// its own refusal from inside and have everything written so far undone.
    pub fn write<T, E>(&self, f: impl FnOnce(&mut DbConn) -> Result<T, E>) -> Result<T, E>
    where
        E: From<StoreError> + From<diesel::result::Error>,
    {
        self.write_closing(|c| f(c).map(|value| (value, None)))
    }

    /// [`Store::write`] whose work may hand back a journal entry to post last
    /// ([`crate::ledger::Last`]): on PostgreSQL it goes in one message with the
    /// COMMIT. A refused entry (the money isn't there) fails the whole write
    /// and rolls it back, as any failure inside `f` does.
    pub fn write_closing<T, E>(
        &self,
        f: impl FnOnce(&mut DbConn) -> Result<(T, Option<crate::ledger::Last>), E>,
    ) -> Result<T, E>
    where
        E: From<StoreError> + From<diesel::result::Error>,
    {
        let _turn = (self.backend == Backend::Sqlite)
            .then(|| self.writer.lock().unwrap_or_else(std::sync::PoisonError::into_inner));
        self.on_live(f, |conn, f| write_tx(conn, f))
    }

    /// Runs `f` in a transaction that is always rolled back: consistent reads.
    pub fn read<T, E>(&self, f: impl FnOnce(&mut DbConn) -> Result<T, E>) -> Result<T, E>
    where
        E: From<StoreError> + From<diesel::result::Error>,
    {
        self.on_live(f, |conn, f| conn.transaction(f))
    }

    /// Runs `f` without a transaction around it on PostgreSQL: each statement
    /// commits by itself, for a few statements that need no atomicity together
    /// (no `BEGIN` and `COMMIT` round trips). On SQLite, as [`Store::write`].
    ///
    /// Should `f` fail on a connection that turns out closed, it runs again on
    /// another: it must be safe to repeat then (reads, and a write whose
    /// repetition answers as a repeated request would).
    pub fn autocommit<T, E>(&self, f: impl Fn(&mut DbConn) -> Result<T, E>) -> Result<T, E>
    where
        E: From<StoreError> + From<diesel::result::Error>,
    {
        if self.backend == Backend::Sqlite {
            return self.write(f);
        }
        let mut conn = self.conn().map_err(E::from)?;
        match f(&mut conn) {
            Err(_) if !answers(&mut conn) => {
                // Closed: given back broken, so the pool drops it.
                mark_broken(&mut conn);
                drop(conn);
                self.write(f)
            }
            done => done,
        }
    }

    /// Runs `unit` (which runs `f` in a transaction) on a pooled connection.
    /// Connections aren't tested as they are handed out, so one the database
    /// has closed meanwhile (a restart, a dropped link) fails the transaction's
    /// `BEGIN`: before `f` ran anything. Then the connection is given back
    /// broken (the pool drops it) and the unit runs on another — at most as
    /// many times as the pool holds connections.
    fn on_live<T, U, E, F>(
        &self,
        f: F,
        unit: impl Fn(&mut DbConn, Box<dyn FnOnce(&mut DbConn) -> Result<T, E> + '_>) -> Result<U, E>,
    ) -> Result<U, E>
    where
        E: From<StoreError> + From<diesel::result::Error>,
        F: FnOnce(&mut DbConn) -> Result<T, E>,
    {
        let mut f = Some(f);
        let mut tries = self.pool.max_size();
        loop {
            let mut conn = self.conn().map_err(E::from)?;
            let slot = &mut f;
            let result = unit(
                &mut conn,
                Box::new(|c| match slot.take() {
                    Some(f) => f(c),
                    None => unreachable!("a unit runs its work once"),
                }),
            );
            match result {
                // Failed before `f` ran, on a connection that no longer answers.
                Err(_)
                    if f.is_some()
                        && self.backend == Backend::Postgres
                        && tries > 0
                        && !answers(&mut conn) =>
                {
                    tries -= 1;
                    mark_broken(&mut conn);
                }
                done => return done,
            }
        }
    }
}

/// Whether `conn` still reaches its database.
fn answers(conn: &mut DbConn) -> bool {
    conn.batch_execute("SELECT 1").is_ok()
}

/// Makes the pool drop `conn` when it is given back.
fn mark_broken(conn: &mut DbConn) {
    use diesel::connection::TransactionManager;
    <DbConn as Connection>::TransactionManager::transaction_manager_status_mut(conn).set_in_error();
}

fn versions(list: Vec<diesel::migration::MigrationVersion<'_>>) -> Vec<String> {
    list.into_iter().map(|v| v.to_string()).collect()
}

fn state_of<C: MigrationHarness<B>, B: diesel::backend::Backend>(
    conn: &mut C,
    source: EmbeddedMigrations,
) -> diesel::migration::Result<MigrationState> {
    let applied = versions(conn.applied_migrations()?);
    let pending = conn.pending_migrations(source)?.iter().map(|m| m.name().version().to_string()).collect();
    Ok(MigrationState { applied, pending })
}

/// See [`Store::write_closing`]. `BEGIN` and `COMMIT` are sent by hand on both
/// backends (SQLite's `BEGIN IMMEDIATE`; PostgreSQL's `COMMIT` carrying the
/// closing entry), so nothing inside may open a transaction of its own.
fn write_tx<T, E>(
    conn: &mut DbConn,
    f: impl FnOnce(&mut DbConn) -> Result<(T, Option<crate::ledger::Last>), E>,
) -> Result<T, E>
where
    E: From<StoreError> + From<diesel::result::Error>,
{
    let pg = matches!(conn, DbConn::Pg(_));
    conn.batch_execute(if pg { "BEGIN" } else { "BEGIN IMMEDIATE" }).map_err(E::from)?;
    // Rolls back if `f` panics, so the pooled connection is never left mid-transaction.
    let mut guard = RollbackGuard { conn: Some(conn) };
    let result = f(guard.conn_mut());
    let conn = guard.disarm();
    let (value, last) = match result {
        Ok(done) => done,
        Err(e) => {
            rollback(conn);
            return Err(e);
        }
    };
    let committed = match (&last, pg) {
        (None, _) => conn.batch_execute("COMMIT").map_err(StoreError::from),
        (Some(last), true) => last
            .call()
            .and_then(|call| conn.batch_execute(&format!("{call}; COMMIT")).map_err(crate::ledger::refusal)),
        (Some(last), false) => {
            last.post(conn).and_then(|()| conn.batch_execute("COMMIT").map_err(StoreError::from))
        }
    };
    match committed {
        Ok(()) => Ok(value),
        Err(e) => {
            rollback(conn);
            Err(E::from(e))
        }
    }
}

/// Ends a failed transaction. A connection that can't roll back is given back
/// broken (the pool drops it), never left inside the transaction.
fn rollback(conn: &mut DbConn) {
    if conn.batch_execute("ROLLBACK").is_err() {
        mark_broken(conn);
    }
}

struct RollbackGuard<'a> {
    conn: Option<&'a mut DbConn>,
}

impl<'a> RollbackGuard<'a> {
    fn conn_mut(&mut self) -> &mut DbConn {
        match self.conn.as_deref_mut() {
            Some(c) => c,
            None => unreachable!("guard used after disarm"),
        }
    }

    fn disarm(mut self) -> &'a mut DbConn {
        match self.conn.take() {
            Some(c) => c,
            None => unreachable!("guard disarmed twice"),
        }
    }
}

impl Drop for RollbackGuard<'_> {
    fn drop(&mut self) {
        if let Some(conn) = self.conn.take() {
            rollback(conn);
        }
    }
}

/// Counts rows, for tests and health checks.
pub fn count_rows(conn: &mut DbConn, table: &str) -> Result<i64, StoreError> {
    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let row: Count =
        diesel::sql_query(format!("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM {table}")).get_result(conn)?;
    Ok(row.n)
}

/// A PostgreSQL string literal of `s` for SQL text sent without parameters:
/// `E'…'` with backslashes and quotes escaped, which reads the same whatever
/// `standard_conforming_strings` says. PostgreSQL's text holds no NUL, so a
/// string with one is refused, as a bound parameter would be.
pub(crate) fn pg_literal(s: &str) -> Result<String, StoreError> {
    if s.contains('\0') {
        return Err(StoreError::Database(diesel::result::Error::QueryBuilderError(
            "text for PostgreSQL may not hold a NUL character".into(),
        )));
    }
    let mut out = String::with_capacity(s.len() + 3);
    out.push_str("E'");
    for ch in s.chars() {
        if ch == '\\' || ch == '\'' {
            out.push('\\');
        }
        out.push(ch);
    }
    out.push('\'');
    Ok(out)
}
