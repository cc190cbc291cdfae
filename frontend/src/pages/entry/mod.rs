//! Signing in and opening an account (manual §2.1, §3.1).

pub mod login;
pub mod recover;
pub mod register;
