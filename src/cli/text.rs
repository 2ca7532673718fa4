//! Plain-text renderings of command results, for people at a terminal.

use crate::domain::{Indicator, PlanDoc, PlanSection, PlanSummary, Unit};
use crate::store::{PlanImport, StatusReport};
use std::fmt::Write;

/// A figure without needless decimals: 30, 1.35, 45000; `—` for none.
pub fn number(v: Option<f64>) -> String {
    match v {
        None => "—".to_string(),
        Some(v) if v.fract() == 0.0 && v.abs() < 1e15 => format!("{v:.0}"),
        Some(v) => {
            let s = format!("{v:.4}");
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        }
    }
}

fn percent(v: Option<f64>) -> String {
    v.map(|v| format!("{:.1}%", v * 100.0))
        .unwrap_or_else(|| "—".to_string())
}

pub fn units(units: &[Unit]) -> String {
    let mut s = String::new();
    for u in units {
        let _ = write!(s, "{}\t{}", u.kind, u.name);
        if !u.aliases.is_empty() {
            let _ = write!(s, "\t({})", u.aliases.join("、"));
        }
        s.push('\n');
    }
    if units.is_empty() {
        s.push_str("no units (import a catalogue with `taizhang units import FILE.json`)\n");
    }
    s
}

pub fn plans(plans: &[PlanSummary]) -> String {
    let mut s = String::new();
    for p in plans {
        let _ = writeln!(
            s,
            "{}\t{}\t{}\t{}\t{} tasks, {} indicators",
            p.id, p.year, p.title, p.issuer, p.tasks, p.indicators
        );
    }
    if plans.is_empty() {
        s.push_str("no plans (import one with `taizhang plan import FILE`)\n");
    }
    s
}

pub fn plan_import(d: &PlanImport, doc: &PlanDoc) -> String {
    format!(
        "plan {} {} ({}): {} sections, {} tasks; indicators {} added, {} updated, {} retired, {} removed\n",
        d.plan_id,
        if d.created { "created" } else { "updated" },
        doc.display_title(),
        d.sections,
        d.tasks,
        d.indicators_added,
        d.indicators_updated,
        d.indicators_retired,
        d.indicators_removed
    )
}

pub fn plan_tree(doc: &PlanDoc, indicators: &[Indicator]) -> String {
    fn section(
        s: &PlanSection,
        depth: usize,
        prefix: &str,
        indicators: &[Indicator],
        out: &mut String,
    ) {
        let pad = "  ".repeat(depth);
        let path = if prefix.is_empty() {
            s.number.clone()
        } else {
            format!("{prefix}/{}", s.number)
        };
        let _ = writeln!(out, "{pad}{} {}", s.number, s.title);
        for t in &s.tasks {
            let tpath = format!("{path}/{}", t.number);
            let dot = if t.number.starts_with('(')
                || !t.number.is_ascii() && !t.number.chars().all(|c| c.is_ascii_digit())
            {
                ""
            } else {
                "."
            };
            let _ = write!(out, "{pad}  {}{dot} {}", t.number, t.title);
            if !t.responsible_units.is_empty() {
                let names: Vec<&str> = t
                    .responsible_units
                    .iter()
                    .map(|u| u.name.as_str())
                    .collect();
                let _ = write!(out, " 〔{}〕", names.join("、"));
            }
            if let Some(d) = t.deadline {
                let _ = write!(out, " ⏱{d}");
            }
            out.push('\n');
            for i in indicators
                .iter()
                .filter(|i| i.task.as_deref() == Some(tpath.as_str()))
            {
                let _ = writeln!(
                    out,
                    "{pad}     [{}] {} {} {}{}",
                    i.code,
                    i.name,
                    i.comparator,
                    number(Some(i.target)),
                    i.unit.as_deref().unwrap_or("")
                );
            }
        }
        for sub in &s.subsections {
            section(sub, depth + 1, &path, indicators, out);
        }
    }
    let mut out = format!("{} ({})\n", doc.display_title(), doc.year);
    for s in &doc.sections {
        section(s, 0, "", indicators, &mut out);
    }
    out
}

pub fn status(r: &StatusReport) -> String {
    let mut s = format!("{} — as of {}", r.plan.title, r.as_of);
    if let Some(p) = r.period_due {
        let _ = write!(s, " (period due: {p})");
    }
    s.push('\n');
    for (k, v) in &r.summary {
        let _ = write!(s, "{k}: {v}  ");
    }
    s.push('\n');
    for i in &r.indicators {
        let e = &i.evaluation;
        let actual = match (e.units_met, e.units_total) {
            (Some(m), Some(n)) => format!("{m}/{n} units meet"),
            _ => format!("actual {}", number(e.actual)),
        };
        let mut notes = Vec::new();
        if e.stale
            && let Some(p) = e.latest_period
        {
            notes.push(format!("figure of {p}"));
        }
        if let Some(p) = &e.pace_needed {
            let every = match p.cycle {
                crate::domain::Cycle::Monthly => "month",
                crate::domain::Cycle::Quarterly => "quarter",
                crate::domain::Cycle::HalfYearly => "half-year",
            };
            notes.push(format!(
                "needs {} a {every} for {} {every}s",
                number(Some((p.per_period * 100.0).round() / 100.0)),
                p.periods
            ));
            if let Some(r) = &e.pace_recent {
                notes.push(format!(
                    "lately {} a {every}",
                    number(Some((r.per_period * 100.0).round() / 100.0))
                ));
            }
        }
        if e.due_soon {
            notes.push("DUE SOON".into());
        }
        let _ = writeln!(
            s,
            "{:<12} {:<9} {}  {actual} / target {}{}  completion {}  expected {}{}",
            i.code,
            e.status.as_str(),
            i.label,
            number(Some(i.target)),
            i.unit.as_deref().unwrap_or(""),
            percent(e.completion),
            percent(e.expected),
            if notes.is_empty() {
                String::new()
            } else {
                format!("  [{}]", notes.join("; "))
            }
        );
    }
    if let Some(p) = r.period_due {
        if r.not_reported.is_empty() {
            let _ = writeln!(s, "every unit has reported {p}");
        } else {
            let _ = writeln!(s, "not reported for {p}: {}", r.not_reported.join(", "));
        }
    }
    s
}

/// The indicators of an extracted draft, one per line, for review at a terminal.
pub fn draft_indicators(plan: &PlanDoc) -> String {
    let mut s = format!("\n{} indicators:\n", plan.indicators.len());
    for i in &plan.indicators {
        let _ = writeln!(
            s,
            "  {:<10} {} {} {}{}{}  [{} {} {}]  «{}»",
            i.task.as_deref().unwrap_or("-"),
            i.name,
            i.comparator,
            number(Some(i.target)),
            i.target_max
                .map(|m| format!("-{}", number(Some(m))))
                .unwrap_or_default(),
            i.unit.as_deref().unwrap_or(""),
            i.kind,
            i.scope,
            i.confidence.map(|c| c.as_str()).unwrap_or(""),
            i.phrase
        );
    }
    s
}

/// A plan's tasks: path, deadline, title, responsible units.
pub fn tasks(tasks: &[crate::store::TaskRow]) -> String {
    let mut s = String::new();
    for t in tasks {
        let _ = write!(
            s,
            "{:<12}  {:<10}  {}",
            t.path,
            t.deadline
                .map(|d| d.to_string())
                .unwrap_or_else(|| "-".into()),
            t.title
        );
        for role in [crate::domain::Role::Lead, crate::domain::Role::Support] {
            let names: Vec<&str> = t
                .units
                .iter()
                .filter(|u| u.role == role)
                .map(|u| u.name.as_str())
                .collect();
            if !names.is_empty() {
                let _ = write!(s, "  [{role}: {}]", names.join(", "));
            }
        }
        s.push('\n');
    }
    if tasks.is_empty() {
        s.push_str("the plan has no tasks\n");
    }
    s
}

/// The audit log, a line per change: when, who, what, the figure's key,
/// before → after, and the batch or the reason.
pub fn audit(lines: &[crate::store::AuditEntry]) -> String {
    let mut s = String::new();
    for l in lines {
        let at = l.at.replace('T', " ");
        let _ = write!(
            s,
            "{:>5}  {}  {}  {:<9}  {}",
            l.id,
            at.trim_end_matches('Z'),
            l.actor,
            l.action,
            l.period.as_deref().unwrap_or("-")
        );
        if let Some(field) = &l.field {
            let _ = write!(
                s,
                "  {} {field}: '{}' → '{}'",
                match &l.task {
                    Some(t) => format!("task {t}"),
                    None if l.indicator_code.is_empty() => l.unit.clone(),
                    None => l.indicator_code.clone(),
                },
                l.before_text.as_deref().unwrap_or(""),
                l.after_text.as_deref().unwrap_or("")
            );
        } else if !l.indicator_code.is_empty() {
            let _ = write!(s, "  {} {}", l.indicator_code, l.unit);
            let _ = write!(s, "  {} → {}", number(l.before), number(l.after));
        }
        if let Some(b) = l.batch_id {
            let _ = write!(s, "  batch {b}");
        }
        if !l.note.is_empty() {
            let _ = write!(s, "  ({})", l.note);
        }
        s.push('\n');
    }
    if lines.is_empty() {
        s.push_str("no changes recorded\n");
    }
    s
}

/// What changed between two meetings, for people.
pub fn meeting_diff(d: &crate::domain::meeting::MeetingDiff) -> String {
    use crate::domain::meeting::Way;
    use std::fmt::Write;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "since the meeting of {} ({}):",
        d.since_as_of,
        d.since.map_or("?".to_string(), |i| format!("meeting {i}"))
    );
    if d.is_empty() {
        s.push_str("  nothing changed\n");
        return s;
    }
    for c in &d.colour_changes {
        let way = match c.way {
            Way::Better => "better",
            Way::Worse => "worse",
            Way::Neither => "changed",
        };
        let _ = writeln!(
            s,
            "  {way:<8} {} {}: {} -> {}",
            c.code, c.name, c.from, c.to
        );
    }
    for m in &d.rank_moves {
        let from = m.from.map_or("-".to_string(), |r| r.to_string());
        let _ = writeln!(s, "  rank     {}: {from} -> {}", m.unit, m.to);
    }
    for f in &d.new_figures {
        let _ = writeln!(
            s,
            "  figure   {} {}: {} -> {}",
            f.code,
            f.name,
            number(f.from),
            number(Some(f.to))
        );
    }
    for r in &d.still_red {
        let _ = writeln!(
            s,
            "  red      {} {}: {} for {} meetings",
            r.code, r.name, r.status, r.meetings
        );
    }
    s
}

/// An indicator's lineage, one line per year.
pub fn lineage(years: &[crate::store::LineageYear]) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    for y in years {
        let link = match y.link_confirmed {
            Some(true) => "  (linked)",
            Some(false) => "  (proposed link: confirm with `taizhang indicator link`)",
            None => "",
        };
        let _ = writeln!(
            s,
            "{}  {}  {}  target {} {}{}  actual {}{link}",
            y.year,
            y.code,
            y.name,
            y.comparator,
            number(Some(y.target)),
            y.unit.as_deref().unwrap_or(""),
            number(y.actual),
        );
    }
    s
}

/// A meeting copy written: where, what it holds, how to open it.
pub fn moved(m: &crate::store::Moved, from: &std::path::Path, to: &str) -> String {
    let mut out = if m.copied {
        format!(
            "moved {} into {to}; every table's rows counted on both sides:\n",
            from.display()
        )
    } else {
        format!(
            "{to} already holds {} (the same rows in every table): nothing to do\n",
            from.display()
        )
    };
    for t in &m.tables {
        out.push_str(&format!(
            "  {:<20} {:>9} {:>9}\n",
            t.table, t.source, t.target
        ));
    }
    out
}

pub fn meeting_copy(w: &crate::store::CopyWritten) -> String {
    format!(
        "wrote the meeting copy {} ({} bytes, taken {}): plan {} 《{}》 with {} indicators and {} figures, {} plan(s) in all, {} change-log entries\nopen it with `taizhang --db {}` (read-only)\n",
        w.path.display(),
        w.bytes,
        w.copy.taken_short(),
        w.copy.plan_id,
        w.copy.plan_title,
        w.indicators,
        w.figures,
        w.plans,
        w.audit_entries,
        w.path.display()
    )
}
