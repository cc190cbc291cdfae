//! 交易记录 (issue 13; manual §3.6.1): one query over every kind of transaction
//! a merchant has, checked by `domain::records`, read by `store::records`, and
//! the export of every row of a filter.

use chrono::{Duration, NaiveDate, NaiveTime};
use paydesk_api_types::{RecordPage, RecordRow};
use paydesk_domain::limits;
use paydesk_domain::records::{check_filter, RecordFilter, RecordInput};
use paydesk_store::records::{self as store, Range, Record};

use crate::error::ApiError;
use crate::views::{money_text, time_text};
use crate::AppState;

/// What the page or the export asks, as sent.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::IntoParams)]
pub struct RecordQuery {
    /// 查询类型: `gateway` (default), `recharge`, `withdrawal`, `transfer`,
    /// `refund`, `payroll` or `bounce` (退票).
    #[serde(rename = "type")]
    #[param(rename = "type")]
    pub kind: Option<String>,
    /// 交易类型: one of the query type's (`all` or empty: every one).
    pub trade_type: Option<String>,
    /// 交易状态: one of the query type's (`all` or empty: every one).
    pub status: Option<String>,
    /// 关键字: an exact 交易订单号 or 商户订单号.
    pub q: Option<String>,
    /// First day, YYYY-MM-DD (default: 30 days before `to`).
    pub from: Option<String>,
    /// Last day, YYYY-MM-DD, included (default: today). At most 31 days in all.
    pub to: Option<String>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

fn day(field: &str, text: Option<&str>) -> Result<Option<NaiveDate>, ApiError> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(t) => NaiveDate::parse_from_str(t, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| ApiError::field(field, "date_invalid", "a date is written YYYY-MM-DD")),
    }
}

fn day_number(d: NaiveDate) -> i64 {
    (d - NaiveDate::default()).num_days()
}

/// The checked filter and its range of days.
pub fn filter_of(
    st: &AppState,
    q: &RecordQuery,
) -> Result<(RecordFilter, Range, NaiveDate, NaiveDate), ApiError> {
    let today = st.clock.now().date();
    let to = day("to", q.to.as_deref())?.unwrap_or(today);
    let from = day("from", q.from.as_deref())?.unwrap_or(to - Duration::days(limits::RECORD_RANGE_DAYS - 1));
    let input = RecordInput {
        kind: q.kind.as_deref(),
        trade_type: q.trade_type.as_deref(),
        status: q.status.as_deref(),
        keyword: q.q.as_deref(),
        from_day: day_number(from),
        to_day: day_number(to),
    };
    let filter = check_filter(&input).map_err(ApiError::from)?;
    let range = Range {
        from: from.and_time(NaiveTime::MIN),
        until: (to + Duration::days(1)).and_time(NaiveTime::MIN),
    };
    Ok((filter, range, from, to))
}

fn row(f: &RecordFilter, r: &Record) -> RecordRow {
    RecordRow {
        created_at: time_text(r.created_at),
        trade_no: r.trade_no.clone(),
        merchant_order_no: r.merchant_order_no.clone(),
        trade_type_zh: f.kind.trade_type_label(&r.trade_type).to_owned(),
        trade_type: r.trade_type.clone(),
        amount: money_text(r.amount),
        fee: money_text(r.fee),
        refunded: r.trade.map(|t| t.refunded.to_string()),
        status_zh: f.kind.status_label(&r.status).to_owned(),
        status: r.status.clone(),
        counterparty: r.counterparty.clone(),
        refundable: r.trade.is_some_and(|t| t.accepts_refund()),
    }
}

/// One page of 交易记录. Blocking.
pub fn page(st: &AppState, merchant_id: i64, q: &RecordQuery) -> Result<RecordPage, ApiError> {
    let (filter, range, from, to) = filter_of(st, q)?;
    let (page, per_page) = crate::query::page_of(q.page, q.per_page);
    let offset = i64::from(page - 1) * i64::from(per_page);
    let found =
        st.store.read(|c| store::page(c, merchant_id, &filter, range, i64::from(per_page), offset))?;
    Ok(RecordPage {
        items: found.rows.iter().map(|r| row(&filter, r)).collect(),
        page,
        per_page,
        total: found.total,
        capped: found.capped,
        from: from.to_string(),
        to: to.to_string(),
    })
}

/// 导出下载: every row of the filter as xlsx, at most
/// [`limits::EXPORT_MAX_ROWS`]. Blocking. Returns the file name and bytes.
pub fn export(st: &AppState, merchant_id: i64, q: &RecordQuery) -> Result<(String, Vec<u8>), ApiError> {
    let (filter, range, from, to) = filter_of(st, q)?;
    let (company, found) = st.store.read(|c| -> Result<_, ApiError> {
        let company = paydesk_store::identity::merchant(c, merchant_id)?.company_name;
        Ok((company, store::page(c, merchant_id, &filter, range, limits::EXPORT_MAX_ROWS + 1, 0)?))
    })?;
    if i64::try_from(found.rows.len()).unwrap_or(i64::MAX) > limits::EXPORT_MAX_ROWS {
        return Err(ApiError::field(
            "from",
            "export_too_large",
            format!("an export has at most {} rows: narrow the filter", limits::EXPORT_MAX_ROWS),
        ));
    }
    let lines: Vec<paydesk_documents::RecordLine> = found
        .rows
        .iter()
        .map(|r| {
            let v = row(&filter, r);
            paydesk_documents::RecordLine {
                created_at: v.created_at,
                trade_no: v.trade_no,
                merchant_order_no: v.merchant_order_no.unwrap_or_default(),
                trade_type: v.trade_type_zh,
                amount_fen: r.amount,
                fee_fen: r.fee,
                refunded_fen: r.trade.map(|t| t.refunded.fen()),
                status: v.status_zh,
                counterparty: v.counterparty,
            }
        })
        .collect();
    let title = format!("{} {from} – {to}", filter.kind.label_zh());
    let bytes = paydesk_documents::records_xlsx(&company, &title, &lines)
        .map_err(|e| ApiError::Internal(e.into()))?;
    Ok((format!("records-{}-{from}-{to}.xlsx", filter.kind), bytes))
}
