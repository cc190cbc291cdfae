//! The Paydesk merchant web app: Leptos, rendered in the browser, talking to the
//! server only through [`api`] and the shared `paydesk-api-types`.

pub mod api;
pub mod app;
pub mod components;
pub mod endpoints;
pub mod i18n;
pub mod nav;
pub mod pages;
pub mod session;
pub mod webauthn;

use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
