//! Reported figures: writing one (by hand or from an import), reading them
//! back, the audit log of every change, and period locks.
//!
//! A figure is never overwritten. Writing a new one for the same indicator,
//! unit and period makes it the current one and keeps the old one as history;
//! the audit log records before and after, who and when.

use super::db::{Db, OptionalExtension, Row, params};
use super::{Context, Result, Store, StoreError};
use crate::domain::{Indicator, Kind, Period, Report, ValueBasis};
use serde::Serialize;

/// A figure to record by hand (`taizhang report add`).
#[derive(Clone, Debug, PartialEq)]
pub struct ReportEntry {
    /// Indicator code or name.
    pub indicator: String,
    pub plan_id: Option<i64>,
    /// Unit name or alias.
    pub unit: String,
    pub period: Period,
    pub value: Option<f64>,
    pub basis: ValueBasis,
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
    /// 进展情况; `None` keeps the period's earlier text.
    pub progress: Option<String>,
    pub problems: Option<String>,
    pub next_steps: Option<String>,
    /// Why the figure is corrected. Required to replace an imported figure
    /// (the import stays as history); kept in the audit log.
    pub reason: Option<String>,
}

impl ReportEntry {
    /// A plain figure with nothing else.
    pub fn new(indicator: &str, unit: &str, period: Period, value: f64) -> ReportEntry {
        ReportEntry {
            indicator: indicator.to_string(),
            plan_id: None,
            unit: unit.to_string(),
            period,
            value: Some(value),
            basis: ValueBasis::AsOfPeriodEnd,
            numerator: None,
            denominator: None,
            progress: None,
            problems: None,
            next_steps: None,
            reason: None,
        }
    }
}

/// One change to one figure, as the audit log lists it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AuditEntry {
    /// The audit line (the figures of one import share their batch's line).
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub action: crate::domain::AuditAction,
    pub indicator_code: String,
    pub unit: String,
    /// The figure's period; none for a unit's target.
    pub period: Option<String>,
    pub before: Option<f64>,
    pub after: Option<f64>,
    pub batch_id: Option<i64>,
    /// What the line says beside the figures: the reason of a correction.
    pub note: String,
    /// The sheet row an imported figure came from.
    pub row: Option<i64>,
    /// An indicator's field that changed (`indicator` lines), with its
    /// values before and after as text.
    pub field: Option<String>,
    pub before_text: Option<String>,
    pub after_text: Option<String>,
    /// The task a `task` line changed (its path in the plan).
    pub task: Option<String>,
}

/// An audit line as `revert_edit` reads it: action, indicator, unit,
/// period, before, after.
type AuditLine = (
    String,
    Option<i64>,
    String,
    Option<String>,
    Option<f64>,
    Option<f64>,
);

/// The words of a figure.
pub(super) struct Words<'a> {
    pub progress: Option<&'a str>,
    pub problems: Option<&'a str>,
    pub next_steps: Option<&'a str>,
}

/// The current figure a new one replaces: id, value and its words.
pub(super) type Current = (i64, Option<f64>, String, String, String);

/// Who entered a figure by hand, and when. (Imports write their figures in
/// bulk, see `batches::write_batch`.)
pub(super) struct Origin<'a> {
    pub actor: &'a str,
    /// Why a figure was corrected (an audit line `correct` with this note);
    /// `None`: an ordinary entry (`edit`).
    pub reason: Option<&'a str>,
    /// When, as `YYYY-MM-DDTHH:MM:SSZ`: one moment for everything a
    /// transaction writes (see [`now`]).
    pub at: &'a str,
}

/// The current UTC time as SQLite spells it, read once per transaction and
/// bound to every row it writes (a column default would call the clock and
/// format the time again for every row).
pub(super) fn now(conn: &Db) -> Result<String> {
    conn.prepare_cached("SELECT strftime('%Y-%m-%dT%H:%M:%SZ', 'now')")
        .and_then(|mut st| st.query_row([], |r| r.get(0)))
        .context("reading the clock")
}

/// Refuses a change to a locked period.
pub(super) fn check_unlocked(tx: &Db, period: &str) -> Result<()> {
    let locked: bool = tx
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM locked_periods WHERE period = ?1)")
        .and_then(|mut st| st.query_row([period], |r| r.get(0)))
        .context("checking period locks")?;
    if locked {
        return Err(StoreError::Locked(format!(
            "period {period} is locked; its figures cannot change until it is unlocked"
        )));
    }
    Ok(())
}

/// Checks a figure against its indicator: finite, not a negative count.
pub fn check_value(ind: &Indicator, value: Option<f64>) -> std::result::Result<(), String> {
    match value {
        Some(v) if !v.is_finite() => Err(format!("value for '{}' is not a number", ind.name)),
        Some(v) if v < 0.0 && ind.kind != Kind::Level => Err(format!(
            "value {v} for '{}' is negative, and a count cannot be",
            ind.name
        )),
        _ => Ok(()),
    }
}

/// Makes a figure the current one for its indicator, unit and period, keeping
/// the one it replaces as history and writing the audit line. Returns its id.
#[allow(clippy::too_many_arguments)]
pub(super) fn write_report(
    tx: &Db,
    ind: &Indicator,
    unit_id: i64,
    unit_name: &str,
    period: Period,
    value: Option<f64>,
    basis: ValueBasis,
    parts: (Option<f64>, Option<f64>),
    words: Words,
    origin: Origin,
) -> Result<i64> {
    let p = period.to_string();
    check_unlocked(tx, &p)?;
    let (previous, imported_from): (Option<Current>, Option<String>) = tx
        .prepare_cached(
            "SELECT r.id, r.value, r.progress, r.problems, r.next_steps, b.file_name FROM reports r
             LEFT JOIN batches b ON b.id = r.batch_id
             WHERE r.indicator_id = ?1 AND r.unit_id = ?2 AND r.period = ?3 AND r.active = 1",
        )
        .and_then(|mut st| {
            st.query_row(params![ind.id, unit_id, p], |r| {
                Ok((
                    Some((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
                    r.get(5)?,
                ))
            })
            .optional()
        })
        .context("reading the current figure")?
        .unwrap_or((None, None));
    let reason = origin.reason.map(str::trim).filter(|r| !r.is_empty());
    if let (Some(file), None) = (&imported_from, reason) {
        return Err(StoreError::NeedsReason(format!(
            "the figure of '{}' for {unit_name} in {p} was imported from '{file}'; correcting it needs a reason (taizhang report correct … --reason TEXT)",
            ind.name
        )));
    }
    let before = previous.as_ref().and_then(|p| p.1);
    let keep = |new: Option<&str>, old: Option<&String>| -> String {
        new.map(str::to_string)
            .or_else(|| old.cloned())
            .unwrap_or_default()
    };
    let progress = keep(words.progress, previous.as_ref().map(|p| &p.2));
    let problems = keep(words.problems, previous.as_ref().map(|p| &p.3));
    let next_steps = keep(words.next_steps, previous.as_ref().map(|p| &p.4));
    if let Some((id, ..)) = &previous {
        tx.prepare_cached("UPDATE reports SET active = 0 WHERE id = ?1")
            .and_then(|mut st| st.execute([id]))
            .context("keeping the previous figure as history")?;
    }
    tx.prepare_cached(
        "INSERT INTO reports (indicator_id, unit_id, period, value, basis, numerator, denominator, progress,
           problems, next_steps, entered_by, entered_at, replaces, active)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, 1)",
    )
    .and_then(|mut st| st.execute(params![
            ind.id,
            unit_id,
            p,
            value,
            basis.as_str(),
            parts.0,
            parts.1,
            progress,
            problems,
            next_steps,
            origin.actor,
            origin.at,
            previous.as_ref().map(|p| p.0)
        ]))
    .context("recording the figure")?;
    let id = tx.last_insert_rowid();
    tx.prepare_cached(
        "INSERT INTO audit_log (actor, action, indicator_id, indicator_code, unit_id, unit_name, period, before, after, at, note)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )
    .and_then(|mut st| {
        st.execute(params![
            origin.actor,
            if reason.is_some() { "correct" } else { "edit" },
            ind.id,
            ind.code,
            unit_id,
            unit_name,
            p,
            before,
            value,
            origin.at,
            reason.unwrap_or_default()
        ])
    })
    .context("writing the audit log")?;
    Ok(id)
}

const REPORT_SELECT: &str = "
    SELECT r.id, r.indicator_id, u.name, r.period, r.value, r.basis, r.numerator, r.denominator,
           r.progress, r.problems, r.next_steps, r.batch_id, r.sheet, r.\"row\", r.entered_at, r.entered_by, r.active
    FROM reports r JOIN units u ON u.id = r.unit_id";

fn report_from_row(r: &Row) -> super::db::Result<Report> {
    let period: String = r.get(3)?;
    let basis: String = r.get(5)?;
    let bad = |i: usize, e: String| super::db::bad_column(i, e);
    Ok(Report {
        id: r.get(0)?,
        indicator_id: r.get(1)?,
        unit: r.get(2)?,
        period: period
            .parse()
            .map_err(|e: crate::domain::DateError| bad(3, e.0))?,
        value: r.get(4)?,
        basis: basis.parse().map_err(|e| bad(5, e))?,
        numerator: r.get(6)?,
        denominator: r.get(7)?,
        progress: r.get(8)?,
        problems: r.get(9)?,
        next_steps: r.get(10)?,
        batch_id: r.get(11)?,
        sheet: r.get(12)?,
        row: r.get(13)?,
        entered_at: r.get(14)?,
        entered_by: r.get(15)?,
    })
}

impl Store {
    /// Records a figure entered by hand. The indicator (code or name) and unit
    /// (name or alias) must exist, the period must fall in the plan's year and
    /// not be locked, and a count cannot be negative.
    pub fn add_report(&mut self, entry: &ReportEntry) -> Result<Report> {
        let ind = self.find_indicator(&entry.indicator, entry.plan_id)?;
        let unit = self.require_unit(&entry.unit)?;
        if entry.period.year() != ind.plan_year {
            return Err(StoreError::Invalid(format!(
                "period {} is outside the plan year {} of '{}'",
                entry.period, ind.plan_year, ind.name
            )));
        }
        check_value(&ind, entry.value).map_err(StoreError::Invalid)?;
        if let Some(d) = entry.denominator
            && !(d > 0.0 && d.is_finite())
        {
            return Err(StoreError::Invalid(format!(
                "denominator {d} must be above 0"
            )));
        }
        let actor = self.actor.clone();
        self.writable()?;
        let tx = self.conn.transaction().context("starting the entry")?;
        let id = write_report(
            &tx,
            &ind,
            unit.id,
            &unit.name,
            entry.period,
            entry.value,
            entry.basis,
            (entry.numerator, entry.denominator),
            Words {
                progress: entry.progress.as_deref(),
                problems: entry.problems.as_deref(),
                next_steps: entry.next_steps.as_deref(),
            },
            Origin {
                actor: &actor,
                at: &now(&tx)?,
                reason: entry.reason.as_deref(),
            },
        )?;
        tx.commit().context("committing the entry")?;
        self.report(id)
    }

    /// One figure by id.
    pub fn report(&self, id: i64) -> Result<Report> {
        self.conn
            .query_row(
                &format!("{REPORT_SELECT} WHERE r.id = ?1"),
                [id],
                report_from_row,
            )
            .optional()
            .context("reading a figure")?
            .ok_or_else(|| StoreError::NotFound(format!("figure {id} does not exist")))
    }

    /// The current figures of a plan's indicators, by indicator, unit and period.
    pub fn current_reports(&self, plan_id: i64) -> Result<Vec<Report>> {
        let sql = format!(
            "{REPORT_SELECT} JOIN indicators i ON i.id = r.indicator_id
             WHERE r.active = 1 AND i.plan_id = ?1 ORDER BY r.indicator_id, u.id, r.period"
        );
        let mut st = self.conn.prepare_cached(&sql).context("reading figures")?;
        let rows = st
            .query_map([plan_id], report_from_row)
            .context("reading figures")?;
        rows.collect::<super::db::Result<_>>()
            .context("reading figures")
    }

    /// Every figure ever recorded for an indicator, current and superseded,
    /// oldest first: the history behind its numbers.
    pub fn report_history(&self, indicator_id: i64) -> Result<Vec<(Report, bool)>> {
        let sql =
            format!("{REPORT_SELECT} WHERE r.indicator_id = ?1 ORDER BY r.period, u.id, r.id");
        let mut st = self.conn.prepare(&sql).context("reading history")?;
        let rows = st
            .query_map([indicator_id], |r| Ok((report_from_row(r)?, r.get(16)?)))
            .context("reading history")?;
        rows.collect::<super::db::Result<_>>()
            .context("reading history")
    }

    /// The current figures of one indicator, oldest period first (the
    /// indicator screen's points and words).
    pub fn indicator_reports(&self, indicator_id: i64) -> Result<Vec<Report>> {
        let sql = format!(
            "{REPORT_SELECT} WHERE r.indicator_id = ?1 AND r.active = 1 ORDER BY r.period, u.id"
        );
        let mut st = self
            .conn
            .prepare(&sql)
            .context("reading an indicator's figures")?;
        let rows = st
            .query_map([indicator_id], report_from_row)
            .context("reading an indicator's figures")?;
        rows.collect::<super::db::Result<_>>()
            .context("reading an indicator's figures")
    }

    /// Reverts one hand change of a figure (an audit line `edit` or
    /// `correct`): the figure goes back to the value it had before, as a new
    /// correction whose reason names the line; the reverted figure stays as
    /// history. Refused when the figure has changed since (revert the later
    /// change first) or its period is locked.
    pub fn revert_edit(&mut self, line: i64) -> Result<Report> {
        let found: Option<AuditLine> = self
            .conn
            .query_row(
                "SELECT action, indicator_id, unit_name, period, before, after FROM audit_log WHERE id = ?1",
                [line],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
            )
            .optional()
            .context("reading the audit log")?;
        let Some((action, indicator, unit, period, before, after)) = found else {
            return Err(StoreError::NotFound(format!(
                "line {line} is not in the audit log"
            )));
        };
        if action != "edit" && action != "correct" {
            return Err(StoreError::Invalid(format!(
                "line {line} is an {action}; only a figure entered or corrected by hand is reverted here (an import is undone as a batch)"
            )));
        }
        let (Some(indicator), Some(period)) = (indicator, period) else {
            return Err(StoreError::Invalid(format!("line {line} names no figure")));
        };
        let ind = self.indicator(indicator)?;
        let period: Period = period
            .parse()
            .map_err(|e: crate::domain::DateError| StoreError::Invalid(e.0))?;
        let current: Option<Option<f64>> = self
            .conn
            .query_row(
                "SELECT r.value FROM reports r JOIN units u ON u.id = r.unit_id
                 WHERE r.indicator_id = ?1 AND u.name = ?2 AND r.period = ?3 AND r.active = 1",
                params![indicator, unit, period.to_string()],
                |r| r.get(0),
            )
            .optional()
            .context("reading the current figure")?;
        if current != Some(after) {
            return Err(StoreError::Invalid(format!(
                "the figure of '{}' for {unit} in {period} has changed since line {line}; revert the later change first",
                ind.name
            )));
        }
        let mut entry = ReportEntry::new(&ind.code, &unit, period, 0.0);
        entry.plan_id = Some(ind.plan_id);
        entry.value = before;
        entry.reason = Some(format!("撤回第{line}条修改"));
        self.add_report(&entry)
    }

    /// The audit log, newest first; for one indicator when `indicator_id` is
    /// given. An import is stored as one line for its batch and listed here
    /// as one entry per figure it wrote (sharing the line's id), each with the
    /// figure it replaced as `before`; hand edits and undos have a line each.
    pub fn audit_log(&self, indicator_id: Option<i64>, limit: usize) -> Result<Vec<AuditEntry>> {
        let mut st = self
            .conn
            .prepare(
                "SELECT id, at, actor, action, indicator_code, unit_name, period, before, after, batch_id, note, \"row\",
                        field, before_text, after_text, task_path
                 FROM (
                     SELECT a.id, 0 AS figure, a.at, a.actor, a.action, a.indicator_id, a.indicator_code,
                            a.unit_name, a.period, a.before, a.after, a.batch_id, a.note, NULL AS \"row\",
                            a.field, a.before_text, a.after_text, a.task_path
                     FROM audit_log a WHERE a.covers_batch = 0
                     UNION ALL
                     SELECT a.id, r.id, a.at, a.actor, a.action, r.indicator_id, COALESCE(i.code, ''),
                            CASE WHEN a.unit_id IS NOT DISTINCT FROM r.unit_id THEN a.unit_name
                                 ELSE (SELECT name FROM units WHERE id = r.unit_id) END,
                            r.period, p.value, r.value, a.batch_id, a.note, r.\"row\",
                            NULL, NULL, NULL, NULL
                     FROM audit_log a
                     JOIN reports r ON r.batch_id = a.batch_id
                     LEFT JOIN indicators i ON i.id = r.indicator_id
                     LEFT JOIN reports p ON p.id = r.replaces
                     WHERE a.covers_batch = 1
                 ) AS entries
                 WHERE CAST(?1 AS BIGINT) IS NULL OR indicator_id = ?1
                 ORDER BY id DESC, figure DESC LIMIT ?2",
            )
            .context("reading the audit log")?;
        let rows = st
            .query_map(params![indicator_id, limit as i64], |r| {
                Ok(AuditEntry {
                    id: r.get(0)?,
                    at: r.get(1)?,
                    actor: r.get(2)?,
                    action: {
                        let a: String = r.get(3)?;
                        a.parse().map_err(|e: String| super::db::bad_column(3, e))?
                    },
                    indicator_code: r.get(4)?,
                    unit: r.get(5)?,
                    period: r.get(6)?,
                    before: r.get(7)?,
                    after: r.get(8)?,
                    batch_id: r.get(9)?,
                    note: r.get(10)?,
                    row: r.get(11)?,
                    field: r.get(12)?,
                    before_text: r.get(13)?,
                    after_text: r.get(14)?,
                    task: r.get(15)?,
                })
            })
            .context("reading the audit log")?;
        rows.collect::<super::db::Result<_>>()
            .context("reading the audit log")
    }

    /// Locks a period before a meeting: its figures stop moving. Returns
    /// whether it was unlocked before; a change goes to the audit log.
    pub fn lock_period(&mut self, period: Period) -> Result<bool> {
        self.set_lock(period, true)
    }

    /// Unlocks a period. Returns whether it was locked before.
    pub fn unlock_period(&mut self, period: Period) -> Result<bool> {
        self.set_lock(period, false)
    }

    fn set_lock(&mut self, period: Period, lock: bool) -> Result<bool> {
        self.writable()?;
        let tx = self.conn.transaction().context("changing a period lock")?;
        let changed = if lock {
            tx.execute(
                "INSERT OR IGNORE INTO locked_periods (period, locked_by) VALUES (?1, ?2)",
                params![period.to_string(), self.actor],
            )
        } else {
            tx.execute(
                "DELETE FROM locked_periods WHERE period = ?1",
                [period.to_string()],
            )
        }
        .context("changing a period lock")?;
        if changed > 0 {
            tx.execute(
                "INSERT INTO audit_log (actor, action, indicator_code, unit_name, period) VALUES (?1, ?2, '', '', ?3)",
                params![self.actor, if lock { "lock" } else { "unlock" }, period.to_string()],
            )
            .context("writing the audit log")?;
        }
        tx.commit().context("changing a period lock")?;
        Ok(changed > 0)
    }

    /// The locked periods.
    pub fn locked_periods(&self) -> Result<Vec<Period>> {
        let mut st = self
            .conn
            .prepare("SELECT period FROM locked_periods ORDER BY period")
            .context("reading period locks")?;
        let rows = st
            .query_map([], |r| r.get::<_, String>(0))
            .context("reading period locks")?;
        rows.map(|r| {
            r.context("reading period locks")?
                .parse()
                .map_err(|e: crate::domain::DateError| StoreError::Invalid(e.0))
        })
        .collect()
    }
}
