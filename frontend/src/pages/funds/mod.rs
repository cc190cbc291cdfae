//! 资金管理 (manual §3.4, §4.1.1): what the fund pages share — the fee schedule,
//! amounts in words, the payee pickers — and a file per page.

use crate::api::{self, ApiError};
use crate::components::{FieldMessage, SecondFactorField};
use crate::endpoints as ep;
use crate::i18n::{tr, use_lang};
use crate::session::use_session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use paydesk_api_types::{Application, Home};
use paydesk_domain::fees::FeeRule;
use paydesk_domain::{amount_in_words, limits, Money};

pub mod bank_transfer;
pub mod batch;
pub mod overview;
pub mod recharge;
pub mod transfer;
pub mod withdraw;

/// 大写 of whatever is typed, or nothing while it isn't an amount.
pub fn words(text: &str) -> String {
    Money::parse(text.trim()).map(amount_in_words).unwrap_or_default()
}

/// The merchant's fee schedule (服务费), read once per form. Fees shown before
/// confirmation are computed with the same domain rule the server charges by.
#[derive(Clone, Copy)]
pub struct Fees(LocalResource<Result<paydesk_api_types::FeeSchedule, ApiError>>);

impl Fees {
    pub fn load() -> Fees {
        Fees(LocalResource::new(ep::get_fees))
    }

    /// The fee on `amount` for `product` (reactive; 0.00 until the schedule is in).
    pub fn of(self, product: &str, amount: Money) -> Money {
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
    pub fn on_text(self, product: &str, text: &str) -> Money {
        self.of(product, Money::parse(text.trim()).unwrap_or(Money::ZERO))
    }
}

/// What every fund form shares (资金操作): the payment password, the second
/// factor when the operation completes at once (the security key's check made
/// for this kind, else the SMS code), the Idempotency-Key kept until the server
/// has decided, the error and the result.
#[derive(Clone, Copy)]
pub struct FundForm {
    /// The application kind, for the review policy and the key check.
    pub kind: &'static str,
    session: crate::session::Session,
    pub payment_password: RwSignal<String>,
    pub sms_code: RwSignal<String>,
    key: RwSignal<String>,
    pub error: RwSignal<Option<ApiError>>,
    pub result: RwSignal<Option<Application>>,
}

/// The proofs a request carries, as the form collected them.
pub struct Proofs {
    pub payment_password: String,
    pub sms_code: Option<String>,
    pub security_key: Option<paydesk_api_types::KeyAssertion>,
}

impl FundForm {
    pub fn new(kind: &'static str) -> FundForm {
        FundForm {
            kind,
            session: use_session(),
            payment_password: RwSignal::new(String::new()),
            sms_code: RwSignal::new(String::new()),
            key: RwSignal::new(api::new_idempotency_key()),
            error: RwSignal::new(None),
            result: RwSignal::new(None),
        }
    }

    /// Single-person policy and the operator may also review: it completes now.
    pub fn completes_now(self) -> bool {
        self.session.completes_at_once(self.kind)
    }

    /// Submits: the key check when needed, then `send` with the request `build`
    /// makes from the proofs, under the form's Idempotency-Key (renewed once the
    /// server has decided). Sets the result, or the error (and tells `refused`).
    pub fn submit<B, Sent>(
        self,
        build: impl FnOnce(Proofs) -> B + 'static,
        send: impl FnOnce(B, String) -> Sent + 'static,
        refused: impl FnOnce(&ApiError) + 'static,
    ) where
        B: 'static,
        Sent: std::future::Future<Output = Result<Application, ApiError>> + 'static,
    {
        self.error.set(None);
        let payment_password = self.payment_password.get_untracked();
        let sms_code = Some(self.sms_code.get_untracked().trim().to_owned()).filter(|s| !s.is_empty());
        spawn_local(async move {
            let answer = async {
                let security_key = crate::webauthn::for_submit(self.session, self.kind).await?;
                let body = build(Proofs { payment_password, sms_code, security_key });
                send(body, self.key.get_untracked()).await
            }
            .await;
            if answer.as_ref().map_or_else(api::is_definite, |_| true) {
                self.key.set(api::new_idempotency_key());
            }
            match answer {
                Ok(a) => self.result.set(Some(a)),
                Err(e) => {
                    refused(&e);
                    self.error.set(Some(e));
                }
            }
        });
    }
}

/// 支付密码 and, when the operation completes at once, the second factor; then a
/// note saying what confirming does.
#[component]
pub fn FundProofs(form: FundForm, #[prop(optional)] note: bool) -> impl IntoView {
    let lang = use_lang();
    view! {
        <label class="field"><span class="label req">{tr("支付密码", "Payment password")}</span>
            <input name="payment_password" type="password" autocomplete="off" bind:value=form.payment_password/>
            <FieldMessage error=form.error field="payment_password"/></label>
        {move || form.completes_now().then(|| view! { <SecondFactorField code=form.sms_code error=form.error/> })}
        {note.then(|| view! {
            <p class="note">{move || if form.completes_now() {
                lang.get().pick("您同时具有申请和审核权限，确认后立即完成。", "You may also review: it completes when you confirm.")
            } else {
                lang.get().pick("确认后资金将被冻结，等待审核员审核。", "The money is held until a reviewer approves.")
            }}</p>
        })}
    }
}

pub fn balance() -> LocalResource<Result<Home, ApiError>> {
    LocalResource::new(ep::get_home)
}

#[derive(Clone, Copy)]
pub struct LineForm {
    payee: RwSignal<String>,
    amount: RwSignal<String>,
    name: RwSignal<Option<Result<String, String>>>,
}

impl LineForm {
    pub(crate) fn new() -> LineForm {
        LineForm {
            payee: RwSignal::new(String::new()),
            amount: RwSignal::new(String::new()),
            name: RwSignal::new(None),
        }
    }

    /// Shows whose account the payee is, so the payer can confirm it.
    pub fn look_up(self) {
        let account = self.payee.get_untracked().trim().to_owned();
        if account.is_empty() {
            self.name.set(None);
            return;
        }
        spawn_local(async move {
            self.name.set(Some(match ep::get_payee(&account).await {
                Ok(p) => Ok(p.name),
                Err(e) => Err(e.field("account").map(|f| f.message.clone()).unwrap_or_else(|| e.message())),
            }));
        });
    }
}

/// Field names built at run time live as long as the page; these are few and small.
pub fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

/// The two ways to transfer, as tabs (转账到快捷通账户 / 转账到银行账户).
#[component]
pub fn TransferTabs(bank: bool) -> impl IntoView {
    view! {
        <div class="tabs">
            <A href="/funds/transfer" attr:class=if bank { "button" } else { "button primary" }>{tr("转账到 Paydesk 账户", "To platform accounts")}</A>
            <A href="/funds/transfer/bank" attr:class=if bank { "button primary" } else { "button" }>{tr("转账到银行账户", "To a bank account")}</A>
        </div>
    }
}

/// 我的联系人: fills the first empty payee line with a saved platform contact.
#[component]
pub fn PayeePicker(lines: RwSignal<Vec<LineForm>>) -> impl IntoView {
    let contacts = LocalResource::new(|| ep::get_contact_choices("platform"));
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
pub fn BankContactPicker(contact: RwSignal<Option<paydesk_api_types::ContactView>>) -> impl IntoView {
    let contacts = LocalResource::new(|| ep::get_contact_choices("bank"));
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
