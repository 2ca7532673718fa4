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
        if let Some(r) = &e.pace_recent {
            let _ = write!(
                s,
                "，{}",
                super::recent(r, i.better, i.kind, unit, Language::Chinese)
            );
        }
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

/// The bulletin's paragraph on what changed since the last meeting
/// (自上次会议以来), empty when nothing did.
///
/// ```
/// use taizhang::domain::meeting::*;
/// use taizhang::domain::Status;
/// let d = MeetingDiff {
///     since: Some(1),
///     since_as_of: "2023-07-20".parse().unwrap(),
///     to: None,
///     to_as_of: "2023-08-20".parse().unwrap(),
///     colour_changes: vec![ColourChange {
///         code: "A".into(),
///         name: "新建智慧社区数".into(),
///         from: Status::Behind,
///         to: Status::OnTrack,
///         way: Way::Better,
///     }],
///     rank_moves: vec![],
///     new_figures: vec![],
///     still_red: vec![],
/// };
/// let text = taizhang::export::bulletin::since_last_meeting(&d);
/// assert!(text.contains("自上次会议（2023年7月20日）以来"), "{text}");
/// assert!(text.contains("好转的指标1项：新建智慧社区数（严重滞后→正常推进）"), "{text}");
/// ```
pub fn since_last_meeting(d: &crate::domain::meeting::MeetingDiff) -> String {
    use super::report::status_name;
    use crate::domain::meeting::Way;
    if d.is_empty() {
        return String::new();
    }
    let a = d.since_as_of;
    let mut parts = Vec::new();
    for (way, word) in [
        (Way::Better, "好转"),
        (Way::Worse, "转差"),
        (Way::Neither, "变化"),
    ] {
        let items: Vec<String> = d
            .colour_changes
            .iter()
            .filter(|c| c.way == way)
            .map(|c| {
                format!(
                    "{}（{}→{}）",
                    c.name,
                    status_name(c.from),
                    status_name(c.to)
                )
            })
            .collect();
        if !items.is_empty() {
            parts.push(format!(
                "{word}的指标{}项：{}",
                items.len(),
                items.join("、")
            ));
        }
    }
    if !d.still_red.is_empty() {
        let items: Vec<String> = d
            .still_red
            .iter()
            .map(|r| format!("{}（连续{}次）", r.name, r.meetings))
            .collect();
        parts.push(format!(
            "连续滞后的指标{}项：{}",
            items.len(),
            items.join("、")
        ));
    }
    let up: Vec<String> = d
        .rank_moves
        .iter()
        .filter_map(|m| Some(format!("{}（第{}名→第{}名）", m.unit, m.from?, m.to)))
        .collect();
    if !up.is_empty() {
        parts.push(format!("排名变化的单位：{}", up.join("、")));
    }
    if !d.new_figures.is_empty() {
        parts.push(format!("有新数据的指标{}项", d.new_figures.len()));
    }
    format!(
        "\n自上次会议（{}年{}月{}日）以来，{}。\n",
        a.year(),
        a.month(),
        a.day(),
        parts.join("；")
    )
}

/// The bulletin for a plan at a date, with what changed since the last
/// meeting before it right after the opening summary.
pub fn bulletin_with_meetings(
    store: &crate::store::Store,
    status: &StatusReport,
) -> crate::store::Result<String> {
    let text = bulletin(status);
    let since = super::ranking::since_last_meeting(store, status.plan.id, status.as_of)?
        .map(|d| since_last_meeting(&d))
        .unwrap_or_default();
    Ok(match text.split_once('\n') {
        Some((first, rest)) if !since.is_empty() => format!("{first}\n{since}{rest}"),
        _ => text,
    })
}
