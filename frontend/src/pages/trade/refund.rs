//! 退款申请 (§4.1.2.1): the order's information, 全额退款 or 部分退款, the fee
//! share that comes back (退回手续费, by the domain's own rule), 备注; confirmed
//! with the payment password (and the second factor when it completes at once)
//! through the shared fund form.

use crate::components::{ErrorBanner, FieldMessage};
use crate::endpoints as ep;
use crate::i18n::{tr, use_lang};
use crate::pages::funds::{words, FundForm, FundProofs};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use paydesk_domain::refunds::fee_back;
use paydesk_domain::Money;

fn money(text: &str) -> Money {
    Money::parse(text).unwrap_or(Money::ZERO)
}

#[component]
pub fn RefundPage() -> impl IntoView {
    let params = use_params_map();
    let lang = use_lang();
    let no = move || params.get().get("no").unwrap_or_default();
    let detail = LocalResource::new(move || {
        let no = no();
        async move { ep::get_trade_detail(&no, false).await }
    });
    let full = RwSignal::new(true);
    let amount = RwSignal::new(String::new());
    let remark = RwSignal::new(String::new());
    let form = FundForm::new("refund");
    let (error, result) = (form.error, form.result);
    view! {
        <section class="page funds-page refund-page">
            <h1>{tr("退款申请", "Refund")}</h1>
            <Suspense fallback=|| view! { <p class="loading">"…"</p> }>
                {move || detail.get().map(|r| match r {
                    Err(e) => view! { <div class="banner error">{e.message()}</div> }.into_any(),
                    Ok(d) => {
                        let t = d.trade.clone();
                        let (paid, fee, refunded) = (money(&t.amount), money(&t.fee), money(&t.refunded));
                        let left = money(&d.refundable_amount);
                        let asked = move || if full.get() { left } else { money(amount.get().trim()) };
                        // 退回手续费: the same rule the server applies.
                        let back = move || fee_back(fee.min(paid), paid, refunded, asked().min(left));
                        let trade_no = t.trade_no.clone();
                        let submit = move |ev: leptos::ev::SubmitEvent| {
                            ev.prevent_default();
                            let (is_full, amount, remark) = (full.get_untracked(), amount.get_untracked().trim().to_owned(), remark.get_untracked());
                            let trade_no = trade_no.clone();
                            form.submit(
                                move |p| paydesk_api_types::RefundRequest {
                                    full: is_full,
                                    amount: (!is_full).then_some(amount),
                                    remark: Some(remark).filter(|r| !r.trim().is_empty()),
                                    refund_order_no: None,
                                    payment_password: p.payment_password,
                                    sms_code: p.sms_code,
                                    security_key: p.security_key,
                                },
                                move |b, key| async move { ep::apply_refund(&trade_no, &b, &key).await },
                                |_| {},
                            );
                        };
                        let back_to = format!("/trade/records/{}", t.trade_no);
                        view! {
                            <table class="grid info" data-testid="refund-order">
                                <tr><th>{tr("交易订单号", "Trade no.")}</th><td>{t.trade_no.clone()}</td><th>{tr("商户订单号", "Merchant order no.")}</th><td>{t.merchant_order_no.clone()}</td></tr>
                                <tr><th>{tr("交易金额（元）", "Amount")}</th><td class="num">{t.amount.clone()}</td><th>{tr("服务费（元）", "Fee")}</th><td class="num">{t.fee.clone()}</td></tr>
                                <tr><th>{tr("已退金额（元）", "Refunded")}</th><td class="num">{t.refunded.clone()}</td><th>{tr("可退金额（元）", "Refundable")}</th><td class="num" data-testid="refundable">{d.refundable_amount.clone()}</td></tr>
                            </table>
                            {move || match result.get() {
                                Some(a) => {
                                    let pending = a.status == "pending_review";
                                    view! {
                                    <div class="done-panel" data-testid="refund-result" data-status=a.status.clone()>
                                        <p class="big">{tr("退款申请成功", "Refund applied for")}</p>
                                        <p>{move || if pending { lang.get().pick("退款金额已冻结，等待审核员审核。", "The amount is held until a reviewer approves.") } else { lang.get().pick("退款已提交银行，原路返回买家。", "Sent to the bank, back the way it came.") }}</p>
                                        <p>"¥ "{a.total_amount.clone()}</p>
                                        <A href=back_to.clone() attr:class="button">{tr("查看交易详情", "See the trade")}</A>
                                    </div>
                                }.into_any()
                                }
                                None => view! {
                                    <form class="form wide" on:submit=submit.clone() data-testid="refund-form">
                                        <ErrorBanner error=error/>
                                        <div class="field"><span class="label req">{tr("退款方式", "Refund")}</span>
                                            <label class="check"><input type="radio" name="full" value="full" checked=move || full.get() on:change=move |_| full.set(true)/>{tr("全额退款", "Everything left")}</label>
                                            <label class="check"><input type="radio" name="full" value="partial" checked=move || !full.get() on:change=move |_| full.set(false)/>{tr("部分退款", "Part")}</label></div>
                                        {move || (!full.get()).then(|| view! {
                                            <label class="field"><span class="label req">{tr("退款金额（元）", "Amount (yuan)")}</span>
                                                <input name="amount" inputmode="decimal" bind:value=amount/>
                                                <span class="words">{move || words(&amount.get())}</span>
                                                <FieldMessage error=error field="amount"/></label>
                                        })}
                                        <p class="field"><span class="label">{tr("退回手续费（元）", "Fee back (yuan)")}</span><b data-testid="fee-back">{move || back().to_string()}</b></p>
                                        <label class="field"><span class="label">{tr("备注", "Remark")}</span>
                                            <input name="remark" maxlength="50" bind:value=remark/>
                                            <FieldMessage error=error field="remark"/></label>
                                        <FieldMessage error=error field="trade_no"/>
                                        <FundProofs form=form note=true/>
                                        <button class="primary" type="submit" name="confirm">{tr("确认退款", "Confirm refund")}</button>
                                    </form>
                                }.into_any(),
                            }}
                        }.into_any()
                    }
                })}
            </Suspense>
        </section>
    }
}
