//! 转账到快捷通账户 (manual §3.4.2.1–2): one to five payees on the platform. An
//! operator who may only apply leaves the money held for review; one who may
//! also review completes it at once with the payment password and an SMS code.
//! The steps are the core's submit pipeline; this file maps HTTP to it.

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use paydesk_api_types::ErrorCode;
use paydesk_api_types::{Application, Payee, Problem, SmsCodeRequest, SmsCodeSent, TransferRequest};
use paydesk_domain::identity::{masked_name, Email};
use paydesk_store::applications;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::client_ip;
use crate::auth::OperatorAuth;
use crate::core::factors;
use crate::core::review::not_found;
use crate::core::{funds, payees};
use crate::error::ApiError;
use crate::permits::{perm, Body, Can, CanVerified};
use crate::ratelimit::Door;
use crate::{views, wrap, AppState};

pub fn configure(cfg: &mut ServiceConfig<'_>) {
    cfg.service(send_sms_code).service(find_payee).service(create_transfer).service(get_application);
}

/// Send an SMS code to the signed-in operator's bound phone
///
/// Codes are 6 digits, valid for 5 minutes, good for one use and five guesses;
/// another may be asked for after 60 seconds.
#[utoipa::path(
    tag = "funds", security(("bearer" = [])), request_body = SmsCodeRequest,
    responses(
        (status = 202, body = SmsCodeSent),
        (status = 422, description = "`phone_not_bound` or an unknown purpose", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "`resend_too_soon`", body = Problem, content_type = "application/problem+json"),
    ),
    extensions(("x-permission" = json!([]))),
)]
#[post("/sms-codes")]
async fn send_sms_code(
    state: web::Data<AppState>,
    auth: OperatorAuth,
    req: HttpRequest,
    body: web::Json<SmsCodeRequest>,
) -> Result<HttpResponse, ApiError> {
    let operator = auth.operator_id.to_string();
    state.limiter.hit_all(&[(Door::SmsIp, &client_ip(&req)), (Door::SmsAccount, &operator)])?;
    let st = state.clone();
    let sent = web::block(move || {
        factors::send_code(&st, &auth, &factors::Purpose::parse(&body.purpose, body.phone.as_deref())?)
    })
    .await??;
    Ok(HttpResponse::Accepted().json(sent))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct PayeeQuery {
    /// The payee's platform account (registration e-mail).
    pub account: String,
}

/// Look up a platform account before paying it
///
/// Answers with the holder's name, partly masked, so the payer can confirm it.
#[utoipa::path(
    tag = "funds", security(("bearer" = [])), params(PayeeQuery),
    responses((status = 200, body = Payee), (status = 404, description = "`payee_not_found`", body = Problem, content_type = "application/problem+json")),
    extensions(("x-permission" = json!([]))),
)]
#[get("/payees")]
async fn find_payee(
    state: web::Data<AppState>,
    _auth: OperatorAuth,
    query: web::Query<PayeeQuery>,
) -> Result<web::Json<Payee>, ApiError> {
    let email = Email::parse(&query.account).map_err(|e| ApiError::field("account", e.code, e.message))?;
    let store = state.store.clone();
    let found = web::block(move || store.read(|c| payees::platform_payee(c, email.as_str()))).await??;
    let p = found.filter(|p| p.verified).ok_or_else(|| {
        ApiError::rule(
            StatusCode::NOT_FOUND,
            ErrorCode::PayeeNotFound,
            "no verified platform account has this name",
        )
    })?;
    Ok(web::Json(Payee { account: p.account, name: masked_name(&p.name) }))
}

/// Transfer to platform accounts
///
/// Holds the total (amount + fee) at once. An operator who may only apply leaves
/// the transfer `pending_review` for a reviewer; one who may also review (the
/// admin) completes it at once, which needs the payment password and an SMS code
/// (`POST /api/v1/sms-codes`). Send an `Idempotency-Key` to make retries safe.
#[utoipa::path(
    tag = "funds", security(("bearer" = [])), request_body = TransferRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retry replay the first answer instead of paying twice")),
    responses(
        (status = 201, description = "Created: `succeeded`, or `pending_review` with the money held", body = Application),
        (status = 403, description = "`kyb_required` or `permission_denied`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`idempotency_key_in_progress`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid lines, `insufficient_balance`, `payment_password_wrong`, `sms_code_wrong`, `idempotency_key_reused`", body = Problem, content_type = "application/problem+json"),
    ),
    extensions(("x-permission" = json!(["transfer"]))),
)]
#[post("/transfers")]
async fn create_transfer(
    state: web::Data<AppState>,
    req: HttpRequest,
    op: CanVerified<perm::Transfer>,
    body: Body<TransferRequest>,
) -> Result<HttpResponse, ApiError> {
    wrap::money(state, req, op.0, body, StatusCode::CREATED, funds::transfer).await
}

/// One of the merchant's applications
#[utoipa::path(
    tag = "funds", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = Application), (status = 404, description = "`application_not_found`", body = Problem, content_type = "application/problem+json")),
    extensions(("x-permission" = json!(["transaction_records"]))),
)]
#[get("/applications/{id}")]
async fn get_application(
    state: web::Data<AppState>,
    Can(auth, _): Can<perm::TransactionRecords>,
    id: web::Path<i64>,
) -> Result<web::Json<Application>, ApiError> {
    let store = state.store.clone();
    let id = id.into_inner();
    let view = web::block(move || {
        store.read(|c| -> Result<Application, ApiError> {
            let app = applications::find(c, auth.merchant_id, id)?.ok_or_else(not_found)?;
            Ok(views::application(&app, &applications::lines(c, id)?))
        })
    })
    .await??;
    Ok(web::Json(view))
}
