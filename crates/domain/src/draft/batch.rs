//! Batch files as drafts: each row of a file that [`crate::batch::read`]
//! accepted is checked by the same rules as the single operation's form, and
//! every problem is placed at its row and column.

use std::collections::HashSet;

use super::{
    ContactDraft, Draft, DraftLine, FeeSchedule, FieldProblem, PayeeKind, PayoutSpeed, PlatformPayee,
    Problems,
};
use crate::application::{ApplicationKind, OrderNo};
use crate::batch::{BatchFile, BatchKind, BatchRow, RowProblem};
use crate::fees::Product;
use crate::identity::BankAccountNo;
use crate::{banks, branches, limits};

fn located(file: &BatchFile, problems: &[FieldProblem]) -> Vec<RowProblem> {
    problems.iter().map(|p| file.locate(&p.field, p.code, &p.message)).collect()
}

fn field(i: usize, key: &str) -> String {
    format!("lines[{i}].{key}")
}

impl Problems {
    /// A row's 商户订单号: required in a file, and not repeated in it.
    fn row_order_no(&mut self, i: usize, text: &str, seen: &mut HashSet<OrderNo>) -> Option<OrderNo> {
        match OrderNo::parse(text) {
            Ok(no) if !seen.insert(no.clone()) => {
                self.push(
                    field(i, "merchant_order_no"),
                    "order_no_repeated",
                    "this merchant order number is in the file twice",
                );
                None
            }
            Ok(no) => Some(no),
            Err(e) => {
                self.push(field(i, "merchant_order_no"), e.code, e.message);
                None
            }
        }
    }

    /// A row's bank account: the holder's name, the bank by name, the branch
    /// found in the directory under that bank, province and city (the manual's
    /// 检查银行信息), and the number.
    fn row_bank_account(
        &mut self,
        i: usize,
        row: &BatchRow,
    ) -> Option<(String, BankAccountNo, &'static branches::Branch)> {
        let name = row.get("name").to_owned();
        let (min, max) = limits::HOLDER_NAME_CHARS;
        if !(min..=max).contains(&name.chars().count()) {
            self.push(field(i, "name"), "name_invalid", "enter the account holder's full name");
        }
        let number = match BankAccountNo::parse(row.get("account_number")) {
            Ok(n) => Some(n),
            Err(e) => {
                self.push(field(i, "account_number"), e.code, e.message);
                None
            }
        };
        let Some(bank) = banks::by_name(row.get("bank")) else {
            self.push(
                field(i, "bank"),
                "bank_unknown",
                "write the bank's name as the template's notes say (中国工商银行 or 工商银行)",
            );
            return None;
        };
        let (province, city) = (row.get("province"), row.get("city"));
        if branches::search(bank.code, Some(province), None, None).next().is_none() {
            self.push(
                field(i, "province"),
                "province_unknown",
                format!("{} has no branch in the directory in {province}", bank.name),
            );
            return None;
        }
        if branches::search(bank.code, Some(province), Some(city), None).next().is_none() {
            self.push(
                field(i, "city"),
                "city_unknown",
                format!("{} has no branch in the directory in {province} {city}", bank.name),
            );
            return None;
        }
        let branch = branches::search(bank.code, Some(province), Some(city), None)
            .find(|b| b.name == row.get("branch"));
        if branch.is_none() {
            self.push(
                field(i, "branch"),
                "branch_unknown",
                "write the branch's full name as the branch directory (查询支行信息) has it",
            );
        }
        Some((name, number?, branch?))
    }
}

/// 批量转账到快捷通账户 (§3.4.2.2.2): `payees[i]` is what the server found for
/// row `i` (by [`super::payee_lookup_key`]).
pub fn check_platform_batch(
    file: &BatchFile,
    payees: &[Option<PlatformPayee>],
    payer_id: i64,
    fees: &FeeSchedule,
) -> Result<Draft, Vec<RowProblem>> {
    let mut p = Problems::default();
    let rule = fees.rule(Product::BatchTransfer);
    let mut seen = HashSet::new();
    let mut lines = Vec::with_capacity(file.rows.len());
    for (i, row) in file.rows.iter().enumerate() {
        let amount = p.amount(field(i, "amount"), row.get("amount"));
        let payee =
            p.platform_payee(field(i, "payee"), row.get("payee"), payees.get(i).cloned().flatten(), payer_id);
        let notify_phone = p.phone(field(i, "notify_phone"), row.optional("notify_phone"));
        let remark = p.remark(field(i, "remark"), row.optional("remark"));
        let order_no = p.row_order_no(i, row.get("merchant_order_no"), &mut seen);
        if let (Some(amount), Some(payee), Some(order_no)) = (amount, payee, order_no) {
            lines.push(DraftLine {
                payee_kind: PayeeKind::PlatformAccount,
                payee_account: payee.account,
                payee_name: payee.name,
                amount,
                fee: rule.fee(amount),
                remark,
                notify_phone,
                merchant_order_no: Some(order_no),
                bank: None,
                branch: None,
                speed: None,
            });
        }
    }
    finish(file, p, ApplicationKind::BatchTransfer, lines)
}

/// 对公 / 对私 as a file says it.
fn account_type(text: &str) -> Option<PayeeKind> {
    match text {
        "对私" | "personal" => Some(PayeeKind::BankPersonal),
        "对公" | "corporate" => Some(PayeeKind::BankCorporate),
        _ => None,
    }
}

/// 批量转账到银行账户 (§3.4.2.4) and 代发工资 (§4.1.3, always 对私).
pub fn check_bank_batch(file: &BatchFile, fees: &FeeSchedule) -> Result<Draft, Vec<RowProblem>> {
    let (kind, product) = match file.kind {
        BatchKind::Payroll => (ApplicationKind::Payroll, Product::Payroll),
        _ => (ApplicationKind::BatchBankPayout, Product::BatchBankPayout),
    };
    let mut p = Problems::default();
    let rule = fees.rule(product);
    let mut seen = HashSet::new();
    let mut lines = Vec::with_capacity(file.rows.len());
    for (i, row) in file.rows.iter().enumerate() {
        let payee_kind = match file.kind {
            BatchKind::Payroll => Some(PayeeKind::BankPersonal),
            _ => {
                let found = account_type(row.get("account_type"));
                if found.is_none() {
                    p.push(field(i, "account_type"), "account_type_invalid", "write 对公 or 对私");
                }
                found
            }
        };
        let account = p.row_bank_account(i, row);
        let amount = p.amount(field(i, "amount"), row.get("amount"));
        let notify_phone = p.phone(field(i, "notify_phone"), row.optional("notify_phone"));
        let remark = p.remark(field(i, "remark"), row.optional("remark"));
        let order_no = p.row_order_no(i, row.get("merchant_order_no"), &mut seen);
        if let (Some(payee_kind), Some((name, number, branch)), Some(amount), Some(order_no)) =
            (payee_kind, account, amount, order_no)
        {
            lines.push(DraftLine {
                payee_kind,
                payee_account: number.as_str().to_owned(),
                payee_name: name,
                amount,
                fee: rule.fee(amount),
                remark,
                notify_phone,
                merchant_order_no: Some(order_no),
                bank: Some(branch.bank.clone()),
                branch: Some(branch.name.clone()),
                speed: Some(PayoutSpeed::Standard),
            });
        }
    }
    finish(file, p, kind, lines)
}

fn finish(
    file: &BatchFile,
    p: Problems,
    kind: ApplicationKind,
    lines: Vec<DraftLine>,
) -> Result<Draft, Vec<RowProblem>> {
    if !p.0.is_empty() {
        return Err(located(file, &p.0));
    }
    let batch = file.batch_no.as_ref().map_or("", |b| b.as_str());
    Ok(Draft {
        kind,
        remark: String::new(),
        hold_remark: format!("{} {batch}", file.kind.title_zh()),
        lines,
        batch_no: file.batch_no.clone(),
    })
}

/// 批量添加银行卡联系人 (§3.3.2.2.2): the same rules as one bank contact; an
/// account in the file twice is refused.
pub fn check_contact_batch(file: &BatchFile) -> Result<Vec<ContactDraft>, Vec<RowProblem>> {
    let mut p = Problems::default();
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(file.rows.len());
    for (i, row) in file.rows.iter().enumerate() {
        let kind = match row.optional("account_type") {
            None => Some(PayeeKind::BankPersonal),
            Some(text) => {
                let found = account_type(text);
                if found.is_none() {
                    p.push(
                        field(i, "account_type"),
                        "account_type_invalid",
                        "write 对公 or 对私, or leave it blank for 对私",
                    );
                }
                found
            }
        };
        let account = p.row_bank_account(i, row);
        if let Some((_, number, _)) = &account {
            if !seen.insert(number.as_str().to_owned()) {
                p.push(field(i, "account_number"), "account_repeated", "this account is in the file twice");
            }
        }
        let remark: String = row.get("remark").chars().take(limits::REMARK_CHARS).collect();
        if let (Some(kind), Some((name, number, branch))) = (kind, account) {
            out.push(ContactDraft {
                name,
                account: number.as_str().to_owned(),
                kind: Some(kind),
                branch: Some(branch),
                phone: None,
                remark,
            });
        }
    }
    if p.0.is_empty() {
        Ok(out)
    } else {
        Err(located(file, &p.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batch::{layout, read};
    use crate::fees::FeeRule;
    use crate::Money;

    const BRANCH: &str = "中国工商银行股份有限公司上海市陆家嘴支行";

    fn s(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| c.to_string()).collect()
    }

    fn bank_row(n: usize, amount: &str) -> Vec<String> {
        s(&[
            "上海示例有限公司",
            "工商银行",
            "上海市",
            "上海市",
            BRANCH,
            "6222020000000001",
            amount,
            "对公",
            "",
            "劳务费",
            &format!("B{n}"),
        ])
    }

    fn file(kind: BatchKind, rows: &[Vec<String>]) -> BatchFile {
        read(kind, &layout(kind, "KJT001", rows)).unwrap()
    }

    fn seen(p: &[RowProblem]) -> Vec<(usize, &str, &str)> {
        p.iter().map(|p| (p.row, p.column.as_str(), p.code)).collect()
    }

    #[test]
    fn a_bank_batch_becomes_one_draft_with_a_fee_per_line() {
        let fees = FeeSchedule(vec![(
            Product::BatchBankPayout,
            FeeRule { fixed: Money::from_fen(200).unwrap(), ..FeeRule::FREE },
        )]);
        let d = check_bank_batch(
            &file(BatchKind::BankTransfer, &[bank_row(1, "100"), bank_row(2, "0.5")]),
            &fees,
        )
        .unwrap();
        assert_eq!(d.kind, ApplicationKind::BatchBankPayout);
        assert_eq!((d.total_amount(), d.total_fee()), (10_050, 400));
        assert_eq!(d.lines[0].payee_kind, PayeeKind::BankCorporate);
        assert_eq!(d.lines[1].bank.as_deref(), Some("ICBC"));
        assert_eq!(d.batch_no.unwrap().as_str(), "KJT001");
    }

    #[test]
    fn the_bank_information_is_checked_column_by_column() {
        let mut bad_bank = bank_row(1, "1");
        bad_bank[1] = "火星银行".into();
        let mut bad_city = bank_row(2, "1");
        bad_city[3] = "杭州市".into();
        let mut bad_branch = bank_row(3, "1");
        bad_branch[4] = "陆家嘴支行".into();
        let mut bad_type = bank_row(4, "-1");
        bad_type[7] = "公".into();
        let twice = bank_row(1, "1");
        let p = check_bank_batch(
            &file(BatchKind::BankTransfer, &[bad_bank, bad_city, bad_branch, bad_type, twice]),
            &FeeSchedule::default(),
        )
        .unwrap_err();
        assert_eq!(
            seen(&p),
            [
                (4, "收款开户银行", "bank_unknown"),
                (5, "收款银行所在市", "city_unknown"),
                (6, "收款支行名称", "branch_unknown"),
                (7, "对公对私", "account_type_invalid"),
                (7, "转账金额（元）", "amount_signed"),
                (8, "商户订单号", "order_no_repeated"),
            ]
        );
    }

    #[test]
    fn payroll_pays_people() {
        let row = s(&[
            "张三",
            "中国工商银行",
            "上海市",
            "上海市",
            BRANCH,
            "6222020000000002",
            "8000",
            "",
            "十一月工资",
            "W1",
        ]);
        let d = check_bank_batch(&file(BatchKind::Payroll, &[row]), &FeeSchedule::default()).unwrap();
        assert_eq!((d.kind, d.lines[0].payee_kind), (ApplicationKind::Payroll, PayeeKind::BankPersonal));
    }

    #[test]
    fn a_platform_batch_checks_each_payee() {
        let row = |payee: &str, n: usize| s(&[payee, "10", "", "", &format!("P{n}")]);
        let f = file(
            BatchKind::PlatformTransfer,
            &[row("a@example.com", 1), row("b@example.com", 2), row("me@example.com", 3)],
        );
        let found = |id: i64, account: &str, verified: bool| {
            Some(PlatformPayee {
                merchant_id: id,
                account: account.into(),
                name: "收款公司".into(),
                verified,
            })
        };
        let payees = [
            found(2, "a@example.com", true),
            found(3, "b@example.com", false),
            found(1, "me@example.com", true),
        ];
        let p = check_platform_batch(&f, &payees, 1, &FeeSchedule::default()).unwrap_err();
        assert_eq!(
            seen(&p),
            [(5, "收款快捷通账户", "payee_not_found"), (6, "收款快捷通账户", "payee_is_self")]
        );
        let ok = check_platform_batch(
            &file(BatchKind::PlatformTransfer, &[row("a@example.com", 1)]),
            &payees[..1],
            1,
            &FeeSchedule::default(),
        )
        .unwrap();
        assert_eq!(ok.lines[0].merchant_order_no.as_ref().unwrap().as_str(), "P1");
    }

    #[test]
    fn contacts_import_once_each() {
        let row = s(&["张三", "工商银行", "上海市", "上海市", BRANCH, "6222020000000003", ""]);
        let f =
            read(BatchKind::BankContacts, &layout(BatchKind::BankContacts, "", &[row.clone(), row])).unwrap();
        let p = check_contact_batch(&f).unwrap_err();
        assert_eq!(seen(&p), [(5, "收款银行帐号", "account_repeated")]);
    }

    fn target(no: &str, amount: &str, fee: &str) -> Option<RefundTarget> {
        Some(RefundTarget {
            trade_no: no.to_owned(),
            subject: "咖啡豆".into(),
            facts: crate::refunds::TradeFacts {
                status: crate::trades::TradeStatus::Settled,
                amount: Money::parse(amount).unwrap(),
                fee: Money::parse(fee).unwrap(),
                refunded: Money::ZERO,
                refunds: 0,
            },
        })
    }

    #[test]
    fn a_refund_batch_counts_rows_of_one_trade_on_a_running_total() {
        let rows = [
            s(&["SHOP1", "R1", "30.00", "缺货"]),
            s(&["SHOP1", "R2", "58.00", ""]),
            s(&["SHOP2", "R3", "5.00", ""]),
        ];
        let f = read(BatchKind::Refund, &layout(BatchKind::Refund, "RB001", &rows)).unwrap();
        let targets =
            [target("T1", "88.00", "0.53"), target("T1", "88.00", "0.53"), target("T2", "5.00", "0.00")];
        let d = check_refund_batch(&f, &targets).unwrap();
        assert_eq!(d.kind, ApplicationKind::BatchRefund);
        assert_eq!(d.batch_no.as_ref().map(|b| b.as_str()), Some("RB001"));
        let fees: Vec<String> = d.lines.iter().map(|l| l.fee.to_string()).collect();
        assert_eq!(fees, ["0.18", "0.35", "0.00"], "the two shares of T1 make its whole fee");
        assert_eq!(d.lines[0].payee_kind, PayeeKind::Buyer);
        assert_eq!(d.lines[1].merchant_order_no.as_ref().map(|o| o.as_str()), Some("R2"));
    }

    #[test]
    fn a_refund_batch_reports_each_row_at_its_column() {
        let rows = [
            s(&["SHOP1", "R1", "60.00", ""]),
            s(&["SHOP1", "R2", "30.00", ""]),
            s(&["NOPE", "R3", "1.00", ""]),
            s(&["SHOP1", "R1", "1.00", ""]),
        ];
        let f = read(BatchKind::Refund, &layout(BatchKind::Refund, "RB002", &rows)).unwrap();
        let t = target("T1", "88.00", "0.53");
        let problems = check_refund_batch(&f, &[t.clone(), t.clone(), None, t]).unwrap_err();
        let found: Vec<(usize, &str, &str)> =
            problems.iter().map(|p| (p.row, p.column.as_str(), p.code)).collect();
        assert_eq!(
            found,
            [
                (5, "退款金额", "amount_over_refundable"),
                (6, "原商户订单号", "trade_not_found"),
                (7, "退款商户订单号", "order_no_repeated"),
            ]
        );
    }
}

/// A row's original trade as a refund sees it: found by its merchant order
/// number, or not.
#[derive(Debug, Clone)]
pub struct RefundTarget {
    pub trade_no: String,
    pub subject: String,
    pub facts: crate::refunds::TradeFacts,
}

/// 批量退款: each row checked as a single refund of its trade (`targets[i]`,
/// found by the row's 原商户订单号), rows of one trade counted on a running total
/// — so two rows can't refund the same money, and each fee share is counted on
/// what the rows before it refunded. Every problem at its row and column.
pub fn check_refund_batch(
    file: &BatchFile,
    targets: &[Option<RefundTarget>],
) -> Result<Draft, Vec<RowProblem>> {
    debug_assert_eq!(file.kind, BatchKind::Refund);
    let mut p = Problems::default();
    let mut seen = HashSet::new();
    let mut running: std::collections::HashMap<String, crate::refunds::TradeFacts> = Default::default();
    let mut lines = Vec::with_capacity(file.rows.len());
    for (i, (row, target)) in file.rows.iter().zip(targets).enumerate() {
        let order_no = p.row_order_no(i, row.get("merchant_order_no"), &mut seen);
        let Some(t) = target else {
            p.push(
                field(i, "trade_order_no"),
                "trade_not_found",
                "no trade of yours has this merchant order number",
            );
            continue;
        };
        let facts = running.entry(t.trade_no.clone()).or_insert(t.facts);
        let input = crate::refunds::RefundInput {
            full: false,
            amount: Some(row.get("amount")),
            remark: row.optional("remark"),
            refund_order_no: order_no.as_ref().map(|o| o.as_str()),
        };
        match crate::refunds::check_refund(facts, &input) {
            Ok(d) => {
                facts.refunded = facts.refunded.checked_add(d.amount).unwrap_or(facts.amount);
                facts.refunds += 1;
                lines.push(d.line(&t.trade_no, &t.subject));
            }
            Err(problems) => {
                for q in problems {
                    let key = match q.field.as_str() {
                        "trade_no" => "trade_order_no",
                        "refund_order_no" => "merchant_order_no",
                        other => other,
                    };
                    p.push(field(i, key), q.code, q.message);
                }
            }
        }
    }
    if p.0.is_empty() {
        Ok(crate::refunds::application(lines, file.batch_no.clone()))
    } else {
        Err(located(file, &p.0))
    }
}
