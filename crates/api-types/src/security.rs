//! 安全中心 (§3.7): the security key (快捷盾).

use serde::{Deserialize, Serialize};
#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// 快捷盾 of the signed-in operator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct SecurityKeyStatus {
    pub bound: bool,
    pub bound_at: Option<String>,
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
    /// `review` or `submit`.
    pub purpose: String,
    #[serde(default)]
    pub application_ids: Vec<i64>,
    /// For `review`: `approve` or `reject`.
    #[serde(default)]
    pub decision: Option<String>,
    /// For `submit`: `transfer`, `bank_payout`, `withdrawal`, ...
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
