//! 审核管理 (manual §3.5) and 申请记录 (§3.6.3): the labels and scopes the review
//! pages share, and a file per page.

use crate::api::{self, ApiError};
use crate::components::{ErrorBanner, FieldMessage, SecondFactorField};
use crate::endpoints as ep;
use crate::i18n::{tr, use_lang, Lang};
use crate::session::use_session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use paydesk_api_types::{ReviewOutcome, ReviewRequest};

pub mod detail;
pub mod list;
pub mod policies;

pub fn kind_label(kind: &str, lang: Lang) -> &'static str {
    match kind {
        "transfer" => lang.pick("转账", "Transfer"),
        "bank_payout" => lang.pick("转账到银行账户", "Bank payout"),
        "withdrawal" => lang.pick("提现", "Withdrawal"),
        "refund" => lang.pick("退款", "Refund"),
        "payroll" => lang.pick("代发工资", "Payroll"),
        "batch_transfer" => lang.pick("批量转账", "Batch transfer"),
        "batch_bank_payout" => lang.pick("批量转账到银行账户", "Batch bank payout"),
        "batch_refund" => lang.pick("批量退款", "Batch refund"),
        _ => lang.pick("其他", "Other"),
    }
}

pub fn status_label(status: &str, lang: Lang) -> &'static str {
    match status {
        "pending_review" => lang.pick("待审核", "Pending review"),
        "approved" => lang.pick("审核通过", "Approved"),
        "processing" => lang.pick("处理中", "Processing"),
        "succeeded" => lang.pick("成功", "Succeeded"),
        "failed" => lang.pick("失败", "Failed"),
        "partially_succeeded" => lang.pick("部分成功", "Partly succeeded"),
        "rejected" => lang.pick("审核拒绝", "Rejected"),
        "cancelled" => lang.pick("已撤销", "Cancelled"),
        _ => lang.pick("未知", "Unknown"),
    }
}

/// Which list a page shows: the endpoint's list, with the page's words.
pub use crate::endpoints::ReviewList as Scope;

impl Scope {
    /// The page's name in tests and styles.
    pub(crate) fn slug(self) -> &'static str {
        match self {
            Scope::Pending => "pending",
            Scope::Transfers => "transfers",
            Scope::Withdrawals => "withdrawals",
            Scope::Refunds => "refunds",
            Scope::Payroll => "payroll",
            Scope::Records => "applications",
        }
    }

    fn title(self, lang: Lang) -> &'static str {
        match self {
            Scope::Pending => lang.pick("我的待审核", "My pending reviews"),
            Scope::Transfers => lang.pick("转账审核", "Transfer review"),
            Scope::Withdrawals => lang.pick("提现审核", "Withdrawal review"),
            Scope::Refunds => lang.pick("退款审核", "Refund review"),
            Scope::Payroll => lang.pick("应用审核", "App review"),
            Scope::Records => lang.pick("申请记录", "Application records"),
        }
    }

    fn filters_kind(self) -> bool {
        matches!(self, Scope::Pending | Scope::Records)
    }

    fn filters_status(self) -> bool {
        self != Scope::Pending
    }
}

pub(crate) fn encode(text: &str) -> String {
    String::from(js_sys::encode_uri_component(text))
}

/// What a review request did, application by application.
#[component]
pub(crate) fn OutcomeBanner(outcome: ReviewOutcome) -> impl IntoView {
    let lang = use_lang();
    let failed: Vec<_> = outcome.results.iter().filter(|r| r.code.is_some()).cloned().collect();
    let done = outcome.results.len() - failed.len();
    let class = if failed.is_empty() { "banner ok" } else { "banner error" };
    view! {
        <div class=class data-testid="review-outcome">
            {tr("已处理 ", "Decided: ")}{done}{tr(" 笔", "")}
            {failed.into_iter().map(|r| {
                let s = r.status.clone();
                view! { <div>{r.id}": "{r.message.clone().unwrap_or_default()}" ("{move || status_label(&s, lang.get())}")"</div> }
            }).collect_view()}
        </div>
    }
}

/// 审核通过 / 审核拒绝 with remark, payment password and SMS code (approve only).
#[component]
pub(crate) fn DecisionForm(ids: Signal<Vec<i64>>, done: Callback<ReviewOutcome>) -> impl IntoView {
    let decision = RwSignal::new("approve".to_owned());
    let remark = RwSignal::new(String::new());
    let payment_password = RwSignal::new(String::new());
    let sms_code = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let key = RwSignal::new(api::new_idempotency_key());
    let busy = RwSignal::new(false);
    let session = use_session();
    let approving = move || decision.get() == "approve";
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        let approve = decision.get_untracked() == "approve";
        let body = ReviewRequest {
            application_ids: ids.get_untracked(),
            decision: decision.get_untracked(),
            remark: Some(remark.get_untracked().trim().to_owned()).filter(|r| !r.is_empty()),
            payment_password: approve.then(|| payment_password.get_untracked()),
            sms_code: approve.then(|| sms_code.get_untracked().trim().to_owned()).filter(|s| !s.is_empty()),
            security_key: None,
        };
        let k = key.get_untracked();
        busy.set(true);
        spawn_local(async move {
            let mut body = body;
            if approve {
                // A bound key answers a check made for exactly these applications.
                match crate::webauthn::for_approval(session, &body.application_ids).await {
                    Ok(assertion) => body.security_key = assertion,
                    Err(e) => {
                        error.set(Some(e));
                        busy.set(false);
                        return;
                    }
                }
            }
            match ep::decide_reviews(&body, &k).await {
                Ok(o) => {
                    key.set(api::new_idempotency_key());
                    payment_password.set(String::new());
                    sms_code.set(String::new());
                    remark.set(String::new());
                    done.run(o);
                }
                Err(e) => {
                    if api::is_definite(&e) {
                        key.set(api::new_idempotency_key());
                    }
                    error.set(Some(e));
                }
            }
            busy.set(false);
        });
    };
    view! {
        <form class="form wide" on:submit=submit data-testid="decision-form">
            <ErrorBanner error=error/>
            <div class="row">
                <label class="check"><input type="radio" name="decision" value="approve" checked=move || decision.get() == "approve" on:change=move |_| decision.set("approve".into())/>{tr("审核通过", "Approve")}</label>
                <label class="check"><input type="radio" name="decision" value="reject" checked=move || decision.get() == "reject" on:change=move |_| decision.set("reject".into())/>{tr("审核拒绝", "Reject")}</label>
            </div>
            <label class="field"><span class=move || if approving() { "label" } else { "label req" }>{tr("备注", "Remark")}</span>
                <input name="remark" maxlength=paydesk_domain::limits::REVIEW_REMARK_CHARS bind:value=remark/><FieldMessage error=error field="remark"/></label>
            {move || approving().then(|| view! {
                <label class="field"><span class="label req">{tr("支付密码", "Payment password")}</span>
                    <input name="payment_password" type="password" autocomplete="off" bind:value=payment_password/>
                    <FieldMessage error=error field="payment_password"/></label>
                <SecondFactorField code=sms_code error=error/>
            })}
            <button class="primary" type="submit" name="confirm-review" disabled=move || busy.get()>{tr("确认", "Confirm")}</button>
        </form>
    }
}
