//! 二维码收款 and 收款提醒 over HTTP (`core::qr`, `core::trades`): the merchant's
//! QR codes and posters, and the stream of incoming payments.

use std::time::Duration;

use actix_web::{get, post, web, HttpResponse};
use paydesk_api_types::{CollectionAlert, NewQrCode, Problem, QrCodeView};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::core::{qr, trades};
use crate::error::ApiError;
use crate::permits::{perm, Body, Can};
use crate::AppState;

pub fn configure(cfg: &mut ServiceConfig<'_>) {
    cfg.service(list_codes).service(create_code).service(disable_code).service(poster).service(alerts);
}

/// The merchant's collection QR codes (收款码) with what each has taken
#[utoipa::path(
    tag = "acquiring", security(("bearer" = [])),
    responses((status = 200, body = Vec<QrCodeView>), (status = 403, body = Problem, content_type = "application/problem+json")),
    extensions(("x-permission" = json!(["transaction_records"]))),
)]
#[get("/qr-codes")]
async fn list_codes(
    state: web::Data<AppState>,
    Can(auth, _): Can<perm::TransactionRecords>,
) -> Result<web::Json<Vec<QrCodeView>>, ApiError> {
    let st = state.clone();
    Ok(web::Json(web::block(move || qr::list(&st, &auth)).await??))
}

/// Create a QR code: a fixed amount, or open (the buyer types it)
#[utoipa::path(
    tag = "acquiring", security(("bearer" = [])), request_body = NewQrCode,
    responses(
        (status = 201, body = QrCodeView),
        (status = 403, description = "`kyb_required` or `permission_denied`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed` (`name_invalid`, amount codes)", body = Problem, content_type = "application/problem+json"),
    ),
    extensions(("x-permission" = json!(["transaction_records"]))),
)]
#[post("/qr-codes")]
async fn create_code(
    state: web::Data<AppState>,
    Can(auth, _): Can<perm::TransactionRecords>,
    body: Body<NewQrCode>,
) -> Result<HttpResponse, ApiError> {
    let body = body.take()?.into_inner();
    let st = state.clone();
    let view = web::block(move || qr::create(&st, &auth, &body)).await??;
    Ok(HttpResponse::Created().json(view))
}

/// Stop a QR code taking payments (停用)
#[utoipa::path(
    tag = "acquiring", security(("bearer" = [])), params(("id" = i64, Path)),
    responses(
        (status = 200, body = QrCodeView),
        (status = 404, description = "`qr_code_not_found`", body = Problem, content_type = "application/problem+json"),
    ),
    extensions(("x-permission" = json!(["transaction_records"]))),
)]
#[post("/qr-codes/{id}/disable")]
async fn disable_code(
    state: web::Data<AppState>,
    Can(auth, _): Can<perm::TransactionRecords>,
    id: web::Path<i64>,
) -> Result<web::Json<QrCodeView>, ApiError> {
    let st = state.clone();
    Ok(web::Json(web::block(move || qr::disable(&st, &auth, id.into_inner())).await??))
}

/// The code's printable poster (SVG, with the merchant's name and the amount)
#[utoipa::path(
    tag = "acquiring", security(("bearer" = [])), params(("id" = i64, Path)),
    responses(
        (status = 200, description = "The poster", content_type = "image/svg+xml", body = String),
        (status = 404, description = "`qr_code_not_found`", body = Problem, content_type = "application/problem+json"),
    ),
    extensions(("x-permission" = json!(["transaction_records"]))),
)]
#[get("/qr-codes/{id}/poster.svg")]
async fn poster(
    state: web::Data<AppState>,
    Can(auth, _): Can<perm::TransactionRecords>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let st = state.clone();
    let id = id.into_inner();
    let svg = web::block(move || qr::poster(&st, &auth, id)).await??;
    Ok(HttpResponse::Ok()
        .content_type("image/svg+xml; charset=utf-8")
        .insert_header(("Content-Disposition", format!("attachment; filename=\"paydesk-qr-{id}.svg\"")))
        .body(svg))
}

/// 收款提醒: incoming payments as they happen (server-sent events)
///
/// A `text/event-stream`: each payment is an event `payment` whose data is a
/// `CollectionAlert` (with today's count and total); a comment every 15 seconds
/// keeps the connection open. Read it with `fetch` (it needs the bearer token).
#[utoipa::path(
    tag = "acquiring", security(("bearer" = [])),
    responses((status = 200, description = "Server-sent events of `CollectionAlert`", content_type = "text/event-stream", body = CollectionAlert)),
    extensions(("x-permission" = json!(["transaction_records"]))),
)]
#[get("/collections/stream")]
async fn alerts(state: web::Data<AppState>, Can(auth, _): Can<perm::TransactionRecords>) -> HttpResponse {
    let start = state.clock.now();
    let merchant_id = auth.merchant_id;
    let stream = futures_util::stream::unfold((state, start, 0u32), move |(st, cursor, tick)| async move {
        // The first look answers at once, so the client knows it is connected.
        if tick > 0 {
            actix_web::rt::time::sleep(Duration::from_secs(1)).await;
        }
        let s = st.clone();
        let (alerts, next) = match web::block(move || trades::alerts_after(&s, merchant_id, cursor)).await {
            Ok(Ok(found)) => found,
            _ => (Vec::new(), cursor),
        };
        let mut chunk = String::new();
        if tick == 0 {
            chunk.push_str(": connected\n\n");
        }
        for a in &alerts {
            chunk.push_str(&format!(
                "event: payment\ndata: {}\n\n",
                serde_json::to_string(a).unwrap_or_default()
            ));
        }
        if chunk.is_empty() && tick % 15 == 14 {
            chunk.push_str(": keep-alive\n\n");
        }
        Some((Ok::<_, actix_web::Error>(web::Bytes::from(chunk)), (st, next, tick.wrapping_add(1).max(1))))
    });
    HttpResponse::Ok()
        .content_type("text/event-stream")
        .insert_header(("Cache-Control", "no-cache"))
        // Compression would hold events back until a buffer fills.
        .insert_header(("Content-Encoding", "identity"))
        .streaming(stream)
}
