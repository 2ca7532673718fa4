//! Units' own targets from a 任务分解表 (shared by the command line and the
//! window): the table read by [`crate::returns::targets`], each row matched
//! to an indicator of the plan by its code (else its name), each column to a
//! unit of the catalogue, then written all or none.

use crate::store::{Store, StoreError, TargetChange, TargetsSet};
use serde::Serialize;

/// What importing a table did, and what it could not use.
#[derive(Clone, Debug, Default, Serialize)]
pub struct TargetsImport {
    #[serde(flatten)]
    pub set: TargetsSet,
    /// Rows whose indicator is not in the plan: (sheet row, as written).
    pub unknown_rows: Vec<(usize, String)>,
    /// Columns whose unit is not in the catalogue.
    pub unknown_units: Vec<String>,
    /// Cells that are not numbers: (sheet row, unit, why).
    pub bad_cells: Vec<(usize, String, String)>,
}

/// Why a table set no targets.
#[derive(Debug)]
pub enum TargetsError {
    /// The ledger refused (no plan, a locked period, the disk …).
    Store(StoreError),
    /// The file is not a table of targets.
    Table(String),
    /// Nothing in the table could be used.
    NothingUsable {
        sheet: String,
        rows: usize,
        units: usize,
        cells: usize,
    },
}

impl std::fmt::Display for TargetsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TargetsError::Store(e) => write!(f, "{e}"),
            TargetsError::Table(e) => f.write_str(e),
            TargetsError::NothingUsable {
                sheet,
                rows,
                units,
                cells,
            } => write!(
                f,
                "no target in sheet '{sheet}' could be used ({rows} rows not in the plan, {units} columns not in the units catalogue, {cells} cells not numbers)"
            ),
        }
    }
}

impl std::error::Error for TargetsError {}

/// Reads a table and sets the targets it gives (empty cells and dashes
/// change nothing). Refused whole when nothing in it can be used, or when
/// the store refuses a target.
pub fn import(
    store: &mut Store,
    plan: Option<i64>,
    bytes: &[u8],
) -> Result<TargetsImport, TargetsError> {
    let plan = store.plan_or_latest(plan).map_err(TargetsError::Store)?;
    let table =
        crate::returns::targets::read(bytes).map_err(|e| TargetsError::Table(e.to_string()))?;
    let mut out = TargetsImport::default();
    let units: Vec<Option<String>> = table
        .units
        .iter()
        .map(|h| match store.find_unit(h) {
            Ok(Some(u)) => Some(u.name),
            _ => {
                out.unknown_units.push(h.clone());
                None
            }
        })
        .collect();
    let mut changes = Vec::new();
    for row in &table.rows {
        let key = row.code.as_deref().unwrap_or(&row.name);
        let ind = store
            .find_indicator(key, Some(plan.id))
            .or_else(|_| store.find_indicator(&row.name, Some(plan.id)));
        let Ok(ind) = ind else {
            out.unknown_rows.push((row.row, key.to_string()));
            continue;
        };
        for (cell, unit) in row.cells.iter().zip(&units) {
            match (cell, unit) {
                (Some(Ok(v)), Some(u)) => changes.push(TargetChange {
                    indicator_id: ind.id,
                    unit: u.clone(),
                    target: Some(*v),
                }),
                (Some(Err(e)), Some(u)) => out.bad_cells.push((row.row, u.clone(), e.clone())),
                _ => {}
            }
        }
    }
    if changes.is_empty() {
        return Err(TargetsError::NothingUsable {
            sheet: table.sheet,
            rows: out.unknown_rows.len(),
            units: out.unknown_units.len(),
            cells: out.bad_cells.len(),
        });
    }
    out.set = store
        .set_unit_targets(&changes)
        .map_err(TargetsError::Store)?;
    Ok(out)
}
