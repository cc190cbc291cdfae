//! 应用中心 (manual §3.8): the platform's products, the merchant's signing of each
//! (线上服务申请, 签约信息), and the staff's decisions.

use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::SetFeeRule;

/// The fee a signed product costs, per fee product it covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct AppRate {
    /// The fee product (`acquiring_instant`, `batch_transfer`, …).
    pub fee_product: String,
    pub label: String,
    /// 服务费率 as the forms show it: `0.60%`, `0.10% + 1.00/笔，最低 1.00`, or `0`.
    pub rate: String,
}

/// One product of the 应用中心 with the merchant's signing of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct AppView {
    /// `acquiring_instant`, `acquiring_guaranteed`, `qr_collection`, `payroll`, `batch_payments` or `api_access`.
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = "^(acquiring_instant|acquiring_guaranteed|qr_collection|payroll|batch_payments|api_access)$"
        )
    )]
    pub product: String,
    pub name: String,
    pub name_en: String,
    pub summary: String,
    pub summary_en: String,
    /// 操作流程, one step each.
    pub steps: Vec<String>,
    pub steps_en: Vec<String>,
    /// `not_signed`, `applied`, `signed` or `rejected`.
    #[cfg_attr(feature = "openapi", schema(pattern = "^(not_signed|applied|signed|rejected)$"))]
    pub state: String,
    /// The portal page where the product is used.
    pub page: String,
    pub applied_at: Option<String>,
    /// 签约时间.
    pub signed_at: Option<String>,
    /// The applicant's note.
    pub note: Option<String>,
    /// Why staff rejected the application.
    pub reason: Option<String>,
    /// What it costs now (the merchant's fee schedule).
    pub rates: Vec<AppRate>,
}

/// 线上服务申请: asks to sign a product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ApplyForApp {
    /// 申请说明: what the merchant will use it for.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 200, example = "门店收款"))]
    pub note: String,
}

/// A signing application as staff see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct SigningView {
    pub merchant_id: i64,
    pub merchant_email: String,
    pub company_name: String,
    pub product: String,
    pub name: String,
    pub state: String,
    pub note: String,
    pub applied_at: String,
    pub decided_at: Option<String>,
    pub reason: Option<String>,
}

/// Approves a signing with the product's fee rate (required unless the product
/// has no fee of its own, as API access).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ApproveSigning {
    #[serde(default)]
    pub fee: Option<SetFeeRule>,
}

/// Rejects a signing with the reason the merchant will read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RejectSigning {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
    pub reason: String,
}
