//! The sandbox bank's own book of payout instructions: what it received, when it
//! will pay, and what it decided. Only the sandbox bank uses these tables; the
//! platform learns the outcome from the bank's signed notifications.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConn;
use crate::error::StoreError;
use crate::schema::sandbox_payouts;

#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct BankPayout {
    pub trade_no: String,
    pub account_no: String,
    pub amount: i64,
    pub due_at: NaiveDateTime,
    /// `received`, `paid`, `failed` or `returned`.
    pub state: String,
    pub return_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

/// The bank takes an instruction; the same one twice is one instruction.
pub fn receive(
    conn: &mut DbConn,
    trade_no: &str,
    account_no: &str,
    amount: i64,
    due_at: NaiveDateTime,
    at: NaiveDateTime,
) -> Result<(), StoreError> {
    let exists = sandbox_payouts::table.find(trade_no).count().get_result::<i64>(conn)? > 0;
    if !exists {
        diesel::insert_into(sandbox_payouts::table)
            .values((
                sandbox_payouts::trade_no.eq(trade_no),
                sandbox_payouts::account_no.eq(account_no),
                sandbox_payouts::amount.eq(amount),
                sandbox_payouts::due_at.eq(due_at),
                sandbox_payouts::state.eq("received"),
                sandbox_payouts::created_at.eq(at),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Instructions to decide by `at`.
pub fn due(conn: &mut DbConn, at: NaiveDateTime, limit: i64) -> Result<Vec<BankPayout>, StoreError> {
    Ok(sandbox_payouts::table
        .filter(sandbox_payouts::state.eq("received"))
        .filter(sandbox_payouts::due_at.le(at))
        .order(sandbox_payouts::created_at.asc())
        .limit(limit)
        .load(conn)?)
}

/// Paid payouts whose money comes back by `at` (退票).
pub fn returning(conn: &mut DbConn, at: NaiveDateTime, limit: i64) -> Result<Vec<BankPayout>, StoreError> {
    Ok(sandbox_payouts::table
        .filter(sandbox_payouts::state.eq("paid"))
        .filter(sandbox_payouts::return_at.le(at))
        .order(sandbox_payouts::created_at.asc())
        .limit(limit)
        .load(conn)?)
}

/// Moves an instruction from `from` to `to`; false if it had moved already.
pub fn decide(
    conn: &mut DbConn,
    trade_no: &str,
    from: &str,
    to: &str,
    return_at: Option<NaiveDateTime>,
) -> Result<bool, StoreError> {
    let n = diesel::update(sandbox_payouts::table.find(trade_no).filter(sandbox_payouts::state.eq(from)))
        .set((sandbox_payouts::state.eq(to), sandbox_payouts::return_at.eq(return_at)))
        .execute(conn)?;
    Ok(n == 1)
}
