//! 资金管理 (§3.4, §4.1.1): recharges, transfers, payouts, withdrawals, fees.

use serde::{Deserialize, Serialize};
#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::security::KeyAssertion;

/// `POST /api/v1/sms-codes`: send a one-time code to the operator's bound phone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct SmsCodeRequest {
    /// What the code is for: `fund_operation` (to the bound phone), `security`
    /// (to the bound phone: changing or unbinding it, the security key), or
    /// `new_phone` (to `phone`, the one being bound).
    pub purpose: String,
    /// For `new_phone`: the phone to bind.
    #[serde(default)]
    pub phone: Option<String>,
}

/// The code is on its way.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct SmsCodeSent {
    /// The phone it went to, masked.
    pub phone: String,
    /// Seconds before another code may be asked for.
    pub resend_after: u32,
    /// Seconds the code stays valid.
    pub expires_in: u32,
}

/// Who a platform account belongs to, shown before money goes there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Payee {
    pub account: String,
    /// The company name, partly masked (上海**贸易有限公司).
    pub name: String,
}

/// One payee of a transfer to platform accounts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct TransferLine {
    /// The payee's platform account (their registration e-mail).
    pub payee: String,
    #[cfg_attr(feature = "openapi", schema(example = "100.00"))]
    pub amount: String,
    #[serde(default)]
    pub remark: Option<String>,
    /// 短信通知联系人: a phone to tell the payee by SMS.
    #[serde(default)]
    pub notify_phone: Option<String>,
    /// 商户订单号: your own reference, at most 32 letters and digits, unique across
    /// all your operations; a number used before is refused with 409 `merchant_order_no_taken`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merchant_order_no: Option<String>,
}

/// 转账到快捷通账户 (§3.4.2.1–2): one to five payees.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct TransferRequest {
    pub lines: Vec<TransferLine>,
    #[serde(default)]
    pub remark: Option<String>,
    pub payment_password: String,
    /// Needed when the operator may also review: then the transfer completes at once.
    #[serde(default)]
    pub sms_code: Option<String>,
    /// Instead of the SMS code when the operator has bound a security key: an
    /// assertion for a `submit` challenge of this kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_key: Option<KeyAssertion>,
}

/// One line of an application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ApplicationLine {
    pub line_no: u32,
    /// 交易订单号 of the line, 21 digits.
    pub trade_no: String,
    pub payee_account: String,
    pub payee_name: String,
    pub amount: String,
    pub fee: String,
    pub remark: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merchant_order_no: Option<String>,
    /// `pending`, `processing`, `succeeded`, `failed` or `returned`.
    #[serde(default)]
    pub status: String,
    /// Why the line failed or came back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure_reason: Option<String>,
}

/// A fund operation and where it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Application {
    pub id: i64,
    /// 交易订单号: the platform's number for it, 21 digits.
    pub trade_no: String,
    /// `transfer`, `bank_payout`, `withdrawal`, ...
    pub kind: String,
    /// `pending_review`, `approved`, `processing`, `succeeded`, `failed`, `rejected`, `cancelled`, ...
    pub status: String,
    pub total_amount: String,
    pub total_fee: String,
    /// Amount plus fee: what leaves the balance.
    pub total: String,
    pub line_count: u32,
    pub remark: String,
    pub created_at: String,
    pub lines: Vec<ApplicationLine>,
    /// 商户批次号, for a batch from a file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub batch_no: Option<String>,
    /// Lines paid, and their amount.
    #[serde(default)]
    pub succeeded_count: u32,
    #[serde(default)]
    pub succeeded_amount: String,
    /// Lines not paid or come back (退票), and their amount (given back).
    #[serde(default)]
    pub failed_count: u32,
    #[serde(default)]
    pub failed_amount: String,
}

/// A bank to recharge from, with its online-banking limits (manual §3.4.1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RechargeBank {
    pub code: String,
    pub name: String,
    /// 单笔限额.
    pub single_limit: String,
    /// 每日限额.
    pub daily_limit: String,
    /// 需要满足的条件, in Chinese and English.
    pub condition_zh: String,
    pub condition_en: String,
}

/// 充值: the amount typed twice and the bank.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RechargeRequest {
    #[cfg_attr(feature = "openapi", schema(example = "1000.00"))]
    pub amount: String,
    pub amount_confirm: String,
    /// A bank code from `GET /api/v1/recharge-banks`.
    pub bank: String,
}

/// A recharge order and where to pay it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Recharge {
    pub order_no: String,
    pub amount: String,
    pub bank: String,
    pub bank_name: String,
    /// `pending` until the bank's notification arrives, then `paid` or `cancelled`.
    pub status: String,
    /// The bank's online-banking page for this order.
    pub pay_url: String,
    pub created_at: String,
}

/// 提现 (manual §4.1.1): to one of the merchant's own bank cards.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct WithdrawalRequest {
    /// One of `GET /api/v1/bank-cards`.
    pub card_id: i64,
    #[cfg_attr(feature = "openapi", schema(example = "20.00"))]
    pub amount: String,
    /// `standard` (普通提现, T+1) or `fast` (快速提现, within 2 hours).
    pub speed: String,
    /// 商户订单号: your own reference, at most 32 letters and digits, unique across
    /// all your operations; a number used before is refused with 409 `merchant_order_no_taken`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merchant_order_no: Option<String>,
    pub payment_password: String,
    /// Needed when the operator may also review: then the withdrawal goes out at once.
    #[serde(default)]
    pub sms_code: Option<String>,
    /// Instead of the SMS code when the operator has bound a security key: an
    /// assertion for a `submit` challenge of this kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_key: Option<KeyAssertion>,
}

/// 转账到银行账户 (manual §3.4.2.3): one payout to a personal or corporate account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct BankTransferRequest {
    /// Pay a saved bank contact (`GET /api/v1/contacts?kind=bank`): its type, name,
    /// bank, branch and account number are used and the five fields below may be
    /// left out. The full number never has to travel back to the browser.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_id: Option<i64>,
    /// `personal` (对私) or `corporate` (对公).
    #[serde(default)]
    pub account_type: String,
    /// The account holder's name.
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub bank: String,
    /// 联行号 from `GET /api/v1/branches`.
    #[serde(default)]
    pub branch_code: String,
    #[serde(default)]
    pub account_number: String,
    #[serde(default)]
    pub account_number_confirm: String,
    #[cfg_attr(feature = "openapi", schema(example = "50.00"))]
    pub amount: String,
    #[serde(default)]
    pub remark: Option<String>,
    /// The payout agreement must be accepted.
    pub agreement_accepted: bool,
    /// 商户订单号: your own reference, at most 32 letters and digits, unique across
    /// all your operations; a number used before is refused with 409 `merchant_order_no_taken`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merchant_order_no: Option<String>,

    pub payment_password: String,
    #[serde(default)]
    pub sms_code: Option<String>,
    /// Instead of the SMS code when the operator has bound a security key: an
    /// assertion for a `submit` challenge of this kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_key: Option<KeyAssertion>,
}

/// One product's fee rule: `fixed + amount × rate_bp / 10000`, rounded half up to
/// the fen, then held between `min` and `max`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct FeeRuleView {
    /// `transfer`, `bank_payout`, `withdrawal_standard` or `withdrawal_fast`.
    pub product: String,
    /// The manual's name of the product.
    pub label: String,
    #[cfg_attr(feature = "openapi", schema(example = "0.00"))]
    pub fixed: String,
    /// Basis points of the amount (10 = 0.10 %).
    pub rate_bp: u32,
    pub min: String,
    /// No maximum when absent.
    pub max: Option<String>,
}

/// 服务费: the merchant's fee schedule, one rule per product (0.00 unless agreed otherwise).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct FeeSchedule {
    pub items: Vec<FeeRuleView>,
}
