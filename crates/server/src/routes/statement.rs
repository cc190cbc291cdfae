//! 收支明细 (manual §3.6.2): every change of the available balance, with the
//! balance after it, 20 to a page, within a chosen period.

use actix_web::{get, web};
use chrono::{Duration, NaiveDate, NaiveTime, Utc};
use paydesk_api_types::{Page, Problem, StatementLine};
use paydesk_domain::ledger::AccountKind;
use paydesk_store::ledger;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::OperatorAuth;
use crate::error::ApiError;
use crate::funds;
use crate::routes::account::statement_line;
use crate::AppState;

pub fn configure(cfg: &mut ServiceConfig<'_>) {
    cfg.service(statement);
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct StatementQuery {
    /// First day, `YYYY-MM-DD` (UTC); default 30 days ago.
    pub from: Option<String>,
    /// Last day included, `YYYY-MM-DD`; default today.
    pub to: Option<String>,
    pub page: Option<u32>,
    /// Rows per page, default 20.
    pub per_page: Option<u32>,
}

fn day(field: &str, text: Option<&str>, default: NaiveDate) -> Result<NaiveDate, ApiError> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(default),
        Some(t) => NaiveDate::parse_from_str(t, "%Y-%m-%d")
            .map_err(|_| ApiError::field(field, "date_invalid", "a date is written YYYY-MM-DD")),
    }
}

/// The account statement (收支明细)
#[utoipa::path(
    tag = "funds", security(("bearer" = [])), params(StatementQuery),
    responses(
        (status = 200, body = Page<StatementLine>),
        (status = 422, description = "`date_invalid` or `range_invalid`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/statement")]
async fn statement(
    state: web::Data<AppState>,
    auth: OperatorAuth,
    query: web::Query<StatementQuery>,
) -> Result<web::Json<Page<StatementLine>>, ApiError> {
    let today = Utc::now().date_naive();
    let from = day("from", query.from.as_deref(), today - Duration::days(30))?;
    let to = day("to", query.to.as_deref(), today)?;
    if from > to {
        return Err(ApiError::field("from", "range_invalid", "the first day is after the last"));
    }
    let page = query.page.unwrap_or(1).max(1);
    let per_page = query.per_page.unwrap_or(20).clamp(1, 100);
    let store = state.store.clone();
    let (rows, total) = web::block(move || {
        store.read(|c| -> Result<_, ApiError> {
            let account = funds::account_id(c, auth.merchant_id, AccountKind::MerchantAvailable)?;
            Ok(ledger::statement_between(
                c,
                account,
                from.and_time(NaiveTime::MIN),
                (to + Duration::days(1)).and_time(NaiveTime::MIN),
                i64::from(per_page),
                i64::from(page - 1) * i64::from(per_page),
            )?)
        })
    })
    .await??;
    Ok(web::Json(Page {
        items: rows.iter().map(statement_line).collect(),
        page,
        per_page,
        total: u64::try_from(total).unwrap_or(0),
    }))
}
