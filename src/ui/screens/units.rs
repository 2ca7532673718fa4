//! Units: the ranking (晾晒) with rank change, each unit's indicators, and
//! who has not reported for the latest period.

use crate::ui::app::App;
use crate::ui::widgets;
use egui::{Color32, RichText, Ui};
use egui_extras::{Column, TableBuilder};

/// The rank change with its colour: up green, down red.
pub fn rank_change(rank: usize, previous: Option<usize>) -> (String, Color32) {
    let text = crate::export::ranking::change(rank, previous);
    let color = match previous {
        Some(p) if p > rank => Color32::from_rgb(0x2e, 0x7d, 0x32),
        Some(p) if p < rank => Color32::from_rgb(0xe5, 0x39, 0x35),
        _ => Color32::GRAY,
    };
    (text, color)
}

pub fn show(app: &mut App, ui: &mut Ui) {
    let Some(plan) = app.data.as_ref().and_then(|d| d.plan.as_ref()) else {
        super::no_plan(ui, app);
        return;
    };
    let mut pick = None;
    let mut template = None;
    ui.columns(2, |cols| {
        let ui = &mut cols[0];
        ui.heading("单位排名（晾晒）");
        ui.label(RichText::new("按各单位指标平均完成率排名；箭头为较上月名次变化。").weak());
        TableBuilder::new(ui)
            .id_salt("ranking")
            .striped(true)
            .column(Column::exact(40.0))
            .column(Column::exact(50.0))
            .column(Column::remainder().at_least(140.0))
            .column(Column::exact(90.0))
            .column(Column::exact(70.0))
            .header(22.0, |mut h| {
                for t in ["名次", "变化", "单位", "平均完成率", "已报指标"] {
                    h.col(|ui| {
                        ui.strong(t);
                    });
                }
            })
            .body(|body| {
                body.rows(22.0, plan.ranking.len(), |mut row| {
                    let r = &plan.ranking[row.index()];
                    row.col(|ui| {
                        ui.label(r.rank.to_string());
                    });
                    row.col(|ui| {
                        let (t, c) = rank_change(r.rank, r.previous_rank);
                        ui.label(RichText::new(t).color(c));
                    });
                    row.col(|ui| {
                        let chosen = app.state.selected_unit.as_deref() == Some(r.unit.as_str());
                        if ui.selectable_label(chosen, &r.unit).clicked() {
                            pick = Some(r.unit.clone());
                        }
                    });
                    row.col(|ui| {
                        ui.label(widgets::percent(r.score));
                    });
                    row.col(|ui| {
                        ui.label(r.reported.to_string());
                    });
                });
            });
        let ui = &mut cols[1];
        if let Some(r) = plan
            .ranking
            .iter()
            .find(|r| app.state.selected_unit.as_deref() == Some(r.unit.as_str()))
        {
            ui.horizontal(|ui| {
                ui.heading(format!("{} 的指标", r.unit));
                let period = plan
                    .latest_period
                    .map(|p| {
                        let next = p.last_day().add_days(1).period();
                        if next.year() == p.year() { next } else { p }
                    })
                    .unwrap_or_else(|| {
                        app.data
                            .as_ref()
                            .map_or(plan.status.as_of, |d| d.as_of)
                            .period()
                    });
                if ui
                    .button(format!("导出{}月填报模板…", period.month()))
                    .clicked()
                    && let Some(path) = rfd::FileDialog::new()
                        .add_filter("Excel 工作簿", &["xlsx"])
                        .set_file_name(format!(
                            "{}_{}年{}月_填报模板.xlsx",
                            r.unit,
                            period.year(),
                            period.month()
                        ))
                        .save_file()
                {
                    template = Some((path, r.unit.clone(), period));
                }
            });
            egui::Grid::new("unit-lines").striped(true).show(ui, |ui| {
                for h in ["指标", "实际", "单位目标", "完成率", "状态"] {
                    ui.strong(h);
                }
                ui.end_row();
                for (name, actual, target, completion, status) in &r.lines {
                    ui.label(name);
                    ui.label(widgets::with_unit(*actual, None));
                    ui.label(widgets::with_unit(*target, None));
                    ui.label(widgets::percent(*completion));
                    match status {
                        Some(st) => ui.label(
                            RichText::new(widgets::status_name(*st))
                                .color(widgets::status_color(*st)),
                        ),
                        None => ui.label("—"),
                    };
                    ui.end_row();
                }
            });
            ui.separator();
        }
        match plan.latest_period {
            Some(p) => {
                ui.heading(format!("{} 未报送单位", widgets::period(p)));
                if plan.missing.is_empty() {
                    ui.label("各区县均已报送。");
                } else {
                    ui.label(RichText::new(format!("{} 个：", plan.missing.len())).strong());
                    for u in &plan.missing {
                        ui.label(
                            RichText::new(format!("● {u}"))
                                .color(Color32::from_rgb(0xe5, 0x39, 0x35)),
                        );
                    }
                }
            }
            None => {
                ui.heading("未报送单位");
                ui.label("还没有任何单位报送。");
            }
        }
    });
    if let Some((path, unit, period)) = template {
        app.commands
            .push(crate::ui::app::Command::ExportTemplate { path, unit, period });
    }
    if let Some(u) = pick {
        app.commands.push(crate::ui::app::Command::SelectUnit(u));
    }
}
