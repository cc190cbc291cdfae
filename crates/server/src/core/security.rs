//! 安全中心 (§3.7) for the signed-in operator: the overview, the login and
//! payment passwords, the phone. Every change is logged with the operator's
//! other operations.

use actix_web::http::StatusCode;
use paydesk_api_types::{
    ChangeLoginPassword, ChangePaymentPassword, ErrorCode, KybFiling, PhoneChange, PhoneUnbind,
    SecurityOverview,
};
use paydesk_domain::identity::{
    check_login_password, check_payment_password as payment_rule, Email, LicenceNumber, Phone, Protections,
};
use paydesk_domain::states::{AttemptKind, KybStatus};
use paydesk_store::{identity, keys, kyb, sessions};

use crate::auth::{hash_password, now, verify_password, OperatorAuth, SubjectKind};
use crate::core::attempts::{self, Outcome};
use crate::core::factors::{bound_phone, check_code, check_payment_password, Purpose};
use crate::error::ApiError;
use crate::AppState;

/// The overview's rows. Blocking.
pub fn overview(st: &AppState, auth: &OperatorAuth) -> Result<SecurityOverview, ApiError> {
    st.store.read(|c| -> Result<SecurityOverview, ApiError> {
        let merchant = identity::merchant(c, auth.merchant_id)?;
        let operator = identity::operator(c, auth.operator_id)?;
        let phone = bound_phone(c, auth)?;
        let key = keys::find(c, keys::Holder::Operator(operator.id))?.is_some();
        let protections = Protections {
            payment_password: !merchant.payment_password_hash.is_empty(),
            phone: phone.is_some(),
            email: operator.email.is_some(),
            verified: merchant.kyb_status == KybStatus::Verified,
            security_key: key,
        };
        Ok(SecurityOverview {
            level: protections.level().as_str().to_owned(),
            password_change_required: operator.password_change_required,
            payment_password_set: protections.payment_password,
            phone: phone.and_then(|p| Phone::parse(&p).ok()).map(|p| p.masked()),
            email: operator.email.and_then(|e| Email::parse(&e).ok()).map(|e| e.masked()),
            kyb_status: merchant.kyb_status.to_string(),
            security_key_bound: key,
            merchant_email: merchant.email,
            operator: operator.login_name,
        })
    })
}

/// Whose sign-in password is being confirmed.
pub struct Current<'a> {
    pub kind: AttemptKind,
    pub subject: i64,
    pub hash: &'a str,
}

/// The signed-in person's current sign-in password, typed again to confirm a
/// change: a wrong one counts toward the sign-in lockout. `given` is the
/// field's name and value. Blocking.
pub fn confirm_current_password(
    st: &AppState,
    current: &Current<'_>,
    (field, given): (&str, &str),
    ip: &str,
) -> Result<(), ApiError> {
    let outcome =
        attempts::guarded(st, current.kind, current.subject, ip, || verify_password(current.hash, given))?;
    match outcome {
        Outcome::Right => Ok(()),
        Outcome::Wrong { .. } => {
            Err(ApiError::field(field, "password_wrong", "the current password is wrong"))
        }
        Outcome::Frozen(until) | Outcome::JustFrozen(until) => Err(crate::core::session::frozen(until)),
    }
}

/// 修改登录密码: the current password (a guess at it counts toward the sign-in
/// lockout), then a new one by the rules. The operator's other sessions end;
/// this one stays. Blocking.
pub fn change_login_password(
    st: &AppState,
    auth: &OperatorAuth,
    body: &ChangeLoginPassword,
    ip: &str,
) -> Result<(), ApiError> {
    check_login_password(&body.new_password)
        .map_err(|e| ApiError::field("new_password", e.code, e.message))?;
    if body.new_password == body.old_password {
        return Err(ApiError::field(
            "new_password",
            "password_unchanged",
            "the new password must differ from the current one",
        ));
    }
    let operator = st.store.read(|c| identity::operator(c, auth.operator_id))?;
    let current =
        Current { kind: AttemptKind::OperatorSignIn, subject: operator.id, hash: &operator.password_hash };
    confirm_current_password(st, &current, ("old_password", &body.old_password), ip)?;
    let hash = hash_password(&body.new_password)?;
    auth.audit.write(&st.store, |c| -> Result<(), ApiError> {
        identity::set_operator_password(c, operator.id, &hash, false)?;
        sessions::revoke_others(c, SubjectKind::Operator.as_str(), operator.id, &auth.session_id, now())?;
        Ok(())
    })
}

/// The licence number given at real-name verification (营业执照注册号), asked
/// where the manual asks for it (the security key, a lost phone, recovery).
pub fn check_licence(st: &AppState, merchant_id: i64, given: &str) -> Result<(), ApiError> {
    let filing = st.store.read(|c| kyb::application(c, merchant_id))?.and_then(|a| a.filing);
    let on_file = filing
        .and_then(|f| serde_json::from_str::<KybFiling>(&f).ok())
        .and_then(|f| LicenceNumber::parse(&f.licence_number).ok());
    let given = LicenceNumber::parse(given).ok();
    if on_file.is_none() || on_file != given {
        return Err(ApiError::field(
            "licence_number",
            "licence_number_wrong",
            "this is not the licence number given at real-name verification",
        ));
    }
    Ok(())
}

/// 绑定/修改手机 (§3.7.3): a phone is only ever set with a code sent to it.
/// Blocking.
pub fn change_phone(
    st: &AppState,
    auth: &OperatorAuth,
    body: &PhoneChange,
) -> Result<SecurityOverview, ApiError> {
    let new = Phone::parse(&body.phone).map_err(|e| ApiError::field("phone", e.code, e.message))?;
    let (merchant, current) = st.store.read(|c| -> Result<_, ApiError> {
        Ok((identity::merchant(c, auth.merchant_id)?, bound_phone(c, auth)?))
    })?;
    match (body.method.as_str(), &current) {
        ("bind", None) => {}
        ("bind", Some(_)) => return Err(phone_state("a phone is bound already: change it instead")),
        ("old_phone" | "licence", None) => return Err(phone_state("no phone is bound yet: bind one")),
        ("old_phone", Some(_)) => check_code(
            st,
            auth.operator_id,
            &Purpose::Security,
            "old_sms_code",
            body.old_sms_code.as_deref(),
        )?,
        ("licence", Some(_)) => {
            check_licence(st, auth.merchant_id, body.licence_number.as_deref().unwrap_or(""))?
        }
        _ => return Err(ApiError::field("method", "method_invalid", "bind, old_phone or licence")),
    }
    if current.as_deref() == Some(new.as_str()) {
        return Err(ApiError::field("phone", "phone_unchanged", "this phone is bound already"));
    }
    check_payment_password(st, auth, &merchant, &body.payment_password)?;
    let purpose = Purpose::NewPhone(new.as_str().to_owned());
    check_code(st, auth.operator_id, &purpose, "sms_code", Some(&body.sms_code))?;
    auth.audit.write(&st.store, |c| identity::bind_phone(c, auth.operator_id, Some(new.as_str())))?;
    overview(st, auth)
}

/// 解绑手机: with the payment password and a code sent to the bound phone. The
/// operator then confirms with a security key, or completes nothing at once.
/// Blocking.
pub fn unbind_phone(
    st: &AppState,
    auth: &OperatorAuth,
    body: &PhoneUnbind,
) -> Result<SecurityOverview, ApiError> {
    let (merchant, current) = st.store.read(|c| -> Result<_, ApiError> {
        Ok((identity::merchant(c, auth.merchant_id)?, bound_phone(c, auth)?))
    })?;
    if current.is_none() {
        return Err(phone_state("no phone is bound"));
    }
    check_payment_password(st, auth, &merchant, &body.payment_password)?;
    check_code(st, auth.operator_id, &Purpose::Security, "sms_code", Some(&body.sms_code))?;
    auth.audit.write(&st.store, |c| identity::bind_phone(c, auth.operator_id, None))?;
    overview(st, auth)
}

fn phone_state(detail: &str) -> ApiError {
    ApiError::rule(StatusCode::CONFLICT, ErrorCode::PhoneState, "the phone can't be changed this way")
        .with_detail(detail.to_owned())
}

/// 修改支付密码 (§3.7.2): the current payment password (a wrong one counts
/// toward this operator's payment-password lock), then a new one by the rules,
/// different from the operator's login password. It is the merchant's: every
/// operator uses the new one from now on. Blocking.
pub fn change_payment_password(
    st: &AppState,
    auth: &OperatorAuth,
    body: &ChangePaymentPassword,
) -> Result<(), ApiError> {
    payment_rule(&body.new_payment_password)
        .map_err(|e| ApiError::field("new_payment_password", e.code, e.message))?;
    if body.new_payment_password == body.old_payment_password {
        return Err(ApiError::field(
            "new_payment_password",
            "password_unchanged",
            "the new payment password must differ from the current one",
        ));
    }
    let (merchant, operator) = st.store.read(|c| -> Result<_, ApiError> {
        Ok((identity::merchant(c, auth.merchant_id)?, identity::operator(c, auth.operator_id)?))
    })?;
    check_payment_password(st, auth, &merchant, &body.old_payment_password)?;
    if verify_password(&operator.password_hash, &body.new_payment_password) {
        return Err(ApiError::field(
            "new_payment_password",
            "payment_password_same_as_login",
            "the payment password must differ from the login password",
        ));
    }
    let hash = hash_password(&body.new_payment_password)?;
    auth.audit.write(&st.store, |c| identity::set_payment_password(c, merchant.id, &hash))?;
    Ok(())
}

/// 快捷盾 and 证书详情 (§3.7.5) of the signed-in operator. Blocking.
pub fn key_status(
    st: &AppState,
    auth: &OperatorAuth,
) -> Result<paydesk_api_types::SecurityKeyStatus, ApiError> {
    st.store.read(|c| -> Result<_, ApiError> {
        let phone = bound_phone(c, auth)?.and_then(|p| Phone::parse(&p).ok()).map(|p| p.masked());
        key_status_of(c, keys::Holder::Operator(auth.operator_id), phone)
    })
}

/// 证书详情 of anyone's key, with the masked phone codes go to (operators).
pub fn key_status_of(
    c: &mut paydesk_store::DbConn,
    holder: keys::Holder,
    phone: Option<String>,
) -> Result<paydesk_api_types::SecurityKeyStatus, ApiError> {
    let found = keys::details(c, holder)?;
    let rfc = |t: chrono::NaiveDateTime| t.and_utc().to_rfc3339();
    Ok(paydesk_api_types::SecurityKeyStatus {
        bound: found.is_some(),
        bound_at: found.as_ref().map(|(_, at, _)| rfc(*at)),
        credential_id: found.as_ref().map(|(id, _, _)| credential_text(id)),
        last_used_at: found.as_ref().and_then(|(_, _, used)| used.map(rfc)),
        model: None,
        phone,
    })
}

/// A stored credential id (the bytes, as JSON) as base64url, the way WebAuthn
/// tools print it.
fn credential_text(stored: &str) -> String {
    use base64::Engine;
    match serde_json::from_str::<Vec<u8>>(stored) {
        Ok(bytes) => base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes),
        Err(_) => stored.to_owned(),
    }
}
