//! `Idempotency-Key` for money-moving POSTs (DESIGN.md): the same key with the
//! same request replays the first response; with another request it is `422
//! idempotency_key_reused`; while the first is still running, `409
//! idempotency_key_in_progress`. A server error forgets the key, so the client can
//! retry; any other answer (success or refusal) is kept and replayed.

use std::future::Future;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use paydesk_store::idempotency::{self, Claim};
use serde::Serialize;

use crate::auth::{now, sha256_hex};
use crate::error::ApiError;
use crate::AppState;

pub const HEADER: &str = "Idempotency-Key";

fn key_of(req: &HttpRequest) -> Result<Option<String>, ApiError> {
    let Some(value) = req.headers().get(HEADER) else { return Ok(None) };
    let key = value.to_str().unwrap_or("").trim().to_owned();
    if key.is_empty() || key.len() > 255 || !key.chars().all(|c| c.is_ascii_graphic()) {
        return Err(ApiError::BadRequest("an Idempotency-Key is 1–255 visible ASCII characters".into()));
    }
    Ok(Some(key))
}

/// Runs `run` at most once per key. `fingerprint` is what makes two requests the
/// same: their meaningful content, without one-time secrets like SMS codes.
pub async fn once<F, T>(
    state: &AppState,
    req: &HttpRequest,
    merchant_id: i64,
    fingerprint: &impl Serialize,
    run: F,
) -> Result<HttpResponse, ApiError>
where
    F: Future<Output = Result<(StatusCode, T), ApiError>>,
    T: Serialize,
{
    let Some(key) = key_of(req)? else {
        let (status, value) = run.await?;
        return Ok(HttpResponse::build(status).json(value));
    };
    let canonical = serde_json::to_string(fingerprint).map_err(|e| ApiError::Internal(e.into()))?;
    let hash = sha256_hex(&format!("{} {}\n{canonical}", req.method(), req.path()));
    let store = state.store.clone();
    let k = key.clone();
    let claim =
        web::block(move || store.write(|c| idempotency::claim(c, merchant_id, &k, &hash, now()))).await?;
    let claim = match claim {
        Ok(c) => c,
        // Two first requests raced: the loser sees the winner's unique row.
        Err(paydesk_store::StoreError::Database(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        ))) => Claim::InProgress,
        Err(e) => return Err(e.into()),
    };
    match claim {
        Claim::Replay { status, body } => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
            let content_type =
                if status.is_success() { "application/json" } else { "application/problem+json" };
            Ok(HttpResponse::build(status)
                .content_type(content_type)
                .insert_header(("Idempotent-Replayed", "true"))
                .body(body))
        }
        Claim::Mismatch => Err(ApiError::rule(
            StatusCode::UNPROCESSABLE_ENTITY,
            "idempotency_key_reused",
            "this Idempotency-Key was used with a different request",
        )),
        Claim::InProgress => Err(ApiError::rule(
            StatusCode::CONFLICT,
            "idempotency_key_in_progress",
            "a request with this Idempotency-Key is still running",
        )),
        Claim::Run => {
            let outcome = run.await;
            let store = state.store.clone();
            let recorded: Result<(StatusCode, String), ApiError> = match &outcome {
                Ok((status, value)) => {
                    Ok((*status, serde_json::to_string(value).map_err(|e| ApiError::Internal(e.into()))?))
                }
                Err(e) if !actix_web::ResponseError::status_code(e).is_server_error() => Ok((
                    actix_web::ResponseError::status_code(e),
                    serde_json::to_string(&e.problem()).map_err(|e| ApiError::Internal(e.into()))?,
                )),
                Err(_) => Err(ApiError::Internal(anyhow::anyhow!("not recorded"))),
            };
            match recorded {
                Ok((status, body)) => {
                    let b = body.clone();
                    web::block(move || {
                        store.write(|c| idempotency::finish(c, merchant_id, &key, status.as_u16(), &b))
                    })
                    .await??;
                    match outcome {
                        Ok(_) => Ok(HttpResponse::build(status).content_type("application/json").body(body)),
                        Err(e) => Err(e),
                    }
                }
                Err(_) => {
                    web::block(move || store.write(|c| idempotency::release(c, merchant_id, &key))).await??;
                    outcome.map(|(status, value)| HttpResponse::build(status).json(value))
                }
            }
        }
    }
}
