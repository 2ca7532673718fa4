//! The offline meeting copy: the current plan with its figures, batches and
//! the change log, written to a SQLite file that a laptop in the meeting
//! room opens without the network. The copy says when it was taken and from
//! what; it opens for reading only, so a figure typed in the meeting room can
//! never drift away from the ledger.

use super::{Context, Result, Store, StoreError};
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The setting that marks a file as a meeting copy (JSON of [`MeetingCopy`]).
pub(super) const MEETING_COPY_KEY: &str = "meeting_copy";

/// What a meeting copy says about itself.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingCopy {
    /// When it was taken: local time with its offset (RFC 3339).
    pub taken: String,
    /// The ledger it was taken from (its file name, or the server).
    pub source: String,
    /// The plan it holds.
    pub plan_id: i64,
    pub plan_title: String,
}

impl MeetingCopy {
    /// The time taken as `2026-12-01 09:30`, for a title bar.
    pub fn taken_short(&self) -> String {
        chrono::DateTime::parse_from_rfc3339(&self.taken)
            .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
            .unwrap_or_else(|_| self.taken.clone())
    }
}

/// What writing a meeting copy did.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CopyWritten {
    pub path: PathBuf,
    pub copy: MeetingCopy,
    /// The plans in the copy: the plan, and the earlier years its
    /// indicators continue (for 历年对比).
    pub plans: usize,
    pub indicators: usize,
    pub figures: usize,
    pub audit_entries: usize,
    pub bytes: u64,
}

impl Store {
    /// When this ledger is a meeting copy: what it is. It is then open for
    /// reading only.
    pub fn meeting_copy(&self) -> Option<&MeetingCopy> {
        self.copy.as_ref()
    }

    /// Writes a meeting copy of plan `plan` (the current plan when `None`)
    /// to `dest`: the plan and the earlier plans its indicators continue,
    /// with their figures, batches and meetings, the units and the whole
    /// change log. The copy is consistent even while others write (SQLite's
    /// online backup), is written beside `dest` first and put in place
    /// whole. An existing `dest` is replaced only when `replace` is set and
    /// it is itself a meeting copy: never a ledger.
    pub fn write_meeting_copy(
        &self,
        dest: &Path,
        plan: Option<i64>,
        replace: bool,
    ) -> Result<CopyWritten> {
        // A copy of a copy would be stamped as taken now from data that is
        // as old as the first copy.
        self.writable()?;
        let plan = self.plan_or_latest(plan)?;
        let is_ledger = self.path().is_some_and(|src| same_file(src, dest));
        if is_ledger || dest.exists() {
            let is_copy = !is_ledger && read_copy_mark(dest).is_some();
            if !(is_copy && replace) {
                return Err(StoreError::CopyTargetExists {
                    path: dest.to_path_buf(),
                    is_copy,
                });
            }
        }
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| StoreError::Io { path, source }
        };
        if let Some(parent) = dest.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(io(parent))?;
        }
        // A file of our own beside the destination (same disk, so the
        // rename is whole), never one that was there before.
        let part = own_temp_file(dest)?;
        let result = (|| {
            if self.is_server() {
                // The server's ledger, row by row, into a new file.
                let whole = Store::create_in_new_file(&part)?;
                self.move_into(&whole)?;
            } else {
                self.backup_to(&part)?;
            }
            let mut conn = Connection::open(&part)
                .context(&format!("opening {} to trim it", part.display()))?;
            let copy = MeetingCopy {
                taken: chrono::Local::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
                source: self.source_name(),
                plan_id: plan.id,
                plan_title: plan.title.clone(),
            };
            let written = trim(&mut conn, &copy)?;
            drop(conn);
            // An earlier copy's journal files would be read with the new
            // copy (a copy is never written, so they hold nothing of value).
            for side in ["-wal", "-shm", "-journal"] {
                let mut name = dest.as_os_str().to_owned();
                name.push(side);
                let _ = std::fs::remove_file(PathBuf::from(name));
            }
            std::fs::rename(&part, dest).map_err(io(dest))?;
            Ok(written)
        })();
        if result.is_err() {
            let _ = std::fs::remove_file(&part);
        }
        let written = result?;
        // The copy is in place: what follows only reports on it.
        let bytes = std::fs::metadata(dest).map_err(io(dest))?.len();
        let opened = Store::open(dest)?;
        let audit_entries = opened.audit_log(None, i64::MAX as usize)?.len();
        Ok(CopyWritten {
            path: dest.to_path_buf(),
            bytes,
            audit_entries,
            ..written
        })
    }

    /// The ledger's name for a copy's "taken from": its file name.
    fn source_name(&self) -> String {
        match self.path() {
            Some(p) => p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| p.display().to_string()),
            None => "memory".into(),
        }
    }

    /// Refuses a change when this ledger is a meeting copy.
    pub(super) fn writable(&self) -> Result<()> {
        match &self.copy {
            Some(c) => Err(StoreError::MeetingCopy {
                path: self.path.clone().unwrap_or_default(),
                taken: c.taken_short(),
                source: c.source.clone(),
            }),
            None => Ok(()),
        }
    }
}

/// Keeps the plan and the plans it continues, marks the file as a copy,
/// makes it one file (no write-ahead log) and compacts it.
fn trim(conn: &mut Connection, copy: &MeetingCopy) -> Result<CopyWritten> {
    let what = "trimming the meeting copy";
    conn.execute_batch("PRAGMA foreign_keys = ON; PRAGMA journal_mode = DELETE;")
        .context(what)?;
    let tx = conn.transaction().context(what)?;
    tx.execute_batch(
        "CREATE TEMP TABLE kept_plans (id INTEGER PRIMARY KEY);
         DELETE FROM temp.kept_plans;",
    )
    .context(what)?;
    // The plan, and every plan an indicator of it continues, however far
    // back the links reach.
    tx.execute(
        "INSERT INTO temp.kept_plans (id)
         WITH RECURSIVE chain(id) AS (
             SELECT id FROM indicators WHERE plan_id = ?1
             UNION
             SELECT i.predecessor_id FROM indicators i JOIN chain c ON i.id = c.id
             WHERE i.predecessor_id IS NOT NULL
         )
         SELECT ?1
         UNION SELECT DISTINCT plan_id FROM indicators WHERE id IN (SELECT id FROM chain)
         UNION SELECT p.id FROM plans p JOIN plans me ON me.id = ?1
               WHERE p.city = me.city AND p.year = me.year - 1",
        params![copy.plan_id],
    )
    .context(what)?;
    // Set-based deletes, with look-ups the foreign keys' cascades lack
    // (dropped before the file is compacted).
    tx.execute_batch(
        "CREATE INDEX copy_trim_reports ON reports(indicator_id);
         CREATE INDEX copy_trim_batches ON batches(plan_id);
         DELETE FROM reports WHERE indicator_id IN
             (SELECT id FROM indicators WHERE plan_id NOT IN (SELECT id FROM temp.kept_plans));
         DELETE FROM batches WHERE plan_id IS NOT NULL
             AND plan_id NOT IN (SELECT id FROM temp.kept_plans)
             AND NOT EXISTS (SELECT 1 FROM reports r WHERE r.batch_id = batches.id);
         DELETE FROM plans WHERE id NOT IN (SELECT id FROM temp.kept_plans);
         DROP INDEX copy_trim_reports;
         DROP INDEX copy_trim_batches;",
    )
    .context(what)?;
    let count = |sql: &str| -> Result<usize> {
        tx.query_row(sql, [], |r| r.get::<_, i64>(0))
            .map(|n| n as usize)
            .context(what)
    };
    let plans = count("SELECT COUNT(*) FROM plans")?;
    let indicators = count(&format!(
        "SELECT COUNT(*) FROM indicators WHERE plan_id = {}",
        copy.plan_id
    ))?;
    let figures = count(&format!(
        "SELECT COUNT(*) FROM reports r JOIN indicators i ON i.id = r.indicator_id
         WHERE i.plan_id = {}",
        copy.plan_id
    ))?;
    let mark = serde_json::to_string(copy).map_err(|e| StoreError::Invalid(e.to_string()))?;
    tx.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![MEETING_COPY_KEY, mark],
    )
    .context(what)?;
    tx.execute(
        "INSERT INTO settings (key, value) VALUES ('current_plan', ?1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![copy.plan_id.to_string()],
    )
    .context(what)?;
    // Marked in the header too, so that a Taizhang that does not know
    // meeting copies refuses the file instead of opening it for writing.
    tx.execute_batch(&format!(
        "DROP TABLE temp.kept_plans; PRAGMA application_id = {};",
        super::COPY_APPLICATION_ID
    ))
    .context(what)?;
    tx.commit().context(what)?;
    conn.execute_batch("VACUUM;")
        .context("compacting the meeting copy")?;
    Ok(CopyWritten {
        path: PathBuf::new(),
        copy: copy.clone(),
        plans,
        indicators,
        figures,
        audit_entries: 0,
        bytes: 0,
    })
}

/// The meeting-copy mark of a file, read without writing to it; `None` for
/// anything that is not a meeting copy (a ledger, another file, no file).
pub(super) fn read_copy_mark(path: &Path) -> Option<MeetingCopy> {
    let conn = super::read_only(path).ok()?;
    let app_id: i64 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .ok()?;
    copy_mark(&conn, app_id)
}

/// The meeting-copy mark in an open database with that `application_id`.
/// A file marked either way is a copy, even when its mark cannot be read
/// (it then says so instead of when it was taken): it never opens for
/// writing by mistake.
pub(super) fn copy_mark(conn: &Connection, app_id: i64) -> Option<MeetingCopy> {
    let text: Option<String> = conn
        .query_row(
            "SELECT value FROM settings WHERE key = ?1",
            [MEETING_COPY_KEY],
            |r| r.get(0),
        )
        .optional()
        .ok()
        .flatten();
    if text.is_none() && app_id != super::COPY_APPLICATION_ID {
        return None;
    }
    Some(
        text.and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_else(|| MeetingCopy {
                taken: "unknown".into(),
                source: "unknown".into(),
                plan_id: 0,
                plan_title: String::new(),
            }),
    )
}

/// Creates an empty file of this process's own beside `dest`.
fn own_temp_file(dest: &Path) -> Result<PathBuf> {
    use std::time::{SystemTime, UNIX_EPOCH};
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let mut last = None;
    for n in 0..16u32 {
        let mut name = dest.as_os_str().to_owned();
        name.push(format!(".{}-{:x}.part", std::process::id(), nanos ^ n));
        let path = PathBuf::from(name);
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(_) => return Ok(path),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = Some(e),
            Err(source) => return Err(StoreError::Io { path, source }),
        }
    }
    Err(StoreError::Io {
        path: dest.to_path_buf(),
        source: last.unwrap_or_else(|| std::io::Error::other("no temporary name free")),
    })
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}
