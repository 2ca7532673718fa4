//! Progress returns (进展情况统计表) → rows matched to the plan, each with a
//! verdict: accepted, warned (needs a look) or rejected with a reason.
//! Nothing here writes anything; the store commits what the user accepts.
//!
//! The steps: read the bytes into grids ([`read`]), find the table and its
//! columns ([`table`]), the reporting unit and period ([`meta`]), each row's
//! indicator ([`matcher`]) and figure ([`value`]).

pub mod catalogue;
mod cfb;
pub mod matcher;
pub mod meta;
mod ods;
pub mod read;
pub mod table;
pub mod targets;
pub mod value;
pub mod verdict;
mod xlsx;

use crate::domain::{BatchRow, FigureHistory, Indicator, Period, Unit, UnitKind};
use crate::returns::read::FileErrorKind;
use matcher::{Match, Matcher};
use read::{Cell, FileError};
use serde::Serialize;
use std::ops::ControlFlow;
use std::path::PathBuf;
use table::Role;
pub use verdict::Why;

/// What the importer knows of the ledger, prepared once for many files.
pub struct Context<'a> {
    /// The plan's current indicators.
    pub indicators: &'a [Indicator],
    /// The units catalogue.
    pub units: &'a [Unit],
    /// The plan year (the period's year when a return does not say).
    pub year: i32,
    /// Figures already in the ledger: (indicator id, unit) → (period, value).
    pub history: &'a FigureHistory,
    matcher: Matcher<'a>,
}

impl<'a> Context<'a> {
    /// Prepares matching against a plan's indicators, with the names users
    /// confirmed for them: (alias, indicator id).
    pub fn new(
        indicators: &'a [Indicator],
        units: &'a [Unit],
        aliases: &[(String, i64)],
        year: i32,
        history: &'a FigureHistory,
    ) -> Context<'a> {
        Context {
            indicators,
            units,
            year,
            history,
            matcher: Matcher::new(indicators, aliases),
        }
    }
}

/// Reads and matches files in parallel (up to four threads), in the order
/// given: each with its result and, when it could be read, its bytes (for
/// the batch).
pub fn import_files(
    files: &[PathBuf],
    ctx: &Context,
    over: &Overrides,
) -> Vec<(FileResult, Option<Vec<u8>>)> {
    let mut out = Vec::with_capacity(files.len());
    import_files_each(files, ctx, over, |_, result, bytes| {
        out.push((result, bytes));
        ControlFlow::Continue(())
    });
    out
}

/// Reads and matches files on up to four threads — the calling thread among
/// them, whenever no file is due — and hands each one to
/// `each` on the calling thread — its index in `files`, its result and, when
/// it could be read, its bytes — in the order given, as soon as it and every
/// file before it are done. So the caller can commit one file while the
/// next ones are still being read. `each` returning `Break` stops the
/// reading (files not yet handed over are dropped).
///
/// ```
/// # use std::ops::ControlFlow;
/// # use taizhang::returns::{import_files_each, Context, Overrides};
/// let dir = tempfile::tempdir().unwrap();
/// let files: Vec<_> = (1..=3)
///     .map(|m| {
///         let path = dir.path().join(format!("张店区_2023-0{m}.csv"));
///         std::fs::write(&path, format!("指标名称,完成值\n新建智慧社区数,{m}\n")).unwrap();
///         path
///     })
///     .collect();
/// let history = Default::default();
/// let ctx = Context::new(&[], &[], &[], 2023, &history);
/// let mut order = Vec::new();
/// import_files_each(&files, &ctx, &Overrides::default(), |i, result, bytes| {
///     assert!(bytes.is_some(), "{:?}", result.file_error);
///     order.push(i);
///     ControlFlow::Continue(())
/// });
/// assert_eq!(order, [0, 1, 2]);
/// ```
pub fn import_files_each(
    files: &[PathBuf],
    ctx: &Context,
    over: &Overrides,
    mut each: impl FnMut(usize, FileResult, Option<Vec<u8>>) -> ControlFlow<()>,
) {
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    let work = |path: &PathBuf| -> (FileResult, Option<Vec<u8>>) {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string());
        match read::read_path(path) {
            Ok(bytes) => (import(&name, &bytes, ctx, over), Some(bytes)),
            Err(e) => (FileResult::refused(&name, e), None),
        }
    };
    // One thread per core, the calling thread among them: it reads the next
    // file itself whenever no file is due for `each`. So a caller whose
    // `each` is heavy (the import commits there) mostly commits and leaves
    // the reading to the others, and one whose `each` is light reads too.
    let helpers = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(1, 4)
        .min(files.len())
        .saturating_sub(1);
    if helpers == 0 {
        for (i, path) in files.iter().enumerate() {
            let (result, bytes) = work(path);
            if each(i, result, bytes).is_break() {
                return;
            }
        }
        return;
    }
    // Every thread takes the next file in order, so results arrive nearly
    // in order and few wait in `early`.
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    std::thread::scope(|s| {
        let (send, receive) = std::sync::mpsc::channel();
        for _ in 0..helpers {
            let send = send.clone();
            let (next, stop, work) = (&next, &stop, &work);
            s.spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(path) = files.get(i) else { break };
                    if send.send((i, work(path))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(send);
        let mut early = std::collections::BTreeMap::new();
        let mut due = 0;
        while due < files.len() {
            while let Ok((i, done)) = receive.try_recv() {
                early.insert(i, done);
            }
            if let Some((result, bytes)) = early.remove(&due) {
                if each(due, result, bytes).is_break() {
                    stop.store(true, Ordering::Relaxed);
                    return;
                }
                due += 1;
                continue;
            }
            // Nothing is due: read the next file here, or wait for one.
            let i = next.fetch_add(1, Ordering::Relaxed);
            if let Some(path) = files.get(i) {
                early.insert(i, work(path));
            } else if let Ok((i, done)) = receive.recv() {
                early.insert(i, done);
            } else {
                break;
            }
        }
    });
}

/// The user's overrides of what the file says.
#[derive(Clone, Debug, Default)]
pub struct Overrides {
    pub unit: Option<String>,
    pub period: Option<Period>,
}

/// One imported row.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// The indicator's name in the plan.
    pub indicator: String,
    pub code: String,
    /// In the indicator's unit; `null` when the cell had no number (已完成).
    pub value: Option<f64>,
    /// 进展情况, as written.
    pub text: String,
    /// What to look at before committing it; none: accepted as read.
    pub warnings: Vec<Why>,
    /// Matched to its indicator by the person reviewing the import.
    pub by_hand: bool,
    /// The sheet row (1-based, as Excel shows it).
    pub row: usize,
    pub indicator_id: i64,
    pub problems: String,
    pub next_steps: String,
    /// What the row said, for re-matching.
    pub source_name: String,
}

/// Whether a row goes in as read or with warnings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowStatus {
    Accepted,
    Warned,
}

impl RowStatus {
    /// The word of the JSON (`accepted`, `warned`).
    pub fn as_str(self) -> &'static str {
        match self {
            RowStatus::Accepted => "accepted",
            RowStatus::Warned => "warned",
        }
    }
}

impl std::fmt::Display for RowStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Row {
    pub fn status(&self) -> RowStatus {
        if self.warnings.is_empty() {
            RowStatus::Accepted
        } else {
            RowStatus::Warned
        }
    }

    /// The warnings on one line, as the JSON's `why` says them.
    pub fn why(&self) -> String {
        verdict::joined(&self.warnings)
    }
}

impl Serialize for Row {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Row", 7)?;
        st.serialize_field("indicator", &self.indicator)?;
        st.serialize_field("code", &self.code)?;
        st.serialize_field("value", &self.value)?;
        st.serialize_field("text", &self.text)?;
        st.serialize_field("status", self.status().as_str())?;
        st.serialize_field("why", &self.why())?;
        st.serialize_field("row", &self.row)?;
        st.end()
    }
}

/// A row that was not imported.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Reject {
    pub row: usize,
    /// Why (the JSON says `category: detail`).
    pub why: Why,
    /// For a row that names no indicator of the plan: the row as read, with
    /// no indicator (`indicator_id` 0), so that a person can match it by hand.
    #[serde(skip)]
    pub unmatched: Option<Row>,
}

impl Reject {
    fn new(row: usize, why: Why) -> Reject {
        Reject {
            row,
            why,
            unmatched: None,
        }
    }
}

/// The result for one file.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FileResult {
    pub file: String,
    pub unit: Option<String>,
    pub period: Option<String>,
    pub rows: Vec<Row>,
    pub rejects: Vec<Reject>,
    pub file_error: Option<FileError>,
    #[serde(skip)]
    pub unit_kind: Option<UnitKind>,
    #[serde(skip)]
    pub sheet: Option<String>,
}

impl FileResult {
    /// The rows to commit (accepted and warned), for the store.
    pub fn batch_rows(&self) -> Vec<BatchRow> {
        self.rows
            .iter()
            .map(|x| BatchRow {
                indicator_id: x.indicator_id,
                value: x.value,
                progress: x.text.clone(),
                problems: x.problems.clone(),
                next_steps: x.next_steps.clone(),
                row: x.row as i64,
            })
            .collect()
    }

    /// A file refused whole.
    pub fn refused(file: &str, e: FileError) -> FileResult {
        FileResult {
            file: file.to_string(),
            unit: None,
            period: None,
            rows: Vec::new(),
            rejects: Vec::new(),
            file_error: Some(e),
            unit_kind: None,
            sheet: None,
        }
    }
}

fn cell(row: &[Cell], col: Option<usize>) -> Option<&Cell> {
    col.and_then(|c| row.get(c)).filter(|c| !c.is_empty())
}

/// Imports one file's bytes (nothing is written).
pub fn import(file_name: &str, bytes: &[u8], ctx: &Context, over: &Overrides) -> FileResult {
    let sheets = match read::read(bytes) {
        Ok(s) => s,
        Err(e) => return FileResult::refused(file_name, e),
    };
    let Some(t) = table::find(&sheets) else {
        return FileResult::refused(
            file_name,
            FileError::new(
                FileErrorKind::Empty,
                "no data table found (a header with an indicator column and a value column)".into(),
            ),
        );
    };
    let sheet = &sheets[t.sheet];
    let line = |row: &[Cell]| {
        row.iter()
            .map(Cell::text)
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("  ")
    };
    let above: Vec<String> = sheet.rows[..t.header]
        .iter()
        .map(|r| line(r))
        .filter(|l| !l.is_empty())
        .collect();
    let notes: Vec<String> = sheet.rows[t.data_start()..]
        .iter()
        .filter(|r| table::is_furniture(r, &t))
        .map(|r| line(r))
        .chain(
            sheets
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != t.sheet)
                .flat_map(|(_, s)| s.rows.iter().map(|r| line(r))),
        )
        .filter(|l| !l.is_empty())
        .collect();
    let stem = std::path::Path::new(file_name)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let found_unit = match &over.unit {
        Some(u) => meta::unit_in(u, ctx.units).or_else(|| Some((u.clone(), UnitKind::Department))),
        None => meta::unit(&above, &sheet.name, &stem, ctx.units),
    };
    let period = over
        .period
        .or_else(|| meta::period(&above, &notes, &sheet.name, &stem, ctx.year));
    let unit_kind = found_unit.as_ref().map(|u| u.1);
    let matcher = &ctx.matcher;

    let col = |r: Role| t.column(r);
    let month_col = period.and_then(|p| {
        t.months()
            .into_iter()
            .find(|(m, _)| *m == p.month())
            .map(|(_, c)| c)
    });
    let value_col = col(Role::Value).or(month_col);
    let value_header_unit = value_col
        .and_then(|c| t.headers.get(c))
        .and_then(|h| value::bracket_unit(h));
    let mut rows: Vec<Row> = Vec::new();
    let mut rejects: Vec<Reject> = Vec::new();
    for (i, r) in sheet.rows.iter().enumerate().skip(t.data_start()) {
        if table::is_furniture(r, &t) {
            continue;
        }
        let row_no = sheet.first_row + i;
        let name = cell(r, col(Role::Indicator))
            .map(Cell::text)
            .unwrap_or_default();
        let code = cell(r, col(Role::Code)).map(Cell::text);
        let raw_value = value_col
            .and_then(|c| r.get(c))
            .cloned()
            .unwrap_or(Cell::Empty);
        if name.is_empty() && code.is_none() {
            if !raw_value.is_empty() {
                rejects.push(Reject::new(row_no, Why::NoIndicator));
            }
            continue;
        }
        let (index, unsure) = match matcher.find(code.as_deref(), &name, unit_kind) {
            Match::Found { index, .. } => (index, None),
            Match::Unsure {
                index,
                score,
                runner_up,
            } => (
                index,
                Some(Why::Unsure {
                    name: name.clone(),
                    candidate: ctx.indicators[index].name.clone(),
                    score,
                    runner_up: runner_up.map(|r| ctx.indicators[r].name.clone()),
                }),
            ),
            m @ (Match::None | Match::Weak { .. }) => {
                let nearest = match m {
                    Match::Weak { index, score } => {
                        Some((ctx.indicators[index].name.clone(), score))
                    }
                    _ => None,
                };
                let shown = if name.is_empty() {
                    code.clone().unwrap_or_default()
                } else {
                    name.clone()
                };
                let row_unit = cell(r, col(Role::Unit))
                    .map(Cell::text)
                    .or_else(|| value::bracket_unit(&name))
                    .or(value_header_unit.clone());
                let text = |role: Role| cell(r, col(role)).map(Cell::text).unwrap_or_default();
                let unmatched = value::parse(&raw_value).ok().map(|reading| Row {
                    indicator: String::new(),
                    code: String::new(),
                    value: reading.map(|rd| value::normalise(rd, row_unit.as_deref(), false)),
                    text: text(Role::Progress),
                    warnings: Vec::new(),
                    by_hand: false,
                    row: row_no,
                    indicator_id: 0,
                    problems: text(Role::Problems),
                    next_steps: text(Role::NextSteps),
                    source_name: name.clone(),
                });
                rejects.push(Reject {
                    row: row_no,
                    why: Why::NotInPlan {
                        name: shown,
                        nearest,
                    },
                    unmatched,
                });
                continue;
            }
        };
        let ind = &ctx.indicators[index];
        let row_unit = cell(r, col(Role::Unit))
            .map(Cell::text)
            .or_else(|| value::bracket_unit(&name))
            .or(value_header_unit.clone());
        let reading = match value::parse(&raw_value) {
            Ok(v) => v,
            Err(why) => {
                rejects.push(Reject::new(row_no, why));
                continue;
            }
        };
        let percent = ind.is_percent();
        let v = reading.map(|rd| value::normalise(rd, row_unit.as_deref(), percent));
        if let Some(v) = v
            && v < 0.0
        {
            rejects.push(Reject::new(row_no, Why::Negative { value: v }));
            continue;
        }
        if let Some(first) = rows.iter().find(|x| x.indicator_id == ind.id) {
            rejects.push(Reject::new(
                row_no,
                Why::Duplicate {
                    indicator: ind.name.clone(),
                    first_row: first.row,
                },
            ));
            continue;
        }
        let target = cell(r, col(Role::Target))
            .and_then(|c| value::parse(c).ok().flatten())
            .map(|rd| value::normalise(rd, row_unit.as_deref(), percent));
        let mut warnings: Vec<Why> = unsure.into_iter().collect();
        if let Some(v) = v {
            if percent && v > 100.0 {
                warnings.push(Why::AboveHundred { value: v });
            } else if let Some(tg) = target.filter(|t| *t > 0.0)
                && v >= 10.0 * tg
            {
                warnings.push(Why::AboveOwnTarget {
                    value: v,
                    target: tg,
                });
            }
            if let (Some(p), Some(unit)) = (period, found_unit.as_ref())
                && let Some(prev) = ctx
                    .history
                    .get(&(ind.id, unit.0.clone()))
                    .and_then(|h| h.iter().filter(|(q, _)| *q < p).max_by_key(|(q, _)| *q))
                && prev.1 > 0.0
                && (v > 5.0 * prev.1 || v < prev.1 / 5.0)
            {
                warnings.push(Why::Jump {
                    value: v,
                    previous: prev.1,
                    period: prev.0.to_string(),
                });
            }
            // A running total cannot fall below what the unit reported for
            // an earlier period (warned, never changed).
            if ind.kind == crate::domain::Kind::Cumulative
                && let (Some(p), Some(unit)) = (period, found_unit.as_ref())
                && let Some(prev) = ctx
                    .history
                    .get(&(ind.id, unit.0.clone()))
                    .and_then(|h| h.iter().filter(|(q, _)| *q < p).max_by_key(|(q, _)| *q))
                && v < prev.1
            {
                warnings.push(Why::Decrease {
                    value: v,
                    previous: prev.1,
                    period: prev.0.to_string(),
                });
            }
        } else if let (Some(p), Some(unit)) = (period, found_unit.as_ref())
            && let Some(prev) = ctx
                .history
                .get(&(ind.id, unit.0.clone()))
                .and_then(|h| h.iter().find(|(q, _)| *q == p))
        {
            // A row with no number would replace the figure already in the
            // ledger for this unit and period: said, never done silently.
            warnings.push(Why::Cleared {
                previous: prev.1,
                period: p.to_string(),
            });
        }
        // A unit of measure that contradicts the indicator's (a count given
        // for a rate): the number may be another metric's.
        if let (Some(row_u), Some(ind_u)) = (row_unit.as_deref(), ind.unit.as_deref()) {
            use crate::domain::lexicon::{UnitClass, unit_class};
            let (a, b) = (unit_class(row_u), unit_class(ind_u));
            if a != b && a != UnitClass::Other && b != UnitClass::Other {
                warnings.push(Why::UnitMismatch {
                    row: row_u.to_string(),
                    indicator: ind_u.to_string(),
                });
            }
        }
        let text = |role: Role| cell(r, col(role)).map(Cell::text).unwrap_or_default();
        rows.push(Row {
            indicator: ind.name.clone(),
            code: ind.code.clone(),
            value: v,
            text: text(Role::Progress),
            warnings,
            by_hand: false,
            row: row_no,
            indicator_id: ind.id,
            problems: text(Role::Problems),
            next_steps: text(Role::NextSteps),
            source_name: name,
        });
    }
    FileResult {
        file: file_name.to_string(),
        unit: found_unit.as_ref().map(|u| u.0.clone()),
        period: period.map(|p| p.to_string()),
        rows,
        rejects,
        file_error: None,
        unit_kind,
        sheet: Some(sheet.name.clone()),
    }
}
