//! Gathers a plan's indicators and figures and hands them to the progress
//! rules: the status table behind the overview, `taizhang status`, the
//! meeting workbook and the bulletin.

use super::{Context, Result, Store, StoreError};
use crate::domain::{
    Aggregation, Better, Comparator, Date, Evaluation, Indicator, Kind, Observation, Period,
    PlanSummary, ProgressSettings, Scope, Status, Unit, UnitInput,
};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// One indicator's line in the status table.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct IndicatorStatus {
    pub id: i64,
    pub code: String,
    pub name: String,
    /// The name as shown: with 全市 / 各区县 beside it where another
    /// indicator of the plan has the same name.
    pub label: String,
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
    /// Per district: the share of units that must meet their target.
    pub required_share: f64,
    pub aggregation: Aggregation,
    /// The units whose figures count.
    pub reporting_units: crate::domain::UnitNames,
    /// The unit that reports the city's own figure.
    pub city_reporter: Option<String>,
    /// Which of aggregation, reporting units and city reporter were set by
    /// the plan or the user (the others follow the rules).
    pub reporting_set: crate::domain::ReportingSet,
    pub deadline: Date,
    /// The target was revised mid-year: the plan's own, when and why
    /// (`target` is the revised one, which status uses).
    pub revision: Option<crate::domain::TargetRevision>,
    #[serde(flatten)]
    pub evaluation: Evaluation,
}

/// The status of a plan's indicators at a date.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StatusReport {
    pub as_of: Date,
    pub plan: PlanSummary,
    /// The reporting period whose figures are due at the date (by the
    /// reporting cycle and due day; `None` before the plan's first is due).
    pub period_due: Option<Period>,
    /// The units to remind (催报): owed a figure for the period due and
    /// have reported nothing for it, in catalogue order.
    pub not_reported: Vec<String>,
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

/// Each current indicator with its units' inputs.
pub type IndicatorInputs = Vec<(Indicator, Vec<UnitInput>)>;

/// Each indicator's latest 进展情况: period, unit, text.
pub type LatestProgress = HashMap<i64, (crate::domain::Period, String, String)>;

/// A unit's own target for an indicator: name, target, target_max, baseline.
type UnitTargetRow = (String, f64, Option<f64>, Option<f64>);

impl Store {
    /// Each current indicator of a plan with its units' inputs: its
    /// reporting units and city reporter (with or without figures), every
    /// unit with a target of its own, and every other unit that reported.
    pub fn indicator_inputs(&self, plan_id: i64) -> Result<IndicatorInputs> {
        let indicators = self.indicators(plan_id)?;
        let units = self.units()?;
        let names: HashMap<i64, &str> = units.iter().map(|u| (u.id, u.name.as_str())).collect();
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
        let mut observations = self.current_observations(&indicators)?;
        let mut out = Vec::with_capacity(indicators.len());
        for ind in indicators {
            let mut inputs: Vec<UnitInput> = Vec::new();
            let mut slot_of = HashMap::<String, usize>::new();
            let mut place = |inputs: &mut Vec<UnitInput>, name: &str| -> usize {
                if let Some(&i) = slot_of.get(name) {
                    return i;
                }
                inputs.push(UnitInput::new(name, Vec::new()));
                slot_of.insert(name.to_string(), inputs.len() - 1);
                inputs.len() - 1
            };
            let reporter = ind
                .reporting
                .city_reporter
                .iter()
                .filter(|_| ind.scope == Scope::City);
            for name in ind.reporting.units.iter().chain(reporter) {
                place(&mut inputs, name);
            }
            if let Some(ts) = targets.get(&ind.id) {
                for (name, target, target_max, baseline) in ts {
                    let i = place(&mut inputs, name);
                    inputs[i].target = Some(*target);
                    inputs[i].target_max = *target_max;
                    inputs[i].baseline = *baseline;
                }
            }
            let mut mine = observations.remove(&ind.id).unwrap_or_default();
            // Units in catalogue order, each unit's periods in order.
            mine.sort_by_key(|(unit, o)| (*unit, o.period));
            // A unit's figures come one after another: one look-up per unit.
            let mut last: Option<(i64, usize)> = None;
            for (unit, o) in mine {
                let i = match last {
                    Some((u, i)) if u == unit => i,
                    _ => {
                        let i = place(&mut inputs, names.get(&unit).copied().unwrap_or("?"));
                        last = Some((unit, i));
                        i
                    }
                };
                inputs[i].observations.push(o);
            }
            out.push((ind, inputs));
        }
        Ok(out)
    }

    /// Each indicator's latest 进展情况 (period, unit, text) for a period up
    /// to `up_to` (all periods with `None`), from one sequential pass over
    /// the current figures.
    pub fn latest_progress(&self, plan_id: i64, up_to: Option<Period>) -> Result<LatestProgress> {
        let ctx = "reading progress texts";
        let wanted: std::collections::HashSet<i64> =
            self.indicators(plan_id)?.iter().map(|i| i.id).collect();
        let names: HashMap<i64, String> =
            self.units()?.into_iter().map(|u| (u.id, u.name)).collect();
        let mut st = self
            .conn
            .prepare_cached(
                // In the covering index's order (unit, period, indicator) the
                // rows are visited about as they lie in the table, one
                // file's after another; in indicator order every row would
                // be a jump across the file.
                "SELECT indicator_id, unit_id, period, progress FROM reports INDEXED BY reports_figures
                 WHERE active = 1 AND progress <> ''",
            )
            .context(ctx)?;
        let mut rows = st.query([]).context(ctx)?;
        let mut latest: HashMap<i64, (Period, i64, String)> = HashMap::new();
        while let Some(r) = rows.next().context(ctx)? {
            let indicator: i64 = r.get(0).context(ctx)?;
            if !wanted.contains(&indicator) {
                continue;
            }
            let text = r.get_str(3).context(ctx)?;
            let Ok(period) = r.get_str(2).context(ctx)?.parse::<Period>() else {
                continue;
            };
            if !text.trim().is_empty()
                && up_to.is_none_or(|u| period <= u)
                && latest.get(&indicator).is_none_or(|(p, ..)| period > *p)
            {
                latest.insert(
                    indicator,
                    (period, r.get(1).context(ctx)?, text.to_string()),
                );
            }
        }
        Ok(latest
            .into_iter()
            .map(|(id, (period, unit, text))| {
                (
                    id,
                    (period, names.get(&unit).cloned().unwrap_or_default(), text),
                )
            })
            .collect())
    }

    /// The current figures of the plan's indicators: (unit id, observation)
    /// pairs by indicator, read from the covering index `reports_figures`
    /// (no sort, no table lookups; rows are ordered by the caller).
    pub(super) fn current_observations(
        &self,
        indicators: &[Indicator],
    ) -> Result<HashMap<i64, Vec<(i64, Observation)>>> {
        let ctx = "reading the current figures";
        let wanted: std::collections::HashSet<i64> = indicators.iter().map(|i| i.id).collect();
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT indicator_id, unit_id, period, value, basis, numerator, denominator
                 FROM reports INDEXED BY reports_figures WHERE active = 1",
            )
            .context(ctx)?;
        let mut rows = st.query([]).context(ctx)?;
        let mut out: HashMap<i64, Vec<(i64, Observation)>> = HashMap::new();
        let bad = |e: String| StoreError::Invalid(format!("a stored figure is unreadable: {e}"));
        // Rows come by unit and period: a period's text is parsed once per run.
        let mut last_period: Option<(String, Period)> = None;
        while let Some(r) = rows.next().context(ctx)? {
            let indicator: i64 = r.get(0).context(ctx)?;
            if !wanted.contains(&indicator) {
                continue;
            }
            let unit: i64 = r.get(1).context(ctx)?;
            let text = r.get_str(2).context(ctx)?;
            let period = match &last_period {
                Some((t, p)) if t == text => *p,
                _ => {
                    let p: Period = text
                        .parse()
                        .map_err(|e: crate::domain::DateError| bad(e.0))?;
                    last_period = Some((text.to_string(), p));
                    p
                }
            };
            let basis = match r.get_str(4).context(ctx)? {
                "as_of_period_end" => crate::domain::ValueBasis::AsOfPeriodEnd,
                other => other.parse().map_err(bad)?,
            };
            out.entry(indicator).or_default().push((
                unit,
                Observation {
                    period,
                    value: r.get(3).context(ctx)?,
                    basis,
                    numerator: r.get(5).context(ctx)?,
                    denominator: r.get(6).context(ctx)?,
                },
            ));
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
            &self.units()?,
            &settings,
            as_of,
        ))
    }
}

/// Each indicator's name as shown: with 全市 or 各区县 (or its task) beside
/// it where another indicator of the plan has the same name, so that the
/// city's 应用场景数 and each district's can be told apart anywhere.
pub fn labels(indicators: &[&Indicator]) -> Vec<String> {
    let mut count: HashMap<&str, usize> = HashMap::new();
    for i in indicators {
        *count.entry(i.name.as_str()).or_default() += 1;
    }
    indicators
        .iter()
        .map(|i| {
            if count[i.name.as_str()] < 2 {
                return i.name.clone();
            }
            let same_scope = indicators
                .iter()
                .filter(|o| o.name == i.name && o.scope == i.scope)
                .count();
            match (i.scope, same_scope) {
                (Scope::City, 1) => format!("{}（全市）", i.name),
                (Scope::PerUnit, 1) => format!("{}（各区县）", i.name),
                _ => format!("{}（任务{}）", i.name, i.task.as_deref().unwrap_or("—")),
            }
        })
        .collect()
}

/// Judges every indicator from its units' inputs (no database work): what
/// [`Store::status`] returns, and what the window computes for two dates from
/// one read of the figures.
pub fn judge(
    plan: PlanSummary,
    inputs: &[(Indicator, Vec<UnitInput>)],
    catalogue: &[Unit],
    settings: &ProgressSettings,
    as_of: Date,
) -> StatusReport {
    let mut summary: BTreeMap<&'static str, usize> =
        Status::ALL.iter().map(|s| (s.as_str(), 0)).collect();
    let labels = labels(&inputs.iter().map(|(i, _)| i).collect::<Vec<_>>());
    let indicators: Vec<IndicatorStatus> = inputs
        .iter()
        .zip(labels)
        .map(|((ind, units), label)| {
            let evaluation = ind.rule(settings).evaluate(units, as_of, settings);
            *summary.entry(evaluation.status.as_str()).or_default() += 1;
            IndicatorStatus {
                id: ind.id,
                code: ind.code.clone(),
                name: ind.name.clone(),
                label,
                task: ind.task.clone(),
                unit: ind.unit.clone(),
                comparator: ind.comparator,
                target: ind.target,
                target_max: ind.target_max,
                baseline: ind.baseline,
                better: ind.better,
                kind: ind.kind,
                scope: ind.scope,
                required_share: ind.required_share,
                aggregation: ind.reporting.aggregation,
                reporting_units: ind.reporting.units.clone(),
                city_reporter: ind.reporting.city_reporter.clone(),
                reporting_set: ind.reporting.set,
                deadline: ind.deadline,
                revision: ind.revision.clone(),
                evaluation,
            }
        })
        .collect();
    let period_due = indicators
        .iter()
        .filter_map(|i| i.evaluation.period_due)
        .max();
    let not_reported = crate::domain::units_not_reported(
        catalogue,
        indicators.iter().map(|i| &i.evaluation),
        inputs,
        period_due,
        as_of,
    );
    StatusReport {
        as_of,
        plan,
        period_due,
        not_reported,
        indicators,
        summary,
    }
}
