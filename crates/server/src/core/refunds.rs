//! Refunds (退款, issue 13; docs/architecture.md, "Refunds"): a refund is a
//! line of a refund application and goes through the one submit pipeline and
//! the one review pipeline. What is its own lives here, called by them:
//!
//! - applied for: each refund is checked again against its trade as it is now,
//!   counted on the trade by one conditional `UPDATE`, recorded, and its money
//!   reserved where the trade's money is (pending settlement before the trade
//!   settles, else available plus the fee share from the platform's fee income);
//! - approved: its money leaves for the buyer's bank (原路返回) and the bank is
//!   told; the bank answers later, asynchronously;
//! - rejected, cancelled or failed at the bank: the money comes back — to pending
//!   settlement while the trade hasn't settled, else as settled money.

use actix_web::http::StatusCode;
use chrono::NaiveDateTime;
use paydesk_api_types::ErrorCode;
use paydesk_domain::ledger::{AccountId, AccountKind};
use paydesk_domain::postings;
use paydesk_domain::refunds::{self as rules, RefundInput, RefundStatus, TradeFacts};
use paydesk_domain::states::LineStatus;
use paydesk_store::applications::{self, Application, Line};
use paydesk_store::refunds::{self as store, NewRefund, Refund};
use paydesk_store::trades::Trade;
use paydesk_store::DbConn;

use paydesk_api_types::{GatewayRefundRequest, RefundRequest, RefundView, TradeDetail};
use paydesk_domain::application::ApplicationKind;
use paydesk_domain::gateway::EventKind;
use paydesk_domain::records::RecordType;

use crate::auth::OperatorAuth;
use crate::bank::{Bank, RefundInstruction};
use crate::core::execute::{self, money, Tally};
use crate::core::factors::Factors;
use crate::core::idempotency::Idem;
use crate::core::submit::submit;
use crate::core::submit::Checked;
use crate::error::ApiError;
use crate::{views, AppState};

fn facts(t: &Trade) -> Result<TradeFacts, ApiError> {
    Ok(t.refund_facts()?)
}

/// Step 2 of the submit pipeline for one refund (单笔退款): the merchant's
/// trade, checked by the domain. Reads only.
pub fn prepare_one(
    c: &mut DbConn,
    merchant_id: i64,
    trade_no: &str,
    input: &RefundInput<'_>,
) -> Result<Checked, ApiError> {
    let trade = crate::core::trades::find_in(c, merchant_id, Some(trade_no), None)?;
    Ok(rules::check_refund(&facts(&trade)?, input)
        .map(|d| rules::application(vec![d.line(&trade.trade_no, &trade.subject)], None)))
}

/// 退款申请 from the portal: one refund of the merchant's trade `trade_no`,
/// through the submit pipeline (payment password; the second factor when it
/// completes at once). Blocking.
pub fn apply(
    st: &AppState,
    auth: &OperatorAuth,
    trade_no: &str,
    req: RefundRequest,
    idem: &mut Idem,
) -> Result<paydesk_api_types::Application, ApiError> {
    let factors = Factors::new(&req.payment_password, &req.sms_code, &req.security_key);
    let input = RefundInput {
        full: req.full,
        amount: req.amount.as_deref(),
        remark: req.remark.as_deref(),
        refund_order_no: req.refund_order_no.as_deref(),
    };
    submit(st, auth, ApplicationKind::Refund, &factors, idem, |c, merchant, _| {
        prepare_one(c, merchant.id, trade_no, &input)
    })
}

/// A refund over the signed gateway, keyed by the merchant's refund order
/// number: a number used before answers its refund (`false`: not new) —
/// also when two requests race for it, since the number's claim decides and
/// the loser then finds the winner's. Blocking.
pub fn apply_signed(
    st: &AppState,
    auth: &OperatorAuth,
    req: GatewayRefundRequest,
    _recorded_by_the_wrapper: &mut Idem,
) -> Result<(bool, RefundView), ApiError> {
    let merchant_id = auth.merchant_id;
    let order_no = req.refund_order_no.trim().to_owned();
    let existing = |st: &AppState| -> Result<Option<RefundView>, ApiError> {
        if order_no.is_empty() {
            return Ok(None);
        }
        st.store.read(|c| -> Result<_, ApiError> {
            let Some(r) = store::by_order_no(c, merchant_id, &order_no)? else { return Ok(None) };
            let trade = paydesk_store::trades::by_id(c, r.trade_id)?;
            Ok(Some(views::refund(&r, &trade.trade_no)))
        })
    };
    if let Some(found) = existing(st)? {
        return Ok((false, found));
    }
    let input = RefundInput {
        full: req.full,
        amount: req.amount.as_deref(),
        remark: req.remark.as_deref(),
        refund_order_no: Some(&order_no),
    };
    let factors = Factors::new("", &None, &None);
    // The answer recorded for an Idempotency-Key is the refund, not the
    // application: the wrapper records it, the pipeline doesn't.
    let mut inner = Idem::none(StatusCode::CREATED);
    let applied = submit(st, auth, ApplicationKind::Refund, &factors, &mut inner, |c, merchant, _| {
        let trade = crate::core::trades::find_in(
            c,
            merchant.id,
            req.trade_no.as_deref(),
            req.merchant_order_no.as_deref(),
        )?;
        prepare_one(c, merchant.id, &trade.trade_no, &input)
    });
    match applied {
        Ok(app) => {
            let refund_no = app.lines.first().map(|l| l.trade_no.clone()).unwrap_or_default();
            let view = st.store.read(|c| -> Result<_, ApiError> {
                let r = store::by_refund_no(c, &refund_no)?.ok_or_else(refund_not_found)?;
                let trade = paydesk_store::trades::by_id(c, r.trade_id)?;
                Ok(views::refund(&r, &trade.trade_no))
            })?;
            Ok((true, view))
        }
        Err(e) if e.code() == ErrorCode::MerchantOrderNoTaken.as_str() => {
            existing(st)?.map(|found| (false, found)).ok_or(e)
        }
        Err(e) => Err(e),
    }
}

fn refund_not_found() -> ApiError {
    ApiError::rule(StatusCode::NOT_FOUND, ErrorCode::RefundNotFound, "no such refund")
}

/// A refund by 退款交易号 or 退款商户订单号, for the gateway. In the caller's
/// transaction.
pub fn find(
    c: &mut DbConn,
    merchant_id: i64,
    refund_no: Option<&str>,
    refund_order_no: Option<&str>,
) -> Result<RefundView, ApiError> {
    let found = match (refund_no, refund_order_no) {
        (Some(no), _) => store::by_refund_no(c, no)?,
        (None, Some(no)) => store::by_order_no(c, merchant_id, no)?,
        (None, None) => {
            return Err(ApiError::field("refund_no", "required", "name the refund_no or the refund_order_no"))
        }
    };
    let r = found.filter(|r| r.merchant_id == merchant_id).ok_or_else(refund_not_found)?;
    let trade = paydesk_store::trades::by_id(c, r.trade_id)?;
    Ok(views::refund(&r, &trade.trade_no))
}

/// Tells the integrator how a refund ended (to the trade's notify_url or the
/// merchant's 实时反馈地址), in the transaction that ended it.
fn announce(c: &mut DbConn, r: &Refund, at: NaiveDateTime) -> Result<(), ApiError> {
    let trade = paydesk_store::trades::by_id(c, r.trade_id)?;
    let kind = if r.status == RefundStatus::Succeeded {
        EventKind::RefundSucceeded
    } else {
        EventKind::RefundFailed
    };
    let data = serde_json::to_value(views::refund(r, &trade.trade_no)).unwrap_or_default();
    crate::core::notify::queue(
        c,
        r.merchant_id,
        kind,
        Some(&trade.trade_no),
        trade.notify_url.as_deref(),
        data,
        at,
    )?;
    Ok(())
}

/// A trade's detail (订单信息, 退款记录), found by its 交易订单号 or — for a
/// refund of an old order (历史订单退款), at any age — by its 商户订单号. Blocking.
pub fn detail(
    st: &AppState,
    merchant_id: i64,
    trade_no: Option<&str>,
    merchant_order_no: Option<&str>,
) -> Result<TradeDetail, ApiError> {
    st.store.read(|c| -> Result<_, ApiError> {
        let trade = crate::core::trades::find_in(c, merchant_id, trade_no, merchant_order_no)?;
        let f = facts(&trade)?;
        let refunds =
            store::of_trade(c, trade.id)?.iter().map(|r| views::refund(r, &trade.trade_no)).collect();
        Ok(TradeDetail {
            trade_type_zh: RecordType::Gateway.trade_type_label(trade.mode.as_str()).to_owned(),
            kept: f.kept().to_string(),
            refundable_amount: f.refundable().to_string(),
            trade: views::trade(&trade, &st.settings.base_url()),
            refunds,
        })
    })
}

/// 退款记录: a trade's refunds, oldest first. Blocking.
pub fn of_trade(st: &AppState, merchant_id: i64, trade_no: &str) -> Result<Vec<RefundView>, ApiError> {
    st.store.read(|c| -> Result<_, ApiError> {
        let trade = crate::core::trades::find_in(c, merchant_id, Some(trade_no), None)?;
        Ok(store::of_trade(c, trade.id)?.iter().map(|r| views::refund(r, &trade.trade_no)).collect())
    })
}

/// A 批量退款 row's trade, by the merchant order number the buyer paid under
/// (any age), as the batch check sees it. Reads only.
pub fn target(
    c: &mut DbConn,
    merchant_id: i64,
    merchant_order_no: &str,
) -> Result<Option<paydesk_domain::draft::batch::RefundTarget>, ApiError> {
    let Some(t) = paydesk_store::trades::by_order_no(c, merchant_id, merchant_order_no.trim())? else {
        return Ok(None);
    };
    Ok(Some(paydesk_domain::draft::batch::RefundTarget {
        facts: facts(&t)?,
        trade_no: t.trade_no,
        subject: t.subject,
    }))
}

fn trade_of(c: &mut DbConn, merchant_id: i64, line: &Line) -> Result<Trade, ApiError> {
    crate::core::trades::find_in(c, merchant_id, Some(&line.payee_account), None)
}

fn trade_changed() -> ApiError {
    ApiError::rule(
        StatusCode::CONFLICT,
        ErrorCode::TradeChanged,
        "the trade changed while the refund was being applied for; check it and try again",
    )
}

/// Step 5, in the pipeline's write transaction: each refund of the new
/// application counted on its trade, recorded and its money reserved. A trade
/// another refund changed since the check refuses the whole application (409,
/// retryable): nothing is left behind.
pub fn hold(c: &mut DbConn, app: &Application, lines: &[Line], signer: Option<&str>) -> Result<(), ApiError> {
    let [available, frozen, pending] = execute::account_ids(
        c,
        app.merchant_id,
        [AccountKind::MerchantAvailable, AccountKind::MerchantFrozen, AccountKind::MerchantPendingSettlement],
    )?;
    for line in lines {
        let trade = trade_of(c, app.merchant_id, line)?;
        let (amount, fee_back) = (money(line.amount)?, money(line.fee)?);
        if !rules::still_fits(&facts(&trade)?, amount, fee_back) {
            return Err(trade_changed());
        }
        let seen =
            store::Seen { status: trade.status, refunded: trade.refunded, refund_count: trade.refund_count };
        if !store::count_on_trade(c, trade.id, seen, line.amount, line.fee)? {
            return Err(trade_changed());
        }
        let from_pending = trade.status != paydesk_domain::trades::TradeStatus::Settled;
        let refund = store::create(
            c,
            &NewRefund {
                refund_no: &line.trade_no,
                merchant_id: app.merchant_id,
                trade_id: trade.id,
                application_id: app.id,
                refund_order_no: line.merchant_order_no.as_deref(),
                batch_no: app.batch_no.as_deref(),
                app_id: signer,
                amount: line.amount,
                fee_back: line.fee,
                from_pending,
                remark: &line.remark,
                at: app.created_at,
            },
        )?;
        let entry = if from_pending {
            postings::refund_hold_unsettled(pending, frozen, amount)
        } else {
            postings::refund_hold_settled(available, execute::fee_income(c)?, frozen, amount, fee_back)
        };
        let remark = format!("退款冻结 {}", trade.trade_no);
        execute::post(c, entry, "refund_hold", &reference(&refund), &remark)?;
    }
    Ok(())
}

fn reference(r: &Refund) -> String {
    format!("refund:{}", r.refund_no)
}

/// Approved: each refund's money leaves for the buyer's bank (frozen → the
/// clearing account of the bank the buyer paid through) and the bank is asked
/// to return it. The application stays processing until the bank answers all.
pub fn send(c: &mut DbConn, bank: &dyn Bank, app: &Application, at: NaiveDateTime) -> Result<(), ApiError> {
    let [frozen] = execute::account_ids(c, app.merchant_id, [AccountKind::MerchantFrozen])?;
    for r in store::of_application(c, app.id)? {
        if !store::transition(c, r.id, RefundStatus::Pending, RefundStatus::Processing, None, None, at)? {
            continue;
        }
        let trade = paydesk_store::trades::by_id(c, r.trade_id)?;
        let via = trade.bank.as_deref().unwrap_or_default();
        let entry = postings::refund_send(frozen, execute::clearing(c, via)?, money(r.amount)?);
        execute::post(c, entry, "refund_sent", &reference(&r), &format!("退款 {}", trade.trade_no))?;
        let instruction = RefundInstruction {
            refund_no: &r.refund_no,
            trade_no: &trade.trade_no,
            bank_reference: trade.bank_reference.as_deref(),
            amount: r.amount,
        };
        bank.submit_refund(c, &instruction, at)?;
    }
    applications::set_lines_status(c, app.id, LineStatus::Processing)?;
    Ok(())
}

/// Rejected or cancelled before approval: each refund's money comes back out
/// of frozen.
pub fn release(c: &mut DbConn, app: &Application, at: NaiveDateTime) -> Result<(), ApiError> {
    let [frozen] = execute::account_ids(c, app.merchant_id, [AccountKind::MerchantFrozen])?;
    for r in store::of_application(c, app.id)? {
        if store::transition(c, r.id, RefundStatus::Pending, RefundStatus::Rejected, None, None, at)? {
            give_back(c, &r, frozen, "退款未通过，资金退回")?;
            announce(c, &Refund { status: RefundStatus::Rejected, finished_at: Some(at), ..r }, at)?;
        }
    }
    Ok(())
}

/// A refund's money back from `from`: to pending settlement while its trade
/// hasn't settled (its settlement counts it again), else as settled money —
/// the amount less the fee share to available, the share to the platform.
fn give_back(c: &mut DbConn, r: &Refund, from: AccountId, remark: &str) -> Result<(), ApiError> {
    let [available, pending] = execute::account_ids(
        c,
        r.merchant_id,
        [AccountKind::MerchantAvailable, AccountKind::MerchantPendingSettlement],
    )?;
    let entry = if store::uncount_on_trade(c, r)? {
        postings::refund_back_unsettled(from, pending, money(r.amount)?)
    } else {
        postings::refund_back(from, available, execute::fee_income(c)?, money(r.amount)?, money(r.fee_back)?)
    };
    execute::post(c, entry, "refund_back", &reference(r), remark)
}

/// The bank's answer about a refund. Only the first answer moves anything.
pub fn bank_result(
    c: &mut DbConn,
    refund_no: &str,
    amount: i64,
    succeeded: bool,
    bank_reference: &str,
    reason: Option<&str>,
    at: NaiveDateTime,
) -> Result<(), ApiError> {
    let r = store::by_refund_no(c, refund_no)?
        .ok_or_else(|| ApiError::rule(StatusCode::NOT_FOUND, ErrorCode::RefundNotFound, "no such refund"))?;
    if r.amount != amount {
        return Err(execute::mismatch());
    }
    let to = if succeeded { RefundStatus::Succeeded } else { RefundStatus::Failed };
    let why = if succeeded { None } else { Some(reason.unwrap_or("银行退款失败")) };
    if !store::transition(c, r.id, RefundStatus::Processing, to, why, Some(bank_reference), at)? {
        return Ok(());
    }
    if !succeeded {
        let trade = paydesk_store::trades::by_id(c, r.trade_id)?;
        let from = execute::clearing(c, trade.bank.as_deref().unwrap_or_default())?;
        give_back(c, &r, from, &format!("退款失败退回 {}", why.unwrap_or_default()))?;
    }
    let ended = store::by_refund_no(c, refund_no)?.ok_or_else(refund_not_found)?;
    announce(c, &ended, at)?;
    let line_status = if succeeded { LineStatus::Succeeded } else { LineStatus::Failed };
    if let Some(line) = applications::lines(c, r.application_id)?.iter().find(|l| l.trade_no == r.refund_no) {
        applications::set_line_status(c, line.id, line_status, why)?;
    }
    execute::finish_with(c, r.merchant_id, r.application_id, at, |c| {
        let all = store::of_application(c, r.application_id)?;
        let count = |s: RefundStatus| all.iter().filter(|x| x.status == s).count();
        Ok(Tally {
            open: count(RefundStatus::Processing) + count(RefundStatus::Pending),
            done: count(RefundStatus::Succeeded),
            failed: count(RefundStatus::Failed),
        })
    })
}
