//! The one wrapper every money-moving handler goes through (as hyperswitch's
//! `server_wrap`): it reads the deferred body (after the permission check),
//! claims the `Idempotency-Key`, runs the core flow on the blocking pool, and
//! answers — or replays the first answer.
//!
//! - same key, same request → the first answer again (`Idempotent-Replayed: true`);
//! - same key, another request → `422 idempotency_key_reused`;
//! - same key while the first still runs → `409 idempotency_key_in_progress`;
//! - an answer that changed nothing (any error) is not kept: a corrected retry
//!   under the same key runs.
//!
//! Two requests are the same when their method, path and body are, leaving out
//! the one-time proofs (payment password, SMS code, key assertion).

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use paydesk_api_types::ErrorCode;
use paydesk_domain::limits;
use paydesk_store::idempotency::{self, Claim};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::auth::{now, sha256_hex, OperatorAuth};
use crate::core::idempotency::Idem;
use crate::error::ApiError;
use crate::permits::Body;
use crate::AppState;

pub const HEADER: &str = "Idempotency-Key";

/// Fields that are proofs, not part of what is asked for.
const SECRETS: [&str; 3] = ["payment_password", "sms_code", "security_key"];

fn key_of(req: &HttpRequest) -> Result<Option<String>, ApiError> {
    let Some(value) = req.headers().get(HEADER) else { return Ok(None) };
    let key = value.to_str().unwrap_or("").trim().to_owned();
    if key.is_empty()
        || key.len() > limits::IDEMPOTENCY_KEY_CHARS
        || !key.chars().all(|c| c.is_ascii_graphic())
    {
        return Err(ApiError::BadRequest(format!(
            "an Idempotency-Key is 1–{} visible ASCII characters",
            limits::IDEMPOTENCY_KEY_CHARS
        )));
    }
    Ok(Some(key))
}

fn fingerprint(req: &HttpRequest, body: &impl Serialize) -> Result<String, ApiError> {
    let mut value = serde_json::to_value(body).map_err(|e| ApiError::Internal(e.into()))?;
    if let Some(object) = value.as_object_mut() {
        for secret in SECRETS {
            object.remove(secret);
        }
    }
    Ok(sha256_hex(&format!("{} {}\n{value}", req.method(), req.path())))
}

enum Outcome<R> {
    Fresh(R),
    Replay { status: u16, body: String },
}

/// Runs `flow` once per `Idempotency-Key` and answers with `status`.
pub async fn money<T, R, F>(
    state: web::Data<AppState>,
    req: HttpRequest,
    auth: OperatorAuth,
    body: Body<T>,
    status: StatusCode,
    flow: F,
) -> Result<HttpResponse, ApiError>
where
    T: DeserializeOwned + Serialize + Send + 'static,
    R: Serialize + Send + 'static,
    F: FnOnce(&AppState, &OperatorAuth, T, &mut Idem) -> Result<R, ApiError> + Send + 'static,
{
    let body = body.take()?.into_inner();
    let key = key_of(&req)?;
    let hash = fingerprint(&req, &body)?;
    let st = state.get_ref().clone();
    // One blocking task from the claim to the answer: once it starts it runs to
    // the end, even if the client goes away meanwhile.
    let outcome = web::block(move || -> Result<Outcome<R>, ApiError> {
        let Some(key) = key else {
            return flow(&st, &auth, body, &mut Idem::none(status)).map(Outcome::Fresh);
        };
        let merchant_id = auth.merchant_id;
        let claim = match st.store.write(|c| idempotency::claim(c, merchant_id, &key, &hash, now())) {
            Ok(c) => c,
            // Two first requests raced: the loser meets the winner's row.
            Err(paydesk_store::StoreError::Database(diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _,
            ))) => Claim::InProgress,
            Err(e) => return Err(e.into()),
        };
        let claimed_at = match claim {
            Claim::Replay { status, body } => return Ok(Outcome::Replay { status, body }),
            Claim::Mismatch => {
                return Err(ApiError::rule(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    ErrorCode::IdempotencyKeyReused,
                    "this Idempotency-Key was used with a different request",
                ))
            }
            Claim::InProgress => {
                return Err(ApiError::rule(
                    StatusCode::CONFLICT,
                    ErrorCode::IdempotencyKeyInProgress,
                    "a request with this Idempotency-Key is still running",
                ))
            }
            Claim::Run { claimed_at } => claimed_at,
        };
        let mut idem = Idem::claimed(merchant_id, key, claimed_at, status);
        match flow(&st, &auth, body, &mut idem) {
            Ok(answer) => {
                // Flows that commit in several transactions record their answer last.
                if !idem.is_recorded() {
                    st.store.write(|c| idem.record(c, &answer))?;
                }
                Ok(Outcome::Fresh(answer))
            }
            Err(e) => {
                if let Err(release) = st.store.write(|c| idem.release(c)) {
                    tracing::warn!(error = %release, "releasing an idempotency claim failed");
                }
                Err(e)
            }
        }
    })
    .await??;
    Ok(match outcome {
        Outcome::Fresh(answer) => HttpResponse::build(status).json(answer),
        Outcome::Replay { status, body } => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
            HttpResponse::build(status)
                .content_type("application/json")
                .insert_header(("Idempotent-Replayed", "true"))
                .body(body)
        }
    })
}
