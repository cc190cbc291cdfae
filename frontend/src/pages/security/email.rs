//! 安全邮箱 (manual §3.7.4): bind (an activation link to the address), change
//! (a link to the current address first), unbind — each with the payment
//! password; and the public page an e-mailed link opens.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use paydesk_api_types::{
    EmailBind, EmailLinkSent, EmailLinkUse, EmailLinkUsed, EmailProof, SecurityOverview,
};

use crate::api::ApiError;
use crate::components::{ErrorBanner, FieldMessage};
use crate::endpoints as ep;
use crate::i18n::tr;

#[component]
pub fn EmailPage() -> impl IntoView {
    let overview = RwSignal::new(None::<SecurityOverview>);
    let password = RwSignal::new(String::new());
    let address = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let sent = RwSignal::new(None::<EmailLinkSent>);
    let unbound = RwSignal::new(false);
    let load = move || {
        spawn_local(async move {
            match ep::get_security().await {
                Ok(o) => overview.set(Some(o)),
                Err(e) => error.set(Some(e)),
            }
        })
    };
    load();
    let bind = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        let body = EmailBind {
            payment_password: password.get_untracked(),
            email: address.get_untracked().trim().to_owned(),
        };
        spawn_local(async move {
            match ep::bind_email(&body).await {
                Ok(s) => sent.set(Some(s)),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let change = move |_| {
        error.set(None);
        let body = EmailProof { payment_password: password.get_untracked() };
        spawn_local(async move {
            match ep::start_email_change(&body).await {
                Ok(s) => sent.set(Some(s)),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let unbind = move |_| {
        error.set(None);
        let body = EmailProof { payment_password: password.get_untracked() };
        spawn_local(async move {
            match ep::unbind_email(&body).await {
                Ok(()) => {
                    unbound.set(true);
                    load();
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <section class="page">
            <h1>{tr("邮箱", "E-mail")}</h1>
            <p class="hint">{tr("安全邮箱接收找回密码的链接和安全提醒；它不是登录账号，商户账号（注册邮箱）不会因此改变。",
                "The bound e-mail receives recovery links and security notices. It is not the login: the merchant account (the registration e-mail) does not change.")}</p>
            <ErrorBanner error=error/>
            {move || unbound.get().then(|| view! { <div class="banner ok" data-testid="email-unbound">{tr("邮箱已解绑", "E-mail unbound")}</div> })}
            {move || sent.get().map(|s| view! {
                <div class="banner ok" data-testid="email-link-sent">{tr("链接已发送至 ", "A link went to ")}<strong>{s.email}</strong>
                    {tr("，请在 30 分钟内打开。", "; open it within 30 minutes.")}</div>
            })}
            {move || overview.get().map(|o| view! {
                <div class="form narrow" data-testid="email-form">
                    <p>{tr("当前邮箱：", "Bound e-mail: ")}<strong data-testid="bound-email">{o.email.clone().unwrap_or_else(|| tr("未绑定", "none")().to_owned())}</strong></p>
                    <label class="field"><span class="label req">{tr("支付密码", "Payment password")}</span>
                        <input name="payment_password" type="password" autocomplete="off" bind:value=password/>
                        <FieldMessage error=error field="payment_password"/></label>
                    {if o.email.is_none() {
                        view! {
                            <form on:submit=bind>
                                <label class="field"><span class="label req">{tr("邮箱地址", "E-mail address")}</span>
                                    <input name="email" type="email" bind:value=address/>
                                    <FieldMessage error=error field="email"/></label>
                                <button class="primary" type="submit" name="bind-email">{tr("发送激活邮件", "Send the activation link")}</button>
                            </form>
                        }.into_any()
                    } else {
                        view! {
                            <div class="row">
                                <button class="primary" type="button" name="change-email" on:click=change>{tr("修改邮箱", "Change")}</button>
                                <button type="button" name="unbind-email" on:click=unbind>{tr("解绑邮箱", "Unbind")}</button>
                            </div>
                        }.into_any()
                    }}
                </div>
            })}
        </section>
    }
}

/// Where an e-mailed 安全邮箱 link lands (no session needed).
#[component]
pub fn EmailLinkPage() -> impl IntoView {
    let token = move || use_query_map().get_untracked().get("token").unwrap_or_default();
    let link = LocalResource::new(move || {
        let t = token();
        async move { ep::get_email_link(&t).await }
    });
    let new_email = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let done = RwSignal::new(None::<EmailLinkUsed>);
    let open = move |with_new: bool| {
        error.set(None);
        let body = EmailLinkUse { new_email: with_new.then(|| new_email.get_untracked().trim().to_owned()) };
        let t = token();
        spawn_local(async move {
            match ep::open_email_link(&t, &body).await {
                Ok(u) => done.set(Some(u)),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <section class="page auth-page">
            <h1>{tr("安全邮箱", "E-mail")}</h1>
            <ErrorBanner error=error/>
            <Suspense fallback=|| view! { <p class="loading">"…"</p> }>
                {move || link.get().map(|r| match (r, done.get()) {
                    (_, Some(u)) => view! {
                        <div class="form narrow sent" data-testid="email-link-done" data-result=u.result.clone()>
                            {if u.result == "bound" {
                                view! { <p class="big">{tr("邮箱已绑定：", "Bound: ")}{u.email.clone()}</p> }.into_any()
                            } else {
                                view! { <p>{tr("激活邮件已发送至 ", "An activation link went to ")}<strong>{u.email.clone()}</strong>{tr("，请打开它完成修改。", "; open it to finish.")}</p> }.into_any()
                            }}
                            <A href="/security/overview">{tr("返回安全中心", "Back to the security centre")}</A>
                        </div>
                    }.into_any(),
                    (Err(e), None) => view! { <div class="banner error" data-code=e.code().to_owned()>{e.message()}</div> }.into_any(),
                    (Ok(l), None) if l.purpose == "verify_old" => view! {
                        <form class="form narrow" data-testid="email-new" on:submit=move |ev| { ev.prevent_default(); open(true) }>
                            <p>{tr("原邮箱 ", "Current e-mail ")}{l.email.clone()}{tr(" 已确认。请填写新邮箱：", " confirmed. The new address:")}</p>
                            <label class="field"><span class="label req">{tr("新邮箱", "New e-mail")}</span>
                                <input name="new_email" type="email" bind:value=new_email/>
                                <FieldMessage error=error field="new_email"/></label>
                            <button class="primary" type="submit">{tr("发送激活邮件", "Send the activation link")}</button>
                        </form>
                    }.into_any(),
                    (Ok(l), None) => view! {
                        <div class="form narrow" data-testid="email-activate">
                            <p>{tr("激活邮箱 ", "Activate ")}<strong>{l.email.clone()}</strong></p>
                            <button class="primary" type="button" name="activate" on:click=move |_| open(false)>{tr("激活", "Activate")}</button>
                        </div>
                    }.into_any(),
                })}
            </Suspense>
        </section>
    }
}
