//! 大写: an amount written in Chinese capital numerals, as on cheques and the
//! manual's withdrawal form (壹万贰仟元整). Follows the People's Bank rules: 整
//! after 元 when there are no fen, one 零 for each run of zeros, 壹拾 not 拾.

use crate::money::Money;

const DIGITS: [char; 10] = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];
const PLACES: [&str; 4] = ["", "拾", "佰", "仟"];
const SECTIONS: [&str; 4] = ["", "万", "亿", "万亿"];

/// The amount in capitals, e.g. `1024.50` → `壹仟零贰拾肆元伍角整`.
pub fn amount_in_words(amount: Money) -> String {
    let yuan = amount.fen() / 100;
    let jiao = (amount.fen() / 10 % 10) as usize;
    let fen = (amount.fen() % 10) as usize;
    let mut out = String::new();
    if yuan > 0 {
        out.push_str(&integer_words(yuan));
        out.push('元');
    }
    match (jiao, fen) {
        (0, 0) => {
            if yuan == 0 {
                out.push_str("零元");
            }
            out.push('整');
        }
        (j, 0) => {
            out.push(DIGITS[j]);
            out.push_str("角整");
        }
        (0, f) => {
            if yuan > 0 {
                out.push('零');
            }
            out.push(DIGITS[f]);
            out.push('分');
        }
        (j, f) => {
            out.push(DIGITS[j]);
            out.push('角');
            out.push(DIGITS[f]);
            out.push('分');
        }
    }
    out
}

/// A positive whole number below 10^16 in capitals, without a unit.
fn integer_words(n: i64) -> String {
    let mut groups = Vec::new();
    let mut rest = n;
    while rest > 0 {
        groups.push((rest % 10_000) as usize);
        rest /= 10_000;
    }
    let mut out = String::new();
    let mut gap = false;
    for (i, &g) in groups.iter().enumerate().rev() {
        if g == 0 {
            gap = !out.is_empty();
            continue;
        }
        if !out.is_empty() && (gap || g < 1000) {
            out.push('零');
        }
        out.push_str(&group_words(g));
        out.push_str(SECTIONS[i]);
        gap = false;
    }
    out
}

/// 1..=9999 in capitals; inner runs of zeros become one 零, leading ones nothing.
fn group_words(g: usize) -> String {
    let mut out = String::new();
    let mut pending_zero = false;
    for place in (0..4).rev() {
        let d = g / 10usize.pow(place as u32) % 10;
        if d == 0 {
            pending_zero = !out.is_empty();
            continue;
        }
        if pending_zero {
            out.push('零');
            pending_zero = false;
        }
        out.push(DIGITS[d]);
        out.push_str(PLACES[place]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn words(text: &str) -> String {
        amount_in_words(Money::parse(text).unwrap())
    }

    #[test]
    fn known_amounts() {
        let cases = [
            ("0.00", "零元整"),
            ("0.05", "伍分"),
            ("0.50", "伍角整"),
            ("1.05", "壹元零伍分"),
            ("10.00", "壹拾元整"),
            ("12000", "壹万贰仟元整"),
            ("1024.50", "壹仟零贰拾肆元伍角整"),
            ("1680.32", "壹仟陆佰捌拾元叁角贰分"),
            ("107000.53", "壹拾万柒仟元伍角叁分"),
            ("100000001", "壹亿零壹元整"),
            ("10010", "壹万零壹拾元整"),
            ("1001001", "壹佰万壹仟零壹元整"),
            ("20000000", "贰仟万元整"),
            ("10000000000000", "壹拾万亿元整"),
            ("6007.14", "陆仟零柒元壹角肆分"),
        ];
        for (amount, expected) in cases {
            assert_eq!(words(amount), expected, "{amount}");
        }
    }

    proptest! {
        #[test]
        fn words_are_well_formed(fen in 0..=Money::MAX.fen()) {
            let w = amount_in_words(Money::from_fen(fen).unwrap());
            prop_assert!(!w.contains("零零"), "{w}");
            prop_assert!(w.ends_with('整') || w.ends_with('分'), "{w}");
            prop_assert!(!w.starts_with('零') || fen == 0, "{w}");
            prop_assert!(!w.contains("零元") || fen == 0, "{w}");
            prop_assert!(!w.contains("零万") && !w.contains("零亿"), "{w}");
        }
    }
}
