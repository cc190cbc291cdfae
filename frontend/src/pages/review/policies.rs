//! 审核设置: single person or maker-checker, per kind of operation.

use super::kind_label;
use crate::api::ApiError;
use crate::components::{ErrorBanner, FieldMessage, SecondFactorField};
use crate::endpoints as ep;
use crate::i18n::{tr, use_lang};
use crate::session::use_session;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// 审核设置: single-person or maker-checker per kind of operation. A change is
/// confirmed with the payment password and the second factor, and applies to
/// applications submitted after it.
#[component]
pub fn ReviewPolicies() -> impl IntoView {
    let lang = use_lang();
    let version = RwSignal::new(0u32);
    let list = LocalResource::new(move || {
        let _ = version.get();
        ep::get_review_policies()
    });
    // The change being confirmed: (kind, mode).
    let pending = RwSignal::new(None::<(String, String)>);
    view! {
        <section class="panel" data-testid="review-policies">
            <h2 class="sub">{tr("审核设置", "Review policy")}</h2>
            <p class="hint">{tr("单人操作：同时具有申请和审核权限的操作员提交后立即完成（需支付密码和短信校验码或快捷盾）。多人制单复核：必须由另一位操作员审核，任何人不能审核自己的申请。修改只对之后提交的申请生效。",
                "Single person: an operator who may apply and review completes at once (payment password plus SMS code or security key). Maker-checker: another operator must review; nobody reviews their own. A change applies to applications submitted after it.")}</p>
            {move || list.get().and_then(|r| r.ok()).map(|items| view! {
                <table class="grid">
                    <thead><tr><th>{tr("业务类型", "Kind")}</th><th>{tr("审核方式", "Review")}</th></tr></thead>
                    <tbody>{items.into_iter().map(|p| {
                        let kind = p.kind.clone();
                        let (k2, attr, name) = (kind.clone(), kind.clone(), format!("policy-{kind}"));
                        view! {
                            <tr data-kind=attr><td>{move || kind_label(&k2, lang.get())}</td>
                                <td><select name=name on:change=move |ev| pending.set(Some((kind.clone(), event_target_value(&ev))))>
                                    <option value="single" selected=p.mode == "single">{tr("单人操作", "Single person")}</option>
                                    <option value="maker_checker" selected=p.mode == "maker_checker">{tr("多人制单复核", "Maker-checker")}</option>
                                </select></td></tr>
                        }
                    }).collect_view()}</tbody>
                </table>
            })}
            {move || pending.get().map(|(kind, mode)| view! { <ConfirmPolicy kind=kind mode=mode pending=pending version=version/> })}
        </section>
    }
}

/// The confirmation of one change: payment password and second factor.
#[component]
fn ConfirmPolicy(
    kind: String,
    mode: String,
    pending: RwSignal<Option<(String, String)>>,
    version: RwSignal<u32>,
) -> impl IntoView {
    use paydesk_api_types::{KeyChallengeRequest, SetReviewPolicy};
    let lang = use_lang();
    let password = RwSignal::new(String::new());
    let sms = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let session = use_session();
    let (k, m) = (kind.clone(), mode.clone());
    let confirm = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        let (kind, mode) = (k.clone(), m.clone());
        spawn_local(async move {
            let bound = session.me.get_untracked().is_some_and(|me| me.security_key_bound);
            let what = KeyChallengeRequest {
                purpose: "policy".into(),
                application_ids: Vec::new(),
                decision: None,
                kind: Some(kind.clone()),
            };
            let result = async {
                let security_key = crate::webauthn::assertion(bound, &what).await?;
                let body = SetReviewPolicy {
                    mode,
                    payment_password: password.get_untracked(),
                    sms_code: (!bound).then(|| sms.get_untracked()),
                    security_key,
                };
                ep::set_review_policy(kind, &body).await
            }
            .await;
            match result {
                Ok(_) => {
                    pending.set(None);
                    version.update(|v| *v += 1);
                    crate::session::reload_me(session).await;
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let cancel = move |_| {
        pending.set(None);
        version.update(|v| *v += 1);
    };
    let to = if mode == "single" {
        tr("单人操作", "single person")
    } else {
        tr("多人制单复核", "maker-checker")
    };
    view! {
        <form class="form narrow panel" data-testid="confirm-policy" on:submit=confirm>
            <p>{tr("将 ", "Change ")}<strong>{move || kind_label(&kind, lang.get())}</strong>{tr(" 改为 ", " to ")}<strong>{to}</strong></p>
            <ErrorBanner error=error/>
            <label class="field"><span class="label req">{tr("支付密码", "Payment password")}</span>
                <input name="payment_password" type="password" autocomplete="off" bind:value=password/>
                <FieldMessage error=error field="payment_password"/></label>
            <SecondFactorField code=sms error=error/>
            <div class="row">
                <button type="button" on:click=cancel>{tr("取消", "Cancel")}</button>
                <button class="primary" type="submit">{tr("确认修改", "Confirm")}</button>
            </div>
        </form>
    }
}
