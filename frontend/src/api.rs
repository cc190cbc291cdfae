//! The one API client. Every non-2xx answer becomes the server's [`Problem`];
//! failures to reach the server become a problem with code `network_error`.
//!
//! Access tokens live only in memory (never in storage a script could read
//! later). The refresh token is an HttpOnly cookie the browser sends to the
//! refresh endpoint; on a 401 the client refreshes once and retries.

use std::cell::RefCell;

use futures_util::future::{FutureExt, LocalBoxFuture};

pub use gloo_net::http::Response;
use gloo_net::http::{Method, RequestBuilder};
use paydesk_api_types::{AccessToken, FieldError, Problem};
use serde::de::DeserializeOwned;
use serde::Serialize;
use web_sys::FormData;

/// Whose session a call uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Realm {
    /// No session: registration, sign-in, health.
    Public,
    /// A merchant's operator.
    Operator,
    /// Platform staff in the /ops console.
    Staff,
}

impl Realm {
    fn refresh_path(self) -> Option<&'static str> {
        match self {
            Realm::Public => None,
            Realm::Operator => Some("/api/v1/session/refresh"),
            Realm::Staff => Some("/api/v1/ops/session/refresh"),
        }
    }
}

thread_local! {
    static OPERATOR_TOKEN: RefCell<Option<String>> = const { RefCell::new(None) };
    static STAFF_TOKEN: RefCell<Option<String>> = const { RefCell::new(None) };
}

fn token(realm: Realm) -> Option<String> {
    match realm {
        Realm::Public => None,
        Realm::Operator => OPERATOR_TOKEN.with(|t| t.borrow().clone()),
        Realm::Staff => STAFF_TOKEN.with(|t| t.borrow().clone()),
    }
}

pub fn set_token(realm: Realm, value: Option<String>) {
    match realm {
        Realm::Public => {}
        Realm::Operator => OPERATOR_TOKEN.with(|t| *t.borrow_mut() = value),
        Realm::Staff => STAFF_TOKEN.with(|t| *t.borrow_mut() = value),
    }
}

/// What a failed call tells the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError(pub Problem);

impl ApiError {
    fn local(code: &str, title: String) -> ApiError {
        ApiError(Problem {
            type_uri: format!("/problems/{code}"),
            title,
            status: 0,
            code: code.to_owned(),
            detail: None,
            errors: Vec::new(),
        })
    }

    /// A field error found in the browser before anything was sent.
    pub fn invalid_field(field: &str, message: &str) -> ApiError {
        let mut e = ApiError::local("validation_failed", message.to_owned());
        e.0.errors.push(FieldError { field: field.into(), code: "invalid".into(), message: message.into() });
        e
    }

    pub fn code(&self) -> &str {
        &self.0.code
    }

    /// The problem for one field, if the server named it.
    pub fn field(&self, name: &str) -> Option<&FieldError> {
        self.0.errors.iter().find(|e| e.field == name)
    }

    /// The sign-in has lapsed and the page should go to the sign-in form.
    pub fn is_signed_out(&self) -> bool {
        matches!(self.code(), "unauthenticated" | "session_expired")
    }

    /// One line for people: title, detail, and field messages not shown elsewhere.
    pub fn message(&self) -> String {
        let mut text = self.0.title.clone();
        if let Some(d) = &self.0.detail {
            text.push_str(" — ");
            text.push_str(d);
        }
        text
    }
}

/// A request body.
pub enum Body<'a> {
    None,
    Json(&'a serde_json::Value),
    Form(&'a FormData),
}

thread_local! {
    static IDEMPOTENCY_KEY: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// A fresh key for one money-moving form submission; retries of that submission
/// reuse it, so the server never acts twice.
pub fn new_idempotency_key() -> String {
    let now = js_sys::Date::now() as u64;
    let a = (js_sys::Math::random() * 1e15) as u64;
    let b = (js_sys::Math::random() * 1e15) as u64;
    format!("web-{now:x}-{a:x}{b:x}")
}

/// Waits `ms` milliseconds.
pub async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Whether the server has decided a request: it answered, and not with a 5xx or
/// a 409 (`idempotency_key_in_progress`). After anything else — no answer at all
/// included — it may have acted, or may still be acting, so a retry must carry
/// the same Idempotency-Key.
pub fn is_definite(e: &ApiError) -> bool {
    (400..500).contains(&e.0.status) && e.0.status != 409
}

/// Sends of one money-moving request before the page gives up and shows the error
/// (the form keeps the key, so the next click is still the same request).
const MONEY_TRIES: u32 = paydesk_domain::limits::MONEY_REQUEST_TRIES;

/// POSTs a money-moving request under `key`, sending it again with the same key
/// after no answer, a 5xx or a 409 (backing off), so the server acts at most
/// once however the network behaves. The caller makes a new key only after a
/// definite answer ([`is_definite`], or success).
pub async fn post_idempotent<B: Serialize, T: DeserializeOwned>(
    realm: Realm,
    path: &str,
    body: &B,
    key: &str,
) -> Result<T, ApiError> {
    let mut wait = 500;
    let mut tries = 1;
    loop {
        with_idempotency_key(key);
        let answer = post(realm, path, body).await;
        match &answer {
            Err(e) if !is_definite(e) && tries < MONEY_TRIES => {
                sleep(wait).await;
                wait *= 2;
                tries += 1;
            }
            _ => return answer,
        }
    }
}

/// Sends `Idempotency-Key: key` with the next request only.
fn with_idempotency_key(key: &str) {
    IDEMPOTENCY_KEY.with(|k| *k.borrow_mut() = Some(key.to_owned()));
}

async fn send_once(realm: Realm, method: Method, path: &str, body: &Body<'_>) -> Result<Response, ApiError> {
    let mut builder = RequestBuilder::new(path).method(method).header("Accept", "application/json");
    if let Some(key) = IDEMPOTENCY_KEY.with(|k| k.borrow().clone()) {
        builder = builder.header("Idempotency-Key", &key);
    }
    if let Some(t) = token(realm) {
        builder = builder.header("Authorization", &format!("Bearer {t}"));
    }
    let request = match body {
        Body::None => builder.build(),
        Body::Json(value) => builder.json(value),
        Body::Form(form) => builder.body((*form).clone()),
    };
    let request = request.map_err(|e| ApiError::local("bad_request", e.to_string()))?;
    request.send().await.map_err(|e| ApiError::local("network_error", e.to_string()))
}

async fn problem(response: Response) -> ApiError {
    let status = response.status();
    match response.json::<Problem>().await {
        Ok(problem) => ApiError(problem),
        Err(_) => ApiError::local("http_error", format!("HTTP {status}")),
    }
}

type RefreshFuture = futures_util::future::Shared<LocalBoxFuture<'static, Result<(), ApiError>>>;

thread_local! {
    /// The refresh in flight, per realm: calls that find their token expired at
    /// the same moment wait for one exchange. The server ends a session whose
    /// spent refresh token is shown again, so two exchanges of one cookie would
    /// sign the merchant out.
    static REFRESHING: RefCell<Vec<(Realm, RefreshFuture)>> = const { RefCell::new(Vec::new()) };
}

/// Trades the realm's refresh cookie for a new access token (once, however many
/// callers ask at the same time).
pub async fn refresh(realm: Realm) -> Result<(), ApiError> {
    let pending = REFRESHING.with(|r| r.borrow().iter().find(|(k, _)| *k == realm).map(|(_, f)| f.clone()));
    let shared = match pending {
        Some(f) => f,
        None => {
            let f = exchange_refresh(realm).boxed_local().shared();
            REFRESHING.with(|r| r.borrow_mut().push((realm, f.clone())));
            f
        }
    };
    let result = shared.clone().await;
    REFRESHING.with(|r| r.borrow_mut().retain(|(_, f)| !f.ptr_eq(&shared)));
    result
}

async fn exchange_refresh(realm: Realm) -> Result<(), ApiError> {
    let Some(path) = realm.refresh_path() else { return Ok(()) };
    let response = send_once(Realm::Public, Method::POST, path, &Body::None).await?;
    if !response.ok() {
        set_token(realm, None);
        return Err(problem(response).await);
    }
    let token: AccessToken =
        response.json().await.map_err(|e| ApiError::local("bad_response", e.to_string()))?;
    set_token(realm, Some(token.access_token));
    Ok(())
}

/// Sends a request; on a 401 under a session, refreshes once and retries.
pub async fn send(realm: Realm, method: Method, path: &str, body: Body<'_>) -> Result<Response, ApiError> {
    let result = send_inner(realm, method, path, body).await;
    IDEMPOTENCY_KEY.with(|k| *k.borrow_mut() = None);
    result
}

async fn send_inner(realm: Realm, method: Method, path: &str, body: Body<'_>) -> Result<Response, ApiError> {
    let response = send_once(realm, method.clone(), path, &body).await?;
    if response.status() == 401 && realm != Realm::Public {
        refresh(realm).await?;
        let retried = send_once(realm, method, path, &body).await?;
        return if retried.ok() { Ok(retried) } else { Err(problem(retried).await) };
    }
    if response.ok() {
        Ok(response)
    } else {
        Err(problem(response).await)
    }
}

pub async fn decode<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    response.json::<T>().await.map_err(|e| ApiError::local("bad_response", e.to_string()))
}

pub async fn get<T: DeserializeOwned>(realm: Realm, path: &str) -> Result<T, ApiError> {
    decode(send(realm, Method::GET, path, Body::None).await?).await
}

fn to_value<B: Serialize>(body: &B) -> Result<serde_json::Value, ApiError> {
    serde_json::to_value(body).map_err(|e| ApiError::local("bad_request", e.to_string()))
}

pub async fn post<B: Serialize, T: DeserializeOwned>(
    realm: Realm,
    path: &str,
    body: &B,
) -> Result<T, ApiError> {
    let value = to_value(body)?;
    decode(send(realm, Method::POST, path, Body::Json(&value)).await?).await
}

pub async fn put<B: Serialize, T: DeserializeOwned>(
    realm: Realm,
    path: &str,
    body: &B,
) -> Result<T, ApiError> {
    let value = to_value(body)?;
    decode(send(realm, Method::PUT, path, Body::Json(&value)).await?).await
}

/// POST a JSON body; the answer itself, for operations with more than one
/// success status.
pub async fn post_answer<B: Serialize>(realm: Realm, path: &str, body: &B) -> Result<Response, ApiError> {
    let value = to_value(body)?;
    send(realm, Method::POST, path, Body::Json(&value)).await
}

/// POST a JSON body to an operation that answers 204 No Content.
pub async fn post_no_content<B: Serialize>(realm: Realm, path: &str, body: &B) -> Result<(), ApiError> {
    let value = to_value(body)?;
    send(realm, Method::POST, path, Body::Json(&value)).await.map(|_| ())
}

/// PUT a JSON body to an operation that answers 204 No Content.
pub async fn put_no_content<B: Serialize>(realm: Realm, path: &str, body: &B) -> Result<(), ApiError> {
    let value = to_value(body)?;
    send(realm, Method::PUT, path, Body::Json(&value)).await.map(|_| ())
}

pub async fn post_empty(realm: Realm, path: &str) -> Result<(), ApiError> {
    send(realm, Method::POST, path, Body::Json(&serde_json::json!({}))).await.map(|_| ())
}

pub async fn delete(realm: Realm, path: &str) -> Result<(), ApiError> {
    send(realm, Method::DELETE, path, Body::None).await.map(|_| ())
}

pub async fn upload<T: DeserializeOwned>(realm: Realm, path: &str, form: &FormData) -> Result<T, ApiError> {
    decode(send(realm, Method::POST, path, Body::Form(form)).await?).await
}

/// Fetches a protected file and returns an object URL an `<img>` can show or a
/// link can save; the blob keeps the answer's content type (an SVG shows only
/// as `image/svg+xml`).
pub async fn object_url(realm: Realm, path: &str) -> Result<String, ApiError> {
    let response = send(realm, Method::GET, path, Body::None).await?;
    let content_type = response.headers().get("content-type").unwrap_or_default();
    let bytes = response.binary().await.map_err(|e| ApiError::local("bad_response", e.to_string()))?;
    let array = js_sys::Uint8Array::from(bytes.as_slice());
    let parts = js_sys::Array::of1(&array);
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(&content_type);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options)
        .map_err(|_| ApiError::local("bad_response", "blob".into()))?;
    web_sys::Url::create_object_url_with_blob(&blob)
        .map_err(|_| ApiError::local("bad_response", "object url".into()))
}

/// Reads a server-sent event stream (`text/event-stream`) with the session's
/// token — which `EventSource` can't send — calling `on_event(name, data)` for
/// each event until the stream ends or `keep_going` says stop.
pub async fn event_stream(
    realm: Realm,
    path: &str,
    mut on_event: impl FnMut(&str, &str),
    keep_going: impl Fn() -> bool,
) -> Result<(), ApiError> {
    use wasm_bindgen::JsCast;
    let response = send(realm, Method::GET, path, Body::None).await?;
    let body = response.body().ok_or_else(|| ApiError::local("bad_response", "no body".into()))?;
    let reader: web_sys::ReadableStreamDefaultReader =
        body.get_reader().dyn_into().map_err(|_| ApiError::local("bad_response", "reader".into()))?;
    let mut text = String::new();
    while keep_going() {
        let chunk = wasm_bindgen_futures::JsFuture::from(reader.read())
            .await
            .map_err(|_| ApiError::local("network_error", "the stream broke".into()))?;
        let chunk: web_sys::ReadableStreamReadResult = chunk.unchecked_into();
        if chunk.get_done().unwrap_or(true) {
            break;
        }
        let bytes = js_sys::Uint8Array::new(&chunk.get_value()).to_vec();
        text.push_str(&String::from_utf8_lossy(&bytes));
        while let Some(end) = text.find("\n\n") {
            let block: String = text.drain(..end + 2).collect();
            let (mut name, mut data) = ("message", String::new());
            for line in block.lines() {
                if let Some(n) = line.strip_prefix("event: ") {
                    name = n;
                } else if let Some(d) = line.strip_prefix("data: ") {
                    data.push_str(d);
                }
            }
            if !data.is_empty() {
                on_event(name, &data);
            }
        }
    }
    let _ = reader.cancel();
    Ok(())
}

/// `GET /api/v1/health`.
pub async fn health() -> Result<paydesk_api_types::Health, ApiError> {
    get(Realm::Public, "/api/v1/health").await
}
