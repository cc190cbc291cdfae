//! 免费注册 (manual §2.1): e-mail and captcha, the e-mailed link, then the company
//! and its two passwords.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use paydesk_api_types::{
    CompleteRegistration, Registered, RegistrationRequest, RegistrationSent, ResendRequest,
};

use crate::api::ApiError;
use crate::components::{CaptchaField, CaptchaState, ErrorBanner, FieldMessage, StrengthMeter};
use crate::endpoints as ep;
use crate::i18n::{tr, use_lang};

#[component]
pub fn RegisterPage() -> impl IntoView {
    let email = RwSignal::new(String::new());
    let agreed = RwSignal::new(false);
    let captcha = CaptchaState::new();
    let error = RwSignal::new(None::<ApiError>);
    let sent = RwSignal::new(None::<RegistrationSent>);
    let countdown = RwSignal::new(0u32);

    let tick = move || {
        spawn_local(async move {
            while countdown.get_untracked() > 0 {
                crate::api::sleep(1000).await;
                countdown.update(|c| *c = c.saturating_sub(1));
            }
        });
    };

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        let body = RegistrationRequest {
            email: email.get_untracked(),
            captcha_id: captcha.id.get_untracked(),
            captcha_answer: captcha.answer.get_untracked(),
            agreement_accepted: agreed.get_untracked(),
        };
        spawn_local(async move {
            match ep::start_registration(&body).await {
                Ok(s) => {
                    countdown.set(s.resend_after);
                    sent.set(Some(s));
                    tick();
                }
                Err(e) => {
                    error.set(Some(e));
                    captcha.reload();
                }
            }
        });
    };
    let resend = move |_: leptos::ev::MouseEvent| {
        let body = ResendRequest { email: email.get_untracked() };
        spawn_local(async move {
            match ep::resend_registration_link(&body).await {
                Ok(s) => {
                    countdown.set(s.resend_after);
                    tick();
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };

    view! {
        <section class="page auth-page">
            <h1>{tr("免费注册", "Register")}</h1>
            <ol class="steps">
                <li class="done">{tr("1 填写邮箱", "1 E-mail")}</li>
                <li class=move || if sent.get().is_some() { "done" } else { "" }>{tr("2 验证邮箱", "2 Confirm e-mail")}</li>
                <li>{tr("3 设置信息", "3 Company and passwords")}</li>
            </ol>
            {move || match sent.get() {
                None => view! {
                    <form class="form narrow" on:submit=submit>
                        <ErrorBanner error=error/>
                        <label class="field">
                            <span class="label">{tr("邮箱", "E-mail")}</span>
                            <input name="email" type="email" required bind:value=email/>
                            <FieldMessage error=error field="email"/>
                        </label>
                        <CaptchaField state=captcha error=error/>
                        <label class="check">
                            <input name="agreement" type="checkbox" bind:checked=agreed/>
                            {tr("我已阅读并同意《Paydesk 服务协议》", "I have read and accept the Paydesk service agreement")}
                        </label>
                        <FieldMessage error=error field="agreement_accepted"/>
                        <button class="primary" type="submit">{tr("下一步", "Next")}</button>
                        <p class="links"><A href="/login">{tr("已有账号？登录", "Have an account? Sign in")}</A></p>
                    </form>
                }.into_any(),
                Some(s) => view! {
                    <div class="form narrow sent" data-testid="registration-sent">
                        <ErrorBanner error=error/>
                        <p class="big">{tr("邮件发送成功", "The e-mail is on its way")}</p>
                        <p>{tr("请登录邮箱 ", "Open the link we sent to ")}<strong>{s.email.clone()}</strong>
                           {tr("，点击链接完成注册（24 小时内有效）。", " to finish registering (valid for 24 hours).")}</p>
                        <button type="button" disabled=move || { countdown.get() > 0 } on:click=resend>
                            {move || if countdown.get() > 0 {
                                format!("{}{}", countdown.get(), use_lang().get().pick("秒后可重新发送", " s until you can resend"))
                            } else {
                                use_lang().get().pick("重新发送", "Send again").to_owned()
                            }}
                        </button>
                        <p class="hint">{tr("开发模式：邮件可在 ", "Development mode: messages are in ")}<a href="/dev/outbox" target="_blank">"/dev/outbox"</a></p>
                    </div>
                }.into_any(),
            }}
        </section>
    }
}

#[component]
pub fn CompleteRegistrationPage() -> impl IntoView {
    let query = use_query_map();
    let token = move || query.get().get("token").unwrap_or_default();
    let link = LocalResource::new(move || {
        let t = token();
        async move { ep::get_registration(t).await }
    });
    let company = RwSignal::new(String::new());
    let login_pw = RwSignal::new(String::new());
    let login_pw2 = RwSignal::new(String::new());
    let pay_pw = RwSignal::new(String::new());
    let pay_pw2 = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let mismatch = RwSignal::new(None::<&'static str>);
    let done = RwSignal::new(None::<Registered>);
    let lang = use_lang();

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        mismatch.set(None);
        if login_pw.get_untracked() != login_pw2.get_untracked() {
            mismatch.set(Some("login"));
            return;
        }
        if pay_pw.get_untracked() != pay_pw2.get_untracked() {
            mismatch.set(Some("payment"));
            return;
        }
        let body = CompleteRegistration {
            company_name: company.get_untracked(),
            login_password: login_pw.get_untracked(),
            payment_password: pay_pw.get_untracked(),
        };
        let t = token();
        spawn_local(async move {
            match ep::complete_registration(t, &body).await {
                Ok(r) => done.set(Some(r)),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let rule = move || {
        let (min, max) = paydesk_domain::limits::LOGIN_PASSWORD_CHARS;
        match lang.get() {
            crate::i18n::Lang::Zh => format!("{min}~{max} 位数字、字母和特殊符号，不能使用空格"),
            crate::i18n::Lang::En => format!("{min}–{max} letters, digits and symbols, no spaces"),
        }
    };

    view! {
        <section class="page auth-page">
            <h1>{tr("填写企业信息", "Company and passwords")}</h1>
            <Suspense fallback=|| view! { <p class="loading">"…"</p> }>
                {move || link.get().map(|r| match (r, done.get()) {
                    (_, Some(reg)) => view! {
                        <div class="form narrow sent" data-testid="registered">
                            <p class="big">{tr("注册成功", "Registered")}</p>
                            <p>{reg.company_name.clone()}" · "{reg.email.clone()}</p>
                            <p>{tr("管理员操作员为注册邮箱。请先登录并完成实名认证。", "The administrator operator is the registration e-mail. Sign in and complete verification.")}</p>
                            <A href="/login" attr:class="button primary">{tr("去登录", "Sign in")}</A>
                        </div>
                    }.into_any(),
                    (Err(e), None) => view! {
                        <div class="form narrow">
                            <div class="banner error" data-code=e.code().to_owned()>{e.message()}</div>
                            <A href="/register">{tr("重新注册", "Start again")}</A>
                        </div>
                    }.into_any(),
                    (Ok(l), None) => view! {
                        <form class="form narrow" on:submit=submit>
                            <ErrorBanner error=error/>
                            <p class="muted">{tr("商户账号：", "Account: ")}<strong>{l.email.clone()}</strong></p>
                            <label class="field">
                                <span class="label">{tr("企业名称", "Company name")}</span>
                                <input name="company_name" required bind:value=company/>
                                <span class="hint">{tr("请填写营业执照上的全称", "The full name on the business licence")}</span>
                                <FieldMessage error=error field="company_name"/>
                            </label>
                            <label class="field">
                                <span class="label">{tr("登录密码", "Login password")}</span>
                                <input name="login_password" type="password" autocomplete="new-password" required bind:value=login_pw/>
                                <StrengthMeter password=login_pw/>
                                <span class="hint">{rule}</span>
                                <FieldMessage error=error field="login_password"/>
                            </label>
                            <label class="field">
                                <span class="label">{tr("确认登录密码", "Confirm login password")}</span>
                                <input name="login_password_confirm" type="password" required bind:value=login_pw2/>
                                {move || (mismatch.get() == Some("login")).then(|| view! {
                                    <span class="field-error">{lang.get().pick("两次输入的密码不一致", "The passwords differ")}</span>
                                })}
                            </label>
                            <label class="field">
                                <span class="label">{tr("支付密码", "Payment password")}</span>
                                <input name="payment_password" type="password" autocomplete="new-password" required bind:value=pay_pw/>
                                <StrengthMeter password=pay_pw/>
                                <span class="hint">{tr("资金变动时使用，不能与登录密码相同", "Used to move money; must differ from the login password")}</span>
                                <FieldMessage error=error field="payment_password"/>
                            </label>
                            <label class="field">
                                <span class="label">{tr("确认支付密码", "Confirm payment password")}</span>
                                <input name="payment_password_confirm" type="password" required bind:value=pay_pw2/>
                                {move || (mismatch.get() == Some("payment")).then(|| view! {
                                    <span class="field-error">{lang.get().pick("两次输入的密码不一致", "The passwords differ")}</span>
                                })}
                            </label>
                            <button class="primary" type="submit">{tr("下一步", "Next")}</button>
                        </form>
                    }.into_any(),
                })}
            </Suspense>
        </section>
    }
}
