//! 登录 (manual §3.1): merchant account, operator, password, captcha.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use paydesk_api_types::{KeyAssertion, LoginRequest, StaffLoginRequest};
use paydesk_domain::limits;

use crate::api::{self, ApiError, Realm};
use crate::components::{CaptchaField, CaptchaState, ErrorBanner, FieldMessage};
use crate::endpoints as ep;
use crate::i18n::{tr, tr_n};
use crate::session::{reload_me, use_session, use_staff};

#[component]
pub fn LoginPage() -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let merchant = RwSignal::new(String::new());
    let operator = RwSignal::new(String::new());
    let operator_touched = RwSignal::new(false);
    let password = RwSignal::new(String::new());
    let captcha = CaptchaState::new();
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);

    // The admin signs in as the account e-mail itself: follow it until edited.
    Effect::new(move |_| {
        let m = merchant.get();
        if !operator_touched.get_untracked() {
            operator.set(m);
        }
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        error.set(None);
        let body = LoginRequest {
            merchant: merchant.get_untracked(),
            operator: operator.get_untracked(),
            password: password.get_untracked(),
            captcha_id: captcha.id.get_untracked(),
            captcha_answer: captcha.answer.get_untracked(),
        };
        let navigate = navigate.clone();
        spawn_local(async move {
            match ep::sign_in(&body).await {
                Ok(t) => {
                    api::set_token(Realm::Operator, Some(t.access_token));
                    reload_me(session).await;
                    let me = session.me.get_untracked();
                    if me.as_ref().is_some_and(|m| m.password_change_required) {
                        navigate("/security/login-password", Default::default());
                    } else if me.as_ref().is_some_and(|m| !m.phone_bound) {
                        // No phone, no SMS codes: bind one first (or skip).
                        navigate("/security/phone?first=1", Default::default());
                    } else {
                        let held = me.map(|m| m.permissions).unwrap_or_default();
                        navigate(&crate::nav::landing(&held), Default::default());
                    }
                }
                Err(e) => {
                    error.set(Some(e));
                    password.set(String::new());
                    captcha.reload();
                }
            }
            busy.set(false);
        });
    };

    view! {
        <section class="page auth-page">
            <h1>{tr("商户登录", "Merchant sign-in")}</h1>
            <form class="form narrow" on:submit=submit>
                <ErrorBanner error=error/>
                <label class="field">
                    <span class="label">{tr("商户账号", "Merchant account")}</span>
                    <input name="merchant" type="email" autocomplete="username" required
                        placeholder=tr("注册时使用的邮箱", "the e-mail used to register") bind:value=merchant/>
                </label>
                <label class="field">
                    <span class="label">{tr("操作员", "Operator")}</span>
                    <input name="operator" autocomplete="off" required bind:value=operator
                        on:input=move |_| operator_touched.set(true)/>
                    <span class="hint">{tr("管理员请填写注册邮箱", "The administrator signs in with the account e-mail")}</span>
                </label>
                <label class="field">
                    <span class="label">{tr("登录密码", "Password")}</span>
                    <input name="password" type="password" autocomplete="current-password" required bind:value=password/>
                </label>
                <CaptchaField state=captcha error=error/>
                <FieldMessage error=error field="password"/>
                <button class="primary" type="submit" disabled=move || busy.get()>{tr("登 录", "Sign in")}</button>
                <p class="note">
                    {tr_n("登录密码连续一天内输错 {0} 次，账号将被冻结 {1} 小时。", "{0} wrong passwords within a day freeze the login for {1} hours.", &[limits::LOCKOUT_FAILURES as i64, limits::LOCKOUT_FREEZE_SECS / 3600])}
                </p>
                <p class="links">
                    <A href="/register">{tr("免费注册", "Register for free")}</A>
                    " · "
                    <A href="/recover">{tr("忘记登录密码", "Forgot the password")}</A>
                </p>
            </form>
        </section>
    }
}

#[component]
pub fn StaffLoginPage() -> impl IntoView {
    let staff = use_staff();
    let navigate = use_navigate();
    let login = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let captcha = CaptchaState::new();
    let error = RwSignal::new(None::<ApiError>);
    let key_asked = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        let body = StaffLoginRequest {
            login_name: login.get_untracked(),
            password: password.get_untracked(),
            captcha_id: captcha.id.get_untracked(),
            captcha_answer: captcha.answer.get_untracked(),
        };
        let navigate = navigate.clone();
        spawn_local(async move {
            // With a bound key, the password opens a key check: the key signs in.
            let signed = async {
                match ep::staff_sign_in(&body).await? {
                    ep::StaffSignIn::Signed(t) => Ok(t),
                    ep::StaffSignIn::KeyNeeded(c) => {
                        key_asked.set(true);
                        let credential = crate::webauthn::get(&c.options)
                            .await
                            .map_err(|m| ApiError::invalid_field("security_key", &m))?;
                        ep::staff_key_sign_in(&KeyAssertion { challenge_id: c.challenge_id, credential })
                            .await
                    }
                }
            }
            .await;
            key_asked.set(false);
            match signed {
                Ok(t) => {
                    api::set_token(Realm::Staff, Some(t.access_token));
                    staff.me.set(ep::get_ops_me().await.ok());
                    navigate("/ops", Default::default());
                }
                Err(e) => {
                    error.set(Some(e));
                    captcha.reload();
                }
            }
        });
    };
    view! {
        <section class="page auth-page">
            <h1>{tr("平台运营登录", "Platform staff sign-in")}</h1>
            <form class="form narrow" on:submit=submit>
                <ErrorBanner error=error/>
                <label class="field">
                    <span class="label">{tr("用户名", "Login name")}</span>
                    <input name="login" required bind:value=login/>
                </label>
                <label class="field">
                    <span class="label">{tr("密码", "Password")}</span>
                    <input name="password" type="password" required bind:value=password/>
                </label>
                <CaptchaField state=captcha error=error/>
                <FieldMessage error=error field="security_key"/>
                {move || key_asked.get().then(|| view! {
                    <p class="hint" data-testid="touch-key">{tr("请插入并触摸您的安全密钥", "Insert and touch your security key")}</p>
                })}
                <button class="primary" type="submit">{tr("登 录", "Sign in")}</button>
            </form>
        </section>
    }
}
