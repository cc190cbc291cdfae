//! Structured logs: one line per request with method, path, status and latency.

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use tracing_subscriber::EnvFilter;

/// Logs go to stderr; `RUST_LOG` filters them (default `info`), and
/// `PAYDESK_LOG_FORMAT=json` switches to one JSON object per line.
pub fn init() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    let result = if std::env::var("PAYDESK_LOG_FORMAT").is_ok_and(|v| v == "json") {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
    // Already initialised (tests start many servers in one process): keep the first.
    drop(result);
}

pub async fn log_request(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    let method = req.method().to_string();
    let path = req.path().to_owned();
    let response = next.call(req).await;
    let latency_ms = started.elapsed().as_secs_f64() * 1000.0;
    match &response {
        Ok(r) => tracing::info!(%method, %path, status = r.status().as_u16(), latency_ms, "request"),
        Err(e) => {
            let status = e.as_response_error().status_code().as_u16();
            tracing::info!(%method, %path, status, latency_ms, "request");
        }
    }
    response
}
