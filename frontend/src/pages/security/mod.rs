//! 安全中心 (manual §3.7).

pub mod email;
pub mod key;
pub mod log;
pub mod login_password;
pub mod overview;
pub mod payment_password;
pub mod phone;
