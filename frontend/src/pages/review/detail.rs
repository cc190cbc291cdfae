//! One application's review page.

use super::{kind_label, status_label, DecisionForm, OutcomeBanner};
use crate::components::Pager;
use crate::endpoints as ep;
use crate::i18n::Lang;
use crate::i18n::{local_time, tr, use_lang};
use crate::pages::trade::statement::download;
use crate::session::{use_reviews_changed, use_session};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use paydesk_api_types::ReviewOutcome;

const PER_PAGE: u32 = paydesk_domain::limits::PAGE_SIZE;

/// A line's status in the manual's words (the domain's), or in English.
fn line_status_label(status: &str, lang: Lang) -> &'static str {
    use paydesk_domain::states::LineStatus as S;
    let Some(s) = S::parse(status) else { return "" };
    let en = match s {
        S::Pending => "Pending",
        S::Processing => "Processing",
        S::Succeeded => "Succeeded",
        S::Failed => "Failed",
        S::Returned => "Returned",
    };
    lang.pick(s.label_zh(), en)
}

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
    let line_page = RwSignal::new(1u32);
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
                                    {i.batch_no.clone().map(|b| {
                                        let tally = |wanted: &[&str]| {
                                            let hit: Vec<_> = d.lines.iter().filter(|l| wanted.contains(&l.status.as_str())).collect();
                                            let sum = hit.iter().filter_map(|l| paydesk_domain::Money::parse(&l.amount).ok())
                                                .fold(paydesk_domain::Money::ZERO, |a, m| a.checked_add(m).unwrap_or(a));
                                            format!("{} / {}", hit.len(), sum)
                                        };
                                        view! {
                                            <tr><th>{tr("商户批次号", "Batch number")}</th><td data-testid="batch-no">{b}</td><th>{tr("笔数", "Rows")}</th><td>{i.line_count}</td></tr>
                                            <tr><th>{tr("成功笔数 / 金额", "Paid rows / amount")}</th><td data-testid="batch-succeeded">{tally(&["succeeded"])}</td>
                                                <th>{tr("失败笔数 / 金额", "Failed rows / amount")}</th><td data-testid="batch-failed">{tally(&["failed", "returned"])}</td></tr>
                                        }
                                    })}
                                    <tr><th>{tr("付费理由", "Remark")}</th><td colspan="3">{d.remark.clone()}</td></tr>
                                </tbody>
                            </table>
                            <h2 class="sub">{if i.batch_no.is_some() { tr("批量信息", "Batch lines") } else { tr("收款方信息", "Payees") }}
                                " "<button type="button" class="link" name="export-lines" on:click=move |_| {
                                    let id = id();
                                    spawn_local(async move {
                                        if let Ok(url) = ep::application_lines_url(id).await {
                                            download(&url, &format!("lines-{id}.xlsx"));
                                        }
                                    });
                                }>{tr("导出明细", "Export the lines")}</button></h2>
                            {
                                let lines = d.lines.clone();
                                let total = lines.len() as u64;
                                view! {
                                    <table class="grid" data-testid="detail-lines">
                                        <thead><tr><th>{tr("序号", "No.")}</th><th>{tr("交易订单号", "Trade no.")}</th><th>{tr("商户订单号", "Merchant order no.")}</th><th>{tr("账户名称", "Name")}</th><th>{tr("帐号", "Account")}</th><th class="num">{tr("金额（元）", "Amount")}</th><th class="num">{tr("服务费（元）", "Fee")}</th><th>{tr("备注", "Remark")}</th><th>{tr("状态", "Status")}</th></tr></thead>
                                        <tbody>{move || {
                                            let start = ((line_page.get() - 1) * PER_PAGE) as usize;
                                            lines.iter().skip(start).take(PER_PAGE as usize).map(|l| {
                                                let st = l.status.clone();
                                                view! {
                                                    <tr data-line-status=l.status.clone()><td>{l.line_no}</td><td class="mono">{l.trade_no.clone()}</td><td>{l.merchant_order_no.clone().unwrap_or_default()}</td><td>{l.payee_name.clone()}</td><td>{l.payee_account.clone()}</td>
                                                        <td class="num">{l.amount.clone()}</td><td class="num">{l.fee.clone()}</td><td>{l.remark.clone()}</td>
                                                        <td>{move || line_status_label(&st, lang.get())}{l.failure_reason.clone().map(|r| view! { <span class="muted">" · "{r}</span> })}</td></tr>
                                                }
                                            }).collect_view()
                                        }}</tbody>
                                    </table>
                                    {(total > u64::from(PER_PAGE)).then(|| view! { <Pager page=line_page total=total per_page=PER_PAGE/> })}
                                }
                            }
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
