//! Files Paydesk produces for people and reads from them: the account statement
//! as a spreadsheet, and batch files (`batch`).
//!
//! Amounts are written as numbers with two decimals so a spreadsheet can add them
//! up. xlsx stores every number as an IEEE double; fen are converted only here, at
//! the file boundary, and every amount below 2^53 fen (90 trillion yuan) is exact.

pub mod batch;
pub mod qr;

/// The media type of every spreadsheet Paydesk writes.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

use paydesk_domain::Money;
use rust_xlsxwriter::{Format, Workbook, XlsxError};

/// One line of 收支明细 as the export shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementEntry {
    pub time: String,
    /// Positive for income, negative for expense, in fen.
    pub amount_fen: i64,
    pub balance_after_fen: i64,
    pub remark: String,
}

#[derive(Debug, thiserror::Error)]
#[error("writing the spreadsheet failed: {0}")]
pub struct DocumentError(#[from] XlsxError);

pub(crate) fn yuan(fen: i64) -> f64 {
    // Exact for |fen| < 2^53; the ledger caps amounts far below that.
    fen as f64 / 100.0
}

/// The statement of `company` for `period` (e.g. `2026-11-01 – 2026-11-23`) as xlsx bytes.
pub fn statement_xlsx(
    company: &str,
    period: &str,
    entries: &[StatementEntry],
) -> Result<Vec<u8>, DocumentError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("收支明细")?;
    let title = Format::new().set_bold().set_font_size(14);
    let header = Format::new()
        .set_bold()
        .set_background_color("#EEF3FB")
        .set_border_bottom(rust_xlsxwriter::FormatBorder::Thin);
    let amount = Format::new().set_num_format("#,##0.00");
    sheet.write_string_with_format(0, 0, format!("{company} 收支明细"), &title)?;
    sheet.write_string(1, 0, format!("期间 Period: {period}"))?;
    let columns = ["时间 Time (UTC)", "收入 Income", "支出 Expense", "账户余额 Balance", "备注 Remark"];
    for (i, name) in columns.iter().enumerate() {
        sheet.write_string_with_format(3, i as u16, *name, &header)?;
    }
    for (n, e) in entries.iter().enumerate() {
        let row = 4 + n as u32;
        sheet.write_string(row, 0, &e.time)?;
        if e.amount_fen > 0 {
            sheet.write_number_with_format(row, 1, yuan(e.amount_fen), &amount)?;
        } else {
            sheet.write_number_with_format(row, 2, yuan(-e.amount_fen), &amount)?;
        }
        sheet.write_number_with_format(row, 3, yuan(e.balance_after_fen), &amount)?;
        sheet.write_string(row, 4, &e.remark)?;
    }
    let last = 4 + entries.len() as u32;
    sheet.write_string(last + 1, 0, format!("共 {} 条 · {} rows", entries.len(), entries.len()))?;
    sheet.set_column_width(0, 22)?;
    sheet.set_column_width(1, 14)?;
    sheet.set_column_width(2, 14)?;
    sheet.set_column_width(3, 16)?;
    sheet.set_column_width(4, 36)?;
    sheet.set_freeze_panes(4, 0)?;
    Ok(book.save_to_buffer()?)
}

/// The text of an amount as the export would show it, for comparisons.
pub fn amount_text(fen: i64) -> String {
    Money::from_fen(fen.abs()).map(|m| m.to_string()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Data, Reader, Xlsx};
    use std::io::Cursor;

    #[test]
    fn the_export_reads_back_row_for_row() {
        let entries = vec![
            StatementEntry {
                time: "2026-11-23 10:00:00".into(),
                amount_fen: -10_000,
                balance_after_fen: 90_000,
                remark: "转账".into(),
            },
            StatementEntry {
                time: "2026-11-23 09:00:00".into(),
                amount_fen: 100_000,
                balance_after_fen: 100_000,
                remark: "充值 中国工商银行".into(),
            },
            StatementEntry {
                time: "2026-11-23 08:00:00".into(),
                amount_fen: 1,
                balance_after_fen: 1,
                remark: "".into(),
            },
        ];
        let bytes = statement_xlsx("上海示例贸易有限公司", "2026-11-01 – 2026-11-23", &entries).unwrap();
        let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
        let range = book.worksheet_range("收支明细").unwrap();
        assert_eq!(range.get_value((0, 0)), Some(&Data::String("上海示例贸易有限公司 收支明细".into())));
        let money = |r: u32, c: u32| match range.get_value((r, c)) {
            Some(Data::Float(f)) => format!("{f:.2}"),
            _ => String::new(),
        };
        assert_eq!(
            (money(4, 1), money(4, 2), money(4, 3)),
            (String::new(), "100.00".into(), "900.00".into())
        );
        assert_eq!((money(5, 1), money(5, 3)), ("1000.00".into(), "1000.00".into()));
        assert_eq!(money(6, 1), "0.01");
        assert_eq!(range.get_value((5, 4)), Some(&Data::String("充值 中国工商银行".into())));
    }
}

/// One row of 交易记录 as the export shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordLine {
    pub created_at: String,
    pub trade_no: String,
    pub merchant_order_no: String,
    pub trade_type: String,
    pub amount_fen: i64,
    pub fee_fen: i64,
    /// 退款金额, for gateway trades.
    pub refunded_fen: Option<i64>,
    pub status: String,
    pub counterparty: String,
}

/// 交易记录 of one query type (`title`, e.g. `网关交易 2026-11-01 – 2026-12-01`)
/// as xlsx bytes: the page's columns, every row of the filter.
pub fn records_xlsx(company: &str, title: &str, rows: &[RecordLine]) -> Result<Vec<u8>, DocumentError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("交易记录")?;
    let bold = Format::new().set_bold().set_font_size(14);
    let header = Format::new()
        .set_bold()
        .set_background_color("#EEF3FB")
        .set_border_bottom(rust_xlsxwriter::FormatBorder::Thin);
    let amount = Format::new().set_num_format("#,##0.00");
    sheet.write_string_with_format(0, 0, format!("{company} 交易记录"), &bold)?;
    sheet.write_string(1, 0, title)?;
    let columns = [
        "创建时间 Created (UTC)",
        "交易订单号 Trade no.",
        "商户订单号 Merchant order no.",
        "交易类型 Type",
        "金额(元) Amount",
        "服务费(元) Fee",
        "退款金额(元) Refunded",
        "状态 Status",
        "对方 Counterparty",
    ];
    for (i, name) in columns.iter().enumerate() {
        sheet.write_string_with_format(3, i as u16, *name, &header)?;
    }
    for (n, r) in rows.iter().enumerate() {
        let row = 4 + n as u32;
        sheet.write_string(row, 0, &r.created_at)?;
        sheet.write_string(row, 1, &r.trade_no)?;
        sheet.write_string(row, 2, &r.merchant_order_no)?;
        sheet.write_string(row, 3, &r.trade_type)?;
        sheet.write_number_with_format(row, 4, yuan(r.amount_fen), &amount)?;
        sheet.write_number_with_format(row, 5, yuan(r.fee_fen), &amount)?;
        if let Some(refunded) = r.refunded_fen {
            sheet.write_number_with_format(row, 6, yuan(refunded), &amount)?;
        }
        sheet.write_string(row, 7, &r.status)?;
        sheet.write_string(row, 8, &r.counterparty)?;
    }
    let last = 4 + rows.len() as u32;
    sheet.write_string(last + 1, 0, format!("共 {} 条 · {} rows", rows.len(), rows.len()))?;
    for (col, width) in [(0, 20), (1, 24), (2, 30), (3, 18), (4, 12), (5, 12), (6, 14), (7, 10), (8, 30)] {
        sheet.set_column_width(col, width)?;
    }
    sheet.set_freeze_panes(4, 0)?;
    Ok(book.save_to_buffer()?)
}
