//! Gateway trades (网关交易) and the merchant's notification address, and the
//! notification outbox with its delivery log.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Timestamp};
use paydesk_domain::fees::Product;
use paydesk_domain::gateway::EventKind;
use paydesk_domain::trades::{TradeMode, TradeStatus};

use crate::db::DbConn;
use crate::error::StoreError;
use crate::schema::{gateway_deliveries, gateway_events, notify_addresses, qr_codes, trades};

#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct Trade {
    pub id: i64,
    /// 交易订单号.
    pub trade_no: String,
    pub merchant_id: i64,
    /// The API client that created it.
    pub app_id: Option<String>,
    /// The QR code it was paid through (二维码收款).
    pub qr_code_id: Option<i64>,
    /// 商户订单号.
    pub merchant_order_no: String,
    pub subject: String,
    pub amount: i64,
    /// The acquiring fee, taken at settlement.
    pub fee: i64,
    #[diesel(deserialize_as = String)]
    pub product: Product,
    #[diesel(deserialize_as = String)]
    pub mode: TradeMode,
    #[diesel(deserialize_as = String)]
    pub status: TradeStatus,
    pub notify_url: Option<String>,
    pub return_url: Option<String>,
    /// The bank the buyer paid through, and its reference.
    pub bank: Option<String>,
    pub bank_reference: Option<String>,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub paid_at: Option<NaiveDateTime>,
    /// 发货: when the merchant said a guaranteed trade's goods left.
    pub shipped_at: Option<NaiveDateTime>,
    /// A guaranteed trade's receipt counts as confirmed at this time.
    pub auto_confirm_at: Option<NaiveDateTime>,
    pub completed_at: Option<NaiveDateTime>,
    /// T+1: settlement takes it from this time on.
    pub settle_after: Option<NaiveDateTime>,
    pub settled_at: Option<NaiveDateTime>,
    pub closed_at: Option<NaiveDateTime>,
    /// 已退金额: what its refunds hold (waiting, under way or done).
    pub refunded: i64,
    /// 退款笔数: all its refunds, whatever their state.
    pub refund_count: i32,
    /// What refunds hold out of pending settlement (applied for before the
    /// trade settled), and their fee shares: settlement leaves both out.
    pub held_from_pending: i64,
    pub fee_from_pending: i64,
}

impl Trade {
    /// The trade as a refund sees it.
    pub fn refund_facts(&self) -> Result<paydesk_domain::refunds::TradeFacts, StoreError> {
        let money = |fen: i64| {
            paydesk_domain::Money::from_fen(fen)
                .ok_or_else(|| StoreError::Corrupt(format!("trade {}: amount {fen}", self.trade_no)))
        };
        Ok(paydesk_domain::refunds::TradeFacts {
            status: self.status,
            amount: money(self.amount)?,
            fee: money(self.fee)?,
            refunded: money(self.refunded)?,
            refunds: u32::try_from(self.refund_count).unwrap_or(u32::MAX),
        })
    }
}

pub struct NewTrade<'a> {
    pub trade_no: &'a str,
    pub merchant_id: i64,
    pub app_id: Option<&'a str>,
    pub qr_code_id: Option<i64>,
    pub merchant_order_no: &'a str,
    pub subject: &'a str,
    pub amount: i64,
    pub fee: i64,
    pub product: Product,
    pub mode: TradeMode,
    pub notify_url: Option<&'a str>,
    pub return_url: Option<&'a str>,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
}

/// Stores a new trade (待支付), or nothing (`None`) when the merchant has a
/// trade under this merchant order number already — one statement that never
/// fails on the duplicate (`ON CONFLICT … DO NOTHING`), so the caller's
/// transaction goes on and can answer the trade that won.
pub fn create(conn: &mut DbConn, t: &NewTrade<'_>) -> Result<Option<Trade>, StoreError> {
    // Said on each backend's own connection (the two-backend one has no
    // upsert), so the statement is prepared once.
    let insert = diesel::insert_into(trades::table)
        .values((
            trades::trade_no.eq(t.trade_no),
            trades::merchant_id.eq(t.merchant_id),
            trades::app_id.eq(t.app_id),
            trades::qr_code_id.eq(t.qr_code_id),
            trades::merchant_order_no.eq(t.merchant_order_no),
            trades::subject.eq(t.subject),
            trades::amount.eq(t.amount),
            trades::fee.eq(t.fee),
            trades::product.eq(t.product.as_str()),
            trades::mode.eq(t.mode.as_str()),
            trades::status.eq(TradeStatus::Pending.as_str()),
            trades::notify_url.eq(t.notify_url),
            trades::return_url.eq(t.return_url),
            trades::created_at.eq(t.created_at),
            trades::expires_at.eq(t.expires_at),
        ))
        .on_conflict((trades::merchant_id, trades::merchant_order_no))
        .do_nothing();
    let inserted = match conn {
        // The insert answers the row.
        DbConn::Pg(pg) => {
            return Ok(insert.returning(trades::all_columns).get_result::<Trade>(pg).optional()?)
        }
        DbConn::Sqlite(sqlite) => insert.execute(sqlite)?,
    };
    if inserted == 0 {
        return Ok(None);
    }
    by_trade_no(conn, t.trade_no)
}

pub fn by_id(conn: &mut DbConn, id: i64) -> Result<Trade, StoreError> {
    trades::table.find(id).first(conn).optional()?.ok_or(StoreError::NotFound)
}

pub fn by_trade_no(conn: &mut DbConn, trade_no: &str) -> Result<Option<Trade>, StoreError> {
    Ok(trades::table.filter(trades::trade_no.eq(trade_no)).first(conn).optional()?)
}

pub fn by_order_no(
    conn: &mut DbConn,
    merchant_id: i64,
    merchant_order_no: &str,
) -> Result<Option<Trade>, StoreError> {
    Ok(trades::table
        .filter(trades::merchant_id.eq(merchant_id))
        .filter(trades::merchant_order_no.eq(merchant_order_no))
        .first(conn)
        .optional()?)
}

/// A merchant's trades, newest first, a page at a time.
pub fn of_merchant(
    conn: &mut DbConn,
    merchant_id: i64,
    offset: i64,
    limit: i64,
) -> Result<(Vec<Trade>, i64), StoreError> {
    let base = trades::table.filter(trades::merchant_id.eq(merchant_id));
    let total = base.count().get_result(conn)?;
    let rows =
        base.order((trades::created_at.desc(), trades::id.desc())).offset(offset).limit(limit).load(conn)?;
    Ok((rows, total))
}

/// What a state change writes beside the status.
#[derive(Debug, Clone, Default)]
pub struct Change<'a> {
    pub bank: Option<&'a str>,
    pub bank_reference: Option<&'a str>,
    pub auto_confirm_at: Option<NaiveDateTime>,
    pub settle_after: Option<NaiveDateTime>,
}

/// Moves a trade from `from` to `to` at `at`; false when it wasn't in `from`
/// any more (someone else moved it first), which is what makes each step
/// happen once however many workers or notices race for it.
pub fn transition(
    conn: &mut DbConn,
    id: i64,
    from: TradeStatus,
    to: TradeStatus,
    change: &Change<'_>,
    at: NaiveDateTime,
) -> Result<bool, StoreError> {
    let target = trades::table.find(id).filter(trades::status.eq(from.as_str()));
    let n = match to {
        TradeStatus::Paid | TradeStatus::Completed if from == TradeStatus::Pending => diesel::update(target)
            .set((
                trades::status.eq(to.as_str()),
                trades::paid_at.eq(Some(at)),
                trades::bank.eq(change.bank),
                trades::bank_reference.eq(change.bank_reference),
                trades::auto_confirm_at.eq(change.auto_confirm_at),
                trades::completed_at.eq((to == TradeStatus::Completed).then_some(at)),
                trades::settle_after.eq(change.settle_after),
            ))
            .execute(conn)?,
        TradeStatus::Completed => diesel::update(target)
            .set((
                trades::status.eq(to.as_str()),
                trades::completed_at.eq(Some(at)),
                trades::settle_after.eq(change.settle_after),
            ))
            .execute(conn)?,
        TradeStatus::Settled => diesel::update(target)
            .set((trades::status.eq(to.as_str()), trades::settled_at.eq(Some(at))))
            .execute(conn)?,
        TradeStatus::Closed | TradeStatus::Failed => diesel::update(target)
            .set((trades::status.eq(to.as_str()), trades::closed_at.eq(Some(at))))
            .execute(conn)?,
        TradeStatus::Pending | TradeStatus::Paid => 0,
    };
    Ok(n == 1)
}

/// Records that a paid guaranteed trade's goods left, and when its receipt
/// counts as confirmed; false when it isn't paid and unshipped.
pub fn mark_shipped(
    conn: &mut DbConn,
    id: i64,
    auto_confirm_at: NaiveDateTime,
    at: NaiveDateTime,
) -> Result<bool, StoreError> {
    let n = diesel::update(
        trades::table
            .find(id)
            .filter(trades::status.eq(TradeStatus::Paid.as_str()))
            .filter(trades::shipped_at.is_null()),
    )
    .set((trades::shipped_at.eq(Some(at)), trades::auto_confirm_at.eq(Some(auto_confirm_at))))
    .execute(conn)?;
    Ok(n == 1)
}

/// Trades in `status` whose `settle_after` (for `completed`), `auto_confirm_at`
/// (for `paid`) or `expires_at` (for `pending`) has come by `at`.
pub fn due(
    conn: &mut DbConn,
    status: TradeStatus,
    at: NaiveDateTime,
    limit: i64,
) -> Result<Vec<Trade>, StoreError> {
    let base = trades::table.filter(trades::status.eq(status.as_str())).into_boxed();
    let q = match status {
        TradeStatus::Completed => base.filter(trades::settle_after.le(at)).order(trades::settle_after.asc()),
        TradeStatus::Paid => base.filter(trades::auto_confirm_at.le(at)).order(trades::auto_confirm_at.asc()),
        _ => base.filter(trades::expires_at.le(at)).order(trades::expires_at.asc()),
    };
    Ok(q.limit(limit).load(conn)?)
}

/// 实时反馈地址.
pub fn notify_address(conn: &mut DbConn, merchant_id: i64) -> Result<Option<String>, StoreError> {
    Ok(notify_addresses::table.find(merchant_id).select(notify_addresses::url).first(conn).optional()?)
}

pub fn set_notify_address(
    conn: &mut DbConn,
    merchant_id: i64,
    url: &str,
    at: NaiveDateTime,
) -> Result<(), StoreError> {
    let n = diesel::update(notify_addresses::table.find(merchant_id))
        .set((notify_addresses::url.eq(url), notify_addresses::updated_at.eq(at)))
        .execute(conn)?;
    if n == 0 {
        diesel::insert_into(notify_addresses::table)
            .values((
                notify_addresses::merchant_id.eq(merchant_id),
                notify_addresses::url.eq(url),
                notify_addresses::updated_at.eq(at),
            ))
            .execute(conn)?;
    }
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct Event {
    pub id: i64,
    /// Stable across retries: `evt_…`.
    pub event_id: String,
    pub merchant_id: i64,
    #[diesel(deserialize_as = String)]
    pub kind: EventKind,
    pub trade_no: Option<String>,
    /// Where it goes; none when the merchant has no address yet.
    pub url: Option<String>,
    /// The JSON body, signed as sent.
    pub payload: String,
    pub attempts: i32,
    pub next_attempt_at: Option<NaiveDateTime>,
    pub delivered_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

pub struct NewEvent<'a> {
    pub event_id: &'a str,
    pub merchant_id: i64,
    pub kind: EventKind,
    pub trade_no: Option<&'a str>,
    pub url: Option<&'a str>,
    pub payload: &'a str,
    pub at: NaiveDateTime,
}

/// Queues an event inside the caller's transaction; due at once when it has an
/// address.
pub fn queue_event(conn: &mut DbConn, e: &NewEvent<'_>) -> Result<i64, StoreError> {
    let id = diesel::insert_into(gateway_events::table)
        .values((
            gateway_events::event_id.eq(e.event_id),
            gateway_events::merchant_id.eq(e.merchant_id),
            gateway_events::kind.eq(e.kind.as_str()),
            gateway_events::trade_no.eq(e.trade_no),
            gateway_events::url.eq(e.url),
            gateway_events::payload.eq(e.payload),
            gateway_events::attempts.eq(0),
            gateway_events::next_attempt_at.eq(e.url.map(|_| e.at)),
            gateway_events::created_at.eq(e.at),
        ))
        .returning(gateway_events::id)
        .get_result::<i64>(conn)?;
    Ok(id)
}

#[derive(QueryableByName)]
struct IdRow {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

/// Claims up to `limit` events due at `at` for one delivery attempt each: their
/// attempt count goes up and their next attempt moves to `lease_until`, so no
/// other worker takes them meanwhile (and a worker that dies mid-way gives them
/// back when the lease runs out). On PostgreSQL rows another worker is claiming
/// are skipped (`FOR UPDATE SKIP LOCKED`); SQLite has one writer at a time.
/// Call inside [`crate::Store::write`].
pub fn claim_due(
    conn: &mut DbConn,
    at: NaiveDateTime,
    lease_until: NaiveDateTime,
    limit: i64,
) -> Result<Vec<Event>, StoreError> {
    let sql = match conn {
        DbConn::Pg(_) => {
            "SELECT id FROM gateway_events WHERE next_attempt_at <= $1 ORDER BY next_attempt_at, id LIMIT $2 FOR UPDATE SKIP LOCKED"
        }
        DbConn::Sqlite(_) => {
            "SELECT id FROM gateway_events WHERE next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?"
        }
    };
    let ids: Vec<i64> = diesel::sql_query(sql)
        .bind::<Timestamp, _>(at)
        .bind::<BigInt, _>(limit)
        .load::<IdRow>(conn)?
        .into_iter()
        .map(|r| r.id)
        .collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    diesel::update(gateway_events::table.filter(gateway_events::id.eq_any(&ids)))
        .set((
            gateway_events::attempts.eq(gateway_events::attempts + 1),
            gateway_events::next_attempt_at.eq(Some(lease_until)),
        ))
        .execute(conn)?;
    Ok(gateway_events::table
        .filter(gateway_events::id.eq_any(&ids))
        .order(gateway_events::id.asc())
        .load(conn)?)
}

/// Whether any event is due at `at`: a read, so an idle job loop never takes
/// the write lock (SQLite has one writer).
pub fn any_due(conn: &mut DbConn, at: NaiveDateTime) -> Result<bool, StoreError> {
    let found: Option<i64> = gateway_events::table
        .filter(gateway_events::next_attempt_at.le(at))
        .select(gateway_events::id)
        .first(conn)
        .optional()?;
    Ok(found.is_some())
}

/// One attempt's outcome, for the delivery log.
pub struct Attempt<'a> {
    pub event: i64,
    pub attempt: i32,
    pub started_at: NaiveDateTime,
    pub status: Option<i32>,
    pub latency_ms: i64,
    pub excerpt: &'a str,
}

/// Records an attempt and what comes next: delivered (`delivered_at`), or the
/// next attempt's time, or none when the retries are spent.
pub fn record_attempt(
    conn: &mut DbConn,
    a: &Attempt<'_>,
    delivered_at: Option<NaiveDateTime>,
    next_attempt_at: Option<NaiveDateTime>,
) -> Result<(), StoreError> {
    diesel::insert_into(gateway_deliveries::table)
        .values((
            gateway_deliveries::event_id.eq(a.event),
            gateway_deliveries::attempt.eq(a.attempt),
            gateway_deliveries::started_at.eq(a.started_at),
            gateway_deliveries::status.eq(a.status),
            gateway_deliveries::latency_ms.eq(a.latency_ms),
            gateway_deliveries::excerpt.eq(a.excerpt),
        ))
        .execute(conn)?;
    diesel::update(gateway_events::table.find(a.event).filter(gateway_events::delivered_at.is_null()))
        .set((
            gateway_events::delivered_at.eq(delivered_at),
            gateway_events::next_attempt_at.eq(next_attempt_at),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn event(conn: &mut DbConn, merchant_id: i64, event_id: &str) -> Result<Option<Event>, StoreError> {
    Ok(gateway_events::table
        .filter(gateway_events::merchant_id.eq(merchant_id))
        .filter(gateway_events::event_id.eq(event_id))
        .first(conn)
        .optional()?)
}

/// A merchant's events, newest first; only the undelivered ones when asked.
pub fn events(
    conn: &mut DbConn,
    merchant_id: i64,
    undelivered_only: bool,
    offset: i64,
    limit: i64,
) -> Result<(Vec<Event>, i64), StoreError> {
    let filtered = || {
        let q = gateway_events::table.filter(gateway_events::merchant_id.eq(merchant_id)).into_boxed();
        if undelivered_only {
            q.filter(gateway_events::delivered_at.is_null())
        } else {
            q
        }
    };
    let total = filtered().count().get_result(conn)?;
    let rows = filtered().order(gateway_events::id.desc()).offset(offset).limit(limit).load(conn)?;
    Ok((rows, total))
}

/// Schedules an event again (重新发送), to `url` (the address may have changed).
pub fn redeliver(conn: &mut DbConn, id: i64, url: &str, at: NaiveDateTime) -> Result<(), StoreError> {
    diesel::update(gateway_events::table.find(id))
        .set((
            gateway_events::url.eq(Some(url)),
            gateway_events::delivered_at.eq(None::<NaiveDateTime>),
            gateway_events::next_attempt_at.eq(Some(at)),
        ))
        .execute(conn)?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct Delivery {
    pub id: i64,
    pub event_id: i64,
    pub attempt: i32,
    pub started_at: NaiveDateTime,
    /// The receiver's HTTP status; none when it didn't answer.
    pub status: Option<i32>,
    pub latency_ms: i64,
    /// The start of the answer, or why there was none.
    pub excerpt: String,
}

pub fn deliveries(conn: &mut DbConn, event: i64) -> Result<Vec<Delivery>, StoreError> {
    Ok(gateway_deliveries::table
        .filter(gateway_deliveries::event_id.eq(event))
        .order(gateway_deliveries::id.asc())
        .load(conn)?)
}

/// A collection QR code (收款码).
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct QrCode {
    pub id: i64,
    /// The public part of its link: `/pay/{code}`.
    pub code: String,
    pub merchant_id: i64,
    pub name: String,
    /// Fen; none when the buyer types the amount.
    pub amount: Option<i64>,
    pub active: bool,
    pub created_at: NaiveDateTime,
}

pub fn create_qr(
    conn: &mut DbConn,
    merchant_id: i64,
    code: &str,
    name: &str,
    amount: Option<i64>,
    at: NaiveDateTime,
) -> Result<QrCode, StoreError> {
    let id = diesel::insert_into(qr_codes::table)
        .values((
            qr_codes::code.eq(code),
            qr_codes::merchant_id.eq(merchant_id),
            qr_codes::name.eq(name),
            qr_codes::amount.eq(amount),
            qr_codes::active.eq(true),
            qr_codes::created_at.eq(at),
        ))
        .returning(qr_codes::id)
        .get_result::<i64>(conn)?;
    Ok(qr_codes::table.find(id).first(conn)?)
}

pub fn qr_by_code(conn: &mut DbConn, code: &str) -> Result<Option<QrCode>, StoreError> {
    Ok(qr_codes::table.filter(qr_codes::code.eq(code)).first(conn).optional()?)
}

pub fn qr(conn: &mut DbConn, merchant_id: i64, id: i64) -> Result<Option<QrCode>, StoreError> {
    Ok(qr_codes::table.find(id).filter(qr_codes::merchant_id.eq(merchant_id)).first(conn).optional()?)
}

/// The merchant's codes, newest first.
pub fn qr_codes_of(conn: &mut DbConn, merchant_id: i64) -> Result<Vec<QrCode>, StoreError> {
    Ok(qr_codes::table.filter(qr_codes::merchant_id.eq(merchant_id)).order(qr_codes::id.desc()).load(conn)?)
}

/// 停用: the code takes no more payments.
pub fn disable_qr(conn: &mut DbConn, merchant_id: i64, id: i64) -> Result<bool, StoreError> {
    let n = diesel::update(qr_codes::table.find(id).filter(qr_codes::merchant_id.eq(merchant_id)))
        .set(qr_codes::active.eq(false))
        .execute(conn)?;
    Ok(n == 1)
}

/// What a code has collected: (paid trades, their total in fen).
pub fn qr_takings(conn: &mut DbConn, id: i64) -> Result<(i64, i64), StoreError> {
    let amounts: Vec<i64> = trades::table
        .filter(trades::qr_code_id.eq(id))
        .filter(trades::status.eq_any(["paid", "completed", "settled"]))
        .select(trades::amount)
        .load(conn)?;
    Ok((i64::try_from(amounts.len()).unwrap_or(i64::MAX), amounts.iter().sum()))
}

/// Trades paid after `after`, in the order they were paid: what 收款提醒 shows.
pub fn paid_after(
    conn: &mut DbConn,
    merchant_id: i64,
    after: NaiveDateTime,
    limit: i64,
) -> Result<Vec<Trade>, StoreError> {
    Ok(trades::table
        .filter(trades::merchant_id.eq(merchant_id))
        .filter(trades::paid_at.gt(after))
        .order((trades::paid_at.asc(), trades::id.asc()))
        .limit(limit)
        .load(conn)?)
}

/// How many trades were paid from `from` on, and their total in fen.
pub fn paid_total_since(
    conn: &mut DbConn,
    merchant_id: i64,
    from: NaiveDateTime,
) -> Result<(i64, i64), StoreError> {
    let amounts: Vec<i64> = trades::table
        .filter(trades::merchant_id.eq(merchant_id))
        .filter(trades::paid_at.ge(from))
        .select(trades::amount)
        .load(conn)?;
    Ok((i64::try_from(amounts.len()).unwrap_or(i64::MAX), amounts.iter().sum()))
}
