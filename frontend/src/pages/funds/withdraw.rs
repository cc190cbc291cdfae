//! 提现 (§4.1.1): to one of the merchant's own cards, standard or fast.

use super::{balance, words, Fees, FundForm, FundProofs};
use crate::components::{ErrorBanner, FieldMessage};
use crate::endpoints as ep;
use crate::i18n::{tr, use_lang};
use crate::session::use_session;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn WithdrawPage() -> impl IntoView {
    let _session = use_session();
    let home = balance();
    let cards = LocalResource::new(ep::get_bank_cards);
    let card = RwSignal::new(String::new());
    let amount = RwSignal::new(String::new());
    let speed = RwSignal::new("standard".to_owned());
    let fees = Fees::load();
    let fee = move || {
        let product = if speed.get() == "fast" { "withdrawal_fast" } else { "withdrawal_standard" };
        fees.on_text(product, &amount.get())
    };
    let form = FundForm::new("withdrawal");
    let (error, result) = (form.error, form.result);
    let lang = use_lang();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (card_id, amount, speed) = (
            card.get_untracked().parse().unwrap_or(0),
            amount.get_untracked().trim().to_owned(),
            speed.get_untracked(),
        );
        form.submit(
            move |p| paydesk_api_types::WithdrawalRequest {
                card_id,
                amount,
                speed,
                merchant_order_no: None,
                payment_password: p.payment_password,
                sms_code: p.sms_code,
                security_key: p.security_key,
            },
            |b, key| async move { ep::withdraw(&b, &key).await },
            |_| {},
        );
    };
    view! {
        <section class="page funds-page">
            <h1>{tr("提现", "Withdrawal")}</h1>
            {move || match result.get() {
                Some(a) => {
                    let pending = a.status == "pending_review";
                    view! {
                    <div class="done-panel" data-testid="withdrawal-result" data-status=a.status.clone()>
                        <p class="big">{move || if pending { lang.get().pick("已提交，等待审核", "Submitted for review") } else { lang.get().pick("提现申请已提交银行处理", "Sent to the bank") }}</p>
                        <p>"¥ "{a.total.clone()}" → "{a.lines.first().map(|l| l.payee_account.clone()).unwrap_or_default()}</p>
                        <A href="/trade/statement" attr:class="button">{tr("查看收支明细", "See the statement")}</A>
                    </div>
                }.into_any()
                }
                None => view! {
                    <form class="form wide" on:submit=submit data-testid="withdraw-form">
                        <ErrorBanner error=error/>
                        <p class="muted">{tr("可提现余额：", "Available: ")}<strong>{move || home.get().and_then(|h| h.ok()).map(|h| h.available).unwrap_or_default()}</strong>{tr(" 元", " yuan")}</p>
                        <label class="field"><span class="label req">{tr("提现到银行卡", "To bank card")}</span>
                            <select name="card" on:change=move |ev| card.set(event_target_value(&ev))>
                                <option value="">{tr("选择银行卡", "Choose a card")}</option>
                                {move || cards.get().and_then(|r| r.ok()).map(|list| list.into_iter().map(|c| view! {
                                    <option value=c.id.to_string()>{c.bank_name.clone()}" "{c.account.clone()}" · "{c.account_name.clone()}</option>
                                }).collect_view())}
                            </select>
                            <span class="hint">{tr("只能提现到本企业同名银行卡。", "Only to the company's own cards. ")}<A href="/account/settings">{tr("添加银行卡", "Add a card")}</A></span>
                            <FieldMessage error=error field="card_id"/></label>
                        <label class="field"><span class="label req">{tr("提现金额（元）", "Amount (yuan)")}</span>
                            <input name="amount" inputmode="decimal" bind:value=amount/>
                            <span class="words" data-testid="amount-words">{move || words(&amount.get())}</span>
                            <FieldMessage error=error field="amount"/></label>
                        <div class="field"><span class="label req">{tr("到账时间", "Speed")}</span>
                            <label class="check"><input type="radio" name="speed" value="standard" checked=move || speed.get() == "standard" on:change=move |_| speed.set("standard".into())/>{tr("普通提现（T+1 到账）", "Standard (next day)")}</label>
                            <label class="check"><input type="radio" name="speed" value="fast" checked=move || speed.get() == "fast" on:change=move |_| speed.set("fast".into())/>{tr("快速提现（2 小时内到账）", "Fast (within 2 hours)")}</label>
                            <span class="hint">{tr("服务费：", "Fee: ")}<b data-testid="fee">{move || fee().to_string()}</b>{tr(" 元", " yuan")}</span></div>
                        <FundProofs form=form/>
                        <button class="primary" type="submit">{tr("确认提现", "Withdraw")}</button>
                    </form>
                }.into_any(),
            }}
        </section>
    }
}
