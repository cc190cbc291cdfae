//! 忘记登录密码 (manual §3.7.1): public, no session — account and captcha,
//! licence number and SMS code, the e-mailed link, the new password.

use actix_web::{get, post, web, HttpRequest, HttpResponse};
use paydesk_api_types::{
    KeyChallenge, Problem, RecoveryComplete, RecoveryLink, RecoveryLinkSent, RecoveryStart, RecoveryStarted,
    RecoveryVerify, SmsCodeSent,
};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::client_ip;
use crate::core::{captcha, recovery};
use crate::error::ApiError;
use crate::permits::Body;
use crate::ratelimit::Door;
use crate::AppState;

pub fn configure(cfg: &mut ServiceConfig<'_>) {
    cfg.service(start)
        .service(send_code)
        .service(key_challenge)
        .service(verify)
        .service(resend)
        .service(link)
        .service(complete);
}

/// 忘记登录密码, step 1: the merchant account and a captcha
///
/// Answers a recovery id whether or not the account exists (only a real one
/// can be verified).
#[utoipa::path(
    tag = "session", request_body = RecoveryStart,
    responses(
        (status = 201, body = RecoveryStarted),
        (status = 422, description = "`captcha_invalid`", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "`too_many_requests`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/recoveries")]
async fn start(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: Body<RecoveryStart>,
) -> Result<HttpResponse, ApiError> {
    let body = body.take()?.into_inner();
    let account = body.merchant.trim().to_owned();
    state.limiter.hit_all(&[(Door::RecoverIp, &client_ip(&req)), (Door::RecoverAccount, &account)])?;
    let st = state.clone();
    let started = web::block(move || {
        captcha::check(&st, &body.captcha_id, &body.captcha_answer)?;
        recovery::start(&st, &body)
    })
    .await??;
    Ok(HttpResponse::Created().json(started))
}

/// Step 2a: send the code to the operator's bound phone
#[utoipa::path(
    tag = "session", params(("id" = String, Path)),
    responses((status = 202, body = SmsCodeSent), (status = 409, description = "`recovery_state`", body = Problem, content_type = "application/problem+json"))
)]
#[post("/recoveries/{id}/sms-code")]
async fn send_code(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    state.limiter.hit(Door::SmsIp, &client_ip(&req))?;
    let st = state.clone();
    let sent = web::block(move || recovery::send_code(&st, &id)).await??;
    Ok(HttpResponse::Accepted().json(sent))
}

/// Step 2a, by the security key: a key check bound to this recovery
///
/// For an operator who has bound a 快捷盾: answer it with
/// `navigator.credentials.get` and send it as `security_key` to `verify`
/// instead of the SMS code.
#[utoipa::path(
    tag = "session", params(("id" = String, Path)),
    responses(
        (status = 200, body = KeyChallenge),
        (status = 409, description = "`security_key_not_bound`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/recoveries/{id}/key-challenges")]
async fn key_challenge(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<String>,
) -> Result<web::Json<KeyChallenge>, ApiError> {
    state.limiter.hit(Door::RecoverIp, &client_ip(&req))?;
    let st = state.clone();
    let (challenge_id, options) = web::block(move || recovery::key_challenge(&st, &id)).await??;
    Ok(web::Json(KeyChallenge { challenge_id, options }))
}

/// Step 2b: the licence number and the SMS code (or the key); the link is e-mailed
#[utoipa::path(
    tag = "session", params(("id" = String, Path)), request_body = RecoveryVerify,
    responses((status = 202, body = RecoveryLinkSent), (status = 422, description = "`licence_number_wrong` or a wrong code", body = Problem, content_type = "application/problem+json"))
)]
#[post("/recoveries/{id}/verify")]
async fn verify(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<String>,
    body: Body<RecoveryVerify>,
) -> Result<HttpResponse, ApiError> {
    let (st, body, base) = (state.clone(), body.take()?.into_inner(), state.settings.public_base(&req));
    let sent = web::block(move || recovery::verify(&st, &id, &body, &base)).await??;
    Ok(HttpResponse::Accepted().json(sent))
}

/// Step 3: send the link again (60 seconds after the last)
#[utoipa::path(
    tag = "session", params(("id" = String, Path)),
    responses((status = 202, body = RecoveryLinkSent), (status = 429, description = "`resend_too_soon`", body = Problem, content_type = "application/problem+json"))
)]
#[post("/recoveries/{id}/resend")]
async fn resend(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let (st, base) = (state.clone(), state.settings.public_base(&req));
    let sent = web::block(move || recovery::resend(&st, &id, &base)).await??;
    Ok(HttpResponse::Accepted().json(sent))
}

/// Check a recovery link
#[utoipa::path(
    tag = "session", params(("token" = String, Path)),
    responses((status = 200, body = RecoveryLink), (status = 404, description = "`link_invalid`", body = Problem, content_type = "application/problem+json"), (status = 410, description = "`link_used` or `link_expired`", body = Problem, content_type = "application/problem+json"))
)]
#[get("/recoveries/links/{token}")]
async fn link(
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<web::Json<RecoveryLink>, ApiError> {
    let st = state.clone();
    Ok(web::Json(web::block(move || recovery::link(&st, &token)).await??))
}

/// Step 4: set the new login password through the link
///
/// Ends every session of the operator and lifts a sign-in freeze.
#[utoipa::path(
    tag = "session", params(("token" = String, Path)), request_body = RecoveryComplete,
    responses((status = 204, description = "Set; sign in with it"), (status = 410, description = "`link_used` or `link_expired`", body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json"))
)]
#[post("/recoveries/links/{token}")]
async fn complete(
    state: web::Data<AppState>,
    req: HttpRequest,
    token: web::Path<String>,
    body: Body<RecoveryComplete>,
) -> Result<HttpResponse, ApiError> {
    let (st, body, ip) = (state.clone(), body.take()?.into_inner(), client_ip(&req));
    web::block(move || recovery::complete(&st, &token, &body, &ip)).await??;
    Ok(HttpResponse::NoContent().finish())
}
