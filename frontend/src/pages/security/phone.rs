//! 绑定/修改手机 (manual §3.7.3): bind a phone (payment password, the phone and
//! the code sent to it); change it with the old phone usable (a code to it) or
//! not (the licence number), then the new phone and its code; unbind.

use leptos::prelude::*;
use leptos::task::spawn_local;
use paydesk_api_types::{PhoneChange, PhoneUnbind, SecurityOverview};

use crate::api::ApiError;
use crate::components::{ErrorBanner, FieldMessage, SmsCodeField};
use crate::endpoints as ep;
use crate::i18n::tr;
use crate::session::{reload_me, use_session};

/// Which way the phone is being set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Way {
    Bind,
    OldPhone,
    Licence,
    Unbind,
}

#[component]
pub fn PhonePage() -> impl IntoView {
    let overview = RwSignal::new(None::<SecurityOverview>);
    let error = RwSignal::new(None::<ApiError>);
    let done = RwSignal::new(false);
    let way = RwSignal::new(None::<Way>);
    let first = leptos_router::hooks::use_query_map().get_untracked().get("first").is_some();
    let session = use_session();
    let skip = move || {
        let held = session.me.get_untracked().map(|m| m.permissions).unwrap_or_default();
        crate::nav::landing(&held)
    };
    spawn_local(async move {
        match ep::get_security().await {
            Ok(o) => overview.set(Some(o)),
            Err(e) => error.set(Some(e)),
        }
    });
    view! {
        <section class="page">
            <h1>{tr("手机", "Phone")}</h1>
            {first.then(|| view! {
                <div class="banner" data-testid="bind-phone-first">
                    {tr("请绑定手机：资金操作、审核和快捷盾都需要发送到手机的校验码。", "Bind a phone: fund operations, reviews and the security key need codes sent to it.")}
                    " "<a href=skip() data-testid="skip-phone">{tr("以后再说", "Later")}</a>
                </div>
            })}
            <ErrorBanner error=error/>
            {move || done.get().then(|| view! { <div class="banner ok" data-testid="phone-done">{tr("设置成功", "Done")}</div> })}
            {move || overview.get().map(|o| match (o.phone.clone(), way.get()) {
                (None, _) => view! { <PhoneForm way=Way::Bind overview=overview done=done chosen=way/> }.into_any(),
                (Some(p), None) => view! {
                    <p>{tr("已绑定手机：", "Bound phone: ")}<strong data-testid="bound-phone">{p}</strong></p>
                    <div class="row">
                        <button type="button" name="change-with-old" on:click=move |_| way.set(Some(Way::OldPhone))>{tr("修改（原手机可用）", "Change (old phone at hand)")}</button>
                        <button type="button" name="change-with-licence" on:click=move |_| way.set(Some(Way::Licence))>{tr("修改（原手机不可用）", "Change (old phone lost)")}</button>
                        <button type="button" name="unbind-phone" on:click=move |_| way.set(Some(Way::Unbind))>{tr("解绑", "Unbind")}</button>
                    </div>
                }.into_any(),
                (Some(_), Some(w)) => view! {
                    <PhoneForm way=w overview=overview done=done chosen=way/>
                    <button type="button" class="link" on:click=move |_| way.set(None)>{tr("返回", "Back")}</button>
                }.into_any(),
            })}
        </section>
    }
}

#[component]
fn PhoneForm(
    way: Way,
    overview: RwSignal<Option<SecurityOverview>>,
    done: RwSignal<bool>,
    chosen: RwSignal<Option<Way>>,
) -> impl IntoView {
    let password = RwSignal::new(String::new());
    let old_code = RwSignal::new(String::new());
    let licence = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let session = use_session();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        done.set(false);
        spawn_local(async move {
            let result = if way == Way::Unbind {
                let body = PhoneUnbind {
                    payment_password: password.get_untracked(),
                    sms_code: old_code.get_untracked(),
                };
                ep::unbind_phone(&body).await
            } else {
                let method = match way {
                    Way::Bind => "bind",
                    Way::OldPhone => "old_phone",
                    _ => "licence",
                };
                let body = PhoneChange {
                    method: method.into(),
                    payment_password: password.get_untracked(),
                    old_sms_code: (way == Way::OldPhone).then(|| old_code.get_untracked()),
                    licence_number: (way == Way::Licence).then(|| licence.get_untracked().trim().to_owned()),
                    phone: phone.get_untracked().trim().to_owned(),
                    sms_code: code.get_untracked(),
                };
                ep::change_phone(&body).await
            };
            match result {
                Ok(o) => {
                    chosen.set(None);
                    overview.set(Some(o));
                    done.set(true);
                    reload_me(session).await;
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let title = match way {
        Way::Bind => tr("绑定手机", "Bind a phone"),
        Way::OldPhone => tr("修改手机（原手机可用）", "Change the phone (old phone at hand)"),
        Way::Licence => tr("修改手机（原手机不可用）", "Change the phone (old phone lost)"),
        Way::Unbind => tr("解绑手机", "Unbind the phone"),
    };
    view! {
        <form class="form narrow" data-testid="phone-form" on:submit=submit>
            <h2>{title}</h2>
            <ErrorBanner error=error/>
            {(way == Way::OldPhone || way == Way::Unbind).then(|| view! {
                <p class="hint">{tr("第一步：验证原手机", "Step 1: prove the current phone")}</p>
                <SmsCodeField code=old_code error=error purpose="security" field=if way == Way::Unbind { "sms_code" } else { "old_sms_code" }/>
            })}
            {(way == Way::Licence).then(|| view! {
                <label class="field"><span class="label req">{tr("营业执照注册号", "Business licence number")}</span>
                    <input name="licence_number" bind:value=licence/>
                    <FieldMessage error=error field="licence_number"/></label>
            })}
            <label class="field"><span class="label req">{tr("支付密码", "Payment password")}</span>
                <input name="payment_password" type="password" autocomplete="off" bind:value=password/>
                <FieldMessage error=error field="payment_password"/></label>
            {(way != Way::Unbind).then(|| view! {
                <p class="hint">{tr("新手机将收到校验码", "The new phone receives a code")}</p>
                <label class="field"><span class="label req">{tr("新手机号码", "New phone number")}</span>
                    <input name="phone" inputmode="tel" bind:value=phone/>
                    <FieldMessage error=error field="phone"/></label>
                <SmsCodeField code=code error=error purpose="new_phone" to=phone/>
            })}
            <button class="primary" type="submit">{tr("确认", "Confirm")}</button>
        </form>
    }
}
