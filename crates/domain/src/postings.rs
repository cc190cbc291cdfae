//! Posting recipes: every way money moves, as a function that builds one balanced
//! [`JournalEntry`] from the accounts involved (docs/architecture.md, "The
//! ledger"). The server looks the account ids up by their codes and posts what
//! these return; nothing else builds entries for applications.

use crate::ledger::{AccountId, AccountKind, EntryError, JournalEntry, Posting};
use crate::Money;

/// The code of a merchant's account of `kind`: `merchant:7:merchant_available`.
pub fn merchant_account(merchant_id: i64, kind: AccountKind) -> String {
    format!("merchant:{merchant_id}:{}", kind.as_str())
}

/// The platform's fee income (服务费收入).
pub const FEE_INCOME: &str = "platform:fee_income";

/// Payouts handed to a bank and not yet confirmed.
pub const PAYOUTS_IN_FLIGHT: &str = "platform:payouts_in_flight";

/// The mirror of the platform's money at one bank.
pub fn bank_clearing(bank: &str) -> String {
    format!("platform:bank_clearing:{bank}")
}

fn with_fee(
    mut postings: Vec<Posting>,
    fee_income: AccountId,
    fee: Money,
) -> Result<JournalEntry, EntryError> {
    if !fee.is_zero() {
        postings.push(Posting::credit(fee_income, fee));
    }
    JournalEntry::new(postings)
}

fn sum(a: Money, b: Money) -> Result<Money, EntryError> {
    a.checked_add(b).ok_or(EntryError::TooLarge)
}

/// Creating an application holds its total (amount + fee): available → frozen.
pub fn hold(available: AccountId, frozen: AccountId, total: Money) -> Result<JournalEntry, EntryError> {
    JournalEntry::transfer(available, frozen, total)
}

/// Rejecting or withdrawing it gives the total back: frozen → available.
pub fn release(frozen: AccountId, available: AccountId, total: Money) -> Result<JournalEntry, EntryError> {
    JournalEntry::transfer(frozen, available, total)
}

/// A transfer pays each payee's available balance (several lines to one payee add
/// up) and the fee to the platform, out of the held money.
pub fn pay_transfer(
    frozen: AccountId,
    payees: &[(AccountId, Money)],
    fee_income: AccountId,
    fee: Money,
) -> Result<JournalEntry, EntryError> {
    let mut credits: std::collections::BTreeMap<AccountId, Money> = std::collections::BTreeMap::new();
    let mut amount = Money::ZERO;
    for (account, m) in payees {
        let entry = credits.entry(*account).or_insert(Money::ZERO);
        *entry = sum(*entry, *m)?;
        amount = sum(amount, *m)?;
    }
    let mut postings = vec![Posting::debit(frozen, sum(amount, fee)?)];
    postings.extend(credits.into_iter().map(|(account, m)| Posting::credit(account, m)));
    with_fee(postings, fee_income, fee)
}

/// Handing a payout to the bank: the held amount goes in flight, the fee to the
/// platform.
pub fn send_payout(
    frozen: AccountId,
    in_flight: AccountId,
    amount: Money,
    fee_income: AccountId,
    fee: Money,
) -> Result<JournalEntry, EntryError> {
    with_fee(
        vec![Posting::debit(frozen, sum(amount, fee)?), Posting::credit(in_flight, amount)],
        fee_income,
        fee,
    )
}

/// The bank paid out: the money has left the platform's bank account.
pub fn settle_payout(
    in_flight: AccountId,
    clearing: AccountId,
    amount: Money,
) -> Result<JournalEntry, EntryError> {
    JournalEntry::transfer(in_flight, clearing, amount)
}

/// A payout failed (from in flight) or came back (退票, from bank clearing): the
/// amount and its fee return to available, as one statement line.
pub fn give_back(
    from: AccountId,
    available: AccountId,
    amount: Money,
    fee_income: AccountId,
    fee: Money,
) -> Result<JournalEntry, EntryError> {
    let mut postings = vec![Posting::debit(from, amount), Posting::credit(available, sum(amount, fee)?)];
    if !fee.is_zero() {
        postings.push(Posting::debit(fee_income, fee));
    }
    JournalEntry::new(postings)
}

/// The bank confirmed a recharge: it arrived at the bank, the merchant can spend it.
pub fn credit_recharge(
    clearing: AccountId,
    available: AccountId,
    amount: Money,
) -> Result<JournalEntry, EntryError> {
    JournalEntry::transfer(clearing, available, amount)
}

/// A buyer paid a gateway trade at the bank: the money waits in the merchant's
/// pending settlement (待结算) until the trade settles.
pub fn credit_trade(
    clearing: AccountId,
    pending: AccountId,
    amount: Money,
) -> Result<JournalEntry, EntryError> {
    JournalEntry::transfer(clearing, pending, amount)
}

/// Settlement (T+1): the trade's amount leaves pending settlement; the
/// acquiring fee goes to the platform and the rest to available. A fee larger
/// than the trade takes all of it ([`crate::trades::net_of_fee`]).
pub fn settle_trade(
    pending: AccountId,
    available: AccountId,
    fee_income: AccountId,
    amount: Money,
    fee: Money,
) -> Result<JournalEntry, EntryError> {
    let fee = fee.min(amount);
    let net = crate::trades::net_of_fee(amount, fee);
    let mut postings = vec![Posting::debit(pending, amount)];
    if !net.is_zero() {
        postings.push(Posting::credit(available, net));
    }
    with_fee(postings, fee_income, fee)
}

/// A refund of a trade not settled yet (issue 13) reserves its amount where the
/// trade's money waits: pending settlement → frozen. Settlement later moves the
/// trade's amount less such refunds, and its fee less their fee shares.
pub fn refund_hold_unsettled(
    pending: AccountId,
    frozen: AccountId,
    amount: Money,
) -> Result<JournalEntry, EntryError> {
    JournalEntry::transfer(pending, frozen, amount)
}

/// A refund of a settled trade reserves its amount out of the merchant's
/// available balance, less the fee share the platform gives back (退还服务费)
/// from its fee income: available + fee income → frozen.
pub fn refund_hold_settled(
    available: AccountId,
    fee_income: AccountId,
    frozen: AccountId,
    amount: Money,
    fee_back: Money,
) -> Result<JournalEntry, EntryError> {
    let fee_back = fee_back.min(amount);
    let merchant_part = amount.checked_sub(fee_back).ok_or(EntryError::TooLarge)?;
    let mut postings = Vec::with_capacity(3);
    if !merchant_part.is_zero() {
        postings.push(Posting::debit(available, merchant_part));
    }
    if !fee_back.is_zero() {
        postings.push(Posting::debit(fee_income, fee_back));
    }
    postings.push(Posting::credit(frozen, amount));
    JournalEntry::new(postings)
}

/// An approved refund leaves for the buyer's bank, the way the money came
/// (原路返回): frozen → the bank's clearing account.
pub fn refund_send(
    frozen: AccountId,
    clearing: AccountId,
    amount: Money,
) -> Result<JournalEntry, EntryError> {
    JournalEntry::transfer(frozen, clearing, amount)
}

/// A refund rejected (out of frozen) or one the bank could not return (out of
/// its clearing account) before the trade settled goes back to pending
/// settlement, and the trade's settlement counts it again.
pub fn refund_back_unsettled(
    from: AccountId,
    pending: AccountId,
    amount: Money,
) -> Result<JournalEntry, EntryError> {
    JournalEntry::transfer(from, pending, amount)
}

/// A refund rejected or failed once the trade has settled comes back as
/// settled money — the amount less its fee share to available, the share to the
/// platform's fee income: the trade's own settlement, for that part.
pub fn refund_back(
    from: AccountId,
    available: AccountId,
    fee_income: AccountId,
    amount: Money,
    fee_back: Money,
) -> Result<JournalEntry, EntryError> {
    settle_trade(from, available, fee_income, amount, fee_back)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::ModelLedger;
    use proptest::prelude::*;

    const AVAILABLE: AccountId = 1;
    const FROZEN: AccountId = 2;
    const FEES: AccountId = 3;
    const IN_FLIGHT: AccountId = 4;
    const CLEARING: AccountId = 5;
    const PAYEE_A: AccountId = 6;
    const PAYEE_B: AccountId = 7;
    const PENDING: AccountId = 8;

    fn ledger() -> ModelLedger {
        let mut l = ModelLedger::default();
        for (id, kind) in [
            (AVAILABLE, AccountKind::MerchantAvailable),
            (FROZEN, AccountKind::MerchantFrozen),
            (FEES, AccountKind::PlatformFeeIncome),
            (IN_FLIGHT, AccountKind::PlatformPayoutsInFlight),
            (CLEARING, AccountKind::PlatformBankClearing),
            (PAYEE_A, AccountKind::MerchantAvailable),
            (PAYEE_B, AccountKind::MerchantAvailable),
            (PENDING, AccountKind::MerchantPendingSettlement),
        ] {
            l.open(id, kind);
        }
        l
    }

    fn m(fen: i64) -> Money {
        Money::from_fen(fen).unwrap()
    }

    #[derive(Debug, Clone)]
    enum Ending {
        Released,
        Transferred,
        PaidOut,
        Failed,
        Returned,
    }

    fn ending() -> impl Strategy<Value = Ending> {
        prop_oneof![
            Just(Ending::Released),
            Just(Ending::Transferred),
            Just(Ending::PaidOut),
            Just(Ending::Failed),
            Just(Ending::Returned),
        ]
    }

    proptest! {
        /// Recharge, then an application held and ended every way there is: the
        /// books always balance, the hold is always cleared, and the merchant ends
        /// with exactly what the ending says.
        #[test]
        fn every_lifecycle_keeps_the_books_and_clears_the_hold(
            recharge in 1i64..10_000_000,
            amount in 1i64..10_000_000,
            fee in 0i64..10_000,
            split in 0i64..100,
            end in ending(),
        ) {
            let mut l = ledger();
            l.post(&credit_recharge(CLEARING, AVAILABLE, m(recharge)).unwrap()).unwrap();
            let total = m(amount + fee);
            let held = l.post(&hold(AVAILABLE, FROZEN, total).unwrap());
            if amount + fee > recharge {
                prop_assert!(held.is_err(), "a hold beyond the balance is refused");
                prop_assert_eq!(l.balance(AVAILABLE), Some(recharge));
                return Ok(());
            }
            held.unwrap();
            let a = amount * split / 100;
            let expected = match end {
                Ending::Released => {
                    l.post(&release(FROZEN, AVAILABLE, total).unwrap()).unwrap();
                    recharge
                }
                Ending::Transferred => {
                    let lines: Vec<(AccountId, Money)> =
                        [(PAYEE_A, a), (PAYEE_B, amount - a), (PAYEE_A, 0)].into_iter().filter(|(_, f)| *f > 0).map(|(id, f)| (id, m(f))).collect();
                    l.post(&pay_transfer(FROZEN, &lines, FEES, m(fee)).unwrap()).unwrap();
                    prop_assert_eq!(l.balance(PAYEE_A).unwrap() + l.balance(PAYEE_B).unwrap(), amount);
                    recharge - amount - fee
                }
                Ending::PaidOut | Ending::Failed | Ending::Returned => {
                    l.post(&send_payout(FROZEN, IN_FLIGHT, m(amount), FEES, m(fee)).unwrap()).unwrap();
                    match end {
                        Ending::Failed => {
                            l.post(&give_back(IN_FLIGHT, AVAILABLE, m(amount), FEES, m(fee)).unwrap()).unwrap();
                            recharge
                        }
                        Ending::Returned => {
                            l.post(&settle_payout(IN_FLIGHT, CLEARING, m(amount)).unwrap()).unwrap();
                            l.post(&give_back(CLEARING, AVAILABLE, m(amount), FEES, m(fee)).unwrap()).unwrap();
                            recharge
                        }
                        _ => {
                            l.post(&settle_payout(IN_FLIGHT, CLEARING, m(amount)).unwrap()).unwrap();
                            prop_assert_eq!(l.balance(FEES), Some(fee));
                            recharge - amount - fee
                        }
                    }
                }
            };
            prop_assert_eq!(l.total(), 0);
            prop_assert_eq!(l.balance(FROZEN), Some(0));
            prop_assert_eq!(l.balance(IN_FLIGHT), Some(0));
            prop_assert_eq!(l.balance(AVAILABLE), Some(expected));
        }
    }

    #[test]
    fn a_fee_of_zero_posts_nothing_to_fee_income() {
        let e = pay_transfer(FROZEN, &[(PAYEE_A, m(100))], FEES, Money::ZERO).unwrap();
        assert_eq!(e.postings().len(), 2);
        let e = give_back(IN_FLIGHT, AVAILABLE, m(100), FEES, m(5)).unwrap();
        assert_eq!(e.postings().len(), 3);
        assert_eq!(merchant_account(7, AccountKind::MerchantFrozen), "merchant:7:merchant_frozen");
        assert_eq!(bank_clearing("ICBC"), "platform:bank_clearing:ICBC");
    }

    proptest! {
        /// A paid trade waits in pending settlement; settling it empties that and
        /// splits the amount between available and the fee, whatever the fee.
        #[test]
        fn a_trade_settles_its_whole_amount(amount in 1i64..100_000_000, fee in 0i64..200_000) {
            let mut l = ledger();
            l.post(&credit_trade(CLEARING, PENDING, m(amount)).unwrap()).unwrap();
            prop_assert_eq!(l.balance(PENDING), Some(amount));
            l.post(&settle_trade(PENDING, AVAILABLE, FEES, m(amount), m(fee)).unwrap()).unwrap();
            prop_assert_eq!(l.balance(PENDING), Some(0));
            prop_assert_eq!(l.balance(FEES), Some(fee.min(amount)));
            prop_assert_eq!(l.balance(AVAILABLE), Some(amount - fee.min(amount)));
            prop_assert_eq!(l.total(), 0);
        }
    }

    #[derive(Debug, Clone, Copy)]
    enum RefundEnd {
        Succeeded,
        BankFailed,
        Rejected,
    }

    fn refund_end() -> impl Strategy<Value = RefundEnd> {
        prop_oneof![Just(RefundEnd::Succeeded), Just(RefundEnd::BankFailed), Just(RefundEnd::Rejected)]
    }

    /// One trade's books while it is refunded, as the server will keep them.
    struct Books {
        l: ModelLedger,
        facts: crate::refunds::TradeFacts,
        fee: i64,
        /// What refunds hold out of pending settlement: amount, fee share.
        from_pending: (i64, i64),
        /// What reached the buyer, and the fee shares that went with it.
        sent: (i64, i64),
    }

    impl Books {
        fn settled(&self) -> bool {
            self.facts.status == crate::trades::TradeStatus::Settled
        }

        /// T+1: the trade's amount and fee less what refunds hold out of pending.
        fn settle(&mut self) {
            if self.settled() {
                return;
            }
            let (left, fee) = crate::refunds::left_to_settle(
                self.facts.amount,
                m(self.fee),
                m(self.from_pending.0),
                m(self.from_pending.1),
            );
            if !left.is_zero() {
                self.l.post(&settle_trade(PENDING, AVAILABLE, FEES, left, fee).unwrap()).unwrap();
            }
            self.facts.status = crate::trades::TradeStatus::Settled;
        }

        /// A refund applied for: its money reserved.
        fn hold(&mut self, d: &crate::refunds::RefundDraft) {
            self.facts.refunds += 1;
            self.facts.refunded = self.facts.refunded.checked_add(d.amount).unwrap();
            if self.settled() {
                self.l
                    .post(&refund_hold_settled(AVAILABLE, FEES, FROZEN, d.amount, d.fee_back).unwrap())
                    .unwrap();
                return;
            }
            self.l.post(&refund_hold_unsettled(PENDING, FROZEN, d.amount).unwrap()).unwrap();
            self.from_pending.0 += d.amount.fen();
            self.from_pending.1 += d.fee_back.fen();
        }

        fn end(&mut self, d: &crate::refunds::RefundDraft, end: RefundEnd) {
            let from = match end {
                RefundEnd::Rejected => FROZEN,
                RefundEnd::BankFailed | RefundEnd::Succeeded => {
                    self.l.post(&refund_send(FROZEN, CLEARING, d.amount).unwrap()).unwrap();
                    CLEARING
                }
            };
            if let RefundEnd::Succeeded = end {
                // Out of pending, settlement leaves it out for good.
                self.sent.0 += d.amount.fen();
                self.sent.1 += d.fee_back.fen();
                return;
            }
            self.facts.refunded = self.facts.refunded.checked_sub(d.amount).unwrap();
            if self.settled() {
                self.l.post(&refund_back(from, AVAILABLE, FEES, d.amount, d.fee_back).unwrap()).unwrap();
            } else {
                self.l.post(&refund_back_unsettled(from, PENDING, d.amount).unwrap()).unwrap();
                self.from_pending.0 -= d.amount.fen();
                self.from_pending.1 -= d.fee_back.fen();
            }
        }
    }

    proptest! {
        /// A paid trade refunded in parts, some before its settlement and some
        /// after, each refund ending at once or only after the settlement —
        /// succeeding, failing at the bank or rejected: the books balance,
        /// pending settlement and frozen end empty, the buyer gets exactly the
        /// successful refunds, and the platform keeps the fee less their shares.
        #[test]
        fn refunds_before_and_after_settlement_keep_the_books(
            amount in 1i64..10_000_000,
            fee_bp in 0i64..3_000,
            settle_at in 0usize..8,
            refunds in proptest::collection::vec(
                (1i64..5_000_000, any::<bool>(), refund_end(), any::<bool>()), 0..8),
        ) {
            use crate::refunds::{check_refund, RefundInput, TradeFacts};
            use crate::trades::TradeStatus;
            let fee = (amount * fee_bp / 10_000).min(amount);
            let mut l = ledger();
            l.post(&credit_trade(CLEARING, PENDING, m(amount)).unwrap()).unwrap();
            let facts = TradeFacts {
                status: TradeStatus::Completed, amount: m(amount), fee: m(fee), refunded: Money::ZERO, refunds: 0,
            };
            let mut b = Books { l, facts, fee, from_pending: (0, 0), sent: (0, 0) };
            let mut late = Vec::new();
            for (i, (cut, full, end, ends_late)) in refunds.into_iter().enumerate() {
                if i == settle_at {
                    b.settle();
                }
                let text = m(cut).to_string();
                let input = RefundInput { full, amount: Some(&text), remark: None, refund_order_no: None };
                let Ok(d) = check_refund(&b.facts, &input) else { continue };
                b.hold(&d);
                if ends_late {
                    late.push((d, end));
                } else {
                    b.end(&d, end);
                }
            }
            b.settle();
            for (d, end) in late {
                b.end(&d, end);
            }
            prop_assert_eq!(b.l.total(), 0);
            prop_assert_eq!((b.l.balance(PENDING), b.l.balance(FROZEN)), (Some(0), Some(0)));
            prop_assert!(b.sent.0 <= amount);
            prop_assert_eq!(b.l.balance(FEES), Some(fee - b.sent.1));
            prop_assert_eq!(b.l.balance(AVAILABLE).unwrap() + b.l.balance(FEES).unwrap() + b.sent.0, amount);
        }
    }
}
