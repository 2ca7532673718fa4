//! A 任务分解表 as bureaus circulate it: one row per indicator (its code
//! and/or name), one column per unit, each cell that unit's target. The
//! reader finds the header row, names the unit columns as written (the
//! caller resolves them against the catalogue) and reads each cell; it
//! matches nothing itself.

use super::read::{self, Cell, FileError};
use super::value;

/// A target table as read.
#[derive(Clone, Debug, PartialEq)]
pub struct TargetTable {
    pub sheet: String,
    /// The unit columns' headers, as written.
    pub units: Vec<String>,
    pub rows: Vec<TargetRow>,
}

/// One indicator's row.
#[derive(Clone, Debug, PartialEq)]
pub struct TargetRow {
    /// The sheet row (1-based, as Excel shows it).
    pub row: usize,
    /// The indicator's code, when the table has a 编号 column.
    pub code: Option<String>,
    pub name: String,
    /// Per unit column (same order as [`TargetTable::units`]): the target,
    /// `None` for an empty cell or a dash (the unit has no target of its
    /// own there), or the reason a cell could not be read.
    pub cells: Vec<Option<Result<f64, String>>>,
}

/// Headers that are not units.
const NOT_UNITS: &[&str] = &[
    "序号",
    "编号",
    "指标编号",
    "代码",
    "指标",
    "指标名称",
    "计量单位",
    "单位",
    "全市目标",
    "目标",
    "目标值",
    "年度目标",
    "备注",
    "说明",
    "合计",
    "全市",
];

/// Reads the first sheet that has a header row naming 指标.
pub fn read(bytes: &[u8]) -> Result<TargetTable, FileError> {
    let sheets = read::read(bytes)?;
    for sheet in &sheets {
        if let Some(t) = table(sheet) {
            return Ok(t);
        }
    }
    Err(FileError::new(
        read::FileErrorKind::NoTable,
        "no sheet has a header row with 指标 (or 指标名称) and unit columns".into(),
    ))
}

fn table(sheet: &read::Sheet) -> Option<TargetTable> {
    let (at, header) = sheet.rows.iter().enumerate().take(15).find(|(_, r)| {
        // A heading cell, not a sentence that mentions 指标; and a row
        // with more than that one cell.
        r.iter().filter(|c| !c.is_empty()).count() >= 2
            && r.iter().any(|c| {
                let t: String = c.text().split_whitespace().collect();
                t.contains("指标") && t.chars().count() <= 8
            })
    })?;
    let headers: Vec<String> = header
        .iter()
        .map(|c| c.text().split_whitespace().collect())
        .collect();
    let name_col = headers
        .iter()
        .position(|h| h == "指标名称" || h == "指标")
        .or_else(|| {
            headers
                .iter()
                .position(|h| h.contains("指标") && !h.contains("编号"))
        })?;
    let code_col = headers
        .iter()
        .position(|h| h.contains("编号") || h == "代码");
    let unit_cols: Vec<usize> = (0..headers.len())
        .filter(|&i| i != name_col && Some(i) != code_col)
        .filter(|&i| !headers[i].is_empty() && !NOT_UNITS.contains(&headers[i].as_str()))
        .collect();
    if unit_cols.is_empty() {
        return None;
    }
    let mut rows = Vec::new();
    for (k, r) in sheet.rows.iter().enumerate().skip(at + 1) {
        let cell = |i: usize| r.get(i).cloned().unwrap_or(Cell::Empty);
        let name = cell(name_col).text();
        let code = code_col.map(|i| cell(i).text()).filter(|c| !c.is_empty());
        if name.is_empty() && code.is_none() {
            continue;
        }
        let cells = unit_cols
            .iter()
            .map(|&i| {
                let c = cell(i);
                let t = c.text();
                if matches!(t.as_str(), "—" | "-" | "－" | "/" | "／" | "——") {
                    return None;
                }
                match value::parse(&c) {
                    Ok(Some(v)) => Some(Ok(v.value)),
                    Ok(None) if c.is_empty() => None,
                    Ok(None) => Some(Err(format!("'{t}' is not a number"))),
                    Err(e) => Some(Err(e.detail())),
                }
            })
            .collect();
        rows.push(TargetRow {
            row: sheet.first_row + k,
            code,
            name,
            cells,
        });
    }
    Some(TargetTable {
        sheet: sheet.name.clone(),
        units: unit_cols.iter().map(|&i| headers[i].clone()).collect(),
        rows,
    })
}
