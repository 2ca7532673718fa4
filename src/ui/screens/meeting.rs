//! Meeting mode: full screen, large type, light theme; arrow keys page
//! through overview → lagging indicators → ranking; Esc leaves.

use crate::domain::Status;
use crate::ui::app::{App, Command, MeetingCommand};
use crate::ui::widgets;
use egui::{RichText, Ui};

/// How many pages there are.
pub const PAGES: usize = 3;

/// The page titles.
pub const TITLES: [&str; PAGES] = ["总体进展", "滞后指标", "单位排名"];

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
        ui.heading("没有计划可展示。按 Esc 返回。");
        return;
    };
    let as_of = app.data.as_ref().map(|d| d.as_of).expect("checked");
    ui.horizontal(|ui| {
        ui.label(RichText::new(TITLES[page]).size(40.0).strong());
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            ui.label(
                RichText::new(format!("{}/{}　← → 翻页　Esc 退出", page + 1, PAGES))
                    .size(20.0)
                    .weak(),
            );
        });
    });
    ui.label(RichText::new(format!("{}　截至 {}", plan.summary.title, as_of)).size(22.0));
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
                    format!("{}进展情况：应报单位均已报送", widgets::period(p))
                } else {
                    format!(
                        "{}进展情况未报送 {} 个：{}",
                        widgets::period(p),
                        owed.len(),
                        owed.join("、")
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
                    RichText::new(format!("临期指标 {} 个：", due.len()))
                        .size(big)
                        .strong(),
                );
                for i in due.iter().take(8) {
                    ui.label(
                        RichText::new(format!("● {}（{}）", i.label, i.deadline)).size(big - 4.0),
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
                ui.label(RichText::new("没有滞后指标。").size(big));
            }
            egui::ScrollArea::vertical().show(ui, |ui| {
                egui::Grid::new("meeting-late")
                    .striped(true)
                    .spacing([28.0, 12.0])
                    .show(ui, |ui| {
                        for h in ["指标", "目标", "实际", "完成", "序时", "状态"] {
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
                        for h in ["名次", "变化", "单位", "平均完成率"] {
                            ui.label(RichText::new(h).size(big).strong());
                        }
                        ui.end_row();
                        for r in &plan.ranking.ranked {
                            let (t, c) = super::units::rank_change(r.rank, r.previous_rank);
                            ui.label(RichText::new(r.rank.to_string()).size(big));
                            ui.label(RichText::new(t).size(big).color(c));
                            ui.label(RichText::new(&r.unit).size(big));
                            ui.label(RichText::new(widgets::percent(r.score)).size(big));
                            ui.end_row();
                        }
                    });
                if !plan.ranking.not_reported.is_empty() {
                    ui.add_space(16.0);
                    ui.label(
                        RichText::new(format!(
                            "未报送、不参与排名：{}",
                            plan.ranking.not_reported.join("、")
                        ))
                        .size(big - 4.0)
                        .color(widgets::status_color(Status::Behind)),
                    );
                }
            });
        }
    }
}
