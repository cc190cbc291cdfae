//! 交易管理 (manual §3.6).

pub mod statement;
