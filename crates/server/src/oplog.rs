//! 日志查询 (the bank seed's operation log): every state-changing API request —
//! POST, PUT, PATCH, DELETE under `/api/` — and every read of a verification
//! scan is recorded: who (operator or staff, from the access token), what
//! (method and route), the target (the path with its parameters), the result
//! (status), the IP and the time. The log is append-only; no endpoint edits or
//! deletes it.
//!
//! Lines are sealed into the log's hash chain after they commit, by the jobs
//! ([`seal_waiting`]): writing a line takes no lock, so busy writers don't
//! queue behind one head row.
//!
//! A change is logged in the transaction that makes it: the middleware hands
//! each logged request an [`Audit`], and the core writes through
//! [`Audit::write`], which appends the line before committing, with the status
//! the operation answers on success (from the API document). So a change is never without its line, nor a line without
//! its change. A request that changed nothing (refused, failed) or wrote no
//! change of its own is logged by the middleware after the answer, with the
//! answer's status. Sign-ins and recoveries log themselves (`core::session`,
//! `core::recovery`).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::{web, HttpMessage, HttpRequest};
use paydesk_store::oplog::{self, NewEntry};
use paydesk_store::{DbConn, Store, StoreError};

use crate::auth::{bearer_of, client_ip, now, SubjectKind};
use crate::AppState;

/// Each operation's success status as the API document gives it (the first
/// 2xx answer): what a line written with its change records.
static SUCCESS: std::sync::LazyLock<std::collections::HashMap<(String, String), u16>> =
    std::sync::LazyLock::new(|| {
        let doc = crate::openapi();
        let mut found = std::collections::HashMap::new();
        for (path, item) in &doc.paths.paths {
            let operations =
                [("POST", &item.post), ("PUT", &item.put), ("PATCH", &item.patch), ("DELETE", &item.delete)];
            for (method, op) in operations {
                let Some(op) = op else { continue };
                let ok = op
                    .responses
                    .responses
                    .keys()
                    .filter_map(|k| k.parse::<u16>().ok())
                    .find(|s| (200..300).contains(s));
                if let Some(status) = ok {
                    found.insert((method.to_owned(), path.clone()), status);
                }
            }
        }
        found
    });

/// One request's line in the operation log.
#[derive(Debug)]
struct Line {
    merchant_id: Option<i64>,
    operator_id: Option<i64>,
    staff_id: Option<i64>,
    action: String,
    target: String,
    ip: String,
    /// The status the operation answers when it succeeds.
    success: u16,
    written: AtomicBool,
    /// Who signed a gateway request (merchant, operator), known once the
    /// signature checked out.
    signer: std::sync::OnceLock<(i64, i64)>,
    /// A signed request's nonce (app id, nonce, when), spent in the
    /// transaction that writes the line ([`Audit::spends_nonce`]).
    nonce: std::sync::OnceLock<(String, String, chrono::NaiveDateTime)>,
}

impl Line {
    fn entry(&self, status: u16) -> NewEntry<'_> {
        let signer = self.signer.get();
        NewEntry {
            merchant_id: self.merchant_id.or(signer.map(|s| s.0)),
            operator_id: self.operator_id.or(signer.map(|s| s.1)),
            staff_id: self.staff_id,
            action: &self.action,
            target: &self.target,
            status,
            ip: &self.ip,
            at: now(),
        }
    }
}

/// The request's operation-log line, written with its change (see the module
/// notes). A request the log doesn't keep (a read) carries an empty one, and
/// its writes are plain transactions.
#[derive(Debug, Clone, Default)]
pub struct Audit(Option<Arc<Line>>);

impl Audit {
    /// The request's audit, as the middleware left it.
    pub fn of(req: &HttpRequest) -> Audit {
        req.extensions().get::<Audit>().cloned().unwrap_or_default()
    }

    /// Runs `f` in one transaction and appends the request's log line to it
    /// (once per request: the first change carries it).
    pub fn write<T, E>(&self, store: &Store, f: impl FnOnce(&mut DbConn) -> Result<T, E>) -> Result<T, E>
    where
        E: From<StoreError> + From<diesel::result::Error>,
    {
        self.write_closing(store, |c| f(c).map(|value| (value, None)))
    }

    /// [`Audit::write`] whose work may hand back a journal entry to post last
    /// ([`Store::write_closing`]).
    pub fn write_closing<T, E>(
        &self,
        store: &Store,
        f: impl FnOnce(&mut DbConn) -> Result<(T, Option<paydesk_store::ledger::Last>), E>,
    ) -> Result<T, E>
    where
        E: From<StoreError> + From<diesel::result::Error>,
    {
        let Some(line) = self.0.as_deref().filter(|l| !l.written.load(Ordering::SeqCst)) else {
            return store.write_closing(f);
        };
        // The line goes first when it knows who acts: written last, it would
        // keep the rows the change locked (a busy balance) locked for one more
        // statement. Should the change fail, both roll back. A signed
        // request's signer is known only once `f` has checked the signature.
        let first = line.merchant_id.is_some() || line.staff_id.is_some() || line.signer.get().is_some();
        let value = store.write_closing(|c| -> Result<_, E> {
            // A concurrent request with the same nonce waits on the nonce's
            // unique key, and is refused once this one commits.
            let claimed = match (first, line.nonce.get()) {
                (true, Some((app_id, nonce, at))) => {
                    oplog::record_spending_nonce(c, &line.entry(line.success), (app_id, nonce, *at))?
                }
                (true, None) => oplog::record(c, &line.entry(line.success)).map(|()| true)?,
                (false, Some((app_id, nonce, at))) => {
                    paydesk_store::gateway::claim_nonce(c, app_id, nonce, *at)?
                }
                (false, None) => true,
            };
            if !claimed {
                return Err(StoreError::NonceReused.into());
            }
            let value = f(c)?;
            if !first {
                oplog::record(c, &line.entry(line.success)).map_err(E::from)?;
            }
            Ok(value)
        })?;
        line.written.store(true, Ordering::SeqCst);
        Ok(value)
    }

    /// Names who signed a gateway request (an API client's merchant and
    /// operator), for a line that has no session to name them.
    pub fn signed_by(&self, merchant_id: i64, operator_id: i64) {
        if let Some(line) = self.0.as_deref() {
            let _ = line.signer.set((merchant_id, operator_id));
        }
    }

    /// Lets the request's first change spend a signed request's nonce with
    /// its line: one commit for both, and a concurrent duplicate refused by the
    /// nonce's unique key. False when the request keeps no line (a read): the
    /// caller spends the nonce itself.
    pub fn spends_nonce(&self, app_id: &str, nonce: &str, at: chrono::NaiveDateTime) -> bool {
        let Some(line) = self.0.as_deref() else { return false };
        line.nonce.set((app_id.to_owned(), nonce.to_owned(), at)).is_ok()
    }

    /// Whether a change carried the nonce given to [`Audit::spends_nonce`]
    /// and committed.
    pub fn spent_nonce(&self) -> bool {
        self.0.as_deref().is_some_and(|l| l.nonce.get().is_some() && l.written.load(Ordering::SeqCst))
    }

    fn written(&self) -> bool {
        self.0.as_deref().is_some_and(|l| l.written.load(Ordering::SeqCst))
    }
}

/// Seals every line waiting for the hash chain (`paydesk_store::oplog::seal`),
/// a hundred a transaction: on SQLite a seal holds the one writer's turn, so
/// short ones keep requests from waiting behind it. Blocking; the jobs run it
/// every tick.
pub fn seal_waiting(store: &Store) -> Result<usize, StoreError> {
    const BATCH: i64 = 100;
    let mut sealed = 0;
    loop {
        let n = store.write(|c| oplog::seal(c, BATCH))?;
        sealed += n;
        if n < BATCH as usize {
            return Ok(sealed);
        }
        std::thread::yield_now();
    }
}

fn changes_state(method: &Method) -> bool {
    [Method::POST, Method::PUT, Method::PATCH, Method::DELETE].contains(method)
}

/// Sign-ins are logged by the sign-in itself (with who tried, and in the
/// session's transaction); refreshing a token and drawing a captcha change
/// nothing worth a line.
const LOGGED_ELSEWHERE: [&str; 6] = [
    "/api/v1/ops/session/key",
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
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else { return next.call(req).await };
    let pattern = req.match_pattern().unwrap_or_else(|| req.path().to_owned());
    // The recovery's last step is logged by the recovery itself, with whose password it was.
    if !wanted(req.method(), req.path()) || pattern == RECOVERY_DONE {
        return next.call(req).await;
    }
    let who = bearer_of(req.request()).and_then(|t| state.tokens.who(&t));
    let (merchant_id, operator_id, staff_id) = match who {
        Some(w) if w.kind == SubjectKind::Operator => (w.merchant_id, Some(w.subject_id), None),
        Some(w) => (None, None, Some(w.subject_id)),
        None => (None, None, None),
    };
    let action = (req.method().as_str().to_owned(), pattern.clone());
    let success = SUCCESS.get(&action).copied().unwrap_or(200);
    let line = Arc::new(Line {
        merchant_id,
        operator_id,
        staff_id,
        action: format!("{} {pattern}", req.method()),
        // A path carrying a link's token is logged as its pattern: the log keeps no secrets.
        target: if pattern.contains("{token}") { pattern.clone() } else { req.path().to_owned() },
        ip: client_ip(req.request()),
        success,
        written: AtomicBool::new(false),
        signer: std::sync::OnceLock::new(),
        nonce: std::sync::OnceLock::new(),
    });
    let audit = Audit(Some(line.clone()));
    req.extensions_mut().insert(audit.clone());
    let response = next.call(req).await?;
    if audit.written() {
        return Ok(response);
    }
    let status = response.status().as_u16();
    let store = state.store.clone();
    let written = web::block(move || store.write(|c| oplog::record(c, &line.entry(status)))).await;
    // The answer stands; a log write that failed is reported, not turned into an error.
    match written {
        Ok(Ok(())) => {}
        Ok(Err(e)) => tracing::error!(error = %e, "recording the operation log failed"),
        Err(e) => tracing::error!(error = %e, "recording the operation log failed"),
    }
    Ok(response)
}

/// For requests without a signed-in subject (registration): the audit as the
/// middleware left it.
impl actix_web::FromRequest for Audit {
    type Error = actix_web::Error;
    type Future = std::future::Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        std::future::ready(Ok(Audit::of(req)))
    }
}
