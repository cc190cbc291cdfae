//! 账户设置 (manual §3.3.1): basic information and the bank cards (银行账户).

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use paydesk_api_types::NewBankCard;
use paydesk_domain::limits;

use crate::api::ApiError;
use crate::components::{BranchPicker, ErrorBanner, FieldMessage};
use crate::endpoints as ep;
use crate::i18n::{tr, tr_n, use_lang};
use crate::pages::account::home::kyb_label;
use crate::session::use_session;

#[component]
pub fn SettingsPage() -> impl IntoView {
    let session = use_session();
    let lang = use_lang();
    let version = RwSignal::new(0u32);
    let cards = LocalResource::new(move || {
        version.get();
        ep::get_bank_cards()
    });
    let adding = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let remove = move |id: i64| {
        let sure = web_sys::window()
            .and_then(|w| {
                w.confirm_with_message(lang.get_untracked().pick("确定删除这张银行卡？", "Delete this card?"))
                    .ok()
            })
            .unwrap_or(false);
        if !sure {
            return;
        }
        spawn_local(async move {
            match ep::delete_bank_card(id).await {
                Ok(()) => version.update(|v| *v += 1),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <section class="page">
            <h1>{tr("账户设置", "Account settings")}</h1>
            {move || session.me.get().map(|m| {
                let status = m.kyb_status.clone();
                view! {
                    <h2 class="sub">{tr("基本信息", "Basic information")}</h2>
                    <table class="detail">
                        <tr><th>{tr("商户账号", "Account")}</th><td>{m.merchant_email.clone()}</td></tr>
                        <tr><th>{tr("企业名称", "Company")}</th><td>{m.company_name.clone()}</td></tr>
                        <tr><th>{tr("操作员", "Operator")}</th><td>{m.display_name.clone()}" ("{m.operator.clone()}")"</td></tr>
                        <tr><th>{tr("实名认证", "Verification")}</th><td>{move || kyb_label(&status, lang.get())}</td></tr>
                        <tr><th>{tr("登录密码", "Login password")}</th><td><A href="/security/login-password" attr:class="link">{tr("修改", "Change")}</A></td></tr>
                        <tr><th>{tr("手机", "Phone")}</th><td><A href="/security/phone" attr:class="link">{if m.phone_bound { tr("修改", "Change") } else { tr("绑定", "Bind") }}</A></td></tr>
                        <tr><th>{tr("邮箱", "E-mail")}</th><td><A href="/security/email" attr:class="link">{tr("绑定 / 修改", "Bind / change")}</A></td></tr>
                        <tr><th>{tr("安全中心", "Security centre")}</th><td><A href="/security/overview" attr:class="link" attr:data-testid="settings-security">{tr("查看安全等级", "See the security level")}</A></td></tr>
                    </table>
                }
            })}
            <h2 class="sub">{tr("银行账户", "Bank cards")}</h2>
            <ErrorBanner error=error/>
            <Suspense fallback=|| view! { <p class="loading">"…"</p> }>
                {move || cards.get().map(|r| match r {
                    Err(e) => view! { <div class="banner error">{e.message()}</div> }.into_any(),
                    Ok(list) if list.is_empty() => view! { <div class="empty" data-testid="no-cards">{tr("还没有绑定银行卡", "No bank cards yet")}</div> }.into_any(),
                    Ok(list) => view! {
                        <table class="grid" data-testid="cards">
                            <thead><tr><th>{tr("开户名", "Name")}</th><th>{tr("银行", "Bank")}</th><th>{tr("开户支行", "Branch")}</th><th>{tr("账号", "Number")}</th><th></th></tr></thead>
                            <tbody>{list.into_iter().map(|c| {
                                let id = c.id;
                                view! {
                                    <tr><td>{c.account_name}</td><td>{c.bank_name}</td><td>{c.branch}</td><td>{c.account}</td>
                                        <td><button type="button" class="link" name="delete-card" on:click=move |_| remove(id)>{tr("删除", "Delete")}</button></td></tr>
                                }
                            }).collect_view()}</tbody>
                        </table>
                    }.into_any(),
                })}
            </Suspense>
            <p class="hint">{tr_n("最多可添加 {0} 张银行卡。为保证资金安全，银行账户的名称默认为您企业的名称，且不能修改。", "At most {0} cards. For safety, a card's name is always the company's.", &[limits::BANK_CARDS as i64])}</p>
            {move || if adding.get() {
                view! { <AddCard adding=adding version=version/> }.into_any()
            } else {
                view! { <button type="button" class="primary" name="add-card" on:click=move |_| adding.set(true)>{tr("添加银行卡", "Add a bank card")}</button> }.into_any()
            }}
            {move || session.can("operators").then(|| view! { <crate::pages::review::policies::ReviewPolicies/> })}
        </section>
    }
}

#[component]
fn AddCard(adding: RwSignal<bool>, version: RwSignal<u32>) -> impl IntoView {
    let session = use_session();
    let bank = RwSignal::new("ICBC".to_owned());
    let branch = RwSignal::new(String::new());
    let number = RwSignal::new(String::new());
    let number2 = RwSignal::new(String::new());
    let payment_password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        let body = NewBankCard {
            bank: bank.get_untracked(),
            branch_code: branch.get_untracked(),
            account_number: number.get_untracked(),
            account_number_confirm: number2.get_untracked(),
            payment_password: payment_password.get_untracked(),
        };
        spawn_local(async move {
            match ep::add_bank_card(&body).await {
                Ok(_) => {
                    adding.set(false);
                    version.update(|v| *v += 1);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <form class="form wide" on:submit=submit data-testid="add-card">
            <ErrorBanner error=error/>
            <label class="field"><span class="label">{tr("开户名", "Name")}</span>
                <input value=move || session.me.get().map(|m| m.company_name).unwrap_or_default() readonly/></label>
            <BranchPicker bank=bank branch=branch error=error/>
            <label class="field"><span class="label req">{tr("银行卡号", "Card number")}</span>
                <input name="account_number" inputmode="numeric" bind:value=number/>
                <FieldMessage error=error field="account_number"/></label>
            <label class="field"><span class="label req">{tr("确认卡号", "Card number again")}</span>
                <input name="account_number_confirm" inputmode="numeric" bind:value=number2 on:paste=|ev| ev.prevent_default()/>
                <FieldMessage error=error field="account_number_confirm"/></label>
            <label class="field"><span class="label req">{tr("支付密码", "Payment password")}</span>
                <input name="payment_password" type="password" bind:value=payment_password/>
                <FieldMessage error=error field="payment_password"/></label>
            <div class="row">
                <button type="button" on:click=move |_| adding.set(false)>{tr("取消", "Cancel")}</button>
                <button class="primary" type="submit">{tr("确认", "Add")}</button>
            </div>
        </form>
    }
}
