//! Money out to bank accounts through the bank's payout service: 提现 (manual
//! §4.1.1) to the merchant's own cards, standard (T+1) or fast (within 2 hours),
//! and 转账到银行账户 (§3.4.2.3) to anyone's personal or corporate account.

use actix_web::http::StatusCode;
use actix_web::{post, web, HttpRequest, HttpResponse};
use paydesk_api_types::{Application, BankTransferRequest, FieldError, Problem, WithdrawalRequest};
use paydesk_domain::application::ApplicationKind;
use paydesk_domain::branches;
use paydesk_domain::fees::Product;
use paydesk_domain::identity::BankAccountNo;
use paydesk_domain::Money;
use paydesk_store::applications::{self, NewApplication, NewLine};
use paydesk_store::{cards, contacts, fees, StoreError};
use serde::Serialize;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::now;
use crate::error::ApiError;
use crate::funds;
use crate::idempotency;
use crate::permits::{perm, Body, CanVerified};
use crate::routes::transfers::{application_view, authorise, order_no, Authorised};
use crate::AppState;

pub fn configure(cfg: &mut ServiceConfig<'_>) {
    cfg.service(create_withdrawal).service(create_bank_transfer);
}

#[derive(Serialize)]
struct Fingerprint {
    card_id: i64,
    amount: String,
    speed: String,
    merchant_order_no: Option<String>,
}

/// Withdraw to one of the merchant's own bank cards
///
/// Holds the amount at once. An operator who may only apply leaves it for review;
/// one who may also review sends it to the bank at once (payment password and SMS
/// code). The application stays `processing` until the bank answers: `succeeded`,
/// or `failed` with the money back. A payout the bank later returns (退票) comes
/// back to the balance with its own statement line.
#[utoipa::path(
    tag = "funds", security(("bearer" = [])), request_body = WithdrawalRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retry replay the first answer")),
    responses(
        (status = 201, description = "`processing` at the bank, or `pending_review` with the money held", body = Application),
        (status = 403, description = "`kyb_required` or `permission_denied`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`card_unknown`, `speed_invalid`, amount errors, `insufficient_balance`, password or code errors", body = Problem, content_type = "application/problem+json"),
    ),
    extensions(("x-permission" = json!(["withdrawal"]))),
)]
#[post("/withdrawals")]
async fn create_withdrawal(
    state: web::Data<AppState>,
    req: HttpRequest,
    op: CanVerified<perm::Withdrawal>,
    body: Body<WithdrawalRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.take()?;
    let auth = op.0;
    let body = body.into_inner();
    let amount = match Money::parse(body.amount.trim()) {
        Ok(a) if a.is_zero() => {
            return Err(ApiError::field("amount", "amount_zero", "the amount must be more than 0.00"))
        }
        Ok(a) => a,
        Err(e) => return Err(ApiError::field("amount", e.code(), e.to_string())),
    };
    if !["standard", "fast"].contains(&body.speed.as_str()) {
        return Err(ApiError::field("speed", "speed_invalid", "choose standard (T+1) or fast (2 hours)"));
    }
    let merchant_order_no = order_no(body.merchant_order_no.as_deref(), "merchant_order_no")?;
    let fingerprint = Fingerprint {
        card_id: body.card_id,
        amount: body.amount.clone(),
        speed: body.speed.clone(),
        merchant_order_no: merchant_order_no.clone(),
    };
    let st = state.clone();
    let merchant_id = auth.merchant_id;
    let run = async move {
        let view = web::block(move || -> Result<Application, ApiError> {
            // The card first: a card that isn't the merchant's is refused before anything else.
            let card =
                st.store.read(|c| cards::find(c, auth.merchant_id, body.card_id))?.ok_or_else(|| {
                    ApiError::field("card_id", "card_unknown", "withdraw only to one of your own bank cards")
                })?;
            let Authorised { merchant, operator, complete_now } = authorise(
                &st,
                &auth,
                ApplicationKind::Withdrawal,
                &body.payment_password,
                body.sms_code.as_deref(),
                body.security_key.as_ref(),
            )?;
            let product =
                if body.speed == "fast" { Product::WithdrawalFast } else { Product::WithdrawalStandard };
            st.store.write(|c| -> Result<Application, ApiError> {
                let line = NewLine {
                    payee_kind: "bank_account".into(),
                    payee_account: card.account_no.clone(),
                    payee_name: card.account_name.clone(),
                    amount: amount.fen(),
                    fee: fees::rule(c, merchant.id, product)?.fee(amount).fen(),
                    remark: String::new(),
                    notify_phone: None,
                    merchant_order_no: merchant_order_no.clone(),
                    payee_bank: Some(card.bank.clone()),
                    payee_branch: Some(card.branch_name.clone()),
                    payout_speed: Some(body.speed.clone()),
                };
                let id = applications::create(
                    c,
                    &NewApplication {
                        merchant_id: merchant.id,
                        kind: "withdrawal",
                        remark: "",
                        created_by: operator.id,
                        lines: &[line],
                        at: now(),
                    },
                )?;
                let mut app = applications::find(c, merchant.id, id)?.ok_or(StoreError::NotFound)?;
                let speed = if body.speed == "fast" { "快速提现" } else { "普通提现" };
                let bank_name = paydesk_domain::banks::find(&card.bank).map(|b| b.name).unwrap_or("银行");
                funds::hold(c, &app, &format!("{speed} 至 {bank_name}"))?;
                if complete_now {
                    funds::approve_and_execute(c, &mut app, operator.id, &merchant.company_name, None)?;
                }
                Ok(application_view(&app, &applications::lines(c, id)?))
            })
        })
        .await??;
        Ok((StatusCode::CREATED, view))
    };
    idempotency::once(&state, &req, merchant_id, &fingerprint, run).await
}

#[derive(Serialize)]
struct BankTransferFingerprint {
    account_type: String,
    name: String,
    branch_code: String,
    account_number: String,
    amount: String,
    remark: Option<String>,
    merchant_order_no: Option<String>,
}

/// Transfer to a bank account (转账到银行账户)
///
/// A payout to someone else's personal or corporate bank account: holder's name,
/// the number typed twice, the branch from the directory, and the payout
/// agreement. It goes through the bank like a withdrawal: `processing` until the
/// bank answers; a failed or returned payout gives the money back.
#[utoipa::path(
    tag = "funds", security(("bearer" = [])), request_body = BankTransferRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retry replay the first answer")),
    responses(
        (status = 201, description = "`processing` at the bank, or `pending_review` with the money held", body = Application),
        (status = 403, description = "`kyb_required` or `permission_denied`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, `insufficient_balance`, password or code errors", body = Problem, content_type = "application/problem+json"),
    ),
    extensions(("x-permission" = json!(["transfer"]))),
)]
#[post("/bank-transfers")]
async fn create_bank_transfer(
    state: web::Data<AppState>,
    req: HttpRequest,
    op: CanVerified<perm::Transfer>,
    body: Body<BankTransferRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.take()?;
    let auth = op.0;
    let mut body = body.into_inner();
    if let Some(id) = body.contact_id {
        let store = state.store.clone();
        let merchant_id = auth.merchant_id;
        let contact = web::block(move || store.read(|c| contacts::find(c, merchant_id, id)))
            .await??
            .filter(|c| c.kind == "bank")
            .ok_or_else(|| {
                ApiError::field("contact_id", "contact_unknown", "choose one of your bank contacts")
            })?;
        body.account_type = contact.account_type.unwrap_or_else(|| "personal".into());
        body.name = contact.name;
        body.bank = contact.bank.unwrap_or_default();
        body.branch_code = contact.branch_code.unwrap_or_default();
        body.account_number_confirm = contact.account.clone();
        body.account_number = contact.account;
    }
    let mut errors = Vec::new();
    let mut push = |field: &str, code: &str, message: &str| {
        errors.push(FieldError { field: field.into(), code: code.into(), message: message.into() })
    };
    if !["personal", "corporate"].contains(&body.account_type.as_str()) {
        push("account_type", "account_type_invalid", "choose personal or corporate");
    }
    let name = body.name.trim().to_owned();
    if name.chars().count() < 2 || name.chars().count() > 60 {
        push("name", "name_invalid", "enter the account holder's full name");
    }
    let number = match BankAccountNo::parse(&body.account_number) {
        Ok(n) => {
            if BankAccountNo::parse(&body.account_number_confirm).ok().as_ref() != Some(&n) {
                push("account_number_confirm", "account_number_mismatch", "the two account numbers differ");
            }
            Some(n)
        }
        Err(e) => {
            push("account_number", e.code, e.message);
            None
        }
    };
    let branch = branches::by_code(body.branch_code.trim()).filter(|b| b.bank == body.bank);
    if branch.is_none() {
        push("branch_code", "branch_unknown", "choose the branch from the directory");
    }
    let amount = match Money::parse(body.amount.trim()) {
        Ok(a) if a.is_zero() => {
            push("amount", "amount_zero", "the amount must be more than 0.00");
            None
        }
        Ok(a) => Some(a),
        Err(e) => {
            push("amount", e.code(), &e.to_string());
            None
        }
    };
    let remark = body.remark.clone().unwrap_or_default().trim().to_owned();
    if remark.chars().count() > 50 {
        push("remark", "remark_too_long", "a remark has at most 50 characters");
    }
    if !body.agreement_accepted {
        push("agreement_accepted", "agreement_required", "read and accept the payout agreement");
    }
    let merchant_order_no = match order_no(body.merchant_order_no.as_deref(), "merchant_order_no") {
        Ok(no) => no,
        Err(ApiError::Validation(mut e)) => {
            errors.append(&mut e);
            None
        }
        Err(other) => return Err(other),
    };
    let (Some(number), Some(branch), Some(amount), true) = (number, branch, amount, errors.is_empty()) else {
        return Err(ApiError::Validation(errors));
    };
    let fingerprint = BankTransferFingerprint {
        account_type: body.account_type.clone(),
        name: name.clone(),
        branch_code: branch.code.clone(),
        account_number: number.as_str().to_owned(),
        amount: amount.to_string(),
        remark: Some(remark.clone()),
        merchant_order_no: merchant_order_no.clone(),
    };
    let st = state.clone();
    let merchant_id = auth.merchant_id;
    let run = async move {
        let view = web::block(move || -> Result<Application, ApiError> {
            let Authorised { merchant, operator, complete_now } = authorise(
                &st,
                &auth,
                ApplicationKind::BankPayout,
                &body.payment_password,
                body.sms_code.as_deref(),
                body.security_key.as_ref(),
            )?;
            st.store.write(|c| -> Result<Application, ApiError> {
                let line = NewLine {
                    payee_kind: format!("bank_account_{}", body.account_type),
                    payee_account: number.as_str().to_owned(),
                    payee_name: name.clone(),
                    amount: amount.fen(),
                    fee: fees::rule(c, merchant.id, Product::BankPayout)?.fee(amount).fen(),
                    remark: remark.clone(),
                    notify_phone: None,
                    merchant_order_no: merchant_order_no.clone(),
                    payee_bank: Some(branch.bank.clone()),
                    payee_branch: Some(branch.name.clone()),
                    payout_speed: Some("standard".into()),
                };
                let id = applications::create(
                    c,
                    &NewApplication {
                        merchant_id: merchant.id,
                        kind: "bank_payout",
                        remark: &remark,
                        created_by: operator.id,
                        lines: &[line],
                        at: now(),
                    },
                )?;
                let mut app = applications::find(c, merchant.id, id)?.ok_or(StoreError::NotFound)?;
                funds::hold(c, &app, &format!("转账到银行账户 {name}"))?;
                if complete_now {
                    funds::approve_and_execute(c, &mut app, operator.id, &merchant.company_name, None)?;
                }
                Ok(application_view(&app, &applications::lines(c, id)?))
            })
        })
        .await??;
        Ok((StatusCode::CREATED, view))
    };
    idempotency::once(&state, &req, merchant_id, &fingerprint, run).await
}
