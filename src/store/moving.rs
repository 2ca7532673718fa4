//! Moving a whole ledger from one engine to the other: a SQLite file into a
//! server's empty ledger (`taizhang migrate`), and a server's ledger into a
//! new SQLite file (the first step of a meeting copy taken from a server).
//! Every table is copied row by row with its ids, in one transaction, and
//! the counts are compared afterwards.

use super::db::{Db, Value};
use super::{Context, Result, Store, StoreError};
use serde::Serialize;

/// Every table, parents before the tables that refer to them.
const TABLES: &[&str] = &[
    "units",
    "unit_aliases",
    "plans",
    "sections",
    "tasks",
    "task_units",
    "indicators",
    "indicator_aliases",
    "unit_targets",
    "indicator_units",
    "batches",
    "reports",
    "locked_periods",
    "settings",
    "audit_log",
    "meetings",
    "meeting_indicators",
    "meeting_units",
];

/// Columns that refer to a row of their own table: copied as NULL first and
/// set once every row is in (an indicator may continue one added later).
const LATE: &[(&str, &str)] = &[("sections", "parent_id"), ("indicators", "predecessor_id")];

/// Rows per INSERT when copying.
const ROWS_PER_INSERT: usize = 200;

/// What a move did: each table's rows in the source and in the target.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Moved {
    /// `false` when the target already held exactly this ledger.
    pub copied: bool,
    pub tables: Vec<TableCount>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TableCount {
    pub table: String,
    pub source: i64,
    pub target: i64,
}

fn count(db: &Db, table: &str) -> Result<i64> {
    db.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .context(&format!("counting the rows of {table}"))
}

fn columns(db: &Db, table: &str) -> Result<Vec<String>> {
    let sql = if db.is_postgres() {
        "SELECT column_name FROM information_schema.columns
         WHERE table_schema = current_schema() AND table_name = ?1 ORDER BY ordinal_position"
    } else {
        "SELECT name FROM pragma_table_info(?1) ORDER BY cid"
    };
    db.prepare(sql)
        .and_then(|mut st| st.query_map([table], |r| r.get(0))?.collect())
        .context(&format!("listing the columns of {table}"))
}

impl Store {
    /// Copies this whole ledger into `target`, which must be empty or hold
    /// exactly the same rows (then nothing is done: a second run is a no-op).
    pub fn move_into(&self, target: &Store) -> Result<Moved> {
        if self.version()? != target.version()? {
            return Err(StoreError::Invalid(format!(
                "the source is at schema version {} and the target at {}; open both with this Taizhang first",
                self.version()?,
                target.version()?
            )));
        }
        let counts =
            |db: &Db| -> Result<Vec<i64>> { TABLES.iter().map(|t| count(db, t)).collect() };
        let before = counts(&target.conn)?;
        let source = counts(&self.conn)?;
        if before.iter().any(|&n| n > 0) {
            if before == source {
                return Ok(Moved {
                    copied: false,
                    tables: table_counts(&source, &before),
                });
            }
            return Err(StoreError::Invalid(format!(
                "{}: the target ledger is not empty ({} rows) and differs from the source; a ledger is moved only into an empty one",
                target
                    .path()
                    .map(|p| p.display().to_string())
                    .unwrap_or_default(),
                before.iter().sum::<i64>()
            )));
        }
        target.writable()?;
        let tx = target.conn.transaction().context("starting the move")?;
        for table in TABLES {
            copy_table(&self.conn, &tx, table)?;
        }
        if tx.is_postgres() {
            super::schema::restart_identities(&tx)?;
        }
        tx.commit().context("committing the move")?;
        let after = counts(&target.conn)?;
        let moved = Moved {
            copied: true,
            tables: table_counts(&source, &after),
        };
        if source != after {
            return Err(StoreError::Invalid(format!(
                "the counts differ after the move: {}",
                moved
                    .tables
                    .iter()
                    .filter(|t| t.source != t.target)
                    .map(|t| format!("{} {} → {}", t.table, t.source, t.target))
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
        Ok(moved)
    }
}

fn table_counts(source: &[i64], target: &[i64]) -> Vec<TableCount> {
    TABLES
        .iter()
        .zip(source.iter().zip(target))
        .map(|(t, (s, d))| TableCount {
            table: t.to_string(),
            source: *s,
            target: *d,
        })
        .collect()
}

fn copy_table(from: &Db, to: &Db, table: &str) -> Result<()> {
    let ctx = format!("copying {table}");
    let theirs = columns(to, table)?;
    let cols: Vec<String> = columns(from, table)?
        .into_iter()
        .filter(|c| theirs.contains(c))
        .collect();
    let late: Vec<usize> = cols
        .iter()
        .enumerate()
        .filter(|(_, c)| LATE.contains(&(table, c.as_str())))
        .map(|(i, _)| i)
        .collect();
    let quoted: Vec<String> = cols.iter().map(|c| format!("\"{c}\"")).collect();
    let order = if cols.iter().any(|c| c == "id") {
        " ORDER BY id"
    } else {
        ""
    };
    let select = format!("SELECT {} FROM {table}{order}", quoted.join(", "));
    let mut pending: Vec<Value> = Vec::new();
    let mut rows = 0usize;
    let mut later: Vec<(Value, Vec<Value>)> = Vec::new();
    let id_at = cols.iter().position(|c| c == "id");
    let flush = |pending: &mut Vec<Value>, rows: &mut usize| -> Result<()> {
        if *rows == 0 {
            return Ok(());
        }
        let n = cols.len();
        let tuples: Vec<String> = (0..*rows)
            .map(|r| {
                let ps: Vec<String> = (1..=n).map(|k| format!("?{}", r * n + k)).collect();
                format!("({})", ps.join(", "))
            })
            .collect();
        let sql = format!(
            "INSERT INTO {table} ({}) VALUES {}",
            quoted.join(", "),
            tuples.join(", ")
        );
        to.execute(&sql, std::mem::take(pending)).context(&ctx)?;
        *rows = 0;
        Ok(())
    };
    let mut st = from.prepare(&select).context(&ctx)?;
    let mut found = st.query([]).context(&ctx)?;
    while let Some(r) = found.next().context(&ctx)? {
        let mut values: Vec<Value> = (0..cols.len())
            .map(|i| r.value(i))
            .collect::<super::db::Result<_>>()
            .context(&ctx)?;
        if !late.is_empty() {
            let kept: Vec<Value> = late
                .iter()
                .map(|&i| std::mem::replace(&mut values[i], Value::Null))
                .collect();
            if kept.iter().any(|v| *v != Value::Null)
                && let Some(id) = id_at
            {
                later.push((values[id].clone(), kept));
            }
        }
        pending.extend(values);
        rows += 1;
        if rows == ROWS_PER_INSERT {
            flush(&mut pending, &mut rows)?;
        }
    }
    flush(&mut pending, &mut rows)?;
    if !later.is_empty() {
        let sets: Vec<String> = late
            .iter()
            .enumerate()
            .map(|(k, &i)| format!("\"{}\" = ?{}", cols[i], k + 2))
            .collect();
        let sql = format!("UPDATE {table} SET {} WHERE id = ?1", sets.join(", "));
        for (id, kept) in later {
            let mut values = vec![id];
            values.extend(kept);
            to.execute(&sql, values).context(&ctx)?;
        }
    }
    Ok(())
}
