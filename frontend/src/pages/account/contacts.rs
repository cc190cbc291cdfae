//! 联系人 (manual §3.3.2): saved payees of both kinds, searchable.

use leptos::prelude::*;
use leptos::task::spawn_local;
use paydesk_api_types::{NewBankContact, NewPlatformContact};

use crate::api::ApiError;
use crate::components::{BranchPicker, ErrorBanner, FieldMessage};
use crate::endpoints as ep;
use crate::i18n::{tr, use_lang};

#[component]
pub fn ContactsPage() -> impl IntoView {
    let kind = RwSignal::new("platform".to_owned());
    let word = RwSignal::new(String::new());
    let version = RwSignal::new(0u32);
    let adding = RwSignal::new(false);
    let importing = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let lang = use_lang();
    let list = LocalResource::new(move || {
        version.get();
        let (k, w) = (kind.get(), word.get().trim().to_owned());
        async move { ep::get_contacts(&k, &w).await }
    });
    let remove = move |id: i64| {
        spawn_local(async move {
            match ep::delete_contact(id).await {
                Ok(()) => version.update(|v| *v += 1),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <section class="page">
            <h1>{tr("联系人", "Contacts")}</h1>
            <div class="tabs">
                {[("platform", "Paydesk 账户联系人", "Platform accounts"), ("bank", "银行卡联系人", "Bank accounts")].into_iter().map(|(k, zh, en)| view! {
                    <button type="button" data-tab=k class:active=move || kind.get() == k on:click=move |_| { kind.set(k.into()); adding.set(false); }>
                        {move || lang.get().pick(zh, en)}
                    </button>
                }).collect_view()}
            </div>
            <div class="filters row">
                <input name="search" placeholder=tr("搜索名称或账号", "Search name or account") bind:value=word/>
                <button type="button" class="primary" name="add-contact" on:click=move |_| adding.set(true)>{tr("添加联系人", "Add a contact")}</button>
                {move || (kind.get() == "bank").then(|| view! {
                    <button type="button" name="import-contacts" on:click=move |_| importing.update(|v| *v = !*v)>{tr("批量添加银行卡联系人", "Import bank contacts")}</button>
                })}
            </div>
            {move || (importing.get() && kind.get() == "bank").then(|| view! {
                <div class="panel" data-testid="contact-import">
                    <crate::pages::funds::batch::BatchFlow kind=paydesk_domain::batch::BatchKind::BankContacts
                        on_done=Callback::new(move |()| version.update(|v| *v += 1))/>
                </div>
            })}
            <ErrorBanner error=error/>
            {move || adding.get().then(|| if kind.get() == "platform" {
                view! { <AddPlatformContact adding=adding version=version/> }.into_any()
            } else {
                view! { <AddBankContact adding=adding version=version/> }.into_any()
            })}
            <Suspense fallback=|| view! { <p class="loading">"…"</p> }>
                {move || list.get().map(|r| match r {
                    Err(e) => view! { <div class="banner error">{e.message()}</div> }.into_any(),
                    Ok(p) if p.items.is_empty() => view! { <div class="empty" data-testid="no-contacts">{tr("暂无联系人", "No contacts")}</div> }.into_any(),
                    Ok(p) => view! {
                        <table class="grid" data-testid="contacts">
                            <thead><tr><th>{tr("名称", "Name")}</th><th>{tr("账号", "Account")}</th><th>{tr("银行", "Bank")}</th><th>{tr("手机", "Phone")}</th><th>{tr("备注", "Remark")}</th><th></th></tr></thead>
                            <tbody>{p.items.into_iter().map(|c| {
                                let id = c.id;
                                view! {
                                    <tr><td>{c.name}</td><td>{c.account}</td><td>{c.branch_name.or(c.bank_name).unwrap_or_default()}</td>
                                        <td>{c.phone.unwrap_or_default()}</td><td>{c.remark}</td>
                                        <td><button type="button" class="link" on:click=move |_| remove(id)>{tr("删除", "Delete")}</button></td></tr>
                                }
                            }).collect_view()}</tbody>
                        </table>
                        <p class="hint">{p.total}{tr(" 个联系人", " contact(s)")}</p>
                    }.into_any(),
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn AddPlatformContact(adding: RwSignal<bool>, version: RwSignal<u32>) -> impl IntoView {
    let account = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let remark = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        let body = NewPlatformContact {
            account: account.get_untracked(),
            phone: Some(phone.get_untracked()).filter(|p| !p.trim().is_empty()),
            remark: Some(remark.get_untracked()).filter(|r| !r.trim().is_empty()),
        };
        spawn_local(async move {
            match ep::add_platform_contact(&body).await {
                Ok(_) => {
                    adding.set(false);
                    version.update(|v| *v += 1);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <form class="form wide" on:submit=submit data-testid="add-platform-contact">
            <ErrorBanner error=error/>
            <label class="field"><span class="label req">{tr("Paydesk 账号", "Platform account")}</span>
                <input name="account" type="email" bind:value=account/><FieldMessage error=error field="account"/></label>
            <label class="field"><span class="label">{tr("手机", "Phone")}</span><input name="phone" bind:value=phone/><FieldMessage error=error field="phone"/></label>
            <label class="field"><span class="label">{tr("备注", "Remark")}</span><input name="remark" bind:value=remark/></label>
            <div class="row"><button type="button" on:click=move |_| adding.set(false)>{tr("取消", "Cancel")}</button>
                <button class="primary" type="submit">{tr("确认", "Add")}</button></div>
        </form>
    }
}

#[component]
fn AddBankContact(adding: RwSignal<bool>, version: RwSignal<u32>) -> impl IntoView {
    let account_type = RwSignal::new("personal".to_owned());
    let name = RwSignal::new(String::new());
    let bank = RwSignal::new("ICBC".to_owned());
    let branch = RwSignal::new(String::new());
    let number = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        let body = NewBankContact {
            account_type: account_type.get_untracked(),
            name: name.get_untracked(),
            bank: bank.get_untracked(),
            branch_code: branch.get_untracked(),
            account_number: number.get_untracked(),
            phone: Some(phone.get_untracked()).filter(|p| !p.trim().is_empty()),
            remark: None,
        };
        spawn_local(async move {
            match ep::add_bank_contact(&body).await {
                Ok(_) => {
                    adding.set(false);
                    version.update(|v| *v += 1);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <form class="form wide" on:submit=submit data-testid="add-bank-contact">
            <ErrorBanner error=error/>
            <div class="row">
                <label class="check"><input type="radio" name="account_type" checked=move || account_type.get() == "personal" on:change=move |_| account_type.set("personal".into())/>{tr("对私", "Personal")}</label>
                <label class="check"><input type="radio" name="account_type" checked=move || account_type.get() == "corporate" on:change=move |_| account_type.set("corporate".into())/>{tr("对公", "Corporate")}</label>
            </div>
            <label class="field"><span class="label req">{tr("户名", "Account holder")}</span><input name="name" bind:value=name/><FieldMessage error=error field="name"/></label>
            <BranchPicker bank=bank branch=branch error=error/>
            <label class="field"><span class="label req">{tr("银行账号", "Account number")}</span><input name="account_number" bind:value=number/><FieldMessage error=error field="account_number"/></label>
            <label class="field"><span class="label">{tr("手机", "Phone")}</span><input name="phone" bind:value=phone/><FieldMessage error=error field="phone"/></label>
            <div class="row"><button type="button" on:click=move |_| adding.set(false)>{tr("取消", "Cancel")}</button>
                <button class="primary" type="submit">{tr("确认", "Add")}</button></div>
        </form>
    }
}
