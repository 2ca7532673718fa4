//! Shared by the benchmarks: the generator's sets (../shared/bench), made
//! once in the system's temporary folder, a ledger prepared with a set's
//! units and plan, and committing files already read as
//! `taizhang returns import` does (one batch each, one transaction).

use std::path::{Path, PathBuf};
use taizhang::domain::{PlanDoc, UnitsFile};
use taizhang::returns::FileResult;
use taizhang::store::{NewBatch, Store};

/// The generator's set of `units` × `indicators` × `periods` returns (seed
/// 2023), generated on first use; its folder.
pub fn generated_set(units: u32, indicators: u32, periods: u32) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("taizhang-bench-{units}x{indicators}x{periods}"));
    if !dir.join("returns").is_dir() {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/bench/gen_returns.py");
        let ok = std::process::Command::new("python3")
            .arg(&script)
            .args(["--units", &units.to_string()])
            .args(["--indicators", &indicators.to_string()])
            .args(["--periods", &periods.to_string()])
            .args(["--seed", "2023", "--jobs", "2", "--out"])
            .arg(&dir)
            .status()
            .is_ok_and(|s| s.success());
        assert!(
            ok,
            "generating the set failed: needs python3 with xlsxwriter (pip install xlsxwriter) and {}",
            script.display()
        );
    }
    dir
}

/// A set's units and plan (units.json and plan_gold.json).
pub struct Catalogue {
    pub units: UnitsFile,
    pub plan: PlanDoc,
}

impl Catalogue {
    pub fn of(dir: &Path) -> Catalogue {
        let read = |name: &str| std::fs::read(dir.join(name)).unwrap();
        Catalogue {
            units: serde_json::from_slice(&read("units.json")).unwrap(),
            plan: serde_json::from_slice(&read("plan_gold.json")).unwrap(),
        }
    }

    /// Puts the units and the plan into `store`; returns the plan's id.
    pub fn load_into(&self, store: &mut Store) -> i64 {
        store.import_units(&self.units.units).unwrap();
        store.import_plan(&self.plan, None).unwrap().plan_id
    }
}

/// Commits every read file as a batch; panics if any is refused. Returns the
/// number of rows committed. (Only the import bench uses it.)
#[allow(dead_code)]
pub fn commit_read(
    store: &mut Store,
    plan_id: i64,
    read: &[(FileResult, Option<Vec<u8>>)],
) -> usize {
    let rows: Vec<_> = read.iter().map(|(r, _)| r.batch_rows()).collect();
    let batches: Vec<NewBatch> = read
        .iter()
        .zip(&rows)
        .map(|((r, bytes), rows)| NewBatch {
            file_name: &r.file,
            bytes: bytes.as_deref().unwrap(),
            plan_id,
            unit: r.unit.as_deref().unwrap(),
            period: r.period.as_deref().unwrap().parse().unwrap(),
            sheet: r.sheet.as_deref(),
            rows,
            force: false,
        })
        .collect();
    for r in store.commit_batches(&batches).unwrap() {
        r.unwrap();
    }
    rows.iter().map(Vec::len).sum()
}
