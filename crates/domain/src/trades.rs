//! Gateway trades (网关交易, DESIGN.md "Acquiring and the integrator gateway"):
//! what a merchant asks for when a buyer should pay it, and the states a trade
//! goes through.
//!
//! ```text
//! pending ─pay─▶ completed (instant)              ─settle─▶ settled
//!    │      └──▶ paid ─confirm receipt / timeout─▶ completed (guaranteed)
//!    ├─close / expire─▶ closed
//!    └─fail─▶ failed
//! ```
//!
//! 待支付 → 支付成功 → 交易成功 → 结算成功, or 交易失败 / 已关闭. An instant trade
//! (即时到账) is complete when paid; a guaranteed one (担保) holds the money until
//! the buyer confirms receipt or the merchant's confirmation period runs out.
//! Terminal states never change.

use crate::application::OrderNo;
use crate::states::named_enum;
use crate::Money;

named_enum!(
    /// 即时到账 or 担保交易.
    TradeMode, "trade mode" {
        Instant => "instant",
        Guaranteed => "guaranteed",
    }
);

named_enum!(
    /// Where a trade stands.
    TradeStatus, "trade status" {
        /// 待支付: waiting for the buyer.
        Pending => "pending",
        /// 支付成功: a guaranteed trade paid, held until receipt is confirmed.
        Paid => "paid",
        /// 交易成功: the merchant has earned it; it waits for settlement.
        Completed => "completed",
        /// 结算成功: moved to the merchant's available balance, net of the fee.
        Settled => "settled",
        /// 交易失败.
        Failed => "failed",
        /// Closed unpaid, by the merchant or on expiry.
        Closed => "closed",
    }
);

/// What happens to a trade.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TradeEvent {
    Pay,
    ConfirmReceipt,
    Settle,
    Close,
    Fail,
}

/// A trade can't take `event` in its state.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a {status} trade can't {event:?}")]
pub struct NotNow {
    pub status: &'static str,
    pub event: TradeEvent,
}

impl TradeStatus {
    /// The manual's word for it.
    pub fn label_zh(self) -> &'static str {
        match self {
            TradeStatus::Pending => "待支付",
            TradeStatus::Paid => "支付成功",
            TradeStatus::Completed => "交易成功",
            TradeStatus::Settled => "结算成功",
            TradeStatus::Failed => "交易失败",
            TradeStatus::Closed => "已关闭",
        }
    }

    pub fn is_terminal(self) -> bool {
        matches!(self, TradeStatus::Settled | TradeStatus::Failed | TradeStatus::Closed)
    }

    /// The state after `event` for a trade of `mode`.
    pub fn after(self, mode: TradeMode, event: TradeEvent) -> Result<TradeStatus, NotNow> {
        use TradeEvent as E;
        use TradeStatus as S;
        let next = match (self, event) {
            (S::Pending, E::Pay) if mode == TradeMode::Instant => S::Completed,
            (S::Pending, E::Pay) => S::Paid,
            (S::Paid, E::ConfirmReceipt) => S::Completed,
            (S::Completed, E::Settle) => S::Settled,
            (S::Pending, E::Close) => S::Closed,
            (S::Pending, E::Fail) => S::Failed,
            _ => return Err(NotNow { status: self.as_str(), event }),
        };
        Ok(next)
    }
}

/// Merchants' days begin at midnight China Standard Time (UTC+8).
pub const DAY_OFFSET_SECS: i64 = 8 * 3600;
const DAY_SECS: i64 = 24 * 3600;

/// The business day of a Unix time: days since 1970-01-01 in UTC+8.
pub fn business_day(unix: i64) -> i64 {
    (unix + DAY_OFFSET_SECS).div_euclid(DAY_SECS)
}

/// T+1: when a trade completed at `completed_at` (Unix seconds) is due for
/// settlement — the start of the next business day.
pub fn settles_from(completed_at: i64) -> i64 {
    (business_day(completed_at) + 1) * DAY_SECS - DAY_OFFSET_SECS
}

/// What settlement moves to the available balance: the amount less the
/// acquiring fee, never below zero (a fee larger than a tiny trade eats it).
pub fn net_of_fee(amount: Money, fee: Money) -> Money {
    amount.checked_sub(fee).unwrap_or(Money::ZERO)
}

/// Whether an unpaid trade created at `created_at` has run out of time at `now`
/// (Unix seconds).
pub fn expired(created_at: i64, expire_minutes: u32, now: i64) -> bool {
    now >= created_at + i64::from(expire_minutes) * 60
}

/// The longest a subject (商品名称) may be.
pub const SUBJECT_CHARS: usize = 128;
/// How long a trade waits for its buyer unless the request says: 2 hours.
pub const DEFAULT_EXPIRY_MINUTES: u32 = 120;
/// The longest a trade may wait: 15 days.
pub const MAX_EXPIRY_MINUTES: u32 = 15 * 24 * 60;
/// Days after shipping before a guaranteed trade's receipt counts as confirmed,
/// unless the server is told otherwise.
pub const AUTO_CONFIRM_DAYS: u32 = 10;
/// Minutes after its expiry before an unpaid trade is closed: a buyer who paid
/// at the last moment at the bank still gets the trade.
pub const CLOSE_GRACE_MINUTES: i64 = 10;

/// The longest a notify or return URL may be.
pub const URL_CHARS: usize = 512;

/// A trade as an integrator asks for it.
#[derive(Debug, Clone, Default)]
pub struct TradeInput<'a> {
    pub merchant_order_no: &'a str,
    pub subject: &'a str,
    pub amount: &'a str,
    /// `instant` or `guaranteed`.
    pub mode: &'a str,
    pub expire_minutes: Option<u32>,
    pub notify_url: Option<&'a str>,
    pub return_url: Option<&'a str>,
}

/// A trade ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TradeDraft {
    pub merchant_order_no: OrderNo,
    pub subject: String,
    pub amount: Money,
    pub mode: TradeMode,
    pub expire_minutes: u32,
    pub notify_url: Option<String>,
    pub return_url: Option<String>,
}

/// An address the platform calls or sends the buyer to: http(s), no spaces,
/// at most [`URL_CHARS`]; https only when `https_only` (production).
pub fn check_url(text: &str, https_only: bool) -> Result<String, &'static str> {
    let url = text.trim();
    let scheme_ok = url.starts_with("https://") || (!https_only && url.starts_with("http://"));
    let host = url.split_once("://").map_or("", |(_, rest)| rest.split(['/', '?', '#']).next().unwrap_or(""));
    if !scheme_ok {
        return Err(if https_only {
            "use an https:// address"
        } else {
            "use an http:// or https:// address"
        });
    }
    if host.is_empty() || url.chars().any(char::is_whitespace) || url.chars().count() > URL_CHARS {
        return Err("this is not a usable address");
    }
    Ok(url.to_owned())
}

/// Checks a trade request; every problem is reported as `(field, code, message)`.
pub fn check_trade(
    input: &TradeInput<'_>,
    https_only: bool,
) -> Result<TradeDraft, Vec<crate::draft::FieldProblem>> {
    let mut p = crate::draft::Problems::default();
    let order_no = OrderNo::parse(input.merchant_order_no)
        .map_err(|e| p.push("merchant_order_no", e.code, e.message))
        .ok();
    let subject = input.subject.trim().to_owned();
    if subject.is_empty() || subject.chars().count() > SUBJECT_CHARS {
        p.push("subject", "subject_invalid", format!("a subject has 1 to {SUBJECT_CHARS} characters"));
    }
    let amount = p.amount("amount", input.amount);
    let mode = TradeMode::parse(input.mode);
    if mode.is_none() {
        p.push("mode", "mode_invalid", "choose instant or guaranteed");
    }
    let expire_minutes = input.expire_minutes.unwrap_or(DEFAULT_EXPIRY_MINUTES);
    if !(1..=MAX_EXPIRY_MINUTES).contains(&expire_minutes) {
        p.push(
            "expire_minutes",
            "expiry_invalid",
            format!("a trade waits 1 to {MAX_EXPIRY_MINUTES} minutes"),
        );
    }
    let mut url =
        |field: &'static str, text: Option<&str>| match text.map(str::trim).filter(|t| !t.is_empty()) {
            None => None,
            Some(t) => check_url(t, https_only).map_err(|m| p.push(field, "url_invalid", m)).ok(),
        };
    let notify_url = url("notify_url", input.notify_url);
    let return_url = url("return_url", input.return_url);
    let draft = match (order_no, amount, mode) {
        (Some(merchant_order_no), Some(amount), Some(mode)) => Some(TradeDraft {
            merchant_order_no,
            subject,
            amount,
            mode,
            expire_minutes,
            notify_url,
            return_url,
        }),
        _ => None,
    };
    p.finish(draft)
}

/// The longest a QR code's name (收款码名称) may be.
pub const QR_NAME_CHARS: usize = 20;

/// A collection QR code as the merchant asks for it: a name and a fixed
/// amount, or none for an open-amount code (the buyer types it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrDraft {
    pub name: String,
    pub amount: Option<Money>,
}

/// Checks a new QR code.
pub fn check_qr(name: &str, amount: Option<&str>) -> Result<QrDraft, Vec<crate::draft::FieldProblem>> {
    let mut p = crate::draft::Problems::default();
    let name = name.trim().to_owned();
    if name.is_empty() || name.chars().count() > QR_NAME_CHARS {
        p.push("name", "name_invalid", format!("a code's name has 1 to {QR_NAME_CHARS} characters"));
    }
    let amount = match amount.map(str::trim).filter(|a| !a.is_empty()) {
        None => Some(None),
        Some(text) => p.amount("amount", text).map(Some),
    };
    let draft = amount.map(|amount| QrDraft { name, amount });
    p.finish(draft)
}

/// The amount a buyer pays through a code: the code's own, or what they typed.
pub fn qr_amount(fixed: Option<Money>, typed: &str) -> Result<Money, Vec<crate::draft::FieldProblem>> {
    if let Some(amount) = fixed {
        return Ok(amount);
    }
    let mut p = crate::draft::Problems::default();
    let amount = p.amount("amount", typed);
    p.finish(amount)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn an_instant_trade_completes_when_paid_and_a_guaranteed_one_waits_for_receipt() {
        use TradeEvent as E;
        use TradeStatus as S;
        assert_eq!(S::Pending.after(TradeMode::Instant, E::Pay), Ok(S::Completed));
        assert_eq!(S::Pending.after(TradeMode::Guaranteed, E::Pay), Ok(S::Paid));
        assert_eq!(S::Paid.after(TradeMode::Guaranteed, E::ConfirmReceipt), Ok(S::Completed));
        assert_eq!(S::Completed.after(TradeMode::Guaranteed, E::Settle), Ok(S::Settled));
        assert!(S::Paid.after(TradeMode::Guaranteed, E::Settle).is_err(), "held money doesn't settle");
        assert!(S::Paid.after(TradeMode::Guaranteed, E::Close).is_err(), "a paid trade isn't closed");
        assert_eq!(S::Pending.after(TradeMode::Instant, E::Close), Ok(S::Closed));
    }

    proptest! {
        #[test]
        fn terminal_states_never_change(i in 0usize..6, e in 0usize..5, guaranteed in any::<bool>()) {
            let status = TradeStatus::ALL[i];
            let event = [TradeEvent::Pay, TradeEvent::ConfirmReceipt, TradeEvent::Settle, TradeEvent::Close, TradeEvent::Fail][e];
            let mode = if guaranteed { TradeMode::Guaranteed } else { TradeMode::Instant };
            if status.is_terminal() {
                prop_assert!(status.after(mode, event).is_err());
            }
            // A trade is paid at most once.
            if status != TradeStatus::Pending {
                prop_assert!(status.after(mode, TradeEvent::Pay).is_err());
            }
        }
    }

    #[test]
    fn a_trade_settles_from_the_next_china_midnight() {
        // 2026-12-01 23:30 in UTC+8 is 15:30 UTC; it settles from 2026-12-02 00:00 UTC+8 (16:00 UTC on the 1st).
        let completed = 1_796_139_000;
        assert_eq!(settles_from(completed), 1_796_140_800);
        // Half an hour later it is the 2nd in China: it waits for the 3rd.
        assert_eq!(settles_from(completed + 1_800), 1_796_140_800 + 86_400);
        assert_eq!(
            net_of_fee(Money::parse("100.00").unwrap(), Money::parse("0.60").unwrap()),
            Money::parse("99.40").unwrap()
        );
        assert_eq!(net_of_fee(Money::parse("0.01").unwrap(), Money::parse("1.00").unwrap()), Money::ZERO);
        assert!(!expired(0, 120, 7_199) && expired(0, 120, 7_200));
    }

    proptest! {
        /// Settlement is always later the same day or the next, and the same for a whole business day.
        #[test]
        fn settlement_follows_the_business_day(t in 0i64..4_000_000_000, d in 0i64..86_400) {
            let s = settles_from(t);
            prop_assert!(s > t && s - t <= 86_400);
            prop_assert_eq!(business_day(s), business_day(t) + 1);
            let day_start = business_day(t) * 86_400 - DAY_OFFSET_SECS;
            prop_assert_eq!(settles_from(day_start + d), s);
        }
    }

    fn input<'a>() -> TradeInput<'a> {
        TradeInput {
            merchant_order_no: "T20261201001",
            subject: "咖啡豆 1kg",
            amount: "88.00",
            mode: "instant",
            ..TradeInput::default()
        }
    }

    #[test]
    fn a_sound_request_becomes_a_draft_with_a_two_hour_expiry() {
        let d = check_trade(&input(), true).unwrap();
        assert_eq!(
            (d.amount, d.mode, d.expire_minutes),
            (Money::parse("88.00").unwrap(), TradeMode::Instant, 120)
        );
    }

    #[test]
    fn every_problem_is_named() {
        let bad = TradeInput {
            merchant_order_no: "T-1",
            subject: "",
            amount: "0",
            mode: "later",
            expire_minutes: Some(0),
            notify_url: Some("http://shop.example.com/notify"),
            return_url: Some("ftp://x"),
        };
        let p = check_trade(&bad, true).unwrap_err();
        let fields: Vec<(&str, &str)> = p.iter().map(|p| (p.field.as_str(), p.code)).collect();
        assert_eq!(
            fields,
            [
                ("merchant_order_no", "order_no_invalid"),
                ("subject", "subject_invalid"),
                ("amount", "amount_zero"),
                ("mode", "mode_invalid"),
                ("expire_minutes", "expiry_invalid"),
                ("notify_url", "url_invalid"),
                ("return_url", "url_invalid"),
            ]
        );
        // Development accepts plain http for a local receiver.
        let local = TradeInput { notify_url: Some("http://127.0.0.1:9000/n"), ..input() };
        assert!(check_trade(&local, false).is_ok());
        assert!(check_trade(&local, true).is_err());
    }

    #[test]
    fn urls_are_checked() {
        assert!(check_url("https://shop.example.com/n?a=1", true).is_ok());
        assert!(check_url("https:///n", true).is_err());
        assert!(check_url("https://a b", true).is_err());
        assert!(check_url(&format!("https://x/{}", "a".repeat(URL_CHARS)), true).is_err());
    }

    #[test]
    fn a_qr_code_has_a_name_and_maybe_an_amount() {
        assert_eq!(check_qr("门店收款", None).unwrap().amount, None);
        assert_eq!(check_qr("咖啡", Some("12.50")).unwrap().amount, Money::parse("12.50").ok());
        let p = check_qr("", Some("0")).unwrap_err();
        let codes: Vec<&str> = p.iter().map(|p| p.code).collect();
        assert_eq!(codes, ["name_invalid", "amount_zero"]);
        assert_eq!(qr_amount(Money::parse("5.00").ok(), "99"), Ok(Money::parse("5.00").unwrap()));
        assert_eq!(qr_amount(None, "7.10"), Ok(Money::parse("7.10").unwrap()));
        assert!(qr_amount(None, "").is_err());
    }
}
