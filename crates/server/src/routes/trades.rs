//! Gateway trades over HTTP (`core::trades`): the signed operations integrators
//! call, and the portal's view of the merchant's trades and notifications.

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use paydesk_api_types::{
    EventPage, EventView, NewTrade, NotifyAddress, NotifyAddressChange, Problem, TradePage, TradeView,
};
use paydesk_store::DbConn;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::core::{notify, trades};
use crate::error::ApiError;
use crate::permits::{perm, Body, Can};
use crate::wrap::{self, json_body, RawBody};
use crate::AppState;

pub fn configure(cfg: &mut ServiceConfig<'_>) {
    cfg.service(create_trade)
        .service(find_trade)
        .service(get_trade)
        .service(close_trade)
        .service(ship_trade)
        .service(confirm_receipt)
        .service(list_events)
        .service(portal_trades)
        .service(get_notify_address)
        .service(set_notify_address)
        .service(portal_events)
        .service(redeliver_event)
        .service(send_test_event);
}

/// Create a trade (网关交易) and get its cashier URL
///
/// Send the buyer to `cashier_url` (or show `qr_content` as a QR code). The
/// same `merchant_order_no` with the same subject, amount and mode answers the
/// first trade again (200); with anything else, `409 merchant_order_no_taken`.
#[utoipa::path(
    tag = "gateway", security(("paydesk_signature" = [])),
    request_body(content = NewTrade, description = "Signed as the raw bytes sent", content_type = "application/json"),
    responses(
        (status = 201, description = "Created", body = TradeView),
        (status = 200, description = "Made before under this merchant order number", body = TradeView),
        (status = 400, description = "`malformed_json`", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "`signature_malformed`, `signature_stale`, `nonce_invalid`, `nonce_reused`, `app_unknown`, `key_revoked`, `signature_invalid`", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "`kyb_required`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`merchant_order_no_taken`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed` with per-field problems", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[post("/gateway/trades")]
async fn create_trade(state: web::Data<AppState>, req: HttpRequest, body: RawBody) -> HttpResponse {
    wrap::signed(state, req, body.0, |st, c, signed, bytes| {
        let body: NewTrade = json_body(bytes)?;
        let (view, created) = trades::create(c, st, signed, &body)?;
        Ok((if created { StatusCode::CREATED } else { StatusCode::OK }, view))
    })
    .await
}

#[derive(Debug, Deserialize, IntoParams)]
struct TradeQuery {
    /// 商户订单号 (required).
    merchant_order_no: Option<String>,
}

/// Find a trade by merchant order number
#[utoipa::path(
    tag = "gateway", security(("paydesk_signature" = [])), params(TradeQuery),
    responses(
        (status = 200, body = TradeView),
        (status = 401, description = "a refused signature", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`trade_not_found`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: no merchant_order_no", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[get("/gateway/trades")]
async fn find_trade(
    state: web::Data<AppState>,
    req: HttpRequest,
    query: web::Query<TradeQuery>,
) -> HttpResponse {
    let no = query.into_inner().merchant_order_no;
    wrap::signed(state, req, web::Bytes::new(), move |st, c, signed, _| {
        let no = no.ok_or_else(|| {
            ApiError::field("merchant_order_no", "required", "name the merchant order number")
        })?;
        Ok((StatusCode::OK, trades::view(c, st, signed.client.merchant_id, None, Some(&no))?))
    })
    .await
}

/// A trade by 交易订单号
#[utoipa::path(
    tag = "gateway", security(("paydesk_signature" = [])), params(("trade_no" = String, Path)),
    responses(
        (status = 200, body = TradeView),
        (status = 401, description = "a refused signature", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`trade_not_found`", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[get("/gateway/trades/{trade_no}")]
async fn get_trade(
    state: web::Data<AppState>,
    req: HttpRequest,
    trade_no: web::Path<String>,
) -> HttpResponse {
    let no = trade_no.into_inner();
    wrap::signed(state, req, web::Bytes::new(), move |st, c, signed, _| {
        Ok((StatusCode::OK, trades::view(c, st, signed.client.merchant_id, Some(&no), None)?))
    })
    .await
}

/// One signed step of a trade named in the path (close, ship, confirm receipt).
async fn trade_step(
    state: web::Data<AppState>,
    req: HttpRequest,
    trade_no: String,
    body: RawBody,
    step: fn(&mut DbConn, &AppState, i64, &str) -> Result<TradeView, ApiError>,
) -> HttpResponse {
    wrap::signed(state, req, body.0, move |st, c, signed, _| {
        Ok((StatusCode::OK, step(c, st, signed.client.merchant_id, &trade_no)?))
    })
    .await
}

/// Close an unpaid trade
///
/// Send no body (an empty one is what is signed).
#[utoipa::path(
    tag = "gateway", security(("paydesk_signature" = [])), params(("trade_no" = String, Path)),
    responses(
        (status = 200, body = TradeView),
        (status = 401, description = "a refused signature", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`trade_not_found`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`trade_state`: it isn't waiting for payment", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[post("/gateway/trades/{trade_no}/close")]
async fn close_trade(
    state: web::Data<AppState>,
    req: HttpRequest,
    trade_no: web::Path<String>,
    body: RawBody,
) -> HttpResponse {
    trade_step(state, req, trade_no.into_inner(), body, trades::close).await
}

/// Mark a paid guaranteed trade shipped (发货)
///
/// Its receipt counts as confirmed after the server's auto-confirm days
/// (`auto_confirm_at`) unless confirmed sooner. Send no body.
#[utoipa::path(
    tag = "gateway", security(("paydesk_signature" = [])), params(("trade_no" = String, Path)),
    responses(
        (status = 200, body = TradeView),
        (status = 401, description = "a refused signature", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`trade_not_found`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`trade_state`: not a paid, unshipped guaranteed trade", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[post("/gateway/trades/{trade_no}/ship")]
async fn ship_trade(
    state: web::Data<AppState>,
    req: HttpRequest,
    trade_no: web::Path<String>,
    body: RawBody,
) -> HttpResponse {
    trade_step(state, req, trade_no.into_inner(), body, trades::ship).await
}

/// Confirm receipt of a guaranteed trade (确认收货)
///
/// The held money completes the trade and settles T+1. Send no body.
#[utoipa::path(
    tag = "gateway", security(("paydesk_signature" = [])), params(("trade_no" = String, Path)),
    responses(
        (status = 200, body = TradeView),
        (status = 401, description = "a refused signature", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`trade_not_found`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`trade_state`: not a paid guaranteed trade", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[post("/gateway/trades/{trade_no}/confirm-receipt")]
async fn confirm_receipt(
    state: web::Data<AppState>,
    req: HttpRequest,
    trade_no: web::Path<String>,
    body: RawBody,
) -> HttpResponse {
    trade_step(state, req, trade_no.into_inner(), body, trades::confirm_receipt).await
}

#[derive(Debug, Deserialize, IntoParams)]
struct EventQuery {
    /// Only notifications not acknowledged yet.
    #[serde(default)]
    undelivered: bool,
    /// From 1; 20 a page.
    page: Option<i64>,
}

/// The merchant's notifications with their delivery attempts
///
/// `undelivered=true` lists those no receiver has acknowledged: retry them
/// from your side, or redeliver them in the portal.
#[utoipa::path(
    tag = "gateway", security(("paydesk_signature" = [])), params(EventQuery),
    responses(
        (status = 200, body = EventPage),
        (status = 401, description = "a refused signature", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[get("/gateway/events")]
async fn list_events(
    state: web::Data<AppState>,
    req: HttpRequest,
    query: web::Query<EventQuery>,
) -> HttpResponse {
    let q = query.into_inner();
    wrap::signed(state, req, web::Bytes::new(), move |_, c, signed, _| {
        Ok((
            StatusCode::OK,
            notify::events_in(c, signed.client.merchant_id, q.undelivered, q.page.unwrap_or(1))?,
        ))
    })
    .await
}

#[derive(Debug, Deserialize, IntoParams)]
struct PageQuery {
    /// From 1; 20 a page.
    page: Option<i64>,
}

/// The merchant's gateway trades, newest first (20 a page)
#[utoipa::path(
    tag = "gateway", security(("bearer" = [])), params(PageQuery),
    responses((status = 200, body = TradePage), (status = 403, body = Problem, content_type = "application/problem+json")),
    extensions(("x-permission" = json!(["transaction_records"]))),
)]
#[get("/trades")]
async fn portal_trades(
    state: web::Data<AppState>,
    Can(auth, _): Can<perm::TransactionRecords>,
    query: web::Query<PageQuery>,
) -> Result<web::Json<TradePage>, ApiError> {
    let page = query.page.unwrap_or(1);
    let st = state.clone();
    Ok(web::Json(web::block(move || trades::page(&st, auth.merchant_id, page)).await??))
}

/// 实时反馈地址: where notifications go
#[utoipa::path(
    tag = "gateway", security(("bearer" = [])),
    responses((status = 200, body = NotifyAddress), (status = 403, body = Problem, content_type = "application/problem+json")),
    extensions(("x-permission" = json!(["operators"]))),
)]
#[get("/notify-address")]
async fn get_notify_address(
    state: web::Data<AppState>,
    Can(auth, _): Can<perm::Operators>,
) -> Result<web::Json<NotifyAddress>, ApiError> {
    let st = state.clone();
    Ok(web::Json(web::block(move || notify::address(&st, auth.merchant_id)).await??))
}

/// 实时反馈地址修改, behind the payment password
///
/// In production the address must be https and may not resolve to a private
/// or loopback address.
#[utoipa::path(
    tag = "gateway", security(("bearer" = [])), request_body = NotifyAddressChange,
    responses(
        (status = 200, body = NotifyAddress),
        (status = 422, description = "`validation_failed` (`url_invalid`, `url_unreachable`) or `payment_password_wrong`", body = Problem, content_type = "application/problem+json"),
    ),
    extensions(("x-permission" = json!(["operators"]))),
)]
#[post("/notify-address")]
async fn set_notify_address(
    state: web::Data<AppState>,
    Can(auth, _): Can<perm::Operators>,
    body: Body<NotifyAddressChange>,
) -> Result<web::Json<NotifyAddress>, ApiError> {
    let body = body.take()?.into_inner();
    Ok(web::Json(notify::set_address(state, auth, body).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
struct PortalEventQuery {
    /// Only notifications not acknowledged yet.
    #[serde(default)]
    undelivered: bool,
    /// From 1; 20 a page.
    page: Option<i64>,
}

/// Notifications and their delivery log (推送记录)
#[utoipa::path(
    tag = "gateway", security(("bearer" = [])), params(PortalEventQuery),
    responses((status = 200, body = EventPage), (status = 403, body = Problem, content_type = "application/problem+json")),
    extensions(("x-permission" = json!(["operators"]))),
)]
#[get("/notifications")]
async fn portal_events(
    state: web::Data<AppState>,
    Can(auth, _): Can<perm::Operators>,
    query: web::Query<PortalEventQuery>,
) -> Result<web::Json<EventPage>, ApiError> {
    let q = query.into_inner();
    let st = state.clone();
    Ok(web::Json(
        web::block(move || notify::events(&st, auth.merchant_id, q.undelivered, q.page.unwrap_or(1)))
            .await??,
    ))
}

/// Send a notification again (重新发送)
#[utoipa::path(
    tag = "gateway", security(("bearer" = [])), params(("event_id" = String, Path)),
    responses(
        (status = 200, description = "Scheduled now", body = EventView),
        (status = 404, description = "`event_not_found`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`notify_address_missing`", body = Problem, content_type = "application/problem+json"),
    ),
    extensions(("x-permission" = json!(["operators"]))),
)]
#[post("/notifications/{event_id}/redeliver")]
async fn redeliver_event(
    state: web::Data<AppState>,
    Can(auth, _): Can<perm::Operators>,
    event_id: web::Path<String>,
) -> Result<web::Json<EventView>, ApiError> {
    let st = state.clone();
    Ok(web::Json(web::block(move || notify::redeliver(&st, &auth, &event_id)).await??))
}

/// Send a test notification to the 实时反馈地址 (发送测试)
#[utoipa::path(
    tag = "gateway", security(("bearer" = [])),
    responses(
        (status = 201, description = "Queued", body = EventView),
        (status = 409, description = "`notify_address_missing`", body = Problem, content_type = "application/problem+json"),
    ),
    extensions(("x-permission" = json!(["operators"]))),
)]
#[post("/notifications/test")]
async fn send_test_event(
    state: web::Data<AppState>,
    Can(auth, _): Can<perm::Operators>,
) -> Result<HttpResponse, ApiError> {
    let st = state.clone();
    let view = web::block(move || notify::send_test(&st, &auth)).await??;
    Ok(HttpResponse::Created().json(view))
}
