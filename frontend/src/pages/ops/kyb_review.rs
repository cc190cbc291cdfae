//! One merchant's verification, every field and scan, to approve or reject.

use crate::api::ApiError;
use crate::components::{ErrorBanner, FieldMessage};
use crate::endpoints as ep;
use crate::i18n::{tr, use_lang};
use crate::pages::account::home::kyb_label;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use paydesk_api_types::{KybReview, RejectKyb};

/// A scan fetched with the staff token and shown as a picture.
#[component]
pub(crate) fn Scan(id: String, label: &'static str) -> impl IntoView {
    let url = RwSignal::new(None::<String>);
    if !id.is_empty() {
        spawn_local(async move {
            url.set(ep::url_of_ops_upload(&id).await.ok());
        });
    }
    view! {
        <figure class="scan-view">
            {move || url.get().map(|u| { let src = u.clone(); view! { <a href=u target="_blank"><img src=src alt=label/></a> } })}
            <figcaption>{label}</figcaption>
        </figure>
    }
}

#[component]
pub fn KybReviewPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.get().get("id").unwrap_or_default();
    let review = RwSignal::new(None::<KybReview>);
    let error = RwSignal::new(None::<ApiError>);
    let reason = RwSignal::new(String::new());
    Effect::new(move |_| {
        let id = id();
        spawn_local(async move {
            match ep::get_ops_kyb(&id).await {
                Ok(r) => review.set(Some(r)),
                Err(e) => error.set(Some(e)),
            }
        });
    });
    let approve = move |_| {
        let id = id();
        error.set(None);
        spawn_local(async move {
            match ep::approve_kyb(&id).await {
                Ok(r) => review.set(Some(r)),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let send_deposit = move |_| {
        let id = id();
        error.set(None);
        spawn_local(async move {
            match ep::staff_send_micro_deposit(&id).await {
                Ok(r) => review.set(Some(r)),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let reject = move |_| {
        let id = id();
        error.set(None);
        let body = RejectKyb { reason: reason.get_untracked() };
        spawn_local(async move {
            match ep::reject_kyb(&id, &body).await {
                Ok(r) => review.set(Some(r)),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let lang = use_lang();
    view! {
        <section class="page ops-page">
            <p><A href="/ops">{tr("← 返回控制台", "← Back to the console")}</A></p>
            <ErrorBanner error=error/>
            {move || review.get().map(|r| {
                let k = r.kyb.clone();
                let status = k.status.clone();
                let f = k.filing.clone().unwrap_or_default();
                let a = k.fund_account.clone().unwrap_or_default();
                let l = k.legal_representative.clone().unwrap_or_default();
                let row = |label: &'static str, value: String| view! { <tr><th>{label}</th><td>{value}</td></tr> };
                view! {
                    <h1>{r.merchant.company_name.clone()}</h1>
                    <p>{r.merchant.email.clone()}" · "<span class="badge" data-testid="review-status">{move || kyb_label(&status, lang.get())}</span></p>
                    {k.reject_reason.clone().map(|x| view! { <p class="banner error">{x}</p> })}
                    <h2>{tr("备案信息", "Filing information")}</h2>
                    <table class="detail">
                        {row("企业类型 Type", f.enterprise_type.clone())}
                        {row("营业执照号 Licence", f.licence_number.clone())}
                        {row("营业执照期限 Valid until", if f.licence_long_term { "长期 long-term".into() } else { f.licence_valid_until.clone().unwrap_or_default() })}
                        {row("组织机构代码 Organisation code", f.organisation_code.clone().unwrap_or_default())}
                        {row("ICP", f.icp_number.clone().unwrap_or_default())}
                        {row("地址 Address", format!("{} {} {} {}", f.province, f.city, f.district, f.address))}
                        {row("网址 Websites", f.websites.join(", "))}
                        {row("经营范围 Scope", f.business_scope.clone().unwrap_or_default())}
                    </table>
                    <div class="scans">
                        <Scan id=f.licence_scan.clone() label="营业执照 licence"/>
                        {f.organisation_code_scan.clone().map(|s| view! { <Scan id=s label="组织机构代码证 organisation code"/> })}
                        {f.tax_registration_scan.clone().map(|s| view! { <Scan id=s label="税务登记证 tax registration"/> })}
                        {f.other_scans.iter().map(|s| view! { <Scan id=s.clone() label="其他 other"/> }).collect_view()}
                    </div>
                    <h2>{tr("资金账户信息", "Fund account")}</h2>
                    <table class="detail">
                        {row("开户名 Name", a.account_name.clone())}
                        {row("开户银行 Bank", format!("{} {} {}", a.bank, a.bank_province, a.bank_city))}
                        {row("支行 Branch", a.branch.clone())}
                        {row("账号 Number", a.account_number.clone())}
                    </table>
                    <h2>{tr("法人信息", "Legal representative")}</h2>
                    <table class="detail">
                        {row("姓名 Name", l.name.clone())}
                        {row("身份证号码 ID", l.id_number.clone())}
                        {row("有效期 Valid until", if l.id_long_term { "长期 long-term".into() } else { l.id_valid_until.clone().unwrap_or_default() })}
                        {row("代办人 Agent", l.agent.as_ref().map(|x| format!("{} {} {}", x.name, x.id_number, x.phone)).unwrap_or_default())}
                    </table>
                    <div class="scans">
                        <Scan id=l.id_front_scan.clone() label="身份证正面 ID front"/>
                        <Scan id=l.id_back_scan.clone() label="身份证反面 ID back"/>
                    </div>
                    {k.micro_deposit.clone().filter(|_| k.status == "awaiting_deposit").map(|d| view! {
                        <h2>{tr("打款验证", "Verification deposit")}</h2>
                        <table class="detail">
                            {row("状态 Status", d.status.clone())}
                            {row("剩余次数 Tries left", d.attempts_left.to_string())}
                            {row("商户可重新汇款 Resends left", d.resends_left.to_string())}
                        </table>
                        {(d.resends_left == 0 && d.status == "void").then(|| view! {
                            <button class="primary" type="button" name="send-deposit" on:click=send_deposit>{tr("核实后重新汇款", "Send a new deposit (account checked)")}</button>
                        })}
                    })}
                    {(k.status == "submitted").then(|| view! {
                        <div class="review-actions">
                            <button class="primary" type="button" name="approve" on:click=approve>{tr("审核通过", "Approve")}</button>
                            <label class="field"><span class="label">{tr("驳回原因", "Reason to reject")}</span>
                                <textarea name="reason" rows="2" bind:value=reason></textarea>
                                <FieldMessage error=error field="reason"/></label>
                            <button type="button" name="reject" on:click=reject>{tr("审核拒绝", "Reject")}</button>
                        </div>
                    })}
                }
            })}
        </section>
    }
}
