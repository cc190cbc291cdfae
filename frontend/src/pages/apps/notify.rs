//! 实时反馈 (bank document: 实时反馈地址修改): where the platform sends
//! notifications, behind the payment password, and the delivery log — every
//! attempt with its status, latency and answer — with 重新发送 and 发送测试.

use leptos::prelude::*;
use leptos::task::spawn_local;
use paydesk_api_types::{EventView, NotifyAddressChange};

use crate::api::ApiError;
use crate::components::{ErrorBanner, FieldMessage, Pager};
use crate::endpoints as ep;
use crate::i18n::{local_time, tr};

#[component]
pub fn NotifyPage() -> impl IntoView {
    let version = RwSignal::new(0u32);
    view! {
        <section class="page">
            <h1>{tr("实时反馈", "Notifications")}</h1>
            <p class="hint">{tr("交易状态变化时，平台向反馈地址 POST 一条以平台私钥签名的通知（Paydesk-Signature），同一事件重试时事件号不变；任何 2xx 应答即视为收到，否则约 24 小时内按退避重试。",
                "When a trade changes, the platform POSTs a notification signed with its key (Paydesk-Signature) to this address; a retry keeps the event id. Any 2xx acknowledges it; otherwise it is retried with back-off for about 24 hours.")}</p>
            <Address version=version/>
            <Log version=version/>
        </section>
    }
}

#[component]
fn Address(version: RwSignal<u32>) -> impl IntoView {
    let current = LocalResource::new(ep::get_notify_address);
    let error = RwSignal::new(None::<ApiError>);
    let saved = RwSignal::new(false);
    let (url, password) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        saved.set(false);
        let body = NotifyAddressChange {
            url: url.get_untracked().trim().to_owned(),
            payment_password: password.get_untracked(),
        };
        spawn_local(async move {
            match ep::set_notify_address(&body).await {
                Ok(_) => {
                    password.set(String::new());
                    saved.set(true);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let test = move |_| {
        error.set(None);
        spawn_local(async move {
            match ep::send_test_notification().await {
                Ok(_) => version.update(|v| *v += 1),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    Effect::new(move |_| {
        if let Some(Ok(a)) = current.get() {
            url.set(a.url);
        }
    });
    view! {
        <form class="form" data-testid="notify-address" on:submit=save>
            <h2 class="sub">{tr("实时反馈地址", "Notify address")}</h2>
            <ErrorBanner error=error/>
            {move || saved.get().then(|| view! { <div class="banner ok" role="status">{tr("反馈地址已保存", "The address is saved")}</div> })}
            <label class="field"><span class="label req">{tr("地址", "Address")}</span>
                <input name="notify_url" required placeholder="https://shop.example.com/paydesk/notify" bind:value=url/>
                <FieldMessage error=error field="url"/></label>
            <label class="field"><span class="label req">{tr("支付密码", "Payment password")}</span>
                <input name="payment_password" type="password" autocomplete="off" bind:value=password/>
                <FieldMessage error=error field="payment_password"/></label>
            <button class="primary" type="submit" name="save-address">{tr("保存", "Save")}</button>
            " "<button type="button" name="send-test" on:click=test>{tr("发送测试", "Send a test")}</button>
        </form>
    }
}

#[component]
fn Log(version: RwSignal<u32>) -> impl IntoView {
    let page = RwSignal::new(1u32);
    let undelivered = RwSignal::new(false);
    let events = LocalResource::new(move || {
        let (_, p, u) = (version.get(), page.get(), undelivered.get());
        ep::get_notifications(u, i64::from(p))
    });
    view! {
        <h2 class="sub">{tr("推送记录", "Delivery log")}
            <label class="hint"><input type="checkbox" name="undelivered" on:change=move |ev| { undelivered.set(event_target_checked(&ev)); page.set(1); }/>
                {tr(" 只看未送达", " Undelivered only")}</label>
            " "<button type="button" class="link" name="refresh-log" on:click=move |_| version.update(|v| *v += 1)>{tr("刷新", "Refresh")}</button></h2>
        <Suspense fallback=|| view! { <p class="loading">"…"</p> }>
            {move || events.get().map(|r| match r {
                Err(e) => view! { <div class="banner error">{e.message()}</div> }.into_any(),
                Ok(p) if p.items.is_empty() => view! { <div class="empty" data-testid="no-events">{tr("暂无通知", "No notifications")}</div> }.into_any(),
                Ok(p) => view! {
                    <table class="grid" data-testid="events">
                        <thead><tr><th>{tr("时间", "Time")}</th><th>{tr("事件号", "Event")}</th><th>{tr("类型", "Type")}</th><th>{tr("交易订单号", "Trade no.")}</th><th>{tr("状态", "Status")}</th><th>{tr("尝试", "Attempts")}</th><th>{tr("操作", "Actions")}</th></tr></thead>
                        <tbody>{p.items.into_iter().map(|e| view! { <EventRow event=e version=version/> }).collect_view()}</tbody>
                    </table>
                    <Pager page=page total=u64::try_from(p.total).unwrap_or(0) per_page=20/>
                }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn EventRow(event: EventView, version: RwSignal<u32>) -> impl IntoView {
    let open = RwSignal::new(false);
    let id = event.event_id.clone();
    let redeliver = move |_| {
        let id = id.clone();
        spawn_local(async move {
            if ep::redeliver_notification(&id).await.is_ok() {
                version.update(|v| *v += 1);
            }
        })
    };
    let state = if event.delivered_at.is_some() {
        tr("已送达", "Delivered")
    } else if event.next_attempt_at.is_some() {
        tr("重试中", "Retrying")
    } else {
        tr("未送达", "Undelivered")
    };
    let deliveries = event.deliveries.clone();
    view! {
        <tr data-testid="event" data-event-id=event.event_id.clone() data-delivered=event.delivered_at.is_some().to_string()>
            <td>{local_time(&event.created_at)}</td><td class="mono">{event.event_id.clone()}</td><td>{event.kind.clone()}</td>
            <td class="mono">{event.trade_no.clone().unwrap_or_default()}</td><td>{state}</td><td>{event.attempts}</td>
            <td><button type="button" class="link" name="attempts" on:click=move |_| open.update(|o| *o = !*o)>{tr("详情", "Details")}</button>
                <button type="button" class="link" name="redeliver" on:click=redeliver>{tr("重新发送", "Redeliver")}</button></td>
        </tr>
        {move || open.get().then(|| view! {
            <tr class="detail"><td colspan="7">
                <p class="mono">{event.url.clone().unwrap_or_default()}</p>
                <table class="grid" data-testid="deliveries">
                    <thead><tr><th>"#"</th><th>{tr("时间", "Time")}</th><th>{tr("HTTP 状态", "HTTP status")}</th><th class="num">{tr("耗时（毫秒）", "Latency (ms)")}</th><th>{tr("应答", "Answer")}</th></tr></thead>
                    <tbody>{deliveries.clone().into_iter().map(|d| view! {
                        <tr><td>{d.attempt}</td><td>{local_time(&d.started_at)}</td><td>{d.status.map(|s| s.to_string()).unwrap_or_else(|| "—".into())}</td><td class="num">{d.latency_ms}</td><td class="mono">{d.excerpt}</td></tr>
                    }).collect_view()}</tbody>
                </table>
                <pre class="mono payload">{event.payload.clone()}</pre>
            </td></tr>
        })}
    }
}
