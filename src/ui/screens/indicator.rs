//! One indicator at the as-of date: its figure and status as the rules
//! give them, where the city's figure comes from and who has not reported,
//! the chart of the city's line (or, per district, the share of units
//! meeting their targets) against the target, 序时 and the forecast, each
//! unit's bar against its own target, and the period-by-period 进展情况 /
//! 存在问题 / 下步打算. Chart and status come from one
//! [`ChartData`](crate::export::chart::ChartData), the same the chart file
//! is drawn from.

use crate::domain::Period;
use crate::export::chart::{ChartData, Scale, colour};
use crate::store::IndicatorStatus;
use crate::ui::app::{
    App, Command, CommandSender, FigureForm, IndicatorForm, IndicatorTab, TargetForm,
};
use crate::ui::data::Loaded;
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
        ui.label("该计划没有指标。");
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
            .button("保存图表…")
            .on_hover_text("保存为 PNG 或 SVG 图片，含标题、目标、截至日期与图例，可直接打印")
            .clicked()
        {
            let code = i.code.clone();
            tx.send(Command::PickFile(crate::ui::files::FileRequest::save(
                "保存图表",
                &[("PNG 图片", &["png"]), ("SVG 矢量图", &["svg"])],
                format!("{}_{}.png", i.label, as_of),
                move |path| Command::Run(jobs::save_chart(path, code, as_of)),
            )));
        }
    });
    ui.horizontal(|ui| {
        for (tab, name) in [
            (IndicatorTab::Progress, "逐期进展"),
            (IndicatorTab::Entry, "录入 / 更正数据"),
            (IndicatorTab::Targets, "任务分解"),
            (IndicatorTab::Edit, "修改指标"),
            (IndicatorTab::History, "修改记录"),
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
                ui.label(RichText::new("正在读取…").weak());
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
                slot => {
                    let fields = crate::store::IndicatorFields::of(ind);
                    slot.insert(IndicatorForm {
                        indicator: id,
                        target: plain(fields.target),
                        target_max: fields.target_max.map(plain).unwrap_or_default(),
                        baseline: fields.baseline.map(plain).unwrap_or_default(),
                        deadline: fields.deadline.to_string(),
                        fields,
                        revise: true,
                        reason: String::new(),
                    })
                }
            };
            egui::ScrollArea::vertical()
                .id_salt("edit")
                .show(ui, |ui| editor(ui, form, ind, &data.units, &tx));
        }
        IndicatorTab::History => history(ui, i, plan, reports.is_empty()),
    }
}

/// A number as typed back into a field: no separators, no needless zeros.
fn plain(v: f64) -> String {
    crate::export::number(v, crate::ui::i18n::language()).replace(',', "")
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
    use crate::domain::{Better, Comparator, Kind, Scope};
    if !ind.phrase.trim().is_empty() {
        ui.label(RichText::new(format!("计划原文：{}", ind.phrase.trim())).weak());
    }
    let f = &mut form.fields;
    let mut problems: Vec<String> = Vec::new();
    egui::Grid::new("indicator-editor")
        .num_columns(2)
        .spacing([12.0, 6.0])
        .show(ui, |ui| {
            let label = ui.label("名称");
            ui.add(
                egui::TextEdit::singleline(&mut f.name)
                    .desired_width(520.0)
                    .id_salt("edit-name"),
            )
            .labelled_by(label.id);
            ui.end_row();
            let label = ui.label("计量单位");
            let mut unit = f.unit.clone().unwrap_or_default();
            if ui
                .add(
                    egui::TextEdit::singleline(&mut unit)
                        .desired_width(120.0)
                        .id_salt("edit-unit"),
                )
                .labelled_by(label.id)
                .changed()
            {
                f.unit = Some(unit).filter(|u| !u.trim().is_empty());
            }
            ui.end_row();
            ui.label("目标");
            ui.horizontal(|ui| {
                egui::ComboBox::from_id_salt("edit-comparator")
                    .selected_text(widgets::comparator_name(f.comparator))
                    .show_ui(ui, |ui| {
                        for c in Comparator::ALL {
                            ui.selectable_value(
                                &mut f.comparator,
                                *c,
                                widgets::comparator_name(*c),
                            );
                        }
                    });
                let label = ui.label("目标值");
                ui.add(
                    egui::TextEdit::singleline(&mut form.target)
                        .desired_width(100.0)
                        .id_salt("edit-target"),
                )
                .labelled_by(label.id);
                let label = ui.label("上限（区间目标）");
                ui.add(
                    egui::TextEdit::singleline(&mut form.target_max)
                        .desired_width(100.0)
                        .id_salt("edit-target-max"),
                )
                .labelled_by(label.id);
            });
            ui.end_row();
            let label = ui.label("基数（起点）");
            ui.add(
                egui::TextEdit::singleline(&mut form.baseline)
                    .desired_width(100.0)
                    .id_salt("edit-baseline"),
            )
            .labelled_by(label.id);
            ui.end_row();
            ui.label("方向");
            ui.horizontal(|ui| {
                for b in Better::ALL {
                    ui.selectable_value(&mut f.better, *b, widgets::better_name(*b));
                }
            });
            ui.end_row();
            ui.label("类型");
            ui.horizontal(|ui| {
                for k in Kind::ALL {
                    ui.selectable_value(&mut f.kind, *k, widgets::kind_name(*k));
                }
            });
            ui.end_row();
            ui.label("目标范围");
            ui.horizontal(|ui| {
                for s in Scope::ALL {
                    ui.selectable_value(&mut f.scope, *s, widgets::scope_name(*s));
                }
            });
            ui.end_row();
            let names: Vec<String> = catalogue.iter().map(|u| u.name.clone()).collect();
            let r = &mut f.reporting;
            widgets::reporting_rows(
                ui,
                "edit",
                &mut r.aggregation,
                &mut r.city_reporter,
                &mut r.units,
                &names,
                Some(&ind.reporting),
            );
            let label = ui.label("完成时限");
            ui.add(
                egui::TextEdit::singleline(&mut form.deadline)
                    .desired_width(110.0)
                    .hint_text("2023-12-31")
                    .id_salt("edit-deadline"),
            )
            .labelled_by(label.id);
            ui.end_row();
        });
    let number = |what: &str, s: &str, problems: &mut Vec<String>| -> Option<f64> {
        if s.trim().is_empty() {
            return None;
        }
        let v = parse_figure(s);
        if v.is_none() {
            problems.push(format!("{what}不是数字"));
        }
        v
    };
    let target = number("目标值", &form.target, &mut problems);
    if form.target.trim().is_empty() {
        problems.push("请填写目标值".into());
    }
    let target_max = number("上限", &form.target_max, &mut problems);
    let baseline = number("基数", &form.baseline, &mut problems);
    let deadline = form.deadline.trim().parse::<crate::domain::Date>();
    if deadline.is_err() {
        problems.push("完成时限应写作 2023-12-31".into());
    }
    if f.name.trim().is_empty() {
        problems.push("请填写名称".into());
    }
    let target_changed = target.is_some_and(|t| (t - ind.target).abs() > 1e-12);
    if target_changed {
        ui.horizontal(|ui| {
            ui.label(RichText::new("目标值有变动：").strong());
            ui.radio_value(
                &mut form.revise,
                true,
                "年内调整目标（保留原目标并注明理由）",
            );
            ui.radio_value(&mut form.revise, false, "更正识别或录入错误");
        });
        if form.revise {
            ui.horizontal(|ui| {
                let label = ui.label("调整理由");
                ui.add(
                    egui::TextEdit::singleline(&mut form.reason)
                        .desired_width(520.0)
                        .hint_text("如：经市政府常务会议研究调增")
                        .id_salt("edit-reason"),
                )
                .labelled_by(label.id);
            });
            if form.reason.trim().is_empty() {
                problems.push("请填写调整理由".into());
            }
        }
    }
    ui.horizontal(|ui| {
        if ui
            .add_enabled(
                problems.is_empty(),
                egui::Button::new(RichText::new("保存修改").strong()),
            )
            .clicked()
            && let (Some(t), Ok(d)) = (target, deadline)
        {
            let mut fields = form.fields.clone();
            fields.target = t;
            fields.target_max = target_max;
            fields.baseline = baseline;
            fields.deadline = d;
            let how = target_changed.then(|| {
                if form.revise {
                    crate::store::TargetEdit::Revise {
                        reason: form.reason.trim().to_string(),
                    }
                } else {
                    crate::store::TargetEdit::Correct
                }
            });
            tx.run(jobs::edit_indicator(ind.id, fields, how));
        }
        if !problems.is_empty() {
            ui.label(RichText::new(problems.join("；")).weak());
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
            format!(
                "每个单位的目标默认为计划目标 {}；为某个单位填写分解目标后，该单位按自己的目标考核。空格：按计划目标。",
                widgets::target(i.comparator, i.target, unit)
            )
        } else {
            format!(
                "全市目标 {}。各单位的分解目标用于各单位的状态、填报模板、排名和通报；空格：该单位不单独考核。",
                widgets::target(i.comparator, i.target, unit)
            )
        })
        .weak(),
    );
    if form.cells.is_empty() {
        ui.label("该指标没有报送单位。");
        return;
    }
    let mut bad = Vec::new();
    // Not striped: a text field on a striped row loses its outline.
    egui::Grid::new("targets-grid")
        .num_columns(3)
        .spacing([16.0, 4.0])
        .show(ui, |ui| {
            ui.strong("单位");
            ui.strong("分解目标");
            ui.strong("当前实际");
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
            format!(
                "合计 {}，与全市目标一致。",
                widgets::with_unit(Some(total), unit)
            )
        } else if gap < 0.0 {
            format!(
                "合计 {}，比全市目标少 {}。",
                widgets::with_unit(Some(total), unit),
                widgets::with_unit(Some(-gap), unit)
            )
        } else {
            format!(
                "合计 {}，比全市目标多 {}。",
                widgets::with_unit(Some(total), unit),
                widgets::with_unit(Some(gap), unit)
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
            RichText::new(format!("不是数字：{}", bad.join("、")))
                .color(widgets::status_color(crate::domain::Status::Behind)),
        );
    }
    ui.horizontal(|ui| {
        if sums
            && ui
                .button("平均分解")
                .on_hover_text("全市目标平均分给各单位（计数取整，余数分给靠前的单位）")
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
            .add_enabled(last.is_some(), egui::Button::new("按上年比例分解"))
            .on_hover_text(match last {
                Some((from, _)) => {
                    format!("按上年同名指标（{from}）各单位分解目标的比例分配今年的全市目标")
                }
                None => "上年计划中没有同名指标的分解目标".into(),
            })
            .on_disabled_hover_text("上年计划中没有同名指标的分解目标")
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
                egui::Button::new(RichText::new("保存分解目标").strong()),
            )
            .clicked()
        {
            tx.run(jobs::set_targets(changes));
        }
        ui.separator();
        if ui.button("导出任务分解表…").clicked() {
            tx.send(Command::PickFile(crate::ui::files::FileRequest::save(
                "导出任务分解表",
                &[("Excel 工作簿", &["xlsx"])],
                "任务分解表.xlsx".into(),
                |path| Command::Run(jobs::export_targets(path)),
            )));
        }
        if ui.button("导入任务分解表…").clicked() {
            tx.send(Command::PickFile(crate::ui::files::FileRequest::open(
                "导入任务分解表",
                ("表格", &["xlsx", "xls", "xlsm", "ods", "csv"]),
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
        ui.label("填报单位");
        egui::ComboBox::from_id_salt("entry-unit")
            .selected_text(if form.unit.is_empty() {
                "（请选择）"
            } else {
                form.unit.as_str()
            })
            .width(220.0)
            .show_ui(ui, |ui| {
                for u in &units {
                    ui.selectable_value(&mut form.unit, (*u).clone(), u.as_str());
                }
            });
        ui.label("期别");
        egui::ComboBox::from_id_salt("entry-period")
            .selected_text(form.period.map_or("（请选择）".into(), widgets::period))
            .show_ui(ui, |ui| {
                for m in &months {
                    ui.selectable_value(&mut form.period, Some(*m), widgets::period(*m));
                }
            });
    });
    let Some(period) = form.period else {
        ui.label(RichText::new("截至日期之前没有可填报的期别。").weak());
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
        None => format!("{}{}尚无数据。", form.unit, widgets::period(period)),
        Some(r) => format!(
            "当前：{}（{}）",
            widgets::with_unit(r.value, i.unit.as_deref()),
            match r.batch_id {
                Some(b) => format!(
                    "导入自 {}{}",
                    plan.batch_files.get(&b).map_or("", String::as_str),
                    r.row.map(|n| format!(" 第{n}行")).unwrap_or_default()
                ),
                None => format!("手工录入，{}", r.entered_by),
            }
        ),
    });
    let is_locked = locked.contains(&period);
    egui::Grid::new("entry-fields")
        .num_columns(2)
        .spacing([12.0, 6.0])
        .show(ui, |ui| {
            let label = ui.label("数值");
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
                ("进展情况", &mut form.progress, "entry-progress"),
                ("存在问题", &mut form.problems, "entry-problems"),
                ("下步打算", &mut form.next_steps, "entry-next"),
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
                "更正理由（必填）"
            } else {
                "更正理由"
            });
            ui.add(
                egui::TextEdit::singleline(&mut form.reason)
                    .desired_width(640.0)
                    .hint_text(if imported.is_some() {
                        "该数据来自导入的报表，更正须说明理由，如：区县来函更正"
                    } else {
                        "可选；填写后记为“更正”"
                    })
                    .id_salt("entry-reason"),
            )
            .labelled_by(label.id);
            ui.end_row();
        });
    let value = parse_figure(&form.value);
    let reason = form.reason.trim().to_string();
    let problem = if form.unit.is_empty() {
        Some("请选择填报单位。".to_string())
    } else if is_locked {
        Some(format!(
            "{}已锁定，解锁后才能录入。",
            widgets::period(period)
        ))
    } else if value.is_none() {
        Some("请填写数值（如 12、45.5 或 85%）。".into())
    } else if imported.is_some() && reason.is_empty() {
        Some("请填写更正理由。".into())
    } else {
        None
    };
    ui.horizontal(|ui| {
        let save = if current.is_some() {
            "保存更正"
        } else {
            "保存"
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

/// A figure as typed: digits with thousands separators, a decimal point, an
/// optional % (45.5% is 45.5, as the indicator's unit says).
fn parse_figure(text: &str) -> Option<f64> {
    let t: String = text
        .trim()
        .trim_end_matches(['%', '％'])
        .chars()
        .filter(|c| !matches!(c, ',' | '，' | ' '))
        .collect();
    t.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// Every change to the indicator's figures, newest first: what, whose
/// figure for which period, before → after, from which file and row or by
/// hand with its reason, who and when.
fn history(ui: &mut Ui, i: &IndicatorStatus, plan: &Loaded, loading: bool) {
    let Some(d) = plan.detail.as_ref().filter(|d| d.indicator_id == i.id) else {
        if loading {
            ui.label(RichText::new("正在读取…").weak());
        }
        return;
    };
    if d.history.is_empty() {
        ui.label(RichText::new("该指标的数据尚无任何变动。").weak());
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
                        "时间",
                        "操作",
                        "单位",
                        "期别",
                        "原值 → 新值",
                        "来源 / 理由",
                        "操作人",
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
                            format!(
                                "{}{}",
                                plan.batch_files.get(&b).map_or("", String::as_str),
                                l.row.map(|n| format!(" 第{n}行")).unwrap_or_default()
                            )
                        });
                        use crate::domain::AuditAction as A;
                        ui.label(match (l.action, file) {
                            (_, Some(f)) => f,
                            (A::Edit, None) => "手工录入".into(),
                            (A::Target, None) => "任务分解".into(),
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
                RichText::new("临期")
                    .color(Color32::from_rgb(0x1e, 0x88, 0xe5))
                    .strong(),
            );
        }
        if e.stale
            && let Some(p) = e.latest_period
        {
            ui.label(
                RichText::new(format!("数据截至{}，早于应报期", widgets::period(p)))
                    .color(widgets::status_color(crate::domain::Status::Lagging)),
            );
        }
    });
    ui.horizontal_wrapped(|ui| {
        let unit = i.unit.as_deref();
        let per_unit = i.scope == crate::domain::Scope::PerUnit;
        ui.label(format!(
            "{} {}",
            if per_unit {
                "每个单位目标"
            } else {
                "目标"
            },
            widgets::target(i.comparator, i.target, unit)
        ))
        .on_hover_text("状态按此目标计算");
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
        ui.label(RichText::new(format!("实际 {}", widgets::actual(i))).strong());
        ui.separator();
        ui.label(format!("完成 {}", widgets::percent(e.completion)));
        ui.separator();
        ui.label(format!("序时进度 {}", widgets::percent(e.expected)));
        if let Some(f) = &e.forecast {
            ui.separator();
            ui.label(format!(
                "预计到期 {}（完成 {}）",
                widgets::with_unit(Some(f.value), unit),
                widgets::percent(Some(f.completion))
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
        }
        ui.separator();
        ui.label(format!("完成时限 {}", i.deadline));
        if let Some(t) = &i.task {
            ui.separator();
            ui.label(RichText::new(format!("任务 {t}")).weak());
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
        .on_hover_text(format!("计入单位：{}", i.reporting_units.join("、")));
        if let Some(due) = e.period_due {
            ui.separator();
            let owed = &e.not_reported;
            let text = if owed.is_empty() {
                format!("{}应报单位均已报送", widgets::period(due))
            } else {
                format!("{}未报送 {} 个", widgets::period(due), owed.len())
            };
            let label = ui.label(RichText::new(text).weak());
            if !owed.is_empty() {
                label.on_hover_text(owed.join("、"));
            }
            if locked.contains(&due) {
                ui.label(
                    RichText::new(format!("{}已锁定", widgets::period(due)))
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
            item(ui, "各单位报送", (0xfb, 0x8c, 0x00), false);
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
                .unwrap_or("手工录入");
            format!(
                "{}　{}　{}{}\n{}{}",
                r.unit,
                widgets::period(r.period),
                scale.label(r.value.unwrap_or_default(), crate::ui::i18n::language()),
                i.unit
                    .as_deref()
                    .filter(|_| scale != Scale::Percent)
                    .unwrap_or(""),
                file,
                r.row.map(|n| format!(" 第{n}行")).unwrap_or_default()
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
                if *plot_name == "各单位报送" {
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
                    "各单位报送",
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
        ui.label(RichText::new("尚无单位报送。").weak());
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
                        None => "未报送".into(),
                    };
                    ui.label(if b.value.is_some() {
                        RichText::new(value)
                    } else {
                        RichText::new(value).weak()
                    });
                    let mut hover = format!(
                        "{}：{}",
                        b.unit,
                        b.value
                            .map_or("未报送".into(), |v| chart.bar_scale.label(v, chart.lang))
                    );
                    if let Some(t) = b.target {
                        hover.push_str(&format!("　目标 {}", chart.bar_scale.label(t, chart.lang)));
                    }
                    if b.stale {
                        hover.push_str("　（早于应报期）");
                    }
                    response.on_hover_text(hover);
                });
            }
            if chart.bars.iter().any(|b| b.stale) {
                ui.label(RichText::new("* 数据早于应报期").small().weak());
            }
        });
}

/// The period-by-period words of the returns, newest first.
fn progress_texts(ui: &mut Ui, i: &IndicatorStatus, reports: &[crate::domain::Report]) {
    ui.strong("逐期进展");
    egui::ScrollArea::vertical()
        .id_salt("progress-text")
        .show(ui, |ui| {
            let mut by_period: Vec<&crate::domain::Report> = reports.iter().collect();
            by_period.sort_by_key(|r| std::cmp::Reverse(r.period));
            if by_period.is_empty() {
                ui.label(RichText::new("尚无进展情况。").weak());
            }
            let mut last: Option<Period> = None;
            for r in by_period {
                if last != Some(r.period) {
                    ui.label(RichText::new(widgets::period(r.period)).strong());
                    last = Some(r.period);
                }
                ui.label(format!(
                    "{}：{}",
                    r.unit,
                    widgets::with_unit(r.value, i.unit.as_deref())
                ));
                for (k, t) in [
                    ("进展情况", &r.progress),
                    ("存在问题", &r.problems),
                    ("下步打算", &r.next_steps),
                ] {
                    if !t.trim().is_empty() {
                        ui.label(RichText::new(format!("　{k}：{t}")).small());
                    }
                }
            }
        });
}
