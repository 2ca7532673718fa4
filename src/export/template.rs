//! The fill-in template for one unit and period: an instructions sheet and
//! a data sheet with 填报单位 and period lines, the plan's indicators with
//! their codes, names, units of measure and the unit's own targets (or the
//! plan's), and input cells for the value and the three texts. Only input
//! cells are editable (sheet protection, no password); values are checked
//! (a decimal ≥ 0, with Chinese messages); widths fit CJK text; the header
//! is frozen. A filled template imports back with every row matched by code.

use super::ExportError;
use crate::domain::Period;
use crate::store::Store;
use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, DataValidationRule, Format, FormatAlign,
    FormatBorder, Workbook,
};

/// The columns of the data sheet, in order.
pub const COLUMNS: [&str; 8] = [
    "指标编码",
    "指标名称",
    "计量单位",
    "年度目标",
    "截至目前完成值",
    "进展情况",
    "存在问题",
    "下步打算",
];

/// The first data row (0-based) of the data sheet.
pub const FIRST_ROW: u32 = 3;

/// The template for `unit` (a catalogue name or alias) and `period`, for the
/// latest plan (or `plan`), as .xlsx bytes.
///
/// ```
/// use taizhang::store::Store;
/// let mut store = Store::open_in_memory().unwrap();
/// taizhang::cli::demo(&mut store).unwrap();
/// let bytes = taizhang::export::template::template(&store, None, "张店区", "2023-07".parse().unwrap()).unwrap();
/// assert_eq!(&bytes[..2], b"PK");
/// ```
pub fn template(
    store: &Store,
    plan: Option<i64>,
    unit: &str,
    period: Period,
) -> Result<Vec<u8>, ExportError> {
    let plan = store.plan_or_latest(plan)?;
    let unit = store.require_unit(unit)?;
    let all = store.indicator_inputs(plan.id)?;
    // The indicators this unit owes a figure for: those it is a reporting
    // unit of, or reports the city's figure for; all of them for a unit
    // no indicator counts on (a template is never empty).
    let owes = |ind: &crate::domain::Indicator| {
        ind.reporting.units.contains(&unit.name)
            || (ind.scope == crate::domain::Scope::City
                && ind.reporting.city_reporter.as_deref() == Some(unit.name.as_str()))
    };
    let inputs: Vec<&(crate::domain::Indicator, Vec<crate::domain::UnitInput>)> =
        if all.iter().any(|(ind, _)| owes(ind)) {
            all.iter().filter(|(ind, _)| owes(ind)).collect()
        } else {
            all.iter().collect()
        };
    let mut wb = Workbook::new();

    let title = Format::new()
        .set_bold()
        .set_font_size(16)
        .set_align(FormatAlign::Center);
    let header = Format::new()
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_background_color("#DDEBF7")
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_text_wrap();
    let locked = Format::new().set_border(FormatBorder::Thin).set_text_wrap();
    let input = Format::new()
        .set_border(FormatBorder::Thin)
        .set_unlocked()
        .set_background_color("#FFF2CC")
        .set_text_wrap();
    let number_input = input.clone().set_num_format("General");

    let ws = wb.add_worksheet();
    ws.set_name("数据填报")?;
    ws.merge_range(
        0,
        0,
        0,
        COLUMNS.len() as u16 - 1,
        &format!(
            "{}{}年{}月重点指标进展情况统计表",
            unit.name,
            period.year(),
            period.month()
        ),
        &title,
    )?;
    ws.write_string(
        1,
        0,
        format!(
            "填报单位：{}　　报送期：{}年{}月",
            unit.name,
            period.year(),
            period.month()
        ),
    )?;
    for (c, h) in COLUMNS.iter().enumerate() {
        ws.write_string_with_format(2, c as u16, *h, &header)?;
    }
    let mut widths: Vec<Vec<String>> = COLUMNS.iter().map(|h| vec![h.to_string()]).collect();
    for (k, (ind, units)) in inputs.iter().enumerate() {
        let row = FIRST_ROW + k as u32;
        let own = units
            .iter()
            .find(|u| u.unit == unit.name)
            .and_then(|u| u.target);
        let target = own.unwrap_or(ind.target);
        let target_text = format!(
            "{}{}{}",
            super::sign(ind.comparator),
            super::number(target, crate::domain::words::Language::Chinese),
            match (own, ind.scope) {
                (Some(_), _) => "",
                (None, crate::domain::Scope::PerUnit) => "（每个单位）",
                (None, crate::domain::Scope::City) => "（全市）",
            }
        );
        let cells = [
            ind.code.clone(),
            ind.name.clone(),
            ind.unit.clone().unwrap_or_default(),
            target_text,
        ];
        for (c, text) in cells.iter().enumerate() {
            ws.write_string_with_format(row, c as u16, text, &locked)?;
            widths[c].push(text.clone());
        }
        ws.write_blank(row, 4, &number_input)?;
        for c in 5..8 {
            ws.write_blank(row, c, &input)?;
        }
    }
    let last = FIRST_ROW + inputs.len().max(1) as u32 - 1;
    let validation = DataValidation::new()
        .allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(0.0))
        .set_input_title("填写完成值")?
        .set_input_message("请填写截至报送期末的累计完成值（数字，不小于0）；百分比指标填写百分数，如 85 表示 85%。")?
        .set_error_style(DataValidationErrorStyle::Stop)
        .set_error_title("数值无效")?
        .set_error_message("完成值应为不小于0的数字，请勿填写文字或单位。")?;
    ws.add_data_validation(FIRST_ROW, 4, last, 4, &validation)?;
    for (c, texts) in widths.iter().enumerate() {
        let (min, max) = match c {
            0 => (10.0, 16.0),
            1 => (16.0, 48.0),
            2 | 3 => (8.0, 20.0),
            4 => (14.0, 16.0),
            _ => (28.0, 40.0),
        };
        ws.set_column_width(
            c as u16,
            super::column_width(texts.iter().map(String::as_str), min, max),
        )?;
    }
    ws.set_freeze_panes(FIRST_ROW, 2)?;
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(2, 2)?;
    ws.protect();

    let help = wb.add_worksheet();
    help.set_name("填报说明")?;
    let lines = [
        "填报说明".to_string(),
        format!("1. 本表由“台账”生成，供{}填报{}年{}月重点指标进展。", unit.name, period.year(), period.month()),
        "2. 只需填写黄色单元格：截至目前完成值（数字）、进展情况、存在问题、下步打算。".to_string(),
        "3. 完成值填写截至报送期末的累计数；百分比指标填写百分数（如 85 表示 85%）；没有数值的填“已完成”等文字说明于进展情况栏。".to_string(),
        "4. 请勿修改指标编码、名称和目标，勿增删行列；表格已保护（无密码）。".to_string(),
        "5. 填好后保存为 .xlsx 文件报送，导入时按指标编码自动对应。".to_string(),
    ];
    for (r, l) in lines.iter().enumerate() {
        help.write_string(r as u32, 0, l)?;
    }
    help.set_column_width(0, 100)?;
    Ok(wb.save_to_buffer()?)
}
