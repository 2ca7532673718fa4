//! The 任务分解表: one row per indicator (编号, 指标, 计量单位, 全市目标),
//! one column per unit that reports any indicator of the plan, each cell
//! the unit's own target; a cell is empty where the unit is held to the
//! plan's target and "—" where the unit does not report the indicator.
//! Filled in and imported back (`taizhang targets import`), it sets the
//! units' targets.

use super::ExportError;
use crate::store::Store;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook};
use std::collections::{HashMap, HashSet};

/// The columns before the units' columns.
pub const COLUMNS: [&str; 4] = ["编号", "指标", "计量单位", "全市目标"];

/// The table for the latest plan (or `plan`), as .xlsx bytes.
///
/// ```
/// use taizhang::store::Store;
/// let mut store = Store::open_in_memory().unwrap();
/// taizhang::cli::demo(&mut store).unwrap();
/// let bytes = taizhang::export::targets::workbook(&store, None).unwrap();
/// assert_eq!(&bytes[..2], b"PK");
/// ```
pub fn workbook(store: &Store, plan: Option<i64>) -> Result<Vec<u8>, ExportError> {
    let plan = store.plan_or_latest(plan)?;
    let indicators = store.indicators(plan.id)?;
    let own: HashMap<(i64, String), f64> = store
        .unit_targets(plan.id)?
        .into_iter()
        .map(|t| ((t.indicator_id, t.unit), t.target))
        .collect();
    // The units that report anything (a city reporter too), in catalogue order.
    let reporting: HashSet<&str> = indicators
        .iter()
        .flat_map(|i| {
            i.reporting
                .units
                .iter()
                .map(String::as_str)
                .chain(i.reporting.city_reporter.as_deref())
        })
        .collect();
    let catalogue = store.units()?;
    let units: Vec<&str> = catalogue
        .iter()
        .map(|u| u.name.as_str())
        .filter(|n| reporting.contains(n))
        .collect();

    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("任务分解表")?;
    let title = Format::new().set_bold().set_font_size(14);
    let header = Format::new()
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center)
        .set_background_color("#E8EEF7")
        .set_text_wrap();
    let cell = Format::new().set_border(FormatBorder::Thin);
    let none = Format::new()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center)
        .set_font_color("#999999");
    ws.write_string_with_format(0, 0, format!("{}任务分解表", plan.title), &title)?;
    ws.write_string(
        1,
        0,
        "每格为该单位的分解目标；空格表示按计划目标考核，“—”表示该单位不报送此指标。",
    )?;
    let top = 2;
    let mut widths: Vec<Vec<String>> = Vec::new();
    for (c, h) in COLUMNS
        .iter()
        .copied()
        .chain(units.iter().copied())
        .enumerate()
    {
        ws.write_string_with_format(top, c as u16, h, &header)?;
        widths.push(vec![h.to_string()]);
    }
    for (r, ind) in indicators.iter().enumerate() {
        let row = top + 1 + r as u32;
        let fixed = [
            ind.code.clone(),
            ind.name.clone(),
            ind.unit.clone().unwrap_or_default(),
            super::number(ind.target, crate::domain::words::Language::Chinese),
        ];
        for (c, text) in fixed.iter().enumerate() {
            ws.write_string_with_format(row, c as u16, text, &cell)?;
            widths[c].push(text.clone());
        }
        let reports: HashSet<&str> = ind
            .reporting
            .units
            .iter()
            .map(String::as_str)
            .chain(ind.reporting.city_reporter.as_deref())
            .collect();
        for (k, u) in units.iter().enumerate() {
            let c = (COLUMNS.len() + k) as u16;
            match own.get(&(ind.id, u.to_string())) {
                Some(t) => {
                    ws.write_number_with_format(row, c, *t, &cell)?;
                }
                None if reports.contains(u) => {
                    ws.write_blank(row, c, &cell)?;
                }
                None => {
                    ws.write_string_with_format(row, c, "—", &none)?;
                }
            }
        }
    }
    for (c, texts) in widths.iter().enumerate() {
        let max = if c == 1 { 48.0 } else { 16.0 };
        ws.set_column_width(
            c as u16,
            super::column_width(texts.iter().map(String::as_str), 8.0, max),
        )?;
    }
    ws.set_freeze_panes(top + 1, COLUMNS.len() as u16)?;
    Ok(wb.save_to_buffer()?)
}
