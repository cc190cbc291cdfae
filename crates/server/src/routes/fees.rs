//! 服务费: the fee schedule a merchant pays per product. Merchants read theirs (the
//! forms show the fee before anything is confirmed); platform staff set it. The
//! fee is computed on the server when an application is created and held with
//! the amount; executing it posts the fee to the platform's fee income account.

use actix_web::{get, put, web};
use paydesk_api_types::ErrorCode;
use paydesk_api_types::{FeeRuleView, FeeSchedule, Problem, SetFeeRule};
use paydesk_domain::fees::{FeeRule, Product};
use paydesk_store::{fees, identity};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::{now, OperatorAuth, StaffAuth};
use crate::error::ApiError;
use crate::AppState;

pub fn configure(cfg: &mut ServiceConfig<'_>) {
    cfg.service(my_fees).service(merchant_fees).service(set_merchant_fee);
}

fn view(schedule: Vec<(Product, FeeRule)>) -> FeeSchedule {
    FeeSchedule {
        items: schedule
            .into_iter()
            .map(|(p, r)| FeeRuleView {
                product: p.as_str().into(),
                label: p.label_zh().into(),
                fixed: r.fixed.to_string(),
                rate_bp: r.rate_bp,
                min: r.min.to_string(),
                max: r.max.map(|m| m.to_string()),
            })
            .collect(),
    }
}

/// The merchant's fee schedule
#[utoipa::path(tag = "funds", security(("bearer" = [])), responses((status = 200, body = FeeSchedule), (status = 401, body = Problem, content_type = "application/problem+json")), extensions(("x-permission" = json!([]))))]
#[get("/fees")]
async fn my_fees(state: web::Data<AppState>, auth: OperatorAuth) -> Result<web::Json<FeeSchedule>, ApiError> {
    let store = state.store.clone();
    let schedule = web::block(move || store.read(|c| fees::schedule(c, auth.merchant_id))).await??;
    Ok(web::Json(view(schedule)))
}

fn known_merchant(c: &mut paydesk_store::DbConn, id: i64) -> Result<(), ApiError> {
    match identity::merchant(c, id) {
        Ok(_) => Ok(()),
        Err(paydesk_store::StoreError::NotFound) => Err(ApiError::rule(
            actix_web::http::StatusCode::NOT_FOUND,
            ErrorCode::MerchantNotFound,
            "No such merchant",
        )),
        Err(e) => Err(e.into()),
    }
}

/// A merchant's fee schedule (staff)
#[utoipa::path(
    tag = "ops", security(("bearer" = [])),
    params(("id" = i64, Path, description = "The merchant")),
    responses((status = 200, body = FeeSchedule), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"))
)]
#[get("/ops/merchants/{id}/fees")]
async fn merchant_fees(
    state: web::Data<AppState>,
    _staff: StaffAuth,
    path: web::Path<i64>,
) -> Result<web::Json<FeeSchedule>, ApiError> {
    let id = path.into_inner();
    let store = state.store.clone();
    let schedule = web::block(move || {
        store.read(|c| -> Result<_, ApiError> {
            known_merchant(c, id)?;
            Ok(fees::schedule(c, id)?)
        })
    })
    .await??;
    Ok(web::Json(view(schedule)))
}

/// Set a merchant's fee for one product (staff)
///
/// Applies to applications created from now on; held applications keep the fee
/// they were created with.
#[utoipa::path(
    tag = "ops", security(("bearer" = [])), request_body = SetFeeRule,
    params(("id" = i64, Path, description = "The merchant"), ("product" = String, Path, description = "`transfer`, `bank_payout`, `withdrawal_standard` or `withdrawal_fast`")),
    responses(
        (status = 200, description = "The merchant's schedule after the change", body = FeeSchedule),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`merchant_not_found` or `product_unknown`", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/ops/merchants/{id}/fees/{product}")]
async fn set_merchant_fee(
    state: web::Data<AppState>,
    staff: StaffAuth,
    path: web::Path<(i64, String)>,
    body: web::Json<SetFeeRule>,
) -> Result<web::Json<FeeSchedule>, ApiError> {
    let (id, product) = path.into_inner();
    let product = Product::parse(&product).ok_or_else(|| {
        ApiError::rule(actix_web::http::StatusCode::NOT_FOUND, ErrorCode::ProductUnknown, "No such product")
    })?;
    let rule = crate::core::apps::fee_rule(&body)?;
    let store = state.store.clone();
    let schedule = web::block(move || {
        staff.audit.write(&store, |c| -> Result<_, ApiError> {
            known_merchant(c, id)?;
            fees::set(c, id, product, &rule, staff.staff_id, now())?;
            Ok(fees::schedule(c, id)?)
        })
    })
    .await??;
    Ok(web::Json(view(schedule)))
}
