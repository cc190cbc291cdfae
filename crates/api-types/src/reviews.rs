//! 审核管理 (§3.5) and 申请记录 (§3.6.3).

use serde::{Deserialize, Serialize};
#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::funds::ApplicationLine;
use crate::security::KeyAssertion;

/// One application as the review pages list it (我的待审核, 转账审核, 提现审核, 申请记录).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ReviewItem {
    pub id: i64,
    /// 交易订单号: the platform's number for it, 21 digits.
    pub trade_no: String,
    /// `transfer`, `bank_payout`, `withdrawal`, ...
    pub kind: String,
    pub status: String,
    /// 商户订单号 of a single operation, when the merchant gave one.
    pub merchant_order_no: Option<String>,
    /// 商户批次号 of a batch from a file.
    #[serde(default)]
    pub batch_no: Option<String>,
    pub created_at: String,
    pub total_amount: String,
    pub total_fee: String,
    pub total: String,
    pub line_count: u32,
    /// 申请人: who submitted it.
    pub applicant: String,
    /// 收款账户: the payee of a single operation, or the number of payees.
    pub payee: String,
    pub reviewer: Option<String>,
    pub review_remark: Option<String>,
    pub reviewed_at: Option<String>,
    /// Whether the signed-in operator may review it now.
    pub can_review: bool,
    /// Submitted by the signed-in operator (who may withdraw it while it waits).
    pub mine: bool,
    /// 原交易订单号 and 原商户订单号 of a single refund (退款审核, §3.5.3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original_trade_no: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original_merchant_order_no: Option<String>,
}

/// Approve or reject one or more pending applications (§3.5.1.2–3).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ReviewRequest {
    /// The checked rows; at most 100.
    pub application_ids: Vec<i64>,
    /// `approve` (审核通过) or `reject` (审核拒绝).
    pub decision: String,
    /// 备注; required when rejecting.
    #[serde(default)]
    pub remark: Option<String>,
    /// Required to approve.
    #[serde(default)]
    pub payment_password: Option<String>,
    /// The second factor to approve, when no security key is bound.
    #[serde(default)]
    pub sms_code: Option<String>,
    /// The second factor to approve when the operator has bound a security key:
    /// an assertion for a `review` challenge of exactly these applications.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_key: Option<KeyAssertion>,
}

/// What became of one application of a review request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ReviewResult {
    pub id: i64,
    /// The application's status afterwards.
    pub status: String,
    /// Set when this one could not be reviewed, e.g. `application_state` when
    /// someone else reviewed it first.
    pub code: Option<String>,
    pub message: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ReviewOutcome {
    pub results: Vec<ReviewResult>,
}

/// How many applications wait for the signed-in operator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PendingCount {
    pub count: u64,
}

/// 审核设置: how one kind of operation is reviewed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ReviewPolicyView {
    pub kind: String,
    /// `single` (单人操作: an operator holding apply and review completes at once)
    /// or `maker_checker` (多人制单复核: a second operator reviews).
    pub mode: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct SetReviewPolicy {
    /// `single` or `maker_checker`.
    pub mode: String,
    /// Changing who must review money takes the payment password…
    pub payment_password: String,
    /// …and the second factor: the SMS code, or the security key once bound
    /// (an assertion asked for with purpose `policy` and this kind).
    #[serde(default)]
    pub sms_code: Option<String>,
    #[serde(default)]
    pub security_key: Option<crate::KeyAssertion>,
}

/// A review detail page: the application, its lines, and who did what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ReviewDetail {
    pub item: ReviewItem,
    pub remark: String,
    pub lines: Vec<ApplicationLine>,
}
