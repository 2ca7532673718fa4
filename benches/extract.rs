//! How long extracting the largest seed plan takes (goal: under 5 ms in release).
//!
//! Run: `cargo bench --bench extract`

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use taizhang::plan_text::{ExtractOptions, extract};

fn bench(c: &mut Criterion) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    let largest = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .max_by_key(|p| std::fs::metadata(p).unwrap().len())
        .unwrap();
    let text = std::fs::read_to_string(&largest).unwrap();
    let name = format!(
        "extract {} ({} KB)",
        largest.file_name().unwrap().to_string_lossy(),
        text.len() / 1024
    );
    c.bench_function(&name, |b| {
        b.iter(|| extract(black_box(&text), &ExtractOptions::default()).unwrap())
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
