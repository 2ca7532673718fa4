//! The notices that follow a meeting, in Chinese as the bureau sends them:
//! 催报 to each unit that has not reported the period due (the indicators it
//! owes and the day they were due), and 退回 of a return, naming each row and
//! what is wrong with it. Each as text to copy and as a workbook to print.

use crate::domain::meeting::ReturnLine;
use crate::domain::{Date, Period};
use crate::store::StatusReport;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook};
use serde::Serialize;
use std::fmt::Write;

/// A unit owed a figure for the period due.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Reminder {
    pub unit: String,
    pub period: Period,
    /// The day the period's figures were due.
    pub due: Date,
    /// The indicators it owes a figure for: code, name.
    pub indicators: Vec<(String, String)>,
}

/// One 催报 per unit that has not reported the period due (the status
/// report's `not_reported`), with the indicators waiting for its figure.
///
/// ```
/// use taizhang::store::Store;
/// let mut store = Store::open_in_memory().unwrap();
/// taizhang::cli::demo(&mut store).unwrap();
/// let status = store.status(1, "2023-07-20".parse().unwrap()).unwrap();
/// let due_day = store.progress_settings().unwrap().due_day;
/// let all = taizhang::export::notices::reminders(&status, due_day);
/// let r = all.iter().find(|r| r.unit == "淄川区").unwrap();
/// assert_eq!(r.period.to_string(), "2023-06");
/// assert!(!r.indicators.is_empty());
/// ```
pub fn reminders(status: &StatusReport, due_day: u32) -> Vec<Reminder> {
    let Some(period) = status.period_due else {
        return Vec::new();
    };
    let due = crate::domain::reporting::due_date(period, due_day);
    status
        .not_reported
        .iter()
        .map(|unit| Reminder {
            unit: unit.clone(),
            period,
            due,
            indicators: status
                .indicators
                .iter()
                .filter(|i| i.evaluation.not_reported.iter().any(|u| u == unit))
                .map(|i| (i.code.clone(), i.label.clone()))
                .collect(),
        })
        .collect()
}

/// Who sends a notice and when: the plan's title and issuer, the date.
#[derive(Clone, Debug)]
pub struct Sender<'a> {
    pub plan_title: &'a str,
    pub issuer: &'a str,
    pub date: Date,
}

fn date_words(d: Date) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

fn period_words(p: Period) -> String {
    crate::domain::words::period(p, crate::domain::words::Language::Chinese)
}

/// The 催报 text for one unit.
pub fn reminder_text(r: &Reminder, from: &Sender) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "关于报送{}进展情况的催报通知", period_words(r.period));
    let _ = writeln!(s);
    let _ = writeln!(s, "{}：", r.unit);
    let _ = writeln!(
        s,
        "　　《{}》{}进展情况应于{}前报送。截至{}，贵单位尚未报送，涉及以下{}项指标：",
        from.plan_title,
        period_words(r.period),
        date_words(r.due),
        date_words(from.date),
        r.indicators.len()
    );
    for (k, (code, name)) in r.indicators.iter().enumerate() {
        let _ = writeln!(s, "　　{}. {}（{}）", k + 1, name, code);
    }
    let _ = writeln!(s, "　　请尽快补报。如已报送，请忽略本通知。");
    let _ = writeln!(s);
    if !from.issuer.is_empty() {
        let _ = writeln!(s, "{}", from.issuer);
    }
    let _ = writeln!(s, "{}", date_words(from.date));
    s
}

/// The 退回 text for a return: the unit, the period, the file, and each row
/// with what to fix.
pub fn return_text(
    unit: &str,
    period: Option<Period>,
    file: &str,
    lines: &[ReturnLine],
    from: &Sender,
) -> String {
    let mut s = String::new();
    let period = period.map(period_words).unwrap_or_default();
    let _ = writeln!(s, "关于退回{}进展情况报表的通知", period);
    let _ = writeln!(s);
    let _ = writeln!(s, "{unit}：");
    let _ = writeln!(
        s,
        "　　贵单位报送的《{}》{}进展情况报表（{}）经审核存在以下问题，现予退回，请修改后重新报送：",
        from.plan_title, period, file
    );
    for l in lines {
        let _ = writeln!(s, "　　第{}行 {}：{}", l.row, l.name, l.problems.join("；"));
    }
    let _ = writeln!(s, "　　退回期间，该表数据暂不计入统计。");
    let _ = writeln!(s);
    if !from.issuer.is_empty() {
        let _ = writeln!(s, "{}", from.issuer);
    }
    let _ = writeln!(s, "{}", date_words(from.date));
    s
}

/// A notice as a workbook to print: its text, one paragraph per row, and
/// when given a table (headers, rows) below it.
pub fn notice_xlsx(
    text: &str,
    table: Option<(&[&str], &[Vec<String>])>,
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("通知")?;
    let title = Format::new()
        .set_bold()
        .set_font_size(15)
        .set_align(FormatAlign::Center);
    let body = Format::new().set_text_wrap();
    ws.set_column_width(0, 90)?;
    let mut r = 0;
    for (k, line) in text.lines().enumerate() {
        // Text as text: a line starting with = never becomes a formula.
        ws.write_string_with_format(r, 0, line, if k == 0 { &title } else { &body })?;
        r += 1;
    }
    if let Some((headers, rows)) = table {
        r += 1;
        let head = Format::new().set_bold().set_border(FormatBorder::Thin);
        let cell = Format::new().set_border(FormatBorder::Thin).set_text_wrap();
        for (c, h) in headers.iter().enumerate() {
            ws.write_string_with_format(r, c as u16, *h, &head)?;
        }
        for row in rows {
            r += 1;
            for (c, v) in row.iter().enumerate() {
                ws.write_string_with_format(r, c as u16, v, &cell)?;
            }
        }
    }
    ws.set_paper_size(9);
    wb.save_to_buffer()
}

/// A notice with its rows to fix (a 退回) as a workbook to print: the text,
/// then a table of row, indicator and problems; a notice with none, the
/// text alone.
pub fn notice_with_lines_xlsx(
    text: &str,
    lines: &[ReturnLine],
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let rows: Vec<Vec<String>> = lines
        .iter()
        .map(|l| vec![l.row.to_string(), l.name.clone(), l.problems.join("；")])
        .collect();
    let table: Option<(&[&str], &[Vec<String>])> =
        (!rows.is_empty()).then_some((&["行", "指标", "问题"][..], &rows[..]));
    notice_xlsx(text, table)
}
