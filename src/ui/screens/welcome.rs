//! First start with an empty ledger: import a plan, open the demo, or open
//! another database file.

use crate::tf;
use crate::ui::app::{App, Command};
use crate::ui::i18n::t;
use crate::ui::jobs;
use egui::{RichText, Ui};

pub fn show(app: &mut App, ui: &mut Ui) {
    ui.vertical_centered(|ui| {
        ui.add_space(60.0);
        ui.label(RichText::new(t("welcome.title")).size(30.0).strong());
        ui.add_space(8.0);
        ui.label(t("welcome.intro"));
        ui.add_space(30.0);
        let size = egui::vec2(260.0, 44.0);
        if ui
            .add_sized(
                size,
                egui::Button::new(RichText::new(t("welcome.import-plan")).size(17.0)),
            )
            .clicked()
        {
            app.tx
                .send(Command::PickFile(crate::ui::files::FileRequest::open(
                    t("welcome.import-plan-title"),
                    (t("welcome.plan-filter"), &["txt", "docx"]),
                    |path| Command::Run(jobs::extract_plan(path)),
                )));
        }
        ui.add_space(10.0);
        if ui
            .add_sized(
                size,
                egui::Button::new(RichText::new(t("welcome.demo")).size(17.0)),
            )
            .clicked()
        {
            app.tx.run(jobs::demo());
        }
        ui.add_space(10.0);
        if ui
            .add_sized(
                size,
                egui::Button::new(RichText::new(t("welcome.open-db")).size(17.0)),
            )
            .clicked()
        {
            app.tx
                .send(Command::PickFile(crate::ui::files::FileRequest::open(
                    t("welcome.open-db-title"),
                    (t("welcome.db-filter"), &["sqlite3", "db", "sqlite"]),
                    Command::OpenDatabase,
                )));
        }
        ui.add_space(20.0);
        ui.label(RichText::new(tf!("welcome.database", path = app.db.display())).weak());
        ui.label(RichText::new(t("welcome.offline")).weak());
    });
}
