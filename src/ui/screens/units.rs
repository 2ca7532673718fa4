//! Units: the ranking (晾晒) of the units that reported, with rank change;
//! the units that reported nothing, apart; each unit's indicators; who has
//! not reported the period due (催报), and the template for the period
//! being filled in.

use crate::tf;
use crate::ui::app::{App, Command, join_list};
use crate::ui::i18n::t;
use crate::ui::jobs;
use crate::ui::widgets;
use egui::{Color32, RichText, Ui};
use egui_extras::{Column, TableBuilder};

/// The rank change with its colour: up green, down red; new in the
/// ranking: 新.
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
            .selectable_label(!app.state.catalogue, t("units.tab-ranking"))
            .clicked()
        {
            app.state.catalogue = false;
        }
        if ui
            .selectable_label(app.state.catalogue, t("units.tab-catalogue"))
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
        ui.heading(t("units.ranking-title"));
        ui.label(RichText::new(tf!("units.ranking-explained", date = data.as_of)).weak());
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
                for label in [
                    t("units.col-rank"),
                    t("units.col-change"),
                    t("units.col-unit"),
                    t("units.col-average"),
                    t("units.col-reported"),
                ] {
                    h.col(|ui| {
                        ui.strong(label);
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
                        let (text, c) = rank_change(r.rank, r.previous_rank);
                        ui.label(RichText::new(text).color(c));
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
                RichText::new(tf!(
                    "units.not-ranked",
                    n = ranking.not_reported.len(),
                    units = join_list(&ranking.not_reported, t("app.list"))
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
                ui.heading(tf!("units.unit-indicators", unit = r.unit));
                if ui
                    .button(tf!(
                        "units.export-template",
                        period = widgets::period(period)
                    ))
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
                        for label in [
                            t("units.col-indicator"),
                            t("units.col-actual"),
                            t("units.col-target"),
                            t("units.col-completion"),
                            t("units.col-status"),
                        ] {
                            ui.strong(label);
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
                ui.heading(tf!(
                    "units.not-reported-period",
                    period = widgets::period(p)
                ));
                ui.label(
                    RichText::new(tf!(
                        "units.period-due",
                        date = data.as_of,
                        period = widgets::period(p),
                        due = crate::domain::reporting::due_date(p, data.settings.due_day)
                    ))
                    .weak(),
                );
                if plan.status.not_reported.is_empty() {
                    ui.label(t("units.all-reported"));
                } else {
                    ui.label(
                        RichText::new(tf!(
                            "units.not-reported-count",
                            n = plan.status.not_reported.len()
                        ))
                        .strong(),
                    );
                    for u in &plan.status.not_reported {
                        ui.label(
                            RichText::new(format!("● {u}"))
                                .color(Color32::from_rgb(0xe5, 0x39, 0x35)),
                        );
                    }
                    if ui
                        .button(t("units.remind"))
                        .on_hover_text(t("units.remind-hover"))
                        .clicked()
                    {
                        app.tx.run(jobs::reminders(data.as_of));
                    }
                }
            }
            None => {
                ui.heading(t("units.not-reported"));
                ui.label(tf!("units.nothing-due", date = data.as_of));
            }
        }
    });
    if let Some((unit, period)) = template {
        let name = tf!(
            "units.template-file",
            unit = unit,
            year = period.year(),
            month = period.month()
        );
        app.tx
            .send(Command::PickFile(crate::ui::files::FileRequest::save(
                t("units.template-title"),
                &[(t("units.excel-filter"), &["xlsx"])],
                name,
                move |path| Command::Run(jobs::export_template(path, unit, period)),
            )));
    }
    if let Some(u) = pick {
        app.tx.send(Command::SelectUnit(u));
    }
}
