//! The proofs an operator gives before money moves: the merchant's payment
//! password, and the second factor — the security key (快捷盾) once the operator
//! has bound one, else an SMS code sent to the operator's bound phone.

use actix_web::http::StatusCode;
use chrono::Duration;
use paydesk_api_types::ErrorCode;
use paydesk_api_types::{KeyAssertion, SmsCodeSent};
use paydesk_domain::identity::Phone;
use paydesk_domain::limits;
use paydesk_store::{identity, sms, DbConn};
use rand::Rng;

use crate::auth::{now, sha256_hex, verify_password, OperatorAuth};
use crate::error::ApiError;
use crate::AppState;

/// What the purpose of an SMS code may be.
pub const PURPOSES: [&str; 1] = ["fund_operation"];

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

/// Sends a 6-digit code to the operator's bound phone: valid for
/// [`limits::SMS_CODE_VALID_SECS`], one use, a few guesses; another after the
/// cool-down. Blocking.
pub fn send_code(st: &AppState, auth: &OperatorAuth, purpose: &str) -> Result<SmsCodeSent, ApiError> {
    if !PURPOSES.contains(&purpose) {
        return Err(ApiError::field("purpose", "purpose_invalid", "unknown purpose"));
    }
    let digits = limits::SMS_CODE_DIGITS;
    let code = format!("{:0digits$}", rand::rng().random_range(0..10u64.pow(digits as u32)));
    let phone = st.store.write(|c| -> Result<String, ApiError> {
        let phone = bound_phone(c, auth)?.ok_or_else(|| {
            ApiError::field("phone", "phone_not_bound", "bind a phone in the security centre first")
        })?;
        let at = now();
        if let Some(last) = sms::last_sent(c, auth.operator_id, purpose)? {
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
        let hash = sms_hash(auth.operator_id, purpose, &code);
        sms::create(
            c,
            auth.operator_id,
            purpose,
            &phone,
            &hash,
            at,
            at + Duration::seconds(limits::SMS_CODE_VALID_SECS),
        )?;
        Ok(phone)
    })?;
    let minutes = limits::SMS_CODE_VALID_SECS / 60;
    let text = format!(
        "【Paydesk】您的资金操作验证码为 {code}，{minutes} 分钟内有效，请勿告诉他人。Your code is {code}."
    );
    st.messenger.sms(&st.store, &phone, &text)?;
    Ok(SmsCodeSent {
        phone: Phone::parse(&phone).map(|p| p.masked()).unwrap_or_default(),
        resend_after: st.settings.sms_cooldown_secs,
        expires_in: u32::try_from(limits::SMS_CODE_VALID_SECS).unwrap_or(u32::MAX),
    })
}

pub fn check_payment_password(merchant: &identity::Merchant, given: &str) -> Result<(), ApiError> {
    if verify_password(&merchant.payment_password_hash, given) {
        Ok(())
    } else {
        Err(ApiError::field("payment_password", "payment_password_wrong", "the payment password is wrong"))
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
    if st.store.read(|c| paydesk_store::keys::find(c, operator_id))?.is_none() {
        return check_sms_code(st, operator_id, sms_code);
    }
    let assertion = key.ok_or_else(|| {
        ApiError::field("security_key", "security_key_required", "confirm with your security key (快捷盾)")
    })?;
    let rp = crate::security_key::webauthn(&st.webauthn)?;
    crate::security_key::verify_assertion(&st.store, rp, operator_id, binding, assertion)
}

/// The SMS code the operator asked for (purpose `fund_operation`), used up when
/// right. A wrong code is counted even though the request fails.
pub fn check_sms_code(st: &AppState, operator_id: i64, given: Option<&str>) -> Result<(), ApiError> {
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
