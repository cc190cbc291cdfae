//! 安全中心 (manual §3.7): one row per protection of the signed-in operator —
//! 登录密码, 支付密码, 手机, 邮箱, 实名认证, 快捷盾 — with the security level, each
//! linking to its page.

use leptos::prelude::*;
use leptos_router::components::A;
use paydesk_api_types::SecurityOverview;

use crate::endpoints as ep;
use crate::i18n::{tr, use_lang, Lang};

fn level_label(level: &str, lang: Lang) -> &'static str {
    match level {
        "high" => lang.pick("高", "High"),
        "medium" => lang.pick("中", "Medium"),
        _ => lang.pick("低", "Low"),
    }
}

fn kyb_done(status: &str, lang: Lang) -> &'static str {
    match status {
        "verified" => lang.pick("已认证", "Verified"),
        "submitted" => lang.pick("审核中", "Under review"),
        "awaiting_deposit" => lang.pick("待确认金额", "Confirm the deposit"),
        "rejected" => lang.pick("未通过", "Rejected"),
        _ => lang.pick("未认证", "Not verified"),
    }
}

#[component]
pub fn SecurityOverviewPage() -> impl IntoView {
    let overview = LocalResource::new(ep::get_security);
    let lang = use_lang();
    view! {
        <section class="page" data-testid="security-overview">
            <h1>{tr("安全中心", "Security centre")}</h1>
            <Suspense fallback=|| view! { <p class="loading">"…"</p> }>
                {move || overview.get().map(|r| match r {
                    Err(e) => view! { <div class="banner error">{e.message()}</div> }.into_any(),
                    Ok(o) => view! { <Rows o=o lang=lang/> }.into_any(),
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Rows(o: SecurityOverview, lang: RwSignal<Lang>) -> impl IntoView {
    let level = o.level.clone();
    let may_change_payment = crate::session::use_session()
        .me
        .get_untracked()
        .is_some_and(|m| m.permissions.iter().any(|p| p == "account_settings"));
    let level_class = format!("level level-{level}");
    let set = move |on: bool| if on { tr("已设置", "Set")() } else { tr("未设置", "Not set")() };
    let bound = move |v: &Option<String>| v.clone().unwrap_or_else(|| tr("未绑定", "Not bound")().to_owned());
    let row = |key: &'static str, label: AnyView, state: String, link: AnyView| {
        view! {
            <tr data-row=key><th>{label}</th><td data-testid=format!("security-{key}")>{state}</td><td>{link}</td></tr>
        }
    };
    let link = |href: &'static str, text: &'static str, en: &'static str| {
        view! { <A href=href attr:class="link">{tr(text, en)}</A> }.into_any()
    };
    view! {
        {o.password_change_required.then(|| view! {
            <div class="banner error" data-testid="password-change-required">
                {tr("管理员为您设置了登录密码，请先修改登录密码。", "An administrator set your login password: change it first.")}
            </div>
        })}
        <p>{tr("安全等级：", "Security level: ")}
            <strong class=level_class data-testid="security-level">{move || level_label(&level, lang.get())}</strong>
            <span class="muted">" · "{o.merchant_email.clone()}" / "{o.operator.clone()}</span></p>
        <table class="detail security-rows">
            <tbody>
                {row("login-password", tr("登录密码", "Login password").into_any(), set(true).to_owned(),
                    link("/security/login-password", "修改", "Change"))}
                {row("payment-password", tr("支付密码", "Payment password").into_any(), set(o.payment_password_set).to_owned(),
                    if may_change_payment { link("/security/payment-password", "修改", "Change") }
                    else { view! { <span class="muted">{tr("资金操作时使用", "Asked when money moves")}</span> }.into_any() })}
                {row("phone", tr("手机", "Phone").into_any(), bound(&o.phone),
                    if o.phone.is_some() { link("/security/phone", "修改", "Change") } else { link("/security/phone", "绑定", "Bind") })}
                {row("email", tr("邮箱", "E-mail").into_any(), bound(&o.email),
                    if o.email.is_some() { link("/security/email", "修改", "Change") } else { link("/security/email", "绑定", "Bind") })}
                {row("kyb", tr("实名认证", "Real-name verification").into_any(), kyb_done(&o.kyb_status, lang.get_untracked()).to_owned(),
                    link("/account/kyb", "查看", "View"))}
                {row("key", tr("快捷盾", "Security key").into_any(),
                    if o.security_key_bound { tr("已绑定", "Bound")().to_owned() } else { tr("未绑定", "Not bound")().to_owned() },
                    link("/security/key", "管理", "Manage"))}
            </tbody>
        </table>
    }
}
