//! Batch files (issue 11; manual §3.4.2.2.2, §3.4.2.4, §4.1.3, §3.3.2.2.2):
//! the templates, the check of an uploaded file, submitting a checked file of
//! payments through the one submit pipeline, and importing a contact list.
//!
//! A file is checked in full before anything is kept for submitting: the layout
//! and template version (`domain::batch`), every row by the single operation's
//! rules (`domain::draft::batch`), and the numbers against what the merchant
//! used before. A file with any problem creates nothing; its copy with a
//! problems column is kept for download instead. Submitting reads the kept
//! file and checks it all again — payees and balances may have changed since.

use actix_web::http::StatusCode;
use paydesk_api_types::{
    Application, BatchCheck, BatchColumn, BatchContact, BatchLine, BatchProblem, BatchSubmit, BatchTemplate,
    ContactsImported, ErrorCode, FieldError,
};
use paydesk_documents::batch::{problems_xlsx, read_grid, template_xlsx};
use paydesk_domain::batch::{self, BatchKind, RowProblem};
use paydesk_domain::draft::batch::{check_bank_batch, check_contact_batch, check_platform_batch};
use paydesk_domain::draft::{ContactDraft, Draft, FeeSchedule};
use paydesk_domain::fees::Product;
use paydesk_domain::identity::BankAccountNo;
use paydesk_domain::limits;
use paydesk_domain::permissions::Permission;
use paydesk_store::{applications, contacts, DbConn};

use crate::auth::OperatorAuth;
use crate::core::factors::Factors;
use crate::core::idempotency::Idem;
use crate::core::payees::platform_payee;
use crate::core::submit::submit;
use crate::error::ApiError;
use crate::views::money_text;
use crate::AppState;

use paydesk_documents::batch::content_type;
use paydesk_documents::XLSX;

/// The kind named in a request.
pub fn kind_of(text: &str) -> Result<BatchKind, ApiError> {
    BatchKind::parse(text).ok_or_else(|| {
        ApiError::field(
            "kind",
            "batch_kind_unknown",
            "choose platform_transfer, bank_transfer, payroll or bank_contacts",
        )
    })
}

/// Every template, for the pages' 下载模板 links.
pub fn templates() -> Vec<BatchTemplate> {
    BatchKind::ALL
        .iter()
        .map(|&kind| BatchTemplate {
            kind: kind.as_str().to_owned(),
            title: kind.title_zh().to_owned(),
            version: kind.template_version().to_owned(),
            columns: kind
                .columns()
                .iter()
                .map(|c| BatchColumn { header: c.header.to_owned(), required: c.required })
                .collect(),
            max_rows: limits::BATCH_ROWS as u32,
            notice: kind.notice(),
        })
        .collect()
}

/// The template of `kind` as xlsx bytes.
pub fn template(kind: BatchKind) -> Result<Vec<u8>, ApiError> {
    template_xlsx(kind).map_err(|e| ApiError::Internal(e.into()))
}

/// What a checked file holds.
enum Prepared {
    Money(Draft),
    Contacts(Vec<ContactDraft>),
}

/// The numbers a batch of money uses, each checked against what the merchant
/// used before.
fn numbers_used(
    c: &mut DbConn,
    merchant_id: i64,
    file: &batch::BatchFile,
    draft: &Draft,
) -> Result<Vec<RowProblem>, ApiError> {
    let orders: Vec<&str> =
        draft.lines.iter().filter_map(|l| l.merchant_order_no.as_ref().map(|o| o.as_str())).collect();
    let batch_no = draft.batch_no.as_ref().map(|b| b.as_str());
    let (batch_used, orders_used) = applications::used_numbers(c, merchant_id, batch_no, &orders)?;
    let mut problems = Vec::new();
    if batch_used {
        problems.push(RowProblem {
            row: batch::BATCH_NO_ROW + 1,
            column: batch::BATCH_NO_LABEL.to_owned(),
            code: "batch_no_taken",
            message: format!(
                "商户批次号 {} was used before; every batch needs a new one",
                batch_no.unwrap_or("")
            ),
        });
    }
    for (row, line) in file.rows.iter().zip(&draft.lines) {
        if line.merchant_order_no.as_ref().is_some_and(|o| orders_used.iter().any(|u| u == o.as_str())) {
            problems.push(RowProblem {
                row: row.row,
                column: batch::header_of(file.kind, "merchant_order_no").to_owned(),
                code: "order_no_taken",
                message: "this merchant order number was used before".into(),
            });
        }
    }
    Ok(problems)
}

/// Checks a file's cells for the merchant: reads only.
fn prepare(
    c: &mut DbConn,
    merchant_id: i64,
    fees: &FeeSchedule,
    kind: BatchKind,
    grid: &[Vec<String>],
) -> Result<Result<Prepared, Vec<RowProblem>>, ApiError> {
    let file = match batch::read(kind, grid) {
        Ok(file) => file,
        Err(problems) => return Ok(Err(problems)),
    };
    let draft = match kind {
        BatchKind::PlatformTransfer => {
            let payees = file
                .rows
                .iter()
                .map(|r| platform_payee(c, r.get("payee")))
                .collect::<Result<Vec<_>, ApiError>>()?;
            check_platform_batch(&file, &payees, merchant_id, fees)
        }
        BatchKind::BankTransfer | BatchKind::Payroll => check_bank_batch(&file, fees),
        BatchKind::Refund => {
            let targets = file
                .rows
                .iter()
                .map(|r| crate::core::refunds::target(c, merchant_id, r.get("trade_order_no")))
                .collect::<Result<Vec<_>, ApiError>>()?;
            paydesk_domain::draft::batch::check_refund_batch(&file, &targets)
        }
        BatchKind::BankContacts => {
            let drafts = match check_contact_batch(&file) {
                Ok(d) => d,
                Err(problems) => return Ok(Err(problems)),
            };
            let accounts: Vec<&str> = drafts.iter().map(|d| d.account.as_str()).collect();
            let existing = contacts::existing(c, merchant_id, "bank", &accounts)?;
            let problems: Vec<RowProblem> = file
                .rows
                .iter()
                .zip(&drafts)
                .filter(|(_, d)| existing.contains(&d.account))
                .map(|(row, _)| RowProblem {
                    row: row.row,
                    column: batch::header_of(kind, "account_number").to_owned(),
                    code: "contact_exists",
                    message: "this account is already one of your contacts".into(),
                })
                .collect();
            return Ok(if problems.is_empty() { Ok(Prepared::Contacts(drafts)) } else { Err(problems) });
        }
    };
    let draft = match draft {
        Ok(d) => d,
        Err(problems) => return Ok(Err(problems)),
    };
    let used = numbers_used(c, merchant_id, &file, &draft)?;
    Ok(if used.is_empty() { Ok(Prepared::Money(draft)) } else { Err(used) })
}

fn problem_views(problems: &[RowProblem]) -> Vec<BatchProblem> {
    problems
        .iter()
        .map(|p| BatchProblem {
            row: p.row as u32,
            column: p.column.clone(),
            code: p.code.to_owned(),
            message: p.message.clone(),
        })
        .collect()
}

/// The answer to submitting a file whose check now fails: each problem as a
/// field error of `file_id`, saying the row and column.
fn batch_invalid(problems: &[RowProblem]) -> ApiError {
    let errors = problems
        .iter()
        .map(|p| FieldError {
            field: "file_id".into(),
            code: p.code.to_owned(),
            message: if p.row == 0 {
                p.message.clone()
            } else if p.column.is_empty() {
                format!("row {}: {}", p.row, p.message)
            } else {
                format!("row {}, {}: {}", p.row, p.column, p.message)
            },
        })
        .collect();
    ApiError::Validation(errors)
}

fn masked(account: &str) -> String {
    BankAccountNo::parse(account).map(|n| n.masked()).unwrap_or_else(|_| account.to_owned())
}

fn fee_product(kind: BatchKind) -> Option<Product> {
    match kind {
        BatchKind::PlatformTransfer => Some(Product::BatchTransfer),
        BatchKind::BankTransfer => Some(Product::BatchBankPayout),
        BatchKind::Payroll => Some(Product::Payroll),
        BatchKind::BankContacts | BatchKind::Refund => None,
    }
}

/// 原始订单服务费: the acquiring fees of the trades a refund batch refunds, each
/// trade once.
fn original_fees(st: &AppState, draft: &Draft) -> Result<i64, ApiError> {
    let trades: std::collections::BTreeSet<&str> =
        draft.lines.iter().map(|l| l.payee_account.as_str()).collect();
    st.store.read(|c| -> Result<i64, ApiError> {
        let mut sum = 0;
        for no in trades {
            sum += paydesk_store::trades::by_trade_no(c, no)?.map_or(0, |t| t.fee);
        }
        Ok(sum)
    })
}

/// Checks an uploaded file of `kind` and keeps it (or its problems copy).
/// Blocking.
pub fn check(
    st: &AppState,
    auth: &OperatorAuth,
    kind: BatchKind,
    bytes: &[u8],
    name: String,
) -> Result<BatchCheck, ApiError> {
    let grid = read_grid(bytes).map_err(|u| ApiError::field("file", u.code, u.message))?;
    let (fees, prepared) = st.store.read(|c| -> Result<_, ApiError> {
        crate::core::apps::require_for_batch(c, auth.merchant_id, kind)?;
        let fees = FeeSchedule(paydesk_store::fees::schedule(c, auth.merchant_id)?);
        let prepared = prepare(c, auth.merchant_id, &fees, kind, &grid)?;
        Ok((fees, prepared))
    })?;
    let fee_rule = fee_product(kind).map(|p| fees.rule(p).describe()).unwrap_or_default();
    let mut out = BatchCheck {
        kind: kind.as_str().to_owned(),
        file_id: None,
        batch_no: None,
        line_count: 0,
        total_amount: money_text(0),
        total_fee: money_text(0),
        total: money_text(0),
        fee_rule,
        original_fee: None,
        lines: Vec::new(),
        contacts: Vec::new(),
        problems: Vec::new(),
        problems_file_id: None,
    };
    match prepared {
        Err(problems) => {
            let copy = problems_xlsx(kind, &grid, &problems).map_err(|e| ApiError::Internal(e.into()))?;
            let stem = name.rsplit_once('.').map_or(name.as_str(), |(s, _)| s).to_owned();
            let kept = crate::core::files::keep(
                st,
                &auth.audit,
                auth.merchant_id,
                &copy,
                XLSX,
                format!("问题-{stem}.xlsx"),
            )?;
            out.problems = problem_views(&problems);
            out.problems_file_id = Some(kept.id);
        }
        Ok(Prepared::Money(draft)) => {
            out.batch_no = draft.batch_no.as_ref().map(|b| b.as_str().to_owned());
            out.line_count = draft.lines.len() as u32;
            out.total_amount = money_text(draft.total_amount());
            out.total_fee = money_text(draft.total_fee());
            out.total = money_text(draft.kind.total(draft.total_amount(), draft.total_fee()));
            if draft.kind.is_refund() {
                out.original_fee = Some(money_text(original_fees(st, &draft)?));
            }
            out.lines = draft
                .lines
                .iter()
                .enumerate()
                .map(|(i, l)| BatchLine {
                    line_no: i as u32 + 1,
                    payee_name: l.payee_name.clone(),
                    payee_account: if l.payee_kind.is_bank() {
                        let bank =
                            l.bank.as_deref().and_then(paydesk_domain::banks::find).map_or("", |b| b.name);
                        format!("{bank} {}", masked(&l.payee_account))
                    } else {
                        l.payee_account.clone()
                    },
                    amount: l.amount.to_string(),
                    fee: l.fee.to_string(),
                    remark: l.remark.clone(),
                    merchant_order_no: l
                        .merchant_order_no
                        .as_ref()
                        .map(|o| o.as_str().to_owned())
                        .unwrap_or_default(),
                })
                .collect();
        }
        Ok(Prepared::Contacts(drafts)) => {
            out.line_count = drafts.len() as u32;
            out.contacts = drafts
                .iter()
                .enumerate()
                .map(|(i, d)| BatchContact {
                    line_no: i as u32 + 1,
                    name: d.name.clone(),
                    account: masked(&d.account),
                    bank_name: d
                        .branch
                        .and_then(|b| paydesk_domain::banks::find(&b.bank))
                        .map_or("", |b| b.name)
                        .to_owned(),
                    branch_name: d.branch.map_or("", |b| b.name.as_str()).to_owned(),
                    account_type: d.kind.and_then(|k| k.account_type()).unwrap_or("personal").to_owned(),
                    remark: d.remark.clone(),
                })
                .collect();
        }
    }
    if out.problems.is_empty() {
        let kept =
            crate::core::files::keep(st, &auth.audit, auth.merchant_id, bytes, content_type(bytes), name)?;
        out.file_id = Some(kept.id);
    }
    Ok(out)
}

/// The cells of a kept batch file of the merchant's.
fn kept_grid(st: &AppState, merchant_id: i64, file_id: &str) -> Result<Vec<Vec<String>>, ApiError> {
    let (_, bytes) = crate::core::files::read(st, file_id, Some(merchant_id))
        .map_err(|_| ApiError::field("file_id", "file_unknown", "upload the file and check it first"))?;
    read_grid(&bytes).map_err(|u| ApiError::field("file_id", u.code, u.message))
}

/// Submits a checked file of payments through the pipeline: one application
/// with a line per row, its total and fees held at once. Blocking.
pub fn submit_batch(
    st: &AppState,
    auth: &OperatorAuth,
    req: BatchSubmit,
    idem: &mut Idem,
) -> Result<Application, ApiError> {
    let kind = kind_of(&req.kind)?;
    let app_kind = kind.application_kind().ok_or_else(|| {
        ApiError::field("kind", "batch_kind_unknown", "contacts are imported, not submitted")
    })?;
    let grid = kept_grid(st, auth.merchant_id, &req.file_id)?;
    let factors = Factors::new(&req.payment_password, &req.sms_code, &req.security_key);
    submit(st, auth, app_kind, &factors, idem, |c, merchant, fees| {
        crate::core::apps::require_for_batch(c, merchant.id, kind)?;
        match prepare(c, merchant.id, fees, kind, &grid)? {
            Ok(Prepared::Money(draft)) => Ok(Ok(draft)),
            Ok(Prepared::Contacts(_)) => {
                Err(ApiError::field("kind", "batch_kind_unknown", "not a batch of payments"))
            }
            Err(problems) => Err(batch_invalid(&problems)),
        }
    })
}

/// 批量添加银行卡联系人: adds every contact of a checked file, all or none. Blocking.
pub fn import_contacts(
    st: &AppState,
    auth: &OperatorAuth,
    file_id: &str,
) -> Result<ContactsImported, ApiError> {
    let grid = kept_grid(st, auth.merchant_id, file_id)?;
    let at = st.clock.now();
    let added = auth.audit.write(&st.store, |c| -> Result<usize, ApiError> {
        let fees = FeeSchedule::default();
        let drafts = match prepare(c, auth.merchant_id, &fees, BatchKind::BankContacts, &grid)? {
            Ok(Prepared::Contacts(d)) => d,
            Ok(Prepared::Money(_)) => {
                return Err(ApiError::field("file_id", "batch_kind_unknown", "not a contact list"))
            }
            Err(problems) => return Err(batch_invalid(&problems)),
        };
        for d in &drafts {
            let new = crate::core::payees::new_contact(auth.merchant_id, "bank", d, at);
            if contacts::add(c, &new)?.is_none() {
                return Err(ApiError::rule(
                    StatusCode::CONFLICT,
                    ErrorCode::ContactExists,
                    "a contact of the file was added meanwhile",
                ));
            }
        }
        Ok(drafts.len())
    })?;
    Ok(ContactsImported { added: added as u32 })
}

/// Every line of one of the merchant's applications as xlsx (查看更多 → 导出,
/// and a batch's result file): for operators who see its records or review its
/// kind. Blocking.
pub fn lines_export(st: &AppState, auth: &OperatorAuth, id: i64) -> Result<(String, Vec<u8>), ApiError> {
    let (app, lines) = st.store.read(|c| -> Result<_, ApiError> {
        let app = applications::find(c, auth.merchant_id, id)?;
        let app = app
            .filter(|a| {
                auth.holds(Permission::TransactionRecords)
                    || auth.holds(paydesk_domain::permissions::review_permission(a.kind))
            })
            .ok_or_else(crate::core::review::not_found)?;
        let lines = applications::lines(c, app.id)?;
        Ok((app, lines))
    })?;
    let view = crate::views::application(&app, &lines);
    let rows: Vec<paydesk_documents::batch::LineRow> = lines
        .iter()
        .zip(&view.lines)
        .map(|(l, v)| paydesk_documents::batch::LineRow {
            line_no: u32::try_from(l.line_no).unwrap_or(0),
            trade_no: l.trade_no.clone(),
            merchant_order_no: l.merchant_order_no.clone().unwrap_or_default(),
            payee_name: l.payee_name.clone(),
            payee_account: v.payee_account.clone(),
            amount_fen: l.amount,
            fee_fen: l.fee,
            status: l.status.label_zh().to_owned(),
            reason: l.failure_reason.clone().unwrap_or_default(),
        })
        .collect();
    let title = match &app.batch_no {
        Some(b) => format!("商户批次号 {b} · 交易订单号 {}", app.trade_no),
        None => format!("交易订单号 {}", app.trade_no),
    };
    let bytes =
        paydesk_documents::batch::lines_xlsx(&title, &rows).map_err(|e| ApiError::Internal(e.into()))?;
    Ok((format!("明细-{}.xlsx", app.batch_no.as_deref().unwrap_or(&app.trade_no)), bytes))
}
