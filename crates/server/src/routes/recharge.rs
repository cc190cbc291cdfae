//! 充值 (manual §3.4.1): an order, paid on the bank's online-banking page; the
//! balance rises only when the bank's signed notification arrives.

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use chrono::{NaiveTime, Utc};
use paydesk_api_types::{Problem, Recharge, RechargeBank, RechargeRequest};
use paydesk_domain::banks::{self, LimitBreach, BANKS};
use paydesk_domain::ledger::{AccountKind, JournalEntry};
use paydesk_domain::Money;
use paydesk_store::ledger::{self, EntryMeta};
use paydesk_store::recharge::{self, RechargeOrder};
use rand::Rng;
use serde::Serialize;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::{now, OperatorAuth};
use crate::error::ApiError;
use crate::funds;
use crate::idempotency;
use crate::permits::{perm, Body, Can, CanVerified};
use crate::routes::account::money_text;
use crate::sandbox_bank::{Notice, SIGNATURE_HEADER};
use crate::AppState;

pub fn configure(cfg: &mut ServiceConfig<'_>) {
    cfg.service(list_banks).service(create_recharge).service(get_recharge).service(bank_notification);
}

fn money(fen: i64) -> String {
    money_text(fen)
}

/// Banks to recharge from, with their limits
#[utoipa::path(tag = "funds", security(("bearer" = [])), responses((status = 200, body = [RechargeBank])), extensions(("x-permission" = json!([]))))]
#[get("/recharge-banks")]
async fn list_banks(_auth: OperatorAuth) -> web::Json<Vec<RechargeBank>> {
    web::Json(
        BANKS
            .iter()
            .map(|b| RechargeBank {
                code: b.code.into(),
                name: b.name.into(),
                single_limit: money(b.single_limit_fen),
                daily_limit: money(b.daily_limit_fen),
                condition_zh: b.condition_zh.into(),
                condition_en: b.condition_en.into(),
            })
            .collect(),
    )
}

fn view(order: &RechargeOrder) -> Recharge {
    Recharge {
        order_no: order.order_no.clone(),
        amount: money(order.amount),
        bank: order.bank.clone(),
        bank_name: banks::find(&order.bank).map(|b| b.name).unwrap_or("").to_owned(),
        status: order.status.clone(),
        pay_url: format!("/sandbox/bank/pay/{}", order.order_no),
        created_at: order.created_at.and_utc().to_rfc3339(),
    }
}

#[derive(Serialize)]
struct Fingerprint<'a> {
    amount: &'a str,
    bank: &'a str,
}

/// Start a recharge
///
/// The amount is typed twice. The order must fit the bank's single and daily
/// limits. Pay it on the bank's page at `pay_url`; the balance rises when the
/// bank confirms.
#[utoipa::path(
    tag = "funds", security(("bearer" = [])), request_body = RechargeRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retry return the same order")),
    responses(
        (status = 201, body = Recharge),
        (status = 403, description = "`kyb_required`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`amount_mismatch`, `bank_unknown`, `over_single_limit`, `over_daily_limit`", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "`bank_channel_unavailable` (production without a bank channel)", body = Problem, content_type = "application/problem+json"),
    ),
    extensions(("x-permission" = json!(["recharge"]))),
)]
#[post("/recharges")]
async fn create_recharge(
    state: web::Data<AppState>,
    req: HttpRequest,
    op: CanVerified<perm::Recharge>,
    body: Body<RechargeRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.take()?;
    let auth = op.0;
    let body = body.into_inner();
    if !state.settings.mode.is_development() {
        return Err(ApiError::rule(
            StatusCode::SERVICE_UNAVAILABLE,
            "bank_channel_unavailable",
            "no bank channel is configured for recharges",
        ));
    }
    let amount = match Money::parse(body.amount.trim()) {
        Ok(a) if a.is_zero() => {
            return Err(ApiError::field("amount", "amount_zero", "the amount must be more than 0.00"))
        }
        Ok(a) => a,
        Err(e) => return Err(ApiError::field("amount", e.code(), e.to_string())),
    };
    if Money::parse(body.amount_confirm.trim()).ok() != Some(amount) {
        return Err(ApiError::field("amount_confirm", "amount_mismatch", "the two amounts differ"));
    }
    let bank =
        banks::find(&body.bank).ok_or_else(|| ApiError::field("bank", "bank_unknown", "choose a bank"))?;
    let fingerprint = Fingerprint { amount: &body.amount, bank: &body.bank };
    let st = state.clone();
    let run = async move {
        let order = web::block(move || {
            st.store.write(|c| -> Result<RechargeOrder, ApiError> {
                let midnight = Utc::now().date_naive().and_time(NaiveTime::MIN);
                let used = recharge::used_since(c, auth.merchant_id, bank.code, midnight)?;
                match bank.check(amount, Money::from_fen(used).unwrap_or(Money::MAX)) {
                    Ok(()) => {}
                    Err(LimitBreach::Single { limit }) => {
                        return Err(ApiError::field(
                            "amount",
                            "over_single_limit",
                            format!("{} takes at most {limit} per recharge", bank.name),
                        ));
                    }
                    Err(LimitBreach::Daily { limit, used }) => {
                        return Err(ApiError::field(
                            "amount",
                            "over_daily_limit",
                            format!(
                                "{} takes at most {limit} a day; {used} is already used today",
                                bank.name
                            ),
                        ));
                    }
                }
                let at = now();
                let order_no =
                    format!("R{}{:06}", at.format("%Y%m%d%H%M%S"), rand::rng().random_range(0..1_000_000));
                Ok(recharge::create_order(
                    c,
                    &order_no,
                    auth.merchant_id,
                    auth.operator_id,
                    bank.code,
                    amount.fen(),
                    at,
                )?)
            })
        })
        .await??;
        Ok((StatusCode::CREATED, view(&order)))
    };
    idempotency::once(&state, &req, auth.merchant_id, &fingerprint, run).await
}

/// One recharge order, for the result page
#[utoipa::path(
    tag = "funds", security(("bearer" = [])), params(("order_no" = String, Path)),
    responses((status = 200, body = Recharge), (status = 404, description = "`recharge_not_found`", body = Problem, content_type = "application/problem+json")),
    extensions(("x-permission" = json!(["recharge"]))),
)]
#[get("/recharges/{order_no}")]
async fn get_recharge(
    state: web::Data<AppState>,
    Can(auth, _): Can<perm::Recharge>,
    order_no: web::Path<String>,
) -> Result<web::Json<Recharge>, ApiError> {
    let store = state.store.clone();
    let order = web::block(move || store.read(|c| recharge::find_order(c, &order_no))).await??;
    let order = order
        .filter(|o| o.merchant_id == auth.merchant_id)
        .ok_or_else(|| ApiError::rule(StatusCode::NOT_FOUND, "recharge_not_found", "no such recharge"))?;
    Ok(web::Json(view(&order)))
}

/// The bank's result for a recharge (server to server)
///
/// Called by the bank, not by merchants. The body is signed with HMAC-SHA256 in
/// `X-Sandbox-Signature`; anything unsigned or altered is refused and changes
/// nothing. A result already applied is acknowledged again without effect, so the
/// bank may retry freely.
#[utoipa::path(
    tag = "funds",
    request_body(content = String, description = "The bank's JSON notice", content_type = "application/json"),
    responses(
        (status = 200, description = "Acknowledged (also for a repeat)"),
        (status = 401, description = "`signature_invalid`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`recharge_not_found`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`notice_mismatch`: the amount differs from the order", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/bank/notifications/sandbox")]
async fn bank_notification(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let signature = req.headers().get(SIGNATURE_HEADER).and_then(|v| v.to_str().ok()).unwrap_or("");
    if !state.bank_signer.verify(&body, signature) {
        tracing::warn!("bank notification with a bad signature refused");
        return Err(ApiError::rule(
            StatusCode::UNAUTHORIZED,
            "signature_invalid",
            "the notification's signature does not verify",
        ));
    }
    let notice: Notice = serde_json::from_slice(&body).map_err(|e| ApiError::MalformedJson(e.to_string()))?;
    let store = state.store.clone();
    web::block(move || {
        store.write(|c| -> Result<(), ApiError> {
            let order = recharge::find_order(c, &notice.order_no)?.ok_or_else(|| {
                ApiError::rule(StatusCode::NOT_FOUND, "recharge_not_found", "no such recharge")
            })?;
            if order.amount != notice.amount {
                return Err(ApiError::rule(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "notice_mismatch",
                    "the amount differs from the order",
                ));
            }
            let result = match notice.result.as_str() {
                "paid" => "paid",
                "cancelled" => "cancelled",
                _ => return Err(ApiError::field("result", "result_invalid", "paid or cancelled")),
            };
            // Only the first notice moves the order; repeats are acknowledged and ignored.
            if !recharge::settle(c, &order.order_no, result, now())? || result != "paid" {
                return Ok(());
            }
            let bank = ledger::open_account(
                c,
                &format!("platform:bank_clearing:{}", order.bank),
                AccountKind::PlatformBankClearing,
                None,
            )?;
            let available = funds::account_id(c, order.merchant_id, AccountKind::MerchantAvailable)?;
            let amount = Money::from_fen(order.amount)
                .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("bad amount")))?;
            let entry = JournalEntry::transfer(bank.id, available, amount)
                .map_err(|e| ApiError::Internal(e.into()))?;
            let bank_name = banks::find(&order.bank).map(|b| b.name).unwrap_or("银行");
            let remark = format!("充值 {bank_name}");
            let reference = format!("recharge:{}", order.order_no);
            ledger::post_entry(
                c,
                &entry,
                &EntryMeta { kind: "recharge", reference: Some(&reference), remark: &remark },
            )?;
            Ok(())
        })
    })
    .await??;
    Ok(HttpResponse::Ok().content_type("text/plain").body("success"))
}
