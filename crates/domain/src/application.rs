//! Applications (申请): every fund operation is one, and moves through one state
//! machine (docs/architecture.md, "Applications"):
//!
//! ```text
//! pending_review ─approve─▶ approved ─start─▶ processing ─┬─succeed──▶ succeeded
//!       │                                                  ├─fail─────▶ failed
//!       ├─reject─▶ rejected                                └─partly───▶ partially_succeeded (batches)
//!       └─cancel─▶ cancelled
//! ```
//!
//! Creating an application holds its money (available → frozen); rejecting or
//! cancelling releases it; approving executes it. Terminal states never change.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicationStatus {
    PendingReview,
    Approved,
    Processing,
    Succeeded,
    Failed,
    PartiallySucceeded,
    Rejected,
    Cancelled,
}

/// What happens to an application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    Approve,
    Reject,
    Cancel,
    Start,
    Succeed,
    Fail,
    PartlySucceed,
}

/// The kinds of fund operation, each with its own review permission.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicationKind {
    /// 转账到快捷通账户: to another platform account.
    Transfer,
    /// 转账到银行账户: a payout to a bank account.
    BankPayout,
    /// 提现: to the merchant's own bank card.
    Withdrawal,
    Refund,
    Payroll,
    BatchTransfer,
    BatchBankPayout,
    BatchRefund,
}

impl ApplicationStatus {
    pub const ALL: [ApplicationStatus; 8] = [
        ApplicationStatus::PendingReview,
        ApplicationStatus::Approved,
        ApplicationStatus::Processing,
        ApplicationStatus::Succeeded,
        ApplicationStatus::Failed,
        ApplicationStatus::PartiallySucceeded,
        ApplicationStatus::Rejected,
        ApplicationStatus::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ApplicationStatus::PendingReview => "pending_review",
            ApplicationStatus::Approved => "approved",
            ApplicationStatus::Processing => "processing",
            ApplicationStatus::Succeeded => "succeeded",
            ApplicationStatus::Failed => "failed",
            ApplicationStatus::PartiallySucceeded => "partially_succeeded",
            ApplicationStatus::Rejected => "rejected",
            ApplicationStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(text: &str) -> Option<ApplicationStatus> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// No event changes a terminal application.
    pub fn is_terminal(self) -> bool {
        matches!(
            self,
            ApplicationStatus::Succeeded
                | ApplicationStatus::Failed
                | ApplicationStatus::PartiallySucceeded
                | ApplicationStatus::Rejected
                | ApplicationStatus::Cancelled
        )
    }

    /// Whether the application's money is still held (frozen) in this state.
    pub fn holds_money(self) -> bool {
        matches!(
            self,
            ApplicationStatus::PendingReview | ApplicationStatus::Approved | ApplicationStatus::Processing
        )
    }

    /// The state after `event`, or why it can't happen.
    pub fn after(self, event: Event) -> Result<ApplicationStatus, TransitionError> {
        use ApplicationStatus as S;
        let next = match (self, event) {
            (S::PendingReview, Event::Approve) => S::Approved,
            (S::PendingReview, Event::Reject) => S::Rejected,
            (S::PendingReview, Event::Cancel) => S::Cancelled,
            (S::Approved, Event::Start) => S::Processing,
            (S::Processing, Event::Succeed) => S::Succeeded,
            (S::Processing, Event::Fail) => S::Failed,
            (S::Processing, Event::PartlySucceed) => S::PartiallySucceeded,
            (from, event) => return Err(TransitionError { from, event }),
        };
        Ok(next)
    }
}

/// An event that doesn't apply to the application's state, e.g. approving a
/// rejected one. The API answers it with `409 application_not_pending` or similar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("an application that is {} can't be {event:?}d", from.as_str())]
pub struct TransitionError {
    pub from: ApplicationStatus,
    pub event: Event,
}

impl ApplicationKind {
    pub const ALL: [ApplicationKind; 8] = [
        ApplicationKind::Transfer,
        ApplicationKind::BankPayout,
        ApplicationKind::Withdrawal,
        ApplicationKind::Refund,
        ApplicationKind::Payroll,
        ApplicationKind::BatchTransfer,
        ApplicationKind::BatchBankPayout,
        ApplicationKind::BatchRefund,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ApplicationKind::Transfer => "transfer",
            ApplicationKind::BankPayout => "bank_payout",
            ApplicationKind::Withdrawal => "withdrawal",
            ApplicationKind::Refund => "refund",
            ApplicationKind::Payroll => "payroll",
            ApplicationKind::BatchTransfer => "batch_transfer",
            ApplicationKind::BatchBankPayout => "batch_bank_payout",
            ApplicationKind::BatchRefund => "batch_refund",
        }
    }

    pub fn parse(text: &str) -> Option<ApplicationKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// 单笔退款 or 批量退款: money back to buyers, whose lines' fee is the share
    /// of the acquiring fee that comes back (退还服务费).
    pub fn is_refund(self) -> bool {
        matches!(self, ApplicationKind::Refund | ApplicationKind::BatchRefund)
    }

    /// 总金额 of an application: the amount plus the fee it charges — except a
    /// refund's, whose fee comes back rather than being charged.
    pub fn total(self, amount_fen: i64, fee_fen: i64) -> i64 {
        if self.is_refund() {
            amount_fen
        } else {
            amount_fen + fee_fen
        }
    }

    pub fn is_batch(self) -> bool {
        matches!(
            self,
            ApplicationKind::BatchTransfer
                | ApplicationKind::BatchBankPayout
                | ApplicationKind::BatchRefund
                | ApplicationKind::Payroll
        )
    }
}

/// A merchant's own reference (商户订单号, and the same rule for 批次号): at most
/// 32 letters and digits, unique per merchant (the store enforces that).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OrderNo(String);

impl OrderNo {
    pub fn parse(text: &str) -> Result<OrderNo, crate::identity::Invalid> {
        let text = text.trim();
        let bad = |message| crate::identity::Invalid { code: "order_no_invalid", message };
        if text.is_empty() {
            return Err(bad("enter the merchant order number or leave the field out"));
        }
        if text.chars().count() > 32 {
            return Err(bad("a merchant order number has at most 32 characters"));
        }
        if !text.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(bad("a merchant order number has letters and digits only"));
        }
        Ok(OrderNo(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

/// A stored name that is none of an enum's: the database and the code disagree.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what}: {value}")]
pub struct UnknownName {
    pub what: &'static str,
    pub value: String,
}

impl std::fmt::Display for ApplicationKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::fmt::Display for ApplicationStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl TryFrom<String> for ApplicationKind {
    type Error = UnknownName;

    fn try_from(value: String) -> Result<Self, UnknownName> {
        ApplicationKind::parse(&value).ok_or(UnknownName { what: "application kind", value })
    }
}

impl TryFrom<String> for ApplicationStatus {
    type Error = UnknownName;

    fn try_from(value: String) -> Result<Self, UnknownName> {
        ApplicationStatus::parse(&value).ok_or(UnknownName { what: "application status", value })
    }
}

/// What a platform number (交易订单号) names; its two digits follow the date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NumberKind {
    Application,
    /// One line of an application (a payee of a transfer or batch).
    Line,
    Payout,
    Recharge,
    /// A gateway trade (网关交易).
    Trade,
}

impl NumberKind {
    fn digits(self) -> &'static str {
        match self {
            NumberKind::Application => "10",
            NumberKind::Line => "11",
            NumberKind::Payout => "20",
            NumberKind::Recharge => "30",
            NumberKind::Trade => "40",
        }
    }
}

/// A platform number (交易订单号) as people see it, like the manual's
/// `101142804625129388503`: 21 digits — the date (`YYMMDD`), two for the kind,
/// and 13 random ones, so a number says when it was made but not what the next
/// one will be. The store's unique index decides a (vanishingly rare) clash.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct TradeNo(String);

/// The random part: 13 digits.
const TRADE_NO_RANDOM: u64 = 10_000_000_000_000;

impl TradeNo {
    /// `yymmdd` is the date as six digits (`261201`); `random` any number (its
    /// last 13 digits are used).
    pub fn compose(kind: NumberKind, yymmdd: u32, random: u64) -> TradeNo {
        TradeNo(format!("{:06}{}{:013}", yymmdd % 1_000_000, kind.digits(), random % TRADE_NO_RANDOM))
    }

    /// A number someone typed: 21 digits.
    pub fn parse(text: &str) -> Option<TradeNo> {
        let text = text.trim();
        (text.len() == 21 && text.chars().all(|c| c.is_ascii_digit())).then(|| TradeNo(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A reviewer's decision on applications (审核通过 / 审核拒绝, §3.5.1.2–3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// Sorted, each once.
    pub ids: Vec<i64>,
    pub approve: bool,
    /// Trimmed; required when rejecting.
    pub remark: String,
}

/// Checks a review request: 1 to [`crate::limits::BULK_REVIEW`] applications,
/// `approve` or `reject`, a remark when rejecting, none too long.
pub fn check_decision(
    ids: &[i64],
    decision: &str,
    remark: Option<&str>,
) -> Result<Decision, Vec<crate::draft::FieldProblem>> {
    use crate::draft::FieldProblem;
    use crate::limits::{BULK_REVIEW, REVIEW_REMARK_CHARS};
    let mut problems = Vec::new();
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() || ids.len() > BULK_REVIEW {
        problems.push(FieldProblem::new(
            "application_ids",
            "ids_count",
            format!("check between 1 and {BULK_REVIEW} applications"),
        ));
    }
    let approve = match decision {
        "approve" => Some(true),
        "reject" => Some(false),
        _ => {
            problems.push(FieldProblem::new("decision", "decision_invalid", "approve or reject"));
            None
        }
    };
    let remark = remark.unwrap_or("").trim().to_owned();
    if approve == Some(false) && remark.is_empty() {
        problems.push(FieldProblem::new("remark", "remark_required", "say why the application is rejected"));
    }
    if remark.chars().count() > REVIEW_REMARK_CHARS {
        problems.push(FieldProblem::new(
            "remark",
            "remark_too_long",
            format!("a remark has at most {REVIEW_REMARK_CHARS} characters"),
        ));
    }
    match approve {
        Some(approve) if problems.is_empty() => Ok(Decision { ids, approve, remark }),
        _ => Err(problems),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use ApplicationStatus as S;

    #[test]
    fn the_happy_path_and_the_ways_out() {
        let s = S::PendingReview.after(Event::Approve).unwrap();
        let s = s.after(Event::Start).unwrap();
        assert_eq!(s.after(Event::Succeed), Ok(S::Succeeded));
        assert_eq!(S::PendingReview.after(Event::Reject), Ok(S::Rejected));
        assert_eq!(S::PendingReview.after(Event::Cancel), Ok(S::Cancelled));
        assert_eq!(S::Processing.after(Event::PartlySucceed), Ok(S::PartiallySucceeded));
    }

    #[test]
    fn approving_a_rejected_or_cancelled_application_fails() {
        for from in [S::Rejected, S::Cancelled, S::Approved, S::Succeeded] {
            assert_eq!(from.after(Event::Approve), Err(TransitionError { from, event: Event::Approve }));
        }
        assert!(S::Approved.after(Event::Reject).is_err(), "an approved application can't be rejected");
    }

    #[test]
    fn names_round_trip() {
        for s in S::ALL {
            assert_eq!(S::parse(s.as_str()), Some(s));
        }
        for k in ApplicationKind::ALL {
            assert_eq!(ApplicationKind::parse(k.as_str()), Some(k));
        }
    }

    fn event() -> impl Strategy<Value = Event> {
        prop_oneof![
            Just(Event::Approve),
            Just(Event::Reject),
            Just(Event::Cancel),
            Just(Event::Start),
            Just(Event::Succeed),
            Just(Event::Fail),
            Just(Event::PartlySucceed),
        ]
    }

    proptest! {
        /// Whatever happens, a terminal state stays put, money is held exactly
        /// while the application is alive, and rejected/cancelled ones never ran.
        #[test]
        fn any_sequence_of_events_respects_the_machine(events in proptest::collection::vec(event(), 0..20)) {
            let mut state = S::PendingReview;
            let mut seen = vec![state];
            for e in events {
                match state.after(e) {
                    Ok(next) => {
                        prop_assert!(!state.is_terminal());
                        state = next;
                        seen.push(state);
                    }
                    Err(err) => prop_assert_eq!(err.from, state),
                }
            }
            prop_assert_eq!(state.holds_money(), !state.is_terminal());
            if matches!(state, S::Rejected | S::Cancelled) {
                prop_assert!(!seen.contains(&S::Approved) && !seen.contains(&S::Processing));
            }
        }
    }

    #[test]
    fn order_numbers_are_short_alphanumerics() {
        assert_eq!(OrderNo::parse(" 20140929144353790754 ").unwrap().as_str(), "20140929144353790754");
        assert!(OrderNo::parse(&"A".repeat(32)).is_ok());
        assert!(OrderNo::parse(&"A".repeat(33)).is_err());
        assert!(OrderNo::parse("2014-09-29").is_err());
        assert!(OrderNo::parse("订单1").is_err());
        assert!(OrderNo::parse("  ").is_err());
    }

    #[test]
    fn a_decision_names_its_applications_and_why_it_rejects() {
        let d = check_decision(&[3, 1, 3], "approve", None).unwrap();
        assert_eq!((d.ids, d.approve), (vec![1, 3], true));
        let codes = |r: Result<Decision, Vec<crate::draft::FieldProblem>>| {
            r.unwrap_err().into_iter().map(|p| p.code).collect::<Vec<_>>()
        };
        assert_eq!(codes(check_decision(&[], "approve", None)), ["ids_count"]);
        let many: Vec<i64> = (0..=crate::limits::BULK_REVIEW as i64).collect();
        assert_eq!(codes(check_decision(&many, "approve", None)), ["ids_count"]);
        assert_eq!(codes(check_decision(&[1], "maybe", None)), ["decision_invalid"]);
        assert_eq!(codes(check_decision(&[1], "reject", Some("  "))), ["remark_required"]);
        let long = "字".repeat(crate::limits::REVIEW_REMARK_CHARS + 1);
        assert_eq!(codes(check_decision(&[1], "reject", Some(&long))), ["remark_too_long"]);
        assert_eq!(check_decision(&[1], "reject", Some(" 金额不对 ")).unwrap().remark, "金额不对");
    }

    #[test]
    fn trade_numbers_carry_date_and_kind_and_hide_the_next() {
        let a = TradeNo::compose(NumberKind::Application, 261201, 42);
        assert_eq!(a.as_str(), "261201100000000000042");
        assert_eq!(TradeNo::parse(" 261201100000000000042 "), Some(a));
        assert_eq!(TradeNo::compose(NumberKind::Payout, 261201, u64::MAX).as_str().len(), 21);
        assert!(TradeNo::compose(NumberKind::Recharge, 261201, 7).as_str().starts_with("26120130"));
        assert_eq!(TradeNo::parse("1"), None);
        assert_eq!(TradeNo::parse("26120110000000000004x"), None);
    }
}
