//! 日志查询: the operation log, searchable by period, operator and action.

use crate::endpoints as ep;
use crate::i18n::{local_time, tr};
use leptos::prelude::*;

/// 日志查询: who changed what.
#[component]
pub fn OperationLogPage() -> impl IntoView {
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let operator = RwSignal::new(String::new());
    let action = RwSignal::new(String::new());
    let applied = RwSignal::new(String::new());
    let page = RwSignal::new(1u32);
    let list = LocalResource::new(move || {
        let (q, p) = (applied.get(), page.get());
        async move { ep::get_operation_log(p, q).await }
    });
    let search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut q = String::new();
        for (k, v) in [("from", from), ("to", to), ("operator", operator), ("action", action)] {
            let v = v.get_untracked();
            if !v.trim().is_empty() {
                q.push_str(&format!("&{k}={}", String::from(js_sys::encode_uri_component(v.trim()))));
            }
        }
        page.set(1);
        applied.set(q);
    };
    view! {
        <section class="page">
            <h1>{tr("日志查询", "Operation log")}</h1>
            <form class="filters row" on:submit=search>
                <input type="date" name="from" bind:value=from/>" — "<input type="date" name="to" bind:value=to/>
                <input name="operator" placeholder=tr("操作员登录名", "Operator login") bind:value=operator/>
                <input name="action" placeholder=tr("操作（如 transfers）", "Action (e.g. transfers)") bind:value=action/>
                <button type="submit" class="primary">{tr("查询", "Search")}</button>
            </form>
            {move || list.get().map(|r| match r {
                Err(e) => view! { <div class="banner error">{e.message()}</div> }.into_any(),
                Ok(p) => {
                    view! {
                        <table class="grid" data-testid="operation-log">
                            <thead><tr><th>{tr("时间", "Time")}</th><th>{tr("操作员", "Operator")}</th><th>{tr("操作", "Action")}</th><th>{tr("对象", "Target")}</th><th>{tr("结果", "Result")}</th><th>"IP"</th></tr></thead>
                            <tbody>{p.items.into_iter().map(|e| view! {
                                <tr><td>{local_time(&e.at)}</td><td>{e.operator}</td><td><code>{e.action}</code></td><td><code>{e.target}</code></td>
                                    <td class=if e.status < 400 { "ok" } else { "expense" }>{e.status}</td><td>{e.ip}</td></tr>
                            }).collect_view()}</tbody>
                        </table>
                        <crate::components::Pager page=page total=p.total per_page=p.per_page/>
                    }.into_any()
                }
            })}
        </section>
    }
}
