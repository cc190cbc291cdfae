//! Batch files (批量文件): what each kind's template holds, and reading a filled
//! one back into rows. Manual §3.4.2.2.2 (批量转账到快捷通账户), §3.4.2.4 (批量转账到
//! 银行账户), §4.1.3 (代发工资) and §3.3.2.2.2 (批量添加银行卡联系人).
//!
//! Every template has the same layout, so one reader serves all of them (and a
//! CSV saved from the template reads the same way):
//!
//! ```text
//! row 1   Paydesk · 模板更新于 <version>   填写模板须知 …
//! row 2   商户批次号 | <the batch number>     (kinds without a batch number leave it out)
//! row 3   the header row; required columns are shaded blue
//! row 4…  one payee per row, at most 999
//! ```
//!
//! The file's cells arrive as text (`crates/documents` reads xlsx, xls and csv);
//! this module checks the layout, the template version, the batch number and
//! that required cells are filled. What a row *means* — the payee, the amount,
//! the bank — is checked by the kind's draft check, whose per-field problems
//! [`BatchFile::locate`] turns back into a row and a column.

use crate::application::{ApplicationKind, OrderNo};
use crate::limits;
use crate::states::named_enum;

named_enum!(
    /// The batch files Paydesk takes.
    BatchKind, "batch kind" {
        /// 批量转账到快捷通账户 (§3.4.2.2.2).
        PlatformTransfer => "platform_transfer",
        /// 批量转账到银行账户, personal and corporate (§3.4.2.4).
        BankTransfer => "bank_transfer",
        /// 代发工资 (§4.1.3): wages to employees' personal bank accounts.
        Payroll => "payroll",
        /// 批量添加银行卡联系人 (§3.3.2.2.2).
        BankContacts => "bank_contacts",
        /// 批量退款 (§4.1.2.2): refunds of paid gateway trades.
        Refund => "refund",
    }
);

/// One column of a template: the key the checks use, the header people see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub key: &'static str,
    pub header: &'static str,
    pub required: bool,
    /// Numbers people type that a spreadsheet would otherwise mangle (account
    /// numbers, phones, order numbers): the template formats the column as text.
    pub text: bool,
}

const fn col(key: &'static str, header: &'static str, required: bool, text: bool) -> Column {
    Column { key, header, required, text }
}

const PLATFORM: [Column; 5] = [
    col("payee", "收款快捷通账户", true, true),
    col("amount", "转账金额（元）", true, false),
    col("notify_phone", "收款人联系手机", false, true),
    col("remark", "转账备注", false, false),
    col("merchant_order_no", "商户订单号", true, true),
];

const BANK: [Column; 11] = [
    col("name", "收款开户名", true, false),
    col("bank", "收款开户银行", true, false),
    col("province", "收款银行所在省份", true, false),
    col("city", "收款银行所在市", true, false),
    col("branch", "收款支行名称", true, false),
    col("account_number", "收款银行帐号", true, true),
    col("amount", "转账金额（元）", true, false),
    col("account_type", "对公对私", true, false),
    col("notify_phone", "收款人联系手机", false, true),
    col("remark", "转账备注", false, false),
    col("merchant_order_no", "商户订单号", true, true),
];

/// The manual shows no payroll template; it is the bank batch's columns without
/// 对公对私 (wages go to people), named for wages (docs/decisions.md).
const PAYROLL: [Column; 10] = [
    col("name", "收款人姓名", true, false),
    col("bank", "收款开户银行", true, false),
    col("province", "收款银行所在省份", true, false),
    col("city", "收款银行所在市", true, false),
    col("branch", "收款支行名称", true, false),
    col("account_number", "收款银行帐号", true, true),
    col("amount", "金额（元）", true, false),
    col("notify_phone", "收款人联系手机", false, true),
    col("remark", "备注", false, false),
    col("merchant_order_no", "商户订单号", true, true),
];

const CONTACTS: [Column; 7] = [
    col("name", "收款开户名", true, false),
    col("bank", "收款开户银行", true, false),
    col("province", "收款银行所在省份", true, false),
    col("city", "收款银行所在市", true, false),
    col("branch", "收款银行名称", true, false),
    col("account_number", "收款银行帐号", true, true),
    col("remark", "备注", false, false),
];

/// 批量退款's template (§4.1.2.2). The refund's own number is the row's 商户订单号
/// (`merchant_order_no`): unique among the merchant's orders, as any.
const REFUND: [Column; 4] = [
    col("trade_order_no", "原商户订单号", true, true),
    col("merchant_order_no", "退款商户订单号", true, true),
    col("amount", "退款金额", true, false),
    col("remark", "退款备注", false, false),
];

/// The sheet's rows, 0-based: where the version, the batch number, the header
/// and the first payee are.
pub const VERSION_ROW: usize = 0;
pub const BATCH_NO_ROW: usize = 1;
pub const HEADER_ROW: usize = 2;
pub const FIRST_ROW: usize = 3;

/// The words before the version date in the first row.
pub const VERSION_MARK: &str = "模板更新于";
/// The label of the batch-number cell.
pub const BATCH_NO_LABEL: &str = "商户批次号";

impl BatchKind {
    pub fn columns(self) -> &'static [Column] {
        match self {
            BatchKind::PlatformTransfer => &PLATFORM,
            BatchKind::BankTransfer => &BANK,
            BatchKind::Payroll => &PAYROLL,
            BatchKind::BankContacts => &CONTACTS,
            BatchKind::Refund => &REFUND,
        }
    }

    /// The manual's name for the batch.
    pub fn title_zh(self) -> &'static str {
        match self {
            BatchKind::PlatformTransfer => "批量转账到快捷通账户",
            BatchKind::BankTransfer => "批量转账到银行账户",
            BatchKind::Payroll => "代发工资",
            BatchKind::BankContacts => "批量添加银行卡联系人",
            BatchKind::Refund => "批量退款",
        }
    }

    /// The date of the current template; a file made from another is refused.
    /// Change it whenever the kind's columns change.
    pub fn template_version(self) -> &'static str {
        match self {
            BatchKind::PlatformTransfer
            | BatchKind::BankTransfer
            | BatchKind::Payroll
            | BatchKind::BankContacts => "2026-12-01",
            BatchKind::Refund => "2026-12-05",
        }
    }

    /// Batches of money carry a 商户批次号; a contact list doesn't.
    pub fn has_batch_no(self) -> bool {
        self != BatchKind::BankContacts
    }

    /// The application a batch of money becomes.
    pub fn application_kind(self) -> Option<ApplicationKind> {
        match self {
            BatchKind::PlatformTransfer => Some(ApplicationKind::BatchTransfer),
            BatchKind::BankTransfer => Some(ApplicationKind::BatchBankPayout),
            BatchKind::Payroll => Some(ApplicationKind::Payroll),
            BatchKind::BankContacts => None,
            BatchKind::Refund => Some(ApplicationKind::BatchRefund),
        }
    }

    /// The file name a template is downloaded as.
    pub fn template_file_name(self) -> String {
        format!("{}模板-{}.xlsx", self.title_zh(), self.template_version())
    }

    /// 填写模板须知, with the limits the checks apply.
    pub fn notice(self) -> String {
        let mut items = vec![format!(
            "每个批量文件记录数最多支持{}条。蓝色背景区域为必填项区域，白色背景区域非必填项区域",
            limits::BATCH_ROWS
        )];
        if matches!(self, BatchKind::BankTransfer | BatchKind::Payroll | BatchKind::BankContacts) {
            items.push(
                "请输入正确的收款开户名、开户银行、所在省市及支行名称（与支行目录一致），以确保打款成功"
                    .into(),
            );
        }
        if self.has_batch_no() {
            items.push(format!("批次号每批唯一，不超过{}位字符，支持数字和字母组合", limits::ORDER_NO_CHARS));
            items.push("金额应为大于零的整数或小数，为小数时最多保留两位小数".into());
            items.push(format!(
                "商户订单号用作对账关键要素应保证唯一，不超过{}位字符，支持数字和字母组合",
                limits::ORDER_NO_CHARS
            ));
        }
        if self == BatchKind::BankTransfer {
            items.push("对公对私填写“对公”或“对私”".into());
        }
        if self == BatchKind::Refund {
            items.push("原商户订单号为商户发生支付交易时提交的订单号；退款商户订单号即上述商户订单号".into());
        }
        let numbered: Vec<String> =
            items.iter().enumerate().map(|(i, t)| format!("{}、{t}", i + 1)).collect();
        format!("填写模板须知：{}", numbered.join(" "))
    }

    /// The first row's version text: `模板更新于 2026-12-01`.
    pub fn version_text(self) -> String {
        format!("{VERSION_MARK} {}", self.template_version())
    }
}

/// A problem in a batch file: where (the sheet's 1-based row, 0 for the file
/// as a whole; the column's header, empty for a whole row) and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    pub row: usize,
    pub column: String,
    pub code: &'static str,
    pub message: String,
}

impl RowProblem {
    fn file(code: &'static str, message: impl Into<String>) -> RowProblem {
        RowProblem { row: 0, column: String::new(), code, message: message.into() }
    }
}

/// One payee's row, its cells by column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchRow {
    /// The sheet's 1-based row number, for problems.
    pub row: usize,
    cells: Vec<String>,
    kind: BatchKind,
}

impl BatchRow {
    /// The trimmed text of column `key` (empty when blank).
    pub fn get(&self, key: &str) -> &str {
        self.kind
            .columns()
            .iter()
            .position(|c| c.key == key)
            .and_then(|i| self.cells.get(i))
            .map_or("", |s| s.as_str())
    }

    /// Column `key`, or none when blank.
    pub fn optional(&self, key: &str) -> Option<&str> {
        Some(self.get(key)).filter(|t| !t.is_empty())
    }

    /// Every cell, in column order.
    pub fn cells(&self) -> &[String] {
        &self.cells
    }
}

/// A batch file whose layout, version, batch number and required cells check out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchFile {
    pub kind: BatchKind,
    pub batch_no: Option<OrderNo>,
    pub rows: Vec<BatchRow>,
}

impl BatchFile {
    /// Where a draft check's problem `lines[i].<key>` is in the file.
    pub fn locate(&self, field: &str, code: &'static str, message: &str) -> RowProblem {
        let parsed = field
            .strip_prefix("lines[")
            .and_then(|rest| rest.split_once("]."))
            .and_then(|(i, key)| Some((i.parse::<usize>().ok()?, key)));
        match parsed.and_then(|(i, key)| Some((self.rows.get(i)?, key))) {
            Some((row, key)) => RowProblem {
                row: row.row,
                column: header_of(self.kind, key).to_owned(),
                code,
                message: message.to_owned(),
            },
            None => RowProblem::file(code, message),
        }
    }
}

/// The header of column `key`, or the key itself when the kind has no such column.
pub fn header_of(kind: BatchKind, key: &str) -> &str {
    kind.columns().iter().find(|c| c.key == key).map_or(key, |c| c.header)
}

fn row_is_blank(row: &[String]) -> bool {
    row.iter().all(|c| c.trim().is_empty())
}

/// The version date the first row names, if any.
fn version_of(first: &[String]) -> Option<String> {
    first.iter().find_map(|cell| {
        let (_, after) = cell.split_once(VERSION_MARK)?;
        let date: String = after.trim().chars().take(10).collect();
        (date.len() == 10).then_some(date)
    })
}

/// Reads a filled template of `kind` from its cells (row by row, as text).
/// Every problem is reported; a file with any problem gives no rows.
pub fn read(kind: BatchKind, grid: &[Vec<String>]) -> Result<BatchFile, Vec<RowProblem>> {
    let empty = Vec::new();
    let line = |i: usize| grid.get(i).unwrap_or(&empty);
    match version_of(line(VERSION_ROW)) {
        None => {
            return Err(vec![RowProblem::file(
                "template_unknown",
                format!("this is not a {} template; download the template and fill it in", kind.title_zh()),
            )])
        }
        Some(v) if v != kind.template_version() => {
            return Err(vec![RowProblem::file(
                "template_outdated",
                format!(
                    "this file was made from the template of {v}; download the template of {} and fill it in again",
                    kind.template_version()
                ),
            )])
        }
        Some(_) => {}
    }
    let columns = kind.columns();
    let header: Vec<&str> = line(HEADER_ROW).iter().map(|c| c.trim()).collect();
    let expected: Vec<&str> = columns.iter().map(|c| c.header).collect();
    if header.iter().take(columns.len()).copied().ne(expected.iter().copied())
        || header.iter().skip(columns.len()).any(|c| !c.is_empty())
    {
        return Err(vec![RowProblem {
            row: HEADER_ROW + 1,
            column: String::new(),
            code: "template_columns",
            message: format!("the header row must be the template's: {}", expected.join(" | ")),
        }]);
    }

    let mut problems = Vec::new();
    let batch_no = if kind.has_batch_no() {
        let cells = line(BATCH_NO_ROW);
        let at = cells.iter().position(|c| c.trim() == BATCH_NO_LABEL);
        let typed = at.and_then(|i| cells.get(i + 1)).map_or("", |c| c.trim());
        match OrderNo::parse(typed) {
            Ok(no) => Some(no),
            Err(_) => {
                problems.push(RowProblem {
                    row: BATCH_NO_ROW + 1,
                    column: BATCH_NO_LABEL.to_owned(),
                    code: "batch_no_invalid",
                    message: format!(
                        "fill in the 商户批次号: 1 to {} letters and digits, new for every batch",
                        limits::ORDER_NO_CHARS
                    ),
                });
                None
            }
        }
    } else {
        None
    };

    let data: Vec<(usize, &Vec<String>)> =
        grid.iter().enumerate().skip(FIRST_ROW).filter(|(_, r)| !row_is_blank(r)).collect();
    if data.is_empty() {
        problems.push(RowProblem::file("batch_empty", "the file has no rows to pay; fill in at least one"));
    }
    if data.len() > limits::BATCH_ROWS {
        problems.push(RowProblem::file(
            "batch_too_many_rows",
            format!("a batch file has at most {} rows; this one has {}", limits::BATCH_ROWS, data.len()),
        ));
        return Err(problems);
    }
    let mut rows = Vec::with_capacity(data.len());
    for (i, cells) in data {
        let mut row: Vec<String> = cells.iter().take(columns.len()).map(|c| c.trim().to_owned()).collect();
        row.resize(columns.len(), String::new());
        for (column, cell) in columns.iter().zip(&row) {
            if column.required && cell.is_empty() {
                problems.push(RowProblem {
                    row: i + 1,
                    column: column.header.to_owned(),
                    code: "required",
                    message: format!("{} is required", column.header),
                });
            }
        }
        if cells.iter().skip(columns.len()).any(|c| !c.trim().is_empty()) {
            problems.push(RowProblem {
                row: i + 1,
                column: String::new(),
                code: "extra_cells",
                message: "the row has cells beyond the template's columns".into(),
            });
        }
        rows.push(BatchRow { row: i + 1, cells: row, kind });
    }
    if problems.is_empty() {
        Ok(BatchFile { kind, batch_no, rows })
    } else {
        Err(problems)
    }
}

/// What a sheet of `kind` looks like when filled with `rows` (cells in column
/// order): the template's first three rows, then the rows. The documents crate
/// writes templates and problem copies from this; tests build files with it.
pub fn layout(kind: BatchKind, batch_no: &str, rows: &[Vec<String>]) -> Vec<Vec<String>> {
    let mut grid = vec![
        vec![format!("Paydesk · {}", kind.version_text()), kind.notice()],
        if kind.has_batch_no() { vec![BATCH_NO_LABEL.to_owned(), batch_no.to_owned()] } else { Vec::new() },
        kind.columns().iter().map(|c| c.header.to_owned()).collect(),
    ];
    grid.extend(rows.iter().cloned());
    grid
}

#[cfg(test)]
mod tests {
    use super::*;

    fn platform_row(n: usize) -> Vec<String> {
        vec![
            "payee@example.com".into(),
            "100.50".into(),
            String::new(),
            "劳务费".into(),
            format!("ORDER{n:04}"),
        ]
    }

    #[test]
    fn a_filled_template_reads_back_row_by_row() {
        let grid = layout(BatchKind::PlatformTransfer, "KJT20261201001", &[platform_row(1), platform_row(2)]);
        let file = read(BatchKind::PlatformTransfer, &grid).unwrap();
        assert_eq!(file.batch_no.unwrap().as_str(), "KJT20261201001");
        assert_eq!(file.rows.len(), 2);
        assert_eq!(file.rows[1].row, 5);
        assert_eq!(file.rows[1].get("merchant_order_no"), "ORDER0002");
        assert_eq!(file.rows[0].optional("notify_phone"), None);
    }

    #[test]
    fn an_older_template_is_refused_saying_so() {
        let mut grid = layout(BatchKind::BankTransfer, "B1", &[]);
        grid[0][0] = "Paydesk · 模板更新于 2015-03-23".into();
        let p = read(BatchKind::BankTransfer, &grid).unwrap_err();
        assert_eq!(p[0].code, "template_outdated");
        assert!(p[0].message.contains("2015-03-23") && p[0].message.contains("2026-12-01"));
        let p = read(BatchKind::BankTransfer, &[vec!["随便".into()]]).unwrap_err();
        assert_eq!(p[0].code, "template_unknown");
    }

    #[test]
    fn another_kinds_file_is_refused_by_its_header() {
        let grid = layout(BatchKind::Payroll, "B1", &[]);
        let p = read(BatchKind::BankTransfer, &grid).unwrap_err();
        assert_eq!((p[0].code, p[0].row), ("template_columns", 3));
    }

    #[test]
    fn every_missing_required_cell_and_the_batch_number_are_reported() {
        let mut blank = platform_row(1);
        blank[0].clear();
        blank[4].clear();
        let grid = layout(BatchKind::PlatformTransfer, "", &[platform_row(1), blank]);
        let p = read(BatchKind::PlatformTransfer, &grid).unwrap_err();
        let seen: Vec<(usize, &str, &str)> = p.iter().map(|p| (p.row, p.column.as_str(), p.code)).collect();
        assert_eq!(
            seen,
            [
                (2, "商户批次号", "batch_no_invalid"),
                (5, "收款快捷通账户", "required"),
                (5, "商户订单号", "required")
            ]
        );
    }

    #[test]
    fn at_most_999_rows_and_blank_rows_do_not_count() {
        let mut rows: Vec<Vec<String>> = (0..limits::BATCH_ROWS).map(platform_row).collect();
        rows.insert(10, vec![String::new(); 5]);
        let grid = layout(BatchKind::PlatformTransfer, "B1", &rows);
        assert_eq!(read(BatchKind::PlatformTransfer, &grid).unwrap().rows.len(), 999);
        rows.push(platform_row(1000));
        let grid = layout(BatchKind::PlatformTransfer, "B1", &rows);
        let p = read(BatchKind::PlatformTransfer, &grid).unwrap_err();
        assert_eq!(p[0].code, "batch_too_many_rows");
        let p =
            read(BatchKind::PlatformTransfer, &layout(BatchKind::PlatformTransfer, "B1", &[])).unwrap_err();
        assert_eq!(p[0].code, "batch_empty");
    }

    #[test]
    fn contact_lists_have_no_batch_number() {
        let row = [
            "张三",
            "工商银行",
            "上海市",
            "上海市",
            "中国工商银行股份有限公司上海市陆家嘴支行",
            "6222020000000001",
            "",
        ]
        .map(String::from)
        .to_vec();
        let file = read(BatchKind::BankContacts, &layout(BatchKind::BankContacts, "", &[row])).unwrap();
        assert_eq!(file.batch_no, None);
        assert_eq!(file.rows[0].get("account_number"), "6222020000000001");
    }

    #[test]
    fn a_draft_problem_is_placed_at_its_row_and_column() {
        let grid = layout(BatchKind::PlatformTransfer, "B1", &[platform_row(1), platform_row(2)]);
        let file = read(BatchKind::PlatformTransfer, &grid).unwrap();
        let p = file.locate("lines[1].amount", "amount_zero", "more than 0.00");
        assert_eq!((p.row, p.column.as_str()), (5, "转账金额（元）"));
        assert_eq!(file.locate("remark", "x", "y").row, 0);
    }

    #[test]
    fn the_notice_states_the_limits() {
        for kind in BatchKind::ALL {
            assert!(kind.notice().contains("999"), "{kind}");
            assert!(kind.columns().iter().any(|c| c.required));
        }
        assert!(BatchKind::BankTransfer.notice().contains("对公"));
    }
}
