//! Refunds (退款, manual §4.1.2; issue 13): returning a buyer's money for a paid
//! gateway trade, all of it or part, under the merchant's review policy for
//! refunds.

use serde::{Deserialize, Serialize};
#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::security::KeyAssertion;

/// 退款申请: one refund of one trade.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RefundRequest {
    /// 全额退款: everything the trade has left to refund. Else `amount` (部分退款).
    #[serde(default)]
    pub full: bool,
    /// 退款金额, yuan with at most two decimals; at most what is left to refund.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(example = "30.00", pattern = r"^\d{1,10}(\.\d{1,2})?$"))]
    pub amount: Option<String>,
    /// 备注, at most 50 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 50))]
    pub remark: Option<String>,
    /// 退款商户订单号: your own number for the refund, at most 32 letters and
    /// digits, unique across your orders.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 32))]
    pub refund_order_no: Option<String>,
    pub payment_password: String,
    /// Needed when the operator may also review refunds: then it goes to the bank at once.
    #[serde(default)]
    pub sms_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_key: Option<KeyAssertion>,
}

/// One refund (退款记录).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RefundView {
    /// 退款交易号 (21 digits): the refund's line in its application.
    pub refund_no: String,
    /// 原交易订单号.
    pub trade_no: String,
    /// 退款商户订单号, when one was given.
    pub refund_order_no: Option<String>,
    /// 商户批次号 of a batch refund.
    pub batch_no: Option<String>,
    /// The refund application (退款审核 shows it).
    pub application_id: i64,
    pub amount: String,
    /// 退还服务费: the share of the trade's fee that comes back.
    pub fee_back: String,
    /// `pending`, `processing`, `succeeded`, `failed` or `rejected`.
    pub status: String,
    /// 待审核, 退款中, 退款成功, 退款失败, 审核拒绝.
    pub status_zh: String,
    pub remark: String,
    /// Why the bank could not return it.
    pub failure_reason: Option<String>,
    pub created_at: String,
    pub finished_at: Option<String>,
}

/// A refund asked for over the signed gateway. `refund_order_no` is its key:
/// the same number answers the refund made under it (200), never a second one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct GatewayRefundRequest {
    /// The trade to refund, by 交易订单号 …
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(pattern = r"^\d{21}$"))]
    pub trade_no: Option<String>,
    /// … or by its 商户订单号.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 32))]
    pub merchant_order_no: Option<String>,
    /// 退款商户订单号: your number for this refund, at most 32 letters and digits.
    #[cfg_attr(feature = "openapi", schema(max_length = 32, pattern = r"^[A-Za-z0-9]{1,32}$"))]
    pub refund_order_no: String,
    /// Everything the trade has left to refund; else `amount`.
    #[serde(default)]
    pub full: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(example = "30.00", pattern = r"^\d{1,10}(\.\d{1,2})?$"))]
    pub amount: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 50))]
    pub remark: Option<String>,
}

/// One row of 交易记录, whatever the query type; the columns a type has no use
/// for are empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RecordRow {
    pub created_at: String,
    /// 交易订单号 (a refund's 退款交易号, a recharge's order number).
    pub trade_no: String,
    /// 商户订单号 (a refund's 退款商户订单号).
    pub merchant_order_no: Option<String>,
    /// A code of the query type's 交易类型.
    pub trade_type: String,
    pub trade_type_zh: String,
    pub amount: String,
    /// 服务费 (a refund's 退还服务费).
    pub fee: String,
    /// 退款金额: what a gateway trade's refunds hold.
    pub refunded: Option<String>,
    /// A code of the query type's 交易状态.
    pub status: String,
    pub status_zh: String,
    /// A trade's subject, a payee, the bank, a refund's original 交易订单号.
    pub counterparty: String,
    /// Whether 退款 is offered (gateway trades only).
    pub refundable: bool,
}

/// A page of 交易记录. `total` counts at most 1,000 rows (50 pages); `capped` says more match.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RecordPage {
    pub items: Vec<RecordRow>,
    pub page: u32,
    pub per_page: u32,
    pub total: i64,
    pub capped: bool,
    /// The range the page covers (the default is the last 31 days).
    pub from: String,
    pub to: String,
}

/// A gateway trade's detail page: 订单信息 and 退款记录.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct TradeDetail {
    pub trade: crate::gateway::TradeView,
    /// 交易类型: 即时到账收单交易 or 担保收单交易.
    pub trade_type_zh: String,
    /// 实际金额: the amount less what refunds hold, less the fee on the rest.
    pub kept: String,
    /// What is left to refund.
    pub refundable_amount: String,
    /// 退款记录, oldest first (empty: 无退款信息).
    pub refunds: Vec<RefundView>,
}
