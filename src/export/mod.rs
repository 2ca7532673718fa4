//! What Taizhang hands back to people: the fill-in template a unit returns
//! ([`template`]), and the bulletin for minutes and notices ([`bulletin`]).

pub mod bulletin;
pub mod ranking;
pub mod report;
pub mod template;

/// Why an export could not be made.
#[derive(Debug)]
pub enum ExportError {
    Store(crate::store::StoreError),
    Xlsx(rust_xlsxwriter::XlsxError),
}

impl std::fmt::Display for ExportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ExportError::Store(e) => write!(f, "{e}"),
            ExportError::Xlsx(e) => write!(f, "writing the workbook: {e}"),
        }
    }
}

impl From<crate::store::StoreError> for ExportError {
    fn from(e: crate::store::StoreError) -> Self {
        ExportError::Store(e)
    }
}

impl From<rust_xlsxwriter::XlsxError> for ExportError {
    fn from(e: rust_xlsxwriter::XlsxError) -> Self {
        ExportError::Xlsx(e)
    }
}

/// The display width of a text in Excel column units: CJK and full-width
/// characters count two, others one. rust_xlsxwriter's autofit undercounts
/// CJK text, so widths are computed here.
pub fn text_width(text: &str) -> f64 {
    text.chars()
        .map(|c| if (c as u32) >= 0x2E80 { 2.0 } else { 1.0 })
        .sum()
}

/// A column width fitting the longest of `texts`, with padding and bounds.
pub fn column_width<'a>(texts: impl IntoIterator<Item = &'a str>, min: f64, max: f64) -> f64 {
    (texts.into_iter().map(text_width).fold(min, f64::max) + 2.0).min(max)
}

/// A figure without needless decimals: 12, 4.5, 0.35.
pub fn number(v: f64) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// A comparator as a sign before a target: ≥5, ≤1.4.
pub fn sign(c: crate::domain::Comparator) -> &'static str {
    use crate::domain::Comparator::*;
    match c {
        Ge => "≥",
        Gt => ">",
        Le => "≤",
        Lt => "<",
        Eq => "",
    }
}
