//! 充值 (manual §3.4.1): an order, paid on the bank's online-banking page; the
//! balance rises only when the bank's signed notification arrives.

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use paydesk_api_types::ErrorCode;
use paydesk_api_types::{Problem, Recharge, RechargeBank, RechargeRequest};
use paydesk_domain::banks::BANKS;
use paydesk_store::recharge;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::OperatorAuth;
use crate::bank::BankNotice;
use crate::core::{execute, funds};
use crate::error::ApiError;
use crate::permits::{perm, Body, Can, CanVerified};
use crate::sandbox_bank::SIGNATURE_HEADER;
use crate::views::{self, money_text};
use crate::{wrap, AppState};

pub fn configure(cfg: &mut ServiceConfig<'_>) {
    cfg.service(list_banks).service(create_recharge).service(get_recharge).service(bank_notification);
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
                single_limit: money_text(b.single_limit_fen),
                daily_limit: money_text(b.daily_limit_fen),
                condition_zh: b.condition_zh.into(),
                condition_en: b.condition_en.into(),
            })
            .collect(),
    )
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
    wrap::money(state, req, op.0, body, StatusCode::CREATED, funds::recharge).await
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
    let order = order.filter(|o| o.merchant_id == auth.merchant_id).ok_or_else(|| {
        ApiError::rule(StatusCode::NOT_FOUND, ErrorCode::RechargeNotFound, "no such recharge")
    })?;
    Ok(web::Json(views::recharge(&order, state.bank.as_ref())))
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
    if !state.bank.verify(&body, signature) {
        tracing::warn!("bank notification with a bad signature refused");
        return Err(ApiError::rule(
            StatusCode::UNAUTHORIZED,
            ErrorCode::SignatureInvalid,
            "the notification's signature does not verify",
        ));
    }
    let notice: BankNotice =
        serde_json::from_slice(&body).map_err(|e| ApiError::MalformedJson(e.to_string()))?;
    let (st, at) = (state.clone(), state.clock.now());
    web::block(move || st.store.write(|c| execute::bank_notice(c, &st, &notice, at))).await??;
    Ok(HttpResponse::Ok().content_type("text/plain").body("success"))
}
