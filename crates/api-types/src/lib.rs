//! The JSON the Paydesk API speaks, shared by the server and the SPA so that the
//! two can't disagree. Amounts travel as strings with two decimals (`"1024.50"`).

use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// `GET /api/v1/health`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Health {
    /// `ok` when the database answers and every migration is applied, `migrating` otherwise.
    #[cfg_attr(feature = "openapi", schema(example = "ok"))]
    pub status: String,
    /// The server's version.
    #[cfg_attr(feature = "openapi", schema(example = "0.1.0"))]
    pub version: String,
    /// `sqlite` or `postgres`.
    #[cfg_attr(feature = "openapi", schema(example = "sqlite"))]
    pub database: String,
    pub migrations: Migrations,
}

/// Which schema migrations the database has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Migrations {
    pub applied: u32,
    pub pending: u32,
    /// Version of the newest applied migration.
    pub latest: Option<String>,
}

/// `POST /api/v1/amounts/preview`: an amount as a person typed it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct AmountPreviewRequest {
    /// Digits with an optional point and at most two decimals; no sign, no separators.
    #[cfg_attr(feature = "openapi", schema(example = "1024.5"))]
    pub amount: String,
}

/// The canonical form of an amount and how it is written in Chinese capitals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct AmountPreview {
    #[cfg_attr(feature = "openapi", schema(example = "1024.50"))]
    pub amount: String,
    #[cfg_attr(feature = "openapi", schema(example = 102450))]
    pub fen: i64,
    /// 大写, e.g. 壹仟零贰拾肆元伍角整.
    #[cfg_attr(feature = "openapi", schema(example = "壹仟零贰拾肆元伍角整"))]
    pub in_words: String,
}

/// An error, as `application/problem+json` (RFC 9457). `code` is stable and meant
/// for programs; `title` and `detail` are for people and may change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Problem {
    /// A URI naming the problem type: `/problems/{code}`.
    #[serde(rename = "type")]
    pub type_uri: String,
    pub title: String,
    pub status: u16,
    #[cfg_attr(feature = "openapi", schema(example = "validation_failed"))]
    pub code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Per-field problems of a request body (validation errors).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

/// One field's problem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct FieldError {
    /// The field, as a JSON pointer-like path: `amount`, `lines[2].amount`.
    pub field: String,
    #[cfg_attr(feature = "openapi", schema(example = "amount_too_many_decimals"))]
    pub code: String,
    pub message: String,
}

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
    pub role: String,
    /// draft | submitted | rejected | awaiting_deposit | verified
    pub kyb_status: String,
}

/// The signed-in staff member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct StaffMe {
    pub login_name: String,
}

/// How many sessions were ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct SessionsEnded {
    pub ended: u32,
}

/// A message in the development outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct OutboxMessage {
    pub id: i64,
    /// `email` or `sms`.
    pub channel: String,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    /// `kept` (outbox only), `sent`, or `failed`.
    pub status: String,
    pub created_at: String,
}

/// A page of a list: 20 rows per page unless asked otherwise, as in the manual.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Page<T> {
    pub items: Vec<T>,
    pub page: u32,
    pub per_page: u32,
    pub total: u64,
}

/// A merchant as the staff console lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct MerchantSummary {
    pub id: i64,
    pub email: String,
    pub company_name: String,
    pub kyb_status: String,
    pub created_at: String,
}

/// An operator login frozen by the lockout rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct FrozenLogin {
    pub operator_id: i64,
    pub merchant_email: String,
    pub company_name: String,
    pub operator: String,
    pub frozen_until: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The wire shape of an error is a contract with integrators.
    #[test]
    fn problem_json_shape_is_pinned() {
        let p = Problem {
            type_uri: "/problems/validation_failed".into(),
            title: "The request has invalid fields".into(),
            status: 422,
            code: "validation_failed".into(),
            detail: None,
            errors: vec![FieldError {
                field: "amount".into(),
                code: "amount_signed".into(),
                message: "an amount has no sign".into(),
            }],
        };
        assert_eq!(
            serde_json::to_value(&p).unwrap(),
            serde_json::json!({
                "type": "/problems/validation_failed",
                "title": "The request has invalid fields",
                "status": 422,
                "code": "validation_failed",
                "errors": [{"field": "amount", "code": "amount_signed", "message": "an amount has no sign"}]
            })
        );
    }
}
