//! 安全中心 (§3.7): the overview, passwords, phone, e-mail and the security
//! key (快捷盾).

use serde::{Deserialize, Serialize};
#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// 快捷盾 of the signed-in operator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct SecurityKeyStatus {
    pub bound: bool,
    pub bound_at: Option<String>,
    /// 证书详情: the credential id (base64url), when bound.
    pub credential_id: Option<String>,
    /// When the key last confirmed something.
    pub last_used_at: Option<String>,
    /// The authenticator model, when the key told it (keys bound without
    /// attestation don't).
    pub model: Option<String>,
    /// The bound phone, masked: where the codes for binding and unbinding go.
    pub phone: Option<String>,
}

/// Binding or unbinding a key (§3.7.5): the licence number, payment password and SMS code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct SecurityKeyCheck {
    /// 营业执照注册号 as given at real-name verification.
    pub licence_number: String,
    pub payment_password: String,
    pub sms_code: String,
}

/// A WebAuthn ceremony to run in the browser: pass `options` to
/// `navigator.credentials.create` or `.get` and send the result back with `challenge_id`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct KeyChallenge {
    pub challenge_id: String,
    /// `CreationChallengeResponse` or `RequestChallengeResponse` (WebAuthn JSON).
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub options: serde_json::Value,
}

/// Finish binding: the new credential (`PublicKeyCredential.toJSON()`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct KeyRegistration {
    pub challenge_id: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub credential: serde_json::Value,
}

/// What an assertion is asked for: approving or rejecting exact applications, or
/// submitting an operation of one kind that completes at once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct KeyChallengeRequest {
    /// `review`, `submit` or `policy` (changing a review policy).
    pub purpose: String,
    #[serde(default)]
    pub application_ids: Vec<i64>,
    /// For `review`: `approve` or `reject`.
    #[serde(default)]
    pub decision: Option<String>,
    /// For `submit` and `policy`: `transfer`, `bank_payout`, `withdrawal`, ...
    #[serde(default)]
    pub kind: Option<String>,
}

/// A security-key assertion standing in for the SMS code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct KeyAssertion {
    pub challenge_id: String,
    /// `PublicKeyCredential.toJSON()` from `navigator.credentials.get`.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub credential: serde_json::Value,
}

/// 安全中心 overview (§3.7) for the signed-in operator: a row per protection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct SecurityOverview {
    /// `low`, `medium` or `high`.
    pub level: String,
    /// The login password must be changed before anything else (an admin set it).
    pub password_change_required: bool,
    pub payment_password_set: bool,
    /// The bound phone, masked; none when not bound.
    pub phone: Option<String>,
    /// The bound e-mail (安全邮箱), masked; none when not bound.
    pub email: Option<String>,
    /// The merchant's real-name verification: draft | submitted | rejected | awaiting_deposit | verified.
    pub kyb_status: String,
    pub security_key_bound: bool,
    /// The merchant account (the admin's login), for the page's heading.
    pub merchant_email: String,
    pub operator: String,
}

/// 修改登录密码 (§3.7.1): the current password and the new one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ChangeLoginPassword {
    pub old_password: String,
    /// 8–32 letters, digits and symbols, no spaces.
    pub new_password: String,
}

/// 绑定/修改手机 (§3.7.3). `bind` when no phone is bound; to change it,
/// `old_phone` (a `security` code sent to the current phone in `old_sms_code`)
/// or, when the current phone is lost, `licence` (the licence number given at
/// real-name verification). Always the payment password, and the new phone
/// with the `new_phone` code sent to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PhoneChange {
    /// `bind`, `old_phone` or `licence`.
    pub method: String,
    pub payment_password: String,
    #[serde(default)]
    pub old_sms_code: Option<String>,
    #[serde(default)]
    pub licence_number: Option<String>,
    pub phone: String,
    pub sms_code: String,
}

/// 解绑手机: the payment password and a `security` code sent to the bound phone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PhoneUnbind {
    pub payment_password: String,
    pub sms_code: String,
}

/// 修改支付密码 (§3.7.2): the merchant's current payment password and the new
/// one (6–32 characters, not the login password).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ChangePaymentPassword {
    pub old_payment_password: String,
    pub new_payment_password: String,
}

/// 忘记登录密码, step 1: the merchant account (and the operator, when not the
/// admin) with a captcha.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RecoveryStart {
    pub merchant: String,
    /// The operator's login name; empty for the admin.
    #[serde(default)]
    pub operator: String,
    pub captcha_id: String,
    pub captcha_answer: String,
}

/// A recovery under way: ask for an SMS code
/// (`POST /api/v1/recoveries/{id}/sms-code`), then verify.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RecoveryStarted {
    pub recovery_id: String,
    /// Seconds the recovery stays open.
    pub expires_in: u32,
}

/// Step 2: the licence number given at real-name verification and the code
/// sent to the operator's bound phone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RecoveryVerify {
    pub licence_number: String,
    /// The code sent to the bound phone; or leave it empty and send
    /// `security_key` when the operator has bound one.
    #[serde(default)]
    pub sms_code: String,
    /// The key's answer to `POST /recoveries/{id}/key-challenges`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_key: Option<KeyAssertion>,
}

/// Step 3: the single-use link is in the operator's bound mailbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RecoveryLinkSent {
    /// The address, masked.
    pub email: String,
    /// Seconds before the link may be sent again.
    pub resend_after: u32,
}

/// What an e-mailed recovery link is for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RecoveryLink {
    /// `login_password` or `payment_password`.
    pub kind: String,
    pub merchant: String,
    pub operator: String,
}

/// Step 4: the new password — login (8–32 characters) or payment (6–32),
/// as the link's `kind` says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RecoveryComplete {
    pub new_password: String,
}

/// 绑定邮箱 (§3.7.4): the payment password and the address; an activation link
/// goes to it and binds it when opened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct EmailBind {
    pub payment_password: String,
    pub email: String,
}

/// 修改邮箱 / 解绑邮箱: the payment password. A change first sends a link to the
/// current address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct EmailProof {
    pub payment_password: String,
}

/// A link is on its way to this (masked) address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct EmailLinkSent {
    pub email: String,
}

/// What an e-mailed 安全邮箱 link does: `verify_old` (confirms the current
/// address; give the new one) or `activate` (binds the address).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct EmailLinkView {
    pub purpose: String,
    /// The address the link was sent to, masked.
    pub email: String,
}

/// Opening a link: for `verify_old`, the new address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct EmailLinkUse {
    #[serde(default)]
    pub new_email: Option<String>,
}

/// What opening the link did: `activation_sent` (to the new address, masked)
/// or `bound`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct EmailLinkUsed {
    pub result: String,
    pub email: String,
}
