//! Secrets every server process must share, created once by whichever starts first.

use diesel::prelude::*;

use crate::db::DbConn;
use crate::error::StoreError;
use crate::ledger::now;
use crate::schema::server_secrets;

/// The secret called `name`, made with `make` if there is none yet. Safe when
/// several servers start at once: the first insert wins and everyone reads it.
pub fn get_or_create(
    conn: &mut DbConn,
    name: &str,
    make: impl FnOnce() -> String,
) -> Result<String, StoreError> {
    if let Some(v) = server_secrets::table.find(name).select(server_secrets::value).first(conn).optional()? {
        return Ok(v);
    }
    let _ = diesel::insert_into(server_secrets::table)
        .values((
            server_secrets::name.eq(name),
            server_secrets::value.eq(make()),
            server_secrets::created_at.eq(now()),
        ))
        .execute(conn);
    Ok(server_secrets::table.find(name).select(server_secrets::value).first(conn)?)
}
