//! 转账到快捷通账户 (manual §3.4.2.1–2): one to five payees on the platform. An
//! operator who may only apply leaves the money held for review; one who may
//! also review completes it at once with the payment password and an SMS code.

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use chrono::Duration;
use paydesk_api_types::{
    Application, ApplicationLine, Payee, Problem, SmsCodeRequest, SmsCodeSent, TransferRequest,
};
use paydesk_domain::application::{ApplicationKind, OrderNo};
use paydesk_domain::fees::Product;
use paydesk_domain::identity::{Email, Phone};
use paydesk_domain::permissions::{apply_permission, on_submit, Submission};
use paydesk_domain::Money;
use paydesk_store::applications::{self, NewApplication, NewLine};
use paydesk_store::{identity, roles, sms, DbConn, StoreError};
use rand::Rng;
use serde::{Deserialize, Serialize};
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::{now, sha256_hex, verify_password, OperatorAuth};
use crate::error::ApiError;
use crate::funds::{self, masked_name};
use crate::idempotency;
use crate::permits::{perm, Body, Can, CanVerified};
use crate::routes::account::money_text;
use crate::AppState;

pub fn configure(cfg: &mut ServiceConfig<'_>) {
    cfg.service(send_sms_code).service(find_payee).service(create_transfer).service(get_application);
}

/// The most payees one transfer may have (§3.4.2.2.1: 最多可添加5条).
pub const MAX_LINES: usize = 5;
const SMS_VALID_SECS: i64 = 5 * 60;
const PURPOSES: [&str; 1] = ["fund_operation"];

fn sms_hash(operator_id: i64, purpose: &str, code: &str) -> String {
    sha256_hex(&format!("{operator_id}:{purpose}:{}", code.trim()))
}

/// The phone bound to this operator; the admin's is the merchant's own.
fn bound_phone(c: &mut DbConn, auth: &OperatorAuth) -> Result<Option<String>, ApiError> {
    let operator = identity::operator(c, auth.operator_id)?;
    if let Some(p) = operator.phone {
        return Ok(Some(p));
    }
    // The admin registered the merchant; its phone is the merchant's.
    let merchant = identity::merchant(c, auth.merchant_id)?;
    if operator.login_name == merchant.email {
        return Ok(merchant.phone);
    }
    Ok(None)
}

/// Send an SMS code to the signed-in operator's bound phone
///
/// Codes are 6 digits, valid for 5 minutes, good for one use and five guesses;
/// another may be asked for after 60 seconds.
#[utoipa::path(
    tag = "funds", security(("bearer" = [])), request_body = SmsCodeRequest,
    responses(
        (status = 202, body = SmsCodeSent),
        (status = 422, description = "`phone_not_bound` or an unknown purpose", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "`resend_too_soon`", body = Problem, content_type = "application/problem+json"),
    ),
    extensions(("x-permission" = json!([]))),
)]
#[post("/sms-codes")]
async fn send_sms_code(
    state: web::Data<AppState>,
    auth: OperatorAuth,
    body: web::Json<SmsCodeRequest>,
) -> Result<HttpResponse, ApiError> {
    let purpose = body.purpose.clone();
    if !PURPOSES.contains(&purpose.as_str()) {
        return Err(ApiError::field("purpose", "purpose_invalid", "unknown purpose"));
    }
    let st = state.clone();
    let sent = web::block(move || -> Result<SmsCodeSent, ApiError> {
        let code = format!("{:06}", rand::rng().random_range(0..1_000_000));
        let phone = st.store.write(|c| -> Result<String, ApiError> {
            let phone = bound_phone(c, &auth)?.ok_or_else(|| {
                ApiError::field("phone", "phone_not_bound", "bind a phone in the security centre first")
            })?;
            let at = now();
            if let Some(last) = sms::last_sent(c, auth.operator_id, &purpose)? {
                let wait = i64::from(st.settings.sms_cooldown_secs) - (at - last).num_seconds();
                if wait > 0 {
                    return Err(ApiError::rule(
                        StatusCode::TOO_MANY_REQUESTS,
                        "resend_too_soon",
                        "a code was sent moments ago",
                    )
                    .with_detail(format!("try again in {wait} seconds")));
                }
            }
            let hash = sms_hash(auth.operator_id, &purpose, &code);
            sms::create(
                c,
                auth.operator_id,
                &purpose,
                &phone,
                &hash,
                at,
                at + Duration::seconds(SMS_VALID_SECS),
            )?;
            Ok(phone)
        })?;
        let text = format!(
            "【Paydesk】您的资金操作验证码为 {code}，5 分钟内有效，请勿告诉他人。Your code is {code}."
        );
        st.messenger.sms(&st.store, &phone, &text)?;
        let masked = Phone::parse(&phone).map(|p| p.masked()).unwrap_or_default();
        Ok(SmsCodeSent {
            phone: masked,
            resend_after: st.settings.sms_cooldown_secs,
            expires_in: SMS_VALID_SECS as u32,
        })
    })
    .await??;
    Ok(HttpResponse::Accepted().json(sent))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct PayeeQuery {
    /// The payee's platform account (registration e-mail).
    pub account: String,
}

/// Look up a platform account before paying it
///
/// Answers with the holder's name, partly masked, so the payer can confirm it.
#[utoipa::path(
    tag = "funds", security(("bearer" = [])), params(PayeeQuery),
    responses((status = 200, body = Payee), (status = 404, description = "`payee_not_found`", body = Problem, content_type = "application/problem+json")),
    extensions(("x-permission" = json!([]))),
)]
#[get("/payees")]
async fn find_payee(
    state: web::Data<AppState>,
    _auth: OperatorAuth,
    query: web::Query<PayeeQuery>,
) -> Result<web::Json<Payee>, ApiError> {
    let email = Email::parse(&query.account).map_err(|e| ApiError::field("account", e.code, e.message))?;
    let store = state.store.clone();
    let found =
        web::block(move || store.read(|c| identity::find_merchant_by_email(c, email.as_str()))).await??;
    let m = found.filter(|m| m.kyb_status == "verified").ok_or_else(|| {
        ApiError::rule(StatusCode::NOT_FOUND, "payee_not_found", "no verified platform account has this name")
    })?;
    Ok(web::Json(Payee { account: m.email, name: masked_name(&m.company_name) }))
}

/// Who is moving money and whether they may finish it at once.
pub(crate) struct Authorised {
    pub merchant: identity::Merchant,
    pub operator: identity::Operator,
    /// Single-person policy and the operator may also review: it completes now.
    pub complete_now: bool,
}

/// Checks the operator may submit an application of `kind`, the payment
/// password, and — when the operation completes at once (the merchant's policy
/// for the kind is single-person and the operator holds the review permission
/// too) — the second factor. Blocking. A wrong SMS code is counted even though
/// the request fails.
pub(crate) fn authorise(
    st: &AppState,
    auth: &OperatorAuth,
    kind: ApplicationKind,
    payment_password: &str,
    sms_code: Option<&str>,
    key: Option<&paydesk_api_types::KeyAssertion>,
) -> Result<Authorised, ApiError> {
    let (merchant, operator, mode) = st.store.read(|c| -> Result<_, ApiError> {
        Ok((
            identity::merchant(c, auth.merchant_id)?,
            identity::operator(c, auth.operator_id)?,
            roles::policy(c, auth.merchant_id, kind)?,
        ))
    })?;
    let submission = on_submit(&auth.permissions, kind, mode);
    if submission == Submission::Refused {
        return Err(crate::permits::denied(&[apply_permission(kind)]));
    }
    check_payment_password(&merchant, payment_password)?;
    let complete_now = submission == Submission::CompletesNow;
    if complete_now {
        check_second_factor(
            st,
            auth.operator_id,
            sms_code,
            key,
            &crate::security_key::submit_binding(kind.as_str()),
        )?;
    }
    Ok(Authorised { merchant, operator, complete_now })
}

pub(crate) fn check_payment_password(merchant: &identity::Merchant, given: &str) -> Result<(), ApiError> {
    if verify_password(&merchant.payment_password_hash, given) {
        Ok(())
    } else {
        Err(ApiError::field("payment_password", "payment_password_wrong", "the payment password is wrong"))
    }
}

/// The second factor: the security key once the operator has bound one (an
/// assertion made for exactly `binding`), else the SMS code.
pub(crate) fn check_second_factor(
    st: &AppState,
    operator_id: i64,
    sms_code: Option<&str>,
    key: Option<&paydesk_api_types::KeyAssertion>,
    binding: &str,
) -> Result<(), ApiError> {
    if st.store.read(|c| paydesk_store::keys::find(c, operator_id))?.is_none() {
        return check_sms_code(st, operator_id, sms_code);
    }
    let assertion = key.ok_or_else(|| {
        ApiError::field("security_key", "security_key_required", "confirm with your security key (快捷盾)")
    })?;
    let rp = crate::security_key::webauthn(&st.webauthn)?;
    crate::security_key::verify_assertion(&st.store, rp, operator_id, binding, assertion)
}

/// The SMS code the operator asked for (purpose `fund_operation`), used up when right.
pub(crate) fn check_sms_code(st: &AppState, operator_id: i64, given: Option<&str>) -> Result<(), ApiError> {
    let code = given.unwrap_or("").trim().to_owned();
    if code.is_empty() {
        return Err(ApiError::field("sms_code", "sms_code_required", "enter the code sent to your phone"));
    }
    let hash = sms_hash(operator_id, "fund_operation", &code);
    match st.store.write(|c| sms::check(c, operator_id, "fund_operation", &hash, now()))? {
        sms::Check::Ok => Ok(()),
        sms::Check::Wrong => Err(ApiError::field("sms_code", "sms_code_wrong", "the code is wrong")),
        sms::Check::Unusable => Err(ApiError::field("sms_code", "sms_code_expired", "ask for a new code")),
    }
}

/// What makes two transfer requests the same, for Idempotency-Key.
#[derive(Serialize)]
struct Fingerprint {
    lines: Vec<paydesk_api_types::TransferLine>,
    remark: Option<String>,
}

pub fn application_view(app: &applications::Application, lines: &[applications::Line]) -> Application {
    Application {
        id: app.id,
        kind: app.kind.clone(),
        status: app.status.clone(),
        total_amount: money_text(app.total_amount),
        total_fee: money_text(app.total_fee),
        total: money_text(app.total_amount + app.total_fee),
        line_count: u32::try_from(app.line_count).unwrap_or(0),
        remark: app.remark.clone(),
        created_at: app.created_at.and_utc().to_rfc3339(),
        lines: lines
            .iter()
            .map(|l| ApplicationLine {
                line_no: u32::try_from(l.line_no).unwrap_or(0),
                // Bank account numbers are masked everywhere but where they are typed.
                payee_account: if l.payee_kind.starts_with("bank_account") {
                    paydesk_domain::identity::BankAccountNo::parse(&l.payee_account)
                        .map(|n| n.masked())
                        .unwrap_or_else(|_| "****".into())
                } else {
                    l.payee_account.clone()
                },
                payee_name: l.payee_name.clone(),
                amount: money_text(l.amount),
                fee: money_text(l.fee),
                remark: l.remark.clone(),
                merchant_order_no: l.merchant_order_no.clone(),
            })
            .collect(),
    }
}

/// An optional merchant order number from a request: absent or blank is none; a
/// malformed one is a field error on `field`.
pub fn order_no(text: Option<&str>, field: &str) -> Result<Option<String>, ApiError> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(t) => OrderNo::parse(t)
            .map(|n| Some(n.into_string()))
            .map_err(|e| ApiError::field(field, e.code, e.message)),
    }
}

/// Checks the lines; returns them ready to store, or every problem found.
fn validate_lines(
    c: &mut DbConn,
    merchant_id: i64,
    body: &TransferRequest,
) -> Result<Vec<NewLine>, ApiError> {
    let mut errors = Vec::new();
    let mut push = |field: String, code: &str, message: &str| {
        errors.push(paydesk_api_types::FieldError { field, code: code.into(), message: message.into() })
    };
    if body.lines.is_empty() || body.lines.len() > MAX_LINES {
        push("lines".into(), "lines_count", "add one to five payees; use a batch file for more");
    }
    let fee_rule = paydesk_store::fees::rule(c, merchant_id, Product::Transfer)?;
    let mut order_nos = std::collections::HashSet::new();
    let mut lines = Vec::new();
    for (i, line) in body.lines.iter().enumerate().take(MAX_LINES) {
        let amount = match Money::parse(line.amount.trim()) {
            Ok(a) if a.is_zero() => {
                push(format!("lines[{i}].amount"), "amount_zero", "the amount must be more than 0.00");
                None
            }
            Ok(a) => Some(a),
            Err(e) => {
                push(format!("lines[{i}].amount"), e.code(), &e.to_string());
                None
            }
        };
        let payee = match Email::parse(&line.payee) {
            Err(e) => {
                push(format!("lines[{i}].payee"), e.code, e.message);
                None
            }
            Ok(email) => match identity::find_merchant_by_email(c, email.as_str())? {
                Some(m) if m.id == merchant_id => {
                    push(
                        format!("lines[{i}].payee"),
                        "payee_is_self",
                        "you can't transfer to your own account",
                    );
                    None
                }
                Some(m) if m.kyb_status == "verified" => Some(m),
                _ => {
                    push(
                        format!("lines[{i}].payee"),
                        "payee_not_found",
                        "no verified platform account has this name",
                    );
                    None
                }
            },
        };
        let notify = match line.notify_phone.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
            None => None,
            Some(p) => match Phone::parse(p) {
                Ok(p) => Some(p.as_str().to_owned()),
                Err(e) => {
                    push(format!("lines[{i}].notify_phone"), e.code, e.message);
                    None
                }
            },
        };
        let remark = line.remark.clone().unwrap_or_default().trim().to_owned();
        if remark.chars().count() > 50 {
            push(format!("lines[{i}].remark"), "remark_too_long", "a remark has at most 50 characters");
        }
        let merchant_order_no = match line
            .merchant_order_no
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(OrderNo::parse)
        {
            None => None,
            Some(Err(e)) => {
                push(format!("lines[{i}].merchant_order_no"), e.code, e.message);
                None
            }
            Some(Ok(no)) if !order_nos.insert(no.clone()) => {
                push(
                    format!("lines[{i}].merchant_order_no"),
                    "order_no_repeated",
                    "each line needs its own merchant order number",
                );
                None
            }
            Some(Ok(no)) => Some(no.into_string()),
        };
        if let (Some(amount), Some(payee)) = (amount, payee) {
            lines.push(NewLine {
                payee_kind: "platform_account".into(),
                payee_account: payee.email,
                payee_name: payee.company_name,
                amount: amount.fen(),
                fee: fee_rule.fee(amount).fen(),
                remark,
                notify_phone: notify,
                merchant_order_no,
                payee_bank: None,
                payee_branch: None,
                payout_speed: None,
            });
        }
    }
    if errors.is_empty() {
        Ok(lines)
    } else {
        Err(ApiError::Validation(errors))
    }
}

/// Transfer to platform accounts
///
/// Holds the total (amount + fee) at once. An operator who may only apply leaves
/// the transfer `pending_review` for a reviewer; one who may also review (the
/// admin) completes it at once, which needs the payment password and an SMS code
/// (`POST /api/v1/sms-codes`). Send an `Idempotency-Key` to make retries safe.
#[utoipa::path(
    tag = "funds", security(("bearer" = [])), request_body = TransferRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retry replay the first answer instead of paying twice")),
    responses(
        (status = 201, description = "Created: `succeeded`, or `pending_review` with the money held", body = Application),
        (status = 403, description = "`kyb_required` or `permission_denied`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`idempotency_key_in_progress`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid lines, `insufficient_balance`, `payment_password_wrong`, `sms_code_wrong`, `idempotency_key_reused`", body = Problem, content_type = "application/problem+json"),
    ),
    extensions(("x-permission" = json!(["transfer"]))),
)]
#[post("/transfers")]
async fn create_transfer(
    state: web::Data<AppState>,
    req: HttpRequest,
    op: CanVerified<perm::Transfer>,
    body: Body<TransferRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.take()?;
    let auth = op.0;
    let body = body.into_inner();
    let fingerprint = Fingerprint { lines: body.lines.clone(), remark: body.remark.clone() };
    let st = state.clone();
    let merchant_id = auth.merchant_id;
    let run = async move {
        let view = web::block(move || -> Result<Application, ApiError> {
            let Authorised { merchant, operator, complete_now } = authorise(
                &st,
                &auth,
                ApplicationKind::Transfer,
                &body.payment_password,
                body.sms_code.as_deref(),
                body.security_key.as_ref(),
            )?;
            let remark = body.remark.clone().unwrap_or_default().trim().chars().take(50).collect::<String>();
            let (view, notices) =
                st.store.write(|c| -> Result<(Application, Vec<(String, String)>), ApiError> {
                    let lines = validate_lines(c, merchant.id, &body)?;
                    let id = applications::create(
                        c,
                        &NewApplication {
                            merchant_id: merchant.id,
                            kind: "transfer",
                            remark: &remark,
                            created_by: operator.id,
                            lines: &lines,
                            at: now(),
                        },
                    )?;
                    let mut app = applications::find(c, merchant.id, id)?.ok_or(StoreError::NotFound)?;
                    let statement_remark =
                        if remark.is_empty() { "转账".to_owned() } else { format!("转账 {remark}") };
                    funds::hold(c, &app, &statement_remark)?;
                    if complete_now {
                        funds::approve_and_execute(c, &mut app, operator.id, &merchant.company_name, None)?;
                    }
                    let lines = applications::lines(c, id)?;
                    let notices = funds::payee_notices(&app, &lines, &merchant.company_name);
                    Ok((application_view(&app, &lines), notices))
                })?;
            // After the commit: a notice that can't be delivered stays in the outbox with its error.
            for (phone, text) in notices {
                if let Err(e) = st.messenger.sms(&st.store, &phone, &text) {
                    tracing::warn!(error = %e, "recording a payee notice failed");
                }
            }
            Ok(view)
        })
        .await??;
        Ok((StatusCode::CREATED, view))
    };
    idempotency::once(&state, &req, merchant_id, &fingerprint, run).await
}

/// One of the merchant's applications
#[utoipa::path(
    tag = "funds", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = Application), (status = 404, description = "`application_not_found`", body = Problem, content_type = "application/problem+json")),
    extensions(("x-permission" = json!(["transaction_records"]))),
)]
#[get("/applications/{id}")]
async fn get_application(
    state: web::Data<AppState>,
    Can(auth, _): Can<perm::TransactionRecords>,
    id: web::Path<i64>,
) -> Result<web::Json<Application>, ApiError> {
    let store = state.store.clone();
    let id = id.into_inner();
    let view = web::block(move || {
        store.read(|c| -> Result<Application, ApiError> {
            let app = applications::find(c, auth.merchant_id, id)?.ok_or_else(|| {
                ApiError::rule(StatusCode::NOT_FOUND, "application_not_found", "no such application")
            })?;
            Ok(application_view(&app, &applications::lines(c, id)?))
        })
    })
    .await??;
    Ok(web::Json(view))
}
