//! Importing the generator's 20 units x 100 indicators x 12 months set (240
//! files, 24,000 rows; ../shared/bench/gen_returns.py) into a fresh ledger,
//! beside calamine's bare read of the same files.
//!
//! Run: `pip install xlsxwriter && cargo bench --bench import`
//! (the set is generated once into the system's temporary folder).

use calamine::Reader;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::path::{Path, PathBuf};
use taizhang::domain::{PlanDoc, UnitsFile};
use taizhang::returns::{self, Context, Overrides};
use taizhang::store::Store;

mod common;

fn data() -> PathBuf {
    let dir = std::env::temp_dir().join("taizhang-bench-20x100x12");
    if !dir.join("returns").is_dir() {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/bench/gen_returns.py");
        let ok = std::process::Command::new("python3")
            .arg(&script)
            .args([
                "--units",
                "20",
                "--indicators",
                "100",
                "--periods",
                "12",
                "--seed",
                "2023",
                "--out",
            ])
            .arg(&dir)
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        assert!(
            ok,
            "generating the set failed: needs python3 with xlsxwriter (pip install xlsxwriter) and {}",
            script.display()
        );
    }
    dir
}

fn bench(c: &mut Criterion) {
    let dir = data();
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir.join("returns"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    files.sort();
    let units: UnitsFile =
        serde_json::from_slice(&std::fs::read(dir.join("units.json")).unwrap()).unwrap();
    let plan: PlanDoc =
        serde_json::from_slice(&std::fs::read(dir.join("plan_gold.json")).unwrap()).unwrap();
    let total = 24_000u64;

    let mut g = c.benchmark_group("returns 20x100x12");
    g.sample_size(10);
    g.throughput(Throughput::Elements(total));
    g.bench_function("calamine bare read", |b| {
        b.iter(|| {
            let mut n = 0usize;
            for (_, bytes) in &files {
                let mut wb = calamine::Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
                let name = wb.sheet_names()[0].clone();
                n += wb.worksheet_range(&name).unwrap().rows().count();
            }
            n
        })
    });
    let paths: Vec<PathBuf> = files
        .iter()
        .map(|(n, _)| dir.join("returns").join(n))
        .collect();
    g.bench_function("taizhang read and match only", |b| {
        let indicators = {
            let mut store = Store::open_in_memory().unwrap();
            store.import_units(&units.units).unwrap();
            let plan_id = store.import_plan(&plan, None).unwrap().plan_id;
            (store.indicators(plan_id).unwrap(), store.units().unwrap())
        };
        let history = Default::default();
        let ctx = Context::new(&indicators.0, &indicators.1, &[], plan.year, &history);
        b.iter(|| returns::import_files(&paths, &ctx, &Overrides::default()))
    });
    g.bench_function("taizhang commit only (files read beforehand)", |b| {
        let indicators = {
            let mut store = Store::open_in_memory().unwrap();
            store.import_units(&units.units).unwrap();
            let plan_id = store.import_plan(&plan, None).unwrap().plan_id;
            (store.indicators(plan_id).unwrap(), store.units().unwrap())
        };
        let history = Default::default();
        let ctx = Context::new(&indicators.0, &indicators.1, &[], plan.year, &history);
        let read = returns::import_files(&paths, &ctx, &Overrides::default());
        b.iter_batched(
            || {
                let tmp = tempfile::tempdir().unwrap();
                let mut store = Store::open(&tmp.path().join("bench.sqlite3")).unwrap();
                store.import_units(&units.units).unwrap();
                let plan_id = store.import_plan(&plan, None).unwrap().plan_id;
                (tmp, store, plan_id)
            },
            |(_tmp, mut store, plan_id)| common::commit_read(&mut store, plan_id, &read),
            criterion::BatchSize::PerIteration,
        )
    });
    // What `taizhang returns import DIR/*.xlsx` does (the same function):
    // read and match the files on worker threads and commit each one as it
    // arrives, one batch each, all in one transaction.
    g.bench_function("taizhang import into a fresh ledger", |b| {
        b.iter(|| {
            let tmp = tempfile::tempdir().unwrap();
            let mut store = Store::open(&tmp.path().join("bench.sqlite3")).unwrap();
            store.import_units(&units.units).unwrap();
            store.import_plan(&plan, None).unwrap();
            let outcomes =
                taizhang::cli::import_returns(&mut store, &paths, None, None, None, false, false)
                    .unwrap();
            let committed: usize = outcomes
                .iter()
                .filter(|o| o.batch.is_some())
                .map(|o| o.result.rows.len())
                .sum();
            assert_eq!(committed as u64, total);
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
