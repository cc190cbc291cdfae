//! 安全邮箱 (§3.7.4): bind (an activation link to the new address), change (a
//! link to the current address first, then an activation link to the new one)
//! and unbind, each with the payment password. The bound e-mail is the
//! operator's own, separate from the merchant account (the admin's login),
//! which never changes here: it is where recovery links and notices go.

use actix_web::http::StatusCode;
use chrono::Duration;
use paydesk_api_types::{
    EmailBind, EmailLinkSent, EmailLinkUse, EmailLinkUsed, EmailLinkView, EmailProof, ErrorCode,
};
use paydesk_domain::identity::Email;
use paydesk_domain::limits;
use paydesk_store::identity;
use paydesk_store::recoveries::{self, EmailLink};

use crate::auth::{now, random_token, sha256_hex, OperatorAuth};
use crate::core::factors::check_payment_password;
use crate::error::ApiError;
use crate::oplog::Audit;
use crate::AppState;

fn state_error(detail: &str) -> ApiError {
    ApiError::rule(StatusCode::CONFLICT, ErrorCode::EmailState, "the e-mail can't be changed this way")
        .with_detail(detail.to_owned())
}

fn parse(field: &str, text: &str) -> Result<Email, ApiError> {
    Email::parse(text).map_err(|e| ApiError::field(field, e.code, e.message))
}

/// The payment password; answers the operator.
fn proven(
    st: &AppState,
    auth: &OperatorAuth,
    payment_password: &str,
) -> Result<identity::Operator, ApiError> {
    let (merchant, operator) = st.store.read(|c| -> Result<_, ApiError> {
        Ok((identity::merchant(c, auth.merchant_id)?, identity::operator(c, auth.operator_id)?))
    })?;
    check_payment_password(st, auth, &merchant, payment_password)?;
    Ok(operator)
}

/// Sends a link for `purpose` to `to`.
fn send(
    st: &AppState,
    operator_id: i64,
    purpose: &str,
    to: &Email,
    base: &str,
) -> Result<EmailLinkSent, ApiError> {
    let token = random_token();
    let at = now();
    let link = EmailLink {
        token_hash: sha256_hex(&token),
        operator_id,
        purpose: purpose.to_owned(),
        email: to.as_str().to_owned(),
        created_at: at,
        expires_at: at + Duration::seconds(limits::RECOVERY_SECS),
        used_at: None,
    };
    st.store.write(|c| recoveries::create_email_link(c, &link))?;
    let url = format!("{base}/email-link?token={token}");
    let (subject, what) = match purpose {
        "verify_old" => (
            "【Paydesk】确认修改邮箱 / Confirm the e-mail change",
            "确认修改安全邮箱 / confirm changing your e-mail",
        ),
        _ => ("【Paydesk】激活邮箱 / Activate your e-mail", "激活安全邮箱 / activate this e-mail"),
    };
    let minutes = limits::RECOVERY_SECS / 60;
    let body = format!("请在 {minutes} 分钟内打开以下链接{what}（仅可使用一次）：\n{url}\n");
    st.messenger.email_with_secrets(&st.store, to.as_str(), subject, &body, &[&token])?;
    Ok(EmailLinkSent { email: to.masked() })
}

/// 绑定邮箱: when none is bound. Blocking.
pub fn bind(
    st: &AppState,
    auth: &OperatorAuth,
    body: &EmailBind,
    base: &str,
) -> Result<EmailLinkSent, ApiError> {
    let to = parse("email", &body.email)?;
    let operator = proven(st, auth, &body.payment_password)?;
    if operator.email.is_some() {
        return Err(state_error("an e-mail is bound already: change it instead"));
    }
    send(st, operator.id, "activate", &to, base)
}

/// 修改邮箱: a link to the current address first. Blocking.
pub fn start_change(
    st: &AppState,
    auth: &OperatorAuth,
    body: &EmailProof,
    base: &str,
) -> Result<EmailLinkSent, ApiError> {
    let operator = proven(st, auth, &body.payment_password)?;
    let current = operator.email.as_deref().ok_or_else(|| state_error("no e-mail is bound yet: bind one"))?;
    send(st, operator.id, "verify_old", &parse("email", current)?, base)
}

/// 解绑邮箱. Blocking.
pub fn unbind(st: &AppState, auth: &OperatorAuth, body: &EmailProof) -> Result<(), ApiError> {
    let operator = proven(st, auth, &body.payment_password)?;
    if operator.email.is_none() {
        return Err(state_error("no e-mail is bound"));
    }
    auth.audit.write(&st.store, |c| identity::set_operator_email(c, operator.id, None))?;
    Ok(())
}

/// The live link behind `token`.
fn live(st: &AppState, token: &str) -> Result<EmailLink, ApiError> {
    let link = st.store.read(|c| recoveries::find_email_link(c, &sha256_hex(token)))?.ok_or_else(|| {
        ApiError::rule(StatusCode::NOT_FOUND, ErrorCode::LinkInvalid, "this link is not valid")
    })?;
    if link.used_at.is_some() {
        return Err(ApiError::rule(StatusCode::GONE, ErrorCode::LinkUsed, "this link was used already"));
    }
    if link.expires_at <= now() {
        return Err(ApiError::rule(StatusCode::GONE, ErrorCode::LinkExpired, "this link has expired"));
    }
    Ok(link)
}

/// What a link is for. Blocking.
pub fn view(st: &AppState, token: &str) -> Result<EmailLinkView, ApiError> {
    let link = live(st, token)?;
    Ok(EmailLinkView {
        purpose: link.purpose,
        email: Email::parse(&link.email).map(|e| e.masked()).unwrap_or_default(),
    })
}

/// Opens a link: `verify_old` sends the activation link to the new address;
/// `activate` binds the address. Blocking.
pub fn open(
    st: &AppState,
    audit: &Audit,
    token: &str,
    body: &EmailLinkUse,
    base: &str,
) -> Result<EmailLinkUsed, ApiError> {
    let link = live(st, token)?;
    let new = match link.purpose.as_str() {
        "verify_old" => Some(parse("new_email", body.new_email.as_deref().unwrap_or(""))?),
        _ => None,
    };
    // The link is spent and, for an activation, the address bound, together.
    audit.write(&st.store, |c| -> Result<(), ApiError> {
        if !recoveries::use_email_link(c, &link.token_hash, now())? {
            return Err(ApiError::rule(StatusCode::GONE, ErrorCode::LinkUsed, "this link was used already"));
        }
        if new.is_none() {
            identity::set_operator_email(c, link.operator_id, Some(&link.email))?;
        }
        Ok(())
    })?;
    match new {
        Some(to) => {
            let sent = send(st, link.operator_id, "activate", &to, base)?;
            Ok(EmailLinkUsed { result: "activation_sent".into(), email: sent.email })
        }
        None => {
            let email = Email::parse(&link.email).map(|e| e.masked()).unwrap_or_default();
            Ok(EmailLinkUsed { result: "bound".into(), email })
        }
    }
}
