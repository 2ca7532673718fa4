//! The egui application: state, screens, widgets, background jobs.
//!
//! [`app::App`] holds the persistent [`app::Settings`], the transient
//! [`app::State`] and the [`data::Snapshot`] the worker loaded; screens
//! (in [`screens`]) draw from them and send [`command::Command`]s that the
//! app applies in one place. Everything slow — loading, reading returns,
//! committing, extracting a plan, backups — runs on the worker thread
//! ([`jobs`]) and reports back over a channel.

pub mod app;
pub mod command;
pub mod data;
pub mod files;
pub mod fonts;
pub mod i18n;
pub mod jobs;
pub mod screens;
pub mod widgets;

use app::{App, Screen, Settings};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// How the window is asked to start.
#[derive(Clone, Debug, Default)]
pub struct Start {
    /// Save a screenshot here once the data has loaded, then exit.
    pub screenshot: Option<PathBuf>,
    /// The screen to open on.
    pub view: Option<Screen>,
    /// Returns to read into the import preview at start.
    pub import: Vec<PathBuf>,
    /// The as-of date to open at (instead of today).
    pub as_of: Option<crate::domain::Date>,
    /// The indicator (code) the indicator screen opens on.
    pub indicator: Option<String>,
    /// The plan to open on (instead of the ledger's current plan).
    pub plan: Option<i64>,
    /// What the indicator screen shows below its charts.
    pub indicator_tab: Option<app::IndicatorTab>,
    /// The language for this run (instead of the saved choice).
    pub language: Option<crate::domain::words::Language>,
    /// When the process started, to report the time to the first frame
    /// with data (printed with `TAIZHANG_STARTUP_REPORT=1`).
    pub started: Option<std::time::Instant>,
}

/// The eframe wrapper: persistence, the screenshot run, and the frame.
struct Window {
    app: App,
    start: Start,
    /// Frames drawn since the data loaded (a screenshot waits a few so that
    /// layout and fonts have settled).
    settled: u32,
    shot_requested: bool,
    shot_done: Arc<std::sync::atomic::AtomicBool>,
    shot_error: Arc<std::sync::Mutex<Option<String>>>,
    reported: bool,
    reported_rest: bool,
}

/// The process's resident memory in MB (Linux), for the start-up report.
fn resident_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb: f64 = status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()?;
    Some(kb / 1024.0)
}

impl eframe::App for Window {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.app.ui(ui);
        // This frame drew the data if the load arrived before or during it.
        if self.app.loaded_once
            && !self.reported
            && let Some(t0) = self.start.started
            && std::env::var_os("TAIZHANG_STARTUP_REPORT").is_some()
        {
            self.reported = true;
            eprintln!(
                "taizhang: first frame with data {} ms after start; resident memory {} MB",
                t0.elapsed().as_millis(),
                resident_mb().map_or("?".into(), |m| format!("{m:.0}"))
            );
        }
        // And once the rest of the load (series, ranking) is in and its
        // figures are freed: the memory the window keeps.
        if self.reported
            && !self.reported_rest
            && !self.app.busy()
            && let Some(t0) = self.start.started
            && std::env::var_os("TAIZHANG_STARTUP_REPORT").is_some()
        {
            self.reported_rest = true;
            eprintln!(
                "taizhang: whole load {} ms after start; resident memory {} MB",
                t0.elapsed().as_millis(),
                resident_mb().map_or("?".into(), |m| format!("{m:.0}"))
            );
        }
        let Some(out) = self.start.screenshot.clone() else {
            return;
        };
        let ctx = ui.ctx().clone();
        if self.shot_done.load(std::sync::atomic::Ordering::SeqCst) {
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            return;
        }
        // What was given to import has arrived: its preview or its draft.
        let import_ready = self.start.import.is_empty()
            || self.app.state.import.is_some()
            || self.app.state.draft.is_some();
        if self.app.loaded_once && !self.app.busy() && import_ready {
            self.settled += 1;
        }
        if self.settled > 5 && !self.shot_requested {
            self.shot_requested = true;
            let done = self.shot_done.clone();
            let error = self.shot_error.clone();
            let repaint = ctx.clone();
            ctx.request_screenshot(move |image| {
                if let Err(e) = save_png(&out, &image) {
                    *error.lock().expect("screenshot error slot") = Some(e);
                }
                done.store(true, std::sync::atomic::Ordering::SeqCst);
                repaint.request_repaint();
            });
        }
        // The worker wakes the window when something arrives; in between, a
        // few frames let the layout settle.
        ctx.request_repaint_after(std::time::Duration::from_millis(30));
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        if self.start.screenshot.is_none() {
            let mut s = self.app.settings.clone();
            if s.last_screen == Screen::Meeting {
                s.last_screen = Screen::Overview;
            }
            eframe::set_value(storage, eframe::APP_KEY, &s);
        }
    }
}

/// The application icon (packaging/icons/taizhang.png) for the window.
fn icon() -> Option<egui::IconData> {
    const PNG: &[u8] = include_bytes!("../../packaging/icons/taizhang.png");
    let mut decoder = png::Decoder::new(std::io::Cursor::new(PNG));
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().ok()?;
    let mut rgba = vec![0; reader.output_buffer_size()?];
    let frame = reader.next_frame(&mut rgba).ok()?;
    if frame.color_type != png::ColorType::Rgba {
        return None;
    }
    rgba.truncate(frame.buffer_size());
    Some(egui::IconData {
        rgba,
        width: frame.width,
        height: frame.height,
    })
}

/// Writes an image as PNG.
pub fn save_png(path: &Path, image: &egui::ColorImage) -> Result<(), String> {
    let [w, h] = image.size;
    let bytes: Vec<u8> = image.pixels.iter().flat_map(|c| c.to_array()).collect();
    let file = std::fs::File::create(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut encoder = png::Encoder::new(std::io::BufWriter::new(file), w as u32, h as u32);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    encoder
        .write_header()
        .and_then(|mut wr| wr.write_image_data(&bytes))
        .map_err(|e| format!("{}: {e}", path.display()))
}

/// Opens the window on the ledger at `db`. Tries wgpu first and glow if wgpu
/// cannot start (or the reverse when `TAIZHANG_RENDERER=glow`).
pub fn run(db: &Path, start: Start) -> Result<(), String> {
    let prefer_glow =
        std::env::var("TAIZHANG_RENDERER").is_ok_and(|v| v.eq_ignore_ascii_case("glow"));
    let order = if prefer_glow {
        [eframe::Renderer::Glow, eframe::Renderer::Wgpu]
    } else {
        [eframe::Renderer::Wgpu, eframe::Renderer::Glow]
    };
    // The words before the first frame (the window's title, a failure to
    // open it) in the language asked for on the command line.
    if let Some(l) = start.language {
        i18n::set_language(l);
    }
    let title = i18n::t("app.window-title");
    let mut failures = Vec::new();
    let shot_error: Arc<std::sync::Mutex<Option<String>>> = Default::default();
    for renderer in order {
        let options = eframe::NativeOptions {
            renderer,
            // A screenshot run must not move the user's saved window.
            persist_window: start.screenshot.is_none(),
            viewport: egui::ViewportBuilder::default()
                .with_title(title)
                .with_inner_size([1280.0, 800.0])
                .with_min_inner_size([800.0, 500.0])
                .with_icon(icon().unwrap_or_default()),
            ..Default::default()
        };
        let db = db.to_path_buf();
        let start = start.clone();
        let shot_error2 = shot_error.clone();
        match eframe::run_native(
            "Taizhang",
            options,
            Box::new(move |cc| {
                fonts::install(&cc.egui_ctx);
                let mut settings: Settings = if start.screenshot.is_none() {
                    cc.storage
                        .and_then(|s| eframe::get_value(s, eframe::APP_KEY))
                        .unwrap_or_default()
                } else {
                    Settings::default()
                };
                if let Some(v) = start.view {
                    settings.last_screen = v;
                }
                if let Some(l) = start.language {
                    settings.language = l;
                }
                if settings.language.t("app.window-title") != title {
                    cc.egui_ctx.send_viewport_cmd(egui::ViewportCommand::Title(
                        settings.language.t("app.window-title").into(),
                    ));
                }
                let ctx = cc.egui_ctx.clone();
                let mut app = App::open_at(
                    db,
                    settings,
                    start.as_of,
                    Arc::new(move || ctx.request_repaint()),
                );
                app.state.open_code = start.indicator.clone();
                if start.plan.is_some() {
                    app.choose_plan(start.plan);
                }
                if let Some(tab) = start.indicator_tab {
                    app.state.indicator_tab = tab;
                }
                if start.view == Some(Screen::Meeting) {
                    app.state.screen_before_meeting = Some(Screen::Overview);
                    cc.egui_ctx.set_theme(egui::Theme::Light);
                }
                if !start.import.is_empty() {
                    // As when dropped on the window: a plan document opens
                    // its review, spreadsheets the import preview.
                    let (plans, returns): (Vec<_>, Vec<_>) = start
                        .import
                        .iter()
                        .cloned()
                        .partition(|p| is_plan_document(p));
                    if let Some(p) = plans.into_iter().next() {
                        app.tx.run(jobs::extract_plan(p));
                    }
                    if !returns.is_empty() {
                        app.tx.run(jobs::read_returns(returns, Default::default()));
                    }
                    app.apply(&cc.egui_ctx);
                }
                Ok(Box::new(Window {
                    app,
                    start,
                    settled: 0,
                    shot_requested: false,
                    shot_done: Default::default(),
                    shot_error: shot_error2,
                    reported: false,
                    reported_rest: false,
                }))
            }),
        ) {
            Ok(()) => {
                return match shot_error.lock().expect("screenshot error slot").take() {
                    Some(e) => Err(crate::tf!("app.screenshot-failed", error = e)),
                    None => Ok(()),
                };
            }
            Err(e) => failures.push(format!("{renderer:?}: {e}")),
        }
    }
    Err(crate::tf!(
        "app.no-renderer",
        details = app::join_list(&failures, i18n::t("app.failures-list"))
    ))
}

/// A plan document (.txt, .docx) rather than a return.
pub fn is_plan_document(p: &Path) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("txt") || e.eq_ignore_ascii_case("docx"))
}
