//! Batch files (manual §3.4.2.2.2, §3.4.2.4, §4.1.3, §3.3.2.2.2): one flow for
//! every kind — 下载模板 with its date, 上传模板, the problems (and the file
//! back with a problems column), then the confirm page (笔数, 金额, 服务费率,
//! 服务费, 总金额 and the lines, paged) with the payment password, and the result.
//! A contact list confirms without money and adds the contacts.

use super::{FundForm, FundProofs};
use crate::api::ApiError;
use crate::components::{chosen_file, ErrorBanner, FieldMessage, Pager};
use crate::endpoints as ep;
use crate::i18n::tr;
use crate::pages::trade::statement::download;
use leptos::prelude::*;
use leptos::task::spawn_local;
use paydesk_api_types::{BatchCheck, BatchSubmit, ContactImport};
use paydesk_domain::batch::BatchKind;
use paydesk_domain::limits;

const PER_PAGE: u32 = limits::PAGE_SIZE;

/// 下载模板 and the date beside it.
#[component]
fn TemplateLink(kind: BatchKind) -> impl IntoView {
    let save = move |_| {
        spawn_local(async move {
            if let Ok(url) = ep::batch_template_url(kind.as_str()).await {
                download(&url, &kind.template_file_name());
            }
        });
    };
    view! {
        <p class="template-link">
            {kind.title_zh()}{tr("（单次最多支持 999 笔）", " (at most 999 rows a file)")}" "
            <button type="button" class="link" name="download-template" data-kind=kind.as_str() on:click=save>{tr("下载模板", "Download the template")}</button>
            <span class="muted" data-testid="template-version">{tr(" 模板更新于", " Template of ")}{kind.template_version()}</span>
        </p>
        <p class="hint">{kind.notice()}</p>
    }
}

/// A batch problem in the manual's words, by its code; `None` for those whose
/// server message carries details (dates, counts) or that are rare.
fn problem_zh(code: &str) -> Option<&'static str> {
    Some(match code {
        "required" => "必填项未填写",
        "batch_no_invalid" => "请填写商户批次号：不超过32位的数字和字母组合，每批唯一",
        "batch_no_taken" => "商户批次号已使用过，每批需使用新的批次号",
        "batch_empty" => "文件中没有付款记录",
        "template_unknown" => "不是本页面的模板文件，请下载模板后填写",
        "template_columns" => "表头与模板不一致，请使用下载的模板",
        "extra_cells" => "该行在模板列之外还有内容",
        "payee_not_found" => "收款账户不存在或未通过实名认证",
        "payee_is_self" => "不能向自己的账户转账",
        "email_invalid" | "email_required" => "收款账户应为注册邮箱",
        "amount_required" => "请填写金额",
        "amount_zero" => "金额必须大于0",
        "amount_signed" => "金额不能为负数",
        "amount_malformed" => "金额格式不正确",
        "amount_too_many_decimals" => "金额最多保留两位小数",
        "amount_too_large" => "金额过大",
        "phone_invalid" => "请填写11位手机号码",
        "remark_too_long" => "备注过长",
        "order_no_invalid" => "商户订单号应为不超过32位的数字和字母组合",
        "order_no_repeated" => "商户订单号在文件中重复",
        "order_no_taken" => "商户订单号已使用过",
        "name_invalid" => "请填写收款开户名全称",
        "bank_unknown" => "开户银行名称不正确",
        "province_unknown" => "该银行在此省份没有支行",
        "city_unknown" => "该银行在此城市没有支行",
        "branch_unknown" => "支行名称与支行目录不一致，请查询支行信息",
        "bank_account_invalid" => "银行帐号应为8到30位数字",
        "account_type_invalid" => "对公对私请填写“对公”或“对私”",
        "account_repeated" => "该帐号在文件中重复",
        "contact_exists" => "该帐号已是您的联系人",
        "trade_not_found" => "原商户订单号不存在",
        "trade_not_refundable" => "该交易未支付成功，不可退款",
        "trade_fully_refunded" => "该交易已全额退款",
        "refund_limit" => "该交易的退款次数已达上限",
        "amount_over_refundable" => "退款金额超过该交易可退金额",
        _ => return None,
    })
}

fn kind_of_application(kind: BatchKind) -> &'static str {
    kind.application_kind().map_or("", |k| k.as_str())
}

/// The whole flow for one kind of batch file; `on_done` hears when contacts
/// were added.
#[component]
pub fn BatchFlow(kind: BatchKind, #[prop(optional)] on_done: Option<Callback<()>>) -> impl IntoView {
    let check = RwSignal::new(None::<BatchCheck>);
    let lang = crate::i18n::use_lang();
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let added = RwSignal::new(None::<u32>);
    let page = RwSignal::new(1u32);
    let form = FundForm::new(kind_of_application(kind));
    let input_ref = NodeRef::<leptos::html::Input>::new();
    let on_file = move |ev: leptos::ev::Event| {
        let Some(data) = chosen_file(&ev) else { return };
        busy.set(true);
        error.set(None);
        check.set(None);
        page.set(1);
        spawn_local(async move {
            let answer = if kind == BatchKind::BankContacts {
                ep::check_contact_list(&data).await
            } else {
                ep::check_batch(kind.as_str(), &data).await
            };
            match answer {
                Ok(c) => check.set(Some(c)),
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let again = move |_| {
        check.set(None);
        form.result.set(None);
        added.set(None);
        if let Some(input) = input_ref.get() {
            input.set_value("");
        }
    };
    let confirm = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(file_id) = check.get_untracked().and_then(|c| c.file_id) else { return };
        if kind == BatchKind::BankContacts {
            spawn_local(async move {
                match ep::import_contacts(&ContactImport { file_id }).await {
                    Ok(done) => {
                        added.set(Some(done.added));
                        if let Some(f) = on_done {
                            f.run(());
                        }
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
            return;
        }
        form.submit(
            move |p| BatchSubmit {
                kind: kind.as_str().to_owned(),
                file_id,
                payment_password: p.payment_password,
                sms_code: p.sms_code,
                security_key: p.security_key,
            },
            |body, key| async move { ep::submit_batch(&body, &key).await },
            |_| {},
        );
    };
    let step = move || {
        if form.result.get().is_some() || added.get().is_some() {
            3
        } else if check.get().is_some_and(|c| c.problems.is_empty()) {
            2
        } else {
            1
        }
    };
    let steps = if kind == BatchKind::Refund {
        [("上传模板", "Upload"), ("确认退款信息", "Confirm"), ("退款申请成功", "Done")]
    } else if kind == BatchKind::Payroll {
        [("上传模板", "Upload"), ("代发工资审核", "Confirm"), ("代发工资完成", "Done")]
    } else {
        [("上传模板", "Upload"), ("信息确认", "Confirm"), ("完成", "Done")]
    };
    view! {
        <div class="batch" data-kind=kind.as_str()>
            <ol class="steps">
                {steps.into_iter().enumerate().map(|(i, (zh, en))| view! {
                    <li class:current=move || step() == i + 1>{tr(zh, en)}</li>
                }).collect_view()}
            </ol>
            <ErrorBanner error=error/>
            {move || (step() == 1).then(|| view! {
                <TemplateLink kind=kind/>
                <label class="field"><span class="label req">{tr("导入模板", "Upload the filled template")}</span>
                    <input type="file" name="batch-file" node_ref=input_ref accept=".xlsx,.xls,.csv" on:change=on_file/>
                    <span class="hint">{tr("支持 .xlsx、.xls、.csv（UTF-8 或 GBK），不超过 2M", ".xlsx, .xls or .csv (UTF-8 or GBK), at most 2 MB")}</span>
                    <FieldMessage error=error field="file"/></label>
                {move || busy.get().then(|| view! { <p class="loading">{tr("正在检查文件…", "Checking the file…")}</p> })}
                {move || check.get().filter(|c| !c.problems.is_empty()).map(|c| {
                    let copy = c.problems_file_id.clone();
                    view! {
                        <div class="banner error" data-testid="batch-problems-count">
                            {tr("文件有问题，未创建任何申请：", "The file has problems; nothing was created: ")}{c.problems.len()}
                        </div>
                        {copy.map(|id| view! {
                            <button type="button" name="download-problems" on:click=move |_| {
                                let id = id.clone();
                                spawn_local(async move {
                                    if let Ok(url) = ep::batch_file_url(&id).await {
                                        download(&url, "problems.xlsx");
                                    }
                                });
                            }>{tr("下载问题文件", "Download the file with its problems")}</button>
                        })}
                        <table class="grid" data-testid="batch-problems">
                            <thead><tr><th>{tr("行", "Row")}</th><th>{tr("列", "Column")}</th><th>{tr("问题", "Problem")}</th></tr></thead>
                            <tbody>{c.problems.into_iter().map(|p| {
                                let zh = problem_zh(&p.code);
                                let message = p.message.clone();
                                view! {
                                    <tr data-code=p.code.clone()><td>{if p.row == 0 { "—".to_owned() } else { p.row.to_string() }}</td><td>{p.column}</td>
                                        <td>{move || match (lang.get(), zh) { (crate::i18n::Lang::Zh, Some(t)) => t.to_owned(), _ => message.clone() }}</td></tr>
                                }
                            }).collect_view()}</tbody>
                        </table>
                    }
                })}
            })}
            {move || (step() == 2).then(|| check.get().map(|c| {
                let total = c.line_count;
                let money = kind != BatchKind::BankContacts;
                // 批量退款 (§4.1.2.2) names its figures as refunds; its fee comes back.
                let refund = kind == BatchKind::Refund;
                view! {
                    <form class="form wide" data-testid="batch-confirm" on:submit=confirm>
                        {money.then(|| view! {
                            <table class="detail" data-testid="batch-summary">
                                <tr><th>{tr("商户批次号", "Batch number")}</th><td>{c.batch_no.clone().unwrap_or_default()}</td></tr>
                                <tr><th>{if refund { tr("退款笔数", "Refunds") } else { tr("转账笔数", "Rows") }}</th><td data-testid="batch-count">{c.line_count}</td></tr>
                                <tr><th>{if refund { tr("退款金额（元）", "Amount") } else { tr("转账金额（元）", "Amount") }}</th><td>{c.total_amount.clone()}</td></tr>
                                {(!refund).then(|| view! { <tr><th>{tr("服务费率", "Fee rate")}</th><td>{c.fee_rule.clone()}</td></tr> })}
                                {c.original_fee.clone().map(|f| view! { <tr><th>{tr("原始订单服务费（元）", "Original fees")}</th><td data-testid="original-fee">{f}</td></tr> })}
                                <tr><th>{if refund { tr("退还服务费（元）", "Fees back") } else { tr("服务费（元）", "Fees") }}</th><td data-testid="batch-fee">{c.total_fee.clone()}</td></tr>
                                <tr><th>{tr("总金额（元）", "Total")}</th><td data-testid="batch-total">{c.total.clone()}</td></tr>
                                {refund.then(|| view! { <tr><th>{tr("状态", "Status")}</th><td>{tr("待审批", "To be reviewed")}</td></tr> })}
                            </table>
                        })}
                        {if money {
                            let lines = c.lines.clone();
                            view! {
                                <table class="grid" data-testid="batch-lines">
                                    <thead><tr><th>{tr("序号", "No.")}</th>
                                        <th>{if refund { tr("原交易订单号", "Trade no.") } else { tr("收款人信息", "Payee") }}</th>
                                        {refund.then(|| view! { <th>{tr("退款商户订单号", "Refund order no.")}</th> })}
                                        <th>{if refund { tr("退款金额（元）", "Amount") } else { tr("金额（元）", "Amount") }}</th>
                                        <th>{if refund { tr("退还服务费（元）", "Fee back") } else { tr("服务费（元）", "Fee") }}</th><th>{tr("备注", "Remark")}</th>
                                        {refund.then(|| view! { <th>{tr("退款说明", "Check")}</th> })}</tr></thead>
                                    <tbody>{move || {
                                        let start = ((page.get() - 1) * PER_PAGE) as usize;
                                        lines.iter().skip(start).take(PER_PAGE as usize).cloned().map(|l| view! {
                                            <tr><td>{l.line_no}</td>
                                                <td>{if refund { l.payee_account.clone() } else { l.payee_name.clone() }}" "<span class="muted">{if refund { l.payee_name.clone() } else { l.payee_account.clone() }}</span></td>
                                                {refund.then(|| view! { <td>{l.merchant_order_no.clone()}</td> })}
                                                <td>{l.amount}</td><td>{l.fee}</td><td>{l.remark}</td>
                                                {refund.then(|| view! { <td class="ok">{tr("可退款", "Refundable")}</td> })}</tr>
                                        }).collect_view()
                                    }}</tbody>
                                </table>
                            }.into_any()
                        } else {
                            let contacts = c.contacts.clone();
                            view! {
                                <table class="grid" data-testid="batch-contacts">
                                    <thead><tr><th>{tr("序号", "No.")}</th><th>{tr("收款开户名", "Name")}</th><th>{tr("收款银行帐号", "Account")}</th><th>{tr("开户银行", "Bank")}</th><th>{tr("支行", "Branch")}</th><th>{tr("备注", "Remark")}</th></tr></thead>
                                    <tbody>{move || {
                                        let start = ((page.get() - 1) * PER_PAGE) as usize;
                                        contacts.iter().skip(start).take(PER_PAGE as usize).cloned().map(|l| view! {
                                            <tr><td>{l.line_no}</td><td>{l.name}</td><td>{l.account}</td><td>{l.bank_name}</td><td>{l.branch_name}</td><td>{l.remark}</td></tr>
                                        }).collect_view()
                                    }}</tbody>
                                </table>
                            }.into_any()
                        }}
                        <Pager page=page total=u64::from(total) per_page=PER_PAGE/>
                        {money.then(|| view! { <FundProofs form=form note=true/> })}
                        <ErrorBanner error=form.error/>
                        <FieldMessage error=form.error field="file_id"/>
                        <div class="actions">
                            <button class="primary" type="submit" name="confirm-batch">{if money { tr("确认", "Confirm") } else { tr("确认添加", "Add them") }}</button>
                            <button type="button" name="back" on:click=again>{tr("返回", "Back")}</button>
                        </div>
                    </form>
                }
            }))}
            {move || form.result.get().map(|a| view! {
                <div class="form sent" data-testid="batch-done" data-status=a.status.clone()>
                    <h2>{tr("申请成功", "Submitted")}</h2>
                    <p>{tr("交易订单号：", "Trade number: ")}<span class="mono">{a.trade_no.clone()}</span></p>
                    <p>{tr("笔数：", "Rows: ")}{a.line_count}{tr("，总金额：", ", total: ")}{a.total.clone()}</p>
                    <p class="note">{if a.status == "pending_review" { tr("资金已冻结，等待审核员审核。", "The money is held until a reviewer approves.") } else { tr("已提交执行。", "It is being executed.") }}</p>
                    <button type="button" name="another" on:click=again>{tr("继续上传", "Upload another")}</button>
                </div>
            })}
            {move || added.get().map(|n| view! {
                <div class="form sent" data-testid="contacts-added">
                    <h2>{tr("添加成功", "Added")}</h2>
                    <p>{tr("已添加联系人：", "Contacts added: ")}{n}</p>
                    <button type="button" name="another" on:click=again>{tr("继续导入", "Import another")}</button>
                </div>
            })}
        </div>
    }
}

/// 批量转账: to platform accounts or to bank accounts.
#[component]
pub fn BatchTransferPage() -> impl IntoView {
    let bank = RwSignal::new(false);
    view! {
        <section class="page">
            <h1>{tr("批量转账", "Batch transfer")}</h1>
            <div class="tabs">
                <button type="button" data-tab="platform" class:active=move || !bank.get() on:click=move |_| bank.set(false)>{tr("批量转账到 Paydesk 账户", "To platform accounts")}</button>
                <button type="button" data-tab="bank" class:active=move || bank.get() on:click=move |_| bank.set(true)>{tr("批量转账到银行账户", "To bank accounts")}</button>
            </div>
            {move || if bank.get() {
                view! { <BatchFlow kind=BatchKind::BankTransfer/> }.into_any()
            } else {
                view! { <BatchFlow kind=BatchKind::PlatformTransfer/> }.into_any()
            }}
        </section>
    }
}

/// 代发工资 (应用中心, §4.1.3), with 代发工资记录 below.
#[component]
pub fn PayrollPage() -> impl IntoView {
    let page = RwSignal::new(1u32);
    let lang = crate::i18n::use_lang();
    let session = crate::session::use_session();
    let records = LocalResource::new(move || {
        let p = page.get();
        async move { ep::get_review_list(ep::ReviewList::Records, p, "&kind=payroll&from=2000-01-01").await }
    });
    view! {
        <section class="page">
            <h1>{tr("代发工资", "Payroll")}</h1>
            <p class="hint">{tr("使用账户中的资金，将工资、报销款等批量付款到员工的银行卡。", "Pay wages and expenses from your balance to employees' bank cards, in one file.")}</p>
            <BatchFlow kind=BatchKind::Payroll/>
            <Show when=move || session.can("transaction_records")>
            <h2 class="sub">{tr("代发工资记录", "Payroll records")}</h2>
            <Suspense fallback=|| view! { <p class="loading">"…"</p> }>
                {move || records.get().map(|r| match r {
                    Err(e) => view! { <div class="banner error">{e.message()}</div> }.into_any(),
                    Ok(p) if p.items.is_empty() => view! { <div class="empty" data-testid="no-payroll">{tr("暂无代发工资记录", "No payroll yet")}</div> }.into_any(),
                    Ok(p) => {
                        let total = p.total;
                        view! {
                            <table class="grid" data-testid="payroll-records">
                                <thead><tr><th>{tr("申请时间", "Submitted")}</th><th>{tr("商户批次号", "Batch no.")}</th><th>{tr("交易订单号", "Order no.")}</th><th>{tr("笔数", "Rows")}</th><th class="num">{tr("金额（元）", "Amount")}</th><th class="num">{tr("服务费（元）", "Fee")}</th><th>{tr("状态", "Status")}</th></tr></thead>
                                <tbody>{p.items.into_iter().map(|i| {
                                    let s = i.status.clone();
                                    view! {
                                        <tr data-status=i.status.clone()><td>{crate::i18n::local_time(&i.created_at)}</td><td>{i.batch_no.clone().unwrap_or_default()}</td><td class="mono">{i.trade_no.clone()}</td><td>{i.line_count}</td>
                                            <td class="num">{i.total_amount.clone()}</td><td class="num">{i.total_fee.clone()}</td>
                                            <td>{move || crate::pages::review::status_label(&s, lang.get())}</td></tr>
                                    }
                                }).collect_view()}</tbody>
                            </table>
                            <Pager page=page total=total per_page=PER_PAGE/>
                        }.into_any()
                    }
                })}
            </Suspense>
            </Show>
        </section>
    }
}
