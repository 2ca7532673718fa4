//! The application: persistent settings, transient state, the loaded data,
//! and the one place where commands from the screens are applied.

pub use super::command::{Command, CommandSender, ImportCommand, MeetingCommand};
use super::data::Snapshot;
use super::i18n::t;
use super::jobs::{self, Event, ReadFile, Reviewed, Worker};
use super::screens;
use crate::domain::{Date, Period, ProgressSettings};
use crate::plan_text::PlanDraft;
use crate::tf;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// The screens of PRODUCT.md section 6.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Screen {
    Welcome,
    Overview,
    Plan,
    Indicator,
    Units,
    Import,
    /// 留痕: the ledger-wide change log.
    Audit,
    Meeting,
    Settings,
}

impl Screen {
    /// The screen named on the command line (`--view`).
    pub fn from_view(v: &str) -> Option<Screen> {
        Some(match v {
            "overview" => Screen::Overview,
            "plan" => Screen::Plan,
            "indicator" => Screen::Indicator,
            "units" => Screen::Units,
            "import" => Screen::Import,
            "audit" => Screen::Audit,
            "meeting" => Screen::Meeting,
            "settings" => Screen::Settings,
            "welcome" => Screen::Welcome,
            _ => return None,
        })
    }
}

pub use crate::domain::words::Language;

/// What persists between runs (in eframe's storage; the progress thresholds
/// live in the ledger itself).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub language: Language,
    pub last_screen: Screen,
    pub db: Option<PathBuf>,
    /// Choose files in the window's own chooser (the desktop has no
    /// file-chooser service, or the user prefers it).
    pub in_window_files: bool,
    /// The folder files were last chosen in.
    pub last_dir: Option<PathBuf>,
    /// The coordinator's name for the change log (beside the account).
    pub display_name: String,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            language: Language::Chinese,
            last_screen: Screen::Overview,
            db: None,
            in_window_files: false,
            last_dir: None,
            display_name: String::new(),
        }
    }
}

/// Items as a list in the window's language (`template`: its words for
/// a list and one more item, `t("app.list")`): 甲、乙、丙 or A, B, C.
pub fn join_list<S: AsRef<str>>(items: &[S], template: &str) -> String {
    let mut out = String::new();
    for (i, item) in items.iter().enumerate() {
        out = if i == 0 {
            item.as_ref().to_string()
        } else {
            crate::domain::words::fill(template, &[("list", &out), ("item", &item.as_ref())])
        };
    }
    out
}

/// Overview filters.
#[derive(Clone, Debug, Default)]
pub struct OverviewFilter {
    pub search: String,
    pub status: Option<crate::domain::Status>,
    pub due_soon_only: bool,
}

/// An import being reviewed.
#[derive(Clone, Debug, Default)]
pub struct ImportReview {
    pub files: Vec<ReadFile>,
    /// Per file: confirmed (alias, indicator id) pairs.
    pub aliases: Vec<Vec<(String, i64)>>,
    /// The re-match search text.
    pub search: String,
    /// Which (file, reject index or row index) the re-match list is open for.
    pub rematching: Option<(usize, Rematch)>,
}

/// A row being re-matched: an imported row or a rejected one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rematch {
    Row(usize),
    Reject(usize),
}

/// The parts below the indicator screen's charts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum IndicatorTab {
    /// 逐期进展: the period-by-period words.
    #[default]
    Progress,
    /// 录入/更正: a figure by hand.
    Entry,
    /// 任务分解: each reporting unit's own target.
    Targets,
    /// 修改指标: the indicator's fields.
    Edit,
    /// 修改记录: every change to the figures.
    History,
    /// 历年对比: the same metric in earlier plan years.
    Lineage,
}

/// The change log's filters (an edit buffer).
#[derive(Clone, Debug, Default)]
pub struct AuditFilter {
    pub unit: Option<String>,
    /// Part of an indicator's code or name.
    pub indicator: String,
    /// Changes on or after this day (YYYY-MM-DD), as typed.
    pub since: String,
    pub action: Option<crate::domain::AuditAction>,
}

/// The units catalogue being edited (an edit buffer).
#[derive(Clone, Debug)]
pub struct UnitForm {
    /// The unit chosen in the list.
    pub selected: Option<String>,
    pub rename: String,
    pub alias: String,
    pub merge_into: Option<String>,
    pub new_name: String,
    pub new_kind: crate::domain::UnitKind,
}

impl Default for UnitForm {
    fn default() -> Self {
        UnitForm {
            selected: None,
            rename: String::new(),
            alias: String::new(),
            merge_into: None,
            new_name: String::new(),
            new_kind: crate::domain::UnitKind::District,
        }
    }
}

impl IndicatorTab {
    /// The tab named on the command line (`--indicator-tab`).
    pub fn from_name(name: &str) -> Option<IndicatorTab> {
        Some(match name {
            "progress" => IndicatorTab::Progress,
            "entry" => IndicatorTab::Entry,
            "targets" => IndicatorTab::Targets,
            "edit" => IndicatorTab::Edit,
            "history" => IndicatorTab::History,
            "lineage" => IndicatorTab::Lineage,
            _ => return None,
        })
    }
}

/// A saved indicator being edited (an edit buffer: numbers as typed).
#[derive(Clone, Debug)]
pub struct IndicatorForm {
    pub indicator: i64,
    /// The saved fields the editor began from: a save is refused when
    /// someone else has changed them since.
    pub base: crate::store::IndicatorFields,
    /// A save was refused because of someone else's change: the form keeps
    /// what was typed when the ledger is read again.
    pub refused: bool,
    /// Its fields as typed (the editor a draft's indicator has too).
    pub form: super::screens::fields::FieldsForm,
    /// A changed target is a revision (调整目标) rather than a correction.
    pub revise: bool,
    pub reason: String,
}

/// An indicator being added to a saved plan: its fields as typed, its
/// task, and the plan's passage it may be read from.
#[derive(Clone, Debug)]
pub struct NewIndicator {
    pub form: super::screens::fields::FieldsForm,
    pub task: Option<String>,
    pub passage: String,
}

/// A task being edited, of a draft or of the saved plan (an edit buffer).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TaskForm {
    /// The task's path in its plan.
    pub path: String,
    pub title: String,
    /// As typed (YYYY-MM-DD, or empty for none).
    pub deadline: String,
    pub lead: Vec<String>,
    pub support: Vec<String>,
}

impl TaskForm {
    pub fn of(path: &str, t: &crate::domain::PlanTask) -> TaskForm {
        let names = |role| {
            t.responsible_units
                .iter()
                .filter(|u| u.role == role)
                .map(|u| u.name.clone())
                .collect()
        };
        TaskForm {
            path: path.to_string(),
            title: t.title.clone(),
            deadline: t.deadline.map(|d| d.to_string()).unwrap_or_default(),
            lead: names(crate::domain::Role::Lead),
            support: names(crate::domain::Role::Support),
        }
    }

    /// The deadline typed, if it is a date (`Ok(None)`: none).
    pub fn deadline(&self) -> Result<Option<crate::domain::Date>, crate::domain::DateError> {
        match self.deadline.trim() {
            "" => Ok(None),
            d => d.parse().map(Some),
        }
    }

    /// The units in order: lead, then supporting.
    pub fn units(&self) -> Vec<crate::domain::ResponsibleUnit> {
        use crate::domain::{ResponsibleUnit, Role};
        let unit = |role| {
            move |n: &String| ResponsibleUnit {
                name: n.clone(),
                role,
            }
        };
        self.lead
            .iter()
            .map(unit(Role::Lead))
            .chain(self.support.iter().map(unit(Role::Support)))
            .collect()
    }
}

/// The units' targets being edited (an edit buffer, saved as one change).
#[derive(Clone, Debug, Default)]
pub struct TargetForm {
    pub indicator: i64,
    /// Per reporting unit: its name and the target as typed (empty: the
    /// plan's target).
    pub cells: Vec<(String, String)>,
}

/// A figure being entered or corrected by hand (an edit buffer: nothing is
/// written until it is saved).
#[derive(Clone, Debug, Default)]
pub struct FigureForm {
    pub indicator: i64,
    pub unit: String,
    pub period: Option<Period>,
    /// The unit and period the fields were last filled from.
    pub filled_from: Option<(String, Period)>,
    pub value: String,
    pub progress: String,
    pub problems: String,
    pub next_steps: String,
    pub reason: String,
}

/// What lives only while the window is open.
#[derive(Default)]
pub struct State {
    /// The title last given to the window.
    pub title_sent: String,
    pub screen_before_meeting: Option<Screen>,
    pub filter: OverviewFilter,
    pub selected: Option<i64>,
    pub selected_unit: Option<String>,
    /// The latest progress texts were asked for and have not arrived.
    pub progress_pending: bool,
    /// The indicator whose figures were asked for and have not arrived.
    pub detail_pending: Option<i64>,
    pub meeting_page: usize,
    /// The meeting on screen, once its snapshot is saved.
    pub meeting: Option<jobs::MeetingOpen>,
    /// Its snapshot is being saved.
    pub meeting_pending: bool,
    pub draft: Option<(PlanDraft, Option<String>)>,
    pub import: Option<ImportReview>,
    /// The status line: the last result or error.
    pub message: Option<(bool, String)>,
    pub progress: Option<(String, f32)>,
    pub settings_edit: Option<ProgressSettings>,
    /// The bulletin text, shown in a window with a copy button.
    pub bulletin: Option<String>,
    /// A notice (催报 or 退回) shown to copy, save or confirm.
    pub notice: Option<jobs::Notice>,
    pub as_of_text: String,
    /// The as-of date chosen in this session; `None`: the date the ledger
    /// opens at (today, or its plan year's last day once that has passed).
    /// Not kept between runs: a ledger always opens at today.
    pub as_of: Option<Date>,
    /// An indicator to open (by code) once the data has loaded.
    pub open_code: Option<String>,
    /// The batch whose undo is being confirmed.
    pub confirm_undo: Option<i64>,
    /// The period picked in the settings' lock row.
    pub lock_pick: Option<Period>,
    /// What the indicator screen shows below its charts.
    pub indicator_tab: IndicatorTab,
    /// The figure being entered or corrected on the indicator screen.
    pub figure_form: Option<FigureForm>,
    /// The units' targets being edited on the indicator screen.
    pub target_form: Option<TargetForm>,
    /// The indicator being edited on the indicator screen.
    pub indicator_form: Option<IndicatorForm>,
    /// An indicator being added to the saved plan.
    pub new_indicator: Option<NewIndicator>,
    /// The task being edited on the plan screen (saved plan or draft).
    pub task_form: Option<TaskForm>,
    /// Why the indicator on screen is retired (as typed).
    pub retire_reason: String,
    /// The in-window file chooser, while it is open.
    pub picker: Option<super::files::Picker>,
    /// The plan every screen shows (`None`: the newest).
    pub plan: Option<i64>,
    /// The units catalogue being edited.
    pub unit_form: Option<UnitForm>,
    /// The ledger's change log, loaded when the 留痕 screen needs it
    /// (dropped whenever the ledger changes).
    pub audit: Option<Vec<crate::store::AuditEntry>>,
    pub audit_pending: bool,
    pub audit_filter: AuditFilter,
    /// The display name as typed in the settings.
    pub display_name_edit: Option<String>,
    /// A server's address as typed in the settings (postgres://…).
    pub server_address: String,
    /// The proposal chosen in the draft review.
    pub draft_selected: Option<usize>,
    /// Its fields as typed (the proposal's index, the form).
    pub draft_form: Option<(usize, super::screens::fields::FieldsForm)>,
    /// A passage pasted in the draft review, to add an indicator from.
    pub draft_passage: String,
    /// The units screen shows the catalogue (else the ranking).
    pub catalogue: bool,
}

/// The window's application.
pub struct App {
    pub settings: Settings,
    pub state: State,
    pub data: Option<Snapshot>,
    pub db: PathBuf,
    worker: Worker,
    repaint: std::sync::Arc<dyn Fn() + Send + Sync>,
    /// The screens' end of the command channel.
    pub tx: CommandSender,
    commands: std::sync::mpsc::Receiver<Command>,
    /// Whether the first load finished (for `--screenshot`).
    pub loaded_once: bool,
}

impl App {
    /// Opens the ledger at `db` and starts loading it.
    pub fn new(
        db: PathBuf,
        settings: Settings,
        repaint: std::sync::Arc<dyn Fn() + Send + Sync>,
    ) -> App {
        App::open_at(db, settings, None, repaint)
    }

    /// Opens the ledger at `db` at a chosen as-of date (`None`: the date
    /// it opens at) and starts loading it.
    pub fn open_at(
        db: PathBuf,
        settings: Settings,
        as_of: Option<Date>,
        repaint: std::sync::Arc<dyn Fn() + Send + Sync>,
    ) -> App {
        let r = repaint.clone();
        let worker = Worker::start(db.clone(), move || r());
        let (tx, commands) = super::command::channel_pair();
        let mut app = App {
            settings,
            state: State {
                as_of,
                ..Default::default()
            },
            data: None,
            db,
            worker,
            repaint,
            tx,
            commands,
            loaded_once: false,
        };
        app.worker
            .send(jobs::display_name(app.settings.display_name.clone()));
        app.worker.send(jobs::load(as_of));
        app.worker.send(jobs::verify());
        app
    }

    /// An app showing data loaded beforehand (benchmarks): the worker is
    /// started but not asked to load.
    pub fn with_data(db: PathBuf, settings: Settings, data: Snapshot) -> App {
        let worker = Worker::start(db.clone(), || {});
        let (tx, commands) = super::command::channel_pair();
        App {
            settings,
            state: State {
                as_of_text: data.as_of.to_string(),
                ..Default::default()
            },
            data: Some(data),
            db,
            worker,
            repaint: std::sync::Arc::new(|| {}),
            tx,
            commands,
            loaded_once: true,
        }
    }

    /// Whether a job is running or queued.
    pub fn busy(&self) -> bool {
        self.worker.busy()
    }

    /// The current screen.
    pub fn screen(&self) -> Screen {
        self.settings.last_screen
    }

    /// Takes the worker's reports.
    pub fn poll(&mut self) {
        while let Ok(event) = self.worker.events.try_recv() {
            match event {
                Event::Progress(what, f) => {
                    self.state.progress = Some((crate::ui::i18n::words(&what), f));
                    continue;
                }
                Event::Verified | Event::Quiet => {}
                Event::Bulletin(text) => self.state.bulletin = Some(text),
                Event::Notice(n) => self.state.notice = Some(*n),
                Event::MeetingStarted(open) => {
                    self.state.meeting_pending = false;
                    self.state.meeting = Some(*open);
                }
                Event::Audit(lines) => {
                    self.state.audit_pending = false;
                    self.state.audit = Some(lines);
                }
                Event::LatestProgress(latest) => {
                    self.state.progress_pending = false;
                    if let Some(plan) = self.data.as_mut().and_then(|d| d.plan.as_mut()) {
                        plan.latest_progress = Some(latest);
                    }
                }
                Event::Detail(detail) => {
                    if self.state.detail_pending == Some(detail.indicator_id) {
                        self.state.detail_pending = None;
                    }
                    // The editor and the targets grid start again from what
                    // the ledger now holds (a save, or a table imported).
                    if self
                        .state
                        .indicator_form
                        .as_ref()
                        .is_some_and(|f| f.indicator == detail.indicator_id && !f.refused)
                    {
                        self.state.indicator_form = None;
                    }
                    if self
                        .state
                        .target_form
                        .as_ref()
                        .is_some_and(|f| f.indicator == detail.indicator_id)
                    {
                        self.state.target_form = None;
                    }
                    if let Some(plan) = self.data.as_mut().and_then(|d| d.plan.as_mut()) {
                        plan.detail = Some(detail);
                    }
                }
                Event::FirstLoaded(snapshot) => {
                    // The job goes on: not counted as finished.
                    self.loaded(*snapshot);
                    continue;
                }
                Event::Loaded(snapshot) => self.loaded(*snapshot),
                Event::Finished(finished) => {
                    if let Some(plan) = self.data.as_mut().and_then(|d| d.plan.as_mut()) {
                        finished.apply(plan);
                    }
                }
                Event::Draft(draft, text) => {
                    self.state.draft = Some((*draft, text));
                    self.state.draft_selected = None;
                    self.state.draft_form = None;
                    self.settings.last_screen = Screen::Plan;
                }
                Event::Read(files) => {
                    let n = files.len();
                    self.state.import = Some(ImportReview {
                        files,
                        aliases: vec![Vec::new(); n],
                        ..Default::default()
                    });
                    self.settings.last_screen = Screen::Import;
                }
                Event::Committed(results) => {
                    let ok = results.iter().filter(|r| r.1.is_ok()).count();
                    let failed: Vec<String> = results
                        .iter()
                        .filter_map(|(f, r)| {
                            r.as_ref().err().map(|e| {
                                tf!(
                                    "app.file-not-imported",
                                    file = f,
                                    error = crate::ui::i18n::words(e)
                                )
                            })
                        })
                        .collect();
                    self.state.message = Some((
                        failed.is_empty(),
                        if failed.is_empty() {
                            tf!("app.imported", n = ok)
                        } else {
                            tf!(
                                "app.imported-some",
                                n = ok,
                                failed = join_list(&failed, t("app.failures-list"))
                            )
                        },
                    ));
                    if failed.is_empty() {
                        self.state.import = None;
                    }
                    self.reload();
                }
                Event::Done(msg) => {
                    self.state.message = Some((true, crate::ui::i18n::words(&msg)));
                    self.reload();
                }
                Event::PlanSaved(id, msg) => {
                    self.state.message = Some((true, crate::ui::i18n::words(&msg)));
                    self.select_plan(Some(id));
                }
                Event::Failed(msg) => {
                    self.state.message = Some((false, crate::ui::i18n::words(&msg)))
                }
                Event::Conflict(msg) => {
                    // Someone else's change: shown, and read in beside the
                    // form, which keeps what was typed.
                    self.state.message = Some((false, crate::ui::i18n::words(&msg)));
                    if let Some(f) = self.state.indicator_form.as_mut() {
                        f.refused = true;
                    }
                    self.reload();
                }
                Event::Cancelled => self.state.message = Some((true, t("app.cancelled").into())),
            }
            self.worker.running = self.worker.running.saturating_sub(1);
            if !self.worker.busy() {
                self.state.progress = None;
            }
        }
    }

    /// A snapshot arrived: the screens show it.
    fn loaded(&mut self, snapshot: Snapshot) {
        // Whatever changed the ledger may have added to its log.
        self.state.audit = None;
        self.state.detail_pending = None;
        self.state.progress_pending = false;
        self.state.as_of_text = snapshot.as_of.to_string();
        let has_plan = snapshot.plan.is_some();
        if let Some(code) = self.state.open_code.take()
            && let Some(i) = snapshot
                .plan
                .as_ref()
                .and_then(|p| p.status.indicators.iter().find(|i| i.code == code))
        {
            self.state.selected = Some(i.id);
        }
        self.data = Some(snapshot);
        if !self.loaded_once && !has_plan && self.state.draft.is_none() {
            self.settings.last_screen = Screen::Welcome;
        }
        if has_plan && self.settings.last_screen == Screen::Welcome {
            self.settings.last_screen = Screen::Overview;
        }
        self.loaded_once = true;
    }

    fn reload(&mut self) {
        self.worker.send(jobs::load(self.state.as_of));
    }

    /// The date the screens stand at.
    pub fn as_of(&self) -> Option<Date> {
        self.data.as_ref().map(|d| d.as_of)
    }

    /// Applies the commands the screens sent: the one place state changes.
    pub fn apply(&mut self, ctx: &egui::Context) {
        while let Ok(command) = self.commands.try_recv() {
            self.apply_one(ctx, command);
        }
    }

    fn apply_one(&mut self, ctx: &egui::Context, command: Command) {
        match command {
            Command::Run(job) => self.worker.send(job),
            Command::Show(s) => self.settings.last_screen = s,
            Command::OpenIndicator(id) => {
                self.state.selected = Some(id);
                self.settings.last_screen = Screen::Indicator;
            }
            Command::LoadDetail(id) => {
                if self.state.detail_pending != Some(id)
                    && let Some(as_of) = self.as_of()
                {
                    self.state.detail_pending = Some(id);
                    self.worker.send(jobs::detail(id, as_of));
                }
            }
            Command::LoadAudit => {
                if !self.state.audit_pending {
                    self.state.audit_pending = true;
                    self.worker.send(jobs::audit());
                }
            }
            Command::LoadLatestProgress => {
                if !self.state.progress_pending
                    && let Some(as_of) = self.as_of()
                {
                    self.state.progress_pending = true;
                    self.worker.send(jobs::latest_progress(as_of));
                }
            }
            Command::SelectUnit(u) => self.state.selected_unit = Some(u),
            Command::SelectPlan(id) => self.select_plan(Some(id)),
            Command::Reload => self.reload(),
            Command::OpenDatabase(path) => self.open_database(path),
            Command::SaveDraft => {
                if let Some((draft, text)) = self.state.draft.take() {
                    self.state.draft_selected = None;
                    self.state.draft_form = None;
                    self.worker.send(jobs::save_plan(draft.into_plan(), text));
                    self.settings.last_screen = Screen::Overview;
                }
            }
            Command::DiscardDraft => {
                self.state.draft = None;
                self.state.draft_selected = None;
                self.state.draft_form = None;
            }
            Command::Import(c) => self.apply_import(c),
            Command::ConfirmUndo(id) => self.state.confirm_undo = Some(id),
            Command::CancelUndo => self.state.confirm_undo = None,
            Command::SaveProgressSettings(p) => match p.validate() {
                Ok(()) => self.worker.send(jobs::save_progress_settings(p)),
                Err(e) => {
                    self.state.message = Some((false, tf!("app.invalid-settings", error = e)))
                }
            },
            Command::SetAsOf(d) => {
                self.state.as_of = d;
                // Another date is another meeting.
                self.state.meeting = None;
                self.state.meeting_pending = false;
                self.reload();
            }
            Command::SetLanguage(l) => self.settings.language = l,
            Command::CloseBulletin => self.state.bulletin = None,
            Command::CloseNotice => self.state.notice = None,
            Command::CopyNotice => {
                if let Some(n) = &self.state.notice {
                    ctx.copy_text(n.text.clone());
                    self.state.message = Some((true, t("app.notice-copied").into()));
                }
            }
            Command::ConfirmReturn => {
                if let Some(jobs::Notice {
                    kind: jobs::NoticeKind::Return { batch, summary },
                    ..
                }) = self.state.notice.take()
                {
                    self.worker.send(jobs::return_batch(batch, summary));
                }
            }
            Command::CopyBulletin => {
                if let Some(text) = &self.state.bulletin {
                    ctx.copy_text(text.clone());
                    self.state.message = Some((true, t("app.bulletin-copied").into()));
                }
            }
            Command::Cancel => self.worker.cancel(),
            Command::Meeting(c) => self.apply_meeting(ctx, c),
            Command::PickFile(request) => self.pick_file(ctx, request),
            Command::PickerDone(chosen) => {
                if let Some(picker) = self.state.picker.take()
                    && let Some(paths) = chosen.filter(|p| !p.is_empty())
                {
                    self.chosen(ctx, picker.request, paths);
                }
            }
            Command::SetInWindowFiles(on) => self.settings.in_window_files = on,
            Command::SetDisplayName(name) => {
                self.settings.display_name = name;
                self.worker
                    .send(jobs::display_name(self.settings.display_name.clone()));
            }
            Command::Message(ok, text) => self.state.message = Some((ok, text)),
            Command::DismissMessage => self.state.message = None,
        }
    }

    /// Asks the desktop's file dialog, or opens the in-window chooser when
    /// the desktop cannot show one (then and from now on).
    fn pick_file(&mut self, ctx: &egui::Context, request: super::files::FileRequest) {
        let dir = self.settings.last_dir.clone();
        if !self.settings.in_window_files {
            match request.desktop(dir.as_deref()) {
                Some(paths) if paths.is_empty() => return,
                Some(paths) => return self.chosen(ctx, request, paths),
                None => {
                    self.settings.in_window_files = true;
                    self.state.message = Some((true, t("app.desktop-chooser-failed").into()));
                }
            }
        }
        self.state.picker = Some(super::files::Picker::new(
            request,
            super::files::start_dir(dir.as_deref()),
        ));
    }

    /// Files were chosen: remember the folder, then do what was asked.
    fn chosen(
        &mut self,
        ctx: &egui::Context,
        request: super::files::FileRequest,
        paths: Vec<PathBuf>,
    ) {
        if let Some(parent) = paths.first().and_then(|p| p.parent()) {
            self.settings.last_dir = Some(parent.to_path_buf());
        }
        let next = (request.then)(paths);
        self.apply_one(ctx, next);
    }

    /// Turns every screen to another plan of the ledger (`None`: the newest).
    /// Turns every screen to a plan (`None`: the ledger's current plan).
    pub fn choose_plan(&mut self, id: Option<i64>) {
        self.select_plan(id);
    }

    fn select_plan(&mut self, id: Option<i64>) {
        self.state.plan = id;
        self.worker.set_plan(id);
        self.state.selected = None;
        self.state.selected_unit = None;
        self.state.figure_form = None;
        self.state.target_form = None;
        self.state.indicator_form = None;
        self.state.import = None;
        self.reload();
    }

    /// Switches to another ledger: a new worker on it, loaded and checked.
    fn open_database(&mut self, path: PathBuf) {
        self.db = path.clone();
        self.settings.db = Some(path.clone());
        self.state.as_of = None;
        self.state.plan = None;
        self.data = None;
        self.loaded_once = false;
        let r = self.repaint.clone();
        self.worker = Worker::start(path, move || r());
        self.worker
            .send(jobs::display_name(self.settings.display_name.clone()));
        self.reload();
        self.worker.send(jobs::verify());
    }

    /// Changes to the import under review; only `Commit` reaches the worker.
    fn apply_import(&mut self, command: ImportCommand) {
        if let ImportCommand::Rematch {
            file,
            which,
            indicator,
        } = command
        {
            return self.rematch(file, which, indicator);
        }
        let Some(review) = self.state.import.as_mut() else {
            return;
        };
        match command {
            ImportCommand::SetFileUnit(i, unit) => {
                if let Some(f) = review.files.get_mut(i) {
                    f.result.unit = Some(unit);
                }
            }
            ImportCommand::SetFilePeriod(i, p) => {
                if let Some(f) = review.files.get_mut(i) {
                    f.result.period = Some(p.to_string());
                }
            }
            ImportCommand::Rematch { .. } => {}
            ImportCommand::OpenRematch { file, which } => {
                review.rematching = Some((file, which));
                review.search.clear();
            }
            ImportCommand::CloseRematch => review.rematching = None,
            ImportCommand::DropRow(file, row) => {
                if let Some(f) = review.files.get_mut(file)
                    && row < f.result.rows.len()
                {
                    let r = f.result.rows.remove(row);
                    f.result.rejects.push(crate::returns::Reject {
                        row: r.row,
                        why: crate::returns::Why::Dropped,
                        unmatched: None,
                    });
                }
            }
            ImportCommand::Commit => {
                let files: Vec<Reviewed> = review
                    .files
                    .iter()
                    .zip(&review.aliases)
                    .filter(|(f, _)| f.result.file_error.is_none())
                    .map(|(f, a)| Reviewed {
                        result: f.result.clone(),
                        bytes: f.bytes.clone().unwrap_or_default(),
                        aliases: a.clone(),
                    })
                    .collect();
                self.worker.send(jobs::commit(files));
            }
            ImportCommand::Discard => self.state.import = None,
        }
    }

    /// Meeting mode: full screen, light theme, page by page.
    fn apply_meeting(&mut self, ctx: &egui::Context, command: MeetingCommand) {
        match command {
            MeetingCommand::Enter => {
                if self.settings.last_screen != Screen::Meeting {
                    self.state.screen_before_meeting = Some(self.settings.last_screen);
                }
                self.settings.last_screen = Screen::Meeting;
                self.state.meeting_page = 0;
                self.state.meeting = None;
                self.state.meeting_pending = false;
                ctx.set_theme(egui::Theme::Light);
                ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(true));
            }
            MeetingCommand::Open => {
                if self.state.meeting.is_none()
                    && !self.state.meeting_pending
                    && let Some(as_of) = self.data.as_ref().map(|d| d.as_of)
                {
                    self.state.meeting_pending = true;
                    self.worker.send(jobs::start_meeting(as_of));
                }
            }
            MeetingCommand::Leave => {
                self.settings.last_screen = self
                    .state
                    .screen_before_meeting
                    .take()
                    .unwrap_or(Screen::Overview);
                ctx.set_theme(egui::ThemePreference::System);
                ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(false));
            }
            MeetingCommand::Page(step) => {
                let pages = screens::meeting::PAGES as isize;
                self.state.meeting_page =
                    (self.state.meeting_page as isize + step).clamp(0, pages - 1) as usize;
            }
        }
    }

    fn rematch(&mut self, file: usize, which: Rematch, indicator: i64) {
        let Some(ind) = self
            .data
            .as_ref()
            .and_then(|d| d.plan.as_ref())
            .and_then(|p| p.indicators.iter().find(|i| i.id == indicator))
            .cloned()
        else {
            return;
        };
        let Some(review) = self.state.import.as_mut() else {
            return;
        };
        let Some(f) = review.files.get_mut(file) else {
            return;
        };
        let row = match which {
            Rematch::Row(i) => f.result.rows.get_mut(i),
            Rematch::Reject(i) => {
                let Some(mut row) = f.result.rejects.get(i).and_then(|r| r.unmatched.clone())
                else {
                    return;
                };
                f.result.rejects.remove(i);
                row.warnings.clear();
                f.result.rows.push(row);
                f.result.rows.sort_by_key(|r| r.row);
                let at = f.result.rows.iter().position(|r| r.indicator_id == 0);
                at.and_then(|i| f.result.rows.get_mut(i))
            }
        };
        let Some(row) = row else { return };
        row.indicator_id = ind.id;
        row.indicator = ind.name.clone();
        row.code = ind.code.clone();
        row.warnings.clear();
        row.by_hand = true;
        if !row.source_name.is_empty() && row.source_name != ind.name {
            review.aliases[file].push((row.source_name.clone(), ind.id));
        }
        review.rematching = None;
    }

    /// The window's title: the product's name, and on a meeting copy when
    /// it was taken and from what, so the projector says how fresh it is.
    pub fn window_title(&self) -> String {
        crate::ui::i18n::set_language(self.settings.language);
        match self.data.as_ref().and_then(|d| d.copy.as_ref()) {
            Some(c) => tf!(
                "app.window-title-copy",
                taken = c.taken_short(),
                source = c.source
            ),
            None => t("app.window-title").to_string(),
        }
    }

    /// Draws one frame (the window and the UI tests call this).
    pub fn ui(&mut self, ui: &mut egui::Ui) {
        crate::ui::i18n::set_language(self.settings.language);
        self.poll();
        let ctx = ui.ctx().clone();
        screens::frame(self, ui);
        self.apply(&ctx);
        let title = self.window_title();
        if title != self.state.title_sent {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.state.title_sent = title;
        }
        if self.busy() {
            ctx.request_repaint_after(std::time::Duration::from_millis(100));
        }
    }
}
