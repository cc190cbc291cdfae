//! Query parameters many lists share: pages and periods of days.

use chrono::{Duration, NaiveDate, Utc};
use paydesk_domain::limits;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::error::ApiError;

/// Which page of a list to show.
#[derive(Debug, Deserialize, IntoParams)]
pub struct PageQuery {
    /// 1-based page number (default 1).
    pub page: Option<u32>,
    /// Rows per page (default 20, at most 100).
    pub per_page: Option<u32>,
}

/// The most rows a page may ask for.
pub const MAX_PER_PAGE: u32 = limits::MAX_PER_PAGE;

impl PageQuery {
    pub fn resolve(&self) -> (u32, u32) {
        page_of(self.page, self.per_page)
    }
}

/// A 1-based page and its size: [`limits::PAGE_SIZE`] rows unless asked otherwise.
pub fn page_of(page: Option<u32>, per_page: Option<u32>) -> (u32, u32) {
    (page.unwrap_or(1).max(1), per_page.unwrap_or(limits::PAGE_SIZE).clamp(1, MAX_PER_PAGE))
}

fn day(field: &str, text: Option<&str>, default: NaiveDate) -> Result<NaiveDate, ApiError> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(default),
        Some(t) => NaiveDate::parse_from_str(t, "%Y-%m-%d")
            .map_err(|_| ApiError::field(field, "date_invalid", "a date is written YYYY-MM-DD")),
    }
}

/// A period of whole days (both included), checked; by default the last 30 days.
pub fn period(from: Option<&str>, to: Option<&str>) -> Result<(NaiveDate, NaiveDate), ApiError> {
    let today = Utc::now().date_naive();
    let from = day("from", from, today - Duration::days(30))?;
    let to = day("to", to, today)?;
    if from > to {
        return Err(ApiError::field("from", "range_invalid", "the first day is after the last"));
    }
    Ok((from, to))
}

/// Which of an operator's secrets staff unfreeze.
#[derive(Debug, Deserialize, IntoParams)]
pub struct UnfreezeQuery {
    /// `operator_sign_in` (the default) or `payment_password`.
    pub kind: Option<String>,
}

impl UnfreezeQuery {
    pub fn kind(&self) -> Result<paydesk_domain::states::AttemptKind, ApiError> {
        use paydesk_domain::states::AttemptKind;
        match AttemptKind::parse(self.kind.as_deref().unwrap_or("operator_sign_in")) {
            Some(k @ (AttemptKind::OperatorSignIn | AttemptKind::PaymentPassword)) => Ok(k),
            _ => Err(ApiError::field("kind", "kind_invalid", "operator_sign_in or payment_password")),
        }
    }
}

/// The staff's queue of product signings.
#[derive(Debug, Deserialize, IntoParams)]
pub struct SigningQuery {
    /// `applied` (the default), `signed` or `rejected`.
    pub state: Option<String>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

impl SigningQuery {
    pub fn state(&self) -> Result<paydesk_domain::apps::SigningState, ApiError> {
        use paydesk_domain::apps::SigningState;
        match SigningState::parse(self.state.as_deref().unwrap_or("applied")) {
            Some(s) if s != SigningState::NotSigned => Ok(s),
            _ => Err(ApiError::field("state", "invalid", "applied, signed or rejected")),
        }
    }
}
