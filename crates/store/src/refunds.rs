//! Refunds (退款, issue 13): one row per refund, beside the line of the refund
//! application it belongs to (the same number), and the refund counters on its
//! trade. The counters move by one conditional `UPDATE` each, so two refunds
//! of one trade racing can't both take the same money: the second finds the
//! trade changed and is refused, retryable.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use paydesk_domain::refunds::RefundStatus;
use paydesk_domain::trades::TradeStatus;

use crate::db::DbConn;
use crate::error::StoreError;
use crate::schema::{refunds, trades};

#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct Refund {
    pub id: i64,
    /// 退款交易号: the number of its line in the refund application.
    pub refund_no: String,
    pub merchant_id: i64,
    pub trade_id: i64,
    pub application_id: i64,
    /// 退款商户订单号.
    pub refund_order_no: Option<String>,
    /// 商户批次号 of a batch refund.
    pub batch_no: Option<String>,
    /// The API client that asked for it.
    pub app_id: Option<String>,
    pub amount: i64,
    /// 退还服务费.
    pub fee_back: i64,
    /// Held out of pending settlement: the trade hadn't settled when it was
    /// applied for.
    pub from_pending: bool,
    #[diesel(deserialize_as = String)]
    pub status: RefundStatus,
    pub remark: String,
    pub failure_reason: Option<String>,
    pub bank_reference: Option<String>,
    pub created_at: NaiveDateTime,
    pub finished_at: Option<NaiveDateTime>,
}

pub struct NewRefund<'a> {
    pub refund_no: &'a str,
    pub merchant_id: i64,
    pub trade_id: i64,
    pub application_id: i64,
    pub refund_order_no: Option<&'a str>,
    pub batch_no: Option<&'a str>,
    pub app_id: Option<&'a str>,
    pub amount: i64,
    pub fee_back: i64,
    pub from_pending: bool,
    pub remark: &'a str,
    pub at: NaiveDateTime,
}

/// Records a refund waiting for review; returns it as stored.
pub fn create(conn: &mut DbConn, r: &NewRefund<'_>) -> Result<Refund, StoreError> {
    Ok(diesel::insert_into(refunds::table)
        .values((
            refunds::refund_no.eq(r.refund_no),
            refunds::merchant_id.eq(r.merchant_id),
            refunds::trade_id.eq(r.trade_id),
            refunds::application_id.eq(r.application_id),
            refunds::refund_order_no.eq(r.refund_order_no),
            refunds::batch_no.eq(r.batch_no),
            refunds::app_id.eq(r.app_id),
            refunds::amount.eq(r.amount),
            refunds::fee_back.eq(r.fee_back),
            refunds::from_pending.eq(r.from_pending),
            refunds::status.eq(RefundStatus::Pending.as_str()),
            refunds::remark.eq(r.remark),
            refunds::created_at.eq(r.at),
        ))
        .returning(refunds::all_columns)
        .get_result(conn)?)
}

pub fn by_refund_no(conn: &mut DbConn, refund_no: &str) -> Result<Option<Refund>, StoreError> {
    Ok(refunds::table.filter(refunds::refund_no.eq(refund_no)).first(conn).optional()?)
}

pub fn by_order_no(
    conn: &mut DbConn,
    merchant_id: i64,
    refund_order_no: &str,
) -> Result<Option<Refund>, StoreError> {
    Ok(refunds::table
        .filter(refunds::merchant_id.eq(merchant_id))
        .filter(refunds::refund_order_no.eq(refund_order_no))
        .first(conn)
        .optional()?)
}

/// A trade's refunds, oldest first (退款记录).
pub fn of_trade(conn: &mut DbConn, trade_id: i64) -> Result<Vec<Refund>, StoreError> {
    Ok(refunds::table.filter(refunds::trade_id.eq(trade_id)).order(refunds::id.asc()).load(conn)?)
}

/// An application's refunds, in line order.
pub fn of_application(conn: &mut DbConn, application_id: i64) -> Result<Vec<Refund>, StoreError> {
    Ok(refunds::table
        .filter(refunds::application_id.eq(application_id))
        .order(refunds::id.asc())
        .load(conn)?)
}

/// Moves a refund `from` → `to`; false when it had moved already (a repeated
/// bank notice, a second reviewer).
pub fn transition(
    conn: &mut DbConn,
    id: i64,
    from: RefundStatus,
    to: RefundStatus,
    reason: Option<&str>,
    bank_reference: Option<&str>,
    at: NaiveDateTime,
) -> Result<bool, StoreError> {
    let finished = matches!(to, RefundStatus::Succeeded | RefundStatus::Failed | RefundStatus::Rejected);
    let n = diesel::update(refunds::table.find(id).filter(refunds::status.eq(from.as_str())))
        .set((
            refunds::status.eq(to.as_str()),
            refunds::failure_reason.eq(reason),
            refunds::bank_reference.eq(bank_reference),
            refunds::finished_at.eq(finished.then_some(at)),
        ))
        .execute(conn)?;
    Ok(n == 1)
}

/// What a refund's hold saw of its trade: the trade's state, what its refunds
/// held and how many there were. The hold moves the counters only if the trade
/// is still as seen.
#[derive(Debug, Clone, Copy)]
pub struct Seen {
    pub status: TradeStatus,
    pub refunded: i64,
    pub refund_count: i32,
}

/// Counts a refund of `amount` (fee share `fee_back`) on its trade if the trade
/// is still as `seen`; a refund of a trade not settled yet also counts as held
/// out of pending settlement. False when the trade changed meanwhile.
pub fn count_on_trade(
    conn: &mut DbConn,
    trade_id: i64,
    seen: Seen,
    amount: i64,
    fee_back: i64,
) -> Result<bool, StoreError> {
    let from_pending = seen.status != TradeStatus::Settled;
    let (pending, pending_fee) = if from_pending { (amount, fee_back) } else { (0, 0) };
    let n = diesel::update(
        trades::table
            .find(trade_id)
            .filter(trades::status.eq(seen.status.as_str()))
            .filter(trades::refunded.eq(seen.refunded))
            .filter(trades::refund_count.eq(seen.refund_count)),
    )
    .set((
        trades::refunded.eq(trades::refunded + amount),
        trades::refund_count.eq(trades::refund_count + 1),
        trades::held_from_pending.eq(trades::held_from_pending + pending),
        trades::fee_from_pending.eq(trades::fee_from_pending + pending_fee),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// A refund that gave its money back (rejected, failed at the bank) stops
/// counting on its trade. Returns whether its money goes back to pending
/// settlement: held from there, and the trade still unsettled — decided by the
/// same `UPDATE` that takes the trade's row, so a settlement running at the
/// same moment either sees the money back in pending or has left it out.
pub fn uncount_on_trade(conn: &mut DbConn, refund: &Refund) -> Result<bool, StoreError> {
    if refund.from_pending {
        let n = diesel::update(
            trades::table.find(refund.trade_id).filter(trades::status.ne(TradeStatus::Settled.as_str())),
        )
        .set((
            trades::refunded.eq(trades::refunded - refund.amount),
            trades::held_from_pending.eq(trades::held_from_pending - refund.amount),
            trades::fee_from_pending.eq(trades::fee_from_pending - refund.fee_back),
        ))
        .execute(conn)?;
        if n == 1 {
            return Ok(true);
        }
    }
    diesel::update(trades::table.find(refund.trade_id))
        .set(trades::refunded.eq(trades::refunded - refund.amount))
        .execute(conn)?;
    Ok(false)
}
