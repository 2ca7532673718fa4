//! First start with an empty ledger: import a plan, open the demo, or open
//! another database file.

use crate::ui::app::{App, Command};
use crate::ui::jobs;
use egui::{RichText, Ui};

pub fn show(app: &mut App, ui: &mut Ui) {
    let s = app.settings.clone();
    ui.vertical_centered(|ui| {
        ui.add_space(60.0);
        ui.label(RichText::new(s.tr("欢迎使用台账", "Welcome to Taizhang")).size(30.0).strong());
        ui.add_space(8.0);
        ui.label(s.tr(
            "把年度工作要点变成任务与指标台账，导入各单位报表，对照目标和序时进度跟踪每个指标。",
            "Turn the annual work plan into a ledger of tasks and indicators, import the units' returns, and follow every target against time-elapsed progress.",
        ));
        ui.add_space(30.0);
        let size = egui::vec2(260.0, 44.0);
        if ui
            .add_sized(size, egui::Button::new(RichText::new(s.tr("导入计划文件（.txt / .docx）", "Import a plan document")).size(17.0)))
            .clicked()
        {
            app.tx.send(Command::PickFile(crate::ui::files::FileRequest::open(
                "导入计划文件",
                ("计划文件", &["txt", "docx"]),
                |path| Command::Run(jobs::extract_plan(path)),
            )));
        }
        ui.add_space(10.0);
        if ui
            .add_sized(size, egui::Button::new(RichText::new(s.tr("打开演示数据", "Open the demo")).size(17.0)))
            .clicked()
        {
            app.tx.run(jobs::demo());
        }
        ui.add_space(10.0);
        if ui
            .add_sized(size, egui::Button::new(RichText::new(s.tr("打开数据库文件", "Open a database file")).size(17.0)))
            .clicked()
        {
            app.tx.send(Command::PickFile(crate::ui::files::FileRequest::open(
                "打开台账数据库",
                ("台账数据库", &["sqlite3", "db", "sqlite"]),
                Command::OpenDatabase,
            )));
        }
        ui.add_space(20.0);
        ui.label(RichText::new(format!("{}{}", s.tr("数据库：", "Database: "), app.db.display())).weak());
        ui.label(RichText::new(s.tr("本软件完全离线运行，不连接网络。", "Taizhang works fully offline.")).weak());
    });
}
