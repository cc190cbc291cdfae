//! 日志查询 (the bank seed's operation log): every state-changing API request —
//! POST, PUT, PATCH, DELETE under `/api/` — and every read of a verification
//! scan is recorded after it is answered (sign-ins log themselves, see
//! `core::session`):
//! who (operator or staff, from the access token), what (method and route),
//! the target (the path with its parameters), the result (status), the IP
//! and the time. The log is append-only; no endpoint edits or deletes it.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::web;
use paydesk_store::oplog::{self, NewEntry};

use crate::auth::{bearer_of, client_ip, now, SubjectKind};
use crate::AppState;

fn changes_state(method: &Method) -> bool {
    [Method::POST, Method::PUT, Method::PATCH, Method::DELETE].contains(method)
}

/// Sign-ins are logged by the sign-in itself (with who tried, and in the
/// session's transaction); refreshing a token and drawing a captcha change
/// nothing worth a line.
const LOGGED_ELSEWHERE: [&str; 5] = [
    "/api/v1/session",
    "/api/v1/ops/session",
    "/api/v1/session/refresh",
    "/api/v1/ops/session/refresh",
    "/api/v1/captchas",
];

/// A recovery's last step, logged by `core::recovery` with the operator.
pub const RECOVERY_DONE: &str = "/api/v1/recoveries/links/{token}";

/// Reads of the verification scans (licence, ID card) are logged too.
fn reads_a_scan(method: &Method, path: &str) -> bool {
    method == Method::GET
        && (path.starts_with("/api/v1/uploads/") || path.starts_with("/api/v1/ops/uploads/"))
}

fn wanted(method: &Method, path: &str) -> bool {
    let changes = changes_state(method)
        && path.starts_with("/api/")
        && !(method == Method::POST && LOGGED_ELSEWHERE.contains(&path));
    changes || reads_a_scan(method, path)
}

pub async fn record(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let wanted = wanted(req.method(), req.path());
    let response = next.call(req).await?;
    if !wanted {
        return Ok(response);
    }
    let request = response.request();
    let Some(state) = request.app_data::<web::Data<AppState>>().cloned() else { return Ok(response) };
    let who = bearer_of(request).and_then(|t| state.tokens.who(&t));
    let pattern = request.match_pattern().unwrap_or_else(|| request.path().to_owned());
    if pattern == RECOVERY_DONE {
        // Logged by the recovery itself, with whose password it was.
        return Ok(response);
    }
    let action = format!("{} {pattern}", request.method());
    // A path carrying a link's token is logged as its pattern: the log keeps no secrets.
    let target = if pattern.contains("{token}") { pattern.clone() } else { request.path().to_owned() };
    let ip = client_ip(request);
    let status = response.status().as_u16();
    let (merchant_id, operator_id, staff_id) = match who {
        Some(w) if w.kind == SubjectKind::Operator => (w.merchant_id, Some(w.subject_id), None),
        Some(w) => (None, None, Some(w.subject_id)),
        None => (None, None, None),
    };
    let store = state.store.clone();
    let written = web::block(move || {
        store.write(|c| {
            oplog::record(
                c,
                &NewEntry {
                    merchant_id,
                    operator_id,
                    staff_id,
                    action: &action,
                    target: &target,
                    status,
                    ip: &ip,
                    at: now(),
                },
            )
        })
    })
    .await;
    // The answer stands; a log write that failed is reported, not turned into an error.
    match written {
        Ok(Ok(())) => {}
        Ok(Err(e)) => tracing::error!(error = %e, "recording the operation log failed"),
        Err(e) => tracing::error!(error = %e, "recording the operation log failed"),
    }
    Ok(response)
}
