//! The platform staff's console: merchants and frozen logins.

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpResponse};
use paydesk_api_types::ErrorCode;
use paydesk_api_types::{FrozenLogin, MerchantSummary, Page, Problem};
use paydesk_store::identity;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::StaffAuth;
use crate::error::ApiError;
use crate::query::{PageQuery, UnfreezeQuery};
use crate::AppState;

pub fn configure(cfg: &mut ServiceConfig<'_>) {
    cfg.service(list_merchants).service(list_frozen_logins).service(unfreeze_operator);
}

/// Merchants, newest first
#[utoipa::path(
    tag = "ops",
    security(("bearer" = [])),
    params(PageQuery),
    responses((status = 200, body = Page<MerchantSummary>), (status = 401, body = Problem, content_type = "application/problem+json"))
)]
#[get("/ops/merchants")]
async fn list_merchants(
    state: web::Data<AppState>,
    _staff: StaffAuth,
    query: web::Query<PageQuery>,
) -> Result<web::Json<Page<MerchantSummary>>, ApiError> {
    let (page, per_page) = query.resolve();
    let store = state.store.clone();
    let offset = i64::from(page - 1) * i64::from(per_page);
    let (rows, total) =
        web::block(move || store.read(|c| identity::list_merchants(c, i64::from(per_page), offset)))
            .await??;
    Ok(web::Json(Page {
        items: rows
            .into_iter()
            .map(|m| MerchantSummary {
                id: m.id,
                email: m.email,
                company_name: m.company_name,
                kyb_status: m.kyb_status.to_string(),
                created_at: m.created_at.and_utc().to_rfc3339(),
            })
            .collect(),
        page,
        per_page,
        total: u64::try_from(total).unwrap_or(0),
    }))
}

/// Operator logins frozen by the lockout rule
#[utoipa::path(
    tag = "ops",
    security(("bearer" = [])),
    responses((status = 200, body = [FrozenLogin]), (status = 401, body = Problem, content_type = "application/problem+json"))
)]
#[get("/ops/frozen-logins")]
async fn list_frozen_logins(
    state: web::Data<AppState>,
    _staff: StaffAuth,
) -> Result<web::Json<Vec<FrozenLogin>>, ApiError> {
    let st = state.clone();
    Ok(web::Json(web::block(move || crate::core::attempts::frozen_operators(&st)).await??))
}

/// Lift a frozen login
///
/// For an operator who really did mistype (manual §3.1: 人工解锁): the sign-in
/// password, or with `kind=payment_password` the payment password. Clears the
/// wrong-password count too.
#[utoipa::path(
    tag = "ops",
    security(("bearer" = [])),
    params(("operator_id" = i64, Path, description = "The frozen operator"), UnfreezeQuery),
    responses(
        (status = 204, description = "The login is open again"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`login_not_frozen`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/ops/operators/{operator_id}/unfreeze")]
async fn unfreeze_operator(
    state: web::Data<AppState>,
    staff: StaffAuth,
    operator_id: web::Path<i64>,
    query: web::Query<UnfreezeQuery>,
) -> Result<HttpResponse, ApiError> {
    let st = state.clone();
    let id = operator_id.into_inner();
    let kind = query.into_inner().kind()?;
    let lifted = web::block(move || crate::core::attempts::lift(&st, &staff.audit, kind, id)).await??;
    if !lifted {
        return Err(ApiError::rule(
            StatusCode::NOT_FOUND,
            ErrorCode::LoginNotFrozen,
            "this operator's login is not frozen",
        ));
    }
    tracing::info!(staff = staff.staff_id, operator = id, %kind, "unfrozen by staff");
    Ok(HttpResponse::NoContent().finish())
}
