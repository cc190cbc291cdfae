//! 操作员 (§3.3.3) and 日志查询.

use serde::{Deserialize, Serialize};
#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// A permission a role can hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PermissionInfo {
    pub name: String,
    pub label_zh: String,
    pub label_en: String,
    /// A review right (审核) rather than a page.
    pub review: bool,
}

/// 角色: a built-in role (管理, 申请, 审核) or a custom one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RoleView {
    pub id: i64,
    pub name: String,
    pub description: String,
    /// `admin`, `applicant` or `auditor` for the built-in roles.
    pub builtin: Option<String>,
    pub permissions: Vec<String>,
    /// Operators (not deleted) in this role.
    pub holders: u32,
}

/// Add or change a custom role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RoleRequest {
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    /// Permission names; each must be one the signed-in operator holds.
    pub permissions: Vec<String>,
}

/// 操作员 as the member list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct OperatorView {
    pub id: i64,
    pub login_name: String,
    pub display_name: String,
    /// Masked.
    pub phone: Option<String>,
    pub role_id: i64,
    pub role_name: String,
    /// `active` or `disabled`.
    pub status: String,
    pub created_at: String,
    /// The signed-in operator.
    pub is_me: bool,
}

/// 添加成员.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct NewOperatorRequest {
    /// 4–32 letters, digits, `_ . @ -`; unique within the merchant.
    pub login_name: String,
    pub display_name: String,
    /// The first login password (§3.7.1); the operator changes it at first
    /// sign-in. The operator binds a phone in the security centre, with a code
    /// sent to it: 成员管理 sets no phones.
    pub password: String,
    pub role_id: i64,
}

/// 修改成员.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct UpdateOperatorRequest {
    pub display_name: String,
    pub role_id: i64,
    /// A new login password, when it is being reset: the operator's sessions
    /// end and they change it at their next sign-in.
    #[serde(default)]
    pub password: Option<String>,
}

/// The payment password that opens the operator pages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct UnlockRequest {
    pub payment_password: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Unlocked {
    /// Until when the operator pages stay open for this session (RFC 3339).
    pub until: String,
}

/// One row of the operation log (日志查询).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct OperationLogEntry {
    pub id: i64,
    /// Who: `显示名 (login)`, or empty for requests without a session.
    pub operator: String,
    /// What: method and route, e.g. `POST /api/v1/transfers`.
    pub action: String,
    /// The path with its parameters.
    pub target: String,
    /// The answer's HTTP status.
    pub status: u16,
    pub ip: String,
    pub at: String,
}
