//! Settings: language, thresholds, as-of date, due-soon window, database
//! location, backup now.

use crate::domain::{Date, Period};
use crate::tf;
use crate::ui::app::{App, Command, Language, join_list};
use crate::ui::i18n::t;
use crate::ui::jobs;
use crate::ui::widgets;
use egui::{RichText, Ui};

pub fn show(app: &mut App, ui: &mut Ui) {
    let Some(data) = app.data.as_ref() else {
        return;
    };
    let s = app.settings.clone();
    ui.heading(t("nav.settings"));
    ui.add_space(8.0);
    let edit = app
        .state
        .settings_edit
        .get_or_insert_with(|| data.settings.clone());
    let tx = app.tx.clone();
    egui::Grid::new("settings")
        .num_columns(2)
        .spacing([24.0, 10.0])
        .show(ui, |ui| {
            ui.label(t("settings.language"));
            ui.horizontal(|ui| {
                if ui
                    .selectable_label(
                        s.language == Language::Chinese,
                        Language::Chinese.t("settings.language-chinese"),
                    )
                    .clicked()
                {
                    tx.send(Command::SetLanguage(Language::Chinese));
                }
                if ui
                    .selectable_label(
                        s.language == Language::English,
                        Language::English.t("settings.language-english"),
                    )
                    .clicked()
                {
                    tx.send(Command::SetLanguage(Language::English));
                }
            });
            ui.end_row();
            ui.label(t("settings.on-track"));
            ui.add(
                egui::DragValue::new(&mut edit.on_track_pp)
                    .range(0.0..=50.0)
                    .suffix(t("settings.points-suffix")),
            );
            ui.end_row();
            ui.label(t("settings.lagging"));
            ui.add(
                egui::DragValue::new(&mut edit.lagging_pp)
                    .range(0.0..=100.0)
                    .suffix(t("settings.points-suffix")),
            );
            ui.end_row();
            ui.label(t("settings.due-soon"));
            ui.add(
                egui::DragValue::new(&mut edit.due_soon_days)
                    .range(0..=120)
                    .suffix(t("settings.days-suffix")),
            );
            ui.end_row();
            ui.label(t("settings.cycle"));
            ui.horizontal(|ui| {
                use crate::domain::Cycle;
                for c in [Cycle::Monthly, Cycle::Quarterly, Cycle::HalfYearly] {
                    ui.selectable_value(&mut edit.cycle, c, t(c.key()));
                }
            });
            ui.end_row();
            ui.label(t("settings.due-day"));
            ui.add(
                egui::DragValue::new(&mut edit.due_day)
                    .range(1..=31)
                    .suffix(t("settings.due-day-suffix")),
            );
            ui.end_row();
            ui.label("");
            if ui.button(t("settings.save")).clicked() {
                tx.send(Command::SaveProgressSettings(edit.clone()));
            }
            ui.end_row();
            ui.label(t("settings.period-locks"));
            ui.horizontal(|ui| {
                let year = data
                    .plan
                    .as_ref()
                    .map_or(data.as_of.year(), |p| p.summary.year);
                let months: Vec<Period> = (1..=12).filter_map(|m| Period::new(year, m)).collect();
                let default = data
                    .plan
                    .as_ref()
                    .and_then(|p| p.status.period_due)
                    .unwrap_or_else(|| data.as_of.period());
                let pick = app.state.lock_pick.get_or_insert(default);
                egui::ComboBox::from_id_salt("lock-period")
                    .selected_text(widgets::period(*pick))
                    .show_ui(ui, |ui| {
                        for m in months {
                            let name = if data.locked.contains(&m) {
                                tf!("settings.period-locked", period = widgets::period(m))
                            } else {
                                widgets::period(m)
                            };
                            ui.selectable_value(pick, m, name);
                        }
                    });
                let chosen = *pick;
                super::period_lock(ui, &tx, &data.locked, chosen);
            });
            ui.end_row();
            ui.label("");
            ui.label(
                RichText::new(if data.locked.is_empty() {
                    t("settings.none-locked").to_string()
                } else {
                    tf!(
                        "settings.locked-list",
                        periods = join_list(
                            &data
                                .locked
                                .iter()
                                .map(|p| widgets::period(*p))
                                .collect::<Vec<_>>(),
                            t("app.list")
                        )
                    )
                })
                .weak(),
            );
            ui.end_row();
            ui.label(t("settings.as-of"));
            ui.horizontal(|ui| {
                ui.add(
                    egui::TextEdit::singleline(&mut app.state.as_of_text)
                        .desired_width(110.0)
                        .hint_text("2023-06-30")
                        .id_salt("as-of"),
                );
                if ui.button(t("settings.apply")).clicked() {
                    match app.state.as_of_text.trim().parse::<Date>() {
                        Ok(d) => tx.send(Command::SetAsOf(Some(d))),
                        Err(_) => {
                            tx.send(Command::Message(false, t("settings.date-format").into()))
                        }
                    }
                }
                if ui.button(t("settings.as-of-default")).clicked() {
                    tx.send(Command::SetAsOf(None));
                }
            });
            ui.end_row();
            ui.label(t("settings.database"));
            ui.horizontal(|ui| {
                ui.label(RichText::new(app.db.display().to_string()).monospace());
                if ui.button(t("settings.open-another")).clicked() {
                    tx.send(Command::PickFile(crate::ui::files::FileRequest::open(
                        t("settings.open-title"),
                        (t("settings.database-filter"), &["sqlite3", "db", "sqlite"]),
                        Command::OpenDatabase,
                    )));
                }
            });
            ui.end_row();
            ui.label(t("settings.server"));
            ui.horizontal(|ui| {
                ui.add(
                    egui::TextEdit::singleline(&mut app.state.server_address)
                        .desired_width(360.0)
                        .hint_text(t("settings.server-example"))
                        .id_salt("server-address"),
                )
                .on_hover_text(t("settings.server-hover"));
                if ui.button(t("settings.server-connect")).clicked() {
                    let address = app.state.server_address.trim().to_string();
                    match server_address_problem(&address) {
                        Some(problem) => tx.send(Command::Message(false, problem.into())),
                        None => tx.send(Command::OpenDatabase(address.into())),
                    }
                }
            });
            ui.end_row();
            ui.label(t("settings.backup"));
            let on_server = crate::store::is_server_address(&app.db);
            if ui
                .add_enabled(!on_server, egui::Button::new(t("settings.back-up-now")))
                .on_disabled_hover_text(t("settings.backup-on-server"))
                .clicked()
            {
                tx.send(Command::PickFile(crate::ui::files::FileRequest::save(
                    t("settings.backup-title"),
                    &[(t("settings.database-filter"), &["sqlite3"])],
                    tf!("settings.backup-file", date = crate::cli::today()),
                    |path| Command::Run(jobs::backup(path)),
                )));
            }
            ui.end_row();
            ui.label(t("settings.meeting-copy"));
            let is_copy = data.copy.is_some();
            if ui
                .add_enabled(!is_copy, egui::Button::new(t("settings.take-meeting-copy")))
                .on_hover_text(t("settings.meeting-copy-hover"))
                .on_disabled_hover_text(t("settings.meeting-copy-of-copy"))
                .clicked()
            {
                tx.send(super::meeting_copy_request());
            }
            ui.end_row();
            ui.label(t("settings.display-name"));
            ui.horizontal(|ui| {
                let name = app
                    .state
                    .display_name_edit
                    .get_or_insert_with(|| s.display_name.clone());
                ui.add(
                    egui::TextEdit::singleline(name)
                        .desired_width(160.0)
                        .hint_text(t("settings.display-name-hint"))
                        .id_salt("display-name"),
                );
                if ui
                    .add_enabled(
                        *name != s.display_name,
                        egui::Button::new(t("settings.save")),
                    )
                    .on_hover_text(t("settings.display-name-hover"))
                    .clicked()
                {
                    tx.send(Command::SetDisplayName(name.trim().to_string()));
                }
            });
            ui.end_row();
            ui.label(t("settings.file-chooser"));
            ui.horizontal(|ui| {
                if ui
                    .selectable_label(!s.in_window_files, t("settings.desktop-chooser"))
                    .clicked()
                {
                    tx.send(Command::SetInWindowFiles(false));
                }
                if ui
                    .selectable_label(s.in_window_files, t("settings.own-chooser"))
                    .on_hover_text(t("settings.own-chooser-hover"))
                    .clicked()
                {
                    tx.send(Command::SetInWindowFiles(true));
                }
            });
            ui.end_row();
        });
    if let Some(c) = &data.copy {
        ui.label(
            RichText::new(tf!(
                "settings.meeting-copy-notice",
                taken = c.taken_short(),
                source = c.source
            ))
            .strong(),
        );
    }
    for n in &data.notices {
        use crate::store::Notice;
        let words = match n {
            Notice::Upgraded { from, to, copy } => tf!(
                "settings.notice-upgraded",
                from = from,
                to = to,
                copy = copy.display()
            ),
            Notice::NetworkShare(p) => tf!("settings.notice-network-share", path = p.display()),
            Notice::ReadOnly(p) => tf!("settings.notice-read-only", path = p.display()),
        };
        ui.label(RichText::new(words).weak());
    }
}

/// What is wrong with a server address typed in the settings, in words, or
/// `None` when it can be tried.
fn server_address_problem(address: &str) -> Option<&'static str> {
    if !crate::store::is_server_address(std::path::Path::new(address)) {
        return Some(t("settings.server-not-address"));
    }
    // postgres://user:password@host/…: the password would be kept in the
    // settings and shown in the title bar.
    let rest = address.split_once("://").map_or("", |(_, r)| r);
    let userinfo = rest.split_once('@').map_or("", |(u, _)| u);
    if userinfo.contains(':') {
        return Some(t("settings.server-password"));
    }
    None
}
