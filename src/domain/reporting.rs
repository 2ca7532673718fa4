//! Who reports an indicator and how their figures make the city's figure;
//! when figures are due. The rules are written for coordinators in
//! `docs/indicator-rules.md`; the tables in `tests/progress_rules.rs` hold
//! this module to them.
//!
//! * **Reporting units** — the units whose figures count. A per-district
//!   indicator counts districts only, never departments; any indicator's set
//!   can be narrowed (the 7 pilot districts). Figures from other units are
//!   shown as unit figures and never become the city's figure.
//! * **City reporter** — the unit that reports the city's own figure: the
//!   task's lead department, else the plan's issuer (the bureau). For
//!   `single` its figure is the only one that counts; for `sum`, `mean`,
//!   `min` and `max` its figure, when it gives one, is the city's figure and
//!   the districts' figures are its parts.
//! * **Reporting cycle** — monthly, quarterly or half-yearly, due on a day
//!   of the next month: at any date this gives the period due, the units that
//!   have not reported it (催报), and which figures are stale.

use super::date::{Date, Period, days_in_month};
use super::model::{Aggregation, Cycle, Kind, ResponsibleUnit, Role, Scope, Unit, UnitKind};
use serde::Serialize;

/// A list of unit names shared by many indicators (every district, say):
/// cloned by reference.
pub type UnitNames = std::sync::Arc<[String]>;

/// Whose figures count for an indicator and how they combine.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Reporting {
    pub aggregation: Aggregation,
    /// The units whose figures count, in catalogue order.
    pub units: UnitNames,
    /// The unit that reports the city's own figure.
    pub city_reporter: Option<String>,
    /// Which of the three the plan or the user set; the others are the
    /// defaults of the rules.
    pub set: ReportingSet,
}

/// Which parts of a [`Reporting`] were set rather than defaulted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ReportingSet {
    pub aggregation: bool,
    pub units: bool,
    pub city_reporter: bool,
}

/// What the plan or the user set for an indicator; `None` leaves a part to
/// the rules.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReportingChoice {
    pub aggregation: Option<Aggregation>,
    pub units: Option<Vec<String>>,
    pub city_reporter: Option<String>,
}

/// What the default rules look at besides the indicator itself.
#[derive(Clone, Copy, Debug)]
pub struct ReportingContext<'a> {
    /// The units catalogue, in its order.
    pub catalogue: &'a [Unit],
    /// The responsible units of the indicator's task, as the plan names them.
    pub responsible: &'a [ResponsibleUnit],
    /// The plan's issuer (淄博市大数据局) as found in the catalogue
    /// ([`resolve_unit`]).
    pub issuer: Option<&'a Unit>,
    /// Every district of the catalogue ([`districts_of`]), made once for
    /// all of a plan's indicators.
    pub districts: &'a UnitNames,
}

/// Every district of a catalogue, in its order.
pub fn districts_of(catalogue: &[Unit]) -> UnitNames {
    catalogue
        .iter()
        .filter(|u| u.kind == UnitKind::District)
        .map(|u| u.name.clone())
        .collect()
}

/// What an indicator's unit of measure says about how figures combine.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Measure {
    /// a rate or ratio: %, ‰, or no unit at all (PUE)
    Share,
    /// money: 元, 万元, 亿元
    Amount,
    /// a time limit: 个工作日, 天, 小时, 分钟 …
    Duration,
    /// a count of things or people
    Count,
}

impl Measure {
    /// The measure of a unit of measure.
    ///
    /// ```
    /// use taizhang::domain::reporting::Measure;
    /// assert_eq!(Measure::of(Some("%")), Measure::Share);
    /// assert_eq!(Measure::of(None), Measure::Share);
    /// assert_eq!(Measure::of(Some("亿元")), Measure::Amount);
    /// assert_eq!(Measure::of(Some("个工作日")), Measure::Duration);
    /// assert_eq!(Measure::of(Some("人")), Measure::Count);
    /// ```
    pub fn of(unit: Option<&str>) -> Measure {
        let Some(u) = unit.map(str::trim).filter(|u| !u.is_empty()) else {
            return Measure::Share;
        };
        if matches!(u, "%" | "％" | "‰" | "倍") {
            Measure::Share
        } else if u.ends_with('元') {
            Measure::Amount
        } else if [
            "工作日",
            "天",
            "日",
            "小时",
            "分钟",
            "秒",
            "毫秒",
            "周",
            "月",
            "年",
        ]
        .iter()
        .any(|t| u.ends_with(t))
        {
            Measure::Duration
        } else {
            Measure::Count
        }
    }
}

/// Whether a responsible unit's name stands for every district (各区县,
/// 各区（市）政府, 各县（市、区）).
pub fn names_all_districts(name: &str) -> bool {
    let n = super::text::fold(name);
    ["各区", "各县", "各功能区", "区县政府", "区县人民政府"]
        .iter()
        .any(|w| n.contains(w))
}

/// The catalogue unit a name stands for: its name or an alias; the same
/// with the city written or left out (淄博市大数据局 / 市大数据局); or, for
/// a district, the district's name followed by an office (张店区政府).
pub fn resolve_unit<'a>(name: &str, catalogue: &'a [Unit]) -> Option<&'a Unit> {
    use super::text::fold;
    let wanted = fold(name.trim());
    if wanted.is_empty() {
        return None;
    }
    let names = |u: &'a Unit| {
        std::iter::once(&u.name)
            .chain(u.aliases.iter())
            .map(|n| fold(n))
    };
    if let Some(u) = catalogue.iter().find(|u| names(u).any(|n| n == wanted)) {
        return Some(u);
    }
    // 淄博市大数据局 and 市大数据局: the same office with and without its city.
    let without_city = |s: &str| -> Option<String> {
        let at = s.find('市')?;
        (at > 0).then(|| s[at..].to_string())
    };
    if let Some(short) = without_city(&wanted)
        && let Some(u) = catalogue
            .iter()
            .find(|u| names(u).any(|n| n == short || without_city(&n).as_deref() == Some(&short)))
    {
        return Some(u);
    }
    catalogue
        .iter()
        .filter(|u| u.kind == UnitKind::District)
        .find(|u| names(u).any(|n| n.chars().count() >= 2 && wanted.starts_with(&n)))
}

/// The reporting an indicator gets from the rules (docs/indicator-rules.md):
///
/// * reporting units: the districts the task names, else every district;
///   for `single`, the city reporter alone;
/// * city reporter: the task's lead department, else the plan's issuer;
/// * aggregation: `single` when the task is led by departments and names no
///   district; otherwise by kind and unit — counts and money add up (`sum`),
///   rates and ratios average (`mean`), any other level (daily users, time
///   limits, star grades) is the city reporter's (`single`).
pub fn default_reporting(
    kind: Kind,
    scope: Scope,
    unit: Option<&str>,
    ctx: &ReportingContext,
) -> Reporting {
    let resolved: Vec<(&ResponsibleUnit, Option<&Unit>)> = ctx
        .responsible
        .iter()
        .map(|r| (r, resolve_unit(&r.name, ctx.catalogue)))
        .collect();
    let all_districts = resolved.iter().any(|(r, _)| names_all_districts(&r.name));
    let named_districts: Vec<&Unit> = resolved
        .iter()
        .filter_map(|(_, u)| *u)
        .filter(|u| u.kind == UnitKind::District)
        .collect();
    let lead_department = resolved
        .iter()
        .find_map(|(r, u)| u.filter(|u| r.role == Role::Lead && u.kind == UnitKind::Department));
    let city_reporter = lead_department.or(ctx.issuer).map(|u| u.name.clone());
    let measure = Measure::of(unit);
    let aggregation = match (scope, kind) {
        (Scope::PerUnit, Kind::Level) => Aggregation::Mean,
        (Scope::PerUnit, _) => Aggregation::Sum,
        (Scope::City, _)
            if lead_department.is_some() && named_districts.is_empty() && !all_districts =>
        {
            Aggregation::Single
        }
        (Scope::City, Kind::Level) => match measure {
            Measure::Share => Aggregation::Mean,
            Measure::Amount => Aggregation::Sum,
            Measure::Duration | Measure::Count => Aggregation::Single,
        },
        (Scope::City, _) => Aggregation::Sum,
    };
    let units = reporting_units(aggregation, scope, &city_reporter, ctx.districts, || {
        if all_districts || named_districts.is_empty() {
            None
        } else {
            Some(named_districts.iter().map(|u| u.name.clone()).collect())
        }
    });
    Reporting {
        aggregation,
        units,
        city_reporter,
        set: ReportingSet::default(),
    }
}

/// The reporting set for an aggregation: the city reporter alone for a
/// city's `single`, otherwise the districts given (or every district).
fn reporting_units(
    aggregation: Aggregation,
    scope: Scope,
    city_reporter: &Option<String>,
    districts: &UnitNames,
    named: impl FnOnce() -> Option<UnitNames>,
) -> UnitNames {
    if scope == Scope::City && aggregation == Aggregation::Single {
        return city_reporter.iter().cloned().collect();
    }
    named().unwrap_or_else(|| districts.clone())
}

/// What the plan or the user set, over the rules' defaults. Names are taken
/// to the catalogue's own spelling; for a per-district indicator, units that
/// are not districts are left out (they never count there).
pub fn effective_reporting(
    choice: &ReportingChoice,
    kind: Kind,
    scope: Scope,
    unit: Option<&str>,
    ctx: &ReportingContext,
) -> Reporting {
    let defaults = default_reporting(kind, scope, unit, ctx);
    let canonical = |n: &String| {
        resolve_unit(n, ctx.catalogue)
            .map(|u| u.name.clone())
            .unwrap_or_else(|| n.clone())
    };
    let aggregation = choice.aggregation.unwrap_or(defaults.aggregation);
    let city_reporter = choice
        .city_reporter
        .as_ref()
        .map(canonical)
        .or(defaults.city_reporter);
    let units = match &choice.units {
        Some(set) => {
            let mut v: Vec<String> = Vec::new();
            for n in set.iter().map(canonical) {
                let district =
                    resolve_unit(&n, ctx.catalogue).is_none_or(|u| u.kind == UnitKind::District);
                if !v.contains(&n) && (scope == Scope::City || district) {
                    v.push(n);
                }
            }
            v.into()
        }
        None if choice.aggregation.is_some() || choice.city_reporter.is_some() => {
            reporting_units(aggregation, scope, &city_reporter, ctx.districts, || {
                (defaults.aggregation != Aggregation::Single || scope == Scope::PerUnit)
                    .then_some(defaults.units.clone())
            })
        }
        None => defaults.units,
    };
    Reporting {
        aggregation,
        units,
        city_reporter,
        set: ReportingSet {
            aggregation: choice.aggregation.is_some(),
            units: choice.units.is_some(),
            city_reporter: choice.city_reporter.is_some(),
        },
    }
}

impl Cycle {
    /// Months from one reporting period to the next.
    pub fn months(self) -> u32 {
        match self {
            Cycle::Monthly => 1,
            Cycle::Quarterly => 3,
            Cycle::HalfYearly => 6,
        }
    }

    /// Whether a month ends a reporting period of this cycle.
    pub fn ends(self, p: Period) -> bool {
        p.month().is_multiple_of(self.months())
    }

    /// The latest period of this cycle at or before `p`.
    pub fn at_or_before(self, p: Period) -> Period {
        let mut q = p;
        while !self.ends(q) {
            q = q.previous();
        }
        q
    }

    /// The reporting periods after `after` up to and including `until`.
    ///
    /// ```
    /// use taizhang::domain::{Cycle, Period};
    /// let p = |s: &str| s.parse::<Period>().unwrap();
    /// assert_eq!(Cycle::Monthly.periods_after(p("2023-06"), p("2023-12")), 6);
    /// assert_eq!(Cycle::Quarterly.periods_after(p("2023-05"), p("2023-12")), 3);
    /// assert_eq!(Cycle::Monthly.periods_after(p("2023-12"), p("2023-12")), 0);
    /// ```
    pub fn periods_after(self, after: Period, until: Period) -> u32 {
        let (mut n, mut q) = (0, after.next());
        while q <= until {
            if self.ends(q) {
                n += 1;
            }
            q = q.next();
        }
        n
    }
}

/// The period units are filling in at a date: the first reporting period
/// after the period due (as of 30 June, monthly: June), or, before any is
/// due, the first one ending at or after the date's month.
///
/// ```
/// use taizhang::domain::{Cycle, Date, reporting::{period_due, period_open}};
/// let d: Date = "2023-07-05".parse().unwrap();
/// let due = period_due(Cycle::Monthly, 10, d);
/// assert_eq!(period_open(Cycle::Monthly, Some(due), d).to_string(), "2023-06");
/// assert_eq!(period_open(Cycle::Quarterly, None, "2023-01-05".parse().unwrap()).to_string(), "2023-03");
/// ```
pub fn period_open(cycle: Cycle, due: Option<Period>, as_of: Date) -> Period {
    let mut p = due.map_or(as_of.period(), Period::next);
    while !cycle.ends(p) {
        p = p.next();
    }
    p
}

/// The day a period's figures are due: `due_day` of the month after it (the
/// month's last day when it is shorter).
pub fn due_date(p: Period, due_day: u32) -> Date {
    let n = p.next();
    let day = due_day.clamp(1, days_in_month(n.year(), n.month()));
    Date::new(n.year(), n.month(), day).expect("a day within its month")
}

/// The period due at `as_of`: the latest reporting period whose figures
/// were due on or before that day. As of 2023-06-30, monthly and due on the
/// 10th: 2023-05 (June's figures are due on 10 July).
///
/// ```
/// use taizhang::domain::{Cycle, Date, reporting::period_due};
/// let d = |s: &str| s.parse::<Date>().unwrap();
/// assert_eq!(period_due(Cycle::Monthly, 10, d("2023-06-30")).to_string(), "2023-05");
/// assert_eq!(period_due(Cycle::Monthly, 10, d("2023-07-10")).to_string(), "2023-06");
/// assert_eq!(period_due(Cycle::Quarterly, 10, d("2023-06-30")).to_string(), "2023-03");
/// ```
pub fn period_due(cycle: Cycle, due_day: u32, as_of: Date) -> Period {
    let mut p = cycle.at_or_before(as_of.period());
    while due_date(p, due_day) > as_of {
        p = cycle.at_or_before(p.previous());
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(name: &str, kind: UnitKind, aliases: &[&str]) -> Unit {
        Unit {
            id: 0,
            name: name.into(),
            kind,
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
        }
    }

    fn catalogue() -> Vec<Unit> {
        vec![
            unit("张店区", UnitKind::District, &[]),
            unit("淄川区", UnitKind::District, &[]),
            unit("高新区", UnitKind::District, &["淄博高新区"]),
            unit("淄博市大数据局", UnitKind::Department, &["市大数据局"]),
            unit(
                "淄博市发展和改革委员会",
                UnitKind::Department,
                &["市发展改革委"],
            ),
        ]
    }

    #[test]
    fn names_resolve_through_aliases_cities_and_offices() {
        let c = catalogue();
        let name = |n: &str| resolve_unit(n, &c).map(|u| u.name.as_str());
        assert_eq!(name("市大数据局"), Some("淄博市大数据局"));
        assert_eq!(name("淄博市大数据局"), Some("淄博市大数据局"));
        assert_eq!(name("张店区政府"), Some("张店区"));
        assert_eq!(name("淄博高新区管委会"), Some("高新区"));
        assert_eq!(name("市发展改革委"), Some("淄博市发展和改革委员会"));
        assert_eq!(name("市教育局"), None);
        assert_eq!(name(""), None);
    }

    #[test]
    fn defaults_follow_kind_unit_scope_and_responsible_units() {
        let c = catalogue();
        let lead = |n: &str| ResponsibleUnit {
            name: n.into(),
            role: Role::Lead,
        };
        let districts = districts_of(&c);
        let with = |responsible: &[ResponsibleUnit], kind, scope, unit| {
            let ctx = ReportingContext {
                catalogue: &c,
                responsible,
                issuer: resolve_unit("淄博市大数据局", &c),
                districts: &districts,
            };
            default_reporting(kind, scope, unit, &ctx)
        };
        let all: UnitNames = vec!["张店区".to_string(), "淄川区".into(), "高新区".into()].into();
        let bureau = Some("淄博市大数据局".to_string());
        // Counts add up over every district; the bureau reports the city.
        let r = with(&[], Kind::New, Scope::City, Some("个"));
        assert_eq!(
            (r.aggregation, &r.units, &r.city_reporter),
            (Aggregation::Sum, &all, &bureau)
        );
        // A rate or ratio averages; a daily user count is the bureau's.
        assert_eq!(
            with(&[], Kind::Level, Scope::City, None).aggregation,
            Aggregation::Mean
        );
        let r = with(&[], Kind::Level, Scope::City, Some("人"));
        assert_eq!(
            (r.aggregation, r.units),
            (
                Aggregation::Single,
                UnitNames::from(vec!["淄博市大数据局".to_string()])
            )
        );
        assert_eq!(
            with(&[], Kind::Level, Scope::City, Some("亿元")).aggregation,
            Aggregation::Sum
        );
        // Per district: districts only, whatever the kind.
        assert_eq!(with(&[], Kind::Level, Scope::PerUnit, Some("%")).units, all);
        // A task led by a department alone: its figure is the city's.
        let r = with(&[lead("市发展改革委")], Kind::New, Scope::City, Some("个"));
        assert_eq!(r.aggregation, Aggregation::Single);
        assert_eq!(r.city_reporter.as_deref(), Some("淄博市发展和改革委员会"));
        assert_eq!(r.units.to_vec(), vec!["淄博市发展和改革委员会".to_string()]);
        // Named districts narrow the set; 各区县 keeps every district.
        let named = [lead("市大数据局"), lead("张店区政府"), lead("淄川区")];
        let r = with(&named, Kind::New, Scope::City, Some("个"));
        assert_eq!(r.aggregation, Aggregation::Sum);
        assert_eq!(
            r.units.to_vec(),
            vec!["张店区".to_string(), "淄川区".into()]
        );
        let every = [lead("市大数据局"), lead("各区县政府")];
        let r = with(&every, Kind::New, Scope::City, Some("个"));
        assert_eq!((r.aggregation, r.units), (Aggregation::Sum, all));
    }

    #[test]
    fn a_choice_overrides_the_defaults_part_by_part() {
        let c = catalogue();
        let districts = districts_of(&c);
        let ctx = ReportingContext {
            catalogue: &c,
            responsible: &[],
            issuer: resolve_unit("市大数据局", &c),
            districts: &districts,
        };
        let choice = ReportingChoice {
            aggregation: Some(Aggregation::Max),
            units: Some(vec!["张店区".into(), "市大数据局".into(), "张店区".into()]),
            city_reporter: None,
        };
        // Per district: the department is left out, duplicates too.
        let r = effective_reporting(&choice, Kind::Level, Scope::PerUnit, Some("%"), &ctx);
        assert_eq!(r.units.to_vec(), vec!["张店区".to_string()]);
        assert_eq!(r.aggregation, Aggregation::Max);
        assert!(r.set.aggregation && r.set.units && !r.set.city_reporter);
        // Only the aggregation set to single: the city reporter alone.
        let single = ReportingChoice {
            aggregation: Some(Aggregation::Single),
            ..Default::default()
        };
        let r = effective_reporting(&single, Kind::New, Scope::City, Some("个"), &ctx);
        assert_eq!(r.units, UnitNames::from(vec!["淄博市大数据局".to_string()]));
        // Set to sum where the default was single: every district again.
        let sum = ReportingChoice {
            aggregation: Some(Aggregation::Sum),
            ..Default::default()
        };
        let r = effective_reporting(&sum, Kind::Level, Scope::City, Some("人"), &ctx);
        assert_eq!(r.units.len(), 3);
    }

    #[test]
    fn cycles_and_due_dates() {
        let d = |s: &str| s.parse::<Date>().unwrap();
        let p = |s: &str| s.parse::<Period>().unwrap();
        assert_eq!(due_date(p("2023-01"), 31), d("2023-02-28"));
        assert_eq!(due_date(p("2023-12"), 10), d("2024-01-10"));
        assert_eq!(
            period_due(Cycle::Monthly, 10, d("2023-06-09")),
            p("2023-04")
        );
        assert_eq!(
            period_due(Cycle::Monthly, 10, d("2023-06-10")),
            p("2023-05")
        );
        assert_eq!(
            period_due(Cycle::HalfYearly, 10, d("2023-12-31")),
            p("2023-06")
        );
        assert_eq!(
            period_due(Cycle::HalfYearly, 10, d("2024-01-10")),
            p("2023-12")
        );
        assert_eq!(
            period_due(Cycle::Quarterly, 15, d("2023-10-14")),
            p("2023-06")
        );
        assert_eq!(Cycle::Quarterly.at_or_before(p("2023-02")), p("2022-12"));
        assert_eq!(
            Cycle::HalfYearly.periods_after(p("2023-01"), p("2023-12")),
            2
        );
    }
}
