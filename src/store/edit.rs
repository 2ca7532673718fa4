//! Changes to a saved indicator: any of its fields, each recorded in the
//! audit log with its value before and after (`indicator`). A changed
//! target is either a revision (调整目标: the plan's target is kept as the
//! original, with when and why, and shown beside the revised one) or the
//! correction of a target misread or mistyped (no trace of a revision).

use super::db::{OptionalExtension, params};
use super::reports::now;
use super::{Context, Result, Store, StoreError};
use crate::domain::reporting::{ReportingChoice, resolve_unit};
use crate::domain::{Better, Comparator, Date, Indicator, Kind, Scope};
use serde::Serialize;

/// The fields of a saved indicator the user can change.
#[derive(Clone, Debug, PartialEq)]
pub struct IndicatorFields {
    pub name: String,
    pub unit: Option<String>,
    pub comparator: Comparator,
    pub target: f64,
    pub target_max: Option<f64>,
    pub baseline: Option<f64>,
    pub better: Better,
    pub kind: Kind,
    pub scope: Scope,
    pub deadline: Date,
    /// What is set of who reports and how the city's figure is made; a part
    /// left `None` is the rules' (docs/indicator-rules.md).
    pub reporting: ReportingChoice,
}

impl IndicatorFields {
    /// The fields as the indicator has them.
    pub fn of(ind: &Indicator) -> IndicatorFields {
        let r = &ind.reporting;
        IndicatorFields {
            name: ind.name.clone(),
            unit: ind.unit.clone(),
            comparator: ind.comparator,
            target: ind.target,
            target_max: ind.target_max,
            baseline: ind.baseline,
            better: ind.better,
            kind: ind.kind,
            scope: ind.scope,
            deadline: ind.deadline,
            reporting: ReportingChoice {
                aggregation: r.set.aggregation.then_some(r.aggregation),
                units: r.set.units.then(|| r.units.to_vec()),
                city_reporter: r.city_reporter.clone().filter(|_| r.set.city_reporter),
            },
        }
    }
}

/// How a changed target is recorded.
#[derive(Clone, Debug, PartialEq)]
pub enum TargetEdit {
    /// 调整目标: the plan's target stays as the original; the reason is shown.
    Revise { reason: String },
    /// The target was misread or mistyped: corrected, no revision.
    Correct,
}

/// One field changed: its name (as the plan JSON spells it), before, after.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FieldChange {
    pub field: &'static str,
    pub before: String,
    pub after: String,
}

fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map(T::to_string).unwrap_or_default()
}

impl Store {
    /// Refuses when `ind` no longer has the fields `base` holds, naming the
    /// last change to it in the log.
    fn check_unchanged(&self, ind: &Indicator, base: &IndicatorFields) -> Result<()> {
        if IndicatorFields::of(ind) == *base {
            return Ok(());
        }
        let (by, at): (String, String) = self
            .conn
            .query_row(
                "SELECT actor, at FROM audit_log
                 WHERE indicator_id = ?1 AND action IN ('indicator', 'target', 'edit')
                 ORDER BY id DESC LIMIT 1",
                [ind.id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .context("reading who changed the indicator")?
            .unwrap_or_default();
        Err(StoreError::Conflict {
            what: format!("indicator {} ({})", ind.code, ind.name),
            by,
            at,
        })
    }
}

pub(super) fn number(v: f64) -> String {
    let s = format!("{v}");
    s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
}

impl Store {
    /// Changes a saved indicator's fields to `to`; what did not change is
    /// left alone. A changed target needs `target` to say whether it is a
    /// revision (with its reason) or a correction. Refused whole (nothing
    /// written) for an empty name, a range whose top is below its bottom, or
    /// a reporting unit not in the catalogue.
    pub fn edit_indicator(
        &mut self,
        id: i64,
        to: &IndicatorFields,
        target: Option<TargetEdit>,
    ) -> Result<Vec<FieldChange>> {
        self.edit_indicator_from(id, None, to, target)
    }

    /// [`Store::edit_indicator`] for an editor that began from `base`: when
    /// the indicator no longer has those fields (someone else changed it
    /// since), the edit is refused with who changed it and when
    /// ([`StoreError::Conflict`]), never written over their change.
    pub fn edit_indicator_from(
        &mut self,
        id: i64,
        base: Option<&IndicatorFields>,
        to: &IndicatorFields,
        target: Option<TargetEdit>,
    ) -> Result<Vec<FieldChange>> {
        let ind = self.indicator(id)?;
        if let Some(base) = base {
            self.check_unchanged(&ind, base)?;
        }
        let from = IndicatorFields::of(&ind);
        let name = to.name.trim();
        if name.is_empty() {
            return Err(StoreError::Invalid(format!(
                "indicator {}: the name cannot be empty",
                ind.code
            )));
        }
        if !to.target.is_finite() {
            return Err(StoreError::Invalid(format!(
                "indicator {}: the target is not a number",
                ind.code
            )));
        }
        if let Some(max) = to.target_max
            && (max.is_nan() || max < to.target)
        {
            return Err(StoreError::Invalid(format!(
                "indicator {}: the top of the range ({}) is below its bottom ({})",
                ind.code,
                number(max),
                number(to.target)
            )));
        }
        let target_changed = (to.target - from.target).abs() > 1e-12;
        let how = match (target_changed, target) {
            (false, _) => None,
            (true, None) => {
                return Err(StoreError::Invalid(format!(
                    "indicator {}: the target changes from {} to {}; say whether it is a revision (with its reason) or the correction of a misread target",
                    ind.code,
                    number(from.target),
                    number(to.target)
                )));
            }
            (true, Some(TargetEdit::Revise { reason })) if reason.trim().is_empty() => {
                return Err(StoreError::Invalid(format!(
                    "indicator {}: a revised target needs its reason",
                    ind.code
                )));
            }
            (true, Some(h)) => Some(h),
        };
        let catalogue = self.units()?;
        let resolve = |n: &str| {
            resolve_unit(n, &catalogue).map(|u| u.id).ok_or_else(|| {
                StoreError::UnknownUnit(format!(
                    "indicator {}: unit '{}' is not in the units catalogue",
                    ind.code,
                    n.trim()
                ))
            })
        };
        let units: Option<Vec<i64>> = match &to.reporting.units {
            Some(list) => Some(list.iter().map(|n| resolve(n)).collect::<Result<_>>()?),
            None => None,
        };
        let reporter = match &to.reporting.city_reporter {
            Some(n) => Some(resolve(n)?),
            None => None,
        };

        let mut changes = Vec::new();
        let mut note = |field: &'static str, before: String, after: String| {
            if before != after {
                changes.push(FieldChange {
                    field,
                    before,
                    after,
                });
            }
        };
        note("name", from.name.clone(), name.to_string());
        note("unit", opt(&from.unit), opt(&to.unit));
        note(
            "comparator",
            from.comparator.to_string(),
            to.comparator.to_string(),
        );
        note("target", number(from.target), number(to.target));
        note(
            "target_max",
            from.target_max.map(number).unwrap_or_default(),
            to.target_max.map(number).unwrap_or_default(),
        );
        note(
            "baseline",
            from.baseline.map(number).unwrap_or_default(),
            to.baseline.map(number).unwrap_or_default(),
        );
        note("better", from.better.to_string(), to.better.to_string());
        note("kind", from.kind.to_string(), to.kind.to_string());
        note("scope", from.scope.to_string(), to.scope.to_string());
        note(
            "deadline",
            from.deadline.to_string(),
            to.deadline.to_string(),
        );
        note(
            "aggregation",
            opt(&from.reporting.aggregation),
            opt(&to.reporting.aggregation),
        );
        let join = |u: &Option<Vec<String>>| u.as_ref().map(|v| v.join("、")).unwrap_or_default();
        note(
            "reporting_units",
            join(&from.reporting.units),
            join(&to.reporting.units),
        );
        note(
            "city_reporter",
            opt(&from.reporting.city_reporter),
            opt(&to.reporting.city_reporter),
        );
        if changes.is_empty() {
            return Ok(changes);
        }

        let actor = self.actor.clone();
        self.writable()?;
        let tx = self.conn.transaction().context("starting the edit")?;
        // Again under the write lock: another writer may have finished
        // between the first look and the lock.
        if let Some(base) = base {
            self.check_unchanged(&self.indicator(id)?, base)?;
        }
        let at = now(&tx)?;
        tx.execute(
            "UPDATE indicators SET name = ?2, unit = ?3, comparator = ?4, target = ?5, target_max = ?6,
               baseline = ?7, better = ?8, kind = ?9, scope = ?10, deadline = ?11,
               aggregation = COALESCE(?12, aggregation), aggregation_set = CASE WHEN ?12 IS NULL THEN 0 ELSE 1 END,
               designated_unit_id = ?13
             WHERE id = ?1",
            params![
                id,
                name,
                to.unit.as_deref().map(str::trim).filter(|u| !u.is_empty()),
                to.comparator.as_str(),
                to.target,
                to.target_max,
                to.baseline,
                to.better.as_str(),
                to.kind.as_str(),
                to.scope.as_str(),
                to.deadline.to_string(),
                to.reporting.aggregation.map(|a| a.as_str()),
                reporter,
            ],
        )
        .context("changing the indicator")?;
        tx.execute("DELETE FROM indicator_units WHERE indicator_id = ?1", [id])
            .context("replacing reporting units")?;
        for (pos, unit) in units.iter().flatten().enumerate() {
            tx.execute(
                "INSERT OR IGNORE INTO indicator_units (indicator_id, unit_id, position) VALUES (?1, ?2, ?3)",
                params![id, unit, pos as i64],
            )
            .context("storing reporting units")?;
        }
        let reason = match &how {
            Some(TargetEdit::Revise { reason }) => {
                let original = ind.revision.as_ref().map_or(ind.target, |r| r.original);
                if (original - to.target).abs() <= 1e-12 {
                    // Back to the plan's own target: no revision any more.
                    tx.execute(
                        "UPDATE indicators SET original_target = NULL, target_revised_at = NULL, target_reason = NULL WHERE id = ?1",
                        [id],
                    )
                } else {
                    tx.execute(
                        "UPDATE indicators SET original_target = ?2, target_revised_at = ?3, target_reason = ?4 WHERE id = ?1",
                        params![id, original, at, reason.trim()],
                    )
                }
                .context("recording the revision")?;
                reason.trim().to_string()
            }
            Some(TargetEdit::Correct) | None => String::new(),
        };
        for c in &changes {
            tx.execute(
                "INSERT INTO audit_log (actor, action, indicator_id, indicator_code, unit_name, field, before_text, after_text, note, at)
                 VALUES (?1, 'indicator', ?2, ?3, '', ?4, ?5, ?6, ?7, ?8)",
                params![
                    actor,
                    id,
                    ind.code,
                    c.field,
                    c.before,
                    c.after,
                    if c.field == "target" { reason.as_str() } else { "" },
                    at
                ],
            )
            .context("writing the audit log")?;
        }
        tx.commit().context("committing the edit")?;
        Ok(changes)
    }
}
