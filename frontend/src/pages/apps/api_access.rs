//! API 接入 (issue 12): the merchant's API clients — an operator of kind `api` in
//! one of its roles — their public keys (register, rotate, revoke) and the
//! platform's public key (公钥下载). Every step takes the payment password.

use leptos::prelude::*;
use leptos::task::spawn_local;
use paydesk_api_types::{NewApiClient, NewApiKey, PaymentPasswordProof};

use crate::api::ApiError;
use crate::components::{ErrorBanner, FieldMessage};
use crate::endpoints as ep;
use crate::i18n::{local_time, tr};
use crate::pages::account::operators::UnlockForm;

#[component]
pub fn ApiAccessPage() -> impl IntoView {
    let unlocked = RwSignal::new(false);
    view! {
        <section class="page">
            <h1>{tr("API 接入", "API access")}</h1>
            <p class="hint">{tr("为您的系统创建 API 客户端并登记其公钥（RSA 2048 位以上或 Ed25519）。请求以客户端私钥签名；平台的应答与通知以平台私钥签名，请下载平台公钥验签。",
                "Create an API client for your system and register its public key (RSA of 2048 bits or more, or Ed25519). Requests are signed with the client's private key; the platform signs its answers and notifications — download its public key to verify them.")}</p>
            {move || if unlocked.get() { view! { <Clients/> }.into_any() } else { view! { <UnlockForm unlocked=unlocked/> }.into_any() }}
        </section>
    }
}

#[component]
fn Clients() -> impl IntoView {
    let version = RwSignal::new(0u32);
    let clients = LocalResource::new(move || {
        let _ = version.get();
        ep::get_api_clients()
    });
    let roles = LocalResource::new(ep::get_roles);
    let error = RwSignal::new(None::<ApiError>);
    let (name, role, password) =
        (RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(String::new()));
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        let body = NewApiClient {
            name: name.get_untracked().trim().to_owned(),
            role_id: role.get_untracked().parse().unwrap_or(0),
            payment_password: password.get_untracked(),
        };
        spawn_local(async move {
            match ep::create_api_client(&body).await {
                Ok(_) => {
                    name.set(String::new());
                    password.set(String::new());
                    version.update(|v| *v += 1);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <h2 class="sub">{tr("API 客户端", "API clients")}</h2>
        <Suspense fallback=|| view! { <p class="loading">"…"</p> }>
            {move || clients.get().map(|r| match r {
                Err(e) => view! { <div class="banner error">{e.message()}</div> }.into_any(),
                Ok(list) if list.is_empty() => view! { <div class="empty" data-testid="no-api-clients">{tr("还没有 API 客户端", "No API clients yet")}</div> }.into_any(),
                Ok(list) => list.into_iter().map(|c| view! { <ClientCard client=c version=version/> }).collect_view().into_any(),
            })}
        </Suspense>
        <form class="form" data-testid="new-api-client" on:submit=create>
            <h3>{tr("创建 API 客户端", "Create an API client")}</h3>
            <ErrorBanner error=error/>
            <label class="field"><span class="label req">{tr("名称", "Name")}</span>
                <input name="client_name" required bind:value=name/><FieldMessage error=error field="name"/></label>
            <label class="field"><span class="label req">{tr("角色", "Role")}</span>
                <select name="role" bind:value=role>
                    <option value="">{tr("选择角色", "Choose a role")}</option>
                    {move || roles.get().and_then(|r| r.ok()).map(|rs| rs.into_iter().map(|r| view! { <option value=r.id.to_string()>{r.name}</option> }).collect_view())}
                </select><FieldMessage error=error field="role_id"/></label>
            <label class="field"><span class="label req">{tr("支付密码", "Payment password")}</span>
                <input name="payment_password" type="password" autocomplete="off" bind:value=password/>
                <FieldMessage error=error field="payment_password"/></label>
            <button class="primary" type="submit" name="create-client">{tr("创建", "Create")}</button>
        </form>
        <PlatformKey/>
    }
}

#[component]
fn ClientCard(client: paydesk_api_types::ApiClientView, version: RwSignal<u32>) -> impl IntoView {
    let error = RwSignal::new(None::<ApiError>);
    let (pem, password) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let app_id = client.app_id.clone();
    let register = {
        let app_id = app_id.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            error.set(None);
            let body =
                NewApiKey { public_key: pem.get_untracked(), payment_password: password.get_untracked() };
            let app_id = app_id.clone();
            spawn_local(async move {
                match ep::add_api_key(&app_id, &body).await {
                    Ok(_) => version.update(|v| *v += 1),
                    Err(e) => error.set(Some(e)),
                }
            });
        }
    };
    view! {
        <div class="panel" data-testid="api-client" data-app-id=client.app_id.clone()>
            <p><strong>{client.name.clone()}</strong>" · "<span class="mono" data-testid="app-id">{client.app_id.clone()}</span>" · "{client.role_name.clone()}</p>
            <table class="grid">
                <thead><tr><th>{tr("算法", "Algorithm")}</th><th>{tr("指纹", "Fingerprint")}</th><th>{tr("登记时间", "Registered")}</th><th>{tr("状态", "Status")}</th><th></th></tr></thead>
                <tbody>{client.keys.into_iter().map(|k| {
                    let (app_id, id) = (app_id.clone(), k.id);
                    let revoked = k.revoked_at.is_some();
                    view! {
                        <tr data-key-status=if revoked { "revoked" } else { "live" }>
                            <td>{k.algorithm}</td><td class="mono">{k.fingerprint}</td><td>{local_time(&k.created_at)}</td>
                            <td>{if revoked { tr("已吊销", "Revoked") } else { tr("有效", "Live") }}</td>
                            <td>{(!revoked).then(|| view! {
                                <button type="button" class="link" name=format!("revoke-{id}") on:click=move |_| {
                                    let body = PaymentPasswordProof { payment_password: password.get_untracked() };
                                    let app_id = app_id.clone();
                                    spawn_local(async move {
                                        match ep::revoke_api_key(&app_id, id, &body).await {
                                            Ok(()) => version.update(|v| *v += 1),
                                            Err(e) => error.set(Some(e)),
                                        }
                                    });
                                }>{tr("吊销", "Revoke")}</button>
                            })}</td>
                        </tr>
                    }
                }).collect_view()}</tbody>
            </table>
            <form class="form" on:submit=register>
                <ErrorBanner error=error/>
                <label class="field"><span class="label req">{tr("公钥（PEM）", "Public key (PEM)")}</span>
                    <textarea name="public_key" rows="5" bind:value=pem placeholder="-----BEGIN PUBLIC KEY-----"></textarea>
                    <FieldMessage error=error field="public_key"/></label>
                <label class="field"><span class="label req">{tr("支付密码", "Payment password")}</span>
                    <input name="key_payment_password" type="password" autocomplete="off" bind:value=password/>
                    <FieldMessage error=error field="payment_password"/></label>
                <p class="hint">{tr("吊销密钥时也使用此处填写的支付密码。", "Revoking a key uses the payment password typed here too.")}</p>
                <button type="submit" name="register-key">{tr("登记公钥", "Register the key")}</button>
            </form>
        </div>
    }
}

/// 公钥下载: the platform's key, behind the payment password.
#[component]
fn PlatformKey() -> impl IntoView {
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let key = RwSignal::new(None::<String>);
    let show = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        let body = PaymentPasswordProof { payment_password: password.get_untracked() };
        spawn_local(async move {
            match ep::get_platform_key(&body).await {
                Ok(k) => key.set(Some(k.public_key)),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <form class="form" data-testid="platform-key" on:submit=show>
            <h3>{tr("平台公钥下载", "The platform's public key")}</h3>
            <ErrorBanner error=error/>
            <label class="field"><span class="label req">{tr("支付密码", "Payment password")}</span>
                <input name="platform_key_password" type="password" autocomplete="off" bind:value=password/>
                <FieldMessage error=error field="payment_password"/></label>
            <button type="submit" name="show-platform-key">{tr("显示公钥", "Show the key")}</button>
            {move || key.get().map(|k| view! { <pre class="mono" data-testid="platform-key-pem">{k}</pre> })}
        </form>
    }
}
