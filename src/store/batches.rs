//! Import batches: one file's figures committed in one transaction with the
//! file's bytes and sha256, listed, and undone. Also the indicator aliases
//! users confirm when they re-match a row, and the figures already reported
//! (for the importer's jump check).

use super::reports::{Current, Origin, Words, check_unlocked, write_report};
use super::{Context, Result, Store, StoreError};
use crate::domain::{BatchRow, Period, Unit};
use rusqlite::{OptionalExtension, params};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// One file to commit.
#[derive(Clone, Debug)]
pub struct NewBatch<'a> {
    pub file_name: &'a str,
    pub bytes: &'a [u8],
    pub plan_id: i64,
    /// The unit as understood (a department's section keeps its full name).
    pub unit: &'a str,
    pub period: Period,
    pub sheet: Option<&'a str>,
    pub rows: &'a [BatchRow],
    /// Commit even if the same bytes were imported before.
    pub force: bool,
}

/// A batch as listed.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BatchInfo {
    pub id: i64,
    pub file_name: String,
    pub sha256: String,
    pub size: i64,
    pub unit: Option<String>,
    pub period: Option<String>,
    pub imported_at: String,
    pub imported_by: String,
    pub state: String,
    pub rows: i64,
}

/// The hex sha256 of bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

const BATCH_SELECT: &str = "SELECT b.id, b.file_name, b.sha256, b.size, b.unit_name, b.period, b.imported_at, b.imported_by, b.state,
    (SELECT COUNT(*) FROM reports r WHERE r.batch_id = b.id) FROM batches b";

fn batch_from_row(r: &rusqlite::Row) -> rusqlite::Result<BatchInfo> {
    Ok(BatchInfo {
        id: r.get(0)?,
        file_name: r.get(1)?,
        sha256: r.get(2)?,
        size: r.get(3)?,
        unit: r.get(4)?,
        period: r.get(5)?,
        imported_at: r.get(6)?,
        imported_by: r.get(7)?,
        state: r.get(8)?,
        rows: r.get(9)?,
    })
}

impl Store {
    /// The catalogue unit figures of `name` are kept under: the unit itself,
    /// or for a department's section (淄博市大数据局数据资源管理科) the
    /// department whose name it starts with.
    pub fn reporting_unit(&self, name: &str) -> Result<Unit> {
        if let Some(u) = self.find_unit(name)? {
            return Ok(u);
        }
        let units = self.units()?;
        units
            .into_iter()
            .filter(|u| name.starts_with(&u.name) || u.aliases.iter().any(|a| name.starts_with(a.as_str())))
            .max_by_key(|u| u.name.len())
            .ok_or_else(|| {
                StoreError::NotFound(format!(
                    "unit '{name}' is not in the units catalogue (add it with `taizhang units import FILE.json`, or give --unit)"
                ))
            })
    }

    /// A committed batch with these bytes, if any.
    pub fn batch_with_sha(&self, sha: &str) -> Result<Option<BatchInfo>> {
        self.conn
            .query_row(&format!("{BATCH_SELECT} WHERE b.sha256 = ?1 AND b.state = 'committed' ORDER BY b.id DESC LIMIT 1"), [sha], batch_from_row)
            .optional()
            .context("looking for an earlier import")
    }

    /// Commits one file: the batch with its bytes and every row's figure, in
    /// one transaction. The same bytes a second time are refused unless
    /// forced; a locked period refuses the whole file.
    pub fn commit_batch(&mut self, b: &NewBatch) -> Result<BatchInfo> {
        let sha = sha256_hex(b.bytes);
        if !b.force
            && let Some(earlier) = self.batch_with_sha(&sha)?
        {
            return Err(StoreError::Invalid(format!(
                "{}: the same file was already imported as batch {} ({}, {}); undo it first or use --force",
                b.file_name, earlier.id, earlier.file_name, earlier.imported_at
            )));
        }
        let unit = self.reporting_unit(b.unit)?;
        let indicators: HashMap<i64, crate::domain::Indicator> = self
            .indicators(b.plan_id)?
            .into_iter()
            .map(|i| (i.id, i))
            .collect();
        let actor = self.actor.clone();
        let tx = self.conn.transaction().context("starting the import")?;
        tx.execute(
            "INSERT INTO batches (file_name, content, sha256, size, plan_id, unit_id, unit_name, period, sheet, imported_by, state)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 'committed')",
            params![b.file_name, b.bytes, sha, b.bytes.len() as i64, b.plan_id, unit.id, b.unit, b.period.to_string(), b.sheet, actor],
        )
        .context("recording the batch")?;
        let batch_id = tx.last_insert_rowid();
        // One lock check and one look-up of the figures this file supersedes.
        check_unlocked(&tx, &b.period.to_string())?;
        let mut current: HashMap<i64, Current> = {
            let mut st = tx
                .prepare(
                    "SELECT indicator_id, id, value, progress, problems, next_steps FROM reports
                     WHERE unit_id = ?1 AND period = ?2 AND active = 1",
                )
                .context("reading the current figures")?;
            st.query_map(params![unit.id, b.period.to_string()], |r| {
                Ok((
                    r.get(0)?,
                    (r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?),
                ))
            })
            .context("reading the current figures")?
            .collect::<rusqlite::Result<_>>()
            .context("reading the current figures")?
        };
        for row in b.rows {
            let ind = indicators.get(&row.indicator_id).ok_or_else(|| {
                StoreError::Invalid(format!(
                    "indicator {} is not in plan {}",
                    row.indicator_id, b.plan_id
                ))
            })?;
            super::reports::check_value(ind, row.value).map_err(StoreError::Invalid)?;
            write_report(
                &tx,
                ind,
                unit.id,
                &unit.name,
                b.period,
                row.value,
                crate::domain::ValueBasis::AsOfPeriodEnd,
                (None, None),
                Words {
                    progress: Some(&row.progress),
                    problems: Some(&row.problems),
                    next_steps: Some(&row.next_steps),
                },
                Origin {
                    action: "import",
                    batch_id: Some(batch_id),
                    sheet: b.sheet,
                    row: Some(row.row),
                    actor: &actor,
                    previous: Some(current.remove(&row.indicator_id)),
                },
            )?;
        }
        tx.commit().context("committing the import")?;
        self.batch(batch_id)
    }

    /// One batch.
    pub fn batch(&self, id: i64) -> Result<BatchInfo> {
        self.conn
            .query_row(
                &format!("{BATCH_SELECT} WHERE b.id = ?1"),
                [id],
                batch_from_row,
            )
            .optional()
            .context("reading a batch")?
            .ok_or_else(|| {
                StoreError::NotFound(format!(
                    "batch {id} does not exist (see `taizhang returns batches`)"
                ))
            })
    }

    /// Every batch, newest first.
    pub fn batches(&self) -> Result<Vec<BatchInfo>> {
        let mut st = self
            .conn
            .prepare(&format!("{BATCH_SELECT} ORDER BY b.id DESC"))
            .context("listing batches")?;
        let rows = st
            .query_map([], batch_from_row)
            .context("listing batches")?;
        rows.collect::<rusqlite::Result<_>>()
            .context("listing batches")
    }

    /// The original file of a batch: its name and bytes.
    pub fn batch_file(&self, id: i64) -> Result<(String, Vec<u8>)> {
        self.conn
            .query_row(
                "SELECT file_name, content FROM batches WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .context("reading a batch's file")?
            .ok_or_else(|| StoreError::NotFound(format!("batch {id} does not exist")))
    }

    /// Undoes a batch: its figures stop counting, and for each the figure it
    /// had replaced (from an earlier batch or a hand entry) counts again.
    /// Every change goes to the audit log.
    pub fn undo_batch(&mut self, id: i64) -> Result<BatchInfo> {
        let info = self.batch(id)?;
        if info.state != "committed" {
            return Err(StoreError::Invalid(format!(
                "batch {id} was already undone"
            )));
        }
        let actor = self.actor.clone();
        let tx = self.conn.transaction().context("starting the undo")?;
        let current: Vec<(i64, i64, i64, String, Option<f64>)> = {
            let mut st = tx
                .prepare("SELECT id, indicator_id, unit_id, period, value FROM reports WHERE batch_id = ?1 AND active = 1")
                .context("reading the batch's figures")?;
            st.query_map([id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })
            .context("reading the batch's figures")?
            .collect::<rusqlite::Result<_>>()
            .context("reading the batch's figures")?
        };
        for (rid, ind, unit, period, value) in current {
            let locked: bool = tx
                .query_row(
                    "SELECT EXISTS (SELECT 1 FROM locked_periods WHERE period = ?1)",
                    [&period],
                    |r| r.get(0),
                )
                .context("checking period locks")?;
            if locked {
                return Err(StoreError::Locked(format!(
                    "period {period} is locked; batch {id} cannot be undone until it is unlocked"
                )));
            }
            tx.execute("UPDATE reports SET active = 0 WHERE id = ?1", [rid])
                .context("withdrawing a figure")?;
            let restored: Option<(i64, Option<f64>)> = tx
                .query_row(
                    "SELECT r.id, r.value FROM reports r LEFT JOIN batches b ON b.id = r.batch_id
                     WHERE r.indicator_id = ?1 AND r.unit_id = ?2 AND r.period = ?3 AND r.id <> ?4
                       AND (r.batch_id IS NULL OR b.state = 'committed')
                     ORDER BY r.id DESC LIMIT 1",
                    params![ind, unit, period, rid],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()
                .context("finding the figure to restore")?;
            if let Some((prev, _)) = restored {
                tx.execute("UPDATE reports SET active = 1 WHERE id = ?1", [prev])
                    .context("restoring a figure")?;
            }
            tx.execute(
                "INSERT INTO audit_log (actor, action, indicator_id, indicator_code, unit_id, unit_name, period, before, after, batch_id)
                 VALUES (?1, 'undo', ?2, (SELECT code FROM indicators WHERE id = ?2), ?3, (SELECT name FROM units WHERE id = ?3), ?4, ?5, ?6, ?7)",
                params![actor, ind, unit, period, value, restored.and_then(|r| r.1), id],
            )
            .context("writing the audit log")?;
        }
        tx.execute(
            "UPDATE batches SET state = 'undone', undone_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), undone_by = ?2 WHERE id = ?1",
            params![id, actor],
        )
        .context("marking the batch undone")?;
        tx.commit().context("committing the undo")?;
        self.batch(id)
    }

    /// Remembers that `alias` (as a return wrote it) names an indicator.
    pub fn add_indicator_alias(&mut self, alias: &str, indicator_id: i64) -> Result<()> {
        let alias = alias.trim();
        if alias.is_empty() {
            return Err(StoreError::Invalid("an empty alias".into()));
        }
        self.conn
            .execute(
                "INSERT OR IGNORE INTO indicator_aliases (alias, indicator_id) VALUES (?1, ?2)",
                params![alias, indicator_id],
            )
            .context("storing an alias")?;
        Ok(())
    }

    /// Confirmed aliases of a plan's indicators: (alias, indicator id).
    pub fn indicator_aliases(&self, plan_id: i64) -> Result<Vec<(String, i64)>> {
        let mut st = self
            .conn
            .prepare("SELECT a.alias, a.indicator_id FROM indicator_aliases a JOIN indicators i ON i.id = a.indicator_id WHERE i.plan_id = ?1")
            .context("reading aliases")?;
        let rows = st
            .query_map([plan_id], |r| Ok((r.get(0)?, r.get(1)?)))
            .context("reading aliases")?;
        rows.collect::<rusqlite::Result<_>>()
            .context("reading aliases")
    }

    /// The current figures of a plan by (indicator, unit): what the importer
    /// compares a new period's figure with.
    pub fn figure_history(&self, plan_id: i64) -> Result<crate::domain::FigureHistory> {
        let mut out = crate::domain::FigureHistory::new();
        for r in self.current_reports(plan_id)? {
            if let Some(v) = r.value {
                out.entry((r.indicator_id, r.unit.clone()))
                    .or_default()
                    .push((r.period, v));
            }
        }
        Ok(out)
    }
}
