//! Units' own targets (任务分解): a city target split among the units that
//! report it, or a per-unit target that differs for one unit. Status,
//! templates, ranking and the bulletin read them through
//! [`Store::indicator_inputs`](super::Store::indicator_inputs); a unit
//! without one is held to the plan's target. Every change is in the audit
//! log (`target`, before → after).

use super::db::{OptionalExtension, params};
use super::reports::now;
use super::{Context, Result, Store, StoreError};
use serde::Serialize;

/// A unit's own target for an indicator.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct UnitTarget {
    pub indicator_id: i64,
    pub code: String,
    pub indicator: String,
    pub unit: String,
    pub target: f64,
}

/// One change asked for: the indicator (id), the unit (name or alias) and
/// its target; `None` removes the unit's own target.
#[derive(Clone, Debug, PartialEq)]
pub struct TargetChange {
    pub indicator_id: i64,
    pub unit: String,
    pub target: Option<f64>,
}

/// What a set of target changes did.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct TargetsSet {
    /// Targets added or changed.
    pub changed: usize,
    /// Targets removed.
    pub cleared: usize,
    /// Asked for and already so.
    pub unchanged: usize,
}

impl Store {
    /// The units' own targets of a plan's indicators, by indicator code and
    /// the units' catalogue order.
    pub fn unit_targets(&self, plan_id: i64) -> Result<Vec<UnitTarget>> {
        self.targets_where("i.plan_id = ?1", plan_id)
    }

    /// The units' own targets of one indicator, in catalogue order.
    pub fn indicator_unit_targets(&self, indicator_id: i64) -> Result<Vec<UnitTarget>> {
        self.targets_where("i.id = ?1", indicator_id)
    }

    fn targets_where(&self, filter: &str, id: i64) -> Result<Vec<UnitTarget>> {
        let mut st = self
            .conn
            .prepare(&format!(
                "SELECT i.id, i.code, i.name, u.name, t.target FROM unit_targets t
                 JOIN indicators i ON i.id = t.indicator_id JOIN units u ON u.id = t.unit_id
                 WHERE {filter} ORDER BY i.code, u.kind DESC, u.id"
            ))
            .context("reading unit targets")?;
        let rows = st
            .query_map([id], |r| {
                Ok(UnitTarget {
                    indicator_id: r.get(0)?,
                    code: r.get(1)?,
                    indicator: r.get(2)?,
                    unit: r.get(3)?,
                    target: r.get(4)?,
                })
            })
            .context("reading unit targets")?;
        rows.collect::<super::db::Result<_>>()
            .context("reading unit targets")
    }

    /// Sets, changes or removes units' own targets, all or none: a unit not
    /// in the catalogue, an unknown indicator, or a target that is not a
    /// number (or a negative count) refuses the whole set.
    pub fn set_unit_targets(&mut self, changes: &[TargetChange]) -> Result<TargetsSet> {
        let mut resolved = Vec::with_capacity(changes.len());
        for c in changes {
            let unit = self.require_unit(&c.unit)?;
            let ind = self.indicator(c.indicator_id)?;
            if let Some(t) = c.target {
                super::reports::check_value(&ind, Some(t)).map_err(|e| {
                    StoreError::Invalid(format!(
                        "the target of {} for '{}': {e}",
                        unit.name, ind.name
                    ))
                })?;
            }
            resolved.push((ind, unit, c.target));
        }
        let actor = self.actor.clone();
        self.writable()?;
        let tx = self.conn.transaction().context("starting the targets")?;
        let at = now(&tx)?;
        let mut done = TargetsSet::default();
        for (ind, unit, target) in resolved {
            let before: Option<f64> = tx
                .query_row(
                    "SELECT target FROM unit_targets WHERE indicator_id = ?1 AND unit_id = ?2",
                    params![ind.id, unit.id],
                    |r| r.get(0),
                )
                .optional()
                .context("reading a unit target")?;
            if before == target {
                done.unchanged += 1;
                continue;
            }
            match target {
                Some(t) => {
                    tx.execute(
                        "INSERT INTO unit_targets (indicator_id, unit_id, target) VALUES (?1, ?2, ?3)
                         ON CONFLICT (indicator_id, unit_id) DO UPDATE SET target = excluded.target",
                        params![ind.id, unit.id, t],
                    )
                    .context("setting a unit target")?;
                    done.changed += 1;
                }
                None => {
                    tx.execute(
                        "DELETE FROM unit_targets WHERE indicator_id = ?1 AND unit_id = ?2",
                        params![ind.id, unit.id],
                    )
                    .context("removing a unit target")?;
                    done.cleared += 1;
                }
            }
            tx.execute(
                "INSERT INTO audit_log (actor, action, indicator_id, indicator_code, unit_id, unit_name, before, after, at)
                 VALUES (?1, 'target', ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![actor, ind.id, ind.code, unit.id, unit.name, before, target, at],
            )
            .context("writing the audit log")?;
        }
        tx.commit().context("committing the targets")?;
        Ok(done)
    }
}
