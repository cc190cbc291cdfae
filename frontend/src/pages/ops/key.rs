//! The staff member's own security key in the console: bind it after typing
//! the password again; once bound, signing in to the console takes the key.
//! Unbinding takes the password and the key.

use leptos::prelude::*;
use leptos::task::spawn_local;
use paydesk_api_types::{KeyAssertion, KeyRegistration, StaffPassword};

use crate::api::ApiError;
use crate::components::{ErrorBanner, FieldMessage};
use crate::endpoints as ep;
use crate::i18n::{local_time, tr};

fn key_refused(m: String) -> ApiError {
    ApiError::invalid_field("security_key", &m)
}

#[component]
pub fn StaffKeyPanel() -> impl IntoView {
    let version = RwSignal::new(0u32);
    let status = LocalResource::new(move || {
        let _ = version.get();
        ep::get_ops_security_key()
    });
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let submit = move |bound: bool| {
        error.set(None);
        busy.set(true);
        let body = StaffPassword { password: password.get_untracked() };
        spawn_local(async move {
            let result = async {
                if bound {
                    let c = ep::staff_key_unbind_challenge(&body).await?;
                    let credential = crate::webauthn::get(&c.options).await.map_err(key_refused)?;
                    ep::unbind_staff_key(&KeyAssertion { challenge_id: c.challenge_id, credential }).await
                } else {
                    let c = ep::start_staff_key_binding(&body).await?;
                    let credential = crate::webauthn::create(&c.options).await.map_err(key_refused)?;
                    ep::bind_staff_key(&KeyRegistration { challenge_id: c.challenge_id, credential })
                        .await
                        .map(|_| ())
                }
            }
            .await;
            busy.set(false);
            match result {
                Ok(()) => {
                    password.set(String::new());
                    version.update(|v| *v += 1);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <p class="hint">{tr("绑定安全密钥（FIDO2）后，登录运营控制台需在密码之后插入并触摸安全密钥。遗失密钥时，由管理员在服务器上执行 paydesk ops reset-staff-key 移除。",
            "Once a security key (FIDO2) is bound, signing in to the console takes the key after the password. A lost key is removed on the server with paydesk ops reset-staff-key.")}</p>
        <Suspense fallback=|| view! { <p class="loading">"…"</p> }>
            {move || status.get().map(|r| match r {
                Err(e) => view! { <div class="banner error">{e.message()}</div> }.into_any(),
                Ok(s) => {
                    let bound = s.bound;
                    view! {
                        <p data-testid="staff-key-status" data-bound=bound.to_string()>
                            {move || if bound { tr("已绑定安全密钥", "A security key is bound")() } else { tr("未绑定安全密钥", "No security key is bound")() }}
                        </p>
                        {bound.then(|| view! {
                            <table class="detail" data-testid="staff-key-details">
                                <tr><th>{tr("凭证编号", "Credential id")}</th><td class="mono">{s.credential_id.clone().unwrap_or_default()}</td></tr>
                                <tr><th>{tr("绑定时间", "Bound at")}</th><td>{s.bound_at.clone().map(|t| local_time(&t)).unwrap_or_default()}</td></tr>
                                <tr><th>{tr("最近使用", "Last used")}</th><td>{s.last_used_at.clone().map(|t| local_time(&t)).unwrap_or_else(|| "—".into())}</td></tr>
                            </table>
                        })}
                        <form class="form narrow" data-testid="staff-key-form" on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); submit(bound) }>
                            <ErrorBanner error=error/>
                            <label class="field"><span class="label req">{tr("登录密码", "Password")}</span>
                                <input name="password" type="password" autocomplete="current-password" required bind:value=password/>
                                <FieldMessage error=error field="password"/></label>
                            <FieldMessage error=error field="security_key"/>
                            <button class="primary" type="submit" name=if bound { "unbind-key" } else { "bind-key" } disabled=move || busy.get()>
                                {move || if bound { tr("解绑安全密钥", "Unbind the key")() } else { tr("绑定安全密钥", "Bind a key")() }}</button>
                        </form>
                    }.into_any()
                }
            })}
        </Suspense>
    }
}
