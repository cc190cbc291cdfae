//! One application's review page.

use super::{kind_label, status_label, DecisionForm, OutcomeBanner};
use crate::endpoints as ep;
use crate::i18n::{local_time, tr, use_lang};
use crate::session::{use_reviews_changed, use_session};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use paydesk_api_types::ReviewOutcome;

#[component]
pub fn ReviewDetailPage() -> impl IntoView {
    let params = use_params_map();
    let lang = use_lang();
    let changed = use_reviews_changed();
    let id = move || params.get().get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0);
    let detail = LocalResource::new(move || {
        let (id, _) = (id(), changed.get());
        async move { ep::get_review(id).await }
    });
    let outcome = RwSignal::new(None::<ReviewOutcome>);
    let on_done = Callback::new(move |o: ReviewOutcome| {
        outcome.set(Some(o));
        changed.update(|v| *v += 1);
    });
    let session = use_session();
    view! {
        <section class="page review-detail">
            <h1>{tr("审核详情", "Review")}</h1>
            {move || outcome.get().map(|o| view! { <OutcomeBanner outcome=o/> })}
            <Suspense fallback=|| view! { <p class="loading">"…"</p> }>
                {move || detail.get().map(|r| match r {
                    Err(e) => view! { <div class="banner error">{e.message()}</div> }.into_any(),
                    Ok(d) => {
                        let i = d.item.clone();
                        let (k, s) = (i.kind.clone(), i.status.clone());
                        view! {
                            <table class="grid info" data-testid="review-detail" data-status=i.status.clone()>
                                <tbody>
                                    <tr><th>{tr("交易订单号", "Order no.")}</th><td data-testid="trade-no">{i.trade_no.clone()}</td><th>{tr("商户订单号", "Merchant order no.")}</th><td>{i.merchant_order_no.clone().unwrap_or_default()}</td></tr>
                                    <tr><th>{tr("创建时间", "Created")}</th><td>{local_time(&i.created_at)}</td><th>{tr("交易类型", "Kind")}</th><td>{move || kind_label(&k, lang.get())}</td></tr>
                                    <tr><th>{tr("交易金额（元）", "Amount")}</th><td>{i.total_amount.clone()}</td><th>{tr("服务费（元）", "Fee")}</th><td>{i.total_fee.clone()}</td></tr>
                                    <tr><th>{tr("总金额（元）", "Total")}</th><td>{i.total.clone()}</td><th>{tr("状态", "Status")}</th><td data-testid="detail-status">{move || status_label(&s, lang.get())}</td></tr>
                                    <tr><th>{tr("付费理由", "Remark")}</th><td colspan="3">{d.remark.clone()}</td></tr>
                                </tbody>
                            </table>
                            <h2 class="sub">{tr("收款方信息", "Payees")}</h2>
                            <table class="grid">
                                <thead><tr><th>{tr("商户订单号", "Merchant order no.")}</th><th>{tr("账户名称", "Name")}</th><th>{tr("帐号", "Account")}</th><th class="num">{tr("金额（元）", "Amount")}</th><th class="num">{tr("服务费（元）", "Fee")}</th><th>{tr("备注", "Remark")}</th></tr></thead>
                                <tbody>{d.lines.iter().map(|l| view! {
                                    <tr><td>{l.merchant_order_no.clone().unwrap_or_default()}</td><td>{l.payee_name.clone()}</td><td>{l.payee_account.clone()}</td>
                                        <td class="num">{l.amount.clone()}</td><td class="num">{l.fee.clone()}</td><td>{l.remark.clone()}</td></tr>
                                }).collect_view()}</tbody>
                            </table>
                            <h2 class="sub">{tr("申请信息", "Application")}</h2>
                            <table class="grid info"><tbody>
                                <tr><th>{tr("申请时间", "Submitted")}</th><td>{local_time(&i.created_at)}</td><th>{tr("申请操作员", "Applicant")}</th><td>{i.applicant.clone()}</td></tr>
                                {i.reviewer.clone().map(|r| view! {
                                    <tr><th>{tr("审核人", "Reviewer")}</th><td>{r}</td><th>{tr("审核备注", "Review remark")}</th><td>{i.review_remark.clone().unwrap_or_default()}</td></tr>
                                })}
                            </tbody></table>
                            {(i.can_review && session.can("my_reviews")).then(|| view! {
                                <DecisionForm ids=Signal::derive(move || vec![id()]) done=on_done/>
                            })}
                            <p><A href="/review/pending">{tr("返回我的待审核", "Back to my pending reviews")}</A></p>
                        }.into_any()
                    }
                })}
            </Suspense>
        </section>
    }
}
