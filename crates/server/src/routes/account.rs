//! 我的账户: the home page of a signed-in operator.

use actix_web::{get, web};
use paydesk_api_types::{Home, Problem};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::error::ApiError;
use crate::permits::{perm, Can};
use crate::AppState;

pub fn configure(cfg: &mut ServiceConfig<'_>) {
    cfg.service(home);
}

/// Home: account, balances, security services, verification, recent transactions
#[utoipa::path(
    tag = "account",
    security(("bearer" = [])),
    responses((status = 200, body = Home), (status = 401, body = Problem, content_type = "application/problem+json")),
    extensions(("x-permission" = json!(["home"]))),
)]
#[get("/home")]
async fn home(
    state: web::Data<AppState>,
    Can(auth, _): Can<perm::Home>,
) -> Result<web::Json<Home>, ApiError> {
    let st = state.clone();
    let home = web::block(move || crate::core::account::home(&st, &auth)).await??;
    Ok(web::Json(home))
}
