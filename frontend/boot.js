// Starts the web app. A file rather than an inline script, so the
// Content-Security-Policy can forbid inline scripts.
import init from "/pkg/paydesk.js?v=__VERSION__";
init({ module_or_path: "/pkg/paydesk_bg.wasm?v=__VERSION__" });
