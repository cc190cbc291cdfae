//! 二维码收款 and 收款提醒 (bank document §4): the merchant's collection QR codes —
//! create (fixed or open amount), print the poster, stop — and the payments
//! arriving right now, pushed by the server as they happen, with today's total.

use leptos::prelude::*;
use leptos::task::spawn_local;
use paydesk_api_types::{CollectionAlert, NewQrCode, QrCodeView};

use crate::api::ApiError;
use crate::components::{ErrorBanner, FieldMessage};
use crate::endpoints as ep;
use crate::i18n::{local_time, tr};
use crate::pages::trade::statement::download;

#[component]
pub fn CollectPage() -> impl IntoView {
    // Counts each payment announced while the page is open: the tables below reload on it.
    let arrived = RwSignal::new(0u32);
    view! {
        <section class="page">
            <h1>{tr("二维码收款", "QR collection")}</h1>
            <p class="hint">{tr("买家用手机扫码，在收银台选择银行付款；每笔付款是一笔网关交易，次日（T+1）结算到可用余额。",
                "Buyers scan with a phone and pay at the cashier through their bank; each payment is a gateway trade, settled to your available balance the next day (T+1).")}</p>
            <Alerts arrived=arrived/>
            <Codes arrived=arrived/>
            <Takings arrived=arrived/>
        </section>
    }
}

/// 收款提醒: payments as the server announces them.
#[component]
fn Alerts(arrived: RwSignal<u32>) -> impl IntoView {
    let alerts = RwSignal::new(Vec::<CollectionAlert>::new());
    let live = RwSignal::new(false);
    let alive = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let listening = alive.clone();
    on_cleanup(move || alive.store(false, std::sync::atomic::Ordering::Relaxed));
    spawn_local(async move {
        // Reconnect after a dropped connection while the page is open.
        while listening.load(std::sync::atomic::Ordering::Relaxed) {
            live.set(true);
            let keep = listening.clone();
            let _ = ep::collection_alerts(
                move |a| {
                    alerts.update(|list| list.insert(0, a));
                    arrived.update(|n| *n += 1);
                },
                move || keep.load(std::sync::atomic::Ordering::Relaxed),
            )
            .await;
            live.set(false);
            if listening.load(std::sync::atomic::Ordering::Relaxed) {
                crate::api::sleep(2_000).await;
            }
        }
    });
    view! {
        <div class="panel" data-testid="collection-alerts">
            <h2 class="sub">{tr("收款提醒", "Incoming payments")}
                <span class="hint" data-testid="alerts-live" data-live=move || live.get().to_string()>
                    {move || if live.get() { tr("● 实时", "● live")() } else { tr("○ 连接中…", "○ connecting…")() }}</span></h2>
            {move || match alerts.get().first() {
                None => view! { <p class="empty">{tr("打开本页后收到的付款会显示在这里", "Payments received while this page is open appear here")}</p> }.into_any(),
                Some(last) => view! {
                    <p data-testid="today-total">{tr("今日收款 ", "Today: ")}<strong>{last.today_count}</strong>{tr(" 笔，共 ", " payments, ")}<strong class="num">{last.today_total.clone()}</strong>{tr(" 元", " yuan")}</p>
                }.into_any(),
            }}
            <ul class="alerts">{move || alerts.get().into_iter().map(|a| {
                let no = a.trade_no.clone();
                view! {
                    <li data-testid="alert" data-trade-no=no>
                        <strong class="num">"¥ "{a.amount}</strong>" · "{a.subject}" · "{local_time(&a.paid_at)}" · "<span class="mono">{a.trade_no}</span>
                    </li>
                }
            }).collect_view()}</ul>
        </div>
    }
}

#[component]
fn Codes(arrived: RwSignal<u32>) -> impl IntoView {
    let version = RwSignal::new(0u32);
    let codes = LocalResource::new(move || {
        let _ = (version.get(), arrived.get());
        ep::get_qr_codes()
    });
    let error = RwSignal::new(None::<ApiError>);
    let (name, amount) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        let typed = amount.get_untracked().trim().to_owned();
        let body = NewQrCode {
            name: name.get_untracked().trim().to_owned(),
            amount: (!typed.is_empty()).then_some(typed),
        };
        spawn_local(async move {
            match ep::create_qr_code(&body).await {
                Ok(_) => {
                    name.set(String::new());
                    amount.set(String::new());
                    version.update(|v| *v += 1);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <h2 class="sub">{tr("收款码", "Collection codes")}</h2>
        <Suspense fallback=|| view! { <p class="loading">"…"</p> }>
            {move || codes.get().map(|r| match r {
                Err(e) => view! { <div class="banner error">{e.message()}</div> }.into_any(),
                Ok(list) if list.is_empty() => view! { <div class="empty" data-testid="no-qr-codes">{tr("还没有收款码", "No codes yet")}</div> }.into_any(),
                Ok(list) => view! {
                    <table class="grid" data-testid="qr-codes">
                        <thead><tr><th>{tr("名称", "Name")}</th><th class="num">{tr("金额（元）", "Amount")}</th><th>{tr("收款笔数", "Payments")}</th><th class="num">{tr("收款金额（元）", "Collected")}</th><th>{tr("状态", "Status")}</th><th>{tr("操作", "Actions")}</th></tr></thead>
                        <tbody>{list.into_iter().map(|c| view! { <CodeRow code=c version=version/> }).collect_view()}</tbody>
                    </table>
                }.into_any(),
            })}
        </Suspense>
        <form class="form" data-testid="new-qr-code" on:submit=create>
            <h3>{tr("新建收款码", "New code")}</h3>
            <ErrorBanner error=error/>
            <label class="field"><span class="label req">{tr("名称", "Name")}</span>
                <input name="qr_name" required maxlength="20" bind:value=name/><FieldMessage error=error field="name"/></label>
            <label class="field"><span class="label">{tr("固定金额", "Fixed amount")}</span>
                <input name="qr_amount" inputmode="decimal" placeholder=move || tr("不填则由付款人输入", "Leave empty to let the buyer type it")() bind:value=amount/>
                <FieldMessage error=error field="amount"/></label>
            <button class="primary" type="submit" name="create-qr">{tr("生成收款码", "Create")}</button>
        </form>
    }
}

#[component]
fn CodeRow(code: QrCodeView, version: RwSignal<u32>) -> impl IntoView {
    let id = code.id;
    let poster = RwSignal::new(None::<String>);
    let show = move |_| {
        spawn_local(async move {
            if let Ok(url) = ep::qr_poster_url(id).await {
                poster.set(Some(url));
            }
        })
    };
    let stop = move |_| {
        spawn_local(async move {
            if ep::disable_qr_code(id).await.is_ok() {
                version.update(|v| *v += 1);
            }
        })
    };
    let active = code.active;
    view! {
        <tr data-testid="qr-code" data-qr-url=code.url.clone()>
            <td>{code.name}</td>
            <td class="num">{code.amount.unwrap_or_else(|| tr("任意金额", "Any amount")().to_owned())}</td>
            <td>{code.paid_count}</td><td class="num">{code.paid_total}</td>
            <td>{if active { tr("启用", "Active") } else { tr("已停用", "Stopped") }}</td>
            <td>
                <button type="button" class="link" name=format!("poster-{id}") on:click=show>{tr("查看海报", "Poster")}</button>
                {active.then(|| view! { <button type="button" class="link" name=format!("stop-{id}") on:click=stop>{tr("停用", "Stop")}</button> })}
                {move || poster.get().map(|url| {
                    let saved = url.clone();
                    view! {
                        <div class="poster" data-testid="qr-poster">
                            <img src=url alt="QR poster" width="300"/>
                            <button type="button" name=format!("download-poster-{id}") on:click=move |_| download(&saved, &format!("paydesk-qr-{id}.svg"))>{tr("下载打印", "Download to print")}</button>
                        </div>
                    }
                })}
            </td>
        </tr>
    }
}

/// 收款记录: the latest payments and their state — 交易成功 until settled, then 结算成功.
#[component]
fn Takings(arrived: RwSignal<u32>) -> impl IntoView {
    let trades = LocalResource::new(move || {
        let _ = arrived.get();
        ep::get_trades(1)
    });
    view! {
        <h2 class="sub">{tr("收款记录（最近 20 笔）", "Payments received (latest 20)")}</h2>
        <Suspense fallback=|| view! { <p class="loading">"…"</p> }>
            {move || trades.get().map(|r| match r {
                Err(e) => view! { <div class="banner error">{e.message()}</div> }.into_any(),
                Ok(page) if page.items.is_empty() => view! { <div class="empty" data-testid="no-takings">{tr("暂无收款", "No payments yet")}</div> }.into_any(),
                Ok(page) => view! {
                    <table class="grid" data-testid="takings">
                        <thead><tr><th>{tr("创建时间", "Created")}</th><th>{tr("交易订单号", "Trade no.")}</th><th>{tr("商品", "Subject")}</th>
                            <th class="num">{tr("金额（元）", "Amount")}</th><th class="num">{tr("服务费（元）", "Fee")}</th><th>{tr("状态", "Status")}</th></tr></thead>
                        <tbody>{page.items.into_iter().map(|t| view! {
                            <tr data-trade-no=t.trade_no.clone() data-status=t.status.clone()>
                                <td>{local_time(&t.created_at)}</td><td class="mono">{t.trade_no.clone()}</td><td>{t.subject.clone()}</td>
                                <td class="num">{t.amount.clone()}</td><td class="num">{t.fee.clone()}</td><td>{t.status_zh.clone()}</td>
                            </tr>
                        }).collect_view()}</tbody>
                    </table>
                }.into_any(),
            })}
        </Suspense>
    }
}
