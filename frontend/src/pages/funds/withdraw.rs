//! 提现 (§4.1.1): to one of the merchant's own cards, standard or fast.

use super::{balance, submit_operation, words, Fees};
use crate::api::{self, ApiError};
use crate::components::{ErrorBanner, FieldMessage, SecondFactorField};
use crate::endpoints as ep;
use crate::i18n::{tr, use_lang};
use crate::session::use_session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use paydesk_api_types::Application;

#[component]
pub fn WithdrawPage() -> impl IntoView {
    let session = use_session();
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
    let payment_password = RwSignal::new(String::new());
    let sms_code = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let result = RwSignal::new(None::<Application>);
    let key = RwSignal::new(api::new_idempotency_key());
    let lang = use_lang();
    let completes_now = move || session.completes_at_once("withdrawal");
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        let body = paydesk_api_types::WithdrawalRequest {
            card_id: card.get_untracked().parse().unwrap_or(0),
            amount: amount.get_untracked().trim().to_owned(),
            speed: speed.get_untracked(),
            merchant_order_no: None,
            payment_password: payment_password.get_untracked(),
            sms_code: Some(sms_code.get_untracked().trim().to_owned()).filter(|s| !s.is_empty()),
            security_key: None,
        };
        spawn_local(async move {
            let sent = submit_operation(
                session,
                "withdrawal",
                key,
                |k| paydesk_api_types::WithdrawalRequest { security_key: k, ..body },
                |b, key| async move { ep::post_withdrawals(&b, &key).await },
            )
            .await;
            match sent {
                Ok(a) => result.set(Some(a)),
                Err(e) => error.set(Some(e)),
            }
        });
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
                        <label class="field"><span class="label req">{tr("支付密码", "Payment password")}</span>
                            <input name="payment_password" type="password" autocomplete="off" bind:value=payment_password/>
                            <FieldMessage error=error field="payment_password"/></label>
                        {move || completes_now().then(|| view! { <SecondFactorField code=sms_code error=error/> })}
                        <button class="primary" type="submit">{tr("确认提现", "Withdraw")}</button>
                    </form>
                }.into_any(),
            }}
        </section>
    }
}
