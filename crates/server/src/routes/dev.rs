//! Development-mode helpers. In production mode these answer 404 as if absent.

use actix_web::{get, web, HttpResponse};
use paydesk_api_types::OutboxMessage;
use paydesk_store::outbox;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::error::ApiError;
use crate::AppState;

pub fn configure(cfg: &mut ServiceConfig<'_>) {
    cfg.service(list_outbox);
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct OutboxQuery {
    /// Only messages to this e-mail address or phone number.
    pub recipient: Option<String>,
    /// At most this many, newest first (default 50, at most 200).
    pub limit: Option<i64>,
}

pub(crate) async fn outbox_messages(
    state: &AppState,
    query: OutboxQuery,
) -> Result<Vec<OutboxMessage>, ApiError> {
    if !state.settings.mode.is_development() {
        return Err(ApiError::RouteNotFound);
    }
    let store = state.store.clone();
    let limit = query.limit.unwrap_or(50).clamp(1, 200);
    let recipient = query.recipient.map(|r| r.trim().to_ascii_lowercase());
    let rows = web::block(move || store.read(|c| outbox::list(c, recipient.as_deref(), limit))).await??;
    Ok(rows
        .into_iter()
        .map(|m| OutboxMessage {
            id: m.id,
            channel: m.channel,
            recipient: m.recipient,
            subject: m.subject,
            body: m.body,
            status: m.status,
            created_at: m.created_at.and_utc().to_rfc3339(),
        })
        .collect())
}

/// Messages in the outbox (development mode only)
///
/// Every e-mail and SMS the platform sent, newest first, so people and tests can
/// open registration links and read codes without a mail server. Absent (404) in
/// production mode.
#[utoipa::path(
    tag = "development",
    params(OutboxQuery),
    responses((status = 200, body = [OutboxMessage]), (status = 404, description = "Production mode"))
)]
#[get("/dev/outbox")]
async fn list_outbox(
    state: web::Data<AppState>,
    query: web::Query<OutboxQuery>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(outbox_messages(&state, query.into_inner()).await?))
}
