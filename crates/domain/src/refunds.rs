//! Refunds (退款, manual §4.1.2, lines 889–1053): returning a buyer's money for a
//! paid gateway trade, all of it (全额退款) or part (部分退款), by the way it came
//! (原路返回). What a merchant may refund, how much of the acquiring fee comes
//! back with it (退回手续费), and the states a refund goes through.
//!
//! ```text
//! pending ─approve─▶ processing ─bank─▶ succeeded
//!    │                    └──bank fails──▶ failed (the money comes back)
//!    └─reject─▶ rejected
//! ```

use crate::application::{ApplicationKind, OrderNo};
use crate::draft::{Draft, DraftLine, FieldProblem, PayeeKind, Problems};
use crate::limits;
use crate::states::named_enum;
use crate::trades::TradeStatus;
use crate::Money;

named_enum!(
    /// Where a refund stands.
    RefundStatus, "refund status" {
        /// 待审核: waiting for an auditor under the merchant's review policy.
        Pending => "pending",
        /// 退款中: approved, the bank is returning the money.
        Processing => "processing",
        /// 退款成功.
        Succeeded => "succeeded",
        /// 退款失败: the bank could not return it; the merchant has it back.
        Failed => "failed",
        /// 审核拒绝.
        Rejected => "rejected",
    }
);

impl RefundStatus {
    /// The manual's word for it.
    pub fn label_zh(self) -> &'static str {
        match self {
            RefundStatus::Pending => "待审核",
            RefundStatus::Processing => "退款中",
            RefundStatus::Succeeded => "退款成功",
            RefundStatus::Failed => "退款失败",
            RefundStatus::Rejected => "审核拒绝",
        }
    }

    /// Whether the refund's amount counts against what is left to refund: a
    /// refund waiting, under way or done holds its share; a failed or rejected
    /// one gave it back.
    pub fn holds_amount(self) -> bool {
        matches!(self, RefundStatus::Pending | RefundStatus::Processing | RefundStatus::Succeeded)
    }
}

/// Whether a trade in `status` has money a buyer paid: 支付成功, 交易成功 or
/// 结算成功. Unpaid, failed and closed trades have nothing to return.
pub fn trade_is_refundable(status: TradeStatus) -> bool {
    matches!(status, TradeStatus::Paid | TradeStatus::Completed | TradeStatus::Settled)
}

/// A trade as a refund sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TradeFacts {
    pub status: TradeStatus,
    /// What the buyer paid.
    pub amount: Money,
    /// The trade's acquiring fee.
    pub fee: Money,
    /// What its refunds hold already ([`RefundStatus::holds_amount`]).
    pub refunded: Money,
    /// How many refunds it has, whatever their state.
    pub refunds: u32,
}

impl TradeFacts {
    /// What is left to refund.
    pub fn refundable(&self) -> Money {
        self.amount.checked_sub(self.refunded).unwrap_or(Money::ZERO)
    }

    /// 实际金额: what the merchant keeps of the trade — the amount less what
    /// its refunds hold, less the fee on what is left (the refunds' fee
    /// shares come back).
    pub fn kept(&self) -> Money {
        let fee = self.fee.min(self.amount);
        let fee_left =
            fee.checked_sub(fee_back(fee, self.amount, Money::ZERO, self.refunded)).unwrap_or(Money::ZERO);
        self.refundable().checked_sub(fee_left).unwrap_or(Money::ZERO)
    }

    /// Whether a refund may be applied for now: paid, money left, under the
    /// count limit (the 退款 button shows only then).
    pub fn accepts_refund(&self) -> bool {
        trade_is_refundable(self.status)
            && !self.refundable().is_zero()
            && self.refunds < limits::REFUNDS_PER_TRADE
    }
}

/// What a merchant asks for.
#[derive(Debug, Clone, Copy)]
pub struct RefundInput<'a> {
    /// 全额退款 (everything left) when `true`; else `amount`.
    pub full: bool,
    pub amount: Option<&'a str>,
    pub remark: Option<&'a str>,
    /// 退款商户订单号: the merchant's own number for the refund (a batch row or a
    /// gateway request names one; the portal's single refund may leave it out).
    pub refund_order_no: Option<&'a str>,
}

/// A refund that may be applied for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundDraft {
    pub amount: Money,
    /// 退还服务费: the share of the trade's fee this refund returns.
    pub fee_back: Money,
    pub remark: String,
    pub refund_order_no: Option<OrderNo>,
}

impl RefundDraft {
    /// The refund as a line of a refund application: paid to the buyer of the
    /// trade `trade_no`, its fee the share of the acquiring fee that comes back
    /// (so a refund application's total fee is its 退还服务费).
    pub fn line(&self, trade_no: &str, subject: &str) -> DraftLine {
        DraftLine {
            payee_kind: PayeeKind::Buyer,
            payee_account: trade_no.to_owned(),
            payee_name: subject.to_owned(),
            amount: self.amount,
            fee: self.fee_back,
            remark: self.remark.clone(),
            notify_phone: None,
            merchant_order_no: self.refund_order_no.clone(),
            bank: None,
            branch: None,
            speed: None,
        }
    }
}

/// The refund application of checked refunds: one (单笔退款) or a batch (批量退款)
/// with its 商户批次号.
pub fn application(lines: Vec<DraftLine>, batch_no: Option<OrderNo>) -> Draft {
    let kind = if batch_no.is_some() { ApplicationKind::BatchRefund } else { ApplicationKind::Refund };
    let count = lines.len();
    Draft {
        kind,
        remark: String::new(),
        hold_remark: if count == 1 {
            "退款冻结".to_owned()
        } else {
            format!("批量退款冻结 {count} 笔")
        },
        lines,
        batch_no,
    }
}

/// Checks a refund of the trade `t`: the trade was paid, has fewer than
/// [`limits::REFUNDS_PER_TRADE`] refunds and money left to refund; the amount
/// is above zero and at most what is left. Every problem at once.
pub fn check_refund(t: &TradeFacts, input: &RefundInput<'_>) -> Result<RefundDraft, Vec<FieldProblem>> {
    let mut p = Problems::default();
    let left = t.refundable();
    if !trade_is_refundable(t.status) {
        p.push(
            "trade_no",
            "trade_not_refundable",
            format!("a {} ({}) trade has no payment to refund", t.status, t.status.label_zh()),
        );
    } else if left.is_zero() {
        p.push("trade_no", "trade_fully_refunded", "the trade has been refunded in full");
    } else if t.refunds >= limits::REFUNDS_PER_TRADE {
        p.push(
            "trade_no",
            "refund_limit",
            format!("a trade has at most {} refunds", limits::REFUNDS_PER_TRADE),
        );
    }
    let amount = if input.full {
        Some(left)
    } else {
        match p.amount("amount", input.amount.unwrap_or("")) {
            Some(a) if a > left => {
                p.push("amount", "amount_over_refundable", format!("at most {left} is left to refund"));
                None
            }
            other => other,
        }
    };
    let remark = p.remark("remark", input.remark);
    let refund_order_no = p.order_no("refund_order_no", input.refund_order_no);
    match amount {
        Some(amount) if p.0.is_empty() => Ok(RefundDraft {
            amount,
            // A fee above a tiny trade's amount is charged only up to the amount.
            fee_back: fee_back(t.fee.min(t.amount), t.amount, t.refunded, amount),
            remark,
            refund_order_no,
        }),
        _ => Err(p.0),
    }
}

/// What a trade's settlement (T+1) moves: its amount and fee less what its
/// refunds hold out of pending settlement (`held`, with their fee shares
/// `fee_held`) — that money is the refunds', not the merchant's.
pub fn left_to_settle(amount: Money, fee: Money, held: Money, fee_held: Money) -> (Money, Money) {
    let left = amount.checked_sub(held).unwrap_or(Money::ZERO);
    let fee = fee.min(amount).checked_sub(fee_held).unwrap_or(Money::ZERO);
    (left, fee.min(left))
}

/// Whether a refund checked earlier still fits the trade as it is now — the
/// trade still refundable, under the count limit, with `amount` left and the
/// same fee share — so the refund may hold its money. A trade that changed
/// between the check and the hold (another refund came first) refuses it.
pub fn still_fits(t: &TradeFacts, amount: Money, fee_share: Money) -> bool {
    trade_is_refundable(t.status)
        && t.refunds < limits::REFUNDS_PER_TRADE
        && !amount.is_zero()
        && amount <= t.refundable()
        && fee_share == fee_back(t.fee.min(t.amount), t.amount, t.refunded, amount)
}

/// 退还服务费: the fee comes back in proportion to the amount refunded, rounded
/// down, counted on the running total — so the shares of any sequence of
/// refunds that returns the whole amount add up to the whole fee, no fen more
/// or less.
pub fn fee_back(fee: Money, amount: Money, refunded_before: Money, refund: Money) -> Money {
    if amount.is_zero() {
        return Money::ZERO;
    }
    let share = |part: Money| -> i128 {
        let part = i128::from(part.fen().min(amount.fen()));
        i128::from(fee.fen()) * part / i128::from(amount.fen())
    };
    let after = refunded_before.checked_add(refund).unwrap_or(amount);
    let back = share(after) - share(refunded_before);
    Money::from_fen(i64::try_from(back).unwrap_or(0)).unwrap_or(Money::ZERO)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn m(text: &str) -> Money {
        Money::parse(text).unwrap()
    }

    fn paid(amount: &str, fee: &str) -> TradeFacts {
        TradeFacts {
            status: TradeStatus::Settled,
            amount: m(amount),
            fee: m(fee),
            refunded: Money::ZERO,
            refunds: 0,
        }
    }

    fn ask<'a>(full: bool, amount: Option<&'a str>) -> RefundInput<'a> {
        RefundInput { full, amount, remark: None, refund_order_no: None }
    }

    fn codes(r: Result<RefundDraft, Vec<FieldProblem>>) -> Vec<&'static str> {
        r.err().unwrap_or_default().iter().map(|p| p.code).collect()
    }

    #[test]
    fn what_the_merchant_keeps_shrinks_with_each_refund_and_its_fee_share() {
        let mut t = paid("88.00", "0.53");
        assert_eq!(t.kept(), m("87.47"));
        t.refunded = m("30.00");
        assert_eq!(t.kept(), m("57.65"), "58.00 left, less the fee's rest 0.35");
        t.refunded = m("88.00");
        assert_eq!(t.kept(), Money::ZERO);
    }

    #[test]
    fn a_checked_refund_fits_until_the_trade_changes() {
        let mut t = paid("88.00", "0.53");
        let d = check_refund(&t, &ask(false, Some("30.00"))).unwrap();
        assert!(still_fits(&t, d.amount, d.fee_back));
        assert!(!still_fits(&t, d.amount, m("0.19")), "another fee share");
        t.refunded = m("60.00");
        t.refunds = 1;
        assert!(!still_fits(&t, d.amount, d.fee_back), "only 28.00 left, and the share moved");
        t.refunded = Money::ZERO;
        t.refunds = limits::REFUNDS_PER_TRADE;
        assert!(!still_fits(&t, d.amount, d.fee_back), "at the count limit");
        t.refunds = 0;
        t.status = TradeStatus::Closed;
        assert!(!still_fits(&t, d.amount, d.fee_back), "closed");
    }

    #[test]
    fn a_full_refund_takes_what_is_left_with_the_rest_of_the_fee() {
        let mut t = paid("88.00", "0.53");
        let first = check_refund(&t, &ask(false, Some("30.00"))).unwrap();
        assert_eq!((first.amount, first.fee_back), (m("30.00"), m("0.18")));
        t.refunded = first.amount;
        t.refunds = 1;
        let rest = check_refund(&t, &ask(true, None)).unwrap();
        assert_eq!((rest.amount, rest.fee_back), (m("58.00"), m("0.35")));
        assert_eq!(first.fee_back.checked_add(rest.fee_back), Some(m("0.53")));
    }

    #[test]
    fn what_cannot_be_refunded_is_named() {
        let mut t = paid("10.00", "0.06");
        assert_eq!(codes(check_refund(&t, &ask(false, Some("10.01")))), ["amount_over_refundable"]);
        assert_eq!(codes(check_refund(&t, &ask(false, Some("0")))), ["amount_zero"]);
        assert_eq!(codes(check_refund(&t, &ask(false, None))), ["amount_required"]);
        t.status = TradeStatus::Pending;
        assert_eq!(codes(check_refund(&t, &ask(true, None))), ["trade_not_refundable"]);
        t.status = TradeStatus::Completed;
        t.refunded = m("10.00");
        assert_eq!(codes(check_refund(&t, &ask(true, None))), ["trade_fully_refunded"]);
        t.refunded = m("1.00");
        t.refunds = limits::REFUNDS_PER_TRADE;
        assert_eq!(codes(check_refund(&t, &ask(false, Some("1.00")))), ["refund_limit"]);
        let long = "备".repeat(limits::REMARK_CHARS + 1);
        let input =
            RefundInput { full: true, amount: None, remark: Some(&long), refund_order_no: Some("R-1") };
        assert_eq!(codes(check_refund(&paid("1.00", "0"), &input)), ["remark_too_long", "order_no_invalid"]);
    }

    #[test]
    fn only_paid_trades_are_refundable() {
        let yes: Vec<_> =
            TradeStatus::ALL.iter().filter(|s| trade_is_refundable(**s)).map(|s| s.as_str()).collect();
        assert_eq!(yes, ["paid", "completed", "settled"]);
        let holding: Vec<_> =
            RefundStatus::ALL.iter().filter(|s| s.holds_amount()).map(|s| s.label_zh()).collect();
        assert_eq!(holding, ["待审核", "退款中", "退款成功"]);
    }

    proptest! {
        /// However a trade is refunded in parts, the parts never pass its
        /// amount, and when they reach it their fee shares are the whole fee.
        #[test]
        fn partial_refunds_return_exactly_the_fee(
            amount in 1i64..10_000_000,
            fee_bp in 0i64..10_000,
            cuts in proptest::collection::vec(1i64..1_000_000, 1..60),
        ) {
            let fee = amount * fee_bp / 10_000;
            let mut t = TradeFacts {
                status: TradeStatus::Completed,
                amount: Money::from_fen(amount).unwrap(),
                fee: Money::from_fen(fee).unwrap(),
                refunded: Money::ZERO,
                refunds: 0,
            };
            let mut fee_total = 0;
            for cut in cuts {
                let text = Money::from_fen(cut).unwrap().to_string();
                let full = t.refunds + 1 == limits::REFUNDS_PER_TRADE;
                match check_refund(&t, &ask(full, Some(&text))) {
                    Ok(d) => {
                        prop_assert!(d.amount <= t.refundable());
                        prop_assert!(d.fee_back.fen() <= fee);
                        t.refunded = t.refunded.checked_add(d.amount).unwrap();
                        t.refunds += 1;
                        fee_total += d.fee_back.fen();
                    }
                    Err(problems) => prop_assert!(!problems.is_empty()),
                }
                prop_assert!(t.refunded.fen() <= amount);
            }
            if t.refunded.fen() == amount {
                prop_assert_eq!(fee_total, fee);
            } else {
                prop_assert!(fee_total <= fee);
            }
        }
    }
}
