//! 转账到快捷通账户 (§3.4.2.1–2): one to five payees, a confirmation step, the result.

use super::{balance, leak, words, Fees, FundForm, FundProofs, LineForm, PayeePicker, Proofs, TransferTabs};
use crate::components::{ErrorBanner, FieldMessage};
use crate::endpoints as ep;
use crate::i18n::{tr, tr_n, use_lang};
use leptos::prelude::*;
use leptos_router::components::A;
use paydesk_api_types::{TransferLine, TransferRequest};
use paydesk_domain::{amount_in_words, limits, Money};

#[component]
pub fn TransferPage() -> impl IntoView {
    let home = balance();
    let lines = RwSignal::new(vec![LineForm::new()]);
    let remark = RwSignal::new(String::new());
    let notify = RwSignal::new(String::new());
    let step = RwSignal::new(1u8);
    let form = FundForm::new("transfer");
    let (error, result) = (form.error, form.result);
    let lang = use_lang();
    let completes_now = move || form.completes_now();
    // The result replaces the steps once the server has answered.
    let shown = move || if result.get().is_some() { 3 } else { step.get() };
    let fees = Fees::load();
    let total = move || {
        lines
            .get()
            .iter()
            .filter_map(|l| Money::parse(l.amount.get().trim()).ok())
            .fold(Money::ZERO, |a, b| a.checked_add(b).unwrap_or(a))
    };
    let fee = move || {
        lines
            .get()
            .iter()
            .filter_map(|l| Money::parse(l.amount.get().trim()).ok())
            .map(|a| fees.of("transfer", a))
            .fold(Money::ZERO, |a, b| a.checked_add(b).unwrap_or(a))
    };
    let grand_total = move || total().checked_add(fee()).unwrap_or(Money::MAX);
    let request = move || TransferRequest {
        lines: lines
            .get_untracked()
            .iter()
            .map(|l| TransferLine {
                payee: l.payee.get_untracked().trim().to_owned(),
                amount: l.amount.get_untracked().trim().to_owned(),
                remark: None,
                notify_phone: Some(notify.get_untracked().trim().to_owned()).filter(|s| !s.is_empty()),
                merchant_order_no: None,
            })
            .collect(),
        remark: Some(remark.get_untracked().trim().to_owned()).filter(|s| !s.is_empty()),
        payment_password: String::new(),
        sms_code: None,
        security_key: None,
    };
    let next = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        step.set(2);
    };
    let confirm = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed_in = request();
        let body = move |p: Proofs| TransferRequest {
            payment_password: p.payment_password,
            sms_code: p.sms_code,
            security_key: p.security_key,
            ..typed_in
        };
        form.submit(
            body,
            |b, key| async move { ep::transfer(&b, &key).await },
            move |e| {
                // Fields of the first step send the payer back to fix them.
                if e.0.errors.iter().any(|f| f.field.starts_with("lines")) {
                    step.set(1);
                }
            },
        );
    };
    view! {
        <section class="page funds-page">
            <h1>{tr("转账到Paydesk 账户", "Transfer to platform accounts")}</h1>
            <TransferTabs bank=false/>
            <ol class="steps">
                <li class:current=move || shown() == 1>{tr("1 转账信息", "1 Details")}</li>
                <li class:current=move || shown() == 2>{tr("2 转账审核", "2 Confirm")}</li>
                <li class:current=move || shown() == 3>{tr("3 转账成功", "3 Done")}</li>
            </ol>
            <ErrorBanner error=error/>
            {move || match shown() {
                1 => view! {
                    <form class="form wide" on:submit=next>
                        <p class="muted">{tr("账户余额：", "Balance: ")}<strong>{move || home.get().and_then(|h| h.ok()).map(|h| h.available).unwrap_or_default()}</strong>{tr(" 元", " yuan")}</p>
                        <PayeePicker lines=lines/>
                        {move || lines.get().into_iter().enumerate().map(|(i, l)| view! {
                            <div class="row transfer-line">
                                <label class="field"><span class="label req">{tr("收款 Paydesk 账号", "Payee account")}</span>
                                    <input name=format!("payee-{i}") type="email" bind:value=l.payee on:blur=move |_| l.look_up()/>
                                    {move || l.name.get().map(|n| match n {
                                        Ok(name) => view! { <span class="payee-name" data-testid=format!("payee-name-{i}")>{name}</span> }.into_any(),
                                        Err(m) => view! { <span class="field-error">{m}</span> }.into_any(),
                                    })}
                                    <FieldMessage error=error field=leak(format!("lines[{i}].payee"))/></label>
                                <label class="field"><span class="label req">{tr("转账金额（元）", "Amount (yuan)")}</span>
                                    <input name=format!("amount-{i}") inputmode="decimal" bind:value=l.amount/>
                                    <span class="words">{move || words(&l.amount.get())}</span>
                                    <FieldMessage error=error field=leak(format!("lines[{i}].amount"))/></label>
                                {(i > 0).then(|| view! {
                                    <button type="button" class="link" on:click=move |_| lines.update(|v| { v.remove(i); })>{tr("删除", "Remove")}</button>
                                })}
                            </div>
                        }).collect_view()}
                        <button type="button" name="add-line" disabled=move || { lines.get().len() >= limits::TRANSFER_LINES }
                            on:click=move |_| lines.update(|v| v.push(LineForm::new()))>{tr("+ 添加账户", "+ Add a payee")}</button>
                        <p class="hint">{tr_n("注：最多可添加{0}条转账信息，如需更多，请使用批量转账。", "At most {0} payees; use a batch file for more.", &[limits::TRANSFER_LINES as i64])}</p>
                        <label class="field"><span class="label">{tr("短信通知联系人（手机）", "Notify the payee by SMS (phone)")}</span>
                            <input name="notify_phone" bind:value=notify/></label>
                        <label class="field"><span class="label">{tr("备注", "Remark")}</span>
                            <input name="remark" maxlength=limits::REMARK_CHARS bind:value=remark/></label>
                        <div class="totals">
                            <span>{tr("总转账笔数：", "Payments: ")}<b>{move || lines.get().len()}</b></span>
                            <span>{tr("转账总金额：", "Amount: ")}<b data-testid="total">{move || total().to_string()}</b>{tr(" 元", " yuan")}</span>
                            <span>{tr("服务费：", "Fee: ")}<b data-testid="fee">{move || fee().to_string()}</b>{tr(" 元", " yuan")}</span>
                        </div>
                        <button class="primary" type="submit">{tr("下一步", "Next")}</button>
                    </form>
                }.into_any(),
                2 => view! {
                    <form class="form wide" on:submit=confirm data-testid="confirm-step">
                        <table class="grid">
                            <thead><tr><th>{tr("收款账号", "Payee")}</th><th>{tr("户名", "Name")}</th><th>{tr("金额（元）", "Amount")}</th></tr></thead>
                            <tbody>{move || lines.get().into_iter().map(|l| view! {
                                <tr><td>{l.payee.get()}</td><td>{l.name.get().and_then(|n| n.ok()).unwrap_or_default()}</td><td class="num">{l.amount.get()}</td></tr>
                            }).collect_view()}</tbody>
                        </table>
                        <p>{tr("服务费：", "Fee: ")}<b>{move || fee().to_string()}</b>{tr(" 元", " yuan")}</p>
                        <p>{tr("合计扣款：", "Total debited: ")}<b data-testid="grand-total">{move || grand_total().to_string()}</b>{tr(" 元 · ", " yuan · ")}{move || amount_in_words(grand_total())}</p>
                        <FundProofs form=form/>
                        <p class="note">{move || if completes_now() {
                            lang.get().pick("您同时具有申请和审核权限，确认后转账立即完成。", "You may also review: the transfer completes when you confirm.")
                        } else {
                            lang.get().pick("确认后资金将被冻结，等待审核员审核。", "The money is held until a reviewer approves.")
                        }}</p>
                        <div class="row">
                            <button type="button" on:click=move |_| step.set(1)>{tr("返回修改", "Back")}</button>
                            <button class="primary" type="submit">{tr("确认转账", "Confirm transfer")}</button>
                        </div>
                    </form>
                }.into_any(),
                _ => view! {
                    {move || result.get().map(|a| {
                        let done = a.status == "succeeded";
                        view! {
                            <div class="done-panel" data-testid="transfer-result" data-status=a.status.clone()>
                                <p class="big">{move || if done { lang.get().pick("转账成功", "Transfer complete") } else { lang.get().pick("已提交，等待审核", "Submitted for review") }}</p>
                                <p>"¥ "{a.total.clone()}" · "{a.line_count}{tr(" 笔", " payment(s)")}</p>
                                <A href="/trade/statement" attr:class="button">{tr("查看收支明细", "See the statement")}</A>
                            </div>
                        }
                    })}
                }.into_any(),
            }}
        </section>
    }
}
