//! Recharge orders and the sandbox bank's notification queue.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConn;
use crate::error::StoreError;
use crate::schema::{recharge_orders, sandbox_bank_notifications};

#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct RechargeOrder {
    pub id: i64,
    pub order_no: String,
    pub merchant_id: i64,
    pub operator_id: i64,
    pub bank: String,
    pub amount: i64,
    pub status: String,
    pub created_at: NaiveDateTime,
    pub paid_at: Option<NaiveDateTime>,
}

pub fn create_order(
    conn: &mut DbConn,
    order_no: &str,
    merchant_id: i64,
    operator_id: i64,
    bank: &str,
    amount: i64,
    at: NaiveDateTime,
) -> Result<RechargeOrder, StoreError> {
    let id = diesel::insert_into(recharge_orders::table)
        .values((
            recharge_orders::order_no.eq(order_no),
            recharge_orders::merchant_id.eq(merchant_id),
            recharge_orders::operator_id.eq(operator_id),
            recharge_orders::bank.eq(bank),
            recharge_orders::amount.eq(amount),
            recharge_orders::status.eq("pending"),
            recharge_orders::created_at.eq(at),
        ))
        .returning(recharge_orders::id)
        .get_result::<i64>(conn)?;
    Ok(recharge_orders::table.find(id).first(conn)?)
}

pub fn find_order(conn: &mut DbConn, order_no: &str) -> Result<Option<RechargeOrder>, StoreError> {
    Ok(recharge_orders::table.filter(recharge_orders::order_no.eq(order_no)).first(conn).optional()?)
}

/// Sum of today's paid and still-open recharges from one bank: what counts
/// against its daily limit.
pub fn used_since(
    conn: &mut DbConn,
    merchant_id: i64,
    bank: &str,
    since: NaiveDateTime,
) -> Result<i64, StoreError> {
    let amounts: Vec<i64> = recharge_orders::table
        .filter(recharge_orders::merchant_id.eq(merchant_id))
        .filter(recharge_orders::bank.eq(bank))
        .filter(recharge_orders::created_at.ge(since))
        .filter(recharge_orders::status.eq_any(["pending", "paid"]))
        .select(recharge_orders::amount)
        .load(conn)?;
    Ok(amounts.iter().sum())
}

/// Moves an order out of `pending`; false if it had already left it, which is
/// what makes a replayed notification harmless.
pub fn settle(
    conn: &mut DbConn,
    order_no: &str,
    status: &str,
    at: NaiveDateTime,
) -> Result<bool, StoreError> {
    let paid_at = (status == "paid").then_some(at);
    let n = diesel::update(
        recharge_orders::table
            .filter(recharge_orders::order_no.eq(order_no))
            .filter(recharge_orders::status.eq("pending")),
    )
    .set((recharge_orders::status.eq(status), recharge_orders::paid_at.eq(paid_at)))
    .execute(conn)?;
    Ok(n == 1)
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct Notification {
    pub id: i64,
    pub order_no: String,
    pub payload: String,
    pub signature: String,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub acknowledged_at: Option<NaiveDateTime>,
    pub last_error: Option<String>,
    pub created_at: NaiveDateTime,
}

pub fn queue_notification(
    conn: &mut DbConn,
    order_no: &str,
    payload: &str,
    signature: &str,
    at: NaiveDateTime,
) -> Result<i64, StoreError> {
    let id = diesel::insert_into(sandbox_bank_notifications::table)
        .values((
            sandbox_bank_notifications::order_no.eq(order_no),
            sandbox_bank_notifications::payload.eq(payload),
            sandbox_bank_notifications::signature.eq(signature),
            sandbox_bank_notifications::attempts.eq(0),
            sandbox_bank_notifications::next_attempt_at.eq(at),
            sandbox_bank_notifications::created_at.eq(at),
        ))
        .returning(sandbox_bank_notifications::id)
        .get_result::<i64>(conn)?;
    Ok(id)
}

/// Notifications due at `at`, oldest first.
pub fn due_notifications(
    conn: &mut DbConn,
    at: NaiveDateTime,
    limit: i64,
) -> Result<Vec<Notification>, StoreError> {
    Ok(sandbox_bank_notifications::table
        .filter(sandbox_bank_notifications::acknowledged_at.is_null())
        .filter(sandbox_bank_notifications::next_attempt_at.le(at))
        .order(sandbox_bank_notifications::id.asc())
        .limit(limit)
        .load(conn)?)
}

/// How many notifications with attempts left are not acknowledged yet (due,
/// or leased by a worker sending them right now).
pub fn unacknowledged(conn: &mut DbConn, max_attempts: i32) -> Result<i64, StoreError> {
    Ok(sandbox_bank_notifications::table
        .filter(sandbox_bank_notifications::acknowledged_at.is_null())
        .filter(sandbox_bank_notifications::attempts.lt(max_attempts))
        .count()
        .get_result(conn)?)
}

/// Takes a notification for one delivery attempt by pushing its next attempt
/// out; false if another worker took it first.
pub fn lease(conn: &mut DbConn, n: &Notification, until: NaiveDateTime) -> Result<bool, StoreError> {
    let taken = diesel::update(
        sandbox_bank_notifications::table
            .find(n.id)
            .filter(sandbox_bank_notifications::attempts.eq(n.attempts))
            .filter(sandbox_bank_notifications::acknowledged_at.is_null()),
    )
    .set((
        sandbox_bank_notifications::attempts.eq(n.attempts + 1),
        sandbox_bank_notifications::next_attempt_at.eq(until),
    ))
    .execute(conn)?;
    Ok(taken == 1)
}

pub fn acknowledge(conn: &mut DbConn, id: i64, at: NaiveDateTime) -> Result<(), StoreError> {
    diesel::update(sandbox_bank_notifications::table.find(id))
        .set(sandbox_bank_notifications::acknowledged_at.eq(Some(at)))
        .execute(conn)?;
    Ok(())
}

pub fn record_failure(conn: &mut DbConn, id: i64, error: &str) -> Result<(), StoreError> {
    diesel::update(sandbox_bank_notifications::table.find(id))
        .set(sandbox_bank_notifications::last_error.eq(Some(error)))
        .execute(conn)?;
    Ok(())
}
