//! 修改登录密码 (manual §3.7.1): the current password, a new one with the
//! strength meter, and its confirmation. Also where an operator whose password
//! an admin set is sent at sign-in.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use paydesk_api_types::ChangeLoginPassword;

use crate::api::ApiError;
use crate::components::{passwords_differ, ErrorBanner, FieldMessage, NewPasswordFields, PasswordKind};
use crate::endpoints as ep;
use crate::i18n::tr;
use crate::session::{reload_me, use_session};

#[component]
pub fn LoginPasswordPage() -> impl IntoView {
    let old = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let confirm = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let done = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let session = use_session();
    let navigate = use_navigate();
    let forced = move || session.me.get().is_some_and(|m| m.password_change_required);
    let mismatch = move || passwords_differ(new, confirm);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if mismatch() {
            return;
        }
        error.set(None);
        busy.set(true);
        let body =
            ChangeLoginPassword { old_password: old.get_untracked(), new_password: new.get_untracked() };
        let navigate = navigate.clone();
        spawn_local(async move {
            let was_forced = session.me.get_untracked().is_some_and(|m| m.password_change_required);
            match ep::change_login_password(&body).await {
                Ok(()) => {
                    old.set(String::new());
                    new.set(String::new());
                    confirm.set(String::new());
                    reload_me(session).await;
                    done.set(true);
                    if was_forced {
                        let held = session.me.get_untracked().map(|m| m.permissions).unwrap_or_default();
                        navigate(&crate::nav::landing(&held), Default::default());
                    }
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    view! {
        <section class="page">
            <h1>{tr("修改登录密码", "Change the login password")}</h1>
            {move || forced().then(|| view! {
                <div class="banner error" data-testid="password-change-required">
                    {tr("管理员为您设置了登录密码，请先设置您自己的登录密码。", "An administrator set your login password: choose your own before going on.")}
                </div>
            })}
            {move || done.get().then(|| view! {
                <div class="banner ok" data-testid="password-changed">{tr("登录密码已修改，其他设备上的登录已退出。", "Login password changed; your other sessions were signed out.")}</div>
            })}
            <form class="form narrow" data-testid="login-password-form" on:submit=submit>
                <ErrorBanner error=error/>
                <label class="field"><span class="label req">{tr("当前登录密码", "Current password")}</span>
                    <input name="old_password" type="password" autocomplete="current-password" required bind:value=old/>
                    <FieldMessage error=error field="old_password"/></label>
                <NewPasswordFields password=new confirm=confirm error=error name="new_password" kind=PasswordKind::Login
                    label=("新登录密码", "New password") confirm_label=("确认新登录密码", "Confirm the new password")/>
                <button class="primary" type="submit" disabled=move || busy.get()>{tr("确认修改", "Change")}</button>
            </form>
        </section>
    }
}
