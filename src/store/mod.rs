//! The ledger's one SQLite file: opening it safely, its numbered migrations,
//! and every query the other layers need. SQL lives here and nowhere else.
//!
//! Opening is careful because the file is the coordinator's year of work:
//! before anything is written, the file is inspected read-only — is it a
//! SQLite file at all, does it pass `PRAGMA quick_check` (and the full
//! `integrity_check` before a migration), is it a Taizhang
//! database (its `application_id`), is it from a newer Taizhang? A file that
//! fails gets a clear error naming it and is left exactly as it was. Before a
//! migration runs, a copy of the file is taken next to it.

mod batches;
mod copy;
#[doc(hidden)]
pub mod db;
mod edit;
mod fs;
mod lineage;
mod meetings;
mod moving;
mod plan_edit;
mod plans;
mod reports;
mod schema;
mod server;
mod settings;
mod status;
mod targets;
mod units;

pub use batches::{BatchInfo, Import, NewBatch, Restored, sha256_hex};
pub use copy::{CopyWritten, MeetingCopy};
pub use edit::{FieldChange, IndicatorFields, TargetEdit};
pub use lineage::LineageYear;
pub use meetings::MeetingInfo;
pub use moving::{Moved, TableCount};
pub use plan_edit::{Reverted, TaskFields, TaskRow, units_from_text, units_text};
pub use plans::PlanImport;
pub use reports::{AuditEntry, ReportEntry};
pub use schema::{
    APPLICATION_ID, COPY_APPLICATION_ID, LATEST_VERSION, MIGRATIONS, Migration, create_at_version,
};
pub use server::is_server_address;
pub use status::{IndicatorInputs, IndicatorStatus, LatestProgress, StatusReport, judge};
pub use targets::{TargetChange, TargetsSet, UnitTarget};
pub use units::UnitsImport;

use db::Db;
use rusqlite::{Connection, OpenFlags};
use std::fmt;
use std::path::{Path, PathBuf};

/// What went wrong with the ledger. Each message is one plain line that
/// names the file or the thing at fault.
#[derive(Debug)]
pub enum StoreError {
    /// The file exists but is not a SQLite database.
    NotADatabase(PathBuf),
    /// A SQLite database made by something else.
    Foreign(PathBuf),
    /// The file fails the integrity check.
    Damaged { path: PathBuf, detail: String },
    /// Made by a newer Taizhang with a schema this one does not know.
    TooNew { path: PathBuf, version: i64 },
    /// The file or its folder cannot be read or written.
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The input is not acceptable (unknown name, bad value …).
    Invalid(String),
    /// The thing asked for does not exist.
    NotFound(String),
    /// A figure would change in a period locked before a meeting.
    Locked(String),
    /// The file is empty (0 bytes): not a ledger, perhaps an emptied one.
    Empty(PathBuf),
    /// A Taizhang file with no known schema version.
    NoVersion { path: PathBuf, version: i64 },
    /// The ledger, or a file beside it, cannot be written by this user
    /// where opening must write.
    CannotWrite(String),
    /// An imported figure is corrected without a reason.
    NeedsReason(String),
    /// The same file was imported before, or is given twice in one import.
    AlreadyImported(String),
    /// A unit that is not in the units catalogue.
    UnknownUnit(String),
    /// A meeting copy would replace a file that exists: an earlier copy
    /// (`is_copy`, replaced only when asked) or anything else (never).
    CopyTargetExists { path: PathBuf, is_copy: bool },
    /// A change asked of a meeting copy, which is open for reading only.
    MeetingCopy {
        path: PathBuf,
        taken: String,
        source: String,
    },
    /// Someone else changed the thing after this edit began: nothing was
    /// written. `by` and `at` are from the change log (empty when it has no
    /// line for the change, e.g. a re-imported plan).
    Conflict {
        what: String,
        by: String,
        at: String,
    },
    /// The PostgreSQL server cannot be reached, or refused the connection.
    Server { address: String, source: db::Error },
    /// SQLite refused; `context` says what we were doing.
    Sql { context: String, source: db::Error },
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::NotADatabase(p) => write!(
                f,
                "{}: not a Taizhang database (not a SQLite file); it was left untouched",
                p.display()
            ),
            StoreError::Foreign(p) => write!(
                f,
                "{}: a SQLite database of another program, not a Taizhang database; it was left untouched",
                p.display()
            ),
            StoreError::Damaged { path, detail } => write!(
                f,
                "{}: the database is damaged ({detail}); it was left untouched — restore a backup copy",
                path.display()
            ),
            StoreError::TooNew { path, version } => write!(
                f,
                "{}: made by a newer Taizhang (schema version {version}, this one knows up to {LATEST_VERSION}); update Taizhang",
                path.display()
            ),
            StoreError::Io { path, source } => write!(f, "{}: {source}", path.display()),
            StoreError::Empty(p) => write!(
                f,
                "{}: the file is empty (0 bytes), so it is not a ledger; if it was one, it has been emptied — open a backup copy (*.bak) instead; to start a new ledger, choose a file name that does not exist yet",
                p.display()
            ),
            StoreError::Conflict { what, by, at } if !by.is_empty() => write!(
                f,
                "{what} was changed by {by} at {at} after this edit began; nothing was saved — look at the change, then make yours again"
            ),
            StoreError::Conflict { what, .. } => write!(
                f,
                "{what} was changed after this edit began; nothing was saved — look at the change, then make yours again"
            ),
            StoreError::Server { address, source } => write!(
                f,
                "{address}: cannot open the ledger on the server ({source}); check the address, that the server is running and reachable, and the password in PGPASSWORD or the password file (~/.pgpass)"
            ),
            StoreError::NoVersion { path, version } => write!(
                f,
                "{}: a Taizhang file with no known schema version ({version}); it was left untouched — open a backup copy (*.bak)",
                path.display()
            ),
            StoreError::CopyTargetExists {
                path,
                is_copy: true,
            } => write!(
                f,
                "{}: an earlier meeting copy has this name; choose another name, or replace it (--replace)",
                path.display()
            ),
            StoreError::CopyTargetExists {
                path,
                is_copy: false,
            } => write!(
                f,
                "{}: a file of that name exists and is not a meeting copy, so it was not replaced; choose a name that does not exist yet",
                path.display()
            ),
            StoreError::MeetingCopy {
                path,
                taken,
                source,
            } => write!(
                f,
                "{}: a meeting copy of {source} taken {taken}, open for reading only; make changes in the ledger itself, then take a new copy",
                path.display()
            ),
            StoreError::Invalid(m)
            | StoreError::NotFound(m)
            | StoreError::Locked(m)
            | StoreError::CannotWrite(m)
            | StoreError::NeedsReason(m)
            | StoreError::AlreadyImported(m)
            | StoreError::UnknownUnit(m) => f.write_str(m),
            StoreError::Sql { context, source } => match trouble(source) {
                Some(Trouble::DiskFull) => write!(
                    f,
                    "no space left on the disk holding the ledger, or it refused the write ({context}: {source}); free some space and try again — nothing was changed"
                ),
                Some(Trouble::ReadOnly) => write!(
                    f,
                    "the ledger or its folder is read-only ({context}); ask for write access, or copy the ledger to a folder you can write to — nothing was changed"
                ),
                Some(Trouble::Busy) => write!(
                    f,
                    "the ledger is being changed by another program or another Taizhang window ({context}); try again when it has finished — nothing was changed"
                ),
                None => write!(f, "{context}: {source}"),
            },
        }
    }
}

/// Trouble with the disk or another program, told apart from a damaged
/// file: each needs its own advice, and none of them is "restore a backup".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trouble {
    /// The disk is full (SQLITE_FULL) or refused a write (a quota, a size
    /// limit, a failing disk: SQLITE_IOERR_WRITE).
    DiskFull,
    /// The file or its folder cannot be written (SQLITE_READONLY, or a
    /// journal that cannot be created).
    ReadOnly,
    /// Another connection holds the write lock past the wait (SQLITE_BUSY).
    Busy,
}

fn trouble(e: &db::Error) -> Option<Trouble> {
    use rusqlite::ErrorCode::*;
    if let Some(state) = e.sql_state() {
        use postgres::error::SqlState;
        return match state {
            s if *s == SqlState::DISK_FULL || *s == SqlState::OUT_OF_MEMORY => {
                Some(Trouble::DiskFull)
            }
            s if *s == SqlState::READ_ONLY_SQL_TRANSACTION
                || *s == SqlState::INSUFFICIENT_PRIVILEGE =>
            {
                Some(Trouble::ReadOnly)
            }
            s if *s == SqlState::LOCK_NOT_AVAILABLE
                || *s == SqlState::T_R_DEADLOCK_DETECTED
                || *s == SqlState::T_R_SERIALIZATION_FAILURE
                || *s == SqlState::QUERY_CANCELED =>
            {
                Some(Trouble::Busy)
            }
            _ => None,
        };
    }
    let e = e.as_sqlite()?;
    // A write the disk refused (SQLITE_IOERR_WRITE): full, over a quota or
    // a file-size limit, or failing; nothing of the transaction was kept.
    const IOERR_WRITE: i32 = 778;
    if let rusqlite::Error::SqliteFailure(f, _) = e
        && f.extended_code == IOERR_WRITE
    {
        return Some(Trouble::DiskFull);
    }
    match e.sqlite_error_code()? {
        DiskFull => Some(Trouble::DiskFull),
        ReadOnly => Some(Trouble::ReadOnly),
        DatabaseBusy | DatabaseLocked => Some(Trouble::Busy),
        _ => None,
    }
}

impl StoreError {
    /// Trouble with the disk or another program, if that is what this is
    /// (the caller names the ledger's file beside the message).
    pub fn trouble(&self) -> Option<Trouble> {
        match self {
            StoreError::Sql { source, .. } => trouble(source),
            _ => None,
        }
    }
}

impl std::error::Error for StoreError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            StoreError::Io { source, .. } => Some(source),
            StoreError::Sql { source, .. } | StoreError::Server { source, .. } => Some(source),
            _ => None,
        }
    }
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// Adds what we were doing to a SQLite error.
pub(crate) trait Context<T> {
    fn context(self, what: &str) -> Result<T>;
}

impl<T> Context<T> for db::Result<T> {
    fn context(self, what: &str) -> Result<T> {
        self.map_err(|source| StoreError::Sql {
            context: what.to_string(),
            source,
        })
    }
}

impl<T> Context<T> for rusqlite::Result<T> {
    fn context(self, what: &str) -> Result<T> {
        self.map_err(|source| StoreError::Sql {
            context: what.to_string(),
            source: source.into(),
        })
    }
}

/// Something the user is told about how the ledger was opened; worded by
/// whoever shows it (plain English here, the window's language there).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Notice {
    /// Migrated to a newer schema; the file as it was is at `copy`.
    Upgraded { from: i64, to: i64, copy: PathBuf },
    /// On a network share: rollback journal, every write synced.
    NetworkShare(PathBuf),
    /// This user cannot write the ledger or its folder: open for reading.
    ReadOnly(PathBuf),
}

impl fmt::Display for Notice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Notice::Upgraded { from, to, copy } => write!(
                f,
                "upgraded the database from version {from} to {to}; the previous file was copied to {}",
                copy.display()
            ),
            Notice::NetworkShare(p) => write!(
                f,
                "{} is on a network share: write-ahead logging is off and every write is synced; keep the file on a local disk for speed, and let one person at a time change it",
                p.display()
            ),
            Notice::ReadOnly(p) => write!(
                f,
                "{}: the ledger or its folder cannot be written by this user; it is open for reading, and changes will be refused",
                p.display()
            ),
        }
    }
}

/// How the file keeps its journal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Journal {
    /// Write-ahead log with `synchronous=NORMAL`: fast and safe on a local disk.
    Wal,
    /// Rollback journal with `synchronous=FULL`: the safe choice on a network
    /// share, where WAL's shared memory does not work.
    Rollback,
}

/// The ledger. One per open file; not shared between threads (open another).
pub struct Store {
    conn: Db,
    path: Option<PathBuf>,
    actor: String,
    /// The account changes are made from: the operating-system user, or
    /// on a server the database user.
    account: String,
    journal: Journal,
    notices: Vec<Notice>,
    /// Opened with the page check deferred ([`Store::open_check_later`]):
    /// read-only until [`Store::verify`] passes.
    unverified: bool,
    /// A meeting copy, open for reading only.
    copy: Option<MeetingCopy>,
}

const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

impl Store {
    /// Opens (or creates) the ledger at `path`, choosing the journal by the
    /// kind of disk it is on.
    pub fn open(path: &Path) -> Result<Store> {
        if is_server_address(path) {
            return Store::open_server(&path.to_string_lossy());
        }
        let journal = if fs::is_network_path(path) {
            Journal::Rollback
        } else {
            Journal::Wal
        };
        Store::open_with(path, journal)
    }

    /// Opens the ledger at `path` for reading at once, leaving the walk over
    /// its pages (`quick_check`, ~0.5 s on a 300 MB ledger) for later: the
    /// connection refuses every write until [`Store::verify`] has passed. A
    /// file that needs a migration, or a new file, is checked (or created)
    /// as [`Store::open`] does. The window uses this to show the data first.
    pub fn open_check_later(path: &Path) -> Result<Store> {
        if is_server_address(path) {
            return Store::open_server(&path.to_string_lossy());
        }
        let journal = if fs::is_network_path(path) {
            Journal::Rollback
        } else {
            Journal::Wal
        };
        Store::open_inner(path, journal, false)
    }

    /// Runs the page check that [`Store::open_check_later`] deferred and, if
    /// the file passes, allows writing. A file that fails stays read-only.
    pub fn verify(&mut self) -> Result<()> {
        if !self.unverified {
            return Ok(());
        }
        let checks: Vec<String> = self
            .conn
            .prepare("PRAGMA quick_check")
            .and_then(|mut st| st.query_map([], |r| r.get(0))?.collect())
            .context("checking the ledger")?;
        if checks.len() != 1 || checks[0] != "ok" {
            return Err(StoreError::Damaged {
                path: self.path.clone().unwrap_or_default(),
                detail: checks.join("; "),
            });
        }
        self.conn
            .execute_batch("PRAGMA query_only = OFF;")
            .context("opening the ledger for writing")?;
        self.unverified = false;
        Ok(())
    }

    /// Opens (or creates) the ledger at `path` with the given journal mode.
    pub fn open_with(path: &Path, journal: Journal) -> Result<Store> {
        if is_server_address(path) {
            return Store::open_server(&path.to_string_lossy());
        }
        Store::open_inner(path, journal, true)
    }

    fn open_inner(path: &Path, journal: Journal, check_now: bool) -> Result<Store> {
        let mut notices = Vec::new();
        // The page check runs on the connection that will write, which stays
        // read-only (query_only) until it passes: a check on a separate
        // read-only connection passed a file cut short that the writing
        // connection then damaged. Only where opening itself writes — a
        // migration (checked whole first, in `inspect`) or a change of
        // journal mode — is the file checked read-only beforehand.
        let existing = inspect(path, journal)?;
        if let Some(found) = &existing
            && let Some(copy) = &found.copy
        {
            return Store::open_meeting_copy(path, found, copy.clone());
        }
        let unverified = existing.as_ref().is_some_and(|f| {
            f.has_tables && f.version == LATEST_VERSION && f.wal == (journal == Journal::Wal)
        });
        if let Some(found) = &existing
            && found.has_tables
            && found.version < LATEST_VERSION
        {
            let copy = backup_path(path, found.version);
            backup_file(path, &copy)?;
            notices.push(Notice::Upgraded {
                from: found.version,
                to: LATEST_VERSION,
                copy,
            });
        }
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|source| StoreError::Io {
                path: parent.to_path_buf(),
                source,
            })?;
        }
        let conn = Connection::open(path)
            .map(Db::Sqlite)
            .map_err(|source| match source {
                rusqlite::Error::SqliteFailure(..) => StoreError::Io {
                    path: path.to_path_buf(),
                    source: std::io::Error::other(source.to_string()),
                },
                other => StoreError::Sql {
                    context: format!("opening {}", path.display()),
                    source: other.into(),
                },
            })?;
        if journal == Journal::Rollback {
            notices.push(Notice::NetworkShare(path.to_path_buf()));
        }
        let mut store = Store {
            conn,
            path: Some(path.to_path_buf()),
            actor: default_actor(),
            account: default_actor(),
            journal,
            notices,
            unverified,
            copy: None,
        };
        if unverified {
            store
                .conn
                .execute_batch("PRAGMA query_only = ON;")
                .context("opening the ledger for reading")?;
        }
        if let Err(e) = store.configure() {
            // A ledger in a folder (or a file) this user cannot write: open
            // it for reading, so that looking at it still works; every
            // change is then refused as read-only.
            let cannot_write = e.trouble() == Some(Trouble::ReadOnly)
                || matches!(&e, StoreError::Sql { source, .. }
                    if source.sqlite_error_code() == Some(rusqlite::ErrorCode::CannotOpen));
            if !(cannot_write && existing.is_some()) {
                return Err(e);
            }
            let shm = PathBuf::from(format!("{}-shm", path.display()));
            if shm.exists() && std::fs::OpenOptions::new().write(true).open(&shm).is_err() {
                return Err(StoreError::CannotWrite(format!(
                    "{}: its shared-memory file {} cannot be written (it belongs to another user, or is read-only); close Taizhang for that user, then delete {} (it only mirrors the ledger) or give it write access",
                    path.display(),
                    shm.display(),
                    shm.display()
                )));
            }
            store.conn = read_only(path)
                .map(Db::Sqlite)
                .map_err(|e| StoreError::Io {
                    path: path.to_path_buf(),
                    source: std::io::Error::other(e.to_string()),
                })?;
            store.unverified = false;
            store.notices.push(Notice::ReadOnly(path.to_path_buf()));
            if existing
                .as_ref()
                .is_some_and(|f| f.version < LATEST_VERSION)
            {
                return Err(StoreError::CannotWrite(format!(
                    "{}: the ledger needs an upgrade, but it or its folder cannot be written by this user; ask for write access, or copy it to a folder you can write to",
                    path.display()
                )));
            }
            return Ok(store);
        }
        schema::migrate(&store.conn)?;
        if check_now {
            store.verify()?;
        }
        Ok(store)
    }

    /// A new ledger in a file this process has just made (empty): no
    /// inspection, a rollback journal. For a copy being written.
    pub(super) fn create_in_new_file(path: &Path) -> Result<Store> {
        let conn = Connection::open(path).context(&format!("creating {}", path.display()))?;
        Store::new_sqlite(conn, Some(path))
    }

    /// A ledger in memory, for tests and dry runs.
    pub fn open_in_memory() -> Result<Store> {
        let conn = Connection::open_in_memory().context("opening an in-memory database")?;
        Store::new_sqlite(conn, None)
    }

    /// A new SQLite ledger on `conn` (rollback journal), configured and
    /// migrated.
    fn new_sqlite(conn: Connection, path: Option<&Path>) -> Result<Store> {
        let store = Store {
            conn: Db::Sqlite(conn),
            path: path.map(Path::to_path_buf),
            actor: default_actor(),
            account: default_actor(),
            journal: Journal::Rollback,
            notices: Vec::new(),
            unverified: false,
            copy: None,
        };
        store.configure()?;
        schema::migrate(&store.conn)?;
        Ok(store)
    }

    /// Opens a meeting copy for reading only: no journal, no migration, not
    /// even a `-shm` file beside it, so it opens from a read-only stick too.
    fn open_meeting_copy(path: &Path, found: &Found, copy: MeetingCopy) -> Result<Store> {
        if found.version < LATEST_VERSION {
            return Err(StoreError::Invalid(format!(
                "{}: a meeting copy taken {} by an older Taizhang; take a new copy from the ledger",
                path.display(),
                copy.taken_short()
            )));
        }
        let conn = read_only(path)
            .map(Db::Sqlite)
            .map_err(|e| StoreError::Io {
                path: path.to_path_buf(),
                source: std::io::Error::other(e.to_string()),
            })?;
        Ok(Store {
            conn,
            path: Some(path.to_path_buf()),
            actor: default_actor(),
            account: default_actor(),
            journal: Journal::Rollback,
            // Said by whoever opened it (`Store::meeting_copy`), in its
            // own words and language.
            notices: Vec::new(),
            unverified: false,
            copy: Some(copy),
        })
    }

    fn configure(&self) -> Result<()> {
        let Some(c) = self.conn.lite() else {
            return Ok(());
        };
        c.busy_timeout(std::time::Duration::from_secs(5))
            .context("setting the busy timeout")?;
        c.execute_batch("PRAGMA foreign_keys = ON;")
            .context("turning on foreign keys")?;
        // A month's returns from a whole city are one transaction of a few
        // megabytes: keep its pages (32 MB at most) and the savepoints'
        // journals in memory rather than spilling them to disk mid-way.
        c.execute_batch("PRAGMA cache_size = -32768; PRAGMA temp_store = MEMORY;")
            .context("sizing the page cache")?;
        // A new file gets 8 KiB pages: a month's returns store each file's
        // bytes beside its figures, and with half as many pages an import
        // writes ~9% faster (the generator's 240 files, `benches/import.rs`).
        // An existing file keeps the size it was made with: SQLite ignores
        // this once the file has content.
        c.execute_batch("PRAGMA page_size = 8192;")
            .context("setting the page size")?;
        if self.path.is_some() {
            let pragmas = match self.journal {
                Journal::Wal => "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;",
                Journal::Rollback => "PRAGMA journal_mode = DELETE; PRAGMA synchronous = FULL;",
            };
            c.execute_batch(pragmas)
                .context("setting the journal mode")?;
        }
        Ok(())
    }

    /// Sets who is making changes (kept in the audit log and on batches).
    pub fn set_actor(&mut self, actor: &str) {
        self.actor = actor.to_string();
    }

    /// Names the person making changes: `张三（account）` in the audit log;
    /// an empty name leaves the account alone.
    pub fn set_display_name(&mut self, name: &str) {
        let account = self.account.clone();
        self.actor = match name.trim() {
            "" => account,
            name => format!("{name}（{account}）"),
        };
    }

    /// Who is making changes.
    pub fn actor(&self) -> &str {
        &self.actor
    }

    /// The file, or `None` in memory.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The journal mode in force.
    pub fn journal(&self) -> Journal {
        self.journal
    }

    /// Things the user should be told about how the file was opened
    /// (upgraded, on a network share …).
    pub fn notices(&self) -> &[Notice] {
        &self.notices
    }

    /// The schema version of the open file.
    pub fn version(&self) -> Result<i64> {
        schema::version(&self.conn)
    }

    /// Runs `PRAGMA integrity_check` and `PRAGMA foreign_key_check`;
    /// `Ok(())` when the file is sound and nothing refers to a row that is
    /// gone.
    pub fn integrity_check(&self) -> Result<()> {
        if self.conn.is_postgres() {
            // The server keeps its pages and enforces every reference.
            return Ok(());
        }
        let found: Vec<String> = {
            let mut st = self
                .conn
                .prepare("PRAGMA integrity_check")
                .context("checking integrity")?;
            st.query_map([], |r| r.get(0))
                .context("checking integrity")?
                .collect::<db::Result<_>>()
                .context("checking integrity")?
        };
        if found.len() != 1 || found[0] != "ok" {
            return Err(StoreError::Damaged {
                path: self.path.clone().unwrap_or_default(),
                detail: found.join("; "),
            });
        }
        let dangling: Vec<String> = {
            let mut st = self
                .conn
                .prepare("PRAGMA foreign_key_check")
                .context("checking references")?;
            st.query_map([], |r| {
                Ok(format!(
                    "row {} of {} refers to a missing row of {}",
                    r.get::<_, Option<i64>>(1)?.unwrap_or_default(),
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(2)?
                ))
            })
            .context("checking references")?
            .collect::<db::Result<_>>()
            .context("checking references")?
        };
        if dangling.is_empty() {
            Ok(())
        } else {
            Err(StoreError::Damaged {
                path: self.path.clone().unwrap_or_default(),
                detail: dangling.join("; "),
            })
        }
    }

    /// Writes a consistent copy of the ledger to `dest` (SQLite's online
    /// backup, safe while the file is in use).
    pub fn backup_to(&self, dest: &Path) -> Result<()> {
        let Some(conn) = self.conn.lite() else {
            return Err(StoreError::Invalid(format!(
                "{}: a server ledger is backed up by its server; take a meeting copy instead",
                dest.display()
            )));
        };
        conn.backup(
            rusqlite::MAIN_DB,
            dest,
            None::<fn(rusqlite::backup::Progress)>,
        )
        .context(&format!("backing up to {}", dest.display()))
    }
}

/// The operating-system user, as the default actor of changes: from the
/// environment, else (Unix) the account database, else "unknown".
fn default_actor() -> String {
    ["USER", "USERNAME", "LOGNAME"]
        .iter()
        .filter_map(|k| std::env::var(k).ok())
        .find(|v| !v.trim().is_empty())
        .or_else(account_name)
        .unwrap_or_else(|| "unknown".to_string())
}

#[cfg(unix)]
fn account_name() -> Option<String> {
    let mut buf = vec![0 as libc::c_char; 4096];
    // SAFETY: passwd and result are written by getpwuid_r only; buf outlives
    // the use of pw_name, which points into it.
    unsafe {
        let mut pwd: libc::passwd = std::mem::zeroed();
        let mut result: *mut libc::passwd = std::ptr::null_mut();
        let rc = libc::getpwuid_r(
            libc::getuid(),
            &mut pwd,
            buf.as_mut_ptr(),
            buf.len(),
            &mut result,
        );
        if rc != 0 || result.is_null() || pwd.pw_name.is_null() {
            return None;
        }
        let name = std::ffi::CStr::from_ptr(pwd.pw_name)
            .to_string_lossy()
            .into_owned();
        (!name.is_empty()).then_some(name)
    }
}

#[cfg(not(unix))]
fn account_name() -> Option<String> {
    None
}

/// What a read-only look at an existing file found.
struct Found {
    version: i64,
    has_tables: bool,
    /// The header says write-ahead logging (bytes 18 and 19 are 2).
    wal: bool,
    /// The file is a meeting copy.
    copy: Option<MeetingCopy>,
}

/// Looks at an existing file without writing to it. `Ok(None)` when there is
/// no file yet (or an empty one, which SQLite treats as a new database).
fn inspect(path: &Path, journal: Journal) -> Result<Option<Found>> {
    let io = |source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    };
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io(e)),
    };
    if meta.is_dir() {
        return Err(StoreError::Invalid(format!(
            "{}: is a folder, not a database file",
            path.display()
        )));
    }
    if meta.len() == 0 {
        // SQLite would make it a new ledger; an emptied ledger must not be
        // silently replaced by an empty one.
        return Err(StoreError::Empty(path.to_path_buf()));
    }
    let mut head = [0u8; 100];
    {
        use std::io::Read;
        let mut f = std::fs::File::open(path).map_err(io)?;
        let n = f.read(&mut head).map_err(io)?;
        if n < 100 || &head[..16] != SQLITE_MAGIC {
            return Err(StoreError::NotADatabase(path.to_path_buf()));
        }
    }
    let damaged = |detail: String| StoreError::Damaged {
        path: path.to_path_buf(),
        detail,
    };
    let wal = PathBuf::from(format!("{}-wal", path.display()));
    // A whole file is a whole number of pages, and no shorter than its
    // header says (when that count is current): a file cut short is damaged
    // even where its b-trees, read with the missing bytes as zeros, pass.
    let be32 = |at: usize| u32::from_be_bytes([head[at], head[at + 1], head[at + 2], head[at + 3]]);
    let page_size = match u16::from_be_bytes([head[16], head[17]]) {
        1 => 65_536,
        n => n as u64,
    };
    if page_size < 512 || !page_size.is_power_of_two() {
        return Err(damaged(format!(
            "the header gives a page size of {page_size}"
        )));
    }
    if meta.len() % page_size != 0 {
        return Err(damaged(format!(
            "the file is {} bytes, not a whole number of {page_size}-byte pages: it was cut short",
            meta.len()
        )));
    }
    let header_pages = be32(28) as u64;
    if !wal.exists() && be32(92) == be32(24) && header_pages * page_size > meta.len() {
        return Err(damaged(format!(
            "the file holds {} pages, its header {header_pages}: it was cut short",
            meta.len() / page_size
        )));
    }
    let ro = read_only(path).map_err(|e| damaged(e.to_string()))?;
    // Every open walks the b-trees (`quick_check`: truncation, torn pages,
    // broken structure; ~0.5 s for a 300 MB city-scale ledger). The full
    // `integrity_check`, which also compares every index with its table and
    // takes several times as long, runs before a migration rewrites the file.
    let check = |pragma: &str| -> Result<()> {
        let checks: Vec<String> = ro
            .prepare(pragma)
            .and_then(|mut st| st.query_map([], |r| r.get(0))?.collect())
            .map_err(|e| damaged(e.to_string()))?;
        if checks.len() != 1 || checks[0] != "ok" {
            return Err(damaged(checks.join("; ")));
        }
        Ok(())
    };
    let app_id: i64 = ro
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .map_err(|e| damaged(e.to_string()))?;
    let version: i64 = ro
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|e| damaged(e.to_string()))?;
    let has_tables = ro
        .query_row("SELECT 1 FROM sqlite_master LIMIT 1", [], |_| Ok(()))
        .map(Some)
        .or_else(|e| match e {
            rusqlite::Error::QueryReturnedNoRows => Ok(None),
            e => Err(e),
        })
        .map_err(|e| damaged(e.to_string()))?
        .is_some();
    if has_tables && app_id != APPLICATION_ID && app_id != COPY_APPLICATION_ID {
        return Err(StoreError::Foreign(path.to_path_buf()));
    }
    if has_tables && version <= 0 {
        return Err(StoreError::NoVersion {
            path: path.to_path_buf(),
            version,
        });
    }
    if version > LATEST_VERSION {
        return Err(StoreError::TooNew {
            path: path.to_path_buf(),
            version,
        });
    }
    let wal_mode = head[18] == 2 && head[19] == 2;
    if has_tables && version < LATEST_VERSION {
        check("PRAGMA integrity_check")?;
    } else if !has_tables || wal_mode != (journal == Journal::Wal) {
        check("PRAGMA quick_check")?;
    }
    Ok(Some(Found {
        version,
        has_tables,
        wal: wal_mode,
        copy: if has_tables {
            copy::copy_mark(&ro, app_id)
        } else {
            None
        },
    }))
}

/// A read-only connection to a ledger. With no write-ahead log beside it,
/// the file alone is the whole database: it is opened immutable, so that
/// not even a `-shm` file is created next to it.
fn read_only(path: &Path) -> rusqlite::Result<Connection> {
    let wal = PathBuf::from(format!("{}-wal", path.display()));
    if wal.exists() {
        Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
    } else {
        Connection::open_with_flags(
            file_uri(path, "immutable=1"),
            OpenFlags::SQLITE_OPEN_READ_ONLY
                | OpenFlags::SQLITE_OPEN_NO_MUTEX
                | OpenFlags::SQLITE_OPEN_URI,
        )
    }
}

/// A `file:` URI for `path` with a query, percent-encoding what URIs reserve.
fn file_uri(path: &Path, query: &str) -> String {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let text = abs.to_string_lossy().replace('\\', "/");
    let mut out = String::from("file:");
    if !text.starts_with('/') {
        out.push('/'); // a Windows drive path: file:/C:/...
    }
    for b in text.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' | b':' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out.push('?');
    out.push_str(query);
    out
}

/// Where the copy taken before migrating from `version` goes:
/// `ledger.sqlite3` → `ledger.sqlite3.v1.bak`, numbered if it exists.
pub fn backup_path(path: &Path, version: i64) -> PathBuf {
    let base = format!("{}.v{version}.bak", path.display());
    let mut candidate = PathBuf::from(&base);
    let mut n = 2;
    while candidate.exists() {
        candidate = PathBuf::from(format!("{base}{n}"));
        n += 1;
    }
    candidate
}

/// Copies the database consistently (through SQLite, so a pending WAL is
/// included) before it is changed.
fn backup_file(path: &Path, dest: &Path) -> Result<()> {
    let src = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .context(&format!("opening {} to back it up", path.display()))?;
    src.backup(
        rusqlite::MAIN_DB,
        dest,
        None::<fn(rusqlite::backup::Progress)>,
    )
    .context(&format!("copying {} to {}", path.display(), dest.display()))
}
