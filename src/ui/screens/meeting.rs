//! Meeting mode: full screen, large type, light theme; arrow keys page
//! through overview → lagging indicators → ranking; Esc leaves.

use crate::domain::Status;
use crate::tf;
use crate::ui::app::{App, Command, MeetingCommand};
use crate::ui::i18n::t;
use crate::ui::widgets;
use egui::{RichText, Ui};

/// How many pages there are.
pub const PAGES: usize = 3;

/// A page's title.
pub fn title(page: usize) -> &'static str {
    match page {
        0 => t("meeting.page-overview"),
        1 => t("meeting.page-lagging"),
        _ => t("meeting.page-ranking"),
    }
}

/// Names as a list in the window's language (甲、乙、丙; A, B, C).
fn list(names: &[String]) -> String {
    let mut names = names.iter();
    let first = names.next().cloned().unwrap_or_default();
    names.fold(first, |list, item| {
        tf!("meeting.list", list = list, item = item)
    })
}

pub fn show(app: &mut App, ui: &mut Ui) {
    let (left, right, esc) = ui.ctx().input(|i| {
        (
            i.key_pressed(egui::Key::ArrowLeft) || i.key_pressed(egui::Key::PageUp),
            i.key_pressed(egui::Key::ArrowRight)
                || i.key_pressed(egui::Key::PageDown)
                || i.key_pressed(egui::Key::Space),
            i.key_pressed(egui::Key::Escape),
        )
    });
    if esc {
        app.tx.send(Command::Meeting(MeetingCommand::Leave));
    }
    if left {
        app.tx.send(Command::Meeting(MeetingCommand::Page(-1)));
    }
    if right {
        app.tx.send(Command::Meeting(MeetingCommand::Page(1)));
    }
    let page = app.state.meeting_page.min(PAGES - 1);
    let Some(plan) = app.data.as_ref().and_then(|d| d.plan.as_ref()) else {
        ui.heading(t("meeting.no-plan"));
        return;
    };
    let as_of = app.data.as_ref().map(|d| d.as_of).expect("checked");
    ui.horizontal(|ui| {
        ui.label(RichText::new(title(page)).size(40.0).strong());
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            ui.label(
                RichText::new(tf!("meeting.pager", page = page + 1, pages = PAGES))
                    .size(20.0)
                    .weak(),
            );
        });
    });
    ui.label(
        RichText::new(tf!(
            "meeting.subtitle",
            title = plan.summary.title,
            date = as_of
        ))
        .size(22.0),
    );
    ui.add_space(16.0);
    let big = 26.0;
    match page {
        0 => {
            ui.horizontal_wrapped(|ui| {
                for st in Status::ALL.iter().copied() {
                    let n = plan.status.summary.get(st.as_str()).copied().unwrap_or(0);
                    ui.vertical(|ui| {
                        ui.label(
                            RichText::new(n.to_string())
                                .size(64.0)
                                .strong()
                                .color(widgets::status_color(st)),
                        );
                        ui.label(RichText::new(widgets::status_name(st)).size(big));
                    });
                    ui.add_space(36.0);
                }
            });
            ui.add_space(20.0);
            if let Some(p) = plan.status.period_due {
                let owed = &plan.status.not_reported;
                let text = if owed.is_empty() {
                    tf!("meeting.all-reported", period = widgets::period(p))
                } else {
                    tf!(
                        "meeting.not-reported",
                        period = widgets::period(p),
                        n = owed.len(),
                        units = list(owed)
                    )
                };
                ui.label(RichText::new(text).size(big - 4.0));
                ui.add_space(12.0);
            }
            let due: Vec<_> = plan
                .status
                .indicators
                .iter()
                .filter(|i| i.evaluation.due_soon)
                .collect();
            if !due.is_empty() {
                ui.label(
                    RichText::new(tf!("meeting.due-soon", n = due.len()))
                        .size(big)
                        .strong(),
                );
                for i in due.iter().take(8) {
                    ui.label(
                        RichText::new(tf!(
                            "meeting.due-item",
                            name = i.label,
                            deadline = i.deadline
                        ))
                        .size(big - 4.0),
                    );
                }
            }
        }
        1 => {
            let late: Vec<_> = plan
                .status
                .indicators
                .iter()
                .filter(|i| {
                    matches!(
                        i.evaluation.status,
                        Status::Lagging | Status::Behind | Status::Overdue
                    )
                })
                .collect();
            if late.is_empty() {
                ui.label(RichText::new(t("meeting.no-lagging")).size(big));
            }
            egui::ScrollArea::vertical().show(ui, |ui| {
                egui::Grid::new("meeting-late")
                    .striped(true)
                    .spacing([28.0, 12.0])
                    .show(ui, |ui| {
                        for h in [
                            t("meeting.col-indicator"),
                            t("meeting.col-target"),
                            t("meeting.col-actual"),
                            t("meeting.col-done"),
                            t("meeting.col-expected"),
                            t("meeting.col-status"),
                        ] {
                            ui.label(RichText::new(h).size(big).strong());
                        }
                        ui.end_row();
                        for i in late {
                            let e = &i.evaluation;
                            ui.label(RichText::new(&i.label).size(big));
                            ui.label(
                                RichText::new(widgets::with_unit(
                                    Some(i.target),
                                    i.unit.as_deref(),
                                ))
                                .size(big),
                            );
                            ui.label(RichText::new(widgets::actual(i)).size(big));
                            ui.label(RichText::new(widgets::percent(e.completion)).size(big));
                            ui.label(RichText::new(widgets::percent(e.expected)).size(big));
                            ui.label(
                                RichText::new(widgets::status_name(e.status))
                                    .size(big)
                                    .color(widgets::status_color(e.status)),
                            );
                            ui.end_row();
                        }
                    });
            });
        }
        _ => {
            egui::ScrollArea::vertical().show(ui, |ui| {
                egui::Grid::new("meeting-rank")
                    .striped(true)
                    .spacing([36.0, 12.0])
                    .show(ui, |ui| {
                        for h in [
                            t("meeting.col-rank"),
                            t("meeting.col-change"),
                            t("meeting.col-unit"),
                            t("meeting.col-average"),
                        ] {
                            ui.label(RichText::new(h).size(big).strong());
                        }
                        ui.end_row();
                        for r in &plan.ranking.ranked {
                            let (change, c) = super::units::rank_change(r.rank, r.previous_rank);
                            ui.label(RichText::new(r.rank.to_string()).size(big));
                            ui.label(RichText::new(change).size(big).color(c));
                            ui.label(RichText::new(&r.unit).size(big));
                            ui.label(RichText::new(widgets::percent(r.score)).size(big));
                            ui.end_row();
                        }
                    });
                if !plan.ranking.not_reported.is_empty() {
                    ui.add_space(16.0);
                    ui.label(
                        RichText::new(tf!(
                            "meeting.not-ranked",
                            units = list(&plan.ranking.not_reported)
                        ))
                        .size(big - 4.0)
                        .color(widgets::status_color(Status::Behind)),
                    );
                }
            });
        }
    }
}
