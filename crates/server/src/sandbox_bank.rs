//! The sandbox bank: the outside world's bank, built in because no real one can be
//! reached from here. It implements [`Bank`] the way a real bank behaves: a
//! merchant pays a recharge on its online-banking page; payout instructions go
//! into its own book and are decided on its clock (T+1 or 2 hours; test account
//! numbers fail or come back); and every outcome reaches the platform as a signed
//! server-to-server notification, retried with back-off until acknowledged. The
//! platform acts only on a notification whose signature checks out, and only once
//! however often it arrives.

use paydesk_api_types::ErrorCode;
use std::time::Duration as StdDuration;

use chrono::Duration;
use hmac::{Hmac, Mac};
use paydesk_store::{recharge, sandbox, DbConn, Store};
use sha2::Sha256;

use crate::auth::now;
use crate::bank::{Bank, BankNotice, PayoutInstruction, RefundInstruction};
use crate::error::ApiError;

/// Header carrying the notification's signature: hex HMAC-SHA256 of the body.
pub const SIGNATURE_HEADER: &str = "X-Sandbox-Signature";
/// Where the platform receives the sandbox bank's notifications.
pub const NOTIFY_PATH: &str = "/api/v1/bank/notifications/sandbox";
/// Deliveries stop after this many attempts (about an hour of back-off).
pub const MAX_ATTEMPTS: i32 = 12;

/// Signs and checks notifications with the key the bank and platform share.
#[derive(Clone)]
pub struct Signer {
    key: Vec<u8>,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Signer(..)")
    }
}

impl Signer {
    pub fn new(key: &str) -> Signer {
        Signer { key: key.as_bytes().to_vec() }
    }

    fn mac(&self) -> Hmac<Sha256> {
        // HMAC accepts keys of any length; this can't fail.
        match Hmac::<Sha256>::new_from_slice(&self.key) {
            Ok(m) => m,
            Err(_) => unreachable!("HMAC takes any key length"),
        }
    }

    pub fn sign(&self, body: &[u8]) -> String {
        let mut mac = self.mac();
        mac.update(body);
        mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect()
    }

    /// Constant-time comparison of the presented signature.
    pub fn verify(&self, body: &[u8], signature_hex: &str) -> bool {
        let Some(bytes) = decode_hex(signature_hex.trim()) else { return false };
        let mut mac = self.mac();
        mac.update(body);
        mac.verify_slice(&bytes).is_ok()
    }
}

fn decode_hex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok()).collect()
}

/// The bank records the payer's decision and owes the platform a notification.
/// Blocking.
pub fn decide(store: &Store, signer: &Signer, order_no: &str, pay: bool) -> Result<(), ApiError> {
    store.write(|c| -> Result<(), ApiError> {
        let order = recharge::find_order(c, order_no)?.ok_or(ApiError::RouteNotFound)?;
        if order.status != "pending" {
            return Err(ApiError::rule(
                actix_web::http::StatusCode::CONFLICT,
                ErrorCode::OrderClosed,
                "this order is already paid or cancelled",
            ));
        }
        let at = now();
        let notice = BankNotice::Recharge {
            order_no: order.order_no.clone(),
            amount: order.amount,
            result: if pay { "paid" } else { "cancelled" }.into(),
            bank_reference: format!("SBX{}{:06}", at.format("%Y%m%d%H%M%S"), order.id),
            time: at.and_utc().to_rfc3339(),
        };
        notify(c, signer, &order.order_no, &notice, at)
    })
}

/// The buyer decided at the bank's page for a gateway trade: the bank owes the
/// platform a notification. Blocking.
pub fn decide_trade(
    store: &Store,
    signer: &Signer,
    trade_no: &str,
    bank: &str,
    pay: bool,
) -> Result<(), ApiError> {
    store.write(|c| -> Result<(), ApiError> {
        let trade = paydesk_store::trades::by_trade_no(c, trade_no)?.ok_or(ApiError::RouteNotFound)?;
        if trade.status != paydesk_domain::trades::TradeStatus::Pending {
            return Err(ApiError::rule(
                actix_web::http::StatusCode::CONFLICT,
                ErrorCode::OrderClosed,
                "this order is already paid or closed",
            ));
        }
        let at = now();
        let notice = BankNotice::Collection {
            trade_no: trade.trade_no.clone(),
            bank: bank.to_owned(),
            amount: trade.amount,
            result: if pay { "paid" } else { "cancelled" }.into(),
            bank_reference: format!("SBXC{}{:06}", at.format("%Y%m%d%H%M%S"), trade.id % 1_000_000),
            time: at.and_utc().to_rfc3339(),
        };
        notify(c, signer, &trade.trade_no, &notice, at)
    })
}

/// Queues a signed notification to the platform.
fn notify(
    c: &mut DbConn,
    signer: &Signer,
    about: &str,
    notice: &BankNotice,
    at: chrono::NaiveDateTime,
) -> Result<(), ApiError> {
    let payload = serde_json::to_string(notice).map_err(|e| ApiError::Internal(e.into()))?;
    let signature = signer.sign(payload.as_bytes());
    recharge::queue_notification(c, about, &payload, &signature, at)?;
    Ok(())
}

/// Seconds to wait after the `attempt`-th failed delivery: 1, 2, 4, ... up to 10 minutes.
pub fn backoff_secs(attempt: i32) -> i64 {
    (1i64 << attempt.clamp(0, 10)).min(600)
}

/// Delivers every due notification once. Returns how many were acknowledged.
pub async fn deliver_due(store: &Store, client: &reqwest::Client, target: &str) -> usize {
    let s = store.clone();
    let due = actix_web::web::block(move || s.read(|c| recharge::due_notifications(c, now(), 20))).await;
    let Ok(Ok(due)) = due else { return 0 };
    let mut acknowledged = 0;
    for n in due.into_iter().filter(|n| n.attempts < MAX_ATTEMPTS) {
        // Lease it so another worker (or server) doesn't send it at the same time.
        let s = store.clone();
        let lease_until = now() + Duration::seconds(backoff_secs(n.attempts));
        let leased = n.clone();
        let taken =
            actix_web::web::block(move || s.write(|c| recharge::lease(c, &leased, lease_until))).await;
        if !matches!(taken, Ok(Ok(true))) {
            continue;
        }
        let outcome = client
            .post(format!("{target}{NOTIFY_PATH}"))
            .header(SIGNATURE_HEADER, &n.signature)
            .header("content-type", "application/json")
            .body(n.payload.clone())
            .timeout(StdDuration::from_secs(10))
            .send()
            .await;
        let s = store.clone();
        let id = n.id;
        let result = match outcome {
            Ok(r) if r.status().is_success() => {
                acknowledged += 1;
                actix_web::web::block(move || s.write(|c| recharge::acknowledge(c, id, now()))).await
            }
            Ok(r) => {
                let e = format!("answered {}", r.status());
                actix_web::web::block(move || s.write(|c| recharge::record_failure(c, id, &e))).await
            }
            Err(e) => {
                let e = e.to_string();
                actix_web::web::block(move || s.write(|c| recharge::record_failure(c, id, &e))).await
            }
        };
        match result {
            Ok(Ok(())) => {}
            Ok(Err(e)) => tracing::warn!(notification = id, error = %e, "recording a delivery failed"),
            Err(e) => tracing::warn!(notification = id, error = %e, "recording a delivery failed"),
        }
    }
    acknowledged
}

/// Test account numbers (documented in the README): a payout to an account ending
/// in `0000` fails; one ending in `9999` succeeds and comes back an hour later (退票);
/// any other succeeds.
pub const FAILING_SUFFIX: &str = "0000";
pub const RETURNING_SUFFIX: &str = "9999";

/// A refund reaches the buyer this long after the bank took it (原路返回 takes
/// a while at a real bank too).
pub const REFUND_HOURS: i64 = 2;
/// A test amount (documented in the README): a refund whose amount ends in
/// .44 yuan fails at the bank — the buyer's account was closed.
pub const FAILING_REFUND_CENTS: i64 = 44;

/// The bank decides the payouts whose time has come by `at` on its clock
/// (standard T+1, fast 2 hours), the refunds it took [`REFUND_HOURS`] before,
/// and the payouts bound to come back, and queues a
/// signed notification for each, to go out from `sent_at` on. Blocking. Returns
/// how many it decided.
pub fn settle_payouts(
    store: &Store,
    signer: &Signer,
    at: chrono::NaiveDateTime,
    sent_at: chrono::NaiveDateTime,
) -> Result<usize, ApiError> {
    let mut changed = 0;
    let report = |p: &sandbox::BankPayout, result: &str, reason: Option<&str>| BankNotice::Payout {
        trade_no: p.trade_no.clone(),
        amount: p.amount,
        result: result.to_owned(),
        bank_reference: format!(
            "SBXP{}{}",
            at.format("%Y%m%d"),
            &p.trade_no[p.trade_no.len().saturating_sub(8)..]
        ),
        reason: reason.map(str::to_owned),
        time: at.and_utc().to_rfc3339(),
    };
    for p in store.read(|c| sandbox::due(c, at, 200))? {
        store.write(|c| -> Result<(), ApiError> {
            let (state, notice, return_at) = if p.account_no.ends_with(FAILING_SUFFIX) {
                ("failed", report(&p, "failed", Some("户名与账号不符 / name and account don't match")), None)
            } else {
                let comes_back = p.account_no.ends_with(RETURNING_SUFFIX).then(|| at + Duration::hours(1));
                ("paid", report(&p, "succeeded", None), comes_back)
            };
            if sandbox::decide(c, &p.trade_no, "received", state, return_at)? {
                notify(c, signer, &p.trade_no, &notice, sent_at)?;
            }
            Ok(())
        })?;
        changed += 1;
    }
    for r in store.read(|c| sandbox::due_refunds(c, at, 200))? {
        store.write(|c| -> Result<(), ApiError> {
            let fails = r.amount % 100 == FAILING_REFUND_CENTS;
            let state = if fails { "failed" } else { "returned" };
            if sandbox::decide_refund(c, &r.refund_no, state)? {
                let notice = BankNotice::Refund {
                    refund_no: r.refund_no.clone(),
                    amount: r.amount,
                    result: if fails { "failed" } else { "succeeded" }.to_owned(),
                    bank_reference: format!(
                        "SBXR{}{}",
                        at.format("%Y%m%d"),
                        &r.refund_no[r.refund_no.len().saturating_sub(8)..]
                    ),
                    reason: fails.then(|| "原账户已销户 / the buyer's account is closed".to_owned()),
                    time: at.and_utc().to_rfc3339(),
                };
                notify(c, signer, &r.refund_no, &notice, sent_at)?;
            }
            Ok(())
        })?;
        changed += 1;
    }
    for p in store.read(|c| sandbox::returning(c, at, 200))? {
        store.write(|c| -> Result<(), ApiError> {
            if sandbox::decide(c, &p.trade_no, "paid", "returned", p.return_at)? {
                let notice = report(&p, "returned", Some("收款账户已销户 / the account is closed"));
                notify(c, signer, &p.trade_no, &notice, sent_at)?;
            }
            Ok(())
        })?;
        changed += 1;
    }
    Ok(changed)
}

/// The sandbox bank as the platform's [`Bank`].
#[derive(Debug, Clone)]
pub struct SandboxBank {
    pub signer: Signer,
}

impl Bank for SandboxBank {
    fn collection_url(&self, order_no: &str) -> String {
        format!("/sandbox/bank/pay/{order_no}")
    }

    fn submit_payout(
        &self,
        c: &mut DbConn,
        payout: &PayoutInstruction<'_>,
        at: chrono::NaiveDateTime,
    ) -> Result<(), ApiError> {
        sandbox::receive(c, payout.trade_no, payout.account_no, payout.amount, payout.due_at, at)?;
        Ok(())
    }

    fn submit_refund(
        &self,
        c: &mut DbConn,
        refund: &RefundInstruction<'_>,
        at: chrono::NaiveDateTime,
    ) -> Result<(), ApiError> {
        let due_at = at + Duration::hours(REFUND_HOURS);
        sandbox::receive_refund(c, refund.refund_no, refund.trade_no, refund.amount, due_at, at)?;
        Ok(())
    }

    fn verify(&self, body: &[u8], signature: &str) -> bool {
        self.signer.verify(body, signature)
    }
}

/// Runs the bank's delivery loop for the life of the server.
pub fn start_delivery(
    store: Store,
    signer: Signer,
    clock: std::sync::Arc<dyn crate::bank::Clock>,
    target: String,
) {
    actix_web::rt::spawn(async move {
        let client = reqwest::Client::new();
        let mut tick = tokio::time::interval(StdDuration::from_millis(300));
        loop {
            tick.tick().await;
            let (s, signer, at) = (store.clone(), signer.clone(), clock.now());
            if let Ok(Err(e)) = actix_web::web::block(move || settle_payouts(&s, &signer, at, at)).await {
                tracing::warn!(error = %e, "settling payouts failed");
            }
            deliver_due(&store, &client, &target).await;
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_verify_only_the_signed_body_with_the_right_key() {
        let signer = Signer::new("k1");
        let sig = signer.sign(b"{\"a\":1}");
        assert!(signer.verify(b"{\"a\":1}", &sig));
        assert!(!signer.verify(b"{\"a\":2}", &sig));
        assert!(!Signer::new("k2").verify(b"{\"a\":1}", &sig));
        assert!(!signer.verify(b"{\"a\":1}", "zz"));
        assert!(!signer.verify(b"{\"a\":1}", ""));
    }

    #[test]
    fn retries_back_off_up_to_ten_minutes() {
        assert_eq!((backoff_secs(0), backoff_secs(1), backoff_secs(3)), (1, 2, 8));
        assert_eq!(backoff_secs(30), 600);
    }
}
