//! The window. This first version starts the renderer (wgpu, falling back to
//! glow, and the other way round) and shows what the ledger holds; the full
//! screens of PRODUCT.md section 6 grow here.

use crate::store::Store;
use std::path::{Path, PathBuf};

/// What the window shows about the open ledger.
struct App {
    db: PathBuf,
    /// The ledger's summary, or why it could not be opened.
    summary: Result<Vec<String>, String>,
}

impl App {
    fn new(db: &Path) -> App {
        let summary = Store::open(db)
            .and_then(|s| {
                let plans = s.plans()?;
                let mut lines: Vec<String> = s.notices().to_vec();
                if plans.is_empty() {
                    lines.push(
                        "数据库中还没有计划。请用命令行导入：taizhang plan import 计划.json"
                            .to_string(),
                    );
                }
                for p in plans {
                    lines.push(format!(
                        "{}（{}年）：{} 项任务，{} 个指标",
                        p.title, p.year, p.tasks, p.indicators
                    ));
                }
                Ok(lines)
            })
            .map_err(|e| e.to_string());
        App {
            db: db.to_path_buf(),
            summary,
        }
    }
}

impl eframe::App for App {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        egui::CentralPanel::default().show(ui, |ui| {
            ui.heading("台账 Taizhang");
            ui.label(format!("数据库：{}", self.db.display()));
            ui.separator();
            match &self.summary {
                Ok(lines) => {
                    for l in lines {
                        ui.label(l);
                    }
                }
                Err(e) => {
                    ui.colored_label(egui::Color32::RED, format!("无法打开数据库：{e}"));
                }
            }
        });
    }
}

/// Opens the window on the ledger at `db`. Tries wgpu first and glow if wgpu
/// cannot start (or the reverse when `TAIZHANG_RENDERER=glow`).
pub fn run(db: &Path) -> Result<(), String> {
    let prefer_glow =
        std::env::var("TAIZHANG_RENDERER").is_ok_and(|v| v.eq_ignore_ascii_case("glow"));
    let order = if prefer_glow {
        [eframe::Renderer::Glow, eframe::Renderer::Wgpu]
    } else {
        [eframe::Renderer::Wgpu, eframe::Renderer::Glow]
    };
    let mut failures = Vec::new();
    for renderer in order {
        let options = eframe::NativeOptions {
            renderer,
            viewport: egui::ViewportBuilder::default()
                .with_title("台账 Taizhang")
                .with_inner_size([1100.0, 720.0]),
            ..Default::default()
        };
        let db = db.to_path_buf();
        match eframe::run_native(
            "Taizhang",
            options,
            Box::new(move |_cc| Ok(Box::new(App::new(&db)))),
        ) {
            Ok(()) => return Ok(()),
            Err(e) => failures.push(format!("{renderer:?}: {e}")),
        }
    }
    Err(format!(
        "无法打开窗口（图形渲染器均无法启动）。请确认显卡驱动或远程桌面设置。详情：{}",
        failures.join("；")
    ))
}
