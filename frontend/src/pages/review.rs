//! 审核管理 (manual §3.5): 我的待审核 with bulk review, the per-kind review lists,
//! a review detail page with approve / reject, and 申请记录 (§3.6.3).

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use paydesk_api_types::{Page, ReviewDetail, ReviewItem, ReviewOutcome, ReviewRequest};

use crate::api::{self, ApiError, Realm};
use crate::components::{ErrorBanner, FieldMessage, SecondFactorField};
use crate::i18n::{local_time, tr, use_lang, Lang};
use crate::session::{use_reviews_changed, use_session};

pub fn kind_label(kind: &str, lang: Lang) -> &'static str {
    match kind {
        "transfer" => lang.pick("转账", "Transfer"),
        "bank_payout" => lang.pick("转账到银行账户", "Bank payout"),
        "withdrawal" => lang.pick("提现", "Withdrawal"),
        "refund" => lang.pick("退款", "Refund"),
        "payroll" => lang.pick("代发工资", "Payroll"),
        "batch_transfer" => lang.pick("批量转账", "Batch transfer"),
        "batch_bank_payout" => lang.pick("批量转账到银行账户", "Batch bank payout"),
        "batch_refund" => lang.pick("批量退款", "Batch refund"),
        _ => lang.pick("其他", "Other"),
    }
}

pub fn status_label(status: &str, lang: Lang) -> &'static str {
    match status {
        "pending_review" => lang.pick("待审核", "Pending review"),
        "approved" => lang.pick("审核通过", "Approved"),
        "processing" => lang.pick("处理中", "Processing"),
        "succeeded" => lang.pick("成功", "Succeeded"),
        "failed" => lang.pick("失败", "Failed"),
        "partially_succeeded" => lang.pick("部分成功", "Partly succeeded"),
        "rejected" => lang.pick("审核拒绝", "Rejected"),
        "cancelled" => lang.pick("已撤销", "Cancelled"),
        _ => lang.pick("未知", "Unknown"),
    }
}

/// Which list a page shows.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// 我的待审核: others' applications this operator may review.
    Pending,
    Transfers,
    Withdrawals,
    Refunds,
    /// 应用审核: payroll (代发工资) from the app centre.
    Payroll,
    /// 申请记录: every application.
    Records,
}

impl Scope {
    fn endpoint(self) -> &'static str {
        match self {
            Scope::Pending => "/api/v1/reviews/pending",
            Scope::Transfers => "/api/v1/reviews/transfers",
            Scope::Withdrawals => "/api/v1/reviews/withdrawals",
            Scope::Refunds => "/api/v1/reviews/refunds",
            Scope::Payroll => "/api/v1/reviews/payroll",
            Scope::Records => "/api/v1/applications",
        }
    }

    fn title(self, lang: Lang) -> &'static str {
        match self {
            Scope::Pending => lang.pick("我的待审核", "My pending reviews"),
            Scope::Transfers => lang.pick("转账审核", "Transfer review"),
            Scope::Withdrawals => lang.pick("提现审核", "Withdrawal review"),
            Scope::Refunds => lang.pick("退款审核", "Refund review"),
            Scope::Payroll => lang.pick("应用审核", "App review"),
            Scope::Records => lang.pick("申请记录", "Application records"),
        }
    }

    fn filters_kind(self) -> bool {
        matches!(self, Scope::Pending | Scope::Records)
    }

    fn filters_status(self) -> bool {
        self != Scope::Pending
    }
}

fn encode(text: &str) -> String {
    String::from(js_sys::encode_uri_component(text))
}

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
        async move {
            api::get::<Page<ReviewItem>>(Realm::Operator, &format!("{}?page={p}{q}", scope.endpoint())).await
        }
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
        <section class="page review-page" data-testid=format!("review-{}", scope.endpoint().rsplit('/').next().unwrap_or(""))>
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
                    <input name="q" placeholder=tr("交易订单号 / 商户订单号", "Order number") bind:value=keyword/>
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
                                    <th>{tr("审核类型", "Kind")}</th><th>{tr("交易订单号", "Order no.")}</th><th>{tr("申请时间", "Submitted")}</th>
                                    <th class="num">{tr("金额（元）", "Amount")}</th><th class="num">{tr("服务费（元）", "Fee")}</th>
                                    <th>{tr("申请人", "Applicant")}</th><th>{tr("收款账户", "Payee")}</th><th>{tr("操作", "")}</th>
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
                                            <td>{local_time(&i.created_at)}</td>
                                            <td class="num">"-"{i.total_amount.clone()}</td><td class="num">{i.total_fee.clone()}</td>
                                            <td>{i.applicant.clone()}</td><td>{i.payee.clone()}</td>
                                            <td>
                                                {(scope != Scope::Records).then(|| view! { <A href=format!("/review/item/{id}")>{tr("查看详情", "Details")}</A> })}
                                                {(scope == Scope::Records && i.mine && i.status == "pending_review").then(|| view! {
                                                    <button type="button" class="link" name=format!("cancel-{id}") on:click=move |_| {
                                                        spawn_local(async move {
                                                            let path = format!("/api/v1/applications/{id}/cancel");
                                                            match api::post::<_, paydesk_api_types::ReviewResult>(Realm::Operator, &path, &serde_json::json!({})).await {
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
                    <DecisionForm ids=Signal::derive(move || checked.get()) done=on_done/>
                </div>
            })}
        </section>
    }
}

/// What a review request did, application by application.
#[component]
fn OutcomeBanner(outcome: ReviewOutcome) -> impl IntoView {
    let lang = use_lang();
    let failed: Vec<_> = outcome.results.iter().filter(|r| r.code.is_some()).cloned().collect();
    let done = outcome.results.len() - failed.len();
    let class = if failed.is_empty() { "banner ok" } else { "banner error" };
    view! {
        <div class=class data-testid="review-outcome">
            {tr("已处理 ", "Decided: ")}{done}{tr(" 笔", "")}
            {failed.into_iter().map(|r| {
                let s = r.status.clone();
                view! { <div>{r.id}": "{r.message.clone().unwrap_or_default()}" ("{move || status_label(&s, lang.get())}")"</div> }
            }).collect_view()}
        </div>
    }
}

/// 审核通过 / 审核拒绝 with remark, payment password and SMS code (approve only).
#[component]
fn DecisionForm(ids: Signal<Vec<i64>>, done: Callback<ReviewOutcome>) -> impl IntoView {
    let decision = RwSignal::new("approve".to_owned());
    let remark = RwSignal::new(String::new());
    let payment_password = RwSignal::new(String::new());
    let sms_code = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let key = RwSignal::new(api::new_idempotency_key());
    let busy = RwSignal::new(false);
    let session = use_session();
    let approving = move || decision.get() == "approve";
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        let approve = decision.get_untracked() == "approve";
        let body = ReviewRequest {
            application_ids: ids.get_untracked(),
            decision: decision.get_untracked(),
            remark: Some(remark.get_untracked().trim().to_owned()).filter(|r| !r.is_empty()),
            payment_password: approve.then(|| payment_password.get_untracked()),
            sms_code: approve.then(|| sms_code.get_untracked().trim().to_owned()).filter(|s| !s.is_empty()),
            security_key: None,
        };
        let k = key.get_untracked();
        busy.set(true);
        spawn_local(async move {
            let mut body = body;
            if approve {
                // A bound key answers a check made for exactly these applications.
                match crate::webauthn::for_approval(session, &body.application_ids).await {
                    Ok(assertion) => body.security_key = assertion,
                    Err(e) => {
                        error.set(Some(e));
                        busy.set(false);
                        return;
                    }
                }
            }
            match api::post_idempotent::<_, ReviewOutcome>(Realm::Operator, "/api/v1/reviews", &body, &k)
                .await
            {
                Ok(o) => {
                    key.set(api::new_idempotency_key());
                    payment_password.set(String::new());
                    sms_code.set(String::new());
                    remark.set(String::new());
                    done.run(o);
                }
                Err(e) => {
                    if api::is_definite(&e) {
                        key.set(api::new_idempotency_key());
                    }
                    error.set(Some(e));
                }
            }
            busy.set(false);
        });
    };
    view! {
        <form class="form wide" on:submit=submit data-testid="decision-form">
            <ErrorBanner error=error/>
            <div class="row">
                <label class="check"><input type="radio" name="decision" value="approve" checked=move || decision.get() == "approve" on:change=move |_| decision.set("approve".into())/>{tr("审核通过", "Approve")}</label>
                <label class="check"><input type="radio" name="decision" value="reject" checked=move || decision.get() == "reject" on:change=move |_| decision.set("reject".into())/>{tr("审核拒绝", "Reject")}</label>
            </div>
            <label class="field"><span class=move || if approving() { "label" } else { "label req" }>{tr("备注", "Remark")}</span>
                <input name="remark" maxlength=paydesk_domain::limits::REVIEW_REMARK_CHARS bind:value=remark/><FieldMessage error=error field="remark"/></label>
            {move || approving().then(|| view! {
                <label class="field"><span class="label req">{tr("支付密码", "Payment password")}</span>
                    <input name="payment_password" type="password" autocomplete="off" bind:value=payment_password/>
                    <FieldMessage error=error field="payment_password"/></label>
                <SecondFactorField code=sms_code error=error/>
            })}
            <button class="primary" type="submit" name="confirm-review" disabled=move || busy.get()>{tr("确认", "Confirm")}</button>
        </form>
    }
}

#[component]
pub fn ReviewDetailPage() -> impl IntoView {
    let params = use_params_map();
    let lang = use_lang();
    let changed = use_reviews_changed();
    let id = move || params.get().get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0);
    let detail = LocalResource::new(move || {
        let (id, _) = (id(), changed.get());
        async move { api::get::<ReviewDetail>(Realm::Operator, &format!("/api/v1/reviews/{id}")).await }
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

/// 审核设置: single-person or maker-checker per kind of operation.
#[component]
pub fn ReviewPolicies() -> impl IntoView {
    use paydesk_api_types::{ReviewPolicyView, SetReviewPolicy};
    let lang = use_lang();
    let version = RwSignal::new(0u32);
    let list = LocalResource::new(move || {
        let _ = version.get();
        api::get::<Vec<ReviewPolicyView>>(Realm::Operator, "/api/v1/review-policies")
    });
    let error = RwSignal::new(None::<ApiError>);
    let session = use_session();
    let set = move |kind: String, mode: String| {
        spawn_local(async move {
            let body = SetReviewPolicy { mode };
            match api::put::<_, Vec<ReviewPolicyView>>(
                Realm::Operator,
                &format!("/api/v1/review-policies/{kind}"),
                &body,
            )
            .await
            {
                Ok(_) => {
                    version.update(|v| *v += 1);
                    crate::session::reload_me(session).await;
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <section class="panel" data-testid="review-policies">
            <h2 class="sub">{tr("审核设置", "Review policy")}</h2>
            <p class="hint">{tr("单人操作：同时具有申请和审核权限的操作员提交后立即完成（需支付密码和短信校验码或快捷盾）。多人制单复核：必须由另一位操作员审核，任何人不能审核自己的申请。",
                "Single person: an operator who may apply and review completes at once (payment password plus SMS code or security key). Maker-checker: another operator must review; nobody reviews their own.")}</p>
            <ErrorBanner error=error/>
            {move || list.get().and_then(|r| r.ok()).map(|items| view! {
                <table class="grid">
                    <thead><tr><th>{tr("业务类型", "Kind")}</th><th>{tr("审核方式", "Review")}</th></tr></thead>
                    <tbody>{items.into_iter().map(|p| {
                        let kind = p.kind.clone();
                        let (k2, attr, name) = (kind.clone(), kind.clone(), format!("policy-{kind}"));
                        view! {
                            <tr data-kind=attr><td>{move || kind_label(&k2, lang.get())}</td>
                                <td><select name=name on:change=move |ev| set(kind.clone(), event_target_value(&ev))>
                                    <option value="single" selected=p.mode == "single">{tr("单人操作", "Single person")}</option>
                                    <option value="maker_checker" selected=p.mode == "maker_checker">{tr("多人制单复核", "Maker-checker")}</option>
                                </select></td></tr>
                        }
                    }).collect_view()}</tbody>
                </table>
            })}
        </section>
    }
}
