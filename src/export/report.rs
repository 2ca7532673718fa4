//! The meeting workbook: a summary sheet (every indicator with target,
//! actual, completion, expected progress and its status in colour), one
//! sheet per plan section, the unit ranking, and native Excel charts — each
//! lagging, behind or overdue indicator against its target and expected
//! progress, and the ranking. Text from returns is written as text, never as
//! a formula.

use super::ExportError;
use crate::domain::words::Language;
use crate::domain::{Date, Status};
use crate::store::{IndicatorStatus, Store};
use rust_xlsxwriter::{
    Chart, ChartType, Color, Format, FormatAlign, FormatBorder, Workbook, Worksheet,
};

/// The Chinese name of a status (as in the window): the workbook and the
/// bulletin are Chinese documents.
pub fn status_name(s: Status) -> &'static str {
    Language::Chinese.t(s.key())
}

/// The fill colour of a status cell.
pub fn status_fill(s: Status) -> Color {
    Color::RGB(match s {
        Status::Done => 0xC6EFCE,
        Status::OnTrack => 0xE2F0D9,
        Status::Lagging => 0xFFEB9C,
        Status::Behind => 0xFFC7CE,
        Status::Overdue => 0xE4C1F9,
        Status::NoData => 0xEDEDED,
    })
}

const HEAD: [&str; 10] = [
    "编码",
    "指标",
    "任务",
    "目标",
    "实际",
    "完成率",
    "序时进度",
    "状态",
    "完成时限",
    "最新进展",
];

/// Sheet names: at most 31 characters, none of `[]:*?/\`, unique.
fn sheet_name(wanted: &str, taken: &mut Vec<String>) -> String {
    let clean: String = wanted
        .chars()
        .filter(|c| !"[]:*?/\\".contains(*c))
        .take(28)
        .collect();
    let mut name = clean.clone();
    let mut n = 2;
    while taken.contains(&name) {
        name = format!("{clean}{n}");
        n += 1;
    }
    taken.push(name.clone());
    name
}

struct Formats {
    title: Format,
    head: Format,
    text: Format,
    number: Format,
    percent: Format,
}

fn table(
    ws: &mut Worksheet,
    title: &str,
    rows: &[&IndicatorStatus],
    latest: &crate::store::LatestProgress,
    f: &Formats,
) -> Result<(), ExportError> {
    ws.write_string_with_format(0, 0, title, &f.title)?;
    for (c, h) in HEAD.iter().enumerate() {
        ws.write_string_with_format(2, c as u16, *h, &f.head)?;
    }
    let mut names = vec!["指标".to_string()];
    for (k, i) in rows.iter().enumerate() {
        let r = 3 + k as u32;
        let e = &i.evaluation;
        ws.write_string_with_format(r, 0, &i.code, &f.text)?;
        ws.write_string_with_format(r, 1, &i.label, &f.text)?;
        ws.write_string_with_format(r, 2, i.task.as_deref().unwrap_or(""), &f.text)?;
        ws.write_string_with_format(
            r,
            3,
            format!(
                "{}{}{}{}",
                super::sign(i.comparator),
                super::number(i.target, Language::Chinese),
                i.unit.as_deref().unwrap_or(""),
                super::revision_words(i, Language::Chinese)
            ),
            &f.text,
        )?;
        match (i.scope, e.units_met, e.units_total, e.actual) {
            // A per-unit target: how many units reach it, not a share as a count.
            (crate::domain::Scope::PerUnit, Some(met), Some(total), _) => {
                ws.write_string_with_format(r, 4, format!("{met}/{total}个单位达标"), &f.text)?
            }
            (.., Some(v)) => ws.write_number_with_format(r, 4, v, &f.number)?,
            (.., None) => ws.write_string_with_format(r, 4, "未报送", &f.text)?,
        };
        for (c, v) in [(5u16, e.completion), (6, e.expected)] {
            match v {
                Some(v) => ws.write_number_with_format(r, c, v, &f.percent)?,
                None => ws.write_string_with_format(r, c, "—", &f.text)?,
            };
        }
        let status = f
            .text
            .clone()
            .set_background_color(status_fill(e.status))
            .set_align(FormatAlign::Center);
        ws.write_string_with_format(r, 7, status_name(e.status), &status)?;
        ws.write_string_with_format(r, 8, i.deadline.to_string(), &f.text)?;
        // Words from returns: always a string cell, whatever they start with.
        let words = latest
            .get(&i.id)
            .map(|(_, u, t)| format!("{u}：{t}"))
            .unwrap_or_default();
        ws.write_string_with_format(r, 9, &words, &f.text)?;
        names.push(i.label.clone());
    }
    ws.set_column_width(0, 14)?;
    ws.set_column_width(
        1,
        super::column_width(names.iter().map(String::as_str), 16.0, 44.0),
    )?;
    ws.set_column_width(2, 8)?;
    ws.set_column_width(3, 14)?;
    for c in 4..=8 {
        ws.set_column_width(c, 11)?;
    }
    ws.set_column_width(9, 60)?;
    ws.set_freeze_panes(3, 2)?;
    print_setup(ws)?;
    ws.set_repeat_rows(2, 2)?;
    Ok(())
}

/// Printing (and PDF): A4 landscape, every column on one page width.
fn print_setup(ws: &mut Worksheet) -> Result<(), ExportError> {
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    Ok(())
}

/// The meeting workbook for the latest plan (or `plan`) at `as_of`, as
/// .xlsx bytes.
///
/// ```
/// use taizhang::store::Store;
/// let mut store = Store::open_in_memory().unwrap();
/// taizhang::cli::demo(&mut store).unwrap();
/// let bytes = taizhang::export::report::report(&store, None, "2023-09-30".parse().unwrap()).unwrap();
/// assert_eq!(&bytes[..2], b"PK");
/// ```
pub fn report(store: &Store, plan: Option<i64>, as_of: Date) -> Result<Vec<u8>, ExportError> {
    let plan = store.plan_or_latest(plan)?;
    let status = store.status(plan.id, as_of)?;
    let previous = store.status(plan.id, as_of.period().previous().last_day())?;
    let ranking = super::ranking::rank(&status, Some(&previous));
    let latest = store.latest_progress(plan.id, Some(as_of.period()))?;
    let doc = store.plan_doc(plan.id)?;
    let f = Formats {
        title: Format::new().set_bold().set_font_size(15),
        head: Format::new()
            .set_bold()
            .set_border(FormatBorder::Thin)
            .set_background_color("#DDEBF7")
            .set_align(FormatAlign::Center),
        text: Format::new().set_border(FormatBorder::Thin),
        number: Format::new()
            .set_border(FormatBorder::Thin)
            .set_num_format("#,##0.##"),
        percent: Format::new()
            .set_border(FormatBorder::Thin)
            .set_num_format("0.0%"),
    };
    let mut wb = Workbook::new();
    let mut taken = Vec::new();
    let all: Vec<&IndicatorStatus> = status.indicators.iter().collect();
    {
        let ws = wb.add_worksheet();
        ws.set_name(sheet_name("汇总", &mut taken))?;
        table(
            ws,
            &format!("{}　截至{}", plan.title, as_of),
            &all,
            &latest,
            &f,
        )?;
        let counts: Vec<String> = Status::ALL
            .iter()
            .map(|s| {
                format!(
                    "{}{}项",
                    status_name(*s),
                    status.summary.get(s.as_str()).copied().unwrap_or(0)
                )
            })
            .collect();
        ws.write_string(
            1,
            0,
            format!("共{}项指标：{}", all.len(), counts.join("，")),
        )?;
    }
    // 自上次会议以来: what changed since the last meeting before this date.
    if let Some(d) = super::ranking::since_last_meeting(store, plan.id, as_of)?
        && !d.is_empty()
    {
        let ws = wb.add_worksheet();
        ws.set_name(sheet_name("自上次会议以来", &mut taken))?;
        ws.write_string_with_format(
            0,
            0,
            format!("自上次会议（数据截至{}）以来", d.since_as_of),
            &f.title,
        )?;
        for (c, h) in ["变化", "指标或单位", "上次", "本次"].iter().enumerate() {
            ws.write_string_with_format(2, c as u16, *h, &f.head)?;
        }
        let mut r = 3;
        let mut put = |ws: &mut Worksheet, what: &str, name: &str, from: String, to: String| {
            for (c, v) in [what, name, &from, &to].iter().enumerate() {
                ws.write_string_with_format(r, c as u16, *v, &f.text)?;
            }
            r += 1;
            Ok::<(), ExportError>(())
        };
        for c in &d.colour_changes {
            let what = match c.way {
                crate::domain::meeting::Way::Better => "好转",
                crate::domain::meeting::Way::Worse => "转差",
                crate::domain::meeting::Way::Neither => "颜色变化",
            };
            put(
                ws,
                what,
                &c.name,
                status_name(c.from).into(),
                status_name(c.to).into(),
            )?;
        }
        for x in &d.still_red {
            put(
                ws,
                "连续滞后",
                &x.name,
                format!("连续{}次会议", x.meetings),
                status_name(x.status).into(),
            )?;
        }
        for m in &d.rank_moves {
            let from = m.from.map_or("未排名".to_string(), |f| format!("第{f}名"));
            put(ws, "排名变化", &m.unit, from, format!("第{}名", m.to))?;
        }
        for n in &d.new_figures {
            let from = n
                .from
                .map_or("—".to_string(), |v| super::number(v, Language::Chinese));
            put(
                ws,
                "新数据",
                &n.name,
                from,
                super::number(n.to, Language::Chinese),
            )?;
        }
        ws.set_column_width(0, 12)?;
        ws.set_column_width(
            1,
            super::column_width(d.colour_changes.iter().map(|c| c.name.as_str()), 16.0, 40.0),
        )?;
        ws.set_column_width(2, 14)?;
        ws.set_column_width(3, 14)?;
        print_setup(ws)?;
    }
    for section in &doc.sections {
        let rows: Vec<&IndicatorStatus> = all
            .iter()
            .copied()
            .filter(|i| {
                i.task.as_deref().is_some_and(|t| {
                    t == section.number || t.starts_with(&format!("{}/", section.number))
                })
            })
            .collect();
        if rows.is_empty() {
            continue;
        }
        let ws = wb.add_worksheet();
        ws.set_name(sheet_name(
            &format!("{}、{}", section.number, section.title),
            &mut taken,
        ))?;
        table(
            ws,
            &format!("{}、{}", section.number, section.title),
            &rows,
            &latest,
            &f,
        )?;
    }
    // The ranking, with its chart.
    {
        let name = sheet_name("单位排名", &mut taken);
        let ws = wb.add_worksheet();
        ws.set_name(&name)?;
        ws.write_string_with_format(0, 0, format!("单位排名（晾晒）　截至{as_of}"), &f.title)?;
        for (c, h) in ["名次", "较上月", "单位", "平均完成率", "已报指标数"]
            .iter()
            .enumerate()
        {
            ws.write_string_with_format(2, c as u16, *h, &f.head)?;
        }
        let ranked: Vec<_> = ranking
            .ranked
            .iter()
            .filter(|r| r.score.is_some())
            .collect();
        for (k, r) in ranking.ranked.iter().enumerate() {
            let row = 3 + k as u32;
            ws.write_number_with_format(row, 0, r.rank as f64, &f.text)?;
            let change = super::ranking::change(r.rank, r.previous_rank, Language::Chinese);
            ws.write_string_with_format(row, 1, change, &f.text)?;
            ws.write_string_with_format(row, 2, &r.unit, &f.text)?;
            match r.score {
                Some(s) => ws.write_number_with_format(row, 3, s, &f.percent)?,
                None => ws.write_string_with_format(row, 3, "—", &f.text)?,
            };
            ws.write_number_with_format(row, 4, r.reported as f64, &f.text)?;
        }
        // Units with no figure are not ranked: listed below, apart.
        if !ranking.not_reported.is_empty() {
            let row = 4 + ranking.ranked.len() as u32;
            ws.write_string_with_format(
                row,
                0,
                format!(
                    "未报送、不参与排名的单位（{}个）",
                    ranking.not_reported.len()
                ),
                &f.head,
            )?;
            for (k, u) in ranking.not_reported.iter().enumerate() {
                ws.write_string_with_format(row + 1 + k as u32, 2, u, &f.text)?;
            }
        }
        ws.set_column_width(
            2,
            super::column_width(
                ranking
                    .ranked
                    .iter()
                    .map(|r| r.unit.as_str())
                    .chain(ranking.not_reported.iter().map(String::as_str)),
                10.0,
                30.0,
            ),
        )?;
        ws.set_column_width(3, 12)?;
        ws.set_column_width(4, 12)?;
        print_setup(ws)?;
        if !ranked.is_empty() {
            let last = 3 + ranked.len() as u32 - 1;
            let mut chart = Chart::new(ChartType::Bar);
            chart.title().set_name("各单位平均完成率");
            chart
                .add_series()
                .set_name("平均完成率")
                .set_categories((name.as_str(), 3, 2, last, 2))
                .set_values((name.as_str(), 3, 3, last, 3));
            // A value axis from zero (to 100%): spreadsheet programs otherwise
            // start it near the smallest bar, which then looks like nothing.
            chart.y_axis().set_num_format("0%").set_min(0).set_max(1);
            chart.x_axis().set_reverse();
            chart.legend().set_hidden();
            ws.insert_chart(2, 6, &chart)?;
        }
    }
    // One chart per indicator that needs attention: target, actual and what
    // the time elapsed asks for.
    let late: Vec<&IndicatorStatus> = all
        .iter()
        .copied()
        .filter(|i| {
            matches!(
                i.evaluation.status,
                Status::Lagging | Status::Behind | Status::Overdue
            )
        })
        .filter(|i| i.evaluation.actual.is_some())
        // Per-unit targets are counted in units, shown in the summary.
        .filter(|i| i.scope != crate::domain::Scope::PerUnit)
        .collect();
    if !late.is_empty() {
        let name = sheet_name("滞后指标图表", &mut taken);
        let ws = wb.add_worksheet();
        ws.set_name(&name)?;
        ws.write_string_with_format(0, 0, format!("需关注的指标　截至{as_of}"), &f.title)?;
        for (c, h) in ["指标", "目标", "实际", "序时应完成"].iter().enumerate() {
            ws.write_string_with_format(2, c as u16, *h, &f.head)?;
        }
        for (k, i) in late.iter().enumerate() {
            let row = 3 + k as u32;
            let e = &i.evaluation;
            let base = i.baseline.unwrap_or(0.0);
            let expected = e.expected.map(|x| base + x * (i.target - base));
            ws.write_string_with_format(row, 0, &i.label, &f.text)?;
            ws.write_number_with_format(row, 1, i.target, &f.number)?;
            ws.write_number_with_format(row, 2, e.actual.unwrap_or(0.0), &f.number)?;
            match expected {
                Some(v) => ws.write_number_with_format(row, 3, v, &f.number)?,
                None => ws.write_string_with_format(row, 3, "—", &f.text)?,
            };
            let mut chart = Chart::new(ChartType::Column);
            chart
                .title()
                .set_name(&format!("{}（{}）", i.label, status_name(e.status)));
            chart
                .add_series()
                .set_name(i.label.as_str())
                .set_categories((name.as_str(), 2, 1, 2, 3))
                .set_values((name.as_str(), row, 1, row, 3));
            chart.legend().set_hidden();
            // From zero: 46.5 against 50 must not look like half.
            chart.y_axis().set_min(0);
            chart.set_width(480).set_height(260);
            ws.insert_chart(2 + 14 * k as u32, 6, &chart)?;
        }
        ws.set_column_width(
            0,
            super::column_width(late.iter().map(|i| i.label.as_str()), 16.0, 40.0),
        )?;
        for c in 1..=3 {
            ws.set_column_width(c, 12)?;
        }
        print_setup(ws)?;
    }
    Ok(wb.save_to_buffer()?)
}
