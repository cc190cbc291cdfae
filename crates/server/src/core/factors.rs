//! The proofs an operator gives before money moves: the merchant's payment
//! password, and the second factor — the security key (快捷盾) once the operator
//! has bound one, else an SMS code sent to the operator's bound phone.

use actix_web::http::StatusCode;
use chrono::Duration;
use paydesk_api_types::ErrorCode;
use paydesk_api_types::{KeyAssertion, SmsCodeSent};
use paydesk_domain::identity::Phone;
use paydesk_domain::limits;
use paydesk_domain::states::AttemptKind;
use paydesk_store::{identity, sms, DbConn};
use rand::Rng;

use crate::auth::{now, sha256_hex, verify_password, OperatorAuth};
use crate::core::attempts::{self, Outcome};
use crate::error::ApiError;
use crate::AppState;

/// What an SMS code is for. The purpose is part of the code's hash, so a code
/// works only for what it was sent for (and, for a new phone, that phone).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Purpose {
    /// A fund operation or an approval, to the bound phone.
    FundOperation,
    /// A security-centre change (the phone itself, the security key), to the
    /// bound phone.
    Security,
    /// Proving a phone about to be bound: sent to that phone.
    NewPhone(String),
    /// A forgotten password, to the bound phone (no session).
    Recovery,
}

impl Purpose {
    /// From a request: the purpose name and, for `new_phone`, the phone.
    pub fn parse(name: &str, phone: Option<&str>) -> Result<Purpose, ApiError> {
        match name {
            "fund_operation" => Ok(Purpose::FundOperation),
            "security" => Ok(Purpose::Security),
            "new_phone" => {
                let phone = Phone::parse(phone.unwrap_or(""))
                    .map_err(|e| ApiError::field("phone", e.code, e.message))?;
                Ok(Purpose::NewPhone(phone.as_str().to_owned()))
            }
            _ => Err(ApiError::field("purpose", "purpose_invalid", "fund_operation, security or new_phone")),
        }
    }

    /// The key stored with the code (and hashed into it).
    fn key(&self) -> String {
        match self {
            Purpose::FundOperation => "fund_operation".into(),
            Purpose::Security => "security".into(),
            Purpose::NewPhone(p) => format!("new_phone:{p}"),
            Purpose::Recovery => "recovery".into(),
        }
    }

    fn words(&self) -> &'static str {
        match self {
            Purpose::FundOperation => "资金操作",
            Purpose::Security => "安全设置",
            Purpose::NewPhone(_) => "绑定手机",
            Purpose::Recovery => "找回密码",
        }
    }
}

/// The proofs a fund request carries.
#[derive(Debug, Clone, Default)]
pub struct Factors {
    pub payment_password: String,
    pub sms_code: Option<String>,
    pub security_key: Option<KeyAssertion>,
}

impl Factors {
    pub fn new(
        payment_password: &str,
        sms_code: &Option<String>,
        security_key: &Option<KeyAssertion>,
    ) -> Factors {
        Factors {
            payment_password: payment_password.to_owned(),
            sms_code: sms_code.clone(),
            security_key: security_key.clone(),
        }
    }
}

fn sms_hash(operator_id: i64, purpose: &str, code: &str) -> String {
    sha256_hex(&format!("{operator_id}:{purpose}:{}", code.trim()))
}

/// The phone bound to this operator; the admin's is the merchant's own.
pub fn bound_phone(c: &mut DbConn, auth: &OperatorAuth) -> Result<Option<String>, ApiError> {
    phone_by_id(c, auth.merchant_id, auth.operator_id)
}

fn phone_by_id(c: &mut DbConn, merchant_id: i64, operator_id: i64) -> Result<Option<String>, ApiError> {
    let operator = identity::operator(c, operator_id)?;
    let merchant = identity::merchant(c, merchant_id)?;
    Ok(phone_of(&operator, &merchant))
}

/// An operator's phone; the admin, who registered the merchant, has the
/// merchant's unless it bound its own.
pub fn phone_of(operator: &identity::Operator, merchant: &identity::Merchant) -> Option<String> {
    match &operator.phone {
        Some(p) => Some(p.clone()),
        None if operator.login_name == merchant.email => merchant.phone.clone(),
        None => None,
    }
}

/// Sends a 6-digit code — to the operator's bound phone, or for a new phone to
/// that phone: valid for [`limits::SMS_CODE_VALID_SECS`], one use, a few
/// guesses; another after the cool-down. Blocking.
pub fn send_code(st: &AppState, auth: &OperatorAuth, purpose: &Purpose) -> Result<SmsCodeSent, ApiError> {
    send_code_to(st, (auth.merchant_id, auth.operator_id), purpose)
}

/// [`send_code`] for an operator known by id (a password recovery has no session).
pub fn send_code_to(
    st: &AppState,
    (merchant_id, operator_id): (i64, i64),
    purpose: &Purpose,
) -> Result<SmsCodeSent, ApiError> {
    let digits = limits::SMS_CODE_DIGITS;
    let code = format!("{:0digits$}", rand::rng().random_range(0..10u64.pow(digits as u32)));
    let key = purpose.key();
    let phone = st.store.write(|c| -> Result<String, ApiError> {
        let phone = match purpose {
            Purpose::NewPhone(p) => p.clone(),
            Purpose::FundOperation | Purpose::Security | Purpose::Recovery => {
                phone_by_id(c, merchant_id, operator_id)?.ok_or_else(|| {
                    ApiError::field("phone", "phone_not_bound", "bind a phone in the security centre first")
                })?
            }
        };
        let at = now();
        if let Some(last) = sms::last_sent(c, operator_id, &key, &phone)? {
            let wait = i64::from(st.settings.sms_cooldown_secs) - (at - last).num_seconds();
            if wait > 0 {
                return Err(ApiError::rule(
                    StatusCode::TOO_MANY_REQUESTS,
                    ErrorCode::ResendTooSoon,
                    "a code was sent moments ago",
                )
                .with_detail(format!("try again in {wait} seconds")));
            }
        }
        let hash = sms_hash(operator_id, &key, &code);
        sms::create(
            c,
            operator_id,
            &key,
            &phone,
            &hash,
            at,
            at + Duration::seconds(limits::SMS_CODE_VALID_SECS),
        )?;
        Ok(phone)
    })?;
    let minutes = limits::SMS_CODE_VALID_SECS / 60;
    let text = format!(
        "【Paydesk】您的{}验证码为 {code}，{minutes} 分钟内有效，请勿告诉他人。Your code is {code}.",
        purpose.words()
    );
    st.messenger.sms_with_secrets(&st.store, &phone, &text, &[&code])?;
    Ok(SmsCodeSent {
        phone: Phone::parse(&phone).map(|p| p.masked()).unwrap_or_default(),
        resend_after: st.settings.sms_cooldown_secs,
        expires_in: u32::try_from(limits::SMS_CODE_VALID_SECS).unwrap_or(u32::MAX),
    })
}

/// The merchant's payment password, given by this operator: five wrong within a
/// day lock that operator's fund operations, operator pages and card binding
/// for a day (§3.7.2). Every payment-password check goes through here; the try
/// is counted before the hash is compared (`core::attempts`). The admin is told
/// by e-mail when a lock starts. Blocking.
pub fn check_payment_password(
    st: &AppState,
    auth: &OperatorAuth,
    merchant: &identity::Merchant,
    given: &str,
) -> Result<(), ApiError> {
    let outcome = attempts::guarded(st, AttemptKind::PaymentPassword, auth.operator_id, "", || {
        verify_password(&merchant.payment_password_hash, given)
    })?;
    match outcome {
        Outcome::Right => Ok(()),
        Outcome::Wrong { tries_left } => Err(ApiError::field(
            "payment_password",
            "payment_password_wrong",
            format!(
                "the payment password is wrong; {tries_left} more wrong tries today lock it for 24 hours"
            ),
        )),
        Outcome::JustFrozen(until) => {
            tell_admin_of_lock(st, auth, merchant, until);
            Err(payment_password_locked(until))
        }
        Outcome::Frozen(until) => Err(payment_password_locked(until)),
    }
}

fn payment_password_locked(until: chrono::NaiveDateTime) -> ApiError {
    ApiError::rule(
        StatusCode::LOCKED,
        ErrorCode::PaymentPasswordLocked,
        "the payment password is locked after five wrong tries",
    )
    .with_detail(format!(
        "fund operations, operator pages and card binding are locked for you until {} (UTC); \
         customer service can lift it sooner",
        until.format("%Y-%m-%d %H:%M:%S")
    ))
}

/// E-mails the merchant's admin (its registered address) that an operator's
/// payment password is locked. A failed e-mail stays in the outbox.
fn tell_admin_of_lock(
    st: &AppState,
    auth: &OperatorAuth,
    merchant: &identity::Merchant,
    until: chrono::NaiveDateTime,
) {
    let who = st
        .store
        .read(|c| identity::operator(c, auth.operator_id))
        .map(|o| format!("{} ({})", o.display_name, o.login_name))
        .unwrap_or_else(|_| format!("operator {}", auth.operator_id));
    let until = until.format("%Y-%m-%d %H:%M:%S");
    let body = format!(
        "操作员 {who} 连续 5 次输入错误的支付密码，其资金操作、操作员管理与银行卡绑定已锁定至 {until} (UTC)。\n\
         如非本人操作，请尽快修改支付密码。\n\n\
         Operator {who} entered a wrong payment password five times; their fund operations, operator pages and \
         card binding are locked until {until} (UTC). If this was not them, change the payment password now."
    );
    if let Err(e) = st.messenger.email(
        &st.store,
        &merchant.email,
        "【Paydesk】支付密码已锁定 Payment password locked",
        &body,
    ) {
        tracing::error!(error = %e, merchant = merchant.id, "could not tell the admin of a payment-password lock");
    }
}

/// The second factor: the security key once the operator has bound one (an
/// assertion made for exactly `binding`), else the SMS code.
pub fn check_second_factor(
    st: &AppState,
    operator_id: i64,
    sms_code: Option<&str>,
    key: Option<&KeyAssertion>,
    binding: &str,
) -> Result<(), ApiError> {
    if st
        .store
        .read(|c| paydesk_store::keys::find(c, paydesk_store::keys::Holder::Operator(operator_id)))?
        .is_none()
    {
        return check_sms_code(st, operator_id, sms_code);
    }
    let assertion = key.ok_or_else(|| {
        ApiError::field("security_key", "security_key_required", "confirm with your security key (快捷盾)")
    })?;
    let rp = crate::security_key::webauthn(&st.webauthn)?;
    crate::security_key::verify_assertion(
        &st.store,
        rp,
        paydesk_store::keys::Holder::Operator(operator_id),
        binding,
        assertion,
    )
}

/// The SMS code the operator asked for (purpose `fund_operation`), used up when
/// right. A wrong code is counted even though the request fails.
pub fn check_sms_code(st: &AppState, operator_id: i64, given: Option<&str>) -> Result<(), ApiError> {
    check_code(st, operator_id, &Purpose::FundOperation, "sms_code", given)
}

/// The code sent for `purpose`, given in `field`; used up when right, a wrong
/// one counted.
pub fn check_code(
    st: &AppState,
    operator_id: i64,
    purpose: &Purpose,
    field: &str,
    given: Option<&str>,
) -> Result<(), ApiError> {
    let code = given.unwrap_or("").trim().to_owned();
    if code.is_empty() {
        return Err(ApiError::field(field, "sms_code_required", "enter the code sent to the phone"));
    }
    let key = purpose.key();
    let hash = sms_hash(operator_id, &key, &code);
    match st.store.write(|c| sms::check(c, operator_id, &key, &hash, now()))? {
        sms::Check::Ok => Ok(()),
        sms::Check::Wrong => Err(ApiError::field(field, "sms_code_wrong", "the code is wrong")),
        sms::Check::Unusable => Err(ApiError::field(field, "sms_code_expired", "ask for a new code")),
    }
}
