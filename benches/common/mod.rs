//! Shared by the benchmarks: committing files already read, as
//! `taizhang returns import` does (one batch each, one transaction).

use taizhang::returns::FileResult;
use taizhang::store::{NewBatch, Store};

/// Commits every read file as a batch; panics if any is refused. Returns the
/// number of rows committed.
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
