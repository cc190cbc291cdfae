//! 充值 (§3.4.1): the amount twice, the bank, then its online-banking page.

use super::{balance, words};
use crate::api::{self, ApiError};
use crate::components::{ErrorBanner, FieldMessage};
use crate::endpoints as ep;
use crate::i18n::{tr, use_lang};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use paydesk_api_types::{Recharge, RechargeRequest};

#[component]
pub fn RechargePage() -> impl IntoView {
    let banks = LocalResource::new(ep::get_recharge_banks);
    let home = balance();
    let amount = RwSignal::new(String::new());
    let confirm = RwSignal::new(String::new());
    let bank = RwSignal::new("ICBC".to_owned());
    let error = RwSignal::new(None::<ApiError>);
    let key = RwSignal::new(api::new_idempotency_key());
    let lang = use_lang();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        let body = RechargeRequest {
            amount: amount.get_untracked(),
            amount_confirm: confirm.get_untracked(),
            bank: bank.get_untracked(),
        };
        let k = key.get_untracked();
        spawn_local(async move {
            match ep::start_recharge(&body, &k).await {
                Ok(r) => {
                    if let Some(w) = web_sys::window() {
                        let _ = w.location().set_href(&r.pay_url);
                    }
                }
                Err(e) => {
                    if api::is_definite(&e) {
                        key.set(api::new_idempotency_key());
                    }
                    error.set(Some(e));
                }
            }
        });
    };
    view! {
        <section class="page funds-page">
            <h1>{tr("充值", "Recharge")}</h1>
            <p class="muted">{tr("充值账户：账户余额 ", "Balance ")}
                <strong>{move || home.get().and_then(|h| h.ok()).map(|h| h.available).unwrap_or_default()}</strong>{tr(" 元", " yuan")}</p>
            <form class="form wide" on:submit=submit>
                <ErrorBanner error=error/>
                <div class="row">
                    <label class="field"><span class="label req">{tr("充值金额（元）", "Amount (yuan)")}</span>
                        <input name="amount" inputmode="decimal" bind:value=amount/>
                        <span class="words">{move || words(&amount.get())}</span>
                        <FieldMessage error=error field="amount"/></label>
                    <label class="field"><span class="label req">{tr("确认金额", "Amount again")}</span>
                        <input name="amount_confirm" inputmode="decimal" bind:value=confirm on:paste=|ev| ev.prevent_default()/>
                        <FieldMessage error=error field="amount_confirm"/></label>
                </div>
                <div class="field"><span class="label req">{tr("选择银行（企业网银）", "Bank (corporate online banking)")}</span>
                    <div class="bank-grid">
                        {move || banks.get().and_then(|b| b.ok()).map(|list| list.into_iter().map(|b| {
                            let code = b.code.clone();
                            let c2 = code.clone();
                            view! {
                                <label class="bank" class:chosen=move || bank.get() == code>
                                    <input type="radio" name="bank" value=c2.clone() checked=move || bank.get() == c2
                                        on:change={let c = b.code.clone(); move |_| bank.set(c.clone())}/>
                                    {b.name.clone()}
                                </label>
                            }
                        }).collect_view())}
                    </div>
                    <FieldMessage error=error field="bank"/></div>
                <p class="note">{tr("请关注您的充值金额是否超限", "Mind your bank's limits")}</p>
                <table class="grid limits">
                    <thead><tr><th>{tr("银行", "Bank")}</th><th>{tr("单笔限额(元)", "Per payment")}</th><th>{tr("每日限额(元)", "Per day")}</th><th>{tr("需要满足的条件", "Requires")}</th></tr></thead>
                    <tbody>
                        {move || banks.get().and_then(|b| b.ok()).map(|list| list.into_iter().filter(|b| b.code == bank.get()).map(|b| view! {
                            <tr><td>{b.name.clone()}</td><td class="num">{b.single_limit.clone()}</td><td class="num">{b.daily_limit.clone()}</td>
                                <td>{move || if lang.get() == crate::i18n::Lang::Zh { b.condition_zh.clone() } else { b.condition_en.clone() }}</td></tr>
                        }).collect_view())}
                    </tbody>
                </table>
                <button class="primary" type="submit">{tr("下一步：登录网上银行付款", "Next: pay in online banking")}</button>
            </form>
        </section>
    }
}

#[component]
pub fn RechargeResultPage() -> impl IntoView {
    let query = use_query_map();
    let order = RwSignal::new(None::<Recharge>);
    let error = RwSignal::new(None::<ApiError>);
    Effect::new(move |_| {
        let no = query.get().get("order_no").unwrap_or_default();
        spawn_local(async move {
            // The bank's notification follows the payer back within moments: wait for it.
            for _ in 0..40 {
                match ep::get_recharge(&no).await {
                    Ok(r) => {
                        let done = r.status != "pending";
                        order.set(Some(r));
                        if done {
                            return;
                        }
                    }
                    Err(e) => {
                        error.set(Some(e));
                        return;
                    }
                }
                api::sleep(500).await;
            }
        });
    });
    view! {
        <section class="page funds-page">
            <h1>{tr("充值结果", "Recharge result")}</h1>
            <ErrorBanner error=error/>
            {move || order.get().map(|r| match r.status.as_str() {
                "paid" => view! {
                    <div class="done-panel" data-testid="recharge-paid">
                        <p class="big">{tr("充值成功", "Recharge complete")}</p>
                        <p>{r.bank_name.clone()}" · ¥ "{r.amount.clone()}" · "{r.order_no.clone()}</p>
                        <A href="/funds/overview" attr:class="button">{tr("查看余额", "See the balance")}</A>
                    </div>
                }.into_any(),
                "cancelled" => view! {
                    <div class="banner error" data-testid="recharge-cancelled">{tr("充值已取消", "The recharge was cancelled")}</div>
                }.into_any(),
                _ => view! { <p class="loading" data-testid="recharge-pending">{tr("正在等待银行通知…", "Waiting for the bank…")}</p> }.into_any(),
            })}
        </section>
    }
}
