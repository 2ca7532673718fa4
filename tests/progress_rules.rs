//! The progress rules of PRODUCT.md section 3, table by table: every kind x
//! direction x scope, baselines, ranges, deadlines, no data, and the three
//! places where tracking tools usually get numbers wrong (lower is better,
//! cumulative versus new, percentages).

use taizhang::domain::*;

fn d(s: &str) -> Date {
    s.parse().unwrap()
}
fn p(s: &str) -> Period {
    s.parse().unwrap()
}

const JUNE_30: &str = "2023-06-30";
/// 181 of 365 days gone at the end of 30 June 2023.
const E_JUNE: f64 = 181.0 / 365.0;

fn rule(kind: Kind, comparator: Comparator, target: f64) -> IndicatorRule {
    IndicatorRule {
        goal: Goal {
            comparator,
            target,
            target_max: None,
            better: comparator.implied_better(),
            baseline: None,
        },
        kind,
        scope: Scope::City,
        aggregation: if kind == Kind::Level {
            Aggregation::Mean
        } else {
            Aggregation::Sum
        },
        timeline: Timeline {
            start: d("2023-01-01"),
            deadline: d("2023-12-31"),
        },
        required_share: 1.0,
        reporting_units: Vec::new().into(),
        city_reporter: None,
        percent: false,
    }
}

fn with_baseline(mut r: IndicatorRule, b: f64) -> IndicatorRule {
    r.goal.baseline = Some(b);
    r
}

fn per_unit(mut r: IndicatorRule, share: f64) -> IndicatorRule {
    r.scope = Scope::PerUnit;
    r.required_share = share;
    r
}

/// One unit reporting one figure at the end of June.
fn one(v: f64) -> Vec<UnitInput> {
    vec![UnitInput::new(
        "A",
        vec![Observation::as_of(p("2023-06"), v)],
    )]
}

/// Several units each reporting one figure at the end of June.
fn many(vs: &[(&str, f64)]) -> Vec<UnitInput> {
    vs.iter()
        .map(|(u, v)| UnitInput::new(u, vec![Observation::as_of(p("2023-06"), *v)]))
        .collect()
}

struct Case {
    name: &'static str,
    rule: IndicatorRule,
    units: Vec<UnitInput>,
    as_of: &'static str,
    actual: Option<f64>,
    completion: Option<f64>,
    expected: Option<f64>,
    status: Status,
}

fn close(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => (a - b).abs() <= 1e-9 * b.abs().max(1.0),
        _ => false,
    }
}

#[test]
fn status_table() {
    use Comparator::*;
    use Kind::*;
    let e = Some(E_JUNE);
    let cases = vec![
        // --- new, higher is better, city scope (sum) ---
        Case {
            name: "new: 20+10 of 75 by June is lagging",
            rule: rule(New, Ge, 75.0),
            units: many(&[("张店区", 20.0), ("淄川区", 10.0)]),
            as_of: JUNE_30,
            actual: Some(30.0),
            completion: Some(0.4),
            expected: e,
            status: Status::Lagging,
        },
        Case {
            name: "new: 37 of 75 is on track",
            rule: rule(New, Ge, 75.0),
            units: one(37.0),
            as_of: JUNE_30,
            actual: Some(37.0),
            completion: Some(37.0 / 75.0),
            expected: e,
            status: Status::OnTrack,
        },
        Case {
            name: "new: 25 of 75 is behind",
            rule: rule(New, Ge, 75.0),
            units: one(25.0),
            as_of: JUNE_30,
            actual: Some(25.0),
            completion: Some(25.0 / 75.0),
            expected: e,
            status: Status::Behind,
        },
        Case {
            name: "new: 80 of 75 is done before the deadline",
            rule: rule(New, Ge, 75.0),
            units: one(80.0),
            as_of: JUNE_30,
            actual: Some(80.0),
            completion: Some(80.0 / 75.0),
            expected: e,
            status: Status::Done,
        },
        Case {
            name: "new: unfinished after the deadline is overdue",
            rule: rule(New, Ge, 75.0),
            units: one(60.0),
            as_of: "2024-01-15",
            actual: Some(60.0),
            completion: Some(0.8),
            expected: Some(1.0),
            status: Status::Overdue,
        },
        Case {
            name: "new: finished after the deadline stays done",
            rule: rule(New, Ge, 75.0),
            units: one(75.0),
            as_of: "2024-01-15",
            actual: Some(75.0),
            completion: Some(1.0),
            expected: Some(1.0),
            status: Status::Done,
        },
        Case {
            name: "new: nobody reported",
            rule: rule(New, Ge, 75.0),
            units: vec![],
            as_of: JUNE_30,
            actual: None,
            completion: None,
            expected: e,
            status: Status::NoData,
        },
        Case {
            name: "new: a unit listed but silent is still no data",
            rule: rule(New, Ge, 75.0),
            units: vec![UnitInput::new("A", vec![])],
            as_of: JUNE_30,
            actual: None,
            completion: None,
            expected: e,
            status: Status::NoData,
        },
        Case {
            name: "new: a figure reported after as-of does not count",
            rule: rule(New, Ge, 75.0),
            units: vec![UnitInput::new(
                "A",
                vec![Observation::as_of(p("2023-09"), 70.0)],
            )],
            as_of: JUNE_30,
            actual: None,
            completion: None,
            expected: e,
            status: Status::NoData,
        },
        Case {
            name: "new: more than (超) is not met by equality",
            rule: rule(New, Gt, 470_000.0),
            units: one(470_000.0),
            as_of: "2023-12-31",
            actual: Some(470_000.0),
            completion: Some(1.0),
            expected: Some(1.0),
            status: Status::OnTrack,
        },
        // --- cumulative versus new ---
        Case {
            name: "new: year-to-date months are not summed",
            rule: rule(New, Ge, 75.0),
            units: vec![UnitInput::new(
                "A",
                (1..=6)
                    .map(|m| Observation::as_of(Period::new(2023, m).unwrap(), 5.0 * m as f64))
                    .collect(),
            )],
            as_of: JUNE_30,
            actual: Some(30.0),
            completion: Some(0.4),
            expected: e,
            status: Status::Lagging,
        },
        Case {
            name: "new: monthly increments are summed",
            rule: rule(New, Ge, 75.0),
            units: vec![UnitInput::new(
                "A",
                (1..=6)
                    .map(|m| Observation {
                        basis: ValueBasis::PeriodIncrement,
                        ..Observation::as_of(Period::new(2023, m).unwrap(), 5.0)
                    })
                    .collect(),
            )],
            as_of: JUNE_30,
            actual: Some(30.0),
            completion: Some(0.4),
            expected: e,
            status: Status::Lagging,
        },
        Case {
            name: "new: increments after a year-to-date figure add to it",
            rule: rule(New, Ge, 75.0),
            units: vec![UnitInput::new(
                "A",
                vec![
                    Observation::as_of(p("2023-04"), 20.0),
                    Observation {
                        basis: ValueBasis::PeriodIncrement,
                        ..Observation::as_of(p("2023-05"), 6.0)
                    },
                    Observation {
                        basis: ValueBasis::PeriodIncrement,
                        ..Observation::as_of(p("2023-06"), 4.0)
                    },
                ],
            )],
            as_of: JUNE_30,
            actual: Some(30.0),
            completion: Some(0.4),
            expected: e,
            status: Status::Lagging,
        },
        Case {
            name: "cumulative: a running total is judged from its baseline",
            rule: with_baseline(rule(Cumulative, Ge, 35_000.0), 30_000.0),
            units: one(31_000.0),
            as_of: JUNE_30,
            actual: Some(31_000.0),
            completion: Some(0.2),
            expected: e,
            status: Status::Behind,
        },
        Case {
            name: "cumulative: without a baseline it counts from zero",
            rule: rule(Cumulative, Ge, 35_000.0),
            units: one(31_000.0),
            as_of: JUNE_30,
            actual: Some(31_000.0),
            completion: Some(31.0 / 35.0),
            expected: e,
            status: Status::OnTrack,
        },
        Case {
            name: "cumulative: units' running totals add up",
            rule: with_baseline(rule(Cumulative, Ge, 400.0), 150.0),
            units: many(&[("A", 200.0), ("B", 75.0)]),
            as_of: JUNE_30,
            actual: Some(275.0),
            completion: Some(0.5),
            expected: e,
            status: Status::OnTrack,
        },
        Case {
            name: "cumulative: increments count from the unit's baseline",
            rule: rule(Cumulative, Ge, 200.0),
            units: vec![UnitInput {
                baseline: Some(100.0),
                ..UnitInput::new(
                    "A",
                    vec![
                        Observation {
                            basis: ValueBasis::PeriodIncrement,
                            ..Observation::as_of(p("2023-03"), 10.0)
                        },
                        Observation {
                            basis: ValueBasis::PeriodIncrement,
                            ..Observation::as_of(p("2023-06"), 20.0)
                        },
                    ],
                )
            }],
            as_of: JUNE_30,
            actual: Some(130.0),
            completion: Some(0.65),
            expected: e,
            status: Status::OnTrack,
        },
        // --- level, higher is better ---
        Case {
            name: "level: without a baseline there is no linear path",
            rule: rule(Level, Ge, 40.0),
            units: one(35.0),
            as_of: JUNE_30,
            actual: Some(35.0),
            completion: Some(0.875),
            expected: None,
            status: Status::Lagging,
        },
        Case {
            name: "level: met is done",
            rule: rule(Level, Ge, 40.0),
            units: one(41.5),
            as_of: JUNE_30,
            actual: Some(41.5),
            completion: Some(41.5 / 40.0),
            expected: None,
            status: Status::Done,
        },
        Case {
            name: "level: with a baseline it follows the elapsed year",
            rule: with_baseline(rule(Level, Ge, 40.0), 20.0),
            units: one(30.0),
            as_of: JUNE_30,
            actual: Some(30.0),
            completion: Some(0.5),
            expected: e,
            status: Status::OnTrack,
        },
        Case {
            name: "level: 保持100% is met at 100",
            rule: rule(Level, Eq, 100.0),
            units: one(100.0),
            as_of: JUNE_30,
            actual: Some(100.0),
            completion: Some(1.0),
            expected: None,
            status: Status::Done,
        },
        Case {
            name: "level: 保持100% is not met at 99",
            rule: rule(Level, Eq, 100.0),
            units: one(99.0),
            as_of: JUNE_30,
            actual: Some(99.0),
            completion: Some(0.99),
            expected: None,
            status: Status::OnTrack,
        },
        // --- lower is better ---
        Case {
            name: "lower: PUE 1.35 against at most 1.4 is done",
            rule: rule(Level, Le, 1.4),
            units: one(1.35),
            as_of: JUNE_30,
            actual: Some(1.35),
            completion: Some(1.0),
            expected: None,
            status: Status::Done,
        },
        Case {
            name: "lower: PUE 1.45 without baseline is target/actual",
            rule: rule(Level, Le, 1.4),
            units: one(1.45),
            as_of: JUNE_30,
            actual: Some(1.45),
            completion: Some(1.4 / 1.45),
            expected: None,
            status: Status::OnTrack,
        },
        Case {
            name: "lower: PUE from 1.6 down to 1.5 is half way",
            rule: with_baseline(rule(Level, Le, 1.4), 1.6),
            units: one(1.5),
            as_of: JUNE_30,
            actual: Some(1.5),
            completion: Some(0.5),
            expected: e,
            status: Status::OnTrack,
        },
        Case {
            name: "lower: PUE from 1.6 down to 1.58 is behind",
            rule: with_baseline(rule(Level, Le, 1.4), 1.6),
            units: one(1.58),
            as_of: JUNE_30,
            actual: Some(1.58),
            completion: Some(0.1),
            expected: e,
            status: Status::Behind,
        },
        Case {
            name: "lower: getting worse than the baseline is negative progress",
            rule: with_baseline(rule(Level, Le, 1.4), 1.6),
            units: one(1.7),
            as_of: JUNE_30,
            actual: Some(1.7),
            completion: Some(-0.5),
            expected: e,
            status: Status::Behind,
        },
        Case {
            name: "lower: 5 days against at most 3 is behind",
            rule: rule(Level, Le, 3.0),
            units: one(5.0),
            as_of: JUNE_30,
            actual: Some(5.0),
            completion: Some(0.6),
            expected: None,
            status: Status::Behind,
        },
        Case {
            name: "lower: a response time of 0 meets at most 3",
            rule: rule(Level, Le, 3.0),
            units: one(0.0),
            as_of: JUNE_30,
            actual: Some(0.0),
            completion: Some(1.0),
            expected: None,
            status: Status::Done,
        },
        Case {
            name: "lower: strictly less than is not met by equality",
            rule: rule(Level, Lt, 15.0),
            units: one(15.0),
            as_of: JUNE_30,
            actual: Some(15.0),
            completion: Some(1.0),
            expected: None,
            status: Status::OnTrack,
        },
        Case {
            name: "lower: overdue after the deadline",
            rule: rule(Level, Le, 1.4),
            units: one(1.5),
            as_of: "2024-02-01",
            actual: Some(1.5),
            completion: Some(1.4 / 1.5),
            expected: None,
            status: Status::Overdue,
        },
        // --- count of events ---
        Case {
            name: "events: 1 of 2 drills by June is on track",
            rule: rule(CountOfEvents, Ge, 2.0),
            units: one(1.0),
            as_of: JUNE_30,
            actual: Some(1.0),
            completion: Some(0.5),
            expected: e,
            status: Status::OnTrack,
        },
        Case {
            name: "events: none held by June is behind",
            rule: rule(CountOfEvents, Ge, 2.0),
            units: one(0.0),
            as_of: JUNE_30,
            actual: Some(0.0),
            completion: Some(0.0),
            expected: e,
            status: Status::Behind,
        },
        Case {
            name: "events: held by two units add up",
            rule: rule(CountOfEvents, Ge, 2.0),
            units: many(&[("A", 1.0), ("B", 1.0)]),
            as_of: JUNE_30,
            actual: Some(2.0),
            completion: Some(1.0),
            expected: e,
            status: Status::Done,
        },
        // --- ranges ---
        Case {
            name: "range: 2-3 is met at 2",
            rule: IndicatorRule {
                goal: Goal {
                    target_max: Some(3.0),
                    ..rule(New, Ge, 2.0).goal
                },
                ..rule(New, Ge, 2.0)
            },
            units: one(2.0),
            as_of: JUNE_30,
            actual: Some(2.0),
            completion: Some(1.0),
            expected: e,
            status: Status::Done,
        },
        Case {
            name: "range: = 2-3 is met inside",
            rule: IndicatorRule {
                goal: Goal {
                    target_max: Some(3.0),
                    ..rule(New, Eq, 2.0).goal
                },
                ..rule(New, Eq, 2.0)
            },
            units: one(3.0),
            as_of: JUNE_30,
            actual: Some(3.0),
            completion: Some(1.5),
            expected: e,
            status: Status::Done,
        },
        Case {
            name: "range: = 2-3 is not met above it",
            rule: IndicatorRule {
                goal: Goal {
                    target_max: Some(3.0),
                    ..rule(New, Eq, 2.0).goal
                },
                ..rule(New, Eq, 2.0)
            },
            units: one(4.0),
            as_of: JUNE_30,
            actual: Some(4.0),
            completion: Some(2.0),
            expected: e,
            status: Status::OnTrack,
        },
        Case {
            name: "range: 1 of 2-3 by June is on track",
            rule: IndicatorRule {
                goal: Goal {
                    target_max: Some(3.0),
                    ..rule(New, Ge, 2.0).goal
                },
                ..rule(New, Ge, 2.0)
            },
            units: one(1.0),
            as_of: JUNE_30,
            actual: Some(1.0),
            completion: Some(0.5),
            expected: e,
            status: Status::OnTrack,
        },
        // --- per-unit scope: the city line is the share of units meeting it ---
        Case {
            name: "per unit: 2 of 4 districts have 3 scenes",
            rule: per_unit(rule(New, Ge, 3.0), 1.0),
            units: vec![
                UnitInput::new("A", vec![Observation::as_of(p("2023-06"), 3.0)]),
                UnitInput::new("B", vec![Observation::as_of(p("2023-06"), 5.0)]),
                UnitInput::new("C", vec![Observation::as_of(p("2023-06"), 1.0)]),
                UnitInput::new("D", vec![]),
            ],
            as_of: JUNE_30,
            actual: Some(0.5),
            completion: Some(0.5),
            expected: e,
            status: Status::OnTrack,
        },
        Case {
            name: "per unit: every district met is done",
            rule: per_unit(rule(New, Ge, 3.0), 1.0),
            units: many(&[("A", 3.0), ("B", 4.0)]),
            as_of: JUNE_30,
            actual: Some(1.0),
            completion: Some(1.0),
            expected: e,
            status: Status::Done,
        },
        Case {
            name: "per unit: 60% of districts required, 3 of 5 met is done",
            rule: per_unit(rule(Level, Ge, 40.0), 0.6),
            units: many(&[
                ("A", 40.0),
                ("B", 50.0),
                ("C", 45.0),
                ("D", 10.0),
                ("E", 39.0),
            ]),
            as_of: JUNE_30,
            actual: Some(0.6),
            completion: Some(1.0),
            expected: None,
            status: Status::Done,
        },
        Case {
            name: "per unit: lower is better per district",
            rule: per_unit(rule(Level, Le, 3.0), 1.0),
            units: many(&[("A", 2.0), ("B", 4.0)]),
            as_of: JUNE_30,
            actual: Some(0.5),
            completion: Some(0.5),
            expected: None,
            status: Status::Behind,
        },
        Case {
            name: "per unit: a unit's own target replaces the plan's",
            rule: per_unit(rule(New, Ge, 10.0), 1.0),
            units: vec![
                UnitInput {
                    target: Some(2.0),
                    ..UnitInput::new("A", vec![Observation::as_of(p("2023-06"), 2.0)])
                },
                UnitInput::new("B", vec![Observation::as_of(p("2023-06"), 2.0)]),
            ],
            as_of: JUNE_30,
            actual: Some(0.5),
            completion: Some(0.5),
            expected: e,
            status: Status::OnTrack,
        },
        Case {
            name: "per unit: nobody reported is no data",
            rule: per_unit(rule(New, Ge, 3.0), 1.0),
            units: vec![UnitInput::new("A", vec![]), UnitInput::new("B", vec![])],
            as_of: JUNE_30,
            actual: None,
            completion: None,
            expected: e,
            status: Status::NoData,
        },
        Case {
            name: "per unit: unmet after the deadline is overdue",
            rule: per_unit(rule(New, Ge, 3.0), 1.0),
            units: many(&[("A", 3.0), ("B", 1.0)]),
            as_of: "2024-01-10",
            actual: Some(0.5),
            completion: Some(0.5),
            expected: Some(1.0),
            status: Status::Overdue,
        },
    ];
    let settings = ProgressSettings::default();
    let mut failures = Vec::new();
    for c in &cases {
        let ev = c.rule.evaluate(&c.units, d(c.as_of), &settings);
        if !(close(ev.actual, c.actual)
            && close(ev.completion, c.completion)
            && close(ev.expected, c.expected)
            && ev.status == c.status)
        {
            failures.push(format!(
                "{}: got actual {:?} completion {:?} expected {:?} status {:?}; want {:?} {:?} {:?} {:?}",
                c.name, ev.actual, ev.completion, ev.expected, ev.status, c.actual, c.completion, c.expected, c.status
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn every_kind_direction_and_scope_is_judged() {
    // The full cross product: each combination gets a sensible status from a
    // figure that meets its target, and one that is far from it.
    let settings = ProgressSettings::default();
    for kind in Kind::ALL {
        for better in Better::ALL {
            for scope in Scope::ALL {
                let comparator = match better {
                    Better::Higher => Comparator::Ge,
                    Better::Lower => Comparator::Le,
                };
                let mut r = rule(*kind, comparator, 10.0);
                r.scope = *scope;
                let (good, bad) = match better {
                    Better::Higher => (12.0, 1.0),
                    Better::Lower => (8.0, 40.0),
                };
                let label = format!("{kind}/{better}/{scope}");
                // The city's figure from one unit; per-unit scope judges two.
                let units = |v: f64| match scope {
                    Scope::City => many(&[("A", v)]),
                    Scope::PerUnit => many(&[("A", v), ("B", v)]),
                };
                let met = r.evaluate(&units(good), d(JUNE_30), &settings);
                assert_eq!(met.status, Status::Done, "{label} met");
                let far = r.evaluate(&units(bad), d(JUNE_30), &settings);
                assert_eq!(far.status, Status::Behind, "{label} far");
                let late = r.evaluate(&units(bad), d("2024-03-01"), &settings);
                assert_eq!(late.status, Status::Overdue, "{label} late");
                let none = r.evaluate(&[], d(JUNE_30), &settings);
                assert_eq!(none.status, Status::NoData, "{label} none");
            }
        }
    }
}

#[test]
fn percentages_roll_up_through_numerators_and_denominators() {
    // 50 of 100 communities (50%) and 90 of 900 (10%): the city covers
    // 140 of 1000 = 14%, not the 30% that averaging the rates gives.
    let mut r = rule(Kind::Level, Comparator::Ge, 40.0);
    r.aggregation = Aggregation::Mean;
    r.percent = true;
    let obs = |v: f64, n: f64, dd: f64| Observation {
        numerator: Some(n),
        denominator: Some(dd),
        ..Observation::as_of(p("2023-06"), v)
    };
    let units = vec![
        UnitInput::new("A", vec![obs(50.0, 50.0, 100.0)]),
        UnitInput::new("B", vec![obs(10.0, 90.0, 900.0)]),
    ];
    let ev = r.evaluate(&units, d(JUNE_30), &ProgressSettings::default());
    assert!(close(ev.actual, Some(14.0)), "{:?}", ev.actual);
    // Without the counts, the mean of the rates is all that can be said.
    let bare = vec![
        UnitInput::new("A", vec![Observation::as_of(p("2023-06"), 50.0)]),
        UnitInput::new("B", vec![Observation::as_of(p("2023-06"), 10.0)]),
    ];
    let ev = r.evaluate(&bare, d(JUNE_30), &ProgressSettings::default());
    assert!(close(ev.actual, Some(30.0)), "{:?}", ev.actual);
    // A ratio that is not a percentage is not scaled.
    r.percent = false;
    let ev = r.evaluate(&units, d(JUNE_30), &ProgressSettings::default());
    assert!(close(ev.actual, Some(0.14)), "{:?}", ev.actual);
}

#[test]
fn aggregations_other_than_sum() {
    let units = many(&[("A", 1.3), ("B", 1.5), ("C", 1.2)]);
    let s = ProgressSettings::default();
    for (agg, want) in [
        (Aggregation::Min, 1.2),
        (Aggregation::Max, 1.5),
        (Aggregation::Mean, 4.0 / 3.0),
        (Aggregation::Sum, 4.0),
    ] {
        let mut r = rule(Kind::Level, Comparator::Le, 1.4);
        r.aggregation = agg;
        assert!(
            close(r.evaluate(&units, d(JUNE_30), &s).actual, Some(want)),
            "{agg}"
        );
    }
    // single: the city reporter's figure, never the latest report.
    let mut r = rule(Kind::Level, Comparator::Le, 1.4);
    r.aggregation = Aggregation::Single;
    r.city_reporter = Some("B".into());
    assert!(close(r.evaluate(&units, d(JUNE_30), &s).actual, Some(1.5)));
    r.city_reporter = None;
    let staggered = vec![
        UnitInput::new("A", vec![Observation::as_of(p("2023-03"), 1.6)]),
        UnitInput::new("B", vec![Observation::as_of(p("2023-05"), 1.38)]),
    ];
    let ev = r.evaluate(&staggered, d(JUNE_30), &s);
    assert_eq!(ev.actual, None, "no city reporter: no city figure");
    assert_eq!(ev.status, Status::NoData);
    // With one reporting unit, that unit is the reporter.
    r.reporting_units = vec!["B".to_string()].into();
    let ev = r.evaluate(&staggered, d(JUNE_30), &s);
    assert!(close(ev.actual, Some(1.38)));
    assert_eq!(ev.status, Status::Done);
}

#[test]
fn unit_lines_carry_their_own_targets_and_statuses() {
    // City target 75 split between two districts (任务分解).
    let r = rule(Kind::New, Comparator::Ge, 75.0);
    let units = vec![
        UnitInput {
            target: Some(40.0),
            ..UnitInput::new("张店区", vec![Observation::as_of(p("2023-06"), 20.0)])
        },
        UnitInput {
            target: Some(35.0),
            ..UnitInput::new("淄川区", vec![Observation::as_of(p("2023-06"), 10.0)])
        },
        UnitInput {
            target: Some(5.0),
            ..UnitInput::new("博山区", vec![])
        },
    ];
    let ev = r.evaluate(&units, d(JUNE_30), &ProgressSettings::default());
    assert_eq!(ev.actual, Some(30.0));
    let line = |u: &str| ev.units.iter().find(|l| l.unit == u).unwrap();
    assert_eq!(line("张店区").status, Some(Status::OnTrack));
    assert!(close(line("张店区").completion, Some(0.5)));
    assert_eq!(line("淄川区").status, Some(Status::Behind));
    assert_eq!(line("博山区").status, Some(Status::NoData));
    assert_eq!(line("博山区").target, Some(5.0));
    // Without split targets, a unit's figure is only part of the city's.
    let ev = r.evaluate(
        &many(&[("A", 20.0)]),
        d(JUNE_30),
        &ProgressSettings::default(),
    );
    assert_eq!(ev.units[0].status, None);
    assert_eq!(ev.units[0].target, None);
}

#[test]
fn expected_progress_counts_whole_days() {
    let t = Timeline {
        start: d("2023-01-01"),
        deadline: d("2023-12-31"),
    };
    assert!((t.elapsed(d(JUNE_30)) - E_JUNE).abs() < 1e-12);
    assert!((t.elapsed(d("2023-06-30")) - 0.496).abs() < 0.001);
    assert_eq!(t.elapsed(d("2022-12-01")), 0.0);
    assert_eq!(t.elapsed(d("2023-12-31")), 1.0);
    assert_eq!(t.elapsed(d("2025-01-01")), 1.0);
    let leap = Timeline {
        start: d("2024-01-01"),
        deadline: d("2024-12-31"),
    };
    assert!((leap.elapsed(d("2024-06-30")) - 182.0 / 366.0).abs() < 1e-12);
    // An early deadline (上半年) runs its own clock.
    let half = Timeline {
        start: d("2023-01-01"),
        deadline: d("2023-06-30"),
    };
    assert_eq!(half.elapsed(d("2023-06-30")), 1.0);
    assert!((half.elapsed(d("2023-03-31")) - 90.0 / 181.0).abs() < 1e-12);
}

#[test]
fn thresholds_and_year_start_are_settings() {
    let strict = ProgressSettings {
        on_track_pp: 1.0,
        lagging_pp: 5.0,
        ..ProgressSettings::default()
    };
    let r = rule(Kind::New, Comparator::Ge, 75.0);
    // 35 of 75 is 46.7%, 2.9 points under 49.6%.
    let ev = r.evaluate(&one(35.0), d(JUNE_30), &ProgressSettings::default());
    assert_eq!(ev.status, Status::OnTrack);
    let ev = r.evaluate(&one(35.0), d(JUNE_30), &strict);
    assert_eq!(ev.status, Status::Lagging);
    // A plan year that starts on 1 July: by 30 September half the span has gone.
    let july = ProgressSettings {
        year_start_month: 7,
        year_start_day: 1,
        ..ProgressSettings::default()
    };
    let t = Timeline {
        start: july.year_start(2023),
        deadline: d("2023-12-31"),
    };
    assert!((t.elapsed(d("2023-09-30")) - 92.0 / 184.0).abs() < 1e-12);
    assert!(july.validate().is_ok());
    assert!(
        ProgressSettings {
            lagging_pp: 2.0,
            ..ProgressSettings::default()
        }
        .validate()
        .is_err()
    );
    assert!(
        ProgressSettings {
            year_start_month: 2,
            year_start_day: 30,
            ..ProgressSettings::default()
        }
        .validate()
        .is_err()
    );
}

#[test]
fn due_soon_is_the_window_before_an_unfinished_deadline() {
    let r = rule(Kind::New, Comparator::Ge, 75.0);
    let s = ProgressSettings::default();
    assert!(r.evaluate(&one(60.0), d("2023-12-20"), &s).due_soon);
    assert!(
        r.evaluate(&one(60.0), d("2023-12-16"), &s).due_soon,
        "15 days before"
    );
    assert!(
        !r.evaluate(&one(60.0), d("2023-12-15"), &s).due_soon,
        "16 days before"
    );
    assert!(
        !r.evaluate(&one(80.0), d("2023-12-20"), &s).due_soon,
        "done"
    );
    assert!(
        !r.evaluate(&one(60.0), d("2024-01-02"), &s).due_soon,
        "overdue, not due soon"
    );
    assert!(
        r.evaluate(&[], d("2023-12-31"), &s).due_soon,
        "no data yet, due today"
    );
    let wide = ProgressSettings {
        due_soon_days: 30,
        ..s
    };
    assert!(r.evaluate(&one(60.0), d("2023-12-05"), &wide).due_soon);
}

#[test]
fn forecast_extends_the_year_to_date_trend() {
    let r = rule(Kind::New, Comparator::Ge, 75.0);
    // Exactly on the linear path at the end of March and June: reaches 75.
    let at =
        |m: u32, days: f64| Observation::as_of(Period::new(2023, m).unwrap(), 75.0 * days / 365.0);
    let units = vec![UnitInput::new("A", vec![at(3, 90.0), at(6, 181.0)])];
    let f = r.forecast(&units, d(JUNE_30)).unwrap();
    assert!((f.value - 75.0).abs() < 1e-9, "{f:?}");
    assert!((f.completion - 1.0).abs() < 1e-9);
    // Half the pace reaches half the target.
    let units = many(&[("A", 75.0 * 181.0 / 365.0 / 2.0)]);
    let f = r
        .evaluate(&units, d(JUNE_30), &ProgressSettings::default())
        .forecast
        .unwrap();
    assert!((f.completion - 0.5).abs() < 1e-9, "{f:?}");
    // A running total with no baseline needs two periods to show a trend.
    let c = rule(Kind::Cumulative, Comparator::Ge, 35_000.0);
    assert!(c.forecast(&one(31_000.0), d(JUNE_30)).is_none());
    let two = vec![UnitInput::new(
        "A",
        vec![
            Observation::as_of(p("2023-03"), 30_000.0),
            Observation::as_of(p("2023-06"), 31_000.0),
        ],
    )];
    let f = c.forecast(&two, d(JUNE_30)).unwrap();
    assert!(f.value > 31_000.0 && f.value < 35_000.0, "{f:?}");
    // A level that falls toward a lower-is-better target.
    let pue = with_baseline(rule(Kind::Level, Comparator::Le, 1.4), 1.6);
    let f = pue.forecast(&one(1.5), d(JUNE_30)).unwrap();
    assert!(f.value < 1.5 && f.completion > 0.9, "{f:?}");
}

#[test]
fn series_follows_the_periods() {
    let r = rule(Kind::New, Comparator::Ge, 75.0);
    let units = vec![
        UnitInput::new(
            "A",
            vec![
                Observation::as_of(p("2023-03"), 5.0),
                Observation::as_of(p("2023-06"), 20.0),
            ],
        ),
        UnitInput::new("B", vec![Observation::as_of(p("2023-06"), 10.0)]),
    ];
    let s = r.series(&units, d(JUNE_30));
    assert_eq!(s, vec![(p("2023-03"), 5.0), (p("2023-06"), 30.0)]);
}

// ---------------------------------------------------------------------
// Reporting units, the city figure, the period due, stale figures,
// forecasts and the pace needed (docs/indicator-rules.md). The cases are
// the ones the demo got wrong, with the figures the rules give.
// ---------------------------------------------------------------------

/// A unit's figures, each (period, value).
fn unit(name: &str, figures: &[(&str, f64)]) -> UnitInput {
    UnitInput::new(
        name,
        figures
            .iter()
            .map(|(pd, v)| Observation::as_of(p(pd), *v))
            .collect(),
    )
}

fn names(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

const DISTRICTS: [&str; 4] = ["张店区", "淄川区", "博山区", "临淄区"];

struct Reported {
    name: &'static str,
    rule: IndicatorRule,
    units: Vec<UnitInput>,
    as_of: &'static str,
    actual: Option<f64>,
    source: Option<CitySource>,
    status: Status,
    met: Option<(usize, usize)>,
    not_reported: &'static [&'static str],
    stale_units: &'static [&'static str],
}

#[test]
fn whose_figures_make_the_city_figure() {
    use Comparator::*;
    use Kind::*;
    const BUREAU: &str = "淄博市大数据局";
    let bureau = BUREAU;
    let mean = |mut r: IndicatorRule| {
        r.aggregation = Aggregation::Mean;
        r.reporting_units = names(&DISTRICTS).into();
        r.city_reporter = Some(bureau.into());
        r
    };
    let sum = |mut r: IndicatorRule| {
        r.aggregation = Aggregation::Sum;
        r.reporting_units = names(&DISTRICTS).into();
        r.city_reporter = Some(bureau.into());
        r
    };
    let single = |mut r: IndicatorRule| {
        r.aggregation = Aggregation::Single;
        r.reporting_units = names(&[bureau]).into();
        r.city_reporter = Some(bureau.into());
        r
    };
    let pilots = |mut r: IndicatorRule| {
        r = per_unit(r, 1.0);
        r.reporting_units = names(&["淄川区", "博山区", "临淄区"]).into();
        r
    };
    let mut pct = rule(Level, Ge, 40.0);
    pct.percent = true;
    let cases = vec![
        Reported {
            name: "coverage of the pilot districts: each judged, 1 of 3 meets 40% (not 临淄区's 43.2 as the city's)",
            rule: pilots(pct.clone()),
            units: vec![
                unit("淄川区", &[("2023-09", 38.0)]),
                unit("博山区", &[("2023-03", 22.5)]),
                unit("临淄区", &[("2023-12", 43.2)]),
            ],
            as_of: "2023-12-31",
            actual: Some(1.0 / 3.0),
            source: Some(CitySource::Units),
            status: Status::Behind,
            met: Some((1, 3)),
            not_reported: &["淄川区", "博山区"],
            stale_units: &["淄川区", "博山区"],
        },
        Reported {
            name: "average PUE: the mean of three districts reported in June, September and December",
            rule: mean(rule(Level, Le, 1.4)),
            units: vec![
                unit("张店区", &[("2023-06", 1.42)]),
                unit("淄川区", &[("2023-09", 1.36)]),
                unit("临淄区", &[("2023-12", 1.35)]),
                unit("博山区", &[]),
                unit(bureau, &[]),
            ],
            as_of: "2023-12-31",
            actual: Some((1.42 + 1.36 + 1.35) / 3.0),
            source: Some(CitySource::Units),
            status: Status::Done,
            met: None,
            not_reported: &["张店区", "淄川区", "博山区"],
            stale_units: &["张店区", "淄川区"],
        },
        Reported {
            name: "daily active users: the bureau's figure alone; a district's 42,000 is not the city's",
            rule: single(rule(Level, Gt, 470_000.0)),
            units: vec![unit(bureau, &[]), unit("淄川区", &[("2023-09", 42_000.0)])],
            as_of: "2023-12-31",
            actual: None,
            source: None,
            status: Status::NoData,
            met: None,
            not_reported: &[BUREAU],
            stale_units: &[],
        },
        Reported {
            name: "a single bureau figure is not replaced by a district's",
            rule: single(rule(Level, Gt, 470_000.0)),
            units: vec![
                unit(bureau, &[("2023-06", 450_000.0)]),
                unit("淄川区", &[("2023-09", 42_000.0)]),
            ],
            as_of: "2023-09-30",
            actual: Some(450_000.0),
            source: Some(CitySource::Reporter),
            status: Status::OnTrack,
            met: None,
            not_reported: &[BUREAU],
            stale_units: &[BUREAU],
        },
        Reported {
            name: "pilot county nodes: the bureau reports 4 for the city; the districts' 1s are parts",
            rule: sum(rule(New, Eq, 4.0)),
            units: vec![
                unit("张店区", &[("2023-06", 1.0)]),
                unit("临淄区", &[("2023-12", 1.0)]),
                unit("淄川区", &[]),
                unit("博山区", &[]),
                unit(bureau, &[("2023-06", 4.0)]),
            ],
            as_of: "2023-12-31",
            actual: Some(4.0),
            source: Some(CitySource::Reporter),
            status: Status::Done,
            met: None,
            not_reported: &["张店区", "淄川区", "博山区"],
            stale_units: &[BUREAU],
        },
        Reported {
            name: "new smart communities: the districts' latest figures add up when the bureau gives none",
            rule: sum(rule(New, Ge, 75.0)),
            units: vec![
                unit("张店区", &[("2023-06", 9.0)]),
                unit("淄川区", &[("2023-09", 12.0)]),
                unit("博山区", &[("2023-03", 2.0)]),
                unit("临淄区", &[("2023-12", 14.0)]),
                unit(bureau, &[]),
            ],
            as_of: "2023-12-31",
            actual: Some(37.0),
            source: Some(CitySource::Units),
            status: Status::Behind,
            met: None,
            not_reported: &["张店区", "淄川区", "博山区"],
            stale_units: &["张店区", "淄川区", "博山区"],
        },
        Reported {
            name: "a department's figure under a per-district indicator is shown, never counted",
            rule: per_unit(
                {
                    let mut r = rule(New, Ge, 3.0);
                    r.reporting_units = names(&DISTRICTS).into();
                    r
                },
                1.0,
            ),
            units: vec![
                unit("张店区", &[("2023-06", 3.0)]),
                unit("淄川区", &[("2023-06", 4.0)]),
                unit("博山区", &[("2023-06", 1.0)]),
                unit("临淄区", &[]),
                unit(bureau, &[("2023-06", 31.0)]),
            ],
            as_of: "2023-07-31",
            actual: Some(0.5),
            source: Some(CitySource::Units),
            status: Status::Lagging,
            met: Some((2, 4)),
            not_reported: &["临淄区"],
            stale_units: &[],
        },
        Reported {
            name: "figures after the as-of date are not counted",
            rule: sum(rule(New, Ge, 75.0)),
            units: vec![
                unit("张店区", &[("2023-06", 20.0), ("2023-12", 40.0)]),
                unit("淄川区", &[("2023-09", 10.0)]),
            ],
            as_of: "2023-06-30",
            actual: Some(20.0),
            source: Some(CitySource::Units),
            status: Status::Behind,
            met: None,
            not_reported: &["淄川区", "博山区", "临淄区"],
            stale_units: &[],
        },
    ];
    let s = ProgressSettings::default();
    for c in cases {
        let ev = c.rule.evaluate(&c.units, d(c.as_of), &s);
        assert!(
            close(ev.actual, c.actual),
            "{}: actual {:?}, want {:?}",
            c.name,
            ev.actual,
            c.actual
        );
        assert_eq!(ev.source, c.source, "{}", c.name);
        assert_eq!(ev.status, c.status, "{}", c.name);
        assert_eq!(ev.units_met.zip(ev.units_total), c.met, "{}", c.name);
        assert_eq!(ev.not_reported, names(c.not_reported), "{}", c.name);
        assert_eq!(ev.stale_units, names(c.stale_units), "{}", c.name);
    }
}

#[test]
fn other_units_are_shown_apart_and_levels_judge_each_unit() {
    let mut pue = rule(Kind::Level, Comparator::Le, 1.4);
    pue.reporting_units = names(&["张店区", "淄川区"]).into();
    let units = vec![
        unit("张店区", &[("2023-06", 1.42)]),
        unit("淄川区", &[("2023-06", 1.30)]),
        unit("市教育局", &[("2023-06", 1.9)]),
    ];
    let ev = pue.evaluate(&units, d(JUNE_30), &ProgressSettings::default());
    assert!(close(ev.actual, Some(1.36)), "the department is left out");
    let line = |u: &str| ev.units.iter().find(|l| l.unit == u).unwrap();
    // Each district's PUE against ≤1.4: 张店区 is not met, 淄川区 is.
    assert_ne!(line("张店区").status, Some(Status::Done));
    assert_eq!(line("张店区").target, Some(1.4));
    assert_eq!(line("淄川区").status, Some(Status::Done));
    assert!(!line("市教育局").counted && line("市教育局").status.is_none());
    assert!(line("张店区").counted);
}

#[test]
fn the_period_due_names_who_has_not_reported() {
    let mut r = per_unit(rule(Kind::New, Comparator::Ge, 10.0), 1.0);
    r.reporting_units = names(&DISTRICTS).into();
    let units = vec![
        unit("张店区", &[("2023-06", 6.0)]),
        unit("淄川区", &[("2023-05", 5.0)]),
        unit("博山区", &[("2023-03", 2.0)]),
        unit("临淄区", &[]),
    ];
    let monthly = ProgressSettings::default();
    let ev = r.evaluate(&units, d(JUNE_30), &monthly);
    assert_eq!(ev.period_due, Some(p("2023-05")));
    assert_eq!(ev.not_reported, names(&["博山区", "临淄区"]));
    assert_eq!(ev.stale_units, names(&["博山区"]));
    assert!(ev.units.iter().find(|u| u.unit == "博山区").unwrap().stale);
    // Quarterly, due on the 15th: as of 30 June the first quarter is due.
    let quarterly = ProgressSettings {
        cycle: Cycle::Quarterly,
        due_day: 15,
        ..monthly.clone()
    };
    let ev = r.evaluate(&units, d(JUNE_30), &quarterly);
    assert_eq!(ev.period_due, Some(p("2023-03")));
    assert_eq!(ev.not_reported, names(&["临淄区"]));
    // Before the plan year's first period is due, nothing is owed.
    let ev = r.evaluate(&units, d("2023-01-20"), &monthly);
    assert_eq!(ev.period_due, None);
    assert!(ev.not_reported.is_empty());
    // The ledger-wide list: a unit that reported the period due for any
    // indicator has reported.
    let catalogue: Vec<Unit> = DISTRICTS
        .iter()
        .enumerate()
        .map(|(i, n)| Unit {
            id: i as i64,
            name: n.to_string(),
            kind: UnitKind::District,
            aliases: vec![],
        })
        .collect();
    let ev = r.evaluate(&units, d(JUNE_30), &monthly);
    let inputs: Vec<(Indicator, Vec<UnitInput>)> = Vec::new();
    assert_eq!(
        units_not_reported(&catalogue, [&ev], &inputs, ev.period_due, d(JUNE_30)),
        names(&["博山区", "临淄区"])
    );
}

#[test]
fn forecasts_agree_with_the_data() {
    let s = ProgressSettings::default();
    let mut scenes = rule(Kind::New, Comparator::Ge, 50.0);
    scenes.aggregation = Aggregation::Sum;
    scenes.city_reporter = Some("淄博市大数据局".into());
    let bureau = vec![unit("淄博市大数据局", &[("2023-06", 31.0)])];
    // On the linear trend while the June figure is current…
    let ev = scenes.evaluate(&bureau, d(JUNE_30), &s);
    let f = ev.forecast.expect("a forecast in June");
    assert!((f.value - 31.0 * 365.0 / 181.0).abs() < 1e-6, "{f:?}");
    // …none once the figure is stale (due: November)…
    let ev = scenes.evaluate(&bureau, d("2023-12-20"), &s);
    assert!(ev.stale && ev.forecast.is_none(), "{ev:?}");
    // …and none on or after the deadline.
    let fresh = vec![unit("淄博市大数据局", &[("2023-12", 40.0)])];
    assert!(
        scenes
            .evaluate(&fresh, d("2023-12-31"), &s)
            .forecast
            .is_none()
    );
    assert!(
        scenes
            .evaluate(&fresh, d("2024-02-01"), &s)
            .forecast
            .is_none()
    );
    // A running total whose trend points down is never forecast below
    // what is already reported.
    let racks = rule(Kind::Cumulative, Comparator::Ge, 35_000.0);
    let units = vec![unit(
        "A",
        &[
            ("2023-03", 25_000.0),
            ("2023-06", 24_600.0),
            ("2023-09", 24_280.0),
        ],
    )];
    let ev = racks.evaluate(&units, d("2023-10-31"), &s);
    let f = ev.forecast.unwrap();
    assert!(close(Some(f.value), Some(24_280.0)), "{f:?}");
    // A level reported once has no trend.
    let mut rate = rule(Kind::Level, Comparator::Ge, 50.0);
    rate.percent = true;
    assert!(rate.evaluate(&one(46.5), d(JUNE_30), &s).forecast.is_none());
}

#[test]
fn the_pace_needed_to_catch_up() {
    let s = ProgressSettings::default();
    // docs/indicator-rules.md: 30 of 75 new smart communities at the end
    // of June; July–December remain: 7.5 a month.
    let r = rule(Kind::New, Comparator::Ge, 75.0);
    let ev = r.evaluate(&many(&[("张店区", 20.0), ("淄川区", 10.0)]), d(JUNE_30), &s);
    let pace = ev.pace_needed.unwrap();
    assert_eq!((pace.periods, pace.cycle), (6, Cycle::Monthly));
    assert!(close(Some(pace.per_period), Some(7.5)));
    // Quarterly: two quarters left, 22.5 a quarter.
    let q = ProgressSettings {
        cycle: Cycle::Quarterly,
        ..s.clone()
    };
    let pace = r
        .evaluate(&many(&[("张店区", 30.0)]), d(JUNE_30), &q)
        .pace_needed
        .unwrap();
    assert_eq!(pace.periods, 2);
    assert!(close(Some(pace.per_period), Some(22.5)));
    // Lower is better: PUE 1.46 to ≤1.4 in six months, 0.01 down a month.
    let pue = rule(Kind::Level, Comparator::Le, 1.4);
    let pace = pue
        .evaluate(&one(1.46), d(JUNE_30), &s)
        .pace_needed
        .unwrap();
    assert!(close(Some(pace.per_period), Some(0.01)));
    // A stale figure: the months already past the period due are gone.
    let old = vec![unit("A", &[("2023-03", 30.0)])];
    let pace = r.evaluate(&old, d(JUNE_30), &s).pace_needed.unwrap();
    assert_eq!(pace.periods, 7, "June–December after the May due");
    // Met, or nothing left: no pace.
    assert!(r.evaluate(&one(80.0), d(JUNE_30), &s).pace_needed.is_none());
    let dec = vec![unit("A", &[("2023-12", 60.0)])];
    assert!(r.evaluate(&dec, d("2023-12-31"), &s).pace_needed.is_none());
}

#[test]
fn per_district_series_is_the_share_meeting_the_target() {
    let mut r = per_unit(rule(Kind::New, Comparator::Ge, 3.0), 1.0);
    r.reporting_units = names(&DISTRICTS).into();
    let units = vec![
        unit("张店区", &[("2023-03", 1.0), ("2023-06", 3.0)]),
        unit("淄川区", &[("2023-06", 4.0)]),
        unit("博山区", &[("2023-09", 3.0)]),
        unit("市大数据局", &[("2023-12", 99.0)]),
    ];
    let s = r.series(&units, d("2023-12-31"));
    assert_eq!(
        s,
        vec![
            (p("2023-03"), 0.0),
            (p("2023-06"), 0.5),
            (p("2023-09"), 0.75)
        ],
        "the department's December figure adds no period"
    );
}

#[test]
fn the_pace_needed_beside_the_pace_of_the_last_three_months() {
    // docs/indicator-rules.md §8: 张店区 12 and 淄川区 6 new communities by
    // March, 20 and 10 by June; the city needs (75 − 30) ÷ 6 = 7.5 a month
    // and has done (30 − 18) ÷ 3 = 4 a month lately.
    let s = ProgressSettings::default();
    let r = rule(Kind::New, Comparator::Ge, 75.0);
    let city = vec![
        unit("张店区", &[("2023-03", 12.0), ("2023-06", 20.0)]),
        unit("淄川区", &[("2023-03", 6.0), ("2023-06", 10.0)]),
    ];
    let ev = r.evaluate(&city, d(JUNE_30), &s);
    assert!(close(ev.pace_needed.map(|p| p.per_period), Some(7.5)));
    let recent = ev
        .pace_recent
        .expect("a recent pace beside the pace needed");
    assert!(close(Some(recent.per_period), Some(4.0)));
    assert_eq!((recent.periods, recent.cycle), (3, Cycle::Monthly));
    // Each unit against its own target (任务分解): 张店区 40 needs
    // (40 − 20) ÷ 6 ≈ 3.33 a month, lately (20 − 12) ÷ 3 ≈ 2.67.
    let split = vec![
        UnitInput {
            target: Some(40.0),
            ..city[0].clone()
        },
        UnitInput {
            target: Some(35.0),
            ..city[1].clone()
        },
    ];
    let ev = r.evaluate(&split, d(JUNE_30), &s);
    let zd = ev.units.iter().find(|u| u.unit == "张店区").unwrap();
    assert!(close(
        zd.pace_needed.map(|p| p.per_period),
        Some(20.0 / 6.0)
    ));
    assert!(close(zd.pace_recent.map(|p| p.per_period), Some(8.0 / 3.0)));
    // A line younger than three months runs from the year's start (0).
    let young = vec![unit("张店区", &[("2023-02", 4.0)])];
    let ev = r.evaluate(&young, d("2023-02-28"), &s);
    assert!(close(ev.pace_recent.map(|p| p.per_period), Some(2.0)));
    // Lower is better: PUE 1.50 in March, 1.46 in June: 0.0133 down a month.
    let pue = rule(Kind::Level, Comparator::Le, 1.4);
    let ev = pue.evaluate(
        &[unit("A", &[("2023-03", 1.50), ("2023-06", 1.46)])],
        d(JUNE_30),
        &s,
    );
    assert!(close(
        ev.pace_recent.map(|p| p.per_period),
        Some(0.04 / 3.0)
    ));
    // Met: neither.
    let done = r.evaluate(
        &[unit("A", &[("2023-03", 50.0), ("2023-06", 80.0)])],
        d(JUNE_30),
        &s,
    );
    assert!(done.pace_needed.is_none() && done.pace_recent.is_none());
}
