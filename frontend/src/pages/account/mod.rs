//! 我的账户 (manual §3.3).

pub mod contacts;
pub mod home;
pub mod kyb;
pub mod operators;
pub mod settings;
