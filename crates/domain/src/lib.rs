//! Paydesk's rules about money, free of IO so they can be tested exhaustively.

pub mod ledger;
pub mod money;

pub use ledger::{AccountId, AccountKind, JournalEntry, Posting};
pub use money::{Money, MoneyError};
