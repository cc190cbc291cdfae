//! API handlers, grouped by what they serve. Each is registered together with
//! its OpenAPI docs in [`configure`]; a handler's `///` summary line is the
//! operation's summary.

pub mod account;
pub mod apps;
pub mod batches;
pub mod cards;
pub mod contacts;
pub mod dev;
pub mod email;
pub mod fees;
pub mod gateway;
pub mod gateway_funds;
pub mod kyb;
pub mod onboarding;
pub mod operators;
pub mod ops;
pub mod overview;
pub mod qr;
pub mod recharge;
pub mod recovery;
pub mod refunds;
pub mod reviews;
pub mod security;
pub mod security_key;
pub mod session;
pub mod staff_key;
pub mod statement;
pub mod system;
pub mod trades;
pub mod transfers;
pub mod withdrawals;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig<'_>) {
    system::configure(cfg);
    onboarding::configure(cfg);
    session::configure(cfg);
    recovery::configure(cfg);
    account::configure(cfg);
    apps::configure(cfg);
    ops::configure(cfg);
    staff_key::configure(cfg);
    kyb::configure(cfg);
    transfers::configure(cfg);
    batches::configure(cfg);
    gateway::configure(cfg);
    trades::configure(cfg);
    refunds::configure(cfg);
    gateway_funds::configure(cfg);
    qr::configure(cfg);
    recharge::configure(cfg);
    statement::configure(cfg);
    overview::configure(cfg);
    cards::configure(cfg);
    withdrawals::configure(cfg);
    contacts::configure(cfg);
    fees::configure(cfg);
    reviews::configure(cfg);
    operators::configure(cfg);
    security::configure(cfg);
    email::configure(cfg);
    security_key::configure(cfg);
    dev::configure(cfg);
}
