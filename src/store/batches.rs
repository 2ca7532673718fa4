//! Import batches: one file's figures committed in one transaction with the
//! file's bytes and sha256, listed, and undone. Also the indicator aliases
//! users confirm when they re-match a row, and the figures already reported
//! (for the importer's jump check).

use super::db::{Db, OptionalExtension, params};
use super::reports::{check_unlocked, now};
use super::{Context, Result, Store, StoreError};
use crate::domain::{BatchRow, Period, Unit};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// One file to commit.
#[derive(Clone, Debug)]
pub struct NewBatch<'a> {
    pub file_name: &'a str,
    pub bytes: &'a [u8],
    pub plan_id: i64,
    /// The unit as understood (a department's section keeps its full name);
    /// empty for a file of several units, whose rows each name theirs.
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
    /// Sent back to its unit (退回): undone until it is restored.
    pub returned: bool,
}

/// What restoring a batch did.
#[derive(Clone, Debug, Serialize)]
pub struct Restored {
    pub batch: BatchInfo,
    /// Figures that count again.
    pub restored: usize,
    /// Figures left out because a newer one was entered for the same
    /// indicator, unit and period after the batch.
    pub kept_newer: usize,
}

/// The hex sha256 of bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

const BATCH_SELECT: &str = "SELECT b.id, b.file_name, b.sha256, b.size, b.unit_name, b.period, b.imported_at, b.imported_by, b.state,
    (SELECT COUNT(*) FROM reports r WHERE r.batch_id = b.id), b.returned FROM batches b";

fn batch_from_row(r: &super::db::Row) -> super::db::Result<BatchInfo> {
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
        returned: r.get(10)?,
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
                StoreError::UnknownUnit(format!(
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
        self.commit_batches(std::slice::from_ref(b))?
            .pop()
            .expect("one result per batch")
    }

    /// Commits several files, one batch each, in one transaction. Each file
    /// is checked completely before anything of it is written, so a file
    /// that is refused (the same bytes again, a locked period, an unknown
    /// unit or indicator, a negative count) leaves no trace and the others go
    /// in; a crash leaves either all of them or none. Returns one result per
    /// file, in order; the outer error is for the ledger itself failing
    /// (nothing is committed then).
    pub fn commit_batches(&mut self, batches: &[NewBatch]) -> Result<Vec<Result<BatchInfo>>> {
        let mut import = self.begin_import()?;
        let mut ids = Vec::with_capacity(batches.len());
        for b in batches {
            ids.push(import.add(b)?);
        }
        import.commit()?;
        Ok(ids
            .into_iter()
            .map(|r| r.and_then(|id| self.batch(id)))
            .collect())
    }

    /// Starts an import: files are then added one by one with
    /// [`Import::add`] as they are read, and all of them land together with
    /// [`Import::commit`] (dropping the import without committing writes
    /// nothing). The ledger is reserved for writing until then; others can
    /// still read it.
    pub fn begin_import(&mut self) -> Result<Import<'_>> {
        self.writable()?;
        // The import checks every reference it writes itself, under the
        // write lock (the plan and its indicators, the unit, the batch it
        // has just written), so SQLite's own look-ups of them, three per
        // figure, are left out for its transaction; they are back on when
        // it ends either way (see `Drop for Import`).
        self.conn
            .execute_batch("PRAGMA foreign_keys = OFF")
            .context("starting the import")?;
        if let Err(e) = self
            .conn
            .execute_batch("BEGIN IMMEDIATE")
            .context("starting the import")
        {
            // Another writer kept the ledger past the busy timeout.
            let _ = self.conn.execute_batch("PRAGMA foreign_keys = ON");
            return Err(e);
        }
        let mut import = Import {
            store: self,
            open: true,
            at: String::new(),
            indicators: HashMap::new(),
            units: HashMap::new(),
            seen: HashMap::new(),
            sql: HashMap::new(),
        };
        import.at = now(&import.store.conn)?;
        Ok(import)
    }
    /// One batch.
    pub fn batch(&self, id: i64) -> Result<BatchInfo> {
        self.conn
            .prepare_cached(&format!("{BATCH_SELECT} WHERE b.id = ?1"))
            .and_then(|mut st| st.query_row([id], batch_from_row).optional())
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
        rows.collect::<super::db::Result<_>>()
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
        self.writable()?;
        let tx = self.conn.transaction().context("starting the undo")?;
        let current: Vec<BatchFigure> = {
            let mut st = tx
                .prepare("SELECT id, indicator_id, unit_id, period, value, replaces FROM reports WHERE batch_id = ?1 AND active = 1")
                .context("reading the batch's figures")?;
            st.query_map([id], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ))
            })
            .context("reading the batch's figures")?
            .collect::<super::db::Result<_>>()
            .context("reading the batch's figures")?
        };
        let chained: bool = tx
            .query_row(
                "SELECT figures_chained FROM batches WHERE id = ?1",
                [id],
                |r| r.get(0),
            )
            .context("reading the batch")?;
        for (rid, ind, unit, period, value, replaces) in current {
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
            let followed = if chained {
                restore_along(&tx, replaces)?
            } else {
                None
            };
            let restored: Option<Figure> = match followed {
                Some(found) => found,
                None => tx
                .query_row(
                    "SELECT r.id, r.value FROM reports r LEFT JOIN batches b ON b.id = r.batch_id
                     WHERE r.indicator_id = ?1 AND r.unit_id = ?2 AND r.period = ?3 AND r.id <> ?4
                       AND (r.batch_id IS NULL OR b.state = 'committed')
                     ORDER BY r.id DESC LIMIT 1",
                    params![ind, unit, period, rid],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()
                .context("finding the figure to restore")?,
            };
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

    /// The plan a batch's figures belong to.
    pub fn plan_of_batch(&self, id: i64) -> Result<crate::domain::PlanSummary> {
        let plan_id: Option<i64> = self
            .conn
            .query_row("SELECT plan_id FROM batches WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()
            .context("reading the batch")?;
        match plan_id {
            Some(p) => self.plan(p),
            None => Err(StoreError::NotFound(format!("batch {id}"))),
        }
    }

    /// Sends a batch back to its unit (退回): its figures leave the status as
    /// an undo takes them out, the batch is marked returned with what is
    /// wrong (`note`), and [`Store::restore_batch`] brings it back.
    pub fn return_batch(&mut self, id: i64, note: &str) -> Result<BatchInfo> {
        self.undo_batch(id)?;
        self.writable()?;
        let tx = self
            .conn
            .transaction()
            .context("marking the batch returned")?;
        tx.execute(
            "UPDATE batches SET returned = 1, return_note = ?2 WHERE id = ?1",
            params![id, note],
        )
        .context("marking the batch returned")?;
        tx.execute(
            "UPDATE audit_log SET note = ?2 WHERE batch_id = ?1 AND action = 'undo' AND (note IS NULL OR note = '')",
            params![id, format!("退回：{note}")],
        )
        .context("writing the audit log")?;
        tx.commit().context("marking the batch returned")?;
        self.batch(id)
    }

    /// Restores an undone batch: each of its figures counts again, unless a
    /// figure for the same indicator, unit and period was entered after it
    /// (the newer one stays, as it would have had the batch never been
    /// undone). Refused when a period it touches is locked. Every change goes
    /// to the audit log.
    pub fn restore_batch(&mut self, id: i64) -> Result<Restored> {
        let info = self.batch(id)?;
        if info.state != "undone" {
            return Err(StoreError::Invalid(format!(
                "batch {id} was not undone; only an undone batch can be restored"
            )));
        }
        let actor = self.actor.clone();
        self.writable()?;
        let tx = self.conn.transaction().context("starting the restore")?;
        // The batch's figure for each indicator, unit and period: the last it
        // wrote for that key.
        let figures: Vec<(i64, i64, i64, String, Option<f64>)> = {
            let mut st = tx
                .prepare(
                    "SELECT r.id, r.indicator_id, r.unit_id, r.period, r.value FROM reports r
                     WHERE r.batch_id = ?1 AND r.id = (
                         SELECT MAX(x.id) FROM reports x
                         WHERE x.batch_id = ?1 AND x.indicator_id = r.indicator_id
                           AND x.unit_id = r.unit_id AND x.period = r.period)
                     ORDER BY r.id",
                )
                .context("reading the batch's figures")?;
            st.query_map([id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })
            .context("reading the batch's figures")?
            .collect::<super::db::Result<_>>()
            .context("reading the batch's figures")?
        };
        let (mut restored, mut kept_newer) = (0, 0);
        for (rid, ind, unit, period, value) in figures {
            check_unlocked(&tx, &period)?;
            let current: Option<Figure> = tx
                .query_row(
                    "SELECT id, value FROM reports
                     WHERE indicator_id = ?1 AND unit_id = ?2 AND period = ?3 AND active = 1",
                    params![ind, unit, period],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()
                .context("finding the current figure")?;
            match current {
                Some((cid, _)) if cid > rid => {
                    kept_newer += 1;
                    continue;
                }
                Some((cid, _)) => {
                    tx.execute("UPDATE reports SET active = 0 WHERE id = ?1", [cid])
                        .context("withdrawing the figure the batch had replaced")?;
                }
                None => {}
            }
            tx.execute("UPDATE reports SET active = 1 WHERE id = ?1", [rid])
                .context("restoring a figure")?;
            tx.execute(
                "INSERT INTO audit_log (actor, action, indicator_id, indicator_code, unit_id, unit_name, period, before, after, batch_id)
                 VALUES (?1, 'restore', ?2, (SELECT code FROM indicators WHERE id = ?2), ?3, (SELECT name FROM units WHERE id = ?3), ?4, ?5, ?6, ?7)",
                params![actor, ind, unit, period, current.and_then(|c| c.1), value, id],
            )
            .context("writing the audit log")?;
            restored += 1;
        }
        tx.execute(
            "UPDATE batches SET state = 'committed', undone_at = NULL, undone_by = NULL, returned = 0 WHERE id = ?1",
            [id],
        )
        .context("marking the batch committed")?;
        tx.commit().context("committing the restore")?;
        Ok(Restored {
            batch: self.batch(id)?,
            restored,
            kept_newer,
        })
    }

    /// Remembers that `alias` (as a return wrote it) names an indicator.
    pub fn add_indicator_alias(&mut self, alias: &str, indicator_id: i64) -> Result<()> {
        let alias = alias.trim();
        if alias.is_empty() {
            return Err(StoreError::Invalid("an empty alias".into()));
        }
        self.writable()?;
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
        rows.collect::<super::db::Result<_>>()
            .context("reading aliases")
    }

    /// The current figures of a plan by (indicator, unit): what the importer
    /// compares a new period's figure with. Read from the covering index the
    /// overview reads (values only, no words).
    pub fn figure_history(&self, plan_id: i64) -> Result<crate::domain::FigureHistory> {
        let names: HashMap<i64, String> =
            self.units()?.into_iter().map(|u| (u.id, u.name)).collect();
        let mut out = crate::domain::FigureHistory::new();
        for (indicator, figures) in self.current_observations(&self.indicators(plan_id)?)? {
            for (unit, o) in figures {
                if let (Some(v), Some(name)) = (o.value, names.get(&unit)) {
                    out.entry((indicator, name.clone()))
                        .or_default()
                        .push((o.period, v));
                }
            }
        }
        Ok(out)
    }
}

/// A figure of a batch being undone: id, indicator, unit, period, value,
/// and the figure it replaced.
type BatchFigure = (i64, i64, i64, String, Option<f64>, Option<i64>);

/// A figure an undo brings back: id and value.
type Figure = (i64, Option<f64>);

/// The figure an undo brings back, found by following what each figure
/// replaced from `replaces` on: the first that is a hand entry or belongs
/// to a batch still committed (id and value), or `Some(None)` when the
/// links end. `None` when a link leads into a batch from before the links
/// were recorded: the caller searches instead.
fn restore_along(tx: &Db, replaces: Option<i64>) -> Result<Option<Option<Figure>>> {
    let mut next = replaces;
    while let Some(id) = next {
        let (value, state, chained, further): (
            Option<f64>,
            Option<String>,
            Option<bool>,
            Option<i64>,
        ) = tx
            .prepare_cached(
                "SELECT r.value, b.state, b.figures_chained, r.replaces
                 FROM reports r LEFT JOIN batches b ON b.id = r.batch_id WHERE r.id = ?1",
            )
            .and_then(|mut st| {
                st.query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            })
            .context("following the figures an undo restores")?;
        match (state.as_deref(), chained) {
            (None | Some("committed"), _) => return Ok(Some(Some((id, value)))),
            (_, Some(true)) => next = further,
            _ => return Ok(None),
        }
    }
    Ok(Some(None))
}

/// An import in progress, inside one transaction (see
/// [`Store::begin_import`]).
pub struct Import<'s> {
    store: &'s mut Store,
    /// The transaction is still open.
    open: bool,
    /// One moment for everything the import writes.
    at: String,
    /// The plans' indicators, by plan and id, read once each.
    indicators: HashMap<i64, HashMap<i64, crate::domain::Indicator>>,
    /// Units by the name a file gave; an unknown one refuses its files.
    units: HashMap<String, std::result::Result<Unit, String>>,
    /// The bytes committed so far in this import, with the file's name.
    seen: HashMap<String, String>,
    /// The text of the multi-row INSERT, by number of rows.
    sql: HashMap<usize, String>,
}

impl Import<'_> {
    /// Checks one file completely, then writes it as a batch. The outer
    /// error is the ledger failing (the import cannot go on); the inner one
    /// refuses this file, which then leaves no trace.
    pub fn add(&mut self, b: &NewBatch) -> Result<Result<i64>> {
        if !self.indicators.contains_key(&b.plan_id) {
            match self.store.plan(b.plan_id) {
                Ok(_) => {}
                Err(e @ StoreError::NotFound(_)) => return Ok(Err(e)),
                Err(e) => return Err(e),
            }
            let by_id = self
                .store
                .indicators(b.plan_id)?
                .into_iter()
                .map(|i| (i.id, i))
                .collect();
            self.indicators.insert(b.plan_id, by_id);
        }
        // The file's unit, and each row's own when the file holds several.
        let names = std::iter::once(b.unit)
            .filter(|u| !u.is_empty())
            .chain(b.rows.iter().filter_map(|r| r.unit.as_deref()));
        for name in names {
            if !self.units.contains_key(name) {
                let found = match self.store.reporting_unit(name) {
                    Ok(u) => Ok(u),
                    Err(StoreError::UnknownUnit(m)) => Err(m),
                    Err(e) => return Err(e),
                };
                self.units.insert(name.to_string(), found);
            }
        }
        let lookup = |name: &str| match &self.units[name] {
            Ok(u) => Ok(u),
            Err(e) => Err(StoreError::UnknownUnit(e.clone())),
        };
        let unit = if b.unit.is_empty() {
            None
        } else {
            match lookup(b.unit) {
                Ok(u) => Some(u),
                Err(e) => return Ok(Err(e)),
            }
        };
        let mut row_units = Vec::with_capacity(b.rows.len());
        for r in b.rows {
            match r.unit.as_deref().map(lookup) {
                Some(Ok(u)) => row_units.push(u),
                Some(Err(e)) => return Ok(Err(e)),
                None => match unit {
                    Some(u) => row_units.push(u),
                    None => {
                        return Ok(Err(StoreError::UnknownUnit(format!(
                            "{}: row {} names no reporting unit",
                            b.file_name, r.row
                        ))));
                    }
                },
            }
        }
        let sha = sha256_hex(b.bytes);
        if !b.force
            && let Some(earlier) = self.seen.get(&sha)
        {
            return Ok(Err(StoreError::AlreadyImported(format!(
                "{}: the same file is given twice in this import (as {earlier} too); use --force to import it again",
                b.file_name
            ))));
        }
        let conn = &self.store.conn;
        let checked = match check_batch(conn, b, &sha, &self.indicators[&b.plan_id], &row_units)? {
            Ok(checked) => checked,
            Err(refused) => return Ok(Err(refused)),
        };
        let id = write_batch(
            conn,
            b,
            &sha,
            (unit, &row_units),
            checked,
            (&self.store.actor, &self.at),
            &mut self.sql,
        )?;
        self.seen
            .entry(sha)
            .or_insert_with(|| b.file_name.to_string());
        Ok(Ok(id))
    }

    /// Commits every file added.
    pub fn commit(mut self) -> Result<()> {
        self.store
            .conn
            .execute_batch("COMMIT")
            .context("committing the import")?;
        self.open = false;
        Ok(())
    }
}

impl Drop for Import<'_> {
    fn drop(&mut self) {
        if self.open {
            // Nothing of an unfinished import is kept; if even the rollback
            // fails, SQLite rolls back when the connection closes.
            let _ = self.store.conn.execute_batch("ROLLBACK");
        }
        // Outside a transaction this cannot fail.
        let _ = self.store.conn.execute_batch("PRAGMA foreign_keys = ON");
    }
}

/// A file's rows, checked: each with its indicator and the current figure it
/// supersedes.
type Checked<'a> = Vec<(&'a BatchRow, &'a crate::domain::Indicator, Option<i64>)>;

/// Everything that can refuse a file, checked before any of it is written:
/// the same bytes imported before, a locked period, rows naming an indicator
/// outside the plan or twice, values a count cannot have. The outer error is
/// the ledger failing; the inner one refuses the file.
fn check_batch<'a>(
    tx: &Db,
    b: &'a NewBatch,
    sha: &str,
    indicators: &'a HashMap<i64, crate::domain::Indicator>,
    row_units: &[&Unit],
) -> Result<Result<Checked<'a>>> {
    if !b.force
        && let Some(earlier) = tx
            .prepare_cached(
                "SELECT id, file_name, imported_at FROM batches WHERE sha256 = ?1 AND state = 'committed' ORDER BY id DESC LIMIT 1",
            )
            .and_then(|mut st| {
                st.query_row([sha], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)))
                    .optional()
            })
            .context("looking for an earlier import")?
    {
        return Ok(Err(StoreError::AlreadyImported(format!(
            "{}: the same file was already imported as batch {} ({}, {}); undo it first or use --force",
            b.file_name, earlier.0, earlier.1, earlier.2
        ))));
    }
    // Every period the file writes (a series writes earlier months too).
    let mut periods = std::collections::BTreeSet::from([b.period]);
    periods.extend(b.rows.iter().filter_map(|r| r.period));
    for p in &periods {
        match check_unlocked(tx, &p.to_string()) {
            Err(e @ StoreError::Locked(_)) => return Ok(Err(e)),
            other => other?,
        }
    }
    let mut seen = std::collections::HashSet::new();
    let mut checked = Vec::with_capacity(b.rows.len());
    for (row, unit) in b.rows.iter().zip(row_units) {
        let Some(ind) = indicators.get(&row.indicator_id) else {
            return Ok(Err(StoreError::Invalid(format!(
                "indicator {} is not in plan {}",
                row.indicator_id, b.plan_id
            ))));
        };
        if !seen.insert((ind.id, unit.id, row.period.unwrap_or(b.period))) {
            return Ok(Err(StoreError::Invalid(format!(
                "{}: two rows give '{}'; keep one",
                b.file_name, ind.name
            ))));
        }
        if let Err(e) = super::reports::check_value(ind, row.value) {
            return Ok(Err(StoreError::Invalid(e)));
        }
        checked.push((row, ind, None));
    }
    Ok(Ok(checked))
}

/// Writes one checked batch and its rows (the caller owns the
/// transaction): retires what the file supersedes, writes the figures many
/// rows per statement, each naming the figure it replaced, and one audit line
/// for the batch. `sql` keeps the statements' text between files. Any error
/// here is the ledger failing, not the file.
fn write_batch(
    tx: &Db,
    b: &NewBatch,
    sha: &str,
    (unit, row_units): (Option<&Unit>, &[&Unit]),
    mut checked: Checked,
    (actor, at): (&str, &str),
    sql: &mut HashMap<usize, String>,
) -> Result<i64> {
    let period = b.period.to_string();
    tx.prepare_cached(
        "INSERT INTO batches (file_name, content, sha256, size, plan_id, unit_id, unit_name, period, sheet, imported_by, imported_at, state, figures_chained)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 'committed', 1)",
    )
    .and_then(|mut st| {
        st.execute(params![b.file_name, b.bytes, sha, b.bytes.len() as i64, b.plan_id, unit.map(|u| u.id), unit.map(|_| b.unit), period, b.sheet, actor, at])
    })
    .context("recording the batch")?;
    let batch_id = tx.last_insert_rowid();
    let periods: Vec<String> = checked
        .iter()
        .map(|(row, _, _)| row.period.map_or_else(|| period.clone(), |p| p.to_string()))
        .collect();
    // One look-up per unit and period of the figures this file supersedes.
    let mut current: HashMap<(i64, i64, &str), i64> = HashMap::new();
    let mut looked = std::collections::HashSet::new();
    for (u, p) in row_units.iter().zip(&periods) {
        if !looked.insert((u.id, p.as_str())) {
            continue;
        }
        let found: Vec<(i64, i64)> = tx
            .prepare_cached(
                "SELECT indicator_id, id FROM reports WHERE unit_id = ?1 AND period = ?2 AND active = 1",
            )
            .and_then(|mut st| {
                st.query_map(params![u.id, p], |r| Ok((r.get(0)?, r.get(1)?)))?
                    .collect::<super::db::Result<_>>()
            })
            .context("reading the current figures")?;
        current.extend(
            found
                .into_iter()
                .map(|(ind, id)| ((ind, u.id, p.as_str()), id)),
        );
    }
    for (((_, ind, replaces), p), u) in checked.iter_mut().zip(&periods).zip(row_units) {
        *replaces = current.get(&(ind.id, u.id, p.as_str())).copied();
        if let Some(id) = replaces {
            tx.prepare_cached("UPDATE reports SET active = 0 WHERE id = ?1")
                .and_then(|mut st| st.execute([*id]))
                .context("keeping the previous figure as history")?;
        }
    }
    let basis = crate::domain::ValueBasis::AsOfPeriodEnd.as_str();
    for ((chunk, chunk_periods), chunk_units) in checked
        .chunks(ROWS_PER_STATEMENT)
        .zip(periods.chunks(ROWS_PER_STATEMENT))
        .zip(row_units.chunks(ROWS_PER_STATEMENT))
    {
        let mut values: Vec<&dyn super::db::ToValue> = Vec::with_capacity(chunk.len() * 9);
        for (((row, ind, replaces), p), u) in chunk.iter().zip(chunk_periods).zip(chunk_units) {
            values.extend_from_slice(&[
                &ind.id as &dyn super::db::ToValue,
                &row.value,
                &row.progress,
                &row.problems,
                &row.next_steps,
                &row.row,
                replaces,
                p,
                &u.id,
            ]);
        }
        let text = sql.entry(chunk.len()).or_insert_with(|| {
            multi_row_insert(
                "INSERT INTO reports (indicator_id, value, progress, problems, next_steps, \"row\", replaces, period, unit_id,
                   basis, batch_id, sheet, entered_by, entered_at, active) VALUES ",
                9,
                "?1, ?2, ?3, ?4, ?5, 1",
                chunk.len(),
            )
        });
        tx.prepare_cached(text)
            .and_then(|mut st| {
                let shared: [&dyn super::db::ToValue; 5] =
                    [&basis, &batch_id, &b.sheet, &actor, &at];
                let all: Vec<&dyn super::db::ToValue> = shared
                    .iter()
                    .copied()
                    .chain(values.iter().copied())
                    .collect();
                st.execute(all.as_slice())
            })
            .context("recording the figures")?;
    }
    // The batch's line stands for each of its figures: before (the figure
    // it replaced) and after, who and when (see `Store::audit_log`).
    tx.prepare_cached(
        "INSERT INTO audit_log (actor, action, indicator_code, unit_id, unit_name, period, batch_id, at, covers_batch)
         VALUES (?1, 'import', '', ?2, ?3, ?4, ?5, ?6, 1)",
    )
    .and_then(|mut st| {
        st.execute(params![
            actor,
            unit.map(|u| u.id),
            unit.map_or("", |u| u.name.as_str()),
            period,
            batch_id,
            at
        ])
    })
    .context("writing the audit log")?;
    Ok(batch_id)
}

/// Rows per multi-row INSERT: statements, not rows, are what SQLite's
/// per-call costs (journaling, cursors, halting) scale with.
const ROWS_PER_STATEMENT: usize = 200;

/// `head` followed by `rows` tuples of `own` fresh parameters each, then the
/// shared part `tail` (which uses the first parameters, ?1 …), e.g.
/// `(?8, ?9, ?1, 1), (?10, ?11, ?1, 1)`.
fn multi_row_insert(head: &str, own: usize, tail: &str, rows: usize) -> String {
    use std::fmt::Write;
    let shared = tail.matches('?').count();
    let mut sql = String::from(head);
    for r in 0..rows {
        sql.push_str(if r == 0 { "(" } else { ", (" });
        for k in 0..own {
            let _ = write!(sql, "?{}, ", shared + r * own + k + 1);
        }
        sql.push_str(tail);
        sql.push(')');
    }
    sql
}
