//! 服务费: what the platform charges for a fund operation. A merchant has one rule
//! per product; the manual's default is 0.00. A rule is a fixed part plus a rate
//! in basis points (1 bp = 0.01 %), rounded half up to the fen, then held between
//! a minimum and an optional maximum.

use serde::{Deserialize, Serialize};

use crate::money::Money;

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
    fn default_is_free() {
        assert_eq!(FeeRule::FREE.fee(m("12345.67")), Money::ZERO);
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
