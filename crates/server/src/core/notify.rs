//! Notifications to integrators (实时反馈, issue 12): an outbox row written in
//! the transaction that changed the trade, delivered by [`deliver_due`] — run by
//! every server process's job loop; a claimed row is leased, so each delivery is
//! attempted once at a time however many processes share the database. Each
//! notification is a POST signed by the platform like a request (method, the
//! receiver's path and query, timestamp, nonce, raw body), carrying a stable
//! event id; any 2xx acknowledges it; failures are retried on the schedule of
//! `domain::gateway::RETRY_AFTER_SECS` (about 24 hours), each attempt logged.

use std::net::IpAddr;
use std::time::{Duration as StdDuration, Instant};

use actix_web::web;
use chrono::{Duration, NaiveDateTime};
use paydesk_api_types::{DeliveryView, ErrorCode, EventPage, EventView, NotifyAddress, NotifyAddressChange};
use paydesk_domain::gateway::{self, EventKind, EVENT_ID_HEADER, RESPONSE_HEADER};
use paydesk_domain::trades;
use paydesk_store::identity;
use paydesk_store::trades::{self as store, Attempt, Event, NewEvent};
use paydesk_store::DbConn;

use crate::auth::{random_token, OperatorAuth};
use crate::core::factors::check_payment_password;
use crate::error::ApiError;
use crate::views::time_text;
use crate::AppState;

/// How long a claimed notification is kept from other workers: longer than an
/// attempt's timeout, so a live worker always finishes first.
const LEASE_SECS: i64 = 60;
/// How long a receiver has to answer.
const TIMEOUT: StdDuration = StdDuration::from_secs(10);
/// How much of a receiver's answer the delivery log keeps.
const EXCERPT_CHARS: usize = 200;

/// Queues a notification inside the caller's transaction, addressed to `url`
/// (a trade's own notify_url) or the merchant's 实时反馈地址. Returns the event id.
pub fn queue(
    c: &mut DbConn,
    merchant_id: i64,
    kind: EventKind,
    trade_no: Option<&str>,
    url: Option<&str>,
    data: serde_json::Value,
    at: NaiveDateTime,
) -> Result<String, ApiError> {
    let address = match url {
        Some(u) => Some(u.to_owned()),
        None => store::notify_address(c, merchant_id)?,
    };
    let event_id = format!("evt_{}", &random_token()[..24]);
    let payload = serde_json::json!({
        "event_id": event_id,
        "type": kind.as_str(),
        "created_at": time_text(at),
        "data": data,
    })
    .to_string();
    store::queue_event(
        c,
        &NewEvent {
            event_id: &event_id,
            merchant_id,
            kind,
            trade_no,
            url: address.as_deref(),
            payload: &payload,
            at,
        },
    )?;
    Ok(event_id)
}

/// The platform's signature of a message whose first line is `first_line`
/// (a status for responses, `POST` for notifications), as the
/// `Paydesk-Signature` header's value.
pub fn platform_signature(st: &AppState, first_line: &str, path_and_query: &str, body: &[u8]) -> String {
    let timestamp = st.clock.now().and_utc().timestamp();
    let nonce = random_token()[..24].to_owned();
    let signature =
        st.platform_key.sign(&gateway::canonical(first_line, path_and_query, timestamp, &nonce, body));
    format!("timestamp={timestamp},nonce={nonce},signature={signature}")
}

/// Whether an address may not be called in production: loopback, private,
/// link-local, unspecified or otherwise not on the public internet.
pub fn is_private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_documentation()
                || v4.octets()[0] == 100 && (64..128).contains(&v4.octets()[1])
        }
        IpAddr::V6(v6) => {
            v6.is_loopback()
                || v6.is_unspecified()
                || (v6.segments()[0] & 0xfe00) == 0xfc00
                || (v6.segments()[0] & 0xffc0) == 0xfe80
                || v6.to_ipv4_mapped().is_some_and(|v4| is_private(IpAddr::V4(v4)))
        }
    }
}

/// In production a notify URL must be https and resolve only to public
/// addresses; checked when it is set and again before each delivery.
pub async fn check_reachable(st: &AppState, url: &str) -> Result<(), String> {
    if st.settings.mode.is_development() {
        return Ok(());
    }
    let parsed = reqwest::Url::parse(url).map_err(|_| "not a usable address".to_owned())?;
    if parsed.scheme() != "https" {
        return Err("use an https:// address".into());
    }
    let host = parsed.host_str().ok_or("the address has no host")?.to_owned();
    let port = parsed.port_or_known_default().unwrap_or(443);
    let addrs = tokio::net::lookup_host((host.as_str(), port)).await.map_err(|e| format!("{host}: {e}"))?;
    let mut any = false;
    for a in addrs {
        any = true;
        if is_private(a.ip()) {
            return Err(format!("{host} resolves to a private or loopback address"));
        }
    }
    if any {
        Ok(())
    } else {
        Err(format!("{host} doesn't resolve"))
    }
}

fn cut(text: &str) -> String {
    text.chars().take(EXCERPT_CHARS).collect()
}

/// One delivery attempt of a claimed event: (HTTP status, excerpt).
async fn attempt(st: &AppState, client: &reqwest::Client, e: &Event) -> (Option<i32>, String) {
    let Some(url) = e.url.as_deref() else { return (None, "no notify address".into()) };
    if let Err(why) = check_reachable(st, url).await {
        return (None, cut(&format!("refused: {why}")));
    }
    let path = reqwest::Url::parse(url).map_or_else(
        |_| "/".to_owned(),
        |u| match u.query() {
            Some(q) => format!("{}?{q}", u.path()),
            None => u.path().to_owned(),
        },
    );
    let signature = platform_signature(st, "POST", &path, e.payload.as_bytes());
    let sent = client
        .post(url)
        .header(RESPONSE_HEADER, signature)
        .header(EVENT_ID_HEADER, &e.event_id)
        .header("content-type", "application/json")
        .body(e.payload.clone())
        .timeout(TIMEOUT)
        .send()
        .await;
    match sent {
        Ok(r) => {
            let status = i32::from(r.status().as_u16());
            let text = r.text().await.unwrap_or_default();
            (Some(status), cut(&text))
        }
        Err(err) => (None, cut(&err.to_string())),
    }
}

/// Delivers the notifications due at `at` (the clock's time; the sandbox clock
/// may run ahead) once each, scheduling retries from `at`. Returns how many
/// were acknowledged.
pub async fn deliver_due(st: &web::Data<AppState>, client: &reqwest::Client, at: NaiveDateTime) -> usize {
    let s = st.clone();
    let claimed = web::block(move || {
        if !s.store.read(|c| store::any_due(c, at))? {
            return Ok(Vec::new());
        }
        s.store.write(|c| store::claim_due(c, at, at + Duration::seconds(LEASE_SECS), 20))
    })
    .await;
    let events = match claimed {
        Ok(Ok(events)) => events,
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "claiming notifications failed");
            return 0;
        }
        Err(_) => return 0,
    };
    let mut acknowledged = 0;
    for e in events {
        let started_at = at;
        let clock = Instant::now();
        let (status, excerpt) = attempt(st, client, &e).await;
        let latency_ms = i64::try_from(clock.elapsed().as_millis()).unwrap_or(i64::MAX);
        let ok = status.is_some_and(|s| (200..300).contains(&s));
        acknowledged += usize::from(ok);
        let s = st.clone();
        let recorded = web::block(move || {
            let now = at + Duration::milliseconds(latency_ms);
            let next = if ok {
                None
            } else {
                u32::try_from(e.attempts)
                    .ok()
                    .and_then(gateway::retry_after)
                    .map(|secs| now + Duration::seconds(secs))
            };
            let a = Attempt {
                event: e.id,
                attempt: e.attempts,
                started_at,
                status,
                latency_ms,
                excerpt: &excerpt,
            };
            s.store.write(|c| store::record_attempt(c, &a, ok.then_some(now), next))
        })
        .await;
        if !matches!(recorded, Ok(Ok(()))) {
            tracing::warn!("recording a notification attempt failed");
        }
    }
    acknowledged
}

/// An event with its delivery log, for the portal and the API.
pub fn view(c: &mut DbConn, e: &Event) -> Result<EventView, ApiError> {
    let deliveries = store::deliveries(c, e.id)?
        .into_iter()
        .map(|d| DeliveryView {
            attempt: d.attempt,
            started_at: time_text(d.started_at),
            status: d.status,
            latency_ms: d.latency_ms,
            excerpt: d.excerpt,
        })
        .collect();
    Ok(EventView {
        event_id: e.event_id.clone(),
        kind: e.kind.as_str().to_owned(),
        trade_no: e.trade_no.clone(),
        url: e.url.clone(),
        attempts: e.attempts,
        delivered_at: e.delivered_at.map(time_text),
        next_attempt_at: e.next_attempt_at.map(time_text),
        created_at: time_text(e.created_at),
        payload: e.payload.clone(),
        deliveries,
    })
}

/// A page of the merchant's notifications, newest first (20 a page). Blocking.
pub fn events(st: &AppState, merchant_id: i64, undelivered: bool, page: i64) -> Result<EventPage, ApiError> {
    st.store.read(|c| events_in(c, merchant_id, undelivered, page))
}

/// [`events`] in the caller's transaction.
pub fn events_in(
    c: &mut DbConn,
    merchant_id: i64,
    undelivered: bool,
    page: i64,
) -> Result<EventPage, ApiError> {
    let page = page.max(1);
    let (rows, total) = store::events(c, merchant_id, undelivered, (page - 1) * 20, 20)?;
    let items = rows.iter().map(|e| view(c, e)).collect::<Result<_, _>>()?;
    Ok(EventPage { items, total })
}

/// 实时反馈地址. Blocking.
pub fn address(st: &AppState, merchant_id: i64) -> Result<NotifyAddress, ApiError> {
    Ok(NotifyAddress { url: st.store.read(|c| store::notify_address(c, merchant_id))?.unwrap_or_default() })
}

/// 实时反馈地址修改, behind the payment password: an http(s) address (https
/// only, and public, in production).
pub async fn set_address(
    st: web::Data<AppState>,
    auth: OperatorAuth,
    body: NotifyAddressChange,
) -> Result<NotifyAddress, ApiError> {
    let url = trades::check_url(&body.url, !st.settings.mode.is_development())
        .map_err(|m| ApiError::field("url", "url_invalid", m))?;
    check_reachable(&st, &url).await.map_err(|m| ApiError::field("url", "url_unreachable", m))?;
    web::block(move || -> Result<NotifyAddress, ApiError> {
        let merchant = st.store.read(|c| identity::merchant(c, auth.merchant_id))?;
        check_payment_password(&st, &auth, &merchant, &body.payment_password)?;
        let at = st.clock.now();
        auth.audit.write(&st.store, |c| store::set_notify_address(c, auth.merchant_id, &url, at))?;
        Ok(NotifyAddress { url })
    })
    .await?
}

fn event_not_found() -> ApiError {
    ApiError::rule(actix_web::http::StatusCode::NOT_FOUND, ErrorCode::EventNotFound, "no such notification")
}

fn no_address() -> ApiError {
    ApiError::rule(
        actix_web::http::StatusCode::CONFLICT,
        ErrorCode::NotifyAddressMissing,
        "set a notify address (实时反馈地址) first",
    )
}

/// 重新发送: schedules a notification again, now, to its own address or else
/// the merchant's current one. Blocking.
pub fn redeliver(st: &AppState, auth: &OperatorAuth, event_id: &str) -> Result<EventView, ApiError> {
    let at = st.clock.now();
    auth.audit.write(&st.store, |c| -> Result<EventView, ApiError> {
        let e = store::event(c, auth.merchant_id, event_id)?.ok_or_else(event_not_found)?;
        let url = match e.url.clone() {
            Some(u) => u,
            None => store::notify_address(c, auth.merchant_id)?.ok_or_else(no_address)?,
        };
        store::redeliver(c, e.id, &url, at)?;
        let e = store::event(c, auth.merchant_id, event_id)?.ok_or_else(event_not_found)?;
        view(c, &e)
    })
}

/// 发送测试: a `test` notification to the merchant's address. Blocking.
pub fn send_test(st: &AppState, auth: &OperatorAuth) -> Result<EventView, ApiError> {
    let at = st.clock.now();
    auth.audit.write(&st.store, |c| -> Result<EventView, ApiError> {
        let url = store::notify_address(c, auth.merchant_id)?.ok_or_else(no_address)?;
        let data = serde_json::json!({ "message": "Paydesk 测试通知 · test notification" });
        let event_id = queue(c, auth.merchant_id, EventKind::Test, None, Some(&url), data, at)?;
        let e = store::event(c, auth.merchant_id, &event_id)?.ok_or_else(event_not_found)?;
        view(c, &e)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_addresses_are_named() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "192.168.0.9",
            "172.16.5.5",
            "169.254.1.1",
            "100.64.0.1",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:10.0.0.1",
            "0.0.0.0",
        ] {
            assert!(is_private(ip.parse().unwrap()), "{ip}");
        }
        for ip in ["8.8.8.8", "203.0.114.1", "2606:4700::1111"] {
            assert!(!is_private(ip.parse().unwrap()), "{ip}");
        }
    }
}
