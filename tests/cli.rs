//! The command line, end to end through the real binary: the issue's
//! walk-through, JSON shapes, and one-line errors with exit code 1.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod common;

fn shared(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared")
        .join(rel)
}

/// Where a test's ledger lives: `name` in `dir`, or with TAIZHANG_TEST_PG
/// set (a PostgreSQL superuser's address, `.ci/pg-start.sh`) a new database
/// on that server, so the same commands are held to the same expectations
/// on both engines.
fn ledger_at(dir: &tempfile::TempDir, name: &str) -> PathBuf {
    common::server_database("c").map_or_else(|| dir.path().join(name), PathBuf::from)
}

fn taizhang(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_taizhang"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("TAIZHANG_DB")
        .output()
        .expect("the binary runs")
}

fn ok(db: &Path, args: &[&str]) -> String {
    let out = taizhang(db, args);
    assert!(
        out.status.success(),
        "taizhang {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn json(db: &Path, args: &[&str]) -> Value {
    let mut a = args.to_vec();
    a.push("--json");
    serde_json::from_str(&ok(db, &a)).expect("valid JSON")
}

/// Fails with exit code 1 and one plain line on stderr; returns the line.
fn fails(db: &Path, args: &[&str]) -> String {
    let out = taizhang(db, args);
    assert_eq!(out.status.code(), Some(1), "taizhang {args:?} should fail");
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
    assert!(err.starts_with("taizhang: "), "{err}");
    err
}

fn indicator<'a>(status: &'a Value, name: &str) -> &'a Value {
    status["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["name"] == name)
        .unwrap_or_else(|| panic!("{name} not in status"))
}

#[test]
fn the_issue_walk_through() {
    let dir = tempfile::tempdir().unwrap();
    let db = ledger_at(&dir, "t.sqlite3");
    let units = shared("samples/units_zibo.json");
    let gold = shared("samples/gold/002.json");
    let u = json(&db, &["units", "import", units.to_str().unwrap()]);
    assert_eq!(u["added"], 13);
    json(&db, &["plan", "import", gold.to_str().unwrap()]);
    let again = json(&db, &["plan", "import", gold.to_str().unwrap()]);
    assert_eq!(again["created"], false);
    assert_eq!(json(&db, &["plan", "list"]).as_array().unwrap().len(), 1);

    let st = json(&db, &["status", "--as-of", "2023-06-30"]);
    assert_eq!(st["as_of"], "2023-06-30");
    let inds = st["indicators"].as_array().unwrap();
    assert_eq!(inds.len(), 26);
    assert!(inds.iter().all(|i| i["status"] == "no_data"));
    assert_eq!(st["summary"]["no_data"], 26);
    for key in [
        "id",
        "code",
        "name",
        "task",
        "unit",
        "comparator",
        "target",
        "target_max",
        "better",
        "kind",
        "scope",
        "deadline",
        "actual",
        "completion",
        "expected",
        "status",
        "due_soon",
        "forecast",
        "units",
    ] {
        assert!(inds[0].get(key).is_some(), "status JSON has {key}");
    }

    for (unit, v) in [("张店区", "20"), ("淄川区", "10")] {
        ok(
            &db,
            &[
                "report",
                "add",
                "--indicator",
                "新建智慧社区数",
                "--unit",
                unit,
                "--period",
                "2023-06",
                "--value",
                v,
            ],
        );
    }
    ok(
        &db,
        &[
            "report",
            "add",
            "--indicator",
            "数据中心平均PUE",
            "--unit",
            "市大数据局",
            "--period",
            "2023-06",
            "--value",
            "1.35",
        ],
    );
    let st = json(&db, &["status", "--as-of", "2023-06-30"]);
    let c = indicator(&st, "新建智慧社区数");
    assert_eq!(c["actual"], 30.0);
    assert!((c["completion"].as_f64().unwrap() - 0.4).abs() < 1e-9);
    assert!((c["expected"].as_f64().unwrap() - 0.496).abs() < 0.001);
    assert_eq!(c["status"], "lagging");
    let reported: Vec<&str> = c["units"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|u| !u["actual"].is_null())
        .map(|u| u["unit"].as_str().unwrap())
        .collect();
    assert_eq!(reported, ["张店区", "淄川区"]);
    // Every district counts; the two that reported June are not owed May.
    assert_eq!(c["aggregation"], "sum");
    assert_eq!(c["reporting_units"].as_array().unwrap().len(), 11);
    assert_eq!(c["period_due"], "2023-05");
    let owed = c["not_reported"].as_array().unwrap();
    assert_eq!(owed.len(), 9);
    assert!(!owed.iter().any(|u| u == "张店区" || u == "淄川区"));
    // The bureau reports the city's PUE; its figure is the city's.
    let pue = indicator(&st, "数据中心平均PUE");
    assert_eq!(pue["status"], "done");
    assert_eq!(pue["source"], "reporter");
    assert_eq!(pue["city_reporter"], "淄博市大数据局");
    assert_eq!(st["summary"]["lagging"], 1);

    // Text output says the same for people.
    let text = ok(&db, &["status", "--as-of", "2023-06-30"]);
    assert!(
        text.contains("lagging") && text.contains("新建智慧社区数"),
        "{text}"
    );
    // The plan reads back with its tasks and codes.
    let shown = json(&db, &["plan", "show", "1"]);
    assert_eq!(shown["sections"].as_array().unwrap().len(), 7);
    assert_eq!(shown["indicators"].as_array().unwrap().len(), 26);
    assert!(ok(&db, &["plan", "show", "1"]).contains("[2023-01-019] 新建智慧社区数"));
}

#[test]
fn damaged_and_foreign_databases_are_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let junk = dir.path().join("junk.sqlite3");
    std::fs::write(&junk, b"PK\x03\x04 not a database at all").unwrap();
    let before = std::fs::read(&junk).unwrap();
    let err = fails(&junk, &["status"]);
    assert!(
        err.contains("junk.sqlite3") && err.contains("not a Taizhang database"),
        "{err}"
    );
    assert_eq!(std::fs::read(&junk).unwrap(), before);

    let good = dir.path().join("good.sqlite3");
    ok(
        &good,
        &[
            "units",
            "import",
            shared("samples/units_zibo.json").to_str().unwrap(),
        ],
    );
    let bytes = std::fs::read(&good).unwrap();
    let cut = dir.path().join("cut.sqlite3");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let err = fails(&cut, &["units", "list"]);
    assert!(
        err.contains("cut.sqlite3") && err.contains("damaged"),
        "{err}"
    );
    assert_eq!(std::fs::read(&cut).unwrap(), &bytes[..bytes.len() / 2]);
}

#[test]
fn bad_input_gets_one_plain_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = ledger_at(&dir, "t.sqlite3");
    let broken = dir.path().join("broken.json");
    std::fs::write(&broken, "{\"title\": \"x\", \"year\": ").unwrap();
    let err = fails(&db, &["plan", "import", broken.to_str().unwrap()]);
    assert!(
        err.contains("broken.json") && err.contains("not a valid plan JSON"),
        "{err}"
    );
    let err = fails(&db, &["plan", "import", "/no/such/plan.json"]);
    assert!(err.contains("/no/such/plan.json"), "{err}");
    let err = fails(&db, &["status"]);
    assert!(err.contains("no plan"), "{err}");
    ok(
        &db,
        &[
            "plan",
            "import",
            shared("samples/gold/002.json").to_str().unwrap(),
        ],
    );
    let err = fails(
        &db,
        &[
            "report",
            "add",
            "--indicator",
            "新建智慧社区数",
            "--unit",
            "张店区",
            "--period",
            "2023-06",
            "--value",
            "20",
        ],
    );
    assert!(
        err.contains("张店区") && err.contains("units import"),
        "{err}"
    );
    ok(
        &db,
        &[
            "units",
            "import",
            shared("samples/units_zibo.json").to_str().unwrap(),
        ],
    );
    let err = fails(
        &db,
        &[
            "report",
            "add",
            "--indicator",
            "新建智慧社区数",
            "--unit",
            "张店区",
            "--period",
            "2023-06",
            "--value",
            "二十",
        ],
    );
    assert!(
        err.contains("二十") && err.contains("not a number"),
        "{err}"
    );
    let err = fails(
        &db,
        &[
            "report",
            "add",
            "--indicator",
            "新建智慧社区数",
            "--unit",
            "张店区",
            "--period",
            "2023-06",
            "--value",
            "-5",
        ],
    );
    assert!(err.contains("negative"), "{err}");
    let err = fails(&db, &["settings", "--on-track", "30"]);
    assert!(err.contains("on_track"), "{err}");
    let err = fails(&db, &["plan", "show", "9"]);
    assert!(err.contains("plan 9"), "{err}");
    // Clap's own errors (a malformed period) exit with 2 and say what is wrong.
    let out = taizhang(&db, &["status", "--as-of", "2023-02-30"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("2023-02-30"));
}

#[test]
fn settings_and_period_locks_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = ledger_at(&dir, "t.sqlite3");
    let s = json(
        &db,
        &["settings", "--due-soon", "30", "--year-start", "01-01"],
    );
    assert_eq!(s["due_soon_days"], 30);
    assert_eq!(json(&db, &["settings"])["due_soon_days"], 30);
    ok(
        &db,
        &[
            "units",
            "import",
            shared("samples/units_zibo.json").to_str().unwrap(),
        ],
    );
    ok(
        &db,
        &[
            "plan",
            "import",
            shared("samples/gold/002.json").to_str().unwrap(),
        ],
    );
    assert_eq!(
        json(&db, &["period", "lock", "2023-06"]),
        serde_json::json!(["2023-06"])
    );
    let err = fails(
        &db,
        &[
            "report",
            "add",
            "--indicator",
            "攻防演练次数",
            "--unit",
            "张店区",
            "--period",
            "2023-06",
            "--value",
            "1",
        ],
    );
    assert!(err.contains("locked"), "{err}");
    ok(&db, &["period", "unlock", "2023-06"]);
    ok(
        &db,
        &[
            "report",
            "add",
            "--indicator",
            "攻防演练次数",
            "--unit",
            "张店区",
            "--period",
            "2023-06",
            "--value",
            "1",
        ],
    );
}

#[test]
fn the_database_location_comes_from_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("env.sqlite3");
    let out = Command::new(env!("CARGO_BIN_EXE_taizhang"))
        .args([
            "units",
            "import",
            shared("samples/units_zibo.json").to_str().unwrap(),
        ])
        .env("TAIZHANG_DB", &db)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(db.exists());
    // A network share is opened safely and said so on stderr, not stdout.
    let share = dir.path().join("share.sqlite3");
    let out = Command::new(env!("CARGO_BIN_EXE_taizhang"))
        .args(["--db", share.to_str().unwrap(), "units", "list", "--json"])
        .env("TAIZHANG_ASSUME_NETWORK_SHARE", "1")
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("network share"));
    let listed: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(listed, serde_json::json!([]));
}

#[test]
fn a_plan_document_is_extracted_and_imported() {
    let dir = tempfile::tempdir().unwrap();
    let db = ledger_at(&dir, "t.sqlite3");
    let seed = std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with("002"))
        .unwrap();
    let seed = seed.to_str().unwrap();
    let extracted = json(&db, &["plan", "extract", seed]);
    assert_eq!(extracted["year"], 2023);
    assert_eq!(extracted["title"], "2023年全市大数据工作要点");
    assert!(extracted["non_targets"].as_array().unwrap().len() > 5);
    assert!(!db.exists(), "extract stores nothing");
    let first = json(&db, &["plan", "import", seed]);
    assert_eq!(first["created"], true);
    assert_eq!(
        first["indicators_added"],
        extracted["indicators"].as_array().unwrap().len()
    );
    let again = json(&db, &["plan", "import", seed]);
    assert_eq!(again["created"], false);
    let st = json(&db, &["status", "--as-of", "2023-06-30"]);
    assert_eq!(
        st["indicators"].as_array().unwrap().len(),
        extracted["indicators"].as_array().unwrap().len()
    );
    // A file that is not a plan document is refused with its name.
    let junk = dir.path().join("notes.txt");
    std::fs::write(&junk, "会议纪要：请各单位认真落实。").unwrap();
    let err = fails(&db, &["plan", "extract", junk.to_str().unwrap()]);
    assert!(
        err.contains("notes.txt") && err.contains("no numbered headings"),
        "{err}"
    );
}

#[test]
fn a_reader_that_stops_early_ends_the_output_quietly() {
    // `taizhang returns batches | head -1`: the pipe closes before the
    // output is written; the command still succeeds and nothing panics.
    let dir = tempfile::tempdir().unwrap();
    let db = ledger_at(&dir, "t.sqlite3");
    ok(&db, &["demo"]);
    for args in [&["returns", "batches"][..], &["status", "--json"][..]] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_taizhang"))
            .arg("--db")
            .arg(&db)
            .args(args)
            .env_remove("TAIZHANG_DB")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert!(out.status.success(), "{args:?}: {stderr}");
    }
}

/// A plan JSON that sets `aggregation`, `reporting_units` and
/// `city_reporter`, through the real binary: the city figure, who has not
/// reported, the period due and the bulletin's words follow them.
#[test]
fn a_plan_that_says_who_reports() {
    let dir = tempfile::tempdir().unwrap();
    let db = ledger_at(&dir, "t.sqlite3");
    ok(
        &db,
        &[
            "units",
            "import",
            shared("samples/units_zibo.json").to_str().unwrap(),
        ],
    );
    let plan = dir.path().join("plan.json");
    std::fs::write(
        &plan,
        r#"{"title": "测试计划", "issuer": "淄博市大数据局", "year": 2023,
            "sections": [{"number": "一", "title": "重点任务",
                          "tasks": [{"number": "1", "title": "数据中心"}]}],
            "indicators": [
              {"task": "一/1", "name": "平均PUE", "comparator": "<=", "target": 1.4,
               "unit": null, "kind": "level", "aggregation": "mean",
               "reporting_units": ["张店区", "淄川区", "临淄区"]},
              {"task": "一/1", "name": "日均活跃用户数", "comparator": ">", "target": 470000,
               "unit": "人", "kind": "level", "aggregation": "single",
               "city_reporter": "市大数据局"},
              {"task": "一/1", "name": "智慧社区数", "comparator": ">=", "target": 10,
               "unit": "个", "kind": "new", "scope": "per_unit",
               "reporting_units": ["张店区", "淄川区", "博山区", "临淄区"]},
              {"task": "一/1", "name": "上半年演练次数", "comparator": ">=", "target": 4,
               "unit": "次", "kind": "count_of_events", "deadline": "2023-06-30"}
            ]}"#,
    )
    .unwrap();
    ok(&db, &["plan", "import", plan.to_str().unwrap()]);
    let report = |ind: &str, unit: &str, period: &str, value: &str| {
        ok(
            &db,
            &[
                "report",
                "add",
                "--indicator",
                ind,
                "--unit",
                unit,
                "--period",
                period,
                "--value",
                value,
            ],
        );
    };
    report("平均PUE", "张店区", "2023-06", "1.42");
    report("平均PUE", "淄川区", "2023-09", "1.36");
    report("平均PUE", "临淄区", "2023-12", "1.35");
    report("日均活跃用户数", "市大数据局", "2023-06", "460000");
    report("日均活跃用户数", "淄川区", "2023-09", "42000");
    report("智慧社区数", "张店区", "2023-06", "12");
    report("智慧社区数", "淄川区", "2023-06", "10");
    report("智慧社区数", "博山区", "2023-03", "3");
    report("智慧社区数", "市大数据局", "2023-06", "99");
    report("上半年演练次数", "张店区", "2023-03", "1");

    // The mean of three districts reported in different months.
    let st = json(&db, &["status", "--as-of", "2023-12-31"]);
    let pue = indicator(&st, "平均PUE");
    assert!((pue["actual"].as_f64().unwrap() - (1.42 + 1.36 + 1.35) / 3.0).abs() < 1e-9);
    assert_eq!(pue["aggregation"], "mean");
    assert_eq!(pue["reporting_set"]["units"], true);
    // The bureau's figure is the city's; the district's stays its own.
    let dau = indicator(&st, "日均活跃用户数");
    assert_eq!(dau["actual"], 460000.0);
    assert_eq!(dau["source"], "reporter");
    assert_eq!(
        dau["reporting_units"],
        serde_json::json!(["淄博市大数据局"])
    );
    // Per district: 2 of 4 meet; the bureau's 99 does not count.
    let per = indicator(&st, "智慧社区数");
    assert_eq!(
        (per["units_met"].as_u64(), per["units_total"].as_u64()),
        (Some(2), Some(4))
    );
    // No forecast once the deadline has passed.
    let drills = json(&db, &["status", "--as-of", "2023-09-30"]);
    assert!(indicator(&drills, "上半年演练次数")["forecast"].is_null());
    assert_eq!(indicator(&drills, "上半年演练次数")["status"], "overdue");

    // As of 30 June: May is due; 张店区 (June) has reported, 博山区 (March) has not.
    let june = json(&db, &["status", "--as-of", "2023-06-30"]);
    assert_eq!(june["period_due"], "2023-05");
    let per = indicator(&june, "智慧社区数");
    let owed: Vec<&str> = per["not_reported"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u.as_str().unwrap())
        .collect();
    assert_eq!(owed, ["博山区", "临淄区"]);
    assert_eq!(per["stale_units"], serde_json::json!(["博山区"]));
    let bulletin = json(&db, &["export", "bulletin", "--as-of", "2023-06-30"]);
    let text = bulletin["text"].as_str().unwrap();
    assert!(text.contains("2023年5月进展情况尚未报送的单位"), "{text}");
    let not_reported: Vec<&str> = bulletin["not_reported"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u.as_str().unwrap())
        .collect();
    assert!(not_reported.contains(&"博山区") && !not_reported.contains(&"张店区"));
    // The per-district line in words, never a fraction of 个.
    let dec = json(&db, &["export", "bulletin", "--as-of", "2023-12-31"]);
    let text = dec["text"].as_str().unwrap();
    assert!(
        text.contains("智慧社区数（目标每个单位10个，2/4个单位达标"),
        "{text}"
    );
    assert!(!text.contains("实际0."), "{text}");
    // The plan reads back with what it set, and nothing it left to the rules.
    let shown = json(&db, &["plan", "show", "1"]);
    let inds = shown["indicators"].as_array().unwrap();
    assert_eq!(inds[0]["aggregation"], "mean");
    assert_eq!(inds[1]["city_reporter"], "淄博市大数据局");
    assert!(inds[3]["aggregation"].is_null() && inds[3].get("reporting_units").is_none());
}

#[test]
fn a_plan_naming_an_unknown_unit_is_refused_whole() {
    let dir = tempfile::tempdir().unwrap();
    let db = ledger_at(&dir, "t.sqlite3");
    let plan = dir.path().join("plan.json");
    std::fs::write(
        &plan,
        r#"{"title": "测试计划", "year": 2023, "sections": [],
            "indicators": [{"name": "平均PUE", "comparator": "<=", "target": 1.4,
                            "kind": "level", "reporting_units": ["火星区"]}]}"#,
    )
    .unwrap();
    let err = fails(&db, &["plan", "import", plan.to_str().unwrap()]);
    assert!(
        err.contains("火星区") && err.contains("units import"),
        "{err}"
    );
    assert!(ok(&db, &["plan", "list"]).contains("no plans"));
}

#[test]
fn an_undone_batch_is_restored_and_a_locked_period_holds() {
    let dir = tempfile::tempdir().unwrap();
    let db = ledger_at(&dir, "t.sqlite3");
    ok(&db, &["demo"]);
    let batches = json(&db, &["returns", "batches"]);
    let first = &batches.as_array().unwrap()[0];
    let id = first["id"].to_string();
    let period = first["period"].as_str().unwrap().to_string();
    let before = json(&db, &["status", "--as-of", "2023-12-31"]);
    let undone = json(&db, &["returns", "undo", &id]);
    assert_eq!(undone["state"], "undone");
    assert_ne!(json(&db, &["status", "--as-of", "2023-12-31"]), before);
    let restored = json(&db, &["returns", "restore", &id]);
    assert_eq!(restored["batch"]["state"], "committed");
    assert_eq!(restored["restored"], first["rows"]);
    assert_eq!(restored["kept_newer"], 0);
    assert_eq!(json(&db, &["status", "--as-of", "2023-12-31"]), before);
    let err = fails(&db, &["returns", "restore", &id]);
    assert!(err.contains("was not undone"), "{err}");
    // Locked, the period refuses the undo; the log has the lock.
    json(&db, &["period", "lock", &period]);
    let err = fails(&db, &["returns", "undo", &id]);
    assert!(err.contains("locked"), "{err}");
    assert_eq!(json(&db, &["status", "--as-of", "2023-12-31"]), before);
    assert_eq!(
        json(&db, &["period", "unlock", &period]),
        serde_json::json!([])
    );
}

#[test]
fn an_imported_figure_is_corrected_with_a_reason_and_the_audit_lists_both() {
    let dir = tempfile::tempdir().unwrap();
    let db = ledger_at(&dir, "t.sqlite3");
    ok(&db, &["demo"]);
    let figure = [
        "--indicator",
        "新建智慧社区数",
        "--unit",
        "张店区",
        "--period",
        "2023-06",
        "--value",
        "10",
    ];
    // The imported figure is not overwritten without a reason…
    let err = fails(&db, &[&["report", "add"][..], &figure[..]].concat());
    assert!(
        err.contains("needs a reason") && err.contains("report correct"),
        "{err}"
    );
    let err = fails(
        &db,
        &[&["report", "correct"][..], &figure[..], &["--reason", " "]].concat(),
    );
    assert!(err.contains("--reason"), "{err}");
    // …and is with one, the import kept as history.
    let r = json(
        &db,
        &[
            &["report", "correct"][..],
            &figure[..],
            &["--reason", "区县来函更正"],
        ]
        .concat(),
    );
    assert_eq!(r["value"], 10.0);
    assert!(r["batch_id"].is_null());
    let log = json(
        &db,
        &["audit", "--indicator", "新建智慧社区数", "--unit", "张店区"],
    );
    let lines = log.as_array().unwrap();
    assert_eq!(lines.len(), 2, "{log}");
    assert_eq!(lines[0]["action"], "correct");
    assert_eq!(lines[0]["note"], "区县来函更正");
    assert_eq!(
        (lines[0]["before"].as_f64(), lines[0]["after"].as_f64()),
        (Some(9.0), Some(10.0))
    );
    assert_eq!(lines[1]["action"], "import");
    assert_eq!(lines[1]["after"], 9.0);
    assert!(lines[1]["row"].as_i64().is_some());
    // A filter that matches nothing, and the text form.
    let none = json(
        &db,
        &[
            "audit",
            "--indicator",
            "新建智慧社区数",
            "--since",
            "2999-01-01",
        ],
    );
    assert_eq!(none, serde_json::json!([]));
    let text = ok(&db, &["audit", "--unit", "张店区"]);
    assert!(
        text.contains("correct") && text.contains("(区县来函更正)"),
        "{text}"
    );
    // A figure entered by hand is changed without a reason (an edit).
    let hand = [
        "--indicator",
        "新建智慧社区数",
        "--unit",
        "淄川区",
        "--period",
        "2023-06",
        "--value",
    ];
    ok(&db, &[&["report", "add"][..], &hand[..], &["3"]].concat());
    ok(&db, &[&["report", "add"][..], &hand[..], &["4"]].concat());
    let log = json(&db, &["audit", "--unit", "淄川区", "--limit", "1"]);
    assert_eq!(log[0]["action"], "edit");
    assert_eq!(log[0]["before"], 3.0);
}

/// A 任务分解表 as a bureau might circulate it: a title, 序号, names (one
/// row by code only), units across, a 备注 column, a unit not in the
/// catalogue, a cell that is not a number and a dash.
/// The code of a plan indicator by its name, from `status --json`.
fn code_of(db: &Path, name: &str) -> String {
    let st = json(db, &["status"]);
    indicator(&st, name)["code"].as_str().unwrap().to_string()
}

/// A bureau's 任务分解 table; one row names its indicator by `racks_code`
/// only.
fn bureau_targets(dir: &Path, racks_code: &str) -> PathBuf {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "2023年智慧城市重点指标任务分解表")
        .unwrap();
    for (c, h) in [
        "序号",
        "编号",
        "指标名称",
        "全市目标",
        "张店区",
        "淄川区",
        "火星区",
        "备注",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(2, c as u16, *h).unwrap();
    }
    ws.write_number(3, 0, 1.0).unwrap();
    ws.write_string(3, 2, "新建智慧社区数").unwrap();
    ws.write_number(3, 3, 75.0).unwrap();
    ws.write_number(3, 4, 12.0).unwrap();
    ws.write_string(3, 5, "8个").unwrap();
    ws.write_number(3, 6, 5.0).unwrap();
    ws.write_number(4, 0, 2.0).unwrap();
    ws.write_string(4, 1, racks_code).unwrap();
    ws.write_string(4, 4, "1.2万").unwrap();
    ws.write_string(4, 5, "约3-5千").unwrap();
    ws.write_number(5, 0, 3.0).unwrap();
    ws.write_string(5, 2, "不在计划中的指标").unwrap();
    ws.write_number(5, 4, 1.0).unwrap();
    ws.write_number(6, 0, 4.0).unwrap();
    ws.write_string(6, 2, "上榜案例数").unwrap();
    ws.write_string(6, 4, "—").unwrap();
    let path = dir.join("任务分解表.xlsx");
    wb.save(&path).unwrap();
    path
}

#[test]
fn units_targets_are_set_imported_and_used_by_status_and_templates() {
    let dir = tempfile::tempdir().unwrap();
    let db = ledger_at(&dir, "t.sqlite3");
    ok(&db, &["demo"]);
    // The table as exported has no unit's own target: importing it back
    // changes nothing and says so.
    let blank = dir.path().join("blank.xlsx");
    ok(&db, &["targets", "export", blank.to_str().unwrap()]);
    let err = fails(&db, &["targets", "import", blank.to_str().unwrap()]);
    assert!(err.contains("no target"), "{err}");

    let communities_code = code_of(&db, "新建智慧社区数");
    let racks_code = code_of(&db, "数据中心标准机架总数");
    let table = bureau_targets(dir.path(), &racks_code);
    let done = json(&db, &["targets", "import", table.to_str().unwrap()]);
    assert_eq!(done["changed"], 3, "{done}");
    assert_eq!(done["unknown_units"], serde_json::json!(["火星区"]));
    assert_eq!(done["unknown_rows"][0][1], "不在计划中的指标");
    assert_eq!(done["bad_cells"].as_array().unwrap().len(), 1, "{done}");
    let list = json(&db, &["targets", "list"]);
    let got: Vec<(String, String, f64)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["code"].as_str().unwrap().to_string(),
                t["unit"].as_str().unwrap().to_string(),
                t["target"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (communities_code.clone(), "张店区".into(), 12.0),
            (communities_code.clone(), "淄川区".into(), 8.0),
            (racks_code.clone(), "张店区".into(), 12000.0),
        ]
    );
    // Status judges 张店区 against its own 12 (it reported 9 for June).
    let st = json(&db, &["status", "--as-of", "2023-06-30"]);
    let communities = indicator(&st, "新建智慧社区数");
    let zhang = communities["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["unit"] == "张店区")
        .unwrap();
    assert_eq!(zhang["target"], 12.0);
    assert_eq!(zhang["actual"], 9.0);
    // The unit's template carries its own target.
    let tpl = dir.path().join("tpl.xlsx");
    ok(
        &db,
        &[
            "export",
            "template",
            "--unit",
            "张店区",
            "--period",
            "2023-07",
            tpl.to_str().unwrap(),
        ],
    );
    let sheets = taizhang::returns::read::read(&std::fs::read(&tpl).unwrap()).unwrap();
    let row = sheets
        .iter()
        .flat_map(|s| &s.rows)
        .find(|r| r.iter().any(|c| c.text() == "新建智慧社区数"))
        .expect("the indicator's row");
    assert!(row.iter().any(|c| c.text() == "≥12"), "{row:?}");
    // One set by hand, one cleared; both in the audit log.
    ok(
        &db,
        &[
            "targets",
            "set",
            "--indicator",
            "新建智慧社区数",
            "--unit",
            "张店区",
            "--target",
            "15",
        ],
    );
    ok(
        &db,
        &[
            "targets",
            "set",
            "--indicator",
            "新建智慧社区数",
            "--unit",
            "淄川区",
            "--clear",
        ],
    );
    assert_eq!(json(&db, &["targets", "list"]).as_array().unwrap().len(), 2);
    let log = json(
        &db,
        &["audit", "--indicator", "新建智慧社区数", "--limit", "2"],
    );
    assert_eq!(log[0]["action"], "target");
    assert_eq!(
        (log[0]["before"].as_f64(), log[0]["after"].as_f64()),
        (Some(8.0), None)
    );
    assert!(log[0]["period"].is_null());
    assert_eq!(
        (log[1]["before"].as_f64(), log[1]["after"].as_f64()),
        (Some(12.0), Some(15.0))
    );
    // A negative count is refused, nothing changes.
    let err = fails(
        &db,
        &[
            "targets",
            "set",
            "--indicator",
            "新建智慧社区数",
            "--unit",
            "张店区",
            "--target",
            "-3",
        ],
    );
    assert!(err.contains("张店区"), "{err}");
    assert_eq!(json(&db, &["targets", "list"]).as_array().unwrap().len(), 2);
}

#[test]
fn an_indicator_is_edited_and_a_revised_target_keeps_the_plans_beside_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = ledger_at(&dir, "t.sqlite3");
    ok(&db, &["demo"]);
    let err = fails(
        &db,
        &["indicator", "edit", "新建智慧社区数", "--target", "80"],
    );
    assert!(err.contains("--reason") && err.contains("--fix"), "{err}");
    let changes = json(
        &db,
        &[
            "indicator",
            "edit",
            "新建智慧社区数",
            "--target",
            "80",
            "--reason",
            "市政府常务会议调增",
        ],
    );
    assert_eq!(changes[0]["field"], "target");
    assert_eq!(
        (changes[0]["before"].as_str(), changes[0]["after"].as_str()),
        (Some("75"), Some("80"))
    );
    let st = json(&db, &["status", "--as-of", "2023-12-31"]);
    let c = indicator(&st, "新建智慧社区数");
    assert_eq!(c["target"], 80.0);
    assert_eq!(c["revision"]["original"], 75.0);
    assert_eq!(c["revision"]["reason"], "市政府常务会议调增");
    let text = ok(&db, &["export", "bulletin", "--as-of", "2023-12-31"]);
    assert!(text.contains("原目标≥75个，调整后≥80个"), "{text}");
    // A misread target corrected: no revision.
    json(
        &db,
        &[
            "indicator",
            "edit",
            "数据中心标准机架总数",
            "--target",
            "36000",
            "--fix",
        ],
    );
    let st = json(&db, &["status", "--as-of", "2023-12-31"]);
    assert!(indicator(&st, "数据中心标准机架总数")["revision"].is_null());
    // Who reports and how the city's figure is made; a unit not in the
    // catalogue is refused and nothing changes.
    let err = fails(
        &db,
        &[
            "indicator",
            "edit",
            "新建智慧社区数",
            "--reporting-units",
            "张店区,火星区",
        ],
    );
    assert!(err.contains("火星区"), "{err}");
    json(
        &db,
        &[
            "indicator",
            "edit",
            "新建智慧社区数",
            "--reporting-units",
            "张店区,淄川区",
            "--aggregation",
            "sum",
        ],
    );
    let st = json(&db, &["status", "--as-of", "2023-12-31"]);
    let c = indicator(&st, "新建智慧社区数");
    assert_eq!(
        c["reporting_units"],
        serde_json::json!(["张店区", "淄川区"])
    );
    // Back to the rules.
    json(
        &db,
        &[
            "indicator",
            "edit",
            "新建智慧社区数",
            "--reporting-units",
            "rules",
        ],
    );
    let st = json(&db, &["status", "--as-of", "2023-12-31"]);
    assert_eq!(
        indicator(&st, "新建智慧社区数")["reporting_units"]
            .as_array()
            .unwrap()
            .len(),
        11
    );
    let log = json(
        &db,
        &["audit", "--indicator", "新建智慧社区数", "--limit", "1"],
    );
    assert_eq!(log[0]["action"], "indicator");
    assert_eq!(log[0]["field"], "reporting_units");
    // Nothing to change says so.
    assert!(ok(&db, &["indicator", "edit", "新建智慧社区数"]).contains("nothing changed"));
}

/// A units catalogue as a spreadsheet, the way an office keeps one.
fn units_sheet(dir: &Path) -> PathBuf {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "单位名录").unwrap();
    for (c, h) in ["序号", "单位名称", "类型", "别名"].iter().enumerate() {
        ws.write_string(1, c as u16, *h).unwrap();
    }
    let rows = [
        ("市南区", "区县", "市南"),
        ("市北区", "", "市北、北区"),
        ("胶州市", "", ""),
        ("市大数据局", "部门", "大数据局; 市局"),
    ];
    for (r, (name, kind, aliases)) in rows.iter().enumerate() {
        let r = r as u32 + 2;
        ws.write_number(r, 0, f64::from(r - 1)).unwrap();
        ws.write_string(r, 1, *name).unwrap();
        ws.write_string(r, 2, *kind).unwrap();
        ws.write_string(r, 3, *aliases).unwrap();
    }
    let path = dir.join("单位名录.xlsx");
    wb.save(&path).unwrap();
    path
}

#[test]
fn a_units_catalogue_is_imported_from_a_spreadsheet_and_edited() {
    let dir = tempfile::tempdir().unwrap();
    let db = ledger_at(&dir, "t.sqlite3");
    let sheet = units_sheet(dir.path());
    let done = json(&db, &["units", "import", sheet.to_str().unwrap()]);
    assert_eq!(
        (done["added"].as_u64(), done["aliases_added"].as_u64()),
        (Some(4), Some(5))
    );
    let list = json(&db, &["units", "list"]);
    let kinds: Vec<(String, String)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["name"].as_str().unwrap().to_string(),
                u["kind"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            ("市南区".to_string(), "district".to_string()),
            ("市北区".to_string(), "district".to_string()),
            ("胶州市".to_string(), "district".to_string()),
            ("市大数据局".to_string(), "department".to_string()),
        ]
    );
    let renamed = json(
        &db,
        &["units", "rename", "市局", "--to", "青岛市大数据发展管理局"],
    );
    assert_eq!(renamed["name"], "青岛市大数据发展管理局");
    assert!(
        renamed["aliases"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a == "市大数据局")
    );
    json(
        &db,
        &["units", "add", "市南区大数据中心", "--kind", "department"],
    );
    let merged = json(
        &db,
        &["units", "merge", "市南区大数据中心", "--into", "市南"],
    );
    assert_eq!(merged["name"], "市南区");
    json(&db, &["units", "kind", "胶州市", "department"]);
    json(&db, &["units", "alias", "胶州市", "胶州"]);
    let err = fails(&db, &["units", "alias", "市北区", "胶州"]);
    assert!(err.contains("胶州市"), "{err}");
    assert_eq!(json(&db, &["units", "list"]).as_array().unwrap().len(), 4);
    // A sheet with no names column is refused in one line.
    let mut wb = rust_xlsxwriter::Workbook::new();
    wb.add_worksheet().write_string(0, 0, "无关内容").unwrap();
    let junk = dir.path().join("junk.xlsx");
    wb.save(&junk).unwrap();
    let err = fails(&db, &["units", "import", junk.to_str().unwrap()]);
    assert!(err.contains("单位名称"), "{err}");
}

#[test]
fn a_hand_change_is_reverted_from_its_audit_line_and_only_while_it_stands() {
    let dir = tempfile::tempdir().unwrap();
    let db = ledger_at(&dir, "t.sqlite3");
    ok(&db, &["demo"]);
    let hand = [
        "--indicator",
        "新建智慧社区数",
        "--unit",
        "淄川区",
        "--period",
        "2023-06",
        "--value",
    ];
    ok(&db, &[&["report", "add"][..], &hand[..], &["3"]].concat());
    ok(&db, &[&["report", "add"][..], &hand[..], &["4"]].concat());
    let log = json(&db, &["audit", "--unit", "淄川区", "--limit", "2"]);
    let (second, first) = (log[0]["id"].to_string(), log[1]["id"].to_string());
    // The first entry has been changed since: refused.
    let err = fails(&db, &["report", "revert", &first]);
    assert!(err.contains("changed since"), "{err}");
    let r = json(&db, &["report", "revert", &second]);
    assert_eq!(r["value"], 3.0);
    let log = json(&db, &["audit", "--unit", "淄川区", "--limit", "1"]);
    assert_eq!(log[0]["action"], "correct");
    assert_eq!(log[0]["note"], format!("撤回第{second}条修改"));
    // An import is undone as a batch, not reverted line by line.
    let imports = json(&db, &["audit", "--unit", "张店区"]);
    let import = imports
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["action"] == "import")
        .unwrap();
    let err = fails(&db, &["report", "revert", &import["id"].to_string()]);
    assert!(err.contains("undone as a batch"), "{err}");
}

#[test]
fn tasks_are_edited_indicators_retired_and_moved_and_changes_reverted_by_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = ledger_at(&dir, "t.sqlite3");
    ok(&db, &["demo"]);
    let tasks = json(&db, &["plan", "tasks"]);
    let tasks = tasks.as_array().unwrap();
    assert!(tasks.len() > 3);
    let path = tasks[2]["path"].as_str().unwrap().to_string();
    assert!(
        ok(&db, &["plan", "tasks"]).contains(&path),
        "the text lists the paths"
    );
    let changed = json(
        &db,
        &[
            "plan",
            "task",
            &path,
            "--title",
            "改过的任务",
            "--deadline",
            "2023-09-30",
            "--lead",
            "张店区，淄川区",
            "--support",
            "市大数据局",
        ],
    );
    let fields: Vec<&str> = changed
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["title", "deadline", "units"]);
    let t = json(&db, &["plan", "tasks"]);
    let t = t
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["path"] == path.as_str())
        .unwrap()
        .clone();
    assert_eq!(t["title"], "改过的任务");
    assert_eq!(t["deadline"], "2023-09-30");
    assert_eq!(t["units"][1]["name"], "淄川区");
    assert_eq!(t["units"][2]["role"], "support");
    let err = fails(&db, &["plan", "task", "九十九/9", "--title", "x"]);
    assert!(err.contains("no task"), "{err}");
    let err = fails(&db, &["plan", "task", &path, "--deadline", "2023-13-01"]);
    assert!(err.contains("--deadline"), "{err}");

    // The title's change is reverted from its line (the first column).
    let log = json(&db, &["audit", "--limit", "3"]);
    let title_line = log
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["field"] == "title")
        .unwrap()["id"]
        .to_string();
    assert!(ok(&db, &["audit", "--limit", "3"]).contains(&format!("task {path}")));
    let r = json(&db, &["audit", "revert", &title_line]);
    assert_eq!(r["reverted"], "task");
    let t = json(&db, &["plan", "tasks"]);
    assert_eq!(t[2]["title"], tasks[2]["title"]);

    // An indicator retired leaves the status, comes back with restore.
    let status = json(&db, &["status", "--as-of", "2023-06-30"]);
    let first = status["indicators"][0]["code"]
        .as_str()
        .unwrap()
        .to_string();
    let n = status["indicators"].as_array().unwrap().len();
    let err = fails(&db, &["indicator", "retire", &first, "--reason", ""]);
    assert!(err.contains("reason"), "{err}");
    let r = json(
        &db,
        &["indicator", "retire", &first, "--reason", "指标合并"],
    );
    assert_eq!(r["changed"], true);
    let status = json(&db, &["status", "--as-of", "2023-06-30"]);
    assert_eq!(status["indicators"].as_array().unwrap().len(), n - 1);
    let r = json(&db, &["indicator", "restore", &first]);
    assert_eq!(r["changed"], true);
    let status = json(&db, &["status", "--as-of", "2023-06-30"]);
    assert_eq!(status["indicators"].as_array().unwrap().len(), n);

    // Moved to the edited task and back by reverting the line.
    let r = json(&db, &["indicator", "move", &first, "--task", &path]);
    assert_eq!(r["changed"], true);
    let log = json(&db, &["audit", "--indicator", &first, "--limit", "1"]);
    assert_eq!(log[0]["field"], "task");
    assert_eq!(log[0]["after_text"], path.as_str());
    let r = json(&db, &["audit", "revert", &log[0]["id"].to_string()]);
    assert_eq!(r["reverted"], "indicator");
    let err = fails(&db, &["indicator", "move", &first, "--task", "九十九/9"]);
    assert!(err.contains("no task"), "{err}");

    // An indicator the reading missed, added from its passage and by fields.
    let added = json(
        &db,
        &[
            "indicator",
            "add",
            "--task",
            &path,
            "--text",
            "全年新增5G基站不少于3000个",
        ],
    );
    assert_eq!(added["target"], 3000.0);
    assert_eq!(added["task"], path.as_str());
    let by_fields = json(
        &db,
        &[
            "indicator",
            "add",
            "--name",
            "政务服务好评率",
            "--target",
            "95",
            "--unit",
            "%",
            "--kind",
            "level",
        ],
    );
    assert_eq!(by_fields["kind"], "level");
    let status = json(&db, &["status", "--as-of", "2023-06-30"]);
    assert_eq!(status["indicators"].as_array().unwrap().len(), n + 2);
    let err = fails(&db, &["indicator", "add", "--text", "加快推进数字政府建设"]);
    assert!(err.contains("no target"), "{err}");
}

#[test]
fn reminders_name_the_owed_indicators_and_a_returned_batch_stops_counting_until_restored() {
    let dir = tempfile::tempdir().unwrap();
    let db = ledger_at(&dir, "n.sqlite3");
    ok(&db, &["demo"]);
    let r = json(
        &db,
        &["remind", "--as-of", "2023-07-20", "--unit", "淄川区"],
    );
    let reminders = r["reminders"].as_array().unwrap();
    assert_eq!(reminders.len(), 1, "{r}");
    assert_eq!(reminders[0]["period"], "2023-06");
    assert!(!reminders[0]["indicators"].as_array().unwrap().is_empty());
    let text = r["texts"][0].as_str().unwrap();
    assert!(
        text.starts_with("关于报送2023年6月进展情况的催报通知"),
        "{text}"
    );
    let out = dir.path().join("催报.xlsx");
    ok(
        &db,
        &[
            "remind",
            "--as-of",
            "2023-07-20",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(&std::fs::read(&out).unwrap()[..2], b"PK");
    // The first demo batch sent back: out of the status, back when restored.
    let before = json(&db, &["status", "--as-of", "2023-12-31"]);
    let sent = json(&db, &["returns", "return", "1"]);
    assert_eq!(sent["batch"]["returned"], true);
    assert!(sent["text"].as_str().unwrap().contains("现予退回"));
    let after = json(&db, &["status", "--as-of", "2023-12-31"]);
    assert_ne!(before["indicators"], after["indicators"]);
    ok(&db, &["returns", "restore", "1"]);
    let back = json(&db, &["status", "--as-of", "2023-12-31"]);
    assert_eq!(before["indicators"], back["indicators"]);
}

#[test]
fn a_meeting_copy_from_the_command_line_gives_the_same_status_and_refuses_changes() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ledger.sqlite3");
    ok(&db, &["demo"]);
    let copy = dir.path().join("meeting.sqlite3");
    let copy_arg = copy.to_str().unwrap();
    let w = json(&db, &["snapshot", "--to", copy_arg]);
    assert_eq!(w["copy"]["source"], "ledger.sqlite3");
    assert_eq!(w["plans"], 1);
    assert!(w["figures"].as_u64().unwrap() > 0);
    let status = |db: &Path| {
        let mut s = json(db, &["status", "--as-of", "2023-09-30"]);
        s.as_object_mut().unwrap().remove("plan");
        s
    };
    assert_eq!(status(&copy), status(&db));
    // The note on opening it, then the refusal.
    let out = taizhang(&copy, &["period", "lock", "2023-09"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 2, "{err}");
    assert!(lines[0].starts_with("taizhang: note: ") && lines[0].contains("taken"));
    assert!(
        lines[1].contains("a meeting copy of ledger.sqlite3")
            && lines[1].contains("make changes in the ledger itself"),
        "{err}"
    );
    // An existing copy is replaced only when asked; the ledger never.
    assert!(fails(&db, &["snapshot", "--to", copy_arg]).contains("--replace"));
    ok(&db, &["snapshot", "--to", copy_arg, "--replace"]);
    let e = fails(
        &db,
        &["snapshot", "--to", db.to_str().unwrap(), "--replace"],
    );
    assert!(
        e.contains("not a meeting copy, so it was not replaced"),
        "{e}"
    );
}

#[test]
fn a_server_ledger_is_used_by_a_role_without_superuser_signing_in_with_a_password() {
    // Only where there is a test server (TAIZHANG_TEST_PG, .ci/pg-start.sh:
    // TLS on, `tz_app` signs in with a password over SCRAM).
    let Ok(admin) = std::env::var("TAIZHANG_TEST_PG") else {
        return;
    };
    let base = admin.rsplit_once('/').unwrap().0.to_string();
    let host = base.rsplit_once('@').unwrap().1.to_string();
    let name = format!("app{}", std::process::id());
    let mut c = postgres::Client::connect(&admin, postgres::NoTls).unwrap();
    c.batch_execute(
        "DO $$ BEGIN
           IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tz_app') THEN
             CREATE ROLE tz_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD 'app-secret';
           END IF;
         END $$;",
    )
    .unwrap();
    c.batch_execute(&format!("CREATE DATABASE {name} OWNER tz_app"))
        .unwrap();
    let url = format!("postgres://tz_app@{host}/{name}");
    let run = |args: &[&str], password: Option<&str>| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_taizhang"));
        cmd.arg("--db")
            .arg(&url)
            .args(args)
            .env_remove("PGPASSWORD");
        cmd.env("PGPASSFILE", "/nonexistent");
        if let Some(p) = password {
            cmd.env("PGPASSWORD", p);
        }
        cmd.output().unwrap()
    };
    // A wrong password: one plain line naming the server, never the password.
    let out = run(&["units", "list"], Some("wrong"));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && err.contains(&url) && !err.contains("wrong"),
        "{err}"
    );
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    // The right one: the first start creates the tables as this role.
    let out = run(&["demo"], Some("app-secret"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = run(&["audit", "--json", "--limit", "1"], Some("app-secret"));
    let log: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        log[0]["actor"], "tz_app",
        "the audit log names the database user"
    );
}
