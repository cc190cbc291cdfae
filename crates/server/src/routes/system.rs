//! Health and shared checks.

use actix_web::{get, post, web, HttpResponse};
use paydesk_api_types::{AmountPreview, AmountPreviewRequest, Health, Migrations, Problem};
use paydesk_domain::{amount_in_words, Money};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::OperatorAuth;
use crate::error::ApiError;
use crate::AppState;

pub fn configure(cfg: &mut ServiceConfig<'_>) {
    cfg.service(health).service(preview_amount);
}

/// Health of the server and its database
///
/// Reports the database backend in use and whether every schema migration is
/// applied. Needs no session; load balancers poll it.
#[utoipa::path(
    tag = "system",
    responses(
        (status = 200, description = "The server and its database are up", body = Health),
        (status = 503, description = "The database can't be reached", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/health")]
async fn health(state: web::Data<AppState>) -> Result<web::Json<Health>, ApiError> {
    let store = state.store.clone();
    let migrations = web::block(move || store.migration_state()).await??;
    Ok(web::Json(Health {
        status: if migrations.pending.is_empty() { "ok" } else { "migrating" }.to_owned(),
        version: env!("CARGO_PKG_VERSION").to_owned(),
        database: state.store.backend().as_str().to_owned(),
        migrations: Migrations {
            applied: u32::try_from(migrations.applied.len()).unwrap_or(u32::MAX),
            pending: u32::try_from(migrations.pending.len()).unwrap_or(u32::MAX),
            latest: migrations.applied.iter().max().cloned(),
        },
    }))
}

/// Check an amount and write it in Chinese capitals
///
/// Parses an amount the way every money-moving endpoint does and returns its
/// canonical form and 大写 (the capitals shown beside amount fields). Use it to
/// validate input before a form is submitted.
#[utoipa::path(
    tag = "amounts",
    security(("bearer" = [])),
    request_body = AmountPreviewRequest,
    responses(
        (status = 200, description = "The amount is valid", body = AmountPreview),
        (status = 400, description = "The body is not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The amount is not valid", body = Problem, content_type = "application/problem+json"),
    ),
    extensions(("x-permission" = json!([]))),
)]
#[post("/amounts/preview")]
async fn preview_amount(
    _auth: OperatorAuth,
    body: web::Json<AmountPreviewRequest>,
) -> Result<HttpResponse, ApiError> {
    let amount =
        Money::parse(&body.amount).map_err(|e| ApiError::field("amount", e.code(), e.to_string()))?;
    Ok(HttpResponse::Ok().json(AmountPreview {
        amount: amount.to_string(),
        fen: amount.fen(),
        in_words: amount_in_words(amount),
    }))
}
