//! Idempotency-Key records (DESIGN.md): the first request with a key runs; the
//! same key with the same body replays its response; with another body it is
//! refused; while the first still runs, the second is told so.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConn;
use crate::error::StoreError;
use crate::schema::idempotency_keys;

/// What to do with a request carrying a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// First time: run it, then [`finish`] (or [`release`] on a server error).
    Run,
    /// Done before with this body: answer with this status and body.
    Replay { status: u16, body: String },
    /// The key was used with another request.
    Mismatch,
    /// The first request with this key is still running.
    InProgress,
}

/// Claims `key` for a request whose canonical form hashes to `request_hash`.
/// Call inside a write transaction.
pub fn claim(
    conn: &mut DbConn,
    merchant_id: i64,
    key: &str,
    request_hash: &str,
    at: NaiveDateTime,
) -> Result<Claim, StoreError> {
    let existing: Option<(String, String, Option<i32>, Option<String>)> = idempotency_keys::table
        .find((merchant_id, key))
        .select((
            idempotency_keys::request_hash,
            idempotency_keys::state,
            idempotency_keys::response_status,
            idempotency_keys::response_body,
        ))
        .first(conn)
        .optional()?;
    match existing {
        None => {
            diesel::insert_into(idempotency_keys::table)
                .values((
                    idempotency_keys::merchant_id.eq(merchant_id),
                    idempotency_keys::key.eq(key),
                    idempotency_keys::request_hash.eq(request_hash),
                    idempotency_keys::state.eq("running"),
                    idempotency_keys::created_at.eq(at),
                ))
                .execute(conn)?;
            Ok(Claim::Run)
        }
        Some((hash, _, _, _)) if hash != request_hash => Ok(Claim::Mismatch),
        Some((_, state, Some(status), Some(body))) if state == "done" => {
            Ok(Claim::Replay { status: u16::try_from(status).unwrap_or(500), body })
        }
        Some(_) => Ok(Claim::InProgress),
    }
}

/// Stores the response to replay.
pub fn finish(
    conn: &mut DbConn,
    merchant_id: i64,
    key: &str,
    status: u16,
    body: &str,
) -> Result<(), StoreError> {
    diesel::update(idempotency_keys::table.find((merchant_id, key)))
        .set((
            idempotency_keys::state.eq("done"),
            idempotency_keys::response_status.eq(Some(i32::from(status))),
            idempotency_keys::response_body.eq(Some(body)),
        ))
        .execute(conn)?;
    Ok(())
}

/// Forgets the key after a failure the client may retry (a server error).
pub fn release(conn: &mut DbConn, merchant_id: i64, key: &str) -> Result<(), StoreError> {
    diesel::delete(idempotency_keys::table.find((merchant_id, key))).execute(conn)?;
    Ok(())
}
