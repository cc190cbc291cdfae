//! The review lists: 我的待审核, the per-kind lists and 申请记录, with filters and bulk decisions.

use super::{encode, kind_label, status_label, DecisionForm, OutcomeBanner, Scope};
use crate::api::ApiError;
use crate::components::ErrorBanner;
use crate::endpoints as ep;
use crate::i18n::{local_time, tr, use_lang};
use crate::session::use_reviews_changed;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use paydesk_api_types::ReviewOutcome;

#[component]
pub fn ReviewListPage(scope: Scope) -> impl IntoView {
    let lang = use_lang();
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let kind = RwSignal::new(String::new());
    let status = RwSignal::new(String::new());
    let keyword = RwSignal::new(String::new());
    // The filters in force: they change when 查询 is pressed (manual §3.5.1.1).
    let applied = RwSignal::new(String::new());
    let page = RwSignal::new(1u32);
    let changed = use_reviews_changed();
    let list = LocalResource::new(move || {
        let (q, p, _) = (applied.get(), page.get(), changed.get());
        async move { ep::get_review_list(scope, p, &q).await }
    });
    let checked = RwSignal::new(Vec::<i64>::new());
    let cancel_error = RwSignal::new(None::<ApiError>);
    let search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut q = String::new();
        for (name, value) in [("from", from), ("to", to), ("kind", kind), ("status", status), ("q", keyword)]
        {
            let v = value.get_untracked();
            if !v.trim().is_empty() {
                q.push_str(&format!("&{name}={}", encode(v.trim())));
            }
        }
        checked.set(Vec::new());
        page.set(1);
        applied.set(q);
    };
    let outcome = RwSignal::new(None::<ReviewOutcome>);
    let on_done = Callback::new(move |o: ReviewOutcome| {
        outcome.set(Some(o));
        checked.set(Vec::new());
        changed.update(|v| *v += 1);
    });
    let radio = move |signal: RwSignal<String>,
                      name: &'static str,
                      value: &'static str,
                      zh: &'static str,
                      en: &'static str| {
        view! {
            <label class="check"><input type="radio" name=name value=value checked=move || signal.get() == value
                on:change=move |_| signal.set(value.into())/>{move || lang.get().pick(zh, en)}</label>
        }
    };
    view! {
        <section class="page review-page" data-testid=format!("review-{}", scope.slug())>
            <h1>{move || scope.title(lang.get())}</h1>
            <form class="filters" on:submit=search>
                <div class="row">
                    <span class="label">{tr("申请时间：", "Submitted: ")}</span>
                    <input type="date" name="from" bind:value=from/>" — "<input type="date" name="to" bind:value=to/>
                    <span class="hint">{tr("默认近一个月", "Last month by default")}</span>
                </div>
                {scope.filters_kind().then(|| view! {
                    <div class="row"><span class="label">{tr("审核类型：", "Kind: ")}</span>
                        {radio(kind, "kind", "", "全部", "All")}
                        {radio(kind, "kind", "withdrawal", "提现", "Withdrawal")}
                        {radio(kind, "kind", "transfer", "转账", "Transfer")}
                        {radio(kind, "kind", "refund", "退款", "Refund")}
                        {radio(kind, "kind", "payroll", "代发工资", "Payroll")}
                    </div>
                })}
                {scope.filters_status().then(|| view! {
                    <div class="row"><span class="label">{tr("审核状态：", "Status: ")}</span>
                        {radio(status, "status", "", "全部", "All")}
                        {radio(status, "status", "pending_review", "待审核", "Pending")}
                        {radio(status, "status", "approved", "审核通过", "Approved")}
                        {radio(status, "status", "rejected", "审核拒绝", "Rejected")}
                    </div>
                })}
                <div class="row">
                    <span class="label">{tr("关键字：", "Keyword: ")}</span>
                    <input name="q" placeholder=tr("交易订单号 / 商户订单号 / 商户批次号", "Order or batch number") bind:value=keyword/>
                    <button type="submit" class="primary" name="search">{tr("查询", "Search")}</button>
                </div>
            </form>
            {move || outcome.get().map(|o| view! { <OutcomeBanner outcome=o/> })}
            <ErrorBanner error=cancel_error/>
            <Suspense fallback=|| view! { <p class="loading">"…"</p> }>
                {move || list.get().map(|r| match r {
                    Err(e) => view! { <div class="banner error">{e.message()}</div> }.into_any(),
                    Ok(p) if p.items.is_empty() => view! {
                        <div class="empty" data-testid="no-reviews">{move || if scope == Scope::Pending { lang.get().pick("没有待审核的申请", "Nothing waits for your review") } else { lang.get().pick("没有符合条件的记录", "Nothing matches") }}</div>
                    }.into_any(),
                    Ok(p) => {
                        let reviewable: Vec<i64> = p.items.iter().filter(|i| i.can_review).map(|i| i.id).collect();
                        // 退款审核 (§3.5.3) names the original trade instead of a payee.
                        let refunds = scope == Scope::Refunds;
                        let all = reviewable.clone();
                        view! {
                            <table class="grid" data-testid="review-list">
                                <thead><tr>
                                    {(scope == Scope::Pending).then(|| view! {
                                        <th><input type="checkbox" name="check-all" title=tr("全选", "All")
                                            prop:checked=move || !all.is_empty() && checked.get().len() == all.len()
                                            on:change={ let all = reviewable.clone(); move |ev| checked.set(if event_target_checked(&ev) { all.clone() } else { Vec::new() }) }/></th>
                                    })}
                                    {scope.filters_status().then(|| view! { <th>{tr("审核状态", "Status")}</th> })}
                                    <th>{tr("审核类型", "Kind")}</th><th>{tr("交易订单号", "Order no.")}</th><th>{tr("商户批次号", "Batch no.")}</th><th>{tr("申请时间", "Submitted")}</th>
                                    <th class="num">{tr("金额（元）", "Amount")}</th><th class="num">{tr("服务费（元）", "Fee")}</th>
                                    <th>{tr("申请人", "Applicant")}</th>
                                    {if refunds {
                                        view! { <th>{tr("原交易订单号", "Original trade no.")}</th><th>{tr("原商户订单号", "Original merchant order no.")}</th> }.into_any()
                                    } else {
                                        view! { <th>{tr("收款账户", "Payee")}</th> }.into_any()
                                    }}
                                    <th>{tr("操作", "")}</th>
                                </tr></thead>
                                <tbody>{p.items.into_iter().map(|i| {
                                    let id = i.id;
                                    let (k, s) = (i.kind.clone(), i.status.clone());
                                    view! {
                                        <tr data-id=id.to_string()>
                                            {(scope == Scope::Pending).then(|| view! {
                                                <td><input type="checkbox" name=format!("check-{id}") disabled=!i.can_review
                                                    prop:checked=move || checked.get().contains(&id)
                                                    on:change=move |ev| checked.update(|c| if event_target_checked(&ev) { c.push(id) } else { c.retain(|x| *x != id) })/></td>
                                            })}
                                            {scope.filters_status().then(|| { let (s, attr) = (s.clone(), s.clone()); view! { <td data-status=attr>{move || status_label(&s, lang.get())}</td> } })}
                                            <td>{move || kind_label(&k, lang.get())}</td>
                                            <td data-testid="trade-no">{i.trade_no.clone()}{i.merchant_order_no.clone().map(|n| view! { <br/><span class="muted">{n}</span> })}</td>
                                            <td data-testid="batch-no">{i.batch_no.clone().unwrap_or_default()}</td>
                                            <td>{local_time(&i.created_at)}</td>
                                            <td class="num">"-"{i.total_amount.clone()}</td><td class="num">{i.total_fee.clone()}</td>
                                            <td>{i.applicant.clone()}</td>
                                            {if refunds {
                                                view! {
                                                    <td data-testid="original-trade-no">{i.original_trade_no.clone().unwrap_or_else(|| i.payee.clone())}</td>
                                                    <td data-testid="original-order-no">{i.original_merchant_order_no.clone().unwrap_or_default()}</td>
                                                }.into_any()
                                            } else {
                                                view! { <td>{i.payee.clone()}</td> }.into_any()
                                            }}
                                            <td>
                                                {(scope != Scope::Records).then(|| view! { <A href=format!("/review/item/{id}")>{tr("查看详情", "Details")}</A> })}
                                                {(scope == Scope::Records && i.mine && i.status == "pending_review").then(|| view! {
                                                    <button type="button" class="link" name=format!("cancel-{id}") on:click=move |_| {
                                                        spawn_local(async move {
                                                            match ep::cancel_application(id).await {
                                                                Ok(_) => changed.update(|v| *v += 1),
                                                                Err(e) => cancel_error.set(Some(e)),
                                                            }
                                                        });
                                                    }>{tr("撤销", "Withdraw")}</button>
                                                })}
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}</tbody>
                            </table>
                            <crate::components::Pager page=page total=p.total per_page=p.per_page/>
                        }.into_any()
                    }
                })}
            </Suspense>
            {move || (scope == Scope::Pending && !checked.get().is_empty()).then(|| view! {
                <div class="panel" data-testid="bulk-review">
                    <h2 class="sub">{tr("批量审核", "Review the checked rows")}" · "{move || checked.get().len()}{tr(" 笔", " selected")}</h2>
                    <table class="grid" data-testid="bulk-rows">
                        <thead><tr><th>{tr("交易订单号", "Order no.")}</th><th>{tr("商户批次号", "Batch no.")}</th><th>{tr("审核类型", "Kind")}</th><th class="num">{tr("金额（元）", "Amount")}</th><th class="num">{tr("服务费（元）", "Fee")}</th><th>{tr("收款账户", "Payee")}</th></tr></thead>
                        <tbody>{move || {
                            let ids = checked.get();
                            list.get().and_then(|r| r.ok()).map(|p| p.items.into_iter().filter(|i| ids.contains(&i.id)).map(|i| {
                                let k = i.kind.clone();
                                view! {
                                    <tr><td>{i.trade_no.clone()}</td><td>{i.batch_no.clone().unwrap_or_default()}</td><td>{move || kind_label(&k, lang.get())}</td>
                                        <td class="num">{i.total_amount.clone()}</td><td class="num">{i.total_fee.clone()}</td><td>{i.payee.clone()}</td></tr>
                                }
                            }).collect_view())
                        }}</tbody>
                    </table>
                    <DecisionForm ids=Signal::derive(move || checked.get()) done=on_done/>
                </div>
            })}
        </section>
    }
}
