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
use super::model::{
    Aggregation, Better, Comparator, Cycle, Kind, Observation, Scope, Status, ValueBasis,
};
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
    /// How often units report.
    pub cycle: Cycle,
    /// The day of the month after a period by which its figures are due.
    pub due_day: u32,
}

impl Default for ProgressSettings {
    fn default() -> Self {
        ProgressSettings {
            on_track_pp: 5.0,
            lagging_pp: 15.0,
            due_soon_days: 15,
            year_start_month: 1,
            year_start_day: 1,
            cycle: Cycle::Monthly,
            due_day: 10,
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

    /// The period due at `as_of` by the reporting cycle and due day (as of
    /// 2023-06-30, monthly, due on the 10th: 2023-05).
    pub fn period_due(&self, as_of: Date) -> Period {
        super::reporting::period_due(self.cycle, self.due_day, as_of)
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
        if !(1..=31).contains(&self.due_day) {
            return Err(format!(
                "figures must be due on a day of the month (1–31), not {}",
                self.due_day
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

/// Combines the reporting units' figures into the city's figure: `sum`,
/// `mean` (Σnumerators / Σdenominators when every figure carries them,
/// times 100 when `percent`), `min`, `max`. `single` has no aggregate: the
/// city's figure is its city reporter's alone (`None` here).
pub fn roll_up(aggregation: Aggregation, figures: &[(&str, Figure)], percent: bool) -> Option<f64> {
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
        Aggregation::Single => return None,
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
    /// The units whose figures count; empty: every unit given.
    pub reporting_units: super::reporting::UnitNames,
    /// The unit that reports the city's own figure (city scope): for
    /// `single` the only figure that counts, otherwise the figure that
    /// stands for the city whenever it gives one.
    pub city_reporter: Option<String>,
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
    /// (its figure is only a part of the city's), or its figure does not count.
    pub status: Option<Status>,
    /// The latest period this unit reported for.
    pub period: Option<Period>,
    /// Whether the unit's figure is one the city's line is made of (a
    /// reporting unit, or the city reporter); other units' figures are shown
    /// and never counted.
    pub counted: bool,
    /// The figure is older than the period due (still used, flagged).
    pub stale: bool,
    /// For a unit judged against a target of its own: what it takes per
    /// remaining period to reach it, and its pace of the last three months.
    pub pace_needed: Option<Pace>,
    pub pace_recent: Option<Pace>,
}

/// Where the year-to-date trend leads by the deadline.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Forecast {
    pub value: f64,
    /// The share of the target that value would reach (its completion).
    pub completion: f64,
}

/// What it takes to reach the target by the deadline from the latest
/// figure (追赶所需): so much per remaining reporting period.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Pace {
    /// The change needed per period: an increase for higher-is-better, a
    /// decrease (a positive number) for lower-is-better.
    pub per_period: f64,
    /// Reporting periods left after the latest figure, up to the deadline.
    pub periods: u32,
    pub cycle: Cycle,
}

/// Whose figure the city's figure is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CitySource {
    /// the city reporter's own figure
    Reporter,
    /// the reporting units' figures combined (or, per district, judged)
    Units,
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
    /// The reporting period whose figures are due at the date.
    pub period_due: Option<Period>,
    /// The latest period the city's line stands at.
    pub latest_period: Option<Period>,
    /// Whose figure the city's figure is.
    pub source: Option<CitySource>,
    /// The city's line stands at a period older than the period due.
    pub stale: bool,
    /// Units whose figure for the period due is missing and is needed for
    /// the city's line (催报).
    pub not_reported: Vec<String>,
    /// Units whose figure in the city's line is older than the period due.
    pub stale_units: Vec<String>,
    /// What it takes per remaining period to reach the target.
    pub pace_needed: Option<Pace>,
    /// The pace of the last three months (or since the year began, when
    /// the line is younger), to set beside `pace_needed`: 需月均新增 X，近三月月均 Y.
    pub pace_recent: Option<Pace>,
}

/// How a unit's figure takes part in an indicator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Part {
    /// the city reporter (city scope)
    Reporter,
    /// a reporting unit
    Member,
    /// anyone else: shown, never counted
    Other,
}

impl IndicatorRule {
    /// The unit whose own figure is the city's: the city reporter, or for
    /// `single` the one reporting unit when no reporter is named.
    fn reporter(&self) -> Option<&str> {
        if self.scope != Scope::City {
            return None;
        }
        self.city_reporter.as_deref().or_else(|| {
            (self.aggregation == Aggregation::Single && self.reporting_units.len() == 1)
                .then(|| self.reporting_units[0].as_str())
        })
    }

    /// The inputs with an empty one for each reporting unit (and the city
    /// reporter) they lack, when they lack any: a unit that counts and has
    /// not reported is one of the units, with no figure.
    fn with_missing_members(&self, units: &[UnitInput]) -> Option<Vec<UnitInput>> {
        let present = |n: &String| units.iter().any(|u| &u.unit == n);
        let reporter = self
            .city_reporter
            .iter()
            .filter(|_| self.scope == Scope::City);
        let mut missing: Vec<&String> = Vec::new();
        for n in self.reporting_units.iter().chain(reporter) {
            if !present(n) && !missing.contains(&n) {
                missing.push(n);
            }
        }
        if missing.is_empty() {
            return None;
        }
        let mut all = units.to_vec();
        all.extend(missing.into_iter().map(|n| UnitInput::new(n, Vec::new())));
        Some(all)
    }

    fn part(&self, unit: &str) -> Part {
        if self.reporter() == Some(unit) {
            Part::Reporter
        } else if self.scope == Scope::City && self.aggregation == Aggregation::Single {
            Part::Other
        } else if self.reporting_units.is_empty() || self.reporting_units.iter().any(|u| u == unit)
        {
            Part::Member
        } else {
            Part::Other
        }
    }

    /// Whether a member is judged against a target of its own (or the
    /// city's): per district, a split target, or a level averaged or taken
    /// at its extreme (each unit's PUE against ≤1.4).
    fn judges(&self, u: &UnitInput) -> bool {
        self.scope == Scope::PerUnit
            || u.target.is_some()
            || (self.kind == Kind::Level
                && matches!(
                    self.aggregation,
                    Aggregation::Mean | Aggregation::Min | Aggregation::Max
                ))
    }

    fn unit_goal(&self, u: &UnitInput) -> Goal {
        Goal {
            target: u.target.unwrap_or(self.goal.target),
            target_max: if u.target.is_some() {
                u.target_max
            } else {
                self.goal.target_max
            },
            baseline: u.baseline.or(if u.target.is_none() {
                self.goal.baseline
            } else {
                None
            }),
            ..self.goal
        }
    }

    /// The period due at `as_of` within this indicator's span: none before
    /// the first period of the plan year is due, never past the deadline's.
    pub fn period_due(&self, as_of: Date, settings: &ProgressSettings) -> Option<Period> {
        let due = settings.period_due(as_of);
        (due >= self.timeline.start.period()).then(|| due.min(self.timeline.deadline.period()))
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
    ///     required_share: 1.0, reporting_units: Vec::new().into(), city_reporter: None,
    ///     percent: false,
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
    /// assert_eq!(e.period_due.unwrap().to_string(), "2023-05");
    /// ```
    pub fn evaluate(
        &self,
        units: &[UnitInput],
        as_of: Date,
        settings: &ProgressSettings,
    ) -> Evaluation {
        if let Some(all) = self.with_missing_members(units) {
            return self.evaluate(&all, as_of, settings);
        }
        let tl = &self.timeline;
        let elapsed = tl.elapsed(as_of);
        let due = self.period_due(as_of, settings);
        let is_stale = |f: &Figure| due.is_some_and(|d| f.period < d);
        let parts: Vec<Part> = units.iter().map(|u| self.part(&u.unit)).collect();
        let figures: Vec<Option<Figure>> = units
            .iter()
            .map(|u| unit_figure(self.kind, &u.observations, tl, as_of, u.baseline))
            .collect();
        let unit_lines: Vec<UnitEvaluation> = units
            .iter()
            .zip(&figures)
            .zip(&parts)
            .map(|((u, fig), part)| {
                let judged = *part == Part::Member && self.judges(u);
                let (target, completion, status) = if judged {
                    let goal = self.unit_goal(u);
                    let completion = fig.map(|f| goal.completion(f.value));
                    let status = match (fig, completion) {
                        (Some(f), Some(c)) => judge(
                            goal.meets(f.value),
                            c,
                            expected_progress(self.kind, &goal, elapsed),
                            as_of,
                            tl.deadline,
                            settings,
                        ),
                        _ => Status::NoData,
                    };
                    (Some(goal.target), completion, Some(status))
                } else {
                    (None, None, None)
                };
                // A unit behind its own target: its catch-up beside its
                // recent pace.
                let (pace_needed_u, pace_recent_u) = match (judged, fig, target) {
                    (true, Some(f), Some(_))
                        if !self.unit_goal(u).meets(f.value) && as_of <= tl.deadline =>
                    {
                        let goal = self.unit_goal(u);
                        let needed =
                            pace_needed(&goal, f.value, f.period, due, tl.deadline, settings.cycle);
                        let recent = needed.and_then(|_| {
                            let mut periods: Vec<Period> = u
                                .observations
                                .iter()
                                .map(|o| o.period)
                                .filter(|p| *p <= as_of.period())
                                .collect();
                            periods.sort_unstable();
                            periods.dedup();
                            let points: Vec<(Period, f64)> = periods
                                .iter()
                                .filter_map(|p| {
                                    let at = unit_figure(
                                        self.kind,
                                        &u.observations,
                                        tl,
                                        p.last_day(),
                                        u.baseline,
                                    )?;
                                    Some((*p, at.value))
                                })
                                .collect();
                            recent_pace(
                                &points,
                                self.anchor(u.baseline),
                                goal.better,
                                settings.cycle,
                            )
                        });
                        (needed, recent)
                    }
                    _ => (None, None),
                };
                UnitEvaluation {
                    unit: u.unit.clone(),
                    actual: fig.map(|f| f.value),
                    target,
                    completion,
                    status,
                    period: fig.map(|f| f.period),
                    counted: *part != Part::Other,
                    stale: fig.is_some_and(|f| is_stale(&f)),
                    pace_needed: pace_needed_u,
                    pace_recent: pace_recent_u,
                }
            })
            .collect();
        // Before any period is due nobody owes a figure.
        let current = |i: usize| due.is_none() || figures[i].is_some_and(|f| !is_stale(&f));
        let members: Vec<usize> = (0..units.len())
            .filter(|&i| parts[i] == Part::Member)
            .collect();
        let reporter = (0..units.len()).find(|&i| parts[i] == Part::Reporter);
        let names = |ids: &mut dyn Iterator<Item = usize>| -> Vec<String> {
            ids.map(|i| units[i].unit.clone()).collect()
        };
        let mut ev = Evaluation {
            actual: None,
            completion: None,
            expected: expected_progress(self.kind, &self.goal, elapsed),
            status: Status::NoData,
            due_soon: false,
            forecast: None,
            units_met: None,
            units_total: None,
            units: unit_lines,
            period_due: due,
            latest_period: None,
            source: None,
            stale: false,
            not_reported: Vec::new(),
            stale_units: Vec::new(),
            pace_needed: None,
            pace_recent: None,
        };
        match self.scope {
            Scope::City => {
                let from_reporter = reporter.and_then(|i| figures[i].map(|f| (i, f)));
                let single = self.aggregation == Aggregation::Single;
                ev.not_reported = match reporter {
                    Some(i) if current(i) => Vec::new(),
                    Some(i) if single => names(&mut std::iter::once(i)),
                    _ => names(&mut members.iter().copied().filter(|&i| !current(i))),
                };
                let city = match from_reporter {
                    Some((i, f)) => {
                        ev.stale_units = names(&mut std::iter::once(i).filter(|_| is_stale(&f)));
                        Some((f.value, f.period, CitySource::Reporter))
                    }
                    None if !single => {
                        let reported: Vec<(&str, Figure)> = members
                            .iter()
                            .filter_map(|&i| figures[i].map(|f| (units[i].unit.as_str(), f)))
                            .collect();
                        ev.stale_units = reported
                            .iter()
                            .filter(|(_, f)| is_stale(f))
                            .map(|(u, _)| u.to_string())
                            .collect();
                        let latest = reported.iter().map(|(_, f)| f.period).max();
                        roll_up(self.aggregation, &reported, self.percent)
                            .zip(latest)
                            .map(|(v, p)| (v, p, CitySource::Units))
                    }
                    None => None,
                };
                if let Some((actual, period, source)) = city {
                    let completion = self.goal.completion(actual);
                    let met = self.goal.meets(actual);
                    ev.actual = Some(actual);
                    ev.completion = Some(completion);
                    ev.latest_period = Some(period);
                    ev.source = Some(source);
                    ev.stale = due.is_some_and(|d| period < d);
                    ev.status = judge(met, completion, ev.expected, as_of, tl.deadline, settings);
                    if as_of < tl.deadline && !ev.stale {
                        ev.forecast = self.forecast(units, as_of).map(|mut f| {
                            let counts = matches!(
                                self.kind,
                                Kind::New | Kind::Cumulative | Kind::CountOfEvents
                            );
                            if counts && self.goal.better == Better::Higher && f.value < actual {
                                f.value = actual;
                                f.completion = completion;
                            }
                            f
                        });
                    }
                    if !met && as_of <= tl.deadline {
                        ev.pace_needed = pace_needed(
                            &self.goal,
                            actual,
                            period,
                            due,
                            tl.deadline,
                            settings.cycle,
                        );
                        if ev.pace_needed.is_some() {
                            let anchor = self.anchor(self.goal.baseline);
                            ev.pace_recent = recent_pace(
                                &self.series(units, as_of),
                                anchor,
                                self.goal.better,
                                settings.cycle,
                            );
                        }
                    }
                }
            }
            Scope::PerUnit => {
                ev.not_reported = names(&mut members.iter().copied().filter(|&i| !current(i)));
                ev.stale_units = names(
                    &mut members
                        .iter()
                        .copied()
                        .filter(|&i| figures[i].is_some_and(|f| is_stale(&f))),
                );
                let total = members.len();
                let latest = members
                    .iter()
                    .filter_map(|&i| figures[i])
                    .map(|f| f.period)
                    .max();
                if let (Some(latest), true) = (latest, total > 0) {
                    let n_met = members
                        .iter()
                        .filter(|&&i| {
                            figures[i].is_some_and(|f| self.unit_goal(&units[i]).meets(f.value))
                        })
                        .count();
                    let share = n_met as f64 / total as f64;
                    let required = if self.required_share > 0.0 {
                        self.required_share
                    } else {
                        1.0
                    };
                    let completion = share / required;
                    let met = share >= required - EPS;
                    ev.actual = Some(share);
                    ev.completion = Some(completion);
                    ev.units_met = Some(n_met);
                    ev.units_total = Some(total);
                    ev.latest_period = Some(latest);
                    ev.source = Some(CitySource::Units);
                    ev.status = judge(met, completion, ev.expected, as_of, tl.deadline, settings);
                } else {
                    ev.units_met = Some(0);
                    ev.units_total = Some(total);
                }
            }
        }
        ev.due_soon = due_soon(ev.status, tl.deadline, as_of, settings);
        ev
    }

    /// Where a line stands before its first period: 0 (or the baseline) for
    /// what is counted from the year's start, the baseline for a running
    /// total or a level (none when unknown).
    fn anchor(&self, baseline: Option<f64>) -> Option<(Period, f64)> {
        let before = self.timeline.start.period().previous();
        match self.kind {
            Kind::New | Kind::CountOfEvents => Some((before, baseline.unwrap_or(0.0))),
            Kind::Cumulative | Kind::Level => baseline.map(|b| (before, b)),
        }
    }

    /// The city's line at the end of each period up to `as_of` in which a
    /// counted unit reported: the city's figure, or per district the share
    /// of units meeting their target. What a sparkline or a plot draws.
    pub fn series(&self, units: &[UnitInput], as_of: Date) -> Vec<(Period, f64)> {
        if let Some(all) = self.with_missing_members(units) {
            return self.series(&all, as_of);
        }
        let parts: Vec<Part> = units.iter().map(|u| self.part(&u.unit)).collect();
        // The months within the span up to `as_of` in which a counted unit
        // reported, marked on a month-by-month list (no sort of every figure).
        let first = self.timeline.start.period();
        let span = first.months_until(as_of.period());
        if span < 0 {
            return Vec::new();
        }
        let mut reported = vec![false; span as usize + 1];
        for (u, _) in units.iter().zip(&parts).filter(|(_, p)| **p != Part::Other) {
            for o in &u.observations {
                let k = first.months_until(o.period);
                if (0..=span).contains(&k) {
                    reported[k as usize] = true;
                }
            }
        }
        let mut periods: Vec<Period> = Vec::new();
        let mut p = first;
        for r in reported {
            if r {
                periods.push(p);
            }
            p = p.next();
        }
        let mut cursors: Vec<Cursor> = units
            .iter()
            .map(|u| Cursor::new(self.kind, &u.observations, &self.timeline, u.baseline))
            .collect();
        let members = parts.iter().filter(|p| **p == Part::Member).count();
        let per_unit = self.scope == Scope::PerUnit;
        let mut figs: Vec<(&str, Figure)> = Vec::with_capacity(units.len());
        periods
            .iter()
            .filter_map(|p| {
                figs.clear();
                let mut from_reporter = None;
                let mut met = 0;
                for ((u, c), part) in units.iter().zip(cursors.iter_mut()).zip(&parts) {
                    let Some(f) = c.advance_to(*p) else { continue };
                    match part {
                        Part::Reporter => from_reporter = Some(f.value),
                        Part::Member => {
                            figs.push((u.unit.as_str(), f));
                            if per_unit && self.unit_goal(u).meets(f.value) {
                                met += 1;
                            }
                        }
                        Part::Other => {}
                    }
                }
                let value = match self.scope {
                    Scope::PerUnit => {
                        (members > 0 && !figs.is_empty()).then(|| met as f64 / members as f64)
                    }
                    Scope::City => {
                        from_reporter.or_else(|| roll_up(self.aggregation, &figs, self.percent))
                    }
                };
                value.map(|v| (*p, v))
            })
            .collect()
    }

    /// The year-to-date trend of the city's figure extended to the
    /// deadline. Counts (`new`, `count_of_events`) start the year at zero,
    /// so one figure is a trend; a `cumulative` or `level` figure needs its
    /// baseline or two periods. Per district there is no forecast.
    pub fn forecast(&self, units: &[UnitInput], as_of: Date) -> Option<Forecast> {
        if self.scope == Scope::PerUnit {
            return None;
        }
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

/// The units to remind (催报) at a date: every unit some indicator is
/// waiting for (its `not_reported`) that has no figure at all for the period
/// due or later (up to the date), in catalogue order. A unit that reported
/// the period due for anything has reported.
pub fn units_not_reported<'a>(
    catalogue: &[crate::domain::Unit],
    evaluations: impl IntoIterator<Item = &'a Evaluation>,
    inputs: &[(crate::domain::Indicator, Vec<UnitInput>)],
    due: Option<Period>,
    as_of: Date,
) -> Vec<String> {
    let Some(due) = due else {
        return Vec::new();
    };
    let owing: std::collections::HashSet<&str> = evaluations
        .into_iter()
        .flat_map(|e| e.not_reported.iter().map(String::as_str))
        .collect();
    if owing.is_empty() {
        return Vec::new();
    }
    let reported: std::collections::HashSet<&str> = inputs
        .iter()
        .flat_map(|(_, us)| us.iter())
        .filter(|u| owing.contains(u.unit.as_str()))
        .filter(|u| {
            u.observations
                .iter()
                .any(|o| o.period >= due && o.period <= as_of.period())
        })
        .map(|u| u.unit.as_str())
        .collect();
    catalogue
        .iter()
        .map(|u| u.name.as_str())
        .filter(|u| owing.contains(u) && !reported.contains(u))
        .map(str::to_string)
        .collect()
}

/// What it takes to reach `goal` from `actual` (reported for `latest`) by
/// the deadline: the gap over the reporting periods after both the latest
/// figure and the period due. `None` when met or no period is left.
pub fn pace_needed(
    goal: &Goal,
    actual: f64,
    latest: Period,
    due: Option<Period>,
    deadline: Date,
    cycle: Cycle,
) -> Option<Pace> {
    let from = due.map_or(latest, |d| d.max(latest));
    let periods = cycle.periods_after(from, deadline.period());
    let gap = match goal.better {
        Better::Higher => goal.target - actual,
        Better::Lower => actual - goal.target,
    };
    (periods > 0 && gap > 0.0).then(|| Pace {
        per_period: gap / periods as f64,
        periods,
        cycle,
    })
}

/// The pace of the last three months of a line (period, figure), oldest
/// first: from the latest figure back to the last one at least three months
/// older, or to `anchor` (where the line stood before its first period) when
/// none is; per reporting period, toward the goal (a decrease counts for
/// lower-is-better). `periods` is the span it was measured over, in
/// reporting periods (rounded up).
///
/// ```
/// use taizhang::domain::progress::recent_pace;
/// use taizhang::domain::{Better, Cycle, Period};
/// let p = |s: &str| s.parse::<Period>().unwrap();
/// // 30 by June, 24 by March: 2 a month over the last three months.
/// let line = [(p("2023-03"), 24.0), (p("2023-05"), 27.0), (p("2023-06"), 30.0)];
/// let r = recent_pace(&line, None, Better::Higher, Cycle::Monthly).unwrap();
/// assert_eq!((r.per_period, r.periods), (2.0, 3));
/// // A younger line: from where it stood before January.
/// let young = [(p("2023-02"), 4.0)];
/// let r = recent_pace(&young, Some((p("2022-12"), 0.0)), Better::Higher, Cycle::Monthly).unwrap();
/// assert_eq!((r.per_period, r.periods), (2.0, 2));
/// ```
pub fn recent_pace(
    line: &[(Period, f64)],
    anchor: Option<(Period, f64)>,
    better: Better,
    cycle: Cycle,
) -> Option<Pace> {
    let &(last, v_last) = line.last()?;
    let from = line
        .iter()
        .rev()
        .find(|(p, _)| p.months_until(last) >= 3)
        .copied()
        .or(anchor.filter(|(p, _)| *p < last))?;
    let months = from.0.months_until(last);
    if months <= 0 {
        return None;
    }
    let change = match better {
        Better::Higher => v_last - from.1,
        Better::Lower => from.1 - v_last,
    };
    let per_month = change / months as f64;
    Some(Pace {
        per_period: per_month * cycle.months() as f64,
        periods: (months as u32).div_ceil(cycle.months()),
        cycle,
    })
}
