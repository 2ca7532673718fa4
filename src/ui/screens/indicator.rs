//! One indicator at the as-of date: its figure and status as the rules
//! give them, where the city's figure comes from and who has not reported,
//! the chart of the city's line (or, per district, the share of units
//! meeting their targets) against the target, 序时 and the forecast, each
//! unit's bar against its own target, and the period-by-period 进展情况 /
//! 存在问题 / 下步打算. Chart and status come from one
//! [`ChartData`](crate::export::chart::ChartData), the same the chart file
//! is drawn from.

use super::fields::{self, FieldsForm, parse_figure, plain};
use crate::domain::Period;
use crate::export::chart::{ChartData, Scale, colour};
use crate::store::IndicatorStatus;
use crate::tf;
use crate::ui::app::{
    App, Command, CommandSender, FigureForm, IndicatorForm, IndicatorTab, TargetForm,
};
use crate::ui::data::Loaded;
use crate::ui::i18n::t;
use crate::ui::jobs;
use crate::ui::widgets;
use egui::{Color32, RichText, Ui};
use egui_plot::{HLine, Line, LineStyle, Plot, PlotPoints, Points};

pub fn show(app: &mut App, ui: &mut Ui) {
    let Some(data) = app.data.as_ref() else {
        return;
    };
    let Some(plan) = data.plan.as_ref() else {
        super::no_plan(ui, app);
        return;
    };
    // With nothing chosen, the indicator with the most periods reported.
    let Some(first) = plan
        .status
        .indicators
        .iter()
        .rev()
        .max_by_key(|i| plan.series.get(&i.id).map_or(0, Vec::len))
    else {
        ui.label(t("indicator.no-indicators"));
        return;
    };
    let id = app
        .state
        .selected
        .filter(|id| plan.status.indicators.iter().any(|i| i.id == *id))
        .unwrap_or(first.id);
    let i = plan
        .status
        .indicators
        .iter()
        .find(|i| i.id == id)
        .expect("checked above");
    let as_of = data.as_of;
    let chart = ChartData::new(
        i,
        plan.series.get(&id).map(Vec::as_slice).unwrap_or(&[]),
        data.settings.year_start(plan.summary.year),
        as_of,
        crate::ui::i18n::language(),
    );
    let tx = app.tx.clone();
    header(ui, plan, i, &data.locked, &tx);
    // The figures with words and provenance are loaded when the indicator is
    // opened; until they arrive the chart shows the city's line only.
    let reports: &[crate::domain::Report] = match &plan.detail {
        Some(d) if d.indicator_id == id => &d.reports,
        _ => {
            if app.state.detail_pending != Some(id) {
                tx.send(Command::LoadDetail(id));
            }
            &[]
        }
    };
    legend(ui, &chart);
    // Below the charts, the words take little room; a form or the change
    // log more.
    let share = if app.state.indicator_tab == IndicatorTab::Progress {
        0.5
    } else {
        0.36
    };
    let height = (ui.available_height() * share).max(200.0);
    ui.columns(2, |cols| {
        city_chart(&mut cols[0], &chart, i, plan, reports, height);
        unit_bars(&mut cols[1], &chart, height);
    });
    ui.horizontal(|ui| {
        if ui
            .button(t("indicator.save-chart"))
            .on_hover_text(t("indicator.save-chart-hover"))
            .clicked()
        {
            let code = i.code.clone();
            tx.send(Command::PickFile(crate::ui::files::FileRequest::save(
                t("indicator.save-chart-title"),
                &[
                    (t("indicator.png-image"), &["png"]),
                    (t("indicator.svg-image"), &["svg"]),
                ],
                format!("{}_{}.png", i.label, as_of),
                move |path| Command::Run(jobs::save_chart(path, code, as_of)),
            )));
        }
    });
    ui.horizontal(|ui| {
        for (tab, name) in [
            (IndicatorTab::Progress, t("indicator.tab-progress")),
            (IndicatorTab::Entry, t("indicator.tab-entry")),
            (IndicatorTab::Targets, t("indicator.tab-targets")),
            (IndicatorTab::Edit, t("indicator.tab-edit")),
            (IndicatorTab::History, t("indicator.tab-history")),
            (IndicatorTab::Lineage, t("indicator.tab-lineage")),
        ] {
            if ui
                .selectable_label(app.state.indicator_tab == tab, name)
                .clicked()
            {
                app.state.indicator_tab = tab;
            }
        }
    });
    ui.separator();
    match app.state.indicator_tab {
        IndicatorTab::Progress => progress_texts(ui, i, reports),
        IndicatorTab::Entry => {
            let form = match &mut app.state.figure_form {
                Some(f) if f.indicator == id => f,
                slot => slot.insert(FigureForm {
                    indicator: id,
                    unit: i
                        .city_reporter
                        .clone()
                        .unwrap_or_else(|| i.reporting_units.first().cloned().unwrap_or_default()),
                    period: plan.status.period_due.or(Some(as_of.period())),
                    ..Default::default()
                }),
            };
            egui::ScrollArea::vertical()
                .id_salt("entry")
                .show(ui, |ui| {
                    figure_entry(ui, form, i, reports, plan, &data.locked, as_of, &tx)
                });
        }
        IndicatorTab::Targets => {
            let Some(d) = plan.detail.as_ref().filter(|d| d.indicator_id == id) else {
                ui.label(RichText::new(t("indicator.loading")).weak());
                return;
            };
            let form = match &mut app.state.target_form {
                Some(f) if f.indicator == id => f,
                slot => slot.insert(TargetForm {
                    indicator: id,
                    cells: i
                        .reporting_units
                        .iter()
                        .map(|u| {
                            let own = d.own_targets.iter().find(|(n, _)| n == u);
                            (
                                u.clone(),
                                own.map(|(_, t)| {
                                    crate::export::number(*t, crate::ui::i18n::language())
                                        .replace(',', "")
                                })
                                .unwrap_or_default(),
                            )
                        })
                        .collect(),
                }),
            };
            egui::ScrollArea::vertical()
                .id_salt("targets")
                .show(ui, |ui| targets(ui, form, i, d, &tx));
        }
        IndicatorTab::Edit => {
            let Some(ind) = plan.indicators.iter().find(|x| x.id == id) else {
                return;
            };
            let form = match &mut app.state.indicator_form {
                Some(f) if f.indicator == id => f,
                slot => slot.insert(IndicatorForm {
                    indicator: id,
                    base: crate::store::IndicatorFields::of(ind),
                    refused: false,
                    form: FieldsForm::of_saved(&crate::store::IndicatorFields::of(ind)),
                    revise: true,
                    reason: String::new(),
                }),
            };
            let reason = &mut app.state.retire_reason;
            let edit = |ui: &mut Ui, form: &mut IndicatorForm, reason: &mut String| {
                egui::ScrollArea::vertical().id_salt("edit").show(ui, |ui| {
                    editor(ui, form, ind, &data.units, &tx);
                    ui.separator();
                    placement(ui, ind, &plan.doc, reason, &tx);
                });
            };
            match plan.source_text.as_deref() {
                // The plan's text beside the editor, its phrase highlighted
                // (as in the review of a draft).
                Some(text) => {
                    ui.columns(2, |cols| {
                        edit(&mut cols[0], form, reason);
                        cols[1].strong(t("indicator.plan-text"));
                        egui::ScrollArea::vertical()
                            .id_salt(("indicator-source", ind.id))
                            .auto_shrink([false, false])
                            .show(&mut cols[1], |ui| {
                                super::plan::highlighted_text(
                                    ui,
                                    text,
                                    Some(&ind.phrase),
                                    "indicator-source",
                                );
                            });
                    });
                }
                None => edit(ui, form, reason),
            }
        }
        IndicatorTab::History => history(ui, i, plan, reports.is_empty()),
        IndicatorTab::Lineage => match &plan.detail {
            Some(d) if d.indicator_id == id => lineage(ui, i, d, as_of, &tx),
            _ => {
                ui.label(RichText::new(t("indicator.loading")).weak());
            }
        },
    }
}

/// Where the indicator stands in its plan: its task (moved to another),
/// and whether it counts at all (retired with a reason, figures kept).
fn placement(
    ui: &mut Ui,
    ind: &crate::domain::Indicator,
    doc: &crate::domain::PlanDoc,
    reason: &mut String,
    tx: &CommandSender,
) {
    let tasks = doc.tasks_with_paths();
    let name = |path: &str| {
        tasks
            .iter()
            .find(|(p, _)| p == path)
            .map(|(p, task)| tf!("indicator.task-choice", path = p, title = task.title))
            .unwrap_or_else(|| path.to_string())
    };
    ui.horizontal(|ui| {
        let label = ui.label(t("indicator.task"));
        let current = ind
            .task
            .as_deref()
            .map(name)
            .unwrap_or_else(|| t("indicator.no-task").into());
        let mut moved: Option<Option<String>> = None;
        let combo = egui::ComboBox::from_id_salt("indicator-task")
            .selected_text(current)
            .width(520.0)
            .truncate()
            .show_ui(ui, |ui| {
                if ui
                    .selectable_label(ind.task.is_none(), t("indicator.no-task"))
                    .clicked()
                    && ind.task.is_some()
                {
                    moved = Some(None);
                }
                for (p, _) in &tasks {
                    let here = ind.task.as_deref() == Some(p.as_str());
                    if ui.selectable_label(here, name(p)).clicked() && !here {
                        moved = Some(Some(p.clone()));
                    }
                }
            });
        combo
            .response
            .labelled_by(label.id)
            .on_hover_text(t("indicator.task-hover"));
        if let Some(to) = moved {
            tx.run(jobs::move_indicator(ind.id, to));
        }
    });
    ui.add_space(6.0);
    ui.horizontal(|ui| {
        let label = ui.label(t("indicator.retire-reason"));
        ui.add(
            egui::TextEdit::singleline(reason)
                .desired_width(360.0)
                .hint_text(t("indicator.retire-hint"))
                .id_salt("retire-reason"),
        )
        .labelled_by(label.id);
        if ui
            .add_enabled(
                !reason.trim().is_empty(),
                egui::Button::new(t("indicator.retire")),
            )
            .on_hover_text(t("indicator.retire-hover"))
            .clicked()
        {
            tx.run(jobs::set_retired(ind.id, true, reason.trim().to_string()));
            reason.clear();
        }
    });
}

/// Names in a list (units), joined as the language joins them.
fn list(names: &[String]) -> String {
    crate::ui::app::join_list(names, t("app.list"))
}

/// A figure's file and, when known, its row.
fn file_row(file: &str, row: Option<i64>) -> String {
    match row {
        Some(row) => tf!("indicator.file-row", file = file, row = row),
        None => file.to_string(),
    }
}

/// 修改指标: every field of the saved indicator, the phrase of the plan it
/// came from, and for a changed target whether it is a revision (调整目标,
/// with its reason: the plan's target stays beside it) or a correction.
fn editor(
    ui: &mut Ui,
    form: &mut IndicatorForm,
    ind: &crate::domain::Indicator,
    catalogue: &[crate::domain::Unit],
    tx: &CommandSender,
) {
    // Someone else saved this indicator while the form was open (a shared
    // ledger): saving now would be refused; start again from theirs.
    let latest = crate::store::IndicatorFields::of(ind);
    if form.base != latest {
        ui.horizontal_wrapped(|ui| {
            ui.label(
                RichText::new(t("indicator.changed-since"))
                    .color(Color32::from_rgb(0xc6, 0x28, 0x28)),
            );
            if ui.button(t("indicator.reload-latest")).clicked() {
                form.form = FieldsForm::of_saved(&latest);
                form.base = latest.clone();
                form.reason.clear();
                form.refused = false;
            }
        });
    }
    if !ind.phrase.trim().is_empty() {
        ui.label(RichText::new(tf!("indicator.phrase", phrase = ind.phrase.trim())).weak());
    }
    let names: Vec<String> = catalogue.iter().map(|u| u.name.clone()).collect();
    fields::editor(
        ui,
        "edit",
        &mut form.form,
        &names,
        Some(&ind.reporting),
        false,
    );
    let checked = form.form.check(true);
    let mut problems: Vec<String> = checked
        .problems
        .iter()
        .map(|p| p.words().to_string())
        .collect();
    let target_changed = checked
        .target
        .is_some_and(|t| (t - ind.target).abs() > 1e-12);
    if target_changed {
        ui.horizontal(|ui| {
            ui.label(RichText::new(t("indicator.target-changed")).strong());
            ui.radio_value(&mut form.revise, true, t("indicator.revise"));
            ui.radio_value(&mut form.revise, false, t("indicator.correct"));
        });
        if form.revise {
            ui.horizontal(|ui| {
                let label = ui.label(t("indicator.revise-reason"));
                ui.add(
                    egui::TextEdit::singleline(&mut form.reason)
                        .desired_width(520.0)
                        .hint_text(t("indicator.revise-reason-hint"))
                        .id_salt("edit-reason"),
                )
                .labelled_by(label.id);
            });
            if form.reason.trim().is_empty() {
                problems.push(t("indicator.need-revise-reason").into());
            }
        }
    }
    ui.horizontal(|ui| {
        if ui
            .add_enabled(
                problems.is_empty(),
                egui::Button::new(RichText::new(t("indicator.save-edit")).strong()),
            )
            .clicked()
            && let Ok(fields) = form.form.to_saved()
        {
            let how = target_changed.then(|| {
                if form.revise {
                    crate::store::TargetEdit::Revise {
                        reason: form.reason.trim().to_string(),
                    }
                } else {
                    crate::store::TargetEdit::Correct
                }
            });
            tx.run(jobs::edit_indicator(ind.id, form.base.clone(), fields, how));
        }
        if !problems.is_empty() {
            ui.label(RichText::new(fields::problems_line(&problems)).weak());
        }
    });
}

/// 任务分解: each reporting unit's target, typed in a grid, the sum against
/// the city's target (for an indicator whose city figure is the units'
/// sum), an even split, and the table to send out or read back.
fn targets(
    ui: &mut Ui,
    form: &mut TargetForm,
    i: &IndicatorStatus,
    d: &crate::ui::data::Detail,
    tx: &CommandSender,
) {
    let unit = i.unit.as_deref();
    let per_unit = i.scope == crate::domain::Scope::PerUnit;
    ui.label(
        RichText::new(if per_unit {
            tf!(
                "indicator.targets-per-unit",
                target = widgets::target(i.comparator, i.target, unit)
            )
        } else {
            tf!(
                "indicator.targets-city",
                target = widgets::target(i.comparator, i.target, unit)
            )
        })
        .weak(),
    );
    if form.cells.is_empty() {
        ui.label(t("indicator.no-reporting-units"));
        return;
    }
    let mut bad = Vec::new();
    // Not striped: a text field on a striped row loses its outline.
    egui::Grid::new("targets-grid")
        .num_columns(3)
        .spacing([16.0, 4.0])
        .show(ui, |ui| {
            ui.strong(t("indicator.col-unit"));
            ui.strong(t("indicator.col-unit-target"));
            ui.strong(t("indicator.col-actual"));
            ui.end_row();
            for (name, text) in form.cells.iter_mut() {
                let label = ui.label(name.as_str());
                ui.horizontal(|ui| {
                    ui.add(
                        egui::TextEdit::singleline(text)
                            .desired_width(100.0)
                            .hint_text(if per_unit {
                                crate::export::number(i.target, crate::ui::i18n::language())
                            } else {
                                String::new()
                            })
                            .id_salt(("target", name.as_str())),
                    )
                    .labelled_by(label.id);
                    ui.label(unit.unwrap_or(""));
                });
                if !text.trim().is_empty() && parse_figure(text).is_none() {
                    bad.push(name.clone());
                }
                let actual = i
                    .evaluation
                    .units
                    .iter()
                    .find(|u| &u.unit == name)
                    .and_then(|u| u.actual);
                ui.label(widgets::with_unit(actual, unit));
                ui.end_row();
            }
        });
    let values: Vec<Option<f64>> = form.cells.iter().map(|(_, t)| parse_figure(t)).collect();
    let sums = i.aggregation == crate::domain::Aggregation::Sum && !per_unit;
    if sums && values.iter().any(Option::is_some) {
        let total: f64 = values.iter().flatten().sum();
        let gap = total - i.target;
        let text = if gap.abs() < 1e-9 {
            tf!(
                "indicator.sum-equal",
                total = widgets::with_unit(Some(total), unit)
            )
        } else if gap < 0.0 {
            tf!(
                "indicator.sum-short",
                total = widgets::with_unit(Some(total), unit),
                gap = widgets::with_unit(Some(-gap), unit)
            )
        } else {
            tf!(
                "indicator.sum-over",
                total = widgets::with_unit(Some(total), unit),
                gap = widgets::with_unit(Some(gap), unit)
            )
        };
        ui.label(RichText::new(text).strong().color(if gap < -1e-9 {
            widgets::status_color(crate::domain::Status::Behind)
        } else {
            ui.visuals().text_color()
        }));
    }
    if !bad.is_empty() {
        ui.label(
            RichText::new(tf!("indicator.not-numbers", units = list(&bad)))
                .color(widgets::status_color(crate::domain::Status::Behind)),
        );
    }
    ui.horizontal(|ui| {
        if sums
            && ui
                .button(t("indicator.split-even"))
                .on_hover_text(t("indicator.split-even-hover"))
                .clicked()
        {
            let n = form.cells.len();
            let whole = i.kind != crate::domain::Kind::Level && i.target.fract() == 0.0;
            for (k, (_, text)) in form.cells.iter_mut().enumerate() {
                let share = if whole {
                    let base = (i.target / n as f64).floor();
                    let extra = (i.target - base * n as f64) as usize;
                    base + if k < extra { 1.0 } else { 0.0 }
                } else {
                    (i.target / n as f64 * 100.0).round() / 100.0
                };
                *text = crate::export::number(share, crate::ui::i18n::language()).replace(',', "");
            }
        }
        let last = d.last_year.as_ref().filter(|_| sums);
        let copied = ui
            .add_enabled(
                last.is_some(),
                egui::Button::new(t("indicator.split-last-year")),
            )
            .on_hover_text(match last {
                Some((from, _)) => tf!("indicator.split-last-year-hover", from = from),
                None => t("indicator.split-last-year-none").into(),
            })
            .on_disabled_hover_text(t("indicator.split-last-year-none"))
            .clicked();
        if copied && let Some((_, shares)) = last {
            let total: f64 = shares.iter().map(|(_, t)| t).sum();
            let whole = i.kind != crate::domain::Kind::Level && i.target.fract() == 0.0;
            for (name, text) in form.cells.iter_mut() {
                let share = shares
                    .iter()
                    .find(|(u, _)| u == name)
                    .map_or(0.0, |(_, t)| t / total.max(f64::MIN_POSITIVE));
                let v = i.target * share;
                let v = if whole {
                    v.round()
                } else {
                    (v * 100.0).round() / 100.0
                };
                *text = if share > 0.0 { plain(v) } else { String::new() };
            }
        }
        let changes: Vec<crate::store::TargetChange> = form
            .cells
            .iter()
            .zip(&values)
            .filter(|((name, _), v)| {
                let was = d
                    .own_targets
                    .iter()
                    .find(|(n, _)| n == name)
                    .map(|(_, t)| *t);
                was != **v
            })
            .map(|((name, _), v)| crate::store::TargetChange {
                indicator_id: i.id,
                unit: name.clone(),
                target: *v,
            })
            .collect();
        if ui
            .add_enabled(
                bad.is_empty() && !changes.is_empty(),
                egui::Button::new(RichText::new(t("indicator.save-targets")).strong()),
            )
            .clicked()
        {
            tx.run(jobs::set_targets(changes));
        }
        ui.separator();
        if ui.button(t("indicator.export-targets")).clicked() {
            tx.send(Command::PickFile(crate::ui::files::FileRequest::save(
                t("indicator.export-targets-title"),
                &[(t("indicator.excel-workbook"), &["xlsx"])],
                t("indicator.targets-file").into(),
                |path| Command::Run(jobs::export_targets(path)),
            )));
        }
        if ui.button(t("indicator.import-targets")).clicked() {
            tx.send(Command::PickFile(crate::ui::files::FileRequest::open(
                t("indicator.import-targets-title"),
                (
                    t("indicator.spreadsheets"),
                    &["xlsx", "xls", "xlsm", "ods", "csv"],
                ),
                |path| Command::Run(jobs::import_targets(path)),
            )));
        }
    });
}

/// A figure entered or corrected by hand: the unit and period, the current
/// figure and where it came from, the value and the three texts; correcting
/// an imported figure asks for the reason (the import stays as history).
#[allow(clippy::too_many_arguments)]
fn figure_entry(
    ui: &mut Ui,
    form: &mut FigureForm,
    i: &IndicatorStatus,
    reports: &[crate::domain::Report],
    plan: &Loaded,
    locked: &[Period],
    as_of: crate::domain::Date,
    tx: &CommandSender,
) {
    let mut units: Vec<&String> = i.city_reporter.iter().collect();
    units.extend(
        i.reporting_units
            .iter()
            .filter(|u| Some(*u) != i.city_reporter.as_ref()),
    );
    let months: Vec<Period> = (1..=12)
        .filter_map(|m| Period::new(plan.summary.year, m))
        .filter(|p| *p <= as_of.period())
        .collect();
    ui.horizontal(|ui| {
        ui.label(t("indicator.entry-unit"));
        egui::ComboBox::from_id_salt("entry-unit")
            .selected_text(if form.unit.is_empty() {
                t("indicator.choose")
            } else {
                form.unit.as_str()
            })
            .width(220.0)
            .show_ui(ui, |ui| {
                for u in &units {
                    ui.selectable_value(&mut form.unit, (*u).clone(), u.as_str());
                }
            });
        ui.label(t("indicator.period"));
        egui::ComboBox::from_id_salt("entry-period")
            .selected_text(
                form.period
                    .map_or(t("indicator.choose").into(), widgets::period),
            )
            .show_ui(ui, |ui| {
                for m in &months {
                    ui.selectable_value(&mut form.period, Some(*m), widgets::period(*m));
                }
            });
    });
    let Some(period) = form.period else {
        ui.label(RichText::new(t("indicator.no-periods")).weak());
        return;
    };
    let current = reports
        .iter()
        .find(|r| r.unit == form.unit && r.period == period);
    // A new unit or period: the fields start from its current figure.
    if form.filled_from.as_ref() != Some(&(form.unit.clone(), period)) {
        form.filled_from = Some((form.unit.clone(), period));
        form.value = current
            .and_then(|r| r.value)
            .map(|v| crate::export::number(v, crate::ui::i18n::language()))
            .unwrap_or_default()
            .replace(',', "");
        form.progress = current.map(|r| r.progress.clone()).unwrap_or_default();
        form.problems = current.map(|r| r.problems.clone()).unwrap_or_default();
        form.next_steps = current.map(|r| r.next_steps.clone()).unwrap_or_default();
        form.reason.clear();
    }
    let imported = current.and_then(|r| r.batch_id);
    ui.label(match current {
        None => tf!(
            "indicator.no-figure",
            unit = form.unit,
            period = widgets::period(period)
        ),
        Some(r) => tf!(
            "indicator.current",
            value = widgets::with_unit(r.value, i.unit.as_deref()),
            source = match r.batch_id {
                Some(b) => tf!(
                    "indicator.imported-from",
                    source = file_row(plan.batch_files.get(&b).map_or("", String::as_str), r.row)
                ),
                None => tf!("indicator.entered-by", who = r.entered_by),
            }
        ),
    });
    let is_locked = locked.contains(&period);
    egui::Grid::new("entry-fields")
        .num_columns(2)
        .spacing([12.0, 6.0])
        .show(ui, |ui| {
            let label = ui.label(t("indicator.value"));
            ui.horizontal(|ui| {
                ui.add(
                    egui::TextEdit::singleline(&mut form.value)
                        .desired_width(140.0)
                        .id_salt("entry-value"),
                )
                .labelled_by(label.id);
                ui.label(i.unit.as_deref().unwrap_or(""));
            });
            ui.end_row();
            for (name, text, salt) in [
                (
                    t("indicator.progress"),
                    &mut form.progress,
                    "entry-progress",
                ),
                (
                    t("indicator.problems"),
                    &mut form.problems,
                    "entry-problems",
                ),
                (
                    t("indicator.next-steps"),
                    &mut form.next_steps,
                    "entry-next",
                ),
            ] {
                let label = ui.label(name);
                ui.add(
                    egui::TextEdit::multiline(text)
                        .desired_rows(2)
                        .desired_width(640.0)
                        .id_salt(salt),
                )
                .labelled_by(label.id);
                ui.end_row();
            }
            let label = ui.label(if imported.is_some() {
                t("indicator.correct-reason-required")
            } else {
                t("indicator.correct-reason")
            });
            ui.add(
                egui::TextEdit::singleline(&mut form.reason)
                    .desired_width(640.0)
                    .hint_text(if imported.is_some() {
                        t("indicator.correct-reason-hint-imported")
                    } else {
                        t("indicator.correct-reason-hint")
                    })
                    .id_salt("entry-reason"),
            )
            .labelled_by(label.id);
            ui.end_row();
        });
    let value = parse_figure(&form.value);
    let reason = form.reason.trim().to_string();
    let problem = if form.unit.is_empty() {
        Some(t("indicator.need-unit").to_string())
    } else if is_locked {
        Some(tf!(
            "indicator.period-locked",
            period = widgets::period(period)
        ))
    } else if value.is_none() {
        Some(t("indicator.need-value").into())
    } else if imported.is_some() && reason.is_empty() {
        Some(t("indicator.need-correct-reason").into())
    } else {
        None
    };
    ui.horizontal(|ui| {
        let save = if current.is_some() {
            t("indicator.save-correction")
        } else {
            t("indicator.save")
        };
        if ui
            .add_enabled(
                problem.is_none(),
                egui::Button::new(RichText::new(save).strong()),
            )
            .clicked()
            && let Some(v) = value
        {
            let mut entry = crate::store::ReportEntry::new(&i.code, &form.unit, period, v);
            entry.plan_id = Some(plan.summary.id);
            entry.progress = Some(form.progress.trim().to_string());
            entry.problems = Some(form.problems.trim().to_string());
            entry.next_steps = Some(form.next_steps.trim().to_string());
            entry.reason = (!reason.is_empty()).then(|| reason.clone());
            tx.run(jobs::save_figure(entry));
            // The reason belongs to this correction, not to the next one.
            form.reason.clear();
        }
        if let Some(p) = &problem {
            ui.label(RichText::new(p).weak());
        }
        if is_locked {
            super::period_lock(ui, tx, locked, period);
        }
    });
}

/// Every change to the indicator's figures, newest first: what, whose
/// figure for which period, before → after, from which file and row or by
/// hand with its reason, who and when.
fn history(ui: &mut Ui, i: &IndicatorStatus, plan: &Loaded, loading: bool) {
    let Some(d) = plan.detail.as_ref().filter(|d| d.indicator_id == i.id) else {
        if loading {
            ui.label(RichText::new(t("indicator.loading")).weak());
        }
        return;
    };
    if d.history.is_empty() {
        ui.label(RichText::new(t("indicator.no-history")).weak());
        return;
    }
    let unit = i.unit.as_deref();
    egui::ScrollArea::vertical()
        .id_salt("history")
        .show(ui, |ui| {
            egui::Grid::new("history-grid")
                .striped(true)
                .num_columns(7)
                .show(ui, |ui| {
                    for h in [
                        t("indicator.col-time"),
                        t("indicator.col-action"),
                        t("indicator.col-unit"),
                        t("indicator.period"),
                        t("indicator.col-change"),
                        t("indicator.col-source"),
                        t("indicator.col-actor"),
                    ] {
                        ui.strong(h);
                    }
                    ui.end_row();
                    for l in &d.history {
                        ui.label(l.at.replace('T', " ").trim_end_matches('Z').to_string());
                        ui.label(widgets::audit_action(l.action));
                        ui.label(&l.unit);
                        ui.label(match l.period.as_deref().map(str::parse::<Period>) {
                            Some(Ok(p)) => widgets::period(p),
                            Some(Err(_)) => l.period.clone().unwrap_or_default(),
                            None => "—".into(),
                        });
                        ui.label(match &l.field {
                            Some(field) => widgets::field_change(
                                field,
                                l.before_text.as_deref().unwrap_or(""),
                                l.after_text.as_deref().unwrap_or(""),
                            ),
                            None => format!(
                                "{} → {}",
                                widgets::with_unit(l.before, unit),
                                widgets::with_unit(l.after, unit)
                            ),
                        });
                        let file = l.batch_id.map(|b| {
                            file_row(plan.batch_files.get(&b).map_or("", String::as_str), l.row)
                        });
                        use crate::domain::AuditAction as A;
                        ui.label(match (l.action, file) {
                            (_, Some(f)) => f,
                            (A::Edit, None) => t("indicator.by-hand").into(),
                            (A::Target, None) => t("indicator.by-targets").into(),
                            _ if !l.note.is_empty() => l.note.clone(),
                            _ => "—".into(),
                        });
                        ui.label(&l.actor);
                        ui.end_row();
                    }
                });
        });
}

/// The picker, status, figures, where the city's figure comes from and who
/// has not reported.
fn header(ui: &mut Ui, plan: &Loaded, i: &IndicatorStatus, locked: &[Period], tx: &CommandSender) {
    let e = &i.evaluation;
    ui.horizontal(|ui| {
        egui::ComboBox::from_id_salt("indicator-pick")
            .selected_text(format!("{}  {}", i.code, i.label))
            .width(480.0)
            .height(400.0)
            .show_ui(ui, |ui| {
                for other in &plan.status.indicators {
                    if ui
                        .selectable_label(
                            other.id == i.id,
                            format!("{}  {}", other.code, other.label),
                        )
                        .clicked()
                    {
                        tx.send(Command::OpenIndicator(other.id));
                    }
                }
            });
        ui.label(
            RichText::new(widgets::status_name(e.status))
                .color(widgets::status_color(e.status))
                .strong(),
        );
        if e.due_soon {
            ui.label(
                RichText::new(t("indicator.due-soon"))
                    .color(Color32::from_rgb(0x1e, 0x88, 0xe5))
                    .strong(),
            );
        }
        if e.stale
            && let Some(p) = e.latest_period
        {
            ui.label(
                RichText::new(tf!("indicator.stale", period = widgets::period(p)))
                    .color(widgets::status_color(crate::domain::Status::Lagging)),
            );
        }
    });
    ui.horizontal_wrapped(|ui| {
        let unit = i.unit.as_deref();
        let per_unit = i.scope == crate::domain::Scope::PerUnit;
        let target = widgets::target(i.comparator, i.target, unit);
        ui.label(if per_unit {
            tf!("indicator.target-per-unit-line", target = target)
        } else {
            tf!("indicator.target-line", target = target)
        })
        .on_hover_text(t("indicator.target-hover"));
        if i.revision.is_some() {
            ui.label(
                RichText::new(crate::export::revision_words(
                    i,
                    crate::ui::i18n::language(),
                ))
                .color(Color32::from_rgb(0x6a, 0x1b, 0x9a)),
            );
        }
        ui.separator();
        ui.label(RichText::new(tf!("indicator.actual", value = widgets::actual(i))).strong());
        ui.separator();
        ui.label(tf!(
            "indicator.completion",
            pct = widgets::percent(e.completion)
        ));
        ui.separator();
        ui.label(tf!(
            "indicator.expected",
            pct = widgets::percent(e.expected)
        ));
        if let Some(f) = &e.forecast {
            ui.separator();
            ui.label(tf!(
                "indicator.forecast",
                value = widgets::with_unit(Some(f.value), unit),
                pct = widgets::percent(Some(f.completion))
            ));
        }
        if let Some(p) = &e.pace_needed {
            ui.separator();
            ui.label(
                RichText::new(crate::export::pace(
                    p,
                    i.better,
                    i.kind,
                    unit,
                    crate::ui::i18n::language(),
                ))
                .color(widgets::status_color(crate::domain::Status::Behind)),
            );
            if let Some(r) = &e.pace_recent {
                ui.label(crate::export::recent(
                    r,
                    i.better,
                    i.kind,
                    unit,
                    crate::ui::i18n::language(),
                ));
            }
        }
        ui.separator();
        ui.label(tf!("indicator.deadline-line", date = i.deadline));
        if let Some(t) = &i.task {
            ui.separator();
            ui.label(RichText::new(tf!("indicator.task-line", task = t)).weak());
        }
    });
    ui.horizontal_wrapped(|ui| {
        ui.label(
            RichText::new(crate::export::reporting_words(
                i,
                crate::ui::i18n::language(),
            ))
            .weak(),
        )
        .on_hover_text(tf!(
            "indicator.counted-units",
            units = list(&i.reporting_units)
        ));
        if let Some(due) = e.period_due {
            ui.separator();
            let owed = &e.not_reported;
            let text = if owed.is_empty() {
                tf!("indicator.all-reported", period = widgets::period(due))
            } else {
                tf!(
                    "indicator.not-reported",
                    period = widgets::period(due),
                    n = owed.len()
                )
            };
            let label = ui.label(RichText::new(text).weak());
            if !owed.is_empty() {
                label.on_hover_text(list(owed));
            }
            if locked.contains(&due) {
                ui.label(
                    RichText::new(tf!("lock.locked", period = widgets::period(due)))
                        .color(Color32::from_rgb(0x6a, 0x1b, 0x9a)),
                );
            }
        }
    });
}

/// The chart's legend, above the chart and off its data.
fn legend(ui: &mut Ui, chart: &ChartData) {
    ui.horizontal(|ui| {
        let item = |ui: &mut Ui, name: &str, c: (u8, u8, u8), dashed: bool| {
            let (rect, _) = ui.allocate_exact_size(egui::vec2(28.0, 12.0), egui::Sense::hover());
            let y = rect.center().y;
            let stroke = egui::Stroke::new(if dashed { 2.0 } else { 3.0 }, widgets::rgb(c));
            if dashed {
                for k in 0..3 {
                    let x = rect.left() + k as f32 * 10.0;
                    ui.painter()
                        .line_segment([egui::pos2(x, y), egui::pos2(x + 6.0, y)], stroke);
                }
            } else {
                ui.painter().line_segment(
                    [egui::pos2(rect.left(), y), egui::pos2(rect.right(), y)],
                    stroke,
                );
            }
            ui.label(name);
            ui.add_space(10.0);
        };
        item(ui, chart.actual.name, colour::ACTUAL, false);
        item(ui, chart.target_name, colour::TARGET, true);
        if let Some(l) = &chart.expected {
            item(ui, l.name, colour::EXPECTED, true);
        }
        if let Some(l) = &chart.forecast {
            item(ui, l.name, colour::FORECAST, true);
        }
        if chart.scale != Scale::Percent {
            item(ui, t("indicator.unit-points"), (0xfb, 0x8c, 0x00), false);
        }
    });
}

/// Where a period's figure stands on the x axis (months from the year's start).
fn month_x(chart: &ChartData, p: Period) -> f64 {
    (chart.first_month.months_until(p) + 1) as f64
}

/// The city's line against the target, 序时 and the forecast; hovering a
/// unit's point shows its unit, file and row.
fn city_chart(
    ui: &mut Ui,
    chart: &ChartData,
    i: &IndicatorStatus,
    plan: &Loaded,
    reports: &[crate::domain::Report],
    height: f32,
) {
    let scale = chart.scale;
    let per_unit = i.scope == crate::domain::Scope::PerUnit;
    // Each unit's own figures, in the city's units (not per district: those
    // are drawn as bars against each unit's target).
    let unit_points: Vec<(&crate::domain::Report, [f64; 2])> = if per_unit {
        Vec::new()
    } else {
        reports
            .iter()
            .filter_map(|r| r.value.map(|v| (r, [month_x(chart, r.period), v])))
            .collect()
    };
    let labels: Vec<String> = unit_points
        .iter()
        .map(|(r, _)| {
            let file = r
                .batch_id
                .and_then(|b| plan.batch_files.get(&b))
                .map(String::as_str)
                .unwrap_or(t("indicator.by-hand"));
            let value = format!(
                "{}{}",
                scale.label(r.value.unwrap_or_default(), crate::ui::i18n::language()),
                i.unit
                    .as_deref()
                    .filter(|_| scale != Scale::Percent)
                    .unwrap_or("")
            );
            tf!(
                "indicator.point-hover",
                unit = r.unit,
                period = widgets::period(r.period),
                value = value,
                source = file_row(file, r.row)
            )
        })
        .collect();
    let (lo, hi) = chart.y_range();
    let months = chart.months;
    let month_labels: Vec<String> = (0..=months.ceil() as i32)
        .map(|k| chart.month_label(k as f64))
        .collect();
    let x_axis = egui_plot::AxisHints::new_x()
        // A month is ~50 points wide on a laptop: labels fit closer than
        // egui_plot's default spacing allows.
        .label_spacing(24.0..=40.0)
        .formatter(move |mark, _| {
            let k = mark.value.round();
            if (mark.value - k).abs() < 1e-6 && k >= 0.0 {
                month_labels.get(k as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        });
    let y_axis = egui_plot::AxisHints::new_y()
        .label_spacing(14.0..=24.0)
        .formatter(move |mark, _| scale.label(mark.value, crate::ui::i18n::language()));
    let plot = Plot::new(("indicator-plot", i.id))
        .height(height)
        .include_x(0.0)
        .include_x(months)
        .include_y(lo)
        .include_y(hi)
        .allow_scroll(false)
        .custom_x_axes(vec![x_axis])
        .custom_y_axes(vec![y_axis])
        .y_grid_spacer(|input| {
            let (a, b) = input.bounds;
            let ticks = ChartData::ticks(a, b, 6);
            let step = ticks.get(1).zip(ticks.first()).map_or(1.0, |(x, y)| x - y);
            ticks
                .into_iter()
                .map(|value| egui_plot::GridMark {
                    value,
                    step_size: step,
                })
                .collect()
        })
        .x_grid_spacer(move |input| {
            let (a, b) = input.bounds;
            (0..=(months.ceil() as i32))
                .map(f64::from)
                .filter(|v| *v >= a && *v <= b)
                .map(|value| egui_plot::GridMark {
                    value,
                    step_size: 1.0,
                })
                .collect()
        })
        .label_formatter(move |h| match h {
            egui_plot::HoverPosition::NearDataPoint {
                plot_name,
                index,
                position,
            } => {
                if *plot_name == t("indicator.unit-points") {
                    labels.get(*index).cloned()
                } else {
                    Some(format!(
                        "{plot_name}\n{}",
                        scale.label(position.y, crate::ui::i18n::language())
                    ))
                }
            }
            _ => None,
        });
    let target = chart.target;
    plot.show(ui, |p| {
        p.hline(
            HLine::new(chart.target_name, target)
                .color(widgets::rgb(colour::TARGET))
                .style(LineStyle::dashed_loose()),
        );
        if let Some(l) = &chart.expected {
            p.line(
                Line::new(l.name, PlotPoints::from(l.points.clone()))
                    .color(widgets::rgb(colour::EXPECTED))
                    .style(LineStyle::dashed_dense()),
            );
        }
        if let Some(l) = &chart.forecast {
            p.line(
                Line::new(l.name, PlotPoints::from(l.points.clone()))
                    .color(widgets::rgb(colour::FORECAST))
                    .style(LineStyle::dashed_dense()),
            );
        }
        if !chart.actual.points.is_empty() {
            p.line(
                Line::new(
                    chart.actual.name,
                    PlotPoints::from(chart.actual.points.clone()),
                )
                .width(2.5)
                .color(widgets::rgb(colour::ACTUAL)),
            );
            p.points(
                Points::new(
                    chart.actual.name,
                    PlotPoints::from(chart.actual.points.clone()),
                )
                .radius(3.5)
                .color(widgets::rgb(colour::ACTUAL)),
            );
        }
        if !unit_points.is_empty() {
            p.points(
                Points::new(
                    t("indicator.unit-points"),
                    PlotPoints::from(unit_points.iter().map(|(_, xy)| *xy).collect::<Vec<_>>()),
                )
                .radius(2.5)
                .color(Color32::from_rgb(0xfb, 0x8c, 0x00)),
            );
        }
    });
}

/// Each unit's bar against its target, every bar named (the same bars as
/// the chart file).
fn unit_bars(ui: &mut Ui, chart: &ChartData, height: f32) {
    ui.strong(&chart.bar_caption);
    if chart.bars.is_empty() {
        ui.label(RichText::new(t("indicator.no-bars")).weak());
        return;
    }
    let max = chart.bar_max() * 1.08;
    egui::ScrollArea::vertical()
        .id_salt("unit-bars")
        .max_height(height - 20.0)
        .show(ui, |ui| {
            for b in &chart.bars {
                ui.horizontal(|ui| {
                    // Every bar named: a label (read by screen readers), cut
                    // with … when longer than its column.
                    ui.add_sized(
                        [150.0, 20.0],
                        egui::Label::new(&b.unit)
                            .truncate()
                            .halign(egui::Align::LEFT),
                    );
                    let width = (ui.available_width() - 90.0).max(60.0);
                    let (rect, response) =
                        ui.allocate_exact_size(egui::vec2(width, 20.0), egui::Sense::hover());
                    let x = |v: f64| rect.left() + (v.max(0.0) / max) as f32 * rect.width();
                    let painter = ui.painter_at(rect.expand(6.0));
                    painter.rect_filled(rect, 2.0, ui.visuals().extreme_bg_color);
                    if let Some(v) = b.value {
                        painter.rect_filled(
                            egui::Rect::from_min_max(
                                egui::pos2(rect.left(), rect.top() + 3.0),
                                egui::pos2(x(v).max(rect.left() + 2.0), rect.bottom() - 3.0),
                            ),
                            2.0,
                            widgets::rgb(colour::tone(b.tone)),
                        );
                    }
                    if let Some(t) = b.target {
                        let c = egui::pos2(x(t), rect.center().y);
                        painter.add(egui::Shape::convex_polygon(
                            vec![
                                c + egui::vec2(0.0, -7.0),
                                c + egui::vec2(6.0, 0.0),
                                c + egui::vec2(0.0, 7.0),
                                c + egui::vec2(-6.0, 0.0),
                            ],
                            widgets::rgb(colour::TARGET),
                            egui::Stroke::NONE,
                        ));
                    }
                    let value = match b.value {
                        Some(v) => {
                            chart.bar_scale.label(v, chart.lang) + if b.stale { "*" } else { "" }
                        }
                        None => t("indicator.not-reported-short").into(),
                    };
                    ui.label(if b.value.is_some() {
                        RichText::new(value)
                    } else {
                        RichText::new(value).weak()
                    });
                    let shown = b
                        .value
                        .map_or(t("indicator.not-reported-short").into(), |v| {
                            chart.bar_scale.label(v, chart.lang)
                        });
                    let hover = match (
                        b.target.map(|x| chart.bar_scale.label(x, chart.lang)),
                        b.stale,
                    ) {
                        (None, false) => tf!("indicator.bar-hover", unit = b.unit, value = shown),
                        (None, true) => {
                            tf!("indicator.bar-hover-stale", unit = b.unit, value = shown)
                        }
                        (Some(target), false) => tf!(
                            "indicator.bar-hover-target",
                            unit = b.unit,
                            value = shown,
                            target = target
                        ),
                        (Some(target), true) => tf!(
                            "indicator.bar-hover-target-stale",
                            unit = b.unit,
                            value = shown,
                            target = target
                        ),
                    };
                    response.on_hover_text(hover);
                });
            }
            if chart.bars.iter().any(|b| b.stale) {
                ui.label(RichText::new(t("indicator.stale-note")).small().weak());
            }
        });
}

/// The period-by-period words of the returns, newest first.
fn progress_texts(ui: &mut Ui, i: &IndicatorStatus, reports: &[crate::domain::Report]) {
    ui.strong(t("indicator.tab-progress"));
    egui::ScrollArea::vertical()
        .id_salt("progress-text")
        .show(ui, |ui| {
            let mut by_period: Vec<&crate::domain::Report> = reports.iter().collect();
            by_period.sort_by_key(|r| std::cmp::Reverse(r.period));
            if by_period.is_empty() {
                ui.label(RichText::new(t("indicator.no-progress")).weak());
            }
            let mut last: Option<Period> = None;
            for r in by_period {
                if last != Some(r.period) {
                    ui.label(RichText::new(widgets::period(r.period)).strong());
                    last = Some(r.period);
                }
                ui.label(tf!(
                    "indicator.unit-value",
                    unit = r.unit,
                    value = widgets::with_unit(r.value, i.unit.as_deref())
                ));
                for (text, words) in [
                    (
                        &r.progress,
                        tf!("indicator.progress-text", text = r.progress),
                    ),
                    (
                        &r.problems,
                        tf!("indicator.problems-text", text = r.problems),
                    ),
                    (
                        &r.next_steps,
                        tf!("indicator.next-steps-text", text = r.next_steps),
                    ),
                ] {
                    if !text.trim().is_empty() {
                        ui.label(RichText::new(words).small());
                    }
                }
            }
        });
}

/// 历年对比: the same metric in each plan year — its target and its figure
/// at the year's end, on one scale from zero — the same period last year
/// (同比), and the link to last year's indicator, to confirm or change.
fn lineage(
    ui: &mut Ui,
    i: &IndicatorStatus,
    d: &crate::ui::data::Detail,
    d_as_of: crate::domain::Date,
    tx: &CommandSender,
) {
    let unit = i.unit.as_deref();
    let years = &d.lineage;
    if years.len() > 1 {
        // 50 → 150 → 累计不少于400
        let steps: Vec<String> = years
            .iter()
            .map(|y| {
                tf!(
                    "indicator.lineage-step",
                    year = y.year,
                    target = format!(
                        "{}{}",
                        crate::export::sign(y.comparator),
                        widgets::with_unit(Some(y.target), y.unit.as_deref())
                    )
                )
            })
            .collect();
        ui.label(RichText::new(steps.join(" → ")).strong());
        if d.demo {
            ui.label(
                RichText::new(t("indicator.lineage-demo"))
                    .color(widgets::status_color(crate::domain::Status::Lagging)),
            );
        }
        let max = years
            .iter()
            .flat_map(|y| [Some(y.target), y.actual])
            .flatten()
            .fold(0.0_f64, f64::max)
            .max(1e-9)
            * 1.08;
        for y in years {
            ui.horizontal(|ui| {
                ui.add_sized(
                    [70.0, 20.0],
                    egui::Label::new(tf!("indicator.lineage-year", year = y.year)),
                );
                let width = (ui.available_width() - 260.0).max(80.0);
                let (rect, _) =
                    ui.allocate_exact_size(egui::vec2(width, 20.0), egui::Sense::hover());
                // One scale from zero for every year.
                let x = |v: f64| rect.left() + (v.max(0.0) / max) as f32 * rect.width();
                let painter = ui.painter_at(rect.expand(6.0));
                painter.rect_filled(rect, 2.0, ui.visuals().extreme_bg_color);
                if let Some(v) = y.actual {
                    let met = match y.comparator {
                        crate::domain::Comparator::Le | crate::domain::Comparator::Lt => {
                            v <= y.target
                        }
                        _ => v >= y.target,
                    };
                    // A year not over is judged on its own screen, not here.
                    let over =
                        crate::domain::Date::new(y.year, 12, 31).is_some_and(|end| end <= d_as_of);
                    let tone = if over {
                        crate::export::chart::Tone::Met(met)
                    } else {
                        crate::export::chart::Tone::Part
                    };
                    painter.rect_filled(
                        egui::Rect::from_min_max(
                            egui::pos2(rect.left(), rect.top() + 3.0),
                            egui::pos2(x(v).max(rect.left() + 2.0), rect.bottom() - 3.0),
                        ),
                        2.0,
                        widgets::rgb(colour::tone(tone)),
                    );
                }
                let c = egui::pos2(x(y.target), rect.center().y);
                painter.add(egui::Shape::convex_polygon(
                    vec![
                        c + egui::vec2(0.0, -7.0),
                        c + egui::vec2(6.0, 0.0),
                        c + egui::vec2(0.0, 7.0),
                        c + egui::vec2(-6.0, 0.0),
                    ],
                    widgets::rgb(colour::TARGET),
                    egui::Stroke::NONE,
                ));
                ui.label(tf!(
                    "indicator.lineage-figures",
                    actual = widgets::with_unit(y.actual, y.unit.as_deref()),
                    target = widgets::with_unit(Some(y.target), y.unit.as_deref())
                ))
                .on_hover_text(tf!(
                    "indicator.lineage-hover",
                    code = y.code,
                    name = y.name
                ));
            });
        }
        ui.label(RichText::new(t("indicator.lineage-legend")).weak());
    } else {
        ui.label(RichText::new(t("indicator.lineage-none")).weak());
    }
    if let Some((p, v)) = d.same_period_last_year {
        ui.label(tf!(
            "indicator.same-period-last-year",
            period = widgets::period(p),
            value = widgets::with_unit(Some(v), unit),
            now = widgets::with_unit(i.evaluation.actual, unit)
        ));
    }
    // The link to last year's indicator: proposed, confirmed, or changed.
    let me = years.iter().find(|y| y.indicator_id == i.id);
    let prev = years
        .iter()
        .position(|y| y.indicator_id == i.id)
        .and_then(|k| k.checked_sub(1))
        .map(|k| &years[k]);
    ui.separator();
    ui.horizontal_wrapped(|ui| {
        match (prev, me.and_then(|m| m.link_confirmed)) {
            (Some(p), Some(false)) => {
                ui.label(tf!("indicator.link-proposed", year = p.year, name = p.name));
                if ui.button(t("indicator.link-confirm")).clicked() {
                    tx.run(jobs::link_indicator(i.id, Some(p.indicator_id)));
                }
            }
            (Some(p), _) => {
                ui.label(tf!(
                    "indicator.link-confirmed",
                    year = p.year,
                    name = p.name
                ));
            }
            (None, _) => {
                ui.label(t("indicator.link-none"));
            }
        }
        if !d.link_candidates.is_empty() {
            let id = i.id;
            egui::ComboBox::from_id_salt("link-to")
                .selected_text(t("indicator.link-change"))
                .width(260.0)
                .show_ui(ui, |ui| {
                    for (cid, code, name) in &d.link_candidates {
                        if ui
                            .selectable_label(
                                prev.is_some_and(|p| p.indicator_id == *cid),
                                format!("{code} {name}"),
                            )
                            .clicked()
                        {
                            tx.run(jobs::link_indicator(id, Some(*cid)));
                        }
                    }
                });
        }
        if prev.is_some() && ui.button(t("indicator.link-remove")).clicked() {
            tx.run(jobs::link_indicator(i.id, None));
        }
    });
}
