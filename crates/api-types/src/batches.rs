//! Batch files (批量文件, manual §3.4.2.2.2, §3.4.2.4, §4.1.3, §3.3.2.2.2):
//! templates, the check of an uploaded file, and submitting a checked one.

use serde::{Deserialize, Serialize};
#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::security::KeyAssertion;

/// One column of a template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct BatchColumn {
    pub header: String,
    /// Shaded blue in the template.
    pub required: bool,
}

/// A batch template: what 下载模板 gives and the date shown beside it (模板更新于).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct BatchTemplate {
    /// `platform_transfer`, `bank_transfer`, `payroll` or `bank_contacts`.
    pub kind: String,
    pub title: String,
    /// The template's date; files made from an older one are refused.
    pub version: String,
    pub columns: Vec<BatchColumn>,
    pub max_rows: u32,
    /// 填写模板须知.
    pub notice: String,
}

/// A problem in an uploaded batch file: where and what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct BatchProblem {
    /// The sheet's row (1 is the first); 0 for the file as a whole.
    pub row: u32,
    /// The column's header; empty for a whole row or the file.
    pub column: String,
    pub code: String,
    pub message: String,
}

/// One row of a checked file, as the confirm page lists it (序号, 收款人信息, 金额,
/// 服务费, 备注).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct BatchLine {
    pub line_no: u32,
    pub payee_name: String,
    /// The platform account, or the bank account masked, with the bank.
    pub payee_account: String,
    pub amount: String,
    pub fee: String,
    pub remark: String,
    pub merchant_order_no: String,
}

/// A bank contact a contact file would add.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct BatchContact {
    pub line_no: u32,
    pub name: String,
    /// Masked.
    pub account: String,
    pub bank_name: String,
    pub branch_name: String,
    /// `personal` or `corporate`.
    pub account_type: String,
    pub remark: String,
}

/// The check of an uploaded batch file. With problems, nothing is kept to
/// submit: fix the file (the copy with a problems column helps) and upload it
/// again. Without, `file_id` submits it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct BatchCheck {
    pub kind: String,
    /// The kept file, for `POST /api/v1/batches` (or the contact import).
    pub file_id: Option<String>,
    /// 商户批次号.
    pub batch_no: Option<String>,
    /// 转账笔数.
    pub line_count: u32,
    /// 转账金额.
    pub total_amount: String,
    /// 服务费.
    pub total_fee: String,
    /// 总金额: amount plus fees, what leaves the balance.
    pub total: String,
    /// 服务费率, as the merchant's fee rule reads.
    pub fee_rule: String,
    /// 原始订单服务费 of a refund batch: the acquiring fees of the trades it refunds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original_fee: Option<String>,
    pub lines: Vec<BatchLine>,
    pub contacts: Vec<BatchContact>,
    pub problems: Vec<BatchProblem>,
    /// The file again with a 问题 column, at `GET /api/v1/batches/files/{id}`.
    pub problems_file_id: Option<String>,
}

/// Submit a checked batch file: the payment password, and the second factor
/// when the operator's submission completes at once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct BatchSubmit {
    pub kind: String,
    pub file_id: String,
    pub payment_password: String,
    #[serde(default)]
    pub sms_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_key: Option<KeyAssertion>,
}

/// Add the contacts of a checked contact file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ContactImport {
    pub file_id: String,
}

/// How many contacts an import added.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ContactsImported {
    pub added: u32,
}
