//! 我的账户 (§3.3): home, balances, statement lines, bank cards, contacts.

use serde::{Deserialize, Serialize};
#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// Which security services the merchant has (manual §3.3: 安全服务开通情况).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct SecurityServices {
    pub payment_password_set: bool,
    /// The bound phone, masked (186****3290), if any.
    pub phone: Option<String>,
    /// The bound e-mail, masked (8*****4@qq.com).
    pub email: Option<String>,
    pub security_key_bound: bool,
}

/// One line of the account statement (收支明细).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct StatementLine {
    pub time: String,
    /// Money in, if this line is income.
    pub income: Option<String>,
    /// Money out, if this line is an expense.
    pub expense: Option<String>,
    pub balance_after: String,
    pub remark: String,
}

/// The home page (首页, manual §3.3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Home {
    /// 登录账号: the merchant account and the signed-in operator.
    pub merchant_email: String,
    pub company_name: String,
    pub operator: String,
    pub display_name: String,
    /// The operator's role name (管理, 申请, 审核, or a custom name).
    pub role: String,
    /// 可用余额.
    pub available: String,
    /// 冻结金额.
    pub frozen: String,
    pub kyb_status: String,
    pub security: SecurityServices,
    /// The five newest statement lines.
    pub recent: Vec<StatementLine>,
}

/// The balance at the end of one day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct DailyBalance {
    /// `YYYY-MM-DD` (UTC).
    pub date: String,
    pub balance: String,
}

/// 资金总览: balances and the trend of the last 30 days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct FundsOverview {
    pub available: String,
    pub frozen: String,
    /// 待结算: acquired from buyers, not yet settled.
    pub pending_settlement: String,
    /// One point per day, oldest first, ending today.
    pub trend: Vec<DailyBalance>,
}

/// A bank branch from the directory (开户支行, 联行号).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct BranchInfo {
    pub code: String,
    pub name: String,
    pub province: String,
    pub city: String,
    pub district: String,
}

/// A province and the cities in it where a bank has branches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct BranchPlace {
    pub province: String,
    pub cities: Vec<String>,
}

/// One of the merchant's bank cards; the number is masked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct BankCardView {
    pub id: i64,
    pub bank: String,
    pub bank_name: String,
    pub branch: String,
    pub province: String,
    pub city: String,
    /// `*****1332`.
    pub account: String,
    /// Always the company name.
    pub account_name: String,
    pub created_at: String,
}

/// 添加银行卡: the name is the company's and can't be chosen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct NewBankCard {
    pub bank: String,
    /// 联行号 from `GET /api/v1/branches`.
    pub branch_code: String,
    pub account_number: String,
    pub account_number_confirm: String,
    pub payment_password: String,
}

/// A saved payee (联系人).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ContactView {
    pub id: i64,
    /// `platform` or `bank`.
    pub kind: String,
    pub name: String,
    /// The platform account, or the bank account number masked.
    pub account: String,
    pub account_type: Option<String>,
    pub bank: Option<String>,
    pub bank_name: Option<String>,
    pub branch_code: Option<String>,
    pub branch_name: Option<String>,
    pub phone: Option<String>,
    pub remark: String,
}

/// 添加快捷通账户联系人: the account must exist; its name is filled in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct NewPlatformContact {
    pub account: String,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub remark: Option<String>,
}

/// 添加银行卡联系人.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct NewBankContact {
    /// `personal` or `corporate`.
    pub account_type: String,
    pub name: String,
    pub bank: String,
    pub branch_code: String,
    pub account_number: String,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub remark: Option<String>,
}
