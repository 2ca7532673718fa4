//! A child process importing returns in a loop is killed with SIGKILL at
//! random moments; after every kill the ledger must pass integrity_check and
//! every batch must be whole (all its rows) or absent. With TAIZHANG_TEST_PG
//! set (a PostgreSQL superuser's address), the same against a new database
//! on that server.
#![cfg(unix)]

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;
use taizhang::store::Store;

mod common;

fn shared(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared")
        .join(rel)
}

/// The ledger: `name` in `dir`, or a new database on the test server.
fn ledger_at(dir: &Path, name: &str) -> PathBuf {
    common::server_database("k").map_or_else(|| dir.join(name), PathBuf::from)
}

/// A small deterministic generator for the kill moments.
struct XorShift(u64);
impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn killed_imports_leave_whole_batches_or_none() {
    let bin = env!("CARGO_BIN_EXE_taizhang");
    let dir = tempfile::tempdir().unwrap();
    let db = ledger_at(dir.path(), "crash.sqlite3");
    for args in [
        vec![
            "units".to_string(),
            "import".into(),
            shared("samples/units_zibo.json")
                .to_str()
                .unwrap()
                .to_string(),
        ],
        vec![
            "plan".to_string(),
            "import".into(),
            shared("samples/gold/002.json")
                .to_str()
                .unwrap()
                .to_string(),
        ],
    ] {
        let ok = Command::new(bin)
            .arg("--db")
            .arg(&db)
            .args(&args)
            .output()
            .unwrap();
        assert!(
            ok.status.success(),
            "{}",
            String::from_utf8_lossy(&ok.stderr)
        );
    }
    let files = [
        (
            shared("samples/returns/张店区_2023年6月_大数据工作进展情况统计表.xlsx"),
            12,
        ),
        (
            shared("samples/returns/淄川区_2023年前三季度_进展情况统计表.xlsx"),
            10,
        ),
    ];
    // The child: import both files again and again, forced, until killed.
    let script = format!(
        "while true; do '{bin}' --db '{}' returns import '{}' '{}' --force >/dev/null 2>&1; done",
        db.display(),
        files[0].0.display(),
        files[1].0.display()
    );
    let mut rng = XorShift(0x5EED_2023_0630);
    let mut committed_seen = 0;
    for round in 0..60 {
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(&script)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .unwrap();
        // Mostly mid-import; every tenth round long enough for imports to
        // finish, so that whole batches exist to be checked on a slow machine too.
        let wait = if round % 10 == 9 {
            3000
        } else {
            20 + rng.next() % 400
        };
        std::thread::sleep(Duration::from_millis(wait));
        // SAFETY: sends SIGKILL to the child's own process group.
        unsafe {
            libc::kill(-(child.id() as i32), libc::SIGKILL);
        }
        child.wait().unwrap();
        let store = Store::open(&db)
            .unwrap_or_else(|e| panic!("round {round}: the ledger does not open: {e}"));
        store
            .integrity_check()
            .unwrap_or_else(|e| panic!("round {round}: {e}"));
        for b in store.batches().unwrap() {
            let want = files
                .iter()
                .find(|(p, _)| p.file_name().unwrap().to_string_lossy() == b.file_name)
                .unwrap()
                .1;
            assert_eq!(
                b.rows, want,
                "round {round}: batch {} of {} has {} of its {want} rows",
                b.id, b.file_name, b.rows
            );
        }
        committed_seen = store.batches().unwrap().len();
    }
    assert!(
        committed_seen > 0,
        "the child committed nothing in 60 rounds: the kills came too early to test anything"
    );
}

#[test]
fn killed_plan_imports_and_edits_leave_whole_plans() {
    let bin = env!("CARGO_BIN_EXE_taizhang");
    let dir = tempfile::tempdir().unwrap();
    let db = ledger_at(dir.path(), "plans.sqlite3");
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    let doc = |prefix: &str| {
        std::fs::read_dir(&seeds)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
            .unwrap()
    };
    let (a, b) = (doc("002_"), doc("000_"));
    let units = shared("samples/units_zibo.json");
    let ok = Command::new(bin)
        .arg("--db")
        .arg(&db)
        .args(["units", "import"])
        .arg(&units)
        .output()
        .unwrap();
    assert!(ok.status.success());
    // What each document holds once stored whole: (title, tasks, indicators).
    let whole: Vec<(String, usize, usize)> = [&a, &b]
        .iter()
        .map(|p| {
            let out = Command::new(bin)
                .args(["plan", "extract"])
                .arg(p)
                .arg("--json")
                .output()
                .unwrap();
            let plan: taizhang::domain::PlanDoc = serde_json::from_slice(&out.stdout).unwrap();
            (
                plan.display_title(),
                plan.tasks_with_paths().len(),
                plan.indicators.len(),
            )
        })
        .collect();
    // The child: import both plan documents (updated in place after the
    // first time), add a figure by hand, lock and unlock a period, change
    // a setting, again and again until killed.
    let t = |s: &str| format!("'{bin}' --db '{}' {s} >/dev/null 2>&1", db.display());
    let script = format!(
        "i=0; while true; do i=$((i+1)); {}; {}; {}; {}; {}; {}; done",
        t(&format!("plan import '{}'", a.display())),
        t(&format!("plan import '{}'", b.display())),
        t("report add --indicator 新建智慧社区数 --unit 张店区 --period 2023-06 --value $i"),
        t("period lock 2023-05"),
        t("period unlock 2023-05"),
        t("settings --due-soon $((i % 30))"),
    );
    let mut rng = XorShift(0x00C0_FFEE_2023);
    let mut plans_seen = 0;
    for round in 0..30 {
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(&script)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .unwrap();
        let wait = if round % 10 == 9 {
            3000
        } else {
            20 + rng.next() % 500
        };
        std::thread::sleep(Duration::from_millis(wait));
        // SAFETY: sends SIGKILL to the child's own process group.
        unsafe {
            libc::kill(-(child.id() as i32), libc::SIGKILL);
        }
        child.wait().unwrap();
        let store = Store::open(&db)
            .unwrap_or_else(|e| panic!("round {round}: the ledger does not open: {e}"));
        store
            .integrity_check()
            .unwrap_or_else(|e| panic!("round {round}: {e}"));
        let plans = store.plans().unwrap();
        for p in &plans {
            let (_, tasks, indicators) = whole
                .iter()
                .find(|w| w.0 == p.title)
                .unwrap_or_else(|| panic!("round {round}: an unknown plan {}", p.title));
            assert_eq!(
                (p.tasks, p.indicators),
                (*tasks, *indicators),
                "round {round}: plan {} is not whole",
                p.title
            );
        }
        assert!(store.progress_settings().unwrap().validate().is_ok());
        plans_seen = plans.len();
    }
    assert!(
        plans_seen > 0,
        "no plan stored in 30 rounds: the kills came too early to test anything"
    );
}
