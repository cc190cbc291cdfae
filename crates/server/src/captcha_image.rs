//! Draws a captcha as an SVG picture: each character from a 5×7 dot font, drawn
//! as jittered, rotated cells over noise lines. The markup holds only shapes, no
//! text, so the answer isn't sitting in the document for a script to read.

use std::fmt::Write;

use rand::Rng;

/// Characters a captcha uses: no 0/O, 1/I/L, which people confuse.
pub const ALPHABET: &str = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

fn glyph(c: char) -> [&'static str; 7] {
    match c {
        '2' => ["01110", "10001", "00001", "00010", "00100", "01000", "11111"],
        '3' => ["11110", "00001", "00001", "01110", "00001", "00001", "11110"],
        '4' => ["00010", "00110", "01010", "10010", "11111", "00010", "00010"],
        '5' => ["11111", "10000", "11110", "00001", "00001", "10001", "01110"],
        '6' => ["00110", "01000", "10000", "11110", "10001", "10001", "01110"],
        '7' => ["11111", "00001", "00010", "00100", "01000", "01000", "01000"],
        '8' => ["01110", "10001", "10001", "01110", "10001", "10001", "01110"],
        '9' => ["01110", "10001", "10001", "01111", "00001", "00010", "01100"],
        'A' => ["01110", "10001", "10001", "11111", "10001", "10001", "10001"],
        'B' => ["11110", "10001", "10001", "11110", "10001", "10001", "11110"],
        'C' => ["01110", "10001", "10000", "10000", "10000", "10001", "01110"],
        'D' => ["11100", "10010", "10001", "10001", "10001", "10010", "11100"],
        'E' => ["11111", "10000", "10000", "11110", "10000", "10000", "11111"],
        'F' => ["11111", "10000", "10000", "11110", "10000", "10000", "10000"],
        'G' => ["01110", "10001", "10000", "10111", "10001", "10001", "01111"],
        'H' => ["10001", "10001", "10001", "11111", "10001", "10001", "10001"],
        'J' => ["00111", "00010", "00010", "00010", "00010", "10010", "01100"],
        'K' => ["10001", "10010", "10100", "11000", "10100", "10010", "10001"],
        'M' => ["10001", "11011", "10101", "10101", "10001", "10001", "10001"],
        'N' => ["10001", "10001", "11001", "10101", "10011", "10001", "10001"],
        'P' => ["11110", "10001", "10001", "11110", "10000", "10000", "10000"],
        'Q' => ["01110", "10001", "10001", "10001", "10101", "10010", "01101"],
        'R' => ["11110", "10001", "10001", "11110", "10100", "10010", "10001"],
        'S' => ["01111", "10000", "10000", "01110", "00001", "00001", "11110"],
        'T' => ["11111", "00100", "00100", "00100", "00100", "00100", "00100"],
        'U' => ["10001", "10001", "10001", "10001", "10001", "10001", "01110"],
        'V' => ["10001", "10001", "10001", "10001", "10001", "01010", "00100"],
        'W' => ["10001", "10001", "10001", "10101", "10101", "10101", "01010"],
        'X' => ["10001", "10001", "01010", "00100", "01010", "10001", "10001"],
        'Y' => ["10001", "10001", "01010", "00100", "00100", "00100", "00100"],
        'Z' => ["11111", "00001", "00010", "00100", "01000", "10000", "11111"],
        _ => ["00000"; 7],
    }
}

/// A random answer of `len` characters from [`ALPHABET`].
pub fn random_answer(len: usize) -> String {
    let chars: Vec<char> = ALPHABET.chars().collect();
    let mut rng = rand::rng();
    (0..len).map(|_| chars[rng.random_range(0..chars.len())]).collect()
}

/// The picture of `answer`, 120×40.
pub fn render_svg(answer: &str) -> String {
    let mut rng = rand::rng();
    let (w, h) = (120, 40);
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\">\
         <rect width=\"{w}\" height=\"{h}\" fill=\"#eef2f8\"/>"
    );
    for _ in 0..5 {
        let _ = write!(
            svg,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"hsl({},45%,65%)\" stroke-width=\"1.2\"/>",
            rng.random_range(0..w),
            rng.random_range(0..h),
            rng.random_range(0..w),
            rng.random_range(0..h),
            rng.random_range(0..360)
        );
    }
    let cell = 3.6f32;
    for (i, c) in answer.chars().enumerate() {
        let x0 = 12.0 + i as f32 * 26.0 + rng.random_range(-2.0..2.0);
        let y0 = 7.0 + rng.random_range(-3.0..3.0);
        let angle = rng.random_range(-18.0..18.0);
        let hue = rng.random_range(190..250);
        let _ = write!(
            svg,
            "<g transform=\"rotate({angle:.1} {:.1} {:.1})\" fill=\"hsl({hue},55%,32%)\">",
            x0 + 9.0,
            y0 + 12.6
        );
        for (row, bits) in glyph(c).iter().enumerate() {
            for (col, bit) in bits.chars().enumerate() {
                if bit == '1' {
                    let _ = write!(
                        svg,
                        "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\"/>",
                        x0 + col as f32 * cell + rng.random_range(-0.4..0.4),
                        y0 + row as f32 * cell + rng.random_range(-0.4..0.4),
                        cell + 0.3,
                        cell + 0.3
                    );
                }
            }
        }
        svg.push_str("</g>");
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_character_has_a_glyph() {
        for c in ALPHABET.chars() {
            assert!(glyph(c).iter().any(|row| row.contains('1')), "{c}");
            assert!(glyph(c).iter().all(|row| row.len() == 5), "{c}");
        }
    }

    #[test]
    fn the_picture_does_not_contain_the_answer_as_text() {
        let answer = random_answer(4);
        assert_eq!(answer.chars().count(), 4);
        let svg = render_svg(&answer);
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(!svg.contains(&answer));
        assert!(!svg.contains("<text"));
    }
}
