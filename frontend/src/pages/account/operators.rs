//! 操作员 (manual §3.3.3): members and roles, behind the payment password.

use crate::api::ApiError;
use crate::components::{ErrorBanner, FieldMessage};
use crate::endpoints as ep;
use crate::i18n::{local_time, tr, use_lang};
use leptos::prelude::*;
use leptos::task::spawn_local;
use paydesk_api_types::{
    NewOperatorRequest, OperatorView, PermissionInfo, RoleRequest, RoleView, UnlockRequest,
    UpdateOperatorRequest,
};

#[component]
pub fn OperatorsPage() -> impl IntoView {
    let unlocked = RwSignal::new(false);
    let tab = RwSignal::new("members");
    let lang = use_lang();
    view! {
        <section class="page operators-page">
            <h1>{tr("操作员", "Operators")}</h1>
            {move || if !unlocked.get() {
                view! { <UnlockForm unlocked=unlocked/> }.into_any()
            } else {
                view! {
                    <div class="tabs">
                        {[("members", "成员管理", "Members"), ("roles", "角色管理", "Roles")].into_iter().map(|(id, zh, en)| view! {
                            <button type="button" data-tab=id class:active=move || tab.get() == id on:click=move |_| tab.set(id)>{move || lang.get().pick(zh, en)}</button>
                        }).collect_view()}
                    </div>
                    {move || if tab.get() == "members" { view! { <Members/> }.into_any() } else { view! { <Roles/> }.into_any() }}
                }.into_any()
            }}
        </section>
    }
}

/// 为了您操作的安全性，请先输入支付密码确保操作安全!
#[component]
pub(crate) fn UnlockForm(unlocked: RwSignal<bool>) -> impl IntoView {
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        let body = UnlockRequest { payment_password: password.get_untracked() };
        spawn_local(async move {
            match ep::unlock_operator_pages(&body).await {
                Ok(_) => unlocked.set(true),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <form class="form" on:submit=submit data-testid="unlock-operators">
            <p>{tr("为了您操作的安全性，请先输入支付密码确保操作安全！", "For your safety, enter the payment password first.")}</p>
            <ErrorBanner error=error/>
            <label class="field"><span class="label req">{tr("支付密码", "Payment password")}</span>
                <input name="payment_password" type="password" autocomplete="off" bind:value=password/>
                <FieldMessage error=error field="payment_password"/></label>
            <button class="primary" type="submit">{tr("确认", "Confirm")}</button>
        </form>
    }
}

pub(crate) fn roles_resource(version: RwSignal<u32>) -> LocalResource<Result<Vec<RoleView>, ApiError>> {
    LocalResource::new(move || {
        let _ = version.get();
        ep::get_roles()
    })
}

/// What a member row's buttons do.
#[derive(Clone, Copy)]
enum Change {
    Delete,
    Active(bool),
}

#[component]
pub(crate) fn Members() -> impl IntoView {
    let version = RwSignal::new(0u32);
    let list = LocalResource::new(move || {
        let _ = version.get();
        ep::get_operators()
    });
    let roles = roles_resource(version);
    let editing = RwSignal::new(None::<Option<OperatorView>>);
    let error = RwSignal::new(None::<ApiError>);
    let lang = use_lang();
    let act = move |id: i64, change: Change| {
        spawn_local(async move {
            let result = match change {
                Change::Delete => ep::delete_operator(id).await,
                Change::Active(active) => ep::set_operator_active(id, active).await,
            };
            match result {
                Ok(()) => version.update(|v| *v += 1),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <div class="row"><button type="button" class="primary" name="add-operator" on:click=move |_| editing.set(Some(None))>{tr("添加成员", "Add a member")}</button></div>
        <ErrorBanner error=error/>
        {move || editing.get().map(|current| view! { <OperatorForm current=current roles=roles editing=editing version=version/> })}
        {move || list.get().map(|r| match r {
            Err(e) => view! { <div class="banner error">{e.message()}</div> }.into_any(),
            Ok(items) => view! {
                <table class="grid" data-testid="operators">
                    <thead><tr><th>{tr("登录名", "Login")}</th><th>{tr("姓名", "Name")}</th><th>{tr("手机", "Phone")}</th><th>{tr("角色", "Role")}</th><th>{tr("状态", "Status")}</th><th>{tr("创建时间", "Created")}</th><th>{tr("操作", "")}</th></tr></thead>
                    <tbody>{items.into_iter().map(|o| {
                        let id = o.id;
                        let active = o.status == "active";
                        let me = o.is_me;
                        let edit = o.clone();
                        view! {
                            <tr data-login=o.login_name.clone()>
                                <td>{o.login_name.clone()}{me.then(|| view! { <span class="badge">{tr("本人", "you")}</span> })}</td>
                                <td>{o.display_name.clone()}</td><td>{o.phone.clone().unwrap_or_default()}</td><td>{o.role_name.clone()}</td>
                                <td>{move || if active { lang.get().pick("正常", "Active") } else { lang.get().pick("已停用", "Disabled") }}</td>
                                <td>{local_time(&o.created_at)}</td>
                                <td>
                                    <button type="button" class="link" name="edit" on:click=move |_| editing.set(Some(Some(edit.clone())))>{tr("修改", "Edit")}</button>
                                    {(!me).then(|| view! {
                                        <button type="button" class="link" name=if active { "disable" } else { "enable" }
                                            on:click=move |_| act(id, Change::Active(!active))>
                                            {move || if active { lang.get().pick("停用", "Disable") } else { lang.get().pick("启用", "Enable") }}</button>
                                        <button type="button" class="link" name="delete" on:click=move |_| {
                                            let sure = web_sys::window().and_then(|w| w.confirm_with_message(lang.get_untracked().pick("确定删除该成员？", "Delete this member?")).ok()).unwrap_or(false);
                                            if sure { act(id, Change::Delete) }
                                        }>{tr("删除", "Delete")}</button>
                                    })}
                                </td>
                            </tr>
                        }
                    }).collect_view()}</tbody>
                </table>
            }.into_any(),
        })}
    }
}

/// 添加成员 / 修改成员.
#[component]
pub(crate) fn OperatorForm(
    current: Option<OperatorView>,
    roles: LocalResource<Result<Vec<RoleView>, ApiError>>,
    editing: RwSignal<Option<Option<OperatorView>>>,
    version: RwSignal<u32>,
) -> impl IntoView {
    let id = current.as_ref().map(|o| o.id);
    let login = RwSignal::new(current.as_ref().map(|o| o.login_name.clone()).unwrap_or_default());
    let name = RwSignal::new(current.as_ref().map(|o| o.display_name.clone()).unwrap_or_default());
    let password = RwSignal::new(String::new());
    let role = RwSignal::new(current.as_ref().map(|o| o.role_id.to_string()).unwrap_or_default());
    let error = RwSignal::new(None::<ApiError>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        let role_id = role.get_untracked().parse().unwrap_or(0);
        spawn_local(async move {
            let result = match id {
                None => {
                    let body = NewOperatorRequest {
                        login_name: login.get_untracked(),
                        display_name: name.get_untracked(),
                        password: password.get_untracked(),
                        role_id,
                    };
                    ep::add_operator(&body).await
                }
                Some(id) => {
                    let body = UpdateOperatorRequest {
                        display_name: name.get_untracked(),
                        role_id,
                        password: Some(password.get_untracked()).filter(|p| !p.is_empty()),
                    };
                    ep::update_operator(id, &body).await
                }
            };
            match result {
                Ok(_) => {
                    editing.set(None);
                    version.update(|v| *v += 1);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <form class="form wide panel" on:submit=submit data-testid="operator-form">
            <ErrorBanner error=error/>
            <label class="field"><span class="label req">{tr("登录名", "Login name")}</span>
                <input name="login_name" bind:value=login disabled=id.is_some()/><FieldMessage error=error field="login_name"/></label>
            <label class="field"><span class="label req">{tr("姓名", "Name")}</span>
                <input name="display_name" bind:value=name/><FieldMessage error=error field="display_name"/></label>
            <label class="field"><span class=if id.is_some() { "label" } else { "label req" }>{move || if id.is_some() { tr("重置登录密码", "New login password")() } else { tr("登录密码", "Login password")() }}</span>
                <input name="password" type="password" autocomplete="new-password" bind:value=password/><FieldMessage error=error field="password"/></label>
            <p class="hint">{tr("操作员首次登录时须修改此密码；手机由操作员本人在安全中心绑定（需短信校验）。",
                "The operator changes this password at first sign-in, and binds their own phone in the security centre (with an SMS code).")}</p>
            <label class="field"><span class="label req">{tr("角色", "Role")}</span>
                <select name="role" on:change=move |ev| role.set(event_target_value(&ev))>
                    <option value="">{tr("选择角色", "Choose a role")}</option>
                    {move || roles.get().and_then(|r| r.ok()).map(|list| list.into_iter().map(|r| {
                        let selected = r.id.to_string() == role.get_untracked();
                        view! { <option value=r.id.to_string() selected=selected>{r.name.clone()}</option> }
                    }).collect_view())}
                </select><FieldMessage error=error field="role_id"/></label>
            <div class="row">
                <button type="button" on:click=move |_| editing.set(None)>{tr("取消", "Cancel")}</button>
                <button class="primary" type="submit">{tr("确认", "Confirm")}</button>
            </div>
        </form>
    }
}

#[component]
pub(crate) fn Roles() -> impl IntoView {
    let version = RwSignal::new(0u32);
    let roles = roles_resource(version);
    let catalogue = LocalResource::new(ep::get_permissions);
    let editing = RwSignal::new(None::<Option<RoleView>>);
    let error = RwSignal::new(None::<ApiError>);
    let lang = use_lang();
    let label = move |name: &str| {
        catalogue
            .get()
            .and_then(|r| r.ok())
            .and_then(|c| c.into_iter().find(|p| p.name == name))
            .map(|p| if lang.get() == crate::i18n::Lang::Zh { p.label_zh } else { p.label_en })
            .unwrap_or_else(|| name.to_owned())
    };
    view! {
        <div class="row"><button type="button" class="primary" name="add-role" on:click=move |_| editing.set(Some(None))>{tr("添加角色", "Add a role")}</button></div>
        <ErrorBanner error=error/>
        {move || editing.get().map(|current| view! { <RoleForm current=current catalogue=catalogue editing=editing version=version/> })}
        {move || roles.get().map(|r| match r {
            Err(e) => view! { <div class="banner error">{e.message()}</div> }.into_any(),
            Ok(items) => view! {
                <table class="grid" data-testid="roles">
                    <thead><tr><th>{tr("角色名称", "Role")}</th><th>{tr("角色描述", "Description")}</th><th>{tr("权限", "Permissions")}</th><th>{tr("成员数", "Members")}</th><th>{tr("操作", "")}</th></tr></thead>
                    <tbody>{items.into_iter().map(|r| {
                        let id = r.id;
                        let custom = r.builtin.is_none();
                        let edit = r.clone();
                        let perms = r.permissions.clone();
                        view! {
                            <tr data-role=r.name.clone()>
                                <td>{r.name.clone()}</td><td>{r.description.clone()}</td>
                                <td class="perms">{move || perms.iter().map(|p| label(p)).collect::<Vec<_>>().join("、")}</td>
                                <td>{r.holders}</td>
                                <td>{custom.then(|| view! {
                                    <button type="button" class="link" name="edit-role" on:click=move |_| editing.set(Some(Some(edit.clone())))>{tr("修改", "Edit")}</button>
                                    <button type="button" class="link" name="delete-role" on:click=move |_| {
                                        spawn_local(async move {
                                            match ep::delete_role(id).await {
                                                Ok(()) => version.update(|v| *v += 1),
                                                Err(e) => error.set(Some(e)),
                                            }
                                        });
                                    }>{tr("删除", "Delete")}</button>
                                })}</td>
                            </tr>
                        }
                    }).collect_view()}</tbody>
                </table>
            }.into_any(),
        })}
    }
}

/// 添加角色: name, description and the permissions, with 全选.
#[component]
pub(crate) fn RoleForm(
    current: Option<RoleView>,
    catalogue: LocalResource<Result<Vec<PermissionInfo>, ApiError>>,
    editing: RwSignal<Option<Option<RoleView>>>,
    version: RwSignal<u32>,
) -> impl IntoView {
    let id = current.as_ref().map(|r| r.id);
    let name = RwSignal::new(current.as_ref().map(|r| r.name.clone()).unwrap_or_default());
    let description = RwSignal::new(current.as_ref().map(|r| r.description.clone()).unwrap_or_default());
    let chosen = RwSignal::new(current.map(|r| r.permissions).unwrap_or_default());
    let error = RwSignal::new(None::<ApiError>);
    let lang = use_lang();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        let body = RoleRequest {
            name: name.get_untracked(),
            description: Some(description.get_untracked()),
            permissions: chosen.get_untracked(),
        };
        spawn_local(async move {
            let result = match id {
                None => ep::add_role(&body).await,
                Some(id) => ep::update_role(id, &body).await,
            };
            match result {
                Ok(_) => {
                    editing.set(None);
                    version.update(|v| *v += 1);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <form class="form wide panel" on:submit=submit data-testid="role-form">
            <ErrorBanner error=error/>
            <label class="field"><span class="label req">{tr("角色名称", "Role name")}</span><input name="name" bind:value=name/><FieldMessage error=error field="name"/></label>
            <label class="field"><span class="label">{tr("角色描述", "Description")}</span><input name="description" bind:value=description/></label>
            <div class="field"><span class="label req">{tr("权限", "Permissions")}</span>
                {move || catalogue.get().and_then(|r| r.ok()).map(|list| {
                    let all: Vec<String> = list.iter().map(|p| p.name.clone()).collect();
                    view! {
                        <label class="check"><input type="checkbox" name="all" prop:checked={ let all = all.clone(); move || chosen.get().len() == all.len() }
                            on:change=move |ev| chosen.set(if event_target_checked(&ev) { all.clone() } else { Vec::new() })/>{tr("全选", "All")}</label>
                        <div class="perm-grid">{list.into_iter().map(|p| {
                            let n = p.name.clone();
                            let n2 = p.name.clone();
                            view! {
                                <label class="check"><input type="checkbox" name=format!("perm-{}", p.name) prop:checked=move || chosen.get().contains(&n)
                                    on:change=move |ev| { let on = event_target_checked(&ev); let n = n2.clone(); chosen.update(|c| if on { if !c.contains(&n) { c.push(n) } } else { c.retain(|x| *x != n) }) }/>
                                    {move || if lang.get() == crate::i18n::Lang::Zh { p.label_zh.clone() } else { p.label_en.clone() }}</label>
                            }
                        }).collect_view()}</div>
                    }
                })}
                <FieldMessage error=error field="permissions"/></div>
            <div class="row">
                <button type="button" on:click=move |_| editing.set(None)>{tr("取消", "Cancel")}</button>
                <button class="primary" type="submit">{tr("确认", "Confirm")}</button>
            </div>
        </form>
    }
}
