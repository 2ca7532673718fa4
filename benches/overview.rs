//! One frame of the overview (build + tessellate, no GPU) on a ledger of the
//! generator's 120 units x 600 indicators x 12 months (../shared/bench), and
//! loading that ledger's snapshot (what the worker does before the first
//! frame with data).
//!
//! Run: `pip install xlsxwriter && cargo bench --bench overview`
//! (the returns are generated and imported once into the system's temporary
//! folder; that takes a few minutes the first time).

use criterion::{Criterion, criterion_group, criterion_main};
use std::path::{Path, PathBuf};
use taizhang::domain::{PlanDoc, UnitsFile};
use taizhang::returns::{self, Context, Overrides};
use taizhang::store::Store;

mod common;
use taizhang::ui::app::{App, Settings};

fn ledger() -> PathBuf {
    let dir = std::env::temp_dir().join("taizhang-bench-120x600x12");
    let db = dir.join("ledger.sqlite3");
    if db.exists() {
        return db;
    }
    if !dir.join("returns").is_dir() {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/bench/gen_returns.py");
        let ok = std::process::Command::new("python3")
            .arg(&script)
            .args([
                "--units",
                "120",
                "--indicators",
                "600",
                "--periods",
                "12",
                "--seed",
                "2023",
                "--jobs",
                "2",
                "--out",
            ])
            .arg(&dir)
            .status()
            .is_ok_and(|s| s.success());
        assert!(
            ok,
            "generating the set failed: needs python3 with xlsxwriter and {}",
            script.display()
        );
    }
    let partial = dir.join("ledger.partial.sqlite3");
    let _ = std::fs::remove_file(&partial);
    let mut store = Store::open(&partial).unwrap();
    let units: UnitsFile =
        serde_json::from_slice(&std::fs::read(dir.join("units.json")).unwrap()).unwrap();
    let plan: PlanDoc =
        serde_json::from_slice(&std::fs::read(dir.join("plan_gold.json")).unwrap()).unwrap();
    store.import_units(&units.units).unwrap();
    let plan_id = store.import_plan(&plan, None).unwrap().plan_id;
    let indicators = store.indicators(plan_id).unwrap();
    let all_units = store.units().unwrap();
    let history = Default::default();
    let ctx = Context::new(&indicators, &all_units, &[], plan.year, &history);
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir.join("returns"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for chunk in files.chunks(60) {
        let read = returns::import_files(chunk, &ctx, &Overrides::default());
        common::commit_read(&mut store, plan_id, &read);
    }
    drop(store);
    std::fs::rename(&partial, &db).unwrap();
    db
}

fn bench(c: &mut Criterion) {
    let db = ledger();
    let store = Store::open(&db).unwrap();
    let mut g = c.benchmark_group("overview 120x600x12");
    g.sample_size(10);
    g.bench_function("load the snapshot", |b| {
        b.iter(|| taizhang::ui::data::load(&store, None).unwrap())
    });
    let snapshot = taizhang::ui::data::load(&store, None).unwrap();
    let indicators = snapshot.plan.as_ref().unwrap().status.indicators.len();
    assert_eq!(indicators, 600);
    let mut app = App::with_data(db.clone(), Settings::default(), snapshot);
    let ctx = egui::Context::default();
    taizhang::ui::fonts::install(&ctx);
    let input = || egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(1280.0, 800.0),
        )),
        ..Default::default()
    };
    // Warm up: fonts and glyphs are laid out once.
    for _ in 0..5 {
        let out = ctx.run_ui(input(), |ui| app.ui(ui));
        let _ = ctx.tessellate(out.shapes, out.pixels_per_point);
    }
    g.sample_size(50);
    g.bench_function("one overview frame (build + tessellate)", |b| {
        b.iter(|| {
            let out = ctx.run_ui(input(), |ui| app.ui(ui));
            ctx.tessellate(out.shapes, out.pixels_per_point)
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
