//! How long the progress rules take to judge a city-scale plan: 600
//! indicators, 120 units, 12 monthly figures each (the size of the
//! generator's largest set): the work behind one refresh of the overview.
//!
//! Run: `cargo bench --bench status`

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use taizhang::domain::*;

fn rule(i: usize) -> IndicatorRule {
    let kind = Kind::ALL[i % Kind::ALL.len()];
    let lower = i.is_multiple_of(7);
    IndicatorRule {
        goal: Goal {
            comparator: if lower {
                Comparator::Le
            } else {
                Comparator::Ge
            },
            target: 100.0 + i as f64,
            target_max: None,
            better: if lower { Better::Lower } else { Better::Higher },
            baseline: i.is_multiple_of(3).then_some(10.0),
        },
        kind,
        scope: if i.is_multiple_of(5) {
            Scope::PerUnit
        } else {
            Scope::City
        },
        aggregation: if kind == Kind::Level {
            Aggregation::Mean
        } else {
            Aggregation::Sum
        },
        timeline: Timeline {
            start: Date::new(2023, 1, 1).unwrap(),
            deadline: Date::end_of_year(2023),
        },
        required_share: 1.0,
        reporting_units: Vec::new().into(),
        city_reporter: None,
        percent: false,
    }
}

fn units(i: usize, n_units: usize) -> Vec<UnitInput> {
    (0..n_units)
        .map(|u| {
            let obs = (1..=12)
                .map(|m| {
                    Observation::as_of(
                        Period::new(2023, m).unwrap(),
                        ((i + u) % 17) as f64 * m as f64,
                    )
                })
                .collect();
            UnitInput::new(&format!("单位{u}"), obs)
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let as_of = Date::new(2023, 9, 30).unwrap();
    let settings = ProgressSettings::default();
    let plan: Vec<(IndicatorRule, Vec<UnitInput>)> =
        (0..600).map(|i| (rule(i), units(i, 120))).collect();
    c.bench_function("evaluate 600 indicators x 120 units x 12 months", |b| {
        b.iter(|| {
            let mut done = 0;
            for (r, u) in &plan {
                if black_box(r.evaluate(u, as_of, &settings)).status == Status::Done {
                    done += 1;
                }
            }
            done
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
