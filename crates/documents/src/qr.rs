//! 二维码收款: the QR code of a collection link and the poster a merchant prints
//! (SVG: sharp at any size, a few KB, printable from the browser).

/// A QR code's modules: `width × width`, dark or light.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matrix {
    pub width: usize,
    dark: Vec<bool>,
}

impl Matrix {
    /// Whether the module at column `x`, row `y` is dark.
    pub fn is_dark(&self, x: usize, y: usize) -> bool {
        x < self.width && y < self.width && self.dark[y * self.width + x]
    }
}

/// The content doesn't fit in a QR code.
#[derive(Debug, thiserror::Error)]
#[error("this text doesn't fit in a QR code")]
pub struct TooLong;

/// The QR code of `content`, with medium error correction (readable with a
/// crease or a smudge on a printed poster).
pub fn matrix(content: &str) -> Result<Matrix, TooLong> {
    let code = qrcode::QrCode::with_error_correction_level(content.as_bytes(), qrcode::EcLevel::M)
        .map_err(|_| TooLong)?;
    let width = code.width();
    let dark = code.to_colors().into_iter().map(|c| c == qrcode::Color::Dark).collect();
    Ok(Matrix { width, dark })
}

fn xml(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The QR code alone as an SVG path, `size` pixels square with a quiet zone.
fn code_group(m: &Matrix, x: f64, y: f64, size: f64) -> String {
    let cells = m.width + 8;
    #[allow(clippy::cast_precision_loss)]
    let unit = size / cells as f64;
    let mut path = String::new();
    for row in 0..m.width {
        for col in 0..m.width {
            if m.is_dark(col, row) {
                path.push_str(&format!("M{} {}h1v1h-1z", col + 4, row + 4));
            }
        }
    }
    format!(
        "<g transform=\"translate({x} {y}) scale({unit})\"><rect width=\"{cells}\" height=\"{cells}\" fill=\"#fff\"/>\
         <path d=\"{path}\" fill=\"#000\"/></g>"
    )
}

/// The poster: the merchant's name, the code, the amount (or 金额由付款人填写 for
/// an open-amount code) and the code's name.
pub fn poster_svg(
    content: &str,
    merchant: &str,
    title: &str,
    amount: Option<&str>,
) -> Result<String, TooLong> {
    let m = matrix(content)?;
    let amount_line = match amount {
        Some(a) => format!("¥ {}", xml(a)),
        None => "金额由付款人填写 · Enter any amount".to_owned(),
    };
    let amount_size = if amount.is_some() { 40 } else { 22 };
    Ok(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"600\" height=\"860\" viewBox=\"0 0 600 860\" \
         font-family=\"'PingFang SC','WenQuanYi Micro Hei','Microsoft YaHei',sans-serif\">\
         <rect width=\"600\" height=\"860\" fill=\"#1f4fd1\"/><rect x=\"30\" y=\"110\" width=\"540\" height=\"720\" rx=\"18\" fill=\"#fff\"/>\
         <text x=\"300\" y=\"72\" fill=\"#fff\" font-size=\"34\" font-weight=\"700\" text-anchor=\"middle\">Paydesk 收款码</text>\
         <text x=\"300\" y=\"170\" fill=\"#1d2433\" font-size=\"28\" font-weight=\"600\" text-anchor=\"middle\" class=\"merchant\">{merchant}</text>\
         {code}\
         <text x=\"300\" y=\"700\" fill=\"#1d2433\" font-size=\"{amount_size}\" font-weight=\"700\" text-anchor=\"middle\" class=\"amount\">{amount_line}</text>\
         <text x=\"300\" y=\"748\" fill=\"#5b6478\" font-size=\"22\" text-anchor=\"middle\" class=\"title\">{title}</text>\
         <text x=\"300\" y=\"800\" fill=\"#8a93a6\" font-size=\"18\" text-anchor=\"middle\">使用手机扫码付款 · Scan to pay</text></svg>",
        merchant = xml(merchant),
        title = xml(title),
        code = code_group(&m, 100.0, 200.0, 400.0),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads a matrix back with an independent decoder, as a phone's camera would.
    fn decode(m: &Matrix) -> String {
        let scale = 6;
        let side = (m.width + 8) * scale;
        let mut img = rqrr::PreparedImage::prepare_from_greyscale(side, side, |x, y| {
            let (cx, cy) = ((x / scale).wrapping_sub(4), (y / scale).wrapping_sub(4));
            if m.is_dark(cx, cy) {
                0
            } else {
                255
            }
        });
        let grids = img.detect_grids();
        assert_eq!(grids.len(), 1);
        grids[0].decode().unwrap().1
    }

    #[test]
    fn a_collection_link_reads_back() {
        let url = "https://pay.example.com/pay/q_3f9a1c2b7d5e4f60";
        assert_eq!(decode(&matrix(url).unwrap()), url);
    }

    #[test]
    fn the_poster_names_the_merchant_and_the_amount() {
        let svg = poster_svg("https://x/pay/q1", "收款科技 <有限> 公司", "门店收款", Some("88.00")).unwrap();
        assert!(
            svg.contains("收款科技 &lt;有限&gt; 公司") && svg.contains("¥ 88.00") && svg.contains("门店收款")
        );
        let open = poster_svg("https://x/pay/q1", "店", "随意付", None).unwrap();
        assert!(open.contains("金额由付款人填写"));
        assert!(svg.len() < 40_000, "{}", svg.len());
        assert!(matrix(&"x".repeat(5_000)).is_err());
    }
}
