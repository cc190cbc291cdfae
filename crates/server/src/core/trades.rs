//! Gateway trades (网关交易, issue 12): created by a signed request, paid by a
//! buyer in the cashier through the bank, held for a guaranteed trade until
//! receipt is confirmed, and settled T+1 net of the acquiring fee. Every state
//! change writes its notification in the same transaction; the jobs here
//! (settle, auto-confirm, expire) claim each trade by a conditional update, so
//! several server processes can run them at once and each trade moves once.

use actix_web::http::StatusCode;
use chrono::{DateTime, Duration, NaiveDateTime};
use paydesk_api_types::{ErrorCode, NewTrade, TradeView};
use paydesk_domain::apps::App;
use paydesk_domain::fees::Product;
use paydesk_domain::gateway::EventKind;
use paydesk_domain::ledger::AccountKind;
use paydesk_domain::postings;
use paydesk_domain::trades::{self as rules, TradeEvent, TradeInput, TradeMode, TradeStatus};
use paydesk_store::trades::{self as store, Change, NewTrade as StoredTrade, Trade};
use paydesk_store::{fees, DbConn};

use crate::core::execute::{self, money};
use crate::core::gateway::Signed;
use crate::core::notify;
use crate::error::ApiError;
use crate::views;
use crate::AppState;

fn not_found() -> ApiError {
    ApiError::rule(StatusCode::NOT_FOUND, ErrorCode::TradeNotFound, "no such trade")
}

fn wrong_state(t: &Trade, what: &str) -> ApiError {
    ApiError::rule(
        StatusCode::CONFLICT,
        ErrorCode::TradeState,
        format!("a {} trade can't be {what}", t.status),
    )
    .with_detail(format!("the trade is {} ({})", t.status, t.status.label_zh()))
}

fn to_unix(t: NaiveDateTime) -> i64 {
    t.and_utc().timestamp()
}

fn from_unix(secs: i64) -> NaiveDateTime {
    DateTime::from_timestamp(secs, 0).map(|d| d.naive_utc()).unwrap_or_default()
}

/// The fee product of a trade of `mode`.
pub fn product_of(mode: TradeMode) -> Product {
    match mode {
        TradeMode::Instant => Product::AcquiringInstant,
        TradeMode::Guaranteed => Product::AcquiringGuaranteed,
    }
}

/// The trade as its notification carries it.
fn event_data(st: &AppState, t: &Trade) -> serde_json::Value {
    serde_json::to_value(views::trade(t, &st.settings.base_url())).unwrap_or_default()
}

/// Queues a notification about `t` (to its own notify_url or the merchant's),
/// due now by the clock (the sandbox clock's jobs may run ahead of it).
fn announce(c: &mut DbConn, st: &AppState, t: &Trade, kind: EventKind) -> Result<(), ApiError> {
    let now = st.clock.now();
    notify::queue(
        c,
        t.merchant_id,
        kind,
        Some(&t.trade_no),
        t.notify_url.as_deref(),
        event_data(st, t),
        now,
    )?;
    Ok(())
}

/// Whether a stored trade is what this request asks for again.
fn same_request(t: &Trade, d: &rules::TradeDraft) -> bool {
    t.subject == d.subject && t.amount == d.amount.fen() && t.mode == d.mode
}

/// Creates a trade, or answers the one made before under the same merchant
/// order number when the request is the same (`false`: not new). Inside the
/// signed request's write transaction: the order number's unique index
/// decides a race, and the loser (its insert skipped) answers the winner's
/// trade.
pub fn create(
    c: &mut DbConn,
    st: &AppState,
    signed: &Signed,
    body: &NewTrade,
) -> Result<(TradeView, bool), ApiError> {
    let input = TradeInput {
        merchant_order_no: &body.merchant_order_no,
        subject: &body.subject,
        amount: &body.amount,
        mode: &body.mode,
        expire_minutes: body.expire_minutes,
        notify_url: body.notify_url.as_deref(),
        return_url: body.return_url.as_deref(),
    };
    let draft = rules::check_trade(&input, !st.settings.mode.is_development()).map_err(ApiError::from)?;
    let merchant_id = signed.client.merchant_id;
    let at = st.clock.now();
    let base = st.settings.base_url();
    crate::core::apps::require_of(c, &signed.merchant, App::for_trade(draft.mode))?;
    let fee = fees::rule(c, merchant_id, product_of(draft.mode))?.fee(draft.amount);
    let trade_no = crate::core::numbers::next(paydesk_domain::application::NumberKind::Trade, at);
    // The insert is the lookup: it skips a merchant order number the merchant
    // has used, and then the trade under it answers.
    let made = store::create(
        c,
        &StoredTrade {
            trade_no: trade_no.as_str(),
            merchant_id,
            app_id: Some(&signed.client.app_id),
            qr_code_id: None,
            merchant_order_no: draft.merchant_order_no.as_str(),
            subject: &draft.subject,
            amount: draft.amount.fen(),
            fee: fee.fen(),
            product: product_of(draft.mode),
            mode: draft.mode,
            notify_url: draft.notify_url.as_deref(),
            return_url: draft.return_url.as_deref(),
            created_at: at,
            expires_at: at + Duration::minutes(i64::from(draft.expire_minutes)),
        },
    )?;
    if let Some(t) = made {
        return Ok((views::trade(&t, &base), true));
    }
    let t = store::by_order_no(c, merchant_id, draft.merchant_order_no.as_str())?.ok_or_else(not_found)?;
    if !same_request(&t, &draft) {
        return Err(ApiError::rule(
            StatusCode::CONFLICT,
            ErrorCode::MerchantOrderNoTaken,
            "this merchant order number belongs to another trade",
        ));
    }
    Ok((views::trade(&t, &base), false))
}

/// One of the merchant's trades by 交易订单号 or 商户订单号.
pub fn find_in(
    c: &mut DbConn,
    merchant_id: i64,
    trade_no: Option<&str>,
    order_no: Option<&str>,
) -> Result<Trade, ApiError> {
    let found = match (trade_no, order_no) {
        (Some(no), _) => store::by_trade_no(c, no)?,
        (None, Some(no)) => store::by_order_no(c, merchant_id, no)?,
        (None, None) => None,
    };
    found.filter(|t| t.merchant_id == merchant_id).ok_or_else(not_found)
}

/// [`find_in`] in a read of its own. Blocking.
pub fn find(
    st: &AppState,
    merchant_id: i64,
    trade_no: Option<&str>,
    order_no: Option<&str>,
) -> Result<Trade, ApiError> {
    st.store.read(|c| find_in(c, merchant_id, trade_no, order_no))
}

/// The trade's view, read in the caller's transaction.
pub fn view(
    c: &mut DbConn,
    st: &AppState,
    merchant_id: i64,
    trade_no: Option<&str>,
    order_no: Option<&str>,
) -> Result<TradeView, ApiError> {
    Ok(views::trade(&find_in(c, merchant_id, trade_no, order_no)?, &st.settings.base_url()))
}

/// A page of the merchant's trades, newest first (20 a page). Blocking.
pub fn page(st: &AppState, merchant_id: i64, page: i64) -> Result<paydesk_api_types::TradePage, ApiError> {
    let (rows, total) = st.store.read(|c| store::of_merchant(c, merchant_id, (page.max(1) - 1) * 20, 20))?;
    let base = st.settings.base_url();
    Ok(paydesk_api_types::TradePage { items: rows.iter().map(|t| views::trade(t, &base)).collect(), total })
}

/// Moves a trade by `event` now; `wrong_state` when it can't. Inside a write.
fn step(
    c: &mut DbConn,
    st: &AppState,
    t: &Trade,
    event: TradeEvent,
    change: &Change<'_>,
    at: NaiveDateTime,
) -> Result<Option<Trade>, ApiError> {
    let Ok(next) = t.status.after(t.mode, event) else { return Ok(None) };
    if !store::transition(c, t.id, t.status, next, change, at)? {
        return Ok(None);
    }
    let moved = store::by_trade_no(c, &t.trade_no)?.ok_or_else(not_found)?;
    let kind = match next {
        TradeStatus::Paid => EventKind::TradePaid,
        TradeStatus::Completed if event == TradeEvent::Pay => EventKind::TradePaid,
        TradeStatus::Completed => EventKind::TradeCompleted,
        TradeStatus::Settled => EventKind::TradeSettled,
        TradeStatus::Closed | TradeStatus::Failed | TradeStatus::Pending => EventKind::TradeClosed,
    };
    announce(c, st, &moved, kind)?;
    Ok(Some(moved))
}

/// Closes an unpaid trade (关闭交易). Blocking.
pub fn close(c: &mut DbConn, st: &AppState, merchant_id: i64, trade_no: &str) -> Result<TradeView, ApiError> {
    let at = st.clock.now();
    let t = find_in(c, merchant_id, Some(trade_no), None)?;
    let t = step(c, st, &t, TradeEvent::Close, &Change::default(), at)?
        .ok_or_else(|| wrong_state(&t, "closed"))?;
    Ok(views::trade(&t, &st.settings.base_url()))
}

/// 发货: a paid guaranteed trade's goods left; its receipt counts as confirmed
/// after the configured number of days. Blocking.
pub fn ship(c: &mut DbConn, st: &AppState, merchant_id: i64, trade_no: &str) -> Result<TradeView, ApiError> {
    let at = st.clock.now();
    let confirm_at = at + Duration::days(i64::from(st.settings.auto_confirm_days));
    let t = find_in(c, merchant_id, Some(trade_no), None)?;
    if t.mode != TradeMode::Guaranteed || !store::mark_shipped(c, t.id, confirm_at, at)? {
        return Err(wrong_state(&t, "shipped"));
    }
    let t = store::by_trade_no(c, trade_no)?.ok_or_else(not_found)?;
    Ok(views::trade(&t, &st.settings.base_url()))
}

/// 确认收货: the buyer has the goods; the guaranteed trade completes and
/// settles T+1 from now. Blocking.
pub fn confirm_receipt(
    c: &mut DbConn,
    st: &AppState,
    merchant_id: i64,
    trade_no: &str,
) -> Result<TradeView, ApiError> {
    let at = st.clock.now();
    let t = find_in(c, merchant_id, Some(trade_no), None)?;
    let change =
        Change { settle_after: Some(from_unix(rules::settles_from(to_unix(at)))), ..Change::default() };
    let t = step(c, st, &t, TradeEvent::ConfirmReceipt, &change, at)?
        .ok_or_else(|| wrong_state(&t, "confirmed"))?;
    Ok(views::trade(&t, &st.settings.base_url()))
}

/// The cashier's check before sending a buyer to the bank: the trade is
/// waiting and its time hasn't run out. Blocking.
pub fn payable(st: &AppState, trade_no: &str) -> Result<Trade, ApiError> {
    let t = st.store.read(|c| store::by_trade_no(c, trade_no))?.ok_or_else(not_found)?;
    if t.status != TradeStatus::Pending {
        return Err(wrong_state(&t, "paid"));
    }
    if st.clock.now() >= t.expires_at {
        return Err(ApiError::rule(
            StatusCode::CONFLICT,
            ErrorCode::TradeExpired,
            "the time to pay this trade is over",
        ));
    }
    Ok(t)
}

/// What the bank said about a buyer's payment of a trade.
#[derive(Debug, Clone)]
pub struct BankPayment<'a> {
    pub trade_no: &'a str,
    pub bank: &'a str,
    /// Fen.
    pub amount: i64,
    /// False: the buyer cancelled at the bank.
    pub paid: bool,
    pub reference: &'a str,
}

/// The bank says a buyer paid (or didn't) a trade: the money goes to the
/// merchant's pending settlement and the trade moves on; a repeated notice
/// changes nothing. Inside the caller's write.
pub fn bank_paid(
    c: &mut DbConn,
    st: &AppState,
    p: &BankPayment<'_>,
    at: NaiveDateTime,
) -> Result<(), ApiError> {
    let t = store::by_trade_no(c, p.trade_no)?.ok_or_else(not_found)?;
    if t.amount != p.amount {
        return Err(ApiError::rule(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::NoticeMismatch,
            "the amount differs from the trade",
        ));
    }
    if !p.paid {
        // The buyer cancelled at the bank: the trade waits for another try.
        return Ok(());
    }
    let change = Change {
        bank: Some(p.bank),
        bank_reference: Some(p.reference),
        settle_after: (t.mode == TradeMode::Instant).then(|| from_unix(rules::settles_from(to_unix(at)))),
        auto_confirm_at: None,
    };
    if step(c, st, &t, TradeEvent::Pay, &change, at)?.is_none() {
        if t.status == TradeStatus::Closed {
            // Paid after it was closed: the bank's money can't be kept against
            // nothing; it is logged for staff to return.
            tracing::error!(trade = %t.trade_no, "a closed trade was paid at the bank");
        }
        return Ok(());
    }
    let pending = execute::account_id(c, t.merchant_id, AccountKind::MerchantPendingSettlement)?;
    let entry = postings::credit_trade(execute::clearing(c, p.bank)?, pending, money(t.amount)?);
    execute::post_at(
        c,
        entry,
        "trade_paid",
        &format!("trade:{}", t.trade_no),
        &format!("网关交易 {}", t.subject),
        at,
    )
}

/// What one run of the trade jobs did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct JobRun {
    pub settled: usize,
    pub confirmed: usize,
    pub closed: usize,
}

/// The trade jobs as of `at`: settle completed trades whose day has passed
/// (T+1), confirm receipt of shipped guaranteed trades whose time is up, and
/// close unpaid trades past their expiry (and a grace period). Blocking.
pub fn run_jobs(st: &AppState, at: NaiveDateTime) -> Result<JobRun, ApiError> {
    let mut run = JobRun::default();
    loop {
        let due = st.store.read(|c| store::due(c, TradeStatus::Completed, at, 200))?;
        for t in &due {
            run.settled += usize::from(st.store.write(|c| settle(c, st, t, at))?);
        }
        if due.len() < 200 {
            break;
        }
    }
    for t in st.store.read(|c| store::due(c, TradeStatus::Paid, at, 500))? {
        let change =
            Change { settle_after: Some(from_unix(rules::settles_from(to_unix(at)))), ..Change::default() };
        let moved = st.store.write(|c| step(c, st, &t, TradeEvent::ConfirmReceipt, &change, at))?;
        run.confirmed += usize::from(moved.is_some());
    }
    let close_before = at - Duration::minutes(rules::CLOSE_GRACE_MINUTES);
    for t in st.store.read(|c| store::due(c, TradeStatus::Pending, close_before, 500))? {
        let moved = st.store.write(|c| step(c, st, &t, TradeEvent::Close, &Change::default(), at))?;
        run.closed += usize::from(moved.is_some());
    }
    Ok(run)
}

/// Settles one trade: pending settlement → available net of the fee, the fee
/// to the platform. False when another worker settled it first.
fn settle(c: &mut DbConn, st: &AppState, t: &Trade, at: NaiveDateTime) -> Result<bool, ApiError> {
    // The trade as its settlement left it: refunds that give money back later
    // take the trade's row after this, so they see it settled.
    let Some(t) = step(c, st, t, TradeEvent::Settle, &Change::default(), at)? else { return Ok(false) };
    let (amount, fee) = paydesk_domain::refunds::left_to_settle(
        money(t.amount)?,
        money(t.fee)?,
        money(t.held_from_pending)?,
        money(t.fee_from_pending)?,
    );
    if amount.is_zero() {
        return Ok(true);
    }
    let [pending, available] = execute::account_ids(
        c,
        t.merchant_id,
        [AccountKind::MerchantPendingSettlement, AccountKind::MerchantAvailable],
    )?;
    let entry = postings::settle_trade(pending, available, execute::fee_income(c)?, amount, fee);
    execute::post_at(
        c,
        entry,
        "trade_settled",
        &format!("trade:{}", t.trade_no),
        &format!("交易结算 {}", t.trade_no),
        at,
    )?;
    Ok(true)
}

/// 收款提醒: the merchant's payments after `cursor`, each with today's count and
/// total (China time), and the new cursor. Blocking.
pub fn alerts_after(
    st: &AppState,
    merchant_id: i64,
    cursor: NaiveDateTime,
) -> Result<(Vec<paydesk_api_types::CollectionAlert>, NaiveDateTime), ApiError> {
    let now = st.clock.now();
    let day_start = from_unix(rules::business_day(to_unix(now)) * 86_400 - rules::DAY_OFFSET_SECS);
    st.store.read(|c| -> Result<_, ApiError> {
        let paid = store::paid_after(c, merchant_id, cursor, 50)?;
        if paid.is_empty() {
            return Ok((Vec::new(), cursor));
        }
        let (today_count, today_total) = store::paid_total_since(c, merchant_id, day_start)?;
        let next = paid.iter().filter_map(|t| t.paid_at).max().unwrap_or(cursor);
        let alerts = paid
            .iter()
            .map(|t| paydesk_api_types::CollectionAlert {
                trade_no: t.trade_no.clone(),
                subject: t.subject.clone(),
                amount: views::money_text(t.amount),
                paid_at: t.paid_at.map(views::time_text).unwrap_or_default(),
                today_count,
                today_total: views::money_text(today_total),
            })
            .collect();
        Ok((alerts, next))
    })
}
