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
    /// Every catalogue name and alias in matching form, for telling a
    /// unit's column or row from the rest.
    unit_names: std::collections::HashSet<String>,
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
            unit_names: units
                .iter()
                .flat_map(|u| std::iter::once(&u.name).chain(&u.aliases))
                .map(|n| crate::domain::text::fold(n))
                .collect(),
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
    /// The same row's figures for earlier periods, from a file with one
    /// column per period (1月 … 12月, 1-3月累计 …), oldest first: imported
    /// with the row, each as a figure of its own period.
    pub earlier: Vec<(Period, f64)>,
    /// The row's reporting unit, in a file of several units (a summary
    /// table with one row or column per district); `None` in a file of one
    /// unit (the file's).
    pub unit: Option<String>,
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
        let mut st = s.serialize_struct("Row", 9)?;
        st.serialize_field("indicator", &self.indicator)?;
        st.serialize_field("code", &self.code)?;
        st.serialize_field("value", &self.value)?;
        st.serialize_field("text", &self.text)?;
        st.serialize_field("status", self.status().as_str())?;
        st.serialize_field("why", &self.why())?;
        st.serialize_field("row", &self.row)?;
        match &self.unit {
            Some(u) => st.serialize_field("unit", u)?,
            None => st.skip_field("unit")?,
        }
        if !self.earlier.is_empty() {
            #[derive(Serialize)]
            struct Earlier {
                period: String,
                value: f64,
            }
            let list: Vec<Earlier> = self
                .earlier
                .iter()
                .map(|(p, v)| Earlier {
                    period: p.to_string(),
                    value: *v,
                })
                .collect();
            st.serialize_field("earlier", &list)?;
        } else {
            st.skip_field("earlier")?;
        }
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
    /// The rows to commit (accepted and warned), for the store: each row's
    /// figure for the file's period, then its earlier periods' figures.
    pub fn batch_rows(&self) -> Vec<BatchRow> {
        let now = self.rows.iter().map(|x| BatchRow {
            indicator_id: x.indicator_id,
            value: x.value,
            progress: x.text.clone(),
            problems: x.problems.clone(),
            next_steps: x.next_steps.clone(),
            row: x.row as i64,
            period: None,
            unit: x.unit.clone(),
        });
        let earlier = self.rows.iter().flat_map(|x| {
            x.earlier.iter().map(|(p, v)| BatchRow {
                indicator_id: x.indicator_id,
                value: Some(*v),
                progress: String::new(),
                problems: String::new(),
                next_steps: String::new(),
                row: x.row as i64,
                period: Some(*p),
                unit: x.unit.clone(),
            })
        });
        now.chain(earlier).collect()
    }

    /// Whether every row's reporting unit is known: the file's, or in a
    /// file of several units each row's own.
    pub fn units_known(&self) -> bool {
        self.unit.is_some() || (!self.rows.is_empty() && self.rows.iter().all(|r| r.unit.is_some()))
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

/// The period of a file that says none, from its series: the last period
/// column with a figure in it (a sheet filled quarterly up to June runs to
/// June).
fn latest_filled_month(
    sheet: &read::Sheet,
    t: &table::Table,
    months: &[(u32, usize)],
    year: i32,
) -> Option<Period> {
    let data = sheet.rows.get(t.data_start()..)?;
    months
        .iter()
        .filter(|(_, c)| {
            data.iter().any(|r| {
                r.get(*c)
                    .is_some_and(|x| value::parse(x).is_ok_and(|v| v.is_some()))
            })
        })
        .map(|(m, _)| *m)
        .max()
        .and_then(|m| Period::new(year, m))
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
    // A unit's name, alone or with an office's suffix: first a look for any
    // catalogue name in it (cheap), then the exact rule.
    let is_unit = |h: &str| {
        let f = crate::domain::text::fold(h);
        ctx.unit_names.iter().any(|n| f.contains(n.as_str()))
            && meta::unit_named(h, ctx.units).is_some()
    };
    let Some(t) = table::find_with(&sheets, &is_unit) else {
        // No header names an indicator column: a summary table whose
        // columns are the indicators, perhaps.
        if let Some(found) = units_as_rows(file_name, &sheets, ctx, over) {
            return found;
        }
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
    let months = t.months();
    let period = over
        .period
        .or_else(|| meta::period(&above, &notes, &sheet.name, &stem, ctx.year))
        .or_else(|| latest_filled_month(sheet, &t, &months, ctx.year));
    let unit_kind = found_unit.as_ref().map(|u| u.1);
    let col = |r: Role| t.column(r);
    let month_col = period.and_then(|p| {
        months
            .iter()
            .find(|(m, _)| *m == p.month())
            .map(|(_, c)| *c)
    });
    // The series: the period columns before the file's period, each its own
    // period of the same year.
    let earlier_cols: Vec<(Period, usize)> = period
        .map(|p| {
            months
                .iter()
                .filter(|(m, _)| *m < p.month())
                .filter_map(|(m, c)| Some((Period::new(p.year(), *m)?, *c)))
                .collect()
        })
        .unwrap_or_default();
    let value_col = col(Role::Value).or(month_col);
    let header_unit = |c: Option<usize>| {
        c.and_then(|c| t.headers.get(c))
            .and_then(|h| value::bracket_unit(h))
    };
    let data_rows = || {
        sheet
            .rows
            .iter()
            .enumerate()
            .skip(t.data_start())
            .filter(|(_, r)| !table::is_furniture(r, &t))
            .map(|(i, r)| (sheet.first_row + i, r))
    };
    let text = |r: &[Cell], role: Role| cell(r, col(role)).map(Cell::text).unwrap_or_default();
    let line = |row_no: usize, r: &[Cell], value: Option<usize>| {
        let name = text(r, Role::Indicator);
        let measure = cell(r, col(Role::Unit))
            .map(Cell::text)
            .or_else(|| value::bracket_unit(&name))
            .or(header_unit(value));
        Line {
            row_no,
            name,
            code: cell(r, col(Role::Code)).map(Cell::text),
            value: value.and_then(|c| r.get(c)).cloned().unwrap_or(Cell::Empty),
            target: cell(r, col(Role::Target)).cloned(),
            measure,
            progress: text(r, Role::Progress),
            problems: text(r, Role::Problems),
            next_steps: text(r, Role::NextSteps),
            earlier: earlier_cols
                .iter()
                .filter_map(|(q, c)| Some((*q, r.get(*c)?.clone())))
                .collect(),
        }
    };
    // A summary table of several units, one column each (指标 | 张店区 | 淄川区 …).
    let reporters: Vec<(usize, (String, UnitKind))> = if over.unit.is_none() {
        t.roles
            .iter()
            .enumerate()
            .filter(|(_, r)| **r == Role::Reporter)
            .filter_map(|(c, _)| Some((c, meta::unit_named(&t.headers[c], ctx.units)?)))
            .collect()
    } else {
        Vec::new()
    };
    let (mut rows, mut rejects) = (Vec::new(), Vec::new());
    if reporters.is_empty() || value_col.is_some() {
        let lines: Vec<Line> = data_rows().map(|(n, r)| line(n, r, value_col)).collect();
        read_lines(
            &lines,
            ctx,
            found_unit.as_ref(),
            period,
            &mut rows,
            &mut rejects,
        );
    } else {
        for (c, unit) in &reporters {
            let lines: Vec<Line> = data_rows().map(|(n, r)| line(n, r, Some(*c))).collect();
            read_unit_lines(&lines, ctx, unit, period, &mut rows, &mut rejects);
        }
        // The file's own total column (合计 / 全市), one figure per row.
        if let Some(tc) = t.headers.iter().position(|h| is_total(h)) {
            let totals: Vec<(usize, Cell)> = data_rows()
                .filter_map(|(n, r)| Some((n, r.get(tc)?.clone())))
                .collect();
            check_totals(
                &mut rows,
                ctx,
                |row: &Row| {
                    totals
                        .iter()
                        .find(|(n, _)| *n == row.row)
                        .map(|(_, c)| c.clone())
                },
                &t.headers[tc],
            );
        }
        return several_units(file_name, &sheet.name, period, rows, rejects);
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

/// One data row as read, whatever the table's shape: what names the
/// indicator, the cell with the figure and the row's other words.
struct Line {
    row_no: usize,
    name: String,
    code: Option<String>,
    value: Cell,
    target: Option<Cell>,
    /// The unit of measure the row gives (a 单位 column, the name's or the
    /// value column's brackets).
    measure: Option<String>,
    progress: String,
    problems: String,
    next_steps: String,
    /// Cells of earlier periods (a series).
    earlier: Vec<(Period, Cell)>,
}

/// Matches and checks one unit's lines: each becomes a row, or a reject.
fn read_lines(
    lines: &[Line],
    ctx: &Context,
    found_unit: Option<&(String, UnitKind)>,
    period: Option<Period>,
    rows: &mut Vec<Row>,
    rejects: &mut Vec<Reject>,
) {
    let matcher = &ctx.matcher;
    let unit_kind = found_unit.map(|u| u.1);
    let first = rows.len();
    for l in lines {
        let row_no = l.row_no;
        let name = &l.name;
        let code = &l.code;
        let raw_value = &l.value;
        if name.is_empty() && code.is_none() {
            if !raw_value.is_empty() {
                rejects.push(Reject::new(row_no, Why::NoIndicator));
            }
            continue;
        }
        // The cell read once, for the evidence and for the figure.
        let parsed = value::parse(raw_value);
        let own_target = l
            .target
            .as_ref()
            .and_then(|c| value::parse(c).ok().flatten());
        let evidence = matcher::Evidence {
            measure: l
                .measure
                .as_deref()
                .map(crate::domain::lexicon::unit_class)
                .or_else(|| {
                    parsed
                        .as_ref()
                        .ok()
                        .and_then(|r| r.as_ref())
                        .filter(|rd| rd.percent)
                        .map(|_| crate::domain::lexicon::UnitClass::Percent)
                }),
            cumulative: matcher::Evidence::qualifier(name),
            target: own_target.map(|rd| value::normalise(rd, l.measure.as_deref(), false)),
        };
        let (index, unsure) = match matcher.find_with(code.as_deref(), name, unit_kind, &evidence) {
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
                let row_unit = l.measure.clone();
                let unmatched = parsed.clone().ok().map(|reading| Row {
                    indicator: String::new(),
                    code: String::new(),
                    value: reading.map(|rd| value::normalise(rd, row_unit.as_deref(), false)),
                    text: l.progress.clone(),
                    warnings: Vec::new(),
                    by_hand: false,
                    row: row_no,
                    indicator_id: 0,
                    problems: l.problems.clone(),
                    next_steps: l.next_steps.clone(),
                    source_name: name.clone(),
                    earlier: Vec::new(),
                    unit: None,
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
        let row_unit = l.measure.clone();
        let reading = match parsed {
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
        if let Some(first) = rows[first..].iter().find(|x| x.indicator_id == ind.id) {
            rejects.push(Reject::new(
                row_no,
                Why::Duplicate {
                    indicator: ind.name.clone(),
                    first_row: first.row,
                },
            ));
            continue;
        }
        let target = l
            .target
            .as_ref()
            .and_then(|c| value::parse(c).ok().flatten())
            .map(|rd| value::normalise(rd, row_unit.as_deref(), percent));
        let mut warnings: Vec<Why> = unsure.into_iter().collect();
        // The unit's earlier periods from the same row (a cell that reads
        // as no number is skipped: the series is sparse).
        let earlier: Vec<(Period, f64)> = l
            .earlier
            .iter()
            .filter_map(|(q, c)| {
                let rd = value::parse(c).ok()??;
                let x = value::normalise(rd, row_unit.as_deref(), percent);
                (x >= 0.0).then_some((*q, x))
            })
            .collect();
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
            // an earlier period, in the ledger or in the file's own series
            // (warned, never changed).
            if ind.kind == crate::domain::Kind::Cumulative
                && let Some(p) = period
            {
                let from_ledger = found_unit.as_ref().and_then(|unit| {
                    ctx.history
                        .get(&(ind.id, unit.0.clone()))
                        .and_then(|h| h.iter().filter(|(q, _)| *q < p).max_by_key(|(q, _)| *q))
                        .copied()
                });
                let prev = earlier.last().copied().or(from_ledger);
                if let Some(prev) = prev
                    && v < prev.1
                {
                    warnings.push(Why::Decrease {
                        value: v,
                        previous: prev.1,
                        period: prev.0.to_string(),
                    });
                }
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
        if let (Some(v), Some(p), Some(unit)) = (v, period, found_unit.as_ref()) {
            warnings.extend(sum_above(ind, &unit.0, p, v, ctx.history));
        }
        if let Some(p) = period
            && let Some(said) = later_than(&l.progress, p)
        {
            warnings.push(Why::LaterThanPeriod {
                said,
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
        rows.push(Row {
            indicator: ind.name.clone(),
            code: ind.code.clone(),
            value: v,
            text: l.progress.clone(),
            warnings,
            by_hand: false,
            row: row_no,
            indicator_id: ind.id,
            problems: l.problems.clone(),
            next_steps: l.next_steps.clone(),
            source_name: name.clone(),
            earlier,
            unit: None,
        });
    }
}

/// [`read_lines`] for one unit of a file of several: its rows and the
/// figures of its rejected rows say whose they are.
fn read_unit_lines(
    lines: &[Line],
    ctx: &Context,
    unit: &(String, UnitKind),
    period: Option<Period>,
    rows: &mut Vec<Row>,
    rejects: &mut Vec<Reject>,
) {
    let (r0, j0) = (rows.len(), rejects.len());
    read_lines(lines, ctx, Some(unit), period, rows, rejects);
    for r in &mut rows[r0..] {
        r.unit = Some(unit.0.clone());
    }
    for j in &mut rejects[j0..] {
        if let Some(u) = &mut j.unmatched {
            u.unit = Some(unit.0.clone());
        }
    }
}

/// The result for a file of several units: no unit of its own, each row
/// naming its unit, in sheet order.
fn several_units(
    file_name: &str,
    sheet: &str,
    period: Option<Period>,
    mut rows: Vec<Row>,
    mut rejects: Vec<Reject>,
) -> FileResult {
    rows.sort_by_key(|r| r.row);
    rejects.sort_by_key(|r| r.row);
    FileResult {
        file: file_name.to_string(),
        unit: None,
        period: period.map(|p| p.to_string()),
        rows,
        rejects,
        file_error: None,
        unit_kind: None,
        sheet: Some(sheet.to_string()),
    }
}

/// The parts against the whole, for an indicator whose city figure is the
/// districts' sum: a district's figure that takes the districts' sum for the
/// period above what the city's reporter gave for it, or the city's figure
/// below the districts' sum already in the ledger. Only figures of the same
/// period count.
fn sum_above(
    ind: &Indicator,
    unit: &str,
    p: Period,
    v: f64,
    history: &FigureHistory,
) -> Option<Why> {
    use crate::domain::Aggregation;
    if history.is_empty() || ind.reporting.aggregation != Aggregation::Sum || ind.is_percent() {
        return None;
    }
    let city = ind.reporting.city_reporter.as_deref()?;
    let at = |u: &str| {
        history
            .get(&(ind.id, u.to_string()))
            .and_then(|h| h.iter().find(|(q, _)| *q == p))
            .map(|(_, x)| *x)
    };
    let parts = |but: Option<&str>| -> f64 {
        ind.reporting
            .units
            .iter()
            .filter(|u| Some(u.as_str()) != but && u.as_str() != city)
            .filter_map(|u| at(u))
            .sum()
    };
    let (sum, total) = if unit == city {
        (parts(None), v)
    } else if ind.reporting.units.iter().any(|u| u == unit) {
        // The city's figure first: most imports have none to compare with.
        let total = at(city)?;
        (parts(Some(unit)) + v, total)
    } else {
        return None;
    };
    (sum > total * (1.0 + 1e-9) && sum > 0.0).then(|| Why::SumAbove {
        sum,
        total,
        whole: city.to_string(),
    })
}

/// A month the row's words say the figure runs to (截至8月底, 截止2023年8月)
/// when it is after the file's period; not a plan (预计/计划/力争 截至…).
fn later_than(text: &str, p: Period) -> Option<String> {
    use crate::domain::text::fold_char;
    for mark in ["截至", "截止"] {
        for (at, _) in text.match_indices(mark) {
            let before = &text[..at];
            if ["预计", "计划", "力争", "目标"]
                .iter()
                .any(|w| before.ends_with(w))
            {
                continue;
            }
            // [YYYY年]M月, full-width digits read as plain.
            let after: Vec<char> = text[at + mark.len()..]
                .chars()
                .take(8)
                .map(fold_char)
                .collect();
            let number = |from: usize| {
                let n = after[from..]
                    .iter()
                    .take_while(|c| c.is_ascii_digit())
                    .count();
                let v: String = after[from..from + n].iter().collect();
                (n, v.parse::<u32>().ok())
            };
            let (n1, v1) = number(0);
            let (year, month, used) = match (after.get(n1), v1) {
                (Some('年'), Some(y)) if n1 == 4 => {
                    let (n2, v2) = number(n1 + 1);
                    match after.get(n1 + 1 + n2) {
                        Some('月') => (Some(y as i32), v2, n1 + n2 + 2),
                        _ => continue,
                    }
                }
                (Some('月'), v) if (1..=2).contains(&n1) => (None, v, n1 + 1),
                _ => continue,
            };
            let Some(q) = month.and_then(|m| Period::new(year.unwrap_or(p.year()), m)) else {
                continue;
            };
            if q > p {
                let said: String = after[..used].iter().collect();
                return Some(format!("{mark}{said}"));
            }
        }
    }
    None
}

/// A cell that names the whole of a table of several units.
fn is_total(text: &str) -> bool {
    let t: String = crate::domain::text::fold(text)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    [
        "合计",
        "总计",
        "全市",
        "全市合计",
        "全市总计",
        "总数",
        "合计数",
    ]
    .contains(&t.as_str())
}

/// Warns every row of an indicator whose units' figures in the file add up
/// to more than the file's own total for it. `total_of` gives the total cell
/// for a row read.
fn check_totals(
    rows: &mut [Row],
    ctx: &Context,
    total_of: impl Fn(&Row) -> Option<Cell>,
    whole: &str,
) {
    let mut by_indicator: std::collections::BTreeMap<i64, (f64, Option<f64>)> = Default::default();
    for r in rows.iter() {
        let Some(ind) = ctx.indicators.iter().find(|i| i.id == r.indicator_id) else {
            continue;
        };
        if ind.is_percent() || ind.reporting.aggregation != crate::domain::Aggregation::Sum {
            continue;
        }
        let e = by_indicator.entry(r.indicator_id).or_default();
        e.0 += r.value.unwrap_or(0.0);
        if e.1.is_none() {
            let measure = value::bracket_unit(&r.source_name);
            e.1 = total_of(r)
                .and_then(|c| value::parse(&c).ok().flatten())
                .map(|rd| value::normalise(rd, measure.as_deref(), false));
        }
    }
    for r in rows.iter_mut() {
        if let Some((sum, Some(total))) = by_indicator.get(&r.indicator_id)
            && *sum > total * (1.0 + 1e-9)
        {
            r.warnings.push(Why::SumAbove {
                sum: *sum,
                total: *total,
                whole: whole.to_string(),
            });
        }
    }
}

/// A summary table with one row per unit and one column per indicator
/// (区县 | 新建智慧社区数 | 机架数 …), as the bureau and departments circulate:
/// found when two or more column headers are surely indicators of the plan
/// and a column below names two or more units of the catalogue. Each unit's
/// row is read as that unit's return; a 合计 / 全市 row is the file's own
/// total, checked against the units' sum.
fn units_as_rows(
    file_name: &str,
    sheets: &[read::Sheet],
    ctx: &Context,
    over: &Overrides,
) -> Option<FileResult> {
    if over.unit.is_some() || ctx.indicators.is_empty() {
        return None;
    }
    for sheet in sheets {
        for h in 0..sheet.rows.len().min(40) {
            let header: Vec<String> = sheet.rows[h].iter().map(Cell::text).collect();
            if header.iter().filter(|x| !x.is_empty()).count() < 3 {
                continue;
            }
            let indicator_cols: Vec<usize> = header
                .iter()
                .enumerate()
                .filter(|(_, x)| !x.is_empty() && !is_total(x))
                .filter(|(_, x)| {
                    matches!(
                        ctx.matcher.find(None, x, Some(UnitKind::District)),
                        Match::Found { .. }
                    )
                })
                .map(|(c, _)| c)
                .collect();
            if indicator_cols.len() < 2 {
                continue;
            }
            let below = &sheet.rows[h + 1..];
            let unit_col = (0..header.len())
                .filter(|c| !indicator_cols.contains(c))
                .find(|c| {
                    let mut seen = std::collections::HashSet::new();
                    for r in below {
                        if let Some(u) = r
                            .get(*c)
                            .and_then(|x| meta::unit_named(&x.text(), ctx.units))
                        {
                            seen.insert(u.0);
                        }
                    }
                    seen.len() >= 2
                })?;
            let line_text = |row: &[Cell]| {
                row.iter()
                    .map(Cell::text)
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join("  ")
            };
            let above: Vec<String> = sheet.rows[..h].iter().map(|r| line_text(r)).collect();
            let notes: Vec<String> = sheets
                .iter()
                .filter(|s| !std::ptr::eq(*s, sheet))
                .flat_map(|s| s.rows.iter().map(|r| line_text(r)))
                .collect();
            let stem = std::path::Path::new(file_name)
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let period = over
                .period
                .or_else(|| meta::period(&above, &notes, &sheet.name, &stem, ctx.year));
            let (mut rows, mut rejects) = (Vec::new(), Vec::new());
            let mut total_row = None;
            for (i, r) in below.iter().enumerate() {
                let row_no = sheet.first_row + h + 1 + i;
                let name = r.get(unit_col).map(Cell::text).unwrap_or_default();
                let has_figures = indicator_cols
                    .iter()
                    .any(|c| r.get(*c).is_some_and(|x| !x.is_empty()));
                if is_total(&name) {
                    total_row = Some(r);
                    continue;
                }
                let Some(unit) = meta::unit_named(&name, ctx.units) else {
                    if has_figures && !name.trim().is_empty() {
                        rejects.push(Reject::new(row_no, Why::UnknownUnit { name }));
                    }
                    continue;
                };
                let lines: Vec<Line> = indicator_cols
                    .iter()
                    .map(|c| Line {
                        row_no,
                        name: header[*c].clone(),
                        code: None,
                        value: r.get(*c).cloned().unwrap_or(Cell::Empty),
                        target: None,
                        measure: value::bracket_unit(&header[*c]),
                        progress: String::new(),
                        problems: String::new(),
                        next_steps: String::new(),
                        earlier: Vec::new(),
                    })
                    .collect();
                read_unit_lines(&lines, ctx, &unit, period, &mut rows, &mut rejects);
            }
            if let Some(total) = total_row {
                let whole = total.get(unit_col).map(Cell::text).unwrap_or_default();
                // An indicator's total is in the column its rows came from.
                check_totals(
                    &mut rows,
                    ctx,
                    |r: &Row| {
                        let c = indicator_cols
                            .iter()
                            .find(|c| header[**c] == r.source_name)?;
                        total.get(*c).cloned()
                    },
                    &whole,
                );
            }
            return Some(several_units(file_name, &sheet.name, period, rows, rejects));
        }
    }
    None
}

/// What to send back to a unit about its return: each row with what to fix
/// (a row matching no indicator, a warning, no 进展情况 written), in Chinese
/// as the notices go out, in sheet order.
pub fn return_lines(r: &FileResult) -> Vec<crate::domain::meeting::ReturnLine> {
    use crate::domain::meeting::ReturnLine;
    use crate::domain::words::Language::Chinese;
    let mut lines: Vec<ReturnLine> = Vec::new();
    let mut add = |row: usize, name: &str, problem: String| match lines
        .iter_mut()
        .find(|l| l.row == row && l.name == name)
    {
        Some(l) => l.problems.push(problem),
        None => lines.push(ReturnLine {
            row,
            name: name.to_string(),
            problems: vec![problem],
        }),
    };
    for j in &r.rejects {
        let name = j
            .unmatched
            .as_ref()
            .map(|u| u.source_name.clone())
            .unwrap_or_default();
        add(j.row, &name, j.why.words(Chinese));
    }
    for row in &r.rows {
        for w in &row.warnings {
            add(row.row, &row.source_name, w.words(Chinese));
        }
        if row.text.trim().is_empty() {
            add(
                row.row,
                &row.source_name,
                Chinese.t("import.problem-no-text").to_string(),
            );
        }
    }
    lines.sort_by_key(|l| l.row);
    lines
}
