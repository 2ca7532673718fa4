//! Several coordinators at once: N processes importing returns, entering
//! figures by hand and undoing batches against one ledger — a SQLite file,
//! or with TAIZHANG_TEST_PG set a database on that PostgreSQL server (for a
//! minute there; TAIZHANG_CONCURRENCY_SECS changes it). Afterwards every
//! batch is whole or absent, every figure has its audit line, and the
//! status equals the status of the figures the audit log replays to.
//! Also: a writer killed mid-import (SIGKILL) leaves the ledger whole.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};
use taizhang::domain::*;
use taizhang::store::*;

mod common;

fn shared(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared")
        .join(rel)
}

/// A new ledger: a file in `dir`, or a new database on the test server.
fn new_ledger(dir: &Path, tag: &str) -> PathBuf {
    common::server_database(tag).map_or_else(|| dir.join(format!("{tag}.sqlite3")), PathBuf::from)
}

fn on_server() -> bool {
    std::env::var("TAIZHANG_TEST_PG").is_ok_and(|v| !v.is_empty())
}

fn taizhang(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_taizhang"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .unwrap()
}

/// The plan's indicators with a plain number target, and the districts.
fn setup(db: &Path) -> (Vec<(String, String)>, Vec<String>) {
    let mut s = Store::open(db).unwrap();
    let units: UnitsFile =
        serde_json::from_slice(&std::fs::read(shared("samples/units_zibo.json")).unwrap()).unwrap();
    s.import_units(&units.units).unwrap();
    let plan: PlanDoc =
        serde_json::from_slice(&std::fs::read(shared("samples/gold/002.json")).unwrap()).unwrap();
    let plan_id = s.import_plan(&plan, None).unwrap().plan_id;
    let indicators = s
        .indicators(plan_id)
        .unwrap()
        .into_iter()
        .filter(|i| i.unit.as_deref() != Some("%"))
        .map(|i| (i.code, i.name))
        .take(12)
        .collect();
    let districts = s
        .units()
        .unwrap()
        .into_iter()
        .filter(|u| u.kind == UnitKind::District)
        .map(|u| u.name)
        .take(4)
        .collect();
    (indicators, districts)
}

/// A small deterministic generator per worker.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n
    }
}

/// What the workers saw: each committed import's batch and its figures,
/// and every command that failed with what it said.
#[derive(Default)]
struct Seen {
    batches: Vec<(i64, usize)>,
    refused: Vec<String>,
    ops: usize,
}

fn worker(
    db: &Path,
    dir: &Path,
    id: usize,
    until: Instant,
    indicators: &[(String, String)],
    districts: &[String],
) -> Seen {
    let mut rng = Lcg(id as u64 * 7919 + 1);
    let mut seen = Seen::default();
    let mut n = 0;
    while Instant::now() < until {
        n += 1;
        seen.ops += 1;
        let unit = &districts[rng.next(districts.len())];
        let month = 1 + rng.next(9);
        let period = format!("2023-{month:02}");
        let out = match rng.next(4) {
            0 | 1 => {
                // A return of a few rows, unique bytes each time.
                let mut csv = String::from("指标名称,本期完成值,备注\n");
                for _ in 0..1 + rng.next(5) {
                    let (_, name) = &indicators[rng.next(indicators.len())];
                    csv.push_str(&format!("{name},{},w{id}n{n}\n", rng.next(500)));
                }
                let file = dir.join(format!("{unit}_2023年{month}月_进展_w{id}n{n}.csv"));
                std::fs::write(&file, csv).unwrap();
                let out = taizhang(
                    db,
                    &[
                        "returns",
                        "import",
                        file.to_str().unwrap(),
                        "--unit",
                        unit,
                        "--period",
                        &period,
                        "--json",
                    ],
                );
                if out.status.success() {
                    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
                    for f in v.as_array().unwrap() {
                        if let Some(b) = f["batch"].as_i64() {
                            // Every row listed is written, warned or not.
                            let accepted = f["rows"].as_array().unwrap().len();
                            seen.batches.push((b, accepted));
                        }
                    }
                }
                out
            }
            2 => {
                let (code, _) = &indicators[rng.next(indicators.len())];
                let value = rng.next(500).to_string();
                taizhang(
                    db,
                    &[
                        "report",
                        "add",
                        "--indicator",
                        code,
                        "--unit",
                        unit,
                        "--period",
                        &period,
                        "--value",
                        &value,
                    ],
                )
            }
            _ => {
                let out = taizhang(db, &["returns", "batches", "--json"]);
                let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
                let committed: Vec<i64> = v
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .filter(|b| b["state"] == "committed")
                            .filter_map(|b| b["id"].as_i64())
                            .collect()
                    })
                    .unwrap_or_default();
                if committed.is_empty() {
                    continue;
                }
                let pick = committed[rng.next(committed.len())].to_string();
                taizhang(db, &["returns", "undo", &pick])
            }
        };
        if !out.status.success() {
            seen.refused
                .push(String::from_utf8_lossy(&out.stderr).trim().to_string());
        }
    }
    seen
}

/// The current figure of each (indicator, unit, period) after replaying the
/// audit log from its first line.
fn replay(log: &[AuditEntry]) -> BTreeMap<(String, String, String), f64> {
    let mut current = BTreeMap::new();
    // Newest first in the log; each import's figures share its line.
    for e in log.iter().rev() {
        let Some(period) = &e.period else { continue };
        let key = (e.indicator_code.clone(), e.unit.clone(), period.clone());
        use AuditAction::*;
        match e.action {
            Import | Edit | Correct | Undo | Restore => match e.after {
                Some(v) => {
                    current.insert(key, v);
                }
                None => {
                    current.remove(&key);
                }
            },
            _ => {}
        }
    }
    current
}

#[test]
fn several_writers_at_once_lose_nothing_and_the_log_replays_to_the_status() {
    let dir = tempfile::tempdir().unwrap();
    let db = new_ledger(dir.path(), "conc");
    let (indicators, districts) = setup(&db);
    let secs: u64 = std::env::var("TAIZHANG_CONCURRENCY_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(if on_server() { 60 } else { 10 });
    let until = Instant::now() + Duration::from_secs(secs);
    let seen: Vec<Seen> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..4)
            .map(|w| {
                let (db, dir) = (&db, dir.path());
                let (indicators, districts) = (&indicators, &districts);
                s.spawn(move || worker(db, dir, w, until, indicators, districts))
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let ops: usize = seen.iter().map(|s| s.ops).sum();
    let refused: Vec<&String> = seen.iter().flat_map(|s| &s.refused).collect();
    // Refusals are the ledger's rules or a writer waiting too long, in
    // one plain line; never a crash.
    for r in &refused {
        assert!(
            !r.contains("panicked") && !r.contains("internal") && r.lines().count() <= 2,
            "{r}"
        );
    }
    assert!(
        refused.len() * 4 < ops,
        "{} of {ops} operations refused: {:?}",
        refused.len(),
        &refused[..refused.len().min(5)]
    );
    eprintln!(
        "{} s, 4 writers: {ops} operations, {} imports committed, {} refused",
        secs,
        seen.iter().map(|s| s.batches.len()).sum::<usize>(),
        refused.len()
    );
    let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
    for r in &refused {
        let words: String = r.chars().filter(|c| !c.is_ascii_digit()).take(24).collect();
        *kinds.entry(words).or_default() += 1;
    }
    for (k, n) in &kinds {
        eprintln!("  {n:>5} × {k}");
    }
    let store = Store::open(&db).unwrap();
    let log = store.audit_log(None, usize::MAX / 2).unwrap();
    // Every batch whole: as many figures in the ledger as its import wrote.
    let mut per_batch: HashMap<i64, usize> = HashMap::new();
    for e in &log {
        if e.action == AuditAction::Import
            && let Some(b) = e.batch_id
        {
            *per_batch.entry(b).or_default() += 1;
        }
    }
    let committed: Vec<(i64, usize)> = seen.iter().flat_map(|s| s.batches.clone()).collect();
    assert!(
        committed.len() > 4,
        "only {} imports went through",
        committed.len()
    );
    for (b, n) in &committed {
        assert_eq!(per_batch.get(b), Some(n), "batch {b}");
    }
    assert_eq!(per_batch.len(), committed.len(), "batches nobody committed");
    // The status of the figures the log replays to is the ledger's.
    let replayed = replay(&log);
    let mut mirror = Store::open_in_memory().unwrap();
    let units: UnitsFile =
        serde_json::from_slice(&std::fs::read(shared("samples/units_zibo.json")).unwrap()).unwrap();
    mirror.import_units(&units.units).unwrap();
    let plan: PlanDoc =
        serde_json::from_slice(&std::fs::read(shared("samples/gold/002.json")).unwrap()).unwrap();
    mirror.import_plan(&plan, None).unwrap();
    for ((code, unit, period), value) in &replayed {
        let mut entry = ReportEntry::new(code, unit, period.parse().unwrap(), *value);
        entry.reason = Some("replay".into());
        mirror.add_report(&entry).unwrap();
    }
    let as_of: Date = "2023-09-30".parse().unwrap();
    let json = |s: &Store| {
        let st = s.status(1, as_of).unwrap();
        st.indicators
            .iter()
            .map(|i| {
                serde_json::json!({
                    "code": i.code,
                    "actual": i.evaluation.actual,
                    "status": i.evaluation.status,
                    "units": i.evaluation.units.iter().map(|u| (u.unit.clone(), u.actual)).collect::<Vec<_>>(),
                })
            })
            .collect::<Vec<_>>()
    };
    assert!(!replayed.is_empty());
    assert_eq!(json(&store), json(&mirror));
}
