//! Writes a filled batch file to pay one platform account in many rows, for
//! `just bench` and for trying the upload by hand:
//!
//! ```text
//! cargo run -p paydesk-documents --example batch_file -- OUT.xlsx ROWS PAYEE BATCH_NO
//! ```

use paydesk_documents::batch::filled_xlsx;
use paydesk_domain::batch::BatchKind;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [out, rows, payee, batch_no] = args.as_slice() else {
        return Err("usage: batch_file OUT.xlsx ROWS PAYEE BATCH_NO".into());
    };
    let count: usize = rows.parse()?;
    let rows: Vec<Vec<String>> = (1..=count)
        .map(|i| {
            vec![payee.clone(), "0.01".into(), String::new(), "bench".into(), format!("{batch_no}R{i:04}")]
        })
        .collect();
    std::fs::write(out, filled_xlsx(BatchKind::PlatformTransfer, batch_no, &rows)?)?;
    Ok(())
}
