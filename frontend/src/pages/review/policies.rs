//! 审核设置: single person or maker-checker, per kind of operation.

use super::kind_label;
use crate::api::ApiError;
use crate::components::ErrorBanner;
use crate::endpoints as ep;
use crate::i18n::{tr, use_lang};
use crate::session::use_session;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// 审核设置: single-person or maker-checker per kind of operation.
#[component]
pub fn ReviewPolicies() -> impl IntoView {
    use paydesk_api_types::SetReviewPolicy;
    let lang = use_lang();
    let version = RwSignal::new(0u32);
    let list = LocalResource::new(move || {
        let _ = version.get();
        ep::get_review_policies()
    });
    let error = RwSignal::new(None::<ApiError>);
    let session = use_session();
    let set = move |kind: String, mode: String| {
        spawn_local(async move {
            let body = SetReviewPolicy { mode };
            match ep::set_review_policy(kind, &body).await {
                Ok(_) => {
                    version.update(|v| *v += 1);
                    crate::session::reload_me(session).await;
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <section class="panel" data-testid="review-policies">
            <h2 class="sub">{tr("审核设置", "Review policy")}</h2>
            <p class="hint">{tr("单人操作：同时具有申请和审核权限的操作员提交后立即完成（需支付密码和短信校验码或快捷盾）。多人制单复核：必须由另一位操作员审核，任何人不能审核自己的申请。",
                "Single person: an operator who may apply and review completes at once (payment password plus SMS code or security key). Maker-checker: another operator must review; nobody reviews their own.")}</p>
            <ErrorBanner error=error/>
            {move || list.get().and_then(|r| r.ok()).map(|items| view! {
                <table class="grid">
                    <thead><tr><th>{tr("业务类型", "Kind")}</th><th>{tr("审核方式", "Review")}</th></tr></thead>
                    <tbody>{items.into_iter().map(|p| {
                        let kind = p.kind.clone();
                        let (k2, attr, name) = (kind.clone(), kind.clone(), format!("policy-{kind}"));
                        view! {
                            <tr data-kind=attr><td>{move || kind_label(&k2, lang.get())}</td>
                                <td><select name=name on:change=move |ev| set(kind.clone(), event_target_value(&ev))>
                                    <option value="single" selected=p.mode == "single">{tr("单人操作", "Single person")}</option>
                                    <option value="maker_checker" selected=p.mode == "maker_checker">{tr("多人制单复核", "Maker-checker")}</option>
                                </select></td></tr>
                        }
                    }).collect_view()}</tbody>
                </table>
            })}
        </section>
    }
}
