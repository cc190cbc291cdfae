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

/// The signed gateway's wrapper: checks the request's signature over the raw
/// body bytes (never a re-serialisation), runs `flow` on the blocking pool with
/// the client that signed, and answers — success or problem — signed by the
/// platform in `Paydesk-Signature`.
pub async fn signed<R, F>(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Bytes,
    flow: F,
) -> HttpResponse
where
    R: Serialize + Send + 'static,
    F: FnOnce(&AppState, &crate::core::gateway::Signed, &[u8]) -> Result<(StatusCode, R), ApiError>
        + Send
        + 'static,
{
    use actix_web::ResponseError;
    let header = req.headers().get("authorization").and_then(|v| v.to_str().ok()).map(str::to_owned);
    let path = req.uri().path_and_query().map_or_else(|| req.path().to_owned(), |p| p.as_str().to_owned());
    let (method, st, signed_path) = (req.method().as_str().to_owned(), state.clone(), path.clone());
    let outcome = web::block(move || -> Result<(StatusCode, Vec<u8>), ApiError> {
        let who = crate::core::gateway::authenticate(&st, &method, &signed_path, header.as_deref(), &body)?;
        let (status, answer) = flow(&st, &who, &body)?;
        Ok((status, serde_json::to_vec(&answer).map_err(|e| ApiError::Internal(e.into()))?))
    })
    .await
    .map_err(ApiError::from)
    .and_then(|r| r);
    let (status, content_type, bytes) = match outcome {
        Ok((status, bytes)) => (status, "application/json", bytes),
        Err(e) => {
            // Logs a server error the way every other answer does.
            let _ = e.error_response();
            (
                e.status_code(),
                "application/problem+json",
                serde_json::to_vec(&e.problem()).unwrap_or_default(),
            )
        }
    };
    let signature = crate::core::notify::platform_signature(&state, status.as_str(), &path, &bytes);
    HttpResponse::build(status)
        .insert_header((paydesk_domain::gateway::RESPONSE_HEADER, signature))
        .content_type(content_type)
        .body(bytes)
}

/// A signed request's JSON body, read from the bytes that were signed.
pub fn json_body<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(bytes).map_err(|e| ApiError::MalformedJson(e.to_string()))
}

/// A signed request's body exactly as received (also when empty), for
/// [`signed`]; the OpenAPI operation names its schema itself.
pub struct RawBody(pub web::Bytes);

impl actix_web::FromRequest for RawBody {
    type Error = actix_web::Error;
    type Future = std::pin::Pin<Box<dyn std::future::Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut actix_web::dev::Payload) -> Self::Future {
        let bytes = web::Bytes::from_request(req, payload);
        Box::pin(async move { Ok(RawBody(bytes.await?)) })
    }
}
