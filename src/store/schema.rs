//! The schema and its numbered migrations.
//!
//! `PRAGMA user_version` (on PostgreSQL, the one row of `schema_version`)
//! holds the number of migrations applied. Migration
//! *n* takes the file from version *n − 1* to *n* in its own transaction,
//! together with the new version number, so a file is always at exactly one
//! version. To change the schema, append a migration; never edit one that has
//! shipped. [`Store::open`](super::Store::open) copies the file before any
//! migration runs. On PostgreSQL each step is the same SQL, translated
//! ([`super::db::for_postgres`]: column types, `GLOB` checks, time stamps),
//! and steps run under the write lock, so two first starts at once migrate
//! once.

use super::db::Db;
use super::{Context, Result};
use rusqlite::Connection;

/// `PRAGMA application_id` of a Taizhang database: "TZHG".
pub const APPLICATION_ID: i64 = 0x545A_4847;

/// The `application_id` of a meeting copy ("TZMC"): a Taizhang that does not
/// know meeting copies refuses it as another program's file instead of
/// opening it for writing.
pub const COPY_APPLICATION_ID: i64 = 0x545A_4D43;

/// One step of the schema.
pub struct Migration {
    /// What this step adds, for the upgrade notice.
    pub description: &'static str,
    /// The statements, built from the domain's enumerations.
    pub sql: fn() -> String,
}

/// Every migration, in order; version *n* is `MIGRATIONS[n − 1]`.
pub static MIGRATIONS: &[Migration] = &[
    Migration {
        description: "the ledger: units, plans, sections, tasks, indicators, batches, reports, audit log, settings",
        sql: v1,
    },
    Migration {
        description: "an index of current figures by unit and period (imports look them up per file)",
        sql: v2,
    },
    Migration {
        description: "a covering index of current figures (the overview reads them without the words)",
        sql: v3,
    },
    Migration {
        description: "an import is logged as one line for its batch; each figure names the figure it replaced",
        sql: v4,
    },
    Migration {
        description: "the covering index of current figures ordered by unit and period (an import writes each file's figures side by side)",
        sql: v5,
    },
    Migration {
        description: "batches whose figures name the figures they replaced (an undo follows them instead of searching)",
        sql: v6,
    },
    Migration {
        description: "each indicator's reporting units, and whether its aggregation was chosen (else the rules decide)",
        sql: v7,
    },
    Migration {
        description: "the audit log also records corrections with their reasons, restored batches, period locks, units' own targets, edits to indicators and to the units catalogue",
        sql: v8,
    },
    Migration {
        description: "an indicator keeps the plan's target when it is revised (调整目标), with when and why",
        sql: v9,
    },
    Migration {
        description: "the audit log also records edits to a plan's tasks (title, deadline, responsible units); indicators retired or added by hand outlive a re-import",
        sql: v10,
    },
    Migration {
        description: "review meetings: what each froze (every indicator's figure and colour, every unit's rank), for the page that says what changed since the last one",
        sql: v11,
    },
    Migration {
        description: "each indicator may name the one it continues in last year's plan (proposed, or confirmed by a person)",
        sql: v12,
    },
    Migration {
        description: "a batch can be returned to its unit (退回): its figures are out of status, as if undone, until it is restored",
        sql: v13,
    },
];

/// The version a file has once every migration has run.
pub const LATEST_VERSION: i64 = MIGRATIONS.len() as i64;

const DATE_GLOB: &str = "'[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'";
const PERIOD_GLOB: &str = "'[0-9][0-9][0-9][0-9]-[0-1][0-9]'";

fn v1() -> String {
    // The enumerations as they were when this migration shipped, written out:
    // a shipped migration never changes when an enumeration grows (a later
    // migration widens a CHECK).
    let unit_kind = "'district','department'";
    let role = "'lead','support'";
    let comparator = "'>=','>','<=','<','='";
    let better = "'higher','lower'";
    let kind = "'cumulative','new','level','count_of_events'";
    let scope = "'city','per_unit'";
    let aggregation = "'sum','mean','min','max','single'";
    let confidence = "'certain','debatable'";
    let basis = "'as_of_period_end','period_increment'";
    format!(
        r#"
CREATE TABLE units (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
    kind        TEXT NOT NULL CHECK (kind IN ({unit_kind}))
);

CREATE TABLE unit_aliases (
    alias       TEXT PRIMARY KEY CHECK (length(trim(alias)) > 0),
    unit_id     INTEGER NOT NULL REFERENCES units(id) ON DELETE CASCADE
);

CREATE TABLE plans (
    id          INTEGER PRIMARY KEY,
    title       TEXT NOT NULL CHECK (length(trim(title)) > 0),
    issuer      TEXT NOT NULL DEFAULT '',
    city        TEXT NOT NULL DEFAULT '',
    year        INTEGER NOT NULL CHECK (year BETWEEN 1990 AND 2100),
    document    TEXT,
    source_text TEXT,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    UNIQUE (title, year, issuer)
);

CREATE TABLE sections (
    id          INTEGER PRIMARY KEY,
    plan_id     INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    parent_id   INTEGER REFERENCES sections(id) ON DELETE CASCADE,
    path        TEXT NOT NULL,
    number      TEXT NOT NULL,
    title       TEXT NOT NULL,
    position    INTEGER NOT NULL,
    UNIQUE (plan_id, path)
);

CREATE TABLE tasks (
    id          INTEGER PRIMARY KEY,
    plan_id     INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    section_id  INTEGER NOT NULL REFERENCES sections(id) ON DELETE CASCADE,
    path        TEXT NOT NULL,
    number      TEXT NOT NULL,
    title       TEXT NOT NULL,
    deadline    TEXT CHECK (deadline IS NULL OR deadline GLOB {DATE_GLOB}),
    position    INTEGER NOT NULL,
    UNIQUE (plan_id, path)
);

CREATE TABLE task_units (
    task_id     INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    name        TEXT NOT NULL CHECK (length(trim(name)) > 0),
    unit_id     INTEGER REFERENCES units(id) ON DELETE SET NULL,
    role        TEXT NOT NULL CHECK (role IN ({role})),
    position    INTEGER NOT NULL,
    PRIMARY KEY (task_id, name)
);

CREATE TABLE indicators (
    id              INTEGER PRIMARY KEY,
    plan_id         INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    task_id         INTEGER REFERENCES tasks(id) ON DELETE SET NULL,
    code            TEXT NOT NULL UNIQUE,
    ref_id          TEXT,
    position        INTEGER NOT NULL,
    name            TEXT NOT NULL CHECK (length(trim(name)) > 0),
    unit            TEXT,
    comparator      TEXT NOT NULL CHECK (comparator IN ({comparator})),
    target          REAL NOT NULL,
    target_max      REAL CHECK (target_max IS NULL OR target_max >= target),
    baseline        REAL,
    better          TEXT NOT NULL CHECK (better IN ({better})),
    kind            TEXT NOT NULL CHECK (kind IN ({kind})),
    scope           TEXT NOT NULL CHECK (scope IN ({scope})),
    aggregation     TEXT NOT NULL CHECK (aggregation IN ({aggregation})),
    required_share  REAL NOT NULL DEFAULT 1.0 CHECK (required_share > 0 AND required_share <= 1),
    designated_unit_id INTEGER REFERENCES units(id) ON DELETE SET NULL,
    deadline        TEXT NOT NULL CHECK (deadline GLOB {DATE_GLOB}),
    phrase          TEXT NOT NULL DEFAULT '',
    confidence      TEXT CHECK (confidence IS NULL OR confidence IN ({confidence})),
    retired         INTEGER NOT NULL DEFAULT 0 CHECK (retired IN (0, 1))
);
CREATE INDEX indicators_plan ON indicators(plan_id, position);

CREATE TABLE indicator_aliases (
    alias           TEXT NOT NULL CHECK (length(trim(alias)) > 0),
    indicator_id    INTEGER NOT NULL REFERENCES indicators(id) ON DELETE CASCADE,
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    PRIMARY KEY (alias, indicator_id)
);

CREATE TABLE unit_targets (
    indicator_id    INTEGER NOT NULL REFERENCES indicators(id) ON DELETE CASCADE,
    unit_id         INTEGER NOT NULL REFERENCES units(id) ON DELETE CASCADE,
    target          REAL NOT NULL,
    target_max      REAL CHECK (target_max IS NULL OR target_max >= target),
    baseline        REAL,
    PRIMARY KEY (indicator_id, unit_id)
);

CREATE TABLE batches (
    id              INTEGER PRIMARY KEY,
    file_name       TEXT NOT NULL,
    content         BLOB NOT NULL,
    sha256          TEXT NOT NULL CHECK (length(sha256) = 64),
    size            INTEGER NOT NULL CHECK (size >= 0),
    plan_id         INTEGER REFERENCES plans(id) ON DELETE SET NULL,
    unit_id         INTEGER REFERENCES units(id) ON DELETE SET NULL,
    unit_name       TEXT,
    period          TEXT CHECK (period IS NULL OR period GLOB {PERIOD_GLOB}),
    sheet           TEXT,
    imported_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    imported_by     TEXT NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('committed', 'undone')),
    undone_at       TEXT,
    undone_by       TEXT
);
CREATE INDEX batches_sha256 ON batches(sha256);

CREATE TABLE reports (
    id              INTEGER PRIMARY KEY,
    indicator_id    INTEGER NOT NULL REFERENCES indicators(id) ON DELETE CASCADE,
    unit_id         INTEGER NOT NULL REFERENCES units(id) ON DELETE CASCADE,
    period          TEXT NOT NULL CHECK (period GLOB {PERIOD_GLOB}),
    value           REAL,
    basis           TEXT NOT NULL DEFAULT 'as_of_period_end' CHECK (basis IN ({basis})),
    numerator       REAL,
    denominator     REAL CHECK (denominator IS NULL OR denominator > 0),
    progress        TEXT NOT NULL DEFAULT '',
    problems        TEXT NOT NULL DEFAULT '',
    next_steps      TEXT NOT NULL DEFAULT '',
    batch_id        INTEGER REFERENCES batches(id) ON DELETE CASCADE,
    sheet           TEXT,
    row             INTEGER,
    entered_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    entered_by      TEXT NOT NULL,
    active          INTEGER NOT NULL CHECK (active IN (0, 1))
);
-- At most one current figure per indicator, unit and period; older ones stay as history.
CREATE UNIQUE INDEX reports_current ON reports(indicator_id, unit_id, period) WHERE active = 1;
CREATE INDEX reports_batch ON reports(batch_id);

CREATE TABLE locked_periods (
    period          TEXT PRIMARY KEY CHECK (period GLOB {PERIOD_GLOB}),
    locked_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    locked_by       TEXT NOT NULL
);

CREATE TABLE settings (
    key             TEXT PRIMARY KEY,
    value           TEXT NOT NULL
);

-- Every change to a value: before and after, who and when. Names are copied so
-- that the history survives the deletion of what it speaks of.
CREATE TABLE audit_log (
    id              INTEGER PRIMARY KEY,
    at              TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    actor           TEXT NOT NULL,
    action          TEXT NOT NULL CHECK (action IN ('import', 'undo', 'edit')),
    indicator_id    INTEGER,
    indicator_code  TEXT NOT NULL,
    unit_id         INTEGER,
    unit_name       TEXT NOT NULL,
    period          TEXT NOT NULL CHECK (period GLOB {PERIOD_GLOB}),
    before          REAL,
    after           REAL,
    batch_id        INTEGER,
    note            TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_indicator ON audit_log(indicator_id, period);

PRAGMA application_id = {APPLICATION_ID};
"#
    )
}

fn v2() -> String {
    "CREATE INDEX reports_unit_period ON reports(unit_id, period) WHERE active = 1;".into()
}

fn v3() -> String {
    "CREATE INDEX reports_figures ON reports(indicator_id, unit_id, period, value, basis, numerator, denominator)
     WHERE active = 1;"
        .into()
}

fn v4() -> String {
    "-- The figure this one made history (the 'before' of its audit line).
     ALTER TABLE reports ADD COLUMN replaces INTEGER;
     -- 1: the line stands for every figure of its batch (reports with its
     -- batch_id, each with the figure it replaced), not for one figure.
     ALTER TABLE audit_log ADD COLUMN covers_batch INTEGER NOT NULL DEFAULT 0 CHECK (covers_batch IN (0, 1));"
        .into()
}

fn v5() -> String {
    // An import writes one unit's figures for one period: in this order they
    // land next to each other instead of one per leaf page all over the
    // index, and the index also serves the look-up of what a file
    // supersedes, so the index of version 2 goes.
    "DROP INDEX reports_figures;
     DROP INDEX reports_unit_period;
     CREATE INDEX reports_figures ON reports(unit_id, period, indicator_id, value, basis, numerator, denominator)
     WHERE active = 1;"
        .into()
}

fn v6() -> String {
    // 1: every figure of the batch names the figure it replaced (imports
    // since version 4, the ones with a line covering the batch); an undo
    // follows those links. 0: older, the undo searches as it used to.
    "ALTER TABLE batches ADD COLUMN figures_chained INTEGER NOT NULL DEFAULT 0 CHECK (figures_chained IN (0, 1));
     UPDATE batches SET figures_chained = 1
     WHERE id IN (SELECT batch_id FROM audit_log WHERE covers_batch = 1);"
        .into()
}

fn v7() -> String {
    // Until now the stored aggregation was the plan's or the kind's default;
    // from here the rules (docs/indicator-rules.md) choose it unless it was
    // set: 1 marks one set by the plan or the user. The reporting units set
    // for an indicator, in order; none stored: the rules decide.
    // `designated_unit_id` is the city reporter set for the indicator.
    "ALTER TABLE indicators ADD COLUMN aggregation_set INTEGER NOT NULL DEFAULT 0 CHECK (aggregation_set IN (0, 1));
     CREATE TABLE indicator_units (
         indicator_id    INTEGER NOT NULL REFERENCES indicators(id) ON DELETE CASCADE,
         unit_id         INTEGER NOT NULL REFERENCES units(id) ON DELETE CASCADE,
         position        INTEGER NOT NULL,
         PRIMARY KEY (indicator_id, unit_id)
     );"
    .into()
}

fn v8() -> String {
    // SQLite cannot widen a CHECK in place: the table is rebuilt with every
    // line kept (same ids, so nothing that points at a line moves). The
    // actions are written out as they are at this version.
    format!(
        "CREATE TABLE audit_log_v8 (
             id              INTEGER PRIMARY KEY,
             at              TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
             actor           TEXT NOT NULL,
             action          TEXT NOT NULL CHECK (action IN ('import', 'undo', 'edit', 'correct', 'restore', 'lock', 'unlock', 'target', 'indicator', 'unit')),
             indicator_id    INTEGER,
             indicator_code  TEXT NOT NULL,
             unit_id         INTEGER,
             unit_name       TEXT NOT NULL,
             -- none for a change that is not a period's (a unit's target)
             period          TEXT CHECK (period IS NULL OR period GLOB {PERIOD_GLOB}),
             before          REAL,
             after           REAL,
             batch_id        INTEGER,
             note            TEXT NOT NULL DEFAULT '',
             covers_batch    INTEGER NOT NULL DEFAULT 0 CHECK (covers_batch IN (0, 1)),
             -- an indicator's field changed ('indicator'): which, and its
             -- values before and after as text
             field           TEXT,
             before_text     TEXT,
             after_text      TEXT
         );
         INSERT INTO audit_log_v8 (id, at, actor, action, indicator_id, indicator_code, unit_id, unit_name, period, before, after, batch_id, note, covers_batch)
             SELECT id, at, actor, action, indicator_id, indicator_code, unit_id, unit_name, period, before, after, batch_id, note, covers_batch FROM audit_log;
         DROP TABLE audit_log;
         ALTER TABLE audit_log_v8 RENAME TO audit_log;
         CREATE INDEX audit_indicator ON audit_log(indicator_id, period);"
    )
}

fn v9() -> String {
    // NULL: the target is the plan's. Set: the plan's target before the
    // first revision; `target` holds the revised one.
    "ALTER TABLE indicators ADD COLUMN original_target REAL;
     ALTER TABLE indicators ADD COLUMN target_revised_at TEXT;
     ALTER TABLE indicators ADD COLUMN target_reason TEXT;"
        .into()
}

fn v10() -> String {
    // As in version 8: the table is rebuilt to widen the CHECK, every line
    // kept with its id. `task_id` and `task_path` name the task a 'task'
    // line changed (the path survives the task's deletion).
    "CREATE TABLE audit_log_v10 (
         id              INTEGER PRIMARY KEY,
         at              TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
         actor           TEXT NOT NULL,
         action          TEXT NOT NULL CHECK (action IN ('import', 'undo', 'edit', 'correct', 'restore', 'lock', 'unlock', 'target', 'indicator', 'unit', 'task')),
         indicator_id    INTEGER,
         indicator_code  TEXT NOT NULL,
         unit_id         INTEGER,
         unit_name       TEXT NOT NULL,
         period          TEXT CHECK (period IS NULL OR period GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
         before          REAL,
         after           REAL,
         batch_id        INTEGER,
         note            TEXT NOT NULL DEFAULT '',
         covers_batch    INTEGER NOT NULL DEFAULT 0 CHECK (covers_batch IN (0, 1)),
         field           TEXT,
         before_text     TEXT,
         after_text      TEXT,
         task_id         INTEGER,
         task_path       TEXT
     );
     INSERT INTO audit_log_v10 (id, at, actor, action, indicator_id, indicator_code, unit_id, unit_name, period, before, after, batch_id, note, covers_batch, field, before_text, after_text)
         SELECT id, at, actor, action, indicator_id, indicator_code, unit_id, unit_name, period, before, after, batch_id, note, covers_batch, field, before_text, after_text FROM audit_log;
     DROP TABLE audit_log;
     ALTER TABLE audit_log_v10 RENAME TO audit_log;
     CREATE INDEX audit_indicator ON audit_log(indicator_id, period);
     -- An indicator retired or added by hand: a re-import of the plan's
     -- document leaves the one retired and keeps the one added.
     ALTER TABLE indicators ADD COLUMN retired_by_hand INTEGER NOT NULL DEFAULT 0 CHECK (retired_by_hand IN (0, 1));
     ALTER TABLE indicators ADD COLUMN added_by_hand INTEGER NOT NULL DEFAULT 0 CHECK (added_by_hand IN (0, 1));"
        .into()
}

/// Brings the ledger up to [`LATEST_VERSION`], one transaction per step.
pub(super) fn migrate(db: &Db) -> Result<()> {
    migrate_to(db, LATEST_VERSION)
}

/// The number of migrations the ledger has had.
pub(super) fn version(db: &Db) -> Result<i64> {
    if db.is_postgres() {
        return db
            .query_row(
                "SELECT coalesce(max(version), 0) FROM schema_version",
                [],
                |r| r.get(0),
            )
            .context("reading the schema version");
    }
    db.query_row("PRAGMA user_version", [], |r| r.get(0))
        .context("reading the schema version")
}

/// Brings the ledger up to `version` (used by tests to build old files).
pub(super) fn migrate_to(db: &Db, version: i64) -> Result<()> {
    if db.is_postgres() {
        db.execute_batch("CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL)")
            .context("creating the schema version table")?;
    }
    let mut current = self::version(db)?;
    for (i, m) in MIGRATIONS.iter().enumerate() {
        let to = i as i64 + 1;
        if to <= current || to > version {
            continue;
        }
        let tx = db
            .transaction()
            .context(&format!("starting migration {to}"))?;
        if db.is_postgres() {
            // Another first start may have migrated while this one waited
            // for the lock.
            current = self::version(&tx)?;
            if to <= current {
                continue;
            }
        }
        tx.execute_batch(&(m.sql)())
            .context(&format!("migration {to} ({})", m.description))?;
        if db.is_postgres() {
            restart_identities(&tx)?;
            tx.execute("DELETE FROM schema_version", [])
                .and_then(|_| tx.execute("INSERT INTO schema_version (version) VALUES (?1)", [to]))
                .context(&format!("recording schema version {to}"))?;
        } else {
            tx.execute_batch(&format!("PRAGMA user_version = {to};"))
                .context(&format!("recording schema version {to}"))?;
        }
        tx.commit().context(&format!("committing migration {to}"))?;
    }
    Ok(())
}

/// On PostgreSQL, moves every table's id sequence past its largest id: rows
/// copied with their ids (a table rebuilt by a migration, a ledger moved in)
/// leave the sequence behind.
pub(super) fn restart_identities(db: &Db) -> Result<()> {
    let tables: Vec<String> = db
        .prepare(
            "SELECT table_name FROM information_schema.columns
             WHERE table_schema = current_schema() AND column_name = 'id' AND is_identity = 'YES'",
        )
        .and_then(|mut st| st.query_map([], |r| r.get(0))?.collect())
        .context("listing the id sequences")?;
    for t in tables {
        db.query_row(
            &format!(
                "SELECT setval(pg_get_serial_sequence('{t}', 'id'), coalesce(max(id), 0) + 1, false) FROM {t}"
            ),
            [],
            |_| Ok(()),
        )
        .context(&format!("moving the id sequence of {t}"))?;
    }
    Ok(())
}

/// Creates a database file at an earlier schema `version` — for testing that
/// every old file upgrades.
pub fn create_at_version(path: &std::path::Path, version: i64) -> Result<()> {
    let conn = Connection::open(path).context(&format!("creating {}", path.display()))?;
    conn.execute_batch("PRAGMA foreign_keys = ON;")
        .context("turning on foreign keys")?;
    migrate_to(&Db::Sqlite(conn), version)
}

fn v11() -> String {
    // The colours as they were when this migration shipped, written out.
    let status = "'done','on_track','lagging','behind','overdue','no_data'";
    format!(
        "CREATE TABLE meetings (
             id              INTEGER PRIMARY KEY,
             plan_id         INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
             as_of           TEXT NOT NULL CHECK (as_of GLOB {DATE_GLOB}),
             started_at      TEXT NOT NULL,
             started_by      TEXT NOT NULL
         );
         CREATE TABLE meeting_indicators (
             meeting_id      INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
             code            TEXT NOT NULL,
             name            TEXT NOT NULL,
             actual          REAL,
             status          TEXT NOT NULL CHECK (status IN ({status})),
             PRIMARY KEY (meeting_id, code)
         );
         CREATE TABLE meeting_units (
             meeting_id      INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
             unit            TEXT NOT NULL,
             rank            INTEGER NOT NULL CHECK (rank > 0),
             score           REAL,
             PRIMARY KEY (meeting_id, unit)
         );"
    )
}

fn v12() -> String {
    "ALTER TABLE indicators ADD COLUMN predecessor_id INTEGER REFERENCES indicators(id) ON DELETE SET NULL;
     ALTER TABLE indicators ADD COLUMN predecessor_confirmed INTEGER NOT NULL DEFAULT 0 CHECK (predecessor_confirmed IN (0, 1));
     CREATE INDEX indicators_predecessor ON indicators(predecessor_id);"
        .to_string()
}

fn v13() -> String {
    "ALTER TABLE batches ADD COLUMN returned INTEGER NOT NULL DEFAULT 0 CHECK (returned IN (0, 1));
     ALTER TABLE batches ADD COLUMN return_note TEXT;"
        .to_string()
}
