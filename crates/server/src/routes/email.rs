//! 安全邮箱 (manual §3.7.4): bind, change (a link to the current address, then
//! an activation link to the new one), unbind; and the e-mailed links, which
//! work without a session.

use actix_web::{get, post, web, HttpRequest, HttpResponse};
use paydesk_api_types::{
    EmailBind, EmailLinkSent, EmailLinkUse, EmailLinkUsed, EmailLinkView, EmailProof, Problem,
};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::OperatorAuth;
use crate::core::email;
use crate::error::ApiError;
use crate::permits::Body;
use crate::AppState;

pub fn configure(cfg: &mut ServiceConfig<'_>) {
    cfg.service(bind).service(change).service(unbind).service(view_link).service(open_link);
}

/// 绑定邮箱: an activation link goes to the address
#[utoipa::path(
    tag = "security", security(("bearer" = [])), request_body = EmailBind,
    responses((status = 202, body = EmailLinkSent), (status = 409, description = "`email_state`", body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")),
    extensions(("x-permission" = json!([]))),
)]
#[post("/security/email")]
async fn bind(
    state: web::Data<AppState>,
    auth: OperatorAuth,
    req: HttpRequest,
    body: Body<EmailBind>,
) -> Result<HttpResponse, ApiError> {
    let (st, body, base) = (state.clone(), body.take()?.into_inner(), state.settings.public_base(&req));
    Ok(HttpResponse::Accepted().json(web::block(move || email::bind(&st, &auth, &body, &base)).await??))
}

/// 修改邮箱: a link goes to the current address first
#[utoipa::path(
    tag = "security", security(("bearer" = [])), request_body = EmailProof,
    responses((status = 202, body = EmailLinkSent), (status = 409, description = "`email_state`", body = Problem, content_type = "application/problem+json")),
    extensions(("x-permission" = json!([]))),
)]
#[post("/security/email/change")]
async fn change(
    state: web::Data<AppState>,
    auth: OperatorAuth,
    req: HttpRequest,
    body: Body<EmailProof>,
) -> Result<HttpResponse, ApiError> {
    let (st, body, base) = (state.clone(), body.take()?.into_inner(), state.settings.public_base(&req));
    Ok(HttpResponse::Accepted()
        .json(web::block(move || email::start_change(&st, &auth, &body, &base)).await??))
}

/// 解绑邮箱
#[utoipa::path(
    tag = "security", security(("bearer" = [])), request_body = EmailProof,
    responses((status = 204, description = "Unbound"), (status = 409, description = "`email_state`", body = Problem, content_type = "application/problem+json")),
    extensions(("x-permission" = json!([]))),
)]
#[post("/security/email/unbind")]
async fn unbind(
    state: web::Data<AppState>,
    auth: OperatorAuth,
    body: Body<EmailProof>,
) -> Result<HttpResponse, ApiError> {
    let (st, body) = (state.clone(), body.take()?.into_inner());
    web::block(move || email::unbind(&st, &auth, &body)).await??;
    Ok(HttpResponse::NoContent().finish())
}

/// What an e-mailed 安全邮箱 link is for
#[utoipa::path(
    tag = "security", params(("token" = String, Path)),
    responses((status = 200, body = EmailLinkView), (status = 404, description = "`link_invalid`", body = Problem, content_type = "application/problem+json"), (status = 410, description = "`link_used` or `link_expired`", body = Problem, content_type = "application/problem+json"))
)]
#[get("/email-links/{token}")]
async fn view_link(
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<web::Json<EmailLinkView>, ApiError> {
    let st = state.clone();
    Ok(web::Json(web::block(move || email::view(&st, &token)).await??))
}

/// Open an e-mailed 安全邮箱 link
///
/// `verify_old` takes the new address and sends it an activation link;
/// `activate` binds the address.
#[utoipa::path(
    tag = "security", params(("token" = String, Path)), request_body = EmailLinkUse,
    responses((status = 200, body = EmailLinkUsed), (status = 410, description = "`link_used` or `link_expired`", body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json"))
)]
#[post("/email-links/{token}")]
async fn open_link(
    state: web::Data<AppState>,
    req: HttpRequest,
    token: web::Path<String>,
    body: Body<EmailLinkUse>,
    audit: crate::oplog::Audit,
) -> Result<web::Json<EmailLinkUsed>, ApiError> {
    let (st, body, base) = (state.clone(), body.take()?.into_inner(), state.settings.public_base(&req));
    Ok(web::Json(web::block(move || email::open(&st, &audit, &token, &body, &base)).await??))
}
