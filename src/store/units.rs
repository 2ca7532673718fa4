//! The units catalogue: districts and departments with their aliases.

use super::db::{OptionalExtension, params};
use super::{Context, Result, Store, StoreError};
use crate::domain::{Unit, UnitKind, UnitSpec};
use serde::Serialize;

/// What a units import changed.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct UnitsImport {
    pub added: usize,
    pub updated: usize,
    pub aliases_added: usize,
}

impl Store {
    /// Merges a catalogue into the ledger: new units are added, known units
    /// get the file's kind, and aliases are added (never removed). An alias
    /// that already names another unit is refused, and nothing is written.
    pub fn import_units(&mut self, units: &[UnitSpec]) -> Result<UnitsImport> {
        let mut summary = UnitsImport::default();
        self.writable()?;
        let tx = self
            .conn
            .transaction()
            .context("starting the units import")?;
        for u in units {
            let name = u.name.trim();
            if name.is_empty() {
                return Err(StoreError::Invalid("a unit has an empty name".into()));
            }
            let existing: Option<(i64, String)> = tx
                .query_row("SELECT id, kind FROM units WHERE name = ?1", [name], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })
                .optional()
                .context("looking up a unit")?;
            let id = match existing {
                Some((id, kind)) => {
                    if kind != u.kind.as_str() {
                        tx.execute(
                            "UPDATE units SET kind = ?1 WHERE id = ?2",
                            params![u.kind.as_str(), id],
                        )
                        .context("updating a unit")?;
                        summary.updated += 1;
                    }
                    id
                }
                None => {
                    tx.execute(
                        "INSERT INTO units (name, kind) VALUES (?1, ?2)",
                        params![name, u.kind.as_str()],
                    )
                    .context("adding a unit")?;
                    summary.added += 1;
                    tx.last_insert_rowid()
                }
            };
            for alias in u
                .aliases
                .iter()
                .map(|a| a.trim())
                .filter(|a| !a.is_empty() && *a != name)
            {
                let owner: Option<(i64, String)> = tx
                    .query_row(
                        "SELECT a.unit_id, u.name FROM unit_aliases a JOIN units u ON u.id = a.unit_id WHERE a.alias = ?1",
                        [alias],
                        |r| Ok((r.get(0)?, r.get(1)?)),
                    )
                    .optional()
                    .context("looking up an alias")?;
                match owner {
                    Some((owner, _)) if owner == id => {}
                    Some((_, other)) => {
                        return Err(StoreError::Invalid(format!(
                            "alias '{alias}' of unit '{name}' already names unit '{other}'"
                        )));
                    }
                    None => {
                        tx.execute(
                            "INSERT INTO unit_aliases (alias, unit_id) VALUES (?1, ?2)",
                            params![alias, id],
                        )
                        .context("adding an alias")?;
                        summary.aliases_added += 1;
                    }
                }
            }
        }
        tx.commit().context("committing the units import")?;
        Ok(summary)
    }

    /// Adds a unit to the catalogue. Refused when the name already names a
    /// unit (as its name or an alias).
    pub fn add_unit(&mut self, name: &str, kind: UnitKind) -> Result<Unit> {
        let name = name.trim();
        self.name_is_free(name, None)?;
        self.writable()?;
        let tx = self.conn.transaction().context("adding a unit")?;
        tx.execute(
            "INSERT INTO units (name, kind) VALUES (?1, ?2)",
            params![name, kind.as_str()],
        )
        .context("adding a unit")?;
        let id = tx.last_insert_rowid();
        unit_audit(&tx, &self.actor, id, name, "add", "", kind.as_str())?;
        tx.commit().context("adding a unit")?;
        self.unit(id)
    }

    /// Renames a unit; the old name becomes an alias, so returns and plans
    /// that write it still find the unit.
    pub fn rename_unit(&mut self, name: &str, to: &str) -> Result<Unit> {
        let unit = self.require_unit(name)?;
        let to = to.trim();
        if to == unit.name {
            return Ok(unit);
        }
        self.name_is_free(to, Some(unit.id))?;
        self.writable()?;
        let tx = self.conn.transaction().context("renaming a unit")?;
        // The new name may have been one of its aliases.
        tx.execute("DELETE FROM unit_aliases WHERE alias = ?1", [to])
            .context("renaming a unit")?;
        tx.execute(
            "UPDATE units SET name = ?2 WHERE id = ?1",
            params![unit.id, to],
        )
        .context("renaming a unit")?;
        tx.execute(
            "INSERT OR IGNORE INTO unit_aliases (alias, unit_id) VALUES (?1, ?2)",
            params![unit.name, unit.id],
        )
        .context("keeping the old name as an alias")?;
        unit_audit(&tx, &self.actor, unit.id, to, "name", &unit.name, to)?;
        tx.commit().context("renaming a unit")?;
        self.unit(unit.id)
    }

    /// Makes a unit a district or a department.
    pub fn set_unit_kind(&mut self, name: &str, kind: UnitKind) -> Result<Unit> {
        let unit = self.require_unit(name)?;
        if unit.kind == kind {
            return Ok(unit);
        }
        self.writable()?;
        let tx = self.conn.transaction().context("changing a unit's kind")?;
        tx.execute(
            "UPDATE units SET kind = ?2 WHERE id = ?1",
            params![unit.id, kind.as_str()],
        )
        .context("changing a unit's kind")?;
        unit_audit(
            &tx,
            &self.actor,
            unit.id,
            &unit.name,
            "kind",
            unit.kind.as_str(),
            kind.as_str(),
        )?;
        tx.commit().context("changing a unit's kind")?;
        self.unit(unit.id)
    }

    /// Adds an alias to a unit (refused when it names another unit), or
    /// removes one.
    pub fn set_unit_alias(&mut self, name: &str, alias: &str, keep: bool) -> Result<Unit> {
        let unit = self.require_unit(name)?;
        let alias = alias.trim();
        if alias.is_empty() {
            return Err(StoreError::Invalid("an empty alias".into()));
        }
        if keep {
            if alias == unit.name || unit.aliases.iter().any(|a| a == alias) {
                return Ok(unit);
            }
            self.name_is_free(alias, Some(unit.id))?;
            self.writable()?;
            let tx = self.conn.transaction().context("changing an alias")?;
            tx.execute(
                "INSERT INTO unit_aliases (alias, unit_id) VALUES (?1, ?2)",
                params![alias, unit.id],
            )
            .context("adding an alias")?;
            unit_audit(&tx, &self.actor, unit.id, &unit.name, "alias", "", alias)?;
            tx.commit().context("adding an alias")?;
        } else {
            self.writable()?;
            let tx = self.conn.transaction().context("changing an alias")?;
            let n = tx
                .execute(
                    "DELETE FROM unit_aliases WHERE alias = ?1 AND unit_id = ?2",
                    params![alias, unit.id],
                )
                .context("removing an alias")?;
            if n == 0 {
                return Err(StoreError::NotFound(format!(
                    "'{alias}' is not an alias of unit '{}'",
                    unit.name
                )));
            }
            unit_audit(&tx, &self.actor, unit.id, &unit.name, "alias", alias, "")?;
            tx.commit().context("removing an alias")?;
        }
        self.unit(unit.id)
    }

    /// Merges unit `from` into unit `into` (two entries that turn out to be
    /// one): its figures, batches, targets, reporting roles and aliases move
    /// over, its name becomes an alias, and it is removed. Refused, with
    /// nothing changed, when both have a figure (or a target) for the same
    /// indicator and period.
    pub fn merge_units(&mut self, from: &str, into: &str) -> Result<Unit> {
        let a = self.require_unit(from)?;
        let b = self.require_unit(into)?;
        if a.id == b.id {
            return Err(StoreError::Invalid(format!(
                "'{from}' and '{into}' are already one unit ('{}')",
                a.name
            )));
        }
        self.writable()?;
        let tx = self.conn.transaction().context("merging units")?;
        let clash: Option<(String, String)> = tx
            .query_row(
                "SELECT i.code, r1.period FROM reports r1
                 JOIN reports r2 ON r2.indicator_id = r1.indicator_id AND r2.period = r1.period
                   AND r2.unit_id = ?2 AND r2.active = 1
                 JOIN indicators i ON i.id = r1.indicator_id
                 WHERE r1.unit_id = ?1 AND r1.active = 1 LIMIT 1",
                params![a.id, b.id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .context("checking the figures of both units")?;
        if let Some((code, period)) = clash {
            return Err(StoreError::Invalid(format!(
                "'{}' and '{}' both have a figure for {code} in {period}; correct or undo one of them first",
                a.name, b.name
            )));
        }
        let target_clash: Option<String> = tx
            .query_row(
                "SELECT i.code FROM unit_targets t1 JOIN unit_targets t2
                   ON t2.indicator_id = t1.indicator_id AND t2.unit_id = ?2
                 JOIN indicators i ON i.id = t1.indicator_id WHERE t1.unit_id = ?1 LIMIT 1",
                params![a.id, b.id],
                |r| r.get(0),
            )
            .optional()
            .context("checking the targets of both units")?;
        if let Some(code) = target_clash {
            return Err(StoreError::Invalid(format!(
                "'{}' and '{}' both have a target of their own for {code}; clear one of them first",
                a.name, b.name
            )));
        }
        for sql in [
            "UPDATE reports SET unit_id = ?2 WHERE unit_id = ?1",
            "UPDATE batches SET unit_id = ?2 WHERE unit_id = ?1",
            "UPDATE unit_targets SET unit_id = ?2 WHERE unit_id = ?1",
            "UPDATE task_units SET unit_id = ?2 WHERE unit_id = ?1",
            "UPDATE indicators SET designated_unit_id = ?2 WHERE designated_unit_id = ?1",
            // Where both were listed for an indicator, the one that stays
            // keeps its place.
            "DELETE FROM indicator_units WHERE unit_id = ?1
               AND indicator_id IN (SELECT indicator_id FROM indicator_units WHERE unit_id = ?2)",
            "UPDATE indicator_units SET unit_id = ?2 WHERE unit_id = ?1",
            "UPDATE unit_aliases SET unit_id = ?2 WHERE unit_id = ?1",
            "UPDATE audit_log SET unit_id = ?2 WHERE unit_id = ?1",
        ] {
            tx.execute(sql, params![a.id, b.id])
                .context("moving a unit's records")?;
        }
        tx.execute("DELETE FROM units WHERE id = ?1", [a.id])
            .context("removing the merged unit")?;
        tx.execute(
            "INSERT OR IGNORE INTO unit_aliases (alias, unit_id) VALUES (?1, ?2)",
            params![a.name, b.id],
        )
        .context("keeping the merged name as an alias")?;
        unit_audit(&tx, &self.actor, b.id, &b.name, "merge", &a.name, &b.name)?;
        tx.commit().context("merging units")?;
        self.unit(b.id)
    }

    /// One unit by id.
    fn unit(&self, id: i64) -> Result<Unit> {
        self.units()?
            .into_iter()
            .find(|u| u.id == id)
            .ok_or_else(|| StoreError::NotFound(format!("unit {id} does not exist")))
    }

    /// Refuses a name that already names a unit other than `own`.
    fn name_is_free(&self, name: &str, own: Option<i64>) -> Result<()> {
        if name.is_empty() {
            return Err(StoreError::Invalid("a unit's name cannot be empty".into()));
        }
        match self.find_unit(name)? {
            Some(u) if Some(u.id) != own => Err(StoreError::Invalid(format!(
                "'{name}' already names unit '{}'",
                u.name
            ))),
            _ => Ok(()),
        }
    }

    /// Every unit, districts first, then departments, each by name.
    pub fn units(&self) -> Result<Vec<Unit>> {
        units_of(&self.conn)
    }
    /// The unit a name or alias stands for, exactly as written (after trimming).
    pub fn find_unit(&self, name: &str) -> Result<Option<Unit>> {
        let name = name.trim();
        let id: Option<i64> = self
            .conn
            .query_row(
                "SELECT id FROM units WHERE name = ?1
                 UNION ALL SELECT unit_id FROM unit_aliases WHERE alias = ?1 LIMIT 1",
                [name],
                |r| r.get(0),
            )
            .optional()
            .context("looking up a unit")?;
        match id {
            None => Ok(None),
            Some(id) => Ok(self.units()?.into_iter().find(|u| u.id == id)),
        }
    }

    /// Like [`Store::find_unit`], but an unknown name is an error that says
    /// how to add it.
    pub fn require_unit(&self, name: &str) -> Result<Unit> {
        self.find_unit(name)?.ok_or_else(|| {
            StoreError::UnknownUnit(format!(
                "unit '{}' is not in the units catalogue (add it with `taizhang units import FILE.json`)",
                name.trim()
            ))
        })
    }
}

/// The audit line of a change to the catalogue.
fn unit_audit(
    tx: &super::db::Transaction,
    actor: &str,
    unit_id: i64,
    unit_name: &str,
    field: &str,
    before: &str,
    after: &str,
) -> Result<()> {
    tx.execute(
        "INSERT INTO audit_log (actor, action, indicator_code, unit_id, unit_name, field, before_text, after_text)
         VALUES (?1, 'unit', '', ?2, ?3, ?4, ?5, ?6)",
        params![actor, unit_id, unit_name, field, before, after],
    )
    .context("writing the audit log")?;
    Ok(())
}

/// Every unit, districts first, then departments, each in the order it was
/// added (also inside a transaction).
pub(super) fn units_of(conn: &super::db::Db) -> Result<Vec<Unit>> {
    let mut st = conn
        .prepare(
            "SELECT u.id, u.name, u.kind, group_concat(a.alias, char(31))
                 FROM units u LEFT JOIN unit_aliases a ON a.unit_id = u.id
                 GROUP BY u.id ORDER BY u.kind DESC, u.id",
        )
        .context("listing units")?;
    let rows = st
        .query_map([], |r| {
            let kind: String = r.get(2)?;
            let aliases: Option<String> = r.get(3)?;
            Ok(Unit {
                id: r.get(0)?,
                name: r.get(1)?,
                kind: kind.parse().unwrap_or(UnitKind::Department),
                aliases: aliases
                    .map(|a| {
                        let mut v: Vec<String> = a.split('\u{1f}').map(str::to_string).collect();
                        v.sort();
                        v
                    })
                    .unwrap_or_default(),
            })
        })
        .context("listing units")?;
    rows.collect::<super::db::Result<_>>()
        .context("listing units")
}
