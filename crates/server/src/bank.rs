//! The bank boundary (docs/architecture.md, "The outside world"): what the
//! platform asks of a bank and how it hears back. The platform hands over payout
//! instructions and sends payers to the bank to pay collections; the bank answers
//! later, asynchronously, with signed notifications that reach the ledger only
//! through `core::execute`. The sandbox bank implements this the way a real bank
//! behaves; a real bank's adapter would implement the same trait.
//!
//! One [`Clock`] tells the time to the core, the jobs and the sandbox, so a test
//! or a demo can run them at a chosen moment.

use chrono::NaiveDateTime;
use paydesk_store::DbConn;
use serde::{Deserialize, Serialize};

use crate::error::ApiError;

/// The time, for everything that moves money or runs on a schedule.
pub trait Clock: Send + Sync + std::fmt::Debug {
    fn now(&self) -> NaiveDateTime;
}

/// The machine's clock, in UTC.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> NaiveDateTime {
        chrono::Utc::now().naive_utc()
    }
}

/// A payout as the platform hands it to the bank.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayoutInstruction<'a> {
    /// 交易订单号: how the bank's answer names it.
    pub trade_no: &'a str,
    pub bank: &'a str,
    pub account_no: &'a str,
    pub account_name: &'a str,
    /// Fen.
    pub amount: i64,
    /// When the bank is to pay (T+1 or within 2 hours).
    pub due_at: NaiveDateTime,
}

/// A refund as the platform hands it to the bank: return `amount` of the
/// payment `trade_no` to the buyer, the way it came (原路返回).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundInstruction<'a> {
    /// 退款交易号: how the bank's answer names it.
    pub refund_no: &'a str,
    /// The payment it returns, as the bank knows it.
    pub trade_no: &'a str,
    pub bank_reference: Option<&'a str>,
    /// Fen.
    pub amount: i64,
}

/// What a bank can be asked.
pub trait Bank: Send + Sync + std::fmt::Debug {
    /// Where the payer goes to pay a collection (a recharge) in online banking.
    fn collection_url(&self, order_no: &str) -> String;

    /// Hands a payout instruction to the bank, inside the transaction that
    /// records the payout, so the two can't part (a networked adapter writes it to
    /// its outbox here and sends it after the commit). The answer comes later as a
    /// [`BankNotice`].
    fn submit_payout(
        &self,
        c: &mut DbConn,
        payout: &PayoutInstruction<'_>,
        at: NaiveDateTime,
    ) -> Result<(), ApiError>;

    /// Hands a refund to the bank, inside the transaction that records it
    /// (as [`Bank::submit_payout`]). The answer comes later as a
    /// [`BankNotice::Refund`].
    fn submit_refund(
        &self,
        c: &mut DbConn,
        refund: &RefundInstruction<'_>,
        at: NaiveDateTime,
    ) -> Result<(), ApiError>;

    /// Whether a notification's body carries the bank's signature.
    fn verify(&self, body: &[u8], signature: &str) -> bool;
}

/// What a bank tells the platform, server to server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BankNotice {
    /// A collection (recharge) was paid or cancelled by the payer.
    Recharge {
        order_no: String,
        /// Fen.
        amount: i64,
        /// `paid` or `cancelled`.
        result: String,
        bank_reference: String,
        time: String,
    },
    /// A buyer paid (or cancelled) a gateway trade in online banking.
    Collection {
        trade_no: String,
        /// The bank the buyer paid through.
        bank: String,
        /// Fen.
        amount: i64,
        /// `paid` or `cancelled`.
        result: String,
        bank_reference: String,
        time: String,
    },
    /// A payout was paid, refused, or came back after being paid (退票).
    Payout {
        trade_no: String,
        /// Fen.
        amount: i64,
        /// `succeeded`, `failed` or `returned`.
        result: String,
        bank_reference: String,
        /// Why it failed or came back.
        reason: Option<String>,
        time: String,
    },
    /// A refund reached the buyer, or couldn't.
    Refund {
        refund_no: String,
        /// Fen.
        amount: i64,
        /// `succeeded` or `failed`.
        result: String,
        bank_reference: String,
        /// Why it failed.
        reason: Option<String>,
        time: String,
    },
}
