//! Changes to a saved plan beyond one indicator's fields: a task's title,
//! deadline and responsible units; an indicator retired (its figures kept,
//! out of status, templates and exports) or brought back; an indicator
//! moved to another task. Each is one audit line per field with its value
//! before and after, and each can be reverted from its line
//! ([`Store::revert_line`]), as can a field of an indicator, a unit's own
//! target and a change to the units catalogue.

use super::db::{OptionalExtension, params};
use super::edit::{FieldChange, IndicatorFields, TargetEdit};
use super::reports::now;
use super::targets::TargetChange;
use super::{Context, Result, Store, StoreError};
use crate::domain::{Aggregation, Date, Indicator, ResponsibleUnit, UnitKind};
use serde::Serialize;

/// A task of a saved plan as the editor shows it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TaskRow {
    pub id: i64,
    /// `一/2`, `四/(十二)/34`: stable within the plan.
    pub path: String,
    pub number: String,
    pub title: String,
    pub deadline: Option<Date>,
    pub units: Vec<ResponsibleUnit>,
}

/// The fields of a task the user can change.
#[derive(Clone, Debug, PartialEq)]
pub struct TaskFields {
    pub title: String,
    pub deadline: Option<Date>,
    /// Lead and supporting units in order.
    pub units: Vec<ResponsibleUnit>,
}

/// What reverting an audit line did.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "reverted", rename_all = "snake_case")]
pub enum Reverted {
    /// A figure entered or corrected by hand is back to its value before.
    Figure { indicator: String, unit: String },
    /// A field of an indicator is back.
    Indicator { indicator: String, field: String },
    /// A unit's own target is back.
    Target { indicator: String, unit: String },
    /// A field of a task is back.
    Task { task: String, field: String },
    /// A change to the units catalogue is undone.
    Unit { unit: String, field: String },
}

/// The responsible units as an audit line stores them (JSON: read back on
/// a revert, shown by the window).
pub fn units_text(units: &[ResponsibleUnit]) -> String {
    serde_json::to_string(units).unwrap_or_default()
}

/// The responsible units from an audit line's text.
pub fn units_from_text(text: &str) -> Vec<ResponsibleUnit> {
    serde_json::from_str(text).unwrap_or_default()
}

impl Store {
    /// The tasks of a plan, in document order, with their responsible units.
    pub fn tasks(&self, plan_id: i64) -> Result<Vec<TaskRow>> {
        let mut st = self
            .conn
            .prepare(
                "SELECT t.id, t.path, t.number, t.title, t.deadline,
                   (SELECT group_concat(tu.role || ':' || tu.name, char(31))
                      FROM (SELECT * FROM task_units WHERE task_id = t.id ORDER BY position) tu)
                 FROM tasks t WHERE t.plan_id = ?1 ORDER BY t.position, t.id",
            )
            .context("reading tasks")?;
        let rows = st
            .query_map([plan_id], |r| {
                let deadline: Option<String> = r.get(4)?;
                let units: Option<String> = r.get(5)?;
                Ok(TaskRow {
                    id: r.get(0)?,
                    path: r.get(1)?,
                    number: r.get(2)?,
                    title: r.get(3)?,
                    deadline: deadline.and_then(|d| d.parse().ok()),
                    units: units
                        .unwrap_or_default()
                        .split('\u{1f}')
                        .filter_map(|x| {
                            let (role, name) = x.split_once(':')?;
                            Some(ResponsibleUnit {
                                name: name.to_string(),
                                role: role.parse().ok()?,
                            })
                        })
                        .collect(),
                })
            })
            .context("reading tasks")?;
        rows.collect::<super::db::Result<_>>()
            .context("reading tasks")
    }

    fn task_by_path(&self, plan_id: i64, path: &str) -> Result<TaskRow> {
        self.tasks(plan_id)?
            .into_iter()
            .find(|t| t.path == path.trim())
            .ok_or_else(|| {
                StoreError::NotFound(format!(
                    "the plan has no task {} (see `taizhang plan show`)",
                    path.trim()
                ))
            })
    }

    /// Changes a task's title, deadline and responsible units; what did not
    /// change is left alone. Refused for an empty title or a unit named
    /// twice. A unit not in the catalogue is kept by its name, as a plan
    /// names it.
    pub fn edit_task(
        &mut self,
        plan_id: i64,
        path: &str,
        to: &TaskFields,
    ) -> Result<Vec<FieldChange>> {
        let task = self.task_by_path(plan_id, path)?;
        let title = to.title.trim();
        if title.is_empty() {
            return Err(StoreError::Invalid(format!(
                "task {}: the title cannot be empty",
                task.path
            )));
        }
        let mut units: Vec<ResponsibleUnit> = Vec::new();
        for u in &to.units {
            let name = u.name.trim();
            if name.is_empty() {
                continue;
            }
            if units.iter().any(|x| x.name == name) {
                return Err(StoreError::Invalid(format!(
                    "task {}: '{name}' is named twice among its units",
                    task.path
                )));
            }
            units.push(ResponsibleUnit {
                name: name.to_string(),
                role: u.role,
            });
        }
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
        note("title", task.title.clone(), title.to_string());
        let date = |d: Option<Date>| d.map(|d| d.to_string()).unwrap_or_default();
        note("deadline", date(task.deadline), date(to.deadline));
        note("units", units_text(&task.units), units_text(&units));
        if changes.is_empty() {
            return Ok(changes);
        }
        let actor = self.actor.clone();
        self.writable()?;
        let tx = self.conn.transaction().context("starting the task edit")?;
        let at = now(&tx)?;
        tx.execute(
            "UPDATE tasks SET title = ?2, deadline = ?3 WHERE id = ?1",
            params![task.id, title, to.deadline.map(|d| d.to_string())],
        )
        .context("changing the task")?;
        tx.execute("DELETE FROM task_units WHERE task_id = ?1", [task.id])
            .context("replacing responsible units")?;
        for (pos, u) in units.iter().enumerate() {
            let unit_id: Option<i64> = tx
                .query_row(
                    "SELECT id FROM units WHERE name = ?1 UNION ALL SELECT unit_id FROM unit_aliases WHERE alias = ?1 LIMIT 1",
                    [&u.name],
                    |r| r.get(0),
                )
                .optional()
                .context("resolving a responsible unit")?;
            tx.execute(
                "INSERT INTO task_units (task_id, name, unit_id, role, position) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![task.id, u.name, unit_id, u.role.as_str(), pos as i64],
            )
            .context("storing a responsible unit")?;
        }
        for c in &changes {
            tx.execute(
                "INSERT INTO audit_log (actor, action, indicator_code, unit_name, field, before_text, after_text, task_id, task_path, at)
                 VALUES (?1, 'task', '', '', ?2, ?3, ?4, ?5, ?6, ?7)",
                params![actor, c.field, c.before, c.after, task.id, task.path, at],
            )
            .context("writing the audit log")?;
        }
        tx.commit().context("committing the task edit")?;
        Ok(changes)
    }

    /// The retired indicators of a plan (figures kept; out of status,
    /// templates and exports).
    pub fn retired_indicators(&self, plan_id: i64) -> Result<Vec<Indicator>> {
        let ids: Vec<i64> = {
            let mut st = self
                .conn
                .prepare("SELECT id FROM indicators WHERE plan_id = ?1 AND retired = 1 ORDER BY position, id")
                .context("listing retired indicators")?;
            st.query_map([plan_id], |r| r.get(0))
                .context("listing retired indicators")?
                .collect::<super::db::Result<_>>()
                .context("listing retired indicators")?
        };
        ids.into_iter().map(|id| self.indicator(id)).collect()
    }

    /// An indicator's id by its code, retired or not.
    pub fn indicator_id_by_code(&self, code: &str) -> Result<i64> {
        self.conn
            .query_row(
                "SELECT id FROM indicators WHERE code = ?1",
                [code.trim()],
                |r| r.get(0),
            )
            .optional()
            .context("finding an indicator")?
            .ok_or_else(|| {
                StoreError::NotFound(format!(
                    "no indicator has the code '{}' (see `taizhang plan show`)",
                    code.trim()
                ))
            })
    }

    fn is_retired(&self, id: i64) -> Result<bool> {
        self.conn
            .query_row("SELECT retired FROM indicators WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()
            .context("reading an indicator")?
            .ok_or_else(|| StoreError::NotFound(format!("indicator {id} does not exist")))
    }

    /// Retires an indicator (`true`) or brings it back (`false`), with the
    /// reason in the log. Its figures, targets and history are kept either
    /// way. Returns whether anything changed.
    pub fn set_retired(&mut self, id: i64, retired: bool, reason: &str) -> Result<bool> {
        let ind = self.indicator(id)?;
        if self.is_retired(id)? == retired {
            return Ok(false);
        }
        if retired && reason.trim().is_empty() {
            return Err(StoreError::Invalid(format!(
                "indicator {}: retiring it needs a reason",
                ind.code
            )));
        }
        let actor = self.actor.clone();
        self.writable()?;
        let tx = self.conn.transaction().context("starting the change")?;
        let at = now(&tx)?;
        tx.execute(
            "UPDATE indicators SET retired = ?2, retired_by_hand = ?2 WHERE id = ?1",
            params![id, retired],
        )
        .context("retiring the indicator")?;
        let flag = |b: bool| if b { "1" } else { "0" };
        tx.execute(
            "INSERT INTO audit_log (actor, action, indicator_id, indicator_code, unit_name, field, before_text, after_text, note, at)
             VALUES (?1, 'indicator', ?2, ?3, '', 'retired', ?4, ?5, ?6, ?7)",
            params![actor, id, ind.code, flag(!retired), flag(retired), reason.trim(), at],
        )
        .context("writing the audit log")?;
        tx.commit().context("committing the change")?;
        Ok(true)
    }

    /// Moves an indicator to another task of its plan (`None`: to no task).
    /// Returns whether anything changed.
    pub fn move_indicator(&mut self, id: i64, task_path: Option<&str>) -> Result<bool> {
        let ind = self.indicator(id)?;
        let to = match task_path.map(str::trim).filter(|p| !p.is_empty()) {
            Some(p) => Some(self.task_by_path(ind.plan_id, p)?),
            None => None,
        };
        let before = ind.task.clone().unwrap_or_default();
        let after = to.as_ref().map(|t| t.path.clone()).unwrap_or_default();
        if before == after {
            return Ok(false);
        }
        let actor = self.actor.clone();
        self.writable()?;
        let tx = self.conn.transaction().context("starting the move")?;
        let at = now(&tx)?;
        tx.execute(
            "UPDATE indicators SET task_id = ?2 WHERE id = ?1",
            params![id, to.as_ref().map(|t| t.id)],
        )
        .context("moving the indicator")?;
        tx.execute(
            "INSERT INTO audit_log (actor, action, indicator_id, indicator_code, unit_name, field, before_text, after_text, at)
             VALUES (?1, 'indicator', ?2, ?3, '', 'task', ?4, ?5, ?6)",
            params![actor, id, ind.code, before, after, at],
        )
        .context("writing the audit log")?;
        tx.commit().context("committing the move")?;
        Ok(true)
    }

    /// Reverts one line of the audit log: the value it changed goes back to
    /// what it was before, as a new change of its own (logged, naming the
    /// line). A figure entered or corrected by hand, a field of an indicator
    /// or of a task, a unit's own target, a unit's name, kind or alias.
    /// Refused when the value has changed again since (revert the later
    /// change first), for an import (undone as a batch), a period lock (set
    /// in its place), a unit added or two units merged.
    pub fn revert_line(&mut self, line: i64) -> Result<Reverted> {
        type Row = (
            String,
            Option<i64>,
            Option<i64>,
            String,
            Option<f64>,
            Option<f64>,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<i64>,
            Option<String>,
            String,
        );
        let found: Option<Row> = self
            .conn
            .query_row(
                "SELECT a.action, a.indicator_id, a.unit_id, a.unit_name, a.before, a.after, a.field,
                        a.before_text, a.after_text, a.task_id, a.task_path, a.note
                 FROM audit_log a WHERE a.id = ?1",
                [line],
                |r| {
                    Ok((
                        r.get(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get(5)?,
                        r.get(6)?,
                        r.get(7)?,
                        r.get(8)?,
                        r.get(9)?,
                        r.get(10)?,
                        r.get(11)?,
                    ))
                },
            )
            .optional()
            .context("reading the audit log")?;
        let Some((
            action,
            indicator,
            unit_id,
            unit_name,
            before,
            after,
            field,
            before_text,
            after_text,
            task_id,
            _,
            note,
        )) = found
        else {
            return Err(StoreError::NotFound(format!(
                "line {line} is not in the audit log"
            )));
        };
        let field = field.unwrap_or_default();
        let before_text = before_text.unwrap_or_default();
        let after_text = after_text.unwrap_or_default();
        let changed_since = |what: &str| {
            StoreError::Invalid(format!(
                "{what} has changed since line {line}; revert the later change first"
            ))
        };
        let reason = format!("撤回第{line}条修改");
        match action.as_str() {
            "edit" | "correct" => {
                let r = self.revert_edit(line)?;
                Ok(Reverted::Figure {
                    indicator: self.indicator(r.indicator_id)?.code,
                    unit: r.unit,
                })
            }
            "indicator" => {
                let id = indicator.ok_or_else(|| {
                    StoreError::Invalid(format!("line {line} names no indicator"))
                })?;
                let ind = self.indicator(id)?;
                match field.as_str() {
                    // An indicator added by hand is reverted by retiring it
                    // (its figures, if any, are kept).
                    "added" => {
                        if self.is_retired(id)? {
                            return Err(changed_since(&format!("indicator {}", ind.code)));
                        }
                        self.set_retired(id, true, &reason)?;
                    }
                    "retired" => {
                        let now_retired = self.is_retired(id)?;
                        if now_retired != (after_text == "1") {
                            return Err(changed_since(&format!("indicator {}", ind.code)));
                        }
                        self.set_retired(id, before_text == "1", &reason)?;
                    }
                    "task" => {
                        if ind.task.clone().unwrap_or_default() != after_text {
                            return Err(changed_since(&format!("the task of {}", ind.code)));
                        }
                        self.move_indicator(id, Some(&before_text))?;
                    }
                    _ => {
                        let mut fields = IndicatorFields::of(&ind);
                        if field_text(&fields, &field) != Some(after_text.clone()) {
                            return Err(changed_since(&format!("{} of {}", field, ind.code)));
                        }
                        set_field(&mut fields, &field, &before_text)
                            .map_err(|e| StoreError::Invalid(format!("line {line}: {e}")))?;
                        let how = (field == "target").then(|| {
                            if note.trim().is_empty() {
                                TargetEdit::Correct
                            } else {
                                TargetEdit::Revise {
                                    reason: reason.clone(),
                                }
                            }
                        });
                        self.edit_indicator(id, &fields, how)?;
                    }
                }
                Ok(Reverted::Indicator {
                    indicator: ind.code,
                    field,
                })
            }
            "target" => {
                let id = indicator.ok_or_else(|| {
                    StoreError::Invalid(format!("line {line} names no indicator"))
                })?;
                let ind = self.indicator(id)?;
                let current = self
                    .indicator_unit_targets(id)?
                    .into_iter()
                    .find(|t| t.unit == unit_name)
                    .map(|t| t.target);
                if current != after {
                    return Err(changed_since(&format!(
                        "the target of {unit_name} for {}",
                        ind.code
                    )));
                }
                self.set_unit_targets(&[TargetChange {
                    indicator_id: id,
                    unit: unit_name.clone(),
                    target: before,
                }])?;
                Ok(Reverted::Target {
                    indicator: ind.code,
                    unit: unit_name,
                })
            }
            "task" => {
                let tid = task_id
                    .ok_or_else(|| StoreError::Invalid(format!("line {line} names no task")))?;
                let plan_id: i64 = self
                    .conn
                    .query_row("SELECT plan_id FROM tasks WHERE id = ?1", [tid], |r| {
                        r.get(0)
                    })
                    .optional()
                    .context("reading a task")?
                    .ok_or_else(|| {
                        StoreError::NotFound(format!("the task of line {line} no longer exists"))
                    })?;
                let task = self
                    .tasks(plan_id)?
                    .into_iter()
                    .find(|t| t.id == tid)
                    .ok_or_else(|| {
                        StoreError::NotFound(format!("the task of line {line} no longer exists"))
                    })?;
                let mut to = TaskFields {
                    title: task.title.clone(),
                    deadline: task.deadline,
                    units: task.units.clone(),
                };
                let current = match field.as_str() {
                    "title" => task.title.clone(),
                    "deadline" => task.deadline.map(|d| d.to_string()).unwrap_or_default(),
                    "units" => units_text(&task.units),
                    other => {
                        return Err(StoreError::Invalid(format!(
                            "line {line} changed '{other}', which is not a field of a task"
                        )));
                    }
                };
                if current != after_text {
                    return Err(changed_since(&format!("{field} of task {}", task.path)));
                }
                match field.as_str() {
                    "title" => to.title = before_text,
                    "deadline" => {
                        to.deadline =
                            if before_text.is_empty() {
                                None
                            } else {
                                Some(before_text.parse().map_err(
                                    |e: crate::domain::DateError| StoreError::Invalid(e.0),
                                )?)
                            }
                    }
                    _ => to.units = units_from_text(&before_text),
                }
                self.edit_task(plan_id, &task.path, &to)?;
                Ok(Reverted::Task {
                    task: task.path,
                    field,
                })
            }
            "unit" => {
                let uid = unit_id
                    .ok_or_else(|| StoreError::Invalid(format!("line {line} names no unit")))?;
                let unit = self
                    .units()?
                    .into_iter()
                    .find(|u| u.id == uid)
                    .ok_or_else(|| {
                        StoreError::NotFound(format!("the unit of line {line} no longer exists"))
                    })?;
                match field.as_str() {
                    "name" => {
                        if unit.name != after_text {
                            return Err(changed_since(&format!("the name of {}", unit.name)));
                        }
                        self.rename_unit(&unit.name, &before_text)?;
                    }
                    "kind" => {
                        if unit.kind.as_str() != after_text {
                            return Err(changed_since(&format!("the kind of {}", unit.name)));
                        }
                        let kind: UnitKind = before_text.parse().map_err(StoreError::Invalid)?;
                        self.set_unit_kind(&unit.name, kind)?;
                    }
                    "alias" => {
                        // added: after is the alias; removed: before is.
                        if !after_text.is_empty() {
                            self.set_unit_alias(&unit.name, &after_text, false)?;
                        } else {
                            self.set_unit_alias(&unit.name, &before_text, true)?;
                        }
                    }
                    "add" => {
                        return Err(StoreError::Invalid(format!(
                            "line {line} added {}; a unit is not removed from the catalogue (its figures and targets would lose their unit)",
                            unit.name
                        )));
                    }
                    _ => {
                        return Err(StoreError::Invalid(format!(
                            "line {line} merged two units into {}; a merge cannot be reverted (their figures are one unit's now)",
                            unit.name
                        )));
                    }
                }
                Ok(Reverted::Unit {
                    unit: unit.name,
                    field,
                })
            }
            other => Err(StoreError::Invalid(format!(
                "line {line} is an {other}; an import is undone or restored as a batch, and a period is locked or unlocked in its place"
            ))),
        }
    }
}

/// A field of an indicator as its audit line writes it.
fn field_text(f: &IndicatorFields, field: &str) -> Option<String> {
    let num = super::edit::number;
    let opt_num = |v: Option<f64>| v.map(num).unwrap_or_default();
    Some(match field {
        "name" => f.name.clone(),
        "unit" => f.unit.clone().unwrap_or_default(),
        "comparator" => f.comparator.to_string(),
        "target" => num(f.target),
        "target_max" => opt_num(f.target_max),
        "baseline" => opt_num(f.baseline),
        "better" => f.better.to_string(),
        "kind" => f.kind.to_string(),
        "scope" => f.scope.to_string(),
        "deadline" => f.deadline.to_string(),
        "aggregation" => f
            .reporting
            .aggregation
            .map(|a| a.to_string())
            .unwrap_or_default(),
        "reporting_units" => f
            .reporting
            .units
            .as_ref()
            .map(|v| v.join("、"))
            .unwrap_or_default(),
        "city_reporter" => f.reporting.city_reporter.clone().unwrap_or_default(),
        _ => return None,
    })
}

/// Sets a field of an indicator from its audit text.
fn set_field(f: &mut IndicatorFields, field: &str, text: &str) -> std::result::Result<(), String> {
    let number = |t: &str| -> std::result::Result<Option<f64>, String> {
        if t.is_empty() {
            Ok(None)
        } else {
            t.parse::<f64>()
                .map(Some)
                .map_err(|_| format!("'{t}' is not a number"))
        }
    };
    let some = |t: &str| (!t.is_empty()).then(|| t.to_string());
    match field {
        "name" => f.name = text.to_string(),
        "unit" => f.unit = some(text),
        "comparator" => f.comparator = text.parse()?,
        "target" => f.target = number(text)?.ok_or("the target was empty")?,
        "target_max" => f.target_max = number(text)?,
        "baseline" => f.baseline = number(text)?,
        "better" => f.better = text.parse()?,
        "kind" => f.kind = text.parse()?,
        "scope" => f.scope = text.parse()?,
        "deadline" => f.deadline = text.parse().map_err(|e: crate::domain::DateError| e.0)?,
        "aggregation" => {
            f.reporting.aggregation = if text.is_empty() {
                None
            } else {
                Some(text.parse::<Aggregation>()?)
            }
        }
        "reporting_units" => {
            f.reporting.units =
                (!text.is_empty()).then(|| text.split('、').map(str::to_string).collect())
        }
        "city_reporter" => f.reporting.city_reporter = some(text),
        other => return Err(format!("'{other}' is not a field of an indicator")),
    }
    Ok(())
}
