//! 服务费: what the platform charges for a fund operation. A merchant has one rule
//! per product; the manual's default is 0.00. A rule is a fixed part plus a rate
//! in basis points (1 bp = 0.01 %), rounded half up to the fen, then held between
//! a minimum and an optional maximum.

use serde::{Deserialize, Serialize};

use crate::money::Money;

/// What a fee is charged for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Product {
    /// 转账到快捷通账户: to another platform account.
    Transfer,
    /// 转账到银行账户: paid out to someone's bank account.
    BankPayout,
    /// 普通提现 (T+1) to the merchant's own card.
    WithdrawalStandard,
    /// 快速提现 (2 hours).
    WithdrawalFast,
    /// 批量转账到快捷通账户, per line.
    BatchTransfer,
    /// 批量转账到银行账户, per line.
    BatchBankPayout,
    /// 代发工资, per line.
    Payroll,
    /// 即时到账收单: a gateway trade paid straight to the merchant.
    AcquiringInstant,
    /// 担保收单: a guaranteed trade, held until the buyer confirms receipt.
    AcquiringGuaranteed,
    /// 二维码收款: a payment through one of the merchant's QR codes.
    QrCollection,
}

impl Product {
    pub const ALL: [Product; 10] = [
        Product::Transfer,
        Product::BankPayout,
        Product::WithdrawalStandard,
        Product::WithdrawalFast,
        Product::BatchTransfer,
        Product::BatchBankPayout,
        Product::Payroll,
        Product::AcquiringInstant,
        Product::AcquiringGuaranteed,
        Product::QrCollection,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Product::Transfer => "transfer",
            Product::BankPayout => "bank_payout",
            Product::WithdrawalStandard => "withdrawal_standard",
            Product::WithdrawalFast => "withdrawal_fast",
            Product::BatchTransfer => "batch_transfer",
            Product::BatchBankPayout => "batch_bank_payout",
            Product::Payroll => "payroll",
            Product::AcquiringInstant => "acquiring_instant",
            Product::AcquiringGuaranteed => "acquiring_guaranteed",
            Product::QrCollection => "qr_collection",
        }
    }

    pub fn parse(s: &str) -> Option<Product> {
        Product::ALL.into_iter().find(|p| p.as_str() == s)
    }

    /// The manual's name for it.
    pub fn label_zh(self) -> &'static str {
        match self {
            Product::Transfer => "转账到 Paydesk 账户",
            Product::BankPayout => "转账到银行账户",
            Product::WithdrawalStandard => "普通提现",
            Product::WithdrawalFast => "快速提现",
            Product::BatchTransfer => "批量转账到 Paydesk 账户",
            Product::BatchBankPayout => "批量转账到银行账户",
            Product::Payroll => "代发工资",
            Product::AcquiringInstant => "即时到账收单",
            Product::AcquiringGuaranteed => "担保收单",
            Product::QrCollection => "二维码收款",
        }
    }
}

impl TryFrom<String> for Product {
    type Error = crate::application::UnknownName;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Product::parse(&value).ok_or(crate::application::UnknownName { what: "product", value })
    }
}

/// Why a rule can't be stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleError {
    pub field: &'static str,
    pub code: &'static str,
    pub message: &'static str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct FeeRule {
    pub fixed: Money,
    /// Basis points of the amount: 10 means 0.10 %.
    pub rate_bp: u32,
    pub min: Money,
    pub max: Option<Money>,
}

impl FeeRule {
    /// The manual's default: free.
    pub const FREE: FeeRule = FeeRule { fixed: Money::ZERO, rate_bp: 0, min: Money::ZERO, max: None };

    /// Refuses rules a person could not have meant: a rate of 100 % or more, or a
    /// maximum below the minimum.
    pub fn validate(&self) -> Result<(), RuleError> {
        if self.rate_bp >= 10_000 {
            return Err(RuleError {
                field: "rate_bp",
                code: "rate_too_high",
                message: "the rate must be below 10000 basis points (100 %)",
            });
        }
        if let Some(max) = self.max {
            if max < self.min {
                return Err(RuleError {
                    field: "max",
                    code: "max_below_min",
                    message: "the maximum fee can't be below the minimum",
                });
            }
        }
        Ok(())
    }

    pub fn is_free(&self) -> bool {
        self.fixed.is_zero() && self.rate_bp == 0 && self.min.is_zero()
    }

    /// 服务费率 as a confirm page shows it: `0.10% + 1.00/笔，最低 1.00，最高 50.00`,
    /// or `0` when free (as the manual's page shows).
    pub fn describe(&self) -> String {
        if self.is_free() && self.max.is_none() {
            return "0".into();
        }
        let mut text = format!("{}.{:02}%", self.rate_bp / 100, self.rate_bp % 100);
        if !self.fixed.is_zero() {
            text.push_str(&format!(" + {}/笔", self.fixed));
        }
        if !self.min.is_zero() {
            text.push_str(&format!("，最低 {}", self.min));
        }
        if let Some(max) = self.max {
            text.push_str(&format!("，最高 {max}"));
        }
        text
    }

    /// The fee on `amount`.
    pub fn fee(&self, amount: Money) -> Money {
        let proportional = (i128::from(amount.fen()) * i128::from(self.rate_bp) + 5_000) / 10_000;
        let raw = i128::from(self.fixed.fen()) + proportional;
        let mut fee = raw.max(i128::from(self.min.fen()));
        if let Some(max) = self.max {
            fee = fee.min(i128::from(max.fen()));
        }
        Money::from_fen(i64::try_from(fee).unwrap_or(Money::MAX.fen())).unwrap_or(Money::MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn m(text: &str) -> Money {
        Money::parse(text).unwrap()
    }

    #[test]
    fn a_rule_describes_itself() {
        assert_eq!(FeeRule::FREE.describe(), "0");
        let rule = FeeRule { fixed: m("1.00"), rate_bp: 10, min: m("2.00"), max: Some(m("50.00")) };
        assert_eq!(rule.describe(), "0.10% + 1.00/笔，最低 2.00，最高 50.00");
    }

    #[test]
    fn default_is_free() {
        assert_eq!(FeeRule::FREE.fee(m("12345.67")), Money::ZERO);
        assert!(FeeRule::FREE.is_free());
    }

    #[test]
    fn products_round_trip_their_names() {
        for p in Product::ALL {
            assert_eq!(Product::parse(p.as_str()), Some(p));
        }
        assert_eq!(Product::parse("refund"), None);
    }

    #[test]
    fn nonsense_rules_are_refused() {
        let mut rule = FeeRule { fixed: m("1.00"), rate_bp: 10_000, min: m("0.00"), max: None };
        assert_eq!(rule.validate().unwrap_err().code, "rate_too_high");
        rule.rate_bp = 9_999;
        assert!(rule.validate().is_ok());
        rule.min = m("5.00");
        rule.max = Some(m("4.99"));
        assert_eq!(rule.validate().unwrap_err().code, "max_below_min");
        rule.max = Some(m("5.00"));
        assert!(rule.validate().is_ok());
        assert!(!rule.is_free());
    }

    #[test]
    fn fixed_plus_rate_rounded_half_up_and_clamped() {
        let rule = FeeRule { fixed: m("1.00"), rate_bp: 10, min: m("2.00"), max: Some(m("25.00")) };
        assert_eq!(rule.fee(m("100.00")), m("2.00"), "1.00 + 0.10 is below the minimum");
        assert_eq!(rule.fee(m("5000.00")), m("6.00"));
        assert_eq!(rule.fee(m("5005.00")), m("6.01"), "5.005 rounds half up");
        assert_eq!(rule.fee(m("5004.99")), m("6.00"), "5.00499 rounds down");
        assert_eq!(rule.fee(m("1000000.00")), m("25.00"), "held at the maximum");
    }

    proptest! {
        #[test]
        fn fees_grow_with_the_amount_and_stay_in_bounds(a in 0i64..1_000_000_000_000, b in 0i64..1_000_000_000_000, bp in 0u32..1_000) {
            let rule = FeeRule { fixed: m("0.50"), rate_bp: bp, min: m("1.00"), max: Some(m("500.00")) };
            let (lo, hi) = (a.min(b), a.max(b));
            let (f_lo, f_hi) = (rule.fee(Money::from_fen(lo).unwrap()), rule.fee(Money::from_fen(hi).unwrap()));
            prop_assert!(f_lo <= f_hi);
            prop_assert!(f_lo >= m("1.00") && f_hi <= m("500.00"));
        }
    }
}
