//! Matching forms of Chinese text: Simplified characters and half-width
//! forms, one character for one character, so that a position found in the
//! matching form is the same position in the original.
//!
//! Plans, returns and unit names arrive in Simplified or Traditional script,
//! with full-width digits (１２) and punctuation; everything that compares
//! names or reads numbers works on this form, and shows the original.

use std::sync::OnceLock;

/// The Traditional → Simplified pairs (fast2s's table; see data/t2s.LICENSE.md).
const T2S: &str = include_str!("data/t2s.txt");

fn table() -> &'static [(char, char)] {
    static TABLE: OnceLock<Vec<(char, char)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut v: Vec<(char, char)> = T2S
            .lines()
            .filter_map(|l| {
                let mut cs = l.chars();
                Some((cs.next()?, cs.next()?))
            })
            .collect();
        v.sort_unstable();
        v
    })
}

/// One character in its matching form: Simplified, half-width.
///
/// ```
/// use taizhang::domain::text::fold_char;
/// assert_eq!(fold_char('數'), '数');
/// assert_eq!(fold_char('１'), '1');
/// assert_eq!(fold_char('％'), '%');
/// assert_eq!(fold_char('（'), '(');
/// ```
pub fn fold_char(c: char) -> char {
    match c {
        '\u{3000}' => ' ',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{2014}' | '\u{2013}' | '\u{2012}' | '\u{2212}' => '-',
        // Small form variants (1﹒, 3﹐000): the plain punctuation.
        '\u{FE50}' => ',',
        '\u{FE51}' => '、',
        '\u{FE52}' => '.',
        '\u{FE54}' => ';',
        '\u{FE55}' => ':',
        '\u{FE56}' => '?',
        '\u{FE57}' => '!',
        '\u{FE59}' => '(',
        '\u{FE5A}' => ')',
        '〜' => '~',
        c if (c as u32) >= 0x3400 => {
            let t = table();
            match t.binary_search_by_key(&c, |p| p.0) {
                Ok(i) => t[i].1,
                Err(_) => c,
            }
        }
        c => c,
    }
}

/// A whole string in its matching form (same number of characters).
///
/// ```
/// use taizhang::domain::text::fold;
/// assert_eq!(fold("嶗山區（１２個）"), "崂山区(12个)");
/// ```
pub fn fold(s: &str) -> String {
    s.chars().map(fold_char).collect()
}

/// Whether a character is a CJK ideograph.
pub fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FFFF)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_keeps_length_and_simplified_text() {
        let s = "淄博市大数据局2023年工作要点：日均活跃用户数超47万";
        assert_eq!(fold(s), s.replace('：', ":"));
        let t = "深入推進服務數字化，網上政務服務事項可網辦率保持１００％";
        assert_eq!(fold(t).chars().count(), t.chars().count());
        assert_eq!(
            fold(t),
            "深入推进服务数字化,网上政务服务事项可网办率保持100%"
        );
        assert_eq!(fold("2023—2025年"), "2023-2025年");
    }
}
