//! 资金总览: the three balances and how the available balance moved over 30 days.

use actix_web::{get, web};
use chrono::{Duration, NaiveTime, Utc};
use paydesk_api_types::{DailyBalance, FundsOverview, Problem};
use paydesk_domain::ledger::AccountKind;
use paydesk_store::ledger;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::core::execute;
use crate::error::ApiError;
use crate::permits::{perm, Can};
use crate::views::money_text;
use crate::AppState;

pub fn configure(cfg: &mut ServiceConfig<'_>) {
    cfg.service(overview);
}

/// Days the trend covers, today included.
pub const TREND_DAYS: i64 = 30;

/// Funds overview: available, frozen, pending settlement, 30-day trend
#[utoipa::path(tag = "funds", security(("bearer" = [])), responses((status = 200, body = FundsOverview), (status = 401, body = Problem, content_type = "application/problem+json")), extensions(("x-permission" = json!(["funds_overview"]))))]
#[get("/funds/overview")]
async fn overview(
    state: web::Data<AppState>,
    Can(auth, _): Can<perm::FundsOverview>,
) -> Result<web::Json<FundsOverview>, ApiError> {
    let store = state.store.clone();
    let view = web::block(move || {
        store.read(|c| -> Result<FundsOverview, ApiError> {
            let mut balances = Vec::new();
            for kind in [
                AccountKind::MerchantAvailable,
                AccountKind::MerchantFrozen,
                AccountKind::MerchantPendingSettlement,
            ] {
                let id = execute::account_id(c, auth.merchant_id, kind)?;
                balances.push((id, ledger::balance(c, id)?));
            }
            let available_id = balances[0].0;
            let today = Utc::now().date_naive();
            let trend = (0..TREND_DAYS)
                .rev()
                .map(|back| {
                    let day = today - Duration::days(back);
                    let end = (day + Duration::days(1)).and_time(NaiveTime::MIN);
                    let balance = ledger::balance_before(c, available_id, end)?.unwrap_or(0);
                    Ok(DailyBalance {
                        date: day.format("%Y-%m-%d").to_string(),
                        balance: money_text(balance),
                    })
                })
                .collect::<Result<Vec<_>, ApiError>>()?;
            Ok(FundsOverview {
                available: money_text(balances[0].1),
                frozen: money_text(balances[1].1),
                pending_settlement: money_text(balances[2].1),
                trend,
            })
        })
    })
    .await??;
    Ok(web::Json(view))
}
