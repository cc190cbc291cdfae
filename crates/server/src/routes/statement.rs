//! 收支明细 (manual §3.6.2): every change of the available balance, with the
//! balance after it, 20 to a page, within a chosen period.

use actix_web::{get, web};
use chrono::{Duration, NaiveTime};
use paydesk_api_types::{Page, Problem, StatementLine};
use paydesk_domain::ledger::AccountKind;
use paydesk_store::ledger;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::core::{self, execute};
use crate::error::ApiError;
use crate::permits::{perm, Can, Params};
use crate::query::period;
use crate::views::statement_line;
use crate::AppState;

pub fn configure(cfg: &mut ServiceConfig<'_>) {
    cfg.service(statement).service(export_statement);
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

/// The account statement (收支明细)
#[utoipa::path(
    tag = "funds", security(("bearer" = [])), params(StatementQuery),
    responses(
        (status = 200, body = Page<StatementLine>),
        (status = 422, description = "`date_invalid` or `range_invalid`", body = Problem, content_type = "application/problem+json"),
    ),
    extensions(("x-permission" = json!(["account_statement"]))),
)]
#[get("/statement")]
async fn statement(
    state: web::Data<AppState>,
    Can(auth, _): Can<perm::AccountStatement>,
    query: Params<StatementQuery>,
) -> Result<web::Json<Page<StatementLine>>, ApiError> {
    let query = query.take()?;
    let (from, to) = period(query.from.as_deref(), query.to.as_deref())?;
    let page = query.page.unwrap_or(1).max(1);
    let per_page = query.per_page.unwrap_or(20).clamp(1, 100);
    let store = state.store.clone();
    let (rows, total) = web::block(move || {
        store.read(|c| -> Result<_, ApiError> {
            let account = execute::account_id(c, auth.merchant_id, AccountKind::MerchantAvailable)?;
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

/// Export the statement of a period as an Excel file (导出下载)
///
/// The same rows as `GET /api/v1/statement` for the period, all of them, newest
/// first; amounts are numbers with two decimals.
#[utoipa::path(
    tag = "funds", security(("bearer" = [])), params(StatementQuery),
    responses(
        (status = 200, description = "The spreadsheet", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 422, description = "`date_invalid`, `range_invalid` or `export_too_large`", body = Problem, content_type = "application/problem+json"),
    ),
    extensions(("x-permission" = json!(["account_statement"]))),
)]
#[get("/statement/export")]
async fn export_statement(
    state: web::Data<AppState>,
    Can(auth, _): Can<perm::AccountStatement>,
    query: Params<StatementQuery>,
) -> Result<actix_web::HttpResponse, ApiError> {
    let query = query.take()?;
    let (from, to) = period(query.from.as_deref(), query.to.as_deref())?;
    let st = state.clone();
    let bytes = web::block(move || core::account::statement_xlsx(&st, &auth, from, to)).await??;
    Ok(crate::views::xlsx_download(bytes, &format!("statement-{from}-{to}.xlsx")))
}
