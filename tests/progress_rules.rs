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
        reporting_units: Vec::new(),
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
    r.reporting_units = vec!["B".into()];
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
