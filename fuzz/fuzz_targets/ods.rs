//! The .ods reader on arbitrary content.xml: never a panic, and every cell
//! it keeps is within the limits of one sheet (it reads cell by cell; a
//! far-off cell is refused, not allocated for).
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::io::Write;
use taizhang::returns::read::{self, MAX_CELLS, MAX_COLS, MAX_ROWS};

fuzz_target!(|data: &[u8]| {
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored);
    z.start_file("mimetype", stored).unwrap();
    z.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    z.start_file("content.xml", stored).unwrap();
    z.write_all(data).unwrap();
    let bytes = z.finish().unwrap().into_inner();
    if let Ok(sheets) = read::read(&bytes) {
        let cells: usize = sheets.iter().map(|s| s.rows.iter().map(Vec::len).sum::<usize>()).sum();
        assert!(cells <= MAX_CELLS);
        for s in &sheets {
            assert!(s.rows.len() <= MAX_ROWS as usize);
            assert!(s.rows.iter().all(|r| r.len() <= MAX_COLS as usize));
        }
    }
});
