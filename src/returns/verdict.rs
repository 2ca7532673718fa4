//! What the importer says about a row: a warning on a row it imports, or
//! the reason it refuses one. Each is a variant with its data; the command
//! line's JSON and text say it as `category: detail` (the category word is
//! what scripts read), the window words it through its catalogue. Nothing
//! reads these words back.

use crate::domain::words::{Language, fill};
use serde::{Serialize, Serializer};
use std::fmt;

/// Why a row is warned about or refused.
#[derive(Clone, Debug, PartialEq)]
pub enum Why {
    /// A value in a row that names no indicator.
    NoIndicator,
    /// The row's name matches no indicator of the plan; the nearest one and
    /// its score when there is one.
    NotInPlan {
        name: String,
        nearest: Option<(String, f64)>,
    },
    /// The row's name may be an indicator, not surely (a warning).
    Unsure {
        name: String,
        candidate: String,
        score: f64,
        runner_up: Option<String>,
    },
    /// The indicator was already given in an earlier row.
    Duplicate { indicator: String, first_row: usize },
    /// A figure below zero.
    Negative { value: f64 },
    /// The cell is not a number.
    Unreadable { text: String },
    /// A percentage above 100%.
    AboveHundred { value: f64 },
    /// Ten times the row's own annual target or more.
    AboveOwnTarget { value: f64, target: f64 },
    /// Far (five times) from the unit's figure of an earlier period.
    Jump {
        value: f64,
        previous: f64,
        period: String,
    },
    /// A cumulative figure below the unit's figure of an earlier period.
    Decrease {
        value: f64,
        previous: f64,
        period: String,
    },
    /// The row's unit of measure is not the indicator's (个 against %).
    UnitMismatch { row: String, indicator: String },
    /// No number, where the ledger holds one for this unit and period.
    Cleared { previous: f64, period: String },
    /// The parts add up to more than the whole: the districts' figures for
    /// the period sum to `sum`, above the `total` that `whole` gives (the
    /// city's reporter in the ledger, or the file's own 合计 line).
    SumAbove { sum: f64, total: f64, whole: String },
    /// The row speaks of a time after the file's period (截至8月底 in a June
    /// return): the figure may belong to another period.
    LaterThanPeriod { said: String, period: String },
    /// A row of a table of several units whose unit is not in the catalogue.
    UnknownUnit { name: String },
    /// Removed from the import by the person reviewing it.
    Dropped,
}

impl Why {
    /// The category word scripts read (`not_in_plan`, `absurd` …).
    pub fn category(&self) -> &'static str {
        match self {
            Why::NoIndicator | Why::NotInPlan { .. } => "not_in_plan",
            Why::Unsure { .. } => "match",
            Why::Duplicate { .. } => "duplicate",
            Why::Negative { .. } => "negative",
            Why::Unreadable { .. } => "unreadable",
            Why::AboveHundred { .. } | Why::AboveOwnTarget { .. } => "absurd",
            Why::Jump { .. } => "jump",
            Why::Decrease { .. } => "decrease",
            Why::UnitMismatch { .. } => "unit",
            Why::Cleared { .. } => "cleared",
            Why::SumAbove { .. } => "sum",
            Why::LaterThanPeriod { .. } => "date",
            Why::UnknownUnit { .. } => "unknown_unit",
            Why::Dropped => "dropped",
        }
    }

    /// The row's verdict in words of a language (the window's, or Chinese
    /// for the notices sent to units).
    pub fn words(&self, lang: Language) -> String {
        let n = num;
        let score = |s: f64| format!("{s:.2}");
        match self {
            Why::NoIndicator => lang.t("import.why-no-indicator").to_string(),
            Why::NotInPlan {
                name,
                nearest: None,
            } => fill(
                lang.t("import.why-not-in-plan"),
                &[("name", &name as &dyn std::fmt::Display)],
            ),
            Why::NotInPlan {
                name,
                nearest: Some((nearest, s)),
            } => fill(
                lang.t("import.why-not-in-plan-nearest"),
                &[
                    ("name", &name as &dyn std::fmt::Display),
                    ("nearest", &nearest as &dyn std::fmt::Display),
                    ("score", &score(*s) as &dyn std::fmt::Display),
                ],
            ),
            Why::Unsure {
                name,
                candidate,
                score: s,
                runner_up: None,
            } => fill(
                lang.t("import.why-unsure"),
                &[
                    ("name", &name as &dyn std::fmt::Display),
                    ("candidate", &candidate as &dyn std::fmt::Display),
                    ("score", &score(*s) as &dyn std::fmt::Display),
                ],
            ),
            Why::Unsure {
                name,
                candidate,
                score: s,
                runner_up: Some(other),
            } => fill(
                lang.t("import.why-unsure-two"),
                &[
                    ("name", &name as &dyn std::fmt::Display),
                    ("candidate", &candidate as &dyn std::fmt::Display),
                    ("score", &score(*s) as &dyn std::fmt::Display),
                    ("other", &other as &dyn std::fmt::Display),
                ],
            ),
            Why::Duplicate {
                indicator,
                first_row,
            } => fill(
                lang.t("import.why-duplicate"),
                &[
                    ("indicator", &indicator as &dyn std::fmt::Display),
                    ("row", &first_row as &dyn std::fmt::Display),
                ],
            ),
            Why::Negative { value } => fill(
                lang.t("import.why-negative"),
                &[("value", &n(*value) as &dyn std::fmt::Display)],
            ),
            Why::Unreadable { text } => fill(
                lang.t("import.why-unreadable"),
                &[("text", &text as &dyn std::fmt::Display)],
            ),
            Why::AboveHundred { value } => fill(
                lang.t("import.why-above-hundred"),
                &[("value", &n(*value) as &dyn std::fmt::Display)],
            ),
            Why::AboveOwnTarget { value, target } => fill(
                lang.t("import.why-above-target"),
                &[
                    ("value", &n(*value) as &dyn std::fmt::Display),
                    ("target", &n(*target) as &dyn std::fmt::Display),
                    (
                        "times",
                        &format!("{:.0}", value / target) as &dyn std::fmt::Display,
                    ),
                ],
            ),
            Why::Jump {
                value,
                previous,
                period,
            } => fill(
                lang.t("import.why-jump"),
                &[
                    ("value", &n(*value) as &dyn std::fmt::Display),
                    ("previous", &n(*previous) as &dyn std::fmt::Display),
                    (
                        "period",
                        &crate::domain::words::period_words(period, lang) as &dyn std::fmt::Display,
                    ),
                ],
            ),
            Why::Decrease {
                value,
                previous,
                period,
            } => fill(
                lang.t("import.why-decrease"),
                &[
                    ("value", &n(*value) as &dyn std::fmt::Display),
                    ("previous", &n(*previous) as &dyn std::fmt::Display),
                    (
                        "period",
                        &crate::domain::words::period_words(period, lang) as &dyn std::fmt::Display,
                    ),
                ],
            ),
            Why::UnitMismatch { row, indicator } => fill(
                lang.t("import.why-unit"),
                &[
                    ("row", &row as &dyn std::fmt::Display),
                    ("indicator", &indicator as &dyn std::fmt::Display),
                ],
            ),
            Why::Cleared { previous, period } => fill(
                lang.t("import.why-cleared"),
                &[
                    ("previous", &n(*previous) as &dyn std::fmt::Display),
                    (
                        "period",
                        &crate::domain::words::period_words(period, lang) as &dyn std::fmt::Display,
                    ),
                ],
            ),
            Why::SumAbove { sum, total, whole } => fill(
                lang.t("import.why-sum"),
                &[
                    ("sum", &n(*sum) as &dyn std::fmt::Display),
                    ("total", &n(*total) as &dyn std::fmt::Display),
                    ("whole", &whole as &dyn std::fmt::Display),
                ],
            ),
            Why::LaterThanPeriod { said, period } => fill(
                lang.t("import.why-date"),
                &[
                    ("said", &said as &dyn std::fmt::Display),
                    (
                        "period",
                        &crate::domain::words::period_words(period, lang) as &dyn std::fmt::Display,
                    ),
                ],
            ),
            Why::UnknownUnit { name } => fill(
                lang.t("import.why-unknown-unit"),
                &[("name", &name as &dyn std::fmt::Display)],
            ),
            Why::Dropped => lang.t("import.why-dropped").to_string(),
        }
    }

    /// The plain English detail (the command line's).
    pub fn detail(&self) -> String {
        match self {
            Why::NoIndicator => "the row names no indicator".into(),
            Why::NotInPlan { name, nearest } => format!(
                "'{name}' matches no indicator of the plan{}",
                nearest
                    .as_ref()
                    .map(|(n, s)| format!(
                        " (the nearest, '{n}', scores only {s:.2}; re-match the row to take it)"
                    ))
                    .unwrap_or_default()
            ),
            Why::Unsure {
                name,
                candidate,
                score,
                runner_up,
            } => format!(
                "'{name}' may be '{candidate}' (score {score:.2}){}; confirm or re-match",
                runner_up
                    .as_ref()
                    .map(|r| format!(" or '{r}'"))
                    .unwrap_or_default()
            ),
            Why::Duplicate {
                indicator,
                first_row,
            } => format!("'{indicator}' was already given in row {first_row}"),
            Why::Negative { value } => format!("{} is below 0", num(*value)),
            Why::Unreadable { text } => format!("'{text}' is not a number"),
            Why::AboveHundred { value } => format!("{}% is above 100%", num(*value)),
            Why::AboveOwnTarget { value, target } => format!(
                "{} is {:.0}x the row's own annual target {}",
                num(*value),
                value / target,
                num(*target)
            ),
            Why::Jump {
                value,
                previous,
                period,
            } => format!(
                "{} is far from {} reported for {period}",
                num(*value),
                num(*previous)
            ),
            Why::Decrease {
                value,
                previous,
                period,
            } => format!(
                "{} is below {} reported for {period}, and the figure is a running total",
                num(*value),
                num(*previous)
            ),
            Why::UnitMismatch { row, indicator } => {
                format!("the row is in '{row}', the indicator in '{indicator}'")
            }
            Why::Cleared { previous, period } => format!(
                "the row has no number; it would replace {} already reported for {period}",
                num(*previous)
            ),
            Why::SumAbove { sum, total, whole } => format!(
                "the districts' figures add up to {}, above the {} of {whole} for the same period",
                num(*sum),
                num(*total)
            ),
            Why::LaterThanPeriod { said, period } => {
                format!("the row speaks of {said}, after the file's period {period}")
            }
            Why::UnknownUnit { name } => {
                format!("'{name}' is not a unit of the catalogue")
            }
            Why::Dropped => "removed from the import by hand".into(),
        }
    }
}

impl fmt::Display for Why {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.category(), self.detail())
    }
}

impl Serialize for Why {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A row's warnings said on one line (`absurd: …; jump: …`), empty for none.
pub fn joined(whys: &[Why]) -> String {
    whys.iter()
        .map(Why::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// A number as the details write it: no needless zeros.
pub fn num(v: f64) -> String {
    let s = format!("{v:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_string()
}
