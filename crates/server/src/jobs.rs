//! The background jobs every server process runs: the trade jobs (T+1
//! settlement, auto-confirmation, expiry) and notification delivery. They claim
//! their work in the database, so any number of processes can share it.

use std::time::Duration;

use actix_web::web;

use crate::core::{notify, trades};
use crate::AppState;

/// How often the jobs look for work.
const TICK: Duration = Duration::from_millis(500);

/// Starts the jobs for the life of the server.
pub fn start(state: web::Data<AppState>) {
    actix_web::rt::spawn(async move {
        let client = reqwest::Client::new();
        let mut tick = tokio::time::interval(TICK);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
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
