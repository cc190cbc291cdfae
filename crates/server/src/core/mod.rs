//! The flows between the routes and the store (docs/architecture.md): one submit
//! pipeline for every fund operation, one review pipeline, execution of
//! applications and the bank's answers. Route handlers call these and map the
//! result; they hold no business steps of their own.

pub mod account;
pub mod apps;
pub mod attempts;
pub mod batches;
pub mod captcha;
pub mod email;
pub mod execute;
pub mod factors;
pub mod files;
pub mod funds;
pub mod gateway;
pub mod idempotency;
pub mod kyb;
pub mod notify;
pub mod numbers;
pub mod onboarding;
pub mod operators;
pub mod payees;
pub mod qr;
pub mod records;
pub mod recovery;
pub mod refunds;
pub mod review;
pub mod security;
pub mod session;
pub mod staff_key;
pub mod submit;
pub mod trades;
