//! Units: the ranking (晾晒) of the units that reported, with rank change;
//! the units that reported nothing, apart; each unit's indicators; who has
//! not reported the period due (催报), and the template for the period
//! being filled in.

use crate::ui::app::{App, Command};
use crate::ui::jobs;
use crate::ui::widgets;
use egui::{Color32, RichText, Ui};
use egui_extras::{Column, TableBuilder};

/// The rank change with its colour: up green, down red.
pub fn rank_change(rank: usize, previous: Option<usize>) -> (String, Color32) {
    let text = crate::export::ranking::change(rank, previous, crate::ui::i18n::language());
    let color = match previous {
        Some(p) if p > rank => Color32::from_rgb(0x2e, 0x7d, 0x32),
        Some(p) if p < rank => Color32::from_rgb(0xe5, 0x39, 0x35),
        _ => Color32::GRAY,
    };
    (text, color)
}

pub fn show(app: &mut App, ui: &mut Ui) {
    ui.horizontal(|ui| {
        if ui
            .selectable_label(!app.state.catalogue, "排名与报送")
            .clicked()
        {
            app.state.catalogue = false;
        }
        if ui
            .selectable_label(app.state.catalogue, "单位名录")
            .clicked()
        {
            app.state.catalogue = true;
        }
    });
    ui.separator();
    if app.state.catalogue {
        return super::catalogue::show(app, ui);
    }
    let Some(data) = app.data.as_ref() else {
        return;
    };
    let Some(plan) = data.plan.as_ref() else {
        super::no_plan(ui, app);
        return;
    };
    let ranking = &plan.ranking;
    let mut pick = None;
    let mut template = None;
    ui.columns(2, |cols| {
        let ui = &mut cols[0];
        ui.heading("单位排名（晾晒）");
        ui.label(
            RichText::new(format!(
                "截至 {}。已报送的单位按其各项指标平均完成率排名；箭头为较上月名次变化。",
                data.as_of
            ))
            .weak(),
        );
        TableBuilder::new(ui)
            .id_salt("ranking")
            .striped(true)
            .column(Column::exact(40.0))
            .column(Column::exact(50.0))
            .column(Column::remainder().at_least(140.0))
            .column(Column::exact(90.0))
            .column(Column::exact(70.0))
            .max_scroll_height(360.0)
            .header(22.0, |mut h| {
                for t in ["名次", "变化", "单位", "平均完成率", "已报指标"] {
                    h.col(|ui| {
                        ui.strong(t);
                    });
                }
            })
            .body(|body| {
                body.rows(22.0, ranking.ranked.len(), |mut row| {
                    let r = &ranking.ranked[row.index()];
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
        if !ranking.not_reported.is_empty() {
            ui.add_space(8.0);
            ui.label(
                RichText::new(format!(
                    "尚无任何报送、不参与排名（{}个）：{}",
                    ranking.not_reported.len(),
                    ranking.not_reported.join("、")
                ))
                .color(Color32::from_rgb(0xe5, 0x39, 0x35)),
            );
        }
        let ui = &mut cols[1];
        let period = crate::domain::reporting::period_open(
            data.settings.cycle,
            plan.status.period_due,
            data.as_of,
        );
        if let Some(r) = ranking
            .ranked
            .iter()
            .find(|r| app.state.selected_unit.as_deref() == Some(r.unit.as_str()))
        {
            ui.horizontal(|ui| {
                ui.heading(format!("{} 的指标", r.unit));
                if ui
                    .button(format!("导出{}填报模板…", widgets::period(period)))
                    .clicked()
                {
                    template = Some((r.unit.clone(), period));
                }
            });
            egui::ScrollArea::vertical()
                .id_salt("unit-lines")
                .max_height(300.0)
                .show(ui, |ui| {
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
                });
            ui.separator();
        }
        match plan.status.period_due {
            Some(p) => {
                ui.heading(format!("{} 未报送单位", widgets::period(p)));
                ui.label(
                    RichText::new(format!(
                        "截至 {}，{}的进展情况已到报送期限（{}）。",
                        data.as_of,
                        widgets::period(p),
                        crate::domain::reporting::due_date(p, data.settings.due_day)
                    ))
                    .weak(),
                );
                if plan.status.not_reported.is_empty() {
                    ui.label("应报单位均已报送。");
                } else {
                    ui.label(
                        RichText::new(format!("{} 个：", plan.status.not_reported.len())).strong(),
                    );
                    for u in &plan.status.not_reported {
                        ui.label(
                            RichText::new(format!("● {u}"))
                                .color(Color32::from_rgb(0xe5, 0x39, 0x35)),
                        );
                    }
                }
            }
            None => {
                ui.heading("未报送单位");
                ui.label(format!(
                    "截至 {}，本年度还没有到期应报送的期别。",
                    data.as_of
                ));
            }
        }
    });
    if let Some((unit, period)) = template {
        let name = format!(
            "{}_{}年{}月_填报模板.xlsx",
            unit,
            period.year(),
            period.month()
        );
        app.tx
            .send(Command::PickFile(crate::ui::files::FileRequest::save(
                "导出填报模板",
                &[("Excel 工作簿", &["xlsx"])],
                name,
                move |path| Command::Run(jobs::export_template(path, unit, period)),
            )));
    }
    if let Some(u) = pick {
        app.tx.send(Command::SelectUnit(u));
    }
}
