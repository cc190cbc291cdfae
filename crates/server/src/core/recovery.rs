//! 忘记登录密码 (§3.7.1) without a session: the merchant account and a captcha
//! open a recovery; the licence number and a code sent to the operator's bound
//! phone (or the operator's security key, when bound) verify it; a single-use link goes to the operator's bound e-mail; the
//! link sets a new password and ends every session of that operator.
//! 找回支付密码 (§3.7.2) is the same from the second step, started by a
//! signed-in operator who may change the payment password.

use actix_web::http::StatusCode;
use chrono::Duration;
use paydesk_api_types::{
    ErrorCode, RecoveryComplete, RecoveryLink, RecoveryLinkSent, RecoveryStart, RecoveryStarted,
    RecoveryVerify,
};
use paydesk_domain::identity::{check_login_password, check_payment_password as payment_rule, Email};
use paydesk_domain::limits;
use paydesk_domain::states::AttemptKind;
use paydesk_store::keys::Holder;
use paydesk_store::recoveries::{self, Recovery};
use paydesk_store::{attempts, identity, sessions};

use crate::auth::{hash_password, now, random_token, sha256_hex, SubjectKind};
use crate::core::factors::{check_code, Purpose};
use crate::core::security::check_licence;
use crate::error::ApiError;
use crate::AppState;

const LOGIN: &str = "login_password";
const PAYMENT: &str = "payment_password";

fn closed() -> ApiError {
    ApiError::rule(StatusCode::CONFLICT, ErrorCode::RecoveryState, "this recovery is over; start again")
}

/// Step 1 (the captcha is checked by the caller). An unknown account gets a
/// recovery id too — one that can never be verified — so the answer does not
/// tell which accounts exist. Blocking.
pub fn start(st: &AppState, body: &RecoveryStart) -> Result<RecoveryStarted, ApiError> {
    let merchant_email = body.merchant.trim().to_ascii_lowercase();
    let operator = Some(body.operator.trim()).filter(|o| !o.is_empty()).unwrap_or(&merchant_email).to_owned();
    let id = random_token();
    let at = now();
    st.store.write(|c| -> Result<(), ApiError> {
        let Some(m) = identity::find_merchant_by_email(c, &merchant_email)? else { return Ok(()) };
        let Some(o) = identity::find_operator(c, m.id, &operator)? else { return Ok(()) };
        recoveries::create(c, &id, LOGIN, (m.id, o.id), at, at + Duration::seconds(limits::RECOVERY_SECS))?;
        Ok(())
    })?;
    Ok(RecoveryStarted { recovery_id: id, expires_in: u32::try_from(limits::RECOVERY_SECS).unwrap_or(0) })
}

/// 找回支付密码 (§3.7.2), started by a signed-in operator who may change it:
/// then the same licence number, SMS code and e-mailed link. Blocking.
pub fn start_payment(st: &AppState, auth: &crate::auth::OperatorAuth) -> Result<RecoveryStarted, ApiError> {
    let id = random_token();
    let at = now();
    let ids = (auth.merchant_id, auth.operator_id);
    st.store.write(|c| {
        recoveries::create(c, &id, PAYMENT, ids, at, at + Duration::seconds(limits::RECOVERY_SECS))
    })?;
    Ok(RecoveryStarted { recovery_id: id, expires_in: u32::try_from(limits::RECOVERY_SECS).unwrap_or(0) })
}

/// The open recovery `id`, or why not.
fn open(st: &AppState, id: &str) -> Result<Recovery, ApiError> {
    st.store
        .read(|c| recoveries::find(c, id))?
        .filter(|r| r.used_at.is_none() && r.expires_at > now())
        .ok_or_else(closed)
}

/// Sends the code to the operator's bound phone. Blocking.
pub fn send_code(st: &AppState, id: &str) -> Result<paydesk_api_types::SmsCodeSent, ApiError> {
    let r = open(st, id)?;
    crate::core::factors::send_code_to(st, (r.merchant_id, r.operator_id), &Purpose::Recovery)
}

/// What a recovery's key check is bound to.
fn key_binding(id: &str) -> String {
    format!("recovery:{id}")
}

/// Step 2, by the key instead of the SMS code: a key check bound to this
/// recovery. A recovery of an unknown account answers as an operator without
/// a key does. Blocking.
pub fn key_challenge(st: &AppState, id: &str) -> Result<(String, serde_json::Value), ApiError> {
    let rp = crate::security_key::webauthn(&st.webauthn)?;
    let not_bound = || {
        ApiError::rule(StatusCode::CONFLICT, ErrorCode::SecurityKeyNotBound, "No security key is bound")
            .with_detail("use the SMS code")
    };
    let r = open(st, id).map_err(|_| not_bound())?;
    st.store.write(|c| {
        crate::security_key::start_assertion(c, rp, Holder::Operator(r.operator_id), &key_binding(&r.id))
    })
}

/// Step 2: the licence number and the SMS code (or the key's answer); then
/// the link is e-mailed. Blocking.
pub fn verify(
    st: &AppState,
    id: &str,
    body: &RecoveryVerify,
    base: &str,
) -> Result<RecoveryLinkSent, ApiError> {
    let r = open(st, id).map_err(|_| {
        ApiError::field("licence_number", "licence_number_wrong", "this account can't be recovered this way")
    })?;
    check_licence(st, r.merchant_id, &body.licence_number)?;
    match &body.security_key {
        Some(assertion) => {
            let rp = crate::security_key::webauthn(&st.webauthn)?;
            let holder = Holder::Operator(r.operator_id);
            crate::security_key::verify_assertion(&st.store, rp, holder, &key_binding(&r.id), assertion)?;
        }
        None => check_code(st, r.operator_id, &Purpose::Recovery, "sms_code", Some(&body.sms_code))?,
    }
    send_link(st, &r, base)
}

/// Sends the link again, 60 seconds after the last one. Blocking.
pub fn resend(st: &AppState, id: &str, base: &str) -> Result<RecoveryLinkSent, ApiError> {
    let r = open(st, id)?;
    let Some(sent) = r.link_sent_at else { return Err(closed()) };
    let wait = limits::RECOVERY_RESEND_SECS - (now() - sent).num_seconds();
    if wait > 0 {
        return Err(ApiError::rule(
            StatusCode::TOO_MANY_REQUESTS,
            ErrorCode::ResendTooSoon,
            "the link was sent moments ago",
        )
        .with_detail(format!("try again in {wait} seconds")));
    }
    send_link(st, &r, base)
}

fn send_link(st: &AppState, r: &Recovery, base: &str) -> Result<RecoveryLinkSent, ApiError> {
    let (merchant, operator) = st.store.read(|c| -> Result<_, ApiError> {
        Ok((identity::merchant(c, r.merchant_id)?, identity::operator(c, r.operator_id)?))
    })?;
    let to = operator.email.clone().ok_or_else(|| {
        ApiError::rule(StatusCode::CONFLICT, ErrorCode::RecoveryState, "no e-mail is bound to this operator")
            .with_detail("ask your administrator to reset the password in 成员管理")
    })?;
    let token = random_token();
    st.store.write(|c| recoveries::send_link(c, &r.id, &sha256_hex(&token), now()))?;
    let link = format!("{base}/recover/complete?token={token}");
    let minutes = limits::RECOVERY_SECS / 60;
    let (zh, en) = if r.kind == PAYMENT {
        ("支付密码", "payment password")
    } else {
        ("登录密码", "login password")
    };
    let body = format!(
        "您好，{}（{}）：\n请在 {minutes} 分钟内打开以下链接设置新的{zh}（仅可使用一次）：\n{link}\n\
         如非本人操作，请忽略本邮件并尽快联系管理员。\n\n\
         Open the link within {minutes} minutes to set a new {en} (it works once):\n{link}\n",
        operator.display_name, merchant.company_name
    );
    let subject = format!("【Paydesk】找回{zh} / Reset your {en}");
    st.messenger.email_with_secrets(&st.store, &to, &subject, &body, &[&token])?;
    Ok(RecoveryLinkSent {
        email: Email::parse(&to).map(|e| e.masked()).unwrap_or_default(),
        resend_after: u32::try_from(limits::RECOVERY_RESEND_SECS).unwrap_or(60),
    })
}

/// The recovery a link belongs to, while it can still be used.
fn by_link(st: &AppState, token: &str) -> Result<Recovery, ApiError> {
    let r = st.store.read(|c| recoveries::find_by_link(c, &sha256_hex(token)))?.ok_or_else(|| {
        ApiError::rule(StatusCode::NOT_FOUND, ErrorCode::LinkInvalid, "this link is not valid")
    })?;
    if r.used_at.is_some() {
        return Err(ApiError::rule(StatusCode::GONE, ErrorCode::LinkUsed, "this link was used already"));
    }
    let sent = r.link_sent_at.unwrap_or(r.created_at);
    if now() - sent > Duration::seconds(limits::RECOVERY_SECS) {
        return Err(ApiError::rule(
            StatusCode::GONE,
            ErrorCode::LinkExpired,
            "this link has expired; start again",
        ));
    }
    Ok(r)
}

/// What a link is for (step 4's page). Blocking.
pub fn link(st: &AppState, token: &str) -> Result<RecoveryLink, ApiError> {
    let r = by_link(st, token)?;
    st.store.read(|c| -> Result<RecoveryLink, ApiError> {
        Ok(RecoveryLink {
            kind: r.kind.clone(),
            merchant: identity::merchant(c, r.merchant_id)?.email,
            operator: identity::operator(c, r.operator_id)?.login_name,
        })
    })
}

/// Step 4: the new password. Every session of the operator ends; a sign-in
/// freeze is lifted (the operator proved who they are). Blocking.
pub fn complete(st: &AppState, token: &str, body: &RecoveryComplete, ip: &str) -> Result<(), ApiError> {
    let r = by_link(st, token)?;
    let payment = r.kind == PAYMENT;
    let rule =
        if payment { payment_rule(&body.new_password) } else { check_login_password(&body.new_password) };
    rule.map_err(|e| ApiError::field("new_password", e.code, e.message))?;
    let hash = hash_password(&body.new_password)?;
    st.store.write(|c| -> Result<(), ApiError> {
        if !recoveries::use_once(c, &r.id, now())? {
            return Err(ApiError::rule(StatusCode::GONE, ErrorCode::LinkUsed, "this link was used already"));
        }
        if payment {
            // The merchant's payment password; this operator's lock is lifted.
            identity::set_payment_password(c, r.merchant_id, &hash)?;
            attempts::lock(c, AttemptKind::PaymentPassword, r.operator_id)?;
            attempts::clear(c, AttemptKind::PaymentPassword, r.operator_id)?;
        } else {
            identity::set_operator_password(c, r.operator_id, &hash, false)?;
            sessions::revoke_all(c, SubjectKind::Operator.as_str(), r.operator_id, now())?;
            attempts::lock(c, AttemptKind::OperatorSignIn, r.operator_id)?;
            attempts::clear(c, AttemptKind::OperatorSignIn, r.operator_id)?;
        }
        // Logged in the same transaction, with whose password it was.
        paydesk_store::oplog::record(
            c,
            &paydesk_store::oplog::NewEntry {
                merchant_id: Some(r.merchant_id),
                operator_id: Some(r.operator_id),
                staff_id: None,
                action: &format!("POST {}", crate::oplog::RECOVERY_DONE),
                target: crate::oplog::RECOVERY_DONE,
                status: 204,
                ip,
                at: now(),
            },
        )?;
        Ok(())
    })
}
