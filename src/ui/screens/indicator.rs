//! One indicator: the year-to-date figure against its target line, the
//! expected-progress (序时) line and the forecast, with dates on the x axis
//! and values in 万 where a Chinese reader expects them; hover shows each
//! reported point's unit, file and row. Below: each unit against its own
//! target, and the period-by-period 进展情况 / 存在问题 / 下步打算.

use crate::domain::{Date, Period};
use crate::ui::app::{App, Command};
use crate::ui::widgets;
use egui::{Color32, RichText, Ui};
use egui_plot::{Bar, BarChart, HLine, Legend, Line, LineStyle, Plot, PlotPoints, Points};

/// Days from the plan year's start (the x axis).
fn x(d: Date, start: Date) -> f64 {
    start.days_until(d) as f64
}

pub fn show(app: &mut App, ui: &mut Ui) {
    let Some(plan) = app.data.as_ref().and_then(|d| d.plan.as_ref()) else {
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
    let e = &i.evaluation;
    let settings = &app.data.as_ref().expect("checked").settings;
    let start = settings.year_start(plan.summary.year);
    let mut pick = None;
    ui.horizontal(|ui| {
        egui::ComboBox::from_id_salt("indicator-pick")
            .selected_text(format!("{}  {}", i.code, i.name))
            .width(480.0)
            .height(400.0)
            .show_ui(ui, |ui| {
                for other in &plan.status.indicators {
                    if ui
                        .selectable_label(other.id == id, format!("{}  {}", other.code, other.name))
                        .clicked()
                    {
                        pick = Some(other.id);
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
    });
    if let Some(p) = pick {
        app.commands.push(Command::OpenIndicator(p));
    }
    ui.horizontal_wrapped(|ui| {
        ui.label(format!(
            "目标 {}",
            widgets::target(i.comparator, i.target, i.unit.as_deref())
        ));
        ui.separator();
        ui.label(format!("实际 {}", widgets::actual(i)));
        ui.separator();
        ui.label(format!("完成 {}", widgets::percent(e.completion)));
        ui.separator();
        ui.label(format!("序时进度 {}", widgets::percent(e.expected)));
        if let Some(f) = &e.forecast {
            ui.separator();
            ui.label(format!(
                "预计年底 {}（完成 {}）",
                widgets::with_unit(Some(f.value), i.unit.as_deref()),
                widgets::percent(Some(f.completion))
            ));
        }
        ui.separator();
        ui.label(format!("完成时限 {}", i.deadline));
        if let Some(t) = &i.task {
            ui.separator();
            ui.label(RichText::new(format!("任务 {t}")).weak());
        }
    });
    let series = plan.series.get(&id).cloned().unwrap_or_default();
    // The figures with words and provenance are loaded when the indicator is
    // opened; until they arrive the chart shows the city line only.
    let reports = match &plan.detail {
        Some(d) if d.indicator_id == id => d.reports.clone(),
        _ => {
            app.commands.push(Command::LoadDetail(id));
            Vec::new()
        }
    };
    // Hover labels, in the order of the per-unit points (figures with a value).
    let labels: Vec<String> = reports
        .iter()
        .filter(|r| r.value.is_some())
        .map(|r| {
            let file = r
                .batch_id
                .and_then(|b| plan.batch_files.get(&b))
                .map(String::as_str)
                .unwrap_or("手工录入");
            format!(
                "{}　{}　{}\n{}{}",
                r.unit,
                widgets::period(r.period),
                widgets::with_unit(r.value, i.unit.as_deref()),
                file,
                r.row.map(|n| format!(" 第{n}行")).unwrap_or_default()
            )
        })
        .collect();
    let unit = i.unit.clone().unwrap_or_default();
    let deadline_x = x(i.deadline, start);
    let height = (ui.available_height() * 0.45).max(220.0);
    let labels_for_hover = labels;
    let chart = Plot::new(("indicator-plot", id))
        .height(height)
        // The plan year, from its start to the deadline, and zero.
        .include_x(0.0)
        .include_x(deadline_x)
        .include_y(0.0)
        .include_y(i.target)
        .legend(Legend::default())
        // A grid line on the first of each month, labelled 1月 … 12月.
        .x_grid_spacer(move |input| {
            let (lo, hi) = input.bounds;
            (-24..48)
                .filter_map(|k: i32| {
                    let (y, m) = (start.year() + k.div_euclid(12), k.rem_euclid(12) as u32 + 1);
                    Date::new(y, m, 1).map(|d| x(d, start))
                })
                .filter(|v| *v >= lo && *v <= hi)
                .map(|value| egui_plot::GridMark {
                    value,
                    step_size: 30.0,
                })
                .collect()
        })
        .x_axis_formatter(move |mark, _| {
            let d = start.add_days(mark.value.round() as i64);
            if d.day() == 1 {
                format!("{}月", d.month())
            } else {
                format!("{}月{}日", d.month(), d.day())
            }
        })
        .y_axis_formatter(|mark, _| widgets::number(mark.value))
        .label_formatter(move |h| match h {
            egui_plot::HoverPosition::NearDataPoint {
                plot_name,
                index,
                position,
            } => {
                if *plot_name == "各单位报送" {
                    labels_for_hover.get(*index).cloned()
                } else {
                    let d = start.add_days(position.x.round() as i64);
                    Some(format!(
                        "{plot_name}\n{d}　{}{unit}",
                        widgets::number(position.y)
                    ))
                }
            }
            _ => None,
        })
        .show(ui, |p| {
            p.hline(
                HLine::new("目标", i.target)
                    .color(Color32::from_rgb(0xe5, 0x39, 0x35))
                    .style(LineStyle::dashed_loose()),
            );
            if e.expected.is_some() {
                let base = i.baseline.unwrap_or(0.0);
                p.line(
                    Line::new(
                        "序时进度",
                        PlotPoints::from(vec![[0.0, base], [deadline_x, i.target]]),
                    )
                    .color(Color32::from_gray(140))
                    .style(LineStyle::dotted_dense()),
                );
            }
            if !series.is_empty() {
                let pts: Vec<[f64; 2]> = series
                    .iter()
                    .map(|(pd, v)| [x(pd.last_day(), start), *v])
                    .collect();
                if let (Some(f), Some(last)) = (&e.forecast, pts.last()) {
                    p.line(
                        Line::new("预测", PlotPoints::from(vec![*last, [deadline_x, f.value]]))
                            .color(Color32::from_rgb(0x1e, 0x88, 0xe5))
                            .style(LineStyle::dashed_dense()),
                    );
                }
                p.line(
                    Line::new("累计实际", PlotPoints::from(pts.clone()))
                        .width(2.5)
                        .color(Color32::from_rgb(0x2e, 0x7d, 0x32)),
                );
                p.points(
                    Points::new("累计实际", PlotPoints::from(pts))
                        .radius(3.5)
                        .color(Color32::from_rgb(0x2e, 0x7d, 0x32)),
                );
            }
            let unit_pts: Vec<[f64; 2]> = reports
                .iter()
                .filter_map(|r| r.value.map(|v| [x(r.period.last_day(), start), v]))
                .collect();
            if !unit_pts.is_empty() {
                p.points(
                    Points::new("各单位报送", PlotPoints::from(unit_pts))
                        .radius(2.5)
                        .color(Color32::from_rgb(0xfb, 0x8c, 0x00)),
                );
            }
        });
    app.state.chart_rect = Some(chart.response.rect);
    if ui.button("保存图表为图片…").clicked()
        && let Some(path) = rfd::FileDialog::new()
            .add_filter("PNG 图片", &["png"])
            .set_file_name(format!("{}.png", i.name))
            .save_file()
    {
        app.commands.push(Command::SaveChart(path));
    }
    ui.columns(2, |cols| {
        let ui = &mut cols[0];
        ui.strong("各单位完成情况");
        let units: Vec<&crate::domain::UnitEvaluation> = e
            .units
            .iter()
            .filter(|u| u.actual.is_some() || u.target.is_some())
            .collect();
        if units.is_empty() {
            ui.label(RichText::new("尚无单位报送。").weak());
        } else {
            let bars: Vec<Bar> = units
                .iter()
                .enumerate()
                .map(|(k, u)| {
                    Bar::new(k as f64, u.actual.unwrap_or(0.0))
                        .name(&u.unit)
                        .width(0.6)
                })
                .collect();
            let targets: Vec<[f64; 2]> = units
                .iter()
                .enumerate()
                .filter_map(|(k, u)| u.target.map(|t| [k as f64, t]))
                .collect();
            let names: Vec<String> = units.iter().map(|u| u.unit.clone()).collect();
            Plot::new(("unit-bars", id))
                .height(200.0)
                .x_axis_formatter(move |mark, _| {
                    let k = mark.value.round();
                    if (mark.value - k).abs() < 1e-6 && k >= 0.0 {
                        names.get(k as usize).cloned().unwrap_or_default()
                    } else {
                        String::new()
                    }
                })
                .y_axis_formatter(|mark, _| widgets::number(mark.value))
                .show(ui, |p| {
                    p.bar_chart(
                        BarChart::new("实际", bars).color(Color32::from_rgb(0x43, 0xa0, 0x47)),
                    );
                    if !targets.is_empty() {
                        p.points(
                            Points::new("单位目标", PlotPoints::from(targets))
                                .radius(5.0)
                                .shape(egui_plot::MarkerShape::Diamond)
                                .color(Color32::from_rgb(0xe5, 0x39, 0x35)),
                        );
                    }
                });
        }
        let ui = &mut cols[1];
        ui.strong("逐期进展");
        egui::ScrollArea::vertical()
            .id_salt("progress-text")
            .max_height(220.0)
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
    });
}
