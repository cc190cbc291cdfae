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
}
