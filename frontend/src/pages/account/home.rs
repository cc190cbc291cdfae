//! 首页 (manual §3.3): account, balances, security services, verification,
//! quick actions and recent transactions.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::endpoints as ep;
use crate::i18n::{tr, use_lang, Lang};

/// The verification status in words.
pub fn kyb_label(status: &str, lang: Lang) -> &'static str {
    match status {
        "verified" => lang.pick("已认证", "Verified"),
        "submitted" => lang.pick("审核中", "Under review"),
        "rejected" => lang.pick("未通过", "Rejected"),
        "awaiting_deposit" => lang.pick("待确认金额", "Confirm the deposit"),
        _ => lang.pick("未认证", "Not verified"),
    }
}

#[component]
pub fn HomePage() -> impl IntoView {
    let home = LocalResource::new(ep::get_home);
    let lang = use_lang();
    view! {
        <section class="page home-page">
            <Suspense fallback=|| view! { <p class="loading">"…"</p> }>
                {move || home.get().map(|r| match r {
                    Err(e) => view! { <div class="banner error">{e.message()}</div> }.into_any(),
                    Ok(h) => {
                        let verified = h.kyb_status == "verified";
                        let status = h.kyb_status.clone();
                        view! {
                            <div class="home-grid">
                                <div class="card account">
                                    <h2>{tr("个人信息", "Account")}</h2>
                                    <dl>
                                        <dt>{tr("登录账号", "Signed in as")}</dt>
                                        <dd data-testid="login-account">{h.merchant_email.clone()}" · "{h.display_name.clone()}" ("{h.operator.clone()}")"</dd>
                                        <dt>{tr("企业名称", "Company")}</dt>
                                        <dd>{h.company_name.clone()}</dd>
                                        <dt>{tr("实名认证", "Verification")}</dt>
                                        <dd>
                                            <span class=format!("badge kyb-{}", h.kyb_status) data-testid="kyb-status">{move || kyb_label(&status, lang.get())}</span>
                                            {(!verified).then(|| view! { <A href="/account/kyb" attr:class="inline-link">{tr("去认证", "Verify now")}</A> })}
                                        </dd>
                                    </dl>
                                </div>
                                <div class="card balance">
                                    <h2>{tr("账户可用余额", "Available balance")}</h2>
                                    <p class="amount" data-testid="available">"¥ "{h.available.clone()}</p>
                                    <p class="muted">{tr("冻结金额 ", "Frozen ")}"¥ "{h.frozen.clone()}</p>
                                    <div class="actions">
                                        {[("/funds/recharge", "充值", "Recharge"), ("/funds/withdraw", "提现", "Withdraw"), ("/funds/transfer", "转账", "Transfer")]
                                            .into_iter()
                                            .map(|(href, zh, en)| if verified {
                                                view! { <A href=href attr:class="button">{move || lang.get().pick(zh, en)}</A> }.into_any()
                                            } else {
                                                view! { <button type="button" disabled title=move || lang.get().pick("完成实名认证后可用", "Available after verification")>{move || lang.get().pick(zh, en)}</button> }.into_any()
                                            })
                                            .collect_view()}
                                    </div>
                                    {(!verified).then(|| view! {
                                        <p class="note" data-testid="kyb-required">
                                            {tr("未完成实名认证的商户不能进行充值、转账、提现等操作。", "Recharge, transfer and withdrawal open once verification is complete.")}
                                            " "<A href="/account/kyb">{tr("完成实名认证", "Complete verification")}</A>
                                        </p>
                                    })}
                                </div>
                                <div class="card security">
                                    <h2>{tr("安全服务", "Security services")}</h2>
                                    <ul class="services">
                                        <li class=if h.security.payment_password_set { "on" } else { "off" }>{tr("支付密码", "Payment password")}</li>
                                        <li class=if h.security.phone.is_some() { "on" } else { "off" }>
                                            {tr("手机绑定", "Phone")}" "{h.security.phone.clone().unwrap_or_default()}</li>
                                        <li class=if h.security.email.is_some() { "on" } else { "off" }>
                                            {tr("邮箱绑定", "E-mail")}" "{h.security.email.clone().unwrap_or_default()}</li>
                                        <li class=if h.security.security_key_bound { "on" } else { "off" }>{tr("快捷盾", "Security key")}</li>
                                    </ul>
                                </div>
                            </div>
                            <SignedProducts/>
                            <div class="card recent">
                                <h2>{tr("最近交易记录", "Recent transactions")}</h2>
                                {if h.recent.is_empty() {
                                    view! { <div class="empty" data-testid="recent-empty">{tr("暂无交易记录", "No transactions yet")}</div> }.into_any()
                                } else {
                                    view! {
                                        <table class="grid">
                                            <thead><tr>
                                                <th>{tr("时间", "Time")}</th><th>{tr("收入", "Income")}</th>
                                                <th>{tr("支出", "Expense")}</th><th>{tr("余额", "Balance")}</th><th>{tr("备注", "Remark")}</th>
                                            </tr></thead>
                                            <tbody>
                                                {h.recent.iter().map(|l| view! {
                                                    <tr>
                                                        <td>{crate::i18n::local_time(&l.time)}</td>
                                                        <td class="num income">{l.income.clone().unwrap_or_default()}</td>
                                                        <td class="num expense">{l.expense.clone().unwrap_or_default()}</td>
                                                        <td class="num">{l.balance_after.clone()}</td>
                                                        <td>{l.remark.clone()}</td>
                                                    </tr>
                                                }).collect_view()}
                                            </tbody>
                                        </table>
                                    }.into_any()
                                }}
                            </div>
                        }.into_any()
                    }
                })}
            </Suspense>
        </section>
    }
}

/// 应用产品 (§3.3): the products the merchant has signed, each opening its page.
#[component]
fn SignedProducts() -> impl IntoView {
    let apps = LocalResource::new(ep::get_apps);
    let lang = use_lang();
    view! {
        <div class="card products" data-testid="home-products">
            <h2>{tr("应用产品", "Products")}" "<A href="/apps/products" attr:class="inline-link">{tr("应用中心", "App centre")}</A></h2>
            {move || apps.get().and_then(Result::ok).map(|list| {
                let signed: Vec<_> = list.into_iter().filter(|a| a.state == "signed").collect();
                if signed.is_empty() {
                    return view! { <p class="empty">{tr("尚未签约产品", "No product signed yet")}</p> }.into_any();
                }
                view! {
                    <div class="quick">{signed.into_iter().map(|a| {
                        let (zh, en) = (a.name.clone(), a.name_en.clone());
                        view! { <A href=a.page.clone() attr:class="button">{move || if lang.get() == Lang::Zh { zh.clone() } else { en.clone() }}</A> }
                    }).collect_view()}</div>
                }.into_any()
            })}
        </div>
    }
}
