//! Development-mode pages outside the API: `/dev/outbox`, the outbox as a page a
//! person can read and click, and `/sandbox/bank/statement`, the sandbox bank's
//! online statement of an outside account (where micro-deposits show up).

use actix_web::{get, post, web, HttpResponse};
use paydesk_domain::{amount_in_words, banks, Money};
use paydesk_store::{identity, kyb, recharge};
use serde::{Deserialize, Serialize};

use crate::error::ApiError;
use crate::routes::dev::{outbox_messages, OutboxQuery};
use crate::AppState;

use crate::views::html_escape as escape;

/// Escapes the text and turns http(s) addresses into links.
fn linkify(text: &str) -> String {
    escape(text)
        .split_inclusive(|c: char| c.is_whitespace())
        .map(|word| {
            let trimmed = word.trim_end();
            if trimmed.starts_with("http://") || trimmed.starts_with("https://") {
                format!("<a href=\"{trimmed}\">{trimmed}</a>{}", &word[trimmed.len()..])
            } else {
                word.to_owned()
            }
        })
        .collect()
}

#[get("/dev/outbox")]
pub async fn outbox_page(
    state: web::Data<AppState>,
    query: web::Query<OutboxQuery>,
) -> Result<HttpResponse, ApiError> {
    let messages = outbox_messages(&state, query.into_inner()).await?;
    let mut html = String::from(
        "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>Outbox · 发件箱</title>\
         <style>body{font-family:system-ui,'WenQuanYi Micro Hei',sans-serif;margin:24px;background:#f4f6fa}\
         .m{background:#fff;border:1px solid #e3e7ef;border-radius:8px;padding:12px 16px;margin:0 0 12px}\
         .h{color:#6b7385;font-size:13px}pre{white-space:pre-wrap;font:inherit}</style></head><body>\
         <h1>发件箱 · Development outbox</h1><p class=\"h\">Every e-mail and SMS, newest first. \
         Development mode only.</p>",
    );
    if messages.is_empty() {
        html.push_str("<p>暂无消息 · No messages yet.</p>");
    }
    for m in messages {
        html.push_str(&format!(
            "<div class=\"m\" data-channel=\"{}\" data-recipient=\"{}\"><div class=\"h\">#{} · {} · {} · {} · {}</div>\
             <strong>{}</strong><pre>{}</pre></div>",
            escape(&m.channel),
            escape(&m.recipient),
            m.id,
            escape(&m.channel),
            escape(&m.recipient),
            escape(&m.status),
            escape(&m.created_at),
            escape(&m.subject),
            linkify(&m.body)
        ));
    }
    html.push_str("</body></html>");
    Ok(HttpResponse::Ok().content_type("text/html; charset=utf-8").body(html))
}

#[derive(Debug, Deserialize)]
pub struct StatementQuery {
    pub account: Option<String>,
}

/// One incoming transfer on the sandbox bank statement.
#[derive(Debug, Serialize, Deserialize)]
pub struct BankStatementLine {
    pub time: String,
    pub payer: String,
    pub amount: String,
    pub memo: String,
}

async fn statement_lines(state: &AppState, account: &str) -> Result<Vec<BankStatementLine>, ApiError> {
    if !state.settings.mode.is_development() {
        return Err(ApiError::RouteNotFound);
    }
    let store = state.store.clone();
    let account: String = account.chars().filter(|c| !c.is_whitespace()).collect();
    let rows = web::block(move || store.read(|c| kyb::deposits_to_account(c, &account))).await??;
    // Each verification deposit arrives as two transfers.
    Ok(rows
        .into_iter()
        .flat_map(|d| {
            let time = d.created_at.and_utc().format("%Y-%m-%d %H:%M:%S").to_string();
            [d.amount, d.second_amount].into_iter().filter(|a| *a > 0).map(move |a| BankStatementLine {
                time: time.clone(),
                payer: "Paydesk 支付平台".into(),
                amount: Money::from_fen(a).map(|m| m.to_string()).unwrap_or_default(),
                memo: "打款验证 / verification deposit".into(),
            })
        })
        .collect())
}

/// The sandbox bank's statement as JSON, for tests and scripts.
#[get("/sandbox/bank/statement.json")]
pub async fn bank_statement_json(
    state: web::Data<AppState>,
    query: web::Query<StatementQuery>,
) -> Result<HttpResponse, ApiError> {
    let lines = statement_lines(&state, query.account.as_deref().unwrap_or("")).await?;
    Ok(HttpResponse::Ok().json(lines))
}

/// The sandbox bank's online statement of an outside account.
#[get("/sandbox/bank/statement")]
pub async fn bank_statement_page(
    state: web::Data<AppState>,
    query: web::Query<StatementQuery>,
) -> Result<HttpResponse, ApiError> {
    let account = query.account.clone().unwrap_or_default();
    let lines = if account.is_empty() { Vec::new() } else { statement_lines(&state, &account).await? };
    if !state.settings.mode.is_development() {
        return Err(ApiError::RouteNotFound);
    }
    let mut html = format!(
        "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>沙箱银行 · Sandbox bank</title>\
         <style>body{{font-family:system-ui,'WenQuanYi Micro Hei',sans-serif;margin:24px;background:#f3f7f4}}\
         table{{border-collapse:collapse;background:#fff}}td,th{{border:1px solid #d5e0d8;padding:6px 12px}}\
         .amount{{text-align:right;font-variant-numeric:tabular-nums}}</style></head><body>\
         <h1>沙箱银行 网上银行 · Sandbox bank online statement</h1>\
         <form><label>账号 Account <input name=\"account\" value=\"{}\"></label> <button>查询 Show</button></form>",
        escape(&account)
    );
    if !account.is_empty() {
        html.push_str(
            "<table><tr><th>时间 Time</th><th>付款方 Payer</th><th>金额 Amount</th><th>摘要 Memo</th></tr>",
        );
        if lines.is_empty() {
            html.push_str("<tr><td colspan=\"4\">暂无交易 · No transactions</td></tr>");
        }
        for l in &lines {
            html.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td class=\"amount\">{}</td><td>{}</td></tr>",
                escape(&l.time),
                escape(&l.payer),
                escape(&l.amount),
                escape(&l.memo)
            ));
        }
        html.push_str("</table>");
    }
    html.push_str("</body></html>");
    Ok(HttpResponse::Ok().content_type("text/html; charset=utf-8").body(html))
}

/// Which bank a buyer chose in the cashier (recharges name theirs).
#[derive(Debug, Deserialize)]
pub struct BankChoice {
    pub bank: Option<String>,
}

/// What the bank's page shows: a recharge order or a gateway trade.
struct Collection {
    no: String,
    amount: Money,
    pending: bool,
    status: String,
    bank: String,
    payer: String,
    payee: String,
}

fn find_collection(
    state: &AppState,
    no: String,
    bank: Option<String>,
) -> Result<Option<Collection>, ApiError> {
    state.store.read(|c| -> Result<_, ApiError> {
        if let Some(order) = recharge::find_order(c, &no)? {
            let merchant = identity::merchant(c, order.merchant_id)?;
            return Ok(Some(Collection {
                no: order.order_no,
                amount: Money::from_fen(order.amount).unwrap_or_default(),
                pending: order.status == "pending",
                status: order.status,
                bank: order.bank,
                payer: merchant.company_name,
                payee: "Paydesk 支付平台".into(),
            }));
        }
        let Some(t) = paydesk_store::trades::by_trade_no(c, &no)? else { return Ok(None) };
        let merchant = identity::merchant(c, t.merchant_id)?;
        Ok(Some(Collection {
            no: t.trade_no,
            amount: Money::from_fen(t.amount).unwrap_or_default(),
            pending: t.status == paydesk_domain::trades::TradeStatus::Pending,
            status: t.status.label_zh().to_owned(),
            bank: bank.unwrap_or_default(),
            payer: "个人网上银行 · 买家 Buyer".into(),
            payee: format!("{} (Paydesk)", merchant.company_name),
        }))
    })
}

/// The sandbox bank's online-banking page for one recharge order or trade.
#[get("/sandbox/bank/pay/{order_no}")]
pub async fn bank_pay_page(
    state: web::Data<AppState>,
    order_no: web::Path<String>,
    choice: web::Query<BankChoice>,
) -> Result<HttpResponse, ApiError> {
    if !state.settings.mode.is_development() {
        return Err(ApiError::RouteNotFound);
    }
    let st = state.clone();
    let (no, bank) = (order_no.into_inner(), choice.into_inner().bank);
    let found = web::block(move || find_collection(&st, no, bank)).await??;
    let Some(order) = found else { return Err(ApiError::RouteNotFound) };
    let amount = order.amount;
    let bank = banks::find(&order.bank).map(|b| b.name).unwrap_or("银行");
    let query = format!("?bank={}", escape(&order.bank));
    let actions = if order.pending {
        format!(
            "<form method=\"post\" action=\"/sandbox/bank/pay/{no}/pay{query}\"><button class=\"pay\" name=\"pay\">确认付款 Pay ¥{amount}</button></form>\
             <form method=\"post\" action=\"/sandbox/bank/pay/{no}/cancel{query}\"><button class=\"cancel\" name=\"cancel\">取消 Cancel</button></form>",
            no = escape(&order.no)
        )
    } else {
        format!("<p>此订单已处理：{} · This order is {}.</p>", escape(&order.status), escape(&order.status))
    };
    let html = format!(
        "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>{bank} 网上银行 · Sandbox</title>\
         <style>body{{font-family:system-ui,'WenQuanYi Micro Hei',sans-serif;margin:0;background:#eef4ef}}\
         header{{background:#1d6b3a;color:#fff;padding:14px 24px;font-size:20px}}main{{max-width:560px;margin:24px auto;background:#fff;\
         border:1px solid #cfe0d4;border-radius:8px;padding:20px 24px}}dt{{color:#5f7366;margin-top:8px}}dd{{margin:2px 0 0;font-size:16px}}\
         .amount{{font-size:26px;color:#1d6b3a;font-weight:600}}form{{display:inline-block;margin:18px 12px 0 0}}\
         button{{font:inherit;padding:10px 22px;border-radius:6px;border:1px solid #1d6b3a;cursor:pointer}}\
         .pay{{background:#1d6b3a;color:#fff}}.cancel{{background:#fff;color:#1d6b3a}}small{{color:#7d8c83}}</style></head><body>\
         <header>{bank} · 网上银行 <small style=\"color:#cde5d6\">Sandbox bank</small></header><main>\
         <h2>网上支付 · Online payment</h2><dl><dt>收款方 Payee</dt><dd>{payee}</dd>\
         <dt>付款方 Payer</dt><dd>{payer}</dd><dt>订单号 Order</dt><dd>{no}</dd>\
         <dt>金额 Amount</dt><dd class=\"amount\" data-amount=\"{amount}\">¥ {amount}</dd><dd>{words}</dd></dl>{actions}\
         <p><small>沙箱银行：付款后银行会向平台发送签名的异步通知。The sandbox bank then sends the platform a signed notification.</small></p>\
         </main></body></html>",
        bank = escape(bank),
        payee = escape(&order.payee),
        payer = escape(&order.payer),
        no = escape(&order.no),
        words = amount_in_words(amount),
    );
    Ok(HttpResponse::Ok().content_type("text/html; charset=utf-8").body(html))
}

async fn bank_decide(
    state: web::Data<AppState>,
    order_no: String,
    bank: Option<String>,
    pay: bool,
) -> Result<HttpResponse, ApiError> {
    if !state.settings.mode.is_development() {
        return Err(ApiError::RouteNotFound);
    }
    let (st, no) = (state.clone(), order_no.clone());
    let is_recharge = web::block(move || -> Result<bool, ApiError> {
        let recharge = st.store.read(|c| recharge::find_order(c, &no))?.is_some();
        if recharge {
            crate::sandbox_bank::decide(&st.store, &st.bank_signer, &no, pay)?;
        } else {
            let bank = bank.filter(|b| banks::find(b).is_some()).unwrap_or_else(|| "ICBC".into());
            crate::sandbox_bank::decide_trade(&st.store, &st.bank_signer, &no, &bank, pay)?;
        }
        Ok(recharge)
    })
    .await??;
    // Back to the merchant's result page, as a bank's "return to merchant" link does.
    let back = if is_recharge {
        format!("/funds/recharge/result?order_no={order_no}")
    } else {
        format!("/cashier/{order_no}/result")
    };
    Ok(HttpResponse::SeeOther().insert_header(("Location", back)).finish())
}

#[post("/sandbox/bank/pay/{order_no}/pay")]
pub async fn bank_pay(
    state: web::Data<AppState>,
    order_no: web::Path<String>,
    choice: web::Query<BankChoice>,
) -> Result<HttpResponse, ApiError> {
    bank_decide(state, order_no.into_inner(), choice.into_inner().bank, true).await
}

#[post("/sandbox/bank/pay/{order_no}/cancel")]
pub async fn bank_cancel(
    state: web::Data<AppState>,
    order_no: web::Path<String>,
    choice: web::Query<BankChoice>,
) -> Result<HttpResponse, ApiError> {
    bank_decide(state, order_no.into_inner(), choice.into_inner().bank, false).await
}

#[derive(Debug, Deserialize)]
pub struct ClockQuery {
    /// Settle as if this many hours had passed (e.g. 25 for T+1).
    pub hours: Option<i64>,
}

/// The sandbox bank's clock: settle payouts now as if `hours` had passed, so a
/// person or a test needn't wait a day for T+1.
#[post("/sandbox/bank/payouts/run")]
pub async fn bank_run_payouts(
    state: web::Data<AppState>,
    query: web::Query<ClockQuery>,
) -> Result<HttpResponse, ApiError> {
    if !state.settings.mode.is_development() {
        return Err(ApiError::RouteNotFound);
    }
    let (store, signer, now) = (state.store.clone(), state.bank_signer.clone(), state.clock.now());
    let hours = query.hours.unwrap_or(0).clamp(0, 24 * 30);
    let changed = web::block(move || {
        crate::sandbox_bank::settle_payouts(&store, &signer, now + chrono::Duration::hours(hours), now)
    })
    .await??;
    // The bank sends its notifications now rather than on its next round, so a
    // person (or a test) sees the outcome when this answers — including those
    // the background round took (leased) a moment ago: wait for their
    // acknowledgement too, a few seconds at most.
    if let Some(target) = &state.settings.self_url {
        let client = reqwest::Client::new();
        let started = std::time::Instant::now();
        loop {
            crate::sandbox_bank::deliver_due(&state.store, &client, target).await;
            let store = state.store.clone();
            let max = crate::sandbox_bank::MAX_ATTEMPTS;
            let left =
                web::block(move || store.read(|c| paydesk_store::recharge::unacknowledged(c, max))).await??;
            if left == 0 || started.elapsed() > std::time::Duration::from_secs(5) {
                break;
            }
            actix_web::rt::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }
    Ok(HttpResponse::Ok().json(serde_json::json!({ "changed": changed })))
}

/// The sandbox clock for trades: run settlement (T+1), auto-confirmation and
/// expiry as if `hours` had passed, then deliver the notifications they wrote.
#[post("/sandbox/settlement/run")]
pub async fn run_settlement(
    state: web::Data<AppState>,
    query: web::Query<ClockQuery>,
) -> Result<HttpResponse, ApiError> {
    if !state.settings.mode.is_development() {
        return Err(ApiError::RouteNotFound);
    }
    let hours = query.hours.unwrap_or(0).clamp(0, 24 * 30);
    let st = state.clone();
    let run = web::block(move || {
        crate::core::trades::run_jobs(&st, st.clock.now() + chrono::Duration::hours(hours))
    })
    .await??;
    crate::core::notify::deliver_due(&state, &reqwest::Client::new(), state.clock.now()).await;
    Ok(HttpResponse::Ok().json(run))
}

#[derive(Debug, Deserialize)]
pub struct MinutesQuery {
    pub minutes: Option<i64>,
}

/// The sandbox clock for notifications: deliver what is due as if `minutes`
/// had passed (retries included), so a person or a test needn't wait for the
/// back-off.
#[post("/sandbox/notifications/run")]
pub async fn run_notifications(
    state: web::Data<AppState>,
    query: web::Query<MinutesQuery>,
) -> Result<HttpResponse, ApiError> {
    if !state.settings.mode.is_development() {
        return Err(ApiError::RouteNotFound);
    }
    let at = state.clock.now() + chrono::Duration::minutes(query.minutes.unwrap_or(0).clamp(0, 60 * 48));
    let acknowledged = crate::core::notify::deliver_due(&state, &reqwest::Client::new(), at).await;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "acknowledged": acknowledged })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_clickable_and_text_is_escaped() {
        assert_eq!(
            linkify("open http://x/y?a=1&b=2 <now>"),
            "open <a href=\"http://x/y?a=1&amp;b=2\">http://x/y?a=1&amp;b=2</a> &lt;now&gt;"
        );
    }
}
