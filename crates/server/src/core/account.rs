//! What the account pages read (我的账户, 资金总览, 收支明细): balances, recent
//! lines, the 30-day trend and the statement.

use chrono::{Duration, NaiveDate, NaiveTime};
use paydesk_api_types::{DailyBalance, FundsOverview, Home, SecurityServices};
use paydesk_documents::StatementEntry;
use paydesk_domain::identity::{Email, Phone};
use paydesk_domain::ledger::AccountKind;
use paydesk_store::{identity, ledger};

use crate::auth::OperatorAuth;
use crate::core::execute;
use crate::error::ApiError;
use crate::views::{money_text, statement_line};
use crate::AppState;

use paydesk_domain::limits::{EXPORT_MAX_ROWS, TREND_DAYS};

/// 首页: account, balances, security services, verification, recent lines. Blocking.
pub fn home(st: &AppState, auth: &OperatorAuth) -> Result<Home, ApiError> {
    st.store.read(|c| -> Result<Home, ApiError> {
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
        let key_bound = paydesk_store::keys::find(c, paydesk_store::keys::Holder::Operator(o.id))?.is_some();
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
            kyb_status: m.kyb_status.to_string(),
            recent,
        })
    })
}

/// 资金总览: the three balances and the available balance at the end of each of
/// the last days. Blocking.
pub fn overview(st: &AppState, auth: &OperatorAuth) -> Result<FundsOverview, ApiError> {
    st.store.read(|c| -> Result<FundsOverview, ApiError> {
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
        let today = st.clock.now().date();
        let trend = (0..TREND_DAYS)
            .rev()
            .map(|back| {
                let day = today - Duration::days(back);
                let end = (day + Duration::days(1)).and_time(NaiveTime::MIN);
                let balance = ledger::balance_before(c, available_id, end)?.unwrap_or(0);
                Ok(DailyBalance { date: day.format("%Y-%m-%d").to_string(), balance: money_text(balance) })
            })
            .collect::<Result<Vec<_>, ApiError>>()?;
        Ok(FundsOverview {
            available: money_text(balances[0].1),
            frozen: money_text(balances[1].1),
            pending_settlement: money_text(balances[2].1),
            trend,
        })
    })
}

/// 收支明细 of a period as an xlsx workbook (导出), at most
/// [`EXPORT_MAX_ROWS`] rows. Blocking.
pub fn statement_xlsx(
    st: &AppState,
    auth: &OperatorAuth,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<u8>, ApiError> {
    let (company, rows) = st.store.read(|c| -> Result<_, ApiError> {
        let merchant = paydesk_store::identity::merchant(c, auth.merchant_id)?;
        let account = execute::account_id(c, auth.merchant_id, AccountKind::MerchantAvailable)?;
        let (rows, total) = ledger::statement_between(
            c,
            account,
            from.and_time(NaiveTime::MIN),
            (to + Duration::days(1)).and_time(NaiveTime::MIN),
            EXPORT_MAX_ROWS,
            0,
        )?;
        if total > EXPORT_MAX_ROWS {
            return Err(ApiError::field(
                "from",
                "export_too_large",
                format!("more than {EXPORT_MAX_ROWS} rows: choose a shorter period"),
            ));
        }
        Ok((merchant.company_name, rows))
    })?;
    let entries: Vec<StatementEntry> = rows
        .iter()
        .map(|r| StatementEntry {
            time: r.created_at.format("%Y-%m-%d %H:%M:%S").to_string(),
            amount_fen: r.amount,
            balance_after_fen: r.balance_after,
            remark: r.remark.clone(),
        })
        .collect();
    paydesk_documents::statement_xlsx(&company, &format!("{from} – {to}"), &entries)
        .map_err(|e| ApiError::Internal(e.into()))
}
