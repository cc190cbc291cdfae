//! 交易记录 (issue 13): one merchant's transactions of one query type, newest
//! first, filtered as `domain::records` checked them. Each type reads its own
//! table; every row comes out as one [`Record`]. Totals are counted up to
//! `limits::RECORD_COUNT_CAP` (an index scan of at most that many ids), so a
//! month of a busy shop costs the same as a quiet one.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use paydesk_domain::limits::RECORD_COUNT_CAP;
use paydesk_domain::records::{RecordFilter, RecordType};
use paydesk_domain::refunds::TradeFacts;

use crate::db::DbConn;
use crate::error::StoreError;
use crate::schema::{application_lines, applications, payouts, recharge_orders, refunds, trades};
use crate::trades::Trade;

/// One row of 交易记录, whatever its type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub created_at: NaiveDateTime,
    /// 交易订单号 (a refund's 退款交易号, a recharge's order number).
    pub trade_no: String,
    /// 商户订单号 (a refund's 退款商户订单号).
    pub merchant_order_no: Option<String>,
    /// A code of the type's 交易类型.
    pub trade_type: String,
    pub amount: i64,
    /// 服务费 (a refund's 退还服务费).
    pub fee: i64,
    /// A code of the type's 交易状态.
    pub status: String,
    /// Whom or what it concerns: a trade's subject, a payee, the bank, a
    /// refund's original trade number.
    pub counterparty: String,
    /// A gateway trade as a refund sees it (退款金额, whether 退款 is offered).
    pub trade: Option<TradeFacts>,
}

/// The range of a filter: from the first day's midnight to the midnight after
/// the last day, in the time the rows were written in.
#[derive(Debug, Clone, Copy)]
pub struct Range {
    pub from: NaiveDateTime,
    pub until: NaiveDateTime,
}

/// A page of records and how many match, up to the cap (`capped`: more do).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordPage {
    pub rows: Vec<Record>,
    pub total: i64,
    pub capped: bool,
}

/// What the count selects: a constant, so an index that answers the filter
/// answers the count alone (no row is read for it).
fn one() -> diesel::expression::SqlLiteral<diesel::sql_types::Integer> {
    diesel::dsl::sql::<diesel::sql_types::Integer>("1")
}

fn counted(hits: Vec<i32>) -> usize {
    hits.len()
}

fn page_of(rows: Vec<Record>, ids: usize) -> RecordPage {
    let found = i64::try_from(ids).unwrap_or(i64::MAX);
    RecordPage { rows, total: found.min(RECORD_COUNT_CAP), capped: found > RECORD_COUNT_CAP }
}

/// One page (`limit` rows from `offset`) of the merchant's records under `f`.
pub fn page(
    conn: &mut DbConn,
    merchant_id: i64,
    f: &RecordFilter,
    range: Range,
    limit: i64,
    offset: i64,
) -> Result<RecordPage, StoreError> {
    match f.kind {
        RecordType::Gateway => gateway(conn, merchant_id, f, range, limit, offset),
        RecordType::Recharge => recharges(conn, merchant_id, f, range, limit, offset),
        RecordType::Withdrawal | RecordType::Transfer | RecordType::Payroll => {
            lines(conn, merchant_id, f, range, limit, offset)
        }
        RecordType::Refund => refunds_page(conn, merchant_id, f, range, limit, offset),
        RecordType::Bounce => bounces(conn, merchant_id, f, range, limit, offset),
    }
}

fn gateway(
    conn: &mut DbConn,
    merchant_id: i64,
    f: &RecordFilter,
    range: Range,
    limit: i64,
    offset: i64,
) -> Result<RecordPage, StoreError> {
    let filtered = || {
        let mut q = trades::table
            .filter(trades::merchant_id.eq(merchant_id))
            .filter(trades::created_at.ge(range.from))
            .filter(trades::created_at.lt(range.until))
            .into_boxed();
        if let Some(mode) = f.trade_type {
            q = q.filter(trades::mode.eq(mode));
        }
        if let Some(status) = f.status {
            q = q.filter(trades::status.eq(status));
        }
        if let Some(k) = &f.keyword {
            q = q.filter(trades::trade_no.eq(k.clone()).or(trades::merchant_order_no.eq(k.clone())));
        }
        q
    };
    let rows: Vec<Trade> = filtered()
        .order((trades::created_at.desc(), trades::id.desc()))
        .limit(limit)
        .offset(offset)
        .load(conn)?;
    let ids = counted(filtered().select(one()).limit(RECORD_COUNT_CAP + 1).load(conn)?);
    let rows = rows
        .into_iter()
        .map(|t| {
            Ok(Record {
                created_at: t.created_at,
                trade: Some(t.refund_facts()?),
                trade_no: t.trade_no,
                merchant_order_no: Some(t.merchant_order_no),
                trade_type: t.mode.as_str().to_owned(),
                amount: t.amount,
                fee: t.fee,
                status: t.status.as_str().to_owned(),
                counterparty: t.subject,
            })
        })
        .collect::<Result<_, StoreError>>()?;
    Ok(page_of(rows, ids))
}

fn recharges(
    conn: &mut DbConn,
    merchant_id: i64,
    f: &RecordFilter,
    range: Range,
    limit: i64,
    offset: i64,
) -> Result<RecordPage, StoreError> {
    let filtered = || {
        let mut q = recharge_orders::table
            .filter(recharge_orders::merchant_id.eq(merchant_id))
            .filter(recharge_orders::created_at.ge(range.from))
            .filter(recharge_orders::created_at.lt(range.until))
            .into_boxed();
        if let Some(status) = f.status {
            q = q.filter(recharge_orders::status.eq(status));
        }
        if let Some(k) = &f.keyword {
            q = q.filter(recharge_orders::order_no.eq(k.clone()));
        }
        q
    };
    let rows: Vec<(NaiveDateTime, String, String, i64, String)> = filtered()
        .select((
            recharge_orders::created_at,
            recharge_orders::order_no,
            recharge_orders::bank,
            recharge_orders::amount,
            recharge_orders::status,
        ))
        .order((recharge_orders::created_at.desc(), recharge_orders::id.desc()))
        .limit(limit)
        .offset(offset)
        .load(conn)?;
    let ids = counted(filtered().select(one()).limit(RECORD_COUNT_CAP + 1).load(conn)?);
    let rows = rows
        .into_iter()
        .map(|(created_at, order_no, bank, amount, status)| Record {
            created_at,
            trade_no: order_no,
            merchant_order_no: None,
            trade_type: "online_banking".to_owned(),
            amount,
            fee: 0,
            status,
            counterparty: paydesk_domain::banks::find(&bank).map_or(bank.clone(), |b| b.name.to_owned()),
            trade: None,
        })
        .collect();
    Ok(page_of(rows, ids))
}

/// The application kinds of a line-based query type and 交易类型.
fn kinds_of(f: &RecordFilter) -> &'static [&'static str] {
    match (f.kind, f.trade_type) {
        (RecordType::Withdrawal, _) => &["withdrawal"],
        (RecordType::Payroll, _) => &["payroll"],
        (RecordType::Transfer, Some("platform_account")) => &["transfer", "batch_transfer"],
        (RecordType::Transfer, Some(_)) => &["bank_payout", "batch_bank_payout"],
        _ => &["transfer", "batch_transfer", "bank_payout", "batch_bank_payout"],
    }
}

type LineRow =
    (NaiveDateTime, String, Option<String>, String, Option<String>, i64, i64, String, String, String);

fn lines(
    conn: &mut DbConn,
    merchant_id: i64,
    f: &RecordFilter,
    range: Range,
    limit: i64,
    offset: i64,
) -> Result<RecordPage, StoreError> {
    let filtered = || {
        let mut q = application_lines::table
            .inner_join(applications::table)
            .filter(applications::merchant_id.eq(merchant_id))
            .filter(applications::kind.eq_any(kinds_of(f)))
            .filter(applications::created_at.ge(range.from))
            .filter(applications::created_at.lt(range.until))
            .into_boxed();
        if let (RecordType::Withdrawal, Some(speed)) = (f.kind, f.trade_type) {
            q = q.filter(application_lines::payout_speed.eq(speed));
        }
        if let Some(status) = f.status {
            q = q.filter(application_lines::status.eq(status));
        }
        if let Some(k) = &f.keyword {
            q = q.filter(
                application_lines::trade_no
                    .eq(k.clone())
                    .or(application_lines::merchant_order_no.eq(k.clone()))
                    .or(applications::trade_no.eq(k.clone())),
            );
        }
        q
    };
    let rows: Vec<LineRow> = filtered()
        .select((
            applications::created_at,
            application_lines::trade_no,
            application_lines::merchant_order_no,
            application_lines::payee_kind,
            application_lines::payout_speed,
            application_lines::amount,
            application_lines::fee,
            application_lines::status,
            application_lines::payee_name,
            application_lines::payee_account,
        ))
        .order((applications::created_at.desc(), application_lines::id.desc()))
        .limit(limit)
        .offset(offset)
        .load(conn)?;
    let ids = counted(filtered().select(one()).limit(RECORD_COUNT_CAP + 1).load(conn)?);
    let rows = rows
        .into_iter()
        .map(
            |(
                created_at,
                trade_no,
                merchant_order_no,
                payee_kind,
                speed,
                amount,
                fee,
                status,
                name,
                account,
            )| {
                let trade_type = match f.kind {
                    RecordType::Withdrawal => speed.unwrap_or_else(|| "standard".to_owned()),
                    RecordType::Payroll => "payroll".to_owned(),
                    _ if payee_kind == "platform_account" => "platform_account".to_owned(),
                    _ => "bank_account".to_owned(),
                };
                let bank = payee_kind != "platform_account";
                let account = if bank { masked(&account) } else { account };
                Record {
                    created_at,
                    trade_no,
                    merchant_order_no,
                    trade_type,
                    amount,
                    fee,
                    status,
                    counterparty: format!("{name} {account}").trim().to_owned(),
                    trade: None,
                }
            },
        )
        .collect();
    Ok(page_of(rows, ids))
}

/// A bank account number as lists show it: the last four digits.
fn masked(account: &str) -> String {
    paydesk_domain::identity::BankAccountNo::parse(account)
        .map_or_else(|_| account.to_owned(), |n| n.masked())
}

fn refunds_page(
    conn: &mut DbConn,
    merchant_id: i64,
    f: &RecordFilter,
    range: Range,
    limit: i64,
    offset: i64,
) -> Result<RecordPage, StoreError> {
    let filtered = || {
        let mut q = refunds::table
            .inner_join(trades::table)
            .filter(refunds::merchant_id.eq(merchant_id))
            .filter(refunds::created_at.ge(range.from))
            .filter(refunds::created_at.lt(range.until))
            .into_boxed();
        match f.trade_type {
            Some("batch_refund") => q = q.filter(refunds::batch_no.is_not_null()),
            Some(_) => q = q.filter(refunds::batch_no.is_null()),
            None => {}
        }
        if let Some(status) = f.status {
            q = q.filter(refunds::status.eq(status));
        }
        if let Some(k) = &f.keyword {
            q = q.filter(
                refunds::refund_no
                    .eq(k.clone())
                    .or(refunds::refund_order_no.eq(k.clone()))
                    .or(trades::trade_no.eq(k.clone())),
            );
        }
        q
    };
    #[allow(clippy::type_complexity)]
    let rows: Vec<(NaiveDateTime, String, Option<String>, Option<String>, i64, i64, String, String)> =
        filtered()
            .select((
                refunds::created_at,
                refunds::refund_no,
                refunds::refund_order_no,
                refunds::batch_no,
                refunds::amount,
                refunds::fee_back,
                refunds::status,
                trades::trade_no,
            ))
            .order((refunds::created_at.desc(), refunds::id.desc()))
            .limit(limit)
            .offset(offset)
            .load(conn)?;
    let ids = counted(filtered().select(one()).limit(RECORD_COUNT_CAP + 1).load(conn)?);
    let rows = rows
        .into_iter()
        .map(|(created_at, refund_no, order_no, batch_no, amount, fee, status, trade_no)| Record {
            created_at,
            trade_no: refund_no,
            merchant_order_no: order_no,
            trade_type: if batch_no.is_some() { "batch_refund" } else { "refund" }.to_owned(),
            amount,
            fee,
            status,
            counterparty: trade_no,
            trade: None,
        })
        .collect();
    Ok(page_of(rows, ids))
}

fn bounces(
    conn: &mut DbConn,
    merchant_id: i64,
    f: &RecordFilter,
    range: Range,
    limit: i64,
    offset: i64,
) -> Result<RecordPage, StoreError> {
    let kinds: &[&str] = match f.trade_type {
        Some("withdrawal") => &["withdrawal"],
        Some("payroll") => &["payroll"],
        Some(_) => &["bank_payout", "batch_bank_payout"],
        None => &["withdrawal", "payroll", "bank_payout", "batch_bank_payout"],
    };
    let filtered = || {
        let mut q = payouts::table
            .inner_join(applications::table.on(applications::id.eq(payouts::application_id)))
            .filter(payouts::merchant_id.eq(merchant_id))
            .filter(payouts::status.eq("returned"))
            .filter(applications::kind.eq_any(kinds))
            .filter(payouts::created_at.ge(range.from))
            .filter(payouts::created_at.lt(range.until))
            .into_boxed();
        if let Some(k) = &f.keyword {
            q = q.filter(payouts::trade_no.eq(k.clone()).or(applications::trade_no.eq(k.clone())));
        }
        q
    };
    #[allow(clippy::type_complexity)]
    let rows: Vec<(NaiveDateTime, String, String, i64, i64, String, String)> = filtered()
        .select((
            payouts::created_at,
            payouts::trade_no,
            applications::kind,
            payouts::amount,
            payouts::fee,
            payouts::account_name,
            payouts::account_no,
        ))
        .order((payouts::created_at.desc(), payouts::id.desc()))
        .limit(limit)
        .offset(offset)
        .load(conn)?;
    let ids = counted(filtered().select(one()).limit(RECORD_COUNT_CAP + 1).load(conn)?);
    let rows = rows
        .into_iter()
        .map(|(created_at, trade_no, kind, amount, fee, name, account)| Record {
            created_at,
            trade_no,
            merchant_order_no: None,
            trade_type: match kind.as_str() {
                "withdrawal" | "payroll" => kind.clone(),
                _ => "bank_account".to_owned(),
            },
            amount,
            fee,
            status: "returned".to_owned(),
            counterparty: format!("{name} {}", masked(&account)),
            trade: None,
        })
        .collect();
    Ok(page_of(rows, ids))
}
