//! The app's pages, by channel (manual §3.2): a folder per channel, a file per page.

pub mod account;
pub mod apps;
pub mod entry;
pub mod funds;
pub mod ops;
pub mod review;
pub mod security;
pub mod trade;
