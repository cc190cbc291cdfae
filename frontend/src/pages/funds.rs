//! 资金管理 (manual §3.4): recharge through online banking, transfers to platform
//! accounts with their confirmation step, and the account statement.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use paydesk_api_types::{
    Application, Home, Page, Payee, Recharge, RechargeBank, RechargeRequest, StatementLine, TransferLine,
    TransferRequest,
};
use paydesk_domain::fees::FeeRule;
use paydesk_domain::{amount_in_words, limits, Money};

use crate::api::{self, ApiError, Realm};
use crate::components::{BranchPicker, ErrorBanner, FieldMessage, SecondFactorField};
use crate::i18n::{tr, tr_n, use_lang};
use crate::session::use_session;

/// 大写 of whatever is typed, or nothing while it isn't an amount.
fn words(text: &str) -> String {
    Money::parse(text.trim()).map(amount_in_words).unwrap_or_default()
}

/// The merchant's fee schedule (服务费), read once per form. Fees shown before
/// confirmation are computed with the same domain rule the server charges by.
#[derive(Clone, Copy)]
struct Fees(LocalResource<Result<paydesk_api_types::FeeSchedule, ApiError>>);

impl Fees {
    fn load() -> Fees {
        Fees(LocalResource::new(|| {
            api::get::<paydesk_api_types::FeeSchedule>(Realm::Operator, "/api/v1/fees")
        }))
    }

    /// The fee on `amount` for `product` (reactive; 0.00 until the schedule is in).
    fn of(self, product: &str, amount: Money) -> Money {
        let rule = self.0.get().and_then(|r| r.ok()).and_then(|s| {
            s.items.into_iter().find(|r| r.product == product).map(|r| FeeRule {
                fixed: Money::parse(&r.fixed).unwrap_or(Money::ZERO),
                rate_bp: r.rate_bp,
                min: Money::parse(&r.min).unwrap_or(Money::ZERO),
                max: r.max.as_deref().and_then(|m| Money::parse(m).ok()),
            })
        });
        rule.unwrap_or(FeeRule::FREE).fee(amount)
    }

    /// The fee on whatever amount is typed.
    fn on_text(self, product: &str, text: &str) -> Money {
        self.of(product, Money::parse(text.trim()).unwrap_or(Money::ZERO))
    }
}

/// Submits a fund operation: the key check for `kind` when the operator has a key
/// and completes it at once, then the POST under the form's Idempotency-Key. The
/// key stays until the server has decided (a retry after a lost answer must not
/// pay twice); after a decision the next submission is a new request.
async fn submit_operation<B: serde::Serialize>(
    session: crate::session::Session,
    kind: &str,
    path: &str,
    key: RwSignal<String>,
    with_key: impl FnOnce(Option<paydesk_api_types::KeyAssertion>) -> B,
) -> Result<Application, ApiError> {
    let body = with_key(crate::webauthn::for_submit(session, kind).await?);
    let answer =
        api::post_idempotent::<_, Application>(Realm::Operator, path, &body, &key.get_untracked()).await;
    if answer.as_ref().map_or_else(api::is_definite, |_| true) {
        key.set(api::new_idempotency_key());
    }
    answer
}

fn balance() -> LocalResource<Result<Home, ApiError>> {
    LocalResource::new(|| api::get::<Home>(Realm::Operator, "/api/v1/home"))
}

#[component]
pub fn RechargePage() -> impl IntoView {
    let banks =
        LocalResource::new(|| api::get::<Vec<RechargeBank>>(Realm::Operator, "/api/v1/recharge-banks"));
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
            match api::post_idempotent::<_, Recharge>(Realm::Operator, "/api/v1/recharges", &body, &k).await {
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
                match api::get::<Recharge>(Realm::Operator, &format!("/api/v1/recharges/{no}")).await {
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

#[derive(Clone, Copy)]
struct LineForm {
    payee: RwSignal<String>,
    amount: RwSignal<String>,
    name: RwSignal<Option<Result<String, String>>>,
}

impl LineForm {
    fn new() -> LineForm {
        LineForm {
            payee: RwSignal::new(String::new()),
            amount: RwSignal::new(String::new()),
            name: RwSignal::new(None),
        }
    }

    /// Shows whose account the payee is, so the payer can confirm it.
    fn look_up(self) {
        let account = self.payee.get_untracked().trim().to_owned();
        if account.is_empty() {
            self.name.set(None);
            return;
        }
        spawn_local(async move {
            let path = format!("/api/v1/payees?account={}", js_sys::encode_uri_component(&account));
            self.name.set(Some(match api::get::<Payee>(Realm::Operator, &path).await {
                Ok(p) => Ok(p.name),
                Err(e) => Err(e.field("account").map(|f| f.message.clone()).unwrap_or_else(|| e.message())),
            }));
        });
    }
}

#[component]
pub fn TransferPage() -> impl IntoView {
    let session = use_session();
    let home = balance();
    let lines = RwSignal::new(vec![LineForm::new()]);
    let remark = RwSignal::new(String::new());
    let notify = RwSignal::new(String::new());
    let step = RwSignal::new(1u8);
    let payment_password = RwSignal::new(String::new());
    let sms_code = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let result = RwSignal::new(None::<Application>);
    let key = RwSignal::new(api::new_idempotency_key());
    let lang = use_lang();
    let completes_now = move || session.completes_at_once("transfer");
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
        payment_password: payment_password.get_untracked(),
        sms_code: Some(sms_code.get_untracked().trim().to_owned()).filter(|s| !s.is_empty()),
        security_key: None,
    };
    let next = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        step.set(2);
    };
    let confirm = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        let body = request();
        spawn_local(async move {
            let sent = submit_operation(session, "transfer", "/api/v1/transfers", key, |k| TransferRequest {
                security_key: k,
                ..body
            })
            .await;
            match sent {
                Ok(a) => {
                    result.set(Some(a));
                    step.set(3);
                }
                Err(e) => {
                    // Fields of the first step send the payer back to fix them.
                    if e.0.errors.iter().any(|f| f.field.starts_with("lines")) {
                        step.set(1);
                    }
                    error.set(Some(e));
                }
            }
        });
    };
    view! {
        <section class="page funds-page">
            <h1>{tr("转账到Paydesk 账户", "Transfer to platform accounts")}</h1>
            <TransferTabs bank=false/>
            <ol class="steps">
                <li class:current=move || step.get() == 1>{tr("1 转账信息", "1 Details")}</li>
                <li class:current=move || step.get() == 2>{tr("2 转账审核", "2 Confirm")}</li>
                <li class:current=move || step.get() == 3>{tr("3 转账成功", "3 Done")}</li>
            </ol>
            <ErrorBanner error=error/>
            {move || match step.get() {
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
                        <label class="field"><span class="label req">{tr("支付密码", "Payment password")}</span>
                            <input name="payment_password" type="password" autocomplete="off" bind:value=payment_password/>
                            <FieldMessage error=error field="payment_password"/></label>
                        {move || completes_now().then(|| view! { <SecondFactorField code=sms_code error=error/> })}
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

/// Saves an object URL as a file through a temporary link.
fn download(url: &str, name: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let Ok(link) = document.create_element("a") else { return };
    let _ = link.set_attribute("href", url);
    let _ = link.set_attribute("download", name);
    if let Some(body) = document.body() {
        let _ = body.append_child(&link);
        if let Some(el) = wasm_bindgen::JsCast::dyn_ref::<web_sys::HtmlElement>(&link) {
            el.click();
        }
        let _ = body.remove_child(&link);
    }
}

/// Field names built at run time live as long as the page; these are few and small.
fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

#[component]
pub fn StatementPage() -> impl IntoView {
    let today = js_sys::Date::new_0();
    let fmt = |d: &js_sys::Date| {
        format!("{:04}-{:02}-{:02}", d.get_utc_full_year(), d.get_utc_month() + 1, d.get_utc_date())
    };
    let to = RwSignal::new(fmt(&today));
    let from_date =
        js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(today.get_time() - 7.0 * 86_400_000.0));
    let from = RwSignal::new(fmt(&from_date));
    let page = RwSignal::new(1u32);
    let preset = move |days: f64| {
        let now = js_sys::Date::new_0();
        let start = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(now.get_time() - days * 86_400_000.0));
        from.set(fmt(&start));
        to.set(fmt(&now));
        page.set(1);
    };
    let rows = LocalResource::new(move || {
        let path = format!("/api/v1/statement?from={}&to={}&page={}", from.get(), to.get(), page.get());
        async move { api::get::<Page<StatementLine>>(Realm::Operator, &path).await }
    });
    view! {
        <section class="page">
            <h1>{tr("收支明细", "Account statement")}</h1>
            <div class="filters row">
                <button type="button" on:click=move |_| preset(7.0)>{tr("最近一周", "Week")}</button>
                <button type="button" on:click=move |_| preset(30.0)>{tr("最近一个月", "Month")}</button>
                <button type="button" on:click=move |_| preset(91.0)>{tr("最近三个月", "3 months")}</button>
                <button type="button" on:click=move |_| preset(365.0)>{tr("最近一年", "Year")}</button>
                <input type="date" name="from" bind:value=from/>" – "<input type="date" name="to" bind:value=to/>
                <button type="button" name="export" on:click=move |_| {
                    let (f, t) = (from.get_untracked(), to.get_untracked());
                    spawn_local(async move {
                        if let Ok(url) = api::object_url(Realm::Operator, &format!("/api/v1/statement/export?from={f}&to={t}")).await {
                            download(&url, &format!("statement-{f}-{t}.xlsx"));
                        }
                    });
                }>{tr("导出下载", "Export")}</button>
            </div>
            <Suspense fallback=|| view! { <p class="loading">"…"</p> }>
                {move || rows.get().map(|r| match r {
                    Err(e) => view! { <div class="banner error">{e.message()}</div> }.into_any(),
                    Ok(p) if p.items.is_empty() => view! { <div class="empty" data-testid="statement-empty">{tr("该时间段内没有收支记录", "Nothing in this period")}</div> }.into_any(),
                    Ok(p) => {
                        view! {
                            <table class="grid" data-testid="statement">
                                <thead><tr><th>{tr("时间", "Time")}</th><th>{tr("收入（元）", "Income")}</th><th>{tr("支出（元）", "Expense")}</th><th>{tr("账户余额（元）", "Balance")}</th><th>{tr("备注", "Remark")}</th></tr></thead>
                                <tbody>
                                    {p.items.into_iter().map(|l| view! {
                                        <tr>
                                            <td>{crate::i18n::local_time(&l.time)}</td>
                                            <td class="num income">{l.income.unwrap_or_default()}</td>
                                            <td class="num expense">{l.expense.unwrap_or_default()}</td>
                                            <td class="num" data-testid="balance-after">{l.balance_after}</td>
                                            <td>{l.remark}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                            <crate::components::Pager page=page total=p.total per_page=p.per_page/>
                        }.into_any()
                    }
                })}
            </Suspense>
        </section>
    }
}

/// A line chart of daily balances, drawn as SVG.
fn trend_svg(points: &[paydesk_api_types::DailyBalance]) -> String {
    let (w, h, pad) = (640.0f64, 180.0f64, 28.0f64);
    let values: Vec<f64> = points
        .iter()
        .map(|p| Money::parse(&p.balance).map(|m| m.fen() as f64 / 100.0).unwrap_or(0.0))
        .collect();
    let max = values.iter().cloned().fold(0.0f64, f64::max).max(1.0);
    let step = if values.len() > 1 { (w - 2.0 * pad) / (values.len() - 1) as f64 } else { 0.0 };
    let coords: Vec<String> = values
        .iter()
        .enumerate()
        .map(|(i, v)| format!("{:.1},{:.1}", pad + i as f64 * step, h - pad - v / max * (h - 2.0 * pad)))
        .collect();
    let first = points.first().map(|p| p.date.clone()).unwrap_or_default();
    let last = points.last().map(|p| p.date.clone()).unwrap_or_default();
    format!(
        "<svg viewBox=\"0 0 {w} {h}\" width=\"100%\" role=\"img\" aria-label=\"balance trend\">\
         <line x1=\"{pad}\" y1=\"{y0}\" x2=\"{x1}\" y2=\"{y0}\" stroke=\"#e3e7ef\"/>\
         <polyline fill=\"none\" stroke=\"#1f5fbf\" stroke-width=\"2\" points=\"{pts}\"/>\
         <text x=\"{pad}\" y=\"{ty}\" font-size=\"11\" fill=\"#6b7385\">{first}</text>\
         <text x=\"{x1}\" y=\"{ty}\" font-size=\"11\" fill=\"#6b7385\" text-anchor=\"end\">{last}</text>\
         <text x=\"{pad}\" y=\"16\" font-size=\"11\" fill=\"#6b7385\">{max:.2}</text></svg>",
        y0 = h - pad,
        x1 = w - pad,
        ty = h - 8.0,
        pts = coords.join(" "),
    )
}

#[component]
pub fn OverviewPage() -> impl IntoView {
    let data = LocalResource::new(|| {
        api::get::<paydesk_api_types::FundsOverview>(Realm::Operator, "/api/v1/funds/overview")
    });
    view! {
        <section class="page">
            <h1>{tr("资金总览", "Funds overview")}</h1>
            <Suspense fallback=|| view! { <p class="loading">"…"</p> }>
                {move || data.get().map(|r| match r {
                    Err(e) => view! { <div class="banner error">{e.message()}</div> }.into_any(),
                    Ok(o) => view! {
                        <div class="figures">
                            <div class="figure"><span>{tr("可用余额（元）", "Available")}</span><b data-testid="overview-available">{o.available.clone()}</b></div>
                            <div class="figure"><span>{tr("冻结金额（元）", "Frozen")}</span><b data-testid="overview-frozen">{o.frozen.clone()}</b></div>
                            <div class="figure"><span>{tr("待结算金额（元）", "Pending settlement")}</span><b>{o.pending_settlement.clone()}</b></div>
                        </div>
                        <div class="actions">
                            <A href="/funds/recharge" attr:class="button primary">{tr("充值", "Recharge")}</A>" "
                            <A href="/funds/transfer" attr:class="button">{tr("转账", "Transfer")}</A>" "
                            <A href="/funds/withdraw" attr:class="button">{tr("提现", "Withdraw")}</A>
                        </div>
                        <h2 class="sub">{tr("近 30 天可用余额", "Available balance, last 30 days")}</h2>
                        <div class="chart" data-testid="trend" inner_html=trend_svg(&o.trend)></div>
                    }.into_any(),
                })}
            </Suspense>
        </section>
    }
}

#[component]
pub fn WithdrawPage() -> impl IntoView {
    let session = use_session();
    let home = balance();
    let cards = LocalResource::new(|| {
        api::get::<Vec<paydesk_api_types::BankCardView>>(Realm::Operator, "/api/v1/bank-cards")
    });
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
            let sent = submit_operation(session, "withdrawal", "/api/v1/withdrawals", key, |k| {
                paydesk_api_types::WithdrawalRequest { security_key: k, ..body }
            })
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

/// The two ways to transfer, as tabs (转账到快捷通账户 / 转账到银行账户).
#[component]
fn TransferTabs(bank: bool) -> impl IntoView {
    view! {
        <div class="tabs">
            <A href="/funds/transfer" attr:class=if bank { "button" } else { "button primary" }>{tr("转账到 Paydesk 账户", "To platform accounts")}</A>
            <A href="/funds/transfer/bank" attr:class=if bank { "button primary" } else { "button" }>{tr("转账到银行账户", "To a bank account")}</A>
        </div>
    }
}

#[component]
pub fn BankTransferPage() -> impl IntoView {
    let session = use_session();
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
    let payment_password = RwSignal::new(String::new());
    let sms_code = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let result = RwSignal::new(None::<Application>);
    let key = RwSignal::new(api::new_idempotency_key());
    let lang = use_lang();
    let completes_now = move || session.completes_at_once("bank_payout");
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        let saved = contact.get_untracked().map(|c| c.id);
        // A chosen contact stands for the five account fields.
        let typed = |s: RwSignal<String>| if saved.is_some() { String::new() } else { s.get_untracked() };
        let body = paydesk_api_types::BankTransferRequest {
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
            payment_password: payment_password.get_untracked(),
            sms_code: Some(sms_code.get_untracked().trim().to_owned()).filter(|s| !s.is_empty()),
            security_key: None,
        };
        spawn_local(async move {
            let sent = submit_operation(session, "bank_payout", "/api/v1/bank-transfers", key, |k| {
                paydesk_api_types::BankTransferRequest { security_key: k, ..body }
            })
            .await;
            match sent {
                Ok(a) => result.set(Some(a)),
                Err(e) => error.set(Some(e)),
            }
        });
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
                        <label class="field"><span class="label req">{tr("支付密码", "Payment password")}</span>
                            <input name="payment_password" type="password" autocomplete="off" bind:value=payment_password/>
                            <FieldMessage error=error field="payment_password"/></label>
                        {move || completes_now().then(|| view! { <SecondFactorField code=sms_code error=error/> })}
                        <button class="primary" type="submit">{tr("确认转账", "Confirm transfer")}</button>
                    </form>
                }.into_any(),
            }}
        </section>
    }
}

/// 我的联系人: fills the first empty payee line with a saved platform contact.
#[component]
fn PayeePicker(lines: RwSignal<Vec<LineForm>>) -> impl IntoView {
    let contacts = LocalResource::new(|| {
        api::get::<Page<paydesk_api_types::ContactView>>(
            Realm::Operator,
            "/api/v1/contacts?kind=platform&per_page=100",
        )
    });
    let choose = move |ev: leptos::ev::Event| {
        let account = event_target_value(&ev);
        if account.is_empty() {
            return;
        }
        let current = lines.get_untracked();
        let target = current.iter().find(|l| l.payee.get_untracked().trim().is_empty()).copied();
        let line = match target {
            Some(l) => l,
            None if current.len() < limits::TRANSFER_LINES => {
                let l = LineForm::new();
                lines.update(|v| v.push(l));
                l
            }
            None => return,
        };
        line.payee.set(account);
        line.look_up();
    };
    view! {
        {move || contacts.get().and_then(|r| r.ok()).filter(|p| !p.items.is_empty()).map(|p| view! {
            <label class="field"><span class="label">{tr("我的联系人", "My contacts")}</span>
                <select name="contact" on:change=choose>
                    <option value="">{tr("选择联系人", "Choose a contact")}</option>
                    {p.items.into_iter().map(|c| view! { <option value=c.account.clone()>{c.name.clone()}" · "{c.account.clone()}</option> }).collect_view()}
                </select></label>
        })}
    }
}

/// 我的联系人 on the bank-transfer form: choosing a saved bank contact pays it by
/// its id, so the full account number never comes back to the browser.
#[component]
fn BankContactPicker(contact: RwSignal<Option<paydesk_api_types::ContactView>>) -> impl IntoView {
    let contacts = LocalResource::new(|| {
        api::get::<Page<paydesk_api_types::ContactView>>(
            Realm::Operator,
            "/api/v1/contacts?kind=bank&per_page=100",
        )
    });
    view! {
        {move || contacts.get().and_then(|r| r.ok()).filter(|p| !p.items.is_empty()).map(|p| {
            let items = p.items.clone();
            let choose = move |ev: leptos::ev::Event| {
                let id: i64 = event_target_value(&ev).parse().unwrap_or(0);
                contact.set(items.iter().find(|c| c.id == id).cloned());
            };
            view! {
                <label class="field"><span class="label">{tr("我的联系人", "My contacts")}</span>
                    <select name="bank-contact" on:change=choose>
                        <option value="">{tr("选择银行账户联系人", "Choose a bank contact")}</option>
                        {p.items.into_iter().map(|c| {
                            let selected = move || contact.get().is_some_and(|x| x.id == c.id);
                            view! { <option value=c.id.to_string() selected=selected>{c.name.clone()}" · "{c.bank_name.clone().unwrap_or_default()}" "{c.account.clone()}</option> }
                        }).collect_view()}
                    </select></label>
            }
        })}
    }
}
