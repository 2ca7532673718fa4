//! The progress rules of PRODUCT.md section 3: completion, expected progress
//! (序时进度), status, the due-soon flag, the forecast and the city roll-up.
//!
//! Everything here is a pure function over plain data; the store gathers the
//! data, the command line and the window show the result. Three places where
//! tracking tools usually go wrong are handled explicitly:
//!
//! * **lower is better** — completion runs from the baseline *down* to the
//!   target, and without a baseline it is `target / actual`;
//! * **cumulative versus new** — a return's figure is the state at the end of
//!   its period (year-to-date for `new`, the running total for `cumulative`),
//!   so a unit's actual is its *latest* figure, never the sum of its months;
//!   only figures explicitly marked as increments are added up;
//! * **percentages** — a city rate rolls up as Σnumerators / Σdenominators
//!   when the returns give them, never as the mean of the units' rates.

use super::date::{Date, Period};
use super::model::{Aggregation, Better, Comparator, Kind, Observation, Scope, Status, ValueBasis};
use serde::{Deserialize, Serialize};

/// Tolerance for comparing figures that went through decimal parsing.
const EPS: f64 = 1e-9;

/// The user's settings that the rules depend on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProgressSettings {
    /// On track when completion ≥ expected − this many percentage points.
    pub on_track_pp: f64,
    /// Lagging when completion ≥ expected − this many points; behind below.
    pub lagging_pp: f64,
    /// A deadline within this many days marks an unfinished indicator due soon (临期).
    pub due_soon_days: i64,
    /// Month and day the plan year starts (expected progress runs from here).
    pub year_start_month: u32,
    pub year_start_day: u32,
}

impl Default for ProgressSettings {
    fn default() -> Self {
        ProgressSettings {
            on_track_pp: 5.0,
            lagging_pp: 15.0,
            due_soon_days: 15,
            year_start_month: 1,
            year_start_day: 1,
        }
    }
}

impl ProgressSettings {
    /// The day a plan of `year` starts counting, by these settings.
    pub fn year_start(&self, year: i32) -> Date {
        Date::new(year, self.year_start_month, self.year_start_day)
            .or_else(|| Date::new(year, self.year_start_month, 1))
            .unwrap_or_else(|| Date::new(year, 1, 1).expect("1 January exists"))
    }

    /// Checks that the settings make sense together; names what does not.
    pub fn validate(&self) -> Result<(), String> {
        if !(self.on_track_pp.is_finite() && self.lagging_pp.is_finite())
            || self.on_track_pp < 0.0
            || self.lagging_pp < self.on_track_pp
        {
            return Err(format!(
                "thresholds must satisfy 0 ≤ on_track ({}) ≤ lagging ({})",
                self.on_track_pp, self.lagging_pp
            ));
        }
        if !(0..=366).contains(&self.due_soon_days) {
            return Err(format!(
                "the due-soon window must be 0–366 days, not {}",
                self.due_soon_days
            ));
        }
        if Date::new(2001, self.year_start_month, self.year_start_day).is_none() {
            return Err(format!(
                "the year cannot start on month {} day {}",
                self.year_start_month, self.year_start_day
            ));
        }
        Ok(())
    }
}

/// What counts as success for one indicator (or one unit's share of it).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Goal {
    pub comparator: Comparator,
    pub target: f64,
    /// Upper end of a range target (2-3个).
    pub target_max: Option<f64>,
    pub better: Better,
    /// Where the year started from; `None` when the plan does not say.
    pub baseline: Option<f64>,
}

impl Goal {
    /// Whether `actual` satisfies the comparator. A range (`target_max`) with
    /// `=` is met inside the range; `=` without a range is met once the target
    /// is reached in the good direction (保持100% is not failed by 100.0001).
    pub fn meets(&self, actual: f64) -> bool {
        let t = self.target;
        let tol = EPS * t.abs().max(1.0);
        match self.comparator {
            Comparator::Ge => actual >= t - tol,
            Comparator::Gt => actual > t + tol,
            Comparator::Le => actual <= t + tol,
            Comparator::Lt => actual < t - tol,
            Comparator::Eq => match (self.target_max, self.better) {
                (Some(max), _) => actual >= t - tol && actual <= max + tol,
                (None, Better::Higher) => actual >= t - tol,
                (None, Better::Lower) => actual <= t + tol,
            },
        }
    }

    /// How far from baseline to target `actual` has come (1.0 = target reached).
    ///
    /// ```
    /// use taizhang::domain::{Better, Comparator, Goal};
    /// let pue = Goal { comparator: Comparator::Le, target: 1.4, target_max: None,
    ///                  better: Better::Lower, baseline: Some(1.6) };
    /// assert!((pue.completion(1.5) - 0.5).abs() < 1e-9);
    /// ```
    pub fn completion(&self, actual: f64) -> f64 {
        match self.better {
            Better::Higher => {
                let b = self.baseline.unwrap_or(0.0);
                let span = self.target - b;
                if span.abs() < EPS {
                    if self.meets(actual) { 1.0 } else { 0.0 }
                } else {
                    (actual - b) / span
                }
            }
            Better::Lower => match self.baseline {
                Some(b) if (b - self.target).abs() > EPS => (b - actual) / (b - self.target),
                _ if self.meets(actual) => 1.0,
                _ if actual > EPS => self.target / actual,
                _ => 0.0,
            },
        }
    }
}

/// The span of time an indicator is measured over.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Timeline {
    pub start: Date,
    pub deadline: Date,
}

impl Timeline {
    /// The share of the span elapsed by the end of `as_of`, in [0, 1]. Days
    /// are counted whole: on 30 June of a calendar year 181 of 365 days are
    /// gone (0.496).
    pub fn elapsed(&self, as_of: Date) -> f64 {
        let total = self.start.days_until(self.deadline) + 1;
        if total <= 0 {
            return 1.0;
        }
        let gone = self.start.days_until(as_of) + 1;
        (gone as f64 / total as f64).clamp(0.0, 1.0)
    }

    /// Whether `period` lies within the span up to `as_of`.
    fn counts(&self, period: Period, as_of: Date) -> bool {
        period >= self.start.period() && period <= as_of.period()
    }
}

/// Expected progress (序时进度) for a kind of indicator: the elapsed share,
/// except for a level without a baseline, which has no linear path.
pub fn expected_progress(kind: Kind, goal: &Goal, elapsed: f64) -> Option<f64> {
    match kind {
        Kind::New | Kind::Cumulative | Kind::CountOfEvents => Some(elapsed),
        Kind::Level => goal.baseline.map(|_| elapsed),
    }
}

/// The traffic light from the facts: met, past the deadline, and completion
/// against expected progress (or against the whole target where there is no
/// linear path).
pub fn judge(
    met: bool,
    completion: f64,
    expected: Option<f64>,
    as_of: Date,
    deadline: Date,
    settings: &ProgressSettings,
) -> Status {
    if met {
        return Status::Done;
    }
    if as_of > deadline {
        return Status::Overdue;
    }
    let bar = expected.unwrap_or(1.0);
    if completion >= bar - settings.on_track_pp / 100.0 - EPS {
        Status::OnTrack
    } else if completion >= bar - settings.lagging_pp / 100.0 - EPS {
        Status::Lagging
    } else {
        Status::Behind
    }
}

/// Whether an indicator is due soon (临期): unfinished, with its deadline
/// today or within the settings' window.
pub fn due_soon(status: Status, deadline: Date, as_of: Date, settings: &ProgressSettings) -> bool {
    let left = as_of.days_until(deadline);
    status != Status::Done && (0..=settings.due_soon_days).contains(&left)
}

/// One unit's figure as of a date, from its observations.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Figure {
    pub value: f64,
    /// The latest period that contributed.
    pub period: Period,
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
}

/// A unit's actual at `as_of`: the latest period-end figure plus any
/// increments reported after it. Figures are never summed across months
/// unless the return marked them as increments. For a `cumulative` or
/// `level` indicator reported only by increments, they count from
/// `unit_baseline` (0 when unknown).
pub fn unit_figure(
    kind: Kind,
    observations: &[Observation],
    timeline: &Timeline,
    as_of: Date,
    unit_baseline: Option<f64>,
) -> Option<Figure> {
    Cursor::new(kind, observations, timeline, unit_baseline).advance_to(as_of.period())
}

/// Walks one unit's observations in period order, keeping its figure at the
/// end of the latest period reached; the store hands them over sorted, so
/// usually nothing is copied.
struct Cursor<'a> {
    obs: Ordered<'a>,
    next: usize,
    start: Period,
    base: f64,
    state: Option<Figure>,
}

enum Ordered<'a> {
    Sorted(&'a [Observation]),
    Resorted(Vec<&'a Observation>),
}

impl<'a> Cursor<'a> {
    fn new(
        kind: Kind,
        observations: &'a [Observation],
        timeline: &Timeline,
        unit_baseline: Option<f64>,
    ) -> Self {
        let obs = if observations.is_sorted_by_key(|o| o.period) {
            Ordered::Sorted(observations)
        } else {
            let mut v: Vec<&Observation> = observations.iter().collect();
            v.sort_by_key(|o| o.period);
            Ordered::Resorted(v)
        };
        Cursor {
            obs,
            next: 0,
            start: timeline.start.period(),
            base: match kind {
                Kind::Cumulative | Kind::Level => unit_baseline.unwrap_or(0.0),
                Kind::New | Kind::CountOfEvents => 0.0,
            },
            state: None,
        }
    }

    fn get(&self, i: usize) -> Option<&'a Observation> {
        match &self.obs {
            Ordered::Sorted(s) => s.get(i),
            Ordered::Resorted(v) => v.get(i).copied(),
        }
    }

    /// The figure at the end of `p`; calls must come in ascending order.
    fn advance_to(&mut self, p: Period) -> Option<Figure> {
        while let Some(o) = self.get(self.next).filter(|o| o.period <= p) {
            self.next += 1;
            let Some(v) = o.value.filter(|_| o.period >= self.start) else {
                continue;
            };
            self.state = Some(match o.basis {
                ValueBasis::AsOfPeriodEnd => Figure {
                    value: v,
                    period: o.period,
                    numerator: o.numerator,
                    denominator: o.denominator,
                },
                ValueBasis::PeriodIncrement => Figure {
                    value: self.state.map_or(self.base, |f| f.value) + v,
                    period: o.period,
                    numerator: None,
                    denominator: None,
                },
            });
        }
        self.state
    }
}

/// Combines units' figures into the city's figure.
///
/// `designated` names the unit whose figure is the city's for `single`; when
/// it has not reported, the most recent figure stands (ties: the first unit).
/// For `mean`, when every figure carries its numerator and denominator the
/// city's rate is Σnumerators / Σdenominators (times 100 when `percent`).
pub fn roll_up(
    aggregation: Aggregation,
    figures: &[(&str, Figure)],
    designated: Option<&str>,
    percent: bool,
) -> Option<f64> {
    if figures.is_empty() {
        return None;
    }
    let values = figures.iter().map(|(_, f)| f.value);
    Some(match aggregation {
        Aggregation::Sum => values.sum(),
        Aggregation::Min => values.fold(f64::INFINITY, f64::min),
        Aggregation::Max => values.fold(f64::NEG_INFINITY, f64::max),
        Aggregation::Mean => {
            let parts: Option<Vec<(f64, f64)>> = figures
                .iter()
                .map(|(_, f)| f.numerator.zip(f.denominator))
                .collect();
            let (n, d) = parts
                .unwrap_or_default()
                .iter()
                .fold((0.0, 0.0), |(n, d), p| (n + p.0, d + p.1));
            if d > 0.0 {
                if percent { 100.0 * n / d } else { n / d }
            } else {
                values.sum::<f64>() / figures.len() as f64
            }
        }
        Aggregation::Single => {
            let chosen = designated.and_then(|d| figures.iter().find(|(u, _)| *u == d));
            let chosen = chosen.unwrap_or_else(|| {
                figures.iter().fold(&figures[0], |best, f| {
                    if f.1.period > best.1.period { f } else { best }
                })
            });
            chosen.1.value
        }
    })
}

/// Everything the rules need to know about an indicator.
#[derive(Clone, Debug, PartialEq)]
pub struct IndicatorRule {
    pub goal: Goal,
    pub kind: Kind,
    pub scope: Scope,
    pub aggregation: Aggregation,
    pub timeline: Timeline,
    /// For `per_unit` scope: the share of units that must meet their target
    /// (60%以上的区(市)达到… → 0.6); 1.0 when every unit must.
    pub required_share: f64,
    /// For `single` aggregation: the unit that reports the city's figure.
    pub designated_unit: Option<String>,
    /// The figures are percentages in percent points (40% = 40).
    pub percent: bool,
}

/// One unit's part in an indicator: its figures and its own target, if the
/// plan was split (任务分解).
#[derive(Clone, Debug, PartialEq)]
pub struct UnitInput {
    pub unit: String,
    pub observations: Vec<Observation>,
    pub target: Option<f64>,
    pub target_max: Option<f64>,
    pub baseline: Option<f64>,
}

impl UnitInput {
    /// A unit with figures and no target of its own.
    pub fn new(unit: &str, observations: Vec<Observation>) -> UnitInput {
        UnitInput {
            unit: unit.to_string(),
            observations,
            target: None,
            target_max: None,
            baseline: None,
        }
    }
}

/// A unit's line under an indicator.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct UnitEvaluation {
    pub unit: String,
    pub actual: Option<f64>,
    pub target: Option<f64>,
    pub completion: Option<f64>,
    /// `None` when the unit has no target of its own to be judged against
    /// (its figure is only a part of the city's).
    pub status: Option<Status>,
    /// The latest period this unit reported for.
    pub period: Option<Period>,
}

/// Where the year-to-date trend leads by the deadline.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Forecast {
    pub value: f64,
    /// The share of the target that value would reach (its completion).
    pub completion: f64,
}

/// The judgement of one indicator at a date.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Evaluation {
    /// The city's figure; for `per_unit` scope, the share of units meeting
    /// their target (0.6 = 60%).
    pub actual: Option<f64>,
    pub completion: Option<f64>,
    pub expected: Option<f64>,
    pub status: Status,
    pub due_soon: bool,
    pub forecast: Option<Forecast>,
    /// For `per_unit` scope: how many units meet their target, of how many.
    pub units_met: Option<usize>,
    pub units_total: Option<usize>,
    pub units: Vec<UnitEvaluation>,
}

impl IndicatorRule {
    fn unit_goal(&self, u: &UnitInput) -> Goal {
        Goal {
            target: u.target.unwrap_or(self.goal.target),
            target_max: if u.target.is_some() {
                u.target_max
            } else {
                self.goal.target_max
            },
            baseline: u.baseline.or(if self.scope == Scope::PerUnit {
                self.goal.baseline
            } else {
                None
            }),
            ..self.goal
        }
    }

    fn has_unit_targets(&self, units: &[UnitInput]) -> bool {
        self.scope == Scope::PerUnit || units.iter().any(|u| u.target.is_some())
    }

    /// Judges the indicator at `as_of` from its units' inputs.
    ///
    /// ```
    /// use taizhang::domain::*;
    /// let rule = IndicatorRule {
    ///     goal: Goal { comparator: Comparator::Ge, target: 75.0, target_max: None,
    ///                  better: Better::Higher, baseline: None },
    ///     kind: Kind::New, scope: Scope::City, aggregation: Aggregation::Sum,
    ///     timeline: Timeline { start: Date::new(2023, 1, 1).unwrap(),
    ///                          deadline: Date::new(2023, 12, 31).unwrap() },
    ///     required_share: 1.0, designated_unit: None, percent: false,
    /// };
    /// let june: Period = "2023-06".parse().unwrap();
    /// let units = vec![
    ///     UnitInput::new("张店区", vec![Observation::as_of(june, 20.0)]),
    ///     UnitInput::new("淄川区", vec![Observation::as_of(june, 10.0)]),
    /// ];
    /// let e = rule.evaluate(&units, Date::new(2023, 6, 30).unwrap(), &ProgressSettings::default());
    /// assert_eq!(e.actual, Some(30.0));
    /// assert!((e.completion.unwrap() - 0.4).abs() < 1e-9);
    /// assert_eq!(e.status, Status::Lagging);
    /// ```
    pub fn evaluate(
        &self,
        units: &[UnitInput],
        as_of: Date,
        settings: &ProgressSettings,
    ) -> Evaluation {
        let tl = &self.timeline;
        let elapsed = tl.elapsed(as_of);
        let figures: Vec<(&str, Option<Figure>)> = units
            .iter()
            .map(|u| {
                (
                    u.unit.as_str(),
                    unit_figure(self.kind, &u.observations, tl, as_of, u.baseline),
                )
            })
            .collect();
        let shows_target = self.has_unit_targets(units);
        let unit_expected = |goal: &Goal| expected_progress(self.kind, goal, elapsed);
        let unit_lines: Vec<UnitEvaluation> = units
            .iter()
            .zip(&figures)
            .map(|(u, (_, fig))| {
                let goal = self.unit_goal(u);
                match fig {
                    None => UnitEvaluation {
                        unit: u.unit.clone(),
                        actual: None,
                        target: shows_target.then_some(goal.target),
                        completion: None,
                        status: shows_target.then_some(Status::NoData),
                        period: None,
                    },
                    Some(f) => {
                        let c = goal.completion(f.value);
                        let exp = unit_expected(&goal);
                        UnitEvaluation {
                            unit: u.unit.clone(),
                            actual: Some(f.value),
                            target: shows_target.then_some(goal.target),
                            completion: shows_target.then_some(c),
                            status: shows_target.then(|| {
                                judge(goal.meets(f.value), c, exp, as_of, tl.deadline, settings)
                            }),
                            period: Some(f.period),
                        }
                    }
                }
            })
            .collect();

        let reported: Vec<(&str, Figure)> = figures
            .iter()
            .filter_map(|(u, f)| f.map(|f| (*u, f)))
            .collect();
        let expected = expected_progress(self.kind, &self.goal, elapsed);
        let mut ev = Evaluation {
            actual: None,
            completion: None,
            expected,
            status: Status::NoData,
            due_soon: false,
            forecast: None,
            units_met: None,
            units_total: None,
            units: unit_lines,
        };
        if reported.is_empty() {
            ev.due_soon = due_soon(Status::NoData, tl.deadline, as_of, settings);
            return ev;
        }
        match self.scope {
            Scope::City => {
                let actual = roll_up(
                    self.aggregation,
                    &reported,
                    self.designated_unit.as_deref(),
                    self.percent,
                )
                .expect("at least one figure");
                let completion = self.goal.completion(actual);
                ev.actual = Some(actual);
                ev.completion = Some(completion);
                ev.status = judge(
                    self.goal.meets(actual),
                    completion,
                    expected,
                    as_of,
                    tl.deadline,
                    settings,
                );
                ev.forecast = self.forecast(units, as_of);
            }
            Scope::PerUnit => {
                let total = units.len();
                let met = units
                    .iter()
                    .zip(&figures)
                    .filter(|(u, (_, f))| f.is_some_and(|f| self.unit_goal(u).meets(f.value)))
                    .count();
                let share = met as f64 / total as f64;
                let required = if self.required_share > 0.0 {
                    self.required_share
                } else {
                    1.0
                };
                let completion = share / required;
                ev.actual = Some(share);
                ev.completion = Some(completion);
                ev.units_met = Some(met);
                ev.units_total = Some(total);
                ev.status = judge(
                    share >= required - EPS,
                    completion,
                    expected,
                    as_of,
                    tl.deadline,
                    settings,
                );
            }
        }
        ev.due_soon = due_soon(ev.status, tl.deadline, as_of, settings);
        ev
    }

    /// The city's figure at the end of each reported period up to `as_of`:
    /// the series a sparkline or a plot draws.
    pub fn series(&self, units: &[UnitInput], as_of: Date) -> Vec<(Period, f64)> {
        let mut periods: Vec<Period> = units
            .iter()
            .flat_map(|u| u.observations.iter().map(|o| o.period))
            .filter(|p| self.timeline.counts(*p, as_of))
            .collect();
        periods.sort();
        periods.dedup();
        let mut cursors: Vec<Cursor> = units
            .iter()
            .map(|u| Cursor::new(self.kind, &u.observations, &self.timeline, u.baseline))
            .collect();
        let mut figs: Vec<(&str, Figure)> = Vec::with_capacity(units.len());
        periods
            .iter()
            .filter_map(|p| {
                figs.clear();
                for (u, c) in units.iter().zip(cursors.iter_mut()) {
                    if let Some(f) = c.advance_to(*p) {
                        figs.push((u.unit.as_str(), f));
                    }
                }
                roll_up(
                    self.aggregation,
                    &figs,
                    self.designated_unit.as_deref(),
                    self.percent,
                )
                .map(|v| (*p, v))
            })
            .collect()
    }

    /// The year-to-date trend extended to the deadline. Counts (`new`,
    /// `count_of_events`) start the year at zero, so one figure is a trend;
    /// a `cumulative` or `level` figure needs its baseline or two periods.
    pub fn forecast(&self, units: &[UnitInput], as_of: Date) -> Option<Forecast> {
        let tl = &self.timeline;
        let points: Vec<(f64, f64)> = self
            .series(units, as_of)
            .into_iter()
            .map(|(p, v)| ((tl.start.days_until(p.last_day().min(as_of)) + 1) as f64, v))
            .collect();
        let anchor = match self.kind {
            Kind::New | Kind::CountOfEvents => Some(self.goal.baseline.unwrap_or(0.0)),
            Kind::Cumulative | Kind::Level => self.goal.baseline,
        };
        let end = (tl.start.days_until(tl.deadline) + 1) as f64;
        let value = match anchor {
            Some(a) if !points.is_empty() => {
                let sxx: f64 = points.iter().map(|(x, _)| x * x).sum();
                let sxy: f64 = points.iter().map(|(x, y)| x * (y - a)).sum();
                if sxx <= 0.0 {
                    return None;
                }
                a + sxy / sxx * end
            }
            _ if points.len() >= 2 => {
                let n = points.len() as f64;
                let mx = points.iter().map(|p| p.0).sum::<f64>() / n;
                let my = points.iter().map(|p| p.1).sum::<f64>() / n;
                let sxx: f64 = points.iter().map(|(x, _)| (x - mx).powi(2)).sum();
                if sxx <= 0.0 {
                    return None;
                }
                let slope = points.iter().map(|(x, y)| (x - mx) * (y - my)).sum::<f64>() / sxx;
                my + slope * (end - mx)
            }
            _ => return None,
        };
        if !value.is_finite() {
            return None;
        }
        Some(Forecast {
            value,
            completion: self.goal.completion(value),
        })
    }
}

/// The latest period any unit reported for, and the districts that have no
/// figure for it (who has not reported, in catalogue order).
pub fn not_reported(
    units: &[crate::domain::Unit],
    inputs: &[(crate::domain::Indicator, Vec<UnitInput>)],
) -> (Option<Period>, Vec<String>) {
    let all = || {
        inputs.iter().flat_map(|(_, us)| us.iter()).flat_map(|u| {
            u.observations
                .iter()
                .map(move |o| (u.unit.as_str(), o.period))
        })
    };
    let Some(latest) = all().map(|(_, p)| p).max() else {
        return (None, Vec::new());
    };
    let reported: std::collections::HashSet<&str> = all()
        .filter(|(_, p)| *p == latest)
        .map(|(u, _)| u)
        .collect();
    let missing = units
        .iter()
        .filter(|u| u.kind == crate::domain::UnitKind::District)
        .filter(|u| !reported.contains(u.name.as_str()))
        .map(|u| u.name.clone())
        .collect();
    (Some(latest), missing)
}
