//! 修改支付密码 (manual §3.7.2): the merchant's payment password — the current
//! one, a new one with the strength meter, and its confirmation.

use leptos::prelude::*;
use leptos::task::spawn_local;
use paydesk_api_types::ChangePaymentPassword;

use crate::api::ApiError;
use crate::components::{passwords_differ, ErrorBanner, FieldMessage, NewPasswordFields, PasswordKind};
use crate::endpoints as ep;
use crate::i18n::tr;
use crate::pages::entry::recover::RecoveryVerifyForm;

#[component]
pub fn PaymentPasswordPage() -> impl IntoView {
    let old = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let confirm = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let done = RwSignal::new(false);
    let mismatch = move || passwords_differ(new, confirm);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if mismatch() {
            return;
        }
        error.set(None);
        done.set(false);
        let body = ChangePaymentPassword {
            old_payment_password: old.get_untracked(),
            new_payment_password: new.get_untracked(),
        };
        spawn_local(async move {
            match ep::change_payment_password(&body).await {
                Ok(()) => {
                    old.set(String::new());
                    new.set(String::new());
                    confirm.set(String::new());
                    done.set(true);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <section class="page">
            <h1>{tr("修改支付密码", "Change the payment password")}</h1>
            <p class="hint">{tr("支付密码属于商户，修改后所有操作员使用新的支付密码。连续输错 5 次将锁定 24 小时。",
                "The payment password is the merchant's: every operator uses the new one. Five wrong tries lock it for 24 hours.")}</p>
            {move || done.get().then(|| view! {
                <div class="banner ok" data-testid="payment-password-changed">{tr("支付密码已修改。", "Payment password changed.")}</div>
            })}
            <form class="form narrow" data-testid="payment-password-form" on:submit=submit>
                <ErrorBanner error=error/>
                <label class="field"><span class="label req">{tr("当前支付密码", "Current payment password")}</span>
                    <input name="old_payment_password" type="password" autocomplete="off" required bind:value=old/>
                    <FieldMessage error=error field="payment_password"/>
                    <FieldMessage error=error field="old_payment_password"/></label>
                <NewPasswordFields password=new confirm=confirm error=error name="new_payment_password" kind=PasswordKind::Payment
                    label=("新支付密码", "New payment password") confirm_label=("确认新支付密码", "Confirm the new payment password")/>
                <button class="primary" type="submit">{tr("确认修改", "Change")}</button>
            </form>
            <ForgotPaymentPassword/>
        </section>
    }
}

/// 找回支付密码: the licence number and a code to the bound phone, then a link
/// e-mailed to the bound address sets the new one.
#[component]
fn ForgotPaymentPassword() -> impl IntoView {
    let recovery = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<ApiError>);
    let sent = RwSignal::new(None::<paydesk_api_types::RecoveryLinkSent>);
    let start = move |_| {
        error.set(None);
        spawn_local(async move {
            match ep::start_payment_password_recovery().await {
                Ok(r) => recovery.set(Some(r.recovery_id)),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <div class="panel" data-testid="forgot-payment-password">
            <h2 class="sub">{tr("忘记支付密码", "Forgot the payment password")}</h2>
            <ErrorBanner error=error/>
            {move || match (recovery.get(), sent.get()) {
                (None, _) => view! {
                    <button type="button" name="recover-payment-password" on:click=start>{tr("找回支付密码", "Recover it")}</button>
                }.into_any(),
                (Some(_), None) => view! { <RecoveryVerifyForm recovery=recovery sent=sent error=error/> }.into_any(),
                (Some(_), Some(s)) => view! {
                    <p data-testid="recover-link-sent">{tr("设置新支付密码的链接已发送至 ", "A link to set a new payment password went to ")}<strong>{s.email.clone()}</strong></p>
                }.into_any(),
            }}
        </div>
    }
}
