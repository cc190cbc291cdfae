//! 服务费: the fee schedule a merchant pays per product. Merchants read theirs (the
//! forms show the fee before anything is confirmed); platform staff set it. The
//! fee is computed on the server when an application is created and held with
//! the amount; executing it posts the fee to the platform's fee income account.

use actix_web::{get, put, web};
use paydesk_api_types::ErrorCode;
use paydesk_api_types::{FeeRuleView, FeeSchedule, FieldError, Problem, SetFeeRule};
use paydesk_domain::fees::{FeeRule, Product};
use paydesk_domain::Money;
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

fn parse_rule(body: &SetFeeRule) -> Result<FeeRule, ApiError> {
    let mut errors = Vec::new();
    let mut money = |field: &str, text: &str| match Money::parse(text.trim()) {
        Ok(m) => Some(m),
        Err(e) => {
            errors.push(FieldError { field: field.into(), code: e.code().into(), message: e.to_string() });
            None
        }
    };
    let fixed = money("fixed", &body.fixed);
    let min = money("min", &body.min);
    let max = match body.max.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        None => Some(None),
        Some(t) => money("max", t).map(Some),
    };
    let (Some(fixed), Some(min), Some(max)) = (fixed, min, max) else {
        return Err(ApiError::Validation(errors));
    };
    let rule = FeeRule { fixed, rate_bp: body.rate_bp, min, max };
    rule.validate().map_err(|e| ApiError::field(e.field, e.code, e.message))?;
    Ok(rule)
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
    let rule = parse_rule(&body)?;
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
