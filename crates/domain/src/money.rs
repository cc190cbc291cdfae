//! Amounts of CNY held as a whole number of fen (1 yuan = 100 fen).
//!
//! The API carries amounts as decimal strings (`"1024.50"`); [`Money::parse`] is the
//! only way in from text, and it refuses anything a person could misread: a sign,
//! more than two decimals, exponents, separators, blanks, or a value too large to
//! hold. No floating point is involved anywhere.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A non-negative amount of money in fen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Money(i64);

/// Why a piece of text is not an amount.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("the amount is empty")]
    Empty,
    #[error("an amount has no sign")]
    Signed,
    #[error("an amount is digits with an optional point and at most two decimals")]
    Malformed,
    #[error("an amount has at most two decimals")]
    TooManyDecimals,
    #[error("the amount is too large")]
    Overflow,
}

impl MoneyError {
    /// Stable machine-readable code used in API errors.
    pub fn code(&self) -> &'static str {
        match self {
            MoneyError::Empty => "amount_required",
            MoneyError::Signed => "amount_signed",
            MoneyError::Malformed => "amount_malformed",
            MoneyError::TooManyDecimals => "amount_too_many_decimals",
            MoneyError::Overflow => "amount_too_large",
        }
    }
}

impl Money {
    pub const ZERO: Money = Money(0);
    /// The largest amount the platform accepts: 10^15 fen, ten trillion yuan. Far
    /// above any real payment and far below `i64::MAX`, so sums of a few thousand
    /// amounts can't overflow.
    pub const MAX: Money = Money(1_000_000_000_000_000);

    /// An amount from fen; `None` when negative or above [`Money::MAX`].
    pub fn from_fen(fen: i64) -> Option<Money> {
        (0..=Self::MAX.0).contains(&fen).then_some(Money(fen))
    }

    pub fn fen(self) -> i64 {
        self.0
    }

    pub fn is_zero(self) -> bool {
        self.0 == 0
    }

    /// Parses `"12"`, `"12.3"` or `"12.30"`.
    pub fn parse(text: &str) -> Result<Money, MoneyError> {
        if text.is_empty() {
            return Err(MoneyError::Empty);
        }
        if text.starts_with(['-', '+']) {
            return Err(MoneyError::Signed);
        }
        let (whole, frac) = match text.split_once('.') {
            Some((w, f)) => (w, Some(f)),
            None => (text, None),
        };
        if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) {
            return Err(MoneyError::Malformed);
        }
        let frac_fen: i64 = match frac {
            None => 0,
            Some(f) if f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit()) => {
                return Err(MoneyError::Malformed)
            }
            Some(f) if f.len() > 2 => return Err(MoneyError::TooManyDecimals),
            Some(f) => {
                let digits: i64 = f.bytes().fold(0, |acc, b| acc * 10 + i64::from(b - b'0'));
                if f.len() == 1 {
                    digits * 10
                } else {
                    digits
                }
            }
        };
        let trimmed = whole.trim_start_matches('0');
        // 19 digits can overflow i64; anything that long is above MAX anyway.
        if trimmed.len() > 18 {
            return Err(MoneyError::Overflow);
        }
        let yuan: i64 = trimmed.bytes().fold(0, |acc, b| acc * 10 + i64::from(b - b'0'));
        yuan.checked_mul(100)
            .and_then(|f| f.checked_add(frac_fen))
            .and_then(Money::from_fen)
            .ok_or(MoneyError::Overflow)
    }

    pub fn checked_add(self, other: Money) -> Option<Money> {
        self.0.checked_add(other.0).and_then(Money::from_fen)
    }

    pub fn checked_sub(self, other: Money) -> Option<Money> {
        self.0.checked_sub(other.0).and_then(Money::from_fen)
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:02}", self.0 / 100, self.0 % 100)
    }
}

impl FromStr for Money {
    type Err = MoneyError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Money::parse(s)
    }
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Money::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_the_forms_people_type() {
        assert_eq!(Money::parse("0").map(Money::fen), Ok(0));
        assert_eq!(Money::parse("12").map(Money::fen), Ok(1200));
        assert_eq!(Money::parse("12.3").map(Money::fen), Ok(1230));
        assert_eq!(Money::parse("12.30").map(Money::fen), Ok(1230));
        assert_eq!(Money::parse("0.01").map(Money::fen), Ok(1));
        assert_eq!(Money::parse("007.05").map(Money::fen), Ok(705));
        assert_eq!(Money::parse("1024.50").map(|m| m.to_string()), Ok("1024.50".into()));
    }

    #[test]
    fn refuses_what_could_be_misread() {
        assert_eq!(Money::parse(""), Err(MoneyError::Empty));
        assert_eq!(Money::parse("-1"), Err(MoneyError::Signed));
        assert_eq!(Money::parse("+1"), Err(MoneyError::Signed));
        assert_eq!(Money::parse("1.234"), Err(MoneyError::TooManyDecimals));
        for bad in ["1.", ".5", "1,000", "1e3", " 1", "1 ", "１", "1.2.3", "abc", "1_000", "NaN"] {
            assert_eq!(Money::parse(bad), Err(MoneyError::Malformed), "{bad}");
        }
        assert_eq!(Money::parse("10000000000000.01"), Err(MoneyError::Overflow));
        assert_eq!(Money::parse("99999999999999999999999"), Err(MoneyError::Overflow));
        assert_eq!(Money::parse("10000000000000.00").map(Money::fen), Ok(Money::MAX.fen()));
    }

    #[test]
    fn json_is_a_two_decimal_string() {
        let m = Money::parse("5.5").unwrap();
        assert_eq!(serde_json::to_string(&m).unwrap(), "\"5.50\"");
        assert_eq!(serde_json::from_str::<Money>("\"5.50\"").unwrap(), m);
        assert!(serde_json::from_str::<Money>("5.5").is_err(), "numbers are not amounts");
        assert!(serde_json::from_str::<Money>("\"-5\"").is_err());
    }

    #[test]
    fn arithmetic_stays_in_range() {
        assert_eq!(Money::MAX.checked_add(Money(1)), None);
        assert_eq!(Money::ZERO.checked_sub(Money(1)), None);
        assert_eq!(Money(5).checked_sub(Money(2)), Some(Money(3)));
    }

    proptest! {
        #[test]
        fn display_then_parse_is_identity(fen in 0..=Money::MAX.fen()) {
            let m = Money::from_fen(fen).unwrap();
            prop_assert_eq!(Money::parse(&m.to_string()), Ok(m));
        }

        #[test]
        fn parse_never_panics_and_accepts_only_canonical_shapes(text in "\\PC{0,24}") {
            if let Ok(m) = Money::parse(&text) {
                prop_assert!(m.fen() >= 0 && m <= Money::MAX);
                prop_assert!(text.bytes().all(|b| b.is_ascii_digit() || b == b'.'));
                let decimals = text.split_once('.').map_or(0, |(_, f)| f.len());
                prop_assert!((1..=2).contains(&decimals) || !text.contains('.'));
            }
        }

        #[test]
        fn parse_agrees_with_integer_arithmetic(yuan in 0i64..10_000_000_000_000, cents in 0i64..100) {
            let text = format!("{yuan}.{cents:02}");
            prop_assert_eq!(Money::parse(&text).map(Money::fen), Ok(yuan * 100 + cents));
        }
    }
}
