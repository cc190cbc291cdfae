//! Who may do what (manual §3.3.3): permissions, the three default roles, and the
//! review policy that decides whether an operation completes at once or waits
//! for a second person.
//!
//! The page permissions are the manual's list (充值, 结算对账单, 联系人, 我的待审核,
//! 提现, 收支明细, 安全中心, 资金总览, 转账, 账户设置, 首页, 交易记录, 操作员, 收支汇总);
//! besides them there is one review permission per kind of operation (the bank
//! seed's 审核 rights) and the operation log (日志查询).

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::application::ApplicationKind;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    Home,
    AccountSettings,
    Contacts,
    Operators,
    SecurityCentre,
    FundsOverview,
    Recharge,
    Transfer,
    Withdrawal,
    AccountStatement,
    SettlementStatements,
    TransactionRecords,
    IncomeSummary,
    MyReviews,
    ReviewTransfer,
    ReviewBankPayout,
    ReviewWithdrawal,
    ReviewRefund,
    ReviewPayroll,
    OperationLog,
}

impl Permission {
    pub const ALL: [Permission; 20] = [
        Permission::Home,
        Permission::AccountSettings,
        Permission::Contacts,
        Permission::Operators,
        Permission::SecurityCentre,
        Permission::FundsOverview,
        Permission::Recharge,
        Permission::Transfer,
        Permission::Withdrawal,
        Permission::AccountStatement,
        Permission::SettlementStatements,
        Permission::TransactionRecords,
        Permission::IncomeSummary,
        Permission::MyReviews,
        Permission::ReviewTransfer,
        Permission::ReviewBankPayout,
        Permission::ReviewWithdrawal,
        Permission::ReviewRefund,
        Permission::ReviewPayroll,
        Permission::OperationLog,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Permission::Home => "home",
            Permission::AccountSettings => "account_settings",
            Permission::Contacts => "contacts",
            Permission::Operators => "operators",
            Permission::SecurityCentre => "security_centre",
            Permission::FundsOverview => "funds_overview",
            Permission::Recharge => "recharge",
            Permission::Transfer => "transfer",
            Permission::Withdrawal => "withdrawal",
            Permission::AccountStatement => "account_statement",
            Permission::SettlementStatements => "settlement_statements",
            Permission::TransactionRecords => "transaction_records",
            Permission::IncomeSummary => "income_summary",
            Permission::MyReviews => "my_reviews",
            Permission::ReviewTransfer => "review_transfer",
            Permission::ReviewBankPayout => "review_bank_payout",
            Permission::ReviewWithdrawal => "review_withdrawal",
            Permission::ReviewRefund => "review_refund",
            Permission::ReviewPayroll => "review_payroll",
            Permission::OperationLog => "operation_log",
        }
    }

    pub fn parse(text: &str) -> Option<Permission> {
        Permission::ALL.into_iter().find(|p| p.as_str() == text)
    }

    /// The manual's name, as the role form shows it.
    pub fn label_zh(self) -> &'static str {
        match self {
            Permission::Home => "首页",
            Permission::AccountSettings => "账户设置",
            Permission::Contacts => "联系人",
            Permission::Operators => "操作员",
            Permission::SecurityCentre => "安全中心",
            Permission::FundsOverview => "资金总览",
            Permission::Recharge => "充值",
            Permission::Transfer => "转账",
            Permission::Withdrawal => "提现",
            Permission::AccountStatement => "收支明细",
            Permission::SettlementStatements => "结算对账单",
            Permission::TransactionRecords => "交易记录",
            Permission::IncomeSummary => "收支汇总",
            Permission::MyReviews => "我的待审核",
            Permission::ReviewTransfer => "转账审核",
            Permission::ReviewBankPayout => "转账到银行账户审核",
            Permission::ReviewWithdrawal => "提现审核",
            Permission::ReviewRefund => "退款审核",
            Permission::ReviewPayroll => "代发工资审核",
            Permission::OperationLog => "日志查询",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Permission::Home => "Home",
            Permission::AccountSettings => "Account settings",
            Permission::Contacts => "Contacts",
            Permission::Operators => "Operators",
            Permission::SecurityCentre => "Security centre",
            Permission::FundsOverview => "Funds overview",
            Permission::Recharge => "Recharge",
            Permission::Transfer => "Transfer",
            Permission::Withdrawal => "Withdrawal",
            Permission::AccountStatement => "Account statement",
            Permission::SettlementStatements => "Settlement statements",
            Permission::TransactionRecords => "Transaction records",
            Permission::IncomeSummary => "Income and expense summary",
            Permission::MyReviews => "My pending reviews",
            Permission::ReviewTransfer => "Review transfers",
            Permission::ReviewBankPayout => "Review bank payouts",
            Permission::ReviewWithdrawal => "Review withdrawals",
            Permission::ReviewRefund => "Review refunds",
            Permission::ReviewPayroll => "Review payroll",
            Permission::OperationLog => "Operation log",
        }
    }

    /// Whether this is a review right (审核) rather than a page or an operation.
    pub fn is_review(self) -> bool {
        matches!(
            self,
            Permission::ReviewTransfer
                | Permission::ReviewBankPayout
                | Permission::ReviewWithdrawal
                | Permission::ReviewRefund
                | Permission::ReviewPayroll
        )
    }
}

/// A set of permissions.
pub type Permissions = BTreeSet<Permission>;

/// The three roles every merchant has (§3.3.3.1). The admin's permissions can't
/// be changed; the other two are defaults a merchant may copy into custom roles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BuiltinRole {
    /// 管理: every permission.
    Admin,
    /// 申请: moves money, which then waits for review.
    Applicant,
    /// 审核: reviews what applicants submit.
    Auditor,
}

impl BuiltinRole {
    pub const ALL: [BuiltinRole; 3] = [BuiltinRole::Admin, BuiltinRole::Applicant, BuiltinRole::Auditor];

    pub fn as_str(self) -> &'static str {
        match self {
            BuiltinRole::Admin => "admin",
            BuiltinRole::Applicant => "applicant",
            BuiltinRole::Auditor => "auditor",
        }
    }

    pub fn parse(text: &str) -> Option<BuiltinRole> {
        BuiltinRole::ALL.into_iter().find(|r| r.as_str() == text)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            BuiltinRole::Admin => "管理",
            BuiltinRole::Applicant => "申请",
            BuiltinRole::Auditor => "审核",
        }
    }

    pub fn permissions(self) -> Permissions {
        use Permission as P;
        let viewing = [
            P::Home,
            P::SecurityCentre,
            P::FundsOverview,
            P::AccountStatement,
            P::SettlementStatements,
            P::TransactionRecords,
            P::IncomeSummary,
        ];
        match self {
            BuiltinRole::Admin => Permission::ALL.into_iter().collect(),
            BuiltinRole::Applicant => {
                viewing.into_iter().chain([P::Contacts, P::Recharge, P::Transfer, P::Withdrawal]).collect()
            }
            BuiltinRole::Auditor => viewing
                .into_iter()
                .chain([
                    P::MyReviews,
                    P::ReviewTransfer,
                    P::ReviewBankPayout,
                    P::ReviewWithdrawal,
                    P::ReviewRefund,
                    P::ReviewPayroll,
                ])
                .collect(),
        }
    }
}

/// The permission that lets an operator submit an application of `kind`.
pub fn apply_permission(kind: ApplicationKind) -> Permission {
    match kind {
        ApplicationKind::Withdrawal => Permission::Withdrawal,
        // Refunds and payroll are operations on the transaction and transfer pages.
        ApplicationKind::Refund | ApplicationKind::BatchRefund => Permission::TransactionRecords,
        ApplicationKind::Transfer
        | ApplicationKind::BankPayout
        | ApplicationKind::BatchTransfer
        | ApplicationKind::BatchBankPayout
        | ApplicationKind::Payroll => Permission::Transfer,
    }
}

/// The permission that lets an operator review an application of `kind`.
pub fn review_permission(kind: ApplicationKind) -> Permission {
    match kind {
        ApplicationKind::Transfer | ApplicationKind::BatchTransfer => Permission::ReviewTransfer,
        ApplicationKind::BankPayout | ApplicationKind::BatchBankPayout => Permission::ReviewBankPayout,
        ApplicationKind::Withdrawal => Permission::ReviewWithdrawal,
        ApplicationKind::Refund | ApplicationKind::BatchRefund => Permission::ReviewRefund,
        ApplicationKind::Payroll => Permission::ReviewPayroll,
    }
}

/// How a merchant wants one kind of operation reviewed (the bank seed's 单人操作 /
/// 多人制单复核).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewMode {
    /// 单人操作: an operator holding both the apply and the review permission
    /// completes the operation at once with the stronger factor.
    Single,
    /// 多人制单复核: a second operator reviews; nobody reviews their own.
    MakerChecker,
}

impl TryFrom<String> for ReviewMode {
    type Error = crate::application::UnknownName;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        ReviewMode::parse(&value).ok_or(crate::application::UnknownName { what: "review mode", value })
    }
}

impl ReviewMode {
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewMode::Single => "single",
            ReviewMode::MakerChecker => "maker_checker",
        }
    }

    pub fn parse(text: &str) -> Option<ReviewMode> {
        [ReviewMode::Single, ReviewMode::MakerChecker].into_iter().find(|m| m.as_str() == text)
    }

    /// The default: a second person for bank payouts and every batch.
    /// (The migration that recorded each application's mode repeats this.)
    pub fn default_for(kind: ApplicationKind) -> ReviewMode {
        if kind == ApplicationKind::BankPayout || kind.is_batch() {
            ReviewMode::MakerChecker
        } else {
            ReviewMode::Single
        }
    }
}

/// What happens when an operator holding `held` submits an application of `kind`
/// under `mode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Submission {
    /// The operator may not submit it.
    Refused,
    /// It waits, money held, for a reviewer.
    Waits,
    /// It completes at once; the stronger factor is required.
    CompletesNow,
}

pub fn on_submit(held: &Permissions, kind: ApplicationKind, mode: ReviewMode) -> Submission {
    if !held.contains(&apply_permission(kind)) {
        Submission::Refused
    } else if mode == ReviewMode::Single && held.contains(&review_permission(kind)) {
        Submission::CompletesNow
    } else {
        Submission::Waits
    }
}

/// Why an operator may not review an application.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewRefusal {
    /// The operator lacks the review permission for this kind.
    NoPermission,
    /// Under maker-checker, the applicant can't review their own application.
    OwnApplication,
}

pub fn may_review(
    held: &Permissions,
    kind: ApplicationKind,
    mode: ReviewMode,
    reviewer: i64,
    applicant: i64,
) -> Result<(), ReviewRefusal> {
    if !held.contains(&review_permission(kind)) {
        Err(ReviewRefusal::NoPermission)
    } else if mode == ReviewMode::MakerChecker && reviewer == applicant {
        Err(ReviewRefusal::OwnApplication)
    } else {
        Ok(())
    }
}

/// Granting: an operator may give a role only permissions they hold themselves.
/// Returns the permissions in `wanted` that `granter` lacks.
pub fn not_grantable(granter: &Permissions, wanted: &Permissions) -> Permissions {
    wanted.difference(granter).copied().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn names_round_trip() {
        for p in Permission::ALL {
            assert_eq!(Permission::parse(p.as_str()), Some(p));
        }
        for r in BuiltinRole::ALL {
            assert_eq!(BuiltinRole::parse(r.as_str()), Some(r));
        }
        assert_eq!(Permission::parse("everything"), None);
    }

    #[test]
    fn default_roles_split_applying_from_reviewing() {
        let applicant = BuiltinRole::Applicant.permissions();
        let auditor = BuiltinRole::Auditor.permissions();
        for kind in ApplicationKind::ALL {
            assert!(applicant.contains(&apply_permission(kind)));
            assert!(!applicant.contains(&review_permission(kind)));
            assert!(auditor.contains(&review_permission(kind)));
        }
        assert!(!auditor.contains(&Permission::Transfer) && !auditor.contains(&Permission::Withdrawal));
        assert!(!applicant.contains(&Permission::Operators) && !auditor.contains(&Permission::Operators));
        assert_eq!(BuiltinRole::Admin.permissions().len(), Permission::ALL.len());
    }

    #[test]
    fn bank_payouts_and_batches_need_a_second_person_by_default() {
        use ApplicationKind as K;
        assert_eq!(ReviewMode::default_for(K::BankPayout), ReviewMode::MakerChecker);
        assert_eq!(ReviewMode::default_for(K::BatchTransfer), ReviewMode::MakerChecker);
        assert_eq!(ReviewMode::default_for(K::Payroll), ReviewMode::MakerChecker);
        assert_eq!(ReviewMode::default_for(K::Transfer), ReviewMode::Single);
        assert_eq!(ReviewMode::default_for(K::Withdrawal), ReviewMode::Single);
    }

    #[test]
    fn submission_depends_on_permissions_and_policy() {
        use ApplicationKind as K;
        let admin = BuiltinRole::Admin.permissions();
        let applicant = BuiltinRole::Applicant.permissions();
        let auditor = BuiltinRole::Auditor.permissions();
        assert_eq!(on_submit(&admin, K::Transfer, ReviewMode::Single), Submission::CompletesNow);
        assert_eq!(on_submit(&admin, K::BankPayout, ReviewMode::MakerChecker), Submission::Waits);
        assert_eq!(on_submit(&applicant, K::Transfer, ReviewMode::Single), Submission::Waits);
        assert_eq!(on_submit(&auditor, K::Transfer, ReviewMode::Single), Submission::Refused);
    }

    #[test]
    fn nobody_reviews_their_own_under_maker_checker() {
        use ApplicationKind as K;
        let admin = BuiltinRole::Admin.permissions();
        assert_eq!(
            may_review(&admin, K::BankPayout, ReviewMode::MakerChecker, 7, 7),
            Err(ReviewRefusal::OwnApplication)
        );
        assert_eq!(may_review(&admin, K::BankPayout, ReviewMode::MakerChecker, 8, 7), Ok(()));
        assert_eq!(may_review(&admin, K::Transfer, ReviewMode::Single, 7, 7), Ok(()));
        let applicant = BuiltinRole::Applicant.permissions();
        assert_eq!(
            may_review(&applicant, K::Transfer, ReviewMode::Single, 8, 7),
            Err(ReviewRefusal::NoPermission)
        );
    }

    fn any_set() -> impl Strategy<Value = Permissions> {
        proptest::collection::vec(0..Permission::ALL.len(), 0..Permission::ALL.len())
            .prop_map(|ix| ix.into_iter().map(|i| Permission::ALL[i]).collect())
    }

    proptest! {
        #[test]
        fn a_grant_never_exceeds_the_granter(granter in any_set(), wanted in any_set()) {
            let refused = not_grantable(&granter, &wanted);
            let granted: Permissions = wanted.difference(&refused).copied().collect();
            prop_assert!(granted.is_subset(&granter));
            prop_assert!(refused.is_disjoint(&granter));
        }
    }
}
