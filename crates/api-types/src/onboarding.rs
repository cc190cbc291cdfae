//! Opening an account (manual §2.1): captcha, e-mail link, company and passwords.

use serde::{Deserialize, Serialize};
#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// `POST /api/v1/captchas`: a picture to type back, valid for a few minutes, once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Captcha {
    pub id: String,
    /// An SVG picture of the characters to type.
    pub image_svg: String,
    pub expires_in: u32,
    /// Development mode only: the answer, shown beside the picture.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dev_answer: Option<String>,
}

/// Step 1 of registration (§2.1): an e-mail, the captcha, and the service agreement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RegistrationRequest {
    #[cfg_attr(feature = "openapi", schema(example = "finance@example.com"))]
    pub email: String,
    pub captcha_id: String,
    pub captcha_answer: String,
    /// 我已阅读并同意《服务协议》 must be ticked.
    pub agreement_accepted: bool,
}

/// `POST /api/v1/registrations/resend`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ResendRequest {
    pub email: String,
}

/// The link is on its way.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RegistrationSent {
    pub email: String,
    /// Seconds before another link may be requested.
    pub resend_after: u32,
}

/// What a registration link is for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RegistrationLink {
    pub email: String,
}

/// Step 2 of registration: the company and its two passwords.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CompleteRegistration {
    #[cfg_attr(feature = "openapi", schema(example = "上海示例贸易有限公司"))]
    pub company_name: String,
    /// 6–32 letters, digits and symbols, no spaces, at least two kinds.
    pub login_password: String,
    /// Same rule; must differ from the login password.
    pub payment_password: String,
}

/// A merchant that now exists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Registered {
    pub email: String,
    pub company_name: String,
    /// The admin operator's login name: the e-mail itself.
    pub operator: String,
}
