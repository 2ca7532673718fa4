//! Work off the UI thread. One worker thread owns the ledger connection and
//! runs jobs one at a time; each reports progress and its result over a
//! channel and asks the window to repaint. A job is a function of the
//! ledger ([`Job::new`]); each of the window's is one constructor here. A
//! job can be cancelled between its steps (nothing half-done is committed:
//! the store's writes are single transactions).

use super::data::{self, Snapshot};
use crate::domain::words::Text;
use crate::domain::{Date, Period, PlanDoc, ProgressSettings};
use crate::plan_text::PlanDraft;
use crate::returns::{FileResult, Overrides};
use crate::store::{BatchInfo, NewBatch, Store};
use crate::text;
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

/// Work for the worker: what it is (a catalogue key, worded where shown)
/// and the function that does it with the ledger. Every action of the window that reads or
/// writes the ledger is one constructor below; a screen sends it with
/// [`CommandSender::run`](super::command::CommandSender::run) and nothing
/// else needs to know about it.
pub struct Job {
    what: Text,
    run: Box<JobFn>,
}

/// What a job does: its work on the ledger, ending in one event for the
/// window or a message (a [`Text`], saying what to do) when it fails. Jobs
/// never word anything: the window words their texts in its language.
type JobFn = dyn FnOnce(&mut JobCx<'_>) -> Result<Event, Text> + Send;

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Job({})", self.what.key)
    }
}

impl Job {
    /// A job named `what` that runs `run` on the worker.
    pub fn new(
        what: Text,
        run: impl FnOnce(&mut JobCx<'_>) -> Result<Event, Text> + Send + 'static,
    ) -> Job {
        Job {
            what,
            run: Box::new(run),
        }
    }

    /// What the job is, in the window's language (on the window's thread).
    pub fn what(&self) -> String {
        super::i18n::words(&self.what)
    }
}

/// A period in the reader's language (2023年6月).
fn period(p: Period) -> Text {
    const MONTHS: [&str; 12] = [
        "export.month-1",
        "export.month-2",
        "export.month-3",
        "export.month-4",
        "export.month-5",
        "export.month-6",
        "export.month-7",
        "export.month-8",
        "export.month-9",
        "export.month-10",
        "export.month-11",
        "export.month-12",
    ];
    Text::new("export.period")
        .arg("year", p.year())
        .arg_text("month", Text::new(MONTHS[(p.month() as usize - 1) % 12]))
}

/// A store error shown as it is (one plain line).
fn plain(e: impl std::fmt::Display) -> Text {
    text!("data.error", error = e)
}

/// An export's error: a store error with its advice, others as they are.
fn export_error(e: &crate::export::ExportError) -> Text {
    match e {
        crate::export::ExportError::Store(e) => data::explain(e),
        e => plain(e),
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
    pub fn store(&mut self) -> Result<&mut Store, Text> {
        if self.store.is_none() {
            let opened = if std::mem::take(self.first) {
                Store::open_check_later(self.db)
            } else {
                Store::open(self.db)
            };
            *self.store = Some(opened.map_err(|e| data::explain(&e))?);
        }
        Ok(self.store.as_mut().expect("opened above"))
    }

    /// Whether the user asked the job to stop.
    pub fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }

    /// Reports a step of the job: what, and how far (0..=1).
    pub fn progress(&self, what: Text, fraction: f32) {
        (self.send)(Event::Progress(what, fraction));
    }

    /// The plan the window shows (the newest when the one chosen is gone).
    pub fn plan(&mut self) -> Result<crate::domain::PlanSummary, Text> {
        let chosen = self.plan;
        let s = self.store()?;
        chosen
            .and_then(|id| s.plan(id).ok())
            .map_or_else(|| s.plan_or_latest(None), Ok)
            .map_err(|_| Text::new("jobs.no-plan"))
    }

    /// The id of the plan the window shows.
    pub fn plan_id(&mut self) -> Result<Option<i64>, Text> {
        Ok(Some(self.plan()?.id))
    }

    /// Writes an exported file, with advice the user can follow when it
    /// cannot be written.
    fn write(&self, path: &std::path::Path, bytes: &[u8]) -> Result<(), Text> {
        std::fs::write(path, bytes)
            .map_err(|e| text!("jobs.cannot-write", path = path.display(), error = e))
    }
}

/// What the worker reports; its texts are worded by the window.
pub enum Event {
    /// A step of the running job: what, and how far (0..=1).
    Progress(Text, f32),
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
    Committed(Vec<(String, Result<BatchInfo, Text>)>),
    /// A job finished with a message for the status line.
    Done(Text),
    /// A plan was saved: the window turns to it.
    PlanSaved(i64, Text),
    /// A meeting started (or was re-entered the same day): what changed
    /// since the one before.
    MeetingStarted(Box<MeetingOpen>),
    /// A notice to send (催报 or 退回), shown to copy or save.
    Notice(Box<Notice>),
    /// A job failed; the text is for people and says what to do.
    Failed(Text),
    /// A change refused because someone else changed the same thing
    /// first: the window reads the ledger again.
    Conflict(Text),
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
                            send(Event::Failed(Text::new("jobs.internal-error")))
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
    Job::new(Text::new("jobs.load"), move |cx| {
        cx.progress(Text::new("jobs.loading"), 0.2);
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
    Job::new(Text::new("jobs.verify"), |cx| {
        let s = cx.store()?;
        match s.verify() {
            Ok(()) => Ok(Event::Verified),
            Err(e) => {
                *cx.store = None;
                Err(data::explain(&e))
            }
        }
    })
}

/// Each indicator's latest 进展情况 up to the date, for the plan screen.
pub fn latest_progress(as_of: Date) -> Job {
    Job::new(Text::new("jobs.latest-progress"), move |cx| {
        let plan = cx.plan()?;
        Ok(Event::LatestProgress(
            cx.store()?
                .latest_progress(plan.id, Some(as_of.period()))
                .map_err(|e| data::explain(&e))?,
        ))
    })
}

/// One indicator's figures up to the date, for its screen.
pub fn detail(indicator: i64, as_of: Date) -> Job {
    Job::new(Text::new("jobs.detail"), move |cx| {
        Ok(Event::Detail(data::load_detail(
            cx.store()?,
            indicator,
            as_of,
        )?))
    })
}

/// Builds the demonstration data into the open ledger.
pub fn demo() -> Job {
    Job::new(Text::new("jobs.demo"), |cx| {
        cx.progress(Text::new("jobs.making-demo"), 0.3);
        crate::cli::demo(cx.store()?).map_err(|e| text!("jobs.demo-failed", error = e))?;
        Ok(Event::Done(Text::new("jobs.demo-loaded")))
    })
}

/// Reads a plan document into a draft for review.
pub fn extract_plan(path: PathBuf) -> Job {
    Job::new(Text::new("jobs.extract-plan"), move |cx| {
        cx.progress(Text::new("jobs.extracting-plan"), 0.3);
        let text = crate::plan_text::read_file(&path)
            .map_err(|e| text!("jobs.plan-unreadable", path = path.display(), error = e))?;
        let draft = crate::plan_text::extract(
            &text,
            &crate::plan_text::ExtractOptions {
                year: None,
                document: path.file_name().map(|n| n.to_string_lossy().into_owned()),
            },
        )
        .map_err(|e| text!("jobs.plan-not-found", error = e))?;
        Ok(Event::Draft(Box::new(draft), Some(text)))
    })
}

/// Saves a reviewed plan.
pub fn save_plan(plan: PlanDoc, source: Option<String>) -> Job {
    Job::new(Text::new("jobs.save-plan"), move |cx| {
        let done = cx
            .store()?
            .import_plan(&plan, source.as_deref())
            .map_err(|e| text!("jobs.plan-not-saved", error = e))?;
        Ok(Event::PlanSaved(
            done.plan_id,
            text!(
                "jobs.plan-saved",
                tasks = done.tasks,
                indicators = done.indicators_added + done.indicators_updated
            ),
        ))
    })
}

/// Reads and matches returns (nothing is written).
pub fn read_returns(files: Vec<PathBuf>, over: Overrides) -> Job {
    Job::new(Text::new("jobs.read-returns"), move |cx| {
        let plan = cx.plan()?;
        let s = cx.store()?;
        let indicators = s.indicators(plan.id).map_err(plain)?;
        let units = s.units().map_err(plain)?;
        let aliases = s.indicator_aliases(plan.id).map_err(plain)?;
        let history = s.figure_history(plan.id).map_err(plain)?;
        let ctx = crate::returns::Context::new(&indicators, &units, &aliases, plan.year, &history);
        let mut out = Vec::new();
        for (i, path) in files.iter().enumerate() {
            if cx.cancelled() {
                return Ok(Event::Cancelled);
            }
            cx.progress(
                text!(
                    "jobs.reading-file",
                    file = path
                        .file_name()
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
    Job::new(Text::new("jobs.commit"), move |cx| {
        let plan = cx.plan()?;
        if cx.cancelled() {
            return Ok(Event::Cancelled);
        }
        cx.progress(Text::new("jobs.committing"), 0.5);
        let mut out: Vec<(String, Result<BatchInfo, Text>)> = Vec::new();
        let mut pending = Vec::new();
        for f in &files {
            let r = &f.result;
            let period = r.period.as_deref().and_then(|p| p.parse().ok());
            match (r.units_known(), period) {
                _ if r.rows.is_empty() => {
                    out.push((r.file.clone(), Err(Text::new("jobs.no-rows"))))
                }
                (true, Some(p)) => pending.push((f, p, r.batch_rows())),
                (false, _) => out.push((r.file.clone(), Err(Text::new("jobs.no-unit")))),
                (_, None) => out.push((r.file.clone(), Err(Text::new("jobs.no-period")))),
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
            .map_err(|e| text!("jobs.commit-failed", error = e))?;
        for ((f, ..), r) in pending.iter().zip(results) {
            if r.is_ok() {
                for (alias, id) in &f.aliases {
                    s.add_indicator_alias(alias, *id).map_err(plain)?;
                }
            }
            out.push((f.result.file.clone(), r.map_err(|e| data::explain(&e))));
        }
        Ok(Event::Committed(out))
    })
}

/// Takes a batch's figures out of the ledger (they are kept, and the batch
/// can be restored).
/// A notice after a meeting, in Chinese as it is sent.
#[derive(Clone, Debug)]
pub struct Notice {
    pub kind: NoticeKind,
    pub text: String,
    /// The rows of a 退回, for the printed table: row, name, problems.
    pub lines: Vec<crate::domain::meeting::ReturnLine>,
}

/// Which notice, and for a 退回 the batch and the note for the log.
#[derive(Clone, Debug, PartialEq)]
pub enum NoticeKind {
    Remind,
    Return { batch: i64, summary: String },
}

impl Notice {
    /// The notice as a workbook to print.
    pub fn xlsx(&self) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
        crate::export::notices::notice_with_lines_xlsx(&self.text, &self.lines)
    }
}

/// The 催报 notices at a date: one per unit that has not reported the
/// period due.
pub fn reminders(as_of: Date) -> Job {
    Job::new(Text::new("jobs.reminders"), move |cx| {
        let plan = cx.plan()?;
        let s = cx.store()?;
        let status = s.status(plan.id, as_of).map_err(plain)?;
        let due_day = s.progress_settings().map_err(plain)?.due_day;
        let from = crate::export::notices::Sender {
            plan_title: &plan.title,
            issuer: &plan.issuer,
            date: as_of,
        };
        let text: Vec<String> = crate::export::notices::reminders(&status, due_day)
            .iter()
            .map(|r| crate::export::notices::reminder_text(r, &from))
            .collect();
        if text.is_empty() {
            return Ok(Event::Done(Text::new("jobs.no-reminders")));
        }
        Ok(Event::Notice(Box::new(Notice {
            kind: NoticeKind::Remind,
            text: text.join("\n"),
            lines: Vec::new(),
        })))
    })
}

/// The 退回 notice of a batch (nothing changes until it is confirmed).
pub fn return_notice(batch: i64) -> Job {
    Job::new(Text::new("jobs.return-notice"), move |cx| {
        let n = crate::cli::return_notice(cx.store()?, batch, crate::cli::today())
            .map_err(|e| text!("jobs.return-failed", error = e))?;
        Ok(Event::Notice(Box::new(Notice {
            kind: NoticeKind::Return {
                batch,
                summary: n.summary,
            },
            text: n.text,
            lines: n.lines,
        })))
    })
}

/// Sends a batch back (退回): its figures stop counting until it is restored.
pub fn return_batch(batch: i64, summary: String) -> Job {
    Job::new(Text::new("jobs.return-batch"), move |cx| {
        let b = cx
            .store()?
            .return_batch(batch, &summary)
            .map_err(|e| data::explain(&e))?;
        Ok(Event::Done(text!(
            "jobs.returned",
            id = b.id,
            file = b.file_name
        )))
    })
}

/// Writes a notice as a workbook to print.
pub fn save_notice(path: PathBuf, notice: Notice) -> Job {
    Job::new(Text::new("jobs.save-notice"), move |cx| {
        let bytes = notice
            .xlsx()
            .map_err(|e| text!("jobs.return-failed", error = e))?;
        cx.write(&path, &bytes)?;
        Ok(Event::Done(text!(
            "jobs.notice-saved",
            path = path.display()
        )))
    })
}

/// Links an indicator to the one it continues in last year's plan (or
/// unlinks it), as a person confirms or changes it.
pub fn link_indicator(id: i64, to: Option<i64>) -> Job {
    Job::new(Text::new("jobs.link"), move |cx| {
        cx.store()?
            .link_indicator(id, to)
            .map_err(|e| data::explain(&e))?;
        Ok(Event::Done(if to.is_some() {
            Text::new("jobs.linked")
        } else {
            Text::new("jobs.unlinked")
        }))
    })
}

/// The meeting on screen and what changed since the one before it.
#[derive(Clone, Debug)]
pub struct MeetingOpen {
    pub meeting: crate::store::MeetingInfo,
    /// The meeting before, and the changes since; `None` at a plan's first.
    pub since: Option<(
        crate::store::MeetingInfo,
        crate::domain::meeting::MeetingDiff,
    )>,
}

/// Starts a meeting at the date: freezes every indicator's figure and
/// colour and each unit's rank, unless a meeting at the same date was
/// started today (entering meeting mode again re-enters it); then compares
/// it with the meeting before.
pub fn start_meeting(as_of: Date) -> Job {
    Job::new(Text::new("jobs.meeting"), move |cx| {
        use crate::domain::meeting::diff;
        let plan = cx.plan()?;
        let s = cx.store()?;
        let e = |e: crate::store::StoreError| data::explain(&e);
        let meetings = s.meetings(plan.id).map_err(e)?;
        // started_at is written in UTC.
        let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
        // A meeting copy is read-only: its meeting is the last one saved in
        // the ledger at the same date, or else the state now, compared with
        // the last one saved and not saved itself.
        // On a copy: the meeting started the day the copy was taken (UTC,
        // as started_at), not an older one at the same date.
        let copy_day = s.meeting_copy().map(|c| {
            chrono::DateTime::parse_from_rfc3339(&c.taken)
                .map(|t| t.with_timezone(&chrono::Utc).format("%Y-%m-%d").to_string())
                .unwrap_or_default()
        });
        let copy = copy_day.is_some();
        let day = copy_day.unwrap_or(today);
        let reused = meetings
            .first()
            .filter(|m| m.as_of == as_of && !day.is_empty() && m.started_at.starts_with(&day))
            .cloned();
        let (current, now) = match reused {
            Some(m) => (m, None),
            None => {
                let snap = crate::export::ranking::snapshot_at(s, plan.id, as_of).map_err(e)?;
                if copy {
                    let unsaved = crate::store::MeetingInfo {
                        id: i64::MAX,
                        plan_id: plan.id,
                        as_of,
                        started_at: String::new(),
                        started_by: String::new(),
                    };
                    (unsaved, Some(snap))
                } else {
                    (s.save_meeting(plan.id, &snap).map_err(e)?, None)
                }
            }
        };
        let mut before = meetings.into_iter().filter(|m| m.id < current.id);
        let since = match before.next() {
            Some(prev) => {
                let earlier = before
                    .map(|m| s.meeting_snapshot(m.id))
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(e)?;
                let now = match now {
                    Some(snap) => snap,
                    None => s.meeting_snapshot(current.id).map_err(e)?,
                };
                let d = diff(&s.meeting_snapshot(prev.id).map_err(e)?, &now, &earlier);
                Some((prev, d))
            }
            None => None,
        };
        Ok(Event::MeetingStarted(Box::new(MeetingOpen {
            meeting: current,
            since,
        })))
    })
}

pub fn undo_batch(id: i64) -> Job {
    Job::new(Text::new("jobs.undo-batch"), move |cx| {
        let b = cx
            .store()?
            .undo_batch(id)
            .map_err(|e| Text::new("jobs.not-undone").arg_text("error", data::explain(&e)))?;
        Ok(Event::Done(text!(
            "jobs.undone",
            id = b.id,
            file = b.file_name
        )))
    })
}

/// Brings an undone batch's figures back.
pub fn restore_batch(id: i64) -> Job {
    Job::new(Text::new("jobs.restore-batch"), move |cx| {
        let r = cx
            .store()?
            .restore_batch(id)
            .map_err(|e| Text::new("jobs.not-restored").arg_text("error", data::explain(&e)))?;
        let msg = if r.kept_newer > 0 {
            Text::new("jobs.restored-kept-newer").arg("kept", r.kept_newer)
        } else {
            Text::new("jobs.restored")
        };
        Ok(Event::Done(
            msg.arg("id", r.batch.id)
                .arg("file", r.batch.file_name)
                .arg("n", r.restored),
        ))
    })
}

/// Locks a period (its figures stop moving) or unlocks it.
pub fn set_period_lock(period: crate::domain::Period, lock: bool) -> Job {
    Job::new(Text::new("jobs.period-lock"), move |cx| {
        let s = cx.store()?;
        let changed = if lock {
            s.lock_period(period)
        } else {
            s.unlock_period(period)
        }
        .map_err(|e| data::explain(&e))?;
        let done = match (lock, changed) {
            (true, true) => Text::new("jobs.locked"),
            (true, false) => Text::new("jobs.already-locked"),
            (false, true) => Text::new("jobs.unlocked"),
            (false, false) => Text::new("jobs.not-locked"),
        };
        Ok(Event::Done(done.arg_text("period", self::period(period))))
    })
}

/// Records a figure entered or corrected by hand.
pub fn save_figure(entry: crate::store::ReportEntry) -> Job {
    // Numbers are worded in the window's language, read here on its thread.
    let lang = crate::ui::i18n::language();
    Job::new(Text::new("jobs.save-figure"), move |cx| {
        let r = cx
            .store()?
            .add_report(&entry)
            .map_err(|e| Text::new("jobs.figure-not-saved").arg_text("error", data::explain(&e)))?;
        let done = if entry.reason.is_some() {
            Text::new("jobs.figure-corrected")
        } else {
            Text::new("jobs.figure-entered")
        };
        Ok(Event::Done(
            done.arg("unit", &r.unit)
                .arg_text("period", period(r.period))
                .arg("value", crate::export::figure(r.value, None, lang)),
        ))
    })
}

/// Changes a saved indicator's fields.
pub fn edit_indicator(
    id: i64,
    base: crate::store::IndicatorFields,
    fields: crate::store::IndicatorFields,
    how: Option<crate::store::TargetEdit>,
) -> Job {
    Job::new(Text::new("jobs.edit-indicator"), move |cx| {
        let changes = match cx
            .store()?
            .edit_indicator_from(id, Some(&base), &fields, how)
        {
            Ok(c) => c,
            Err(e @ crate::store::StoreError::Conflict { .. }) => {
                return Ok(Event::Conflict(
                    Text::new("jobs.indicator-not-edited").arg_text("error", data::explain(&e)),
                ));
            }
            Err(e) => {
                return Err(
                    Text::new("jobs.indicator-not-edited").arg_text("error", data::explain(&e))
                );
            }
        };
        Ok(Event::Done(if changes.is_empty() {
            Text::new("jobs.indicator-unchanged")
        } else {
            text!(
                "jobs.indicator-edited",
                name = fields.name,
                n = changes.len()
            )
        }))
    })
}

/// Sets units' own targets (任务分解), all or none.
pub fn set_targets(changes: Vec<crate::store::TargetChange>) -> Job {
    Job::new(Text::new("jobs.set-targets"), move |cx| {
        let done = cx.store()?.set_unit_targets(&changes).map_err(|e| {
            Text::new("jobs.targets-not-saved").arg_text("error", data::explain(&e))
        })?;
        Ok(Event::Done(text!(
            "jobs.targets-saved",
            changed = done.changed,
            cleared = done.cleared
        )))
    })
}

/// Writes the 任务分解表 of the plan.
pub fn export_targets(path: PathBuf) -> Job {
    Job::new(Text::new("jobs.export-targets"), move |cx| {
        let plan = cx.plan_id()?;
        let bytes = crate::export::targets::workbook(cx.store()?, plan).map_err(|e| {
            Text::new("jobs.targets-table-failed").arg_text("error", export_error(&e))
        })?;
        cx.write(&path, &bytes)?;
        Ok(Event::Done(text!(
            "jobs.targets-table-saved",
            path = path.display()
        )))
    })
}

/// Sets the targets a filled-in 任务分解表 gives.
pub fn import_targets(path: PathBuf) -> Job {
    Job::new(Text::new("jobs.import-targets"), move |cx| {
        let bytes = crate::returns::read::read_path(&path)
            .map_err(|e| text!("jobs.file-unreadable", path = path.display(), error = e))?;
        let plan = cx.plan_id()?;
        let done = crate::cli::targets::import(cx.store()?, plan, &bytes).map_err(|e| {
            let why = match &e {
                crate::cli::targets::TargetsError::Store(e) => data::explain(e),
                e => plain(e),
            };
            Text::new("jobs.targets-table-not-imported").arg_text("error", why)
        })?;
        let mut msg = text!(
            "jobs.targets-table-imported",
            changed = done.set.changed,
            unchanged = done.set.unchanged
        );
        // Each further sentence follows the one before.
        let then = |msg: Text, next: Text| {
            Text::new("jobs.then")
                .arg_text("first", msg)
                .arg_text("next", next)
        };
        if let Some((first, rest)) = done.unknown_units.split_first() {
            let list = rest
                .iter()
                .fold(text!("jobs.list-one", name = first), |l, u| {
                    Text::new("jobs.list-more")
                        .arg_text("list", l)
                        .arg("name", u)
                });
            msg = then(msg, Text::new("jobs.unknown-units").arg_text("units", list));
        }
        if !done.unknown_rows.is_empty() {
            let n = done.unknown_rows.len();
            msg = then(msg, text!("jobs.unknown-rows", n = n));
        }
        if !done.bad_cells.is_empty() {
            let n = done.bad_cells.len();
            msg = then(msg, text!("jobs.bad-cells", n = n));
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
    Job::new(Text::new("jobs.unit-change"), move |cx| {
        let s = cx.store()?;
        let fail = |e: crate::store::StoreError| {
            Text::new("jobs.units-not-changed").arg_text("error", data::explain(&e))
        };
        let msg = match change {
            UnitChange::Add(name, kind) => {
                let u = s.add_unit(&name, kind).map_err(fail)?;
                text!("jobs.unit-added", name = u.name)
            }
            UnitChange::Rename(name, to) => {
                let u = s.rename_unit(&name, &to).map_err(fail)?;
                text!("jobs.unit-renamed", name = name, to = u.name)
            }
            UnitChange::Kind(name, kind) => {
                s.set_unit_kind(&name, kind).map_err(fail)?;
                text!("jobs.unit-kind-set", name = name)
            }
            UnitChange::Alias(name, alias, true) => {
                s.set_unit_alias(&name, &alias, true).map_err(fail)?;
                text!("jobs.alias-added", name = name, alias = alias)
            }
            UnitChange::Alias(name, alias, false) => {
                s.set_unit_alias(&name, &alias, false).map_err(fail)?;
                text!("jobs.alias-removed", name = name, alias = alias)
            }
            UnitChange::Merge(from, into) => {
                let u = s.merge_units(&from, &into).map_err(fail)?;
                text!("jobs.units-merged", from = from, into = u.name)
            }
            UnitChange::Import(path) => {
                let units = crate::cli::read_catalogue(&path).map_err(|e| {
                    text!(
                        "jobs.catalogue-unreadable",
                        path = path.display(),
                        error = e
                    )
                })?;
                let done = s.import_units(&units).map_err(fail)?;
                text!(
                    "jobs.catalogue-imported",
                    added = done.added,
                    updated = done.updated,
                    aliases = done.aliases_added
                )
            }
        };
        Ok(Event::Done(msg))
    })
}

/// Names who makes the changes from now on (the account stays beside it).
pub fn display_name(name: String) -> Job {
    Job::new(Text::new("jobs.display-name"), move |cx| {
        cx.store()?.set_display_name(&name);
        Ok(Event::Quiet)
    })
}

/// The ledger's change log (the newest 5,000 lines).
pub fn audit() -> Job {
    Job::new(Text::new("jobs.audit"), |cx| {
        Ok(Event::Audit(
            cx.store()?
                .audit_log(None, 5000)
                .map_err(|e| data::explain(&e))?,
        ))
    })
}

/// Reverts one hand change of a figure.
pub fn revert_edit(line: i64) -> Job {
    // Numbers are worded in the window's language, read here on its thread.
    let lang = crate::ui::i18n::language();
    Job::new(Text::new("jobs.revert"), move |cx| {
        let r = cx
            .store()?
            .revert_edit(line)
            .map_err(|e| Text::new("jobs.not-reverted").arg_text("error", data::explain(&e)))?;
        let done = text!("jobs.reverted-edit", line = line, unit = &r.unit);
        Ok(Event::Done(
            done.arg_text("period", period(r.period))
                .arg("value", crate::export::figure(r.value, None, lang)),
        ))
    })
}

/// Reverts one line of the change log: a hand figure, a field of an
/// indicator or a task, a unit's own target, a unit's name, kind or alias.
pub fn revert_line(line: i64) -> Job {
    Job::new(Text::new("jobs.revert"), move |cx| {
        let r = cx
            .store()?
            .revert_line(line)
            .map_err(|e| Text::new("jobs.not-reverted").arg_text("error", data::explain(&e)))?;
        use crate::store::Reverted as R;
        let done = match &r {
            R::Figure { indicator, unit } => {
                text!("jobs.reverted-figure", unit = unit, indicator = indicator)
            }
            R::Indicator { indicator, field } if field == "retired" => {
                text!("jobs.reverted-retired", indicator = indicator)
            }
            R::Indicator { indicator, field } if field == "task" => {
                text!("jobs.reverted-indicator-task", indicator = indicator)
            }
            R::Indicator { indicator, .. } => {
                text!("jobs.reverted-indicator", indicator = indicator)
            }
            R::Target { indicator, unit } => {
                text!("jobs.reverted-target", unit = unit, indicator = indicator)
            }
            R::Task { task, .. } => text!("jobs.reverted-task", task = task),
            R::Unit { unit, .. } => text!("jobs.reverted-unit", unit = unit),
        };
        Ok(Event::Done(done.arg("line", line)))
    })
}

/// Changes a task of the saved plan.
pub fn edit_task(plan_id: i64, path: String, fields: crate::store::TaskFields) -> Job {
    Job::new(Text::new("jobs.edit-task"), move |cx| {
        let changes = cx
            .store()?
            .edit_task(plan_id, &path, &fields)
            .map_err(|e| Text::new("jobs.task-not-edited").arg_text("error", data::explain(&e)))?;
        Ok(Event::Done(if changes.is_empty() {
            Text::new("jobs.task-unchanged")
        } else {
            text!("jobs.task-edited", path = path, n = changes.len())
        }))
    })
}

/// Adds an indicator to the saved plan.
pub fn add_indicator(plan_id: i64, ind: crate::domain::PlanIndicator) -> Job {
    Job::new(Text::new("jobs.add-indicator"), move |cx| {
        let added = cx
            .store()?
            .add_indicator(plan_id, &ind)
            .map_err(|e| Text::new("jobs.not-added").arg_text("error", data::explain(&e)))?;
        Ok(Event::Done(text!(
            "jobs.indicator-added",
            code = added.code,
            name = added.name
        )))
    })
}

/// Retires an indicator (its figures kept) or brings it back.
pub fn set_retired(id: i64, retired: bool, reason: String) -> Job {
    Job::new(Text::new("jobs.set-retired"), move |cx| {
        let s = cx.store()?;
        let code = s.indicator(id).map(|i| i.code).unwrap_or_default();
        s.set_retired(id, retired, &reason)
            .map_err(|e| Text::new("jobs.not-done").arg_text("error", data::explain(&e)))?;
        Ok(Event::Done(if retired {
            text!("jobs.indicator-retired", code = code)
        } else {
            text!("jobs.indicator-restored", code = code)
        }))
    })
}

/// Moves an indicator to another task of its plan.
pub fn move_indicator(id: i64, task: Option<String>) -> Job {
    Job::new(Text::new("jobs.move-indicator"), move |cx| {
        cx.store()?
            .move_indicator(id, task.as_deref())
            .map_err(|e| Text::new("jobs.not-moved").arg_text("error", data::explain(&e)))?;
        Ok(Event::Done(match task {
            Some(t) => text!("jobs.moved", task = t),
            None => Text::new("jobs.moved-out"),
        }))
    })
}

/// Saves the progress thresholds, cycle and due day.
pub fn save_progress_settings(p: ProgressSettings) -> Job {
    Job::new(Text::new("jobs.save-settings"), move |cx| {
        cx.store()?
            .set_progress_settings(&p)
            .map_err(|e| text!("jobs.settings-not-saved", error = e))?;
        Ok(Event::Done(Text::new("jobs.settings-saved")))
    })
}

/// Writes the meeting workbook for the date.
pub fn export_report(path: PathBuf, as_of: Date) -> Job {
    Job::new(Text::new("jobs.export-report"), move |cx| {
        cx.progress(Text::new("jobs.making-report"), 0.5);
        let plan = cx.plan_id()?;
        let bytes = crate::export::report::report(cx.store()?, plan, as_of)
            .map_err(|e| Text::new("jobs.report-failed").arg_text("error", export_error(&e)))?;
        cx.write(&path, &bytes)?;
        Ok(Event::Done(text!(
            "jobs.report-saved",
            path = path.display()
        )))
    })
}

/// Writes a unit's fill-in template for a period.
pub fn export_template(path: PathBuf, unit: String, period: crate::domain::Period) -> Job {
    Job::new(Text::new("jobs.export-template"), move |cx| {
        let plan = cx.plan_id()?;
        let bytes = crate::export::template::template(cx.store()?, plan, &unit, period)
            .map_err(|e| Text::new("jobs.template-failed").arg_text("error", export_error(&e)))?;
        cx.write(&path, &bytes)?;
        Ok(Event::Done(text!(
            "jobs.template-saved",
            unit = unit,
            path = path.display()
        )))
    })
}

/// Draws an indicator's chart (by code) at the date to a .png or .svg file.
pub fn save_chart(path: PathBuf, indicator: String, as_of: Date) -> Job {
    Job::new(Text::new("jobs.save-chart"), move |cx| {
        use crate::export::chart;
        let (format, path) = match chart::Format::of(&path) {
            Some(f) => (f, path),
            None => (chart::Format::Png, path.with_extension("png")),
        };
        let plan = cx.plan_id()?;
        let bytes = chart::for_indicator(cx.store()?, plan, &indicator, as_of, format)
            .map_err(|e| Text::new("jobs.chart-failed").arg_text("error", export_error(&e)))?;
        cx.write(&path, &bytes)?;
        Ok(Event::Done(text!(
            "jobs.chart-saved",
            path = path.display()
        )))
    })
}

/// Composes the bulletin for the date.
pub fn bulletin(as_of: Date) -> Job {
    Job::new(Text::new("jobs.bulletin"), move |cx| {
        let plan = cx.plan()?;
        let s = cx.store()?;
        let status = s.status(plan.id, as_of).map_err(plain)?;
        Ok(Event::Bulletin(
            crate::export::bulletin::bulletin_with_meetings(s, &status).map_err(plain)?,
        ))
    })
}

/// Writes the offline meeting copy of the current plan (replacing an
/// earlier copy the user chose to overwrite, never a ledger).
pub fn meeting_copy(dest: PathBuf) -> Job {
    Job::new(Text::new("jobs.meeting-copy"), move |cx| {
        let plan = cx.plan()?.id;
        let w = cx
            .store()?
            .write_meeting_copy(&dest, Some(plan), true)
            .map_err(|e| data::explain(&e))?;
        Ok(Event::Done(text!(
            "jobs.meeting-copy-done",
            path = dest.display(),
            indicators = w.indicators,
            figures = w.figures
        )))
    })
}

/// Copies the ledger to a backup file.
pub fn backup(dest: PathBuf) -> Job {
    Job::new(Text::new("jobs.backup"), move |cx| {
        cx.store()?
            .backup_to(&dest)
            .map_err(|e| text!("jobs.backup-failed", error = e))?;
        Ok(Event::Done(text!("jobs.backed-up", path = dest.display())))
    })
}
