//! 转账到银行账户 (§3.4.2.3): a personal or corporate account, or a saved contact.

use super::{balance, words, BankContactPicker, Fees, FundForm, FundProofs, Proofs, TransferTabs};
use crate::components::{BranchPicker, ErrorBanner, FieldMessage};
use crate::endpoints as ep;
use crate::i18n::{tr, use_lang};
use crate::session::use_session;
use leptos::prelude::*;
use leptos_router::components::A;
use paydesk_domain::limits;

#[component]
pub fn BankTransferPage() -> impl IntoView {
    let _session = use_session();
    let home = balance();
    let account_type = RwSignal::new("personal".to_owned());
    let name = RwSignal::new(String::new());
    let bank = RwSignal::new("ICBC".to_owned());
    let branch = RwSignal::new(String::new());
    let number = RwSignal::new(String::new());
    let number2 = RwSignal::new(String::new());
    let amount = RwSignal::new(String::new());
    let remark = RwSignal::new(String::new());
    let agreed = RwSignal::new(false);
    let contact = RwSignal::new(None::<paydesk_api_types::ContactView>);
    let fees = Fees::load();
    let form = FundForm::new("bank_payout");
    let (error, result) = (form.error, form.result);
    let lang = use_lang();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let saved = contact.get_untracked().map(|c| c.id);
        // A chosen contact stands for the five account fields.
        let typed = |s: RwSignal<String>| if saved.is_some() { String::new() } else { s.get_untracked() };
        let typed_in = paydesk_api_types::BankTransferRequest {
            contact_id: saved,
            account_type: typed(account_type),
            name: typed(name),
            bank: typed(bank),
            branch_code: typed(branch),
            account_number: typed(number),
            account_number_confirm: typed(number2),
            merchant_order_no: None,
            amount: amount.get_untracked().trim().to_owned(),
            remark: Some(remark.get_untracked()).filter(|r| !r.trim().is_empty()),
            agreement_accepted: agreed.get_untracked(),
            payment_password: String::new(),
            sms_code: None,
            security_key: None,
        };
        let body = move |p: Proofs| paydesk_api_types::BankTransferRequest {
            payment_password: p.payment_password,
            sms_code: p.sms_code,
            security_key: p.security_key,
            ..typed_in
        };
        form.submit(body, |b, key| async move { ep::bank_transfer(&b, &key).await }, |_| {});
    };
    view! {
        <section class="page funds-page">
            <h1>{tr("转账到银行账户", "Transfer to a bank account")}</h1>
            <TransferTabs bank=true/>
            {move || match result.get() {
                Some(a) => {
                    let pending = a.status == "pending_review";
                    view! {
                        <div class="done-panel" data-testid="bank-transfer-result" data-status=a.status.clone()>
                            <p class="big">{move || if pending { lang.get().pick("已提交，等待审核", "Submitted for review") } else { lang.get().pick("已提交银行处理", "Sent to the bank") }}</p>
                            <p>"¥ "{a.total.clone()}" → "{a.lines.first().map(|l| format!("{} {}", l.payee_name, l.payee_account)).unwrap_or_default()}</p>
                            <A href="/trade/statement" attr:class="button">{tr("查看收支明细", "See the statement")}</A>
                        </div>
                    }.into_any()
                }
                None => view! {
                    <form class="form wide" on:submit=submit data-testid="bank-transfer-form">
                        <ErrorBanner error=error/>
                        <p class="muted">{tr("账户余额：", "Balance: ")}<strong>{move || home.get().and_then(|h| h.ok()).map(|h| h.available).unwrap_or_default()}</strong>{tr(" 元", " yuan")}</p>
                        <BankContactPicker contact=contact/>
                        {move || match contact.get() {
                            Some(c) => view! {
                                <div class="contact-card" data-testid="chosen-contact">
                                    <b>{c.name.clone()}</b>" · "{c.bank_name.clone().unwrap_or_default()}" "{c.account.clone()}
                                    <span class="muted">" · "{c.branch_name.clone().unwrap_or_default()}</span>
                                    <button type="button" class="link" on:click=move |_| contact.set(None)>{tr("改为手动填写", "Type the account instead")}</button>
                                    <FieldMessage error=error field="contact_id"/>
                                </div>
                            }.into_any(),
                            None => view! {
                            <div class="field"><span class="label req">{tr("账户类型", "Account type")}</span>
                                <div class="row">
                                    <label class="check"><input type="radio" name="account_type" value="personal" checked=move || account_type.get() == "personal" on:change=move |_| account_type.set("personal".into())/>{tr("对私", "Personal")}</label>
                                    <label class="check"><input type="radio" name="account_type" value="corporate" checked=move || account_type.get() == "corporate" on:change=move |_| account_type.set("corporate".into())/>{tr("对公", "Corporate")}</label>
                                </div></div>
                            <label class="field"><span class="label req">{tr("收款人户名", "Account holder")}</span>
                                <input name="name" bind:value=name/><FieldMessage error=error field="name"/></label>
                            <BranchPicker bank=bank branch=branch error=error/>
                            <label class="field"><span class="label req">{tr("银行账号", "Account number")}</span>
                                <input name="account_number" inputmode="numeric" bind:value=number/><FieldMessage error=error field="account_number"/></label>
                            <label class="field"><span class="label req">{tr("确认银行账号", "Account number again")}</span>
                                <input name="account_number_confirm" inputmode="numeric" bind:value=number2 on:paste=|ev| ev.prevent_default()/>
                                <FieldMessage error=error field="account_number_confirm"/></label>
                            }.into_any(),
                        }}
                        <label class="field"><span class="label req">{tr("转账金额（元）", "Amount (yuan)")}</span>
                            <input name="amount" inputmode="decimal" bind:value=amount/>
                            <span class="words">{move || words(&amount.get())}</span>
                            <span class="hint">{tr("服务费：", "Fee: ")}<b data-testid="fee">{move || fees.on_text("bank_payout", &amount.get()).to_string()}</b>{tr(" 元", " yuan")}</span>
                            <FieldMessage error=error field="amount"/></label>
                        <label class="field"><span class="label">{tr("备注", "Remark")}</span><input name="remark" maxlength=limits::REMARK_CHARS bind:value=remark/></label>
                        <label class="check"><input type="checkbox" name="agreement" bind:checked=agreed/>{tr("我已阅读并同意《转账到银行账户服务协议》", "I accept the bank payout agreement")}</label>
                        <FieldMessage error=error field="agreement_accepted"/>
                        <FundProofs form=form/>
                        <button class="primary" type="submit">{tr("确认转账", "Confirm transfer")}</button>
                    </form>
                }.into_any(),
            }}
        </section>
    }
}
