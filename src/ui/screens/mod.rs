//! The screens. Each draws from the loaded data and the transient state and
//! queues [`Command`]s; none changes the application directly.

pub mod audit;
pub mod catalogue;
pub mod fields;
pub mod import;
pub mod indicator;
pub mod meeting;
pub mod overview;
pub mod plan;
pub mod settings;
pub mod units;
pub mod welcome;

use super::app::{App, Command, CommandSender, MeetingCommand, Screen};
use super::jobs;
use super::widgets;
use crate::tf;
use crate::ui::i18n::t;
use egui::{Color32, RichText, Ui};

/// Asks where to save the offline meeting copy, then writes it.
pub fn meeting_copy_request() -> Command {
    Command::PickFile(crate::ui::files::FileRequest::save(
        t("settings.meeting-copy-title"),
        &[(t("settings.database-filter"), &["sqlite3"])],
        tf!("settings.meeting-copy-file", date = crate::cli::today()),
        |path| Command::Run(jobs::meeting_copy(path)),
    ))
}

/// Draws the whole window for one frame.
pub fn frame(app: &mut App, ui: &mut Ui) {
    dropped_files(app, ui);
    if app.screen() == Screen::Meeting {
        egui::CentralPanel::default().show(ui, |ui| meeting::show(app, ui));
        return;
    }
    egui::Panel::top("nav").show(ui, |ui| navigation(app, ui));
    bulletin(app, ui);
    notice(app, ui);
    confirm_undo(app, ui);
    if let Some(picker) = app.state.picker.as_mut() {
        match picker.show(ui.ctx()) {
            super::files::Picked::Open => {}
            super::files::Picked::Chosen(paths) => app.tx.send(Command::PickerDone(Some(paths))),
            super::files::Picked::Cancelled => app.tx.send(Command::PickerDone(None)),
        }
    }
    egui::Panel::bottom("status").show(ui, |ui| status_line(app, ui));
    egui::CentralPanel::default().show(ui, |ui| {
        if app.data.is_none() {
            // Static text, not a spinner: an animation would redraw the
            // window continuously while the worker reads.
            ui.centered_and_justified(|ui| {
                ui.label(RichText::new(t("common.loading-ledger")).size(18.0).weak());
            });
            return;
        }
        match app.screen() {
            Screen::Welcome => welcome::show(app, ui),
            Screen::Overview => overview::show(app, ui),
            Screen::Plan => plan::show(app, ui),
            Screen::Indicator => indicator::show(app, ui),
            Screen::Units => units::show(app, ui),
            Screen::Import => import::show(app, ui),
            Screen::Audit => audit::show(app, ui),
            Screen::Settings => settings::show(app, ui),
            Screen::Meeting => {}
        }
    });
}

fn navigation(app: &mut App, ui: &mut Ui) {
    ui.horizontal(|ui| {
        ui.label(RichText::new(t("app.name")).strong().size(18.0));
        ui.separator();
        let tabs = [
            (Screen::Overview, t("nav.overview")),
            (Screen::Plan, t("nav.plan")),
            (Screen::Indicator, t("nav.indicator")),
            (Screen::Units, t("nav.units")),
            (Screen::Import, t("nav.import")),
            (Screen::Audit, t("nav.audit")),
            (Screen::Settings, t("nav.settings")),
        ];
        for (screen, label) in tabs {
            if ui.selectable_label(app.screen() == screen, label).clicked() {
                app.tx.send(Command::Show(screen));
            }
        }
        if ui.button(t("nav.meeting")).clicked() {
            app.tx.send(Command::Meeting(MeetingCommand::Enter));
        }
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if let Some(d) = &app.data {
                use crate::ui::data::AsOfBasis;
                let why = match d.as_of_basis {
                    AsOfBasis::Chosen => t("as-of.chosen"),
                    AsOfBasis::Today => t("as-of.today"),
                    AsOfBasis::YearEnded => t("as-of.year-ended"),
                    AsOfBasis::BeforeYear => t("as-of.before-year"),
                };
                if ui
                    .link(tf!("nav.as-of", date = d.as_of, why = why))
                    .on_hover_text(t("nav.as-of-hover"))
                    .clicked()
                {
                    app.tx.send(Command::Show(Screen::Settings));
                }
                if let Some(year) = d.outside_plan_year() {
                    ui.label(
                        RichText::new(tf!("nav.outside-year", year = year))
                            .color(Color32::from_rgb(0xc6, 0x28, 0x28)),
                    );
                }
                if let Some(p) = &d.plan {
                    if d.plans.len() > 1 {
                        // Newest first; every screen and export follows the choice.
                        let mut plans: Vec<&crate::domain::PlanSummary> = d.plans.iter().collect();
                        plans.sort_by_key(|x| std::cmp::Reverse((x.year, x.id)));
                        let picked = egui::ComboBox::from_id_salt("plan-pick")
                            .selected_text(tf!(
                                "nav.plan-choice",
                                title = p.summary.title,
                                year = p.summary.year
                            ))
                            .width(320.0)
                            .show_ui(ui, |ui| {
                                for x in plans {
                                    if ui
                                        .selectable_label(
                                            x.id == p.summary.id,
                                            tf!("nav.plan-choice", title = x.title, year = x.year),
                                        )
                                        .clicked()
                                    {
                                        app.tx.send(Command::SelectPlan(x.id));
                                    }
                                }
                            });
                        let label = ui.label(RichText::new(t("nav.plan")).weak());
                        picked.response.labelled_by(label.id);
                    } else {
                        ui.label(RichText::new(&p.summary.title).weak());
                    }
                }
            }
        });
    });
}

fn status_line(app: &mut App, ui: &mut Ui) {
    ui.horizontal(|ui| {
        if let Some((what, f)) = &app.state.progress {
            ui.add(
                egui::ProgressBar::new(*f)
                    .desired_width(160.0)
                    .show_percentage(),
            );
            ui.label(what);
            if ui.button(t("common.cancel")).clicked() {
                app.tx.send(Command::Cancel);
            }
        } else if app.busy() {
            ui.label(RichText::new(t("common.working")).weak());
        }
        if let Some((ok, msg)) = &app.state.message {
            let color = if *ok {
                ui.visuals().text_color()
            } else {
                Color32::from_rgb(0xc6, 0x28, 0x28)
            };
            ui.label(RichText::new(msg).color(color));
            if ui
                .small_button("×")
                .on_hover_text(t("common.dismiss"))
                .clicked()
            {
                app.tx.send(Command::DismissMessage);
            }
        }
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            ui.label(RichText::new(app.db.display().to_string()).weak().small());
        });
    });
}

/// Files dropped on the window: plan documents go to the plan review,
/// spreadsheets to the import preview.
fn dropped_files(app: &mut App, ui: &mut Ui) {
    let dropped: Vec<std::path::PathBuf> = ui.ctx().input(|i| {
        i.raw
            .dropped_files
            .iter()
            .map(|f| f.path().to_path_buf())
            .filter(|p| !p.as_os_str().is_empty())
            .collect()
    });
    if dropped.is_empty() {
        return;
    }
    let (plans, returns): (Vec<_>, Vec<_>) = dropped
        .into_iter()
        .partition(|p| crate::ui::is_plan_document(p));
    if let Some(p) = plans.into_iter().next() {
        app.tx.run(jobs::extract_plan(p));
    }
    if !returns.is_empty() {
        app.tx.run(jobs::read_returns(returns, Default::default()));
    }
}

/// The loaded plan, or a note that there is none yet.
pub fn no_plan(ui: &mut Ui, app: &mut App) {
    ui.vertical_centered(|ui| {
        ui.add_space(40.0);
        ui.heading(t("no-plan.title"));
        ui.label(t("no-plan.body"));
        if ui.button(t("no-plan.start")).clicked() {
            app.tx.send(Command::Show(Screen::Welcome));
        }
    });
}

/// A period's lock and the button that changes it: wherever figures of a
/// period are shown, imported or undone.
pub fn period_lock(
    ui: &mut Ui,
    tx: &CommandSender,
    locked: &[crate::domain::Period],
    period: crate::domain::Period,
) {
    let p = widgets::period(period);
    if locked.contains(&period) {
        ui.label(
            RichText::new(tf!("lock.locked", period = p))
                .color(Color32::from_rgb(0x6a, 0x1b, 0x9a))
                .strong(),
        )
        .on_hover_text(t("lock.locked-hover"));
        if ui
            .small_button(t("lock.unlock"))
            .on_hover_text(tf!("lock.unlock-hover", period = p))
            .clicked()
        {
            tx.run(jobs::set_period_lock(period, false));
        }
    } else if ui
        .small_button(tf!("lock.lock", period = p))
        .on_hover_text(t("lock.lock-hover"))
        .clicked()
    {
        tx.run(jobs::set_period_lock(period, true));
    }
}

/// Before a batch is undone: what will change, and that it can be restored.
fn confirm_undo(app: &mut App, ui: &mut Ui) {
    let Some(id) = app.state.confirm_undo else {
        return;
    };
    let Some(b) = app
        .data
        .as_ref()
        .and_then(|d| d.batches.iter().find(|b| b.id == id))
    else {
        app.tx.send(Command::CancelUndo);
        return;
    };
    let locks = app
        .data
        .as_ref()
        .map(|d| d.locked.clone())
        .unwrap_or_default();
    let parsed: Option<crate::domain::Period> = b.period.as_deref().and_then(|p| p.parse().ok());
    let locked = parsed.is_some_and(|p| locks.contains(&p));
    let period = parsed
        .map(widgets::period)
        .unwrap_or_else(|| t("undo.unknown-period").into());
    let mut open = true;
    egui::Window::new(t("undo.title"))
        .open(&mut open)
        .collapsible(false)
        .resizable(false)
        .anchor(egui::Align2::CENTER_CENTER, [0.0, 0.0])
        .show(ui.ctx(), |ui| {
            ui.label(tf!("undo.batch", id = b.id, file = b.file_name));
            ui.label(
                RichText::new(tf!(
                    "undo.what",
                    unit = b.unit.as_deref().unwrap_or(t("undo.unknown-unit")),
                    period = period,
                    n = b.rows
                ))
                .strong(),
            );
            ui.label(t("undo.kept"));
            if let Some(p) = parsed.filter(|_| locked) {
                ui.horizontal(|ui| {
                    ui.label(
                        RichText::new(t("undo.locked")).color(Color32::from_rgb(0xc6, 0x28, 0x28)),
                    );
                    period_lock(ui, &app.tx, &locks, p);
                });
            }
            ui.horizontal(|ui| {
                if ui
                    .add_enabled(!locked, egui::Button::new(t("undo.confirm")))
                    .clicked()
                {
                    app.tx.run(jobs::undo_batch(id));
                    app.tx.send(Command::CancelUndo);
                }
                if ui.button(t("common.cancel")).clicked() {
                    app.tx.send(Command::CancelUndo);
                }
            });
        });
    if !open {
        app.tx.send(Command::CancelUndo);
    }
}

/// The bulletin in a window, with a button that copies it for the minutes.
fn bulletin(app: &mut App, ui: &mut Ui) {
    let Some(text) = app.state.bulletin.clone() else {
        return;
    };
    let mut open = true;
    egui::Window::new(t("bulletin.title"))
        .open(&mut open)
        .default_width(640.0)
        .show(ui.ctx(), |ui| {
            egui::ScrollArea::vertical()
                .max_height(420.0)
                .show(ui, |ui| {
                    let mut shown = text.as_str();
                    ui.add(egui::TextEdit::multiline(&mut shown).desired_width(f32::INFINITY));
                });
            ui.horizontal(|ui| {
                if ui.button(t("bulletin.copy")).clicked() {
                    app.tx.send(Command::CopyBulletin);
                }
                if ui.button(t("common.close")).clicked() {
                    app.tx.send(Command::CloseBulletin);
                }
            });
        });
    if !open {
        app.tx.send(Command::CloseBulletin);
    }
}

/// A notice (催报 or 退回) in a window: copy it, save it as a workbook to
/// print, and for a 退回 send the batch back.
fn notice(app: &mut App, ui: &mut Ui) {
    use crate::ui::jobs::NoticeKind;
    let Some(n) = app.state.notice.clone() else {
        return;
    };
    let title = match n.kind {
        NoticeKind::Remind => t("notice.remind-title"),
        NoticeKind::Return { .. } => t("notice.return-title"),
    };
    let mut open = true;
    egui::Window::new(title)
        .open(&mut open)
        .default_width(640.0)
        .show(ui.ctx(), |ui| {
            egui::ScrollArea::vertical()
                .max_height(420.0)
                .show(ui, |ui| {
                    let mut shown = n.text.as_str();
                    ui.add(egui::TextEdit::multiline(&mut shown).desired_width(f32::INFINITY));
                });
            ui.horizontal(|ui| {
                if ui.button(t("notice.copy")).clicked() {
                    app.tx.send(Command::CopyNotice);
                }
                if ui.button(t("notice.save")).clicked() {
                    let keep = n.clone();
                    app.tx
                        .send(Command::PickFile(crate::ui::files::FileRequest::save(
                            t("notice.save-title"),
                            &[(t("units.excel-filter"), &["xlsx"])],
                            format!("{title}.xlsx"),
                            move |path| Command::Run(jobs::save_notice(path, keep.clone())),
                        )));
                }
                if matches!(n.kind, NoticeKind::Return { .. })
                    && ui
                        .button(t("notice.confirm-return"))
                        .on_hover_text(t("notice.confirm-return-hover"))
                        .clicked()
                {
                    app.tx.send(Command::ConfirmReturn);
                }
                if ui.button(t("common.close")).clicked() {
                    app.tx.send(Command::CloseNotice);
                }
            });
        });
    if !open {
        app.tx.send(Command::CloseNotice);
    }
}
