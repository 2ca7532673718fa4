//! Review meetings: what a meeting froze (each indicator's figure and
//! colour, each unit's rank) and what changed between two meetings — the
//! page a meeting opens on, 自上次会议以来.

use super::date::Date;
use super::model::Status;
use serde::Serialize;

/// One indicator as a meeting saw it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FrozenIndicator {
    pub code: String,
    pub name: String,
    pub actual: Option<f64>,
    pub status: Status,
}

/// One unit's place in the ranking as a meeting saw it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FrozenUnit {
    pub unit: String,
    pub rank: usize,
    pub score: Option<f64>,
}

/// What a meeting froze.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Snapshot {
    /// The meeting's number in the ledger; `None` for the state now, not
    /// saved.
    pub id: Option<i64>,
    /// The date the figures were judged at.
    pub as_of: Date,
    pub indicators: Vec<FrozenIndicator>,
    pub units: Vec<FrozenUnit>,
}

/// An indicator whose colour changed.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ColourChange {
    pub code: String,
    pub name: String,
    pub from: Status,
    pub to: Status,
    /// Better (toward done), worse, or neither (to or from no data).
    pub way: Way,
}

/// Which way a change went.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Way {
    Better,
    Worse,
    Neither,
}

/// A unit that moved in the ranking.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RankMove {
    pub unit: String,
    /// `None`: not ranked at the earlier meeting.
    pub from: Option<usize>,
    pub to: usize,
}

/// An indicator whose figure changed (or arrived).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NewFigure {
    pub code: String,
    pub name: String,
    pub from: Option<f64>,
    pub to: f64,
}

/// An indicator red at this meeting and the ones before it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StillRed {
    pub code: String,
    pub name: String,
    pub status: Status,
    /// Meetings in a row it has been red, this one included (2 or more).
    pub meetings: usize,
}

/// What changed from one meeting to the next.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MeetingDiff {
    pub since: Option<i64>,
    pub since_as_of: Date,
    pub to: Option<i64>,
    pub to_as_of: Date,
    pub colour_changes: Vec<ColourChange>,
    pub rank_moves: Vec<RankMove>,
    pub new_figures: Vec<NewFigure>,
    /// 连续滞后: red now and at the meetings before, longest first.
    pub still_red: Vec<StillRed>,
}

impl MeetingDiff {
    /// Nothing changed and nothing stays red.
    pub fn is_empty(&self) -> bool {
        self.colour_changes.is_empty()
            && self.rank_moves.is_empty()
            && self.new_figures.is_empty()
            && self.still_red.is_empty()
    }
}

/// Red: behind the expected progress by more than the threshold, or past
/// its deadline unmet.
pub fn is_red(s: Status) -> bool {
    matches!(s, Status::Behind | Status::Overdue)
}

/// How far from done a colour is; `None` for no data.
fn severity(s: Status) -> Option<u8> {
    match s {
        Status::Done => Some(0),
        Status::OnTrack => Some(1),
        Status::Lagging => Some(2),
        Status::Behind => Some(3),
        Status::Overdue => Some(4),
        Status::NoData => None,
    }
}

/// What changed from `since` to `to`. `earlier` are the meetings before
/// `since`, newest first (for 连续滞后). Indicators are matched by code;
/// one present at only one of the two meetings is left out.
///
/// ```
/// use taizhang::domain::meeting::*;
/// use taizhang::domain::Status;
/// let at = |m: u32| format!("2023-{m:02}-28").parse().unwrap();
/// let snap = |id, m, status, actual: Option<f64>| Snapshot {
///     id: Some(id),
///     as_of: at(m),
///     indicators: vec![FrozenIndicator { code: "A1".into(), name: "新建智慧社区数".into(), actual, status }],
///     units: vec![],
/// };
/// let d = diff(&snap(1, 5, Status::Behind, Some(10.0)), &snap(2, 6, Status::OnTrack, Some(30.0)), &[]);
/// assert_eq!(d.colour_changes[0].way, Way::Better);
/// assert_eq!(d.new_figures[0].to, 30.0);
/// assert!(d.still_red.is_empty());
/// ```
pub fn diff(since: &Snapshot, to: &Snapshot, earlier: &[Snapshot]) -> MeetingDiff {
    let mut colour_changes = Vec::new();
    let mut new_figures = Vec::new();
    let mut still_red = Vec::new();
    for now in &to.indicators {
        let Some(before) = since.indicators.iter().find(|i| i.code == now.code) else {
            continue;
        };
        if before.status != now.status {
            let way = match (severity(before.status), severity(now.status)) {
                (Some(a), Some(b)) if b < a => Way::Better,
                (Some(a), Some(b)) if b > a => Way::Worse,
                _ => Way::Neither,
            };
            colour_changes.push(ColourChange {
                code: now.code.clone(),
                name: now.name.clone(),
                from: before.status,
                to: now.status,
                way,
            });
        }
        if let Some(v) = now.actual
            && before
                .actual
                .is_none_or(|b| (b - v).abs() > 1e-9 * v.abs().max(1.0))
        {
            new_figures.push(NewFigure {
                code: now.code.clone(),
                name: now.name.clone(),
                from: before.actual,
                to: v,
            });
        }
        if is_red(now.status) && is_red(before.status) {
            let further = earlier
                .iter()
                .take_while(|m| {
                    m.indicators
                        .iter()
                        .any(|i| i.code == now.code && is_red(i.status))
                })
                .count();
            still_red.push(StillRed {
                code: now.code.clone(),
                name: now.name.clone(),
                status: now.status,
                meetings: 2 + further,
            });
        }
    }
    still_red.sort_by_key(|r| std::cmp::Reverse(r.meetings));
    let rank_moves = to
        .units
        .iter()
        .filter_map(|u| {
            let from = since
                .units
                .iter()
                .find(|b| b.unit == u.unit)
                .map(|b| b.rank);
            (from != Some(u.rank)).then(|| RankMove {
                unit: u.unit.clone(),
                from,
                to: u.rank,
            })
        })
        .collect();
    MeetingDiff {
        since: since.id,
        since_as_of: since.as_of,
        to: to.id,
        to_as_of: to.as_of,
        colour_changes,
        rank_moves,
        new_figures,
        still_red,
    }
}

/// One row of a return sent back, and what is wrong with it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReturnLine {
    /// The sheet row, as the unit's spreadsheet shows it.
    pub row: usize,
    /// What the row calls its indicator.
    pub name: String,
    /// Each thing to fix, in words.
    pub problems: Vec<String>,
}
