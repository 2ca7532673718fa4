//! Exports: the fill-in template (sheets, protection, validation, widths)
//! and its round trip through the importer; the bulletin against
//! `taizhang status --json` for the same date.

use calamine::{Data, Reader};
use std::io::Read;
use std::process::Command;
use taizhang::export::template::{COLUMNS, FIRST_ROW, template};
use taizhang::returns::{self, Context, Overrides};
use taizhang::store::Store;

fn demo() -> Store {
    let mut store = Store::open_in_memory().unwrap();
    taizhang::cli::demo(&mut store).unwrap();
    store
}

fn part(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut s = String::new();
    zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

#[test]
fn the_template_has_its_sheets_locks_and_checks() {
    let store = demo();
    let bytes = template(&store, None, "张店区", "2023-07".parse().unwrap()).unwrap();
    let mut wb = calamine::Xlsx::new(std::io::Cursor::new(bytes.clone())).unwrap();
    assert_eq!(
        wb.sheet_names(),
        vec!["数据填报".to_string(), "填报说明".to_string()]
    );
    let data = wb.worksheet_range("数据填报").unwrap();
    let cell = |r: u32, c: u32| {
        data.get_value((r, c))
            .cloned()
            .unwrap_or(Data::Empty)
            .to_string()
    };
    assert!(cell(1, 0).contains("填报单位：张店区") && cell(1, 0).contains("2023年7月"));
    for (c, h) in COLUMNS.iter().enumerate() {
        assert_eq!(cell(2, c as u32), *h);
    }
    // The indicators 张店区 owes a figure for: those it is a reporting unit
    // of; not those the bureau alone reports (日均活跃用户数).
    let indicators: Vec<_> = store
        .indicators(1)
        .unwrap()
        .into_iter()
        .filter(|i| i.reporting.units.iter().any(|u| u == "张店区"))
        .collect();
    assert!(indicators.len() > 10);
    assert!(!indicators.iter().any(|i| i.name == "日均活跃用户数"));
    for (k, ind) in indicators.iter().enumerate() {
        let r = FIRST_ROW + k as u32;
        assert_eq!(cell(r, 0), ind.code);
        assert_eq!(cell(r, 1), ind.name);
        assert_eq!(cell(r, 4), "", "the value is left to the unit");
        let scope = match ind.scope {
            taizhang::domain::Scope::PerUnit => "（每个单位）",
            taizhang::domain::Scope::City => "（全市）",
        };
        assert!(cell(r, 3).ends_with(scope), "{}: {}", ind.name, cell(r, 3));
    }
    assert_eq!(cell(FIRST_ROW + indicators.len() as u32, 0), "");
    let sheet = part(&bytes, "xl/worksheets/sheet1.xml");
    assert!(
        sheet.contains("<sheetProtection"),
        "the data sheet is protected"
    );
    assert!(!sheet.contains("password"), "without a password");
    assert!(
        sheet.contains(r#"type="decimal""#) && sheet.contains(r#"operator="greaterThanOrEqual""#)
    );
    assert!(sheet.contains("完成值应为不小于0的数字") && sheet.contains("填写完成值"));
    assert!(sheet.contains("<pane") && sheet.contains(r#"state="frozen""#));
    // Names are wide CJK text: their column is wider than the code column.
    let widths: Vec<f64> = sheet
        .split("<col ")
        .skip(1)
        .map(|c| {
            let w = c.split(r#"width=""#).nth(1).unwrap();
            w[..w.find('"').unwrap()].parse().unwrap()
        })
        .collect();
    assert!(widths[1] > widths[0] + 5.0, "{widths:?}");
    // Input cells are unlocked, the others are not.
    let styles = part(&bytes, "xl/styles.xml");
    assert!(styles.contains(r#"<protection locked="0"/>"#));
}

/// Types a value into each input cell, as a person would in Excel: the
/// blank value cells (column E) of the data sheet get a number.
fn fill(bytes: &[u8], values: &[(u32, f64)]) -> Vec<u8> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut content = Vec::new();
        f.read_to_end(&mut content).unwrap();
        if name == "xl/worksheets/sheet1.xml" {
            let mut xml = String::from_utf8(content).unwrap();
            for (row, v) in values {
                let cell = format!(r#"<c r="E{}" s="#, row + 1);
                let at = xml
                    .find(&cell)
                    .unwrap_or_else(|| panic!("no cell E{}", row + 1));
                let end = at + xml[at..].find("/>").unwrap();
                let open = xml[at..end].to_string();
                xml.replace_range(at..end + 2, &format!("{open}><v>{v}</v></c>"));
            }
            content = xml.into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        std::io::Write::write_all(&mut out, &content).unwrap();
    }
    out.finish().unwrap().into_inner()
}

#[test]
fn a_filled_template_imports_back_with_every_row_matched_by_code() {
    let store = demo();
    let blank = template(&store, None, "淄川区", "2023-10".parse().unwrap()).unwrap();
    // The template lists what 淄川区 owes; the matcher knows the whole plan.
    let all = store.indicators(1).unwrap();
    let indicators: Vec<_> = all
        .iter()
        .filter(|i| i.reporting.units.iter().any(|u| u == "淄川区"))
        .cloned()
        .collect();
    let values: Vec<(u32, f64)> = (0..indicators.len())
        .map(|k| (FIRST_ROW + k as u32, 1.0 + k as f64))
        .collect();
    let filled = fill(&blank, &values);
    let units = store.units().unwrap();
    let history = Default::default();
    let ctx = Context::new(&all, &units, &[], 2023, &history);
    let r = returns::import(
        "淄川区_2023年10月.xlsx",
        &filled,
        &ctx,
        &Overrides::default(),
    );
    assert_eq!(r.file_error, None);
    assert!(r.rejects.is_empty(), "{:?}", r.rejects);
    assert_eq!(r.unit.as_deref(), Some("淄川区"));
    assert_eq!(r.period.as_deref(), Some("2023-10"));
    assert_eq!(r.rows.len(), indicators.len());
    for (k, ind) in indicators.iter().enumerate() {
        let row = r.rows.iter().find(|x| x.indicator_id == ind.id).unwrap();
        assert_eq!(row.code, ind.code);
        assert_eq!(row.value, Some(1.0 + k as f64), "{}", ind.name);
        assert_eq!(row.row, (FIRST_ROW + k as u32 + 1) as usize);
    }
}

#[test]
fn the_bulletin_agrees_with_status_for_the_same_date() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("b.sqlite3");
    let run = |args: &[&str]| -> serde_json::Value {
        let out = Command::new(env!("CARGO_BIN_EXE_taizhang"))
            .arg("--db")
            .arg(&db)
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null)
    };
    run(&["demo"]);
    for date in ["2023-06-30", "2023-09-30", "2023-12-31"] {
        let status = run(&["status", "--as-of", date, "--json"]);
        let bulletin = run(&["export", "bulletin", "--as-of", date, "--json"]);
        assert_eq!(bulletin["summary"], status["summary"], "{date}");
        let text = bulletin["text"].as_str().unwrap();
        let n = |k: &str| status["summary"][k].as_u64().unwrap();
        let total = status["indicators"].as_array().unwrap().len();
        assert!(text.contains(&format!("共设{total}项量化指标")), "{text}");
        assert!(text.contains(&format!("已完成{}项", n("done"))), "{text}");
        assert!(
            text.contains(&format!("进度滞后{}项", n("lagging"))),
            "{text}"
        );
        assert!(
            text.contains(&format!("严重滞后{}项", n("behind"))),
            "{text}"
        );
        assert!(
            text.contains(&format!("逾期未完成{}项", n("overdue"))),
            "{text}"
        );
        // Every lagging indicator is named with its figures.
        for i in status["indicators"].as_array().unwrap() {
            if i["status"] == "lagging" {
                assert!(text.contains(i["name"].as_str().unwrap()), "{text}");
            }
        }
        for u in bulletin["not_reported"].as_array().unwrap() {
            assert!(text.contains(u.as_str().unwrap()));
        }
    }
}

#[test]
fn the_meeting_workbook_has_its_sheets_statuses_and_charts() {
    let mut store = demo();
    // Words from a return that look like a formula stay words.
    let mut e = taizhang::store::ReportEntry::new(
        "新建智慧社区数",
        "张店区",
        "2023-09".parse().unwrap(),
        30.0,
    );
    e.progress = Some("=HYPERLINK(\"http://x\",\"点我\")+1".into());
    store.add_report(&e).unwrap();
    let as_of: taizhang::domain::Date = "2023-11-30".parse().unwrap();
    let bytes = taizhang::export::report::report(&store, None, as_of).unwrap();
    let status = store.status(1, as_of).unwrap();
    let mut wb = calamine::Xlsx::new(std::io::Cursor::new(bytes.clone())).unwrap();
    let names = wb.sheet_names();
    assert_eq!(names[0], "汇总");
    assert!(names.contains(&"单位排名".to_string()), "{names:?}");
    assert!(names.contains(&"滞后指标图表".to_string()), "{names:?}");
    let doc = store.plan_doc(1).unwrap();
    assert!(
        names.len() > 3,
        "a sheet per section with indicators: {names:?}"
    );
    assert!(
        names
            .iter()
            .any(|n| n.starts_with(&format!("{}、", doc.sections[0].number)))
    );
    let summary = wb.worksheet_range("汇总").unwrap();
    let cell = |r: u32, c: u32| {
        summary
            .get_value((r, c))
            .cloned()
            .unwrap_or(Data::Empty)
            .to_string()
    };
    for (k, i) in status.indicators.iter().enumerate() {
        let r = 3 + k as u32;
        assert_eq!(cell(r, 0), i.code);
        assert_eq!(
            cell(r, 7),
            taizhang::export::report::status_name(i.evaluation.status),
            "{}",
            i.name
        );
    }
    let row = 3 + status
        .indicators
        .iter()
        .position(|i| i.name == "新建智慧社区数")
        .unwrap() as u32;
    assert_eq!(cell(row, 9), "张店区：=HYPERLINK(\"http://x\",\"点我\")+1");
    let sheet = part(&bytes, "xl/worksheets/sheet1.xml");
    assert!(!sheet.contains("<f>"), "no formula anywhere in the summary");
    // Native charts: one per lagging/behind/overdue indicator with a figure, and the ranking.
    let late = status
        .indicators
        .iter()
        .filter(|i| {
            matches!(
                i.evaluation.status,
                taizhang::domain::Status::Lagging
                    | taizhang::domain::Status::Behind
                    | taizhang::domain::Status::Overdue
            ) && i.evaluation.actual.is_some()
                && i.scope != taizhang::domain::Scope::PerUnit
        })
        .count();
    assert!(late > 0);
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.clone())).unwrap();
    let charts = (0..zip.len())
        .filter(|i| {
            zip.by_index(*i)
                .unwrap()
                .name()
                .unwrap()
                .starts_with("xl/charts/chart")
        })
        .count();
    assert_eq!(charts, late + 1);
    // Status cells are coloured.
    let styles = part(&bytes, "xl/styles.xml");
    assert!(
        styles.contains("FFFFC7CE") || styles.contains("FFFFEB9C"),
        "status fills"
    );
}
