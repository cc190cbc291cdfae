//! The banks merchants recharge from, with their online-banking limits (manual
//! §3.4.1's table: 单笔限额 / 每日限额 and the condition each needs). The limits are
//! the sandbox bank's; a real channel would supply its own.

use crate::money::Money;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bank {
    pub code: &'static str,
    pub name: &'static str,
    /// 单笔限额: the most one recharge may be, in fen.
    pub single_limit_fen: i64,
    /// 每日限额: the most all of a day's recharges from this bank may add up to, in fen.
    pub daily_limit_fen: i64,
    /// 需要满足的条件.
    pub condition_zh: &'static str,
    pub condition_en: &'static str,
}

const WAN: i64 = 10_000 * 100;

const SMS: (&str, &str) = ("已开通手机短信认证", "SMS authentication enabled");
const TOKEN: (&str, &str) = ("办理电子令牌", "an e-token issued");
const USB_KEY: (&str, &str) = ("办理USB-KEY及开通短信服务", "a USB key and SMS service");

const fn bank(code: &'static str, name: &'static str, wan: i64, cond: (&'static str, &'static str)) -> Bank {
    Bank {
        code,
        name,
        single_limit_fen: wan * WAN,
        daily_limit_fen: wan * WAN,
        condition_zh: cond.0,
        condition_en: cond.1,
    }
}

pub static BANKS: [Bank; 12] = [
    bank("ICBC", "中国工商银行", 200, USB_KEY),
    bank("ABC", "中国农业银行", 20, TOKEN),
    bank("BOC", "中国银行", 200, USB_KEY),
    bank("CCB", "中国建设银行", 20, TOKEN),
    bank("BOCOM", "交通银行", 20, TOKEN),
    bank("CMB", "招商银行", 200, USB_KEY),
    bank("CITIC", "中信银行", 1, SMS),
    bank("SPDB", "浦发银行", 20, TOKEN),
    bank("CIB", "兴业银行", 200, USB_KEY),
    bank("CMBC", "中国民生银行", 20, TOKEN),
    bank("CEB", "中国光大银行", 1, SMS),
    bank("PSBC", "中国邮政储蓄银行", 1, SMS),
];

pub fn find(code: &str) -> Option<&'static Bank> {
    BANKS.iter().find(|b| b.code == code)
}

/// A bank as people write it in a file: its full name (中国工商银行), without the
/// leading 中国 (工商银行), or its code (ICBC).
pub fn by_name(text: &str) -> Option<&'static Bank> {
    let text = text.trim();
    BANKS.iter().find(|b| {
        b.name == text || b.name.strip_prefix("中国") == Some(text) || b.code.eq_ignore_ascii_case(text)
    })
}

/// Why a recharge is over a bank's limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LimitBreach {
    Single { limit: Money },
    Daily { limit: Money, used: Money },
}

impl Bank {
    /// Checks `amount` against the single limit and, with `used_today` already
    /// recharged from this bank today, the daily one.
    pub fn check(&self, amount: Money, used_today: Money) -> Result<(), LimitBreach> {
        let single = Money::from_fen(self.single_limit_fen).unwrap_or(Money::MAX);
        let daily = Money::from_fen(self.daily_limit_fen).unwrap_or(Money::MAX);
        if amount > single {
            return Err(LimitBreach::Single { limit: single });
        }
        if used_today.checked_add(amount).is_none_or(|total| total > daily) {
            return Err(LimitBreach::Daily { limit: daily, used: used_today });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(t: &str) -> Money {
        Money::parse(t).unwrap()
    }

    #[test]
    fn limits_apply_per_recharge_and_per_day() {
        let citic = find("CITIC").unwrap();
        assert_eq!(citic.check(m("10000.00"), Money::ZERO), Ok(()));
        assert_eq!(
            citic.check(m("10000.01"), Money::ZERO),
            Err(LimitBreach::Single { limit: m("10000.00") })
        );
        assert_eq!(
            citic.check(m("5000.00"), m("6000.00")),
            Err(LimitBreach::Daily { limit: m("10000.00"), used: m("6000.00") })
        );
        assert_eq!(citic.check(m("4000.00"), m("6000.00")), Ok(()));
    }

    #[test]
    fn codes_are_unique() {
        for b in &BANKS {
            assert_eq!(BANKS.iter().filter(|x| x.code == b.code).count(), 1, "{}", b.code);
        }
    }
}
