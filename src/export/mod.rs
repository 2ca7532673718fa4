//! What Taizhang hands back to people: the fill-in template a unit returns
//! ([`template`]), and the bulletin for minutes and notices ([`bulletin`]).

pub mod bulletin;
pub mod chart;
pub mod ranking;
pub mod report;
pub mod targets;
pub mod template;

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

/// A figure for people: whole numbers with thousands separators, 万 from
/// 100,000 up (47万, 4.5万), at most two decimals. The one number format of
/// the window, the bulletin and the workbooks.
///
/// ```
/// use taizhang::export::number;
/// assert_eq!(number(24280.0), "24,280");
/// assert_eq!(number(470000.0), "47万");
/// assert_eq!(number(1.3767), "1.38");
/// ```
pub fn number(v: f64) -> String {
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
        return format!("{}万", trim(format!("{:.2}", v / 10_000.0)));
    }
    if v.fract() == 0.0 {
        return group(v as i64);
    }
    trim(format!("{v:.2}"))
}

/// A figure with its unit of measure; 未报送 for none.
pub fn figure(v: Option<f64>, unit: Option<&str>) -> String {
    v.map_or("未报送".into(), |v| {
        format!("{}{}", number(v), unit.unwrap_or(""))
    })
}

/// A revised target's words beside the revised one (调整后): the plan's
/// target and why — `（原目标≥75个，调整原因：…）`; empty when the target is
/// the plan's.
pub fn revision_words(i: &crate::store::IndicatorStatus) -> String {
    match &i.revision {
        None => String::new(),
        Some(r) => {
            let mut s = format!(
                "（调整后；原目标{}",
                figure(Some(r.original), i.unit.as_deref())
            );
            if !r.reason.is_empty() {
                s.push_str(&format!("，调整原因：{}", r.reason));
            }
            s.push('）');
            s
        }
    }
}

/// A period as people write it: 2023年6月.
pub fn period(p: crate::domain::Period) -> String {
    format!("{}年{}月", p.year(), p.month())
}

/// The pace needed in words: 尚需每月新增6.3个（剩余6个月）, 尚需每季度降低0.02.
pub fn pace(
    p: &crate::domain::Pace,
    better: crate::domain::Better,
    kind: crate::domain::Kind,
    unit: Option<&str>,
) -> String {
    use crate::domain::{Better, Cycle, Kind};
    let (every, left) = match p.cycle {
        Cycle::Monthly => ("每月", format!("{}个月", p.periods)),
        Cycle::Quarterly => ("每季度", format!("{}个季度", p.periods)),
        Cycle::HalfYearly => ("每半年", format!("{}个半年", p.periods)),
    };
    let verb = match (better, kind) {
        (Better::Lower, _) => "降低",
        (Better::Higher, Kind::Level) => "提高",
        (Better::Higher, _) => "新增",
    };
    // A rate rises by percentage points, not by per cent.
    let unit = match unit {
        Some("%") | Some("％") => "个百分点",
        u => u.unwrap_or(""),
    };
    format!(
        "尚需{every}{verb}{}{unit}（剩余{left}）",
        number(p.per_period)
    )
}

/// Where an indicator's city figure comes from, in a coordinator's words:
/// 全市数：淄博市大数据局报送数；未报送时为11个区县合计.
pub fn reporting_words(i: &crate::store::IndicatorStatus) -> String {
    use crate::domain::{Aggregation, Scope};
    let n = i.reporting_units.len();
    if i.scope == Scope::PerUnit {
        return format!("{n}个单位各自对照目标，统计达标单位数");
    }
    let combined = match i.aggregation {
        Aggregation::Sum => format!("{n}个单位合计"),
        Aggregation::Mean => format!("{n}个单位平均"),
        Aggregation::Min => format!("{n}个单位中最低值"),
        Aggregation::Max => format!("{n}个单位中最高值"),
        Aggregation::Single => String::new(),
    };
    match (i.aggregation, i.city_reporter.as_deref()) {
        (Aggregation::Single, Some(r)) => format!("全市数：由{r}报送"),
        (Aggregation::Single, None) => "全市数：未指定报送单位".to_string(),
        (_, Some(r)) => format!("全市数：{r}报送数；未报送时为{combined}"),
        (_, None) => format!("全市数：{combined}"),
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
