//! The same metric across plan years: each indicator's link to the one it
//! continues in last year's plan (proposed, then confirmed or changed by a
//! person), and the lineage read back with each year's target and year-end
//! figure.

use super::db::{OptionalExtension, params};
use super::{Context, Result, Store, StoreError};
use crate::domain::{Comparator, Date, Indicator, Kind};
use serde::Serialize;

/// One year of an indicator's lineage.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LineageYear {
    pub plan_id: i64,
    pub year: i32,
    pub indicator_id: i64,
    pub code: String,
    pub name: String,
    pub comparator: Comparator,
    pub target: f64,
    pub unit: Option<String>,
    pub kind: Kind,
    /// The city's figure at the end of that plan year (or at `as_of` for a
    /// year not over).
    pub actual: Option<f64>,
    /// The link from this year back to the one before was confirmed by a
    /// person (a proposal otherwise); `None` for the oldest year.
    pub link_confirmed: Option<bool>,
}

impl Store {
    /// The indicator an indicator continues, and whether a person
    /// confirmed the link.
    pub fn predecessor(&self, id: i64) -> Result<Option<(i64, bool)>> {
        self.conn
            .query_row(
                "SELECT predecessor_id, predecessor_confirmed FROM indicators WHERE id = ?1",
                [id],
                |r| Ok((r.get::<_, Option<i64>>(0)?, r.get::<_, bool>(1)?)),
            )
            .optional()
            .context("reading the indicator's link")?
            .ok_or_else(|| StoreError::NotFound(format!("indicator {id}")))
            .map(|(p, c)| p.map(|p| (p, c)))
    }

    /// Links an indicator to the one it continues in an earlier plan year
    /// (`None` unlinks it), as confirmed by a person; logged.
    pub fn link_indicator(&mut self, id: i64, to: Option<i64>) -> Result<()> {
        let ind = self.indicator(id)?;
        let before = self.predecessor(id)?;
        let to_ind = match to {
            Some(t) => {
                let p = self.indicator(t)?;
                if p.plan_year >= ind.plan_year {
                    return Err(StoreError::Invalid(format!(
                        "{} is in the {} plan: an indicator continues one of an earlier year (this one is {})",
                        p.code, p.plan_year, ind.plan_year
                    )));
                }
                Some(p)
            }
            None => None,
        };
        let code_of = |i: Option<i64>| -> Result<String> {
            Ok(match i {
                Some(i) => self.indicator(i)?.code,
                None => String::new(),
            })
        };
        let before_code = code_of(before.map(|b| b.0))?;
        let at = super::reports::now(&self.conn)?;
        let actor = self.actor.clone();
        self.writable()?;
        let tx = self.conn.transaction().context("starting the link")?;
        tx.execute(
            "UPDATE indicators SET predecessor_id = ?2, predecessor_confirmed = 1 WHERE id = ?1",
            params![id, to],
        )
        .context("linking the indicator")?;
        tx.execute(
            "INSERT INTO audit_log (actor, action, indicator_id, indicator_code, unit_name, field, before_text, after_text, note, at)
             VALUES (?1, 'indicator', ?2, ?3, '', 'predecessor', ?4, ?5, '', ?6)",
            params![
                actor,
                id,
                ind.code,
                before_code,
                to_ind.as_ref().map_or(String::new(), |p| p.code.clone()),
                at
            ],
        )
        .context("writing the audit log")?;
        tx.commit().context("committing the link")?;
        Ok(())
    }

    /// Proposes links for a plan's indicators that have none, to the plan
    /// of the year before, and for the plan of the year after to this one
    /// ([`crate::domain::lineage::propose`]); a person's links are never
    /// touched. How many were proposed.
    pub fn propose_links(&mut self, plan_id: i64) -> Result<usize> {
        let plan = self.plan(plan_id)?;
        // Another city's plan continues nothing of this one's (a city
        // unknown on either side does not rule it out).
        let plans: Vec<_> = self
            .plans()?
            .into_iter()
            .filter(|p| p.city.is_empty() || plan.city.is_empty() || p.city == plan.city)
            .collect();
        let mut pairs = Vec::new();
        for (later, earlier) in plans
            .iter()
            .filter(|p| p.year == plan.year - 1)
            .map(|p| (plan.id, p.id))
            .chain(
                plans
                    .iter()
                    .filter(|p| p.year == plan.year + 1)
                    .map(|p| (p.id, plan.id)),
            )
        {
            let linked: std::collections::HashSet<i64> = {
                let mut st = self
                    .conn
                    .prepare("SELECT id FROM indicators WHERE plan_id = ?1 AND predecessor_id IS NOT NULL")
                    .context("reading links")?;
                st.query_map([later], |r| r.get(0))
                    .context("reading links")?
                    .collect::<super::db::Result<_>>()
                    .context("reading links")?
            };
            let taken: std::collections::HashSet<i64> = {
                let mut st = self
                    .conn
                    .prepare("SELECT predecessor_id FROM indicators WHERE plan_id = ?1 AND predecessor_id IS NOT NULL")
                    .context("reading links")?;
                st.query_map([later], |r| r.get(0))
                    .context("reading links")?
                    .collect::<super::db::Result<_>>()
                    .context("reading links")?
            };
            let this: Vec<Indicator> = self
                .indicators(later)?
                .into_iter()
                .filter(|i| !linked.contains(&i.id))
                .collect();
            let before: Vec<Indicator> = self
                .indicators(earlier)?
                .into_iter()
                .filter(|i| !taken.contains(&i.id))
                .collect();
            pairs.extend(crate::domain::lineage::propose(&this, &before));
        }
        self.writable()?;
        let tx = self.conn.transaction().context("proposing links")?;
        for (a, b, _) in &pairs {
            tx.execute(
                "UPDATE indicators SET predecessor_id = ?2, predecessor_confirmed = 0 WHERE id = ?1 AND predecessor_id IS NULL",
                params![a, b],
            )
            .context("proposing links")?;
        }
        tx.commit().context("proposing links")?;
        Ok(pairs.len())
    }

    /// An indicator's lineage, oldest year first: the years it continues and
    /// the years that continue it, each with its target and its figure at
    /// the end of its year (at `as_of` for a year not over).
    pub fn lineage(&self, id: i64, as_of: Date) -> Result<Vec<LineageYear>> {
        // Back to the oldest, then forward along the links.
        let mut chain = vec![id];
        let mut seen = std::collections::HashSet::from([id]);
        while let Some((p, _)) = self.predecessor(*chain.last().expect("one"))? {
            if !seen.insert(p) {
                break;
            }
            chain.push(p);
        }
        chain.reverse();
        loop {
            let last = *chain.last().expect("one");
            let next: Option<i64> = self
                .conn
                .query_row(
                    "SELECT id FROM indicators WHERE predecessor_id = ?1 ORDER BY predecessor_confirmed DESC, id LIMIT 1",
                    [last],
                    |r| r.get(0),
                )
                .optional()
                .context("reading the lineage")?;
            match next {
                Some(n) if seen.insert(n) => chain.push(n),
                _ => break,
            }
        }
        let mut out = Vec::with_capacity(chain.len());
        for iid in chain {
            let ind = self.indicator(iid)?;
            let year_end = Date::new(ind.plan_year, 12, 31).expect("a real date");
            let at = if as_of < year_end { as_of } else { year_end };
            let actual = self
                .status(ind.plan_id, at)?
                .indicators
                .into_iter()
                .find(|s| s.id == iid)
                .and_then(|s| s.evaluation.actual);
            let link_confirmed = self.predecessor(iid)?.map(|(_, c)| c);
            out.push(LineageYear {
                plan_id: ind.plan_id,
                year: ind.plan_year,
                indicator_id: iid,
                code: ind.code.clone(),
                name: ind.name.clone(),
                comparator: ind.comparator,
                target: ind.target,
                unit: ind.unit.clone(),
                kind: ind.kind,
                actual,
                link_confirmed,
            });
        }
        Ok(out)
    }

    /// The figure of an indicator's predecessor a year before `as_of` (同比):
    /// the same period of last year's plan, with the period it stands at.
    pub fn same_period_last_year(
        &self,
        id: i64,
        as_of: Date,
    ) -> Result<Option<(crate::domain::Period, f64)>> {
        let Some((prev, _)) = self.predecessor(id)? else {
            return Ok(None);
        };
        let p = self.indicator(prev)?;
        let Some(then) = Date::new(as_of.year() - 1, as_of.month(), as_of.day().min(28)) else {
            return Ok(None);
        };
        Ok(self
            .status(p.plan_id, then)?
            .indicators
            .into_iter()
            .find(|s| s.id == prev)
            .and_then(|s| Some((s.evaluation.latest_period?, s.evaluation.actual?))))
    }
}
