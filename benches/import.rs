//! Importing the generator's 20 units x 100 indicators x 12 months set (240
//! files, 24,000 rows; ../shared/bench/gen_returns.py) into a fresh ledger,
//! beside calamine's bare read of the same files.
//!
//! Run: `pip install xlsxwriter && cargo bench --bench import`
//! (the set is generated once into the system's temporary folder).

use calamine::Reader;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::path::PathBuf;
use taizhang::returns::{self, Context, Overrides};
use taizhang::store::Store;

mod common;

fn bench(c: &mut Criterion) {
    let dir = common::generated_set(20, 100, 12);
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
    let set = common::Catalogue::of(&dir);
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
    // The plan's indicators and the units, as the command reads them.
    let (indicators, all_units) = {
        let mut store = Store::open_in_memory().unwrap();
        let plan_id = set.load_into(&mut store);
        (store.indicators(plan_id).unwrap(), store.units().unwrap())
    };
    let history = Default::default();
    let ctx = Context::new(&indicators, &all_units, &[], set.plan.year, &history);
    g.bench_function("taizhang read and match only", |b| {
        b.iter(|| returns::import_files(&paths, &ctx, &Overrides::default()))
    });
    g.bench_function("taizhang commit only (files read beforehand)", |b| {
        let read = returns::import_files(&paths, &ctx, &Overrides::default());
        b.iter_batched(
            || {
                let tmp = tempfile::tempdir().unwrap();
                let mut store = Store::open(&tmp.path().join("bench.sqlite3")).unwrap();
                let plan_id = set.load_into(&mut store);
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
            set.load_into(&mut store);
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
