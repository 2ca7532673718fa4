//! Review meetings: the snapshot each one froze, saved and read back.

use super::db::{OptionalExtension, params};
use super::reports::now;
use super::{Context, Result, Store, StoreError};
use crate::domain::Date;
use crate::domain::meeting::{FrozenIndicator, FrozenUnit, Snapshot};
use serde::Serialize;

/// A meeting as listed.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MeetingInfo {
    pub id: i64,
    pub plan_id: i64,
    pub as_of: Date,
    pub started_at: String,
    pub started_by: String,
}

impl Store {
    /// Saves what a meeting froze, in one transaction; its number.
    pub fn save_meeting(&mut self, plan_id: i64, snap: &Snapshot) -> Result<MeetingInfo> {
        self.plan(plan_id)?;
        let (actor, at) = (self.actor.clone(), now(&self.conn)?);
        self.writable()?;
        let tx = self.conn.transaction().context("starting the meeting")?;
        tx.execute(
            "INSERT INTO meetings (plan_id, as_of, started_at, started_by) VALUES (?1, ?2, ?3, ?4)",
            params![plan_id, snap.as_of.to_string(), at, actor],
        )
        .context("recording the meeting")?;
        let id = tx.last_insert_rowid();
        {
            let mut st = tx
                .prepare("INSERT INTO meeting_indicators (meeting_id, code, name, actual, status) VALUES (?1, ?2, ?3, ?4, ?5)")
                .context("recording the meeting's figures")?;
            for i in &snap.indicators {
                st.execute(params![id, i.code, i.name, i.actual, i.status.as_str()])
                    .context("recording the meeting's figures")?;
            }
            let mut st = tx
                .prepare("INSERT INTO meeting_units (meeting_id, unit, rank, score) VALUES (?1, ?2, ?3, ?4)")
                .context("recording the meeting's ranking")?;
            for u in &snap.units {
                st.execute(params![id, u.unit, u.rank as i64, u.score])
                    .context("recording the meeting's ranking")?;
            }
        }
        tx.commit().context("recording the meeting")?;
        self.meeting(id)
    }

    /// One meeting.
    pub fn meeting(&self, id: i64) -> Result<MeetingInfo> {
        self.conn
            .query_row(
                "SELECT id, plan_id, as_of, started_at, started_by FROM meetings WHERE id = ?1",
                [id],
                info,
            )
            .optional()
            .context("reading the meeting")?
            .ok_or_else(|| StoreError::NotFound(format!("meeting {id}")))
    }

    /// A plan's meetings, newest first.
    pub fn meetings(&self, plan_id: i64) -> Result<Vec<MeetingInfo>> {
        let mut st = self
            .conn
            .prepare(
                "SELECT id, plan_id, as_of, started_at, started_by FROM meetings WHERE plan_id = ?1 ORDER BY id DESC",
            )
            .context("reading the meetings")?;
        st.query_map([plan_id], info)
            .context("reading the meetings")?
            .collect::<super::db::Result<_>>()
            .context("reading the meetings")
    }

    /// What a meeting froze.
    pub fn meeting_snapshot(&self, id: i64) -> Result<Snapshot> {
        let m = self.meeting(id)?;
        let mut st = self
            .conn
            .prepare("SELECT code, name, actual, status FROM meeting_indicators WHERE meeting_id = ?1
                 ORDER BY COALESCE((SELECT i.position FROM indicators i WHERE i.code = meeting_indicators.code), 1000000000), code")
            .context("reading the meeting's figures")?;
        let indicators = st
            .query_map([id], |r| {
                let status: String = r.get(3)?;
                Ok(FrozenIndicator {
                    code: r.get(0)?,
                    name: r.get(1)?,
                    actual: r.get(2)?,
                    status: status
                        .parse()
                        .map_err(|e: String| super::db::bad_column(3, e))?,
                })
            })
            .context("reading the meeting's figures")?
            .collect::<super::db::Result<_>>()
            .context("reading the meeting's figures")?;
        let mut st = self
            .conn
            .prepare("SELECT unit, rank, score FROM meeting_units WHERE meeting_id = ?1 ORDER BY rank, unit")
            .context("reading the meeting's ranking")?;
        let units = st
            .query_map([id], |r| {
                Ok(FrozenUnit {
                    unit: r.get(0)?,
                    rank: r.get::<_, i64>(1)? as usize,
                    score: r.get(2)?,
                })
            })
            .context("reading the meeting's ranking")?
            .collect::<super::db::Result<_>>()
            .context("reading the meeting's ranking")?;
        Ok(Snapshot {
            id: Some(id),
            as_of: m.as_of,
            indicators,
            units,
        })
    }
}

fn info(r: &super::db::Row) -> super::db::Result<MeetingInfo> {
    let as_of: String = r.get(2)?;
    Ok(MeetingInfo {
        id: r.get(0)?,
        plan_id: r.get(1)?,
        as_of: as_of
            .parse()
            .map_err(|e: crate::domain::DateError| super::db::bad_column(2, e.0))?,
        started_at: r.get(3)?,
        started_by: r.get(4)?,
    })
}
