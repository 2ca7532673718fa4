//! Meeting mode: full screen, large type, light theme; arrow keys page
//! through since the last meeting → overview → lagging indicators →
//! ranking; Esc leaves. Entering it starts a meeting (its snapshot is
//! saved on the worker).

use crate::domain::Status;
use crate::tf;
use crate::ui::app::{App, Command, MeetingCommand};
use crate::ui::i18n::t;
use crate::ui::widgets;
use egui::{RichText, Ui};

/// How many pages there are.
pub const PAGES: usize = 4;

/// A page's title.
pub fn title(page: usize) -> &'static str {
    match page {
        0 => t("meeting.page-since"),
        1 => t("meeting.page-overview"),
        2 => t("meeting.page-lagging"),
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
    if app.state.meeting.is_none() && !app.state.meeting_pending {
        app.tx.send(Command::Meeting(MeetingCommand::Open));
    }
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
        0 => since_last(app, ui, big),
        1 => {
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
        2 => {
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

/// 自上次会议以来: what changed since the meeting before this one.
fn since_last(app: &App, ui: &mut Ui, big: f32) {
    use crate::domain::meeting::Way;
    let copy = app.data.as_ref().is_some_and(|d| d.copy.is_some());
    let Some(open) = &app.state.meeting else {
        let pending = if copy {
            t("meeting.since-comparing")
        } else {
            t("meeting.since-saving")
        };
        ui.label(RichText::new(pending).size(big).weak());
        return;
    };
    let Some((before, d)) = &open.since else {
        let first = if copy {
            t("meeting.since-first-copy")
        } else {
            t("meeting.since-first")
        };
        ui.label(RichText::new(first).size(big));
        return;
    };
    ui.label(
        RichText::new(tf!(
            "meeting.since-heading",
            date = before.as_of,
            started = before.started_at.get(..10).unwrap_or(&before.started_at)
        ))
        .size(big)
        .strong(),
    );
    ui.add_space(8.0);
    if d.is_empty() {
        ui.label(RichText::new(t("meeting.since-nothing")).size(big));
        return;
    }
    let section = |ui: &mut Ui, title: String| {
        ui.add_space(10.0);
        ui.label(RichText::new(title).size(big).strong());
    };
    egui::ScrollArea::vertical().show(ui, |ui| {
        if !d.colour_changes.is_empty() {
            section(ui, tf!("meeting.since-colours", n = d.colour_changes.len()));
            for c in &d.colour_changes {
                let (arrow, colour) = match c.way {
                    Way::Better => ("↑", widgets::status_color(Status::Done)),
                    Way::Worse => ("↓", widgets::status_color(Status::Behind)),
                    Way::Neither => ("→", ui.visuals().text_color()),
                };
                ui.horizontal(|ui| {
                    ui.label(RichText::new(arrow).size(big).strong().color(colour));
                    ui.label(RichText::new(&c.name).size(big - 2.0));
                    ui.label(
                        RichText::new(widgets::status_name(c.from))
                            .size(big - 2.0)
                            .color(widgets::status_color(c.from)),
                    );
                    ui.label(RichText::new("→").size(big - 2.0));
                    ui.label(
                        RichText::new(widgets::status_name(c.to))
                            .size(big - 2.0)
                            .strong()
                            .color(widgets::status_color(c.to)),
                    );
                });
            }
        }
        if !d.still_red.is_empty() {
            section(ui, tf!("meeting.since-still-red", n = d.still_red.len()));
            for r in &d.still_red {
                ui.label(
                    RichText::new(tf!("meeting.since-red-item", name = r.name, n = r.meetings))
                        .size(big - 2.0)
                        .color(widgets::status_color(r.status)),
                );
            }
        }
        if !d.rank_moves.is_empty() {
            section(ui, tf!("meeting.since-ranks", n = d.rank_moves.len()));
            for m in &d.rank_moves {
                let text = match m.from {
                    Some(from) => tf!(
                        "meeting.since-rank-item",
                        unit = m.unit,
                        from = from,
                        to = m.to
                    ),
                    None => tf!("meeting.since-rank-new", unit = m.unit, to = m.to),
                };
                let colour = match m.from {
                    Some(from) if m.to < from => widgets::status_color(Status::Done),
                    Some(from) if m.to > from => widgets::status_color(Status::Behind),
                    _ => ui.visuals().text_color(),
                };
                ui.label(RichText::new(text).size(big - 2.0).color(colour));
            }
        }
        if !d.new_figures.is_empty() {
            section(ui, tf!("meeting.since-figures", n = d.new_figures.len()));
            for f in &d.new_figures {
                let text = match f.from {
                    Some(from) => tf!(
                        "meeting.since-figure-item",
                        name = f.name,
                        from = widgets::number(from),
                        to = widgets::number(f.to)
                    ),
                    None => tf!(
                        "meeting.since-figure-new",
                        name = f.name,
                        to = widgets::number(f.to)
                    ),
                };
                ui.label(RichText::new(text).size(big - 4.0));
            }
        }
    });
}
