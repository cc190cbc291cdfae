//! Refunds (退款, manual §4.1.2) from the portal: apply for one refund of a
//! trade, and a trade's 退款记录. The steps are the core's submit pipeline
//! (`core::refunds`); this file maps HTTP to it.

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use paydesk_api_types::{Application, Problem, RefundRequest, RefundView};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::core::refunds;
use crate::error::ApiError;
use crate::permits::{perm, Body, Can, CanVerified};
use crate::{wrap, AppState};

pub fn configure(cfg: &mut ServiceConfig<'_>) {
    cfg.service(apply_refund).service(trade_refunds);
}

/// Apply for a refund of a trade (退款申请)
///
/// 全额退款 returns everything the trade has left; 部分退款 an amount up to that.
/// The share of the trade's fee that comes back (退还服务费) is computed by rule.
/// The money is reserved at once — out of pending settlement before the trade
/// settles, else out of available — and the refund waits for review under the
/// merchant's policy for refunds (an operator who may also review sends it to
/// the bank at once, with the second factor). The bank returns it to the buyer
/// the way it came (原路返回), asynchronously; if it can't, the money comes back.
#[utoipa::path(
    tag = "trades", security(("bearer" = [])), request_body = RefundRequest,
    params(
        ("trade_no" = String, Path, description = "交易订单号"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry replay the first answer"),
    ),
    responses(
        (status = 201, description = "`pending_review` with the money held, or `processing` at the bank", body = Application),
        (status = 403, description = "`kyb_required` or `permission_denied`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`trade_not_found`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`trade_changed` (another refund came first: check and retry) or `merchant_order_no_taken`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`trade_not_refundable`, `trade_fully_refunded`, `refund_limit`, `amount_over_refundable`, amount, remark, password or code errors", body = Problem, content_type = "application/problem+json"),
    ),
    extensions(("x-permission" = json!(["transaction_records"]))),
)]
#[post("/trades/{trade_no}/refunds")]
async fn apply_refund(
    state: web::Data<AppState>,
    req: HttpRequest,
    op: CanVerified<perm::TransactionRecords>,
    trade_no: web::Path<String>,
    body: Body<RefundRequest>,
) -> Result<HttpResponse, ApiError> {
    let trade_no = trade_no.into_inner();
    wrap::money(state, req, op.0, body, StatusCode::CREATED, move |st, auth, request, idem| {
        refunds::apply(st, auth, &trade_no, request, idem)
    })
    .await
}

/// A trade's refunds (退款记录)
///
/// Oldest first; empty when it has none (无退款信息).
#[utoipa::path(
    tag = "trades", security(("bearer" = [])),
    params(("trade_no" = String, Path, description = "交易订单号")),
    responses(
        (status = 200, body = Vec<RefundView>),
        (status = 404, description = "`trade_not_found`", body = Problem, content_type = "application/problem+json"),
    ),
    extensions(("x-permission" = json!(["transaction_records"]))),
)]
#[get("/trades/{trade_no}/refunds")]
async fn trade_refunds(
    state: web::Data<AppState>,
    op: Can<perm::TransactionRecords>,
    trade_no: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let merchant_id = op.0.merchant_id;
    let refunds = web::block(move || refunds::of_trade(&state, merchant_id, &trade_no)).await??;
    Ok(HttpResponse::Ok().json(refunds))
}
