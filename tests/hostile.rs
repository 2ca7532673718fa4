//! What hostile and broken files and disks did to the importer and the
//! ledger, each made here (never stored): files that asked for gigabytes,
//! lost rows or hung; ledgers cut short, full disks, read-only folders,
//! locks held by others. Each test failed on the code before the fix.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};
use taizhang::returns::read::FileErrorKind;
use taizhang::returns::read::{self, Cell};

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_taizhang"));
    c.env_remove("TAIZHANG_DB");
    c
}

/// What a run of the binary did: exit code, stdout, stderr, peak resident
/// memory (MB), and how long it took.
struct Run {
    code: i32,
    out: String,
    err: String,
    rss_mb: f64,
    took: Duration,
}

/// Runs the binary and measures its own peak memory (wait4 on the child).
fn measured(mut cmd: Command) -> Run {
    use std::os::unix::process::ExitStatusExt;
    let dir = tempfile::tempdir().unwrap();
    let (o, e) = (dir.path().join("out"), dir.path().join("err"));
    cmd.stdout(std::fs::File::create(&o).unwrap())
        .stderr(std::fs::File::create(&e).unwrap());
    let start = Instant::now();
    // Reaped by wait4 below (which also gives its resource usage).
    #[allow(clippy::zombie_processes)]
    let child = cmd.spawn().unwrap();
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value for wait4 to fill in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for our own child, with valid pointers.
    let pid = unsafe { libc::wait4(child.id() as i32, &mut status, 0, &mut usage) };
    assert_eq!(pid, child.id() as i32);
    let took = start.elapsed();
    let exit = std::process::ExitStatus::from_raw(status);
    Run {
        code: exit.code().unwrap_or(-1),
        out: std::fs::read_to_string(&o).unwrap(),
        err: std::fs::read_to_string(&e).unwrap(),
        rss_mb: usage.ru_maxrss as f64 / 1024.0,
        took,
    }
}

/// A demo ledger in `dir`.
fn demo(dir: &Path) -> PathBuf {
    let db = dir.join("demo.sqlite3");
    let out = bin().arg("--db").arg(&db).arg("demo").output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    db
}

/// `returns import FILE --dry-run --json` on a ledger, measured.
fn dry_run(db: &Path, file: &Path) -> Run {
    let mut c = bin();
    c.arg("--db")
        .arg(db)
        .args(["returns", "import"])
        .arg(file)
        .args(["--dry-run", "--json"]);
    measured(c)
}

/// The `file_error` of the first file of an import's JSON.
fn file_error(run: &Run) -> Option<String> {
    let v: serde_json::Value =
        serde_json::from_str(&run.out).unwrap_or_else(|e| panic!("{e}: {} / {}", run.out, run.err));
    v[0]["file_error"].as_str().map(str::to_string)
}

#[test]
fn a_49_mb_csv_and_a_10_mb_line_are_refused_in_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path());
    // 49 MB of ordinary rows: 1.5 million, past the 200,000-row limit.
    let big = dir.path().join("big.csv");
    {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&big).unwrap());
        writeln!(f, "指标名称,截至目前完成值,进展情况").unwrap();
        let row = "新建智慧社区数,5,已建成\n";
        for _ in 0..(49 * 1024 * 1024 / row.len()) {
            f.write_all(row.as_bytes()).unwrap();
        }
    }
    // One line of 10 MB of commas: ten million empty cells in one row.
    let line = dir.path().join("line.csv");
    std::fs::write(&line, ",".repeat(10 * 1024 * 1024)).unwrap();
    for (file, why) in [(&big, "rows"), (&line, "columns")] {
        let run = dry_run(&db, file);
        let e = file_error(&run).expect("refused");
        assert!(e.starts_with("too_large:") && e.contains(why), "{e}");
        assert_ne!(run.code, 0, "a refused file fails the dry run");
        // Before: 461 MB and 276 MB. The file's bytes and its text are
        // held; its cells never are.
        assert!(
            run.rss_mb < 200.0,
            "{}: {:.0} MB",
            file.display(),
            run.rss_mb
        );
    }
}

/// An HTML table of `rows` rows, with or without `</tr>`.
fn html_table(rows: usize, close_rows: bool) -> String {
    let mut s = String::from("<html><body><table>\n<tr><td>指标名称<td>截至目前完成值</tr>\n");
    for i in 0..rows {
        s.push_str(&format!("<tr><td>指标{i}<td>{i}"));
        if close_rows {
            s.push_str("</tr>");
        }
        s.push('\n');
    }
    s.push_str("</table></body></html>");
    s
}

#[test]
fn html_without_row_ends_reads_in_linear_time_and_within_the_row_limit() {
    let time = |text: &str| {
        let t = Instant::now();
        let sheets = read::read(text.as_bytes()).unwrap();
        (t.elapsed(), sheets[0].rows.len())
    };
    let closed = html_table(80_000, true);
    let open = html_table(80_000, false);
    // Warm up, then the better of three runs each.
    let _ = time(&closed);
    let best = |t: &str| (0..3).map(|_| time(t)).min().unwrap();
    let (t_closed, n_closed) = best(&closed);
    let (t_open, n_open) = best(&open);
    assert_eq!(n_closed, 80_001);
    assert_eq!(n_open, 80_001, "every row read without </tr>");
    // Before: 44 s for 80,000 rows without </tr> (quadratic).
    assert!(
        t_open <= t_closed * 2 + Duration::from_millis(50),
        "{t_open:?} against {t_closed:?}"
    );
    // Past the row limit: refused, not read on.
    let e = read::read(html_table(250_000, false).as_bytes()).unwrap_err();
    assert_eq!(e.kind, FileErrorKind::TooLarge, "{e}");
    // Cell ends and row ends left out, nested tables: every cell in place.
    let sheets = read::read(
        "<table><tr><td>a<td>b<tr><td>c<table><tr><td>d</table><td>e</table>".as_bytes(),
    )
    .unwrap();
    let text: Vec<Vec<String>> = sheets[0]
        .rows
        .iter()
        .map(|r| r.iter().map(Cell::text).collect())
        .collect();
    assert_eq!(text, [vec!["a", "b"], vec!["c"], vec!["d"], vec!["e"]]);
}

/// A zip package from (name, bytes) parts.
fn package(parts: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes) in parts {
        z.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        z.write_all(bytes).unwrap();
    }
    z.finish().unwrap().into_inner()
}

/// An .ods whose content.xml holds `table` (the body of one sheet).
fn ods(table: &str, encrypted: bool) -> Vec<u8> {
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet><table:table table:name="Sheet1">{table}</table:table></office:spreadsheet></office:body></office:document-content>"#
    );
    let manifest = if encrypted {
        r#"<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"><manifest:encryption-data manifest:checksum-type="SHA1/1K"/></manifest:file-entry></manifest:manifest>"#
    } else {
        r#"<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>"#
    };
    package(&[
        (
            "mimetype",
            b"application/vnd.oasis.opendocument.spreadsheet".to_vec(),
        ),
        ("META-INF/manifest.xml", manifest.as_bytes().to_vec()),
        ("content.xml", content.into_bytes()),
    ])
}

/// An XLSB record: its type and body.
fn record(out: &mut Vec<u8>, typ: u16, body: &[u8]) {
    if typ < 0x80 {
        out.push(typ as u8);
    } else {
        out.push((typ & 0x7F) as u8 | 0x80);
        out.push((typ >> 7) as u8);
    }
    let mut len = body.len();
    loop {
        let b = (len & 0x7F) as u8;
        len >>= 7;
        out.push(if len > 0 { b | 0x80 } else { b });
        if len == 0 {
            break;
        }
    }
    out.extend_from_slice(body);
}

/// An XLWideString.
fn wide(s: &str) -> Vec<u8> {
    let units: Vec<u16> = s.encode_utf16().collect();
    let mut v = (units.len() as u32).to_le_bytes().to_vec();
    v.extend(units.iter().flat_map(|u| u.to_le_bytes()));
    v
}

/// A sheet of a made .xlsb: name, folder (worksheets, chartsheets or
/// macrosheets), numeric cells (row, column, value).
type XlsbSheet<'a> = (&'a str, &'a str, Vec<(u32, u32, f64)>);

/// An .xlsb with these sheets.
fn xlsb(sheets: &[XlsbSheet]) -> Vec<u8> {
    let mut rels = String::from(
        r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    );
    let mut book = Vec::new();
    record(&mut book, 0x83, &[]);
    record(&mut book, 0x8F, &[]);
    let mut parts: Vec<(String, Vec<u8>)> = Vec::new();
    for (k, (name, folder, cells)) in sheets.iter().enumerate() {
        let id = format!("rId{}", k + 1);
        let target = format!("{folder}/sheet{}.bin", k + 1);
        rels.push_str(&format!(
            r#"<Relationship Id="{id}" Type="x/{folder}" Target="{target}"/>"#
        ));
        let mut body = 0u32.to_le_bytes().to_vec();
        body.extend((k as u32 + 1).to_le_bytes());
        body.extend(wide(&id));
        body.extend(wide(name));
        record(&mut book, 0x9C, &body);
        let mut sheet = Vec::new();
        record(&mut sheet, 0x81, &[]);
        let (r1, c1) = cells
            .iter()
            .fold((0, 0), |(r, c), x| (r.max(x.0), c.max(x.1)));
        let dim: Vec<u8> = [0u32, r1, 0, c1]
            .iter()
            .flat_map(|v| v.to_le_bytes())
            .collect();
        record(&mut sheet, 0x94, &dim);
        record(&mut sheet, 0x91, &[]);
        for (r, c, v) in cells {
            let mut row = r.to_le_bytes().to_vec();
            row.resize(17, 0);
            record(&mut sheet, 0x00, &row);
            let mut cell = c.to_le_bytes().to_vec();
            cell.extend([0u8; 4]);
            cell.extend(v.to_le_bytes());
            record(&mut sheet, 0x05, &cell);
        }
        record(&mut sheet, 0x92, &[]);
        record(&mut sheet, 0x82, &[]);
        parts.push((format!("xl/{target}"), sheet));
    }
    rels.push_str("</Relationships>");
    record(&mut book, 0x90, &[]);
    record(&mut book, 0x84, &[]);
    let mut all: Vec<(&str, Vec<u8>)> = vec![
        ("xl/_rels/workbook.bin.rels", rels.into_bytes()),
        ("xl/workbook.bin", book),
    ];
    all.extend(parts.iter().map(|(n, b)| (n.as_str(), b.clone())));
    package(&all)
}

#[test]
fn cells_at_opposite_corners_are_refused_quickly_and_small() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path());
    let corners_ods = dir.path().join("corners.ods");
    std::fs::write(
        &corners_ods,
        ods(
            r#"<table:table-row><table:table-cell office:value-type="float" office:value="1"/></table:table-row><table:table-row table:number-rows-repeated="1048574"><table:table-cell/></table:table-row><table:table-row><table:table-cell table:number-columns-repeated="16383"/><table:table-cell office:value-type="float" office:value="2"/></table:table-row>"#,
            false,
        ),
    )
    .unwrap();
    let corners_xlsb = dir.path().join("corners.xlsb");
    std::fs::write(
        &corners_xlsb,
        xlsb(&[(
            "Sheet1",
            "worksheets",
            vec![(0, 0, 1.0), (1_048_575, 16_383, 2.0)],
        )]),
    )
    .unwrap();
    for file in [&corners_ods, &corners_xlsb] {
        let run = dry_run(&db, file);
        let e = file_error(&run).expect("refused");
        assert!(e.starts_with("too_large:"), "{e}");
        // Before: 6.26 GB and 7–14 s for the .ods, 3.1 GB for the .xlsb.
        assert!(run.took < Duration::from_secs(1), "{:?}", run.took);
        assert!(
            run.rss_mb < 100.0,
            "{}: {:.0} MB",
            file.display(),
            run.rss_mb
        );
    }
}

#[test]
fn ods_and_xlsb_cells_are_read_in_place() {
    let sheets = read::read(&ods(
        r#"<table:table-row><table:table-cell office:value-type="string"><text:p>指标名称</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>完成值</text:p></table:table-cell></table:table-row><table:table-row table:number-rows-repeated="2"><table:table-cell/></table:table-row><table:table-row><table:table-cell office:value-type="string"><text:p>新建<text:s text:c="2"/>智慧社区数 &amp; 其他</text:p></table:table-cell><table:table-cell office:value-type="percentage" office:value="0.465"/><table:table-cell table:number-columns-repeated="2" office:value-type="float" office:value="3"/></table:table-row>"#,
        false,
    ))
    .unwrap();
    let rows: Vec<Vec<String>> = sheets[0]
        .rows
        .iter()
        .map(|r| r.iter().map(Cell::text).collect())
        .collect();
    assert_eq!(
        rows,
        [
            vec!["指标名称", "完成值", "", ""],
            vec!["", "", "", ""],
            vec!["", "", "", ""],
            vec!["新建  智慧社区数 & 其他", "0.465", "3", "3"],
        ]
    );
    let sheets = read::read(&xlsb(&[
        ("图表", "chartsheets", vec![]),
        ("Sheet1", "worksheets", vec![(1, 2, 7.5)]),
        ("宏", "macrosheets", vec![]),
    ]))
    .expect("chart and macro sheets are skipped, not fatal");
    assert_eq!(sheets.len(), 1);
    assert_eq!(sheets[0].name, "Sheet1");
    assert_eq!(
        (sheets[0].first_row, sheets[0].rows[0][2].text()),
        (2, "7.5".into())
    );
}

#[test]
fn encryption_is_recognised_in_every_format() {
    // An .ods saved with a password: its manifest describes the encryption.
    let e = read::read(&ods("", true)).unwrap_err();
    assert_eq!(e.kind, FileErrorKind::Encrypted, "{e}");
    // A BIFF .xls with a FILEPASS record: the sample return with one of its
    // workbook records turned into FILEPASS (the records after it would be
    // ciphertext in a real file).
    let sample = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("seeds/returns/博山区_2023年一季度_重点指标进展.xls");
    let mut bytes = std::fs::read(sample).unwrap();
    assert!(read::read(&bytes).is_ok());
    // WINDOW1 (0x003D, 18 bytes) → FILEPASS (0x002F).
    let at = bytes
        .windows(4)
        .position(|w| w == [0x3D, 0x00, 0x12, 0x00])
        .expect("the sample has a WINDOW1 record");
    bytes[at] = 0x2F;
    let e = read::read(&bytes).unwrap_err();
    assert_eq!(e.kind, FileErrorKind::Encrypted, "{e}");
}

#[test]
fn a_quote_never_closed_refuses_the_file_and_names_its_row() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path());
    let file = dir.path().join("张店区_2023年7月.csv");
    std::fs::write(
        &file,
        "填报单位：张店区\n指标名称,截至目前完成值\n新建智慧社区数,12\n\"攻防演练次数,2\n应急演练次数,1\n数字化培训班轮次,2\n",
    )
    .unwrap();
    let run = dry_run(&db, &file);
    let e = file_error(&run).expect("refused");
    assert!(e.starts_with("corrupt:") && e.contains("row 4"), "{e}");
    assert_ne!(run.code, 0);
    // Not imported either: the ledger keeps its five batches.
    let out = bin()
        .arg("--db")
        .arg(&db)
        .args(["returns", "import"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let batches = bin()
        .arg("--db")
        .arg(&db)
        .args(["returns", "batches", "--json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&batches.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 5);
    // Line ends written as CR alone are line ends.
    let cr = read::csv("指标名称,截至目前完成值\r新建智慧社区数,5\r攻防演练次数,1\r").unwrap();
    assert_eq!(cr.rows.len(), 3);
    assert_eq!(cr.rows[2][1], Cell::Text("1".into()));
    // A row past the column limit refuses the file, naming the row.
    let wide = format!("a,b\n{}\n", ",".repeat(2_500));
    let e = read::csv(&wide).unwrap_err();
    assert!(e.detail.contains("row 2"), "{e}");
}

#[test]
fn a_row_without_a_number_is_warned_before_it_replaces_a_figure() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path());
    // 张店区 reported 9 new smart communities for June (the demo's return).
    let file = dir.path().join("张店区_2023年6月_更正.csv");
    std::fs::write(
        &file,
        "填报单位：张店区\n统计时间：2023年6月\n指标名称,截至目前完成值,进展情况\n新建智慧社区数,,正在核实\n",
    )
    .unwrap();
    let run = dry_run(&db, &file);
    let v: serde_json::Value = serde_json::from_str(&run.out).unwrap();
    let row = &v[0]["rows"][0];
    assert_eq!(row["indicator"], "新建智慧社区数");
    assert!(row["value"].is_null());
    assert_eq!(row["status"], "warned");
    let why = row["why"].as_str().unwrap();
    assert!(why.starts_with("cleared:") && why.contains('9'), "{why}");
}

#[test]
fn a_ledger_cut_short_is_refused_and_never_written_to() {
    let dir = tempfile::tempdir().unwrap();
    let good = demo(dir.path());
    let whole = std::fs::read(&good).unwrap();
    let ret = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("seeds/returns/张店区_2023年6月_大数据工作进展情况统计表.xlsx");
    for short in [1usize, 100, 3_000] {
        let cut = dir.path().join(format!("cut{short}.sqlite3"));
        std::fs::write(&cut, &whole[..whole.len() - short]).unwrap();
        let before = std::fs::read(&cut).unwrap();
        for args in [
            vec!["status"],
            vec!["returns", "import", ret.to_str().unwrap(), "--force"],
        ] {
            let out = bin().arg("--db").arg(&cut).args(&args).output().unwrap();
            assert_eq!(
                out.status.code(),
                Some(1),
                "{args:?} on a file short by {short}"
            );
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(
                err.contains("damaged") && err.contains("cut short"),
                "{err}"
            );
        }
        assert_eq!(
            std::fs::read(&cut).unwrap(),
            before,
            "short by {short}: untouched"
        );
    }
}

#[test]
fn an_empty_file_and_an_unknown_version_are_refused_in_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.sqlite3");
    std::fs::write(&empty, b"").unwrap();
    let out = bin()
        .arg("--db")
        .arg(&empty)
        .arg("status")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(err.contains("empty (0 bytes)"), "{err}");
    assert_eq!(
        std::fs::metadata(&empty).unwrap().len(),
        0,
        "not made a ledger"
    );
    for version in [0, -1] {
        let db = dir.path().join(format!("v{version}.sqlite3"));
        let c = rusqlite::Connection::open(&db).unwrap();
        c.execute_batch(&format!(
            "CREATE TABLE units (id INTEGER PRIMARY KEY); PRAGMA application_id = {}; PRAGMA user_version = {version};",
            taizhang::store::APPLICATION_ID
        ))
        .unwrap();
        drop(c);
        let out = bin().arg("--db").arg(&db).arg("status").output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1));
        // Before: a 173-line SQL dump.
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
        assert!(err.contains("no known schema version"), "{err}");
    }
}

#[test]
fn a_full_disk_is_said_as_such_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path());
    let before = std::fs::read(&db).unwrap();
    let big = dir
        .path()
        .join("张店区_2023年7月_大数据工作进展情况统计表.csv");
    // A return whose bytes (kept with its batch) do not fit what is left.
    let mut text = String::from(
        "填报单位：张店区\n统计时间：2023年7月\n指标名称,截至目前完成值,进展情况\n新建智慧社区数,10,",
    );
    text.push_str(&"进展".repeat(200_000));
    text.push('\n');
    std::fs::write(&big, text).unwrap();
    // The disk "fills" 64 KB past the ledger's size (RLIMIT_FSIZE: a write
    // past it stops short, as on a full disk; SIGXFSZ is ignored).
    let limit = before.len() as u64 + 64 * 1024;
    let mut c = bin();
    c.arg("--db").arg(&db).args(["returns", "import"]).arg(&big);
    // SAFETY: only async-signal-safe calls between fork and exec.
    unsafe {
        use std::os::unix::process::CommandExt;
        c.pre_exec(move || {
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            let r = libc::rlimit {
                rlim_cur: limit,
                rlim_max: limit,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &r) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let out = c.output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("no space left") && err.contains("nothing was changed"),
        "{err}"
    );
    assert!(
        !err.contains("damaged") && !err.contains("restore"),
        "{err}"
    );
    // The ledger is whole and holds what it held.
    let s = taizhang::store::Store::open(&db).unwrap();
    s.integrity_check().unwrap();
    assert_eq!(s.batches().unwrap().len(), 5);
}

#[test]
fn a_second_writer_is_told_the_ledger_is_busy() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path());
    // Another program holds the write lock.
    let other = rusqlite::Connection::open(&db).unwrap();
    other.execute_batch("BEGIN IMMEDIATE;").unwrap();
    let out = bin()
        .arg("--db")
        .arg(&db)
        .args(["period", "lock", "2023-06"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        err.contains(db.to_str().unwrap())
            && err.contains("being changed by another program")
            && err.contains("try again"),
        "{err}"
    );
    other.execute_batch("ROLLBACK;").unwrap();
}

#[test]
fn a_dry_run_fails_for_a_refused_file_or_a_locked_period() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path());
    let junk = dir.path().join("junk.xlsx");
    std::fs::write(&junk, b"PK\x03\x04 not a zip").unwrap();
    let run = dry_run(&db, &junk);
    assert_eq!(run.code, 1, "{}", run.err);
    let ret = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("seeds/returns/张店区_2023年6月_大数据工作进展情况统计表.xlsx");
    assert_eq!(dry_run(&db, &ret).code, 0, "a good file passes");
    let lock = bin()
        .arg("--db")
        .arg(&db)
        .args(["period", "lock", "2023-06"])
        .output()
        .unwrap();
    assert!(lock.status.success());
    let run = dry_run(&db, &ret);
    assert_eq!(run.code, 1);
    let v: serde_json::Value = serde_json::from_str(&run.out).unwrap();
    assert!(
        v[0]["commit_error"]
            .as_str()
            .is_some_and(|e| e.starts_with("locked:")),
        "{}",
        run.out
    );
}

/// Runs the binary (a copy `nobody` may run) as an unprivileged user
/// (root, as CI runs, may write anything): `nobody` when we are root, else
/// ourselves.
fn as_unprivileged(dir: &Path, args: &[&std::ffi::OsStr]) -> std::process::Output {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;
    let copy = dir.join("taizhang");
    if !copy.exists() {
        std::fs::copy(env!("CARGO_BIN_EXE_taizhang"), &copy).unwrap();
        std::fs::set_permissions(&copy, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let mut c = Command::new(&copy);
    c.env_remove("TAIZHANG_DB").args(args);
    // SAFETY: getuid has no preconditions.
    if unsafe { libc::getuid() } == 0 {
        c.uid(65_534).gid(65_534);
    }
    c.output().unwrap()
}

#[test]
fn a_read_only_folder_still_shows_the_ledger_and_refuses_changes_plainly() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("ro");
    std::fs::create_dir(&folder).unwrap();
    let db = demo(&folder);
    // Checkpointed and closed: the file alone.
    let s = taizhang::store::Store::open(&db).unwrap();
    drop(s);
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o444)).unwrap();
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o555)).unwrap();
    let arg = |s: &'static str| std::ffi::OsStr::new(s);
    let out = as_unprivileged(
        dir.path(),
        &[
            arg("--db"),
            db.as_os_str(),
            arg("status"),
            arg("--as-of"),
            arg("2023-06-30"),
        ],
    );
    // Before: "sizing the page cache: attempt to write a readonly database".
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("新建智慧社区数"));
    assert!(String::from_utf8_lossy(&out.stderr).contains("open for reading"));
    let out = as_unprivileged(
        dir.path(),
        &[
            arg("--db"),
            db.as_os_str(),
            arg("period"),
            arg("lock"),
            arg("2023-06"),
        ],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        err.contains("read-only") && err.contains("nothing was changed"),
        "{err}"
    );
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o755)).unwrap();
}
