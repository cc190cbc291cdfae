//! Double-entry rules.
//!
//! Every movement of money is one [`JournalEntry`]: a set of postings, each changing
//! one account's balance by a signed number of fen, that sum to exactly zero. Money
//! is therefore never created or destroyed, only moved. Sign convention: a posting's
//! amount is added to the account's balance. Merchant accounts hold what the platform
//! owes the merchant and may never go below zero (the conditional-debit rule); the
//! platform's bank-clearing accounts mirror money held at banks and run negative as
//! money comes in, so the sum over all accounts is always zero.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::money::Money;

/// Database id of a ledger account.
pub type AccountId = i64;

/// What an account is for. Stored as its snake-case name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountKind {
    /// 可用余额: what a merchant can spend.
    MerchantAvailable,
    /// 冻结金额: held for applications under review and payouts in flight.
    MerchantFrozen,
    /// 待结算: acquired from buyers, not yet settled.
    MerchantPendingSettlement,
    /// Mirror of the platform's money at one bank; debited when money arrives.
    PlatformBankClearing,
    /// Fees the platform has earned.
    PlatformFeeIncome,
    /// Payouts handed to a bank and not yet confirmed.
    PlatformPayoutsInFlight,
}

impl AccountKind {
    pub const ALL: [AccountKind; 6] = [
        AccountKind::MerchantAvailable,
        AccountKind::MerchantFrozen,
        AccountKind::MerchantPendingSettlement,
        AccountKind::PlatformBankClearing,
        AccountKind::PlatformFeeIncome,
        AccountKind::PlatformPayoutsInFlight,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AccountKind::MerchantAvailable => "merchant_available",
            AccountKind::MerchantFrozen => "merchant_frozen",
            AccountKind::MerchantPendingSettlement => "merchant_pending_settlement",
            AccountKind::PlatformBankClearing => "platform_bank_clearing",
            AccountKind::PlatformFeeIncome => "platform_fee_income",
            AccountKind::PlatformPayoutsInFlight => "platform_payouts_in_flight",
        }
    }

    pub fn parse(text: &str) -> Option<AccountKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// Only the mirror of outside money may go below zero.
    pub fn may_go_negative(self) -> bool {
        matches!(self, AccountKind::PlatformBankClearing)
    }

    /// Changes of these accounts are rows of the merchant's account statement (收支明细).
    pub fn has_statement(self) -> bool {
        matches!(self, AccountKind::MerchantAvailable)
    }
}

/// One change of one account's balance, in fen; positive adds to the balance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Posting {
    pub account: AccountId,
    pub amount: i64,
}

impl Posting {
    pub fn credit(account: AccountId, amount: Money) -> Posting {
        Posting { account, amount: amount.fen() }
    }

    pub fn debit(account: AccountId, amount: Money) -> Posting {
        Posting { account, amount: -amount.fen() }
    }
}

/// Why a set of postings is not a journal entry.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EntryError {
    #[error("a journal entry needs at least two postings")]
    TooFewPostings,
    #[error("a posting of zero moves nothing")]
    ZeroPosting,
    #[error("an account appears twice in one entry")]
    DuplicateAccount,
    #[error("postings sum to {0} fen, not zero")]
    Unbalanced(i128),
    #[error("a posting exceeds the largest amount")]
    TooLarge,
}

/// A balanced set of postings; the only thing the store will write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JournalEntry {
    postings: Vec<Posting>,
}

impl JournalEntry {
    pub fn new(postings: Vec<Posting>) -> Result<JournalEntry, EntryError> {
        if postings.len() < 2 {
            return Err(EntryError::TooFewPostings);
        }
        let mut seen = BTreeSet::new();
        let mut sum: i128 = 0;
        for p in &postings {
            if p.amount == 0 {
                return Err(EntryError::ZeroPosting);
            }
            if p.amount.unsigned_abs() > Money::MAX.fen().unsigned_abs() {
                return Err(EntryError::TooLarge);
            }
            if !seen.insert(p.account) {
                return Err(EntryError::DuplicateAccount);
            }
            sum += i128::from(p.amount);
        }
        if sum != 0 {
            return Err(EntryError::Unbalanced(sum));
        }
        Ok(JournalEntry { postings })
    }

    /// Moves `amount` from one account to another.
    pub fn transfer(from: AccountId, to: AccountId, amount: Money) -> Result<JournalEntry, EntryError> {
        JournalEntry::new(vec![Posting::debit(from, amount), Posting::credit(to, amount)])
    }

    /// In account order, so that concurrent writers lock account rows in one
    /// global order and can't deadlock each other.
    pub fn postings_in_apply_order(&self) -> Vec<Posting> {
        let mut ordered = self.postings.clone();
        ordered.sort_by_key(|p| p.account);
        ordered
    }

    pub fn postings(&self) -> &[Posting] {
        &self.postings
    }
}

/// What the store holds about one account, for reconciliation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountFigures {
    pub account: AccountId,
    pub kind: AccountKind,
    pub stored_balance: i64,
    pub sum_of_postings: i64,
    /// Balance after the latest statement row, for accounts that keep a statement.
    pub last_statement_balance: Option<i64>,
}

/// A disagreement found by [`reconcile`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Discrepancy {
    BalanceMismatch { account: AccountId, stored: i64, postings: i64 },
    NegativeBalance { account: AccountId, balance: i64 },
    StatementMismatch { account: AccountId, balance: i64, statement: Option<i64> },
    UnbalancedEntry { entry: i64, sum: i64 },
    EntryWithoutPair { entry: i64, postings: i64 },
    LedgerNotZero { sum: i64 },
}

/// Sum and number of the postings of one journal entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EntryFigures {
    pub entry: i64,
    pub sum: i64,
    pub postings: i64,
}

/// Checks the books: every account's balance equals the sum of its postings, no
/// account that must stay non-negative is negative, statements end at the balance,
/// every entry has two or more postings summing to zero, and the whole ledger sums
/// to zero.
pub fn reconcile(accounts: &[AccountFigures], entries: &[EntryFigures]) -> Vec<Discrepancy> {
    let mut found = Vec::new();
    let mut total: i128 = 0;
    for a in accounts {
        total += i128::from(a.stored_balance);
        if a.stored_balance != a.sum_of_postings {
            found.push(Discrepancy::BalanceMismatch {
                account: a.account,
                stored: a.stored_balance,
                postings: a.sum_of_postings,
            });
        }
        if a.stored_balance < 0 && !a.kind.may_go_negative() {
            found.push(Discrepancy::NegativeBalance { account: a.account, balance: a.stored_balance });
        }
        if a.kind.has_statement() {
            let expected = if a.sum_of_postings == 0 && a.last_statement_balance.is_none() {
                None
            } else {
                Some(a.stored_balance)
            };
            if a.last_statement_balance != expected {
                found.push(Discrepancy::StatementMismatch {
                    account: a.account,
                    balance: a.stored_balance,
                    statement: a.last_statement_balance,
                });
            }
        }
    }
    for e in entries {
        if e.sum != 0 {
            found.push(Discrepancy::UnbalancedEntry { entry: e.entry, sum: e.sum });
        }
        if e.postings < 2 {
            found.push(Discrepancy::EntryWithoutPair { entry: e.entry, postings: e.postings });
        }
    }
    if total != 0 {
        found.push(Discrepancy::LedgerNotZero { sum: i64::try_from(total).unwrap_or(i64::MAX) });
    }
    found
}

/// Why an entry could not be applied to the books.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PostError {
    #[error("account {0} does not exist")]
    UnknownAccount(AccountId),
    #[error("account {0} has too little money")]
    InsufficientBalance(AccountId),
}

/// An in-memory ledger with the same rules as the store: the reference model the
/// property tests compare the databases against.
#[derive(Debug, Clone, Default)]
pub struct ModelLedger {
    accounts: BTreeMap<AccountId, (AccountKind, i64)>,
}

impl ModelLedger {
    pub fn open(&mut self, id: AccountId, kind: AccountKind) {
        self.accounts.insert(id, (kind, 0));
    }

    pub fn balance(&self, id: AccountId) -> Option<i64> {
        self.accounts.get(&id).map(|(_, b)| *b)
    }

    /// All or nothing, like a database transaction.
    pub fn post(&mut self, entry: &JournalEntry) -> Result<(), PostError> {
        let mut next = self.accounts.clone();
        for p in entry.postings_in_apply_order() {
            let (kind, balance) = next.get_mut(&p.account).ok_or(PostError::UnknownAccount(p.account))?;
            let after = *balance + p.amount;
            if after < 0 && !kind.may_go_negative() {
                return Err(PostError::InsufficientBalance(p.account));
            }
            *balance = after;
        }
        self.accounts = next;
        Ok(())
    }

    pub fn total(&self) -> i128 {
        self.accounts.values().map(|(_, b)| i128::from(*b)).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn m(fen: i64) -> Money {
        Money::from_fen(fen).unwrap()
    }

    #[test]
    fn entries_must_balance() {
        assert_eq!(
            JournalEntry::new(vec![Posting { account: 1, amount: -5 }, Posting { account: 2, amount: 4 }]),
            Err(EntryError::Unbalanced(-1))
        );
        assert_eq!(
            JournalEntry::new(vec![Posting { account: 1, amount: 0 }]),
            Err(EntryError::TooFewPostings)
        );
        assert_eq!(
            JournalEntry::new(vec![Posting { account: 1, amount: 0 }, Posting { account: 2, amount: 0 }]),
            Err(EntryError::ZeroPosting)
        );
        assert_eq!(JournalEntry::transfer(1, 1, m(5)), Err(EntryError::DuplicateAccount));
        assert!(JournalEntry::transfer(1, 2, m(5)).is_ok());
        assert!(JournalEntry::new(vec![
            Posting { account: 1, amount: -10 },
            Posting { account: 2, amount: 9 },
            Posting { account: 3, amount: 1 },
        ])
        .is_ok());
    }

    #[test]
    fn postings_apply_in_account_order() {
        let e = JournalEntry::new(vec![
            Posting { account: 9, amount: 3 },
            Posting { account: 5, amount: -2 },
            Posting { account: 1, amount: -1 },
        ])
        .unwrap();
        let order: Vec<_> = e.postings_in_apply_order().iter().map(|p| p.account).collect();
        assert_eq!(order, vec![1, 5, 9]);
    }

    #[test]
    fn model_refuses_overdraft_and_writes_nothing() {
        let mut l = ModelLedger::default();
        l.open(1, AccountKind::PlatformBankClearing);
        l.open(2, AccountKind::MerchantAvailable);
        l.open(3, AccountKind::MerchantAvailable);
        l.post(&JournalEntry::transfer(1, 2, m(100)).unwrap()).unwrap();
        assert_eq!(
            l.post(&JournalEntry::transfer(2, 3, m(101)).unwrap()),
            Err(PostError::InsufficientBalance(2))
        );
        assert_eq!((l.balance(1), l.balance(2), l.balance(3)), (Some(-100), Some(100), Some(0)));
    }

    #[test]
    fn reconcile_finds_each_kind_of_error() {
        let ok = AccountFigures {
            account: 1,
            kind: AccountKind::MerchantAvailable,
            stored_balance: 10,
            sum_of_postings: 10,
            last_statement_balance: Some(10),
        };
        let clearing = AccountFigures {
            account: 2,
            kind: AccountKind::PlatformBankClearing,
            stored_balance: -10,
            sum_of_postings: -10,
            last_statement_balance: None,
        };
        let fine = EntryFigures { entry: 1, sum: 0, postings: 2 };
        assert_eq!(reconcile(&[ok.clone(), clearing.clone()], &[fine]), vec![]);
        let drifted = AccountFigures { stored_balance: 11, ..ok.clone() };
        let lopsided = EntryFigures { entry: 2, sum: 3, postings: 1 };
        let found = reconcile(&[drifted, clearing.clone()], &[fine, lopsided]);
        assert!(found.contains(&Discrepancy::EntryWithoutPair { entry: 2, postings: 1 }));
        assert!(found.contains(&Discrepancy::BalanceMismatch { account: 1, stored: 11, postings: 10 }));
        assert!(found.contains(&Discrepancy::StatementMismatch {
            account: 1,
            balance: 11,
            statement: Some(10)
        }));
        assert!(found.contains(&Discrepancy::UnbalancedEntry { entry: 2, sum: 3 }));
        assert!(found.contains(&Discrepancy::LedgerNotZero { sum: 1 }));
        let negative = AccountFigures {
            stored_balance: -1,
            sum_of_postings: -1,
            last_statement_balance: Some(-1),
            ..ok
        };
        assert!(
            reconcile(&[negative], &[]).contains(&Discrepancy::NegativeBalance { account: 1, balance: -1 })
        );
    }

    #[derive(Debug, Clone)]
    enum Op {
        Move { from: usize, to: usize, fen: i64 },
        Split { from: usize, to_a: usize, to_b: usize, fen: i64 },
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            (0usize..5, 0usize..5, 1i64..50_000).prop_map(|(from, to, fen)| Op::Move { from, to, fen }),
            (0usize..5, 0usize..5, 0usize..5, 2i64..50_000).prop_map(|(from, to_a, to_b, fen)| Op::Split {
                from,
                to_a,
                to_b,
                fen
            }),
        ]
    }

    proptest! {
        /// Whatever sequence of movements is tried, merchant balances never go
        /// negative, refused movements change nothing, and the books sum to zero.
        #[test]
        fn random_postings_keep_the_books(ops in proptest::collection::vec(op(), 1..200)) {
            let ids = [10, 11, 12, 13, 14];
            let mut l = ModelLedger::default();
            l.open(ids[0], AccountKind::PlatformBankClearing);
            for id in &ids[1..] {
                l.open(*id, AccountKind::MerchantAvailable);
            }
            for op in ops {
                let entry = match op {
                    Op::Move { from, to, fen } => JournalEntry::transfer(ids[from], ids[to], m(fen)),
                    Op::Split { from, to_a, to_b, fen } => JournalEntry::new(vec![
                        Posting { account: ids[from], amount: -fen },
                        Posting { account: ids[to_a], amount: fen / 2 },
                        Posting { account: ids[to_b], amount: fen - fen / 2 },
                    ]),
                };
                let Ok(entry) = entry else { continue };
                let before = l.clone();
                match l.post(&entry) {
                    Ok(()) => {}
                    Err(PostError::InsufficientBalance(_)) => {
                        for id in ids {
                            prop_assert_eq!(l.balance(id), before.balance(id));
                        }
                    }
                    Err(e) => prop_assert!(false, "unexpected {e}"),
                }
                prop_assert_eq!(l.total(), 0);
                for id in &ids[1..] {
                    prop_assert!(l.balance(*id).unwrap_or(-1) >= 0);
                }
            }
        }
    }
}
