//! 签约申请 in the staff console: merchants' applications to sign a product
//! (线上服务申请), approved with the product's fee rate or rejected with a reason.

use leptos::prelude::*;
use leptos::task::spawn_local;
use paydesk_api_types::{ApproveSigning, RejectSigning, SetFeeRule, SigningView};

use crate::api::ApiError;
use crate::components::{ErrorBanner, FieldMessage, Pager};
use crate::endpoints as ep;
use crate::i18n::{local_time, tr};

#[component]
pub fn SigningQueue() -> impl IntoView {
    let state = RwSignal::new("applied".to_owned());
    let page = RwSignal::new(1u32);
    let version = RwSignal::new(0u32);
    let list = LocalResource::new(move || {
        let (s, p) = (state.get(), page.get());
        version.get();
        async move { ep::get_ops_signings(&s, p).await }
    });
    view! {
        <div class="filters">
            <select name="signing_state" bind:value=state on:change=move |_| page.set(1)>
                <option value="applied">{tr("待审核", "Waiting")}</option>
                <option value="signed">{tr("已签约", "Signed")}</option>
                <option value="rejected">{tr("已驳回", "Rejected")}</option>
            </select>
        </div>
        <Suspense fallback=|| view! { <p class="loading">"…"</p> }>
            {move || list.get().map(|r| match r {
                Err(e) => view! { <div class="banner error">{e.message()}</div> }.into_any(),
                Ok(p) if p.items.is_empty() => view! { <div class="empty" data-testid="no-signings">{tr("没有签约申请", "No applications")}</div> }.into_any(),
                Ok(p) => view! {
                    <table class="grid" data-testid="signing-queue">
                        <thead><tr><th>{tr("商户账号", "Account")}</th><th>{tr("企业名称", "Company")}</th><th>{tr("产品", "Product")}</th>
                            <th>{tr("申请说明", "Note")}</th><th>{tr("申请时间", "Applied")}</th><th></th></tr></thead>
                        <tbody>{p.items.into_iter().map(|s| view! { <SigningRow signing=s version=version/> }).collect_view()}</tbody>
                    </table>
                    <Pager page=page total=p.total per_page=p.per_page/>
                }.into_any(),
            })}
        </Suspense>
    }
}

/// One application; a waiting one carries the decision form.
#[component]
fn SigningRow(signing: SigningView, version: RwSignal<u32>) -> impl IntoView {
    let SigningView {
        merchant_id,
        merchant_email,
        company_name,
        product,
        name,
        state,
        note,
        applied_at,
        reason,
        decided_at,
    } = signing;
    let (rate, fixed, min, max) = (
        RwSignal::new("0".to_owned()),
        RwSignal::new("0.00".to_owned()),
        RwSignal::new("0.00".to_owned()),
        RwSignal::new(String::new()),
    );
    let why = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let decide = move |approve: bool, product: String| {
        error.set(None);
        let fee = if approve {
            let Ok(rate_bp) = rate.get_untracked().trim().parse::<u32>() else {
                error.set(Some(ApiError::invalid_field("rate_bp", "enter a whole number of basis points")));
                return;
            };
            Some(SetFeeRule {
                fixed: fixed.get_untracked(),
                rate_bp,
                min: min.get_untracked(),
                max: Some(max.get_untracked()).filter(|m| !m.trim().is_empty()),
            })
        } else {
            None
        };
        let reason = why.get_untracked();
        spawn_local(async move {
            let done = if approve {
                ep::approve_signing(merchant_id, &product, &ApproveSigning { fee }).await
            } else {
                ep::reject_signing(merchant_id, &product, &RejectSigning { reason }).await
            };
            match done {
                Ok(_) => version.update(|v| *v += 1),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let waiting = state == "applied";
    let (p1, p2) = (product.clone(), product.clone());
    view! {
        <tr data-product=product.clone() data-merchant=merchant_id>
            <td>{merchant_email}</td><td>{company_name}</td><td>{name}</td><td>{note}</td><td>{local_time(&applied_at)}</td>
            <td>{if waiting {
                view! {
                    <div class="decide">
                        <ErrorBanner error=error/>
                        <label>{tr("费率（bp）", "Rate (bp)")}<input name="rate_bp" size="5" bind:value=rate/></label>
                        <label>{tr("固定", "Fixed")}<input name="fixed" size="6" bind:value=fixed/></label>
                        <label>{tr("最低", "Min")}<input name="min" size="6" bind:value=min/></label>
                        <label>{tr("最高", "Max")}<input name="max" size="6" bind:value=max/></label>
                        <FieldMessage error=error field="rate_bp"/><FieldMessage error=error field="fee"/>
                        <button type="button" class="primary" name="approve" on:click=move |_| decide(true, p1.clone())>{tr("通过", "Approve")}</button>
                        <label>{tr("驳回原因", "Reason")}<input name="reason" bind:value=why/></label>
                        <FieldMessage error=error field="reason"/>
                        <button type="button" name="reject" on:click=move |_| decide(false, p2.clone())>{tr("驳回", "Reject")}</button>
                    </div>
                }.into_any()
            } else {
                view! { <span>{decided_at.as_deref().map(local_time).unwrap_or_default()}" "{reason.unwrap_or_default()}</span> }.into_any()
            }}</td>
        </tr>
    }
}
