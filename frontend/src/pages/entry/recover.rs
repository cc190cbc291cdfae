//! 忘记登录密码 (manual §3.7.1), without a session: the merchant account (and
//! operator) with a captcha → the licence number and a code sent to the bound
//! phone → a single-use link e-mailed to the bound address (again after 60 s)
//! → the new password → success.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use paydesk_api_types::{
    KeyAssertion, RecoveryComplete, RecoveryLinkSent, RecoveryStart, RecoveryVerify, SmsCodeSent,
};

use crate::api::ApiError;
use crate::components::{CaptchaField, CaptchaState, ErrorBanner, FieldMessage, StrengthMeter};
use crate::endpoints as ep;
use crate::i18n::tr;

#[component]
pub fn RecoverPage() -> impl IntoView {
    let merchant = RwSignal::new(String::new());
    let operator = RwSignal::new(String::new());
    let captcha = CaptchaState::new();
    let error = RwSignal::new(None::<ApiError>);
    let recovery = RwSignal::new(None::<String>);
    let link_sent = RwSignal::new(None::<RecoveryLinkSent>);
    let start = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        let body = RecoveryStart {
            merchant: merchant.get_untracked().trim().to_owned(),
            operator: operator.get_untracked().trim().to_owned(),
            captcha_id: captcha.id.get_untracked(),
            captcha_answer: captcha.answer.get_untracked(),
        };
        spawn_local(async move {
            match ep::start_recovery(&body).await {
                Ok(r) => recovery.set(Some(r.recovery_id)),
                Err(e) => {
                    error.set(Some(e));
                    captcha.reload();
                }
            }
        });
    };
    let resend = move |_| {
        let Some(id) = recovery.get_untracked() else { return };
        error.set(None);
        spawn_local(async move {
            match ep::resend_recovery_link(&id).await {
                Ok(s) => link_sent.set(Some(s)),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <section class="page auth-page">
            <h1>{tr("找回登录密码", "Recover the login password")}</h1>
            <ol class="steps" data-testid="recover-steps">
                <li class=move || if recovery.get().is_none() { "current" } else { "" }>{tr("填写账户名", "Account")}</li>
                <li class=move || if recovery.get().is_some() && link_sent.get().is_none() { "current" } else { "" }>{tr("验证身份", "Verify")}</li>
                <li class=move || if link_sent.get().is_some() { "current" } else { "" }>{tr("重置登录密码", "New password")}</li>
            </ol>
            <ErrorBanner error=error/>
            {move || match (recovery.get(), link_sent.get()) {
                (None, _) => view! {
                    <form class="form narrow" data-testid="recover-start" on:submit=start>
                        <label class="field"><span class="label req">{tr("商户账号", "Merchant account")}</span>
                            <input name="merchant" type="email" required bind:value=merchant/></label>
                        <label class="field"><span class="label">{tr("操作员", "Operator")}</span>
                            <input name="operator" bind:value=operator/>
                            <span class="hint">{tr("管理员可不填", "Leave empty for the administrator")}</span></label>
                        <CaptchaField state=captcha error=error/>
                        <button class="primary" type="submit">{tr("下一步", "Next")}</button>
                    </form>
                }.into_any(),
                (Some(_), None) => view! { <RecoveryVerifyForm recovery=recovery sent=link_sent error=error/> }.into_any(),
                (Some(_), Some(s)) => view! {
                    <div class="form narrow sent" data-testid="recover-link-sent">
                        <p>{tr("重置密码的链接已发送至 ", "A link to set a new password went to ")}<strong>{s.email.clone()}</strong></p>
                        <p class="hint">{tr("请在 30 分钟内打开邮件中的链接，链接仅可使用一次。", "Open it within 30 minutes; it works once.")}</p>
                        <button type="button" name="resend-link" on:click=resend>{tr("重新发送", "Send again")}</button>
                    </div>
                }.into_any(),
            }}
            <p class="links"><A href="/login">{tr("返回登录", "Back to sign-in")}</A></p>
        </section>
    }
}

/// A recovery's second step, wherever it started (the sign-in page, the
/// payment-password page): the licence number and a code sent to the bound
/// phone; then the link is e-mailed.
#[component]
pub(crate) fn RecoveryVerifyForm(
    recovery: RwSignal<Option<String>>,
    sent: RwSignal<Option<RecoveryLinkSent>>,
    error: RwSignal<Option<ApiError>>,
) -> impl IntoView {
    let licence = RwSignal::new(String::new());
    let sms = RwSignal::new(String::new());
    let code_sent = RwSignal::new(None::<SmsCodeSent>);
    let send_code = move |_| {
        let Some(id) = recovery.get_untracked() else { return };
        spawn_local(async move {
            match ep::send_recovery_code(&id).await {
                Ok(s) => code_sent.set(Some(s)),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let verify = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        let Some(id) = recovery.get_untracked() else { return };
        let body = RecoveryVerify {
            licence_number: licence.get_untracked().trim().to_owned(),
            sms_code: sms.get_untracked().trim().to_owned(),
            security_key: None,
        };
        spawn_local(async move {
            match ep::verify_recovery(&id, &body).await {
                Ok(s) => sent.set(Some(s)),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    // Instead of the SMS code: the operator's 快捷盾, when bound.
    let with_key = move |_| {
        error.set(None);
        let Some(id) = recovery.get_untracked() else { return };
        let licence_number = licence.get_untracked().trim().to_owned();
        spawn_local(async move {
            let result = async {
                let c = ep::recovery_key_challenge(&id).await?;
                let credential = crate::webauthn::get(&c.options)
                    .await
                    .map_err(|m| ApiError::invalid_field("security_key", &m))?;
                let assertion = KeyAssertion { challenge_id: c.challenge_id, credential };
                let body =
                    RecoveryVerify { licence_number, sms_code: String::new(), security_key: Some(assertion) };
                ep::verify_recovery(&id, &body).await
            }
            .await;
            match result {
                Ok(s) => sent.set(Some(s)),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <form class="form narrow" data-testid="recover-verify" on:submit=verify>
            <label class="field"><span class="label req">{tr("营业执照注册号", "Business licence number")}</span>
                <input name="licence_number" bind:value=licence/>
                <FieldMessage error=error field="licence_number"/></label>
            <div class="field"><span class="label req">{tr("手机校验码", "SMS code")}</span>
                <div class="row">
                    <input name="sms_code" inputmode="numeric" maxlength=paydesk_domain::limits::SMS_CODE_DIGITS bind:value=sms/>
                    <button type="button" name="send-sms" on:click=send_code>{tr("获取校验码", "Send code")}</button>
                </div>
                {move || code_sent.get().map(|s| view! { <span class="hint" data-testid="sms_code-sent">{tr("已发送至 ", "Sent to ")}{s.phone}</span> })}
                <FieldMessage error=error field="sms_code"/></div>
            <FieldMessage error=error field="security_key"/>
            <div class="actions">
                <button class="primary" type="submit">{tr("下一步", "Next")}</button>
                <button type="button" name="use-key" on:click=with_key>{tr("使用快捷盾验证", "Use the security key instead")}</button>
            </div>
        </form>
    }
}

#[component]
pub fn CompleteRecoveryPage() -> impl IntoView {
    let token = move || use_query_map().get_untracked().get("token").unwrap_or_default();
    let link = LocalResource::new(move || {
        let t = token();
        async move { ep::get_recovery_link(&t).await }
    });
    let password = RwSignal::new(String::new());
    let confirm = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let done = RwSignal::new(false);
    let mismatch = move || !confirm.get().is_empty() && confirm.get() != password.get();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if mismatch() {
            return;
        }
        error.set(None);
        let body = RecoveryComplete { new_password: password.get_untracked() };
        let t = token();
        spawn_local(async move {
            match ep::complete_recovery(&t, &body).await {
                Ok(()) => done.set(true),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <section class="page auth-page">
            <h1>{tr("重置登录密码", "Set a new login password")}</h1>
            <Suspense fallback=|| view! { <p class="loading">"…"</p> }>
                {move || link.get().map(|r| match (r, done.get()) {
                    (Ok(l), true) if l.kind == "payment_password" => view! {
                        <div class="form narrow sent" data-testid="recovered">
                            <p class="big">{tr("支付密码已重置", "The payment password is set")}</p>
                            <p>{tr("所有操作员从现在起使用新的支付密码。", "Every operator uses the new one from now on.")}</p>
                        </div>
                    }.into_any(),
                    (_, true) => view! {
                        <div class="form narrow sent" data-testid="recovered">
                            <p class="big">{tr("登录密码已重置", "Your login password is set")}</p>
                            <p>{tr("该操作员在所有设备上的登录均已退出。", "Every session of this operator was signed out.")}</p>
                            <A href="/login" attr:class="button primary">{tr("去登录", "Sign in")}</A>
                        </div>
                    }.into_any(),
                    (Err(e), false) => view! {
                        <div class="form narrow">
                            <div class="banner error" data-code=e.code().to_owned()>{e.message()}</div>
                            <A href="/recover">{tr("重新找回", "Start again")}</A>
                        </div>
                    }.into_any(),
                    (Ok(l), false) => view! {
                        <form class="form narrow" data-testid="recover-complete" on:submit=submit>
                            <ErrorBanner error=error/>
                            <p class="muted">{l.merchant.clone()}" / "{l.operator.clone()}</p>
                            <label class="field"><span class="label req">{if l.kind == "payment_password" { tr("新支付密码", "New payment password") } else { tr("新登录密码", "New password") }}</span>
                                <input name="new_password" type="password" autocomplete="new-password" bind:value=password/>
                                <StrengthMeter password=password/>
                                <FieldMessage error=error field="new_password"/></label>
                            <label class="field"><span class="label req">{tr("确认新登录密码", "Confirm the new password")}</span>
                                <input name="new_password_confirm" type="password" autocomplete="new-password" bind:value=confirm/>
                                {move || mismatch().then(|| view! { <span class="field-error">{tr("两次输入的密码不一致", "The passwords differ")}</span> })}
                            </label>
                            <button class="primary" type="submit">{tr("确认", "Confirm")}</button>
                        </form>
                    }.into_any(),
                })}
            </Suspense>
        </section>
    }
}
