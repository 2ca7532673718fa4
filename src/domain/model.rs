//! The ledger's vocabulary: the enumerations of PRODUCT.md section 3 and the
//! plan, unit and report types that every other layer passes around.
//!
//! Each enumeration has one spelling, used alike in JSON, in the database's
//! CHECK constraints and on the command line (`Kind::Cumulative` is
//! `"cumulative"` everywhere).

use super::date::{Date, Period};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Defines a string-backed enumeration with one spelling per variant, used by
/// serde, `Display`, `FromStr` and the store's CHECK constraints.
macro_rules! word_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $var:ident = $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name {
            $($(#[$vm])* #[serde(rename = $s)] $var),+
        }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$var),+];

            /// The one spelling of this variant.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$var => $s),+ }
            }

            /// The catalogue key of this variant's words
            /// ([`crate::domain::words`]): `Status.on_track`.
            pub fn key(self) -> &'static str {
                match self { $($name::$var => concat!(stringify!($name), ".", $s)),+ }
            }

            /// The spellings as an SQL list, for CHECK constraints: `'a','b'`.
            pub fn sql_list() -> String {
                [$($s),+].iter().map(|s| format!("'{s}'")).collect::<Vec<_>>().join(",")
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                match s.trim() {
                    $($s => Ok($name::$var),)+
                    other => Err(format!(
                        "'{}' is not a {} (expected one of: {})",
                        other,
                        stringify!($name),
                        [$($s),+].join(", ")
                    )),
                }
            }
        }
    };
}

word_enum! {
    /// How an actual value is compared with the target.
    Comparator {
        /// at least (不少于, 达到, 以上, 力争)
        Ge = ">=",
        /// more than (超过, 超)
        Gt = ">",
        /// at most (不高于, 不超过, 以内, 控制在)
        Le = "<=",
        /// less than
        Lt = "<",
        /// exactly, or the range `target..=target_max` (保持100%)
        Eq = "=",
    }
}

word_enum! {
    /// What a line of the audit log (留痕) records.
    AuditAction {
        /// a return's figures committed as a batch
        Import = "import",
        /// a batch undone: its figures stop counting
        Undo = "undo",
        /// a figure entered by hand
        Edit = "edit",
        /// a figure corrected by hand, with a reason
        Correct = "correct",
        /// an undone batch restored
        Restore = "restore",
        /// a period locked
        Lock = "lock",
        /// a period unlocked
        Unlock = "unlock",
        /// a unit's own target set, changed or cleared (任务分解)
        Target = "target",
        /// a field of a saved indicator changed (a revised target among them)
        Indicator = "indicator",
        /// the units catalogue changed: a unit added, renamed, its kind or
        /// aliases changed, or two units merged
        Unit = "unit",
        /// a task of a saved plan changed: its title, deadline or
        /// responsible units
        Task = "task",
    }
}

word_enum! {
    /// Which way is good.
    Better { Higher = "higher", Lower = "lower" }
}

word_enum! {
    /// What the number counts (PRODUCT.md section 3).
    Kind {
        /// a running total since before the plan year (累计建成…达到400个)
        Cumulative = "cumulative",
        /// added during the plan year (新建, 新增, 年内打造)
        New = "new",
        /// a state or rate measured at a time (覆盖率, PUE, 日均活跃用户数)
        Level = "level",
        /// events held (开展2次演练)
        CountOfEvents = "count_of_events",
    }
}

word_enum! {
    /// Whether the target is one number for the city or one per unit.
    Scope { City = "city", PerUnit = "per_unit" }
}

word_enum! {
    /// How units' figures combine into the city's figure (city scope).
    Aggregation {
        Sum = "sum",
        /// mean of levels; percentages with numerators and denominators roll up as a ratio of sums
        Mean = "mean",
        Min = "min",
        Max = "max",
        /// one unit reports the city's figure
        Single = "single",
    }
}

word_enum! {
    /// How often units report (a plan's reporting cycle, a setting).
    Cycle {
        /// every month (the default)
        Monthly = "monthly",
        /// at the end of March, June, September and December
        Quarterly = "quarterly",
        /// at the end of June and December
        HalfYearly = "half_yearly",
    }
}

word_enum! {
    /// The traffic light of an indicator (红黄绿灯).
    Status {
        Done = "done",
        OnTrack = "on_track",
        Lagging = "lagging",
        Behind = "behind",
        Overdue = "overdue",
        NoData = "no_data",
    }
}

word_enum! {
    /// A reporting unit is a district (区/市/县/功能区) or a department (市XX局).
    UnitKind { District = "district", Department = "department" }
}

word_enum! {
    /// A responsible unit leads (牵头) or supports (配合) a task.
    Role { Lead = "lead", Support = "support" }
}

word_enum! {
    /// How sure the extractor is of an indicator.
    Confidence { Certain = "certain", Debatable = "debatable" }
}

word_enum! {
    /// What a reported value stands for.
    ValueBasis {
        /// the figure at the end of the period: year-to-date for `new` and
        /// `count_of_events`, the running total for `cumulative`, the level for `level`
        AsOfPeriodEnd = "as_of_period_end",
        /// only what was added during the period (本月新增)
        PeriodIncrement = "period_increment",
    }
}

impl Comparator {
    /// The direction this comparator implies when a plan does not say.
    pub fn implied_better(self) -> Better {
        match self {
            Comparator::Le | Comparator::Lt => Better::Lower,
            Comparator::Ge | Comparator::Gt | Comparator::Eq => Better::Higher,
        }
    }
}

/// A reporting unit from the units catalogue.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UnitSpec {
    pub name: String,
    pub kind: UnitKind,
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// The units catalogue file (`units_zibo.json`).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct UnitsFile {
    pub units: Vec<UnitSpec>,
}

/// A responsible unit named by a plan, with its role. In plan JSON it may be a
/// bare name (a lead unit) or an object `{"name", "role"}`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ResponsibleUnit {
    pub name: String,
    pub role: Role,
}

impl<'de> Deserialize<'de> for ResponsibleUnit {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Repr {
            Name(String),
            Full {
                name: String,
                #[serde(default = "lead")]
                role: Role,
            },
        }
        fn lead() -> Role {
            Role::Lead
        }
        Ok(match Repr::deserialize(d)? {
            Repr::Name(name) => ResponsibleUnit {
                name,
                role: Role::Lead,
            },
            Repr::Full { name, role } => ResponsibleUnit { name, role },
        })
    }
}

/// A numbered task of a plan: the deepest numbered item under a section.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlanTask {
    pub number: String,
    pub title: String,
    #[serde(default)]
    pub responsible_units: Vec<ResponsibleUnit>,
    #[serde(default)]
    pub deadline: Option<Date>,
}

/// A heading of a plan (一、 / （一） / 1. …) with what stands under it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlanSection {
    pub number: String,
    pub title: String,
    #[serde(default)]
    pub subsections: Vec<PlanSection>,
    #[serde(default)]
    pub tasks: Vec<PlanTask>,
}

/// An indicator as a plan document states it (the plan JSON's `indicators`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlanIndicator {
    /// The annotator's or extractor's id, e.g. `002-19`; kept as a reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Path of section and task numbers, e.g. `五/16` or `四/(十二)/34`.
    #[serde(default)]
    pub task: Option<String>,
    /// The exact words of the plan.
    #[serde(default)]
    pub phrase: String,
    pub name: String,
    pub comparator: Comparator,
    pub target: f64,
    #[serde(default)]
    pub target_max: Option<f64>,
    /// Unit of measure (个, %, 万人 …); `null` for a pure ratio such as PUE.
    #[serde(default)]
    pub unit: Option<String>,
    #[serde(default)]
    pub better: Option<Better>,
    #[serde(default)]
    pub baseline: Option<f64>,
    #[serde(default = "default_scope")]
    pub scope: Scope,
    pub kind: Kind,
    #[serde(default)]
    pub aggregation: Option<Aggregation>,
    /// The units whose figures count (names or aliases from the units
    /// catalogue); `None` leaves it to the rules (docs/indicator-rules.md):
    /// every district, or the districts the task names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reporting_units: Option<Vec<String>>,
    /// The unit that reports the city's own figure (for `single`, the only
    /// figure that counts); `None` leaves it to the rules: the task's lead
    /// department, else the plan's issuer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city_reporter: Option<String>,
    #[serde(default)]
    pub deadline: Option<Date>,
    #[serde(default)]
    pub confidence: Option<Confidence>,
}

fn default_scope() -> Scope {
    Scope::City
}

impl PlanIndicator {
    /// The direction, from the plan or implied by the comparator.
    pub fn better(&self) -> Better {
        self.better
            .unwrap_or_else(|| self.comparator.implied_better())
    }
}

/// A whole plan in the plan JSON of PRODUCT.md section 7. Fields the schema
/// does not know (`non_targets`, `note`, `*_simplified` …) are ignored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlanDoc {
    #[serde(default)]
    pub document: Option<String>,
    /// The document's own title; `None` when it states none.
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub issuer: Option<String>,
    #[serde(default)]
    pub city: Option<String>,
    pub year: i32,
    #[serde(default)]
    pub sections: Vec<PlanSection>,
    #[serde(default)]
    pub indicators: Vec<PlanIndicator>,
}

impl PlanDoc {
    /// The title to file the plan under: its own, or one made from the
    /// issuer and year (市大数据局2022年工作要点).
    pub fn display_title(&self) -> String {
        match self
            .title
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            Some(t) => t.to_string(),
            None => format!(
                "{}{}年工作要点",
                self.issuer.as_deref().unwrap_or("").trim(),
                self.year
            ),
        }
    }

    /// Every task with its path (`一/2`, `四/(十二)/34`), in document order.
    pub fn tasks_with_paths(&self) -> Vec<(String, &PlanTask)> {
        fn walk<'a>(s: &'a PlanSection, prefix: &str, out: &mut Vec<(String, &'a PlanTask)>) {
            let here = if prefix.is_empty() {
                s.number.clone()
            } else {
                format!("{prefix}/{}", s.number)
            };
            for t in &s.tasks {
                out.push((format!("{here}/{}", t.number), t));
            }
            for sub in &s.subsections {
                walk(sub, &here, out);
            }
        }
        let mut out = Vec::new();
        for s in &self.sections {
            walk(s, "", &mut out);
        }
        out
    }

    /// The task at `path` (as [`PlanDoc::tasks_with_paths`] names it), to
    /// change.
    pub fn task_mut(&mut self, path: &str) -> Option<&mut PlanTask> {
        fn walk<'a>(s: &'a mut PlanSection, prefix: &str, path: &str) -> Option<&'a mut PlanTask> {
            let here = if prefix.is_empty() {
                s.number.clone()
            } else {
                format!("{prefix}/{}", s.number)
            };
            let rest = path.strip_prefix(here.as_str())?.strip_prefix('/')?;
            if let Some(i) = s.tasks.iter().position(|t| t.number == rest) {
                return Some(&mut s.tasks[i]);
            }
            s.subsections
                .iter_mut()
                .find_map(|sub| walk(sub, &here, path))
        }
        self.sections.iter_mut().find_map(|s| walk(s, "", path))
    }

    /// Checks what JSON's types cannot: a year in range, finite targets,
    /// ranges the right way round, tasks that exist. Returns every problem.
    pub fn validate(&self) -> Result<(), Vec<String>> {
        let mut problems = Vec::new();
        if !(1990..=2100).contains(&self.year) {
            problems.push(format!("year {} is out of range", self.year));
        }
        let paths: Vec<String> = self
            .tasks_with_paths()
            .into_iter()
            .map(|(p, _)| p)
            .collect();
        for (i, ind) in self.indicators.iter().enumerate() {
            let who = format!("indicator {} ({})", i + 1, ind.name);
            if ind.name.trim().is_empty() {
                problems.push(format!("indicator {} has no name", i + 1));
            }
            if !ind.target.is_finite() {
                problems.push(format!("{who}: target is not a number"));
            }
            if let Some(max) = ind.target_max
                && !(max.is_finite() && max >= ind.target)
            {
                problems.push(format!(
                    "{who}: target_max {max} is below target {}",
                    ind.target
                ));
            }
            if let Some(b) = ind.baseline
                && !b.is_finite()
            {
                problems.push(format!("{who}: baseline is not a number"));
            }
            if let Some(task) = &ind.task
                && !task.is_empty()
                && !paths.iter().any(|p| p == task)
            {
                problems.push(format!(
                    "{who}: task '{task}' is not in the plan's sections"
                ));
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }
}

/// One row of an imported file, ready to commit: the indicator, the figure
/// and its words, and the sheet row it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct BatchRow {
    pub indicator_id: i64,
    pub value: Option<f64>,
    pub progress: String,
    pub problems: String,
    pub next_steps: String,
    pub row: i64,
    /// The figure's own period when it is not the batch's (an earlier month
    /// of a file's series).
    pub period: Option<Period>,
    /// The figure's own unit when the file holds several (a summary table
    /// with one row per district).
    pub unit: Option<String>,
}

/// Figures already in the ledger, by (indicator id, unit name): each
/// period's value. What an importer compares a new figure with.
pub type FigureHistory = std::collections::HashMap<(i64, String), Vec<(Period, f64)>>;

/// One unit's reported figure for one indicator and period, as the progress
/// rules need it.
#[derive(Clone, Debug, PartialEq)]
pub struct Observation {
    pub period: Period,
    /// `None` when the return said something like 已完成 with no number.
    pub value: Option<f64>,
    pub basis: ValueBasis,
    /// For percentages: the counts behind the rate, when a return gives them.
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
}

impl Observation {
    /// A plain year-to-date (or running-total, or level) figure.
    pub fn as_of(period: Period, value: f64) -> Observation {
        Observation {
            period,
            value: Some(value),
            basis: ValueBasis::AsOfPeriodEnd,
            numerator: None,
            denominator: None,
        }
    }
}

/// A unit from the catalogue, as stored.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Unit {
    pub id: i64,
    pub name: String,
    pub kind: UnitKind,
    pub aliases: Vec<String>,
}

/// A stored plan's headline.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PlanSummary {
    pub id: i64,
    pub title: String,
    pub issuer: String,
    pub city: String,
    pub year: i32,
    pub indicators: usize,
    pub tasks: usize,
}

/// An indicator as the ledger keeps it: the plan's statement plus the
/// ledger's own fields (id, stable code, who reports it and how their
/// figures combine).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Indicator {
    pub id: i64,
    pub plan_id: i64,
    pub plan_year: i32,
    /// Stable code used by fill-in templates, e.g. `2023-01-019`.
    pub code: String,
    /// The plan JSON's own id, e.g. `002-19`.
    pub ref_id: Option<String>,
    /// Path of the task, e.g. `五/16`.
    pub task: Option<String>,
    pub task_title: Option<String>,
    pub name: String,
    pub unit: Option<String>,
    pub comparator: Comparator,
    pub target: f64,
    pub target_max: Option<f64>,
    pub baseline: Option<f64>,
    pub better: Better,
    pub kind: Kind,
    pub scope: Scope,
    /// Whose figures count and how they make the city's figure: what the
    /// plan or the user set, the rules' defaults for the rest.
    pub reporting: super::reporting::Reporting,
    pub required_share: f64,
    pub deadline: Date,
    pub phrase: String,
    pub confidence: Option<Confidence>,
    /// The target was revised mid-year (调整目标): the plan's own, when and why.
    pub revision: Option<TargetRevision>,
}

/// A target revised after the plan was saved (调整目标).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TargetRevision {
    /// The plan's target before the revision.
    pub original: f64,
    /// When (`YYYY-MM-DDTHH:MM:SSZ`).
    pub at: String,
    pub reason: String,
}

impl Indicator {
    /// What counts as success, for the progress rules.
    pub fn goal(&self) -> super::progress::Goal {
        super::progress::Goal {
            comparator: self.comparator,
            target: self.target,
            target_max: self.target_max,
            better: self.better,
            baseline: self.baseline,
        }
    }

    /// Whether figures are percentages in percent points.
    pub fn is_percent(&self) -> bool {
        matches!(self.unit.as_deref(), Some("%") | Some("％"))
    }

    /// The progress rule for this indicator under the given settings.
    pub fn rule(
        &self,
        settings: &super::progress::ProgressSettings,
    ) -> super::progress::IndicatorRule {
        let start = settings.year_start(self.plan_year);
        super::progress::IndicatorRule {
            goal: self.goal(),
            kind: self.kind,
            scope: self.scope,
            aggregation: self.reporting.aggregation,
            timeline: super::progress::Timeline {
                start,
                deadline: self.deadline.max(start),
            },
            required_share: self.required_share,
            reporting_units: self.reporting.units.clone(),
            city_reporter: self.reporting.city_reporter.clone(),
            percent: self.is_percent(),
        }
    }
}

/// One stored figure with its words and its origin.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    pub id: i64,
    pub indicator_id: i64,
    pub unit: String,
    pub period: Period,
    pub value: Option<f64>,
    pub basis: ValueBasis,
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
    /// 进展情况
    pub progress: String,
    /// 存在问题
    pub problems: String,
    /// 下步打算
    pub next_steps: String,
    /// The import batch it came from; `None` for a hand entry.
    pub batch_id: Option<i64>,
    pub sheet: Option<String>,
    pub row: Option<i64>,
    pub entered_at: String,
    pub entered_by: String,
}

impl Report {
    /// The figure as the progress rules see it.
    pub fn observation(&self) -> Observation {
        Observation {
            period: self.period,
            value: self.value,
            basis: self.basis,
            numerator: self.numerator,
            denominator: self.denominator,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enum_spellings_round_trip() {
        for k in Kind::ALL {
            assert_eq!(k.as_str().parse::<Kind>().unwrap(), *k);
            assert_eq!(
                serde_json::to_string(k).unwrap(),
                format!("\"{}\"", k.as_str())
            );
        }
        assert_eq!(
            Status::sql_list(),
            "'done','on_track','lagging','behind','overdue','no_data'"
        );
        assert!(
            "sideways"
                .parse::<Better>()
                .unwrap_err()
                .contains("higher, lower")
        );
    }

    #[test]
    fn responsible_units_accept_names_and_objects() {
        let t: PlanTask = serde_json::from_str(
            r#"{"number":"3","title":"x","responsible_units":["市大数据局",{"name":"各区县政府","role":"support"}]}"#,
        )
        .unwrap();
        assert_eq!(t.responsible_units[0].role, Role::Lead);
        assert_eq!(t.responsible_units[1].role, Role::Support);
        assert_eq!(t.responsible_units[1].name, "各区县政府");
    }

    #[test]
    fn validation_names_every_problem() {
        let doc: PlanDoc = serde_json::from_str(
            r#"{"title":"t","year":2023,"sections":[{"number":"一","title":"s","tasks":[{"number":"1","title":"a"}]}],
               "indicators":[{"task":"一/2","name":"n","comparator":">=","target":5,"target_max":3,"kind":"new"}]}"#,
        )
        .unwrap();
        let problems = doc.validate().unwrap_err();
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].contains("target_max"));
        assert!(problems[1].contains("一/2"));
    }
}
