//! Small drawing helpers shared by the screens: status colours and names,
//! numbers in 万 where a Chinese reader expects them (written out for an
//! English one), the completion bar with its 序时 mark, and the sparkline.

use crate::domain::{Period, Status};
use crate::tf;
use crate::ui::i18n::{language, t};
use egui::{Color32, Pos2, Rect, Sense, Stroke, Ui, Vec2};

/// The traffic-light colour of a status (the charts' colours).
pub fn status_color(s: Status) -> Color32 {
    rgb(crate::export::chart::colour::status(s))
}

/// A colour of the charts.
pub fn rgb(c: (u8, u8, u8)) -> Color32 {
    Color32::from_rgb(c.0, c.1, c.2)
}

/// The name of a status in the window's language (in Chinese the same
/// words as the exports).
pub fn status_name(s: Status) -> &'static str {
    t(s.key())
}

/// A target as people write it: ≥5个, ≤1.4, 4.5万个.
pub fn target(c: crate::domain::Comparator, v: f64, unit: Option<&str>) -> String {
    use crate::domain::Comparator::*;
    let sign = match c {
        Ge => "≥",
        Gt => ">",
        Le => "≤",
        Lt => "<",
        Eq => "",
    };
    format!("{sign}{}", with_unit(Some(v), unit))
}

/// A figure for people: whole numbers with separators, 万 from 100,000 up
/// (4.5万; in English 45,000), at most two decimals (the exports' format).
pub fn number(v: f64) -> String {
    crate::export::number(v, language())
}

/// A figure with its unit of measure.
pub fn with_unit(v: Option<f64>, unit: Option<&str>) -> String {
    match v {
        None => "—".into(),
        Some(v) => format!("{}{}", number(v), unit.unwrap_or("")),
    }
}

/// An indicator's actual figure as people read it: the city's figure with
/// its unit, or for a per-unit target (each district must reach it) how many
/// units reach it.
pub fn actual(i: &crate::store::IndicatorStatus) -> String {
    let e = &i.evaluation;
    match (i.scope, e.units_met, e.units_total) {
        (crate::domain::Scope::PerUnit, Some(met), Some(total)) => {
            tf!("widgets.units-met", met = met, total = total)
        }
        _ => with_unit(e.actual, i.unit.as_deref()),
    }
}

/// A share (0.42) as a percentage (42.0%).
pub fn percent(v: Option<f64>) -> String {
    v.map_or("—".into(), |v| format!("{:.1}%", v * 100.0))
}

/// The words of an indicator's kind, direction, scope and aggregation.
pub fn kind_name(k: crate::domain::Kind) -> &'static str {
    t(k.key())
}

pub fn better_name(b: crate::domain::Better) -> &'static str {
    t(b.key())
}

pub fn scope_name(s: crate::domain::Scope) -> &'static str {
    t(s.key())
}

pub fn aggregation_name(a: crate::domain::Aggregation) -> &'static str {
    t(a.key())
}

pub fn comparator_name(c: crate::domain::Comparator) -> &'static str {
    t(c.key())
}

/// An indicator's field that changed, in words: its name and its values
/// before and after (enumerations said as in the editor).
pub fn field_change(field: &str, before: &str, after: &str) -> String {
    if field == "retired" {
        return if after == "1" {
            t("widgets.retired").to_string()
        } else {
            t("widgets.unretired").to_string()
        };
    }
    let name = match field {
        "task" => t("widgets.field-task"),
        "name" => t("widgets.field-name"),
        "unit" => t("widgets.field-unit"),
        "comparator" => t("widgets.field-comparator"),
        "target" => t("widgets.field-target"),
        "target_max" => t("widgets.field-target-max"),
        "baseline" => t("widgets.field-baseline"),
        "better" => t("widgets.field-better"),
        "kind" => t("widgets.field-kind"),
        "scope" => t("widgets.field-scope"),
        "deadline" => t("widgets.field-deadline"),
        "aggregation" => t("widgets.aggregation"),
        "reporting_units" => t("widgets.reporting-units"),
        "city_reporter" => t("widgets.city-reporter"),
        other => other,
    };
    let say = |v: &str| -> String {
        if v.is_empty() {
            return match field {
                "aggregation" | "reporting_units" | "city_reporter" => t("widgets.by-rules").into(),
                _ => t("widgets.empty").into(),
            };
        }
        let named = match field {
            "comparator" => v.parse().ok().map(comparator_name),
            "better" => v.parse().ok().map(better_name),
            "kind" => v.parse().ok().map(kind_name),
            "scope" => v.parse().ok().map(scope_name),
            "aggregation" => v.parse().ok().map(aggregation_name),
            _ => None,
        };
        named.map_or_else(|| v.to_string(), str::to_string)
    };
    tf!(
        "widgets.field-change",
        field = name,
        before = say(before),
        after = say(after)
    )
}

/// What a line of the audit log records, in words.
pub fn audit_action(a: crate::domain::AuditAction) -> &'static str {
    t(a.key())
}

/// A period as people write it: 2023年6月, Jun 2023.
pub fn period(p: Period) -> String {
    crate::export::period(p, language())
}

/// The completion bar: filled to `completion`, a dark tick at `expected`
/// (序时进度), coloured by status.
pub fn completion_bar(
    ui: &mut Ui,
    completion: Option<f64>,
    expected: Option<f64>,
    status: Status,
    width: f32,
) {
    let (rect, response) = ui.allocate_exact_size(Vec2::new(width, 14.0), Sense::hover());
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, 3.0, ui.visuals().extreme_bg_color);
    if let Some(c) = completion {
        let w = rect.width() * c.clamp(0.0, 1.0) as f32;
        painter.rect_filled(
            Rect::from_min_size(rect.min, Vec2::new(w, rect.height())),
            3.0,
            status_color(status),
        );
    }
    if let Some(e) = expected {
        let x = rect.left() + rect.width() * e.clamp(0.0, 1.0) as f32;
        painter.line_segment(
            [
                Pos2::new(x, rect.top() - 2.0),
                Pos2::new(x, rect.bottom() + 2.0),
            ],
            Stroke::new(2.0, ui.visuals().strong_text_color()),
        );
    }
    response.on_hover_text(tf!(
        "widgets.completion-hover",
        done = percent(completion),
        expected = percent(expected)
    ));
}

/// A small line of a series' values.
pub fn sparkline(ui: &mut Ui, values: &[(Period, f64)], width: f32) {
    let (rect, _) = ui.allocate_exact_size(Vec2::new(width, 16.0), Sense::hover());
    if values.len() < 2 {
        return;
    }
    let (lo, hi) = values
        .iter()
        .fold((f64::MAX, f64::MIN), |(lo, hi), (_, v)| {
            (lo.min(*v), hi.max(*v))
        });
    let span = if hi > lo { hi - lo } else { 1.0 };
    let n = values.len() - 1;
    let points: Vec<Pos2> = values
        .iter()
        .enumerate()
        .map(|(i, (_, v))| {
            Pos2::new(
                rect.left() + rect.width() * i as f32 / n as f32,
                rect.bottom() - rect.height() * ((v - lo) / span) as f32,
            )
        })
        .collect();
    ui.painter_at(rect.expand(1.0)).add(egui::Shape::line(
        points,
        Stroke::new(1.5, ui.visuals().hyperlink_color),
    ));
}

/// The three grid rows of who reports an indicator and how its city figure
/// is made — the algorithm, the unit reporting the city's figure, the units
/// that count — each `None` when left to the rules. `rules`: what the rules
/// give today (a saved indicator), shown beside 按规则.
pub fn reporting_rows(
    ui: &mut egui::Ui,
    salt: &str,
    aggregation: &mut Option<crate::domain::Aggregation>,
    city_reporter: &mut Option<String>,
    units: &mut Option<Vec<String>>,
    catalogue: &[String],
    rules: Option<&crate::domain::Reporting>,
) {
    let by_rules = |what: Option<String>| match what {
        Some(w) => tf!("widgets.by-rules-giving", what = w),
        None => t("widgets.by-rules").to_string(),
    };
    ui.label(t("widgets.aggregation"));
    egui::ComboBox::from_id_salt((salt, "aggregation"))
        .selected_text(match aggregation {
            None => by_rules(rules.map(|r| aggregation_name(r.aggregation).to_string())),
            Some(a) => aggregation_name(*a).to_string(),
        })
        .show_ui(ui, |ui| {
            ui.selectable_value(aggregation, None, t("widgets.by-rules"));
            for a in crate::domain::Aggregation::ALL {
                ui.selectable_value(aggregation, Some(*a), aggregation_name(*a));
            }
        });
    ui.end_row();
    ui.label(t("widgets.city-reporter"));
    egui::ComboBox::from_id_salt((salt, "reporter"))
        .selected_text(match city_reporter {
            None => by_rules(rules.map(|r| {
                r.city_reporter
                    .clone()
                    .unwrap_or_else(|| t("widgets.no-city-reporter").into())
            })),
            Some(u) => u.clone(),
        })
        .show_ui(ui, |ui| {
            ui.selectable_value(city_reporter, None, t("widgets.by-rules"));
            for u in catalogue {
                ui.selectable_value(city_reporter, Some(u.clone()), u.as_str());
            }
        });
    ui.end_row();
    ui.label(t("widgets.reporting-units"));
    ui.vertical(|ui| {
        let mut left = units.is_none();
        let label = by_rules(rules.map(|r| tf!("widgets.n-units", n = r.units.len())));
        if ui.checkbox(&mut left, label).changed() {
            // Choosing starts from what the rules give today.
            *units = (!left).then(|| rules.map(|r| r.units.to_vec()).unwrap_or_default());
        }
        if let Some(list) = units.as_mut() {
            ui.horizontal_wrapped(|ui| {
                for u in catalogue {
                    let mut on = list.contains(u);
                    if ui.checkbox(&mut on, u.as_str()).changed() {
                        if on {
                            list.push(u.clone());
                        } else {
                            list.retain(|x| x != u);
                        }
                    }
                }
            });
        }
    });
    ui.end_row();
}
