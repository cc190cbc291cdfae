//! The fund operations for API clients (issue 12): the portal's transfer, bank
//! payout and withdrawal, signed instead of proved with the payment password
//! and a second factor. They run the same submit pipeline as the operator's
//! client: the API client's role decides what it may do, and the merchant's
//! review policy whether the operation waits for an auditor.

use actix_web::http::StatusCode;
use actix_web::{post, web, HttpRequest, HttpResponse};
use paydesk_api_types::{Application, BankTransferRequest, Problem, TransferRequest, WithdrawalRequest};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::core::funds;
use crate::wrap::{self, RawBody};
use crate::AppState;

pub fn configure(cfg: &mut ServiceConfig<'_>) {
    cfg.service(transfer).service(bank_payout).service(withdrawal);
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
    wrap::signed_money(state, req, body.0, StatusCode::CREATED, funds::transfer).await
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
    wrap::signed_money(state, req, body.0, StatusCode::CREATED, funds::bank_payout).await
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
    wrap::signed_money(state, req, body.0, StatusCode::CREATED, funds::withdrawal).await
}
