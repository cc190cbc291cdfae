//! 二维码收款 (bank document §4): a merchant's collection QR codes — fixed or open
//! amount — and their printable posters; a buyer who scans one lands on a
//! payment page, and each payment is a trade (product 二维码收款) paid in the
//! cashier like any other, refundable later.

use actix_web::http::StatusCode;
use paydesk_api_types::{ErrorCode, NewQrCode, QrCodeView};
use paydesk_domain::application::NumberKind;
use paydesk_domain::apps::App;
use paydesk_domain::fees::Product;
use paydesk_domain::trades::{self as rules, TradeMode};
use paydesk_domain::Money;
use paydesk_store::trades::{self as store, NewTrade, QrCode, Trade};
use paydesk_store::{fees, identity, DbConn};

use crate::auth::{random_token, OperatorAuth};
use crate::error::ApiError;
use crate::views::{money_text, time_text};
use crate::AppState;

fn not_found() -> ApiError {
    ApiError::rule(StatusCode::NOT_FOUND, ErrorCode::QrCodeNotFound, "no such QR code")
}

/// The page a code opens: `{base}/pay/{code}`.
pub fn link(base: &str, code: &str) -> String {
    format!("{base}/pay/{code}")
}

fn view(c: &mut DbConn, base: &str, q: &QrCode) -> Result<QrCodeView, ApiError> {
    let (paid_count, total) = store::qr_takings(c, q.id)?;
    Ok(QrCodeView {
        id: q.id,
        name: q.name.clone(),
        amount: q.amount.map(money_text),
        active: q.active,
        url: link(base, &q.code),
        created_at: time_text(q.created_at),
        paid_count,
        paid_total: money_text(total),
    })
}

/// The merchant's codes. Blocking.
pub fn list(st: &AppState, auth: &OperatorAuth) -> Result<Vec<QrCodeView>, ApiError> {
    let base = st.settings.base_url();
    st.store.read(|c| -> Result<_, ApiError> {
        store::qr_codes_of(c, auth.merchant_id)?.iter().map(|q| view(c, &base, q)).collect()
    })
}

/// Creates a code. Blocking.
pub fn create(st: &AppState, auth: &OperatorAuth, body: &NewQrCode) -> Result<QrCodeView, ApiError> {
    let draft = rules::check_qr(&body.name, body.amount.as_deref()).map_err(ApiError::from)?;
    let code = format!("q{}", &random_token()[..20].to_lowercase());
    let (at, base) = (st.clock.now(), st.settings.base_url());
    auth.audit.write(&st.store, |c| -> Result<_, ApiError> {
        crate::core::apps::require(c, auth.merchant_id, App::QrCollection)?;
        let q = store::create_qr(c, auth.merchant_id, &code, &draft.name, draft.amount.map(Money::fen), at)?;
        view(c, &base, &q)
    })
}

/// 停用: the code takes no more payments. Blocking.
pub fn disable(st: &AppState, auth: &OperatorAuth, id: i64) -> Result<QrCodeView, ApiError> {
    let base = st.settings.base_url();
    auth.audit.write(&st.store, |c| -> Result<_, ApiError> {
        if !store::disable_qr(c, auth.merchant_id, id)? {
            return Err(not_found());
        }
        let q = store::qr(c, auth.merchant_id, id)?.ok_or_else(not_found)?;
        view(c, &base, &q)
    })
}

/// The printable poster (SVG). Blocking.
pub fn poster(st: &AppState, auth: &OperatorAuth, id: i64) -> Result<String, ApiError> {
    let (q, merchant) = st.store.read(|c| -> Result<_, ApiError> {
        let q = store::qr(c, auth.merchant_id, id)?.ok_or_else(not_found)?;
        Ok((q, identity::merchant(c, auth.merchant_id)?.company_name))
    })?;
    let url = link(&st.settings.base_url(), &q.code);
    let amount = q.amount.map(money_text);
    paydesk_documents::qr::poster_svg(&url, &merchant, &q.name, amount.as_deref())
        .map_err(|e| ApiError::Internal(e.into()))
}

/// What the buyer's page shows: the code and the merchant's name. Blocking.
pub fn public(st: &AppState, code: &str) -> Result<Option<(QrCode, String)>, ApiError> {
    st.store.read(|c| -> Result<_, ApiError> {
        let Some(q) = store::qr_by_code(c, code)? else { return Ok(None) };
        let merchant = identity::merchant(c, q.merchant_id)?.company_name;
        Ok(Some((q, merchant)))
    })
}

/// A buyer pays through a code: a trade for the code's amount or the one they
/// typed, to be paid in the cashier. Blocking.
pub fn start_payment(st: &AppState, code: &str, typed: &str) -> Result<Trade, ApiError> {
    let at = st.clock.now();
    st.store.write(|c| -> Result<Trade, ApiError> {
        let q = store::qr_by_code(c, code)?.filter(|q| q.active).ok_or_else(not_found)?;
        let amount = rules::qr_amount(q.amount.and_then(Money::from_fen), typed).map_err(ApiError::from)?;
        let fee = fees::rule(c, q.merchant_id, Product::QrCollection)?.fee(amount);
        let trade_no = crate::core::numbers::next(NumberKind::Trade, at);
        let order_no = format!("QR{}", trade_no.as_str());
        store::create(
            c,
            &NewTrade {
                trade_no: trade_no.as_str(),
                merchant_id: q.merchant_id,
                app_id: None,
                qr_code_id: Some(q.id),
                merchant_order_no: &order_no,
                subject: &q.name,
                amount: amount.fen(),
                fee: fee.fen(),
                product: Product::QrCollection,
                mode: TradeMode::Instant,
                notify_url: None,
                return_url: None,
                created_at: at,
                expires_at: at + chrono::Duration::minutes(i64::from(rules::DEFAULT_EXPIRY_MINUTES)),
            },
        )?
        // The order number is the new trade number's own: nothing holds it yet.
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("trade number {} taken", trade_no.as_str())))
    })
}
