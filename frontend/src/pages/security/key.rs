//! 安全中心 — 快捷盾绑定/解绑 (manual §3.7.5): the licence number, payment password
//! and SMS code open the binding, then the key itself is registered (WebAuthn,
//! user verification required). Unbinding takes the same checks.

use leptos::prelude::*;
use leptos::task::spawn_local;
use paydesk_api_types::{KeyChallenge, KeyRegistration, SecurityKeyCheck};

use crate::api::ApiError;
use crate::components::{ErrorBanner, FieldMessage, SmsCodeField};
use crate::endpoints as ep;
use crate::i18n::{local_time, tr};
use crate::session::{reload_me, use_session};

#[component]
pub fn SecurityKeyPage() -> impl IntoView {
    let version = RwSignal::new(0u32);
    let status = LocalResource::new(move || {
        let _ = version.get();
        ep::get_security_key()
    });
    let licence = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let sms = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let session = use_session();
    let check = move || SecurityKeyCheck {
        licence_number: licence.get_untracked().trim().to_owned(),
        payment_password: password.get_untracked(),
        sms_code: sms.get_untracked().trim().to_owned(),
    };
    let finish = move |result: Result<(), ApiError>| {
        busy.set(false);
        match result {
            Ok(()) => {
                password.set(String::new());
                sms.set(String::new());
                version.update(|v| *v += 1);
                spawn_local(reload_me(session));
            }
            Err(e) => error.set(Some(e)),
        }
    };
    let bind = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        busy.set(true);
        let body = check();
        spawn_local(async move {
            let result = async {
                let c: KeyChallenge = ep::start_security_key_binding(&body).await?;
                let credential = crate::webauthn::create(&c.options)
                    .await
                    .map_err(|m| ApiError::invalid_field("security_key", &m))?;
                let done = KeyRegistration { challenge_id: c.challenge_id, credential };
                ep::bind_security_key(&done).await.map(|_| ())
            }
            .await;
            finish(result);
        });
    };
    let unbind = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        busy.set(true);
        let body = check();
        spawn_local(async move {
            let result = ep::unbind_security_key(&body).await;
            finish(result);
        });
    };
    view! {
        <section class="page">
            <h1>{tr("快捷盾", "Security key")}</h1>
            <p class="hint">{tr("快捷盾是符合 FIDO2 标准的硬件安全密钥。绑定后，您的资金操作和审核都需要插入快捷盾确认，不再使用短信校验码。",
                "The security key is a FIDO2 hardware key. Once bound, your fund operations and approvals are confirmed with it instead of an SMS code.")}</p>
            {move || status.get().map(|r| match r {
                Err(e) => view! { <div class="banner error">{e.message()}</div> }.into_any(),
                Ok(s) => {
                    let bound = s.bound;
                    view! {
                        <p data-testid="key-status" data-bound=bound.to_string()>
                            {move || if bound { tr("已绑定快捷盾", "A security key is bound")() } else { tr("未绑定快捷盾", "No security key is bound")() }}
                            {s.bound_at.clone().map(|t| view! { <span class="muted">" · "{local_time(&t)}</span> })}
                        </p>
                        {bound.then(|| view! {
                            <h2 class="sub">{tr("证书详情", "Certificate details")}</h2>
                            <table class="detail" data-testid="key-details">
                                <tr><th>{tr("凭证编号", "Credential id")}</th><td class="mono">{s.credential_id.clone().unwrap_or_default()}</td></tr>
                                <tr><th>{tr("绑定时间", "Bound at")}</th><td>{s.bound_at.clone().map(|t| local_time(&t)).unwrap_or_default()}</td></tr>
                                <tr><th>{tr("最近使用", "Last used")}</th><td data-testid="key-last-used">{s.last_used_at.clone().map(|t| local_time(&t)).unwrap_or_else(|| "—".into())}</td></tr>
                                <tr><th>{tr("型号", "Model")}</th><td>{s.model.clone().unwrap_or_else(|| tr("未提供", "not reported")().to_owned())}</td></tr>
                            </table>
                        })}
                        <ol class="steps">
                            <li class="current">{tr("验证营业执照与支付密码", "Licence number and payment password")}</li>
                            <li class="current">{tr("短信校验", "SMS code")}</li>
                            <li class="current">{if bound { tr("解绑快捷盾", "Unbind the key") } else { tr("插入快捷盾", "Insert the key") }}</li>
                        </ol>
                        {s.phone.clone().map(|p| view! { <p class="hint" data-testid="key-phone">{tr("校验码将发送至 ", "The code goes to ")}{p}</p> })}
                        <form class="form" on:submit=move |ev| if bound { unbind(ev) } else { bind(ev) } data-testid="key-form">
                            <ErrorBanner error=error/>
                            <label class="field"><span class="label req">{tr("营业执照注册号", "Business licence number")}</span>
                                <input name="licence_number" bind:value=licence/><FieldMessage error=error field="licence_number"/></label>
                            <label class="field"><span class="label req">{tr("支付密码", "Payment password")}</span>
                                <input name="payment_password" type="password" autocomplete="off" bind:value=password/>
                                <FieldMessage error=error field="payment_password"/></label>
                            <SmsCodeField code=sms error=error/>
                            <FieldMessage error=error field="security_key"/>
                            <button class="primary" type="submit" name=if bound { "unbind-key" } else { "bind-key" } disabled=move || busy.get()>
                                {move || if bound { tr("解绑快捷盾", "Unbind the key")() } else { tr("绑定快捷盾", "Bind a key")() }}</button>
                        </form>
                    }.into_any()
                }
            })}
        </section>
    }
}
