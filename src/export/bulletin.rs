//! The bulletin (通报): a few paragraphs of plain Chinese for minutes and
//! notices — how many indicators are done, on track, lagging, behind,
//! overdue; the lagging ones by name with their figures and the pace they
//! need; the units that have not reported the period due.

use crate::domain::words::Language;

// The bulletin is a Chinese document: its figures and periods in Chinese.
fn figure(v: Option<f64>, unit: Option<&str>) -> String {
    super::figure(v, unit, Language::Chinese)
}

fn period(p: crate::domain::Period) -> String {
    super::period(p, Language::Chinese)
}
use crate::domain::{Scope, Status};
use crate::store::{IndicatorStatus, StatusReport};
use std::fmt::Write;

fn pct(v: Option<f64>) -> String {
    v.map_or("—".into(), |v| format!("{:.1}%", v * 100.0))
}

/// One indicator in words: its target and figure as the rules judge them —
/// per district, how many units meet their target, never a fraction of the
/// unit of measure.
fn line(i: &IndicatorStatus) -> String {
    let e = &i.evaluation;
    let unit = i.unit.as_deref();
    let mut s = match (i.scope, e.units_met, e.units_total) {
        (Scope::PerUnit, Some(met), Some(total)) => format!(
            "{}（目标每个单位{}{}，{met}/{total}个单位达标",
            i.label,
            figure(Some(i.target), unit),
            super::revision_words(i, Language::Chinese)
        ),
        _ => format!(
            "{}（目标{}{}，实际{}",
            i.label,
            figure(Some(i.target), unit),
            super::revision_words(i, Language::Chinese),
            figure(e.actual, unit)
        ),
    };
    if e.stale
        && let Some(p) = e.latest_period
    {
        let _ = write!(s, "（{}数据）", period(p));
    }
    let _ = write!(
        s,
        "，完成{}，序时进度{}",
        pct(e.completion),
        pct(e.expected)
    );
    if let Some(p) = &e.pace_needed {
        let _ = write!(
            s,
            "，{}",
            super::pace(p, i.better, i.kind, unit, Language::Chinese)
        );
    }
    s.push('）');
    s
}

/// The bulletin for a status report: its counts, the indicators that need
/// attention, and the units that have not reported the period due.
///
/// ```
/// use taizhang::store::Store;
/// let mut store = Store::open_in_memory().unwrap();
/// taizhang::cli::demo(&mut store).unwrap();
/// let status = store.status(1, "2023-06-30".parse().unwrap()).unwrap();
/// let text = taizhang::export::bulletin::bulletin(&status);
/// assert!(text.starts_with("截至2023年6月30日"));
/// assert!(text.contains("2023年5月进展情况"));
/// ```
pub fn bulletin(status: &StatusReport) -> String {
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
    let revised: Vec<String> = status
        .indicators
        .iter()
        .filter_map(|i| {
            let r = i.revision.as_ref()?;
            let unit = i.unit.as_deref();
            let mut s = format!(
                "{}（原目标{}{}，调整后{}{}",
                i.label,
                super::sign(i.comparator),
                figure(Some(r.original), unit),
                super::sign(i.comparator),
                figure(Some(i.target), unit)
            );
            if !r.reason.is_empty() {
                let _ = write!(s, "，{}", r.reason);
            }
            s.push('）');
            Some(s)
        })
        .collect();
    if !revised.is_empty() {
        let _ = writeln!(
            out,
            "\n年内调整目标的指标（{}项，按调整后的目标统计）：{}。",
            revised.len(),
            revised.join("；")
        );
    }
    let due: Vec<&str> = status
        .indicators
        .iter()
        .filter(|i| i.evaluation.due_soon)
        .map(|i| i.label.as_str())
        .collect();
    if !due.is_empty() {
        let _ = writeln!(
            out,
            "\n临近完成时限的指标（{}项）：{}。",
            due.len(),
            due.join("、")
        );
    }
    match status.period_due {
        Some(p) if !status.not_reported.is_empty() => {
            let _ = writeln!(
                out,
                "\n{}进展情况尚未报送的单位（{}个）：{}。请抓紧报送。",
                period(p),
                status.not_reported.len(),
                status.not_reported.join("、")
            );
        }
        Some(p) => {
            let _ = writeln!(out, "\n{}进展情况各单位均已报送。", period(p));
        }
        None => {
            let _ = writeln!(out, "\n本年度尚无到期应报送的进展情况。");
        }
    }
    out
}
