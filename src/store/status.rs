//! Gathers a plan's indicators and figures and hands them to the progress
//! rules: the status table behind the overview, `taizhang status`, the
//! meeting workbook and the bulletin.

use super::{Context, Result, Store, StoreError};
use crate::domain::{
    Aggregation, Better, Comparator, Date, Evaluation, Indicator, Kind, Observation, PlanSummary,
    ProgressSettings, Scope, Status, UnitInput, UnitKind,
};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// One indicator's line in the status table.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct IndicatorStatus {
    pub id: i64,
    pub code: String,
    pub name: String,
    /// Task path, e.g. `五/16`.
    pub task: Option<String>,
    /// Unit of measure.
    pub unit: Option<String>,
    pub comparator: Comparator,
    pub target: f64,
    pub target_max: Option<f64>,
    pub baseline: Option<f64>,
    pub better: Better,
    pub kind: Kind,
    pub scope: Scope,
    pub aggregation: Aggregation,
    pub deadline: Date,
    #[serde(flatten)]
    pub evaluation: Evaluation,
}

/// The status of a plan's indicators at a date.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StatusReport {
    pub as_of: Date,
    pub plan: PlanSummary,
    pub indicators: Vec<IndicatorStatus>,
    /// How many indicators have each status (every status listed, zeros too).
    pub summary: BTreeMap<&'static str, usize>,
}

impl StatusReport {
    /// Indicators with a given status.
    pub fn with_status(&self, status: Status) -> impl Iterator<Item = &IndicatorStatus> {
        self.indicators
            .iter()
            .filter(move |i| i.evaluation.status == status)
    }
}

/// A unit's own target for an indicator: name, target, target_max, baseline.
type UnitTargetRow = (String, f64, Option<f64>, Option<f64>);

impl Store {
    /// Each current indicator of a plan with its units' inputs: every unit
    /// that reported, every unit with a target of its own, and — for a
    /// per-unit indicator whose targets were not split — every district.
    pub fn indicator_inputs(&self, plan_id: i64) -> Result<Vec<(Indicator, Vec<UnitInput>)>> {
        let indicators = self.indicators(plan_id)?;
        let districts: Vec<String> = self
            .units()?
            .into_iter()
            .filter(|u| u.kind == UnitKind::District)
            .map(|u| u.name)
            .collect();
        let mut targets: HashMap<i64, Vec<UnitTargetRow>> = HashMap::new();
        {
            let mut st = self
                .conn
                .prepare_cached(
                    "SELECT t.indicator_id, u.name, t.target, t.target_max, t.baseline
                     FROM unit_targets t JOIN units u ON u.id = t.unit_id
                     JOIN indicators i ON i.id = t.indicator_id WHERE i.plan_id = ?1 ORDER BY u.kind DESC, u.id",
                )
                .context("reading unit targets")?;
            let rows = st
                .query_map([plan_id], |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        (r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?),
                    ))
                })
                .context("reading unit targets")?;
            for row in rows {
                let (id, t) = row.context("reading unit targets")?;
                targets.entry(id).or_default().push(t);
            }
        }
        let observations = self.current_observations(plan_id)?;
        let mut out = Vec::with_capacity(indicators.len());
        for ind in indicators {
            let mut inputs: Vec<UnitInput> = Vec::new();
            let mut slots: HashMap<String, usize> = HashMap::new();
            let mut slot = |inputs: &mut Vec<UnitInput>, name: &str| -> usize {
                if let Some(&i) = slots.get(name) {
                    return i;
                }
                inputs.push(UnitInput::new(name, Vec::new()));
                slots.insert(name.to_string(), inputs.len() - 1);
                inputs.len() - 1
            };
            if let Some(ts) = targets.get(&ind.id) {
                for (name, target, target_max, baseline) in ts {
                    let i = slot(&mut inputs, name);
                    inputs[i].target = Some(*target);
                    inputs[i].target_max = *target_max;
                    inputs[i].baseline = *baseline;
                }
            } else if ind.scope == Scope::PerUnit {
                for d in &districts {
                    slot(&mut inputs, d);
                }
            }
            for (unit, o) in observations.get(&ind.id).into_iter().flatten() {
                let i = slot(&mut inputs, unit);
                inputs[i].observations.push(o.clone());
            }
            out.push((ind, inputs));
        }
        Ok(out)
    }

    /// The current figures of a plan as the rules need them, by indicator:
    /// (unit, observation), ordered by unit and period. Lighter than
    /// [`Store::current_reports`]: no words, no provenance.
    fn current_observations(
        &self,
        plan_id: i64,
    ) -> Result<HashMap<i64, Vec<(String, Observation)>>> {
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT r.indicator_id, u.name, r.period, r.value, r.basis, r.numerator, r.denominator
                 FROM reports r JOIN units u ON u.id = r.unit_id JOIN indicators i ON i.id = r.indicator_id
                 WHERE r.active = 1 AND i.plan_id = ?1 ORDER BY r.indicator_id, u.id, r.period",
            )
            .context("reading the current figures")?;
        let mut rows = st.query([plan_id]).context("reading the current figures")?;
        let mut out: HashMap<i64, Vec<(String, Observation)>> = HashMap::new();
        while let Some(r) = rows.next().context("reading the current figures")? {
            let bad =
                |e: String| StoreError::Invalid(format!("a stored figure is unreadable: {e}"));
            let period: String = r.get(2).context("reading the current figures")?;
            let basis: String = r.get(4).context("reading the current figures")?;
            let o = Observation {
                period: period
                    .parse()
                    .map_err(|e: crate::domain::DateError| bad(e.0))?,
                value: r.get(3).context("reading the current figures")?,
                basis: basis.parse().map_err(bad)?,
                numerator: r.get(5).context("reading the current figures")?,
                denominator: r.get(6).context("reading the current figures")?,
            };
            out.entry(r.get(0).context("reading the current figures")?)
                .or_default()
                .push((r.get(1).context("reading the current figures")?, o));
        }
        Ok(out)
    }

    /// The status of every current indicator of a plan at `as_of`.
    pub fn status(&self, plan_id: i64, as_of: Date) -> Result<StatusReport> {
        let plan = self.plan(plan_id)?;
        let settings = self.progress_settings()?;
        Ok(judge(
            plan,
            &self.indicator_inputs(plan_id)?,
            &settings,
            as_of,
        ))
    }
}

/// Judges every indicator from its units' inputs (no database work): what
/// [`Store::status`] returns, and what the window computes for two dates from
/// one read of the figures.
pub fn judge(
    plan: PlanSummary,
    inputs: &[(Indicator, Vec<UnitInput>)],
    settings: &ProgressSettings,
    as_of: Date,
) -> StatusReport {
    let mut summary: BTreeMap<&'static str, usize> =
        Status::ALL.iter().map(|s| (s.as_str(), 0)).collect();
    let indicators: Vec<IndicatorStatus> = inputs
        .iter()
        .map(|(ind, units)| {
            let evaluation = ind.rule(settings).evaluate(units, as_of, settings);
            *summary.entry(evaluation.status.as_str()).or_default() += 1;
            IndicatorStatus {
                id: ind.id,
                code: ind.code.clone(),
                name: ind.name.clone(),
                task: ind.task.clone(),
                unit: ind.unit.clone(),
                comparator: ind.comparator,
                target: ind.target,
                target_max: ind.target_max,
                baseline: ind.baseline,
                better: ind.better,
                kind: ind.kind,
                scope: ind.scope,
                aggregation: ind.aggregation,
                deadline: ind.deadline,
                evaluation,
            }
        })
        .collect();
    StatusReport {
        as_of,
        plan,
        indicators,
        summary,
    }
}
