//! Idempotency-Key records (docs/architecture.md, "Idempotency"). A request with
//! a key first [`claim`]s it in a short transaction of its own; its answer is
//! then recorded by [`finish`] inside the same transaction as the business
//! change, so a committed change always has its answer stored and a crash leaves
//! at most a `running` claim, which another request may take over once it is
//! older than [`paydesk_domain::limits::IDEMPOTENCY_TAKEOVER_SECS`]. A request
//! that changed nothing [`release`]s its claim, so a corrected retry runs.

use chrono::{NaiveDateTime, Timelike};
use diesel::prelude::*;
use paydesk_domain::limits;

use crate::db::DbConn;
use crate::error::StoreError;
use crate::schema::idempotency_keys;

/// What to do with a request carrying a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// This request holds the key from `claimed_at` on: run it, then [`finish`]
    /// in the business transaction (or [`release`] if nothing changed).
    Run { claimed_at: NaiveDateTime },
    /// Done before with this body: answer with this status and body.
    Replay { status: u16, body: String },
    /// The key was used with another request.
    Mismatch,
    /// The first request with this key is still running.
    InProgress,
}

/// A stored key: request hash, state, answer status and body, claim time.
type Row = (String, String, Option<i32>, Option<String>, NaiveDateTime);

/// Claim times are kept to the microsecond, which both backends store exactly,
/// so the time read back identifies the claim.
fn claim_time(at: NaiveDateTime) -> NaiveDateTime {
    at.with_nanosecond(at.nanosecond() / 1000 * 1000).unwrap_or(at)
}

/// Claims `key` for a request whose canonical form hashes to `request_hash`.
/// Call inside a write transaction. Two first requests racing each other meet
/// the primary key: the loser's insert fails with a unique violation, which
/// callers read as [`Claim::InProgress`].
pub fn claim(
    conn: &mut DbConn,
    merchant_id: i64,
    key: &str,
    request_hash: &str,
    at: NaiveDateTime,
) -> Result<Claim, StoreError> {
    let at = claim_time(at);
    let existing: Option<Row> = idempotency_keys::table
        .find((merchant_id, key))
        .select((
            idempotency_keys::request_hash,
            idempotency_keys::state,
            idempotency_keys::response_status,
            idempotency_keys::response_body,
            idempotency_keys::created_at,
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
            Ok(Claim::Run { claimed_at: at })
        }
        Some((hash, _, _, _, _)) if hash != request_hash => Ok(Claim::Mismatch),
        Some((_, state, Some(status), Some(body), _)) if state == "done" => {
            Ok(Claim::Replay { status: u16::try_from(status).unwrap_or(500), body })
        }
        Some((_, _, _, _, claimed)) if (at - claimed).num_seconds() >= limits::IDEMPOTENCY_TAKEOVER_SECS => {
            // The request holding it died before finishing: nothing of it was committed.
            let taken = diesel::update(
                idempotency_keys::table
                    .find((merchant_id, key))
                    .filter(idempotency_keys::state.eq("running"))
                    .filter(idempotency_keys::created_at.eq(claimed)),
            )
            .set(idempotency_keys::created_at.eq(at))
            .execute(conn)?;
            Ok(if taken == 1 { Claim::Run { claimed_at: at } } else { Claim::InProgress })
        }
        Some(_) => Ok(Claim::InProgress),
    }
}

/// Stores the answer to replay, in the business change's transaction. Fails with
/// [`StoreError::IdempotencyTakenOver`] when this request no longer holds the claim (it was
/// taken over), so the caller's transaction rolls back and nothing happens twice.
pub fn finish(
    conn: &mut DbConn,
    merchant_id: i64,
    key: &str,
    claimed_at: NaiveDateTime,
    status: u16,
    body: &str,
) -> Result<(), StoreError> {
    let updated = diesel::update(
        idempotency_keys::table
            .find((merchant_id, key))
            .filter(idempotency_keys::state.eq("running"))
            .filter(idempotency_keys::created_at.eq(claimed_at)),
    )
    .set((
        idempotency_keys::state.eq("done"),
        idempotency_keys::response_status.eq(Some(i32::from(status))),
        idempotency_keys::response_body.eq(Some(body)),
    ))
    .execute(conn)?;
    if updated == 1 {
        Ok(())
    } else {
        Err(StoreError::IdempotencyTakenOver("the idempotency claim was taken over".into()))
    }
}

/// Gives up a claim whose request changed nothing, so a retry runs afresh.
pub fn release(
    conn: &mut DbConn,
    merchant_id: i64,
    key: &str,
    claimed_at: NaiveDateTime,
) -> Result<(), StoreError> {
    diesel::delete(
        idempotency_keys::table
            .find((merchant_id, key))
            .filter(idempotency_keys::state.eq("running"))
            .filter(idempotency_keys::created_at.eq(claimed_at)),
    )
    .execute(conn)?;
    Ok(())
}
