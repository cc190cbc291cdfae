//! Execution: the money movements of applications and the bank's answers about
//! payouts and recharges. Each movement is one of the domain's posting recipes
//! (`paydesk_domain::postings`); this module finds the accounts, posts the entry
//! with its statement text, and moves the application and payout states. Every
//! function runs inside the caller's write transaction, so a state change and
//! its ledger entries are written together or not at all.

use actix_web::http::StatusCode;
use paydesk_api_types::ErrorCode;
use paydesk_domain::application::{ApplicationKind, ApplicationStatus, Event, NumberKind};
use paydesk_domain::draft::PayoutSpeed;
use paydesk_domain::ledger::{AccountId, AccountKind, EntryError, JournalEntry};
use paydesk_domain::postings::{self, FEE_INCOME, PAYOUTS_IN_FLIGHT};
use paydesk_domain::states::{LineStatus, PayoutStatus};
use paydesk_domain::Money;
use paydesk_store::applications::{self, Application, Line};
use paydesk_store::ledger::{self, EntryMeta};
use paydesk_store::{payouts, DbConn, StoreError};

use crate::bank::{Bank, BankNotice, PayoutInstruction};
use crate::core::refunds;
use crate::error::ApiError;
use chrono::NaiveDateTime;

pub fn account_id(c: &mut DbConn, merchant_id: i64, kind: AccountKind) -> Result<AccountId, ApiError> {
    ledger::find_account(c, &postings::merchant_account(merchant_id, kind))?.map(|a| a.id).ok_or_else(|| {
        ApiError::Internal(anyhow::anyhow!("merchant {merchant_id} has no {} account", kind.as_str()))
    })
}

/// Several of a merchant's accounts, in one query.
pub fn account_ids<const N: usize>(
    c: &mut DbConn,
    merchant_id: i64,
    kinds: [AccountKind; N],
) -> Result<[AccountId; N], ApiError> {
    let codes = kinds.map(|k| postings::merchant_account(merchant_id, k));
    let found: [Option<ledger::Account>; N] = ledger::find_accounts(c, codes.each_ref().map(String::as_str))?;
    let mut ids = [0; N];
    for ((id, account), kind) in ids.iter_mut().zip(found).zip(kinds) {
        *id = account.map(|a| a.id).ok_or_else(|| {
            ApiError::Internal(anyhow::anyhow!("merchant {merchant_id} has no {} account", kind.as_str()))
        })?;
    }
    Ok(ids)
}

/// A platform account, opened the first time it is needed.
fn platform(c: &mut DbConn, code: &str, kind: AccountKind) -> Result<AccountId, ApiError> {
    Ok(ledger::open_account(c, code, kind, None)?.id)
}

pub fn fee_income(c: &mut DbConn) -> Result<AccountId, ApiError> {
    platform(c, FEE_INCOME, AccountKind::PlatformFeeIncome)
}

fn in_flight(c: &mut DbConn) -> Result<AccountId, ApiError> {
    platform(c, PAYOUTS_IN_FLIGHT, AccountKind::PlatformPayoutsInFlight)
}

pub fn clearing(c: &mut DbConn, bank: &str) -> Result<AccountId, ApiError> {
    platform(c, &postings::bank_clearing(bank), AccountKind::PlatformBankClearing)
}

/// Fen from a stored row as money; out of range only if the row is corrupt.
pub fn money(fen: i64) -> Result<Money, ApiError> {
    Money::from_fen(fen).ok_or_else(|| ApiError::Internal(anyhow::anyhow!("amount out of range: {fen}")))
}

/// Posts a recipe's entry with its statement text; too little money is
/// `insufficient_balance`, anything else a server error.
pub fn post(
    c: &mut DbConn,
    entry: Result<JournalEntry, EntryError>,
    kind: &str,
    reference: &str,
    remark: &str,
) -> Result<(), ApiError> {
    post_at(c, entry, kind, reference, remark, ledger::now())
}

/// [`post`] recorded at the business time `at` (never later than now).
pub fn post_at(
    c: &mut DbConn,
    entry: Result<JournalEntry, EntryError>,
    kind: &str,
    reference: &str,
    remark: &str,
    at: chrono::NaiveDateTime,
) -> Result<(), ApiError> {
    let entry = entry.map_err(|e| ApiError::Internal(e.into()))?;
    // A shortfall answers 422 insufficient_balance (`From<StoreError>`).
    Ok(ledger::post_entry_at(c, &entry, &EntryMeta { kind, reference: Some(reference), remark }, at)?)
}

/// Gives held money back: frozen → available.
fn release(c: &mut DbConn, app: &Application, remark: &str) -> Result<(), ApiError> {
    let [available, frozen] =
        account_ids(c, app.merchant_id, [AccountKind::MerchantAvailable, AccountKind::MerchantFrozen])?;
    let entry = postings::release(frozen, available, money(app.total_amount + app.total_fee)?);
    post(c, entry, "release", &format!("application:{}", app.id), remark)
}

/// Pays a transfer's held money to its payees and the fee to the platform.
fn pay_transfer(c: &mut DbConn, app: &Application, lines: &[Line], payer_name: &str) -> Result<(), ApiError> {
    let frozen = account_id(c, app.merchant_id, AccountKind::MerchantFrozen)?;
    let mut payees = Vec::with_capacity(lines.len());
    for line in lines {
        let payee =
            paydesk_store::identity::find_merchant_by_email(c, &line.payee_account)?.ok_or_else(|| {
                ApiError::rule(StatusCode::CONFLICT, ErrorCode::PayeeGone, "a payee account no longer exists")
            })?;
        payees.push((account_id(c, payee.id, AccountKind::MerchantAvailable)?, money(line.amount)?));
    }
    let entry = postings::pay_transfer(frozen, &payees, fee_income(c)?, money(app.total_fee)?);
    post(c, entry, "transfer", &format!("application:{}", app.id), &format!("转账 来自 {payer_name}"))?;
    applications::set_lines_status(c, app.id, LineStatus::Succeeded)?;
    Ok(())
}

/// Hands a payout's money to the bank: frozen → payouts in flight (and the fee to
/// the platform). The application stays `processing` until the bank answers.
fn send_payout(
    c: &mut DbConn,
    bank: &dyn Bank,
    app: &Application,
    lines: &[Line],
    at: NaiveDateTime,
) -> Result<(), ApiError> {
    let frozen = account_id(c, app.merchant_id, AccountKind::MerchantFrozen)?;
    let entry = postings::send_payout(
        frozen,
        in_flight(c)?,
        money(app.total_amount)?,
        fee_income(c)?,
        money(app.total_fee)?,
    );
    let remark = match app.kind {
        ApplicationKind::Withdrawal => "提现出款",
        ApplicationKind::Payroll => "代发工资出款",
        _ => "转账到银行账户出款",
    };
    post(c, entry, "payout", &format!("application:{}", app.id), remark)?;
    for line in lines {
        let speed = line.speed().unwrap_or(PayoutSpeed::Standard);
        let trade_no = crate::core::numbers::next(NumberKind::Payout, at);
        let due_at = at + chrono::Duration::hours(speed.hours());
        payouts::submit(
            c,
            &payouts::NewPayout {
                trade_no: trade_no.as_str(),
                application_id: app.id,
                line_id: line.id,
                merchant_id: app.merchant_id,
                speed,
                bank: line.payee_bank.as_deref().unwrap_or(""),
                branch_name: line.payee_branch.as_deref().unwrap_or(""),
                account_no: &line.payee_account,
                account_name: &line.payee_name,
                amount: line.amount,
                fee: line.fee,
                due_at,
                at,
            },
        )?;
        let instruction = PayoutInstruction {
            trade_no: trade_no.as_str(),
            bank: line.payee_bank.as_deref().unwrap_or(""),
            account_no: &line.payee_account,
            account_name: &line.payee_name,
            amount: line.amount,
            due_at,
        };
        bank.submit_payout(c, &instruction, at)?;
    }
    applications::set_lines_status(c, app.id, LineStatus::Processing)?;
    Ok(())
}

/// The bank paid out: the money has left the platform's bank account. `recheck_at`
/// is when the bank could still return it (退票).
pub fn payout_succeeded(
    c: &mut DbConn,
    payout: &payouts::Payout,
    reference: &str,
    recheck_at: chrono::NaiveDateTime,
    at: NaiveDateTime,
) -> Result<(), ApiError> {
    if !payouts::transition(
        c,
        payout.id,
        PayoutStatus::Submitted,
        PayoutStatus::Succeeded,
        Some(reference),
        None,
        Some(recheck_at),
        at,
    )? {
        return Ok(());
    }
    let entry = postings::settle_payout(in_flight(c)?, clearing(c, &payout.bank)?, money(payout.amount)?);
    post(c, entry, "payout_settled", &format!("payout:{}", payout.id), "银行出款成功")?;
    if let Some(line) = payout.line_id {
        applications::set_line_status(c, line, LineStatus::Succeeded, None)?;
    }
    finish_application(c, payout.merchant_id, payout.application_id, at)
}

/// The bank refused the payout: the amount and the fee go back to available.
pub fn payout_failed(
    c: &mut DbConn,
    payout: &payouts::Payout,
    reason: &str,
    at: NaiveDateTime,
) -> Result<(), ApiError> {
    let from = in_flight(c)?;
    let remark = format!("出款失败退回 {reason}");
    if undo_payout(c, payout, (PayoutStatus::Submitted, PayoutStatus::Failed), from, reason, &remark, at)? {
        if let Some(line) = payout.line_id {
            applications::set_line_status(c, line, LineStatus::Failed, Some(reason))?;
        }
        finish_application(c, payout.merchant_id, payout.application_id, at)?;
    }
    Ok(())
}

/// 退票: a paid-out amount came back from the bank; it returns to available, and
/// so does the fee, since the payee never received the money (docs/decisions.md).
pub fn payout_returned(
    c: &mut DbConn,
    payout: &payouts::Payout,
    reason: &str,
    at: NaiveDateTime,
) -> Result<(), ApiError> {
    let from = clearing(c, &payout.bank)?;
    let remark = format!("退票 {reason}");
    if undo_payout(c, payout, (PayoutStatus::Succeeded, PayoutStatus::Returned), from, reason, &remark, at)? {
        if let Some(line) = payout.line_id {
            applications::set_line_status(c, line, LineStatus::Returned, Some(reason))?;
        }
    }
    Ok(())
}

/// Moves a payout `from` → `to` and gives its money back from `account`; false
/// (and nothing moves) when the payout had moved already — a repeated notice.
fn undo_payout(
    c: &mut DbConn,
    payout: &payouts::Payout,
    (from, to): (PayoutStatus, PayoutStatus),
    account: AccountId,
    reason: &str,
    remark: &str,
    at: NaiveDateTime,
) -> Result<bool, ApiError> {
    if !payouts::transition(c, payout.id, from, to, None, Some(reason), None, at)? {
        return Ok(false);
    }
    give_back(c, payout, account, &format!("payout_{to}"), remark)?;
    Ok(true)
}

/// Puts a payout's amount (taken from `from`) and its fee back on the merchant's
/// available balance, as one entry with one statement line.
fn give_back(
    c: &mut DbConn,
    payout: &payouts::Payout,
    from: AccountId,
    kind: &str,
    remark: &str,
) -> Result<(), ApiError> {
    let available = account_id(c, payout.merchant_id, AccountKind::MerchantAvailable)?;
    let entry =
        postings::give_back(from, available, money(payout.amount)?, fee_income(c)?, money(payout.fee)?);
    post(c, entry, kind, &format!("payout:{}", payout.id), remark)
}

/// Moves an application along one event, refusing if someone moved it first.
fn step(c: &mut DbConn, app: &mut Application, event: Event, at: NaiveDateTime) -> Result<(), ApiError> {
    let from = app.status;
    let to = from.after(event).map_err(|e| {
        ApiError::rule(
            StatusCode::CONFLICT,
            ErrorCode::ApplicationState,
            "this application can't do that now",
        )
        .with_detail(e.to_string())
    })?;
    if !applications::transition(c, app.id, from, to, at)? {
        return Err(ApiError::rule(
            StatusCode::CONFLICT,
            ErrorCode::ApplicationState,
            "this application changed meanwhile",
        ));
    }
    app.status = to;
    Ok(())
}

/// Ends an application whose payouts the bank has all answered.
fn finish_application(c: &mut DbConn, merchant_id: i64, id: i64, at: NaiveDateTime) -> Result<(), ApiError> {
    finish_with(c, merchant_id, id, at, |c| {
        let payouts = payouts::of_application(c, id)?;
        let count = |s: PayoutStatus| payouts.iter().filter(|p| p.status == s).count();
        Ok(Tally {
            open: count(PayoutStatus::Submitted),
            done: count(PayoutStatus::Succeeded) + count(PayoutStatus::Returned),
            failed: count(PayoutStatus::Failed),
        })
    })
}

/// How the bank has answered an application's lines so far.
#[derive(Debug, Clone, Copy)]
pub struct Tally {
    /// Not answered yet.
    pub open: usize,
    pub done: usize,
    pub failed: usize,
}

/// Ends a processing application once the bank has answered every line:
/// `succeeded` when every one went through, `failed` when none did,
/// `partially_succeeded` else. A batch finishes when its last line does.
///
/// The application's row is taken before `tally` counts, so of two answers
/// arriving at once (two deliveries of the bank's notices) the second counts
/// after the first committed, and one of them ends it.
pub fn finish_with(
    c: &mut DbConn,
    merchant_id: i64,
    id: i64,
    at: NaiveDateTime,
    tally: impl FnOnce(&mut DbConn) -> Result<Tally, ApiError>,
) -> Result<(), ApiError> {
    applications::lock(c, id)?;
    let tally = tally(c)?;
    let mut app = applications::find(c, merchant_id, id)?.ok_or(StoreError::NotFound)?;
    if tally.open > 0 || app.status != ApplicationStatus::Processing {
        return Ok(());
    }
    let event = match (tally.done, tally.failed) {
        (_, 0) => Event::Succeed,
        (0, _) => Event::Fail,
        _ => Event::PartlySucceed,
    };
    step(c, &mut app, event, at)
}

/// Approves and executes a pending transfer in one go.
pub fn approve_and_execute(
    c: &mut DbConn,
    bank: &dyn Bank,
    app: &mut Application,
    reviewer: i64,
    payer_name: &str,
    remark: Option<&str>,
    at: NaiveDateTime,
) -> Result<(), ApiError> {
    step(c, app, Event::Approve, at)?;
    applications::record_review(c, app.id, reviewer, remark, at)?;
    step(c, app, Event::Start, at)?;
    let lines = applications::lines(c, app.id)?;
    match app.kind {
        ApplicationKind::Transfer | ApplicationKind::BatchTransfer => {
            pay_transfer(c, app, &lines, payer_name)?;
            step(c, app, Event::Succeed, at)
        }
        // Stays processing until the bank answers every line.
        ApplicationKind::Withdrawal
        | ApplicationKind::BankPayout
        | ApplicationKind::BatchBankPayout
        | ApplicationKind::Payroll => send_payout(c, bank, app, &lines, at),
        // Stays processing until the bank answers every refund.
        ApplicationKind::Refund | ApplicationKind::BatchRefund => refunds::send(c, bank, app, at),
    }
}

/// Rejects (by a reviewer) or cancels a pending application and gives the money back.
pub fn reject(
    c: &mut DbConn,
    app: &mut Application,
    reviewer: i64,
    remark: &str,
    at: NaiveDateTime,
) -> Result<(), ApiError> {
    step(c, app, Event::Reject, at)?;
    applications::record_review(c, app.id, reviewer, Some(remark), at)?;
    give_back_held(c, app, "审核拒绝，资金解冻", at)
}

/// An application's held money back, as its kind holds it.
fn give_back_held(
    c: &mut DbConn,
    app: &Application,
    remark: &str,
    at: NaiveDateTime,
) -> Result<(), ApiError> {
    if app.kind.is_refund() {
        refunds::release(c, app, at)
    } else {
        release(c, app, remark)
    }
}

/// Reserves a new application's money, as its kind holds it: a fund operation
/// out of available (`between` its available and frozen accounts when the
/// caller read them already), each refund where its trade's money is. A fund
/// operation's hold comes back as a journal entry for the caller to post —
/// as its transaction's last statement ([`paydesk_store::Store::write_closing`])
/// when nothing follows it, else with [`ledger::Last::post`]; a refund's is
/// posted here and now (`None`).
pub fn hold_as_last(
    c: &mut DbConn,
    app: &Application,
    lines: &[Line],
    remark: &str,
    signer: Option<&str>,
    between: Option<[AccountId; 2]>,
) -> Result<Option<ledger::Last>, ApiError> {
    let [available, frozen] = match between {
        _ if app.kind.is_refund() => {
            refunds::hold(c, app, lines, signer)?;
            return Ok(None);
        }
        Some(between) => between,
        None => {
            account_ids(c, app.merchant_id, [AccountKind::MerchantAvailable, AccountKind::MerchantFrozen])?
        }
    };
    let entry = postings::hold(available, frozen, money(app.total_amount + app.total_fee)?)
        .map_err(|e| ApiError::Internal(e.into()))?;
    let meta = EntryMeta { kind: "hold", reference: Some(&format!("application:{}", app.id)), remark };
    Ok(Some(ledger::Last::new(entry, &meta, ledger::now())))
}

/// The applicant withdraws a pending application (撤销): the money comes back.
pub fn cancel(c: &mut DbConn, app: &mut Application, at: NaiveDateTime) -> Result<(), ApiError> {
    step(c, app, Event::Cancel, at)?;
    give_back_held(c, app, "申请人撤销，资金解冻", at)
}

/// 短信通知联系人: the SMS each payee asked to be told by, once a transfer succeeded.
pub fn payee_notices(app: &Application, lines: &[Line], payer_name: &str) -> Vec<(String, String)> {
    if app.status != ApplicationStatus::Succeeded {
        return Vec::new();
    }
    lines
        .iter()
        .filter_map(|l| {
            let phone = l.notify_phone.clone()?;
            let amount = Money::from_fen(l.amount)?;
            Some((
                phone,
                format!("【Paydesk】{payer_name} 向您的账户 {} 转账 {amount} 元，请查收。", l.payee_account),
            ))
        })
        .collect()
}

pub fn mismatch() -> ApiError {
    ApiError::rule(
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::NoticeMismatch,
        "the amount differs from the order",
    )
}

/// What a bank told the platform: a recharge's or a payout's outcome. Only the
/// first notice moves anything; a repeat is acknowledged and changes nothing, so
/// the bank may retry freely.
pub fn bank_notice(
    c: &mut DbConn,
    st: &crate::AppState,
    notice: &BankNotice,
    at: NaiveDateTime,
) -> Result<(), ApiError> {
    match notice {
        BankNotice::Collection { trade_no, bank, amount, result, bank_reference, .. } => {
            let paid = match result.as_str() {
                "paid" => true,
                "cancelled" => false,
                _ => return Err(ApiError::field("result", "result_invalid", "paid or cancelled")),
            };
            let payment = crate::core::trades::BankPayment {
                trade_no,
                bank,
                amount: *amount,
                paid,
                reference: bank_reference,
            };
            crate::core::trades::bank_paid(c, st, &payment, at)
        }
        BankNotice::Refund { refund_no, amount, result, bank_reference, reason, time: _ } => {
            let succeeded = match result.as_str() {
                "succeeded" => true,
                "failed" => false,
                _ => return Err(ApiError::field("result", "result_invalid", "succeeded or failed")),
            };
            refunds::bank_result(c, refund_no, *amount, succeeded, bank_reference, reason.as_deref(), at)
        }
        BankNotice::Recharge { order_no, amount, result, .. } => {
            recharge_result(c, order_no, *amount, result, at)
        }
        BankNotice::Payout { trade_no, amount, result, bank_reference, reason, time: _ } => {
            let payout = payouts::find_by_trade_no(c, trade_no)?.ok_or_else(|| {
                ApiError::rule(StatusCode::NOT_FOUND, ErrorCode::PayoutNotFound, "no such payout")
            })?;
            if payout.amount != *amount {
                return Err(mismatch());
            }
            let reason = reason.as_deref().unwrap_or("");
            match result.as_str() {
                // The bank could still return it (退票) for a while.
                "succeeded" => {
                    payout_succeeded(c, &payout, bank_reference, at + chrono::Duration::days(1), at)
                }
                "failed" => payout_failed(c, &payout, reason, at),
                "returned" => payout_returned(c, &payout, reason, at),
                _ => Err(ApiError::field("result", "result_invalid", "succeeded, failed or returned")),
            }
        }
    }
}

fn recharge_result(
    c: &mut DbConn,
    order_no: &str,
    amount: i64,
    result: &str,
    at: NaiveDateTime,
) -> Result<(), ApiError> {
    use paydesk_store::recharge;
    let order = recharge::find_order(c, order_no)?.ok_or_else(|| {
        ApiError::rule(StatusCode::NOT_FOUND, ErrorCode::RechargeNotFound, "no such recharge")
    })?;
    if order.amount != amount {
        return Err(mismatch());
    }
    let result = match result {
        "paid" => "paid",
        "cancelled" => "cancelled",
        _ => return Err(ApiError::field("result", "result_invalid", "paid or cancelled")),
    };
    if !recharge::settle(c, &order.order_no, result, at)? || result != "paid" {
        return Ok(());
    }
    let available = account_id(c, order.merchant_id, AccountKind::MerchantAvailable)?;
    let entry = postings::credit_recharge(clearing(c, &order.bank)?, available, money(order.amount)?);
    let bank_name = paydesk_domain::banks::find(&order.bank).map(|b| b.name).unwrap_or("银行");
    post(c, entry, "recharge", &format!("recharge:{}", order.order_no), &format!("充值 {bank_name}"))
}
