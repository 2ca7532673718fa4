//! The unit ranking (晾晒): units that reported, ordered by the mean
//! completion of their judged indicators, with the change since a month
//! earlier; the units that reported nothing are listed apart, never ranked.
//! Shown in the window and written to the meeting workbook.

use crate::domain::Status;
use crate::domain::words::Language;
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
    /// Mean completion of the unit's judged indicators (a target of its own,
    /// per district, or a level against the city's target), each capped at
    /// 1; `None` when none of its figures is judged.
    pub score: Option<f64>,
    pub rank: usize,
    /// The rank a month earlier, for the change arrow.
    pub previous_rank: Option<usize>,
    /// Indicators the unit reported a figure for.
    pub reported: usize,
    /// The unit's indicators: name, actual, own target, completion, status.
    pub lines: Vec<UnitLine>,
}

/// The ranking at a date: the units with figures, ranked, and the units
/// some indicator counts on that have none (未报送), in catalogue order.
#[derive(Clone, Debug, Default)]
pub struct Ranking {
    pub ranked: Vec<UnitRank>,
    pub not_reported: Vec<String>,
}

impl Ranking {
    /// A unit's line, ranked or not.
    pub fn unit(&self, name: &str) -> Option<&UnitRank> {
        self.ranked.iter().find(|r| r.unit == name)
    }
}

/// Ranks the units that reported by the mean completion of their judged
/// indicators (ties: more indicators reported first, then by name; units
/// whose figures are not judged come after, by name).
pub fn rank(status: &StatusReport, previous: Option<&StatusReport>) -> Ranking {
    fn scores(status: &StatusReport) -> Ranking {
        let mut order: Vec<String> = Vec::new();
        let mut by_unit: HashMap<String, UnitRank> = HashMap::new();
        for ind in &status.indicators {
            for u in &ind.evaluation.units {
                let entry = by_unit.entry(u.unit.clone()).or_insert_with(|| {
                    order.push(u.unit.clone());
                    UnitRank {
                        unit: u.unit.clone(),
                        score: None,
                        rank: 0,
                        previous_rank: None,
                        reported: 0,
                        lines: Vec::new(),
                    }
                });
                if u.actual.is_some() {
                    entry.reported += 1;
                }
                if u.actual.is_some() || u.target.is_some() {
                    entry.lines.push((
                        ind.label.clone(),
                        u.actual,
                        u.target,
                        u.completion,
                        u.status,
                    ));
                }
            }
        }
        let mut ranked = Vec::new();
        let mut not_reported = Vec::new();
        for name in order {
            let mut r = by_unit.remove(&name).expect("each unit once");
            if r.reported == 0 {
                not_reported.push(r.unit);
                continue;
            }
            let judged: Vec<f64> = r
                .lines
                .iter()
                .filter(|l| l.1.is_some())
                .filter_map(|l| l.3)
                .map(|c| c.min(1.0))
                .collect();
            r.score =
                (!judged.is_empty()).then(|| judged.iter().sum::<f64>() / judged.len() as f64);
            ranked.push(r);
        }
        ranked.sort_by(|a, b| {
            b.score
                .unwrap_or(-1.0)
                .total_cmp(&a.score.unwrap_or(-1.0))
                .then(b.reported.cmp(&a.reported))
                .then(a.unit.cmp(&b.unit))
        });
        for (i, r) in ranked.iter_mut().enumerate() {
            r.rank = i + 1;
        }
        Ranking {
            ranked,
            not_reported,
        }
    }
    let mut now = scores(status);
    if let Some(prev) = previous {
        let before: HashMap<String, usize> = scores(prev)
            .ranked
            .into_iter()
            .map(|r| (r.unit, r.rank))
            .collect();
        for r in &mut now.ranked {
            r.previous_rank = before.get(&r.unit).copied();
        }
    }
    now
}

/// A rank change as people read it: ↑2, ↓1, — (unchanged), 新 (new: first
/// ranked).
pub fn change(rank: usize, previous: Option<usize>, lang: Language) -> String {
    match previous {
        None => lang.t("export.rank-new").into(),
        Some(p) if p > rank => format!("↑{}", p - rank),
        Some(p) if p < rank => format!("↓{}", rank - p),
        Some(_) => "—".into(),
    }
}

/// What a meeting freezes: each indicator's figure and colour from `status`,
/// each ranked unit's place.
pub fn snapshot(status: &StatusReport, ranking: &Ranking) -> crate::domain::meeting::Snapshot {
    use crate::domain::meeting::{FrozenIndicator, FrozenUnit, Snapshot};
    Snapshot {
        id: None,
        as_of: status.as_of,
        indicators: status
            .indicators
            .iter()
            .map(|i| FrozenIndicator {
                code: i.code.clone(),
                name: i.label.clone(),
                actual: i.evaluation.actual,
                status: i.evaluation.status,
            })
            .collect(),
        units: ranking
            .ranked
            .iter()
            .map(|u| FrozenUnit {
                unit: u.unit.clone(),
                rank: u.rank,
                score: u.score,
            })
            .collect(),
    }
}

/// The state of a plan now, as a meeting would freeze it.
pub fn snapshot_at(
    store: &crate::store::Store,
    plan_id: i64,
    as_of: crate::domain::Date,
) -> crate::store::Result<crate::domain::meeting::Snapshot> {
    let status = store.status(plan_id, as_of)?;
    Ok(snapshot(&status, &rank(&status, None)))
}

/// What changed since the plan's last meeting judged before `as_of` (the
/// state at `as_of` against it); `None` when there is no such meeting.
pub fn since_last_meeting(
    store: &crate::store::Store,
    plan_id: i64,
    as_of: crate::domain::Date,
) -> crate::store::Result<Option<crate::domain::meeting::MeetingDiff>> {
    let meetings = store.meetings(plan_id)?;
    let mut before = meetings.iter().filter(|m| m.as_of < as_of);
    let Some(last) = before.next() else {
        return Ok(None);
    };
    let earlier = before
        .map(|m| store.meeting_snapshot(m.id))
        .collect::<crate::store::Result<Vec<_>>>()?;
    Ok(Some(crate::domain::meeting::diff(
        &store.meeting_snapshot(last.id)?,
        &snapshot_at(store, plan_id, as_of)?,
        &earlier,
    )))
}
