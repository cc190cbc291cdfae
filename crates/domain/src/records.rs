//! 交易记录 (manual §3.6.1, lines 1356–1435): every transaction of a merchant,
//! found by 查询类型, then 交易类型 and 交易状态 whose options follow the type,
//! a 创建时间 range of at most 31 days, and an exact keyword (交易订单号 or
//! 商户订单号); 20 rows a page.
//!
//! The manual's 资金归集, 保理放贷 and 保理代扣 are left out: Paydesk has no
//! product that makes them (docs/decisions.md), and a type that can only ever be
//! empty would be a fake.

use crate::draft::{FieldProblem, Problems};
use crate::limits;
use crate::refunds::RefundStatus;
use crate::states::{named_enum, LineStatus};
use crate::trades::TradeStatus;

named_enum!(
    /// 查询类型.
    RecordType, "record type" {
        /// 网关交易: gateway trades (the default).
        Gateway => "gateway",
        /// 充值.
        Recharge => "recharge",
        /// 提现.
        Withdrawal => "withdrawal",
        /// 转账: to Paydesk accounts and to bank accounts.
        Transfer => "transfer",
        /// 退款.
        Refund => "refund",
        /// 代发工资.
        Payroll => "payroll",
        /// 退票: payouts the bank paid and then returned.
        Bounce => "bounce",
    }
);

/// One option of a filter: its code and the manual's word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Choice {
    pub code: &'static str,
    pub label_zh: &'static str,
}

const fn choice(code: &'static str, label_zh: &'static str) -> Choice {
    Choice { code, label_zh }
}

const LINE_STATUSES: &[LineStatus] = LineStatus::ALL;

impl RecordType {
    pub fn label_zh(self) -> &'static str {
        match self {
            RecordType::Gateway => "网关交易",
            RecordType::Recharge => "充值",
            RecordType::Withdrawal => "提现",
            RecordType::Transfer => "转账",
            RecordType::Refund => "退款",
            RecordType::Payroll => "代发工资",
            RecordType::Bounce => "退票",
        }
    }

    /// 交易类型 of this query type.
    pub fn trade_types(self) -> &'static [Choice] {
        match self {
            RecordType::Gateway => &[
                Choice { code: "instant", label_zh: "即时到账收单交易" },
                Choice { code: "guaranteed", label_zh: "担保收单交易" },
            ],
            RecordType::Recharge => &[Choice { code: "online_banking", label_zh: "网银充值" }],
            RecordType::Withdrawal => &[
                Choice { code: "standard", label_zh: "普通提现" },
                Choice { code: "fast", label_zh: "快速提现" },
            ],
            RecordType::Transfer => &[
                Choice { code: "platform_account", label_zh: "转账到 Paydesk 账户" },
                Choice { code: "bank_account", label_zh: "转账到银行账户" },
            ],
            RecordType::Refund => &[
                Choice { code: "refund", label_zh: "单笔退款" },
                Choice { code: "batch_refund", label_zh: "批量退款" },
            ],
            RecordType::Payroll => &[Choice { code: "payroll", label_zh: "代发工资" }],
            RecordType::Bounce => &[
                Choice { code: "withdrawal", label_zh: "提现退票" },
                Choice { code: "bank_account", label_zh: "转账退票" },
                Choice { code: "payroll", label_zh: "代发工资退票" },
            ],
        }
    }

    /// 交易状态 of this query type.
    pub fn statuses(self) -> Vec<Choice> {
        match self {
            RecordType::Gateway => {
                TradeStatus::ALL.iter().map(|s| choice(s.as_str(), s.label_zh())).collect()
            }
            RecordType::Recharge => {
                vec![choice("pending", "待支付"), choice("paid", "充值成功"), choice("cancelled", "已取消")]
            }
            RecordType::Withdrawal | RecordType::Transfer | RecordType::Payroll => {
                LINE_STATUSES.iter().map(|s| choice(s.as_str(), s.label_zh())).collect()
            }
            RecordType::Refund => {
                RefundStatus::ALL.iter().map(|s| choice(s.as_str(), s.label_zh())).collect()
            }
            RecordType::Bounce => vec![choice("returned", "已退票")],
        }
    }

    /// The manual's word for a status code of this type.
    pub fn status_label(self, code: &str) -> &'static str {
        self.statuses().into_iter().find(|c| c.code == code).map_or("", |c| c.label_zh)
    }

    /// The manual's word for a trade type code of this type.
    pub fn trade_type_label(self, code: &str) -> &'static str {
        self.trade_types().iter().find(|c| c.code == code).map_or("", |c| c.label_zh)
    }
}

/// What the page asks, as typed. Days are counted from 1970-01-01 (the server
/// reads the dates; the rules only compare them).
#[derive(Debug, Clone, Copy, Default)]
pub struct RecordInput<'a> {
    pub kind: Option<&'a str>,
    pub trade_type: Option<&'a str>,
    pub status: Option<&'a str>,
    pub keyword: Option<&'a str>,
    pub from_day: i64,
    pub to_day: i64,
}

/// A checked 交易记录 filter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordFilter {
    pub kind: RecordType,
    pub trade_type: Option<&'static str>,
    pub status: Option<&'static str>,
    /// Exact 交易订单号 or 商户订单号.
    pub keyword: Option<String>,
    /// First and last day, both included.
    pub from_day: i64,
    pub to_day: i64,
}

/// Checks a filter: a known type, options of that type, a range of at most
/// [`limits::RECORD_RANGE_DAYS`] days in order, a keyword of at most 32
/// characters. Every problem at once.
pub fn check_filter(input: &RecordInput<'_>) -> Result<RecordFilter, Vec<FieldProblem>> {
    let mut p = Problems::default();
    let kind = match given(input.kind) {
        None => Some(RecordType::Gateway),
        Some(t) => RecordType::parse(t).or_else(|| {
            p.push("type", "type_invalid", "an unknown query type");
            None
        }),
    };
    let mut pick = |field: &str, text: Option<&str>, options: &[Choice]| -> Option<&'static str> {
        let t = given(text)?;
        let found = options.iter().find(|c| c.code == t).map(|c| c.code);
        if found.is_none() {
            p.push(field, format_code(field), format!("not an option of this query type: {t}"));
        }
        found
    };
    let (trade_type, status) = match kind {
        Some(k) => (
            pick("trade_type", input.trade_type, k.trade_types()),
            pick("status", input.status, &k.statuses()),
        ),
        None => (None, None),
    };
    if input.from_day > input.to_day {
        p.push("from", "range_invalid", "the first day is after the last");
    } else if input.to_day - input.from_day + 1 > limits::RECORD_RANGE_DAYS {
        p.push(
            "from",
            "range_too_long",
            format!("a query covers at most {} days", limits::RECORD_RANGE_DAYS),
        );
    }
    let keyword = given(input.keyword).map(str::to_owned);
    if keyword.as_ref().is_some_and(|k| k.chars().count() > limits::ORDER_NO_CHARS) {
        p.push(
            "q",
            "keyword_too_long",
            format!("an order number has at most {} characters", limits::ORDER_NO_CHARS),
        );
    }
    match kind {
        Some(kind) if p.0.is_empty() => Ok(RecordFilter {
            kind,
            trade_type,
            status,
            keyword,
            from_day: input.from_day,
            to_day: input.to_day,
        }),
        _ => Err(p.0),
    }
}

/// A filter's text, unless empty or `all` (全部).
fn given(text: Option<&str>) -> Option<&str> {
    text.map(str::trim).filter(|t| !t.is_empty() && *t != "all")
}

fn format_code(field: &str) -> &'static str {
    match field {
        "trade_type" => "trade_type_invalid",
        _ => "status_invalid",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input<'a>(
        kind: Option<&'a str>,
        trade_type: Option<&'a str>,
        status: Option<&'a str>,
    ) -> RecordInput<'a> {
        RecordInput { kind, trade_type, status, keyword: None, from_day: 100, to_day: 130 }
    }

    fn codes(r: Result<RecordFilter, Vec<FieldProblem>>) -> Vec<&'static str> {
        r.err().unwrap_or_default().iter().map(|p| p.code).collect()
    }

    #[test]
    fn gateway_trades_are_the_default_and_all_means_no_filter() {
        let f = check_filter(&input(None, Some("all"), Some(""))).unwrap();
        assert_eq!((f.kind, f.trade_type, f.status), (RecordType::Gateway, None, None));
    }

    #[test]
    fn options_follow_the_query_type() {
        let f = check_filter(&input(Some("gateway"), Some("guaranteed"), Some("settled"))).unwrap();
        assert_eq!((f.trade_type, f.status), (Some("guaranteed"), Some("settled")));
        let f = check_filter(&input(Some("refund"), Some("batch_refund"), Some("failed"))).unwrap();
        assert_eq!((f.kind, f.status), (RecordType::Refund, Some("failed")));
        // A gateway state is no refund state, and the other way round.
        assert_eq!(codes(check_filter(&input(Some("refund"), None, Some("settled")))), ["status_invalid"]);
        assert_eq!(
            codes(check_filter(&input(Some("gateway"), Some("fast"), Some("rejected")))),
            ["trade_type_invalid", "status_invalid"]
        );
        assert_eq!(codes(check_filter(&input(Some("factoring"), None, None))), ["type_invalid"]);
    }

    #[test]
    fn a_range_has_at_most_31_days_in_order() {
        let mut i = input(None, None, None);
        i.to_day = i.from_day + 30;
        assert!(check_filter(&i).is_ok(), "31 days, both ends included");
        i.to_day += 1;
        assert_eq!(codes(check_filter(&i)), ["range_too_long"]);
        i.to_day = i.from_day - 1;
        assert_eq!(codes(check_filter(&i)), ["range_invalid"]);
    }

    #[test]
    fn every_type_names_its_options_in_chinese() {
        for kind in RecordType::ALL {
            assert!(!kind.label_zh().is_empty());
            assert!(!kind.trade_types().is_empty() && !kind.statuses().is_empty(), "{kind}");
            for c in kind.trade_types().iter().chain(&kind.statuses()) {
                assert!(!c.label_zh.is_empty(), "{kind} {}", c.code);
            }
        }
        assert_eq!(RecordType::Refund.status_label("processing"), "退款中");
        assert_eq!(RecordType::Gateway.trade_type_label("instant"), "即时到账收单交易");
    }
}
