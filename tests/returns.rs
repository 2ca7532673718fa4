//! Progress returns: the five sample returns against their expected results
//! (the rule of score_returns.py), harder shapes built here, files that must
//! be refused, and committing, superseding and undoing batches.

use rust_xlsxwriter::{Format, Workbook};
use serde_json::Value;
use std::path::{Path, PathBuf};
use taizhang::domain::{PlanDoc, UnitsFile};
use taizhang::returns::{self, Context, FileResult, Overrides, RowStatus, Why};
use taizhang::store::{NewBatch, Store};

fn shared(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared")
        .join(rel)
}

fn ledger() -> Store {
    let mut s = Store::open_in_memory().unwrap();
    let units: UnitsFile =
        serde_json::from_slice(&std::fs::read(shared("samples/units_zibo.json")).unwrap()).unwrap();
    s.import_units(&units.units).unwrap();
    let plan: PlanDoc =
        serde_json::from_slice(&std::fs::read(shared("samples/gold/002.json")).unwrap()).unwrap();
    s.import_plan(&plan, None).unwrap();
    s
}

fn import(store: &Store, name: &str, bytes: &[u8], over: &Overrides) -> FileResult {
    let indicators = store.indicators(1).unwrap();
    let units = store.units().unwrap();
    let aliases = store.indicator_aliases(1).unwrap();
    let history = store.figure_history(1).unwrap();
    let ctx = Context::new(&indicators, &units, &aliases, 2023, &history);
    returns::import(name, bytes, &ctx, over)
}

fn close(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => (a - b).abs() <= 1e-6 * b.abs().max(1.0),
        _ => false,
    }
}

/// Compares a result with an expected file as score_returns.py does; returns the problems.
fn compare(got: &FileResult, exp: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    if exp["file_error"].is_null() != got.file_error.is_none() {
        problems.push(format!(
            "file_error: expected {} got {:?}",
            exp["file_error"], got.file_error
        ));
    }
    if let Some(u) = exp["unit"].as_str()
        && got.unit.as_deref() != Some(u)
    {
        problems.push(format!("unit: expected {u} got {:?}", got.unit));
    }
    if let Some(p) = exp["period"].as_str()
        && got.period.as_deref() != Some(p)
    {
        problems.push(format!("period: expected {p} got {:?}", got.period));
    }
    let mut rows: Vec<&returns::Row> = got.rows.iter().collect();
    for er in exp["rows"].as_array().unwrap() {
        let name = er["indicator"].as_str().unwrap();
        match rows.iter().position(|r| r.indicator == name) {
            None => problems.push(format!("missing row {name}")),
            Some(i) => {
                let r = rows.remove(i);
                if !close(r.value, er["value"].as_f64())
                    || r.status().as_str() != er["status"].as_str().unwrap_or("accepted")
                {
                    problems.push(format!(
                        "row {name}: expected {} {} got {:?} {} ({})",
                        er["value"],
                        er["status"],
                        r.value,
                        r.status(),
                        r.why()
                    ));
                }
                if let Some(t) = er["text"].as_str()
                    && r.text != t
                {
                    problems.push(format!("row {name}: text expected «{t}» got «{}»", r.text));
                }
            }
        }
    }
    for r in rows {
        problems.push(format!("extra row {} = {:?}", r.indicator, r.value));
    }
    for er in exp["rejects"].as_array().unwrap() {
        let row = er["row"].as_u64().unwrap() as usize;
        let cat = er["why"].as_str().unwrap().split(':').next().unwrap();
        if !got
            .rejects
            .iter()
            .any(|r| r.row == row && r.why.category() == cat)
        {
            problems.push(format!(
                "reject row {row} {cat} missing; got {:?}",
                got.rejects
            ));
        }
    }
    problems
}

#[test]
fn every_sample_return_reads_as_expected() {
    let store = ledger();
    let dir = shared("samples/returns");
    let mut checked = 0;
    for e in std::fs::read_dir(&dir).unwrap() {
        let path = e.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let Some(file) = name.strip_suffix(".expected.json") else {
            continue;
        };
        let exp: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        let bytes = std::fs::read(dir.join(file)).unwrap();
        let got = import(&store, file, &bytes, &Overrides::default());
        let problems = compare(&got, &exp);
        assert!(problems.is_empty(), "{file}:\n{}", problems.join("\n"));
        checked += 1;
    }
    assert_eq!(checked, 5);
}

/// A return in a harder shape: instructions first, the table lower and to
/// the right, Traditional unit name, units in brackets, 万 in values, a
/// section row, a duplicate, a negative, an absurd value, an unknown row.
fn hard_xlsx() -> Vec<u8> {
    let mut wb = Workbook::new();
    let help = wb.add_worksheet();
    help.set_name("填表说明").unwrap();
    help.write_string(0, 0, "填表说明：请填写截至目前的累计完成值")
        .unwrap();
    let ws = wb.add_worksheet();
    ws.set_name("数据").unwrap();
    let bold = Format::new().set_bold();
    ws.merge_range(2, 2, 2, 8, "張店區2023年1-9月大數據工作進展情況", &bold)
        .unwrap();
    ws.write_string(
        3,
        2,
        "填報單位：張店區大數據局      填報時間：2023年10月8日",
    )
    .unwrap();
    let headers = [
        "序號",
        "指標名稱",
        "年度目標",
        "截至目前完成值",
        "完成率",
        "進展情況",
        "存在問題",
    ];
    for (c, h) in headers.iter().enumerate() {
        ws.write_string(5, 2 + c as u16, *h).unwrap();
    }
    let rows: &[(&str, &str, &str, &str)] = &[
        ("一、数字社会", "", "", ""),
        ("新建智慧社区(个)", "15", "１２", "12个社区完成改造"),
        (
            "“爱山东”日均活跃用户数（单位：万人）",
            "5",
            "4.6",
            "日活稳步提升",
        ),
        ("數據中心標準機架數", "0.8万", "6,500", "二期投用"),
        ("智慧社区覆盖率", "40%", "0.35", "覆盖率35%"),
        ("攻防演练次数", "2", "20", "笔误"),
        ("新建智慧社区数", "15", "13", "重复填写"),
        ("应急演练次数", "1", "-1", "负数"),
        ("无人机机场建设数", "3", "1", "不在计划中"),
        ("数据需求响应时限", "3", "3-5天", "无法判读"),
        ("合计", "", "", ""),
    ];
    for (i, (name, target, value, text)) in rows.iter().enumerate() {
        let r = 6 + i as u32;
        if name.starts_with("一、") || *name == "合计" {
            ws.write_string(r, 2, *name).unwrap();
            continue;
        }
        ws.write_number(r, 2, i as f64).unwrap();
        ws.write_string(r, 3, *name).unwrap();
        ws.write_string(r, 4, *target).unwrap();
        ws.write_string(r, 5, *value).unwrap();
        ws.write_string(r, 7, *text).unwrap();
    }
    ws.write_string(
        6 + rows.len() as u32,
        2,
        "备注：完成值为截至2023年9月底累计数",
    )
    .unwrap();
    wb.save_to_buffer().unwrap()
}

/// Every common way of writing an indicator that INDICATORS.md lists (常见写法),
/// and the plan's own phrase, finds that indicator — from a district for a
/// per-district indicator, from a department for a city-wide one, and from
/// both for the rest — and names that are not in the plan find none.
#[test]
fn the_common_ways_of_writing_each_indicator_find_it() {
    use taizhang::domain::{Scope, UnitKind};
    use taizhang::returns::matcher::{Match, Matcher};
    let store = ledger();
    let indicators = store.indicators(1).unwrap();
    let matcher = Matcher::new(&indicators, &[]);
    let listed: Value =
        serde_json::from_slice(&std::fs::read(shared("samples/returns/INDICATORS.json")).unwrap())
            .unwrap();
    let mut wrong = Vec::new();
    let mut tried = 0;
    for ind in listed["indicators"].as_array().unwrap() {
        let gold = ind["gold_id"].as_str().unwrap();
        let want = indicators
            .iter()
            .position(|i| i.ref_id.as_deref() == Some(gold))
            .unwrap_or_else(|| panic!("{gold} is in the plan"));
        let kinds: &[UnitKind] = match indicators[want].scope {
            Scope::PerUnit => &[UnitKind::District],
            Scope::City if ind["scope"] == "全市" => &[UnitKind::Department],
            Scope::City => &[UnitKind::District, UnitKind::Department],
        };
        let names = ind["aliases"]
            .as_array()
            .unwrap()
            .iter()
            .chain([&ind["plan_phrase"]])
            .map(|v| v.as_str().unwrap());
        for name in names {
            for &kind in kinds {
                tried += 1;
                match matcher.find(None, name, Some(kind)) {
                    Match::Found { index, .. } if index == want => {}
                    other => wrong.push(format!("{name} ({kind:?}) → {other:?}, not {gold}")),
                }
            }
        }
    }
    assert!(tried >= 60, "{tried}");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    for name in [
        "一网通办率",
        "电子印章应用数",
        "5G基站数",
        "政务服务满意度",
        "政务热线满意度",
    ] {
        for kind in [UnitKind::District, UnitKind::Department] {
            let found = matcher.find(None, name, Some(kind));
            assert!(
                matches!(found, Match::None | Match::Weak { .. }),
                "{name}: {found:?}"
            );
        }
    }
}

/// A row whose name comes nearest an indicator but not near enough is
/// rejected as not in the plan, naming that nearest indicator, and keeps
/// its figure so that the window can re-match it; a section heading after
/// a 序号 is no data row at all.
#[test]
fn a_weak_match_is_rejected_naming_the_nearest_and_a_numbered_section_is_skipped() {
    let store = ledger();
    let csv = "填报单位：张店区大数据局\n统计时间：2023年6月\n\
               序号,指标名称,截至目前完成值,进展情况\n\
               1,新建智慧社区数,12,新建12个\n\
               2,一、其他,,\n\
               3,政务服务满意度,98,满意度稳定\n";
    let got = import(&store, "张店区.csv", csv.as_bytes(), &Overrides::default());
    assert_eq!(got.file_error, None);
    assert_eq!(got.rows.len(), 1, "{:?}", got.rows);
    assert_eq!(got.rows[0].indicator, "新建智慧社区数");
    assert_eq!(
        got.rejects.len(),
        1,
        "the section row is skipped: {:?}",
        got.rejects
    );
    let reject = &got.rejects[0];
    assert_eq!(reject.row, 6);
    match &reject.why {
        Why::NotInPlan { name, nearest } => {
            assert_eq!(name, "政务服务满意度");
            assert!(nearest.is_some(), "the nearest candidate is named");
        }
        other => panic!("{other}"),
    }
    assert!(
        reject
            .why
            .to_string()
            .starts_with("not_in_plan: '政务服务满意度'")
    );
    let kept = reject
        .unmatched
        .as_ref()
        .expect("the row is kept for re-matching");
    assert_eq!(kept.value, Some(98.0));
    assert_eq!(kept.text, "满意度稳定");
}

#[test]
fn a_harder_return_is_read_by_the_general_rules() {
    let store = ledger();
    let got = import(&store, "return.xlsx", &hard_xlsx(), &Overrides::default());
    assert_eq!(got.file_error, None);
    assert_eq!(got.unit.as_deref(), Some("张店区"));
    assert_eq!(got.period.as_deref(), Some("2023-09"));
    let row = |name: &str| {
        got.rows
            .iter()
            .find(|r| r.indicator == name)
            .unwrap_or_else(|| panic!("{name} in {:#?}", got.rows))
    };
    assert_eq!(row("新建智慧社区数").value, Some(12.0));
    assert_eq!(row("新建智慧社区数").row, 8, "absolute sheet rows");
    assert_eq!(row("“爱山东”淄博分厅日均活跃用户数").value, Some(46000.0));
    assert_eq!(row("数据中心标准机架总数").value, Some(6500.0));
    assert_eq!(row("试点区县智慧社区覆盖率").value, Some(35.0));
    assert_eq!(row("攻防演练次数").status(), RowStatus::Warned);
    assert!(matches!(
        row("攻防演练次数").warnings[..],
        [Why::AboveOwnTarget { .. }]
    ));
    assert!(row("攻防演练次数").why().starts_with("absurd:"));
    assert_eq!(row("新建智慧社区数").text, "12个社区完成改造");
    let reject = |cat: &str| {
        got.rejects
            .iter()
            .filter(|r| r.why.category() == cat.trim_end_matches(':'))
            .map(|r| r.row)
            .collect::<Vec<_>>()
    };
    assert_eq!(reject("duplicate:"), vec![13]);
    assert_eq!(reject("negative:"), vec![14]);
    assert_eq!(reject("not_in_plan:"), vec![15]);
    assert_eq!(reject("unreadable:"), vec![16]);
    assert_eq!(
        got.rows.len() + got.rejects.len(),
        9,
        "section, 合计 and 备注 rows are neither rows nor rejects"
    );
}

#[test]
fn html_saved_as_xls_csv_in_utf16_and_month_columns() {
    let store = ledger();
    // An HTML table with a .xls name, in GBK, with a two-level header.
    let page = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gbk\"></head><body><table>\
        <tr><td colspan=\"5\">博山区2023年上半年大数据工作进展</td></tr>\
        <tr><td>填报单位：博山区大数据局</td></tr>\
        <tr><th rowspan=2>序号</th><th rowspan=2>指标名称</th><th colspan=2>完成情况</th><th rowspan=2>进展情况</th></tr>\
        <tr><th>数值</th><th>完成率</th></tr>\
        <tr><td>1</td><td>新建智慧社区数</td><td>4</td><td>50%</td><td>两个街道完成</td></tr>\
        <tr><td>2</td><td>证明材料共享率</td><td>58.5%</td><td>97%</td><td></td></tr>\
        </table></body></html>";
    let (gbk, _, _) = encoding_rs::GBK.encode(page);
    let got = import(&store, "博山区.xls", &gbk, &Overrides::default());
    assert_eq!(got.file_error, None, "{got:?}");
    assert_eq!(
        (got.unit.as_deref(), got.period.as_deref()),
        (Some("博山区"), Some("2023-06"))
    );
    assert_eq!(
        got.rows
            .iter()
            .map(|r| (r.indicator.as_str(), r.value, r.row))
            .collect::<Vec<_>>(),
        vec![
            ("新建智慧社区数", Some(4.0), 5),
            ("证明材料共享率", Some(58.5), 6),
        ]
    );
    // CSV in UTF-16 with a BOM, monthly columns: the period's month is the value.
    let csv = "临淄区大数据工作月报（截至2023年8月）\n指标名称,年度目标,1月,2月,…,7月,8月,9月\n新建智慧社区数,12,1,2,,6,9,\n攻防演练次数,2,0,0,,1,1,\n";
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(csv.encode_utf16().flat_map(|u| u.to_le_bytes()));
    let got = import(&store, "月报.csv", &utf16, &Overrides::default());
    assert_eq!(
        (got.unit.as_deref(), got.period.as_deref()),
        (Some("临淄区"), Some("2023-08"))
    );
    assert_eq!(
        got.rows.iter().map(|r| r.value).collect::<Vec<_>>(),
        vec![Some(9.0), Some(1.0)]
    );
    // Overrides win over what the file says.
    let over = Overrides {
        unit: Some("淄川区".into()),
        period: Some("2023-07".parse().unwrap()),
    };
    let got = import(&store, "月报.csv", &utf16, &over);
    assert_eq!(
        (got.unit.as_deref(), got.period.as_deref()),
        (Some("淄川区"), Some("2023-07"))
    );
    assert_eq!(got.rows[0].value, Some(6.0));
}

#[test]
fn unreadable_files_are_refused_with_a_reason() {
    let store = ledger();
    let good = std::fs::read(shared(
        "samples/returns/张店区_2023年6月_大数据工作进展情况统计表.xlsx",
    ))
    .unwrap();
    let truncated = good[..good.len() / 2].to_vec();
    let mut zip_bytes = Vec::new();
    {
        let mut z = zip::ZipWriter::new(std::io::Cursor::new(&mut zip_bytes));
        z.start_file("notes.txt", zip::write::SimpleFileOptions::default())
            .unwrap();
        std::io::Write::write_all(&mut z, b"hello").unwrap();
        z.finish().unwrap();
    }
    // A workbook whose zip declares 2 GB uncompressed (a zip bomb's signature).
    let mut bomb = good.clone();
    let mut i = 0;
    while let Some(p) = bomb[i..]
        .windows(4)
        .position(|w| w == [0x50, 0x4b, 0x01, 0x02])
    {
        let at = i + p;
        bomb[at + 24..at + 28].copy_from_slice(&0x7FFF_FFFFu32.to_le_bytes());
        i = at + 4;
    }
    let mut encrypted = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    encrypted.extend(vec![0u8; 512]);
    encrypted.extend(
        "EncryptedPackage"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes()),
    );
    let no_table = "会议通知\n请各单位按时参会\n".as_bytes().to_vec();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty.xlsx", Vec::new(), "empty:"),
        ("truncated.xlsx", truncated, "corrupt:"),
        ("notes.xlsx", zip_bytes, "corrupt:"),
        ("bomb.xlsx", bomb, "too_large:"),
        ("locked.xlsx", encrypted, "encrypted:"),
        ("notice.csv", no_table, "empty:"),
    ];
    for (name, bytes, want) in cases {
        let got = import(&store, name, &bytes, &Overrides::default());
        let e = got.file_error.unwrap_or_else(|| panic!("{name} accepted"));
        assert!(e.to_string().starts_with(want), "{name}: {e}");
        assert!(got.rows.is_empty() && got.rejects.is_empty() && got.unit.is_none());
    }
}

fn commit(
    store: &mut Store,
    name: &str,
    bytes: &[u8],
    force: bool,
) -> Result<taizhang::store::BatchInfo, String> {
    let r = import(store, name, bytes, &Overrides::default());
    let rows = r.batch_rows();
    store
        .commit_batch(&NewBatch {
            file_name: name,
            bytes,
            plan_id: 1,
            unit: r.unit.as_deref().unwrap(),
            period: r.period.as_deref().unwrap().parse().unwrap(),
            sheet: r.sheet.as_deref(),
            rows: &rows,
            force,
        })
        .map_err(|e| e.to_string())
}

fn actual(store: &Store, name: &str) -> Option<f64> {
    let st = store.status(1, "2023-12-31".parse().unwrap()).unwrap();
    st.indicators
        .iter()
        .find(|i| i.name == name)
        .unwrap()
        .evaluation
        .actual
}

#[test]
fn batches_commit_supersede_and_undo() {
    let mut store = ledger();
    let june = std::fs::read(shared(
        "samples/returns/张店区_2023年6月_大数据工作进展情况统计表.xlsx",
    ))
    .unwrap();
    let b1 = commit(&mut store, "june.xlsx", &june, false).unwrap();
    assert_eq!(b1.rows, 12);
    assert_eq!(actual(&store, "新建智慧社区数"), Some(9.0));
    let (name, kept) = store.batch_file(b1.id).unwrap();
    assert_eq!(
        (name.as_str(), kept.as_slice()),
        ("june.xlsx", june.as_slice()),
        "the original file is kept"
    );
    // The same bytes again are refused, naming the earlier batch.
    let err = commit(&mut store, "june-again.xlsx", &june, false).unwrap_err();
    assert!(err.contains("batch 1"), "{err}");
    // A corrected June return supersedes the first; undoing it restores it.
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "张店区2023年6月大数据工作进展情况（更正）")
        .unwrap();
    ws.write_string(1, 0, "指标名称").unwrap();
    ws.write_string(1, 1, "截至目前完成值").unwrap();
    ws.write_string(2, 0, "新建智慧社区数").unwrap();
    ws.write_number(2, 1, 11.0).unwrap();
    let fix = wb.save_to_buffer().unwrap();
    let b2 = commit(&mut store, "june-fix.xlsx", &fix, false).unwrap();
    assert_eq!(actual(&store, "新建智慧社区数"), Some(11.0));
    assert_eq!(
        actual(&store, "数据中心标准机架总数"),
        Some(6420.0),
        "other figures of the first batch stay"
    );
    store.undo_batch(b2.id).unwrap();
    assert_eq!(actual(&store, "新建智慧社区数"), Some(9.0));
    assert!(
        store
            .undo_batch(b2.id)
            .unwrap_err()
            .to_string()
            .contains("already undone")
    );
    store.undo_batch(b1.id).unwrap();
    assert_eq!(actual(&store, "新建智慧社区数"), None);
    // Undone, the same bytes may come in again; forced, even twice.
    commit(&mut store, "june.xlsx", &june, false).unwrap();
    commit(&mut store, "june.xlsx", &june, true).unwrap();
    let log = store.audit_log(None, 1000).unwrap();
    assert!(
        log.iter()
            .any(|a| a.action == taizhang::domain::AuditAction::Undo
                && a.before == Some(11.0)
                && a.after == Some(9.0))
    );
    // A locked period refuses a whole file.
    store.lock_period("2023-06".parse().unwrap()).unwrap();
    let err = commit(&mut store, "june-fix.xlsx", &fix, true).unwrap_err();
    assert!(err.contains("locked"), "{err}");
    assert_eq!(
        store.batches().unwrap().len(),
        4,
        "nothing of the refused file was written"
    );
}

#[test]
fn a_confirmed_alias_is_used_next_time() {
    let mut store = ledger();
    let csv = "张店区2023年6月进展\n指标名称,截至目前完成值\n爱山东日活,41000\n";
    let got = import(&store, "a.csv", csv.as_bytes(), &Overrides::default());
    let id = store
        .find_indicator("“爱山东”淄博分厅日均活跃用户数", None)
        .unwrap()
        .id;
    let first = &got
        .rows
        .first()
        .map(|r| (r.indicator_id, r.status().as_str()))
        .or(got.rejects.first().map(|_| (0, "rejected")));
    store.add_indicator_alias("爱山东日活", id).unwrap();
    let again = import(&store, "a.csv", csv.as_bytes(), &Overrides::default());
    assert_eq!(again.rows.len(), 1, "{again:?} (first: {first:?})");
    assert_eq!(
        (again.rows[0].indicator_id, again.rows[0].status()),
        (id, RowStatus::Accepted)
    );
}

/// An .xls found by the `header` fuzz target on which calamine's reader
/// panics (a slice index out of range): the panic must become a refusal.
#[test]
fn a_reader_panic_becomes_a_refusal() {
    let store = ledger();
    let bytes = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/fuzz/xls-index-panic.xls"),
    )
    .unwrap();
    let got = import(&store, "panic.xls", &bytes, &Overrides::default());
    let e = got.file_error.expect("refused");
    assert!(e.kind.as_str() == "corrupt", "{e}");
}

/// A 9.7 KB .xls found by the `header` fuzz target whose sector chain loops:
/// before the compound-file check it made the reader allocate without end.
#[test]
fn a_looping_xls_is_refused_not_followed_forever() {
    let store = ledger();
    let bytes = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/fuzz/cfb-sector-loop.xls"),
    )
    .unwrap();
    let got = import(&store, "loop.xls", &bytes, &Overrides::default());
    let e = got.file_error.expect("refused");
    assert!(e.kind.as_str() == "corrupt", "{e}");
}

/// An .xls found by the `header` fuzz target whose DIMENSIONS record claims
/// an impossible sheet: calamine would reserve memory for it and abort. The
/// record is neutralised and the file read (or refused) without harm.
#[test]
fn impossible_xls_dimensions_do_not_reach_the_reader() {
    let store = ledger();
    let bytes = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/fuzz/xls-huge-dimensions.xls"),
    )
    .unwrap();
    let got = import(&store, "dims.xls", &bytes, &Overrides::default());
    assert!(got.file_error.is_some() || !got.rows.is_empty() || !got.rejects.is_empty());
}

/// Two cells at opposite corners of an .xlsx sheet: the grid between them
/// would be 17 billion cells. Refused as too large, without building it.
#[test]
fn an_xlsx_spread_over_the_whole_sheet_is_refused() {
    let store = ledger();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "指标名称").unwrap();
    ws.write_string(1_048_575, 16_383, "x").unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    let got = import(&store, "corners.xlsx", &bytes, &Overrides::default());
    let e = got.file_error.expect("refused");
    assert!(e.kind.as_str() == "too_large", "{e}");
}

/// An .xls found by the `header` fuzz target with cells far apart: the grid
/// calamine would build between them is 123 GB. Refused as too large.
#[test]
fn an_xls_with_far_apart_cells_is_refused() {
    let store = ledger();
    // The second, found by the fuzzer: a sheet list pointing into the middle
    // of a record, where calamine reads cells a walk from the stream's start
    // never sees (it asked for 92 GB).
    for file in [
        "xls-far-cells.xls",
        "xls-sheet-starting-inside-a-record.xls",
    ] {
        let bytes = std::fs::read(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/data/fuzz")
                .join(file),
        )
        .unwrap();
        let got = import(&store, file, &bytes, &Overrides::default());
        let e = got.file_error.expect("refused");
        assert!(
            e.kind.as_str() == "too_large" || e.kind.as_str() == "corrupt",
            "{file}: {e}"
        );
    }
}

#[test]
fn files_committed_together_are_batched_one_by_one() {
    // A plan with more indicators than one multi-row statement holds, so the
    // figures of one file span several statements.
    let mut plan: Value =
        serde_json::from_slice(&std::fs::read(shared("samples/gold/002.json")).unwrap()).unwrap();
    let first = plan["indicators"][0].clone();
    for n in 0..450 {
        let mut extra = first.clone();
        extra["id"] = Value::from(format!("extra-{n}"));
        extra["name"] = Value::from(format!("附加指标{n}"));
        plan["indicators"].as_array_mut().unwrap().push(extra);
    }
    let plan: PlanDoc = serde_json::from_value(plan).unwrap();
    let mut store = Store::open_in_memory().unwrap();
    let units: UnitsFile =
        serde_json::from_slice(&std::fs::read(shared("samples/units_zibo.json")).unwrap()).unwrap();
    store.import_units(&units.units).unwrap();
    let plan_id = store.import_plan(&plan, None).unwrap().plan_id;
    let indicators = store.indicators(plan_id).unwrap();
    assert_eq!(indicators.len(), plan.indicators.len());
    let rows = |scale: f64| -> Vec<taizhang::domain::BatchRow> {
        indicators
            .iter()
            .enumerate()
            .map(|(i, ind)| taizhang::domain::BatchRow {
                indicator_id: ind.id,
                value: Some(scale * i as f64),
                progress: format!("进展{i}"),
                problems: String::new(),
                next_steps: "=继续推进".into(),
                row: i as i64 + 3,
                period: None,
                unit: None,
            })
            .collect()
    };
    let (first_rows, second_rows) = (rows(1.0), rows(2.0));
    let mut twice = rows(3.0);
    twice.push(twice[5].clone());
    let batch = |name: &'static str, bytes: &'static [u8], unit: &'static str, rows| NewBatch {
        file_name: name,
        bytes,
        plan_id,
        unit,
        period: "2023-06".parse().unwrap(),
        sheet: Some("Sheet1"),
        rows,
        force: false,
    };
    let results = store
        .commit_batches(&[
            batch("a.xlsx", b"first", "张店区", &first_rows),
            batch("a-copy.xlsx", b"first", "淄川区", &first_rows),
            batch("b.xlsx", b"second", "张店区", &second_rows),
            batch("c.xlsx", b"third", "无此单位", &first_rows),
            batch("d.xlsx", b"fourth", "淄川区", &first_rows),
            batch("e.xlsx", b"fifth", "博山区", &twice),
        ])
        .unwrap();
    let verdicts: Vec<Result<i64, String>> = results
        .into_iter()
        .map(|r| r.map(|b| b.rows).map_err(|e| e.to_string()))
        .collect();
    assert_eq!(verdicts[0], Ok(indicators.len() as i64));
    assert!(
        verdicts[1].as_ref().unwrap_err().contains("given twice"),
        "{verdicts:?}"
    );
    assert_eq!(verdicts[2], Ok(indicators.len() as i64));
    assert!(
        verdicts[3]
            .as_ref()
            .unwrap_err()
            .contains("not in the units catalogue")
    );
    assert_eq!(verdicts[4], Ok(indicators.len() as i64));
    assert!(
        verdicts[5].as_ref().unwrap_err().contains("two rows give"),
        "{verdicts:?}"
    );
    assert_eq!(
        store.batches().unwrap().len(),
        3,
        "refused files leave no batch"
    );
    // b.xlsx superseded a.xlsx for 张店区: its figures count, a.xlsx's stay as
    // history, and each change is in the audit log with before and after.
    let current = store.current_reports(plan_id).unwrap();
    let zhangdian: Vec<_> = current.iter().filter(|r| r.unit == "张店区").collect();
    assert_eq!(zhangdian.len(), indicators.len());
    for (i, ind) in indicators.iter().enumerate() {
        let r = zhangdian.iter().find(|r| r.indicator_id == ind.id).unwrap();
        assert_eq!(r.value, Some(2.0 * i as f64), "{}", ind.name);
        assert_eq!(r.progress, format!("进展{i}"));
        assert_eq!(r.next_steps, "=继续推进");
        assert_eq!(r.row, Some(i as i64 + 3));
    }
    let log = store.audit_log(None, 10_000).unwrap();
    assert_eq!(log.len(), 3 * indicators.len());
    let last = &indicators[indicators.len() - 1];
    assert!(log.iter().any(|a| a.indicator_code == last.code
        && a.unit == "张店区"
        && a.before == Some((indicators.len() - 1) as f64)
        && a.after == Some(2.0 * (indicators.len() - 1) as f64)
        && a.action == taizhang::domain::AuditAction::Import));
}

#[test]
fn files_are_handed_over_in_order_as_they_are_read_and_reading_can_stop() {
    let store = ledger();
    let indicators = store.indicators(1).unwrap();
    let units = store.units().unwrap();
    let history = Default::default();
    let ctx = Context::new(&indicators, &units, &[], 2023, &history);
    let mut files: Vec<PathBuf> = std::fs::read_dir(shared("samples/returns"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| !matches!(p.extension().and_then(|e| e.to_str()), Some("json" | "md")))
        .collect();
    files.sort();
    // More files than threads, and one that cannot be read at all.
    let files: Vec<PathBuf> = files
        .iter()
        .cycle()
        .take(4 * files.len())
        .cloned()
        .chain([PathBuf::from("/nonexistent/missing.xlsx")])
        .collect();
    let whole = returns::import_files(&files, &ctx, &Overrides::default());
    let mut seen = Vec::new();
    returns::import_files_each(&files, &ctx, &Overrides::default(), |i, result, bytes| {
        assert_eq!(result, whole[i].0, "{}", files[i].display());
        assert_eq!(bytes.is_some(), whole[i].1.is_some());
        seen.push(i);
        std::ops::ControlFlow::Continue(())
    });
    assert_eq!(seen, (0..files.len()).collect::<Vec<_>>());
    assert!(whole.last().unwrap().0.file_error.is_some());
    // A slow caller (as a commit is) leaves the reading to the other
    // threads; a fast one reads files itself: the order holds either way.
    let mut seen = Vec::new();
    returns::import_files_each(&files, &ctx, &Overrides::default(), |i, result, _| {
        assert_eq!(result, whole[i].0, "{}", files[i].display());
        std::thread::sleep(std::time::Duration::from_millis(2));
        seen.push(i);
        std::ops::ControlFlow::Continue(())
    });
    assert_eq!(seen, (0..files.len()).collect::<Vec<_>>());
    let mut handed = 0;
    returns::import_files_each(&files, &ctx, &Overrides::default(), |_, _, _| {
        handed += 1;
        if handed == 3 {
            std::ops::ControlFlow::Break(())
        } else {
            std::ops::ControlFlow::Continue(())
        }
    });
    assert_eq!(handed, 3, "nothing is handed over after a stop");
    returns::import_files_each(&[], &ctx, &Overrides::default(), |_, _, _| {
        panic!("no file, nothing handed over")
    });
}

#[test]
fn a_figure_far_from_the_units_previous_period_is_warned() {
    let mut store = ledger();
    let ind = store
        .indicators(1)
        .unwrap()
        .into_iter()
        .find(|i| i.target >= 100.0)
        .expect("an indicator with a large target");
    let csv = |value: f64| format!("指标名称,完成值\n{},{value}\n", ind.name).into_bytes();
    let base = ind.target / 20.0;
    let june = csv(base);
    commit(&mut store, "张店区_2023年6月.csv", &june, false).unwrap();
    let july = |value: f64| {
        import(
            &store,
            "张店区_2023年7月.csv",
            &csv(value),
            &Overrides::default(),
        )
    };
    let near = july(base * 1.5);
    assert_eq!(
        (near.rows[0].status(), near.rows[0].why().as_str()),
        (RowStatus::Accepted, "")
    );
    let far = july(base * 8.0);
    assert_eq!(far.rows[0].status(), RowStatus::Warned);
    assert!(
        matches!(far.rows[0].warnings[..], [Why::Jump { .. }]),
        "{}",
        far.rows[0].why()
    );
    // Another unit's June figure is not this unit's past.
    let other = import(
        &store,
        "淄川区_2023年7月.csv",
        &csv(base * 8.0),
        &Overrides::default(),
    );
    assert_eq!(
        other.rows[0].status(),
        RowStatus::Accepted,
        "{}",
        other.rows[0].why()
    );
}

#[test]
fn a_running_total_that_falls_and_a_unit_of_another_kind_are_warned_never_changed() {
    let mut store = ledger();
    let inds = store.indicators(1).unwrap();
    let cumulative = inds
        .iter()
        .find(|i| i.kind == taizhang::domain::Kind::Cumulative && !i.is_percent())
        .expect("a cumulative count");
    let rate = inds
        .iter()
        .find(|i| i.is_percent())
        .expect("a rate")
        .clone();
    let csv = |name: &str, value: &str, unit: &str| {
        format!("指标名称,计量单位,完成值\n{name},{unit},{value}\n").into_bytes()
    };
    commit(
        &mut store,
        "张店区_2023年6月.csv",
        &csv(
            &cumulative.name,
            "40",
            cumulative.unit.as_deref().unwrap_or("个"),
        ),
        false,
    )
    .unwrap();
    let unit = cumulative.unit.clone().unwrap_or_else(|| "个".into());
    let july = import(
        &store,
        "张店区_2023年7月.csv",
        &csv(&cumulative.name, "35", &unit),
        &Overrides::default(),
    );
    assert_eq!(july.rows[0].value, Some(35.0), "the figure is kept as sent");
    assert_eq!(
        july.rows[0].warnings,
        [Why::Decrease {
            value: 35.0,
            previous: 40.0,
            period: "2023-06".into()
        }]
    );
    assert!(july.rows[0].why().starts_with("decrease: 35 is below 40"));
    // Rising again: no warning.
    let rising = import(
        &store,
        "张店区_2023年7月.csv",
        &csv(&cumulative.name, "44", &unit),
        &Overrides::default(),
    );
    assert_eq!(
        rising.rows[0].status(),
        RowStatus::Accepted,
        "{}",
        rising.rows[0].why()
    );
    // A count (个) sent for a rate (%): said, the number kept.
    let counted = import(
        &store,
        "张店区_2023年7月.csv",
        &csv(&rate.name, "12", "个"),
        &Overrides::default(),
    );
    assert_eq!(counted.rows[0].value, Some(12.0));
    assert!(
        counted.rows[0].warnings.contains(&Why::UnitMismatch {
            row: "个".into(),
            indicator: rate.unit.clone().unwrap()
        }),
        "{}",
        counted.rows[0].why()
    );
    // The same measure in another word (家 for 个) is not a contradiction.
    let other_word = import(
        &store,
        "张店区_2023年7月.csv",
        &csv(&cumulative.name, "45", "家"),
        &Overrides::default(),
    );
    assert!(
        !other_word.rows[0]
            .warnings
            .iter()
            .any(|w| matches!(w, Why::UnitMismatch { .. })),
        "{}",
        other_word.rows[0].why()
    );
}

/// An .xlsx package put together by hand: the workbook's sheets (name, the
/// sheet's XML inside `<worksheet>`, and its relationship type and target),
/// and the shared strings' XML inside `<sst>`.
fn package(sheets: &[(&str, &str, &str, &str)], sst: &str) -> Vec<u8> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let mut put = |name: &str, text: &str| {
        zip.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    };
    const NS: &str = r#"xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships""#;
    const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    put(
        "_rels/.rels",
        &format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
        ),
    );
    let mut list = String::new();
    let mut rels = format!(
        r#"<Relationship Id="rIdS" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>"#
    );
    for (i, (name, xml, kind, target)) in sheets.iter().enumerate() {
        list.push_str(&format!(
            r#"<sheet name="{name}" sheetId="{}" r:id="rId{i}"/>"#,
            i + 1
        ));
        rels.push_str(&format!(
            r#"<Relationship Id="rId{i}" Type="{REL}/{kind}" Target="{target}"/>"#
        ));
        let path = match target.strip_prefix('/') {
            Some(abs) => abs.to_string(),
            None => format!("xl/{target}"),
        };
        put(
            &path,
            &format!(r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{xml}"#),
        );
    }
    put(
        "xl/workbook.xml",
        &format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><workbook {NS}><sheets>{list}</sheets></workbook>"#
        ),
    );
    put(
        "xl/_rels/workbook.xml.rels",
        &format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>"#
        ),
    );
    put(
        "xl/sharedStrings.xml",
        &format!(r#"<?xml version="1.0" encoding="UTF-8"?><sst {NS}>{sst}</sst>"#),
    );
    put("xl/styles.xml", &format!(r#"<styleSheet {NS}/>"#));
    zip.finish().unwrap().into_inner()
}

fn worksheet(cells: &str) -> String {
    format!(
        r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:F9"/><sheetData>{cells}</sheetData></worksheet>"#
    )
}

/// The cell at an Excel row (1-based) and column (0-based) of a sheet.
fn at(sheet: &returns::read::Sheet, row: usize, col: usize) -> returns::read::Cell {
    sheet.rows[row - sheet.first_row][col].clone()
}

#[test]
fn the_direct_xlsx_reader_gives_what_calamine_gives() {
    use returns::read::Cell;
    let sst = concat!(
        "<si><t>指标名称</t></si>",
        // Rich text with a phonetic run, which is not part of the text.
        "<si><r><rPr><b/></rPr><t>新建</t></r><r><t xml:space=\"preserve\"> 智慧社区 </t></r><rPh sb=\"0\" eb=\"1\"><t>zhi</t></rPh></si>",
        // Untrimmed text, entities, a CR LF, Excel's _x000D_ escape.
        "<si><t>  A &amp; B &lt;1&gt; &#x4E07;\r\nline_x000D_two  </t></si>",
        "<si/>",
        "<si><t>\n 完成值\t\r\n</t></si>",
    );
    let cells = concat!(
        r#"<row r="1" spans="1:6"><c r="A1" s="1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" s="2"/><c r="D1" t="s"><v>4</v></c></row>"#,
        r#"<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2"><v>1528</v></c><c r="C2" s="3"><v>0.2159685863874345</v></c>"#,
        r#"<c r="D2" t="str"><f>CONCAT("a","b")</f><v>ab_x0041_</v></c><c r="E2" t="b"><v>1</v></c><c r="F2" t="e"><v>#DIV/0!</v></c></row>"#,
        // A comment, single quotes, an inline string, a date, text in an untyped cell, an empty value.
        r#"<!-- 备注 --><row r='4'><c r='A4' t='inlineStr'><is><t>内联</t></is></c><c r="B4" t="d"><v>2023-06-30T00:00:00</v></c>"#,
        r#"<c r="C4"><v>约3800</v></c><c r="D4" t="str"><v/></c><c r="E4" t="s"><v>3</v></c><c r="F4"><v>4.2E+4</v></c></row>"#,
    );
    // Namespace prefixes, and a sheet at an absolute path.
    let prefixed = r#"<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData><x:row r="3"><x:c r="AB3"><x:v>-7</x:v></x:c></x:row></x:sheetData></x:worksheet>"#;
    let xlsx = package(
        &[
            (
                "填报 &amp; 说明",
                &worksheet(cells),
                "worksheet",
                "worksheets/sheet1.xml",
            ),
            (
                "图表",
                "<chartsheet/>",
                "chartsheet",
                "chartsheets/sheet1.xml",
            ),
            ("数据", prefixed, "worksheet", "/xl/worksheets/sheet2.xml"),
            ("空表", &worksheet(""), "worksheet", "worksheets/sheet3.xml"),
        ],
        sst,
    );
    let (direct, calamine) = (
        returns::read::xlsx_direct(&xlsx),
        returns::read::xlsx_by_calamine(&xlsx),
    );
    let direct = direct
        .expect("the direct reader is sure of this file")
        .unwrap();
    assert_eq!(direct, calamine.unwrap());
    // And what both give is what the file says.
    let names: Vec<&str> = direct.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["填报 & 说明", "数据", "空表"]);
    let s = &direct[0];
    assert_eq!(at(s, 1, 1), Cell::Text("新建 智慧社区 ".into()));
    assert_eq!(at(s, 1, 2), Cell::Empty);
    assert_eq!(at(s, 1, 3), Cell::Text("完成值".into()));
    assert_eq!(at(s, 2, 0), Cell::Text("A & B <1> 万\nline\rtwo".into()));
    assert_eq!(at(s, 2, 1), Cell::Number(1528.0));
    assert_eq!(at(s, 2, 3), Cell::Text("abA".into()));
    assert_eq!(at(s, 2, 4), Cell::Text("是".into()));
    assert_eq!(at(s, 2, 5), Cell::Empty);
    assert_eq!(at(s, 4, 0), Cell::Text("内联".into()));
    assert_eq!(at(s, 4, 2), Cell::Text("约3800".into()));
    assert_eq!(at(s, 4, 3), Cell::Text("".into()));
    assert_eq!(at(s, 4, 5), Cell::Number(42000.0));
    assert_eq!(
        (direct[1].first_row, direct[1].rows[0][27].clone()),
        (3, Cell::Number(-7.0))
    );
    assert!(direct[2].rows.is_empty());
    // The reader the importer uses gives the same.
    assert_eq!(returns::read::read(&xlsx).unwrap(), direct);
}

#[test]
fn what_the_direct_xlsx_reader_is_not_sure_of_calamine_reads() {
    let unsure = [
        // CDATA, a cell without its reference, an unknown cell type.
        r#"<row r="1"><c r="A1" t="inlineStr"><is><t><![CDATA[指标]]></t></is></c></row>"#,
        r#"<row r="1"><c t="inlineStr"><is><t>指标</t></is></c></row>"#,
        r#"<row r="1"><c r="A1" t="x"><v>1</v></c></row>"#,
        // An end tag with more than its name (found by the fuzz target:
        // calamine read on past it and the two disagreed).
        r#"<row r="1"><c r="A1" t="inlineStr"><is><t>甲</t></is" t="s"><v>1</v></c><c r="B1" t="inlineStr"><is><t>乙</t></is></c></row>"#,
        // A repeated attribute, and attributes run together (the first also
        // found by the fuzz target).
        r#"<row r="1"><c r="A1" s="" s="3" t="inlineStr"><is><t>甲</t></is></c></row>"#,
        r#"<row r="1"><c r="A1"t="inlineStr"><is><t>甲</t></is></c></row>"#,
    ];
    for cells in unsure {
        let xlsx = package(
            &[(
                "表",
                &worksheet(cells),
                "worksheet",
                "worksheets/sheet1.xml",
            )],
            "",
        );
        let (direct, calamine) = (
            returns::read::xlsx_direct(&xlsx),
            returns::read::xlsx_by_calamine(&xlsx),
        );
        assert!(direct.is_none(), "{cells}");
        // Whatever calamine makes of it is what the importer gives.
        assert_eq!(returns::read::read(&xlsx).ok(), calamine.ok(), "{cells}");
    }
}

#[test]
fn markup_inside_an_attribute_value_is_left_to_calamine() {
    // Found by the fuzz target: a sheet whose attribute values swallowed
    // cells, which calamine read as no cells at all and the direct reader as
    // one row.
    let sheet = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/fuzz/xlsx-sheet-with-markup-in-a-value.xml"),
    )
    .unwrap();
    let xlsx = package(
        &[(
            "表",
            &String::from_utf8(sheet).unwrap(),
            "worksheet",
            "worksheets/sheet1.xml",
        )],
        "",
    );
    assert!(returns::read::xlsx_direct(&xlsx).is_none());
    // calamine finds no cells, so the importer refuses the file as empty.
    assert!(
        returns::read::xlsx_by_calamine(&xlsx).unwrap()[0]
            .rows
            .is_empty()
    );
    let refused = returns::read::read(&xlsx).unwrap_err();
    assert_eq!(
        refused.kind,
        taizhang::returns::read::FileErrorKind::Empty,
        "{refused}"
    );
}

#[test]
fn every_sample_xlsx_is_read_directly_with_calamines_cells() {
    let mut n = 0;
    for e in std::fs::read_dir(shared("samples/returns")).unwrap() {
        let path = e.unwrap().path();
        if path.extension().is_some_and(|x| x == "xlsx") {
            let bytes = std::fs::read(&path).unwrap();
            let (direct, calamine) = (
                returns::read::xlsx_direct(&bytes),
                returns::read::xlsx_by_calamine(&bytes),
            );
            assert_eq!(
                direct.expect("read directly").unwrap(),
                calamine.unwrap(),
                "{}",
                path.display()
            );
            n += 1;
        }
    }
    assert_eq!(n, 3);
}

#[test]
fn a_workbook_with_a_chart_sheet_is_read() {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "指标名称").unwrap();
    ws.write_string(0, 1, "完成值").unwrap();
    ws.write_string(1, 0, "新建智慧社区数").unwrap();
    ws.write_number(1, 1, 20).unwrap();
    let mut chart = rust_xlsxwriter::Chart::new(rust_xlsxwriter::ChartType::Column);
    chart.add_series().set_values(("Sheet1", 1, 1, 1, 1));
    let cs = wb.add_chartsheet();
    cs.insert_chart(0, 0, &chart).unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    let (direct, calamine) = (
        returns::read::xlsx_direct(&bytes),
        returns::read::xlsx_by_calamine(&bytes),
    );
    let calamine = calamine.unwrap();
    assert_eq!(calamine.len(), 1, "the chart sheet is left out");
    assert_eq!(direct.unwrap().unwrap(), calamine);
}

#[test]
fn month_columns_under_a_group_header_give_the_period_and_the_earlier_periods() {
    let mut store = ledger();
    let inds = store.indicators(1).unwrap();
    let count = inds
        .iter()
        .find(|i| i.kind == taizhang::domain::Kind::Cumulative && !i.is_percent())
        .expect("a cumulative count")
        .clone();
    // Filled quarterly up to June, under a group header; the title names no
    // period, so the last filled column says it.
    let csv = format!(
        "张店区重点指标月度进展\n\
         指标名称,年度目标,截至各月底累计完成值,,,,,,,,,,,,进展情况\n\
         ,,1月,2月,3月,4月,5月,6月,7月,8月,9月,10月,11月,12月,\n\
         {},100,,,12,,,30,,,,,,,按计划推进\n",
        count.name
    );
    let got = import(
        &store,
        "张店区进展.csv",
        csv.as_bytes(),
        &Overrides::default(),
    );
    assert_eq!(got.file_error, None);
    assert_eq!(got.period.as_deref(), Some("2023-06"));
    let row = &got.rows[0];
    assert_eq!((row.value, row.text.as_str()), (Some(30.0), "按计划推进"));
    assert_eq!(row.earlier, [("2023-03".parse().unwrap(), 12.0)]);
    assert_eq!(row.status(), RowStatus::Accepted, "{}", row.why());
    let json = serde_json::to_value(row).unwrap();
    assert_eq!(
        json["earlier"],
        serde_json::json!([{"period": "2023-03", "value": 12.0}])
    );

    // Committed, both figures are in the ledger under their own periods, in
    // one batch; undoing the batch takes both out.
    let batch = commit(&mut store, "张店区进展.csv", csv.as_bytes(), false).unwrap();
    assert_eq!(batch.rows, 2);
    let series = |store: &Store| {
        let mut h = store
            .figure_history(1)
            .unwrap()
            .remove(&(count.id, "张店区".to_string()))
            .unwrap_or_default();
        h.sort_by_key(|(p, _)| *p);
        h.into_iter()
            .map(|(p, v)| (p.to_string(), v))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        series(&store),
        [("2023-03".to_string(), 12.0), ("2023-06".to_string(), 30.0)]
    );
    store.undo_batch(batch.id).unwrap();
    assert_eq!(series(&store), []);

    // A running total that falls inside the file's own series is warned.
    let falling = csv.replace(",,12,,,30,", ",,40,,,30,");
    let got = import(
        &store,
        "张店区进展.csv",
        falling.as_bytes(),
        &Overrides::default(),
    );
    assert_eq!(
        got.rows[0].warnings,
        [Why::Decrease {
            value: 30.0,
            previous: 40.0,
            period: "2023-03".into()
        }]
    );

    // Running totals by quarter (1-3月累计 | 1-6月累计 …) with the period in
    // the title: the later columns are not read, the earlier ones are.
    let quarters = format!(
        "张店区2023年前三季度进展\n指标名称,1-3月累计,1-6月累计,1-9月累计,1-12月累计\n{},5,9,14,\n",
        count.name
    );
    let got = import(&store, "q.csv", quarters.as_bytes(), &Overrides::default());
    assert_eq!(got.period.as_deref(), Some("2023-09"));
    assert_eq!(got.rows[0].value, Some(14.0));
    assert_eq!(
        got.rows[0].earlier,
        [
            ("2023-03".parse().unwrap(), 5.0),
            ("2023-06".parse().unwrap(), 9.0)
        ]
    );
}

#[test]
fn a_summary_table_of_several_units_gives_each_row_its_unit_in_either_orientation() {
    let mut store = ledger();
    let inds = store.indicators(1).unwrap();
    let by_name = |n: &str| inds.iter().find(|i| i.name == n).unwrap().clone();
    let communities = by_name("新建智慧社区数");
    let racks = by_name("数据中心标准机架总数");
    // One row per district, one column per indicator, a 合计 row below.
    let rows_csv = "2023年6月各区县重点指标进展汇总\n\
        区县,新建智慧社区数（个）,数据中心标准机架总数（个）,备注\n\
        张店区,10,1200,\n\
        淄川区大数据局,5,800,\n\
        某某开发区,3,1,\n\
        合计,12,2000,\n";
    let got = import(
        &store,
        "汇总.csv",
        rows_csv.as_bytes(),
        &Overrides::default(),
    );
    assert_eq!(got.file_error, None);
    assert_eq!(
        (got.unit.as_deref(), got.period.as_deref()),
        (None, Some("2023-06"))
    );
    let seen: Vec<(Option<&str>, &str, Option<f64>, usize)> = got
        .rows
        .iter()
        .map(|r| (r.unit.as_deref(), r.indicator.as_str(), r.value, r.row))
        .collect();
    assert_eq!(
        seen,
        [
            (Some("张店区"), communities.name.as_str(), Some(10.0), 3),
            (Some("张店区"), racks.name.as_str(), Some(1200.0), 3),
            (Some("淄川区"), communities.name.as_str(), Some(5.0), 4),
            (Some("淄川区"), racks.name.as_str(), Some(800.0), 4),
        ]
    );
    assert_eq!(
        got.rejects
            .iter()
            .map(|j| (j.row, j.why.category()))
            .collect::<Vec<_>>(),
        [(5, "unknown_unit")]
    );
    // The districts add up to 15 new communities against the file's own 12;
    // the racks add up to their total.
    if communities.reporting.aggregation == taizhang::domain::Aggregation::Sum {
        for r in got.rows.iter().filter(|r| r.indicator_id == communities.id) {
            assert!(
                r.warnings.iter().any(|w| matches!(w, Why::SumAbove { sum, total, .. } if *sum == 15.0 && *total == 12.0)),
                "{}",
                r.why()
            );
        }
    }
    assert!(
        got.rows
            .iter()
            .filter(|r| r.indicator_id == racks.id)
            .all(|r| r.warnings.is_empty())
    );
    let json = serde_json::to_value(&got).unwrap();
    assert_eq!(json["unit"], serde_json::Value::Null);
    assert_eq!(json["rows"][2]["unit"], "淄川区");

    // The other orientation: one row per indicator, one column per unit.
    let cols_csv = "各区县2023年6月进展\n指标名称,张店区,淄川区,合计\n新建智慧社区数,10,5,15\n数据中心标准机架总数,1200,800,2000\n";
    let got2 = import(
        &store,
        "汇总2.csv",
        cols_csv.as_bytes(),
        &Overrides::default(),
    );
    let mut seen2: Vec<(Option<&str>, &str, Option<f64>)> = got2
        .rows
        .iter()
        .map(|r| (r.unit.as_deref(), r.indicator.as_str(), r.value))
        .collect();
    seen2.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let mut want: Vec<(Option<&str>, &str, Option<f64>)> =
        seen.iter().map(|(u, i, v, _)| (*u, *i, *v)).collect();
    want.sort_by(|a, b| a.partial_cmp(b).unwrap());
    assert_eq!(seen2, want);
    assert!(
        got2.rows.iter().all(|r| r.warnings.is_empty()),
        "{:?}",
        got2.rows
    );

    // Committed as one batch, each figure under its own unit.
    let rows = got.batch_rows();
    let batch = store
        .commit_batch(&NewBatch {
            file_name: "汇总.csv",
            bytes: rows_csv.as_bytes(),
            plan_id: 1,
            unit: "",
            period: "2023-06".parse().unwrap(),
            sheet: got.sheet.as_deref(),
            rows: &rows,
            force: false,
        })
        .unwrap();
    assert_eq!((batch.rows, batch.unit), (4, None));
    let history = store.figure_history(1).unwrap();
    assert_eq!(history[&(communities.id, "淄川区".to_string())][0].1, 5.0);
    assert_eq!(history[&(racks.id, "张店区".to_string())][0].1, 1200.0);
    let log = store.audit_log(None, 10).unwrap();
    let mut units: Vec<&str> = log.iter().map(|e| e.unit.as_str()).collect();
    units.sort();
    assert_eq!(units, ["张店区", "张店区", "淄川区", "淄川区"]);

    // The city's reporter then gives fewer than the districts already have.
    if communities.reporting.aggregation == taizhang::domain::Aggregation::Sum
        && let Some(city) = communities.reporting.city_reporter.clone()
    {
        let csv = "指标名称,完成值\n新建智慧社区数,12\n";
        let over = Overrides {
            unit: Some(city.clone()),
            period: Some("2023-06".parse().unwrap()),
        };
        let got = import(&store, "市级.csv", csv.as_bytes(), &over);
        assert_eq!(
            got.rows[0].warnings,
            [Why::SumAbove {
                sum: 15.0,
                total: 12.0,
                whole: city
            }]
        );
    } else {
        panic!("the plan's new-community count is a sum with a city reporter");
    }
}

#[test]
fn a_row_that_speaks_of_a_later_month_than_the_file_is_warned() {
    let store = ledger();
    let csv = "张店区2023年6月进展\n指标名称,完成值,进展情况\n新建智慧社区数,10,截至8月底已建成10个\n数据中心标准机架总数,1200,预计截至8月底投产1200个\n";
    let got = import(&store, "张店区.csv", csv.as_bytes(), &Overrides::default());
    assert_eq!(
        got.rows[0].warnings,
        [Why::LaterThanPeriod {
            said: "截至8月".into(),
            period: "2023-06".into()
        }]
    );
    assert!(got.rows[1].warnings.is_empty(), "{}", got.rows[1].why());
}

#[test]
fn the_rows_own_unit_of_measure_and_brackets_pick_between_close_indicators() {
    let store = ledger();
    let one = |name: &str, unit: &str, value: &str| {
        let csv = format!("张店区2023年6月\n指标名称,计量单位,完成值\n{name},{unit},{value}\n");
        let got = import(&store, "张店区.csv", csv.as_bytes(), &Overrides::default());
        got.rows.first().map(|r| {
            (
                r.indicator.clone(),
                r.warnings.iter().map(Why::category).collect::<Vec<_>>(),
            )
        })
    };
    // 智慧社区 alone is nearer the pilot districts' coverage rate; a count
    // (个) goes to the new communities, a rate (% in the cell) to the rate.
    assert_eq!(one("智慧社区", "个", "12").unwrap().0, "新建智慧社区数");
    assert_eq!(
        one("智慧社区", "", "35%").unwrap().0,
        "试点区县智慧社区覆盖率"
    );
    // A rate given for the rack count does not land on the unitless PUE: it
    // stays with the racks, warned.
    assert_eq!(
        one("数据中心机架", "%", "30").unwrap(),
        ("数据中心标准机架总数".to_string(), vec!["unit"])
    );
    // An explanation in brackets is tried on its own.
    assert_eq!(
        one("数据开放（全市数据开放创新应用实验室数）", "个", "3")
            .unwrap()
            .0,
        "数据开放创新应用实验室数"
    );
}

#[test]
fn a_returned_batch_leaves_status_as_if_undone_and_comes_back_when_taken_back() {
    let mut store = ledger();
    let june = std::fs::read(shared(
        "samples/returns/张店区_2023年6月_大数据工作进展情况统计表.xlsx",
    ))
    .unwrap();
    let b1 = commit(&mut store, "june.xlsx", &june, false).unwrap();
    let with_batch = store.status(1, "2023-12-31".parse().unwrap()).unwrap();
    // The same batch undone, on a copy of the ledger: what returning must give.
    let before_undo = store.status(1, "2023-12-31".parse().unwrap()).unwrap();
    store.undo_batch(b1.id).unwrap();
    let undone = store.status(1, "2023-12-31".parse().unwrap()).unwrap();
    store.restore_batch(b1.id).unwrap();
    assert_eq!(
        store.status(1, "2023-12-31".parse().unwrap()).unwrap(),
        before_undo
    );
    // Returned: the status is the undone one, and the batch says so.
    let notice =
        taizhang::cli::return_notice(&store, b1.id, "2023-07-15".parse().unwrap()).unwrap();
    let returned = store.return_batch(b1.id, &notice.summary).unwrap();
    assert!(returned.returned && returned.state == "undone");
    assert_eq!(
        store.status(1, "2023-12-31".parse().unwrap()).unwrap(),
        undone
    );
    // The notice names the unit, the file and the rows to fix: the row the
    // plan has no indicator for, and each row sent with no 进展情况.
    assert!(notice.text.contains("张店区："), "{}", notice.text);
    assert!(notice.text.contains("june.xlsx"), "{}", notice.text);
    let got = import(&store, "june.xlsx", &june, &Overrides::default());
    for j in &got.rejects {
        assert!(
            notice.lines.iter().any(|l| l.row == j.row),
            "row {} missing",
            j.row
        );
    }
    for r in got.rows.iter().filter(|r| r.text.trim().is_empty()) {
        let line = notice
            .lines
            .iter()
            .find(|l| l.row == r.row)
            .expect("a row with no text");
        assert!(line.problems.iter().any(|p| p == "未填写进展情况"));
    }
    // The undo lines of the log say why.
    let log = store.audit_log(None, 50).unwrap();
    assert!(log.iter().any(|e| e.note.starts_with("退回：")));
    // Taken back: as it was with the batch.
    store.restore_batch(b1.id).unwrap();
    assert!(!store.batch(b1.id).unwrap().returned);
    assert_eq!(
        store.status(1, "2023-12-31".parse().unwrap()).unwrap(),
        with_batch
    );
}
