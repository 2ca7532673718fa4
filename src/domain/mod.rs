//! The ledger's types and its progress rules, as pure functions over plain
//! data. Nothing here touches a file, a database or a window: the other layers
//! build on it, and it depends on nothing but std and serde.

pub mod date;
pub mod decode;
pub mod lexicon;
pub mod lineage;
pub mod meeting;
pub mod model;
pub mod progress;
pub mod reporting;
pub mod text;
pub mod words;

pub use date::{Date, DateError, Period};
pub use model::{
    Aggregation, AuditAction, BatchRow, Better, Comparator, Confidence, Cycle, FigureHistory,
    Indicator, Kind, Observation, PlanDoc, PlanIndicator, PlanSection, PlanSummary, PlanTask,
    Report, ResponsibleUnit, Role, Scope, Status, TargetRevision, Unit, UnitKind, UnitSpec,
    UnitsFile, ValueBasis,
};
pub use progress::{
    CitySource, Evaluation, Figure, Forecast, Goal, IndicatorRule, Pace, ProgressSettings,
    Timeline, UnitEvaluation, UnitInput, due_soon, expected_progress, judge, roll_up, unit_figure,
    units_not_reported,
};
pub use reporting::{Reporting, ReportingChoice, ReportingContext, ReportingSet, UnitNames};
