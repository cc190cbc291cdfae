//! Paydesk's rules about money, free of IO so they can be tested exhaustively.

pub mod application;
pub mod apps;
pub mod banks;
pub mod batch;
pub mod branches;
pub mod draft;
pub mod fees;
pub mod gateway;
pub mod identity;
pub mod ledger;
pub mod limits;
pub mod lockout;
pub mod money;
pub mod permissions;
pub mod postings;
pub mod records;
pub mod refunds;
pub mod states;
pub mod trades;
pub mod words;

pub use ledger::{AccountId, AccountKind, JournalEntry, Posting};
pub use money::{Money, MoneyError};
pub use words::amount_in_words;
