//! Work off the UI thread. One worker thread owns the ledger connection and
//! runs jobs one at a time; each reports progress and its result over a
//! channel and asks the window to repaint. A job can be cancelled between
//! its steps (nothing half-done is committed: the store's writes are single
//! transactions).

use super::data::{self, Snapshot};
use crate::domain::{Date, PlanDoc, ProgressSettings};
use crate::plan_text::PlanDraft;
use crate::returns::{FileResult, Overrides};
use crate::store::{BatchInfo, NewBatch, Store};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};

/// One file of an import, as read, with what the user changed.
#[derive(Clone, Debug)]
pub struct ReadFile {
    pub path: PathBuf,
    pub result: FileResult,
    pub bytes: Option<Vec<u8>>,
}

/// A file to commit: its result as reviewed (unit, period, rows re-matched).
#[derive(Clone, Debug)]
pub struct Reviewed {
    pub result: FileResult,
    pub bytes: Vec<u8>,
    /// Names confirmed by hand: (as the return wrote it, indicator id).
    pub aliases: Vec<(String, i64)>,
}

/// What the worker can be asked to do.
pub enum Job {
    /// Reload everything the screens show.
    Load {
        as_of: Option<Date>,
    },
    /// Finish the check of the ledger's pages that opening deferred; until it
    /// passes, the ledger refuses writes.
    Verify,
    /// Load each indicator's latest 进展情况 up to the date, for the plan screen.
    LoadLatestProgress(Date),
    /// Load one indicator's figures up to the date, for its screen.
    LoadDetail(i64, Date),
    /// Build the demonstration data into the open ledger.
    Demo,
    /// Read a plan document into a draft for review.
    ExtractPlan(PathBuf),
    /// Save a reviewed plan.
    SavePlan {
        plan: PlanDoc,
        source: Option<String>,
    },
    /// Read and match returns (nothing is written).
    ReadReturns {
        files: Vec<PathBuf>,
        over: Overrides,
    },
    /// Commit reviewed files, one batch each.
    Commit(Vec<Reviewed>),
    UndoBatch(i64),
    SaveProgressSettings(ProgressSettings),
    /// Write the meeting workbook for the date.
    ExportReport {
        path: PathBuf,
        as_of: Date,
    },
    /// Write a unit's fill-in template.
    ExportTemplate {
        path: PathBuf,
        unit: String,
        period: crate::domain::Period,
    },
    /// Draw an indicator's chart at the date to a .png or .svg file.
    SaveChart {
        path: PathBuf,
        indicator: String,
        as_of: Date,
    },
    /// Compose the bulletin for the date.
    Bulletin(Date),
    Backup(PathBuf),
}

/// What the worker reports.
pub enum Event {
    /// A step of the running job: what, and how far (0..=1).
    Progress(String, f32),
    Loaded(Box<Snapshot>),
    Detail(data::Detail),
    LatestProgress(crate::store::LatestProgress),
    Bulletin(String),
    /// The ledger passed its check.
    Verified,
    Draft(Box<PlanDraft>, Option<String>),
    Read(Vec<ReadFile>),
    Committed(Vec<(String, Result<BatchInfo, String>)>),
    /// A job finished with a message for the status line.
    Done(String),
    /// A job failed; the text is for people (Chinese) and says what to do.
    Failed(String),
    Cancelled,
}

/// The handle the window keeps: send jobs, receive events.
pub struct Worker {
    jobs: Sender<(Job, Arc<AtomicBool>)>,
    pub events: Receiver<Event>,
    cancel: Arc<AtomicBool>,
    /// Jobs sent and not yet finished.
    pub running: usize,
}

impl Worker {
    /// Starts the worker on the ledger at `db`; `repaint` wakes the window.
    pub fn start(db: PathBuf, repaint: impl Fn() + Send + 'static) -> Worker {
        let (jobs, inbox) = channel::<(Job, Arc<AtomicBool>)>();
        let (outbox, events) = channel();
        std::thread::Builder::new()
            .name("taizhang-worker".into())
            .spawn(move || {
                let mut store: Option<Store> = None;
                let mut first = true;
                for (job, cancel) in inbox {
                    let send = |e: Event| {
                        let _ = outbox.send(e);
                        repaint();
                    };
                    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        run(&db, &mut store, &mut first, job, &cancel, &send)
                    }));
                    match result {
                        Ok(Ok(e)) => send(e),
                        Ok(Err(msg)) => send(Event::Failed(msg)),
                        Err(_) => {
                            store = None;
                            send(Event::Failed(
                                "内部错误：操作意外中止，数据未作更改。请重试；若仍出现，请联系维护人员。"
                                    .into(),
                            ))
                        }
                    }
                }
            })
            .expect("starting the worker thread");
        Worker {
            jobs,
            events,
            cancel: Arc::new(AtomicBool::new(false)),
            running: 0,
        }
    }

    /// Queues a job.
    pub fn send(&mut self, job: Job) {
        self.cancel = Arc::new(AtomicBool::new(false));
        if self.jobs.send((job, self.cancel.clone())).is_ok() {
            self.running += 1;
        }
    }

    /// Asks the running job to stop at its next step.
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    /// Whether a job is queued or running.
    pub fn busy(&self) -> bool {
        self.running > 0
    }
}

/// The worker's connection, opened on first use: the very first open shows
/// the data before the page check (a [`Job::Verify`] follows it), any later
/// one checks first.
fn open<'a>(
    db: &std::path::Path,
    store: &'a mut Option<Store>,
    first: &mut bool,
) -> Result<&'a mut Store, String> {
    if store.is_none() {
        let opened = if std::mem::take(first) {
            Store::open_check_later(db)
        } else {
            Store::open(db)
        };
        *store = Some(opened.map_err(|e| data::explain(&e.to_string()))?);
    }
    Ok(store.as_mut().expect("opened above"))
}

fn run(
    db: &std::path::Path,
    store: &mut Option<Store>,
    first: &mut bool,
    job: Job,
    cancel: &AtomicBool,
    send: &dyn Fn(Event),
) -> Result<Event, String> {
    let cancelled = || cancel.load(Ordering::Relaxed);
    match job {
        Job::Load { as_of } => {
            send(Event::Progress("读取台账…".into(), 0.2));
            let t = std::time::Instant::now();
            let s = open(db, store, first)?;
            if std::env::var_os("TAIZHANG_STARTUP_REPORT").is_some() {
                eprintln!(
                    "taizhang: load: opening and checking the ledger {} ms",
                    t.elapsed().as_millis()
                );
            }
            let snapshot = data::load(s, as_of)?;
            // The figures read for the load are dropped by now; hand the freed
            // heap back so that a city-scale ledger does not keep it resident.
            #[cfg(all(target_os = "linux", target_env = "gnu"))]
            // SAFETY: malloc_trim only releases free memory at the top of
            // glibc's heaps; it has no preconditions.
            unsafe {
                libc::malloc_trim(0);
            }
            Ok(Event::Loaded(Box::new(snapshot)))
        }
        Job::Verify => {
            let s = open(db, store, first)?;
            match s.verify() {
                Ok(()) => Ok(Event::Verified),
                Err(e) => {
                    *store = None;
                    Err(data::explain(&e.to_string()))
                }
            }
        }
        Job::LoadLatestProgress(as_of) => {
            let s = open(db, store, first)?;
            let plan = s.plan_or_latest(None).map_err(|e| e.to_string())?;
            Ok(Event::LatestProgress(
                s.latest_progress(plan.id, Some(as_of.period()))
                    .map_err(|e| data::explain(&e.to_string()))?,
            ))
        }
        Job::LoadDetail(id, as_of) => {
            let s = open(db, store, first)?;
            Ok(Event::Detail(data::load_detail(s, id, as_of)?))
        }
        Job::Demo => {
            send(Event::Progress("生成演示数据…".into(), 0.3));
            let s = open(db, store, first)?;
            crate::cli::demo(s).map_err(|e| format!("演示数据未能生成：{e}"))?;
            Ok(Event::Done(
                "演示数据已载入：淄博市2023年计划、单位名录和5份报表。".into(),
            ))
        }
        Job::ExtractPlan(path) => {
            send(Event::Progress("识别计划文件…".into(), 0.3));
            let text = crate::plan_text::read_file(&path).map_err(|e| {
                format!(
                    "无法读取计划文件 {}：{e}。请选择 .txt 或 .docx 文件。",
                    path.display()
                )
            })?;
            let draft = crate::plan_text::extract(
                &text,
                &crate::plan_text::ExtractOptions {
                    year: None,
                    document: path.file_name().map(|n| n.to_string_lossy().into_owned()),
                },
            )
            .map_err(|e| format!("未能从文件中识别出计划：{e}"))?;
            Ok(Event::Draft(Box::new(draft), Some(text)))
        }
        Job::SavePlan { plan, source } => {
            let s = open(db, store, first)?;
            let done = s
                .import_plan(&plan, source.as_deref())
                .map_err(|e| format!("计划未能保存：{e}"))?;
            Ok(Event::Done(format!(
                "计划已保存：{} 项任务，{} 个指标。",
                done.tasks,
                done.indicators_added + done.indicators_updated
            )))
        }
        Job::ReadReturns { files, over } => {
            let s = open(db, store, first)?;
            let plan = s
                .plan_or_latest(None)
                .map_err(|_| "台账中还没有计划：请先导入计划文件或打开演示数据。".to_string())?;
            let indicators = s.indicators(plan.id).map_err(|e| e.to_string())?;
            let units = s.units().map_err(|e| e.to_string())?;
            let aliases = s.indicator_aliases(plan.id).map_err(|e| e.to_string())?;
            let history = s.figure_history(plan.id).map_err(|e| e.to_string())?;
            let ctx =
                crate::returns::Context::new(&indicators, &units, &aliases, plan.year, &history);
            let mut out = Vec::new();
            for (i, path) in files.iter().enumerate() {
                if cancelled() {
                    return Ok(Event::Cancelled);
                }
                send(Event::Progress(
                    format!(
                        "读取 {}",
                        path.file_name()
                            .map(|n| n.to_string_lossy())
                            .unwrap_or_default()
                    ),
                    i as f32 / files.len().max(1) as f32,
                ));
                let (result, bytes) =
                    crate::returns::import_files(std::slice::from_ref(path), &ctx, &over)
                        .pop()
                        .expect("one result per file");
                out.push(ReadFile {
                    path: path.clone(),
                    result,
                    bytes,
                });
            }
            Ok(Event::Read(out))
        }
        Job::Commit(files) => {
            let s = open(db, store, first)?;
            let plan = s.plan_or_latest(None).map_err(|e| e.to_string())?;
            if cancelled() {
                return Ok(Event::Cancelled);
            }
            send(Event::Progress("写入台账…".into(), 0.5));
            let mut out: Vec<(String, Result<BatchInfo, String>)> = Vec::new();
            let mut pending = Vec::new();
            for f in &files {
                let r = &f.result;
                let period = r.period.as_deref().and_then(|p| p.parse().ok());
                match (&r.unit, period) {
                    _ if r.rows.is_empty() => out.push((
                        r.file.clone(),
                        Err("没有可导入的行：文件中没有与计划指标对应的行。".into()),
                    )),
                    (Some(_), Some(p)) => pending.push((f, p, r.batch_rows())),
                    (None, _) => out.push((
                        r.file.clone(),
                        Err("未识别填报单位：请在预览中选择单位。".into()),
                    )),
                    (_, None) => out.push((
                        r.file.clone(),
                        Err("未识别报送期：请在预览中填写期别（如 2023-06）。".into()),
                    )),
                }
            }
            let batches: Vec<NewBatch> = pending
                .iter()
                .map(|(f, period, rows)| NewBatch {
                    file_name: &f.result.file,
                    bytes: &f.bytes,
                    plan_id: plan.id,
                    unit: f.result.unit.as_deref().unwrap_or_default(),
                    period: *period,
                    sheet: f.result.sheet.as_deref(),
                    rows,
                    force: false,
                })
                .collect();
            let results = s
                .commit_batches(&batches)
                .map_err(|e| format!("写入失败，台账未作更改：{e}"))?;
            for ((f, ..), r) in pending.iter().zip(results) {
                if r.is_ok() {
                    for (alias, id) in &f.aliases {
                        s.add_indicator_alias(alias, *id)
                            .map_err(|e| e.to_string())?;
                    }
                }
                out.push((
                    f.result.file.clone(),
                    r.map_err(|e| data::explain(&e.to_string())),
                ));
            }
            Ok(Event::Committed(out))
        }
        Job::UndoBatch(id) => {
            let s = open(db, store, first)?;
            let b = s
                .undo_batch(id)
                .map_err(|e| format!("未能撤销：{}", data::explain(&e.to_string())))?;
            Ok(Event::Done(format!(
                "已撤销批次 {}（{}）。",
                b.id, b.file_name
            )))
        }
        Job::SaveProgressSettings(p) => {
            let s = open(db, store, first)?;
            s.set_progress_settings(&p)
                .map_err(|e| format!("设置未能保存：{e}"))?;
            Ok(Event::Done("设置已保存。".into()))
        }
        Job::ExportReport { path, as_of } => {
            let s = open(db, store, first)?;
            send(Event::Progress("生成会议材料…".into(), 0.5));
            let bytes = crate::export::report::report(s, None, as_of)
                .map_err(|e| format!("会议材料未能生成：{e}"))?;
            std::fs::write(&path, bytes)
                .map_err(|e| format!("无法写入 {}：{e}。请换一个位置保存。", path.display()))?;
            Ok(Event::Done(format!("会议材料已保存到 {}", path.display())))
        }
        Job::ExportTemplate { path, unit, period } => {
            let s = open(db, store, first)?;
            let bytes = crate::export::template::template(s, None, &unit, period)
                .map_err(|e| format!("填报模板未能生成：{e}"))?;
            std::fs::write(&path, bytes)
                .map_err(|e| format!("无法写入 {}：{e}。请换一个位置保存。", path.display()))?;
            Ok(Event::Done(format!(
                "{unit}的填报模板已保存到 {}",
                path.display()
            )))
        }
        Job::SaveChart {
            path,
            indicator,
            as_of,
        } => {
            use crate::export::chart;
            let format = chart::Format::of(&path).unwrap_or(chart::Format::Png);
            let path = match chart::Format::of(&path) {
                Some(_) => path,
                None => path.with_extension("png"),
            };
            let s = open(db, store, first)?;
            let bytes = chart::for_indicator(s, None, &indicator, as_of, format)
                .map_err(|e| format!("图表未能生成：{e}"))?;
            std::fs::write(&path, bytes)
                .map_err(|e| format!("无法写入 {}：{e}。请换一个位置保存。", path.display()))?;
            Ok(Event::Done(format!("图表已保存到 {}", path.display())))
        }
        Job::Bulletin(as_of) => {
            let s = open(db, store, first)?;
            let plan = s.plan_or_latest(None).map_err(|e| e.to_string())?;
            let status = s.status(plan.id, as_of).map_err(|e| e.to_string())?;
            Ok(Event::Bulletin(crate::export::bulletin::bulletin(&status)))
        }
        Job::Backup(dest) => {
            let s = open(db, store, first)?;
            s.backup_to(&dest).map_err(|e| format!("备份失败：{e}"))?;
            Ok(Event::Done(format!("已备份到 {}", dest.display())))
        }
    }
}
