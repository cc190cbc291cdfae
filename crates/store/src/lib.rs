//! Paydesk's storage: one diesel codebase over SQLite (embedded default) and
//! PostgreSQL. Calls are blocking; the server runs them on its blocking pool.

/// Hand-written PostgreSQL statements (a CTE the query builder can't say),
/// kept as prepared statements like the builder's.
#[macro_use]
mod prepared;
pub mod applications;
pub mod attempts;
pub mod cards;
pub mod contacts;
pub mod db;
pub mod error;
pub mod fees;
pub mod gateway;
pub mod idempotency;
pub mod identity;
pub mod keys;
pub mod kyb;
pub mod ledger;
pub mod onboarding;
pub mod oplog;
pub mod outbox;
pub mod payouts;
pub mod recharge;
pub mod records;
pub mod recoveries;
pub mod refunds;
pub mod roles;
pub mod sandbox;
pub mod schema;
pub mod secrets;
pub mod sessions;
pub mod signings;
pub mod sms;
#[cfg(feature = "testing")]
pub mod testing;
pub mod trades;

pub use db::{Backend, DbConn, MigrationState, Store};
pub use error::StoreError;
