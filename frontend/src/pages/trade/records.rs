//! 交易记录 (§3.6.1): every transaction by 查询类型, with 交易类型 and 交易状态
//! whose options come from `domain::records`, a range of at most 31 days, an
//! exact keyword, 20 rows a page, 查看 and 退款, and 导出下载 of the filter.
//! 历史订单退款 finds an order of any age by its merchant order number.

use crate::endpoints::{self as ep, RecordFilter};
use crate::i18n::{local_time, tr, use_lang};
use crate::pages::trade::statement::download;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use paydesk_domain::limits;
use paydesk_domain::records::RecordType;

fn day(ms: f64) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms));
    format!("{:04}-{:02}-{:02}", d.get_utc_full_year(), d.get_utc_month() + 1, d.get_utc_date())
}

/// The default filter: 网关交易 over the last 31 days.
fn default_filter() -> RecordFilter {
    let now = js_sys::Date::now();
    RecordFilter {
        kind: "gateway".into(),
        from: day(now - (limits::RECORD_RANGE_DAYS - 1) as f64 * 86_400_000.0),
        to: day(now),
        ..RecordFilter::default()
    }
}

#[component]
pub fn RecordsPage() -> impl IntoView {
    let lang = use_lang();
    let draft = RwSignal::new(default_filter());
    // The list follows the filter only when 查询 is pressed, as in the manual.
    let applied = RwSignal::new(default_filter());
    let page = RwSignal::new(1u32);
    let rows = LocalResource::new(move || {
        let (f, p) = (applied.get(), page.get());
        async move { ep::get_records(&f, p).await }
    });
    let kind = move || RecordType::parse(&draft.get().kind).unwrap_or(RecordType::Gateway);
    let set = move |apply: fn(&mut RecordFilter, String)| {
        move |ev: leptos::ev::Event| {
            let value = event_target_value(&ev);
            draft.update(|f| apply(f, value));
        }
    };
    let query = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        page.set(1);
        applied.set(draft.get_untracked());
    };
    let export = move |_| {
        let f = applied.get_untracked();
        spawn_local(async move {
            if let Ok(url) = ep::records_export_url(&f).await {
                download(&url, &format!("records-{}-{}-{}.xlsx", f.kind, f.from, f.to));
            }
        });
    };
    let history_no = RwSignal::new(String::new());
    let history_error = RwSignal::new(None::<String>);
    let navigate = use_navigate();
    let find_history = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let no = history_no.get_untracked().trim().to_owned();
        let navigate = navigate.clone();
        spawn_local(async move {
            match ep::get_trade_detail(&no, true).await {
                Ok(d) => navigate(&format!("/trade/records/{}", d.trade.trade_no), Default::default()),
                Err(e) => history_error.set(Some(e.message())),
            }
        });
    };
    view! {
        <section class="page records-page">
            <h1>{tr("交易记录", "Transaction records")}</h1>
            <form class="filters grid-filters" on:submit=query data-testid="records-filter">
                <label>{tr("创建时间", "Created")}
                    <span class="range">
                        <input type="date" name="from" prop:value=move || draft.get().from on:change=set(|f, v| f.from = v)/>
                        " – "
                        <input type="date" name="to" prop:value=move || draft.get().to on:change=set(|f, v| f.to = v)/>
                    </span></label>
                <label>{tr("查询类型", "Query type")}
                    <select name="type" on:change=set(|f, v| { f.kind = v; f.trade_type.clear(); f.status.clear(); })>
                        {RecordType::ALL.iter().map(|k| view! {
                            <option value=k.as_str() selected=move || draft.get().kind == k.as_str()>{move || lang.get().pick(k.label_zh(), k.as_str())}</option>
                        }).collect_view()}
                    </select></label>
                <label>{tr("交易类型", "Trade type")}
                    <select name="trade_type" prop:value=move || draft.get().trade_type on:change=set(|f, v| f.trade_type = v)>
                        <option value="">{tr("全部", "All")}</option>
                        {move || kind().trade_types().iter().map(|c| view! { <option value=c.code>{c.label_zh}</option> }).collect_view()}
                    </select></label>
                <label>{tr("交易状态", "Status")}
                    <select name="status" prop:value=move || draft.get().status on:change=set(|f, v| f.status = v)>
                        <option value="">{tr("全部", "All")}</option>
                        {move || kind().statuses().into_iter().map(|c| view! { <option value=c.code>{c.label_zh}</option> }).collect_view()}
                    </select></label>
                <label>{tr("关键字", "Keyword")}
                    <input name="q" placeholder=move || lang.get().pick("交易订单号或商户订单号", "Trade or merchant order no.") prop:value=move || draft.get().q on:change=set(|f, v| f.q = v)/></label>
                <button class="primary" type="submit" name="query">{tr("查询", "Search")}</button>
            </form>
            <div class="row actions">
                <A href="/trade/batch-refund" attr:class="button" attr:data-testid="batch-refund-link">{tr("批量退款", "Batch refund")}</A>
                <button type="button" name="export" on:click=export>{tr("导出下载", "Export")}</button>
                <form class="inline" on:submit=find_history data-testid="history-refund">
                    <span>{tr("历史订单退款：", "Refund an older order: ")}</span>
                    <input name="history_order_no" placeholder=move || lang.get().pick("原商户订单号", "Original merchant order no.") bind:value=history_no/>
                    <button type="submit">{tr("查找", "Find")}</button>
                    {move || history_error.get().map(|e| view! { <span class="error">{e}</span> })}
                </form>
            </div>
            <Suspense fallback=|| view! { <p class="loading">"…"</p> }>
                {move || rows.get().map(|r| match r {
                    Err(e) => view! { <div class="banner error">{e.message()}</div> }.into_any(),
                    Ok(p) if p.items.is_empty() => view! { <div class="empty" data-testid="records-empty">{tr("没有符合条件的交易记录", "No transactions match")}</div> }.into_any(),
                    Ok(p) => {
                        let gateway = applied.get_untracked().kind == "gateway";
                        let total = u64::try_from(p.total).unwrap_or(0);
                        view! {
                            <table class="grid" data-testid="records">
                                <thead><tr>
                                    <th>{tr("创建时间", "Created")}</th><th>{tr("交易订单号", "Trade no.")}</th><th>{tr("商户订单号", "Merchant order no.")}</th>
                                    <th>{tr("交易类型", "Type")}</th><th>{tr("金额（元）", "Amount")}</th><th>{tr("服务费（元）", "Fee")}</th>
                                    {gateway.then(|| view! { <th>{tr("退款金额（元）", "Refunded")}</th> })}
                                    <th>{tr("状态", "Status")}</th>
                                    {(!gateway).then(|| view! { <th>{tr("对方", "Counterparty")}</th> })}
                                    <th>{tr("操作", "Actions")}</th>
                                </tr></thead>
                                <tbody>
                                    {p.items.into_iter().map(|r| {
                                        let detail = format!("/trade/records/{}", if gateway { r.trade_no.clone() } else { r.counterparty.clone() });
                                        let refund = format!("/trade/refund/{}", r.trade_no);
                                        let is_refund = applied.get_untracked().kind == "refund";
                                        view! {
                                            <tr data-trade-no=r.trade_no.clone()>
                                                <td>{local_time(&r.created_at)}</td>
                                                <td>{r.trade_no.clone()}</td>
                                                <td>{r.merchant_order_no.clone().unwrap_or_default()}</td>
                                                <td>{r.trade_type_zh.clone()}</td>
                                                <td class="num">{r.amount.clone()}</td>
                                                <td class="num">{r.fee.clone()}</td>
                                                {gateway.then(|| view! { <td class="num" data-testid="refunded">{r.refunded.clone().unwrap_or_default()}</td> })}
                                                <td data-testid="status">{r.status_zh.clone()}</td>
                                                {(!gateway).then(|| view! { <td>{r.counterparty.clone()}</td> })}
                                                <td class="actions">
                                                    {(gateway || is_refund).then(|| view! { <A href=detail.clone()>{tr("查看", "View")}</A> })}
                                                    {r.refundable.then(|| view! { " " <A href=refund.clone() attr:data-testid="refund-link">{tr("退款", "Refund")}</A> })}
                                                </td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                            {p.capped.then(|| view! { <p class="note" data-testid="records-capped">{tr("符合条件的记录超过 1000 条：请缩小查询范围，或导出下载全部记录。", "More than 1,000 rows match: narrow the filter, or export them all.")}</p> })}
                            <crate::components::Pager page=page total=total per_page=p.per_page/>
                        }.into_any()
                    }
                })}
            </Suspense>
        </section>
    }
}
