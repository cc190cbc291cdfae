//! The staff console (/ops): verification queue, frozen logins, merchants and their fees.

use crate::api::ApiError;
use crate::components::{ErrorBanner, FieldMessage};
use crate::endpoints as ep;
use crate::i18n::{tr, use_lang};
use crate::pages::account::home::kyb_label;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;

#[component]
pub fn OpsPage() -> impl IntoView {
    let tab = RwSignal::new("kyb");
    let lang = use_lang();
    view! {
        <section class="page ops-page">
            <h1>{tr("运营控制台", "Staff console")}</h1>
            <div class="tabs">
                {[("kyb", "实名审核", "Verification reviews"), ("signings", "签约申请", "Signing applications"), ("frozen", "冻结登录", "Frozen logins"), ("merchants", "商户列表", "Merchants"), ("key", "安全密钥", "Security key")]
                    .into_iter()
                    .map(|(id, zh, en)| view! {
                        <button type="button" data-tab=id class:active=move || tab.get() == id on:click=move |_| tab.set(id)>
                            {move || lang.get().pick(zh, en)}
                        </button>
                    })
                    .collect_view()}
            </div>
            {move || match tab.get() {
                "kyb" => view! { <KybQueue/> }.into_any(),
                "frozen" => view! { <FrozenLogins/> }.into_any(),
                "signings" => view! { <crate::pages::ops::signings::SigningQueue/> }.into_any(),
                "key" => view! { <crate::pages::ops::key::StaffKeyPanel/> }.into_any(),
                _ => view! { <Merchants/> }.into_any(),
            }}
        </section>
    }
}

#[component]
pub(crate) fn KybQueue() -> impl IntoView {
    let status = RwSignal::new("submitted".to_owned());
    let list = LocalResource::new(move || {
        let s = status.get();
        async move { ep::get_ops_kyb_queue(s).await }
    });
    let lang = use_lang();
    view! {
        <div class="filters">
            <select name="kyb_status" bind:value=status>
                <option value="submitted">{tr("待审核", "Submitted")}</option>
                <option value="rejected">{tr("已驳回", "Rejected")}</option>
                <option value="awaiting_deposit">{tr("待确认金额", "Awaiting deposit")}</option>
                <option value="verified">{tr("已认证", "Verified")}</option>
                <option value="all">{tr("全部", "All")}</option>
            </select>
        </div>
        <Suspense fallback=|| view! { <p class="loading">"…"</p> }>
            {move || list.get().map(|r| match r {
                Err(e) => view! { <div class="banner error">{e.message()}</div> }.into_any(),
                Ok(page) if page.items.is_empty() => view! { <div class="empty">{tr("暂无待审核的申请", "Nothing to review")}</div> }.into_any(),
                Ok(page) => view! {
                    <table class="grid" data-testid="kyb-queue">
                        <thead><tr><th>{tr("商户账号", "Account")}</th><th>{tr("企业名称", "Company")}</th><th>{tr("状态", "Status")}</th><th></th></tr></thead>
                        <tbody>
                            {page.items.into_iter().map(|m| {
                                let s = m.kyb_status.clone();
                                view! {
                                    <tr>
                                        <td>{m.email.clone()}</td><td>{m.company_name.clone()}</td>
                                        <td>{move || kyb_label(&s, lang.get())}</td>
                                        <td><A href=format!("/ops/kyb/{}", m.id)>{tr("查看审核", "Review")}</A></td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
pub(crate) fn FrozenLogins() -> impl IntoView {
    let version = RwSignal::new(0u32);
    let list = LocalResource::new(move || {
        version.get();
        ep::get_ops_frozen_logins()
    });
    let error = RwSignal::new(None::<ApiError>);
    let unfreeze = move |id: i64, kind: String| {
        spawn_local(async move {
            match ep::unfreeze_operator(id, &kind).await {
                Ok(()) => version.update(|v| *v += 1),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <ErrorBanner error=error/>
        <Suspense fallback=|| view! { <p class="loading">"…"</p> }>
            {move || list.get().map(|r| match r {
                Err(e) => view! { <div class="banner error">{e.message()}</div> }.into_any(),
                Ok(rows) if rows.is_empty() => view! { <div class="empty" data-testid="no-frozen">{tr("没有被冻结的登录", "No frozen logins")}</div> }.into_any(),
                Ok(rows) => view! {
                    <table class="grid" data-testid="frozen-logins">
                        <thead><tr><th>{tr("商户账号", "Account")}</th><th>{tr("操作员", "Operator")}</th><th>{tr("冻结项", "Frozen")}</th><th>{tr("冻结至", "Frozen until")}</th><th></th></tr></thead>
                        <tbody>
                            {rows.into_iter().map(|f| {
                                let id = f.operator_id;
                                let kind = f.kind.clone();
                                let what = if f.kind == "payment_password" { tr("支付密码", "Payment password") } else { tr("登录密码", "Sign-in password") };
                                view! {
                                    <tr>
                                        <td>{f.merchant_email.clone()}</td><td>{f.operator.clone()}</td><td>{what}</td>
                                        <td>{crate::i18n::local_time(&f.frozen_until)}</td>
                                        <td><button type="button" name="unfreeze" on:click=move |_| unfreeze(id, kind.clone())>{tr("解冻", "Unfreeze")}</button></td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
pub(crate) fn Merchants() -> impl IntoView {
    let page = RwSignal::new(1u32);
    let list = LocalResource::new(move || {
        let p = page.get();
        async move { ep::get_ops_merchants(p).await }
    });
    let lang = use_lang();
    let editing = RwSignal::new(None::<(i64, String)>);
    view! {
        <Suspense fallback=|| view! { <p class="loading">"…"</p> }>
            {move || list.get().map(|r| match r {
                Err(e) => view! { <div class="banner error">{e.message()}</div> }.into_any(),
                Ok(p) => {
                    view! {
                        <table class="grid">
                            <thead><tr><th>"ID"</th><th>{tr("商户账号", "Account")}</th><th>{tr("企业名称", "Company")}</th><th>{tr("实名认证", "Verification")}</th><th>{tr("注册时间", "Registered")}</th><th>{tr("服务费", "Fees")}</th></tr></thead>
                            <tbody>
                                {p.items.into_iter().map(|m| {
                                    let s = m.kyb_status.clone();
                                    view! {
                                        <tr><td>{m.id}</td><td>{m.email.clone()}</td><td>{m.company_name.clone()}</td>
                                            <td>{move || kyb_label(&s, lang.get())}</td>
                                            <td>{crate::i18n::local_time(&m.created_at)}</td>
                                            <td><button type="button" class="link" name=format!("fees-{}", m.id)
                                                on:click={ let (id, name) = (m.id, m.company_name.clone()); move |_| editing.set(Some((id, name.clone()))) }>{tr("设置", "Set")}</button></td></tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                        <crate::components::Pager page=page total=p.total per_page=p.per_page/>
                    }.into_any()
                }
            })}
        </Suspense>
        {move || editing.get().map(|(id, name)| view! { <FeeEditor merchant_id=id company=name/> })}
    }
}

/// 服务费: one merchant's fee per product; each row saves on its own.
#[component]
pub(crate) fn FeeEditor(merchant_id: i64, company: String) -> impl IntoView {
    use paydesk_api_types::SetFeeRule;
    let schedule = LocalResource::new(move || async move { ep::get_ops_merchant_fees(merchant_id).await });
    view! {
        <section class="panel" data-testid="fee-editor">
            <h2 class="sub">{company}" · "{tr("服务费", "Fees")}</h2>
            <p class="hint">{tr("服务费 = 固定金额 + 金额 × 费率（万分之一），不低于最低、不高于最高。修改只影响之后提交的申请。",
                "Fee = fixed + amount × rate (basis points), within min and max. Changes apply to applications submitted afterwards.")}</p>
            {move || schedule.get().map(|r| match r {
                Err(e) => view! { <div class="banner error">{e.message()}</div> }.into_any(),
                Ok(s) => view! {
                    <table class="grid">
                        <thead><tr><th>{tr("产品", "Product")}</th><th>{tr("固定（元）", "Fixed")}</th><th>{tr("费率（bp）", "Rate (bp)")}</th><th>{tr("最低（元）", "Min")}</th><th>{tr("最高（元）", "Max")}</th><th></th></tr></thead>
                        <tbody>{s.items.into_iter().map(|rule| {
                            let fixed = RwSignal::new(rule.fixed.clone());
                            let rate = RwSignal::new(rule.rate_bp.to_string());
                            let min = RwSignal::new(rule.min.clone());
                            let max = RwSignal::new(rule.max.clone().unwrap_or_default());
                            let error = RwSignal::new(None::<ApiError>);
                            let saved = RwSignal::new(false);
                            let product = rule.product.clone();
                            let save = move |_| {
                                let Ok(rate_bp) = rate.get_untracked().trim().parse::<u32>() else {
                                    error.set(Some(ApiError::invalid_field("rate_bp", "enter a whole number of basis points")));
                                    return;
                                };
                                let body = SetFeeRule {
                                    fixed: fixed.get_untracked(),
                                    rate_bp,
                                    min: min.get_untracked(),
                                    max: Some(max.get_untracked()).filter(|m| !m.trim().is_empty()),
                                };
                                error.set(None);
                                saved.set(false);
                                let product = product.clone();
                                spawn_local(async move {
                                    match ep::put_ops_merchant_fee(merchant_id, &product, &body).await {
                                        Ok(_) => saved.set(true),
                                        Err(e) => error.set(Some(e)),
                                    }
                                });
                            };
                            let p = rule.product.clone();
                            view! {
                                <tr data-product=p.clone()>
                                    <td>{rule.label.clone()}</td>
                                    <td><input name=format!("{p}-fixed") size="8" bind:value=fixed/><FieldMessage error=error field="fixed"/></td>
                                    <td><input name=format!("{p}-rate") size="6" bind:value=rate/><FieldMessage error=error field="rate_bp"/></td>
                                    <td><input name=format!("{p}-min") size="8" bind:value=min/><FieldMessage error=error field="min"/></td>
                                    <td><input name=format!("{p}-max") size="8" bind:value=max/><FieldMessage error=error field="max"/></td>
                                    <td><button type="button" name=format!("{p}-save") on:click=save>{tr("保存", "Save")}</button>
                                        {move || saved.get().then(|| view! { <span class="ok">" ✓"</span> })}</td>
                                </tr>
                            }
                        }).collect_view()}</tbody>
                    </table>
                }.into_any(),
            })}
        </section>
    }
}
