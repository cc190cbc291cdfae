//! Money out to bank accounts through the bank's payout service: 提现 (manual
//! §4.1.1) to the merchant's own cards, standard (T+1) or fast (within 2 hours),
//! and 转账到银行账户 (§3.4.2.3) to anyone's personal or corporate account. The
//! steps are the core's submit pipeline; this file maps HTTP to it.

use actix_web::http::StatusCode;
use actix_web::{post, web, HttpRequest, HttpResponse};
use paydesk_api_types::{Application, BankTransferRequest, Problem, WithdrawalRequest};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::core::funds;
use crate::error::ApiError;
use crate::permits::{perm, Body, CanVerified};
use crate::{wrap, AppState};

pub fn configure(cfg: &mut ServiceConfig<'_>) {
    cfg.service(create_withdrawal).service(create_bank_transfer);
}

/// Withdraw to one of the merchant's own bank cards
///
/// Holds the amount at once. An operator who may only apply leaves it for review;
/// one who may also review sends it to the bank at once (payment password and SMS
/// code). The application stays `processing` until the bank answers: `succeeded`,
/// or `failed` with the money back. A payout the bank later returns (退票) comes
/// back to the balance with its own statement line.
#[utoipa::path(
    tag = "funds", security(("bearer" = [])), request_body = WithdrawalRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retry replay the first answer")),
    responses(
        (status = 201, description = "`processing` at the bank, or `pending_review` with the money held", body = Application),
        (status = 403, description = "`kyb_required` or `permission_denied`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`card_unknown`, `speed_invalid`, amount errors, `insufficient_balance`, password or code errors", body = Problem, content_type = "application/problem+json"),
    ),
    extensions(("x-permission" = json!(["withdrawal"]))),
)]
#[post("/withdrawals")]
async fn create_withdrawal(
    state: web::Data<AppState>,
    req: HttpRequest,
    op: CanVerified<perm::Withdrawal>,
    body: Body<WithdrawalRequest>,
) -> Result<HttpResponse, ApiError> {
    wrap::money(state, req, op.0, body, StatusCode::CREATED, funds::withdrawal).await
}

/// Transfer to a bank account (转账到银行账户)
///
/// A payout to someone else's personal or corporate bank account: holder's name,
/// the number typed twice, the branch from the directory, and the payout
/// agreement. It goes through the bank like a withdrawal: `processing` until the
/// bank answers; a failed or returned payout gives the money back.
#[utoipa::path(
    tag = "funds", security(("bearer" = [])), request_body = BankTransferRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retry replay the first answer")),
    responses(
        (status = 201, description = "`processing` at the bank, or `pending_review` with the money held", body = Application),
        (status = 403, description = "`kyb_required` or `permission_denied`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, `insufficient_balance`, password or code errors", body = Problem, content_type = "application/problem+json"),
    ),
    extensions(("x-permission" = json!(["transfer"]))),
)]
#[post("/bank-transfers")]
async fn create_bank_transfer(
    state: web::Data<AppState>,
    req: HttpRequest,
    op: CanVerified<perm::Transfer>,
    body: Body<BankTransferRequest>,
) -> Result<HttpResponse, ApiError> {
    wrap::money(state, req, op.0, body, StatusCode::CREATED, funds::bank_payout).await
}
