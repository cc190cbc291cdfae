//! 我的账户: the home page of a signed-in operator.

use actix_web::{get, web};
use paydesk_api_types::{Home, Problem, SecurityServices};
use paydesk_domain::identity::{Email, Phone};
use paydesk_domain::ledger::AccountKind;
use paydesk_store::{identity, ledger};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::error::ApiError;
use crate::permits::{perm, Can};
use crate::views::{money_text, statement_line};
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
    let store = state.store.clone();
    let home = web::block(move || {
        store.read(|c| -> Result<Home, ApiError> {
            let m = identity::merchant(c, auth.merchant_id)?;
            let o = identity::operator(c, auth.operator_id)?;
            let balance = |c: &mut paydesk_store::DbConn, kind| -> Result<(i64, Option<i64>), ApiError> {
                let code = paydesk_domain::postings::merchant_account(m.id, kind);
                Ok(match ledger::find_account(c, &code)? {
                    Some(a) => (a.balance, Some(a.id)),
                    None => (0, None),
                })
            };
            let (available, available_id) = balance(c, AccountKind::MerchantAvailable)?;
            let (frozen, _) = balance(c, AccountKind::MerchantFrozen)?;
            let recent = match available_id {
                Some(id) => ledger::statement(c, id, 5, 0)?.iter().map(statement_line).collect(),
                None => Vec::new(),
            };
            let role_name = paydesk_store::roles::of_operator(c, &o)?.0.map(|r| r.name).unwrap_or_default();
            let key_bound = paydesk_store::keys::find(c, o.id)?.is_some();
            Ok(Home {
                security: SecurityServices {
                    payment_password_set: !m.payment_password_hash.is_empty(),
                    phone: m.phone.as_deref().and_then(|p| Phone::parse(p).ok()).map(|p| p.masked()),
                    email: Email::parse(&m.email).ok().map(|e| e.masked()),
                    security_key_bound: key_bound,
                },
                merchant_email: m.email,
                company_name: m.company_name,
                operator: o.login_name,
                display_name: o.display_name,
                role: role_name,
                available: money_text(available),
                frozen: money_text(frozen),
                kyb_status: m.kyb_status,
                recent,
            })
        })
    })
    .await??;
    Ok(web::Json(home))
}
