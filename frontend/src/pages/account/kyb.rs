//! 实名认证 (manual §2.2): three saved steps, submission, the review outcome and
//! the micro-deposit confirmation.

use leptos::prelude::*;
use leptos::task::spawn_local;
use paydesk_api_types::{ConfirmDeposit, Kyb, KybAgent, KybFiling, KybFundAccount, KybLegalRepresentative};

use crate::api::ApiError;
use crate::components::{ErrorBanner, FieldMessage, ScanUpload};
use crate::endpoints as ep;
use crate::i18n::{tr, use_lang};
use crate::pages::account::home::kyb_label;
use crate::session::{reload_me, use_session};

pub const BANKS: [&str; 10] = [
    "中国工商银行",
    "中国农业银行",
    "中国银行",
    "中国建设银行",
    "交通银行",
    "招商银行",
    "中信银行",
    "浦发银行",
    "兴业银行",
    "中国民生银行",
];

fn text(field: RwSignal<String>) -> String {
    field.get_untracked().trim().to_owned()
}

fn optional(field: RwSignal<String>) -> Option<String> {
    Some(text(field)).filter(|s| !s.is_empty())
}

#[component]
pub fn KybPage() -> impl IntoView {
    let kyb = RwSignal::new(None::<Kyb>);
    let load_error = RwSignal::new(None::<ApiError>);
    let step = RwSignal::new(1u8);
    spawn_local(async move {
        match ep::get_kyb().await {
            Ok(k) => kyb.set(Some(k)),
            Err(e) => load_error.set(Some(e)),
        }
    });
    let lang = use_lang();
    view! {
        <section class="page kyb-page">
            <h1>{tr("实名认证", "Real-name verification")}</h1>
            <ErrorBanner error=load_error/>
            {move || kyb.get().map(|k| {
                let status = k.status.clone();
                let banner = view! {
                    <p class="status-line">{tr("认证状态：", "Status: ")}
                        <span class=format!("badge kyb-{status}") data-testid="kyb-status">{kyb_label(&status, lang.get())}</span></p>
                };
                let body = match k.status.as_str() {
                    "submitted" => view! {
                        <div class="done-panel" data-testid="kyb-submitted">
                            <p class="big">{tr("恭喜您，您的实名认证资料已提交", "Your verification has been submitted")}</p>
                            <p>{tr("我们将在3个工作日内为您审核，请耐心等待！", "We will review it within 3 working days.")}</p>
                        </div>
                    }.into_any(),
                    "awaiting_deposit" => view! { <DepositForm kyb=kyb/> }.into_any(),
                    "verified" => view! {
                        <div class="done-panel" data-testid="kyb-verified">
                            <p class="big">{tr("实名认证已通过", "Verification complete")}</p>
                            <p>{tr("现在可以进行充值、转账、提现等操作。", "Recharge, transfer and withdrawal are now open.")}</p>
                        </div>
                    }.into_any(),
                    _ => view! {
                        {k.reject_reason.clone().map(|r| view! {
                            <div class="banner error" data-testid="reject-reason">{tr("审核未通过：", "Rejected: ")}{r}</div>
                        })}
                        <ol class="steps">
                            {[(1u8, "1 备案信息", "1 Filing information"), (2, "2 资金账户信息", "2 Fund account"), (3, "3 法人信息", "3 Legal representative"), (4, "4 提交审核", "4 Submit")]
                                .into_iter()
                                .map(|(n, zh, en)| view! {
                                    <li class:current=move || step.get() == n>
                                        <button type="button" class="link" on:click=move |_| step.set(n)>{move || lang.get().pick(zh, en)}</button>
                                    </li>
                                })
                                .collect_view()}
                        </ol>
                        {move || match step.get() {
                            1 => view! { <FilingForm kyb=kyb step=step/> }.into_any(),
                            2 => view! { <FundAccountForm kyb=kyb step=step/> }.into_any(),
                            3 => view! { <LegalForm kyb=kyb step=step/> }.into_any(),
                            _ => view! { <SubmitPanel kyb=kyb/> }.into_any(),
                        }}
                    }.into_any(),
                };
                view! { {banner} {body} }
            })}
        </section>
    }
}

/// Saves a step with PUT and moves on when it was accepted.
fn save_step<B: serde::Serialize + 'static>(
    which: ep::KybStep,
    body: B,
    kyb: RwSignal<Option<Kyb>>,
    error: RwSignal<Option<ApiError>>,
    step: RwSignal<u8>,
) {
    error.set(None);
    spawn_local(async move {
        match ep::put_kyb_step(which, &body).await {
            Ok(k) => {
                kyb.set(Some(k));
                step.update(|s| *s += 1);
            }
            Err(e) => error.set(Some(e)),
        }
    });
}

#[component]
fn FilingForm(kyb: RwSignal<Option<Kyb>>, step: RwSignal<u8>) -> impl IntoView {
    let saved = kyb.get_untracked().and_then(|k| k.filing).unwrap_or_default();
    let enterprise_type = RwSignal::new(if saved.enterprise_type.is_empty() {
        "enterprise".into()
    } else {
        saved.enterprise_type.clone()
    });
    let licence_number = RwSignal::new(saved.licence_number.clone());
    let long_term = RwSignal::new(saved.licence_long_term);
    let valid_until = RwSignal::new(saved.licence_valid_until.clone().unwrap_or_default());
    let licence_scan = RwSignal::new(saved.licence_scan.clone());
    let org_code = RwSignal::new(saved.organisation_code.clone().unwrap_or_default());
    let org_scan = RwSignal::new(saved.organisation_code_scan.clone().unwrap_or_default());
    let tax_scan = RwSignal::new(saved.tax_registration_scan.clone().unwrap_or_default());
    let other_scan = RwSignal::new(saved.other_scans.first().cloned().unwrap_or_default());
    let icp = RwSignal::new(saved.icp_number.clone().unwrap_or_default());
    let province = RwSignal::new(saved.province.clone());
    let city = RwSignal::new(saved.city.clone());
    let district = RwSignal::new(saved.district.clone());
    let address = RwSignal::new(saved.address.clone());
    let websites = RwSignal::new(saved.websites.join("\n"));
    let scope = RwSignal::new(saved.business_scope.clone().unwrap_or_default());
    let error = RwSignal::new(None::<ApiError>);
    let credit_code = move || licence_number.get().trim().len() == 18;

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = KybFiling {
            enterprise_type: text(enterprise_type),
            licence_number: text(licence_number),
            licence_long_term: long_term.get_untracked(),
            licence_valid_until: optional(valid_until),
            licence_scan: text(licence_scan),
            organisation_code: optional(org_code),
            organisation_code_scan: optional(org_scan),
            tax_registration_scan: optional(tax_scan),
            other_scans: optional(other_scan).into_iter().collect(),
            icp_number: optional(icp),
            province: text(province),
            city: text(city),
            district: text(district),
            address: text(address),
            websites: websites
                .get_untracked()
                .lines()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect(),
            business_scope: optional(scope),
        };
        save_step(ep::KybStep::Filing, body, kyb, error, step);
    };
    view! {
        <form class="form wide" on:submit=submit data-step="filing">
            <ErrorBanner error=error/>
            <label class="field"><span class="label">{tr("企业类型", "Enterprise type")}</span>
                <select name="enterprise_type" bind:value=enterprise_type>
                    <option value="enterprise">{tr("企业", "Enterprise")}</option>
                    <option value="individual_business">{tr("个体工商户", "Individual business")}</option>
                    <option value="public_institution">{tr("事业单位", "Public institution")}</option>
                    <option value="other">{tr("其他组织", "Other")}</option>
                </select></label>
            <label class="field"><span class="label req">{tr("营业执照号", "Business licence number")}</span>
                <input name="licence_number" bind:value=licence_number/>
                <span class="hint">{tr("18 位统一社会信用代码或 15 位注册号", "18-character credit code or 15-digit registration number")}</span>
                <FieldMessage error=error field="licence_number"/></label>
            <div class="field"><span class="label req">{tr("营业执照期限", "Licence valid until")}</span>
                <div class="row">
                    <input name="licence_valid_until" type="date" bind:value=valid_until disabled=move || { long_term.get() }/>
                    <label class="check"><input name="licence_long_term" type="checkbox" bind:checked=long_term/>{tr("长期", "Long-term")}</label>
                </div>
                <FieldMessage error=error field="licence_valid_until"/></div>
            <div class="field"><span class="label req">{tr("营业执照副本扫描件", "Licence scan")}</span>
                <ScanUpload name="licence_scan" value=licence_scan error=error/></div>
            {move || (!credit_code()).then(|| view! {
                <label class="field"><span class="label req">{tr("组织机构代码证号", "Organisation code")}</span>
                    <input name="organisation_code" bind:value=org_code/>
                    <FieldMessage error=error field="organisation_code"/></label>
                <div class="field"><span class="label req">{tr("组织机构代码证扫描件", "Organisation code scan")}</span>
                    <ScanUpload name="organisation_code_scan" value=org_scan error=error/></div>
                <div class="field"><span class="label req">{tr("税务登记证扫描件", "Tax registration scan")}</span>
                    <ScanUpload name="tax_registration_scan" value=tax_scan error=error/></div>
            })}
            <div class="field"><span class="label">{tr("其他证件扫描件", "Other document scan")}</span>
                <ScanUpload name="other_scans[0]" value=other_scan error=error/></div>
            <label class="field"><span class="label">{tr("ICP证(备案)号", "ICP number")}</span><input name="icp_number" bind:value=icp/></label>
            <div class="field"><span class="label req">{tr("企业地址", "Company address")}</span>
                <div class="row">
                    <input name="province" placeholder=tr("省份", "Province") bind:value=province/>
                    <input name="city" placeholder=tr("城市", "City") bind:value=city/>
                    <input name="district" placeholder=tr("地区/县", "District") bind:value=district/>
                </div>
                <FieldMessage error=error field="province"/><FieldMessage error=error field="city"/><FieldMessage error=error field="district"/></div>
            <label class="field"><span class="label req">{tr("详细地址", "Street address")}</span>
                <input name="address" bind:value=address/><FieldMessage error=error field="address"/></label>
            <label class="field"><span class="label">{tr("经营网址", "Websites")}</span>
                <textarea name="websites" rows="2" placeholder="www.example.com" bind:value=websites></textarea>
                <span class="hint">{tr("每行一个网址", "One per line")}</span></label>
            <label class="field"><span class="label">{tr("经营范围", "Business scope")}</span>
                <textarea name="business_scope" rows="2" bind:value=scope></textarea></label>
            <button class="primary" type="submit">{tr("保存，下一步", "Save and continue")}</button>
        </form>
    }
}

#[component]
fn FundAccountForm(kyb: RwSignal<Option<Kyb>>, step: RwSignal<u8>) -> impl IntoView {
    let current = kyb.get_untracked();
    let company = current.as_ref().map(|k| k.company_name.clone()).unwrap_or_default();
    let saved = current.and_then(|k| k.fund_account).unwrap_or_default();
    let bank = RwSignal::new(if saved.bank.is_empty() { BANKS[0].to_owned() } else { saved.bank.clone() });
    let province = RwSignal::new(saved.bank_province.clone());
    let city = RwSignal::new(saved.bank_city.clone());
    let branch = RwSignal::new(saved.branch.clone());
    let number = RwSignal::new(saved.account_number.clone());
    let number2 = RwSignal::new(saved.account_number_confirm.clone());
    let error = RwSignal::new(None::<ApiError>);
    let company_for_submit = company.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = KybFundAccount {
            account_name: company_for_submit.clone(),
            bank: text(bank),
            bank_province: text(province),
            bank_city: text(city),
            branch: text(branch),
            account_number: text(number),
            account_number_confirm: text(number2),
        };
        save_step(ep::KybStep::FundAccount, body, kyb, error, step);
    };
    view! {
        <form class="form wide" on:submit=submit data-step="fund-account">
            <ErrorBanner error=error/>
            <label class="field"><span class="label req">{tr("商户银行开户名", "Account name")}</span>
                <input name="account_name" value=company readonly/>
                <span class="hint">{tr("对公账户名必须与您实名认证上的名称保持一致", "Must be exactly the company name")}</span>
                <FieldMessage error=error field="account_name"/></label>
            <label class="field"><span class="label req">{tr("开户银行", "Bank")}</span>
                <select name="bank" bind:value=bank>
                    {BANKS.iter().map(|b| view! { <option value=*b>{*b}</option> }).collect_view()}
                </select></label>
            <div class="field"><span class="label req">{tr("开户银行所在城市", "Bank city")}</span>
                <div class="row">
                    <input name="bank_province" placeholder=tr("省份", "Province") bind:value=province/>
                    <input name="bank_city" placeholder=tr("城市", "City") bind:value=city/>
                </div>
                <FieldMessage error=error field="bank_province"/><FieldMessage error=error field="bank_city"/></div>
            <label class="field"><span class="label req">{tr("开户银行支行名称", "Branch")}</span>
                <input name="branch" bind:value=branch/>
                <span class="hint">{tr("如您无法确定，建议您致电银行客服询问", "If unsure, ask your bank")}</span>
                <FieldMessage error=error field="branch"/></label>
            <label class="field"><span class="label req">{tr("商户银行账户", "Account number")}</span>
                <input name="account_number" inputmode="numeric" bind:value=number/>
                <span class="hint">{tr("不支持信用卡和存折进行认证", "Credit cards and passbooks can't be used")}</span>
                <FieldMessage error=error field="account_number"/></label>
            <label class="field"><span class="label req">{tr("确认商户银行账户", "Account number again")}</span>
                <input name="account_number_confirm" inputmode="numeric" bind:value=number2 on:paste=|ev| ev.prevent_default()/>
                <FieldMessage error=error field="account_number_confirm"/></label>
            <p class="note">{tr("Paydesk 会给该对公银行账户汇入一笔1元以下的确认金额，您需要查询该账户的收支明细，并正确输入这笔金额才能通过认证。",
                "After review we send an amount below 1.00 yuan to this account; type it back to finish verification.")}</p>
            <button class="primary" type="submit">{tr("保存，下一步", "Save and continue")}</button>
        </form>
    }
}

#[component]
fn LegalForm(kyb: RwSignal<Option<Kyb>>, step: RwSignal<u8>) -> impl IntoView {
    let saved = kyb.get_untracked().and_then(|k| k.legal_representative).unwrap_or_default();
    let name = RwSignal::new(saved.name.clone());
    let id_number = RwSignal::new(saved.id_number.clone());
    let long_term = RwSignal::new(saved.id_long_term);
    let valid_until = RwSignal::new(saved.id_valid_until.clone().unwrap_or_default());
    let front = RwSignal::new(saved.id_front_scan.clone());
    let back = RwSignal::new(saved.id_back_scan.clone());
    let with_agent = RwSignal::new(saved.agent.is_some());
    let agent = saved.agent.clone().unwrap_or_default();
    let agent_name = RwSignal::new(agent.name);
    let agent_id = RwSignal::new(agent.id_number);
    let agent_phone = RwSignal::new(agent.phone);
    let error = RwSignal::new(None::<ApiError>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = KybLegalRepresentative {
            name: text(name),
            id_number: text(id_number),
            id_long_term: long_term.get_untracked(),
            id_valid_until: optional(valid_until),
            id_front_scan: text(front),
            id_back_scan: text(back),
            agent: with_agent.get_untracked().then(|| KybAgent {
                name: text(agent_name),
                id_number: text(agent_id),
                phone: text(agent_phone),
            }),
        };
        save_step(ep::KybStep::LegalRepresentative, body, kyb, error, step);
    };
    view! {
        <form class="form wide" on:submit=submit data-step="legal-representative">
            <ErrorBanner error=error/>
            <label class="field"><span class="label req">{tr("法定代表人姓名", "Name")}</span>
                <input name="name" bind:value=name/><FieldMessage error=error field="name"/></label>
            <label class="field"><span class="label req">{tr("身份证号码", "ID number")}</span>
                <input name="id_number" bind:value=id_number/><FieldMessage error=error field="id_number"/></label>
            <div class="field"><span class="label req">{tr("身份证有效期", "ID valid until")}</span>
                <div class="row">
                    <input name="id_valid_until" type="date" bind:value=valid_until disabled=move || { long_term.get() }/>
                    <label class="check"><input name="id_long_term" type="checkbox" bind:checked=long_term/>{tr("长期", "Long-term")}</label>
                </div>
                <FieldMessage error=error field="id_valid_until"/></div>
            <div class="field"><span class="label req">{tr("法定代表人身份证正面", "ID card front")}</span>
                <ScanUpload name="id_front_scan" value=front error=error/></div>
            <div class="field"><span class="label req">{tr("法定代表人身份证反面", "ID card back")}</span>
                <ScanUpload name="id_back_scan" value=back error=error/></div>
            <label class="check"><input name="with_agent" type="checkbox" bind:checked=with_agent/>{tr("添加代办人信息", "Add an agent")}</label>
            {move || with_agent.get().then(|| view! {
                <div class="sub-form">
                    <label class="field"><span class="label req">{tr("代办人姓名", "Agent name")}</span>
                        <input name="agent.name" bind:value=agent_name/><FieldMessage error=error field="agent.name"/></label>
                    <label class="field"><span class="label req">{tr("代办人身份证号码", "Agent ID number")}</span>
                        <input name="agent.id_number" bind:value=agent_id/><FieldMessage error=error field="agent.id_number"/></label>
                    <label class="field"><span class="label req">{tr("代办人手机", "Agent phone")}</span>
                        <input name="agent.phone" bind:value=agent_phone/><FieldMessage error=error field="agent.phone"/></label>
                </div>
            })}
            <button class="primary" type="submit">{tr("保存，下一步", "Save and continue")}</button>
        </form>
    }
}

#[component]
fn SubmitPanel(kyb: RwSignal<Option<Kyb>>) -> impl IntoView {
    let error = RwSignal::new(None::<ApiError>);
    let session = use_session();
    let submit = move |_| {
        error.set(None);
        spawn_local(async move {
            match ep::submit_kyb().await {
                Ok(k) => {
                    kyb.set(Some(k));
                    reload_me(session).await;
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let ready = move || {
        kyb.get().is_some_and(|k| {
            k.filing.is_some() && k.fund_account.is_some() && k.legal_representative.is_some()
        })
    };
    view! {
        <div class="form wide">
            <ErrorBanner error=error/>
            {move || error.get().map(|e| view! {
                <ul class="field-errors">{e.0.errors.iter().map(|f| view! { <li>{f.message.clone()}</li> }).collect_view()}</ul>
            })}
            <ul class="checklist">
                <li class:ok=move || kyb.get().is_some_and(|k| k.filing.is_some())>{tr("备案信息", "Filing information")}</li>
                <li class:ok=move || kyb.get().is_some_and(|k| k.fund_account.is_some())>{tr("资金账户信息", "Fund account")}</li>
                <li class:ok=move || kyb.get().is_some_and(|k| k.legal_representative.is_some())>{tr("法人信息", "Legal representative")}</li>
            </ul>
            <p class="note">{tr("提交后资料将不能修改，审核需要 3 个工作日。", "Nothing can be changed after submitting; review takes 3 working days.")}</p>
            <button class="primary" type="button" name="submit-kyb" disabled=move || !ready() on:click=submit>{tr("完成，提交审核", "Submit for review")}</button>
        </div>
    }
}

#[component]
fn DepositForm(kyb: RwSignal<Option<Kyb>>) -> impl IntoView {
    let amount = RwSignal::new(String::new());
    let second_amount = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let session = use_session();
    let deposit = kyb.get_untracked().and_then(|k| k.micro_deposit);
    let void = deposit.as_ref().is_some_and(|d| d.status == "void");
    let exhausted = deposit.as_ref().is_some_and(|d| d.resends_left == 0);
    let confirm = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        let body = ConfirmDeposit {
            amount: amount.get_untracked().trim().to_owned(),
            second_amount: second_amount.get_untracked().trim().to_owned(),
        };
        spawn_local(async move {
            match ep::confirm_micro_deposit(&body).await {
                Ok(k) => {
                    kyb.set(Some(k));
                    reload_me(session).await;
                }
                Err(e) => {
                    if let Ok(k) = ep::get_kyb().await {
                        if k.micro_deposit.as_ref().is_some_and(|d| d.status == "void") {
                            kyb.set(Some(k));
                        }
                    }
                    error.set(Some(e));
                }
            }
        });
    };
    let resend = move |_| {
        spawn_local(async move {
            match ep::resend_micro_deposit().await {
                Ok(k) => kyb.set(Some(k)),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <div class="form narrow" data-testid="deposit-form">
            <p>{tr("审核已通过。Paydesk 已向您的对公账户汇入两笔 1 元以下的确认金额，请查询账户明细后填写（顺序不限）：", "Review passed. We sent two amounts below 1.00 yuan to your corporate account; type both back (in any order):")}</p>
            {deposit.map(|d| view! { <p class="muted">{d.bank.clone()}" "{d.account.clone()}" · "{tr("剩余次数 ", "tries left ")}{d.attempts_left}</p> })}
            <p class="hint">{tr("开发模式：可在 ", "Development mode: see ")}<a href="/sandbox/bank/statement" target="_blank">{tr("沙箱银行", "the sandbox bank")}</a>{tr(" 查询收支明细", " statement")}</p>
            <ErrorBanner error=error/>
            {if void && exhausted {
                view! { <div class="banner" data-testid="deposit-exhausted">{tr("重新汇款次数已用完，客服将核实您的对公账户后重新汇款。", "No more new deposits can be asked for here; customer service will check your account and send the next one.")}</div> }.into_any()
            } else if void {
                view! { <button type="button" class="primary" on:click=resend>{tr("重新汇款", "Send a new deposit")}</button> }.into_any()
            } else {
                view! {
                    <form on:submit=confirm>
                        <label class="field"><span class="label req">{tr("确认金额（元）", "Amount (yuan)")}</span>
                            <input name="deposit_amount" inputmode="decimal" placeholder="0.00" bind:value=amount/>
                            <FieldMessage error=error field="amount"/></label>
                        <label class="field"><span class="label req">{tr("确认金额二（元）", "Second amount (yuan)")}</span>
                            <input name="deposit_second_amount" inputmode="decimal" placeholder="0.00" bind:value=second_amount/>
                            <FieldMessage error=error field="second_amount"/></label>
                        <button class="primary" type="submit">{tr("确认", "Confirm")}</button>
                    </form>
                }.into_any()
            }}
        </div>
    }
}
