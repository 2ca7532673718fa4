//! What Taizhang hands back to people: the fill-in template a unit returns
//! ([`template`]), and the bulletin for minutes and notices ([`bulletin`]).

pub mod bulletin;
pub mod chart;
pub mod notices;
pub mod ranking;
pub mod report;
pub mod targets;
pub mod template;

use crate::domain::words::{Language, fill};

/// Why an export could not be made.
#[derive(Debug)]
pub enum ExportError {
    Store(crate::store::StoreError),
    Xlsx(rust_xlsxwriter::XlsxError),
    /// A chart could not be drawn.
    Chart(String),
}

impl std::fmt::Display for ExportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ExportError::Store(e) => write!(f, "{e}"),
            ExportError::Xlsx(e) => write!(f, "writing the workbook: {e}"),
            ExportError::Chart(e) => write!(f, "drawing the chart: {e}"),
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

/// A figure for people: whole numbers with thousands separators, at most
/// two decimals; in Chinese in 万 from 100,000 up (47万, 4.5万), in English
/// written out in full (470,000). The one number format of the window, the
/// bulletin and the workbooks (which pass [`Language::Chinese`]).
///
/// ```
/// use taizhang::domain::words::Language::{Chinese, English};
/// use taizhang::export::number;
/// assert_eq!(number(24280.0, Chinese), "24,280");
/// assert_eq!(number(470000.0, Chinese), "47万");
/// assert_eq!(number(470000.0, English), "470,000");
/// assert_eq!(number(1234567.891, English), "1,234,567.89");
/// assert_eq!(number(1.3767, English), "1.38");
/// ```
pub fn number(v: f64, lang: Language) -> String {
    fn trim(s: String) -> String {
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s
        }
    }
    fn group(n: i64) -> String {
        let digits = n.unsigned_abs().to_string();
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(c);
        }
        if n < 0 { format!("-{out}") } else { out }
    }
    if v.abs() >= 100_000.0 {
        return match lang {
            // 万 is how Chinese writes numbers, not a word to translate.
            Language::Chinese => format!("{}万", trim(format!("{:.2}", v / 10_000.0))),
            Language::English => {
                // The whole part grouped, the decimals (at most two) after.
                let fixed = trim(format!("{:.2}", v.abs()));
                let (whole, decimals) = fixed.split_once('.').unwrap_or((&fixed, ""));
                let whole: i64 = whole.parse().unwrap_or(0);
                let sign = if v < 0.0 { "-" } else { "" };
                let mut out = format!("{sign}{}", group(whole));
                if !decimals.is_empty() {
                    out.push('.');
                    out.push_str(decimals);
                }
                out
            }
        };
    }
    if v.fract() == 0.0 {
        return group(v as i64);
    }
    trim(format!("{v:.2}"))
}

/// A figure with its unit of measure; 未报送 (not reported) for none.
pub fn figure(v: Option<f64>, unit: Option<&str>, lang: Language) -> String {
    v.map_or_else(
        || lang.t("export.not-reported").to_string(),
        |v| format!("{}{}", number(v, lang), unit.unwrap_or("")),
    )
}

/// A revised target's words beside the revised one (调整后): the plan's
/// target and why — `（调整后；原目标≥75个，调整原因：…）`; empty when the
/// target is the plan's.
pub fn revision_words(i: &crate::store::IndicatorStatus, lang: Language) -> String {
    match &i.revision {
        None => String::new(),
        Some(r) => {
            let original = figure(Some(r.original), i.unit.as_deref(), lang);
            if r.reason.is_empty() {
                fill(lang.t("export.revised"), &[("original", &original)])
            } else {
                fill(
                    lang.t("export.revised-because"),
                    &[("original", &original), ("reason", &r.reason)],
                )
            }
        }
    }
}

/// The name of a month: 6月, Jun.
pub fn month(m: u32, lang: Language) -> &'static str {
    crate::domain::words::month(m, lang)
}

/// A period as people write it: 2023年6月, Jun 2023.
pub fn period(p: crate::domain::Period, lang: Language) -> String {
    crate::domain::words::period(p, lang)
}

/// An amount of change with its unit: 6.3个; for a rate, percentage points
/// (a rate rises by points, not by per cent).
fn amount(v: f64, unit: Option<&str>, lang: Language) -> String {
    let n = number(v, lang);
    match unit {
        Some("%") | Some("％") => fill(lang.t("export.percentage-points"), &[("n", &n)]),
        u => format!("{n}{}", u.unwrap_or("")),
    }
}

/// The pace needed in words: 尚需每月新增6.3个（剩余6个月）, 尚需每季度降低0.02.
pub fn pace(
    p: &crate::domain::Pace,
    better: crate::domain::Better,
    kind: crate::domain::Kind,
    unit: Option<&str>,
    lang: Language,
) -> String {
    use crate::domain::{Better, Cycle, Kind};
    let amount = amount(p.per_period, unit, lang);
    let template = match (p.cycle, better, kind) {
        (Cycle::Monthly, Better::Lower, _) => lang.t("export.pace-monthly-lower"),
        (Cycle::Monthly, Better::Higher, Kind::Level) => lang.t("export.pace-monthly-raise"),
        (Cycle::Monthly, Better::Higher, _) => lang.t("export.pace-monthly-add"),
        (Cycle::Quarterly, Better::Lower, _) => lang.t("export.pace-quarterly-lower"),
        (Cycle::Quarterly, Better::Higher, Kind::Level) => lang.t("export.pace-quarterly-raise"),
        (Cycle::Quarterly, Better::Higher, _) => lang.t("export.pace-quarterly-add"),
        (Cycle::HalfYearly, Better::Lower, _) => lang.t("export.pace-half-yearly-lower"),
        (Cycle::HalfYearly, Better::Higher, Kind::Level) => lang.t("export.pace-half-yearly-raise"),
        (Cycle::HalfYearly, Better::Higher, _) => lang.t("export.pace-half-yearly-add"),
    };
    fill(template, &[("amount", &amount), ("left", &p.periods)])
}

/// The pace of the last months in words, to set beside [`pace`]:
/// 近期每月平均新增2个, lately 2 more a month; 不进反退 when it went the wrong way.
///
/// ```
/// use taizhang::domain::{Better, Cycle, Kind, Pace, words::Language};
/// let p = Pace { per_period: 2.0, periods: 3, cycle: Cycle::Monthly };
/// assert_eq!(taizhang::export::recent(&p, Better::Higher, Kind::New, Some("个"), Language::Chinese), "近期每月平均新增2个");
/// let back = Pace { per_period: -0.5, ..p };
/// assert_eq!(taizhang::export::recent(&back, Better::Higher, Kind::Level, Some("%"), Language::English), "lately 0.5 percentage points the wrong way a month");
/// ```
pub fn recent(
    p: &crate::domain::Pace,
    better: crate::domain::Better,
    kind: crate::domain::Kind,
    unit: Option<&str>,
    lang: Language,
) -> String {
    use crate::domain::{Better, Cycle, Kind};
    let amount = amount(p.per_period.abs(), unit, lang);
    let change_words = if p.per_period.abs() < 1e-9 {
        lang.t("export.recent-none")
    } else if p.per_period < 0.0 {
        lang.t("export.recent-back")
    } else {
        match (better, kind) {
            (Better::Lower, _) => lang.t("export.recent-lower"),
            (Better::Higher, Kind::Level) => lang.t("export.recent-raise"),
            (Better::Higher, _) => lang.t("export.recent-more"),
        }
    };
    let cycle = match p.cycle {
        Cycle::Monthly => lang.t("export.cycle-month"),
        Cycle::Quarterly => lang.t("export.cycle-quarter"),
        Cycle::HalfYearly => lang.t("export.cycle-half-year"),
    };
    let change = fill(change_words, &[("amount", &amount)]);
    fill(
        lang.t("export.recent"),
        &[("cycle", &cycle), ("change", &change)],
    )
}

/// Where an indicator's city figure comes from, in a coordinator's words:
/// 全市数：淄博市大数据局报送数；未报送时为11个区县合计.
pub fn reporting_words(i: &crate::store::IndicatorStatus, lang: Language) -> String {
    use crate::domain::{Aggregation, Scope};
    let n = i.reporting_units.len();
    if i.scope == Scope::PerUnit {
        return fill(lang.t("export.city-per-unit"), &[("n", &n)]);
    }
    let combined = match i.aggregation {
        Aggregation::Sum => fill(lang.t("export.combined-sum"), &[("n", &n)]),
        Aggregation::Mean => fill(lang.t("export.combined-mean"), &[("n", &n)]),
        Aggregation::Min => fill(lang.t("export.combined-min"), &[("n", &n)]),
        Aggregation::Max => fill(lang.t("export.combined-max"), &[("n", &n)]),
        Aggregation::Single => String::new(),
    };
    match (i.aggregation, i.city_reporter.as_deref()) {
        (Aggregation::Single, Some(r)) => fill(lang.t("export.city-reported-by"), &[("unit", &r)]),
        (Aggregation::Single, None) => lang.t("export.city-no-reporter").to_string(),
        (_, Some(r)) => fill(
            lang.t("export.city-reported-or-combined"),
            &[("unit", &r), ("combined", &combined)],
        ),
        (_, None) => fill(lang.t("export.city-combined"), &[("combined", &combined)]),
    }
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
