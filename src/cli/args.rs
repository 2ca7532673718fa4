//! Every option and command of `taizhang`, defined in one place.

use crate::domain::{Date, Period};
use clap::{Args as ClapArgs, Parser, Subcommand};
use std::path::PathBuf;

/// 台账 Taizhang — the ledger of a city's annual work plan: tasks,
/// indicators, progress returns and 序时进度. With no command, opens the window.
#[derive(Parser, Debug)]
#[command(name = "taizhang", version, about, long_about = None)]
pub struct Args {
    /// The database file (default: taizhang.sqlite3 in the user's data folder;
    /// the TAIZHANG_DB environment variable overrides the default).
    #[arg(long, global = true, env = "TAIZHANG_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// Print machine-readable JSON instead of text.
    #[arg(long, global = true)]
    pub json: bool,

    /// Window only: open the given screen, wait until its data has loaded,
    /// save a screenshot to this PNG file and exit.
    #[arg(long, value_name = "OUT.png")]
    pub screenshot: Option<PathBuf>,

    /// Window only: the screen to open on.
    #[arg(long, value_parser = ["overview", "plan", "indicator", "units", "import", "audit", "meeting", "settings", "welcome"])]
    pub view: Option<String>,

    /// Window only: returns to read into the import preview at start, or a
    /// plan document (.txt, .docx) to open in its review.
    #[arg(long = "import", value_name = "FILE")]
    pub import_files: Vec<PathBuf>,

    /// Window only: open at this as-of date (YYYY-MM-DD) instead of today.
    #[arg(long = "as-of", id = "window_as_of", value_name = "DATE", value_parser = parse_date)]
    pub window_as_of: Option<Date>,

    /// Window only: the plan (its number in `plan list`) to open on.
    #[arg(long = "plan", id = "window_plan", value_name = "ID")]
    pub window_plan: Option<i64>,

    /// Window only: the indicator (code) the indicator screen opens on.
    #[arg(long = "indicator", value_name = "CODE")]
    pub open_indicator: Option<String>,

    /// Window only: what the indicator screen shows below its charts.
    #[arg(long = "indicator-tab", value_name = "TAB", value_parser = ["progress", "entry", "targets", "edit", "history", "lineage"])]
    pub indicator_tab: Option<String>,

    /// Window only: the language of the window for this run (zh or en),
    /// instead of the one chosen in 设置.
    #[arg(long = "lang", value_name = "LANG", value_parser = ["zh", "en"])]
    pub language: Option<String>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// The units catalogue (districts and departments).
    #[command(subcommand)]
    Units(UnitsCommand),
    /// Plans: import, list, show.
    #[command(subcommand)]
    Plan(PlanCommand),
    /// Reported figures entered by hand.
    #[command(subcommand)]
    Report(ReportCommand),
    /// The audit log (留痕): every change to a figure and every period lock,
    /// newest first.
    Audit(AuditArgs),
    /// Change a saved indicator: any field, a revised target (调整目标) with
    /// its reason, who reports it and how the city's figure is made.
    #[command(subcommand)]
    Indicator(IndicatorCommand),
    /// Units' own targets (任务分解): set one, list them, or a whole table
    /// exported and imported as .xlsx.
    #[command(subcommand)]
    Targets(TargetsCommand),
    /// Status of every indicator of a plan: completion, 序时进度, traffic light.
    Status(StatusArgs),
    /// Show or change the progress settings (thresholds, due-soon window, year start).
    Settings(SettingsArgs),
    /// Lock or unlock a period so that its figures stop moving before a meeting.
    #[command(subcommand)]
    Period(PeriodCommand),
    /// Progress returns: import spreadsheets, list batches, undo one.
    #[command(subcommand)]
    Returns(ReturnsCommand),
    /// Exports: a unit's fill-in template, the bulletin.
    #[command(subcommand)]
    Export(ExportCommand),
    /// 催报 notices: one per unit that has not reported the period due, with
    /// the indicators it owes and the day they were due.
    Remind {
        /// Only this unit.
        #[arg(long)]
        unit: Option<String>,
        /// The date the notices are sent (default: today).
        #[arg(long, value_parser = parse_date)]
        as_of: Option<Date>,
        /// The plan (default: the current one).
        #[arg(long)]
        plan: Option<i64>,
        /// Also write the notices as a workbook to print (.xlsx).
        #[arg(long, value_name = "FILE.xlsx")]
        out: Option<PathBuf>,
    },
    /// The same metric across plan years: each year's target and year-end
    /// figure (智慧社区示范点 50 → 150 → 累计不少于400).
    Lineage {
        /// The indicator (code, or name with --plan).
        indicator: String,
        /// The plan to look the name up in.
        #[arg(long)]
        plan: Option<i64>,
        /// The date the current year is judged at (default: today).
        #[arg(long, value_parser = parse_date)]
        as_of: Option<Date>,
    },
    /// Review meetings: freeze the state at the start of one, list them, and
    /// what changed since the last (自上次会议以来).
    #[command(subcommand)]
    Meeting(MeetingCommand),
    /// Moves a ledger file into an empty ledger on a PostgreSQL server
    /// (every plan, unit, figure, batch with its file, and the change log),
    /// then compares the counts; a second run finds it done and does nothing.
    Migrate {
        /// The SQLite ledger to move.
        #[arg(long, value_name = "FILE.sqlite3")]
        from: PathBuf,
        /// The server: postgres://user@host/database (the password in
        /// PGPASSWORD or ~/.pgpass, never in the address).
        #[arg(long, value_name = "URL")]
        to: String,
    },
    /// An offline meeting copy: the current plan with its figures, batches
    /// and change log, written to one SQLite file that a laptop opens
    /// without the network — for reading only, showing when it was taken.
    Snapshot {
        /// The file to write (a name that does not exist yet).
        #[arg(long, value_name = "FILE.sqlite3")]
        to: PathBuf,
        /// The plan (default: the current one).
        #[arg(long)]
        plan: Option<i64>,
        /// Replace FILE when it is an earlier meeting copy (never a ledger).
        #[arg(long)]
        replace: bool,
    },
    /// Build a demonstration database: the Zibo units, the 2023 Zibo plan
    /// (extracted from seeds/002) and the sample returns.
    Demo,
}

#[derive(Subcommand, Debug)]
pub enum MeetingCommand {
    /// Start a meeting: freeze every indicator's figure and colour and each
    /// unit's rank, and say what changed since the previous meeting.
    Start {
        /// The plan (default: the newest).
        #[arg(long)]
        plan: Option<i64>,
        /// The date to judge at (default: today).
        #[arg(long, value_parser = parse_date)]
        as_of: Option<Date>,
    },
    /// The plan's meetings, newest first.
    List {
        /// The plan (default: the newest).
        #[arg(long)]
        plan: Option<i64>,
    },
    /// What changed since a meeting: colours that changed (which way),
    /// units that moved in the ranking, new figures, indicators red for two
    /// meetings or more.
    Diff {
        /// The earlier meeting (default: the latest).
        #[arg(long)]
        since: Option<i64>,
        /// The later meeting (default: the state now, at --as-of).
        #[arg(long)]
        to: Option<i64>,
        /// The date to judge the state now at (default: today).
        #[arg(long, value_parser = parse_date)]
        as_of: Option<Date>,
        /// The plan (default: the newest).
        #[arg(long)]
        plan: Option<i64>,
    },
}

#[derive(Subcommand, Debug)]
pub enum ReturnsCommand {
    /// Read returns, match their rows to the plan and commit each file as a batch.
    Import(ReturnsImportArgs),
    /// List the import batches.
    Batches,
    /// Undo a batch: its figures stop counting, the ones they replaced count again.
    Undo {
        /// The batch id (see `returns batches`).
        batch: i64,
    },
    /// Restore an undone batch: its figures count again, except where a
    /// newer figure was entered since. A returned batch is taken back too.
    Restore {
        /// The batch id (see `returns batches`).
        batch: i64,
    },
    /// Send a batch back to its unit (退回): its figures stop counting until
    /// it is restored, and the 退回 notice names each row and what to fix.
    Return {
        /// The batch id (see `returns batches`).
        batch: i64,
        /// Also write the notice as a workbook to print (.xlsx).
        #[arg(long, value_name = "FILE.xlsx")]
        out: Option<PathBuf>,
    },
}

#[derive(ClapArgs, Debug)]
pub struct ReturnsImportArgs {
    /// The spreadsheets (.xlsx .xlsm .xlsb .xls .ods .csv, or an HTML table saved as .xls).
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// The plan to match against (default: the newest).
    #[arg(long)]
    pub plan: Option<i64>,
    /// The reporting unit, instead of what the file says.
    #[arg(long)]
    pub unit: Option<String>,
    /// The period (YYYY-MM), instead of what the file says.
    #[arg(long, value_parser = parse_period)]
    pub period: Option<Period>,
    /// Show what would be imported; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Import a file even if the same bytes were imported before.
    #[arg(long)]
    pub force: bool,
}

#[derive(Subcommand, Debug)]
pub enum UnitsCommand {
    /// Merge a units catalogue: JSON ({"units": [{"name", "kind", "aliases"}]})
    /// or a spreadsheet with 单位名称, 类型 (区县 / 部门) and 别名 columns.
    Import {
        /// The catalogue file.
        file: PathBuf,
    },
    /// List the units with their aliases.
    List,
    /// Add a unit.
    Add {
        name: String,
        /// district or department.
        #[arg(long)]
        kind: crate::domain::UnitKind,
    },
    /// Rename a unit; the old name becomes an alias.
    Rename {
        /// The unit (name or alias).
        name: String,
        /// Its new name.
        #[arg(long)]
        to: String,
    },
    /// Make a unit a district or a department.
    Kind {
        name: String,
        kind: crate::domain::UnitKind,
    },
    /// Add an alias to a unit (or remove one).
    Alias {
        name: String,
        alias: String,
        #[arg(long)]
        remove: bool,
    },
    /// Merge two units that turn out to be one: figures, batches, targets
    /// and aliases move to `--into`, and the name becomes its alias.
    Merge {
        /// The unit that goes.
        from: String,
        /// The unit that stays.
        #[arg(long)]
        into: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum PlanCommand {
    /// Extract a plan from a document (.txt or .docx) and print it; nothing is stored.
    Extract {
        /// The plan document.
        file: PathBuf,
        /// The plan year, when the document does not state it.
        #[arg(long)]
        year: Option<i32>,
    },
    /// Store a plan: a document (.txt/.docx, extracted first) or plan JSON.
    /// The same title, year and issuer updates the stored plan in place.
    Import {
        /// The plan document or plan JSON file.
        file: PathBuf,
        /// The plan year, when the document does not state it.
        #[arg(long)]
        year: Option<i32>,
    },
    /// List the stored plans.
    List,
    /// Show a plan's sections, tasks and indicators (as plan JSON with --json).
    Show {
        /// The plan's id (see `plan list`).
        id: i64,
    },
    /// List a plan's tasks with their paths, deadlines and responsible units.
    Tasks {
        /// The plan (default: the newest).
        #[arg(long)]
        plan: Option<i64>,
    },
    /// Change a task of a saved plan: title, deadline, responsible units.
    /// Each change is in the audit log.
    Task(TaskEditArgs),
}

#[derive(ClapArgs, Debug)]
pub struct TaskEditArgs {
    /// The task's path (see `plan tasks`), e.g. 二/5.
    pub path: String,
    /// The plan (default: the newest).
    #[arg(long)]
    pub plan: Option<i64>,
    #[arg(long)]
    pub title: Option<String>,
    /// The deadline (YYYY-MM-DD), or `none`.
    #[arg(long)]
    pub deadline: Option<String>,
    /// The lead units (牵头), comma-separated; replaces the lead units.
    #[arg(long)]
    pub lead: Option<String>,
    /// The supporting units (配合), comma-separated; replaces them.
    #[arg(long)]
    pub support: Option<String>,
}

#[derive(Subcommand, Debug)]
pub enum ReportCommand {
    /// Record a figure by hand (kept in the audit log like any other change).
    /// An imported figure is corrected with `report correct` instead.
    Add(ReportAddArgs),
    /// Correct a figure, imported or not, giving the reason: the figure it
    /// replaces stays as history, the reason goes to the audit log.
    Correct {
        #[command(flatten)]
        figure: ReportAddArgs,
        /// Why the figure changes (e.g. 区县来函更正).
        #[arg(long)]
        reason: String,
    },
    /// Revert one hand change of a figure (a line of `taizhang audit`): the
    /// figure goes back to its value before, the reverted one stays as history.
    Revert {
        /// The audit line's id.
        line: i64,
    },
}

#[derive(ClapArgs, Debug)]
pub struct ReportAddArgs {
    /// Indicator name or code.
    #[arg(long)]
    pub indicator: String,
    /// Reporting unit (name or alias).
    #[arg(long)]
    pub unit: String,
    /// The month the figure runs up to (YYYY-MM).
    #[arg(long, value_parser = parse_period)]
    pub period: Period,
    /// The figure, in the indicator's unit (40% is 40).
    #[arg(long, allow_hyphen_values = true)]
    pub value: String,
    /// 进展情况: what was done.
    #[arg(long)]
    pub text: Option<String>,
    /// 存在问题: problems.
    #[arg(long)]
    pub problems: Option<String>,
    /// 下步打算: next steps.
    #[arg(long)]
    pub next_steps: Option<String>,
    /// The figure is only this period's increment (本月新增), not the figure at its end.
    #[arg(long)]
    pub increment: bool,
    /// Restrict the indicator lookup to one plan.
    #[arg(long)]
    pub plan: Option<i64>,
}

#[derive(Subcommand, Debug)]
pub enum IndicatorCommand {
    /// Change fields of a saved indicator; each change is in the audit log.
    Edit(Box<IndicatorEditArgs>),
    /// Retire an indicator: out of status, templates and exports; its
    /// figures, targets and history are kept (`indicator restore` brings it
    /// back).
    Retire {
        /// The indicator (code or name).
        indicator: String,
        /// Why it is retired (goes to the audit log).
        #[arg(long)]
        reason: String,
        #[arg(long)]
        plan: Option<i64>,
    },
    /// Add an indicator to a saved plan (one the reading of its document
    /// missed): from a passage of the plan (`--text`), or by its fields.
    Add(IndicatorAddArgs),
    /// Link an indicator to the one it continues in an earlier year's plan
    /// (confirming or changing the proposed link); `--to none` unlinks it.
    Link {
        /// The indicator (code, or name with --plan).
        indicator: String,
        /// The earlier year's indicator (code), or `none`.
        #[arg(long)]
        to: String,
        /// The plan to look the indicator's name up in.
        #[arg(long)]
        plan: Option<i64>,
    },
    /// Bring a retired indicator back.
    Restore {
        /// The indicator's code.
        indicator: String,
    },
    /// Move an indicator to another task of its plan.
    Move {
        /// The indicator (code or name).
        indicator: String,
        /// The task's path as `plan show` lists it (e.g. 二/5); empty for none.
        #[arg(long)]
        task: String,
        #[arg(long)]
        plan: Option<i64>,
    },
}

#[derive(ClapArgs, Debug)]
pub struct IndicatorAddArgs {
    /// The plan (default: the newest).
    #[arg(long)]
    pub plan: Option<i64>,
    /// The task it belongs to (see `plan tasks`).
    #[arg(long)]
    pub task: Option<String>,
    /// A passage of the plan stating the target (全年新增5G基站不少于3000个):
    /// the indicator is read from it as from the document.
    #[arg(long, conflicts_with_all = ["name", "target"])]
    pub text: Option<String>,
    #[arg(long, required_unless_present = "text")]
    pub name: Option<String>,
    #[arg(long, allow_hyphen_values = true, required_unless_present = "text")]
    pub target: Option<f64>,
    /// >=, >, <=, < or = (default >=).
    #[arg(long)]
    pub comparator: Option<crate::domain::Comparator>,
    /// Unit of measure (个, %, 万人…).
    #[arg(long)]
    pub unit: Option<String>,
    /// cumulative, new, level or count_of_events (default new).
    #[arg(long)]
    pub kind: Option<crate::domain::Kind>,
    /// city or per_unit (default city).
    #[arg(long)]
    pub scope: Option<crate::domain::Scope>,
    /// The deadline (YYYY-MM-DD; default the end of the plan year).
    #[arg(long, value_parser = parse_date)]
    pub deadline: Option<Date>,
}

#[derive(ClapArgs, Debug)]
pub struct IndicatorEditArgs {
    /// The indicator (code or name).
    pub indicator: String,
    /// Restrict the lookup to one plan.
    #[arg(long)]
    pub plan: Option<i64>,
    #[arg(long)]
    pub name: Option<String>,
    /// Unit of measure (个, %, 万人…); empty for none.
    #[arg(long)]
    pub unit: Option<String>,
    /// >=, >, <=, < or =.
    #[arg(long)]
    pub comparator: Option<crate::domain::Comparator>,
    /// The target. A changed target needs --reason (a revision, 调整目标:
    /// the plan's target is kept and shown beside it) or --fix (a target
    /// misread or mistyped).
    #[arg(long, allow_hyphen_values = true)]
    pub target: Option<f64>,
    /// The top of a target range; empty for none.
    #[arg(long)]
    pub target_max: Option<String>,
    /// The figure the indicator starts from; empty for none.
    #[arg(long)]
    pub baseline: Option<String>,
    /// higher or lower.
    #[arg(long)]
    pub better: Option<crate::domain::Better>,
    /// cumulative, new, level or count_of_events.
    #[arg(long)]
    pub kind: Option<crate::domain::Kind>,
    /// city or per_unit.
    #[arg(long)]
    pub scope: Option<crate::domain::Scope>,
    /// The deadline (YYYY-MM-DD).
    #[arg(long, value_parser = parse_date)]
    pub deadline: Option<Date>,
    /// How the city's figure is made from the units' (sum, mean, min, max,
    /// single), or `rules` to leave it to the rules.
    #[arg(long)]
    pub aggregation: Option<String>,
    /// The units whose figures count, comma-separated, or `rules`.
    #[arg(long)]
    pub reporting_units: Option<String>,
    /// The unit that reports the city's own figure, or `rules`.
    #[arg(long)]
    pub city_reporter: Option<String>,
    /// Why the target is revised (调整目标).
    #[arg(long, conflicts_with = "fix")]
    pub reason: Option<String>,
    /// The target was misread or mistyped: correct it, no revision.
    #[arg(long)]
    pub fix: bool,
}

#[derive(Subcommand, Debug)]
pub enum TargetsCommand {
    /// Set (or clear) one unit's own target for an indicator.
    Set {
        /// Indicator name or code.
        #[arg(long)]
        indicator: String,
        /// The unit (name or alias).
        #[arg(long)]
        unit: String,
        /// The unit's target, in the indicator's unit (40% is 40).
        #[arg(long, allow_hyphen_values = true)]
        target: Option<String>,
        /// Remove the unit's own target: it is held to the plan's again.
        #[arg(long, conflicts_with = "target")]
        clear: bool,
        /// Restrict the indicator lookup to one plan.
        #[arg(long)]
        plan: Option<i64>,
    },
    /// The units' own targets of a plan.
    List {
        /// The plan (default: the newest).
        #[arg(long)]
        plan: Option<i64>,
    },
    /// Write the 任务分解表 (indicators × units) to fill in.
    Export {
        /// The plan (default: the newest).
        #[arg(long)]
        plan: Option<i64>,
        /// The .xlsx file to write.
        out: PathBuf,
    },
    /// Set the targets a filled-in 任务分解表 gives (empty cells and dashes
    /// change nothing).
    Import {
        /// The plan (default: the newest).
        #[arg(long)]
        plan: Option<i64>,
        /// The table (.xlsx, .xls, .ods, .csv).
        file: PathBuf,
    },
}

#[derive(ClapArgs, Debug)]
pub struct AuditArgs {
    /// Only this indicator's changes (name or code).
    #[arg(long)]
    pub indicator: Option<String>,
    /// Only this unit's changes (name or alias).
    #[arg(long)]
    pub unit: Option<String>,
    /// Only changes made on or after this day (YYYY-MM-DD, UTC).
    #[arg(long, value_parser = parse_date)]
    pub since: Option<Date>,
    /// At most this many lines.
    #[arg(long, default_value_t = 200)]
    pub limit: usize,
    #[command(subcommand)]
    pub command: Option<AuditCommand>,
}

#[derive(Subcommand, Debug)]
pub enum AuditCommand {
    /// Revert one line of the log: a figure entered or corrected by hand, a
    /// field of an indicator or a task, a unit's own target, a unit's name,
    /// kind or alias goes back to its value before (a new, logged change).
    /// Refused when the value has changed again since.
    Revert {
        /// The line's number (the first column of `audit`).
        line: i64,
    },
}

#[derive(ClapArgs, Debug)]
pub struct StatusArgs {
    /// The plan (default: the newest).
    #[arg(long)]
    pub plan: Option<i64>,
    /// The date to judge at (default: today).
    #[arg(long, value_parser = parse_date)]
    pub as_of: Option<Date>,
}

#[derive(Subcommand, Debug)]
pub enum ExportCommand {
    /// A unit's fill-in template for a period (.xlsx); filled in, it imports
    /// back with every row matched by its indicator code.
    Template {
        /// The unit (name or alias in the catalogue).
        #[arg(long)]
        unit: String,
        /// The period the template asks for.
        #[arg(long, value_parser = parse_period)]
        period: Period,
        /// The plan (default: the newest).
        #[arg(long)]
        plan: Option<i64>,
        /// Where to write the workbook.
        out: PathBuf,
    },
    /// The bulletin (通报): a few paragraphs of plain Chinese for minutes.
    Bulletin(StatusArgs),
    /// An indicator's chart for print (.png or .svg): title, target, as-of
    /// date, the city's line with target, 序时 and forecast, each unit's bar.
    Chart {
        /// The indicator's code (or name).
        #[arg(long)]
        indicator: String,
        #[command(flatten)]
        at: StatusArgs,
        /// Where to write the chart: OUT.png or OUT.svg.
        out: PathBuf,
    },
    /// The meeting workbook (.xlsx): summary, one sheet per section, the
    /// unit ranking, and charts of the indicators that need attention.
    Report {
        #[command(flatten)]
        at: StatusArgs,
        /// Where to write the workbook.
        out: PathBuf,
    },
}

#[derive(ClapArgs, Debug)]
pub struct SettingsArgs {
    /// On track when completion ≥ expected − this many percentage points.
    #[arg(long)]
    pub on_track: Option<f64>,
    /// Lagging when completion ≥ expected − this many points; behind below.
    #[arg(long)]
    pub lagging: Option<f64>,
    /// Days before a deadline that mark an unfinished indicator due soon (临期).
    #[arg(long)]
    pub due_soon: Option<i64>,
    /// The day the plan year starts, MM-DD.
    #[arg(long, value_name = "MM-DD")]
    pub year_start: Option<String>,
    /// How often units report: monthly, quarterly or half_yearly.
    #[arg(long, value_parser = parse_cycle)]
    pub cycle: Option<crate::domain::Cycle>,
    /// The day of the next month by which a period's figures are due (1–31).
    #[arg(long)]
    pub due_day: Option<u32>,
}

#[derive(Subcommand, Debug)]
pub enum PeriodCommand {
    /// Lock a period (YYYY-MM).
    Lock {
        #[arg(value_parser = parse_period)]
        period: Period,
    },
    /// Unlock a period (YYYY-MM).
    Unlock {
        #[arg(value_parser = parse_period)]
        period: Period,
    },
    /// List the locked periods.
    List,
}

fn parse_date(s: &str) -> Result<Date, String> {
    s.parse().map_err(|e: crate::domain::DateError| e.0)
}

fn parse_cycle(s: &str) -> Result<crate::domain::Cycle, String> {
    s.parse()
}

fn parse_period(s: &str) -> Result<Period, String> {
    s.parse().map_err(|e: crate::domain::DateError| e.0)
}
