//! How stored rows are shown in API answers: the mappers every handler and flow
//! shares, so a balance or an application looks the same wherever it appears.

use paydesk_api_types::{Application, ApplicationLine, Recharge, StatementLine};
use paydesk_domain::banks;
use paydesk_domain::identity::BankAccountNo;
use paydesk_domain::Money;
use paydesk_store::recharge::RechargeOrder;
use paydesk_store::{applications, ledger};

/// Text of a balance in fen; balances of merchant accounts are never negative.
pub fn money_text(fen: i64) -> String {
    Money::from_fen(fen.abs()).map(|m| m.to_string()).unwrap_or_else(|| "0.00".into())
}

/// Text safe inside HTML (elements and quoted attributes).
pub fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// A stored time (UTC) as RFC 3339.
pub fn time_text(t: chrono::NaiveDateTime) -> String {
    t.and_utc().to_rfc3339()
}

/// A gateway trade; `base` is the address the cashier is reached at.
pub fn trade(t: &paydesk_store::trades::Trade, base: &str) -> paydesk_api_types::TradeView {
    let cashier_url = format!("{base}/cashier/{}", t.trade_no);
    paydesk_api_types::TradeView {
        trade_no: t.trade_no.clone(),
        merchant_order_no: t.merchant_order_no.clone(),
        subject: t.subject.clone(),
        amount: money_text(t.amount),
        fee: money_text(t.fee),
        mode: t.mode.as_str().to_owned(),
        status: t.status.as_str().to_owned(),
        status_zh: t.status.label_zh().to_owned(),
        qr_content: cashier_url.clone(),
        cashier_url,
        created_at: time_text(t.created_at),
        expires_at: time_text(t.expires_at),
        paid_at: t.paid_at.map(time_text),
        completed_at: t.completed_at.map(time_text),
        settle_after: t.settle_after.map(time_text),
        settled_at: t.settled_at.map(time_text),
        closed_at: t.closed_at.map(time_text),
        auto_confirm_at: t.auto_confirm_at.map(time_text),
        refunded: money_text(t.refunded),
        refund_count: t.refund_count,
        refundable: t.refund_facts().is_ok_and(|f| f.accepts_refund()),
    }
}

/// One refund, for 退款记录 and the gateway.
pub fn refund(r: &paydesk_store::refunds::Refund, trade_no: &str) -> paydesk_api_types::RefundView {
    paydesk_api_types::RefundView {
        refund_no: r.refund_no.clone(),
        trade_no: trade_no.to_owned(),
        refund_order_no: r.refund_order_no.clone(),
        batch_no: r.batch_no.clone(),
        application_id: r.application_id,
        amount: money_text(r.amount),
        fee_back: money_text(r.fee_back),
        status: r.status.as_str().to_owned(),
        status_zh: r.status.label_zh().to_owned(),
        remark: r.remark.clone(),
        failure_reason: r.failure_reason.clone(),
        created_at: time_text(r.created_at),
        finished_at: r.finished_at.map(time_text),
    }
}

/// One row of the account statement (收支明细).
pub fn statement_line(row: &ledger::StatementRow) -> StatementLine {
    let amount = money_text(row.amount);
    StatementLine {
        time: row.created_at.and_utc().to_rfc3339(),
        income: (row.amount > 0).then(|| amount.clone()),
        expense: (row.amount < 0).then_some(amount),
        balance_after: money_text(row.balance_after),
        remark: row.remark.clone(),
    }
}

/// An application with its lines; bank account numbers masked.
pub fn application(app: &applications::Application, lines: &[applications::Line]) -> Application {
    use paydesk_domain::states::LineStatus;
    let tally = |wanted: &[LineStatus]| {
        let hit = lines.iter().filter(|l| wanted.contains(&l.status));
        let (count, amount) = hit.fold((0u32, 0i64), |(n, a), l| (n + 1, a + l.amount));
        (count, money_text(amount))
    };
    let (succeeded_count, succeeded_amount) = tally(&[LineStatus::Succeeded]);
    let (failed_count, failed_amount) = tally(&[LineStatus::Failed, LineStatus::Returned]);
    Application {
        id: app.id,
        trade_no: app.trade_no.clone(),
        kind: app.kind.as_str().to_owned(),
        status: app.status.as_str().to_owned(),
        total_amount: money_text(app.total_amount),
        total_fee: money_text(app.total_fee),
        total: money_text(app.kind.total(app.total_amount, app.total_fee)),
        line_count: u32::try_from(app.line_count).unwrap_or(0),
        remark: app.remark.clone(),
        created_at: app.created_at.and_utc().to_rfc3339(),
        lines: lines
            .iter()
            .map(|l| ApplicationLine {
                line_no: u32::try_from(l.line_no).unwrap_or(0),
                trade_no: l.trade_no.clone(),
                // Bank account numbers are masked everywhere but where they are typed.
                payee_account: if l.payee_kind.is_bank() {
                    BankAccountNo::parse(&l.payee_account)
                        .map(|n| n.masked())
                        .unwrap_or_else(|_| "****".into())
                } else {
                    l.payee_account.clone()
                },
                payee_name: l.payee_name.clone(),
                amount: money_text(l.amount),
                fee: money_text(l.fee),
                remark: l.remark.clone(),
                merchant_order_no: l.merchant_order_no.clone(),
                status: l.status.as_str().to_owned(),
                failure_reason: l.failure_reason.clone(),
            })
            .collect(),
        batch_no: app.batch_no.clone(),
        succeeded_count,
        succeeded_amount,
        failed_count,
        failed_amount,
    }
}

/// A recharge order, with the sandbox bank's page to pay it on.
pub fn recharge(order: &RechargeOrder, bank: &dyn crate::bank::Bank) -> Recharge {
    Recharge {
        order_no: order.order_no.clone(),
        amount: money_text(order.amount),
        bank: order.bank.clone(),
        bank_name: banks::find(&order.bank).map(|b| b.name).unwrap_or("").to_owned(),
        status: order.status.clone(),
        pay_url: bank.collection_url(&order.order_no),
        created_at: order.created_at.and_utc().to_rfc3339(),
    }
}

/// A spreadsheet to save as `name` (any characters: RFC 6266 `filename*`).
pub fn xlsx_download(bytes: Vec<u8>, name: &str) -> actix_web::HttpResponse {
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    let plain = if name.is_ascii() && !name.contains(['"', '\\']) { name } else { "download.xlsx" };
    actix_web::HttpResponse::Ok()
        .content_type(paydesk_documents::XLSX)
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"{plain}\"; filename*=UTF-8''{encoded}"),
        ))
        .insert_header(("Cache-Control", "private, no-store"))
        .body(bytes)
}
