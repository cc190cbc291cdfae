//! Development-mode pages outside the API: `/dev/outbox`, the outbox as a page a
//! person can read and click, and `/sandbox/bank/statement`, the sandbox bank's
//! online statement of an outside account (where micro-deposits show up).

use actix_web::{get, web, HttpResponse};
use paydesk_domain::Money;
use paydesk_store::kyb;
use serde::{Deserialize, Serialize};

use crate::error::ApiError;
use crate::routes::dev::{outbox_messages, OutboxQuery};
use crate::AppState;

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

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
    Ok(rows
        .into_iter()
        .map(|d| BankStatementLine {
            time: d.created_at.and_utc().format("%Y-%m-%d %H:%M:%S").to_string(),
            payer: "Paydesk 支付平台".into(),
            amount: Money::from_fen(d.amount).map(|m| m.to_string()).unwrap_or_default(),
            memo: "打款验证 / verification deposit".into(),
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
