//! The unit ranking (晾晒): units ordered by the mean completion of their
//! indicators, with the change since a month earlier. Shown in the window
//! and written to the meeting workbook.

use crate::domain::Status;
use crate::store::StatusReport;
use std::collections::HashMap;

/// One of a unit's indicators: name, actual, the unit's own target,
/// completion, status.
pub type UnitLine = (
    String,
    Option<f64>,
    Option<f64>,
    Option<f64>,
    Option<Status>,
);

/// A unit's line in the ranking (晾晒).
#[derive(Clone, Debug)]
pub struct UnitRank {
    pub unit: String,
    /// Mean completion of the unit's indicators that have a target of their
    /// own or a figure (0..=1 capped), `None` with nothing to judge.
    pub score: Option<f64>,
    pub rank: usize,
    /// The rank a month earlier, for the change arrow.
    pub previous_rank: Option<usize>,
    /// Indicators the unit reported a figure for.
    pub reported: usize,
    /// The unit's indicators: name, actual, own target, completion, status.
    pub lines: Vec<UnitLine>,
}

/// Ranks units by the mean completion of their indicators (with a target of
/// their own, or a figure compared with the city target when none was
/// split); ties and units with nothing to judge go last, by name.
pub fn rank(status: &StatusReport, previous: Option<&StatusReport>) -> Vec<UnitRank> {
    fn scores(status: &StatusReport) -> Vec<UnitRank> {
        let mut by_unit: HashMap<String, UnitRank> = HashMap::new();
        for ind in &status.indicators {
            for u in &ind.evaluation.units {
                let entry = by_unit.entry(u.unit.clone()).or_insert_with(|| UnitRank {
                    unit: u.unit.clone(),
                    score: None,
                    rank: 0,
                    previous_rank: None,
                    reported: 0,
                    lines: Vec::new(),
                });
                if u.actual.is_some() {
                    entry.reported += 1;
                }
                entry
                    .lines
                    .push((ind.name.clone(), u.actual, u.target, u.completion, u.status));
            }
        }
        let mut out: Vec<UnitRank> = by_unit
            .into_values()
            .map(|mut r| {
                let done: Vec<f64> = r
                    .lines
                    .iter()
                    .filter_map(|l| l.3)
                    .map(|c| c.min(1.0))
                    .collect();
                r.score = (!done.is_empty()).then(|| done.iter().sum::<f64>() / done.len() as f64);
                r
            })
            .collect();
        out.sort_by(|a, b| {
            b.score
                .unwrap_or(-1.0)
                .total_cmp(&a.score.unwrap_or(-1.0))
                .then(b.reported.cmp(&a.reported))
                .then(a.unit.cmp(&b.unit))
        });
        for (i, r) in out.iter_mut().enumerate() {
            r.rank = i + 1;
        }
        out
    }
    let mut now = scores(status);
    if let Some(prev) = previous {
        let before: HashMap<String, usize> = scores(prev)
            .into_iter()
            .filter(|r| r.reported > 0)
            .map(|r| (r.unit, r.rank))
            .collect();
        for r in &mut now {
            r.previous_rank = before.get(&r.unit).copied();
        }
    }
    now
}

/// A rank change as people read it: ↑2, ↓1, — (unchanged), 新 (first rank).
pub fn change(rank: usize, previous: Option<usize>) -> String {
    match previous {
        None => "新".into(),
        Some(p) if p > rank => format!("↑{}", p - rank),
        Some(p) if p < rank => format!("↓{}", rank - p),
        Some(_) => "—".into(),
    }
}
