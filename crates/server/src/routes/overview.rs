//! 资金总览: the three balances and how the available balance moved over 30 days.

use actix_web::{get, web};
use paydesk_api_types::{FundsOverview, Problem};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::error::ApiError;
use crate::permits::{perm, Can};
use crate::AppState;

pub fn configure(cfg: &mut ServiceConfig<'_>) {
    cfg.service(overview);
}

/// Funds overview: available, frozen, pending settlement, 30-day trend
#[utoipa::path(tag = "funds", security(("bearer" = [])), responses((status = 200, body = FundsOverview), (status = 401, body = Problem, content_type = "application/problem+json")), extensions(("x-permission" = json!(["funds_overview"]))))]
#[get("/funds/overview")]
async fn overview(
    state: web::Data<AppState>,
    Can(auth, _): Can<perm::FundsOverview>,
) -> Result<web::Json<FundsOverview>, ApiError> {
    let st = state.clone();
    let view = web::block(move || crate::core::account::overview(&st, &auth)).await??;
    Ok(web::Json(view))
}
