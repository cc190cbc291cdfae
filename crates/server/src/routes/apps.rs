//! 应用中心 over HTTP (`core::apps`): the products and the merchant's signings
//! (线上服务申请, 签约信息), and the staff's decisions in /ops.

use actix_web::{get, post, web, HttpResponse};
use paydesk_api_types::{AppView, ApplyForApp, ApproveSigning, Page, Problem, RejectSigning, SigningView};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::{OperatorAuth, StaffAuth};
use crate::core::apps;
use crate::error::ApiError;
use crate::permits::{perm, Body, Can};
use crate::query::SigningQuery;
use crate::AppState;

pub fn configure(cfg: &mut ServiceConfig<'_>) {
    cfg.service(list_apps).service(apply).service(signing_queue).service(approve).service(reject);
}

/// 应用中心: every product, with its details, operating flow, the merchant's signing and its rate
#[utoipa::path(
    tag = "apps", security(("bearer" = [])),
    responses((status = 200, body = Vec<AppView>), (status = 401, body = Problem, content_type = "application/problem+json")),
    extensions(("x-permission" = json!([]))),
)]
#[get("/apps")]
async fn list_apps(
    state: web::Data<AppState>,
    auth: OperatorAuth,
) -> Result<web::Json<Vec<AppView>>, ApiError> {
    let st = state.clone();
    Ok(web::Json(web::block(move || apps::list(&st, auth.merchant_id)).await??))
}

/// 线上服务申请: apply to sign a product; staff decide
#[utoipa::path(
    tag = "apps", security(("bearer" = [])), request_body = ApplyForApp,
    params(("product" = String, Path, description = "`acquiring_instant`, `acquiring_guaranteed`, `qr_collection`, `payroll`, `batch_payments` or `api_access`")),
    responses(
        (status = 201, description = "Applied: the product is under review", body = AppView),
        (status = 403, description = "`kyb_required` or `permission_denied`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`product_unknown`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`signing_state`: already applied for or signed", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed` (`note`: `too_long`)", body = Problem, content_type = "application/problem+json"),
    ),
    extensions(("x-permission" = json!(["account_settings"]))),
)]
#[post("/apps/{product}/apply")]
async fn apply(
    state: web::Data<AppState>,
    Can(auth, _): Can<perm::AccountSettings>,
    product: web::Path<String>,
    body: Body<ApplyForApp>,
) -> Result<HttpResponse, ApiError> {
    let app = apps::parse_product(&product)?;
    let body = body.take()?.into_inner();
    let st = state.clone();
    let view = web::block(move || apps::apply(&st, &auth, app, &body)).await??;
    Ok(HttpResponse::Created().json(view))
}

/// Signing applications (staff), oldest first
#[utoipa::path(
    tag = "ops", security(("bearer" = [])), params(SigningQuery),
    responses(
        (status = 200, body = Page<SigningView>),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/ops/signings")]
async fn signing_queue(
    state: web::Data<AppState>,
    _staff: StaffAuth,
    query: web::Query<SigningQuery>,
) -> Result<web::Json<Page<SigningView>>, ApiError> {
    let signing_state = query.state()?;
    let (page, per_page) = crate::query::page_of(query.page, query.per_page);
    let st = state.clone();
    Ok(web::Json(web::block(move || apps::queue(&st, signing_state, page, per_page)).await??))
}

/// Approve a signing with the product's fee rate (staff)
#[utoipa::path(
    tag = "ops", security(("bearer" = [])), request_body = ApproveSigning,
    params(("id" = i64, Path, description = "The merchant"), ("product" = String, Path)),
    responses(
        (status = 200, body = SigningView),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`product_unknown` or `application_not_found`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`signing_state`: already decided", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed` (`fee`: `required`; the fee rule's fields)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/ops/merchants/{id}/signings/{product}/approve")]
async fn approve(
    state: web::Data<AppState>,
    staff: StaffAuth,
    path: web::Path<(i64, String)>,
    body: web::Json<ApproveSigning>,
) -> Result<web::Json<SigningView>, ApiError> {
    let (id, product) = path.into_inner();
    let app = apps::parse_product(&product)?;
    let st = state.clone();
    Ok(web::Json(web::block(move || apps::approve(&st, &staff, id, app, &body)).await??))
}

/// Reject a signing with a reason (staff)
#[utoipa::path(
    tag = "ops", security(("bearer" = [])), request_body = RejectSigning,
    params(("id" = i64, Path, description = "The merchant"), ("product" = String, Path)),
    responses(
        (status = 200, body = SigningView),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`product_unknown` or `application_not_found`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`signing_state`: already decided", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed` (`reason`: `required` or `too_long`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/ops/merchants/{id}/signings/{product}/reject")]
async fn reject(
    state: web::Data<AppState>,
    staff: StaffAuth,
    path: web::Path<(i64, String)>,
    body: web::Json<RejectSigning>,
) -> Result<web::Json<SigningView>, ApiError> {
    let (id, product) = path.into_inner();
    let app = apps::parse_product(&product)?;
    let st = state.clone();
    Ok(web::Json(web::block(move || apps::reject(&st, &staff, id, app, &body)).await??))
}
