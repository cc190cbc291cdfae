//! 收银台: the hosted cashier a buyer opens from an integrator's link or QR
//! code — a small server-rendered page (no SPA to download on a phone) with the
//! merchant's name, the subject, the amount and the time left. The buyer picks a
//! bank and pays in its online banking; the bank's signed notification moves the
//! trade; the result page then sends the buyer back to the merchant's
//! return_url.

use actix_web::{get, post, web, HttpResponse};
use chrono::NaiveDateTime;
use paydesk_domain::banks::BANKS;
use paydesk_domain::trades::TradeStatus;
use paydesk_domain::{amount_in_words, Money};
use paydesk_store::identity;
use paydesk_store::trades::{self as store, Trade};
use serde::Deserialize;

use crate::core::trades;
use crate::error::ApiError;
use crate::views::html_escape as escape;
use crate::AppState;

const STYLE: &str = "body{font-family:system-ui,-apple-system,'PingFang SC','WenQuanYi Micro Hei',sans-serif;margin:0;\
background:#f3f5f9;color:#1d2433}header{background:#1f4fd1;color:#fff;padding:14px 20px;font-size:18px}\
main{max-width:480px;margin:0 auto;padding:16px}section{background:#fff;border-radius:10px;padding:18px 20px;margin-bottom:14px;\
box-shadow:0 1px 3px rgba(0,0,0,.06)}.merchant{color:#5b6478;font-size:14px}.amount{font-size:34px;font-weight:700;margin:6px 0}\
.words{color:#5b6478;font-size:13px}.left{color:#c0392b;font-size:14px}dl{margin:0}dt{color:#5b6478;font-size:13px;margin-top:8px}\
dd{margin:2px 0 0}.banks{display:grid;grid-template-columns:1fr 1fr;gap:10px}.banks button{font:inherit;padding:12px 8px;\
border:1px solid #cfd6e4;border-radius:8px;background:#fff;cursor:pointer}.banks button:hover{border-color:#1f4fd1}\
.state{font-size:22px;font-weight:600}.ok{color:#1d8a4a}.wait{color:#b7791f}.bad{color:#c0392b}a.back{display:block;text-align:center;\
background:#1f4fd1;color:#fff;padding:12px;border-radius:8px;text-decoration:none;margin-top:14px}small{color:#8a93a6}";

fn page(title: &str, body: &str, refresh: Option<u32>) -> HttpResponse {
    let refresh =
        refresh.map(|s| format!("<meta http-equiv=\"refresh\" content=\"{s}\">")).unwrap_or_default();
    HttpResponse::Ok().content_type("text/html; charset=utf-8").body(format!(
        "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">{refresh}<title>{title} · Paydesk 收银台</title>\
         <style>{STYLE}</style></head><body><header>Paydesk 收银台 <small style=\"color:#dbe4ff\">Cashier</small></header>\
         <main>{body}</main></body></html>",
        title = escape(title)
    ))
}

fn money(fen: i64) -> Money {
    Money::from_fen(fen).unwrap_or_default()
}

/// "1小时59分" of what is left before `until`.
fn time_left(now: NaiveDateTime, until: NaiveDateTime) -> String {
    let secs = (until - now).num_seconds().max(0);
    let (h, m, s) = (secs / 3600, secs % 3600 / 60, secs % 60);
    if h > 0 {
        format!("{h}小时{m:02}分")
    } else {
        format!("{m}分{s:02}秒")
    }
}

fn load(st: &AppState, trade_no: String) -> Result<Option<(Trade, String)>, ApiError> {
    st.store.read(|c| -> Result<_, ApiError> {
        let Some(t) = store::by_trade_no(c, &trade_no)? else { return Ok(None) };
        let merchant = identity::merchant(c, t.merchant_id)?;
        Ok(Some((t, merchant.company_name)))
    })
}

fn summary(t: &Trade, merchant: &str) -> String {
    format!(
        "<section><div class=\"merchant\">{merchant}</div><div class=\"amount\" data-amount=\"{amount}\">¥ {amount}</div>\
         <div class=\"words\">{words}</div><dl><dt>商品 Subject</dt><dd class=\"subject\">{subject}</dd>\
         <dt>订单号 Order</dt><dd>{no}</dd></dl></section>",
        merchant = escape(merchant),
        amount = money(t.amount),
        words = amount_in_words(money(t.amount)),
        subject = escape(&t.subject),
        no = escape(&t.trade_no),
    )
}

/// The cashier page for one trade.
#[get("/cashier/{trade_no}")]
pub async fn cashier_page(
    state: web::Data<AppState>,
    trade_no: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let st = state.clone();
    let found = web::block(move || load(&st, trade_no.into_inner())).await??;
    let Some((t, merchant)) = found else { return Err(ApiError::RouteNotFound) };
    let now = state.clock.now();
    if t.status != TradeStatus::Pending || now >= t.expires_at {
        return Ok(result_html(&t, &merchant, now));
    }
    let banks: String = BANKS
        .iter()
        .map(|b| format!("<button name=\"bank\" value=\"{}\">{}</button>", escape(b.code), escape(b.name)))
        .collect();
    let body = format!(
        "{summary}<section><p class=\"left\">剩余支付时间 <span data-expires=\"{expires}\">{left}</span> · Time left</p>\
         <p>选择付款银行 · Choose your bank</p><form method=\"post\" action=\"/cashier/{no}/pay\" class=\"banks\">{banks}</form>\
         </section><p><small>付款在银行完成；Paydesk 不会向您索要银行密码。You pay in your bank's own page.</small></p>",
        summary = summary(&t, &merchant),
        expires = t.expires_at.and_utc().timestamp(),
        left = time_left(now, t.expires_at),
        no = escape(&t.trade_no),
    );
    Ok(page("支付", &body, None))
}

#[derive(Debug, Deserialize)]
pub struct PayForm {
    pub bank: String,
}

/// The buyer chose a bank: off to its online banking.
#[post("/cashier/{trade_no}/pay")]
pub async fn cashier_pay(
    state: web::Data<AppState>,
    trade_no: web::Path<String>,
    form: web::Form<PayForm>,
) -> Result<HttpResponse, ApiError> {
    let bank = form.into_inner().bank;
    if paydesk_domain::banks::find(&bank).is_none() {
        return Err(ApiError::field("bank", "bank_unknown", "choose one of the listed banks"));
    }
    let st = state.clone();
    let no = trade_no.into_inner();
    let t = web::block(move || trades::payable(&st, &no)).await??;
    let url = format!("{}?bank={bank}", state.bank.collection_url(&t.trade_no));
    Ok(HttpResponse::SeeOther().insert_header(("Location", url)).finish())
}

fn result_html(t: &Trade, merchant: &str, now: NaiveDateTime) -> HttpResponse {
    let (class, text) = match t.status {
        TradeStatus::Pending if now >= t.expires_at => ("bad", "已超时 · Expired"),
        TradeStatus::Pending => ("wait", "支付处理中 · Waiting for the bank"),
        TradeStatus::Paid | TradeStatus::Completed | TradeStatus::Settled => ("ok", "支付成功 · Paid"),
        TradeStatus::Failed => ("bad", "交易失败 · Failed"),
        TradeStatus::Closed => ("bad", "交易已关闭 · Closed"),
    };
    let paid = matches!(t.status, TradeStatus::Paid | TradeStatus::Completed | TradeStatus::Settled);
    let back = match (&t.return_url, paid) {
        (Some(url), true) => {
            let sep = if url.contains('?') { '&' } else { '?' };
            format!(
                "<a class=\"back\" href=\"{}\">返回商户 · Back to the merchant</a>",
                escape(&format!(
                    "{url}{sep}trade_no={}&merchant_order_no={}",
                    t.trade_no, t.merchant_order_no
                ))
            )
        }
        _ => String::new(),
    };
    let waiting = t.status == TradeStatus::Pending && now < t.expires_at;
    let body = format!(
        "{summary}<section><div class=\"state {class}\" data-status=\"{status}\">{text}</div>{back}</section>",
        summary = summary(t, merchant),
        status = t.status.as_str(),
    );
    // While the bank's notice is on its way, look again in two seconds.
    page(text, &body, waiting.then_some(2))
}

/// After the bank: paid, still on its way, or over.
#[get("/cashier/{trade_no}/result")]
pub async fn cashier_result(
    state: web::Data<AppState>,
    trade_no: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let st = state.clone();
    let found = web::block(move || load(&st, trade_no.into_inner())).await??;
    let Some((t, merchant)) = found else { return Err(ApiError::RouteNotFound) };
    Ok(result_html(&t, &merchant, state.clock.now()))
}

/// The page a collection QR code opens: the merchant, and the code's amount or
/// a box to type one.
#[get("/pay/{code}")]
pub async fn qr_page(state: web::Data<AppState>, code: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let st = state.clone();
    let found = web::block(move || crate::core::qr::public(&st, &code.into_inner())).await??;
    let Some((q, merchant)) = found else { return Err(ApiError::RouteNotFound) };
    Ok(qr_html(&q, &merchant, None))
}

fn qr_html(q: &paydesk_store::trades::QrCode, merchant: &str, problem: Option<&str>) -> HttpResponse {
    if !q.active {
        let body = format!(
            "<section><div class=\"merchant\">{}</div><div class=\"state bad\">此收款码已停用 · This code no longer takes payments</div></section>",
            escape(merchant)
        );
        return page("收款码已停用", &body, None);
    }
    let amount = match q.amount {
        Some(fen) => format!(
            "<div class=\"amount\" data-amount=\"{a}\">¥ {a}</div><div class=\"words\">{w}</div><input type=\"hidden\" name=\"amount\" value=\"{a}\">",
            a = money(fen),
            w = amount_in_words(money(fen))
        ),
        None => "<label>付款金额 · Amount (元)<br><input name=\"amount\" inputmode=\"decimal\" autocomplete=\"off\" \
                 placeholder=\"0.00\" required style=\"font-size:28px;width:100%;padding:8px;margin-top:6px;box-sizing:border-box\"></label>"
            .to_owned(),
    };
    let problem =
        problem.map(|p| format!("<p class=\"bad\" role=\"alert\">{}</p>", escape(p))).unwrap_or_default();
    let body = format!(
        "<section><div class=\"merchant\">{merchant}</div><p>{name}</p><form method=\"post\" action=\"/pay/{code}\">{amount}{problem}\
         <button style=\"font:inherit;width:100%;margin-top:14px;padding:12px;border:0;border-radius:8px;background:#1f4fd1;color:#fff\">\
         付款 · Pay</button></form></section>",
        merchant = escape(merchant),
        name = escape(&q.name),
        code = escape(&q.code),
    );
    page("付款", &body, None)
}

#[derive(Debug, Deserialize)]
pub struct AmountForm {
    #[serde(default)]
    pub amount: String,
}

/// The buyer confirmed the amount: a trade, paid in the cashier.
#[post("/pay/{code}")]
pub async fn qr_pay(
    state: web::Data<AppState>,
    code: web::Path<String>,
    form: web::Form<AmountForm>,
) -> Result<HttpResponse, ApiError> {
    let (st, code) = (state.clone(), code.into_inner());
    let typed = form.into_inner().amount;
    let started = web::block(move || match crate::core::qr::start_payment(&st, &code, &typed) {
        Ok(t) => Ok(Ok(t)),
        // A mistyped amount: the page again, saying what's wrong.
        Err(ApiError::Validation(problems)) => {
            let shown = crate::core::qr::public(&st, &code)?;
            Ok(Err((shown, problems.first().map(|p| p.message.clone()).unwrap_or_default())))
        }
        Err(e) => Err(e),
    })
    .await??;
    match started {
        Ok(t) => Ok(HttpResponse::SeeOther()
            .insert_header(("Location", format!("/cashier/{}", t.trade_no)))
            .finish()),
        Err((Some((q, merchant)), message)) => {
            let mut response = qr_html(&q, &merchant, Some(&format!("金额不正确 · {message}")));
            *response.status_mut() = actix_web::http::StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
        Err((None, _)) => Err(ApiError::RouteNotFound),
    }
}
