//! 交易管理 (manual §3.6).

pub mod batch_refund;
pub mod detail;
pub mod records;
pub mod refund;
pub mod statement;
