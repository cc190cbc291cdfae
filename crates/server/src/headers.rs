//! Security headers on every response (OWASP secure headers): a
//! Content-Security-Policy the wasm app runs under — scripts only from this
//! origin (the boot script is a file, not inline), WebAssembly compiled from
//! them, no framing — plus nosniff, a strict referrer policy and, in
//! production, HSTS.

use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::middleware::DefaultHeaders;

use crate::Mode;

/// The policy. `'wasm-unsafe-eval'` lets the app compile its own wasm (it does
/// not allow `eval`); styles may be inline (Leptos sets style attributes).
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
    style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; \
    object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Two years, subdomains too (the HSTS preload list's minimum is one).
pub const STRICT_TRANSPORT_SECURITY: &str = "max-age=63072000; includeSubDomains";

pub fn security_headers(mode: Mode) -> DefaultHeaders {
    let headers = DefaultHeaders::new()
        .add((header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CONTENT_SECURITY_POLICY)))
        .add((header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .add((header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .add((header::REFERRER_POLICY, HeaderValue::from_static("no-referrer")))
        .add((
            HeaderName::from_static("permissions-policy"),
            HeaderValue::from_static("camera=(), microphone=(), geolocation=(), payment=()"),
        ))
        .add((
            HeaderName::from_static("cross-origin-opener-policy"),
            HeaderValue::from_static("same-origin"),
        ));
    match mode {
        Mode::Production => headers
            .add((header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static(STRICT_TRANSPORT_SECURITY))),
        Mode::Development => headers,
    }
}
