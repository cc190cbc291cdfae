//! The background jobs every server process runs: the trade jobs (T+1
//! settlement, auto-confirmation, expiry), notification delivery, sealing the
//! operation log's new lines into its hash chain, and now and then forgetting
//! gateway nonces too old to be replayed. They claim
//! their work in the database, so any number of processes can share it.

use std::time::Duration;

use actix_web::web;

use crate::core::{notify, trades};
use crate::AppState;

/// How often the jobs look for work.
const TICK: Duration = Duration::from_millis(500);

/// Ticks between two sweeps of old gateway nonces (a minute).
const NONCE_SWEEP_TICKS: u32 = 120;

/// Starts the jobs for the life of the server.
pub fn start(state: web::Data<AppState>) {
    actix_web::rt::spawn(async move {
        let client = reqwest::Client::new();
        let mut tick = tokio::time::interval(TICK);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut ticks = 0u32;
        loop {
            tick.tick().await;
            ticks = ticks.wrapping_add(1);
            if ticks.is_multiple_of(NONCE_SWEEP_TICKS) {
                let st = state.clone();
                if let Ok(Err(e)) = web::block(move || crate::core::gateway::forget_nonces(&st)).await {
                    tracing::warn!(error = %e, "forgetting old nonces failed");
                }
            }
            let st = state.clone();
            if let Ok(Err(e)) = web::block(move || crate::oplog::seal_waiting(&st.store)).await {
                tracing::warn!(error = %e, "sealing the operation log failed");
            }
            let st = state.clone();
            match web::block(move || trades::run_jobs(&st, st.clock.now())).await {
                Ok(Err(e)) => tracing::warn!(error = %e, "the trade jobs failed"),
                Err(e) => tracing::warn!(error = %e, "the trade jobs failed"),
                Ok(Ok(_)) => {}
            }
            notify::deliver_due(&state, &client, state.clock.now()).await;
        }
    });
}
