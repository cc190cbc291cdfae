#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The server's integration tests, in one binary (as crates.io lays them out):
//! each module starts the real app on port 0 with a fresh database, on SQLite
//! and on PostgreSQL. One binary links the server once instead of once per file.

#[macro_use]
mod common;

mod apps;
mod attempts;
mod auth_walk;
mod batches;
mod cards;
mod contacts;
mod crash;
mod demo;
mod gateway;
mod gateway_funds;
mod gating;
mod http;
mod kyb;
mod messaging;
mod onboarding;
mod openapi_drift;
mod operators;
mod recharge;
mod refunds;
mod reviews;
mod security_centre;
mod security_key;
mod serve_flags;
mod trades;
mod transfers;
mod withdrawals;
