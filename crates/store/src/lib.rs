//! Paydesk's storage: one diesel codebase over SQLite (embedded default) and
//! PostgreSQL. Calls are blocking; the server runs them on its blocking pool.

pub mod db;
pub mod error;
pub mod ledger;
pub mod schema;
#[cfg(feature = "testing")]
pub mod testing;

pub use db::{Backend, DbConn, MigrationState, Store};
pub use error::StoreError;
