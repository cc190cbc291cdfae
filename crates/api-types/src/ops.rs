//! The staff console (/ops).

use serde::{Deserialize, Serialize};
#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::kyb::Kyb;

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

/// An operator's secret frozen by the lockout rule: the sign-in password
/// (`operator_sign_in`) or the payment password (`payment_password`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct FrozenLogin {
    pub operator_id: i64,
    /// `operator_sign_in` or `payment_password`.
    pub kind: String,
    pub merchant_email: String,
    pub company_name: String,
    pub operator: String,
    pub frozen_until: String,
}

/// A verification application as staff review it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct KybReview {
    pub merchant: MerchantSummary,
    pub kyb: Kyb,
}

/// Staff's reason for sending verification back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RejectKyb {
    pub reason: String,
}

/// Staff set one product's fee rule for a merchant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct SetFeeRule {
    #[cfg_attr(feature = "openapi", schema(example = "1.00"))]
    pub fixed: String,
    pub rate_bp: u32,
    pub min: String,
    #[serde(default)]
    pub max: Option<String>,
}
