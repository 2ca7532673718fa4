//! The bulletin (通报): a few paragraphs of plain Chinese for minutes and
//! notices — how many indicators are done, on track, lagging, behind,
//! overdue; the lagging ones by name with their figures; the units that
//! have not reported.

use super::number;
use crate::domain::{Period, Status};
use crate::store::{IndicatorStatus, StatusReport};
use std::fmt::Write;

fn figure(v: Option<f64>, unit: Option<&str>) -> String {
    v.map_or("未报送".into(), |v| {
        format!("{}{}", number(v), unit.unwrap_or(""))
    })
}

fn pct(v: Option<f64>) -> String {
    v.map_or("—".into(), |v| format!("{:.1}%", v * 100.0))
}

fn line(i: &IndicatorStatus) -> String {
    let e = &i.evaluation;
    format!(
        "{}（目标{}，实际{}，完成{}，序时进度{}）",
        i.name,
        figure(Some(i.target), i.unit.as_deref()),
        figure(e.actual, i.unit.as_deref()),
        pct(e.completion),
        pct(e.expected)
    )
}

/// The bulletin for a status report and the units that have not reported
/// for `period`.
///
/// ```
/// use taizhang::store::Store;
/// let mut store = Store::open_in_memory().unwrap();
/// taizhang::cli::demo(&mut store).unwrap();
/// let status = store.status(1, "2023-06-30".parse().unwrap()).unwrap();
/// let text = taizhang::export::bulletin::bulletin(&status, None, &[]);
/// assert!(text.starts_with("截至2023年6月30日"));
/// ```
pub fn bulletin(status: &StatusReport, period: Option<Period>, missing: &[String]) -> String {
    let count = |s: Status| status.summary.get(s.as_str()).copied().unwrap_or(0);
    let d = status.as_of;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "截至{}年{}月{}日，《{}》共设{}项量化指标：已完成{}项，正常推进{}项，进度滞后{}项，严重滞后{}项，逾期未完成{}项，尚无数据{}项。",
        d.year(),
        d.month(),
        d.day(),
        status.plan.title,
        status.indicators.len(),
        count(Status::Done),
        count(Status::OnTrack),
        count(Status::Lagging),
        count(Status::Behind),
        count(Status::Overdue),
        count(Status::NoData),
    );
    for (s, what) in [
        (Status::Overdue, "逾期未完成"),
        (Status::Behind, "严重滞后于序时进度"),
        (Status::Lagging, "进度滞后"),
    ] {
        let items: Vec<String> = status.with_status(s).map(line).collect();
        if !items.is_empty() {
            let _ = writeln!(
                out,
                "\n{what}的指标（{}项）：{}。",
                items.len(),
                items.join("；")
            );
        }
    }
    let due: Vec<&str> = status
        .indicators
        .iter()
        .filter(|i| i.evaluation.due_soon)
        .map(|i| i.name.as_str())
        .collect();
    if !due.is_empty() {
        let _ = writeln!(
            out,
            "\n临近完成时限的指标（{}项）：{}。",
            due.len(),
            due.join("、")
        );
    }
    match period {
        Some(p) if !missing.is_empty() => {
            let _ = writeln!(
                out,
                "\n{}年{}月进展情况尚未报送的单位（{}个）：{}。请抓紧报送。",
                p.year(),
                p.month(),
                missing.len(),
                missing.join("、")
            );
        }
        Some(p) => {
            let _ = writeln!(
                out,
                "\n{}年{}月进展情况各单位均已报送。",
                p.year(),
                p.month()
            );
        }
        None => {
            let _ = writeln!(out, "\n各单位尚未报送进展情况。");
        }
    }
    out
}
