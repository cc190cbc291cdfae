//! The fund operations for API clients (issue 12): the portal's transfer, bank
//! payout and withdrawal, signed instead of proved with the payment password
//! and a second factor. They run the same submit pipeline as the operator's
//! client: the API client's role decides what it may do, and the merchant's
//! review policy whether the operation waits for an auditor. Refunds (issue 13)
//! too, keyed by the merchant's refund order number.

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use paydesk_api_types::{
    Application, BankTransferRequest, GatewayRefundRequest, Problem, RefundView, TransferRequest,
    WithdrawalRequest,
};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::core::{funds, refunds};
use crate::wrap::{self, RawBody};
use crate::AppState;

pub fn configure(cfg: &mut ServiceConfig<'_>) {
    cfg.service(transfer).service(bank_payout).service(withdrawal).service(refund).service(find_refund);
}

/// 转账到 Paydesk 账户, signed
///
/// The body is the portal's `TransferRequest` without `payment_password`,
/// `sms_code` and `security_key`: the signature stands for them. Under a review
/// policy the application waits for an auditor (`pending_review`).
#[utoipa::path(
    tag = "gateway", security(("paydesk_signature" = [])),
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retry return the same application")),
    request_body(content = TransferRequest, description = "Without the proofs; signed as the raw bytes sent", content_type = "application/json"),
    responses(
        (status = 201, body = Application),
        (status = 401, description = "a refused signature", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "`kyb_required` or `permission_denied` (the client's role)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`merchant_order_no_taken`, `idempotency_key_in_progress`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`, `insufficient_balance`, `idempotency_key_reused`", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[post("/gateway/transfers")]
async fn transfer(state: web::Data<AppState>, req: HttpRequest, body: RawBody) -> HttpResponse {
    wrap::signed_money(state, req, body.0, wrap::created, funds::transfer).await
}

/// 转账到银行账户, signed
///
/// The portal's `BankTransferRequest` without the proofs.
#[utoipa::path(
    tag = "gateway", security(("paydesk_signature" = [])),
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retry return the same application")),
    request_body(content = BankTransferRequest, description = "Without the proofs; signed as the raw bytes sent", content_type = "application/json"),
    responses(
        (status = 201, body = Application),
        (status = 401, description = "a refused signature", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "`kyb_required` or `permission_denied` (the client's role)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`merchant_order_no_taken`, `idempotency_key_in_progress`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`, `insufficient_balance`, `idempotency_key_reused`", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[post("/gateway/bank-payouts")]
async fn bank_payout(state: web::Data<AppState>, req: HttpRequest, body: RawBody) -> HttpResponse {
    wrap::signed_money(state, req, body.0, wrap::created, funds::bank_payout).await
}

/// 提现, signed
///
/// The portal's `WithdrawalRequest` without the proofs.
#[utoipa::path(
    tag = "gateway", security(("paydesk_signature" = [])),
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retry return the same application")),
    request_body(content = WithdrawalRequest, description = "Without the proofs; signed as the raw bytes sent", content_type = "application/json"),
    responses(
        (status = 201, body = Application),
        (status = 401, description = "a refused signature", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "`kyb_required` or `permission_denied` (the client's role)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`merchant_order_no_taken`, `idempotency_key_in_progress`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`, `insufficient_balance`, `idempotency_key_reused`", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[post("/gateway/withdrawals")]
async fn withdrawal(state: web::Data<AppState>, req: HttpRequest, body: RawBody) -> HttpResponse {
    wrap::signed_money(state, req, body.0, wrap::created, funds::withdrawal).await
}

/// Refund a trade (退款), signed
///
/// Keyed by `refund_order_no`: the same number answers the refund made under
/// it (200), never a second one. A new refund (201) reserves its money at once
/// and follows the merchant's review policy for refunds (`pending` until an
/// auditor approves, or straight to the bank); the bank returns it to the
/// buyer asynchronously, and a signed `refund_succeeded` or `refund_failed`
/// notification tells how it ended.
#[utoipa::path(
    tag = "gateway", security(("paydesk_signature" = [])),
    request_body(content = GatewayRefundRequest, description = "Signed as the raw bytes sent", content_type = "application/json"),
    responses(
        (status = 201, description = "A new refund", body = RefundView),
        (status = 200, description = "The refund made before under this refund_order_no", body = RefundView),
        (status = 401, description = "a refused signature", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "`kyb_required` or `permission_denied` (the client's role)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`trade_not_found`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`trade_changed` (another refund came first: retry), `merchant_order_no_taken` (the number names another kind of order)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: `trade_not_refundable`, `trade_fully_refunded`, `refund_limit`, `amount_over_refundable`, amount and remark errors", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[post("/gateway/refunds")]
async fn refund(state: web::Data<AppState>, req: HttpRequest, body: RawBody) -> HttpResponse {
    wrap::signed_money(state, req, body.0, refund_status, |st, auth, request, idem| {
        refunds::apply_signed(st, auth, request, idem).map(|(new, view)| Created(new, view))
    })
    .await
}

/// A refund with whether it is new; serialised as the refund alone.
struct Created(bool, RefundView);

impl serde::Serialize for Created {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.1.serialize(s)
    }
}

fn refund_status(answer: &Created) -> StatusCode {
    if answer.0 {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    }
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
struct RefundQuery {
    /// 退款交易号 …
    refund_no: Option<String>,
    /// … or 退款商户订单号.
    refund_order_no: Option<String>,
}

/// Find a refund
#[utoipa::path(
    tag = "gateway", security(("paydesk_signature" = [])), params(RefundQuery),
    responses(
        (status = 200, body = RefundView),
        (status = 401, description = "a refused signature", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`refund_not_found`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: neither number named", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[get("/gateway/refunds")]
async fn find_refund(
    state: web::Data<AppState>,
    req: HttpRequest,
    query: web::Query<RefundQuery>,
) -> HttpResponse {
    let q = query.into_inner();
    wrap::signed(state, req, web::Bytes::new(), move |_, c, signed, _| {
        let found = refunds::find(
            c,
            signed.client.merchant_id,
            q.refund_no.as_deref(),
            q.refund_order_no.as_deref(),
        )?;
        Ok((StatusCode::OK, found))
    })
    .await
}
