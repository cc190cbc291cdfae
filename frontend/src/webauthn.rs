//! The browser's WebAuthn calls for 快捷盾: the server's options (WebAuthn JSON)
//! go through `PublicKeyCredential.parse…OptionsFromJSON`, the key answers, and
//! the credential comes back as `toJSON()` for the server to verify.

use js_sys::Promise;
use leptos::prelude::GetUntracked;
use paydesk_api_types::{KeyAssertion, KeyChallenge, KeyChallengeRequest};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

use crate::api::ApiError;
use crate::endpoints as ep;

// The two calls as a JavaScript module that wasm-bindgen ships beside the app
// (pkg/snippets/): a file, so the Content-Security-Policy needs no eval.
// `clean` drops `null` members (WebIDL refuses them where a dictionary or list
// is expected).
#[wasm_bindgen(inline_js = r#"
const clean = (v) => Array.isArray(v) ? v.map(clean)
  : (v && typeof v === 'object')
    ? Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null && x !== undefined).map(([k, x]) => [k, clean(x)]))
    : v;
export async function webauthn_create(json) {
  const o = clean(JSON.parse(json));
  const c = await navigator.credentials.create({ publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(o.publicKey) });
  return JSON.stringify(c.toJSON());
}
export async function webauthn_get(json) {
  const o = clean(JSON.parse(json));
  const c = await navigator.credentials.get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(o.publicKey) });
  return JSON.stringify(c.toJSON());
}
"#)]
extern "C" {
    #[wasm_bindgen(catch)]
    fn webauthn_create(json: &str) -> Result<Promise, JsValue>;
    #[wasm_bindgen(catch)]
    fn webauthn_get(json: &str) -> Result<Promise, JsValue>;
}

async fn call(
    f: fn(&str) -> Result<Promise, JsValue>,
    options: &serde_json::Value,
) -> Result<serde_json::Value, String> {
    let json = serde_json::to_string(options).map_err(|e| e.to_string())?;
    let promise = f(&json).map_err(|e| format!("{e:?}"))?;
    let out = JsFuture::from(promise).await.map_err(|e| {
        js_sys::Reflect::get(&e, &JsValue::from_str("message"))
            .ok()
            .and_then(|m| m.as_string())
            .unwrap_or_else(|| "the security key did not answer".into())
    })?;
    let text = out.as_string().ok_or("no answer")?;
    serde_json::from_str(&text).map_err(|e| e.to_string())
}

/// `navigator.credentials.create` with the server's creation options.
pub async fn create(options: &serde_json::Value) -> Result<serde_json::Value, String> {
    call(webauthn_create, options).await
}

/// `navigator.credentials.get` with the server's request options.
pub async fn get(options: &serde_json::Value) -> Result<serde_json::Value, String> {
    call(webauthn_get, options).await
}

/// Asks the server for a key check bound to `what`, has the key answer it, and
/// returns the assertion to send along; `None` when the operator has no key.
pub async fn assertion(bound: bool, what: &KeyChallengeRequest) -> Result<Option<KeyAssertion>, ApiError> {
    if !bound {
        return Ok(None);
    }
    let c: KeyChallenge = ep::security_key_challenge(what).await?;
    let credential = get(&c.options).await.map_err(|m| ApiError::invalid_field("security_key", &m))?;
    Ok(Some(KeyAssertion { challenge_id: c.challenge_id, credential }))
}

fn bound(session: crate::session::Session) -> bool {
    session.me.get_untracked().is_some_and(|m| m.security_key_bound)
}

/// The key check for submitting an operation of `kind` that completes at once.
pub async fn for_submit(
    session: crate::session::Session,
    kind: &str,
) -> Result<Option<KeyAssertion>, ApiError> {
    let at_once = session.me.get_untracked().is_some_and(|m| m.completes_at_once.iter().any(|k| k == kind));
    let what = KeyChallengeRequest {
        purpose: "submit".into(),
        application_ids: Vec::new(),
        decision: None,
        kind: Some(kind.into()),
    };
    assertion(bound(session) && at_once, &what).await
}

/// The key check for approving exactly `ids`.
pub async fn for_approval(
    session: crate::session::Session,
    ids: &[i64],
) -> Result<Option<KeyAssertion>, ApiError> {
    let what = KeyChallengeRequest {
        purpose: "review".into(),
        application_ids: ids.to_vec(),
        decision: Some("approve".into()),
        kind: None,
    };
    assertion(bound(session), &what).await
}
