//! What the screens show, loaded in one go on the worker thread: the plan,
//! its status at the as-of date, each indicator's series and figures, the
//! unit ranking and who has not reported. Screens only read this.

use crate::domain::words::Text;
use crate::domain::{
    Date, Indicator, Period, PlanDoc, PlanSummary, ProgressSettings, Report, Unit,
};
use crate::store::{BatchInfo, StatusReport, Store, StoreError};
use std::collections::HashMap;
use std::path::PathBuf;

/// Everything loaded for one plan.
pub struct Loaded {
    pub summary: PlanSummary,
    pub doc: PlanDoc,
    pub status: StatusReport,
    pub indicators: Vec<Indicator>,
    /// Year-to-date city figure by period, per indicator id.
    pub series: HashMap<i64, Vec<(Period, f64)>>,
    /// The latest 进展情况 per indicator id (period, unit, text), loaded when
    /// the plan screen first needs it.
    pub latest_progress: Option<crate::store::LatestProgress>,
    /// The figures of the indicator on screen, loaded when it is opened.
    pub detail: Option<Detail>,
    /// Batch id → file name (for "which file and row" on hover).
    pub batch_files: HashMap<i64, String>,
    pub ranking: crate::export::ranking::Ranking,
    /// The plan's retired indicators (figures kept), to bring back.
    pub retired: Vec<Indicator>,
    /// The plan document's text, for the editor's view of it.
    pub source_text: Option<String>,
}

/// One indicator's current figures with their words and provenance.
#[derive(Clone, Debug)]
pub struct Detail {
    pub indicator_id: i64,
    /// Oldest period first.
    pub reports: Vec<Report>,
    /// Every change to its figures (留痕), newest first.
    pub history: Vec<crate::store::AuditEntry>,
    /// The units' own targets (任务分解): unit, target.
    pub own_targets: Vec<(String, f64)>,
    /// Last year's split of the same indicator: where it comes from, and
    /// each unit's target then.
    pub last_year: Option<LastYear>,
    /// The same metric across plan years, oldest first (this year alone
    /// when it continues nothing and nothing continues it).
    pub lineage: Vec<crate::store::LineageYear>,
    /// Last year's figure for the same period (同比): its period and value.
    pub same_period_last_year: Option<(Period, f64)>,
    /// Indicators of the year before's plans it may continue: id, code, name.
    pub link_candidates: Vec<(i64, String, String)>,
    /// The ledger is the demonstration one (its figures are made up).
    pub demo: bool,
}

/// Loads one indicator's figures up to the as-of date (on the worker):
/// figures of later periods are not shown.
pub fn load_detail(store: &Store, indicator_id: i64, as_of: Date) -> Result<Detail, Text> {
    let e = |e: StoreError| explain(&e);
    let mut reports = store.indicator_reports(indicator_id).map_err(e)?;
    reports.retain(|r| r.period <= as_of.period());
    let history = store.audit_log(Some(indicator_id), 2000).map_err(e)?;
    let ind = store.indicator(indicator_id).map_err(e)?;
    let last_year = last_years_targets(store, &ind).map_err(e)?;
    let own_targets = store
        .indicator_unit_targets(indicator_id)
        .map_err(e)?
        .into_iter()
        .map(|t| (t.unit, t.target))
        .collect();
    let lineage = store.lineage(indicator_id, as_of).map_err(e)?;
    let same_period_last_year = store
        .same_period_last_year(indicator_id, as_of)
        .map_err(e)?;
    let this_plan = store.plan(ind.plan_id).map_err(e)?;
    let mut link_candidates = Vec::new();
    for p in store.plans().map_err(e)?.into_iter().filter(|p| {
        p.year == ind.plan_year - 1
            && (p.city.is_empty() || this_plan.city.is_empty() || p.city == this_plan.city)
    }) {
        for c in store.indicators(p.id).map_err(e)? {
            link_candidates.push((c.id, c.code, c.name));
        }
    }
    let demo = store.setting("demo").map_err(e)?.as_deref() == Some("1");
    Ok(Detail {
        indicator_id,
        reports,
        history,
        own_targets,
        last_year,
        lineage,
        same_period_last_year,
        link_candidates,
        demo,
    })
}

/// Where last year's split comes from (`2022年 2022-02-018`), and each
/// unit's target then.
pub type LastYear = (LastYearFrom, Vec<(String, f64)>);

/// Last year's indicator a split comes from: its plan's year and its code,
/// said in the window's language where it is shown (`2022年 2022-02-018`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LastYearFrom {
    pub year: i32,
    pub code: String,
}

impl std::fmt::Display for LastYearFrom {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Shown by the window, on its thread: in its language.
        f.write_str(&crate::tf!(
            "data.last-year-from",
            year = self.year,
            code = self.code
        ))
    }
}

/// The units' own targets of last year's same indicator (linked, or by name) in the ledger's
/// plan of the year before, with that indicator's code; none when there is
/// no such plan, indicator or split.
fn last_years_targets(store: &Store, ind: &Indicator) -> crate::store::Result<Option<LastYear>> {
    // An indicator's split, when it has one.
    let split = |before: Indicator| -> crate::store::Result<Option<LastYear>> {
        let targets: Vec<(String, f64)> = store
            .indicator_unit_targets(before.id)?
            .into_iter()
            .map(|t| (t.unit, t.target))
            .collect();
        Ok((!targets.is_empty()).then(|| {
            let from = LastYearFrom {
                year: before.plan_year,
                code: before.code,
            };
            (from, targets)
        }))
    };
    // The indicator it continues, when linked; else by name in the plans of
    // the year before (a name two of a plan's indicators share is no match).
    if let Some((prev, _)) = store.predecessor(ind.id)?
        && let Some(found) = split(store.indicator(prev)?)?
    {
        return Ok(Some(found));
    }
    for plan in store
        .plans()?
        .into_iter()
        .filter(|p| p.year == ind.plan_year - 1)
    {
        let Ok(before) = store.find_indicator(&ind.name, Some(plan.id)) else {
            continue;
        };
        if before.name == ind.name
            && let Some(found) = split(before)?
        {
            return Ok(Some(found));
        }
    }
    Ok(None)
}

/// The whole picture of the open ledger.
pub struct Snapshot {
    pub db: PathBuf,
    pub notices: Vec<crate::store::Notice>,
    /// The ledger is a meeting copy, open for reading only.
    pub copy: Option<crate::store::MeetingCopy>,
    pub plans: Vec<PlanSummary>,
    pub plan: Option<Loaded>,
    pub units: Vec<Unit>,
    pub batches: Vec<BatchInfo>,
    /// Periods whose figures are locked.
    pub locked: Vec<crate::domain::Period>,
    pub settings: ProgressSettings,
    pub as_of: Date,
    /// Why the screens stand at that date.
    pub as_of_basis: AsOfBasis,
}

/// Why the screens stand at their date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AsOfBasis {
    /// Chosen in the window.
    Chosen,
    /// Today, within the plan year (or with no plan).
    Today,
    /// The plan year has ended: its last day.
    YearEnded,
    /// Today, before the plan year has started.
    BeforeYear,
}

impl Snapshot {
    /// Whether the as-of date lies outside the open plan's year.
    pub fn outside_plan_year(&self) -> Option<i32> {
        let plan = self.plan.as_ref()?;
        let (start, end) = plan_year(&self.settings, plan.summary.year);
        (self.as_of < start || self.as_of > end).then_some(plan.summary.year)
    }
}

/// The first and last day of a plan year (by the year-start setting).
pub fn plan_year(settings: &ProgressSettings, year: i32) -> (Date, Date) {
    (
        settings.year_start(year),
        settings.year_start(year + 1).add_days(-1),
    )
}

/// A store error as a sentence for the window: what happened and what to
/// do, by the kind of error, with the error itself (one plain line) inside.
pub fn explain(e: &StoreError) -> Text {
    use crate::store::Trouble;
    let text = match e {
        _ if e.trouble() == Some(Trouble::DiskFull) => Text::new("data.disk-full"),
        _ if e.trouble() == Some(Trouble::ReadOnly) => Text::new("data.read-only"),
        StoreError::CannotWrite(_) => Text::new("data.read-only"),
        StoreError::MeetingCopy { .. } => Text::new("data.meeting-copy"),
        StoreError::Conflict { by, at, .. } if !by.is_empty() => Text::new("data.conflict")
            .arg("by", by)
            .arg("at", at.replace('T', " ").trim_end_matches('Z')),
        StoreError::Conflict { .. } => Text::new("data.conflict-unknown"),
        StoreError::Server { .. } => Text::new("data.server"),
        StoreError::CopyTargetExists { .. } => Text::new("data.copy-target-exists"),
        _ if e.trouble() == Some(Trouble::Busy) => Text::new("data.busy"),
        StoreError::Empty(_) => Text::new("data.empty"),
        StoreError::NeedsReason(_) => Text::new("data.needs-reason"),
        StoreError::Locked(_) => Text::new("data.locked"),
        StoreError::AlreadyImported(_) => Text::new("data.already-imported"),
        StoreError::UnknownUnit(_) => Text::new("data.unknown-unit"),
        StoreError::TooNew { .. } => Text::new("data.too-new"),
        StoreError::NotADatabase(_)
        | StoreError::Foreign(_)
        | StoreError::Damaged { .. }
        | StoreError::NoVersion { .. } => Text::new("data.damaged"),
        StoreError::Sql { source, .. }
            if matches!(
                source.sqlite_error_code(),
                Some(rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt)
            ) =>
        {
            Text::new("data.damaged")
        }
        _ => Text::new("data.error"),
    };
    text.arg("error", e)
}

/// The date a ledger opens at when none was chosen: today, or the last day
/// of the plan year when today is past it; with the reason.
pub fn default_as_of(today: Date, settings: &ProgressSettings, year: i32) -> (Date, AsOfBasis) {
    let (start, end) = plan_year(settings, year);
    if today > end {
        (end, AsOfBasis::YearEnded)
    } else if today < start {
        (today, AsOfBasis::BeforeYear)
    } else {
        (today, AsOfBasis::Today)
    }
}

fn today() -> Date {
    crate::cli::today()
}

/// Prints how long each step of a load took, with `TAIZHANG_STARTUP_REPORT=1`.
struct Steps(Option<std::time::Instant>);

impl Steps {
    fn new() -> Steps {
        Steps(std::env::var_os("TAIZHANG_STARTUP_REPORT").map(|_| std::time::Instant::now()))
    }
    fn done(&mut self, what: &str) {
        if let Some(t) = self.0 {
            eprintln!("taizhang: load: {what} {} ms", t.elapsed().as_millis());
            self.0 = Some(std::time::Instant::now());
        }
    }
}

/// Loads the snapshot (on the worker) at the chosen date, or at the one
/// the ledger opens at: [`load_first`] and then [`Rest::finish`].
pub fn load(store: &Store, as_of: Option<Date>, plan: Option<i64>) -> Result<Snapshot, Text> {
    let (mut snapshot, rest) = load_first(store, as_of, plan)?;
    if let (Some(rest), Some(plan)) = (rest, snapshot.plan.as_mut()) {
        rest.finish().apply(plan);
    }
    Ok(snapshot)
}

/// What the first frame needs: the plan, its status at the date and what
/// every screen lists — without the series of each indicator and the ranking
/// with its change since last month, which [`Rest::finish`] computes from the
/// same figures while the first frame is on screen.
pub fn load_first(
    store: &Store,
    as_of: Option<Date>,
    plan: Option<i64>,
) -> Result<(Snapshot, Option<Rest>), Text> {
    let mut steps = Steps::new();
    let e = |e: StoreError| explain(&e);
    let plans = store.plans().map_err(e)?;
    let units = store.units().map_err(e)?;
    let batches = store.batches().map_err(e)?;
    let locked = store.locked_periods().map_err(e)?;
    let settings = store.progress_settings().map_err(e)?;
    let mut snapshot = Snapshot {
        db: store.path().map(|p| p.to_path_buf()).unwrap_or_default(),
        notices: store.notices().to_vec(),
        copy: store.meeting_copy().cloned(),
        plans,
        plan: None,
        units,
        batches,
        locked,
        settings: settings.clone(),
        as_of: as_of.unwrap_or_else(today),
        as_of_basis: if as_of.is_some() {
            AsOfBasis::Chosen
        } else {
            AsOfBasis::Today
        },
    };
    // The plan chosen in the window, else the ledger's current plan.
    let current = match plan {
        Some(_) => None,
        None if snapshot.plans.is_empty() => None,
        None => Some(store.plan_or_latest(None).map_err(e)?.id),
    };
    let Some(latest_plan) = snapshot
        .plans
        .iter()
        .find(|p| Some(p.id) == plan.or(current))
        .or_else(|| snapshot.plans.iter().max_by_key(|p| (p.year, p.id)))
        .cloned()
    else {
        return Ok((snapshot, None));
    };
    if as_of.is_none() {
        (snapshot.as_of, snapshot.as_of_basis) =
            default_as_of(today(), &settings, latest_plan.year);
    }
    let as_of = snapshot.as_of;
    // One read of the figures serves both dates' judgements and the series.
    steps.done("catalogue, batches, settings");
    let inputs = store.indicator_inputs(latest_plan.id).map_err(e)?;
    steps.done("figures");
    let status = crate::store::judge(
        latest_plan.clone(),
        &inputs,
        &snapshot.units,
        &settings,
        as_of,
    );
    steps.done("judging the date");
    let indicators: Vec<Indicator> = inputs.iter().map(|(ind, _)| ind.clone()).collect();
    let doc = store.plan_doc(latest_plan.id).map_err(e)?;
    let retired = store.retired_indicators(latest_plan.id).map_err(e)?;
    let source_text = store.plan_source_text(latest_plan.id).map_err(e)?;
    steps.done("the plan document");
    let batch_files = snapshot
        .batches
        .iter()
        .map(|b| (b.id, b.file_name.clone()))
        .collect();
    let rest = Rest {
        plan_id: latest_plan.id,
        as_of,
        status: status.clone(),
        inputs,
        units: snapshot.units.clone(),
        settings,
    };
    snapshot.plan = Some(Loaded {
        summary: latest_plan,
        doc,
        status,
        indicators,
        series: HashMap::new(),
        latest_progress: None,
        detail: None,
        batch_files,
        ranking: Default::default(),
        retired,
        source_text,
    });
    Ok((snapshot, Some(rest)))
}

/// The part of a load that follows the first frame (the figures read for it).
pub struct Rest {
    plan_id: i64,
    as_of: Date,
    status: StatusReport,
    inputs: crate::store::IndicatorInputs,
    units: Vec<Unit>,
    settings: ProgressSettings,
}

/// Each indicator's series and the ranking, for the plan and date they were
/// computed at.
pub struct Finished {
    pub plan_id: i64,
    pub as_of: Date,
    pub series: HashMap<i64, Vec<(Period, f64)>>,
    pub ranking: crate::export::ranking::Ranking,
}

impl Rest {
    /// The series and the ranking (with last month's ranks).
    pub fn finish(self) -> Finished {
        let mut steps = Steps::new();
        let previous = crate::store::judge(
            self.status.plan.clone(),
            &self.inputs,
            &self.units,
            &self.settings,
            self.as_of.period().previous().last_day(),
        );
        let ranking = crate::export::ranking::rank(&self.status, Some(&previous));
        steps.done("judging last month and ranking");
        let series = self
            .inputs
            .iter()
            .map(|(ind, units)| (ind.id, ind.rule(&self.settings).series(units, self.as_of)))
            .collect();
        steps.done("series");
        Finished {
            plan_id: self.plan_id,
            as_of: self.as_of,
            series,
            ranking,
        }
    }
}

impl Finished {
    /// Completes the plan loaded first (when it is the same plan and date).
    pub fn apply(self, plan: &mut Loaded) {
        if plan.summary.id == self.plan_id && plan.status.as_of == self.as_of {
            plan.series = self.series;
            plan.ranking = self.ranking;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::words::Language;

    #[test]
    fn a_store_error_is_explained_by_its_kind_in_both_languages() {
        let e = StoreError::Empty(PathBuf::from("x.sqlite3"));
        let t = explain(&e);
        assert!(
            t.words(Language::Chinese)
                .starts_with("该文件是空文件（0 字节）")
        );
        assert!(
            t.words(Language::English)
                .contains("x.sqlite3: the file is empty")
        );
        let e = StoreError::AlreadyImported("f.xlsx: the same file was already imported".into());
        assert!(
            explain(&e)
                .words(Language::Chinese)
                .starts_with("同一文件已导入过（f.xlsx")
        );
        let e = StoreError::Invalid("an empty alias".into());
        assert_eq!(explain(&e).words(Language::English), "an empty alias");
    }
}
