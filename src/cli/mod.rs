//! The command line: every data operation of the window as a command, with
//! text output for people and `--json` for scripts and tests.
//!
//! Errors end the command with exit code 1 and one plain line on stderr that
//! names the input and what is wrong; notices (a database upgraded, opened
//! on a network share) go to stderr too, so stdout stays parseable.

mod args;
mod returns;
pub mod targets;
mod text;

pub use args::{Args, Command};
pub use returns::{
    DemoSummary, Outcome as ImportOutcome, ReturnNotice, demo, import as import_returns,
    return_notice,
};

use crate::domain::{Date, PlanDoc, ProgressSettings, UnitsFile, ValueBasis};
use crate::plan_text;
use crate::store::{ReportEntry, Store, StoreError};
use args::{
    AuditArgs, AuditCommand, ExportCommand, IndicatorCommand, MeetingCommand, PeriodCommand,
    PlanCommand, ReportAddArgs, ReportCommand, ReturnsCommand, SettingsArgs, TargetsCommand,
    UnitsCommand,
};
use serde::Serialize;
use std::fmt;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// A command's failure: one line for the user.
#[derive(Debug)]
pub struct CliError {
    message: String,
    /// Trouble with the ledger's disk or another program (full, read-only,
    /// busy): the line names the ledger's file.
    about_ledger: bool,
}

impl CliError {
    /// A failure, said in one line.
    pub fn new(message: impl Into<String>) -> CliError {
        CliError {
            message: message.into(),
            about_ledger: false,
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<StoreError> for CliError {
    fn from(e: StoreError) -> Self {
        CliError {
            about_ledger: e.trouble().is_some(),
            message: e.to_string(),
        }
    }
}

type Result<T> = std::result::Result<T, CliError>;

/// The database used when neither `--db` nor `TAIZHANG_DB` names one:
/// `taizhang.sqlite3` in the user's data folder.
pub fn default_db_path() -> PathBuf {
    directories::ProjectDirs::from("", "", "Taizhang")
        .map(|d| d.data_dir().join("taizhang.sqlite3"))
        .unwrap_or_else(|| PathBuf::from("taizhang.sqlite3"))
}

/// Today in the computer's time zone.
pub fn today() -> Date {
    use chrono::Datelike;
    let now = chrono::Local::now().date_naive();
    Date::new(now.year(), now.month(), now.day()).expect("chrono gives real dates")
}

/// Runs a command and turns its outcome into an exit code.
pub fn run(args: Args) -> ExitCode {
    let Some(command) = args.command else {
        eprintln!("taizhang: no command given (run `taizhang --help`)");
        return ExitCode::from(2);
    };
    let db = args.db.clone().unwrap_or_else(default_db_path);
    match execute(&db, args.json, command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.about_ledger => {
            eprintln!("taizhang: {}: {e}", db.display());
            ExitCode::from(1)
        }
        Err(e) => {
            eprintln!("taizhang: {e}");
            ExitCode::from(1)
        }
    }
}

fn open(db: &Path) -> Result<Store> {
    let store = Store::open(db)?;
    for n in store.notices() {
        eprintln!("taizhang: note: {n}");
    }
    if let Some(c) = store.meeting_copy() {
        eprintln!(
            "taizhang: note: {}: a meeting copy of {} taken {}; it is open for reading only",
            db.display(),
            c.source,
            c.taken_short()
        );
    }
    Ok(store)
}

/// Prints `value` as JSON, or the text `render` makes of it.
fn emit<T: Serialize>(json: bool, value: &T, render: impl FnOnce(&T) -> String) -> Result<()> {
    let text = if json {
        let mut s = serde_json::to_string_pretty(value)
            .map_err(|e| CliError::new(format!("writing JSON: {e}")))?;
        s.push('\n');
        s
    } else {
        render(value)
    };
    write_out(&text)
}

/// Writes to stdout. A reader that stops early (`taizhang … | head`) is
/// not an error: the command's work is done, only its report is cut short.
fn write_out(text: &str) -> Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(CliError::new(format!("writing the output: {e}")))
        }
        _ => Ok(()),
    }
}

/// Reads and parses a JSON file, naming the file and the place on error.
fn read_json<T: serde::de::DeserializeOwned>(path: &Path, what: &str) -> Result<T> {
    let bytes =
        std::fs::read(path).map_err(|e| CliError::new(format!("{}: {e}", path.display())))?;
    serde_json::from_slice(&bytes)
        .map_err(|e| CliError::new(format!("{}: not a valid {what}: {e}", path.display())))
}

fn execute(db: &Path, json: bool, command: Command) -> Result<()> {
    match command {
        Command::Units(UnitsCommand::Import { file }) => {
            let units = read_catalogue(&file)?;
            let mut store = open(db)?;
            let done = store
                .import_units(&units)
                .map_err(|e| CliError::new(format!("{}: {e}", file.display())))?;
            emit(json, &done, |d| {
                format!(
                    "units: {} added, {} updated, {} aliases added\n",
                    d.added, d.updated, d.aliases_added
                )
            })
        }
        Command::Units(
            cmd @ (UnitsCommand::Add { .. }
            | UnitsCommand::Rename { .. }
            | UnitsCommand::Kind { .. }
            | UnitsCommand::Alias { .. }
            | UnitsCommand::Merge { .. }),
        ) => {
            let mut store = open(db)?;
            let unit = match cmd {
                UnitsCommand::Add { name, kind } => store.add_unit(&name, kind)?,
                UnitsCommand::Rename { name, to } => store.rename_unit(&name, &to)?,
                UnitsCommand::Kind { name, kind } => store.set_unit_kind(&name, kind)?,
                UnitsCommand::Alias {
                    name,
                    alias,
                    remove,
                } => store.set_unit_alias(&name, &alias, !remove)?,
                UnitsCommand::Merge { from, into } => store.merge_units(&from, &into)?,
                UnitsCommand::Import { .. } | UnitsCommand::List => unreachable!("matched above"),
            };
            emit(json, &unit, |u| text::units(std::slice::from_ref(u)))
        }
        Command::Units(UnitsCommand::List) => {
            let store = open(db)?;
            emit(json, &store.units()?, |u| text::units(u))
        }
        Command::Plan(PlanCommand::Extract { file, year }) => {
            let draft = extract_plan(&file, year)?;
            emit(json, &draft, |d| {
                text::plan_tree(&d.plan, &[]) + &text::draft_indicators(&d.plan)
            })
        }
        Command::Plan(PlanCommand::Import { file, year }) => {
            let (doc, source) = if is_json(&file) {
                (read_json::<PlanDoc>(&file, "plan JSON")?, None)
            } else {
                let text = plan_text::read_file(&file)
                    .map_err(|e| CliError::new(format!("{}: {e}", file.display())))?;
                (extract_plan(&file, year)?.into_plan(), Some(text))
            };
            let mut store = open(db)?;
            let done = store
                .import_plan(&doc, source.as_deref())
                .map_err(|e| CliError::new(format!("{}: {e}", file.display())))?;
            emit(json, &done, |d| text::plan_import(d, &doc))
        }
        Command::Plan(PlanCommand::List) => {
            let store = open(db)?;
            emit(json, &store.plans()?, |p| text::plans(p))
        }
        Command::Plan(PlanCommand::Show { id }) => {
            let store = open(db)?;
            let doc = store.plan_doc(id)?;
            let indicators = store.indicators(id)?;
            #[derive(Serialize)]
            struct Shown<'a> {
                id: i64,
                #[serde(flatten)]
                doc: &'a PlanDoc,
                codes: Vec<(&'a str, &'a str)>,
            }
            let shown = Shown {
                id,
                doc: &doc,
                codes: indicators
                    .iter()
                    .map(|i| (i.code.as_str(), i.name.as_str()))
                    .collect(),
            };
            emit(json, &shown, |_| text::plan_tree(&doc, &indicators))
        }
        Command::Report(ReportCommand::Add(a)) => {
            let entry = report_entry(a)?;
            let mut store = open(db)?;
            let report = store.add_report(&entry)?;
            emit(json, &report, |r| {
                format!(
                    "recorded {} for '{}' by {} in {}\n",
                    text::number(r.value),
                    entry.indicator,
                    r.unit,
                    r.period
                )
            })
        }
        Command::Report(ReportCommand::Correct { figure, reason }) => {
            let mut entry = report_entry(figure)?;
            if reason.trim().is_empty() {
                return Err(CliError::new("--reason: say why the figure changes"));
            }
            entry.reason = Some(reason);
            let mut store = open(db)?;
            let report = store.add_report(&entry)?;
            emit(json, &report, |r| {
                format!(
                    "corrected '{}' by {} in {} to {} (the earlier figure is kept as history)\n",
                    entry.indicator,
                    r.unit,
                    r.period,
                    text::number(r.value)
                )
            })
        }
        Command::Targets(cmd) => targets_command(db, json, cmd),
        Command::Indicator(IndicatorCommand::Edit(a)) => edit_indicator(db, json, *a),
        Command::Indicator(IndicatorCommand::Retire {
            indicator,
            reason,
            plan,
        }) => {
            let mut store = open(db)?;
            let ind = store.find_indicator(&indicator, plan)?;
            let changed = store.set_retired(ind.id, true, &reason)?;
            emit(
                json,
                &Retirement {
                    indicator: &ind.code,
                    retired: true,
                    changed,
                },
                |_| {
                    if changed {
                        format!("{} retired; its figures are kept\n", ind.code)
                    } else {
                        format!("{} was already retired\n", ind.code)
                    }
                },
            )
        }
        Command::Indicator(IndicatorCommand::Add(a)) => {
            let mut store = open(db)?;
            let plan = store.plan_or_latest(a.plan)?;
            let task = a.task.as_deref().map(str::trim).filter(|t| !t.is_empty());
            let ind = match &a.text {
                Some(text) => {
                    let mut found = plan_text::indicators_in(text, plan.year, task);
                    match found.len() {
                        0 => {
                            return Err(CliError::new(
                                "no target was found in --text; give --name and --target instead",
                            ));
                        }
                        1 => found.remove(0),
                        n => {
                            return Err(CliError::new(format!(
                                "--text states {n} targets; give a passage with one, or --name and --target"
                            )));
                        }
                    }
                }
                None => crate::domain::PlanIndicator {
                    id: None,
                    task: task.map(str::to_string),
                    phrase: String::new(),
                    name: a.name.clone().unwrap_or_default(),
                    comparator: a.comparator.unwrap_or(crate::domain::Comparator::Ge),
                    target: a.target.unwrap_or_default(),
                    target_max: None,
                    unit: a.unit.clone(),
                    better: None,
                    baseline: None,
                    scope: a.scope.unwrap_or(crate::domain::Scope::City),
                    kind: a.kind.unwrap_or(crate::domain::Kind::New),
                    aggregation: None,
                    reporting_units: None,
                    city_reporter: None,
                    deadline: a.deadline,
                    confidence: None,
                },
            };
            let added = store.add_indicator(plan.id, &ind)?;
            emit(json, &added, |i| {
                format!(
                    "added {} {} (target {})\n",
                    i.code,
                    i.name,
                    text::number(Some(i.target))
                )
            })
        }
        Command::Indicator(IndicatorCommand::Restore { indicator }) => {
            let mut store = open(db)?;
            let id = store.indicator_id_by_code(&indicator)?;
            let changed = store.set_retired(id, false, "")?;
            emit(
                json,
                &Retirement {
                    indicator: &indicator,
                    retired: false,
                    changed,
                },
                |_| {
                    if changed {
                        format!("{indicator} is back in the plan\n")
                    } else {
                        format!("{indicator} was not retired\n")
                    }
                },
            )
        }
        Command::Indicator(IndicatorCommand::Move {
            indicator,
            task,
            plan,
        }) => {
            let mut store = open(db)?;
            let ind = store.find_indicator(&indicator, plan)?;
            let changed = store.move_indicator(ind.id, Some(&task))?;
            #[derive(Serialize)]
            struct Done<'a> {
                indicator: &'a str,
                task: &'a str,
                changed: bool,
            }
            emit(
                json,
                &Done {
                    indicator: &ind.code,
                    task: task.trim(),
                    changed,
                },
                |_| {
                    if task.trim().is_empty() {
                        format!("{} is under no task now\n", ind.code)
                    } else {
                        format!("{} is under task {} now\n", ind.code, task.trim())
                    }
                },
            )
        }
        Command::Plan(PlanCommand::Tasks { plan }) => {
            let store = open(db)?;
            let plan = store.plan_or_latest(plan)?;
            let tasks = store.tasks(plan.id)?;
            emit(json, &tasks, |tasks| text::tasks(tasks))
        }
        Command::Plan(PlanCommand::Task(a)) => edit_task(db, json, a),
        Command::Audit(AuditArgs {
            command: Some(AuditCommand::Revert { line }),
            ..
        }) => {
            let mut store = open(db)?;
            let r = store.revert_line(line)?;
            emit(json, &r, |r| {
                use crate::store::Reverted as R;
                match r {
                    R::Figure { indicator, unit } => {
                        format!("line {line} reverted: the figure of {unit} for {indicator}\n")
                    }
                    R::Indicator { indicator, field } => {
                        format!("line {line} reverted: {field} of {indicator}\n")
                    }
                    R::Target { indicator, unit } => {
                        format!("line {line} reverted: the target of {unit} for {indicator}\n")
                    }
                    R::Task { task, field } => {
                        format!("line {line} reverted: {field} of task {task}\n")
                    }
                    R::Unit { unit, field } => {
                        format!("line {line} reverted: {field} of {unit}\n")
                    }
                }
            })
        }
        Command::Report(ReportCommand::Revert { line }) => {
            let mut store = open(db)?;
            let r = store.revert_edit(line)?;
            emit(json, &r, |r| {
                format!(
                    "line {line} reverted: {} in {} is {} again\n",
                    r.unit,
                    r.period,
                    text::number(r.value)
                )
            })
        }
        Command::Audit(a) => {
            let store = open(db)?;
            let indicator = match &a.indicator {
                Some(key) => Some(store.find_indicator(key, None)?.id),
                None => None,
            };
            let unit = match &a.unit {
                Some(name) => Some(store.require_unit(name)?.name),
                None => None,
            };
            let since = a.since.map(|d| d.to_string());
            let lines: Vec<_> = store
                .audit_log(indicator, 1 << 40)?
                .into_iter()
                .filter(|l| unit.as_ref().is_none_or(|u| &l.unit == u))
                .filter(|l| since.as_ref().is_none_or(|s| l.at.as_str() >= s.as_str()))
                .take(a.limit)
                .collect();
            emit(json, &lines, |lines| text::audit(lines))
        }
        Command::Status(a) => {
            let store = open(db)?;
            let plan = store.plan_or_latest(a.plan)?;
            let as_of = a.as_of.unwrap_or_else(today);
            let report = store.status(plan.id, as_of)?;
            emit(json, &report, text::status)
        }
        Command::Settings(a) => settings(db, json, a),
        Command::Meeting(cmd) => meeting(db, json, cmd),
        Command::Indicator(IndicatorCommand::Link {
            indicator,
            to,
            plan,
        }) => {
            let mut store = open(db)?;
            let ind = store.find_indicator(&indicator, plan)?;
            let target = match to.trim() {
                "none" | "" => None,
                code => Some(store.find_indicator(code, None)?.id),
            };
            store.link_indicator(ind.id, target)?;
            let lineage = store.lineage(ind.id, today())?;
            emit(json, &lineage, |l| text::lineage(l))
        }
        Command::Migrate { from, to } => {
            if !crate::store::is_server_address(Path::new(&to)) {
                return Err(CliError::new(format!(
                    "{to}: --to names a PostgreSQL server (postgres://user@host/database)"
                )));
            }
            let source = open(&from)?;
            let target = open(Path::new(&to))?;
            let moved = source.move_into(&target)?;
            emit(json, &moved, |m| text::moved(m, &from, &to))
        }
        Command::Snapshot { to, plan, replace } => {
            let store = open(db)?;
            let written = store.write_meeting_copy(&to, plan, replace)?;
            emit(json, &written, text::meeting_copy)
        }
        Command::Lineage {
            indicator,
            plan,
            as_of,
        } => {
            let store = open(db)?;
            let ind = store.find_indicator(&indicator, plan)?;
            let lineage = store.lineage(ind.id, as_of.unwrap_or_else(today))?;
            emit(json, &lineage, |l| text::lineage(l))
        }
        Command::Export(ExportCommand::Template {
            unit,
            period,
            plan,
            out,
        }) => {
            let store = open(db)?;
            let bytes = crate::export::template::template(&store, plan, &unit, period)
                .map_err(|e| CliError::new(e.to_string()))?;
            std::fs::write(&out, &bytes)
                .map_err(|e| CliError::new(format!("{}: {e}", out.display())))?;
            emit(
                json,
                &serde_json::json!({ "file": out, "bytes": bytes.len() }),
                |_| format!("wrote {} ({} bytes)\n", out.display(), bytes.len()),
            )
        }
        Command::Export(ExportCommand::Report { at, out }) => {
            let store = open(db)?;
            let as_of = at.as_of.unwrap_or_else(today);
            let bytes = crate::export::report::report(&store, at.plan, as_of)
                .map_err(|e| CliError::new(e.to_string()))?;
            std::fs::write(&out, &bytes)
                .map_err(|e| CliError::new(format!("{}: {e}", out.display())))?;
            emit(
                json,
                &serde_json::json!({ "file": out, "bytes": bytes.len(), "as_of": as_of }),
                |_| format!("wrote {} ({} bytes)\n", out.display(), bytes.len()),
            )
        }
        Command::Export(ExportCommand::Chart { indicator, at, out }) => {
            use crate::export::chart;
            let format = chart::Format::of(&out).ok_or_else(|| {
                CliError::new(format!(
                    "{}: the chart is written as .png or .svg; name the file so",
                    out.display()
                ))
            })?;
            let store = open(db)?;
            let as_of = at.as_of.unwrap_or_else(today);
            let bytes = chart::for_indicator(&store, at.plan, &indicator, as_of, format)
                .map_err(|e| CliError::new(e.to_string()))?;
            std::fs::write(&out, &bytes)
                .map_err(|e| CliError::new(format!("{}: {e}", out.display())))?;
            emit(
                json,
                &serde_json::json!({ "file": out, "bytes": bytes.len(), "as_of": as_of }),
                |_| format!("wrote {} ({} bytes)\n", out.display(), bytes.len()),
            )
        }
        Command::Export(ExportCommand::Bulletin(a)) => {
            let store = open(db)?;
            let plan = store.plan_or_latest(a.plan)?;
            let as_of = a.as_of.unwrap_or_else(today);
            let report = store.status(plan.id, as_of)?;
            let text = crate::export::bulletin::bulletin_with_meetings(&store, &report)?;
            let body = serde_json::json!({
                "as_of": as_of,
                "summary": report.summary,
                "period_due": report.period_due,
                "not_reported": report.not_reported,
                "text": text,
            });
            emit(json, &body, |_| text.clone())
        }
        Command::Returns(ReturnsCommand::Import(a)) => {
            let mut store = open(db)?;
            let outcomes = returns::import(
                &mut store, &a.files, a.plan, a.unit, a.period, a.dry_run, a.force,
            )?;
            emit(json, &outcomes, |o| returns::render(o))?;
            // A refused file, or one the commit refuses (a dry run says so
            // too), makes the command fail: scripts must not take it for done.
            let failed: Vec<&str> = outcomes
                .iter()
                .filter(|o| o.commit_error.is_some() || o.result.file_error.is_some())
                .map(|o| o.result.file.as_str())
                .collect();
            match (failed.is_empty(), a.dry_run) {
                (true, _) => Ok(()),
                (false, false) => Err(CliError::new(format!(
                    "not imported: {}",
                    failed.join(", ")
                ))),
                (false, true) => Err(CliError::new(format!(
                    "would not be imported: {}",
                    failed.join(", ")
                ))),
            }
        }
        Command::Returns(ReturnsCommand::Batches) => {
            let store = open(db)?;
            emit(json, &store.batches()?, |bs| {
                let mut s = String::new();
                for b in bs {
                    s.push_str(&format!(
                        "{}\t{}\t{}\t{}\t{} rows\t{}\t{}\n",
                        b.id,
                        b.state,
                        b.unit.as_deref().unwrap_or("?"),
                        b.period.as_deref().unwrap_or("?"),
                        b.rows,
                        b.imported_at,
                        b.file_name
                    ));
                }
                if bs.is_empty() {
                    s.push_str(
                        "no batches yet (import returns with `taizhang returns import FILE...`)\n",
                    );
                }
                s
            })
        }
        Command::Returns(ReturnsCommand::Undo { batch }) => {
            let mut store = open(db)?;
            let b = store.undo_batch(batch)?;
            emit(json, &b, |b| {
                format!(
                    "batch {} ({}) undone: {} figures withdrawn\n",
                    b.id, b.file_name, b.rows
                )
            })
        }
        Command::Returns(ReturnsCommand::Return { batch, out }) => {
            let mut store = open(db)?;
            let notice = returns::return_notice(&store, batch, today())?;
            let info = store.return_batch(batch, &notice.summary)?;
            if let Some(out) = &out {
                let bytes = notice.xlsx().map_err(|e| CliError::new(e.to_string()))?;
                std::fs::write(out, &bytes)
                    .map_err(|e| CliError::new(format!("{}: {e}", out.display())))?;
            }
            let body =
                serde_json::json!({ "batch": info, "lines": notice.lines, "text": notice.text });
            emit(json, &body, |_| notice.text.clone())
        }
        Command::Remind {
            unit,
            as_of,
            plan,
            out,
        } => {
            let store = open(db)?;
            let plan = store.plan_or_latest(plan)?;
            let as_of = as_of.unwrap_or_else(today);
            let status = store.status(plan.id, as_of)?;
            let due_day = store.progress_settings()?.due_day;
            let from = crate::export::notices::Sender {
                plan_title: &plan.title,
                issuer: &plan.issuer,
                date: as_of,
            };
            let all: Vec<_> = crate::export::notices::reminders(&status, due_day)
                .into_iter()
                .filter(|r| unit.as_deref().is_none_or(|u| r.unit == u))
                .collect();
            let texts: Vec<String> = all
                .iter()
                .map(|r| crate::export::notices::reminder_text(r, &from))
                .collect();
            let joined = texts.join("\n");
            if let Some(out) = &out {
                let bytes = crate::export::notices::notice_xlsx(&joined, None)
                    .map_err(|e| CliError::new(e.to_string()))?;
                std::fs::write(out, &bytes)
                    .map_err(|e| CliError::new(format!("{}: {e}", out.display())))?;
            }
            let body = serde_json::json!({ "as_of": as_of, "reminders": all, "texts": texts });
            emit(json, &body, |_| {
                if texts.is_empty() {
                    "every unit due has reported: no reminder to send\n".to_string()
                } else {
                    joined.clone()
                }
            })
        }
        Command::Returns(ReturnsCommand::Restore { batch }) => {
            let mut store = open(db)?;
            let r = store.restore_batch(batch)?;
            emit(json, &r, |r| {
                let mut s = format!(
                    "batch {} ({}) restored: {} figures count again\n",
                    r.batch.id, r.batch.file_name, r.restored
                );
                if r.kept_newer > 0 {
                    s.push_str(&format!(
                        "{} figures left out: a newer figure was entered for them since\n",
                        r.kept_newer
                    ));
                }
                s
            })
        }
        Command::Demo => {
            let mut store = open(db)?;
            let d = returns::demo(&mut store)?;
            emit(json, &d, |d| {
                let mut s = format!(
                    "demo database {}: {} units, plan {} with {} indicators\n",
                    db.display(),
                    d.units,
                    d.plan_id,
                    d.indicators
                );
                for (f, b, e) in &d.batches {
                    s.push_str(&match (b, e) {
                        (Some(b), _) => format!("  {f}: batch {b}\n"),
                        (None, Some(e)) => format!("  {f}: {e}\n"),
                        _ => String::new(),
                    });
                }
                s
            })
        }
        Command::Period(cmd) => {
            let mut store = open(db)?;
            match cmd {
                PeriodCommand::Lock { period } => {
                    store.lock_period(period)?;
                }
                PeriodCommand::Unlock { period } => {
                    store.unlock_period(period)?;
                }
                PeriodCommand::List => {}
            }
            let locked: Vec<String> = store
                .locked_periods()?
                .iter()
                .map(|p| p.to_string())
                .collect();
            emit(json, &locked, |l| {
                if l.is_empty() {
                    "no period is locked\n".to_string()
                } else {
                    format!("locked: {}\n", l.join(", "))
                }
            })
        }
    }
}

/// What `indicator retire` and `indicator restore` did.
#[derive(Serialize)]
struct Retirement<'a> {
    indicator: &'a str,
    retired: bool,
    changed: bool,
}

fn edit_task(db: &Path, json: bool, a: args::TaskEditArgs) -> Result<()> {
    use crate::domain::{ResponsibleUnit, Role};
    let mut store = open(db)?;
    let plan = store.plan_or_latest(a.plan)?;
    let task = store
        .tasks(plan.id)?
        .into_iter()
        .find(|t| t.path == a.path.trim())
        .ok_or_else(|| {
            CliError::new(format!(
                "plan {} has no task {} (see `taizhang plan tasks`)",
                plan.id, a.path
            ))
        })?;
    let mut to = crate::store::TaskFields {
        title: a.title.unwrap_or(task.title.clone()),
        deadline: task.deadline,
        units: task.units.clone(),
    };
    if let Some(d) = a.deadline {
        to.deadline = match d.trim() {
            "" | "none" => None,
            d => Some(
                d.parse::<Date>()
                    .map_err(|e| CliError::new(format!("--deadline: {}", e.0)))?,
            ),
        };
    }
    let names = |s: &str, role: Role| -> Vec<ResponsibleUnit> {
        s.split([',', '，', '、'])
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(|n| ResponsibleUnit {
                name: n.to_string(),
                role,
            })
            .collect()
    };
    if a.lead.is_some() || a.support.is_some() {
        let keep = |role: Role| -> Vec<ResponsibleUnit> {
            task.units
                .iter()
                .filter(|u| u.role == role)
                .cloned()
                .collect()
        };
        let mut units = match &a.lead {
            Some(s) => names(s, Role::Lead),
            None => keep(Role::Lead),
        };
        units.extend(match &a.support {
            Some(s) => names(s, Role::Support),
            None => keep(Role::Support),
        });
        to.units = units;
    }
    let changes = store.edit_task(plan.id, &task.path, &to)?;
    emit(json, &changes, |changes| {
        if changes.is_empty() {
            format!("task {}: nothing changed\n", task.path)
        } else {
            changes
                .iter()
                .map(|c| format!("task {}: {} changed\n", task.path, c.field))
                .collect()
        }
    })
}

fn edit_indicator(db: &Path, json: bool, a: args::IndicatorEditArgs) -> Result<()> {
    use crate::store::{IndicatorFields, TargetEdit};
    let mut store = open(db)?;
    let ind = store.find_indicator(&a.indicator, a.plan)?;
    let mut f = IndicatorFields::of(&ind);
    let number = |what: &str, s: &str| -> Result<Option<f64>> {
        if s.trim().is_empty() {
            return Ok(None);
        }
        parse_value(s)
            .map(Some)
            .map_err(|_| CliError::new(format!("--{what} '{s}': not a number")))
    };
    if let Some(v) = a.name {
        f.name = v;
    }
    if let Some(v) = a.unit {
        f.unit = Some(v).filter(|u| !u.trim().is_empty());
    }
    if let Some(v) = a.comparator {
        f.comparator = v;
    }
    if let Some(v) = a.target {
        f.target = v;
    }
    if let Some(v) = &a.target_max {
        f.target_max = number("target-max", v)?;
    }
    if let Some(v) = &a.baseline {
        f.baseline = number("baseline", v)?;
    }
    if let Some(v) = a.better {
        f.better = v;
    }
    if let Some(v) = a.kind {
        f.kind = v;
    }
    if let Some(v) = a.scope {
        f.scope = v;
    }
    if let Some(v) = a.deadline {
        f.deadline = v;
    }
    if let Some(v) = &a.aggregation {
        f.reporting.aggregation = match v.trim() {
            "rules" => None,
            other => Some(other.parse().map_err(CliError::new)?),
        };
    }
    if let Some(v) = &a.reporting_units {
        f.reporting.units = match v.trim() {
            "rules" => None,
            list => Some(
                list.split([',', '，', '、'])
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect(),
            ),
        };
    }
    if let Some(v) = &a.city_reporter {
        f.reporting.city_reporter = Some(v.trim().to_string()).filter(|s| s != "rules");
    }
    let how = match (a.reason, a.fix) {
        (Some(r), _) => Some(TargetEdit::Revise { reason: r }),
        (None, true) => Some(TargetEdit::Correct),
        (None, false) => None,
    };
    let base = IndicatorFields::of(&ind);
    let changes = store
        .edit_indicator_from(ind.id, Some(&base), &f, how)
        .map_err(|e| match e {
            crate::store::StoreError::Invalid(m) if m.contains("say whether") => {
                CliError::new(format!("{m} (--reason TEXT or --fix)"))
            }
            other => other.into(),
        })?;
    emit(json, &changes, |c| {
        if c.is_empty() {
            return format!("{}: nothing changed\n", ind.code);
        }
        c.iter()
            .map(|c| format!("{} {}: '{}' → '{}'\n", ind.code, c.field, c.before, c.after))
            .collect()
    })
}

fn targets_command(db: &Path, json: bool, cmd: TargetsCommand) -> Result<()> {
    let mut store = open(db)?;
    match cmd {
        TargetsCommand::Set {
            indicator,
            unit,
            target,
            clear,
            plan,
        } => {
            let ind = store.find_indicator(&indicator, plan)?;
            let target = match (target, clear) {
                (Some(v), false) => Some(parse_value(&v)?),
                (None, true) => None,
                _ => return Err(CliError::new("give --target N, or --clear")),
            };
            let done = store.set_unit_targets(&[crate::store::TargetChange {
                indicator_id: ind.id,
                unit: unit.clone(),
                target,
            }])?;
            emit(json, &done, |_| match target {
                Some(t) => format!(
                    "{unit}'s target for '{}' is {}\n",
                    ind.name,
                    text::number(Some(t))
                ),
                None => format!("{unit} is held to the plan's target for '{}'\n", ind.name),
            })
        }
        TargetsCommand::List { plan } => {
            let plan = store.plan_or_latest(plan)?;
            let list = store.unit_targets(plan.id)?;
            emit(json, &list, |l| {
                let mut s = String::new();
                for t in l {
                    s.push_str(&format!(
                        "{}\t{}\t{}\t{}\n",
                        t.code,
                        t.indicator,
                        t.unit,
                        text::number(Some(t.target))
                    ));
                }
                if l.is_empty() {
                    s.push_str("no unit has a target of its own\n");
                }
                s
            })
        }
        TargetsCommand::Export { plan, out } => {
            let bytes = crate::export::targets::workbook(&store, plan)
                .map_err(|e| CliError::new(e.to_string()))?;
            std::fs::write(&out, &bytes)
                .map_err(|e| CliError::new(format!("{}: {e}", out.display())))?;
            emit(
                json,
                &serde_json::json!({ "file": out, "bytes": bytes.len() }),
                |_| format!("wrote {} ({} bytes)\n", out.display(), bytes.len()),
            )
        }
        TargetsCommand::Import { plan, file } => {
            let bytes = crate::returns::read::read_path(&file)
                .map_err(|e| CliError::new(format!("{}: {e}", file.display())))?;
            let done = targets::import(&mut store, plan, &bytes)
                .map_err(|e| CliError::new(format!("{}: {e}", file.display())))?;
            emit(json, &done, |d| {
                let mut s = format!(
                    "{} targets set, {} unchanged\n",
                    d.set.changed, d.set.unchanged
                );
                for (row, key) in &d.unknown_rows {
                    s.push_str(&format!(
                        "  row {row}: '{key}' is not an indicator of the plan\n"
                    ));
                }
                for u in &d.unknown_units {
                    s.push_str(&format!("  column '{u}': not in the units catalogue\n"));
                }
                for (row, u, why) in &d.bad_cells {
                    s.push_str(&format!("  row {row}, {u}: {why}\n"));
                }
                s
            })
        }
    }
}

/// A units catalogue: JSON, or a spreadsheet with 单位名称 / 类型 / 别名.
pub fn read_catalogue(file: &Path) -> Result<Vec<crate::domain::UnitSpec>> {
    if is_json(file) {
        let units: UnitsFile = read_json(file, "units catalogue")?;
        return Ok(units.units);
    }
    let bytes = crate::returns::read::read_path(file)
        .map_err(|e| CliError::new(format!("{}: {e}", file.display())))?;
    crate::returns::catalogue::read(&bytes)
        .map_err(|e| CliError::new(format!("{}: {e}", file.display())))
}

/// Whether a file is plan JSON (by its extension, or by its first character).
fn is_json(path: &Path) -> bool {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("json") => true,
        Some("txt") | Some("docx") => false,
        _ => {
            std::fs::read(path).ok().and_then(|b| {
                b.iter()
                    .copied()
                    .find(|c| !c.is_ascii_whitespace() && *c != 0xEF && *c != 0xBB && *c != 0xBF)
            }) == Some(b'{')
        }
    }
}

/// Reads and extracts a plan document, naming the file on error.
fn extract_plan(file: &Path, year: Option<i32>) -> Result<plan_text::PlanDraft> {
    let text = plan_text::read_file(file)
        .map_err(|e| CliError::new(format!("{}: {e}", file.display())))?;
    let opts = plan_text::ExtractOptions {
        year,
        document: file.file_name().map(|n| n.to_string_lossy().into_owned()),
    };
    plan_text::extract(&text, &opts).map_err(|e| CliError::new(format!("{}: {e}", file.display())))
}

/// Reads `report add`'s value: a number, optionally with a `%` sign.
fn parse_value(s: &str) -> Result<f64> {
    let t = s.trim().trim_end_matches(['%', '％']).trim();
    t.parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or_else(|| CliError::new(format!("--value '{s}': not a number")))
}

fn report_entry(a: ReportAddArgs) -> Result<ReportEntry> {
    Ok(ReportEntry {
        indicator: a.indicator,
        plan_id: a.plan,
        unit: a.unit,
        period: a.period,
        value: Some(parse_value(&a.value)?),
        basis: if a.increment {
            ValueBasis::PeriodIncrement
        } else {
            ValueBasis::AsOfPeriodEnd
        },
        numerator: None,
        denominator: None,
        progress: a.text,
        problems: a.problems,
        next_steps: a.next_steps,
        reason: None,
    })
}

fn settings(db: &Path, json: bool, a: SettingsArgs) -> Result<()> {
    let mut store = open(db)?;
    let mut s: ProgressSettings = store.progress_settings()?;
    let changing = a.on_track.is_some()
        || a.lagging.is_some()
        || a.due_soon.is_some()
        || a.year_start.is_some()
        || a.cycle.is_some()
        || a.due_day.is_some();
    if let Some(c) = a.cycle {
        s.cycle = c;
    }
    if let Some(d) = a.due_day {
        s.due_day = d;
    }
    if let Some(v) = a.on_track {
        s.on_track_pp = v;
    }
    if let Some(v) = a.lagging {
        s.lagging_pp = v;
    }
    if let Some(v) = a.due_soon {
        s.due_soon_days = v;
    }
    if let Some(md) = &a.year_start {
        let (m, d) = md
            .split_once('-')
            .and_then(|(m, d)| Some((m.trim().parse().ok()?, d.trim().parse().ok()?)))
            .ok_or_else(|| CliError::new(format!("--year-start '{md}': expected MM-DD")))?;
        s.year_start_month = m;
        s.year_start_day = d;
    }
    if changing {
        store
            .set_progress_settings(&s)
            .map_err(|e| CliError::new(format!("settings: {e}")))?;
    }
    emit(json, &s, |s| {
        format!(
            "on track: completion ≥ expected − {} points\nlagging:  completion ≥ expected − {} points\ndue soon: within {} days of the deadline\nyear starts: {:02}-{:02}\nreturns: {}, due on day {} of the next month\n",
            s.on_track_pp,
            s.lagging_pp,
            s.due_soon_days,
            s.year_start_month,
            s.year_start_day,
            s.cycle,
            s.due_day
        )
    })
}

/// `meeting start|list|diff`.
fn meeting(db: &Path, json: bool, cmd: MeetingCommand) -> Result<()> {
    use crate::domain::meeting::diff;
    use crate::export::ranking::snapshot_at;
    match cmd {
        MeetingCommand::Start { plan, as_of } => {
            let mut store = open(db)?;
            let plan = store.plan_or_latest(plan)?;
            let as_of = as_of.unwrap_or_else(today);
            let previous = store.meetings(plan.id)?.into_iter().next();
            let snap = snapshot_at(&store, plan.id, as_of)?;
            let info = store.save_meeting(plan.id, &snap)?;
            let changes = match previous {
                Some(p) => {
                    let (since, to) = (
                        store.meeting_snapshot(p.id)?,
                        store.meeting_snapshot(info.id)?,
                    );
                    Some(diff(&since, &to, &earlier_meetings(&store, plan.id, p.id)?))
                }
                None => None,
            };
            let out = serde_json::json!({ "meeting": info, "since_last": changes });
            emit(json, &out, |_| {
                let mut s = format!(
                    "meeting {} started (figures as of {})\n",
                    info.id, info.as_of
                );
                match &changes {
                    Some(d) => s.push_str(&text::meeting_diff(d)),
                    None => s.push_str("the first meeting of this plan: nothing to compare with\n"),
                }
                s
            })
        }
        MeetingCommand::List { plan } => {
            let store = open(db)?;
            let plan = store.plan_or_latest(plan)?;
            let list = store.meetings(plan.id)?;
            emit(json, &list, |l| {
                if l.is_empty() {
                    return "no meeting yet (`taizhang meeting start`)\n".to_string();
                }
                l.iter()
                    .map(|m| {
                        format!(
                            "{:>4}  as of {}  started {} by {}\n",
                            m.id, m.as_of, m.started_at, m.started_by
                        )
                    })
                    .collect()
            })
        }
        MeetingCommand::Diff {
            since,
            to,
            as_of,
            plan,
        } => {
            let store = open(db)?;
            let plan = store.plan_or_latest(plan)?;
            let since_id = match since {
                Some(id) => id,
                None => store
                    .meetings(plan.id)?
                    .first()
                    .map(|m| m.id)
                    .ok_or_else(|| {
                        CliError::new("no meeting yet: start one with `taizhang meeting start`")
                    })?,
            };
            let from = store.meeting_snapshot(since_id)?;
            let later = match to {
                Some(id) => store.meeting_snapshot(id)?,
                None => snapshot_at(&store, plan.id, as_of.unwrap_or_else(today))?,
            };
            let d = diff(&from, &later, &earlier_meetings(&store, plan.id, since_id)?);
            emit(json, &d, text::meeting_diff)
        }
    }
}

/// The meetings before `id`, newest first (for 连续滞后).
fn earlier_meetings(
    store: &Store,
    plan_id: i64,
    id: i64,
) -> Result<Vec<crate::domain::meeting::Snapshot>> {
    store
        .meetings(plan_id)?
        .into_iter()
        .filter(|m| m.id < id)
        .map(|m| store.meeting_snapshot(m.id).map_err(Into::into))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The ledger's default place is the user's data folder: on Windows
    /// %APPDATA%\Taizhang\data (run under Wine by packaging/check-windows.sh).
    #[test]
    fn the_default_ledger_is_in_the_users_data_folder() {
        let p = default_db_path();
        assert_eq!(p.file_name().unwrap(), "taizhang.sqlite3");
        #[cfg(windows)]
        {
            let appdata = std::path::PathBuf::from(std::env::var_os("APPDATA").unwrap());
            assert_eq!(
                p,
                appdata
                    .join("Taizhang")
                    .join("data")
                    .join("taizhang.sqlite3")
            );
        }
        #[cfg(target_os = "linux")]
        assert!(p.to_string_lossy().contains("taizhang"));
    }
}
