//! Signing in and the session (§3.1).

use serde::{Deserialize, Serialize};
#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// Sign-in (§3.1): merchant account, operator, password, captcha.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct LoginRequest {
    /// 商户账号: the registration e-mail.
    pub merchant: String,
    /// 操作员: the operator's login name; the admin's is the e-mail.
    pub operator: String,
    pub password: String,
    pub captcha_id: String,
    pub captcha_answer: String,
}

/// Platform staff sign-in for the console.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct StaffLoginRequest {
    pub login_name: String,
    pub password: String,
    pub captcha_id: String,
    pub captcha_answer: String,
}

/// An access token; the refresh token travels in an HttpOnly cookie.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct AccessToken {
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds until the access token lapses; refresh before then.
    pub expires_in: u32,
}

/// The signed-in operator and their merchant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Me {
    pub merchant_id: i64,
    pub merchant_email: String,
    pub company_name: String,
    pub operator: String,
    pub display_name: String,
    /// `admin`, `applicant`, `auditor` (the built-in roles) or `custom`.
    pub role: String,
    /// The role's name as the merchant sees it (管理, 申请, 审核, or a custom name).
    pub role_name: String,
    /// What the role allows (`GET /api/v1/permissions` lists them all).
    pub permissions: Vec<String>,
    /// Kinds of application this operator completes at once (single-person policy
    /// and both the apply and the review permission); others wait for review.
    pub completes_at_once: Vec<String>,
    /// A security key (快捷盾) is bound: fund operations and approvals take it instead of an SMS code.
    pub security_key_bound: bool,
    /// draft | submitted | rejected | awaiting_deposit | verified
    pub kyb_status: String,
    /// An administrator set the login password: change it
    /// (`PUT /api/v1/security/login-password`) before anything else.
    pub password_change_required: bool,
    /// A phone is bound (SMS codes can be sent).
    pub phone_bound: bool,
}

/// The signed-in staff member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct StaffMe {
    pub login_name: String,
    /// Whether signing in takes the staff member's security key.
    pub security_key_bound: bool,
}

/// The staff member's password, typed again to bind or unbind a security key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct StaffPassword {
    pub password: String,
}

/// How many sessions were ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct SessionsEnded {
    pub ended: u32,
}
