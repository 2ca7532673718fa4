//! One editor of an indicator's fields, for an indicator of a draft under
//! review and for a saved one: name, unit of measure, comparator, target
//! and range, baseline, direction, kind, scope, how the city's figure is
//! made and who reports it, deadline. The fields are edited as typed (a
//! number half-written stays as it is) in a [`FieldsForm`], read from and
//! written back to either kind of indicator.

use crate::domain::{
    Aggregation, Better, Comparator, Date, Kind, PlanIndicator, Reporting, ReportingChoice, Scope,
};
use crate::store::IndicatorFields;
use crate::ui::i18n::t;
use crate::ui::widgets;
use egui::Ui;

/// An indicator's fields as typed.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldsForm {
    pub name: String,
    pub unit: String,
    pub comparator: Comparator,
    pub target: String,
    pub target_max: String,
    pub baseline: String,
    /// `None`: as the comparator implies (a draft may leave it so).
    pub better: Option<Better>,
    pub kind: Kind,
    pub scope: Scope,
    /// YYYY-MM-DD; empty in a draft: the end of the plan year.
    pub deadline: String,
    pub aggregation: Option<Aggregation>,
    pub city_reporter: Option<String>,
    pub reporting_units: Option<Vec<String>>,
}

/// What keeps the typed fields from being saved (catalogue keys).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Problem {
    NoName,
    NoTarget,
    TargetNotNumber,
    MaxNotNumber,
    MaxBelowTarget,
    BaselineNotNumber,
    DeadlineNotDate,
}

impl Problem {
    pub fn words(self) -> &'static str {
        match self {
            Problem::NoName => t("fields.problem-name"),
            Problem::NoTarget => t("fields.problem-target"),
            Problem::TargetNotNumber => t("fields.problem-target-number"),
            Problem::MaxNotNumber => t("fields.problem-max-number"),
            Problem::MaxBelowTarget => t("fields.problem-max-below"),
            Problem::BaselineNotNumber => t("fields.problem-baseline-number"),
            Problem::DeadlineNotDate => t("fields.problem-deadline"),
        }
    }
}

/// What keeps a form from being saved, on one line (甲；乙 / A; B).
pub fn problems_line<S: AsRef<str>>(items: &[S]) -> String {
    crate::ui::app::join_list(items, t("fields.problem-list"))
}

/// A number as typed back into a field: the digits only (no separators,
/// no 万, no needless zeros), so that it reads back as it was.
pub fn plain(v: f64) -> String {
    format!("{v}")
}

/// A figure as typed: digits with thousands separators, a decimal point, an
/// optional % (45.5% is 45.5, as the indicator's unit says), or a count in
/// 万 or 亿 as a Chinese reader writes it (4.5万 is 45000).
pub fn parse_figure(text: &str) -> Option<f64> {
    let text = text.trim().trim_end_matches(['%', '％']); // i18n: data
    const MULTIPLES: [(char, f64); 2] = [('万', 1e4), ('亿', 1e8)]; // i18n: data
    let (text, scale) = MULTIPLES
        .iter()
        .find_map(|(c, m)| text.strip_suffix(*c).map(|t| (t, *m)))
        .unwrap_or((text, 1.0));
    let t: String = text
        .chars()
        .filter(|c| !matches!(c, ',' | '，' | ' ')) // i18n: data
        .collect();
    t.parse::<f64>()
        .ok()
        .map(|v| v * scale)
        .filter(|v| v.is_finite())
}

/// The fields checked: what each typed number is, and what is wrong.
pub struct Checked {
    pub target: Option<f64>,
    pub target_max: Option<f64>,
    pub baseline: Option<f64>,
    /// `Ok(None)`: left empty.
    pub deadline: Result<Option<Date>, ()>,
    pub problems: Vec<Problem>,
}

impl FieldsForm {
    /// The fields of an indicator of a draft.
    pub fn of_draft(p: &PlanIndicator) -> FieldsForm {
        FieldsForm {
            name: p.name.clone(),
            unit: p.unit.clone().unwrap_or_default(),
            comparator: p.comparator,
            target: plain(p.target),
            target_max: p.target_max.map(plain).unwrap_or_default(),
            baseline: p.baseline.map(plain).unwrap_or_default(),
            better: p.better,
            kind: p.kind,
            scope: p.scope,
            deadline: p.deadline.map(|d| d.to_string()).unwrap_or_default(),
            aggregation: p.aggregation,
            city_reporter: p.city_reporter.clone(),
            reporting_units: p.reporting_units.clone(),
        }
    }

    /// The fields of a saved indicator.
    pub fn of_saved(f: &IndicatorFields) -> FieldsForm {
        FieldsForm {
            name: f.name.clone(),
            unit: f.unit.clone().unwrap_or_default(),
            comparator: f.comparator,
            target: plain(f.target),
            target_max: f.target_max.map(plain).unwrap_or_default(),
            baseline: f.baseline.map(plain).unwrap_or_default(),
            better: Some(f.better),
            kind: f.kind,
            scope: f.scope,
            deadline: f.deadline.to_string(),
            aggregation: f.reporting.aggregation,
            city_reporter: f.reporting.city_reporter.clone(),
            reporting_units: f.reporting.units.clone(),
        }
    }

    /// Checks the typed fields; a saved indicator needs its deadline.
    pub fn check(&self, deadline_required: bool) -> Checked {
        let mut problems = Vec::new();
        if self.name.trim().is_empty() {
            problems.push(Problem::NoName);
        }
        let number = |s: &str, bad: Problem, problems: &mut Vec<Problem>| -> Option<f64> {
            if s.trim().is_empty() {
                return None;
            }
            let v = parse_figure(s);
            if v.is_none() {
                problems.push(bad);
            }
            v
        };
        let target = number(&self.target, Problem::TargetNotNumber, &mut problems);
        if self.target.trim().is_empty() {
            problems.push(Problem::NoTarget);
        }
        let target_max = number(&self.target_max, Problem::MaxNotNumber, &mut problems);
        if let (Some(t), Some(m)) = (target, target_max)
            && m < t
        {
            problems.push(Problem::MaxBelowTarget);
        }
        let baseline = number(&self.baseline, Problem::BaselineNotNumber, &mut problems);
        let deadline = match self.deadline.trim() {
            "" if !deadline_required => Ok(None),
            d => d.parse::<Date>().map(Some).map_err(|_| ()),
        };
        if deadline.is_err() {
            problems.push(Problem::DeadlineNotDate);
        }
        Checked {
            target,
            target_max,
            baseline,
            deadline,
            problems,
        }
    }

    /// Writes what is valid into an indicator of a draft (a half-typed
    /// number leaves the value before it).
    pub fn apply_to_draft(&self, p: &mut PlanIndicator) {
        let c = self.check(false);
        if !self.name.trim().is_empty() {
            p.name = self.name.trim().to_string();
        }
        p.unit = Some(self.unit.trim().to_string()).filter(|u| !u.is_empty());
        p.comparator = self.comparator;
        if let Some(t) = c.target {
            p.target = t;
        }
        if self.target_max.trim().is_empty() {
            p.target_max = None;
        } else if c.target_max.is_some() {
            p.target_max = c.target_max;
        }
        if self.baseline.trim().is_empty() {
            p.baseline = None;
        } else if c.baseline.is_some() {
            p.baseline = c.baseline;
        }
        p.better = self.better;
        p.kind = self.kind;
        p.scope = self.scope;
        if let Ok(d) = c.deadline {
            p.deadline = d;
        }
        p.aggregation = self.aggregation;
        p.city_reporter = self.city_reporter.clone();
        p.reporting_units = self.reporting_units.clone();
    }

    /// The fields of a saved indicator, or what keeps them from being saved.
    pub fn to_saved(&self) -> Result<IndicatorFields, Vec<Problem>> {
        let c = self.check(true);
        match (c.problems.is_empty(), c.target, c.deadline) {
            (true, Some(target), Ok(Some(deadline))) => Ok(IndicatorFields {
                name: self.name.trim().to_string(),
                unit: Some(self.unit.trim().to_string()).filter(|u| !u.is_empty()),
                comparator: self.comparator,
                target,
                target_max: c.target_max,
                baseline: c.baseline,
                better: self
                    .better
                    .unwrap_or_else(|| self.comparator.implied_better()),
                kind: self.kind,
                scope: self.scope,
                deadline,
                reporting: ReportingChoice {
                    aggregation: self.aggregation,
                    units: self.reporting_units.clone(),
                    city_reporter: self.city_reporter.clone(),
                },
            }),
            _ => Err(c.problems),
        }
    }
}

/// The editor: a grid of every field. `salt` keeps two editors apart;
/// `rules` is what the rules give for the parts left to them (a saved
/// indicator); `draft` offers "as the comparator implies" for the direction
/// and leaves the deadline optional. Returns whether anything changed.
pub fn editor(
    ui: &mut Ui,
    salt: &str,
    f: &mut FieldsForm,
    catalogue: &[String],
    rules: Option<&Reporting>,
    draft: bool,
) -> bool {
    let before = f.clone();
    egui::Grid::new((salt, "fields"))
        .num_columns(2)
        .spacing([12.0, 6.0])
        .show(ui, |ui| {
            let label = ui.label(t("fields.name"));
            ui.add(
                egui::TextEdit::singleline(&mut f.name)
                    .desired_width(520.0)
                    .id_salt((salt, "name")),
            )
            .labelled_by(label.id);
            ui.end_row();
            let label = ui.label(t("fields.unit"));
            ui.add(
                egui::TextEdit::singleline(&mut f.unit)
                    .desired_width(120.0)
                    .id_salt((salt, "unit")),
            )
            .labelled_by(label.id);
            ui.end_row();
            ui.label(t("fields.target-row"));
            ui.horizontal(|ui| {
                let combo = egui::ComboBox::from_id_salt((salt, "comparator"))
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
                combo.response.on_hover_text(t("fields.comparator"));
                let label = ui.label(t("fields.target"));
                ui.add(
                    egui::TextEdit::singleline(&mut f.target)
                        .desired_width(90.0)
                        .id_salt((salt, "target")),
                )
                .labelled_by(label.id);
                let label = ui.label(t("fields.target-max"));
                ui.add(
                    egui::TextEdit::singleline(&mut f.target_max)
                        .desired_width(90.0)
                        .id_salt((salt, "target-max")),
                )
                .labelled_by(label.id);
            });
            ui.end_row();
            let label = ui.label(t("fields.baseline"));
            ui.add(
                egui::TextEdit::singleline(&mut f.baseline)
                    .desired_width(100.0)
                    .id_salt((salt, "baseline")),
            )
            .labelled_by(label.id);
            ui.end_row();
            ui.label(t("fields.better"));
            ui.horizontal(|ui| {
                if draft {
                    ui.selectable_value(&mut f.better, None, t("fields.better-by-comparator"));
                }
                for b in Better::ALL {
                    ui.selectable_value(&mut f.better, Some(*b), widgets::better_name(*b));
                }
            });
            ui.end_row();
            ui.label(t("fields.kind"));
            // Two by two: the four kinds' names are long in English.
            ui.vertical(|ui| {
                for pair in Kind::ALL.chunks(2) {
                    ui.horizontal(|ui| {
                        for k in pair {
                            ui.selectable_value(&mut f.kind, *k, widgets::kind_name(*k));
                        }
                    });
                }
            });
            ui.end_row();
            ui.label(t("fields.scope"));
            ui.horizontal(|ui| {
                for s in Scope::ALL {
                    ui.selectable_value(&mut f.scope, *s, widgets::scope_name(*s));
                }
            });
            ui.end_row();
            widgets::reporting_rows(
                ui,
                salt,
                &mut f.aggregation,
                &mut f.city_reporter,
                &mut f.reporting_units,
                catalogue,
                rules,
            );
            let label = ui.label(t("fields.deadline"));
            ui.add(
                egui::TextEdit::singleline(&mut f.deadline)
                    .desired_width(110.0)
                    .hint_text(if draft {
                        t("fields.deadline-hint-draft")
                    } else {
                        "2023-12-31"
                    })
                    .id_salt((salt, "deadline")),
            )
            .labelled_by(label.id);
            ui.end_row();
        });
    *f != before
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_number_typed_back_reads_as_it_was() {
        for v in [150000.0, 4.5, 0.1, 1e9, 46.5, 0.0, 1234567.89] {
            assert_eq!(parse_figure(&plain(v)), Some(v), "{v}");
        }
        assert_eq!(parse_figure("4.5万"), Some(45000.0));
        assert_eq!(parse_figure("1,234"), Some(1234.0));
        assert_eq!(parse_figure("45.5%"), Some(45.5));
        assert_eq!(parse_figure("2亿"), Some(2e8));
        assert_eq!(parse_figure("万"), None);
        assert_eq!(parse_figure("abc"), None);
    }
}
