//! Work off the UI thread. One worker thread owns the ledger connection and
//! runs jobs one at a time; each reports progress and its result over a
//! channel and asks the window to repaint. A job is a function of the
//! ledger ([`Job::new`]); each of the window's is one constructor here. A
//! job can be cancelled between its steps (nothing half-done is committed:
//! the store's writes are single transactions).

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

/// Work for the worker: what it is (for the progress line) and the function
/// that does it with the ledger. Every action of the window that reads or
/// writes the ledger is one constructor below; a screen sends it with
/// [`CommandSender::run`](super::command::CommandSender::run) and nothing
/// else needs to know about it.
pub struct Job {
    pub what: &'static str,
    run: Box<JobFn>,
}

/// What a job does: its work on the ledger, ending in one event for the
/// window or a message (in Chinese, saying what to do) when it fails.
type JobFn = dyn FnOnce(&mut JobCx<'_>) -> Result<Event, String> + Send;

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Job({})", self.what)
    }
}

impl Job {
    /// A job named `what` that runs `run` on the worker.
    pub fn new(
        what: &'static str,
        run: impl FnOnce(&mut JobCx<'_>) -> Result<Event, String> + Send + 'static,
    ) -> Job {
        Job {
            what,
            run: Box::new(run),
        }
    }
}

/// What a running job has: the ledger (opened on first use), its cancel
/// flag and the channel back to the window.
pub struct JobCx<'a> {
    db: &'a std::path::Path,
    /// The plan the window shows (`None`: the newest).
    plan: Option<i64>,
    store: &'a mut Option<Store>,
    first: &'a mut bool,
    cancel: &'a AtomicBool,
    send: &'a dyn Fn(Event),
}

impl JobCx<'_> {
    /// The ledger, opened on first use: the very first open shows the data
    /// before the page check (a [`verify`] job follows it), any later one
    /// checks first.
    pub fn store(&mut self) -> Result<&mut Store, String> {
        if self.store.is_none() {
            let opened = if std::mem::take(self.first) {
                Store::open_check_later(self.db)
            } else {
                Store::open(self.db)
            };
            *self.store = Some(opened.map_err(|e| data::explain(&e.to_string()))?);
        }
        Ok(self.store.as_mut().expect("opened above"))
    }

    /// Whether the user asked the job to stop.
    pub fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }

    /// Reports a step of the job: what, and how far (0..=1).
    pub fn progress(&self, what: impl Into<String>, fraction: f32) {
        (self.send)(Event::Progress(what.into(), fraction));
    }

    /// The plan the window shows (the newest when the one chosen is gone).
    pub fn plan(&mut self) -> Result<crate::domain::PlanSummary, String> {
        let chosen = self.plan;
        let s = self.store()?;
        chosen
            .and_then(|id| s.plan(id).ok())
            .map_or_else(|| s.plan_or_latest(None), Ok)
            .map_err(|_| "台账中还没有计划：请先导入计划文件或打开演示数据。".to_string())
    }

    /// The id of the plan the window shows.
    pub fn plan_id(&mut self) -> Result<Option<i64>, String> {
        Ok(Some(self.plan()?.id))
    }

    /// Writes an exported file, with advice the user can follow when it
    /// cannot be written.
    fn write(&self, path: &std::path::Path, bytes: &[u8]) -> Result<(), String> {
        std::fs::write(path, bytes)
            .map_err(|e| format!("无法写入 {}：{e}。请换一个位置保存。", path.display()))
    }
}

/// What the worker reports.
pub enum Event {
    /// A step of the running job: what, and how far (0..=1).
    Progress(String, f32),
    Loaded(Box<Snapshot>),
    /// What the first frame needs, while the load goes on (not the end of
    /// the job).
    FirstLoaded(Box<Snapshot>),
    /// The rest of a load: each indicator's series and the ranking.
    Finished(Box<data::Finished>),
    Detail(data::Detail),
    LatestProgress(crate::store::LatestProgress),
    Bulletin(String),
    /// The ledger's change log, newest first.
    Audit(Vec<crate::store::AuditEntry>),
    /// The ledger passed its check.
    Verified,
    /// A job finished with nothing to tell.
    Quiet,
    Draft(Box<PlanDraft>, Option<String>),
    Read(Vec<ReadFile>),
    Committed(Vec<(String, Result<BatchInfo, String>)>),
    /// A job finished with a message for the status line.
    Done(String),
    /// A plan was saved: the window turns to it.
    PlanSaved(i64, String),
    /// A job failed; the text is for people (Chinese) and says what to do.
    Failed(String),
    Cancelled,
}

/// The handle the window keeps: send jobs, receive events.
pub struct Worker {
    jobs: Sender<(Job, Arc<AtomicBool>)>,
    /// The plan the window shows, for the jobs (0: the newest).
    plan: Arc<std::sync::atomic::AtomicI64>,
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
        let plan = Arc::new(std::sync::atomic::AtomicI64::new(0));
        let chosen = plan.clone();
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
                        let mut cx = JobCx {
                            db: &db,
                            plan: Some(chosen.load(Ordering::Relaxed)).filter(|id| *id > 0),
                            store: &mut store,
                            first: &mut first,
                            cancel: &cancel,
                            send: &send,
                        };
                        (job.run)(&mut cx)
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
            plan,
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

    /// The plan the jobs sent from now on work on (`None`: the newest).
    pub fn set_plan(&self, id: Option<i64>) {
        self.plan.store(id.unwrap_or(0), Ordering::Relaxed);
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

/// Reloads everything the screens show, at the date (`None`: the date the
/// ledger opens at).
pub fn load(as_of: Option<Date>) -> Job {
    Job::new("读取台账", move |cx| {
        cx.progress("读取台账…", 0.2);
        let chosen = cx.plan;
        let t = std::time::Instant::now();
        let s = cx.store()?;
        if std::env::var_os("TAIZHANG_STARTUP_REPORT").is_some() {
            eprintln!(
                "taizhang: load: opening and checking the ledger {} ms",
                t.elapsed().as_millis()
            );
        }
        let (snapshot, rest) = data::load_first(s, as_of, chosen)?;
        let Some(rest) = rest else {
            return Ok(Event::Loaded(Box::new(snapshot)));
        };
        // The screens draw this while the series and the ranking are made.
        (cx.send)(Event::FirstLoaded(Box::new(snapshot)));
        let finished = rest.finish();
        // The figures read for the load are dropped by now; hand the freed
        // heap back so that a city-scale ledger does not keep it resident.
        #[cfg(all(target_os = "linux", target_env = "gnu"))]
        // SAFETY: malloc_trim only releases free memory at the top of
        // glibc's heaps; it has no preconditions.
        unsafe {
            libc::malloc_trim(0);
        }
        Ok(Event::Finished(Box::new(finished)))
    })
}

/// Finishes the check of the ledger's pages that opening deferred; until it
/// passes, the ledger refuses writes.
pub fn verify() -> Job {
    Job::new("检查台账", |cx| {
        let s = cx.store()?;
        match s.verify() {
            Ok(()) => Ok(Event::Verified),
            Err(e) => {
                *cx.store = None;
                Err(data::explain(&e.to_string()))
            }
        }
    })
}

/// Each indicator's latest 进展情况 up to the date, for the plan screen.
pub fn latest_progress(as_of: Date) -> Job {
    Job::new("读取进展情况", move |cx| {
        let plan = cx.plan()?;
        Ok(Event::LatestProgress(
            cx.store()?
                .latest_progress(plan.id, Some(as_of.period()))
                .map_err(|e| data::explain(&e.to_string()))?,
        ))
    })
}

/// One indicator's figures up to the date, for its screen.
pub fn detail(indicator: i64, as_of: Date) -> Job {
    Job::new("读取指标", move |cx| {
        Ok(Event::Detail(data::load_detail(
            cx.store()?,
            indicator,
            as_of,
        )?))
    })
}

/// Builds the demonstration data into the open ledger.
pub fn demo() -> Job {
    Job::new("生成演示数据", |cx| {
        cx.progress("生成演示数据…", 0.3);
        crate::cli::demo(cx.store()?).map_err(|e| format!("演示数据未能生成：{e}"))?;
        Ok(Event::Done(
            "演示数据已载入：淄博市2023年计划、单位名录和5份报表。".into(),
        ))
    })
}

/// Reads a plan document into a draft for review.
pub fn extract_plan(path: PathBuf) -> Job {
    Job::new("识别计划文件", move |cx| {
        cx.progress("识别计划文件…", 0.3);
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
    })
}

/// Saves a reviewed plan.
pub fn save_plan(plan: PlanDoc, source: Option<String>) -> Job {
    Job::new("保存计划", move |cx| {
        let done = cx
            .store()?
            .import_plan(&plan, source.as_deref())
            .map_err(|e| format!("计划未能保存：{e}"))?;
        Ok(Event::PlanSaved(
            done.plan_id,
            format!(
                "计划已保存：{} 项任务，{} 个指标。",
                done.tasks,
                done.indicators_added + done.indicators_updated
            ),
        ))
    })
}

/// Reads and matches returns (nothing is written).
pub fn read_returns(files: Vec<PathBuf>, over: Overrides) -> Job {
    Job::new("读取报表", move |cx| {
        let plan = cx.plan()?;
        let s = cx.store()?;
        let indicators = s.indicators(plan.id).map_err(|e| e.to_string())?;
        let units = s.units().map_err(|e| e.to_string())?;
        let aliases = s.indicator_aliases(plan.id).map_err(|e| e.to_string())?;
        let history = s.figure_history(plan.id).map_err(|e| e.to_string())?;
        let ctx = crate::returns::Context::new(&indicators, &units, &aliases, plan.year, &history);
        let mut out = Vec::new();
        for (i, path) in files.iter().enumerate() {
            if cx.cancelled() {
                return Ok(Event::Cancelled);
            }
            cx.progress(
                format!(
                    "读取 {}",
                    path.file_name()
                        .map(|n| n.to_string_lossy())
                        .unwrap_or_default()
                ),
                i as f32 / files.len().max(1) as f32,
            );
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
    })
}

/// Commits reviewed files, one batch each.
pub fn commit(files: Vec<Reviewed>) -> Job {
    Job::new("写入台账", move |cx| {
        let plan = cx.plan()?;
        if cx.cancelled() {
            return Ok(Event::Cancelled);
        }
        cx.progress("写入台账…", 0.5);
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
        let s = cx.store()?;
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
    })
}

/// Takes a batch's figures out of the ledger (they are kept, and the batch
/// can be restored).
pub fn undo_batch(id: i64) -> Job {
    Job::new("撤销批次", move |cx| {
        let b = cx
            .store()?
            .undo_batch(id)
            .map_err(|e| format!("未能撤销：{}", data::explain(&e.to_string())))?;
        Ok(Event::Done(format!(
            "已撤销批次 {}（{}），可在批次列表中点“恢复”。",
            b.id, b.file_name
        )))
    })
}

/// Brings an undone batch's figures back.
pub fn restore_batch(id: i64) -> Job {
    Job::new("恢复批次", move |cx| {
        let r = cx
            .store()?
            .restore_batch(id)
            .map_err(|e| format!("未能恢复：{}", data::explain(&e.to_string())))?;
        let mut msg = format!(
            "已恢复批次 {}（{}）：{} 个数据重新计入。",
            r.batch.id, r.batch.file_name, r.restored
        );
        if r.kept_newer > 0 {
            msg.push_str(&format!(
                "另有 {} 个数据此后已有更新的数值，保留新值。",
                r.kept_newer
            ));
        }
        Ok(Event::Done(msg))
    })
}

/// Locks a period (its figures stop moving) or unlocks it.
pub fn set_period_lock(period: crate::domain::Period, lock: bool) -> Job {
    Job::new("期别锁定", move |cx| {
        let s = cx.store()?;
        let changed = if lock {
            s.lock_period(period)
        } else {
            s.unlock_period(period)
        }
        .map_err(|e| data::explain(&e.to_string()))?;
        let p = crate::ui::widgets::period(period);
        Ok(Event::Done(match (lock, changed) {
            (true, true) => format!("{p}已锁定：该期数据不能再导入、修改或撤销。"),
            (true, false) => format!("{p}原已锁定。"),
            (false, true) => format!("{p}已解锁。"),
            (false, false) => format!("{p}原未锁定。"),
        }))
    })
}

/// Records a figure entered or corrected by hand.
pub fn save_figure(entry: crate::store::ReportEntry) -> Job {
    Job::new("保存数据", move |cx| {
        let r = cx
            .store()?
            .add_report(&entry)
            .map_err(|e| format!("数据未能保存：{}", data::explain(&e.to_string())))?;
        let what = if entry.reason.is_some() {
            "已更正"
        } else {
            "已录入"
        };
        Ok(Event::Done(format!(
            "{what}{}{}的数据：{}。",
            r.unit,
            crate::ui::widgets::period(r.period),
            crate::export::figure(r.value, None, crate::ui::i18n::language())
        )))
    })
}

/// Changes a saved indicator's fields.
pub fn edit_indicator(
    id: i64,
    fields: crate::store::IndicatorFields,
    how: Option<crate::store::TargetEdit>,
) -> Job {
    Job::new("修改指标", move |cx| {
        let changes = cx
            .store()?
            .edit_indicator(id, &fields, how)
            .map_err(|e| format!("指标未能修改：{}", data::explain(&e.to_string())))?;
        Ok(Event::Done(if changes.is_empty() {
            "指标没有改动。".into()
        } else {
            format!(
                "已修改指标“{}”：{} 处改动，已记入修改记录。",
                fields.name,
                changes.len()
            )
        }))
    })
}

/// Sets units' own targets (任务分解), all or none.
pub fn set_targets(changes: Vec<crate::store::TargetChange>) -> Job {
    Job::new("保存分解目标", move |cx| {
        let done = cx
            .store()?
            .set_unit_targets(&changes)
            .map_err(|e| format!("分解目标未能保存：{}", data::explain(&e.to_string())))?;
        Ok(Event::Done(format!(
            "分解目标已保存：{} 个单位调整，{} 个单位恢复按计划目标考核。",
            done.changed, done.cleared
        )))
    })
}

/// Writes the 任务分解表 of the plan.
pub fn export_targets(path: PathBuf) -> Job {
    Job::new("导出任务分解表", move |cx| {
        let plan = cx.plan_id()?;
        let bytes = crate::export::targets::workbook(cx.store()?, plan)
            .map_err(|e| format!("任务分解表未能生成：{e}"))?;
        cx.write(&path, &bytes)?;
        Ok(Event::Done(format!(
            "任务分解表已保存到 {}",
            path.display()
        )))
    })
}

/// Sets the targets a filled-in 任务分解表 gives.
pub fn import_targets(path: PathBuf) -> Job {
    Job::new("导入任务分解表", move |cx| {
        let bytes = crate::returns::read::read_path(&path)
            .map_err(|e| format!("无法读取 {}：{}", path.display(), e.0))?;
        let plan = cx.plan_id()?;
        let done = crate::cli::targets::import(cx.store()?, plan, &bytes)
            .map_err(|e| format!("任务分解表未能导入：{}", data::explain(&e)))?;
        let mut msg = format!(
            "任务分解表已导入：{} 个目标调整，{} 个不变。",
            done.set.changed, done.set.unchanged
        );
        if !done.unknown_units.is_empty() {
            msg.push_str(&format!(
                "单位名录中没有：{}。",
                done.unknown_units.join("、")
            ));
        }
        if !done.unknown_rows.is_empty() {
            msg.push_str(&format!("{} 行不是计划中的指标。", done.unknown_rows.len()));
        }
        if !done.bad_cells.is_empty() {
            msg.push_str(&format!("{} 格不是数字，未导入。", done.bad_cells.len()));
        }
        Ok(Event::Done(msg))
    })
}

/// A change to the units catalogue.
#[derive(Clone, Debug)]
pub enum UnitChange {
    Add(String, crate::domain::UnitKind),
    /// (unit, new name)
    Rename(String, String),
    Kind(String, crate::domain::UnitKind),
    /// (unit, alias, add: true / remove: false)
    Alias(String, String, bool),
    /// (the unit that goes, the unit that stays)
    Merge(String, String),
    /// A catalogue file: JSON or a spreadsheet.
    Import(PathBuf),
}

/// Changes the units catalogue.
pub fn unit_change(change: UnitChange) -> Job {
    Job::new("修改单位名录", move |cx| {
        let s = cx.store()?;
        let fail = |e: crate::store::StoreError| {
            format!("单位名录未能修改：{}", data::explain(&e.to_string()))
        };
        let msg = match change {
            UnitChange::Add(name, kind) => {
                let u = s.add_unit(&name, kind).map_err(fail)?;
                format!("已添加单位“{}”。", u.name)
            }
            UnitChange::Rename(name, to) => {
                let u = s.rename_unit(&name, &to).map_err(fail)?;
                format!("“{name}”已改名为“{}”，原名称保留为别名。", u.name)
            }
            UnitChange::Kind(name, kind) => {
                s.set_unit_kind(&name, kind).map_err(fail)?;
                format!("已修改“{name}”的类型。")
            }
            UnitChange::Alias(name, alias, true) => {
                s.set_unit_alias(&name, &alias, true).map_err(fail)?;
                format!("已为“{name}”添加别名“{alias}”。")
            }
            UnitChange::Alias(name, alias, false) => {
                s.set_unit_alias(&name, &alias, false).map_err(fail)?;
                format!("已删除“{name}”的别名“{alias}”。")
            }
            UnitChange::Merge(from, into) => {
                let u = s.merge_units(&from, &into).map_err(fail)?;
                format!("“{from}”已并入“{}”。", u.name)
            }
            UnitChange::Import(path) => {
                let units = crate::cli::read_catalogue(&path)
                    .map_err(|e| format!("无法读取单位名录 {}：{e}", path.display()))?;
                let done = s.import_units(&units).map_err(fail)?;
                format!(
                    "单位名录已导入：新增 {} 个，更新 {} 个，别名 {} 个。",
                    done.added, done.updated, done.aliases_added
                )
            }
        };
        Ok(Event::Done(msg))
    })
}

/// Names who makes the changes from now on (the account stays beside it).
pub fn display_name(name: String) -> Job {
    Job::new("操作人", move |cx| {
        cx.store()?.set_display_name(&name);
        Ok(Event::Quiet)
    })
}

/// The ledger's change log (the newest 5,000 lines).
pub fn audit() -> Job {
    Job::new("读取修改记录", |cx| {
        Ok(Event::Audit(
            cx.store()?
                .audit_log(None, 5000)
                .map_err(|e| data::explain(&e.to_string()))?,
        ))
    })
}

/// Reverts one hand change of a figure.
pub fn revert_edit(line: i64) -> Job {
    Job::new("撤回修改", move |cx| {
        let r = cx
            .store()?
            .revert_edit(line)
            .map_err(|e| format!("未能撤回：{}", data::explain(&e.to_string())))?;
        Ok(Event::Done(format!(
            "已撤回第{line}条修改：{}{}的数据恢复为{}。",
            r.unit,
            crate::ui::widgets::period(r.period),
            crate::export::figure(r.value, None, crate::ui::i18n::language())
        )))
    })
}

/// Reverts one line of the change log: a hand figure, a field of an
/// indicator or a task, a unit's own target, a unit's name, kind or alias.
pub fn revert_line(line: i64) -> Job {
    Job::new("撤回修改", move |cx| {
        let r = cx
            .store()?
            .revert_line(line)
            .map_err(|e| format!("未能撤回：{}", data::explain(&e.to_string())))?;
        use crate::store::Reverted as R;
        let what = match &r {
            R::Figure { indicator, unit } => format!("{unit}在指标{indicator}的数据"),
            R::Indicator { indicator, field } if field == "retired" => {
                format!("指标{indicator}的停用状态")
            }
            R::Indicator { indicator, field } if field == "task" => {
                format!("指标{indicator}所属的任务")
            }
            R::Indicator { indicator, .. } => format!("指标{indicator}"),
            R::Target { indicator, unit } => format!("{unit}在指标{indicator}的分解目标"),
            R::Task { task, .. } => format!("任务{task}"),
            R::Unit { unit, .. } => format!("单位“{unit}”"),
        };
        Ok(Event::Done(format!(
            "已撤回第{line}条修改：{what}恢复为修改前，撤回本身也已记入修改记录。"
        )))
    })
}

/// Changes a task of the saved plan.
pub fn edit_task(plan_id: i64, path: String, fields: crate::store::TaskFields) -> Job {
    Job::new("修改任务", move |cx| {
        let changes = cx
            .store()?
            .edit_task(plan_id, &path, &fields)
            .map_err(|e| format!("任务未能修改：{}", data::explain(&e.to_string())))?;
        Ok(Event::Done(if changes.is_empty() {
            "任务没有改动。".into()
        } else {
            format!(
                "已修改任务{path}：{} 处改动，已记入修改记录。",
                changes.len()
            )
        }))
    })
}

/// Adds an indicator to the saved plan.
pub fn add_indicator(plan_id: i64, ind: crate::domain::PlanIndicator) -> Job {
    Job::new("添加指标", move |cx| {
        let added = cx
            .store()?
            .add_indicator(plan_id, &ind)
            .map_err(|e| format!("指标未能添加：{}", data::explain(&e.to_string())))?;
        Ok(Event::Done(format!(
            "已添加指标{}“{}”，已记入修改记录。",
            added.code, added.name
        )))
    })
}

/// Retires an indicator (its figures kept) or brings it back.
pub fn set_retired(id: i64, retired: bool, reason: String) -> Job {
    Job::new("停用指标", move |cx| {
        let s = cx.store()?;
        let code = s.indicator(id).map(|i| i.code).unwrap_or_default();
        s.set_retired(id, retired, &reason)
            .map_err(|e| format!("未能完成：{}", data::explain(&e.to_string())))?;
        Ok(Event::Done(if retired {
            format!("指标{code}已停用：不再计入总览、模板与导出，已报数据保留；可在“计划”页恢复。")
        } else {
            format!("指标{code}已恢复。")
        }))
    })
}

/// Moves an indicator to another task of its plan.
pub fn move_indicator(id: i64, task: Option<String>) -> Job {
    Job::new("移动指标", move |cx| {
        cx.store()?
            .move_indicator(id, task.as_deref())
            .map_err(|e| format!("指标未能移动：{}", data::explain(&e.to_string())))?;
        Ok(Event::Done(match task {
            Some(t) => format!("指标已移到任务{t}。"),
            None => "指标已不属于任何任务。".into(),
        }))
    })
}

/// Saves the progress thresholds, cycle and due day.
pub fn save_progress_settings(p: ProgressSettings) -> Job {
    Job::new("保存设置", move |cx| {
        cx.store()?
            .set_progress_settings(&p)
            .map_err(|e| format!("设置未能保存：{e}"))?;
        Ok(Event::Done("设置已保存。".into()))
    })
}

/// Writes the meeting workbook for the date.
pub fn export_report(path: PathBuf, as_of: Date) -> Job {
    Job::new("生成会议材料", move |cx| {
        cx.progress("生成会议材料…", 0.5);
        let plan = cx.plan_id()?;
        let bytes = crate::export::report::report(cx.store()?, plan, as_of)
            .map_err(|e| format!("会议材料未能生成：{e}"))?;
        cx.write(&path, &bytes)?;
        Ok(Event::Done(format!("会议材料已保存到 {}", path.display())))
    })
}

/// Writes a unit's fill-in template for a period.
pub fn export_template(path: PathBuf, unit: String, period: crate::domain::Period) -> Job {
    Job::new("生成填报模板", move |cx| {
        let plan = cx.plan_id()?;
        let bytes = crate::export::template::template(cx.store()?, plan, &unit, period)
            .map_err(|e| format!("填报模板未能生成：{e}"))?;
        cx.write(&path, &bytes)?;
        Ok(Event::Done(format!(
            "{unit}的填报模板已保存到 {}",
            path.display()
        )))
    })
}

/// Draws an indicator's chart (by code) at the date to a .png or .svg file.
pub fn save_chart(path: PathBuf, indicator: String, as_of: Date) -> Job {
    Job::new("保存图表", move |cx| {
        use crate::export::chart;
        let (format, path) = match chart::Format::of(&path) {
            Some(f) => (f, path),
            None => (chart::Format::Png, path.with_extension("png")),
        };
        let plan = cx.plan_id()?;
        let bytes = chart::for_indicator(cx.store()?, plan, &indicator, as_of, format)
            .map_err(|e| format!("图表未能生成：{e}"))?;
        cx.write(&path, &bytes)?;
        Ok(Event::Done(format!("图表已保存到 {}", path.display())))
    })
}

/// Composes the bulletin for the date.
pub fn bulletin(as_of: Date) -> Job {
    Job::new("生成通报", move |cx| {
        let plan = cx.plan()?;
        let status = cx
            .store()?
            .status(plan.id, as_of)
            .map_err(|e| e.to_string())?;
        Ok(Event::Bulletin(crate::export::bulletin::bulletin(&status)))
    })
}

/// Copies the ledger to a backup file.
pub fn backup(dest: PathBuf) -> Job {
    Job::new("备份", move |cx| {
        cx.store()?
            .backup_to(&dest)
            .map_err(|e| format!("备份失败：{e}"))?;
        Ok(Event::Done(format!("已备份到 {}", dest.display())))
    })
}
