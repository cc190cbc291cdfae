//! 交易记录 and refunds (退款, manual §3.6.1, §4.1.2) in the portal: the query
//! over every kind of transaction and its export (`core::records`), one refund
//! of a trade, and a trade's 退款记录 (`core::refunds`, the submit pipeline);
//! this file maps HTTP to them.

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use paydesk_api_types::{Application, Problem, RecordPage, RefundRequest, RefundView, TradeDetail};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::core::records::RecordQuery;
use crate::core::{records as record_query, refunds};
use crate::error::ApiError;
use crate::permits::{perm, Body, Can, CanVerified, Params};
use crate::{wrap, AppState};

pub fn configure(cfg: &mut ServiceConfig<'_>) {
    cfg.service(records)
        .service(export_records)
        .service(trade_detail)
        .service(apply_refund)
        .service(trade_refunds);
}

/// 交易记录: transactions of one query type
///
/// 网关交易 by default, over the last 31 days; 20 rows a page, newest first.
/// 交易类型 and 交易状态 take the options of the query type (`domain::records`).
/// `total` counts up to 1,000 rows (`capped` when more match).
#[utoipa::path(
    tag = "trades", security(("bearer" = [])), params(RecordQuery),
    responses(
        (status = 200, body = RecordPage),
        (status = 422, description = "`type_invalid`, `trade_type_invalid`, `status_invalid`, `date_invalid`, `range_invalid`, `range_too_long` (over 31 days), `keyword_too_long`", body = Problem, content_type = "application/problem+json"),
    ),
    extensions(("x-permission" = json!(["transaction_records"]))),
)]
#[get("/records")]
async fn records(
    state: web::Data<AppState>,
    op: Can<perm::TransactionRecords>,
    query: Params<RecordQuery>,
) -> Result<HttpResponse, ApiError> {
    let (merchant_id, query) = (op.0.merchant_id, query.take()?);
    let page = web::block(move || record_query::page(&state, merchant_id, &query)).await??;
    Ok(HttpResponse::Ok().json(page))
}

/// 导出下载: every row of a 交易记录 filter as xlsx
///
/// The page's filter and columns, at most 50,000 rows.
#[utoipa::path(
    tag = "trades", security(("bearer" = [])), params(RecordQuery),
    responses(
        (status = 200, description = "The spreadsheet", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 422, description = "Filter errors, or `export_too_large`", body = Problem, content_type = "application/problem+json"),
    ),
    extensions(("x-permission" = json!(["transaction_records"]))),
)]
#[get("/records/export")]
async fn export_records(
    state: web::Data<AppState>,
    op: Can<perm::TransactionRecords>,
    query: Params<RecordQuery>,
) -> Result<HttpResponse, ApiError> {
    let (merchant_id, query) = (op.0.merchant_id, query.take()?);
    let (name, bytes) = web::block(move || record_query::export(&state, merchant_id, &query)).await??;
    Ok(crate::views::xlsx_download(bytes, &name))
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
struct DetailQuery {
    /// `trade_no` (default) or `merchant_order_no`: what the path names. By
    /// merchant order number a trade of any age is found (历史订单退款).
    by: Option<String>,
}

/// A gateway trade's detail: 订单信息 and 退款记录
#[utoipa::path(
    tag = "trades", security(("bearer" = [])),
    params(("no" = String, Path, description = "交易订单号, or 商户订单号 with `by=merchant_order_no`"), DetailQuery),
    responses(
        (status = 200, body = TradeDetail),
        (status = 404, description = "`trade_not_found`", body = Problem, content_type = "application/problem+json"),
    ),
    extensions(("x-permission" = json!(["transaction_records"]))),
)]
#[get("/trades/{no}")]
async fn trade_detail(
    state: web::Data<AppState>,
    op: Can<perm::TransactionRecords>,
    no: web::Path<String>,
    query: Params<DetailQuery>,
) -> Result<HttpResponse, ApiError> {
    let (merchant_id, no, by) = (op.0.merchant_id, no.into_inner(), query.take()?.into_inner().by);
    let by_order = match by.as_deref() {
        None | Some("trade_no") => false,
        Some("merchant_order_no") => true,
        Some(_) => return Err(ApiError::field("by", "by_invalid", "trade_no or merchant_order_no")),
    };
    let detail = web::block(move || {
        let (trade_no, order_no) =
            if by_order { (None, Some(no.as_str())) } else { (Some(no.as_str()), None) };
        refunds::detail(&state, merchant_id, trade_no, order_no)
    })
    .await??;
    Ok(HttpResponse::Ok().json(detail))
}

/// Apply for a refund of a trade (退款申请)
///
/// 全额退款 returns everything the trade has left; 部分退款 an amount up to that.
/// The share of the trade's fee that comes back (退还服务费) is computed by rule.
/// The money is reserved at once — out of pending settlement before the trade
/// settles, else out of available — and the refund waits for review under the
/// merchant's policy for refunds (an operator who may also review sends it to
/// the bank at once, with the second factor). The bank returns it to the buyer
/// the way it came (原路返回), asynchronously; if it can't, the money comes back.
#[utoipa::path(
    tag = "trades", security(("bearer" = [])), request_body = RefundRequest,
    params(
        ("trade_no" = String, Path, description = "交易订单号"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry replay the first answer"),
    ),
    responses(
        (status = 201, description = "`pending_review` with the money held, or `processing` at the bank", body = Application),
        (status = 403, description = "`kyb_required` or `permission_denied`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`trade_not_found`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`trade_changed` (another refund came first: check and retry) or `merchant_order_no_taken`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`trade_not_refundable`, `trade_fully_refunded`, `refund_limit`, `amount_over_refundable`, amount, remark, password or code errors", body = Problem, content_type = "application/problem+json"),
    ),
    extensions(("x-permission" = json!(["transaction_records"]))),
)]
#[post("/trades/{trade_no}/refunds")]
async fn apply_refund(
    state: web::Data<AppState>,
    req: HttpRequest,
    op: CanVerified<perm::TransactionRecords>,
    trade_no: web::Path<String>,
    body: Body<RefundRequest>,
) -> Result<HttpResponse, ApiError> {
    let trade_no = trade_no.into_inner();
    wrap::money(state, req, op.0, body, StatusCode::CREATED, move |st, auth, request, idem| {
        refunds::apply(st, auth, &trade_no, request, idem)
    })
    .await
}

/// A trade's refunds (退款记录)
///
/// Oldest first; empty when it has none (无退款信息).
#[utoipa::path(
    tag = "trades", security(("bearer" = [])),
    params(("trade_no" = String, Path, description = "交易订单号")),
    responses(
        (status = 200, body = Vec<RefundView>),
        (status = 404, description = "`trade_not_found`", body = Problem, content_type = "application/problem+json"),
    ),
    extensions(("x-permission" = json!(["transaction_records"]))),
)]
#[get("/trades/{trade_no}/refunds")]
async fn trade_refunds(
    state: web::Data<AppState>,
    op: Can<perm::TransactionRecords>,
    trade_no: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let merchant_id = op.0.merchant_id;
    let refunds = web::block(move || refunds::of_trade(&state, merchant_id, &trade_no)).await??;
    Ok(HttpResponse::Ok().json(refunds))
}
