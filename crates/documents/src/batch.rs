//! Batch files: the templates people download (批量文件模板), reading a filled
//! one back as text cells whatever it was saved as, and the copy of a refused
//! file with a problems column. The layout and the checks are
//! `paydesk_domain::batch`'s.
//!
//! A file is judged by its content, not its name: xlsx is a zip, xls an OLE
//! compound document, anything else is read as CSV in UTF-8 (with or without a
//! byte-order mark) or, failing that, GBK — what Excel on a Chinese Windows
//! saves.

use std::io::Cursor;

use calamine::{Data, Reader, Xls, Xlsx};
use paydesk_domain::batch::{self, BatchKind, RowProblem};
use paydesk_domain::limits;
use rust_xlsxwriter::{Format, FormatAlign, Workbook};

use crate::DocumentError;

/// The most a batch file may weigh.
pub const MAX_BYTES: usize = limits::BATCH_FILE_BYTES;

const XLSX_MAGIC: &[u8] = b"PK\x03\x04";
const XLS_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// A batch file's media type, judged by its bytes as [`read_grid`] judges them.
pub fn content_type(bytes: &[u8]) -> &'static str {
    if bytes.starts_with(XLSX_MAGIC) {
        crate::XLSX
    } else if bytes.starts_with(XLS_MAGIC) {
        "application/vnd.ms-excel"
    } else {
        "text/csv"
    }
}

/// Why a file can't be read at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    pub code: &'static str,
    pub message: String,
}

fn unreadable(code: &'static str, message: impl Into<String>) -> Unreadable {
    Unreadable { code, message: message.into() }
}

const BLUE: &str = "#BDD7EE";

fn sheet_name(kind: BatchKind) -> &'static str {
    kind.title_zh()
}

/// Writes `grid` (the domain's layout) with the template's formats: the notice
/// wrapped over the columns, the batch number's label, the header with required
/// columns shaded blue, text columns formatted as text. `extra` is a last
/// column's header and cells (the problems column of a refused copy).
fn write(
    kind: BatchKind,
    grid: &[Vec<String>],
    extra: Option<(&str, &[String])>,
) -> Result<Vec<u8>, DocumentError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(sheet_name(kind))?;
    let columns = kind.columns();
    let last = columns.len() as u16 - 1 + u16::from(extra.is_some());
    let bold = Format::new().set_bold();
    let notice = Format::new().set_text_wrap().set_align(FormatAlign::Top).set_font_size(9);
    let required =
        Format::new().set_bold().set_background_color(BLUE).set_border(rust_xlsxwriter::FormatBorder::Thin);
    let optional = Format::new().set_bold().set_border(rust_xlsxwriter::FormatBorder::Thin);
    let text = Format::new().set_num_format("@");
    let problem = Format::new().set_font_color("#C00000");

    for (r, row) in grid.iter().enumerate() {
        let r = r as u32;
        match r as usize {
            batch::VERSION_ROW => {
                sheet.write_string_with_format(r, 0, row.first().map_or("", |s| s.as_str()), &bold)?;
                if last >= 1 {
                    sheet.merge_range(r, 1, r, last, row.get(1).map_or("", |s| s.as_str()), &notice)?;
                }
                sheet.set_row_height(r, 60)?;
            }
            batch::HEADER_ROW => {
                for (c, column) in columns.iter().enumerate() {
                    let format = if column.required { &required } else { &optional };
                    sheet.write_string_with_format(r, c as u16, column.header, format)?;
                }
            }
            _ => {
                for (c, cell) in row.iter().enumerate() {
                    if r as usize == batch::BATCH_NO_ROW && c == 0 {
                        sheet.write_string_with_format(r, 0, cell, &bold)?;
                    } else if !cell.is_empty() {
                        sheet.write_string(r, c as u16, cell)?;
                    }
                }
            }
        }
    }
    if let Some((header, cells)) = extra {
        let col = columns.len() as u16;
        sheet.write_string_with_format(batch::HEADER_ROW as u32, col, header, &optional)?;
        for (i, cell) in cells.iter().enumerate() {
            if !cell.is_empty() {
                sheet.write_string_with_format((batch::FIRST_ROW + i) as u32, col, cell, &problem)?;
            }
        }
        sheet.set_column_width(col, 48)?;
    }
    for (c, column) in columns.iter().enumerate() {
        let width = (column.header.chars().count() as f64 * 2.2).max(14.0);
        if column.text {
            sheet.set_column_format(c as u16, &text)?;
        }
        sheet.set_column_width(c as u16, width)?;
    }
    sheet.set_freeze_panes(batch::FIRST_ROW as u32, 0)?;
    Ok(book.save_to_buffer()?)
}

/// The template of `kind`: people fill the rows below the header.
pub fn template_xlsx(kind: BatchKind) -> Result<Vec<u8>, DocumentError> {
    write(kind, &batch::layout(kind, "", &[]), None)
}

/// A filled template: the template of `kind` with `batch_no` and `rows` (cells
/// in column order) typed in, as someone would in a spreadsheet.
pub fn filled_xlsx(kind: BatchKind, batch_no: &str, rows: &[Vec<String>]) -> Result<Vec<u8>, DocumentError> {
    write(kind, &batch::layout(kind, batch_no, rows), None)
}

/// A refused file given back with a 问题 column: every data row as it was read,
/// each with its problems; problems of the file as a whole (row 0) and of the
/// batch number go in the first row's notice.
pub fn problems_xlsx(
    kind: BatchKind,
    grid: &[Vec<String>],
    problems: &[RowProblem],
) -> Result<Vec<u8>, DocumentError> {
    let rows: Vec<Vec<String>> = grid.iter().skip(batch::FIRST_ROW).cloned().collect();
    let batch_no = grid
        .get(batch::BATCH_NO_ROW)
        .and_then(|r| r.iter().position(|c| c.trim() == batch::BATCH_NO_LABEL).and_then(|i| r.get(i + 1)))
        .cloned()
        .unwrap_or_default();
    let mut out = batch::layout(kind, &batch_no, &rows);
    let whole: Vec<String> = problems
        .iter()
        .filter(|p| p.row <= batch::HEADER_ROW + 1)
        .map(|p| {
            format!(
                "{}{}",
                if p.column.is_empty() { String::new() } else { format!("{}: ", p.column) },
                p.message
            )
        })
        .collect();
    if !whole.is_empty() {
        out[batch::VERSION_ROW][1] = format!("文件问题 Problems: {}", whole.join("；"));
    }
    let notes: Vec<String> = (0..rows.len())
        .map(|i| {
            let row = batch::FIRST_ROW + i + 1;
            problems
                .iter()
                .filter(|p| p.row == row)
                .map(|p| {
                    if p.column.is_empty() {
                        p.message.clone()
                    } else {
                        format!("{}: {}", p.column, p.message)
                    }
                })
                .collect::<Vec<_>>()
                .join("；")
        })
        .collect();
    write(kind, &out, Some(("问题 Problems", &notes)))
}

/// One line of an application as the lines export lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineRow {
    pub line_no: u32,
    /// 交易订单号.
    pub trade_no: String,
    pub merchant_order_no: String,
    pub payee_name: String,
    /// Masked for bank accounts.
    pub payee_account: String,
    pub amount_fen: i64,
    pub fee_fen: i64,
    /// The line's status in words.
    pub status: String,
    /// Why it failed or came back.
    pub reason: String,
}

/// Every line of an application (查看更多 → 导出, and a batch's result file).
pub fn lines_xlsx(title: &str, rows: &[LineRow]) -> Result<Vec<u8>, DocumentError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("明细")?;
    let bold = Format::new().set_bold();
    let header = Format::new().set_bold().set_background_color(BLUE);
    let amount = Format::new().set_num_format("#,##0.00");
    sheet.write_string_with_format(0, 0, title, &bold)?;
    let columns = [
        "序号",
        "交易订单号",
        "商户订单号",
        "收款人",
        "收款账号",
        "金额（元）",
        "服务费（元）",
        "状态",
        "原因",
    ];
    for (c, name) in columns.iter().enumerate() {
        sheet.write_string_with_format(2, c as u16, *name, &header)?;
    }
    for (i, r) in rows.iter().enumerate() {
        let row = 3 + i as u32;
        sheet.write_number(row, 0, f64::from(r.line_no))?;
        sheet.write_string(row, 1, &r.trade_no)?;
        sheet.write_string(row, 2, &r.merchant_order_no)?;
        sheet.write_string(row, 3, &r.payee_name)?;
        sheet.write_string(row, 4, &r.payee_account)?;
        sheet.write_number_with_format(row, 5, crate::yuan(r.amount_fen), &amount)?;
        sheet.write_number_with_format(row, 6, crate::yuan(r.fee_fen), &amount)?;
        sheet.write_string(row, 7, &r.status)?;
        sheet.write_string(row, 8, &r.reason)?;
    }
    for (c, width) in [6.0, 24.0, 18.0, 18.0, 26.0, 12.0, 12.0, 10.0, 30.0].into_iter().enumerate() {
        sheet.set_column_width(c as u16, width)?;
    }
    sheet.set_freeze_panes(3, 0)?;
    Ok(book.save_to_buffer()?)
}

/// A cell as the text someone typed. Whole numbers lose the `.0` a spreadsheet
/// stores them with; long digit strings typed as numbers keep their digits up to
/// the 15 a double holds (the template formats such columns as text).
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => format!("{f}"),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => d.as_f64().to_string(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

fn grid_of(range: &calamine::Range<Data>) -> Vec<Vec<String>> {
    let Some((top, left)) = range.start() else { return Vec::new() };
    let mut grid: Vec<Vec<String>> = vec![Vec::new(); top as usize];
    for row in range.rows() {
        let mut cells = vec![String::new(); left as usize];
        cells.extend(row.iter().map(cell_text));
        while cells.last().is_some_and(|c| c.trim().is_empty()) {
            cells.pop();
        }
        grid.push(cells);
    }
    grid
}

fn first_sheet<R: Reader<Cursor<Vec<u8>>>>(mut book: R) -> Result<Vec<Vec<String>>, Unreadable> {
    match book.worksheet_range_at(0) {
        Some(Ok(range)) => Ok(grid_of(&range)),
        _ => Err(unreadable("file_unreadable", "the workbook has no sheet that can be read")),
    }
}

fn csv_grid(text: &str) -> Result<Vec<Vec<String>>, Unreadable> {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut grid = Vec::new();
    for record in reader.records() {
        let record =
            record.map_err(|e| unreadable("file_unreadable", format!("the CSV can't be read: {e}")))?;
        grid.push(record.iter().map(str::to_owned).collect());
    }
    Ok(grid)
}

/// Reads any batch file's first sheet as rows of text cells.
pub fn read_grid(bytes: &[u8]) -> Result<Vec<Vec<String>>, Unreadable> {
    if bytes.len() > MAX_BYTES {
        return Err(unreadable(
            "file_too_large",
            format!("a batch file is at most {} MB", MAX_BYTES / (1024 * 1024)),
        ));
    }
    if bytes.is_empty() {
        return Err(unreadable("file_empty", "the file is empty"));
    }
    let cursor = || Cursor::new(bytes.to_vec());
    if bytes.starts_with(XLSX_MAGIC) {
        let book: Xlsx<_> = Xlsx::new(cursor())
            .map_err(|_| unreadable("file_unreadable", "this xlsx file can't be opened"))?;
        return first_sheet(book);
    }
    if bytes.starts_with(XLS_MAGIC) {
        let book: Xls<_> =
            Xls::new(cursor()).map_err(|_| unreadable("file_unreadable", "this xls file can't be opened"))?;
        return first_sheet(book);
    }
    if bytes.contains(&0) {
        return Err(unreadable("file_type", "upload the template as .xlsx, .xls or .csv"));
    }
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(body) {
        Ok(t) => t.to_owned(),
        Err(_) => match encoding_rs::GBK.decode_without_bom_handling_and_without_replacement(body) {
            Some(text) => text.into_owned(),
            None => return Err(unreadable("file_encoding", "save the CSV as UTF-8 or GBK")),
        },
    };
    csv_grid(&text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use paydesk_domain::batch::read;

    fn rows() -> Vec<Vec<String>> {
        (1..=3)
            .map(|n| {
                vec![
                    "payee@example.com".into(),
                    format!("{n}00.5"),
                    "13800138000".into(),
                    "劳务费".into(),
                    format!("ORDER{n}"),
                ]
            })
            .collect()
    }

    fn filled(kind: BatchKind, batch_no: &str, rows: &[Vec<String>]) -> Vec<u8> {
        filled_xlsx(kind, batch_no, rows).unwrap()
    }

    #[test]
    fn every_template_reads_back_as_its_layout() {
        for &kind in BatchKind::ALL {
            let grid = read_grid(&template_xlsx(kind).unwrap()).unwrap();
            assert!(grid[0][0].contains(&kind.version_text()), "{kind}");
            assert!(grid[0][1].starts_with("填写模板须知"));
            let header: Vec<&str> = kind.columns().iter().map(|c| c.header).collect();
            assert_eq!(grid[2], header);
            let p = read(kind, &grid).unwrap_err();
            assert!(p.iter().any(|p| p.code == "batch_empty"), "an empty template has no rows: {p:?}");
        }
    }

    #[test]
    fn a_filled_xlsx_reads_back_row_for_row() {
        let bytes = filled(BatchKind::PlatformTransfer, "KJT001", &rows());
        let file = read(BatchKind::PlatformTransfer, &read_grid(&bytes).unwrap()).unwrap();
        assert_eq!(file.batch_no.unwrap().as_str(), "KJT001");
        assert_eq!(file.rows.len(), 3);
        assert_eq!(file.rows[2].get("amount"), "300.5");
        assert_eq!(file.rows[0].get("notify_phone"), "13800138000");
    }

    /// An Excel 97–2003 file (written by xlwt, kept as a fixture), numbers typed as numbers.
    #[test]
    fn an_xls_file_reads_like_the_xlsx() {
        let bytes = include_bytes!("../tests/fixtures/platform-transfer.xls");
        let file = read(BatchKind::PlatformTransfer, &read_grid(bytes).unwrap()).unwrap();
        assert_eq!(file.batch_no.unwrap().as_str(), "XLS001");
        let row = |i: usize, key: &str| file.rows[i].get(key).to_owned();
        assert_eq!(
            (row(0, "amount"), row(0, "notify_phone"), row(1, "amount")),
            ("100".into(), "13800138000".into(), "0.5".into())
        );
        assert_eq!(row(1, "merchant_order_no"), "X2");
    }

    #[test]
    fn numbers_typed_as_numbers_read_as_typed() {
        assert_eq!(cell_text(&Data::Float(100.0)), "100");
        assert_eq!(cell_text(&Data::Float(100.15)), "100.15");
        assert_eq!(cell_text(&Data::Float(13800138000.0)), "13800138000");
        assert_eq!(cell_text(&Data::Int(42)), "42");
    }

    #[test]
    fn csv_in_utf8_with_a_bom_and_in_gbk_read_alike() {
        let grid = batch::layout(BatchKind::PlatformTransfer, "KJT001", &rows());
        let text: String = grid
            .iter()
            .map(|r| format!("{}\r\n", r.iter().map(|c| format!("\"{c}\"")).collect::<Vec<_>>().join(",")))
            .collect();
        let utf8 = [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat();
        let (gbk, _, _) = encoding_rs::GBK.encode(&text);
        let a = read_grid(&utf8).unwrap();
        let b = read_grid(&gbk).unwrap();
        assert_eq!(a, b);
        let file = read(BatchKind::PlatformTransfer, &a).unwrap();
        assert_eq!(file.rows[1].get("remark"), "劳务费");
    }

    #[test]
    fn files_are_judged_by_content_and_size() {
        assert_eq!(read_grid(&vec![b'a'; MAX_BYTES + 1]).unwrap_err().code, "file_too_large");
        assert_eq!(read_grid(b"PK\x03\x04 not a zip").unwrap_err().code, "file_unreadable");
        assert_eq!(read_grid(b"\x89PNG\r\n\x1a\n\0\0").unwrap_err().code, "file_type");
        assert_eq!(read_grid(&[0xFF, 0xFE, 0x80, 0x80]).unwrap_err().code, "file_encoding");
        assert_eq!(read_grid(b"").unwrap_err().code, "file_empty");
    }

    #[test]
    fn the_lines_export_reads_back() {
        let row = LineRow {
            line_no: 1,
            trade_no: "261201100000000000001".into(),
            merchant_order_no: "B1".into(),
            payee_name: "张三".into(),
            payee_account: "*****0001".into(),
            amount_fen: 12_345,
            fee_fen: 200,
            status: "失败".into(),
            reason: "户名与账号不符".into(),
        };
        let grid = read_grid(&lines_xlsx("批次 B", &[row]).unwrap()).unwrap();
        assert_eq!(
            grid[3],
            [
                "1",
                "261201100000000000001",
                "B1",
                "张三",
                "*****0001",
                "123.45",
                "2",
                "失败",
                "户名与账号不符"
            ]
        );
    }

    #[test]
    fn a_refused_copy_carries_each_rows_problems() {
        let grid = batch::layout(BatchKind::PlatformTransfer, "KJT001", &rows());
        let problems = vec![
            RowProblem {
                row: 5,
                column: "转账金额（元）".into(),
                code: "amount_zero",
                message: "more than 0.00".into(),
            },
            RowProblem {
                row: 0,
                column: String::new(),
                code: "batch_no_taken",
                message: "used before".into(),
            },
        ];
        let copy = read_grid(&problems_xlsx(BatchKind::PlatformTransfer, &grid, &problems).unwrap()).unwrap();
        assert_eq!(copy[2].last().unwrap(), "问题 Problems");
        assert_eq!(copy[4].last().unwrap(), "转账金额（元）: more than 0.00");
        assert_eq!(copy[3].len(), 5, "a row without problems has no note");
        assert!(copy[0][1].contains("used before"));
        assert_eq!(copy[1], ["商户批次号", "KJT001"]);
    }
}
