//! The units catalogue: districts and departments with their aliases.

use super::{Context, Result, Store, StoreError};
use crate::domain::{Unit, UnitKind, UnitSpec};
use rusqlite::{OptionalExtension, params};
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
            StoreError::NotFound(format!(
                "unit '{}' is not in the units catalogue (add it with `taizhang units import FILE.json`)",
                name.trim()
            ))
        })
    }
}

/// Every unit, districts first, then departments, each in the order it was
/// added (also inside a transaction).
pub(super) fn units_of(conn: &rusqlite::Connection) -> Result<Vec<Unit>> {
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
    rows.collect::<rusqlite::Result<_>>()
        .context("listing units")
}
