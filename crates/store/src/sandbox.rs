//! The sandbox bank's own book of payout and refund instructions: what it received, when it
//! will pay, and what it decided. Only the sandbox bank uses these tables; the
//! platform learns the outcome from the bank's signed notifications.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConn;
use crate::error::StoreError;
use crate::schema::{sandbox_payouts, sandbox_refunds};

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

/// A refund the sandbox bank was asked to return to a buyer (原路返回).
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct BankRefund {
    pub refund_no: String,
    /// The payment it returns.
    pub trade_no: String,
    pub amount: i64,
    /// `received`, `returned` or `failed`.
    pub state: String,
    pub due_at: NaiveDateTime,
    pub received_at: NaiveDateTime,
}

/// The bank takes a refund instruction; the same one twice is one instruction.
pub fn receive_refund(
    conn: &mut DbConn,
    refund_no: &str,
    trade_no: &str,
    amount: i64,
    due_at: NaiveDateTime,
    at: NaiveDateTime,
) -> Result<(), StoreError> {
    let exists = sandbox_refunds::table.find(refund_no).count().get_result::<i64>(conn)? > 0;
    if !exists {
        diesel::insert_into(sandbox_refunds::table)
            .values((
                sandbox_refunds::refund_no.eq(refund_no),
                sandbox_refunds::trade_no.eq(trade_no),
                sandbox_refunds::amount.eq(amount),
                sandbox_refunds::state.eq("received"),
                sandbox_refunds::due_at.eq(due_at),
                sandbox_refunds::received_at.eq(at),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Refund instructions to decide by `at`.
pub fn due_refunds(conn: &mut DbConn, at: NaiveDateTime, limit: i64) -> Result<Vec<BankRefund>, StoreError> {
    Ok(sandbox_refunds::table
        .filter(sandbox_refunds::state.eq("received"))
        .filter(sandbox_refunds::due_at.le(at))
        .order(sandbox_refunds::received_at.asc())
        .limit(limit)
        .load(conn)?)
}

/// Decides a received refund instruction; false if it was decided already.
pub fn decide_refund(conn: &mut DbConn, refund_no: &str, to: &str) -> Result<bool, StoreError> {
    let n =
        diesel::update(sandbox_refunds::table.find(refund_no).filter(sandbox_refunds::state.eq("received")))
            .set(sandbox_refunds::state.eq(to))
            .execute(conn)?;
    Ok(n == 1)
}
