//! `taizhang returns …` and `taizhang demo`: reading returns (in parallel),
//! committing each file as a batch, listing and undoing batches.

use super::{CliError, Result};
use crate::domain::{Period, Unit};
use crate::returns::{self, Context, FileResult, Overrides};
use crate::store::{NewBatch, Store};
use serde::Serialize;
use std::ops::ControlFlow;
use std::path::PathBuf;

/// One file's outcome: what was read, and the batch it became (or why not).
#[derive(Serialize)]
pub struct Outcome {
    #[serde(flatten)]
    pub result: FileResult,
    /// The batch the file was committed as.
    pub batch: Option<i64>,
    /// Why the file was read but not committed.
    pub commit_error: Option<String>,
}

/// Imports files into the ledger (or only reads them with `dry_run`).
#[allow(clippy::too_many_arguments)]
pub fn import(
    store: &mut Store,
    files: &[PathBuf],
    plan: Option<i64>,
    unit: Option<String>,
    period: Option<Period>,
    dry_run: bool,
    force: bool,
) -> Result<Vec<Outcome>> {
    let plan = store.plan_or_latest(plan)?;
    let indicators = store.indicators(plan.id)?;
    let units: Vec<Unit> = store.units()?;
    let aliases = store.indicator_aliases(plan.id)?;
    let history = store.figure_history(plan.id)?;
    let ctx = Context::new(&indicators, &units, &aliases, plan.year, &history);
    let over = Overrides { unit, period };
    // Each file is committed as soon as it is read, while the next ones are
    // still being read; all of them land together at the end, in one
    // transaction, or none if the ledger fails.
    let locked = store.locked_periods()?;
    let mut import = if dry_run {
        None
    } else {
        Some(store.begin_import()?)
    };
    let mut out: Vec<Outcome> = Vec::with_capacity(files.len());
    let mut failed = None;
    returns::import_files_each(files, &ctx, &over, |_, result, bytes| {
        let mut o = Outcome {
            result,
            batch: None,
            commit_error: None,
        };
        if let (Some(import), Some(bytes)) = (import.as_mut(), bytes)
            && o.result.file_error.is_none()
        {
            match commit_target(&o.result) {
                Ok(period) => {
                    let r = &o.result;
                    let added = import.add(&NewBatch {
                        file_name: &r.file,
                        bytes: &bytes,
                        plan_id: plan.id,
                        unit: r.unit.as_deref().unwrap_or_default(),
                        period,
                        sheet: r.sheet.as_deref(),
                        rows: &r.batch_rows(),
                        force,
                    });
                    match added {
                        Ok(Ok(id)) => o.batch = Some(id),
                        Ok(Err(e)) => o.commit_error = Some(e.to_string()),
                        Err(e) => {
                            failed = Some(e);
                            return ControlFlow::Break(());
                        }
                    }
                }
                Err(e) => o.commit_error = Some(e),
            }
        } else if import.is_none() && o.result.file_error.is_none() {
            // A dry run says what the commit would refuse.
            o.commit_error = match commit_target(&o.result) {
                Ok(p) if locked.contains(&p) => Some(format!(
                    "locked: period {p} is locked; its figures cannot change until it is unlocked (`taizhang period unlock {p}`)"
                )),
                Ok(_) => None,
                Err(e) => Some(e),
            };
        }
        out.push(o);
        ControlFlow::Continue(())
    });
    if let Some(e) = failed {
        return Err(e.into());
    }
    if let Some(import) = import {
        import.commit()?;
    }
    Ok(out)
}

/// The period a read file is committed under, or why it cannot be.
fn commit_target(r: &FileResult) -> std::result::Result<Period, String> {
    if r.rows.is_empty() {
        return Err(
            "nothing to import: no row of the file matched an indicator of the plan".into(),
        );
    }
    if !r.units_known() {
        return Err("the reporting unit is not stated in the file: give it with --unit".into());
    }
    r.period
        .as_deref()
        .ok_or("the period is not stated in the file: give it with --period YYYY-MM")?
        .parse()
        .map_err(|e: crate::domain::DateError| e.0)
}

/// A short table per file, for people.
pub fn render(outcomes: &[Outcome]) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    for o in outcomes {
        let r = &o.result;
        let _ = writeln!(
            s,
            "{}  unit {}  period {}",
            r.file,
            match (&r.unit, r.units_known()) {
                (Some(u), _) => u.as_str(),
                (None, true) => "(several: each row names its own)",
                (None, false) => "?",
            },
            r.period.as_deref().unwrap_or("?")
        );
        if let Some(e) = &r.file_error {
            let _ = writeln!(s, "  refused: {e}");
            continue;
        }
        for row in &r.rows {
            let _ = writeln!(
                s,
                "  row {:>3}  {:<8} {}{}  = {}{}",
                row.row,
                row.status().as_str(),
                row.unit
                    .as_ref()
                    .map(|u| format!("{u}: "))
                    .unwrap_or_default(),
                row.indicator,
                super::text::number(row.value),
                if row.warnings.is_empty() {
                    String::new()
                } else {
                    format!("  ({})", row.why())
                }
            );
        }
        for rej in &r.rejects {
            let _ = writeln!(s, "  row {:>3}  rejected {}", rej.row, rej.why);
        }
        match (&o.batch, &o.commit_error) {
            (Some(b), _) => {
                let _ = writeln!(s, "  committed as batch {b}");
            }
            (None, Some(e)) => {
                let _ = writeln!(s, "  not committed: {e}");
            }
            _ => {}
        }
    }
    s
}

/// The demonstration data, compiled in so that an installed binary can build
/// the demo without the source tree.
const DEMO_UNITS: &str = include_str!("../../seeds/units_zibo.json");
const DEMO_PLAN: &str = include_str!("../../seeds/002_170162ee7e3b2779.txt");
const DEMO_RETURNS: &[(&str, &[u8])] = &[
    (
        "博山区_2023年一季度_重点指标进展.xls",
        include_bytes!("../../seeds/returns/博山区_2023年一季度_重点指标进展.xls"),
    ),
    (
        "张店区_2023年6月_大数据工作进展情况统计表.xlsx",
        include_bytes!("../../seeds/returns/张店区_2023年6月_大数据工作进展情况统计表.xlsx"),
    ),
    (
        "市大数据局数据资源管理科_2023年上半年_重点工作进展.xlsx",
        include_bytes!(
            "../../seeds/returns/市大数据局数据资源管理科_2023年上半年_重点工作进展.xlsx"
        ),
    ),
    (
        "淄川区_2023年前三季度_进展情况统计表.xlsx",
        include_bytes!("../../seeds/returns/淄川区_2023年前三季度_进展情况统计表.xlsx"),
    ),
    (
        "临淄区_2023年度_进展情况统计表.csv",
        include_bytes!("../../seeds/returns/临淄区_2023年度_进展情况统计表.csv"),
    ),
];

/// What `demo` built.
#[derive(Serialize)]
pub struct DemoSummary {
    pub plan_id: i64,
    pub units: usize,
    pub indicators: usize,
    pub batches: Vec<(String, Option<i64>, Option<String>)>,
}

/// The Qingdao plans of 2021, 2022 and 2023 (seeds 003, 004, 001): the same
/// metrics across three years, for the lineage (智慧社区示范点 50 → 150 →
/// 累计不少于400).
const DEMO_LINEAGE: &[(&str, &str, i32)] = &[
    (
        "003_f995b735231e603c.txt",
        include_str!("../../seeds/003_f995b735231e603c.txt"),
        2021,
    ),
    (
        "004_ab0cb6b6d6a23def.txt",
        include_str!("../../seeds/004_ab0cb6b6d6a23def.txt"),
        2022,
    ),
    (
        "001_0d825fc5713a33cc.txt",
        include_str!("../../seeds/001_0d825fc5713a33cc.txt"),
        2023,
    ),
];

/// The unit that reports the Qingdao plans' demonstration figures.
pub const DEMO_LINEAGE_UNIT: &str = "青岛市大数据发展管理局";

/// Demonstration figures of the Qingdao smart-community line, by plan year:
/// (period, figure). Made up for the demonstration; the window says so.
const DEMO_LINEAGE_FIGURES: &[(i32, &[(&str, f64)])] = &[
    (2021, &[("2021-06", 28.0), ("2021-12", 52.0)]),
    (2022, &[("2022-06", 96.0), ("2022-12", 143.0)]),
    (2023, &[("2023-03", 190.0), ("2023-06", 260.0)]),
];

/// The Qingdao plans with their lineage and demonstration figures.
fn demo_lineage(store: &mut Store) -> Result<()> {
    use crate::domain::{UnitKind, UnitSpec};
    store.import_units(&[UnitSpec {
        name: DEMO_LINEAGE_UNIT.into(),
        kind: UnitKind::Department,
        aliases: vec!["青岛市大数据局".into()],
    }])?;
    let mut plans = Vec::new();
    for (document, text, year) in DEMO_LINEAGE {
        let draft = crate::plan_text::extract(
            text,
            &crate::plan_text::ExtractOptions {
                year: Some(*year),
                document: Some((*document).into()),
            },
        )
        .map_err(|e| CliError::new(format!("demo plan {document}: {e}")))?;
        plans.push((
            *year,
            store.import_plan(&draft.into_plan(), Some(text))?.plan_id,
        ));
    }
    // The smart-community line: the newest year's running total of smart
    // communities, and what it continues.
    let Some(&(_, newest)) = plans.last() else {
        return Ok(());
    };
    let Some(end) = store.indicators(newest)?.into_iter().find(|i| {
        crate::domain::text::fold(&i.name).contains("智慧社")
            && i.kind == crate::domain::Kind::Cumulative
    }) else {
        return Ok(());
    };
    for year in store.lineage(
        end.id,
        crate::domain::Date::new(2023, 6, 30).expect("a date"),
    )? {
        let Some((_, figures)) = DEMO_LINEAGE_FIGURES.iter().find(|(y, _)| *y == year.year) else {
            continue;
        };
        let ind = store.indicator(year.indicator_id)?;
        let mut fields = crate::store::IndicatorFields::of(&ind);
        fields.reporting.city_reporter = Some(DEMO_LINEAGE_UNIT.into());
        store.edit_indicator(ind.id, &fields, None)?;
        for (period, value) in *figures {
            let period = period
                .parse()
                .map_err(|e: crate::domain::DateError| CliError::new(e.0))?;
            let mut entry =
                crate::store::ReportEntry::new(&ind.code, DEMO_LINEAGE_UNIT, period, *value);
            entry.plan_id = Some(ind.plan_id);
            entry.progress = Some("演示数据".into());
            store.add_report(&entry)?;
        }
    }
    Ok(())
}

/// Builds the demonstration database in `store` (repeatable: nothing is
/// imported twice).
pub fn demo(store: &mut Store) -> Result<DemoSummary> {
    let units: crate::domain::UnitsFile =
        serde_json::from_str(DEMO_UNITS).map_err(|e| CliError::new(format!("demo units: {e}")))?;
    store.import_units(&units.units)?;
    store.set_setting("demo", "1")?;
    let first_time = store.plans()?.is_empty();
    let draft = crate::plan_text::extract(
        DEMO_PLAN,
        &crate::plan_text::ExtractOptions {
            year: None,
            document: Some("002_170162ee7e3b2779.txt".into()),
        },
    )
    .map_err(|e| CliError::new(format!("demo plan: {e}")))?;
    let plan = store.import_plan(&draft.into_plan(), Some(DEMO_PLAN))?;
    if first_time {
        demo_lineage(store)?;
        // The window and the commands open on the Zibo plan.
        store.set_current_plan(plan.plan_id)?;
    }
    let indicators = store.indicators(plan.plan_id)?;
    let all_units = store.units()?;
    let aliases = store.indicator_aliases(plan.plan_id)?;
    let mut batches = Vec::new();
    for (name, bytes) in DEMO_RETURNS {
        let history = store.figure_history(plan.plan_id)?;
        let ctx = Context::new(&indicators, &all_units, &aliases, 2023, &history);
        let r = returns::import(name, bytes, &ctx, &Overrides::default());
        if store
            .batch_with_sha(&crate::store::sha256_hex(bytes))?
            .is_some()
        {
            batches.push((name.to_string(), None, Some("already imported".to_string())));
            continue;
        }
        let outcome = commit_target(&r).and_then(|period| {
            let rows = r.batch_rows();
            store
                .commit_batch(&NewBatch {
                    file_name: &r.file,
                    bytes,
                    plan_id: plan.plan_id,
                    unit: r.unit.as_deref().unwrap_or_default(),
                    period,
                    sheet: r.sheet.as_deref(),
                    rows: &rows,
                    force: false,
                })
                .map_err(|e| e.to_string())
        });
        match outcome {
            Ok(b) => batches.push((name.to_string(), Some(b.id), None)),
            Err(e) => batches.push((name.to_string(), None, Some(e))),
        }
    }
    Ok(DemoSummary {
        plan_id: plan.plan_id,
        units: all_units.len(),
        indicators: indicators.len(),
        batches,
    })
}

/// A 退回 notice for a committed batch: its file read again against the plan
/// as it is now, each row with what to fix.
#[derive(Clone, Debug)]
pub struct ReturnNotice {
    pub lines: Vec<crate::domain::meeting::ReturnLine>,
    pub text: String,
    /// One line for the audit log: how many rows, which problems.
    pub summary: String,
}

impl ReturnNotice {
    /// The notice as a workbook to print, its rows in a table.
    pub fn xlsx(&self) -> std::result::Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
        crate::export::notices::notice_with_lines_xlsx(&self.text, &self.lines)
    }
}

/// Builds the 退回 notice of batch `id` (nothing is changed).
pub fn return_notice(store: &Store, id: i64, date: crate::domain::Date) -> Result<ReturnNotice> {
    let info = store.batch(id)?;
    let plan = store.plan_of_batch(id)?;
    let (file, bytes) = store.batch_file(id)?;
    let indicators = store.indicators(plan.id)?;
    let units = store.units()?;
    let aliases = store.indicator_aliases(plan.id)?;
    let history = store.figure_history(plan.id)?;
    let ctx = Context::new(&indicators, &units, &aliases, plan.year, &history);
    let period = info.period.as_deref().and_then(|p| p.parse().ok());
    let over = Overrides {
        unit: info.unit.clone(),
        period,
    };
    let result = returns::import(&file, &bytes, &ctx, &over);
    let lines = returns::return_lines(&result);
    let from = crate::export::notices::Sender {
        plan_title: &plan.title,
        issuer: &plan.issuer,
        date,
    };
    let text = crate::export::notices::return_text(
        info.unit.as_deref().unwrap_or("各单位"),
        period,
        &file,
        &lines,
        &from,
    );
    let summary = if lines.is_empty() {
        "经审核退回".to_string()
    } else {
        format!("{}行需修改", lines.len())
    };
    Ok(ReturnNotice {
        lines,
        text,
        summary,
    })
}
