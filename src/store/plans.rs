//! Plans: importing a plan document's JSON (updating in place on re-import),
//! listing plans, reading the task tree and the indicators back.

use super::db::{OptionalExtension, Row, ToValue, Transaction, Value, params};
use super::{Context, Result, Store, StoreError};
use crate::domain::{
    Aggregation, Date, Indicator, PlanDoc, PlanIndicator, PlanSection, PlanSummary, PlanTask,
    Reporting, ReportingChoice, ReportingContext, ReportingSet, ResponsibleUnit, Role,
};
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// What a plan import did.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct PlanImport {
    pub plan_id: i64,
    /// `false` when an existing plan (same title, year and issuer) was updated.
    pub created: bool,
    pub sections: usize,
    pub tasks: usize,
    pub indicators_added: usize,
    pub indicators_updated: usize,
    /// No longer in the document but kept, because figures were reported for them.
    pub indicators_retired: usize,
    pub indicators_removed: usize,
}

/// The setting naming the plan commands and the window open on.
const CURRENT_PLAN: &str = "current_plan";

const INDICATOR_SELECT: &str = "
    SELECT i.id, i.plan_id, p.year, i.code, i.ref_id, t.path, t.title, i.name, i.unit,
           i.comparator, i.target, i.target_max, i.baseline, i.better, i.kind, i.scope,
           i.aggregation, i.required_share, du.name, i.deadline, i.phrase, i.confidence,
           i.aggregation_set, i.task_id, p.issuer,
           (SELECT group_concat(u.name, char(31)) FROM
              (SELECT unit_id FROM indicator_units WHERE indicator_id = i.id ORDER BY position) iu
              JOIN units u ON u.id = iu.unit_id),
           i.original_target, i.target_revised_at, i.target_reason
    FROM indicators i
    JOIN plans p ON p.id = i.plan_id
    LEFT JOIN tasks t ON t.id = i.task_id
    LEFT JOIN units du ON du.id = i.designated_unit_id";

/// An indicator as stored, before the rules fill in its reporting.
struct StoredIndicator {
    indicator: Indicator,
    choice: ReportingChoice,
    task_id: Option<i64>,
    issuer: String,
}

fn parse_col<T: std::str::FromStr<Err = E>, E: std::fmt::Display>(
    r: &Row,
    i: usize,
) -> super::db::Result<T> {
    let s: String = r.get(i)?;
    s.parse().map_err(|e: E| super::db::bad_column(i, e))
}

fn indicator_from_row(r: &Row) -> super::db::Result<StoredIndicator> {
    let confidence: Option<String> = r.get(21)?;
    let aggregation: Aggregation = parse_col(r, 16)?;
    let aggregation_set: bool = r.get(22)?;
    let units: Option<String> = r.get(25)?;
    let city_reporter: Option<String> = r.get(18)?;
    let choice = ReportingChoice {
        aggregation: aggregation_set.then_some(aggregation),
        units: units.map(|u| u.split('\u{1f}').map(str::to_string).collect()),
        city_reporter,
    };
    let indicator = Indicator {
        id: r.get(0)?,
        plan_id: r.get(1)?,
        plan_year: r.get(2)?,
        code: r.get(3)?,
        ref_id: r.get(4)?,
        task: r.get(5)?,
        task_title: r.get(6)?,
        name: r.get(7)?,
        unit: r.get(8)?,
        comparator: parse_col(r, 9)?,
        target: r.get(10)?,
        target_max: r.get(11)?,
        baseline: r.get(12)?,
        better: parse_col(r, 13)?,
        kind: parse_col(r, 14)?,
        scope: parse_col(r, 15)?,
        // Filled in by `Store::finish_indicators`.
        reporting: Reporting {
            aggregation,
            units: Vec::new().into(),
            city_reporter: None,
            set: ReportingSet::default(),
        },
        required_share: r.get(17)?,
        deadline: parse_col(r, 19)?,
        phrase: r.get(20)?,
        confidence: confidence.and_then(|c| c.parse().ok()),
        revision: match r.get::<_, Option<f64>>(26)? {
            Some(original) => Some(crate::domain::TargetRevision {
                original,
                at: r.get::<_, Option<String>>(27)?.unwrap_or_default(),
                reason: r.get::<_, Option<String>>(28)?.unwrap_or_default(),
            }),
            None => None,
        },
    };
    Ok(StoredIndicator {
        indicator,
        choice,
        task_id: r.get(23)?,
        issuer: r.get(24)?,
    })
}

/// The indicator code for `seq` in a plan: `2023-01-019`.
fn indicator_code(year: i32, plan_id: i64, seq: i64) -> String {
    format!("{year}-{plan_id:02}-{seq:03}")
}

struct Existing {
    id: i64,
    ref_id: Option<String>,
    task: Option<String>,
    name: String,
}

impl Store {
    /// Stores a plan. A plan with the same title, year and issuer is updated
    /// in place: sections and tasks by their paths, indicators by their id in
    /// the JSON, else by task and name, else by name — so codes and reported
    /// figures survive. An indicator that left the document is removed, or
    /// kept as retired if figures were reported for it.
    pub fn import_plan(&mut self, doc: &PlanDoc, source_text: Option<&str>) -> Result<PlanImport> {
        doc.validate()
            .map_err(|p| StoreError::Invalid(format!("the plan is not valid: {}", p.join("; "))))?;
        let issuer = doc.issuer.as_deref().unwrap_or("").trim().to_string();
        let title_owned = doc.display_title();
        let title = title_owned.as_str();
        self.writable()?;
        let tx = self
            .conn
            .transaction()
            .context("starting the plan import")?;
        let mut out = PlanImport::default();
        let existing: Option<i64> = tx
            .query_row(
                "SELECT id FROM plans WHERE title = ?1 AND year = ?2 AND issuer = ?3",
                params![title, doc.year, issuer],
                |r| r.get(0),
            )
            .optional()
            .context("looking for the plan")?;
        let plan_id = match existing {
            Some(id) => {
                tx.execute(
                    "UPDATE plans SET city = ?2, document = ?3, source_text = COALESCE(?4, source_text),
                     updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?1",
                    params![id, doc.city.as_deref().unwrap_or(""), doc.document, source_text],
                )
                .context("updating the plan")?;
                id
            }
            None => {
                tx.execute(
                    "INSERT INTO plans (title, issuer, city, year, document, source_text) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    params![title, issuer, doc.city.as_deref().unwrap_or(""), doc.year, doc.document, source_text],
                )
                .context("adding the plan")?;
                out.created = true;
                tx.last_insert_rowid()
            }
        };
        out.plan_id = plan_id;

        let mut seen_sections = HashSet::new();
        let mut task_ids: HashMap<String, i64> = HashMap::new();
        for (pos, s) in doc.sections.iter().enumerate() {
            upsert_section(
                &tx,
                plan_id,
                None,
                "",
                pos,
                s,
                &mut seen_sections,
                &mut task_ids,
            )?;
        }
        out.sections = seen_sections.len();
        out.tasks = task_ids.len();

        // Indicators, matched to what the plan already had.
        let catalogue = super::units::units_of(&tx)?;
        let mut existing: Vec<Existing> = {
            let mut st = tx
                .prepare(
                    "SELECT i.id, i.ref_id, t.path, i.name FROM indicators i
                     LEFT JOIN tasks t ON t.id = i.task_id WHERE i.plan_id = ?1 AND i.added_by_hand = 0
                     ORDER BY i.position",
                )
                .context("reading the plan's indicators")?;
            st.query_map([plan_id], |r| {
                Ok(Existing {
                    id: r.get(0)?,
                    ref_id: r.get(1)?,
                    task: r.get(2)?,
                    name: r.get(3)?,
                })
            })
            .context("reading the plan's indicators")?
            .collect::<super::db::Result<_>>()
            .context("reading the plan's indicators")?
        };
        let mut next_seq = {
            let mut st = tx
                .prepare("SELECT code FROM indicators WHERE plan_id = ?1")
                .context("reading indicator codes")?;
            let codes: Vec<String> = st
                .query_map([plan_id], |r| r.get(0))
                .context("reading indicator codes")?
                .collect::<super::db::Result<_>>()
                .context("reading indicator codes")?;
            codes
                .iter()
                .filter_map(|c| c.rsplit('-').next()?.parse::<i64>().ok())
                .max()
                .unwrap_or(0)
                + 1
        };
        for (pos, ind) in doc.indicators.iter().enumerate() {
            let task_id = ind.task.as_deref().and_then(|p| task_ids.get(p)).copied();
            let found = take_match(&mut existing, ind);
            let deadline = ind
                .deadline
                .unwrap_or_else(|| Date::end_of_year(doc.year))
                .to_string();
            let p = params![
                plan_id,
                task_id,
                ind.id,
                pos as i64,
                ind.name.trim(),
                ind.unit,
                ind.comparator.as_str(),
                ind.target,
                ind.target_max,
                ind.baseline,
                ind.better().as_str(),
                ind.kind.as_str(),
                ind.scope.as_str(),
                ind.aggregation.map(|a| a.as_str()),
                deadline,
                ind.phrase,
                ind.confidence.map(|c| c.as_str()),
            ];
            let id = match found {
                Some(id) => {
                    tx.execute(
                        "UPDATE indicators SET plan_id = ?1, task_id = ?2, ref_id = ?3, position = ?4, name = ?5,
                           unit = ?6, comparator = ?7,
                           -- a revised target (调整目标) outlives the document's
                           target = CASE WHEN original_target IS NULL THEN ?8 ELSE target END,
                           target_max = ?9,
                           baseline = COALESCE(?10, baseline), better = ?11, kind = ?12, scope = ?13,
                           aggregation = COALESCE(?14, aggregation),
                           aggregation_set = CASE WHEN ?14 IS NULL THEN aggregation_set ELSE 1 END,
                           deadline = ?15, phrase = ?16, confidence = ?17,
                           -- retired by hand: stays so
                           retired = retired_by_hand
                         WHERE id = ?18",
                        p.iter().map(|v| v.to_value()).chain([Value::Int(id)]).collect::<Vec<Value>>(),
                    )
                    .context(&format!("updating indicator '{}'", ind.name))?;
                    out.indicators_updated += 1;
                    id
                }
                None => {
                    let code = indicator_code(doc.year, plan_id, next_seq);
                    next_seq += 1;
                    // Not chosen: a placeholder the rules replace when read
                    // (aggregation_set = 0).
                    let placeholder = Aggregation::Sum.as_str();
                    tx.execute(
                        "INSERT INTO indicators (plan_id, task_id, ref_id, position, name, unit, comparator, target,
                           target_max, baseline, better, kind, scope, aggregation, deadline, phrase, confidence, code,
                           aggregation_set)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, COALESCE(?14, ?18), ?15, ?16, ?17, ?19,
                           CASE WHEN ?14 IS NULL THEN 0 ELSE 1 END)",
                        p.iter()
                            .map(|v| v.to_value())
                            .chain([placeholder.to_value(), code.to_value()])
                            .collect::<Vec<Value>>(),
                    )
                    .context(&format!("adding indicator '{}'", ind.name))?;
                    out.indicators_added += 1;
                    tx.last_insert_rowid()
                }
            };
            set_reporting(&tx, &catalogue, id, ind)?;
        }
        for gone in existing {
            let reported: bool = tx
                .query_row(
                    "SELECT EXISTS (SELECT 1 FROM reports WHERE indicator_id = ?1)",
                    [gone.id],
                    |r| r.get(0),
                )
                .context("checking an indicator's reports")?;
            if reported {
                tx.execute(
                    "UPDATE indicators SET retired = 1, task_id = NULL WHERE id = ?1",
                    [gone.id],
                )
                .context("retiring an indicator")?;
                out.indicators_retired += 1;
            } else {
                tx.execute("DELETE FROM indicators WHERE id = ?1", [gone.id])
                    .context("removing an indicator")?;
                out.indicators_removed += 1;
            }
        }
        // Tasks and sections the document no longer has.
        let keep_tasks: Vec<i64> = task_ids.values().copied().collect();
        delete_except(&tx, "tasks", plan_id, &keep_tasks)?;
        let keep_sections: Vec<i64> = seen_sections.into_iter().collect();
        delete_except(&tx, "sections", plan_id, &keep_sections)?;
        tx.commit().context("committing the plan import")?;
        // A plan imported anew is the one the coordinator works on now.
        if out.created {
            self.set_current_plan(out.plan_id)?;
        }
        // The same metrics last year and next year: links proposed for the
        // indicators that have none.
        self.propose_links(out.plan_id)?;
        Ok(out)
    }

    /// Every plan, newest year first.
    pub fn plans(&self) -> Result<Vec<PlanSummary>> {
        let mut st = self
            .conn
            .prepare(
                "SELECT p.id, p.title, p.issuer, p.city, p.year,
                   (SELECT COUNT(*) FROM indicators i WHERE i.plan_id = p.id AND i.retired = 0),
                   (SELECT COUNT(*) FROM tasks t WHERE t.plan_id = p.id)
                 FROM plans p ORDER BY p.year DESC, p.id DESC",
            )
            .context("listing plans")?;
        let rows = st
            .query_map([], |r| {
                Ok(PlanSummary {
                    id: r.get(0)?,
                    title: r.get(1)?,
                    issuer: r.get(2)?,
                    city: r.get(3)?,
                    year: r.get(4)?,
                    indicators: r.get::<_, i64>(5)? as usize,
                    tasks: r.get::<_, i64>(6)? as usize,
                })
            })
            .context("listing plans")?;
        rows.collect::<super::db::Result<_>>()
            .context("listing plans")
    }

    /// One plan's headline; an unknown id is an error naming it.
    pub fn plan(&self, id: i64) -> Result<PlanSummary> {
        self.plans()?
            .into_iter()
            .find(|p| p.id == id)
            .ok_or_else(|| {
                StoreError::NotFound(format!(
                    "plan {id} does not exist (see `taizhang plan list`)"
                ))
            })
    }

    /// The plan `id`, or when `None` the current plan (the one last imported
    /// anew, or chosen with [`Store::set_current_plan`]), else the newest;
    /// an error when there is none.
    pub fn plan_or_latest(&self, id: Option<i64>) -> Result<PlanSummary> {
        match id {
            Some(id) => self.plan(id),
            None => {
                // The plan the coordinator works on, when set and still there.
                if let Some(current) = self
                    .setting(CURRENT_PLAN)?
                    .and_then(|v| v.parse::<i64>().ok())
                    && let Ok(p) = self.plan(current)
                {
                    return Ok(p);
                }
                self.newest_plan()
            }
        }
    }

    /// Makes a plan the one commands and the window open on when none is
    /// named. A plan imported anew becomes it.
    pub fn set_current_plan(&mut self, id: i64) -> Result<()> {
        self.plan(id)?;
        self.set_setting(CURRENT_PLAN, &id.to_string())
    }

    /// The newest plan: the latest year, the last imported within it.
    fn newest_plan(&self) -> Result<PlanSummary> {
        self.plans()?.into_iter().next().ok_or_else(|| {
            StoreError::NotFound(
                "the database has no plan yet (import one with `taizhang plan import FILE`)".into(),
            )
        })
    }

    /// The plan as a document again: sections, tasks with responsible units,
    /// and its current (not retired) indicators.
    pub fn plan_doc(&self, id: i64) -> Result<PlanDoc> {
        let (title, issuer, city, year, document): (String, String, String, i32, Option<String>) =
            self.conn
                .query_row(
                    "SELECT title, issuer, city, year, document FROM plans WHERE id = ?1",
                    [id],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
                )
                .optional()
                .context("reading the plan")?
                .ok_or_else(|| {
                    StoreError::NotFound(format!(
                        "plan {id} does not exist (see `taizhang plan list`)"
                    ))
                })?;
        struct SectionRow {
            id: i64,
            parent: Option<i64>,
            number: String,
            title: String,
        }
        let sections: Vec<SectionRow> = {
            let mut st = self
                .conn
                .prepare("SELECT id, parent_id, number, title FROM sections WHERE plan_id = ?1 ORDER BY position, id")
                .context("reading sections")?;
            st.query_map([id], |r| {
                Ok(SectionRow {
                    id: r.get(0)?,
                    parent: r.get(1)?,
                    number: r.get(2)?,
                    title: r.get(3)?,
                })
            })
            .context("reading sections")?
            .collect::<super::db::Result<_>>()
            .context("reading sections")?
        };
        let mut tasks: HashMap<i64, Vec<PlanTask>> = HashMap::new();
        {
            let mut st = self
                .conn
                .prepare(
                    "SELECT t.section_id, t.number, t.title, t.deadline,
                       (SELECT group_concat(tu.role || ':' || tu.name, char(31))
                          FROM (SELECT * FROM task_units WHERE task_id = t.id ORDER BY position) tu)
                     FROM tasks t WHERE t.plan_id = ?1 ORDER BY t.position, t.id",
                )
                .context("reading tasks")?;
            let rows = st
                .query_map([id], |r| {
                    let deadline: Option<String> = r.get(3)?;
                    let units: Option<String> = r.get(4)?;
                    Ok((
                        r.get::<_, i64>(0)?,
                        PlanTask {
                            number: r.get(1)?,
                            title: r.get(2)?,
                            deadline: deadline.and_then(|d| d.parse().ok()),
                            responsible_units: units
                                .map(|u| {
                                    u.split('\u{1f}')
                                        .filter_map(|x| {
                                            let (role, name) = x.split_once(':')?;
                                            Some(ResponsibleUnit {
                                                name: name.to_string(),
                                                role: role.parse().unwrap_or(Role::Lead),
                                            })
                                        })
                                        .collect()
                                })
                                .unwrap_or_default(),
                        },
                    ))
                })
                .context("reading tasks")?;
            for row in rows {
                let (section, task) = row.context("reading tasks")?;
                tasks.entry(section).or_default().push(task);
            }
        }
        fn build(
            parent: Option<i64>,
            rows: &[SectionRow],
            tasks: &mut HashMap<i64, Vec<PlanTask>>,
        ) -> Vec<PlanSection> {
            rows.iter()
                .filter(|s| s.parent == parent)
                .map(|s| PlanSection {
                    number: s.number.clone(),
                    title: s.title.clone(),
                    tasks: tasks.remove(&s.id).unwrap_or_default(),
                    subsections: build(Some(s.id), rows, tasks),
                })
                .collect()
        }
        let indicators = self
            .indicators(id)?
            .into_iter()
            .map(|i| PlanIndicator {
                id: i.ref_id,
                task: i.task,
                phrase: i.phrase,
                name: i.name,
                comparator: i.comparator,
                target: i.target,
                target_max: i.target_max,
                unit: i.unit,
                better: Some(i.better),
                baseline: i.baseline,
                scope: i.scope,
                kind: i.kind,
                aggregation: i
                    .reporting
                    .set
                    .aggregation
                    .then_some(i.reporting.aggregation),
                reporting_units: i.reporting.set.units.then(|| i.reporting.units.to_vec()),
                city_reporter: i
                    .reporting
                    .city_reporter
                    .clone()
                    .filter(|_| i.reporting.set.city_reporter),
                deadline: Some(i.deadline),
                confidence: i.confidence,
            })
            .collect();
        Ok(PlanDoc {
            document,
            title: Some(title),
            issuer: Some(issuer).filter(|s| !s.is_empty()),
            city: Some(city).filter(|s| !s.is_empty()),
            year,
            sections: build(None, &sections, &mut tasks),
            indicators,
        })
    }

    /// A plan's current indicators, in document order.
    pub fn indicators(&self, plan_id: i64) -> Result<Vec<Indicator>> {
        let sql = format!(
            "{INDICATOR_SELECT} WHERE i.plan_id = ?1 AND i.retired = 0 ORDER BY i.position, i.id"
        );
        let mut st = self.conn.prepare(&sql).context("listing indicators")?;
        let rows = st
            .query_map([plan_id], indicator_from_row)
            .context("listing indicators")?;
        let stored = rows
            .collect::<super::db::Result<_>>()
            .context("listing indicators")?;
        self.finish_indicators(stored)
    }

    /// Fills in each indicator's reporting: what was set, the rules'
    /// defaults (from its kind, unit, scope, its task's responsible units,
    /// the plan's issuer and the units catalogue) for the rest.
    fn finish_indicators(&self, stored: Vec<StoredIndicator>) -> Result<Vec<Indicator>> {
        if stored.is_empty() {
            return Ok(Vec::new());
        }
        let catalogue = self.units()?;
        let mut responsible: HashMap<i64, Vec<ResponsibleUnit>> = HashMap::new();
        {
            let mut st = self
                .conn
                .prepare_cached(
                    "SELECT tu.task_id, tu.name, tu.role FROM task_units tu
                     JOIN tasks t ON t.id = tu.task_id WHERE t.plan_id = ?1 ORDER BY tu.task_id, tu.position",
                )
                .context("reading responsible units")?;
            let plans: HashSet<i64> = stored.iter().map(|s| s.indicator.plan_id).collect();
            for plan in plans {
                let rows = st
                    .query_map([plan], |r| {
                        let role: String = r.get(2)?;
                        Ok((
                            r.get::<_, i64>(0)?,
                            ResponsibleUnit {
                                name: r.get(1)?,
                                role: role.parse().unwrap_or(Role::Lead),
                            },
                        ))
                    })
                    .context("reading responsible units")?;
                for row in rows {
                    let (task, unit) = row.context("reading responsible units")?;
                    responsible.entry(task).or_default().push(unit);
                }
            }
        }
        let districts = crate::domain::reporting::districts_of(&catalogue);
        // Each plan's issuer looked up once.
        let mut issuers: HashMap<String, Option<&crate::domain::Unit>> = HashMap::new();
        Ok(stored
            .into_iter()
            .map(|s| {
                let mut ind = s.indicator;
                let issuer = *issuers.entry(s.issuer.clone()).or_insert_with(|| {
                    crate::domain::reporting::resolve_unit(&s.issuer, &catalogue)
                });
                let ctx = ReportingContext {
                    catalogue: &catalogue,
                    responsible: s
                        .task_id
                        .and_then(|t| responsible.get(&t))
                        .map(Vec::as_slice)
                        .unwrap_or(&[]),
                    issuer,
                    districts: &districts,
                };
                ind.reporting = crate::domain::reporting::effective_reporting(
                    &s.choice,
                    ind.kind,
                    ind.scope,
                    ind.unit.as_deref(),
                    &ctx,
                );
                ind
            })
            .collect())
    }

    /// The text of the plan's document as it was read, if it was kept.
    pub fn plan_source_text(&self, id: i64) -> Result<Option<String>> {
        self.conn
            .query_row("SELECT source_text FROM plans WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()
            .context("reading the plan's text")
            .map(Option::flatten)
    }

    /// One indicator by id (retired or not).
    pub fn indicator(&self, id: i64) -> Result<Indicator> {
        let sql = format!("{INDICATOR_SELECT} WHERE i.id = ?1");
        let mut st = self.conn.prepare(&sql).context("reading an indicator")?;
        let found: Vec<StoredIndicator> = st
            .query_map([id], indicator_from_row)
            .context("reading an indicator")?
            .collect::<super::db::Result<_>>()
            .context("reading an indicator")?;
        self.finish_indicators(found)?
            .into_iter()
            .next()
            .ok_or_else(|| StoreError::NotFound(format!("indicator {id} does not exist")))
    }

    /// The indicator a code or name stands for (in `plan_id`, or in any plan).
    /// A name shared by indicators of several plans is an error that lists
    /// their codes.
    pub fn find_indicator(&self, key: &str, plan_id: Option<i64>) -> Result<Indicator> {
        let key = key.trim();
        let sql = format!(
            "{INDICATOR_SELECT} WHERE i.retired = 0 AND (CAST(?2 AS BIGINT) IS NULL OR i.plan_id = ?2)
               AND (i.code = ?1 OR i.name = ?1 OR i.id IN (SELECT indicator_id FROM indicator_aliases WHERE alias = ?1))
             ORDER BY i.code = ?1 DESC, i.name = ?1 DESC, p.year DESC"
        );
        let mut st = self.conn.prepare(&sql).context("looking up an indicator")?;
        let found: Vec<StoredIndicator> = st
            .query_map(params![key, plan_id], indicator_from_row)
            .context("looking up an indicator")?
            .collect::<super::db::Result<_>>()
            .context("looking up an indicator")?;
        let found = self.finish_indicators(found)?;
        match found.len() {
            0 => Err(StoreError::NotFound(format!(
                "no indicator is named or coded '{key}'{}",
                plan_id.map(|p| format!(" in plan {p}")).unwrap_or_default()
            ))),
            1 => Ok(found.into_iter().next().expect("one")),
            _ if found[0].code == key => Ok(found.into_iter().next().expect("one")),
            _ => Err(StoreError::Invalid(format!(
                "'{key}' names several indicators ({}); give a code or --plan",
                found
                    .iter()
                    .map(|i| i.code.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))),
        }
    }
}

/// Stores the reporting units and the city reporter a plan sets for an
/// indicator (what it leaves out stays as it was: a re-imported document
/// keeps the user's choices). Names go through the units catalogue; one it
/// does not know is an error that says how to add it.
impl Store {
    /// Adds an indicator to a saved plan (one the document's reading
    /// missed): the next code of the plan, its task by path, logged as
    /// added. A re-import of the plan's document keeps it.
    pub fn add_indicator(&mut self, plan_id: i64, ind: &PlanIndicator) -> Result<Indicator> {
        let plan = self.plan(plan_id)?;
        let name = ind.name.trim();
        if name.is_empty() {
            return Err(StoreError::Invalid("a new indicator needs a name".into()));
        }
        if !ind.target.is_finite() || ind.target_max.is_some_and(|m| m.is_nan() || m < ind.target) {
            return Err(StoreError::Invalid(format!(
                "indicator '{name}': the target or its range is not valid"
            )));
        }
        let actor = self.actor.clone();
        self.writable()?;
        let tx = self
            .conn
            .transaction()
            .context("starting the new indicator")?;
        let task_id: Option<i64> =
            match ind.task.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
                Some(path) => Some(
                    tx.query_row(
                        "SELECT id FROM tasks WHERE plan_id = ?1 AND path = ?2",
                        params![plan_id, path],
                        |r| r.get(0),
                    )
                    .optional()
                    .context("finding the task")?
                    .ok_or_else(|| StoreError::NotFound(format!("the plan has no task {path}")))?,
                ),
                None => None,
            };
        let (seq, position): (i64, i64) = {
            let mut st = tx
                .prepare("SELECT code, position FROM indicators WHERE plan_id = ?1")
                .context("reading indicator codes")?;
            let rows: Vec<(String, i64)> = st
                .query_map([plan_id], |r| Ok((r.get(0)?, r.get(1)?)))
                .context("reading indicator codes")?
                .collect::<super::db::Result<_>>()
                .context("reading indicator codes")?;
            (
                rows.iter()
                    .filter_map(|(c, _)| c.rsplit('-').next()?.parse::<i64>().ok())
                    .max()
                    .unwrap_or(0)
                    + 1,
                rows.iter().map(|(_, p)| *p).max().unwrap_or(-1) + 1,
            )
        };
        let code = indicator_code(plan.year, plan_id, seq);
        let deadline = ind
            .deadline
            .unwrap_or_else(|| Date::end_of_year(plan.year))
            .to_string();
        tx.execute(
            "INSERT INTO indicators (plan_id, task_id, ref_id, position, name, unit, comparator, target,
               target_max, baseline, better, kind, scope, aggregation, deadline, phrase, confidence, code,
               aggregation_set, added_by_hand)
             VALUES (?1, ?2, NULL, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, COALESCE(?13, 'sum'), ?14, ?15, NULL, ?16,
               CASE WHEN ?13 IS NULL THEN 0 ELSE 1 END, 1)",
            params![
                plan_id,
                task_id,
                position,
                name,
                ind.unit.as_deref().map(str::trim).filter(|u| !u.is_empty()),
                ind.comparator.as_str(),
                ind.target,
                ind.target_max,
                ind.baseline,
                ind.better().as_str(),
                ind.kind.as_str(),
                ind.scope.as_str(),
                ind.aggregation.map(|a| a.as_str()),
                deadline,
                ind.phrase,
                code,
            ],
        )
        .context("adding the indicator")?;
        let id = tx.last_insert_rowid();
        let catalogue = super::units::units_of(&tx)?;
        set_reporting(&tx, &catalogue, id, ind)?;
        let at = super::reports::now(&tx)?;
        tx.execute(
            "INSERT INTO audit_log (actor, action, indicator_id, indicator_code, unit_name, field, before_text, after_text, at)
             VALUES (?1, 'indicator', ?2, ?3, '', 'added', '', ?4, ?5)",
            params![actor, id, code, name, at],
        )
        .context("writing the audit log")?;
        tx.commit().context("committing the new indicator")?;
        self.indicator(id)
    }
}

fn set_reporting(
    tx: &Transaction,
    catalogue: &[crate::domain::Unit],
    id: i64,
    ind: &PlanIndicator,
) -> Result<()> {
    let resolve = |name: &str| {
        crate::domain::reporting::resolve_unit(name, catalogue)
            .map(|u| u.id)
            .ok_or_else(|| {
                StoreError::UnknownUnit(format!(
                    "indicator '{}': unit '{}' is not in the units catalogue (import the units first: `taizhang units import FILE.json`)",
                    ind.name.trim(),
                    name.trim()
                ))
            })
    };
    if let Some(units) = &ind.reporting_units {
        tx.execute("DELETE FROM indicator_units WHERE indicator_id = ?1", [id])
            .context("replacing reporting units")?;
        for (pos, name) in units.iter().enumerate() {
            tx.execute(
                "INSERT OR IGNORE INTO indicator_units (indicator_id, unit_id, position) VALUES (?1, ?2, ?3)",
                params![id, resolve(name)?, pos as i64],
            )
            .context("storing reporting units")?;
        }
    }
    if let Some(name) = &ind.city_reporter {
        tx.execute(
            "UPDATE indicators SET designated_unit_id = ?1 WHERE id = ?2",
            params![resolve(name)?, id],
        )
        .context("storing the city reporter")?;
    }
    Ok(())
}

/// Finds (and removes from `existing`) the stored indicator that `ind` updates.
fn take_match(existing: &mut Vec<Existing>, ind: &PlanIndicator) -> Option<i64> {
    let name = ind.name.trim();
    let pos = existing
        .iter()
        .position(|e| ind.id.is_some() && e.ref_id == ind.id)
        .or_else(|| {
            existing
                .iter()
                .position(|e| e.task == ind.task && e.name == name)
        })
        .or_else(|| {
            let same: Vec<usize> = (0..existing.len())
                .filter(|&i| existing[i].name == name)
                .collect();
            (same.len() == 1).then(|| same[0])
        })?;
    Some(existing.remove(pos).id)
}

#[allow(clippy::too_many_arguments)]
fn upsert_section(
    tx: &Transaction,
    plan_id: i64,
    parent: Option<i64>,
    prefix: &str,
    pos: usize,
    s: &PlanSection,
    seen: &mut HashSet<i64>,
    task_ids: &mut HashMap<String, i64>,
) -> Result<()> {
    let path = if prefix.is_empty() {
        s.number.clone()
    } else {
        format!("{prefix}/{}", s.number)
    };
    let id: i64 = tx
        .query_row(
            "INSERT INTO sections (plan_id, parent_id, path, number, title, position) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (plan_id, path) DO UPDATE SET parent_id = excluded.parent_id, number = excluded.number,
               title = excluded.title, position = excluded.position
             RETURNING id",
            params![plan_id, parent, path, s.number, s.title, pos as i64],
            |r| r.get(0),
        )
        .context(&format!("storing section {path}"))?;
    if !seen.insert(id) {
        return Err(StoreError::Invalid(format!(
            "section {path} appears twice in the plan"
        )));
    }
    for t in &s.tasks {
        let tpath = format!("{path}/{}", t.number);
        let tid: i64 = tx
            .query_row(
                "INSERT INTO tasks (plan_id, section_id, path, number, title, deadline, position)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (plan_id, path) DO UPDATE SET section_id = excluded.section_id,
                   number = excluded.number, title = excluded.title, deadline = excluded.deadline,
                   position = excluded.position
                 RETURNING id",
                params![
                    plan_id,
                    id,
                    tpath,
                    t.number,
                    t.title,
                    t.deadline.map(|d| d.to_string()),
                    task_ids.len() as i64
                ],
                |r| r.get(0),
            )
            .context(&format!("storing task {tpath}"))?;
        if task_ids.insert(tpath.clone(), tid).is_some() {
            return Err(StoreError::Invalid(format!(
                "task {tpath} appears twice in the plan"
            )));
        }
        tx.execute("DELETE FROM task_units WHERE task_id = ?1", [tid])
            .context("replacing responsible units")?;
        for (upos, u) in t.responsible_units.iter().enumerate() {
            let name = u.name.trim();
            if name.is_empty() {
                continue;
            }
            let unit_id: Option<i64> = tx
                .query_row(
                    "SELECT id FROM units WHERE name = ?1 UNION ALL SELECT unit_id FROM unit_aliases WHERE alias = ?1 LIMIT 1",
                    [name],
                    |r| r.get(0),
                )
                .optional()
                .context("resolving a responsible unit")?;
            tx.execute(
                "INSERT OR IGNORE INTO task_units (task_id, name, unit_id, role, position) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![tid, name, unit_id, u.role.as_str(), upos as i64],
            )
            .context("storing a responsible unit")?;
        }
    }
    for (spos, sub) in s.subsections.iter().enumerate() {
        upsert_section(tx, plan_id, Some(id), &path, spos, sub, seen, task_ids)?;
    }
    Ok(())
}

/// Deletes a plan's rows of `table` whose ids are not in `keep`.
fn delete_except(tx: &Transaction, table: &str, plan_id: i64, keep: &[i64]) -> Result<()> {
    let ids: Vec<i64> = {
        let mut st = tx
            .prepare(&format!("SELECT id FROM {table} WHERE plan_id = ?1"))
            .context("reading the plan's tree")?;
        st.query_map([plan_id], |r| r.get(0))
            .context("reading the plan's tree")?
            .collect::<super::db::Result<_>>()
            .context("reading the plan's tree")?
    };
    let keep: HashSet<i64> = keep.iter().copied().collect();
    for id in ids.into_iter().filter(|id| !keep.contains(id)) {
        tx.execute(&format!("DELETE FROM {table} WHERE id = ?1"), [id])
            .context("removing what left the plan")?;
    }
    Ok(())
}
