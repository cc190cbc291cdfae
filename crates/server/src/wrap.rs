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
use paydesk_store::DbConn;
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
    fingerprint_of(req.method().as_str(), req.path(), body)
}

fn fingerprint_of(method: &str, path: &str, body: &impl Serialize) -> Result<String, ApiError> {
    let mut value = serde_json::to_value(body).map_err(|e| ApiError::Internal(e.into()))?;
    if let Some(object) = value.as_object_mut() {
        for secret in SECRETS {
            object.remove(secret);
        }
    }
    Ok(sha256_hex(&format!("{method} {path}\n{value}")))
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
    let outcome = web::block(move || once(&st, &auth, key, &hash, body, status, flow)).await??;
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

/// The blocking part of [`money`]: claims the key, runs the flow, records its
/// answer — or answers the first request's again.
fn once<T, R, F>(
    st: &AppState,
    auth: &OperatorAuth,
    key: Option<String>,
    hash: &str,
    body: T,
    status: StatusCode,
    flow: F,
) -> Result<Outcome<R>, ApiError>
where
    R: Serialize,
    F: FnOnce(&AppState, &OperatorAuth, T, &mut Idem) -> Result<R, ApiError>,
{
    let Some(key) = key else {
        return flow(st, auth, body, &mut Idem::none(status)).map(Outcome::Fresh);
    };
    let merchant_id = auth.merchant_id;
    let claim = match st.store.write(|c| idempotency::claim(c, merchant_id, &key, hash, now())) {
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
    match flow(st, auth, body, &mut idem) {
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
}

/// The status of an operation that creates what it answers.
pub fn created<R>(_: &R) -> StatusCode {
    StatusCode::CREATED
}

/// A money operation signed by an API client (the gateway's transfer, payout
/// and withdrawal): the same flow as in the portal, run as the client's
/// operator — its role and the merchant's review policy apply — with the
/// signature standing for the payment password and second factor, once per
/// `Idempotency-Key`, answered signed. The signature is checked (one query
/// reads the client, its merchant and role, committing nothing) before the
/// flow runs its pipeline's transaction; the nonce is spent by that
/// transaction, with the request's operation-log line
/// (`oplog::Audit::spends_nonce`) — one commit, and a concurrent duplicate
/// waits on the nonce's key and is refused. A request that changes nothing
/// (refused, failed, answered from its Idempotency-Key) spends its nonce
/// afterwards, and if another request had spent it meanwhile answers
/// `nonce_reused`. `status` tells a new answer's status from the answer
/// ([`created`] for operations that always create).
pub async fn signed_money<T, R, F>(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Bytes,
    status: fn(&R) -> StatusCode,
    flow: F,
) -> HttpResponse
where
    T: DeserializeOwned + Serialize + Send + 'static,
    R: Serialize + Send + 'static,
    F: FnOnce(&AppState, &OperatorAuth, T, &mut Idem) -> Result<R, ApiError> + Send + 'static,
{
    let signed = SignedRequest::of(&req, body);
    let key = key_of(&req);
    let answer = signed.clone();
    let st = state.get_ref().clone();
    let outcome = web::block(move || -> Result<(StatusCode, Vec<u8>, bool), ApiError> {
        let key = key?;
        let h = crate::core::gateway::admit(&st, &signed.ip, signed.header.as_deref())?;
        // The signer, its merchant and role in one query, outside a transaction.
        let (who, permissions) = st.store.autocommit(|c| -> Result<_, ApiError> {
            let who = signed.verify_in(c, &st, &h)?;
            let permissions = who.permissions(c)?;
            Ok((who, permissions))
        })?;
        let carried = signed.audit.spends_nonce(&h.app_id, &h.nonce, st.clock.now());
        if !carried && !crate::core::gateway::spend_nonce(&st, &h) {
            return Err(crate::core::gateway::nonce_reused(&st, &signed.ip));
        }
        let outcome = signed_once(&st, &signed, who, permissions, key, status, flow);
        if carried && !signed.audit.spent_nonce() && !crate::core::gateway::spend_nonce(&st, &h) {
            // Another request spent this nonce first: this one is its replay.
            if !matches!(outcome, Ok((_, _, false))) {
                return Err(crate::core::gateway::nonce_reused(&st, &signed.ip));
            }
        }
        outcome
    })
    .await;
    answer.respond(&state, outcome.map_err(ApiError::from).and_then(|r| r))
}

/// [`signed_money`] once the signature checked out: the portal's request,
/// run once per `Idempotency-Key` as the client's operator.
fn signed_once<T, R, F>(
    st: &AppState,
    signed: &SignedRequest,
    who: crate::core::gateway::Signed,
    permissions: paydesk_domain::permissions::Permissions,
    key: Option<String>,
    status: fn(&R) -> StatusCode,
    flow: F,
) -> Result<(StatusCode, Vec<u8>, bool), ApiError>
where
    T: DeserializeOwned + Serialize,
    R: Serialize,
    F: FnOnce(&AppState, &OperatorAuth, T, &mut Idem) -> Result<R, ApiError>,
{
    // The portal's request type, with its proofs empty: they aren't sent.
    let mut value: serde_json::Value = json_body(&signed.body)?;
    if let Some(object) = value.as_object_mut() {
        for secret in SECRETS {
            object.remove(secret);
        }
        object.insert("payment_password".into(), serde_json::Value::String(String::new()));
    }
    let body: T = serde_json::from_value(value).map_err(|e| ApiError::MalformedJson(e.to_string()))?;
    let hash = fingerprint_of(&signed.method, signed.path(), &body)?;
    if who.merchant.kyb_status != paydesk_domain::states::KybStatus::Verified {
        return Err(ApiError::rule(
            StatusCode::FORBIDDEN,
            ErrorCode::KybRequired,
            "complete real-name verification first",
        ));
    }
    let auth = OperatorAuth {
        operator_id: who.operator.id,
        merchant_id: who.client.merchant_id,
        session_id: format!("api:{}", who.client.app_id),
        permissions,
        audit: signed.audit.clone(),
        signed_by: Some(who.client.app_id.clone()),
    };
    Ok(match once(st, &auth, key, &hash, body, StatusCode::CREATED, flow)? {
        Outcome::Fresh(answer) => {
            let code = status(&answer);
            (code, serde_json::to_vec(&answer).map_err(|e| ApiError::Internal(e.into()))?, false)
        }
        Outcome::Replay { status, body } => {
            (StatusCode::from_u16(status).unwrap_or(StatusCode::OK), body.into_bytes(), true)
        }
    })
}

/// The signed gateway's wrapper: checks the request's signature over the raw
/// body bytes (never a re-serialisation) and runs `flow` with the client that
/// signed, all in one write transaction — the nonce's claim, the change and
/// its operation-log line commit together — on the blocking pool; then answers,
/// success or problem, signed by the platform in `Paydesk-Signature`.
pub async fn signed<R, F>(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Bytes,
    flow: F,
) -> HttpResponse
where
    R: Serialize + Send + 'static,
    F: FnOnce(
            &AppState,
            &mut DbConn,
            &crate::core::gateway::Signed,
            &[u8],
        ) -> Result<(StatusCode, R), ApiError>
        + Send
        + 'static,
{
    let signed = SignedRequest::of(&req, body);
    let answer = signed.clone();
    let st = state.get_ref().clone();
    let outcome = web::block(move || -> Result<(StatusCode, Vec<u8>, bool), ApiError> {
        let h = crate::core::gateway::admit(&st, &signed.ip, signed.header.as_deref())?;
        let mut verified = false;
        let done = signed.audit.write(&st.store, |c| -> Result<_, ApiError> {
            let who = signed.verify_in(c, &st, &h)?;
            verified = true;
            crate::core::gateway::claim_nonce_in(c, &st, &signed.ip, &h)?;
            let (status, answer) = flow(&st, c, &who, &signed.body)?;
            Ok((status, serde_json::to_vec(&answer).map_err(|e| ApiError::Internal(e.into()))?, false))
        });
        if done.is_err() && verified {
            let _ = crate::core::gateway::spend_nonce(&st, &h);
        }
        done
    })
    .await;
    answer.respond(&state, outcome.map_err(ApiError::from).and_then(|r| r))
}

/// What a signed request's check needs of it, taken off the HTTP request so
/// the check can run on the blocking pool.
#[derive(Clone)]
struct SignedRequest {
    audit: crate::oplog::Audit,
    header: Option<String>,
    method: String,
    /// The path and query, as signed.
    path_and_query: String,
    path_len: usize,
    ip: String,
    body: web::Bytes,
}

impl SignedRequest {
    fn of(req: &HttpRequest, body: web::Bytes) -> SignedRequest {
        let path_and_query =
            req.uri().path_and_query().map_or_else(|| req.path().to_owned(), |p| p.as_str().to_owned());
        SignedRequest {
            audit: crate::oplog::Audit::of(req),
            header: req.headers().get("authorization").and_then(|v| v.to_str().ok()).map(str::to_owned),
            method: req.method().as_str().to_owned(),
            path_len: req.path().len().min(path_and_query.len()),
            path_and_query,
            ip: crate::auth::client_ip(req),
            body,
        }
    }

    fn path(&self) -> &str {
        &self.path_and_query[..self.path_len]
    }

    /// [`crate::core::gateway::verify_in`] for this request; names the signer
    /// in its operation-log line.
    fn verify_in(
        &self,
        c: &mut DbConn,
        st: &AppState,
        h: &paydesk_domain::gateway::SignedHeader,
    ) -> Result<crate::core::gateway::Signed, ApiError> {
        let who = crate::core::gateway::verify_in(
            c,
            st,
            &self.ip,
            h,
            &self.method,
            &self.path_and_query,
            &self.body,
        )?;
        self.audit.signed_by(who.client.merchant_id, who.operator.id);
        Ok(who)
    }

    /// The answer, success or problem, signed by the platform over its status,
    /// the path and query and the body bytes.
    fn respond(
        &self,
        state: &AppState,
        outcome: Result<(StatusCode, Vec<u8>, bool), ApiError>,
    ) -> HttpResponse {
        use actix_web::ResponseError;
        let mut retry_after = None;
        let (status, content_type, bytes, replayed) = match outcome {
            Ok((status, bytes, replayed)) => (status, "application/json", bytes, replayed),
            Err(e) => {
                if let ApiError::Throttled { retry_after: secs } = &e {
                    retry_after = Some(*secs);
                }
                // Logs a server error the way every other answer does.
                let _ = e.error_response();
                let problem = serde_json::to_vec(&e.problem()).unwrap_or_default();
                (e.status_code(), "application/problem+json", problem, false)
            }
        };
        let signature =
            crate::core::notify::platform_signature(state, status.as_str(), &self.path_and_query, &bytes);
        let mut response = HttpResponse::build(status);
        if replayed {
            response.insert_header(("Idempotent-Replayed", "true"));
        }
        if let Some(secs) = retry_after {
            response.insert_header(("Retry-After", secs.to_string()));
        }
        response
            .insert_header((paydesk_domain::gateway::RESPONSE_HEADER, signature))
            .content_type(content_type)
            .body(bytes)
    }
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
