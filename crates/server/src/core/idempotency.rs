//! An `Idempotency-Key` claim as the core sees it: the handle a flow uses to
//! record its answer inside its own write transaction (docs/architecture.md,
//! "Idempotency"). The HTTP side — reading the header, claiming, replaying —
//! is [`crate::wrap`].

use actix_web::http::StatusCode;
use chrono::NaiveDateTime;
use paydesk_store::{idempotency, DbConn};
use serde::Serialize;

use crate::error::ApiError;

/// The claim a request holds on its key, if it sent one.
#[derive(Debug)]
pub struct Idem {
    claim: Option<Claimed>,
    status: StatusCode,
    recorded: bool,
}

#[derive(Debug, Clone)]
struct Claimed {
    merchant_id: i64,
    key: String,
    at: NaiveDateTime,
}

impl Idem {
    /// A request without a key: recording does nothing.
    pub fn none(status: StatusCode) -> Idem {
        Idem { claim: None, status, recorded: false }
    }

    pub(crate) fn claimed(merchant_id: i64, key: String, at: NaiveDateTime, status: StatusCode) -> Idem {
        Idem { claim: Some(Claimed { merchant_id, key, at }), status, recorded: false }
    }

    /// Records `answer` as the reply to replay, in the caller's transaction — the
    /// one that makes the change — so the change and its answer commit together.
    pub fn record<T: Serialize>(&mut self, c: &mut DbConn, answer: &T) -> Result<(), ApiError> {
        if let Some(claim) = &self.claim {
            let body = serde_json::to_string(answer).map_err(|e| ApiError::Internal(e.into()))?;
            idempotency::finish(c, claim.merchant_id, &claim.key, claim.at, self.status.as_u16(), &body)?;
        }
        self.recorded = true;
        Ok(())
    }

    pub(crate) fn is_recorded(&self) -> bool {
        self.recorded
    }

    /// Gives the claim up: the request changed nothing, so a retry runs afresh.
    pub(crate) fn release(&self, c: &mut DbConn) -> Result<(), ApiError> {
        if let Some(claim) = &self.claim {
            idempotency::release(c, claim.merchant_id, &claim.key, claim.at)?;
        }
        Ok(())
    }
}
