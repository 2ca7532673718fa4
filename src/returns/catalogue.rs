//! A units catalogue as a spreadsheet: one row per unit with 单位名称 (or
//! 名称 / 单位), optionally 类型 (区县 / 部门) and 别名 (several, separated
//! by 、 , ; or spaces). A unit without a kind is a district when its name
//! ends in 区, 县 or 市 (县级市), else a department.

use super::read::{self, FileError};
use crate::domain::{UnitKind, UnitSpec};

/// Reads the first sheet with a 名称 header.
pub fn read(bytes: &[u8]) -> Result<Vec<UnitSpec>, FileError> {
    for sheet in read::read(bytes)? {
        let Some((at, header)) = sheet.rows.iter().enumerate().take(15).find(|(_, r)| {
            r.iter().any(|c| {
                let t: String = c.text().split_whitespace().collect();
                matches!(t.as_str(), "单位名称" | "名称" | "单位" | "单位全称")
            })
        }) else {
            continue;
        };
        let heads: Vec<String> = header
            .iter()
            .map(|c| c.text().split_whitespace().collect())
            .collect();
        let col = |names: &[&str]| heads.iter().position(|h| names.contains(&h.as_str()));
        let name_col = col(&["单位名称", "名称", "单位", "单位全称"]).expect("found above");
        let kind_col = col(&["类型", "单位类型", "性质", "类别"]);
        let alias_col = col(&["别名", "简称", "其他名称", "曾用名"]);
        let mut out = Vec::new();
        for row in &sheet.rows[at + 1..] {
            let cell = |i: usize| row.get(i).map(|c| c.text()).unwrap_or_default();
            let name = cell(name_col);
            if name.is_empty() {
                continue;
            }
            let kind = match kind_col.map(cell).as_deref().map(str::trim) {
                Some(k) if k.contains("区") || k.contains("县") || k == "district" => {
                    UnitKind::District
                }
                Some(k) if k.contains("部门") || k.contains("单位") || k == "department" => {
                    UnitKind::Department
                }
                _ if ["区", "县", "市"].iter().any(|s| name.ends_with(s)) => UnitKind::District,
                _ => UnitKind::Department,
            };
            let aliases = alias_col
                .map(cell)
                .unwrap_or_default()
                .split(['、', ',', '，', ';', '；', ' ', '/'])
                .map(str::trim)
                .filter(|a| !a.is_empty() && *a != name)
                .map(str::to_string)
                .collect();
            out.push(UnitSpec {
                name,
                kind,
                aliases,
            });
        }
        if !out.is_empty() {
            return Ok(out);
        }
    }
    Err(FileError::new(
        read::FileErrorKind::NoTable,
        "no sheet has a 单位名称 (or 名称) column with units under it".into(),
    ))
}
