//! Payouts handed to a bank, and what the bank made of them.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use paydesk_domain::draft::PayoutSpeed;
use paydesk_domain::states::PayoutStatus;

use crate::db::DbConn;
use crate::error::StoreError;
use crate::schema::payouts;

#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct Payout {
    pub id: i64,
    pub application_id: i64,
    pub merchant_id: i64,
    #[diesel(deserialize_as = String)]
    pub speed: PayoutSpeed,
    pub bank: String,
    pub branch_name: String,
    pub account_no: String,
    pub account_name: String,
    pub amount: i64,
    pub fee: i64,
    #[diesel(deserialize_as = String)]
    pub status: PayoutStatus,
    pub due_at: NaiveDateTime,
    pub bank_reference: Option<String>,
    pub failure_reason: Option<String>,
    pub created_at: NaiveDateTime,
    pub settled_at: Option<NaiveDateTime>,
    pub returned_at: Option<NaiveDateTime>,
    /// 交易订单号, the number people see.
    pub trade_no: String,
    /// The application line it pays (none for payouts from before lines had a status).
    pub line_id: Option<i64>,
}

pub struct NewPayout<'a> {
    pub trade_no: &'a str,
    pub application_id: i64,
    pub line_id: i64,
    pub merchant_id: i64,
    pub speed: PayoutSpeed,
    pub bank: &'a str,
    pub branch_name: &'a str,
    pub account_no: &'a str,
    pub account_name: &'a str,
    pub amount: i64,
    pub fee: i64,
    pub due_at: NaiveDateTime,
    pub at: NaiveDateTime,
}

pub fn submit(conn: &mut DbConn, p: &NewPayout<'_>) -> Result<i64, StoreError> {
    let id = diesel::insert_into(payouts::table)
        .values((
            payouts::trade_no.eq(p.trade_no),
            payouts::application_id.eq(p.application_id),
            payouts::line_id.eq(Some(p.line_id)),
            payouts::merchant_id.eq(p.merchant_id),
            payouts::speed.eq(p.speed.as_str()),
            payouts::bank.eq(p.bank),
            payouts::branch_name.eq(p.branch_name),
            payouts::account_no.eq(p.account_no),
            payouts::account_name.eq(p.account_name),
            payouts::amount.eq(p.amount),
            payouts::fee.eq(p.fee),
            payouts::status.eq(PayoutStatus::Submitted.as_str()),
            payouts::due_at.eq(p.due_at),
            payouts::created_at.eq(p.at),
        ))
        .returning(payouts::id)
        .get_result::<i64>(conn)?;
    Ok(id)
}

pub fn find(conn: &mut DbConn, id: i64) -> Result<Option<Payout>, StoreError> {
    Ok(payouts::table.find(id).first(conn).optional()?)
}

/// The payout a bank names by its 交易订单号.
pub fn find_by_trade_no(conn: &mut DbConn, trade_no: &str) -> Result<Option<Payout>, StoreError> {
    Ok(payouts::table.filter(payouts::trade_no.eq(trade_no)).first(conn).optional()?)
}

pub fn of_application(conn: &mut DbConn, application_id: i64) -> Result<Vec<Payout>, StoreError> {
    Ok(payouts::table
        .filter(payouts::application_id.eq(application_id))
        .order(payouts::id.asc())
        .load(conn)?)
}

/// Moves a payout from one status to another; false if it had moved already.
#[allow(clippy::too_many_arguments)]
pub fn transition(
    conn: &mut DbConn,
    id: i64,
    from: PayoutStatus,
    to: PayoutStatus,
    reference: Option<&str>,
    reason: Option<&str>,
    next_due: Option<NaiveDateTime>,
    at: NaiveDateTime,
) -> Result<bool, StoreError> {
    let target = payouts::table.find(id).filter(payouts::status.eq(from.as_str()));
    let n = match to {
        PayoutStatus::Returned => diesel::update(target)
            .set((
                payouts::status.eq(to.as_str()),
                payouts::returned_at.eq(Some(at)),
                payouts::failure_reason.eq(reason),
            ))
            .execute(conn)?,
        _ => diesel::update(target)
            .set((
                payouts::status.eq(to.as_str()),
                payouts::settled_at.eq(Some(at)),
                payouts::bank_reference.eq(reference),
                payouts::failure_reason.eq(reason),
                payouts::due_at.eq(next_due.unwrap_or(at)),
            ))
            .execute(conn)?,
    };
    Ok(n == 1)
}
