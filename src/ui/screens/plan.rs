//! The plan: the task tree with responsible units, deadlines and the latest
//! progress text of each task's indicators; and the review of an extracted
//! draft before it is saved (accept, edit, drop each indicator).

use crate::domain::{PlanSection, Role};
use crate::plan_text::Review;
use crate::ui::app::{App, Command};
use crate::ui::widgets;
use egui::{RichText, Ui};
use std::collections::HashMap;

pub fn show(app: &mut App, ui: &mut Ui) {
    if app.state.draft.is_some() {
        review(app, ui);
        return;
    }
    let Some(plan) = app.data.as_ref().and_then(|d| d.plan.as_ref()) else {
        super::no_plan(ui, app);
        return;
    };
    let doc = &plan.doc;
    ui.horizontal(|ui| {
        ui.heading(doc.display_title());
        ui.label(
            RichText::new(format!(
                "{} {}年",
                doc.issuer.as_deref().unwrap_or(""),
                doc.year
            ))
            .weak(),
        );
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui
                .button("导入另一份计划…")
                .on_hover_text("另一年度或另一项工作的计划，与本计划并存；导入后在顶部切换")
                .clicked()
            {
                app.tx
                    .send(Command::PickFile(crate::ui::files::FileRequest::open(
                        "导入计划文件",
                        ("计划文件", &["txt", "docx"]),
                        |path| Command::Run(crate::ui::jobs::extract_plan(path)),
                    )));
            }
        });
    });
    ui.separator();
    // The latest words reported for each task's indicators (loaded on the
    // first visit; the tree shows without them meanwhile).
    if plan.latest_progress.is_none() {
        app.tx.send(Command::LoadLatestProgress);
    }
    let mut latest: HashMap<&str, (crate::domain::Period, String, String)> = HashMap::new();
    for ind in &plan.indicators {
        let Some(task) = ind.task.as_deref() else {
            continue;
        };
        if let Some((period, unit, text)) =
            plan.latest_progress.as_ref().and_then(|l| l.get(&ind.id))
            && latest.get(task).is_none_or(|(p, ..)| period >= p)
        {
            latest.insert(task, (*period, unit.clone(), text.clone()));
        }
    }
    let mut open = None;
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            for section in &doc.sections {
                section_ui(ui, section, "", &latest, &mut open, plan);
            }
        });
    if let Some(id) = open {
        app.tx.send(Command::OpenIndicator(id));
    }
}

fn section_ui(
    ui: &mut Ui,
    s: &PlanSection,
    prefix: &str,
    latest: &HashMap<&str, (crate::domain::Period, String, String)>,
    open: &mut Option<i64>,
    plan: &crate::ui::data::Loaded,
) {
    let path = if prefix.is_empty() {
        s.number.clone()
    } else {
        format!("{prefix}/{}", s.number)
    };
    egui::CollapsingHeader::new(RichText::new(format!("{}、{}", s.number, s.title)).strong())
        .id_salt(&path)
        .default_open(true)
        .show(ui, |ui| {
            for sub in &s.subsections {
                section_ui(ui, sub, &path, latest, open, plan);
            }
            for t in &s.tasks {
                let task_path = format!("{path}/{}", t.number);
                ui.horizontal_wrapped(|ui| {
                    ui.label(RichText::new(format!("{}．", t.number)).strong());
                    ui.label(&t.title);
                });
                ui.indent(&task_path, |ui| {
                    ui.horizontal_wrapped(|ui| {
                        for (role, label) in [(Role::Lead, "责任单位"), (Role::Support, "配合单位")]
                        {
                            let names: Vec<&str> = t
                                .responsible_units
                                .iter()
                                .filter(|u| u.role == role)
                                .map(|u| u.name.as_str())
                                .collect();
                            if !names.is_empty() {
                                ui.label(
                                    RichText::new(format!("{label}：{}", names.join("、"))).weak(),
                                );
                            }
                        }
                        if let Some(d) = t.deadline {
                            ui.label(RichText::new(format!("完成时限：{d}")).weak());
                        }
                    });
                    for ind in plan
                        .indicators
                        .iter()
                        .filter(|i| i.task.as_deref() == Some(task_path.as_str()))
                    {
                        let st = plan.status.indicators.iter().find(|s| s.id == ind.id);
                        ui.horizontal(|ui| {
                            if let Some(st) = st {
                                ui.label(
                                    RichText::new("●")
                                        .color(widgets::status_color(st.evaluation.status)),
                                );
                            }
                            let label = st.map_or(ind.name.as_str(), |st| st.label.as_str());
                            if ui.link(label).clicked() {
                                *open = Some(ind.id);
                            }
                            ui.label(
                                RichText::new(widgets::target(
                                    ind.comparator,
                                    ind.target,
                                    ind.unit.as_deref(),
                                ))
                                .weak(),
                            );
                            if let Some(st) = st {
                                ui.label(RichText::new(widgets::actual(st)).weak());
                            }
                        });
                    }
                    if let Some((p, unit, text)) = latest.get(task_path.as_str()) {
                        ui.label(
                            RichText::new(format!(
                                "最新进展（{}，{unit}）：{text}",
                                widgets::period(*p)
                            ))
                            .italics(),
                        );
                    }
                });
                ui.add_space(4.0);
            }
        });
}

/// Reviewing an extracted draft.
fn review(app: &mut App, ui: &mut Ui) {
    let Some((draft, _)) = app.state.draft.as_mut() else {
        return;
    };
    ui.horizontal(|ui| {
        ui.heading(format!("审核识别结果：{}", draft.plan.display_title()));
    });
    ui.label(format!(
        "共识别 {} 项任务、{} 个指标。逐个确认、修改或删除指标后保存。",
        draft.plan.tasks_with_paths().len(),
        draft.plan.indicators.len()
    ));
    let mut save = false;
    let mut discard = false;
    ui.horizontal(|ui| {
        if ui.button(RichText::new("保存计划").strong()).clicked() {
            save = true;
        }
        if ui.button("全部确认").clicked() {
            for i in 0..draft.plan.indicators.len() {
                if draft.review[i] == Review::Proposed {
                    draft.accept(i);
                }
            }
        }
        if ui.button("放弃").clicked() {
            discard = true;
        }
    });
    ui.separator();
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            egui::Grid::new("draft-indicators")
                .striped(true)
                .num_columns(6)
                .show(ui, |ui| {
                    for h in ["任务", "指标名称", "目标", "单位", "原文", "审核"] {
                        ui.strong(h);
                    }
                    ui.end_row();
                    for i in 0..draft.plan.indicators.len() {
                        let state = draft.review[i];
                        let mut ind = draft.plan.indicators[i].clone();
                        let dropped = state == Review::Dropped;
                        ui.label(ind.task.clone().unwrap_or_default());
                        let mut changed = false;
                        changed |= ui
                            .add_enabled(
                                !dropped,
                                egui::TextEdit::singleline(&mut ind.name)
                                    .desired_width(260.0)
                                    .id_salt(("draft-name", i)),
                            )
                            .changed();
                        changed |= ui
                            .add_enabled(!dropped, egui::DragValue::new(&mut ind.target).speed(1.0))
                            .changed();
                        ui.label(ind.unit.clone().unwrap_or_default());
                        ui.label(RichText::new(&ind.phrase).weak().small());
                        ui.horizontal(|ui| {
                            let label = match state {
                                Review::Proposed => "待审核",
                                Review::Accepted => "已确认",
                                Review::Edited => "已修改",
                                Review::Dropped => "已删除",
                            };
                            ui.label(label);
                            if state != Review::Accepted
                                && !dropped
                                && ui.small_button("确认").clicked()
                            {
                                draft.accept(i);
                            }
                            if !dropped && ui.small_button("删除").clicked() {
                                draft.drop_indicator(i);
                            }
                            if dropped && ui.small_button("恢复").clicked() {
                                draft.accept(i);
                            }
                        });
                        if changed {
                            draft.edit(i, ind);
                        }
                        ui.end_row();
                    }
                });
        });
    if save {
        app.tx.send(Command::SaveDraft);
    }
    if discard {
        app.tx.send(Command::DiscardDraft);
    }
}
