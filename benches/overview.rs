//! One frame of the overview (build + tessellate, no GPU) on a ledger of the
//! generator's 120 units x 600 indicators x 12 months (../shared/bench), and
//! loading that ledger's snapshot (what the worker does before the first
//! frame with data).
//!
//! Run: `pip install xlsxwriter && cargo bench --bench overview`
//! (the returns are generated and imported once into the system's temporary
//! folder; that takes a few minutes the first time).

use criterion::{Criterion, criterion_group, criterion_main};
use std::path::PathBuf;
use taizhang::store::Store;

mod common;
use taizhang::ui::app::{App, Settings};

fn ledger() -> PathBuf {
    let dir = common::generated_set(120, 600, 12);
    let db = dir.join("ledger.sqlite3");
    if db.exists() {
        return db;
    }
    let partial = dir.join("ledger.partial.sqlite3");
    let _ = std::fs::remove_file(&partial);
    let mut store = Store::open(&partial).unwrap();
    common::Catalogue::of(&dir).load_into(&mut store);
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir.join("returns"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    // What `taizhang returns import` does, 60 files per command.
    for chunk in files.chunks(60) {
        for outcome in
            taizhang::cli::import_returns(&mut store, chunk, None, None, None, false, false)
                .unwrap()
        {
            assert!(
                outcome.batch.is_some(),
                "{}: {:?}",
                outcome.result.file,
                outcome.commit_error
            );
        }
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
        b.iter(|| taizhang::ui::data::load(&store, None, None).unwrap())
    });
    let snapshot = taizhang::ui::data::load(&store, None, None).unwrap();
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
