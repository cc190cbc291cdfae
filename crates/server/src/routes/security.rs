//! 安全中心 (manual §3.7): the overview and the login password of the signed-in
//! operator. Every operator reaches their own, whatever their role.

use actix_web::{get, post, put, web, HttpRequest, HttpResponse};
use paydesk_api_types::{
    ChangeLoginPassword, ChangePaymentPassword, PhoneChange, PhoneUnbind, Problem, SecurityOverview,
};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::{client_ip, OperatorAuth};
use crate::core::security;
use crate::error::ApiError;
use crate::permits::{perm, Body, Can};
use crate::AppState;

pub fn configure(cfg: &mut ServiceConfig<'_>) {
    cfg.service(overview)
        .service(change_login_password)
        .service(change_payment_password)
        .service(recover_payment_password)
        .service(change_phone)
        .service(unbind_phone);
}

/// 安全中心: the signed-in operator's protections and security level
#[utoipa::path(
    tag = "security", security(("bearer" = [])),
    responses((status = 200, body = SecurityOverview), (status = 401, body = Problem, content_type = "application/problem+json")),
    extensions(("x-permission" = json!([]))),
)]
#[get("/security")]
async fn overview(
    state: web::Data<AppState>,
    auth: OperatorAuth,
) -> Result<web::Json<SecurityOverview>, ApiError> {
    let st = state.clone();
    Ok(web::Json(web::block(move || security::overview(&st, &auth)).await??))
}

/// 修改登录密码: change the login password
///
/// The current password (a wrong one counts toward the sign-in lockout) and a
/// new one of 8–32 characters. The operator's other sessions end. Also the way
/// out of `password_change_required` after an admin set the password.
#[utoipa::path(
    tag = "security", security(("bearer" = [])), request_body = ChangeLoginPassword,
    responses(
        (status = 204, description = "Changed; other sessions ended"),
        (status = 422, description = "`password_wrong`, or the new password breaks a rule", body = Problem, content_type = "application/problem+json"),
        (status = 423, description = "`login_frozen` after five wrong passwords", body = Problem, content_type = "application/problem+json"),
    ),
    extensions(("x-permission" = json!([]))),
)]
#[put("/security/login-password")]
async fn change_login_password(
    state: web::Data<AppState>,
    auth: OperatorAuth,
    req: HttpRequest,
    body: Body<ChangeLoginPassword>,
) -> Result<HttpResponse, ApiError> {
    let (st, body, ip) = (state.clone(), body.take()?.into_inner(), client_ip(&req));
    web::block(move || security::change_login_password(&st, &auth, &body, &ip)).await??;
    Ok(HttpResponse::NoContent().finish())
}

/// 绑定/修改手机: bind a phone, or change it with the old phone or the licence number
///
/// A phone is only ever set with a code sent to it (`POST /api/v1/sms-codes`
/// with purpose `new_phone`); changing it also takes a `security` code sent to
/// the current phone, or — when that phone is lost — the licence number.
#[utoipa::path(
    tag = "security", security(("bearer" = [])), request_body = PhoneChange,
    responses(
        (status = 200, description = "Bound; the overview as it is now", body = SecurityOverview),
        (status = 409, description = "`phone_state`: bind when none is bound, change when one is", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A wrong code, payment password or licence number", body = Problem, content_type = "application/problem+json"),
        (status = 423, description = "`payment_password_locked`", body = Problem, content_type = "application/problem+json"),
    ),
    extensions(("x-permission" = json!([]))),
)]
#[put("/security/phone")]
async fn change_phone(
    state: web::Data<AppState>,
    auth: OperatorAuth,
    body: Body<PhoneChange>,
) -> Result<web::Json<SecurityOverview>, ApiError> {
    let (st, body) = (state.clone(), body.take()?.into_inner());
    Ok(web::Json(web::block(move || security::change_phone(&st, &auth, &body)).await??))
}

/// 解绑手机: unbind the phone
#[utoipa::path(
    tag = "security", security(("bearer" = [])), request_body = PhoneUnbind,
    responses(
        (status = 200, description = "Unbound", body = SecurityOverview),
        (status = 409, description = "`phone_state`: no phone is bound", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A wrong code or payment password", body = Problem, content_type = "application/problem+json"),
    ),
    extensions(("x-permission" = json!([]))),
)]
#[post("/security/phone/unbind")]
async fn unbind_phone(
    state: web::Data<AppState>,
    auth: OperatorAuth,
    body: Body<PhoneUnbind>,
) -> Result<web::Json<SecurityOverview>, ApiError> {
    let (st, body) = (state.clone(), body.take()?.into_inner());
    Ok(web::Json(web::block(move || security::unbind_phone(&st, &auth, &body)).await??))
}

/// 修改支付密码: change the merchant's payment password
///
/// The current payment password (a wrong one counts toward the lock of five a
/// day) and a new one of 6–32 characters, not the login password. It is the
/// merchant's, so it takes the account-settings permission (the admin's);
/// every operator uses the new one.
#[utoipa::path(
    tag = "security", security(("bearer" = [])), request_body = ChangePaymentPassword,
    responses(
        (status = 204, description = "Changed"),
        (status = 422, description = "`payment_password_wrong`, or the new one breaks a rule", body = Problem, content_type = "application/problem+json"),
        (status = 423, description = "`payment_password_locked`", body = Problem, content_type = "application/problem+json"),
    ),
    extensions(("x-permission" = json!(["account_settings"]))),
)]
#[put("/security/payment-password")]
async fn change_payment_password(
    state: web::Data<AppState>,
    Can(auth, _): Can<perm::AccountSettings>,
    body: Body<ChangePaymentPassword>,
) -> Result<HttpResponse, ApiError> {
    let (st, body) = (state.clone(), body.take()?.into_inner());
    web::block(move || security::change_payment_password(&st, &auth, &body)).await??;
    Ok(HttpResponse::NoContent().finish())
}

/// 找回支付密码: start recovering the merchant's payment password
///
/// Then, as a forgotten login password: `POST /api/v1/recoveries/{id}/sms-code`,
/// `…/verify` with the licence number and the code, and the e-mailed link sets
/// the new payment password (and lifts this operator's lock).
#[utoipa::path(
    tag = "security", security(("bearer" = [])),
    responses((status = 201, body = paydesk_api_types::RecoveryStarted), (status = 403, body = Problem, content_type = "application/problem+json")),
    extensions(("x-permission" = json!(["account_settings"]))),
)]
#[post("/security/payment-password/recovery")]
async fn recover_payment_password(
    state: web::Data<AppState>,
    Can(auth, _): Can<perm::AccountSettings>,
) -> Result<HttpResponse, ApiError> {
    let st = state.clone();
    let started = web::block(move || crate::core::recovery::start_payment(&st, &auth)).await??;
    Ok(HttpResponse::Created().json(started))
}
